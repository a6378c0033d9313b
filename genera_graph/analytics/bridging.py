"""Bridging actors: betweenness, structural holes, cut vertices, brokerage and key players.

Which actors hold the network of #genera_azioni together, and what would happen if one of them
(a facilitator, a Community Point, an association) left? The functions here answer with tidy
tables keyed by actor id, computed on igraph (networkx is accepted as input and is the oracle in
the tests).

Every function takes a graph: a :class:`networkx.Graph` / :class:`networkx.DiGraph` or an
:class:`igraph.Graph` whose vertex attribute ``"name"`` holds the actor ids. An optional edge
attribute (``weight="weight"``) holds interaction counts, read as **strengths**; where a path
length is needed, the distance of a tie is ``1 / weight``. Self-loops are dropped and parallel
ties merged (strengths summed); measures defined on undirected ties collapse a directed graph
(see :mod:`genera_graph.analytics._bridging_input`).

:data:`CONVENTIONS` is the data dictionary of every column these functions return (definition,
convention, reference), for exports to reuse.

Examples
--------
>>> import networkx as nx
>>> table = bridging_table(nx.florentine_families_graph())
>>> medici = table.loc["Medici"]
>>> int(medici["degree"]), float(medici["betweenness"]), bool(medici["cut_vertex"])
(6, 47.5, True)
>>> round(float(medici["betweenness_normalized"]), 5), table.attrs["betweenness_norm_n"]
(0.52198, 15)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from genera_graph.analytics._bridging_input import GraphLike, _prepare, _Prepared
from genera_graph.analytics._brokerage import (
    BROKERAGE_CONVENTIONS,
    ROLES,
    BrokerageResult,
    brokerage,
)
from genera_graph.analytics._kadabra import kadabra_betweenness
from genera_graph.analytics._keyplayers import (
    KEY_PLAYER_CONVENTIONS,
    distance_fragmentation,
    fragmentation,
    greedy_key_players,
    key_player_impact,
)

__all__ = [
    "CONVENTIONS",
    "ROLES",
    "BrokerageResult",
    "approximate_betweenness",
    "bridging_table",
    "brokerage",
    "distance_fragmentation",
    "fragmentation",
    "greedy_key_players",
    "key_player_impact",
    "local_bridges",
    "participation_coefficient",
]

_BRANDES = "Brandes (2001), J. Math. Sociol. 25(2):163-177"
_BURT = "Burt (1992), Structural Holes, Harvard University Press"
_BORGATTI_ES = "Borgatti (1997), Connections 20(1):35-38"

CONVENTIONS: dict[str, dict[str, str]] = {
    "actor_id": {
        "definition": "the actor's id (index of every table)",
        "convention": "ids as given by the graph (networkx node / igraph vertex 'name')",
        "reference": "docs/DESIGN.md §2",
    },
    "degree": {
        "definition": "number of ties of the actor",
        "convention": "directed graph: in-arcs + out-arcs (networkx's degree); parallel ties "
        "merged, self-loops dropped",
        "reference": "Wasserman & Faust (1994), ch. 4",
    },
    "strength": {
        "definition": "sum of the weights (interaction counts) of the actor's ties",
        "convention": "equals degree when the graph is unweighted",
        "reference": "Barrat et al. (2004), PNAS 101(11):3747-3752",
    },
    "betweenness": {
        "definition": "raw shortest-path betweenness: sum over pairs s != v != t of the share of "
        "s-t geodesics through v",
        "convention": "Brandes' algorithm; undirected: each unordered pair counted once; weighted: "
        "distance = 1 / weight; exact unless the table's attrs say betweenness_exact=False "
        "(estimated from betweenness_samples sources)",
        "reference": _BRANDES,
    },
    "betweenness_normalized": {
        "definition": "betweenness divided by the number of pairs not including the actor",
        "convention": "undirected: raw / ((n-1)(n-2)/2); directed: raw / ((n-1)(n-2)); n is the "
        "column betweenness_norm_n (the graph's actors unless normalized_n is given); 0 if n < 3",
        "reference": "Freeman (1977), Sociometry 40(1):35-41",
    },
    "betweenness_norm_n": {
        "definition": "the n used to normalise betweenness",
        "convention": "number of actors in the graph, or normalized_n when given (e.g. the whole "
        "population including actors missing from this view)",
        "reference": "oracles: Medici 47.5/91 with n=15, 47.5/105 with n=16",
    },
    "constraint": {
        "definition": "Burt's constraint: sum over contacts j of (p_ij + sum_q p_iq p_qj)^2, "
        "p_ij = proportional mutual tie strength",
        "convention": "as networkx/igraph compute it (mutual weight a_ij + a_ji); missing (NA) for "
        "an isolated actor, see structural_holes_status",
        "reference": _BURT,
    },
    "effective_size": {
        "definition": "Burt's effective size: sum over contacts j of (1 - sum_q p_iq m_jq)",
        "convention": "unweighted undirected: Borgatti's n - 2t/n; otherwise Burt's formula with "
        "mutual weights as networkx computes it; missing (NA) for an isolated actor",
        "reference": f"{_BURT}; {_BORGATTI_ES}",
    },
    "isolated": {
        "definition": "the actor has no tie in this graph",
        "convention": "self-loops do not count as ties",
        "reference": "docs/metrics.md §4",
    },
    "structural_holes_status": {
        "definition": "whether constraint and effective size are defined: {codes:holes_status}",
        "convention": "an actor without contact has neither: they are missing, never 0 or a "
        "silent NaN",
        "reference": "docs/metrics.md §4",
    },
    "cut_vertex": {
        "definition": "removing the actor disconnects its component (articulation point)",
        "convention": "computed on undirected ties (a directed graph is collapsed)",
        "reference": "Hopcroft & Tarjan (1973), Commun. ACM 16(6):372-378",
    },
    "local_bridges": {
        "definition": "number of local bridges incident to the actor: ties whose endpoints have "
        "no contact in common (the tie lies on no triangle)",
        "convention": "networkx.local_bridges semantics, on undirected ties",
        "reference": "Granovetter (1973), Am. J. Sociol. 78(6):1360-1380",
    },
    "source": {
        "definition": "one endpoint of a local bridge",
        "convention": "local_bridges(): endpoints in the graph's own edge order",
        "reference": "networkx.local_bridges",
    },
    "target": {
        "definition": "the other endpoint of a local bridge",
        "convention": "",
        "reference": "networkx.local_bridges",
    },
    "span": {
        "definition": "length (number of ties) of the shortest path between the endpoints once "
        "the local bridge is removed",
        "convention": "inf when no other path exists (the tie is a bridge)",
        "reference": "networkx.local_bridges(with_span=True)",
    },
    "participation": {
        "definition": "participation coefficient P_i = 1 - sum_s (k_is / k_i)^2 over communities s",
        "convention": "k_is: ties (or strength) of i to community s; missing (NA) for an isolated "
        "actor, see participation_status",
        "reference": "Guimera & Amaral (2005), Nature 433:895-900",
    },
    "community": {
        "definition": "the community (or Community Point, programme) the actor belongs to",
        "convention": "as given in membership",
        "reference": "Guimera & Amaral (2005), Nature 433:895-900",
    },
    "participation_status": {
        "definition": "whether the participation coefficient is defined: {codes:holes_status}",
        "convention": "",
        "reference": "",
    },
    "betweenness_estimate": {
        "definition": "estimate of raw betweenness from a random sample of source actors",
        "convention": "(n / samples) x betweenness of the paths leaving the sampled sources; "
        "unbiased estimator, not the exact value; or KADABRA: within epsilon x n(n - 1) / 4 of "
        "the exact raw value with probability 1 - delta",
        "reference": "Brandes & Pich (2007), Int. J. Bifurcat. Chaos 17(7):2303-2318; "
        "Borassi & Natale (2016), ESA, LIPIcs 57:20",
    },
    **BROKERAGE_CONVENTIONS,
    **KEY_PLAYER_CONVENTIONS,
}
"""Data dictionary: column -> {"definition", "convention", "reference"}."""


def _nullable(values: np.ndarray, missing: np.ndarray) -> pd.arrays.FloatingArray:
    """Float64 array with pd.NA where ``missing`` (e.g. isolates), never a silent NaN."""
    return pd.arrays.FloatingArray(
        np.where(missing, 0.0, values).astype(np.float64), np.asarray(missing, dtype=bool)
    )


def _int_rows(rows: list[tuple[int, ...]], width: int) -> np.ndarray:
    """A list of int tuples (igraph output) as an (len x width) int64 array, fast."""
    flat = itertools.chain.from_iterable(rows)
    return np.fromiter(flat, dtype=np.int64, count=width * len(rows)).reshape(-1, width)


def _edge_keys(edges: np.ndarray, n: int) -> np.ndarray:
    lo = np.minimum(edges[:, 0], edges[:, 1])
    hi = np.maximum(edges[:, 0], edges[:, 1])
    return lo * n + hi


def _triangle_edges(prep: _Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Triangles of the undirected collapse and the edge ids of their three sides.

    Returns ``tri`` (t x 3 vertex ids, sides u-v, u-w, v-w), ``sides`` (t x 3 edge ids in that
    order) and ``edges`` (m x 2 endpoint array of the collapse).
    """
    und = prep.und
    n = und.vcount()
    edges = _int_rows(und.get_edgelist(), 2)
    tri = _int_rows(und.list_triangles(), 3)
    keys = _edge_keys(edges, n)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    sides = np.empty_like(tri)
    for col, (a, b) in enumerate(((0, 1), (0, 2), (1, 2))):
        k = np.minimum(tri[:, a], tri[:, b]) * n + np.maximum(tri[:, a], tri[:, b])
        sides[:, col] = order[np.searchsorted(sorted_keys, k)]
    return tri, sides, edges


