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

from dash_app.data.analytics import AnalyticsTables
from dash_app.data.cache import cached
from dash_app.data.delta import apply_delta
from dash_app.data.network import NetworkTables
from dash_app.data.source import Source, deltas_since, generation, load_source
from dash_app.data.viewer import Viewer, scope_dataset
from genera_graph.model import DEFAULT_CONFIG, AnalysisConfig, Dataset

__all__ = ["DataAccess"]


class DataAccess(NetworkTables, AnalyticsTables):
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
        self._dataset: Dataset | None = None
        self._district: Dataset | None = None
        self._generation = generation(source)
        #: the whole (unscoped) dataset as loaded, patched by each write's delta
        self._loaded: Dataset | None = None

    def check_fresh(self) -> None:
        """Drop the dataset and every cached table if a write has touched the data since they
        were made (:func:`dash_app.data.invalidate`). The loaded dataset is patched with the
        writes' deltas when they are all known, else read again on the next use."""
        now = generation(self.source)
        if now != self._generation:
            with self._lock:
                if now == self._generation:
                    return
                deltas = deltas_since(self.source, self._generation)
                loaded = self._loaded
                if loaded is not None and deltas is not None:
                    for delta in deltas:
                        loaded = apply_delta(loaded, delta)
                else:
                    loaded = None
                self._loaded = loaded
                self._dataset = self._district = None
                self._cache.clear()
                self._generation = now

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
        return np.asarray(pd.Index(ids).isin(self.actors.index), dtype=bool)

    def _for_viewer(self, table: pd.DataFrame, ids: pd.Index | pd.Series) -> pd.DataFrame:
        """The rows of ``table`` whose ``ids`` the viewer may see, with every bridge the viewer
        may not see (``bridge_id``, ``partner_id``: another point's family) left missing."""
        table = table[self._visible(ids)].copy()
        for col in ("bridge_id", "partner_id"):
            if col in table:
                table[col] = table[col].where(table[col].isna() | self._visible(table[col]))
        return table

    def warm(self, periods: list[tuple[date, date]] | None = None) -> None:
        """Compute the tables every page starts from, so that first page views and callbacks
        answer at once: the map positions, growth, the worklists of every quarter, the
        monitoring report and, for each of ``periods`` (the periods the Bridges and
        Communities pages offer), bridging, brokerage and communities. Tens of seconds on the
        sample district; ``genera serve`` calls it before listening."""
        months = self.months()
        steps = [self.positions, lambda: self.nodes(months[0], months[-1]), self.growth,
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
        for step in steps:
            step()
        import plotly.graph_objects as go

        go.Figure(layout={"template": "plotly_white"})  # plotly builds its templates once
