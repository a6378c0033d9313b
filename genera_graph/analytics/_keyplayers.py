"""Key players (Borgatti 2006): how much does the network fall apart without some actors?

Fragmentation F is the share of pairs of actors that cannot reach each other; the
distance-weighted fragmentation also counts how far apart the reachable ones are. Both are
computed on undirected ties (a directed graph is collapsed) and on the actors that *remain* after
the removal: n is the number of remaining actors.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Literal

import igraph as ig
import numpy as np
import pandas as pd

from genera_graph.analytics._bridging_input import GraphLike, _prepare, _Prepared

__all__ = [
    "KEY_PLAYER_CONVENTIONS",
    "distance_fragmentation",
    "fragmentation",
    "greedy_key_players",
    "key_player_impact",
]

_BORGATTI = "Borgatti (2006), Comput. Math. Organ. Theory 12(1):21-34"
_TOL = 1e-12

KEY_PLAYER_CONVENTIONS: dict[str, dict[str, str]] = {
    "fragmentation_before": {
        "definition": "fragmentation F = 1 - sum_k s_k (s_k - 1) / (n (n - 1)) over the "
        "components k (sizes s_k) of the intact graph",
        "convention": "undirected ties; share of ordered pairs that cannot reach each other",
        "reference": _BORGATTI,
    },
    "fragmentation_after": {
        "definition": "F once the actor is removed, n = remaining actors",
        "convention": "NaN when fewer than two actors remain (F undefined)",
        "reference": _BORGATTI,
    },
    "fragmentation_delta": {
        "definition": "fragmentation_after - fragmentation_before: how much the actor holds the "
        "network together",
        "convention": "",
        "reference": _BORGATTI,
    },
    "distance_fragmentation_before": {
        "definition": "distance-weighted fragmentation 1 - sum_{i != j} (1 / d_ij) / (n (n - 1)) "
        "of the intact graph",
        "convention": "d_ij: number of ties on a shortest path, 1 / d_ij = 0 when unreachable",
        "reference": _BORGATTI,
    },
    "distance_fragmentation_after": {
        "definition": "distance-weighted fragmentation once the actor is removed",
        "convention": "n = remaining actors; NaN when fewer than two remain",
        "reference": _BORGATTI,
    },
    "distance_fragmentation_delta": {
        "definition": "distance_fragmentation_after - distance_fragmentation_before",
        "convention": "",
        "reference": _BORGATTI,
    },
    "rank": {
        "definition": "position of the actor in the key-player set (greedy order)",
        "convention": "",
        "reference": _BORGATTI,
    },
    "value": {
        "definition": "the measure once the actors of rank 1..rank are removed",
        "convention": "measure named in attrs['measure']",
        "reference": _BORGATTI,
    },
    "gain": {
        "definition": "increase of the measure brought by this actor, given those ranked before",
        "convention": "",
        "reference": _BORGATTI,
    },
    "origin": {
        "definition": "'greedy' (chosen by the greedy step) or 'swap' (entered by a swap)",
        "convention": "",
        "reference": _BORGATTI,
    },
}

Measure = Literal["fragmentation", "distance_fragmentation"]


def _pairs_within(g: ig.Graph) -> float:
    sizes = np.asarray(g.connected_components().sizes(), dtype=np.float64)
    return float(np.sum(sizes * (sizes - 1)))


def _frag(g: ig.Graph) -> float:
    n = g.vcount()
    if n < 2:
        return float("nan")
    return 1.0 - _pairs_within(g) / (n * (n - 1))


def _dist_frag(g: ig.Graph) -> float:
    n = g.vcount()
    if n < 2:
        return float("nan")
    inverse = np.sum(g.harmonic_centrality(mode="all", normalized=False))
    return 1.0 - float(inverse) / (n * (n - 1))


def _without(g: ig.Graph, removed: Iterable[int]) -> tuple[ig.Graph, np.ndarray]:
    """``g`` minus ``removed``; also the original index of each remaining vertex."""
    drop = np.zeros(g.vcount(), dtype=bool)
    drop[np.fromiter(removed, dtype=np.int64)] = True
    keep = np.flatnonzero(~drop)
    return g.induced_subgraph(keep.tolist(), implementation="create_from_scratch"), keep


def _frag_after_each(g: ig.Graph) -> np.ndarray:
    """F of ``g`` minus each single vertex, for every vertex.

    Removing a vertex that is not a cut vertex only shrinks its component by one, so only the cut
    vertices need their components recomputed.
    """
    n = g.vcount()
    out = np.full(n, np.nan)
    if n < 3:
        return out
    comps = g.connected_components()
    sizes = np.asarray(comps.sizes(), dtype=np.float64)
    member = np.asarray(comps.membership, dtype=np.int64)
    base = float(np.sum(sizes * (sizes - 1)))
    s = sizes[member]
    out[:] = 1.0 - (base - 2.0 * (s - 1.0)) / ((n - 1) * (n - 2))
    for v in g.articulation_points():
        sub, _ = _without(g, [v])
        out[v] = _frag(sub)
    return out


def _dist_frag_after_each(g: ig.Graph, vertices: Iterable[int]) -> np.ndarray:
    return np.array([_dist_frag(_without(g, [v])[0]) for v in vertices], dtype=np.float64)


def _removed_indices(prep: _Prepared, removed: Iterable[Hashable]) -> np.ndarray:
    return np.unique(prep.index_of(list(removed)))


def fragmentation(graph: GraphLike, removed: Iterable[Hashable] = ()) -> float:
    """Borgatti's fragmentation F of the network, optionally after removing some actors.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (direction ignored).
    removed
        Actor ids to remove first.

    Returns
    -------
    float
        F = 1 - sum_k s_k (s_k - 1) / (n (n - 1)) over the components k (sizes s_k) of what
        remains, n the number of remaining actors: 0 when everyone can reach everyone, 1 when all
        are isolated. ``nan`` when fewer than two actors remain (F is undefined).

    Raises
    ------
    KeyError
        If a removed actor is not in the graph.

    Notes
    -----
    O(n + m).

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network. Computational
    and Mathematical Organization Theory 12(1), 21-34.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.florentine_families_graph()
    >>> fragmentation(g)
    0.0
    >>> round(fragmentation(g, removed=["Medici"]), 6)  # 1 - 112/182: components 11, 2, 1
    0.384615
    """
    prep = _prepare(graph, None)
    sub, _ = _without(prep.und, _removed_indices(prep, removed))
    return _frag(sub)


def distance_fragmentation(graph: GraphLike, removed: Iterable[Hashable] = ()) -> float:
    """Borgatti's distance-weighted fragmentation, optionally after removing some actors.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (direction and weights ignored).
    removed
        Actor ids to remove first.

    Returns
    -------
    float
        1 - sum_{i != j} (1 / d_ij) / (n (n - 1)) over the remaining actors, d_ij the number of
        ties on a shortest path (1 / d_ij = 0 when j cannot be reached). 0 for a complete graph,
        1 when all are isolated; ``nan`` when fewer than two actors remain.

    Notes
    -----
    One breadth-first search per actor (igraph's harmonic centrality): O(n (n + m)).

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network. Computational
    and Mathematical Organization Theory 12(1), 21-34.

    Examples
    --------
    >>> import networkx as nx
    >>> distance_fragmentation(nx.path_graph(3))  # 1 - (4 x 1 + 2 x 1/2) / 6
    0.16666666666666663
    """
    prep = _prepare(graph, None)
    sub, _ = _without(prep.und, _removed_indices(prep, removed))
    return _dist_frag(sub)


def key_player_impact(
    graph: GraphLike, actors: Iterable[Hashable] | None = None, *, distance: bool = True
) -> pd.DataFrame:
    """What if this actor left? Fragmentation before and after removing each actor alone.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (direction and weights ignored).
    actors
        Actors to assess one at a time (e.g. the facilitators); all actors when ``None``.
    distance
        Also compute the distance-weighted fragmentation (costly: see Notes).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``actor_id``: ``fragmentation_before``, ``fragmentation_after``,
        ``fragmentation_delta`` and, when ``distance``, ``distance_fragmentation_before``,
        ``distance_fragmentation_after``, ``distance_fragmentation_delta``. "after" values are NaN
        when fewer than two actors would remain.

    Notes
    -----
    F after removing an actor that is not a cut vertex follows from the component sizes alone
    (its component shrinks by one); only cut vertices are recomputed: O(n + m) per cut vertex.
    The distance-weighted version needs all shortest paths again for each actor:
    O(|actors| n (n + m)), seconds for a thousand actors; pass ``actors`` or ``distance=False``
    on large graphs.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.florentine_families_graph()
    >>> impact = key_player_impact(g, ["Medici", "Pazzi"])
    >>> impact["fragmentation_delta"].round(4).tolist()
    [0.3846, 0.0]
    """
    prep = _prepare(graph, None)
    und = prep.und
    idx = np.arange(prep.n) if actors is None else prep.index_of(list(actors))
    before = _frag(und)
    after = _frag_after_each(und)[idx]
    data = {
        "fragmentation_before": np.full(len(idx), before),
        "fragmentation_after": after,
        "fragmentation_delta": after - before,
    }
    if distance:
        dbefore = _dist_frag(und)
        dafter = _dist_frag_after_each(und, idx.tolist())
        data |= {
            "distance_fragmentation_before": np.full(len(idx), dbefore),
            "distance_fragmentation_after": dafter,
            "distance_fragmentation_delta": dafter - dbefore,
        }
    names = np.asarray(prep.names, dtype=object)[idx]
    return pd.DataFrame(data, index=pd.Index(names, name="actor_id"))


def _values_after_each(g: ig.Graph, measure: Measure) -> np.ndarray:
    if measure == "fragmentation":
        return _frag_after_each(g)
    return _dist_frag_after_each(g, range(g.vcount()))


def _value(und: ig.Graph, removed: list[int], measure: Measure) -> float:
    sub, _ = _without(und, removed)
    return _frag(sub) if measure == "fragmentation" else _dist_frag(sub)


def _best(values: np.ndarray) -> int:
    """First position reaching the maximum (ties broken by vertex order)."""
    return int(np.flatnonzero(values >= np.nanmax(values) - _TOL)[0])


def greedy_key_players(
    graph: GraphLike,
    k: int,
    *,
    measure: Measure = "fragmentation",
    swap: bool = False,
    max_swaps: int = 100,
) -> pd.DataFrame:
    """A set of k actors whose removal fragments the network most (greedy, optional swaps).

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (direction and weights ignored).
    k
        Size of the set, 1 <= k <= n - 2.
    measure
        ``"fragmentation"`` (F) or ``"distance_fragmentation"``.
    swap
        After the greedy pass, improve the set with Borgatti's swaps: replace a member by a
        non-member while that increases the measure (best swap first).
    max_swaps
        Upper bound on the number of swaps made.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``actor_id`` (the chosen actors, in order): ``rank``, ``value`` (the measure
        once the actors of rank 1..rank are removed), ``gain`` (the increase this actor brings),
        ``origin`` (``"greedy"`` or ``"swap"``). ``attrs``: ``measure``, ``k``, ``swap``,
        ``value_before`` (the intact network), ``greedy_value`` and ``swaps`` (number made).

    Raises
    ------
    ValueError
        If k is out of range or the measure unknown.

    Notes
    -----
    Greedy selection is a **heuristic**: at each step it removes the actor whose removal
    increases the measure most, given those already removed (ties: the first actor in graph
    order). The best set of k actors is not always built greedily; the swap pass can only
    improve the result, still without a guarantee of optimality (finding the optimum is
    NP-hard). With ``measure="fragmentation"`` each greedy step costs O(n + m) plus O(n + m)
    per cut vertex; the distance-weighted measure costs O(n^2 (n + m)) per step: use it on
    networks of a few hundred actors. A swap pass costs k greedy steps.

    References
    ----------
    Borgatti, S. P. (2006). Identifying sets of key players in a social network. Computational
    and Mathematical Organization Theory 12(1), 21-34.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.barbell_graph(4, 1)  # two cliques joined through actor 4
    >>> greedy_key_players(g, 1).index.tolist()
    [4]
    """
    if measure not in ("fragmentation", "distance_fragmentation"):
        raise ValueError(f"unknown measure {measure!r}")
    prep = _prepare(graph, None)
    und = prep.und
    n = prep.n
    if not 1 <= k <= n - 2:
        raise ValueError(f"k must lie in [1, n - 2] = [1, {n - 2}], got {k}")
    chosen: list[int] = []
    for _ in range(k):
        sub, keep = _without(und, chosen)
        chosen.append(int(keep[_best(_values_after_each(sub, measure))]))
    greedy_value = _value(und, chosen, measure)

    current, swaps, origin = list(chosen), 0, dict.fromkeys(chosen, "greedy")
    if swap:
        value = greedy_value
        while swaps < max_swaps:
            best = (value + _TOL, None, None)
            for pos in range(k):
                rest = current[:pos] + current[pos + 1 :]
                sub, keep = _without(und, rest)
                values = _values_after_each(sub, measure)
                values[np.isin(keep, current)] = -np.inf  # the member itself, no-op
                j = _best(values)
                if values[j] > best[0]:
                    best = (values[j], pos, int(keep[j]))
            if best[1] is None:
                break
            value, pos, newcomer = best
            current[pos] = newcomer
            origin[newcomer] = "swap"
            swaps += 1
    order = [v for v in chosen if v in current] + [v for v in current if v not in chosen]

    values, gains, last = [], [], _value(und, [], measure)
    for r in range(1, k + 1):
        val = _value(und, order[:r], measure)
        values.append(val)
        gains.append(val - last)
        last = val
    names = np.asarray(prep.names, dtype=object)[order]
    out = pd.DataFrame(
        {
            "rank": np.arange(1, k + 1, dtype=np.int64),
            "value": values,
            "gain": gains,
            "origin": pd.array([origin[v] for v in order], dtype="string"),
        },
        index=pd.Index(names, name="actor_id"),
    )
    out.attrs = {
        "measure": measure,
        "k": k,
        "swap": swap,
        "value_before": _value(und, [], measure),
        "greedy_value": greedy_value,
        "swaps": swaps,
    }
    return out