def _effective_size(prep: _Prepared, tri: np.ndarray, sides: np.ndarray, edges: np.ndarray):
    """Burt's effective size on the undirected collapse (networkx's formulas), NaN for isolates."""
    n = prep.und.vcount()
    w = prep.und_weights if prep.und_weights is not None else np.ones(len(edges))
    deg = np.bincount(edges.ravel(), minlength=n).astype(np.float64)
    strength = np.bincount(edges.ravel(), weights=np.repeat(w, 2), minlength=n)
    wmax = np.zeros(n)
    np.maximum.at(wmax, edges[:, 0], w)
    np.maximum.at(wmax, edges[:, 1], w)
    redundancy = np.zeros(n)
    if len(tri):
        w_uv, w_uw, w_vw = w[sides[:, 0]], w[sides[:, 1]], w[sides[:, 2]]
        u, v, x = tri[:, 0], tri[:, 1], tri[:, 2]
        # ego u, contacts v and x: p_ux m_vx + p_uv m_xv, and the same for egos v and x
        np.add.at(redundancy, u, (w_uw * w_vw / wmax[v] + w_uv * w_vw / wmax[x]) / strength[u])
        np.add.at(redundancy, v, (w_vw * w_uw / wmax[u] + w_uv * w_uw / wmax[x]) / strength[v])
        np.add.at(redundancy, x, (w_vw * w_uv / wmax[u] + w_uw * w_uv / wmax[v]) / strength[x])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(deg > 0, deg - redundancy, np.nan)


