"""genera_graph.analytics."""
