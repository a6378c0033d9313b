"""Communities: Leiden (modularity objective) with a seed, and their history across windows.

:func:`leiden` partitions one graph (a :class:`~genera_graph.temporal.View`, an igraph or a
networkx graph) and returns a :class:`CommunityResult` that records its method and parameters.
:func:`community_history` partitions a sequence of windows and matches the communities of
consecutive windows by the Jaccard similarity of their actor sets, labelling births, deaths,
growth, shrinking, continuation, merges and splits.

Examples
--------
>>> import networkx as nx
>>> result = leiden(nx.karate_club_graph(), weights=None, seed=1)
>>> result.method, result.n_communities, result.modularity >= 0.40
('leiden', 4, True)
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from genera_graph.model.config import DEFAULT_CONFIG
from genera_graph.temporal import DateLike, TemporalGraph, View

if TYPE_CHECKING:
    import igraph

__all__ = [
    "EVENTS",
    "STABLE_LEIDEN_VERTICES",
    "CommunityHistory",
    "CommunityResult",
    "community_history",
    "leiden",
]

#: above this many vertices :func:`leiden` runs 2 iterations by default, not until stable
STABLE_LEIDEN_VERTICES = 20_000

#: community life-cycle events, in the order they are checked
EVENTS = ("birth", "merge", "split", "growth", "shrink", "continue", "death")


@dataclass(frozen=True, eq=False)
class CommunityResult:
    """A partition of a graph's actors, with the method and parameters that produced it.

    Attributes
    ----------
    method : str
        ``"leiden"``.
    parameters : Mapping
        ``objective_function``, ``resolution``, ``seed``, ``n_iterations``, ``beta``,
        ``weights`` (the edge attribute used, or ``None``).
    membership : pandas.DataFrame
        ``actor_id`` -> ``community`` (0 is the largest community; ties in size go to the
        community holding the earliest vertex).
    modularity : float
        Newman's modularity Q of the partition (resolution 1, with the weights used), whatever
        resolution the search used.
    """

    method: str
    parameters: Mapping[str, Any]
    membership: pd.DataFrame = field(repr=False)
    modularity: float

    @property
    def n_communities(self) -> int:
        """Number of communities."""
        return int(self.membership["community"].nunique())

    def communities(self) -> list[set[Any]]:
        """The communities as sets of actor ids, largest first."""
        grouped = self.membership.groupby("community", sort=True)["actor_id"]
        return [set(members) for _, members in grouped]


def leiden(
    graph: View | igraph.Graph | Any,
    *,
    resolution: float = 1.0,
    seed: int | None = None,
    weights: str | None = "weight",
    n_iterations: int | None = None,
    beta: float = 0.01,
) -> CommunityResult:
    """Leiden communities with the modularity objective.

    Parameters
    ----------
    graph : View, igraph.Graph or networkx.Graph
        The graph. Vertex names (igraph ``name``, networkx node) become ``actor_id``.
        A directed graph is made undirected first (weights of reciprocal ties summed).
    resolution : float
        Modularity resolution :math:`\\gamma` (1: Newman's modularity).
    seed : int, optional
        Seed of igraph's random number generator for this call: the same seed gives the same
        partition. ``None`` uses ``AnalysisConfig.seed`` (42).
    weights : str or None
        Edge attribute holding the weights; ``None`` or an absent attribute: unweighted.
    n_iterations : int, optional
        Leiden iterations; negative: iterate until the partition is stable. ``None`` (the
        default): until stable on graphs of up to :data:`STABLE_LEIDEN_VERTICES` vertices,
        igraph's own default of 2 iterations above (on the 91k-actor region at one date the
        extra iterations took 10.4 s against 3.3 s and moved Q from 0.98075 to 0.98078;
        igraph draws its random numbers through Python, which makes every pass costly).
    beta : float
        Randomness of the refinement step.

    Returns
    -------
    CommunityResult

    Notes
    -----
    Calls ``igraph.Graph.community_leiden(objective_function="modularity", ...)``; igraph's
    random number generator is set to ``random.Random(seed)`` for the call and restored to the
    ``random`` module afterwards. Leiden is a heuristic: its Q is a lower bound on the optimum.
    Time roughly :math:`O(m)` per iteration.

    References
    ----------
    V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing
    well-connected communities", Scientific Reports 9, 5233 (2019).

    Examples
    --------
    >>> import networkx as nx
    >>> a = leiden(nx.florentine_families_graph(), seed=3)
    >>> b = leiden(nx.florentine_families_graph(), seed=3)
    >>> a.membership.equals(b.membership) and a.modularity > 0
    True
    """
    import igraph as ig

    g = _as_igraph(graph)
    if g.is_directed():
        g = g.copy()
        g.to_undirected(mode="collapse", combine_edges={"weight": "sum"})
    w = weights if weights is not None and weights in g.es.attributes() else None
    seed = DEFAULT_CONFIG.seed if seed is None else int(seed)
    if n_iterations is None:
        n_iterations = -1 if g.vcount() <= STABLE_LEIDEN_VERTICES else 2
    ig.set_random_number_generator(random.Random(seed))
    try:
        clustering = g.community_leiden(
            objective_function="modularity",
            weights=w,
            resolution=resolution,
            beta=beta,
            n_iterations=n_iterations,
        )
    finally:
        ig.set_random_number_generator(random)
    membership = _canonical(np.asarray(clustering.membership, dtype=np.int64))
    names = g.vs["name"] if "name" in g.vs.attributes() else list(range(g.vcount()))
    modularity = g.modularity(membership.tolist(), weights=w) if g.ecount() else float("nan")
    return CommunityResult(
        method="leiden",
        parameters={
            "objective_function": "modularity",
            "resolution": float(resolution),
            "seed": seed,
            "n_iterations": int(n_iterations),
            "beta": float(beta),
            "weights": w,
        },
        membership=pd.DataFrame({"actor_id": names, "community": membership}),
        modularity=float(modularity),
    )


@dataclass(frozen=True, eq=False)
class CommunityHistory:
    """Communities of a sequence of windows and their life-cycle events.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per link between windows: ``window_start``, ``window_end`` (of the window where
        the event is seen), ``event`` (see :data:`EVENTS`), ``community`` (its label in this
        window; missing for a death), ``from_community`` (label in the previous window; missing
        for a birth), ``to_community``, ``jaccard`` (of the two actor sets; missing for a birth
        or a death) and ``size`` (actors in the community, or in the dying one).
    memberships : pandas.DataFrame
        ``window_start``, ``window_end``, ``actor_id``, ``community``.
    results : tuple of CommunityResult
        The partition of each window.
    parameters : Mapping
        ``threshold``, ``min_size`` and the Leiden parameters.
    """

    events: pd.DataFrame
    memberships: pd.DataFrame = field(repr=False)
    results: tuple[CommunityResult, ...] = field(repr=False)
    parameters: Mapping[str, Any]


def community_history(
    tg: TemporalGraph,
    windows: Sequence[View | tuple[DateLike, DateLike]],
    *,
    threshold: float = 0.3,
    min_size: int = 2,
    resolution: float = 1.0,
    seed: int | None = None,
    weights: str | None = "weight",
    **view_options: Any,
) -> CommunityHistory:
    """Match the communities of consecutive windows and label their life cycle.

    Parameters
    ----------
    tg : TemporalGraph
        The event log.
    windows : sequence of View or (start, end) pairs
        The windows, in time order; a pair is turned into ``tg.window(start, end,
        **view_options)``.
    threshold : float
        Two communities of consecutive windows are matched when the Jaccard similarity of their
        actor sets is at least this (0.3 is the customary value, Greene et al. 2010).
    min_size : int
        Communities smaller than this are ignored (neither born nor matched).
    resolution, seed, weights
        Passed to :func:`leiden` for every window (the same seed each time).
    **view_options
        Options of :meth:`TemporalGraph.window` (``level``, ``include_coparticipation``, ...).

    Returns
    -------
    CommunityHistory

    Notes
    -----
    For a community ``B`` of window ``k`` with predecessors ``P(B)`` (communities of window
    ``k - 1`` matched to it) and a community ``A`` of window ``k - 1`` with successors ``S(A)``:
    ``birth`` if ``P(B)`` is empty; ``merge`` (one row per predecessor) if ``|P(B)| >= 2``;
    ``split`` if ``P(B) = {A}`` and ``|S(A)| >= 2``; otherwise ``growth``, ``shrink`` or
    ``continue`` as ``|B|`` is larger than, smaller than or equal to ``|A|``; ``death`` for an
    ``A`` with no successor. Every community of the first window is a birth.

    References
    ----------
    D. Greene, D. Doyle, P. Cunningham, "Tracking the evolution of communities in dynamic
    social networks", ASONAM 2010.

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> history = community_history(tg, [("2016-06-01", "2016-07-01"),
    ...     ("2016-07-01", "2016-10-01")], include_coparticipation=True)
    >>> sorted(set(history.events["event"]))
    ['birth', 'death']
    """
    results: list[CommunityResult] = []
    frames: list[pd.DataFrame] = []
    bounds: list[tuple[Any, Any]] = []
    for item in windows:
        view = item if isinstance(item, View) else tg.window(item[0], item[1], **view_options)
        result = leiden(view, resolution=resolution, seed=seed, weights=weights)
        results.append(result)
        start = pd.Timestamp(view.start) if view.start is not None else pd.NaT
        end = pd.Timestamp(view.end) if view.end is not None else pd.Timestamp(view.t)
        bounds.append((start, end))
        sizes = result.membership["community"].map(result.membership["community"].value_counts())
        frames.append(result.membership[sizes.to_numpy() >= min_size])

    rows: list[dict[str, Any]] = []
    previous: pd.DataFrame | None = None
    for (start, end), current in zip(bounds, frames, strict=True):
        rows.extend(_link(previous, current, threshold, start, end))
        previous = current
    events = pd.DataFrame(
        rows,
        columns=["window_start", "window_end", "event", "community", "from_community",
                 "to_community", "jaccard", "size"],
    )
    for col in ("community", "from_community", "to_community", "size"):
        events[col] = events[col].astype("Int64")
    events["jaccard"] = events["jaccard"].astype(float)
    for col in ("window_start", "window_end"):
        events[col] = pd.to_datetime(events[col])
    memberships = pd.concat(
        [
            r.membership.assign(window_start=s, window_end=e)
            for r, (s, e) in zip(results, bounds, strict=True)
        ],
        ignore_index=True,
    ) if results else pd.DataFrame(columns=["window_start", "window_end", "actor_id", "community"])
    memberships = memberships[["window_start", "window_end", "actor_id", "community"]]
    seed_used = DEFAULT_CONFIG.seed if seed is None else int(seed)
    return CommunityHistory(
        events=events,
        memberships=memberships,
        results=tuple(results),
        parameters={"threshold": threshold, "min_size": min_size, "resolution": resolution,
                    "seed": seed_used, "weights": weights, **view_options},
    )


# ---------------------------------------------------------------------- internals
def _as_igraph(graph: Any) -> igraph.Graph:
    import igraph as ig

    if isinstance(graph, View):
        return graph.igraph()
    if isinstance(graph, ig.Graph):
        return graph
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover - networkx is a dependency
        nx = None
    if nx is not None and isinstance(graph, nx.Graph):
        g = ig.Graph.from_networkx(graph)
        g.vs["name"] = g.vs["_nx_name"]
        return g
    raise TypeError(f"expected a View, an igraph or a networkx graph, got {type(graph).__name__}")


def _canonical(membership: np.ndarray) -> np.ndarray:
    """Relabel communities 0.. by decreasing size, ties by their first vertex."""
    if len(membership) == 0:
        return membership
    labels, first, counts = np.unique(membership, return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    new = np.empty(len(labels), np.int64)
    new[order] = np.arange(len(labels))
    return new[np.searchsorted(labels, membership)]


def _link(
    previous: pd.DataFrame | None,
    current: pd.DataFrame,
    threshold: float,
    start: Any,
    end: Any,
) -> list[dict[str, Any]]:
    base = {"window_start": start, "window_end": end}
    cur_size = current["community"].value_counts()
    if previous is None or previous.empty:
        return [
            {**base, "event": "birth", "community": c, "from_community": None, "to_community": c,
             "jaccard": None, "size": int(cur_size[c])}
            for c in sorted(cur_size.index)
        ]
    prev_size = previous["community"].value_counts()
    overlap = (
        previous.merge(current, on="actor_id", suffixes=("_a", "_b"))
        .groupby(["community_a", "community_b"])
        .size()
        .rename("shared")
        .reset_index()
    )
    overlap["jaccard"] = overlap["shared"] / (
        overlap["community_a"].map(prev_size).to_numpy()
        + overlap["community_b"].map(cur_size).to_numpy()
        - overlap["shared"]
    )
    matched = overlap[overlap["jaccard"] >= threshold]
    preds = matched.groupby("community_b")["community_a"].apply(list).to_dict()
    succs = matched.groupby("community_a")["community_b"].apply(list).to_dict()
    jac = {(a, b): j for a, b, j in matched[["community_a", "community_b", "jaccard"]]
           .itertuples(index=False)}
    rows = []
    for b in sorted(cur_size.index):
        size = int(cur_size[b])
        parents = sorted(preds.get(b, []))
        if not parents:
            rows.append({**base, "event": "birth", "community": b, "from_community": None,
                         "to_community": b, "jaccard": None, "size": size})
            continue
        if len(parents) >= 2:
            event = "merge"
        elif len(succs.get(parents[0], [])) >= 2:
            event = "split"
        else:
            before = int(prev_size[parents[0]])
            event = "growth" if size > before else "shrink" if size < before else "continue"
        rows.extend(
            {**base, "event": event, "community": b, "from_community": a, "to_community": b,
             "jaccard": float(jac[(a, b)]), "size": size}
            for a in parents
        )
    for a in sorted(prev_size.index):
        if a not in succs:
            rows.append({**base, "event": "death", "community": None, "from_community": a,
                         "to_community": None, "jaccard": None, "size": int(prev_size[a])})
    return rows