def _normalisation(n: int, directed: bool) -> float:
    if n < 3:
        return math.nan
    pairs = (n - 1) * (n - 2)
    return float(pairs if directed else pairs / 2)


def _betweenness(
    prep: _Prepared,
    samples: int | None,
    seed: int | np.random.Generator | None,
    epsilon: float | None = None,
    delta: float = 0.1,
) -> tuple[np.ndarray, bool, int | None, float | None]:
    """Raw betweenness: exact (Brandes, igraph), estimated from ``samples`` random sources, or
    KADABRA within ``epsilon`` (normalised) with probability ``1 - delta``.

    Returns the values, whether they are exact, the number of sources used (``None`` for
    KADABRA) and the additive bound on each raw value (``None`` when there is none).
    """
    n = prep.n
    if epsilon is not None:
        if samples is not None:
            raise ValueError("give betweenness samples or epsilon, not both")
        if isinstance(seed, np.random.Generator):
            seed = int(seed.integers(2**31))
        values, bound = kadabra_betweenness(prep, epsilon, delta, seed)
        return values, False, None, bound
    distances = None if prep.weights is None else (1.0 / prep.weights).tolist()
    if samples is not None and samples < 1:
        raise ValueError("samples must be at least 1")
    if samples is None or samples >= n:
        values = prep.graph.betweenness(directed=prep.directed, weights=distances)
        return np.asarray(values, dtype=np.float64), True, n, 0.0
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(n, size=samples, replace=False)).tolist()
    partial = prep.graph.betweenness(directed=prep.directed, weights=distances, sources=sources)
    return np.asarray(partial, dtype=np.float64) * (n / samples), False, samples, None


