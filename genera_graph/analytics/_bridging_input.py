"""Turn the graphs that the bridging analytics accept into one internal igraph form.

The bridging functions accept a :class:`networkx.Graph` / :class:`networkx.DiGraph` (multigraphs
too) or an :class:`igraph.Graph` whose vertex attribute ``"name"`` holds the actor ids. Whatever
arrives, the heavy work runs on one simple, loop-free igraph graph built here once.

Conventions applied to every input:

- self-loops are dropped (an actor is not its own contact);
- parallel ties between the same ordered pair (a multigraph, or an igraph graph with multi-edges)
  are merged into one tie whose strength is the sum of their weights;
- an edge without the weight attribute counts as weight 1 (networkx's convention); a weight must
  be a finite positive number, since it is an interaction count used as a strength and its
  inverse is used as a distance;
- for the measures defined on undirected ties (Burt's structural holes, cut vertices, local
  bridges, components, participation) a directed graph is *collapsed*: one undirected tie per
  pair of actors joined in either direction, with the sum of the arc weights as its strength
  (unweighted: the number of arcs, 1 or 2). That is what networkx's ``mutual_weight`` does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import igraph as ig
import numpy as np

if TYPE_CHECKING:
    import networkx as nx

__all__: list[str] = []

GraphLike = Any  # networkx.Graph | networkx.DiGraph | igraph.Graph (kept loose: optional imports)


@dataclass(frozen=True)
class _Prepared:
    """A simple, loop-free igraph graph plus its undirected collapse.

    Attributes
    ----------
    graph
        Simple loop-free graph, directed iff the input was directed; vertex ``i`` is ``names[i]``.
    names
        Actor ids, in vertex order.
    weights
        Strength of each edge of ``graph`` (float array) or ``None`` when unweighted.
    und
        The undirected collapse (``graph`` itself when undirected).
    und_weights
        Strength of each edge of ``und``; for a directed unweighted input, the number of arcs (1 or
        2) joining the pair; ``None`` for an undirected unweighted input.
    weight
        The weight attribute name that was asked for, or ``None``.
    """

    graph: ig.Graph
    names: list[Hashable]
    weights: np.ndarray | None
    und: ig.Graph
    und_weights: np.ndarray | None
    weight: str | None

    @property
    def n(self) -> int:
        return self.graph.vcount()

    @property
    def directed(self) -> bool:
        return self.graph.is_directed()

    def index_of(self, actors: Iterable[Hashable]) -> np.ndarray:
        """Vertex indices of ``actors``; raise ``KeyError`` naming the first unknown id."""
        lookup = {name: i for i, name in enumerate(self.names)}
        out = []
        for actor in actors:
            try:
                out.append(lookup[actor])
            except KeyError:
                raise KeyError(f"actor {actor!r} is not in the graph") from None
        return np.asarray(out, dtype=np.int64)


def _check_weights(values: np.ndarray, weight: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.size and not (np.all(np.isfinite(values)) and np.all(values > 0)):
        raise ValueError(
            f"edge attribute {weight!r} must hold finite positive interaction counts; "
            f"got minimum {np.nanmin(values)!r}"
        )
    return values


def _from_networkx(graph: nx.Graph, weight: str | None) -> tuple[ig.Graph, list, np.ndarray]:
    names = list(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    edges = []
    values = []
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        edges.append((index[u], index[v]))
        values.append(data.get(weight, 1) if weight is not None else 1)
    g = ig.Graph(n=len(names), edges=edges, directed=graph.is_directed())
    return g, names, np.asarray(values, dtype=np.float64)


def _from_igraph(graph: ig.Graph, weight: str | None) -> tuple[ig.Graph, list, np.ndarray]:
    if "name" not in graph.vertex_attributes():
        raise ValueError('an igraph graph must carry the actor ids in the vertex attribute "name"')
    names = list(graph.vs["name"])
    if weight is not None:
        if weight not in graph.edge_attributes():
            raise ValueError(f"the igraph graph has no edge attribute {weight!r}")
        values = np.asarray([1.0 if w is None else w for w in graph.es[weight]], dtype=np.float64)
    else:
        values = np.ones(graph.ecount(), dtype=np.float64)
    if graph.ecount() and not graph.is_simple():
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        keep = edges[:, 0] != edges[:, 1]
        g = ig.Graph(n=graph.vcount(), edges=edges[keep].tolist(), directed=graph.is_directed())
        return g, names, values[keep]
    return graph, names, values


def _prepare(graph: GraphLike, weight: str | None = None) -> _Prepared:
    """Build the internal form of ``graph`` (see the module docstring for the conventions)."""
    if isinstance(graph, ig.Graph):
        g, names, values = _from_igraph(graph, weight)
    elif hasattr(graph, "is_directed") and hasattr(graph, "nodes") and hasattr(graph, "edges"):
        g, names, values = _from_networkx(graph, weight)
    else:
        raise TypeError(
            f"expected a networkx Graph/DiGraph or an igraph Graph, got {type(graph).__name__}"
        )
    if len(set(names)) != len(names):
        raise ValueError("actor ids (vertex names) must be unique")
    if weight is not None:
        values = _check_weights(values, weight)
    if g.ecount() and not g.is_simple():
        # merge parallel ties (loops are already gone), summing their strengths
        if g is graph:
            g = g.copy()
        g.es["_w"] = values.tolist()
        g.simplify(multiple=True, loops=True, combine_edges={"_w": "sum"})
        values = np.asarray(g.es["_w"], dtype=np.float64)
        del g.es["_w"]
    weights = values if weight is not None else None
    if g.is_directed():
        und = ig.Graph(n=g.vcount(), edges=g.get_edgelist(), directed=True)
        und.es["_w"] = (values if weight is not None else np.ones(g.ecount())).tolist()
        und.to_undirected(mode="collapse", combine_edges={"_w": "sum"})
        und_weights = np.asarray(und.es["_w"], dtype=np.float64)
        del und.es["_w"]
    else:
        und, und_weights = g, weights
    return _Prepared(
        graph=g, names=names, weights=weights, und=und, und_weights=und_weights, weight=weight
    )
