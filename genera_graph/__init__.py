"""genera_graph: map and analyse the relationships a community-welfare programme builds.

Layers (imports point downwards only): :mod:`genera_graph.analytics` ->
:mod:`genera_graph.temporal` -> :mod:`genera_graph.io` -> :mod:`genera_graph.model`.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