def bridging_table(
    graph: GraphLike,
    *,
    weight: str | None = None,
    normalized_n: int | None = None,
    betweenness_samples: int | None = None,
    seed: int | np.random.Generator | None = None,
    betweenness_epsilon: float | None = None,
    betweenness_delta: float = 0.1,
) -> pd.DataFrame:
    """Betweenness, structural holes, cut vertices and local bridges of every actor.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (actor ids in vertex attribute ``"name"``).
    weight
        Edge attribute holding interaction counts (strengths), or ``None`` for unweighted ties.
        Betweenness then uses the distance ``1 / weight``; constraint and effective size use the
        weights as strengths.
    normalized_n
        The n used to normalise betweenness, when the population is larger than the graph (e.g.
        actors with no tie in this window that are not in the graph). Defaults to the number of
        actors in the graph; must not be smaller.
    betweenness_samples, seed
        ``None`` (default): exact betweenness. An integer k: betweenness *estimated* from k
        sampled source actors (see :func:`approximate_betweenness`), for region-scale graphs
        where exact betweenness is too slow; ``attrs["betweenness_exact"]`` then says whether
        the column is exact.
    betweenness_epsilon, betweenness_delta
        Instead of samples: KADABRA adaptive sampling (networkit, unweighted undirected graphs),
        every normalised value within ``epsilon`` of the exact one with probability at least
        ``1 - delta``; ``attrs["betweenness_error_bound"]`` is that bound on the raw scale
        (see :func:`approximate_betweenness`). The choice for region-scale graphs: exact
        betweenness is then opt-in.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``actor_id``, one row per actor, columns ``degree``, ``strength``,
        ``betweenness``, ``betweenness_normalized``, ``betweenness_norm_n``, ``constraint``,
        ``effective_size`` (nullable ``Float64``: missing for isolates), ``isolated``,
        ``structural_holes_status`` (``"ok"`` / ``"isolated"``), ``cut_vertex``,
        ``local_bridges``. ``attrs`` records ``weight``, ``directed``, ``betweenness_norm_n``,
        ``betweenness_exact``, ``betweenness_samples``, ``betweenness_method`` (``"brandes"``,
        ``"source_sampling"`` or ``"kadabra"``) and ``betweenness_error_bound`` (0 when exact,
        ``None`` when the estimate has no stated bound).
        :data:`CONVENTIONS` defines every column.

    Raises
    ------
    ValueError
        If ``normalized_n`` is smaller than the number of actors, or a weight is not a finite
        positive number.

    Notes
    -----
    Conventions (docs/metrics.md §3, §4):

    - betweenness is raw Brandes betweenness (igraph), each unordered pair counted once in an
      undirected graph; normalised: undirected raw / ((n-1)(n-2)/2), directed raw / ((n-1)(n-2));
      directed graphs use directed paths;
    - constraint and effective size are those of networkx and igraph (mutual weights
      a_ij + a_ji; Borgatti's n - 2t/n for unweighted undirected effective size); an isolated
      actor has neither: it is flagged ``isolated`` with status ``"isolated"`` and the values are
      missing (``pd.NA``), never 0 and never a silent NaN;
    - structural holes, cut vertices and local bridges use undirected ties (a directed graph is
      collapsed, arc weights summed);
    - weighted path lengths are compared with igraph's tolerance, so paths of equal length in
      exact arithmetic (1/2 + 1/2 and 1/1) are tied; networkx with float distances can split
      such ties by rounding, networkx with exact fractions agrees with this table;
    - networkx returns NaN constraint and effective size for an actor of a directed graph whose
      ties are all incoming (it looks at successors only); here they are defined.

    Complexity: exact betweenness dominates, O(n m) unweighted and O(n m + n^2 log n) weighted
    (igraph, C); the rest is O(m + triangles). For 1,000 actors and 20,000 ties about 0.25 s
    unweighted, of which 0.2 s is igraph's exact betweenness, and about 0.4 s weighted; with
    ``betweenness_samples=k`` the betweenness part costs k / n of that, as an estimate (see
    ``benchmarks/bench_bridging.py``).

    References
    ----------
    Brandes (2001), J. Math. Sociol. 25(2); Burt (1992), Structural Holes; Borgatti (1997),
    Connections 20(1); Granovetter (1973), Am. J. Sociol. 78(6).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.florentine_families_graph()
    >>> g.add_node("Pucci")
    >>> table = bridging_table(g)
    >>> bool(table.loc["Pucci", "isolated"]), table.loc["Pucci", "structural_holes_status"]
    (True, 'isolated')
    >>> table.loc["Pucci", "constraint"] is pd.NA
    True
    >>> round(float(table.loc["Medici", "betweenness_normalized"]), 5)  # 47.5 / 105, n = 16
    0.45238
    """
    prep = _prepare(graph, weight)
    n = prep.n
    if normalized_n is None:
        norm_n = n
    else:
        norm_n = int(normalized_n)
        if norm_n < n:
            raise ValueError(f"normalized_n={norm_n} is smaller than the {n} actors in the graph")
    g = prep.graph
    btw, exact, samples, bound = _betweenness(
        prep, betweenness_samples, seed, betweenness_epsilon, betweenness_delta
    )
    scale = _normalisation(norm_n, prep.directed)
    btw_norm = btw / scale if not math.isnan(scale) else np.zeros(n)

    degree = np.asarray(g.degree(), dtype=np.int64)
    if prep.weights is None:
        strength = degree.astype(np.float64)
    else:
        strength = np.asarray(g.strength(weights=prep.weights.tolist()), dtype=np.float64)

    tri, sides, edges = _triangle_edges(prep)
    und_w = None if prep.und_weights is None else prep.und_weights.tolist()
    constraint = np.asarray(prep.und.constraint(weights=und_w), dtype=np.float64)
    eff = _effective_size(prep, tri, sides, edges)
    isolated = np.asarray(prep.und.degree(), dtype=np.int64) == 0

    cut = np.zeros(n, dtype=bool)
    cut[prep.und.articulation_points()] = True
    in_triangle = np.zeros(len(edges), dtype=bool)
    in_triangle[sides.ravel()] = True
    local = np.bincount(edges[~in_triangle].ravel(), minlength=n).astype(np.int64)

    index = pd.Index(prep.names, name="actor_id")
    table = pd.DataFrame(
        {
            "degree": degree,
            "strength": strength,
            "betweenness": btw,
            "betweenness_normalized": btw_norm,
            "betweenness_norm_n": np.full(n, norm_n, dtype=np.int64),
            "constraint": _nullable(constraint, isolated),
            "effective_size": _nullable(eff, isolated),
            "isolated": isolated,
            "structural_holes_status": pd.array(
                np.where(isolated, "isolated", "ok"), dtype="string"
            ),
            "cut_vertex": cut,
            "local_bridges": local,
        },
        index=index,
    )
    table.attrs = {
        "weight": weight,
        "directed": prep.directed,
        "betweenness_norm_n": norm_n,
        "betweenness_exact": exact,
        "betweenness_samples": samples,
        "betweenness_method": _method(exact, betweenness_epsilon),
        "betweenness_error_bound": bound,
    }
    return table


