"""A graph view: the ties of an event log selected by a :class:`ViewSpec`, built lazily.

A :class:`View` is an edge table plus a vertex table, derived from the
:class:`~genera_graph.temporal.TemporalGraph` that made it; it gives an igraph graph for
computation and a networkx graph on demand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from genera_graph.temporal._dates import day_to_date, days_to_datetime64
from genera_graph.temporal._edges import (
    direct_events,
    edge_arrays,
    endpoints,
    in_view,
    vertex_index,
)
from genera_graph.temporal._log import EVENT_KINDS, NATURES, PROGRAMMES, EventLog
from genera_graph.temporal._spec import ViewSpec

if TYPE_CHECKING:
    from datetime import date

    import igraph
    import networkx

__all__ = ["GraphSource", "View", "ViewSpec"]


class GraphSource(Protocol):
    """What a view reads from its graph (a :class:`~genera_graph.temporal.TemporalGraph`)."""

    log: EventLog
    actors: pd.DataFrame
    actor_columns: dict[str, np.ndarray]

    @property
    def n_actors(self) -> int: ...


class View:
    """A graph derived from the event log by a :class:`ViewSpec` (built lazily, cached).

    Attributes
    ----------
    spec : ViewSpec
        Its parameters.
    edges : pandas.DataFrame
        One row per tie: ``source``, ``target`` (actor ids; for an undirected view the actor
        with the smaller index first), ``weight`` (number of events, or their decayed or Newman
        weight), ``n_peer``, ``n_professional``, ``n_institutional`` (weight by nature) and
        ``nature``. **Nature rule**: the nature with the largest weight; a tie between natures
        goes to the more formal one (institutional, then professional), so that a pair is
        counted as peer only when peer events are the majority.
    vertices : pandas.DataFrame
        ``actor_id``, ``kind``, ``community_point_id`` (the actor's own).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> v = tg.window("2016-06-01", "2016-07-01", level="household", vertices="met")
    >>> v.vertices["actor_id"].tolist()
    ['H001', 'H002', 'F001', 'O001', 'CP1']
    >>> g = v.networkx()
    >>> sorted(g.edges("H002"))
    [('H002', 'H001')]
    """

    def __init__(self, tg: GraphSource, spec: ViewSpec) -> None:
        self.tg = tg
        self.spec = spec
        self._edges: pd.DataFrame | None = None
        self._vertex_index: np.ndarray | None = None
        self._edge_arrays: dict[str, np.ndarray] | None = None
        self._igraph: igraph.Graph | None = None

    # dates ------------------------------------------------------------------------
    @property
    def start(self) -> date | None:
        """First day of a window view (``None``: open; for ``at``: ``None``)."""
        return None if self.spec.start is None else day_to_date(self.spec.start)

    @property
    def end(self) -> date | None:
        """First day after a window view (for ``at``: ``None``)."""
        return None if self.spec.end is None else day_to_date(self.spec.end)

    @property
    def t(self) -> date | None:
        """The day of an ``at`` view."""
        return None if self.spec.t is None else day_to_date(self.spec.t)

    # tables ------------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        if self._edge_arrays is None:
            self._edge_arrays = edge_arrays(self.tg.log, self.spec)
        return self._edge_arrays

    @property
    def edges(self) -> pd.DataFrame:
        if self._edges is None:
            a = self._arrays()
            ids = self.tg.log.actor_ids
            self._edges = pd.DataFrame(
                {
                    "source": np.asarray(ids, dtype=object)[a["u"]],
                    "target": np.asarray(ids, dtype=object)[a["v"]],
                    "weight": a["weight"],
                    "n_peer": a["n_peer"],
                    "n_professional": a["n_professional"],
                    "n_institutional": a["n_institutional"],
                    "nature": a["nature"],
                }
            )
        return self._edges.copy()

    def edge_index(self) -> tuple[np.ndarray, np.ndarray]:
        """Actor indices ``(u, v)`` of the ties, in the order of :attr:`edges`.

        For an undirected view ``u < v``, so ``u * n_actors + v`` identifies a pair.
        """
        a = self._arrays()
        return a["u"], a["v"]

    def tie_arrays(self) -> dict[str, np.ndarray]:
        """The ties as aligned arrays, in the order of :attr:`edges` (do not modify them).

        ``u``, ``v`` (actor indices, ``u < v`` when undirected), ``weight``, ``n_peer``,
        ``n_professional``, ``n_institutional`` and ``nature`` (names): the columnar form of
        :attr:`edges`, for analytics that count per actor with ``bincount``.
        """
        return dict(self._arrays())

    def tie_events(self) -> pd.DataFrame:
        """The interactions and relations behind the view's direct ties, one row per event.

        Columns: ``source``, ``target`` (actor ids at the view's level), ``event_kind``
        (``"interaction"`` or ``"relation"``), ``start``, ``end`` (``datetime64``; an
        interaction has ``end == start``; an open relation ends on the log's open end),
        ``nature``, ``programme``, ``community_point_id``. Co-participation ties are
        projections, not events: they are not listed. Used for dynamic exports (spells and
        timestamps).

        Examples
        --------
        >>> from genera_graph.temporal import TemporalGraph
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> ds = toy_dataset()
        >>> tg = TemporalGraph.from_dataset(ds)
        >>> events = tg.window("2016-06-01", "2016-07-01").tie_events()
        >>> june = ds.interactions["date"].dt.month == 6
        >>> len(events) == june.sum() and set(events["event_kind"]) == {"interaction"}
        True
        """
        spec, log = self.spec, self.tg.log
        idx = direct_events(log, spec, in_view(log, spec))
        src, tgt = endpoints(log, spec)
        ids = np.asarray(log.actor_ids, dtype=object)
        cp = np.asarray(list(log.cp_ids) + [None], dtype=object)
        return pd.DataFrame(
            {
                "source": ids[src[idx]],
                "target": ids[tgt[idx]],
                "event_kind": np.asarray(EVENT_KINDS, dtype=object)[log.kind[idx]],
                "start": days_to_datetime64(log.day[idx]),
                "end": days_to_datetime64(log.end[idx]),
                "nature": np.asarray(NATURES, dtype=object)[log.nature[idx]],
                "programme": np.asarray(PROGRAMMES, dtype=object)[log.programme[idx]],
                "community_point_id": cp[log.cp[idx]],
            }
        )

    def vertex_index(self) -> np.ndarray:
        """Actor indices of the vertices, increasing (vertex ``i`` of :meth:`igraph`)."""
        if self._vertex_index is None:
            self._vertex_index = vertex_index(self.tg.log, self.spec, self._arrays())
        return self._vertex_index

    @property
    def vertices(self) -> pd.DataFrame:
        idx = self.vertex_index()
        cols = self.tg.actor_columns
        return pd.DataFrame({name: cols[name][idx] for name in cols})

    # graphs ------------------------------------------------------------------------
    def igraph(self) -> igraph.Graph:
        """The view as an :class:`igraph.Graph` (built once, then cached: do not modify it).

        Vertex attributes ``name`` (actor id), ``kind``, ``community_point_id``; edge
        attributes ``weight``, ``nature``, ``n_peer``, ``n_professional``, ``n_institutional``.
        """
        if self._igraph is None:
            import igraph as ig

            a = self._arrays()
            vidx = self.vertex_index()
            pos = np.full(self.tg.n_actors, -1, np.int64)
            pos[vidx] = np.arange(len(vidx))
            cols = self.tg.actor_columns
            # pairs as tuples: a nested ``tolist`` allocates lists that trigger the collector
            edges = list(zip(pos[a["u"]].tolist(), pos[a["v"]].tolist(), strict=True))
            self._igraph = ig.Graph(
                n=len(vidx),
                edges=edges,
                directed=self.spec.directed,
                vertex_attrs={
                    "name": cols["actor_id"][vidx].tolist(),
                    "kind": cols["kind"][vidx].tolist(),
                    "community_point_id": cols["community_point_id"][vidx].tolist(),
                },
                edge_attrs={
                    col: a[col].tolist()
                    for col in ("weight", "nature", "n_peer", "n_professional", "n_institutional")
                },
            )
        return self._igraph

    def networkx(self) -> networkx.Graph:
        """The view as a (new) networkx ``Graph`` or ``DiGraph`` keyed by actor id."""
        import networkx as nx

        g = nx.DiGraph() if self.spec.directed else nx.Graph()
        for row in self.vertices.itertuples(index=False):
            g.add_node(row.actor_id, kind=row.kind, community_point_id=row.community_point_id)
        e = self.edges
        g.add_edges_from(
            (r.source, r.target, {"weight": r.weight, "nature": r.nature, "n_peer": r.n_peer,
                                  "n_professional": r.n_professional,
                                  "n_institutional": r.n_institutional})
            for r in e.itertuples(index=False)
        )
        return g

    def __repr__(self) -> str:
        s = self.spec
        when = f"at {self.t}" if s.mode == "at" else f"[{self.start}, {self.end})"
        return f"View({when}, level={s.level}, {len(self._arrays()['u'])} ties)"
