"""The access object every page reads through: :class:`DataAccess`.

It is built by :func:`dash_app.create_app` from a data source and a :class:`Viewer`; the
dataset is scoped to the viewer (:func:`dash_app.data.viewer.scope_dataset`) before anything
else sees it. Nothing is read at import time: the dataset is loaded on first use and every
derived table is cached on the access object, keyed by its parameters (the data do not change
while the app runs). The tables themselves are in :mod:`dash_app.data.network` (ties, the map,
one actor) and :mod:`dash_app.data.analytics` (growth, report, bridges, communities,
isolation).

Examples
--------
>>> from genera_graph.model import Dataset
>>> access = DataAccess(Dataset.empty(), Viewer())
>>> len(access.actors), access.community_points()
(0, ())
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from dash_app.data.aggregate import AggregateTables
from dash_app.data.analytics import AnalyticsTables
from dash_app.data.cache import cached
from dash_app.data.delta import TIE_TABLES, Delta, apply_delta, scoped_delta
from dash_app.data.network import NetworkTables
from dash_app.data.source import Source, check_store, deltas_since, generation, load_source
from dash_app.data.viewer import Viewer, scope_dataset
from genera_graph.model import DEFAULT_CONFIG, AnalysisConfig, Dataset

__all__ = ["PAGE_WARMERS", "DataAccess"]

#: what a page adds to every scope's first warm-up steps: ``step(access)``, its default
#: view's answer made before anyone asks (the worklist's lines: dash_app.pages.isolation);
#: the pages register them when imported
PAGE_WARMERS: list = []

#: the cached tables made on one day (their first argument) from the events up to it: a
#: write that touches no day before it leaves them right
_DATED = frozenset({"isolation_report", "isolation_reasons", "early_warning"})

#: the actor columns of each event table
_EVENT_ACTORS = {"interactions": ("source_actor_id", "target_actor_id"),
                 "participations": ("actor_id",), "relations": ("actor_id", "partner_id")}


def _day_of(value: Any) -> date | None:
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _all_in(rows: pd.DataFrame, table: str, ids: set[str]) -> np.ndarray:
    mask = np.ones(len(rows), dtype=bool)
    for col in _EVENT_ACTORS[table]:
        mask &= rows[col].isin(ids).to_numpy(dtype=bool)
    return mask


def _open_end(ds: Dataset, config: AnalysisConfig) -> date:
    """The day an open relation is resolved to (as the temporal layer does): the later of
    the programme's end and the last day in the events."""
    days = [ds.interactions["date"], ds.participations["date"], ds.relations["start_date"],
            ds.relations["end_date"]]
    last = max((d.max() for d in days if d.notna().any()), default=None)
    end = pd.Timestamp(config.programme_end).date()
    return max(end, last.date()) if last is not None else end