def _method(exact: bool, epsilon: float | None) -> str:
    if exact:
        return "brandes"
    return "kadabra" if epsilon is not None else "source_sampling"


def local_bridges(graph: GraphLike) -> pd.DataFrame:
    """Ties whose endpoints share no contact, with their span.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (a directed graph is collapsed to undirected
        ties; weights are ignored).

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target`` (actor ids, in the graph's edge order) and ``span``: the
        number of ties on the shortest path between the endpoints once the tie is removed,
        ``inf`` if there is none (the tie is a bridge). Default integer index.

    Notes
    -----
    Same semantics as ``networkx.local_bridges(G, with_span=True, weight=None)``: a tie is a local
    bridge when it lies on no triangle. Spans of global bridges are ``inf`` straight away; each
    other local bridge costs one shortest-path search, so the cost is O(L (n + m)) for L local
    bridges that are not bridges.

    Examples
    --------
    >>> import networkx as nx
    >>> bridges = local_bridges(nx.cycle_graph(5))
    >>> len(bridges), bridges["span"].tolist()
    (5, [4.0, 4.0, 4.0, 4.0, 4.0])
    """
    prep = _prepare(graph, None)
    tri, sides, edges = _triangle_edges(prep)
    in_triangle = np.zeros(len(edges), dtype=bool)
    in_triangle[sides.ravel()] = True
    local_ids = np.flatnonzero(~in_triangle)
    span = np.full(len(local_ids), np.inf)
    is_bridge = np.zeros(len(edges), dtype=bool)
    is_bridge[prep.und.bridges()] = True
    hop = np.ones(len(edges))
    for pos, e in enumerate(local_ids):
        if is_bridge[e]:
            continue
        hop[e] = np.inf  # igraph ignores an edge of infinite length
        u, v = edges[e]
        span[pos] = prep.und.distances(int(u), int(v), weights=hop)[0][0]
        hop[e] = 1.0
    names = np.asarray(prep.names, dtype=object)
    return pd.DataFrame(
        {
            "source": names[edges[local_ids, 0]],
            "target": names[edges[local_ids, 1]],
            "span": span,
        }
    )


