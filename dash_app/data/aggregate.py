"""The map at region scale: districts or Community Points as super-nodes, and a cheap warm-up.

A region store holds tens of thousands of households; drawing every unit is neither readable
nor affordable (a force layout of 137k units took hours; each map reply was 11-20 MB). Above
:data:`MAP_DETAIL_LIMIT` units a map window is shown **aggregated**: one super-node per
district (when the store has districts, see :mod:`genera_graph.io.districts`) or per Community
Point, sized by its active units and linked by the ties between units of different groups
(cross-district ties included, never dropped). Narrowing the map's Community Point filter to a
district (or fewer units) **drills down** to the units themselves, laid out on their own.

:class:`AggregateTables` is a part of :class:`dash_app.data.DataAccess` (it reads ``source``,
``actors``, ``edges``, ``config`` from it).

Examples
--------
>>> import pandas as pd
>>> edges = pd.DataFrame({"a": ["H1", "H1", "H2"], "b": ["H2", "H3", "H3"],
...                       "weight": [1.0, 2.0, 4.0], "peer": [1.0, 2.0, 0.0],
...                       "professional": [0.0, 0.0, 4.0], "institutional": [0.0] * 3,
...                       "nature": ["peer", "peer", "professional"]})
>>> nodes, links = aggregate_edges(edges, pd.Series({"H1": "D1", "H2": "D1", "H3": "D2"}),
...                                {"D1": "Uno", "D2": "Due"}, seed=1)
>>> nodes[["name", "units", "internal_ties"]].to_dict("index")
{'D1': {'name': 'Uno', 'units': 2, 'internal_ties': 1}, 'D2': {'name': 'Due', 'units': 1, 'internal_ties': 0}}
>>> links[["a", "b", "ties", "weight", "nature"]].to_dict("records")
[{'a': 'D1', 'b': 'D2', 'ties': 2, 'weight': 6.0, 'nature': 'professional'}]
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from dash_app.data.cache import cached
from dash_app.data.layout import fixed_positions

__all__ = ["MAP_DETAIL_LIMIT", "REGION_ACTORS", "AggregateTables", "aggregate_edges"]

#: above this many units in a map window the map shows super-nodes
MAP_DETAIL_LIMIT = 5_000
#: a dataset with more actors than this is served at region scale (aggregated map, short
#: warm-up: no force layout of every unit)
REGION_ACTORS = 20_000
#: the group of units with no Community Point
NO_GROUP = "–"
#: Fruchterman-Reingold iterations of a drill-down's layout (made for each window shown): a
#: district's quarter (1,300 units, 11,000 ties) in 0.3 s instead of 1 s for the 300 of the
#: whole programme's fixed layout, its groups as clearly apart (looked at side by side)
DRILL_DOWN_ITERATIONS = 100


def aggregate_edges(edges: pd.DataFrame, group_of: pd.Series, labels: dict[str, str], *,
                    seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Super-nodes and their links from a map window's edges (``a``, ``b``, ``weight``,
    ``peer``, ``professional``, ``institutional``).

    Parameters
    ----------
    edges : pandas.DataFrame
        One row per pair of units (:meth:`dash_app.data.DataAccess.edges`).
    group_of : pandas.Series
        Unit id -> group id; a unit missing from it is in the group :data:`NO_GROUP`.
    labels : dict
        Group id -> label.
    seed : int
        Seed of the super-nodes' layout.

    Returns
    -------
    (nodes, links)
        ``nodes`` indexed by group id: ``name``, ``kind`` (``"community_point"``),
        ``community_point_id`` (the group), ``units`` (units with a tie in the window),
        ``internal_ties`` (pairs inside the group), ``degree`` and ``strength`` (both the
        units, which size the super-node), ``x``, ``y``. ``links``: ``a < b`` group ids,
        ``ties`` (pairs of units across the two groups), ``weight`` (their events), ``peer``,
        ``professional``, ``institutional`` (events by nature) and ``nature`` (the largest,
        a tie going to the more formal one, as the temporal layer's rule).
    """
    a = group_of.reindex(edges["a"].to_numpy()).fillna(NO_GROUP).to_numpy(dtype=object)
    b = group_of.reindex(edges["b"].to_numpy()).fillna(NO_GROUP).to_numpy(dtype=object)
    units = pd.concat([pd.Series(a, index=edges["a"].to_numpy()),
                       pd.Series(b, index=edges["b"].to_numpy())])
    units = units[~units.index.duplicated()]
    size = units.value_counts()
    inside = pd.Series(a[a == b]).value_counts()
    lo, hi = np.where(a < b, a, b), np.where(a < b, b, a)
    cross = a != b
    frame = pd.DataFrame({"a": lo[cross], "b": hi[cross], "ties": 1,
                          **{c: edges[c].to_numpy(dtype=float)[cross]
                             for c in ("weight", "peer", "professional", "institutional")}})
    links = frame.groupby(["a", "b"], as_index=False, sort=True).sum()
    by_nature = links[["institutional", "professional", "peer"]].to_numpy()
    links["nature"] = (np.array(["institutional", "professional", "peer"], dtype=object)
                       [by_nature.argmax(axis=1)] if len(links) else [])
    groups = sorted(size.index, key=str)
    nodes = pd.DataFrame(index=pd.Index(groups, name="actor_id"))
    nodes["name"] = [labels.get(g, g) for g in groups]
    nodes["kind"] = "community_point"
    nodes["community_point_id"] = groups
    nodes["units"] = size.reindex(groups).astype(int).to_numpy()
    nodes["internal_ties"] = inside.reindex(groups).fillna(0).astype(int).to_numpy()
    nodes["degree"] = nodes["units"]
    nodes["strength"] = nodes["units"].astype(float)
    xy = _layout(groups, links, seed)
    nodes["x"], nodes["y"] = xy[:, 0], xy[:, 1]
    return nodes, links


