"""genera_graph.io."""
