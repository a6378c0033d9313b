"""The network tables of the access object: tie events, the map's window (nodes and ties,
fixed positions), an actor's personal network, ties by nature and timeline.

:class:`NetworkTables` is a part of :class:`dash_app.data.DataAccess` (it reads ``dataset``,
``actors``, ``months`` and ``config`` from it).

Examples
--------
>>> from genera_graph.model import Dataset
>>> from dash_app.data import DataAccess
>>> len(DataAccess(Dataset.empty()).tie_events())
0
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dash_app.data.cache import cached
from dash_app.data.layout import fixed_positions
from genera_graph.temporal import TemporalGraph, View

__all__ = ["EDGE_COLUMNS", "NetworkTables"]

#: the columns of an edge table (one row per pair of units)
EDGE_COLUMNS = ["a", "b", "weight", "peer", "professional", "institutional", "nature"]
_EDGE_COLUMNS = EDGE_COLUMNS


def _empty_edges() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=float) for c in _EDGE_COLUMNS})
    for c in ("a", "b", "nature"):
        frame[c] = pd.Series([], dtype=object)
    return frame


def _degrees(edges: pd.DataFrame) -> pd.DataFrame:
    """Per unit of an edge table: ``size`` (its pairs: the degree) and ``sum`` (their
    events: the strength)."""
    ends = pd.concat([edges[["a", "weight"]].rename(columns={"a": "id"}),
                      edges[["b", "weight"]].rename(columns={"b": "id"})])
    return ends.groupby("id")["weight"].agg(["size", "sum"])


class NetworkTables:
    """Tie events, map windows, positions and one actor's network (cached per arguments)."""

    # ----------------------------------------------------------------- ties
    @cached
    def tie_events(self) -> pd.DataFrame:
        """Every tie event between map units, once.

        Columns ``a``, ``b`` (unit ids, ``a < b``), ``start``, ``end`` (inclusive day; an
        instantaneous event ends the day it happens, an open relation at the end of the log),
        ``nature``, ``programme``, ``cp`` and ``weight`` (1 per event): the interactions and
        relations of the household-level view of the whole log
        (:meth:`genera_graph.temporal.View.tie_events`), ties inside a household left out.
        """
        tg = self.temporal()
        columns = ["a", "b", "start", "end", "nature", "programme", "cp", "weight"]
        if tg.last_day is None:
            frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
            for col in ("start", "end"):
                frame[col] = pd.Series([], dtype="datetime64[ns]")
            return frame
        events = tg.cumulative(tg.last_day, level="household").tie_events()
        events = events[events["source"] != events["target"]]
        a = events["source"].to_numpy(dtype=object)
        b = events["target"].to_numpy(dtype=object)
        frame = pd.DataFrame({
            "a": np.minimum(a, b), "b": np.maximum(a, b),
            "start": events["start"].to_numpy(), "end": events["end"].to_numpy(),
            "nature": events["nature"].to_numpy(), "programme": events["programme"].to_numpy(),
            "cp": events["community_point_id"].to_numpy(), "weight": 1.0,
        })
        return frame[columns]

    @cached
    def _tie_event_rows(self) -> dict[str, np.ndarray]:
        """Unit id -> the positions of its rows in :meth:`tie_events` (either end), in
        order: one pass over the events, so that one actor's events are a look-up instead
        of a scan of the whole log on every actor page."""
        ev = self.tie_events()
        ends = pd.concat([ev["a"], ev["b"]], ignore_index=True).to_numpy(dtype=object)
        rows = np.concatenate([np.arange(len(ev)), np.arange(len(ev))])
        if not len(ends):
            return {}
        codes, uniques = pd.factorize(ends)
        order = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        return {u: np.unique(part) for u, part in
                zip(uniques[codes[order][np.r_[0, bounds]]], np.split(rows[order], bounds),
                    strict=True)}

    def _events_of(self, actor_id: str) -> pd.DataFrame:
        """The rows of :meth:`tie_events` with ``actor_id`` at either end, in order."""
        ev = self.tie_events()
        found = self._tie_event_rows().get(actor_id)
        return ev.iloc[found] if found is not None else ev.iloc[:0]

    @cached
    def temporal(self) -> TemporalGraph:
        """The viewer's :class:`genera_graph.temporal.TemporalGraph` (built once)."""
        return TemporalGraph.from_dataset(self.dataset, self.config)

    @cached
    def district_temporal(self) -> TemporalGraph:
        """The whole district's :class:`~genera_graph.temporal.TemporalGraph`, for isolation.

        A household's isolation is judged on all its ties, whoever looks: on a facilitator's
        scoped dataset, the ties to other points' households are gone, and a family linked to
        the district only through them would be reported cut off. The results are then cut to
        the viewer's households (see :meth:`isolation_report`). For an unscoped viewer this is
        :meth:`temporal`.
        """
        _ = self.dataset  # loading it keeps the district as well
        if self._district is None:
            return self.temporal()
        return TemporalGraph.from_dataset(self._district, self.config)

    def view(self, start: date, end: date, programmes: tuple[str, ...] = (),
             cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
             kinds: tuple[str, ...] = ()) -> View:
        """The household-level window view ``[start, end)`` with co-participation ties."""
        return self.temporal().window(
            start, end, programme=list(programmes) or None, community_point=list(cps) or None,
            nature=list(natures) or None, actor_kind=list(kinds) or None, level="household",
            include_coparticipation=True)

    @cached
    def edges(self, start: date, end: date, programmes: tuple[str, ...] = (),
              cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
              kinds: tuple[str, ...] = ()) -> pd.DataFrame:
        """Ties with activity in ``[start, end)``, one row per pair of units.

        Columns ``a``, ``b``, ``weight`` (events), ``peer``, ``professional``,
        ``institutional`` (events by nature) and ``nature`` (the pair's dominant nature, the
        temporal layer's rule). Empty filters keep everything; ``natures=("-",)`` keeps nothing.
        From the temporal layer's household-level window view (co-participations included).
        """
        if natures == ("-",):
            return _empty_edges()
        e = self.view(start, end, programmes, cps, natures, kinds).edges
        return e.rename(columns={"source": "a", "target": "b", "n_peer": "peer",
                                 "n_professional": "professional",
                                 "n_institutional": "institutional"})[_EDGE_COLUMNS]

    @cached
    def nodes(self, start: date, end: date, programmes: tuple[str, ...] = (),
              cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
              kinds: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The map of a window: ``(nodes, edges)`` restricted to actors of the given kinds.

        ``nodes`` is indexed by actor id with ``name``, ``kind``, ``community_point_id``,
        ``degree``, ``strength``, ``x``, ``y`` (fixed positions, see :meth:`positions`).
        """
        edges = self.edges(start, end, programmes, cps, natures, kinds)
        a = self.actors
        deg = _degrees(edges)
        nodes = a.loc[a.index.intersection(deg.index), ["name", "kind", "community_point_id"]]
        nodes = nodes.assign(degree=deg["size"].reindex(nodes.index).astype(int),
                             strength=deg["sum"].reindex(nodes.index))
        pos = self.map_positions(edges)  # at region scale: the shown units' own layout
        nodes["x"] = pos["x"].reindex(nodes.index).fillna(0.0)
        nodes["y"] = pos["y"].reindex(nodes.index).fillna(0.0)
        return nodes, edges.reset_index(drop=True)

    @cached
    def largest(self, metric: str, start: date, end: date, programmes: tuple[str, ...] = (),
                cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
                kinds: tuple[str, ...] = ()) -> float | None:
        """The largest ``degree`` or ``strength`` (``metric``) of the window's units, as
        :meth:`nodes` gives them, without their map positions (none when the window has no
        unit): the scale of the map's sizes, from the whole programme's ties, without
        laying them out (a force layout of a district's units: seconds at region scale)."""
        deg = _degrees(self.edges(start, end, programmes, cps, natures, kinds))
        deg = deg.loc[self.actors.index.intersection(deg.index)]
        if not len(deg):
            return None
        return float(deg["size" if metric == "degree" else "sum"].max())

    def community_of(self, start: date, end: date, index: pd.Index) -> np.ndarray:
        """Community of each unit in the window's (unfiltered) graph, -1 when it has none."""
        membership = self.communities(start, end)["membership"]
        return membership.reindex(index).fillna(-1).astype(int).to_numpy()

    @cached
    def positions(self) -> pd.DataFrame:
        """Fixed map positions (``x``, ``y`` in [0, 1]) of every unit, from all ties ever.

        One layout for the whole programme keeps each actor in place while the date slider
        moves; computed once and cached (see :func:`dash_app.data.layout.fixed_positions`).
        """
        everything = self.edges(self.months()[0], self.months()[-1])
        return fixed_positions(everything, self.config.seed)

    # ----------------------------------------------------------------- one actor
    @cached
    def ego(self, actor_id: str, start: date, end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The ego network of a unit in ``[start, end)``: ``(nodes, edges)`` like :meth:`nodes`,
        with the ego, its partners and the ties among them."""
        edges = self.edges(start, end)
        touch = edges[(edges["a"] == actor_id) | (edges["b"] == actor_id)]
        alters = set(touch["a"]) | set(touch["b"]) | {actor_id}
        sub = edges[edges["a"].isin(alters) & edges["b"].isin(alters)].reset_index(drop=True)
        a = self.actors
        ids = [i for i in alters if i in a.index]
        nodes = a.loc[ids, ["name", "kind", "community_point_id"]].copy()
        ends = pd.concat([sub[["a", "weight"]].rename(columns={"a": "id"}),
                          sub[["b", "weight"]].rename(columns={"b": "id"})])
        deg = ends.groupby("id")["weight"].agg(["size", "sum"])
        nodes["degree"] = deg["size"].reindex(nodes.index).fillna(0).astype(int)
        nodes["strength"] = deg["sum"].reindex(nodes.index).fillna(0.0)
        nodes["ego"] = nodes.index == actor_id
        return nodes.sort_values(["ego", "name"], ascending=[False, True]), sub

    @cached
    def ties_by_nature(self, actor_id: str) -> pd.DataFrame:
        """Monthly distinct partners of a unit by tie nature (tidy: ``month``, ``nature``,
        ``partners``); a relation counts in every month it covers.

        Notes
        -----
        Each event is mapped to the months it touches (``searchsorted`` on the month starts),
        then (month, nature, partner) triples are de-duplicated: O(E log E) for the actor's E
        events.
        """
        ev = self._events_of(actor_id)
        starts = pd.DatetimeIndex([pd.Timestamp(m) for m in self.months()])
        n = len(starts) - 1
        first = np.clip(starts.searchsorted(ev["start"].to_numpy(), side="right") - 1, 0, n)
        last = np.clip(starts.searchsorted(ev["end"].to_numpy(), side="right") - 1, -1, n - 1)
        keep = (first <= last) & (first < n)
        first, last = first[keep], last[keep]
        counts = last - first + 1
        month = np.repeat(first, counts) + (np.arange(counts.sum())
                                            - np.repeat(np.cumsum(counts) - counts, counts))
        partner = np.where(ev["a"].to_numpy()[keep] == actor_id, ev["b"].to_numpy()[keep],
                           ev["a"].to_numpy()[keep])
        long = pd.DataFrame({"month": month, "nature": np.repeat(ev["nature"].to_numpy()[keep],
                                                                 counts),
                             "partner": np.repeat(partner, counts)}).drop_duplicates()
        table = long.groupby(["month", "nature"]).size()
        natures = ["peer", "professional", "institutional"]
        full = pd.MultiIndex.from_product([range(n), natures], names=["month", "nature"])
        table = table.reindex(full, fill_value=0).reset_index(name="partners")
        table["month"] = starts[table["month"].to_numpy()]
        table["partners"] = table["partners"].astype(int)
        return table

    @cached
    def actor_timeline(self, actor_id: str) -> pd.DataFrame:
        """The recorded events of a unit, newest first (``start``, ``end``, ``partner_id``,
        ``partner``, ``nature``, ``programme``)."""
        ev = self._events_of(actor_id)
        partner = np.where(ev["a"] == actor_id, ev["b"], ev["a"])
        out = pd.DataFrame({
            "start": ev["start"].to_numpy(), "end": ev["end"].to_numpy(),
            "partner_id": partner,
            "partner": pd.Series(partner).map(self.actors["name"]).fillna(
                pd.Series(partner)).to_numpy(),
            "nature": ev["nature"].to_numpy(), "programme": ev["programme"].to_numpy(),
        })
        return out.sort_values("start", ascending=False).reset_index(drop=True)
