"""Betweenness with a stated error bound: KADABRA adaptive sampling (networkit).

KADABRA samples shortest paths between random pairs of connected vertices, adaptively, until
every vertex's estimate is within ``epsilon`` of its betweenness with probability at least
``1 - delta`` (Borassi & Natale 2016). networkit's implementation (``KadabraBetweenness``)
reports, on an undirected graph, ``4 * raw / (n (n - 1))`` for the raw Brandes betweenness of
:func:`~genera_graph.analytics.bridging_table` (each unordered pair counted once; measured
against networkx's exact values on connected and disconnected graphs, see the tests): here it
is put back on the raw scale, ``raw = score * n (n - 1) / 4``, and the bound on every raw value
is ``epsilon * n (n - 1) / 4``. Its threads share the sampling: two runs with the same seed may
differ, both within the bound.
"""

from __future__ import annotations

import numpy as np

from genera_graph.analytics._bridging_input import _Prepared

__all__ = ["kadabra_betweenness"]


def kadabra_betweenness(
    prep: _Prepared, epsilon: float, delta: float, seed: int | None
) -> tuple[np.ndarray, float]:
    """Raw betweenness estimates and the additive bound on each (see the module docstring).

    Raises
    ------
    ValueError
        For a weighted or directed graph (KADABRA samples unweighted undirected paths here),
        or ``epsilon``/``delta`` outside (0, 1).
    ImportError
        When networkit is not installed (``pip install genera-graph[scale]``).
    """
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise ValueError("epsilon and delta must be in (0, 1)")
    if prep.weights is not None:
        raise ValueError("KADABRA estimates unweighted betweenness: use weight=None")
    if prep.directed:
        raise ValueError("KADABRA is used here for undirected graphs only")
    try:
        import networkit as nk
    except ImportError as exc:  # pragma: no cover - the extra is installed in the tests
        raise ImportError(
            "betweenness_epsilon needs networkit: pip install 'genera-graph[scale]'"
        ) from exc
    g = prep.graph
    n = g.vcount()
    scale = n * (n - 1) / 4.0
    if n < 3 or g.ecount() == 0:
        return np.zeros(n), 0.0
    graph = nk.Graph(n, weighted=False, directed=False)
    edges = np.asarray(g.get_edgelist(), dtype=np.uint64).reshape(-1, 2)
    graph.addEdges((edges[:, 0], edges[:, 1]))
    nk.setSeed(0 if seed is None else int(seed), False)
    algo = nk.centrality.KadabraBetweenness(graph, float(epsilon), float(delta))
    algo.run()
    scores = np.asarray(algo.scores(), dtype=np.float64)
    return scores * scale, float(epsilon) * scale
