"""genera_graph.temporal."""