def _layout(groups: list[str], links: pd.DataFrame, seed: int) -> np.ndarray:
    """Fruchterman-Reingold on the super-graph (a few hundred nodes: milliseconds)."""
    if len(groups) < 3 or links.empty:
        angle = np.linspace(0, 2 * np.pi, len(groups), endpoint=False)
        return np.column_stack([0.5 + 0.5 * np.cos(angle), 0.5 + 0.5 * np.sin(angle)])
    pos = fixed_positions(links[["a", "b", "weight"]], seed)
    xy = pos.reindex(groups)
    missing = xy["x"].isna().to_numpy()
    if missing.any():  # a group tied to no other: on a ring outside
        angle = np.linspace(0, 2 * np.pi, int(missing.sum()), endpoint=False)
        xy.loc[missing, "x"] = 0.5 + 0.55 * np.cos(angle)
        xy.loc[missing, "y"] = 0.5 + 0.55 * np.sin(angle)
    return xy.to_numpy(dtype=float)


class AggregateTables:
    """Region-scale tables of the access object: districts, super-node maps, a short warm-up."""

    def region_scale(self) -> bool:
        """Whether the dataset is served at region scale (more than :data:`REGION_ACTORS`)."""
        return len(self.actors) > REGION_ACTORS

    @cached
    def districts(self) -> pd.DataFrame:
        """The store's districts (``district_id``, ``community_point_id``, ``name``); empty
        when the source is not a store or the store has none."""
        from genera_graph.io.districts import DISTRICT_COLUMNS, read_districts

        source = self.source
        empty = pd.DataFrame(columns=DISTRICT_COLUMNS)
        if not isinstance(source, str | os.PathLike) or Path(source).is_dir():
            return empty
        from genera_graph.io.store import Store

        with Store(source) as store:
            table = read_districts(store)
        return table.dropna(subset=["community_point_id"]) if len(table) else empty

    @cached
    def unit_groups(self, by: str = "district") -> tuple[pd.Series, dict[str, str]]:
        """Unit id -> its group (its point's district, or its point), and the groups' labels.

        ``by="district"`` falls back to the points when the store has no districts.
        """
        cps = self.actors["community_point_id"]
        districts = self.districts()
        if by == "district" and len(districts):
            district_of = dict(zip(districts["community_point_id"], districts["district_id"],
                                   strict=True))
            labels = dict(zip(districts["district_id"], districts["name"], strict=False))
            return cps.map(district_of), labels
        points = self.actors[self.actors["kind"] == "community_point"]
        return cps, dict(zip(points.index, points["name"], strict=True))

    @cached
    def map_units(self, start: date, end: date, *filters: tuple[str, ...]) -> int:
        """How many units a map window has (the units of its ties)."""
        edges = self.edges(start, end, *filters)
        return len(pd.unique(np.concatenate([edges["a"].to_numpy(), edges["b"].to_numpy()])))

    def map_is_aggregated(self, start: date, end: date, *filters: tuple[str, ...]) -> bool:
        """Whether the map of this window shows super-nodes (more than
        :data:`MAP_DETAIL_LIMIT` units)."""
        return self.map_units(start, end, *filters) > MAP_DETAIL_LIMIT

    @cached
    def aggregated_map(self, start: date, end: date, *filters: tuple[str, ...]
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The window's map with one super-node per district (or Community Point): see
        :func:`aggregate_edges`. ``filters`` are those of :meth:`edges`."""
        group_of, labels = self.unit_groups("district")
        return aggregate_edges(self.edges(start, end, *filters), group_of, labels,
                               seed=self.config.seed)

    def name_matches(self, text: str, *, keep: str | None = None,
                     limit: int = 50) -> list[tuple[str, str]]:
        """``(actor_id, name)`` of the first ``limit`` map units (not individuals) whose name
        holds ``text`` (case-insensitive, at least two characters), by name; ``keep`` (the
        chosen actor) first. What the map's search box offers at region scale, instead of
        every name in the page."""
        actors = self.actors
        units = actors[actors["kind"] != "individual"]
        out: list[tuple[str, str]] = []
        if keep is not None and keep in units.index:
            out.append((keep, str(units.at[keep, "name"])))
        text = text.strip().casefold()
        if len(text) >= 2:
            names = units["name"].astype(str)
            hit = names[names.str.casefold().str.contains(text, regex=False)].sort_values()
            out += [(i, n) for i, n in hit.head(limit).items() if i != keep]
        return out

    def map_positions(self, edges: pd.DataFrame) -> pd.DataFrame:
        """Positions for a detailed map: the whole programme's fixed layout, or at region
        scale a layout of the shown units only (a drill-down never lays out the region)."""
        if not self.region_scale():
            return self.positions()
        return fixed_positions(edges, self.config.seed, niter=DRILL_DOWN_ITERATIONS)

    def warm_region(self) -> None:
        """The warm-up at region scale: the aggregated map of the map page's default period
        (the latest complete quarter of the data) and of the whole programme, as the page
        asks for them (no filter chosen), and the latest early warnings (no force layout of
        every unit, no per-window maps). The worklist's default lines are the worklist
        page's own step (:data:`dash_app.data.access.PAGE_WARMERS`)."""
        from dash_app.state import default_window

        months = self.months()
        if len(months) < 2:
            return
        lo, hi = default_window(self)
        # the map page's key when no programme, point, nature or kind is chosen
        # (dash_app.pages.map._filters): the cache is keyed by the arguments as given
        unfiltered = ((), (), (), ())
        for start, end in ((months[lo], months[hi]), (months[0], months[-1])):
            if self.map_is_aggregated(start, end, *unfiltered):
                self.aggregated_map(start, end, *unfiltered)
        dates = self.worklist_dates()
        if dates:
            self.early_warning(dates[-1])

    def warm_region_suggestions(self) -> None:
        """The warm-up's last step at region scale: one family's suggested introductions on
        the worklist's last day (the day a family's page shows them). The library keeps the
        day's state on the district's graph (a pass over the whole event log: seconds at
        region scale, where every family is computed alone, see
        :meth:`~dash_app.data.analytics.AnalyticsTables.suggested_introductions`): the
        first family a facilitator opens then costs what the next ones do."""
        from dash_app.introductions import declined_by_family

        dates = self.worklist_dates()
        families = self.actors.index[self.actors["kind"] == "household"]
        if dates and len(families):
            first = families[0]
            self.suggested_introductions(dates[-1], first, None,
                                         declined_by_family(self).get(first, ()))