class DataAccess(NetworkTables, AnalyticsTables, AggregateTables):
    """Cached, viewer-scoped access to the dataset and to every table the pages show.

    Parameters
    ----------
    source : Source
        Where the data come from (see :func:`dash_app.data.load_source`); loaded on first use.
    viewer : Viewer
        Who is looking; the dataset is scoped to the viewer before anything else sees it.
    config : AnalysisConfig
        Analysis defaults (programme dates, horizon, Leiden seed and resolution).

    Notes
    -----
    Every public method takes hashable arguments (dates, tuples of ids) and caches its result
    on the instance, so repeated callbacks with the same controls cost a dictionary look-up.
    """

    def __init__(self, source: Source, viewer: Viewer | None = None,
                 config: AnalysisConfig = DEFAULT_CONFIG) -> None:
        self.source = source
        self.viewer = viewer or Viewer()
        self.config = config
        self._cache: dict[Any, Any] = {}
        self._lock = threading.Lock()
        #: one pass at a time of the tables made for the whole scope at once (suggestions)
        self._batch_lock = threading.Lock()
        self._dataset: Dataset | None = None
        self._district: Dataset | None = None
        self._generation = generation(source)
        #: the whole (unscoped) dataset as loaded, patched by each write's delta
        self._loaded: Dataset | None = None

    def check_fresh(self) -> None:
        """Bring the dataset and the cached tables up to date if a write has touched the data
        since they were made (:func:`dash_app.data.invalidate`).

        When the writes' deltas are all known, the loaded dataset is patched with them (else
        read again on the next use), and what they cannot have changed is kept: the tables
        dated before the earliest day they touch (:data:`_DATED`: isolation reports, reasons,
        worklists), the scoped dataset when only ties were written, and the temporal graphs,
        extended with the new events (:meth:`genera_graph.temporal.TemporalGraph.extended`).
        Everything else is dropped and made again on its next use.
        """
        check_store(self.source)  # another process may have written
        now = generation(self.source)
        if now != self._generation:
            with self._lock:
                if now == self._generation:
                    return
                deltas = deltas_since(self.source, self._generation)
                before, loaded = self._loaded, self._loaded
                kept: dict[Any, Any] = {}
                dataset = None
                if loaded is not None and deltas is not None:
                    for delta in deltas:
                        loaded = apply_delta(loaded, delta)
                    kept, dataset = self._unchanged(deltas, before, loaded)
                else:
                    loaded = None
                self._loaded = loaded
                self._dataset = dataset
                self._district = (loaded if dataset is not None and self.viewer.scoped
                                  else None)
                self._cache.clear()
                self._cache.update(kept)
                self._generation = now

    def _unchanged(self, deltas: list[Delta], before: Dataset, after: Dataset
                   ) -> tuple[dict[Any, Any], Dataset | None]:
        """What of the cache the writes of ``deltas`` (``before`` -> ``after``) leave right:
        ``(cache entries, the viewer's new dataset or None)``."""
        kept: dict[Any, Any] = {}
        since = self._since(deltas, before, after)
        scoped = self.viewer.scoped
        touched = frozenset().union(*(d.tables for d in deltas))
        if scoped and touched & {"actors", "household_members"}:
            since = None  # what the viewer may see can change, on any day
        if since is not None:
            for key, value in self._cache.items():
                if key[0] in _DATED and key[1] and _day_of(key[1][0]) is not None \
                        and _day_of(key[1][0]) < since:
                    kept[key] = value
        # the viewer's dataset: the district, or its scope patched with the visible ties
        dataset: Dataset | None = after if not scoped else None
        old_scoped = self._dataset
        if scoped and old_scoped is not None:
            visible = set(old_scoped.actors["actor_id"])
            dataset = old_scoped
            for delta in deltas:
                part = scoped_delta(delta, visible)
                if part is None:
                    dataset = None
                    break
                dataset = apply_delta(dataset, part)
        # the temporal graphs, extended with the new events
        if all(d.new_rows for d in deltas):
            added = {t: [] for t in TIE_TABLES}
            for delta in deltas:
                for table, rows in delta.upserts:
                    if table in added:
                        added[table].append(rows)
            graphs = [(("temporal", (), ()), dataset)]
            if scoped:
                graphs.append((("district_temporal", (), ()), after))
            for key, ds in graphs:
                tg = self._cache.get(key)
                if tg is None or ds is None:
                    continue
                mine = set(ds.actors["actor_id"]) if key[0] == "temporal" and scoped else None
                new = {}
                for table, parts in added.items():
                    if parts:
                        rows = pd.concat(parts, ignore_index=True)
                        if mine is not None:
                            rows = rows[_all_in(rows, table, mine)]
                        if len(rows):
                            new[table] = rows.reindex(columns=getattr(ds, table).columns)
                grown = tg.extended(ds, new) if new else None
                if grown is not None:
                    kept[key] = grown
            if not scoped and ("temporal", (), ()) in kept:
                kept[("district_temporal", (), ())] = kept[("temporal", (), ())]
        return kept, dataset

    def _since(self, deltas: list[Delta], before: Dataset, after: Dataset) -> date | None:
        """The earliest day the writes can change a derived table on (``None``: any)."""
        days = [d.since for d in deltas]
        if any(d is None for d in days):
            return None
        since = min(days, default=date.max)
        # the day open relations are resolved to (the last event's) moved: from the earlier
        # of the two, every open relation reaches further or less far
        ends = _open_end(before, self.config), _open_end(after, self.config)
        if ends[0] != ends[1]:
            since = min(since, min(ends) + pd.Timedelta(days=1).to_pytimedelta())
        return since

    # ----------------------------------------------------------------- base tables
    @property
    def dataset(self) -> Dataset:
        """The viewer's dataset (loaded and scoped on first use; again after a write)."""
        self.check_fresh()
        if self._dataset is None:
            with self._lock:
                if self._dataset is None:
                    district = (self._loaded if self._loaded is not None
                                else load_source(self.source))
                    self._loaded = district
                    self._dataset = scope_dataset(district, self.viewer)
                    # kept only where it differs: isolation is judged on it (district_temporal)
                    self._district = district if self.viewer.scoped else None
        return self._dataset

    @property
    def actors(self) -> pd.DataFrame:
        """Actors indexed by ``actor_id`` (the viewer's)."""
        return self._actors()

    @cached
    def _actors(self) -> pd.DataFrame:
        return self.dataset.actors.set_index("actor_id", drop=False).rename_axis(None)

    @cached
    def months(self) -> tuple[date, ...]:
        """Month starts from the programme start to the month after its end (slider stops)."""
        start = pd.Timestamp(self.config.programme_start).to_period("M").to_timestamp()
        end = pd.Timestamp(self.config.programme_end) + pd.offsets.MonthBegin(1)
        return tuple(d.date() for d in pd.date_range(start, end, freq="MS"))

    @cached
    def community_points(self) -> tuple[tuple[str, str], ...]:
        """``(id, name)`` of the Community Points the viewer sees, by id."""
        a = self.actors
        points = a[a["kind"].eq("community_point")].sort_values("actor_id")
        if self.viewer.scoped:
            points = points[points["actor_id"].isin(self.viewer.community_point_ids)]
        return tuple(zip(points["actor_id"], points["name"], strict=True))

    @cached
    def point_names(self) -> dict[str, str]:
        """Every Community Point's name by id, the viewer's or not: a point is a public office,
        named wherever a figure groups by point (another point's families stay unnamed)."""
        a = self.actors
        points = a[a["kind"].eq("community_point")]
        return dict(zip(points["actor_id"], points["name"].astype(str), strict=True))

    @cached
    def facilitators(self) -> tuple[tuple[str, str], ...]:
        """``(id, name)`` of the facilitators the viewer sees, by id."""
        a = self.actors
        fac = a[a["kind"].eq("facilitator")].sort_values("actor_id")
        return tuple(zip(fac["actor_id"], fac["name"], strict=True))

    def name_of(self, actor_id: str) -> str:
        """The display name of an actor (its id if unknown)."""
        try:
            return str(self.actors.at[actor_id, "name"])
        except KeyError:
            return actor_id

    # ----------------------------------------------------------------- scoping
    def _visible(self, ids: pd.Index | pd.Series) -> np.ndarray:
        """Which of these actor ids the viewer may see."""
        seen = self._visible_ids()
        return np.fromiter((i in seen for i in ids), dtype=bool, count=len(ids))

    @cached
    def _visible_ids(self) -> frozenset[str]:
        return frozenset(self.actors.index)

    def _for_viewer(self, table: pd.DataFrame, ids: pd.Index | pd.Series) -> pd.DataFrame:
        """The rows of ``table`` whose ``ids`` the viewer may see, with every bridge the viewer
        may not see (``bridge_id``, ``partner_id``: another point's family) left missing."""
        table = table[self._visible(ids)].copy()
        for col in ("bridge_id", "partner_id"):
            if col in table:
                table[col] = table[col].where(table[col].isna() | self._visible(table[col]))
        return table

    def _warm_suggestions(self) -> None:
        """The suggested introductions of every family on the worklist's last day (what a
        family's page shows), with the declines marked in the store."""
        from dash_app.introductions import declined_by_family

        self.warm_introductions(self.worklist_dates()[-1], declined_by_family(self))

    def warm(self, periods: list[tuple[date, date]] | None = None) -> None:
        """Compute the tables every page starts from, so that first page views and callbacks
        answer at once: the map positions, growth, the worklists of every quarter, the
        suggested introductions of every family, the monitoring report and, for each of
        ``periods`` (the periods the Bridges and Communities pages offer), bridging,
        brokerage and communities (:meth:`warm_steps`, in order). Tens of seconds on the
        sample district; ``genera serve`` runs the steps in the background once it listens.
        At region scale only the latest worklist and the aggregated map
        (:meth:`warm_region`), then one family's suggestions (:meth:`warm_region_suggestions`)."""
        first, later = self.warm_steps(periods)
        for step in first + later:
            step()

    def warm_steps(self, periods: list[tuple[date, date]] | None = None,
                   window: tuple[int, int] | None = None) -> tuple[list, list]:
        """The steps of :meth:`warm` (callables, each a few tables) as ``(first, later)``:
        the tables of the pages' first views (growth, the latest worklist, the map of
        ``window``, the month indices of the pages' default period, and the families'
        suggestions), then the other quarters, windows and periods; a server warming in the
        background while it answers makes every scope's first ones before anyone's later
        ones."""
        pages = [(lambda w=w: w(self)) for w in PAGE_WARMERS]
        if self.region_scale():
            return [self.warm_region, *pages], [self.warm_region_suggestions]
        months = self.months()
        last = self.worklist_dates()[-1]
        first: list = [self.positions, self.growth, self.isolation,
                       lambda: self.isolation_reasons(last), lambda: self.early_warning(last)]
        if window is not None:
            first.append(lambda: self.nodes(months[window[0]], months[window[1]]))
        first += pages
        first.append(self._warm_suggestions)
        steps: list = [lambda: self.nodes(months[0], months[-1]),
                  lambda: self.growth("community_point"), lambda: self.growth("programme"),
                  self.community_history, self.report]
        years = self.config.programme_years()
        steps += [(lambda s=s, e=e: self.report(s, e)) for s, e in years]
        steps.append(lambda: self.report(years[0][0], years[-1][1]))
        for day in self.worklist_dates():
            steps += [(lambda d=day: self.isolation_reasons(d)),
                      (lambda d=day: self.early_warning(d))]
        # the map's usual windows: every three-month step and the growth from the start (the
        # play button), so that moving the slider or playing reads a cache
        steps += [(lambda k=k: self.nodes(months[k], months[k + 3]))
                  for k in range(len(months) - 3)]
        steps += [(lambda k=k: self.nodes(months[0], months[k])) for k in range(1, len(months))]
        for start, end in periods or []:
            steps += [(lambda s=start, e=end: self.bridging(s, e)),
                      (lambda s=start, e=end: self.brokerage_roles(s, e, "cp")),
                      (lambda s=start, e=end: self.brokerage_roles(s, e, "programme")),
                      (lambda s=start, e=end: self.communities(s, e))]

        def figures() -> None:
            import plotly.graph_objects as go

            go.Figure()  # plotly builds its (default) template once

        steps.append(figures)
        return first, steps