def participation_coefficient(
    graph: GraphLike, membership: Mapping[Hashable, Hashable], *, weight: str | None = None
) -> pd.DataFrame:
    """Guimerà–Amaral participation coefficient of every actor.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph (a directed graph is collapsed to undirected ties).
    membership
        Community (or Community Point, programme) of every actor: ``{actor_id: community}``.
    weight
        Edge attribute with interaction counts; when given, k_i and k_is are strengths.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``actor_id``: ``community``, ``degree`` (number of contacts), ``strength``
        (sum of the weights; equals degree when unweighted), ``participation`` (nullable
        ``Float64``, missing for isolates; from strengths when weighted), ``isolated`` and
        ``participation_status`` (``"ok"`` / ``"isolated"``).

    Raises
    ------
    ValueError
        If an actor of the graph has no community in ``membership``.

    Notes
    -----
    P_i = 1 - sum_s (k_is / k_i)^2: 0 when all of i's ties stay in one community, close to 1 when
    they are spread evenly over many. Undefined for an isolate (k_i = 0): reported as isolated.
    O(n + m).

    References
    ----------
    Guimerà & Amaral (2005), Functional cartography of complex metabolic networks, Nature 433.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> table = participation_coefficient(g, {"a": 1, "b": 1, "c": 2})
    >>> table["participation"].tolist()
    [0.0, 0.5, 0.0]
    """
    prep = _prepare(graph, weight)
    missing = [name for name in prep.names if name not in membership]
    if missing:
        raise ValueError(
            f"{len(missing)} actors have no community in membership, e.g. {missing[:5]!r}"
        )
    communities = [membership[name] for name in prep.names]
    codes, _ = pd.factorize(pd.Series(communities, dtype=object))
    n = prep.n
    n_comm = int(codes.max()) + 1 if n else 0
    edges = _int_rows(prep.und.get_edgelist(), 2)
    degree = np.bincount(edges.ravel(), minlength=n).astype(np.int64)
    w = prep.und_weights if (weight is not None and prep.und_weights is not None) else None
    if w is None:
        w = np.ones(len(edges))
    k_is = np.zeros((n, max(n_comm, 1)))
    np.add.at(k_is, (edges[:, 0], codes[edges[:, 1]]), w)
    np.add.at(k_is, (edges[:, 1], codes[edges[:, 0]]), w)
    k_i = k_is.sum(axis=1)
    isolated = k_i == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 1.0 - ((k_is / k_i[:, None]) ** 2).sum(axis=1)
    p = np.clip(p, 0.0, 1.0)
    return pd.DataFrame(
        {
            "community": pd.Series(communities, dtype=object).to_numpy(),
            "degree": degree,
            "strength": k_i,
            "participation": _nullable(p, isolated),
            "isolated": isolated,
            "participation_status": pd.array(np.where(isolated, "isolated", "ok"), dtype="string"),
        },
        index=pd.Index(prep.names, name="actor_id"),
    )


