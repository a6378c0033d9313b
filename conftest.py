"""Root pytest configuration: what doctest collection must not import."""

collect_ignore = ["genera_graph/cli/__main__.py"]