def approximate_betweenness(
    graph: GraphLike,
    *,
    samples: int | None = None,
    seed: int | np.random.Generator | None = None,
    weight: str | None = None,
    epsilon: float | None = None,
    delta: float = 0.1,
) -> pd.Series:
    """Estimate raw betweenness from a random sample of source actors, or within a bound.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph.
    samples
        Number of source actors drawn without replacement; at least 1. With ``samples >= n`` the
        result is the exact betweenness.
    epsilon, delta
        Instead of ``samples``: KADABRA (Borassi & Natale 2016, networkit's parallel
        implementation) on an unweighted undirected graph: with probability at least
        ``1 - delta`` **every** actor's estimate is within ``epsilon * n (n - 1) / 4`` of its
        exact raw betweenness (``attrs["error_bound"]``; networkit's own scale, see
        :mod:`genera_graph.analytics._kadabra`).
    seed
        Seed or numpy Generator for the draw.
    weight
        Edge attribute with interaction counts; distances are ``1 / weight``.

    Returns
    -------
    pandas.Series
        ``betweenness_estimate`` indexed by ``actor_id``, on the scale of the raw betweenness of
        :func:`bridging_table`; ``attrs`` records ``samples``, ``n``, ``exact``, ``method`` and
        ``error_bound`` (raw scale; ``None`` for source sampling, which states none).

    Notes
    -----
    This is an **estimator**, not the exact value: shortest paths are explored from k sampled
    sources only (igraph's subset betweenness with ``sources=``) and the result is scaled by
    n / k. Each source's dependency sum is counted with probability k / n, so the estimate is
    unbiased (Brandes & Pich 2007, "random pivots"; networkx's ``betweenness_centrality(k=...)``
    is the same estimator). Its error shrinks like 1 / sqrt(k); actors with high betweenness are
    ranked well long before their values are exact. Cost O(k m) unweighted instead of O(n m).

    KADABRA samples shortest paths between random connected pairs, adaptively, and stops as
    soon as its bound holds: at most ``(log(D - 2) + log(2 / delta)) / epsilon**2`` paths for
    vertex diameter ``D``, each found by a balanced bidirectional BFS, so its cost hardly grows
    with n. On the sample district (``at`` views, 1.1k-1.4k actors) ``epsilon=0.01`` puts 94-98 %
    of the exact top 50 in its top 50 (``benchmarks/bench_region.py``).

    References
    ----------
    Brandes & Pich (2007), Centrality estimation in large networks, Int. J. Bifurcat. Chaos 17(7).
    Borassi & Natale (2016), KADABRA is an ADaptive Algorithm for Betweenness via Random
    Approximation, ESA 2016, LIPIcs 57:20.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.florentine_families_graph()
    >>> est = approximate_betweenness(g, samples=15, seed=1)  # all sources: exact
    >>> float(est["Medici"]), est.attrs["exact"]
    (47.5, True)
    """
    if samples is None and epsilon is None:
        raise ValueError("give samples or epsilon")
    if samples is not None and samples < 1:
        raise ValueError("samples must be at least 1")
    prep = _prepare(graph, weight)
    n = prep.n
    values, exact, used, bound = _betweenness(prep, samples, seed, epsilon, delta)
    out = pd.Series(
        values, index=pd.Index(prep.names, name="actor_id"), name="betweenness_estimate"
    )
    out.attrs = {"samples": used, "n": n, "exact": exact, "method": _method(exact, epsilon),
                 "error_bound": bound}
    return out
