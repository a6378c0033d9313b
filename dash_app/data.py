"""The explorer's one data-access module: every page reads through a :class:`DataAccess`.

A :class:`DataAccess` is built by :func:`dash_app.create_app` from a data source and a
:class:`Viewer` (role and Community Point). Scoping lives here and only here: a facilitator's
access object holds a dataset from which every household (and its members) of other Community
Points has been removed, with every tie that touches them, so no page can show them.

Nothing is read at import time: the dataset is loaded on first use and every derived table is
cached on the access object, keyed by its parameters (the data do not change while the app runs).

Examples
--------
>>> from genera_graph.model import Dataset
>>> access = DataAccess(Dataset.empty(), Viewer())
>>> len(access.actors)
0
>>> Viewer(role="facilitator", community_point_id="CP01").scoped
True
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from genera_graph.model import DEFAULT_CONFIG, AnalysisConfig, Dataset

__all__ = [
    "DataAccess",
    "Source",
    "Unavailable",
    "Viewer",
    "current",
    "load_source",
]

#: What :func:`load_source` accepts: a dataset, a function returning one, a store URL or path,
#: or a folder of register files.
Source = Dataset | Callable[[], Dataset] | str | Path

#: the ``app.server.config`` key under which :func:`dash_app.create_app` keeps the access object
CONFIG_KEY = "GENERA_DATA_ACCESS"

_PERSONAL_KINDS = ("household", "individual")
_EDGE_COLUMNS = ["a", "b", "weight", "peer", "professional", "institutional", "nature"]


def _spread(xy: np.ndarray) -> np.ndarray:
    """Keep each point's angle around the centroid; make its radius the square root of its
    radius rank (an even density over the disc)."""
    if len(xy) < 3:
        return xy
    centred = xy - np.median(xy, axis=0)
    radius = np.hypot(centred[:, 0], centred[:, 1])
    angle = np.arctan2(centred[:, 1], centred[:, 0])
    rank = radius.argsort().argsort() / (len(xy) - 1)
    new = np.sqrt(rank)
    return np.column_stack([new * np.cos(angle), new * np.sin(angle)])


def _empty_edges() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=float) for c in _EDGE_COLUMNS})
    for c in ("a", "b", "nature"):
        frame[c] = pd.Series([], dtype=object)
    return frame


class Unavailable(Exception):
    """A library part the page needs is not there (yet): the page says so instead of faking."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a coordinator (the whole district) or a facilitator (one point).

    Parameters
    ----------
    role : {"coordinator", "facilitator"}
    community_point_id : str, optional
        A facilitator's Community Point (required for a facilitator); a coordinator may give one
        to restrict the view to a point as well.

    Examples
    --------
    >>> Viewer().scoped
    False
    >>> Viewer(role="facilitator")
    Traceback (most recent call last):
    ...
    ValueError: a facilitator viewer needs a community_point_id
    """

    role: Literal["coordinator", "facilitator"] = "coordinator"
    community_point_id: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ("coordinator", "facilitator"):
            raise ValueError(f"unknown viewer role {self.role!r}")
        if self.role == "facilitator" and not self.community_point_id:
            raise ValueError("a facilitator viewer needs a community_point_id")

    @property
    def scoped(self) -> bool:
        """Whether households of other Community Points are hidden."""
        return self.community_point_id is not None


def load_source(source: Source) -> Dataset:
    """Load the dataset a source names.

    A :class:`~genera_graph.model.Dataset` is returned as is; a callable is called; a folder
    holding ``actors.csv`` is read as register files; any other text is a store (SQLite path or
    SQLAlchemy URL) read through :class:`genera_graph.io.store.Store`.
    """
    if isinstance(source, Dataset):
        return source
    if callable(source):
        return source()
    path = Path(str(source))
    if "://" not in str(source) and path.is_dir() and (path / "actors.csv").exists():
        from genera_graph.io.registers import read_registers

        return read_registers(path)
    from genera_graph.io.store import Store

    return Store(str(source)).load()


def current() -> DataAccess:
    """The access object of the app serving the current request (inside a callback)."""
    import flask

    return flask.current_app.config[CONFIG_KEY]


def _optional(module: str, name: str) -> Any:
    """``module.name`` if the library has it, else raise :class:`Unavailable`."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise Unavailable(f"{module}.{name}") from exc


def _scope(ds: Dataset, viewer: Viewer) -> Dataset:
    """The dataset with other points' households, their members and their ties removed."""
    if not viewer.scoped:
        return ds
    cp = viewer.community_point_id
    actors = ds.actors
    members = ds.household_members
    personal = actors["kind"].isin(_PERSONAL_KINDS)
    own_cp = actors["community_point_id"].eq(cp).fillna(False).astype(bool)
    households = set(actors.loc[actors["kind"].eq("household") & own_cp, "actor_id"])
    in_household = members.loc[members["household_id"].isin(households), "individual_id"]
    keep = ~personal | own_cp | actors["actor_id"].isin(set(in_household))
    # an individual of another point's household is hidden even if their own point matches
    foreign = members.loc[~members["household_id"].isin(households), "individual_id"]
    keep &= ~(actors["kind"].eq("individual") & actors["actor_id"].isin(set(foreign))
              & ~actors["actor_id"].isin(set(in_household)))
    visible = set(actors.loc[keep, "actor_id"])
    inter = ds.interactions
    rel = ds.relations
    return Dataset(
        actors=actors[keep].reset_index(drop=True),
        household_members=members[members["household_id"].isin(households)
                                  & members["individual_id"].isin(visible)]
        .reset_index(drop=True),
        activities=ds.activities,
        participations=ds.participations[ds.participations["actor_id"].isin(visible)]
        .reset_index(drop=True),
        interactions=inter[inter["source_actor_id"].isin(visible)
                           & inter["target_actor_id"].isin(visible)].reset_index(drop=True),
        relations=rel[rel["actor_id"].isin(visible) & rel["partner_id"].isin(visible)]
        .reset_index(drop=True),
    )


def _cached(method: Callable) -> Callable:
    """Cache a method's result on its instance, keyed by its (hashable) arguments."""

    @functools.wraps(method)
    def wrapper(self: DataAccess, *args: Any, **kwargs: Any) -> Any:
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        try:
            return self._cache[key]
        except KeyError:
            pass
        value = method(self, *args, **kwargs)
        with self._lock:
            if len(self._cache) > 2048:
                self._cache.clear()
            self._cache[key] = value
        return value

    return wrapper


class DataAccess:
    """Cached, viewer-scoped access to the dataset and to every table the pages show.

    Parameters
    ----------
    source : Source
        Where the data come from (see :func:`load_source`); loaded on first use.
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

    # ----------------------------------------------------------------- base tables
    @property
    def dataset(self) -> Dataset:
        """The viewer's dataset (loaded and scoped on first use)."""
        if self._dataset is None:
            with self._lock:
                if self._dataset is None:
                    district = load_source(self.source)
                    self._dataset = _scope(district, self.viewer)
                    # kept only where it differs: isolation is judged on it (district_temporal)
                    self._district = district if self.viewer.scoped else None
        return self._dataset

    @property
    def actors(self) -> pd.DataFrame:
        """Actors indexed by ``actor_id`` (the viewer's)."""
        return self._actors()

    @_cached
    def _actors(self) -> pd.DataFrame:
        return self.dataset.actors.set_index("actor_id", drop=False).rename_axis(None)

    @_cached
    def months(self) -> tuple[date, ...]:
        """Month starts from the programme start to the month after its end (slider stops)."""
        start = pd.Timestamp(self.config.programme_start).to_period("M").to_timestamp()
        end = pd.Timestamp(self.config.programme_end) + pd.offsets.MonthBegin(1)
        return tuple(d.date() for d in pd.date_range(start, end, freq="MS"))

    @_cached
    def community_points(self) -> tuple[tuple[str, str], ...]:
        """``(id, name)`` of the Community Points the viewer sees, by id."""
        a = self.actors
        points = a[a["kind"].eq("community_point")].sort_values("actor_id")
        if self.viewer.scoped:
            points = points[points["actor_id"].eq(self.viewer.community_point_id)]
        return tuple(zip(points["actor_id"], points["name"], strict=True))

    @_cached
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

    # ----------------------------------------------------------------- ties
    @_cached
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

    @_cached
    def temporal(self) -> Any:
        """The viewer's :class:`genera_graph.temporal.TemporalGraph` (built once)."""
        temporal_graph = _optional("genera_graph.temporal", "TemporalGraph")
        return temporal_graph.from_dataset(self.dataset, self.config)

    @_cached
    def district_temporal(self) -> Any:
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
        temporal_graph = _optional("genera_graph.temporal", "TemporalGraph")
        return temporal_graph.from_dataset(self._district, self.config)

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

    def view(self, start: date, end: date, programmes: tuple[str, ...] = (),
             cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
             kinds: tuple[str, ...] = ()) -> Any:
        """The household-level window view ``[start, end)`` with co-participation ties."""
        return self.temporal().window(
            start, end, programme=list(programmes) or None, community_point=list(cps) or None,
            nature=list(natures) or None, actor_kind=list(kinds) or None, level="household",
            include_coparticipation=True)

    @_cached
    def edges(self, start: date, end: date, programmes: tuple[str, ...] = (),
              cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
              kinds: tuple[str, ...] = ()) -> pd.DataFrame:
        """Ties with activity in ``[start, end)``, one row per pair of units.

        Columns ``a``, ``b``, ``weight`` (events), ``peer``, ``professional``,
        ``institutional`` (events by nature) and ``nature`` (the pair's dominant nature, the
        temporal layer's rule). Empty filters keep everything; ``natures=("-",)`` keeps nothing.
        From the temporal layer's household-level window view (co-participations included)
        when it is there, else from the recorded interactions and relations.
        """
        if natures == ("-",):
            return _empty_edges()
        try:
            e = self.view(start, end, programmes, cps, natures, kinds).edges
        except Unavailable:
            return self._edges_fallback(start, end, programmes, cps, natures, kinds)
        return e.rename(columns={"source": "a", "target": "b", "n_peer": "peer",
                                 "n_professional": "professional",
                                 "n_institutional": "institutional"})[_EDGE_COLUMNS]

    def _edges_fallback(self, start, end, programmes, cps, natures, kinds) -> pd.DataFrame:
        ev = self.tie_events()
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        mask = (ev["start"] < hi) & (ev["end"] >= lo)
        if programmes:
            mask &= ev["programme"].isin(programmes)
        if cps:
            mask &= ev["cp"].isin(cps)
        if natures:
            mask &= ev["nature"].isin(natures)
        if kinds:
            keep = set(self.actors.index[self.actors["kind"].isin(kinds)])
            mask &= ev["a"].isin(keep) & ev["b"].isin(keep)
        sel = ev.loc[mask, ["a", "b", "nature", "weight"]]
        if not len(sel):
            return _empty_edges()
        counts = (sel.groupby(["a", "b", "nature"], observed=True)["weight"].sum()
                  .unstack("nature", fill_value=0.0))
        for n in ("peer", "professional", "institutional"):
            if n not in counts:
                counts[n] = 0.0
        counts = counts[["peer", "professional", "institutional"]]
        out = counts.reset_index()
        out["weight"] = counts.sum(axis=1).to_numpy()
        out["nature"] = counts.idxmax(axis=1).to_numpy()
        out.columns.name = None
        return out[_EDGE_COLUMNS]

    @_cached
    def nodes(self, start: date, end: date, programmes: tuple[str, ...] = (),
              cps: tuple[str, ...] = (), natures: tuple[str, ...] = (),
              kinds: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The map of a window: ``(nodes, edges)`` restricted to actors of the given kinds.

        ``nodes`` is indexed by actor id with ``name``, ``kind``, ``community_point_id``,
        ``degree``, ``strength``, ``x``, ``y`` (fixed positions, see :meth:`positions`).
        """
        edges = self.edges(start, end, programmes, cps, natures, kinds)
        a = self.actors
        ends = pd.concat([edges[["a", "weight"]].rename(columns={"a": "id"}),
                          edges[["b", "weight"]].rename(columns={"b": "id"})])
        deg = ends.groupby("id")["weight"].agg(["size", "sum"])
        nodes = a.loc[a.index.intersection(deg.index), ["name", "kind", "community_point_id"]]
        nodes = nodes.assign(degree=deg["size"].reindex(nodes.index).astype(int),
                             strength=deg["sum"].reindex(nodes.index))
        pos = self.positions()
        nodes["x"] = pos["x"].reindex(nodes.index).fillna(0.0)
        nodes["y"] = pos["y"].reindex(nodes.index).fillna(0.0)
        return nodes, edges.reset_index(drop=True)

    def community_of(self, start: date, end: date, index: pd.Index) -> np.ndarray:
        """Community of each unit in the window's (unfiltered) graph, -1 when it has none or
        community detection is not available."""
        try:
            membership = self.communities(start, end)["membership"]
        except Unavailable:
            return np.full(len(index), -1)
        return membership.reindex(index).fillna(-1).astype(int).to_numpy()

    @_cached
    def positions(self) -> pd.DataFrame:
        """Fixed map positions (``x``, ``y`` in [0, 1]) of every unit, from all ties ever.

        One layout for the whole programme keeps each actor in place while the date slider
        moves (the coordinator's mental map); computed once (igraph Fruchterman-Reingold,
        seeded) and cached. The dense core is then spread out: each actor keeps its direction
        from the centre, and its distance becomes its distance rank (so actors fill the disc
        evenly instead of piling up in the middle).
        """
        import igraph as ig

        everything = self.edges(self.months()[0], self.months()[-1])
        pairs = everything.rename(columns={"weight": "w"})
        names = pd.Index(pd.unique(pd.concat([pairs["a"], pairs["b"]])))
        if len(names) == 0:
            return pd.DataFrame({"x": [], "y": []})
        g = ig.Graph(n=len(names), edges=list(zip(names.get_indexer(pairs["a"]),
                                                   names.get_indexer(pairs["b"]), strict=True)))
        rng_state = np.random.default_rng(self.config.seed)
        seed = rng_state.random((len(names), 2)).tolist()
        layout = g.layout_fruchterman_reingold(seed=seed, niter=300,
                                               weights=np.log1p(pairs["w"]).tolist())
        xy = np.asarray(layout.coords, dtype=float)
        xy = _spread(xy)
        xy -= xy.min(axis=0)
        span = xy.max(axis=0)
        span[span == 0] = 1.0
        xy /= span
        return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}, index=names)

    # ----------------------------------------------------------------- one actor
    @_cached
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

    @_cached
    def ties_by_nature(self, actor_id: str) -> pd.DataFrame:
        """Monthly distinct partners of a unit by tie nature (tidy: ``month``, ``nature``,
        ``partners``); a relation counts in every month it covers.

        Notes
        -----
        Each event is mapped to the months it touches (``searchsorted`` on the month starts),
        then (month, nature, partner) triples are de-duplicated: O(E log E) for the actor's E
        events.
        """
        ev = self.tie_events()
        ev = ev[(ev["a"] == actor_id) | (ev["b"] == actor_id)]
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

    @_cached
    def actor_timeline(self, actor_id: str) -> pd.DataFrame:
        """The recorded events of a unit, newest first (``start``, ``end``, ``partner_id``,
        ``partner``, ``nature``, ``programme``)."""
        ev = self.tie_events()
        ev = ev[(ev["a"] == actor_id) | (ev["b"] == actor_id)]
        partner = np.where(ev["a"] == actor_id, ev["b"], ev["a"])
        out = pd.DataFrame({
            "start": ev["start"].to_numpy(), "end": ev["end"].to_numpy(),
            "partner_id": partner,
            "partner": pd.Series(partner).map(self.actors["name"]).fillna(
                pd.Series(partner)).to_numpy(),
            "nature": ev["nature"].to_numpy(), "programme": ev["programme"].to_numpy(),
        })
        return out.sort_values("start", ascending=False).reset_index(drop=True)

    # ----------------------------------------------------------------- overview
    @_cached
    def growth(self, by: str | None = None) -> pd.DataFrame:
        """Monthly growth of the household-level network (``genera_graph.analytics.growth``),
        for the district or split ``by`` ``"community_point"`` or ``"programme"``: reach,
        active, new and lost ties, structure and the peer share, one row per month (and
        group)."""
        growth = _optional("genera_graph.analytics.growth", "growth")
        return growth(self.temporal(), by=by, level="household")

    def warm(self, periods: list[tuple[date, date]] | None = None) -> None:
        """Compute the tables every page starts from, so that first page views and callbacks
        answer at once: the map positions, growth, the worklists of every quarter, the
        monitoring report and, for each of ``periods`` (the periods the Bridges and
        Communities pages offer), bridging, brokerage and communities. Tens of seconds on the
        sample district; ``genera serve`` calls it before listening."""
        import contextlib

        months = self.months()
        steps = [self.positions, lambda: self.nodes(months[0], months[-1]), self.growth, lambda: self.growth("community_point"),
                 lambda: self.growth("programme"), self.community_history, self.report]
        years = self.config.programme_years()
        steps += [(lambda s=s, e=e: self.report(s, e)) for s, e in years]
        steps.append(lambda: self.report(years[0][0], years[-1][1]))
        for day in self.worklist_dates():
            steps += [(lambda d=day: self.isolation_reasons(d)),
                      (lambda d=day: self.early_warning(d))]
        for start, end in periods or []:
            steps += [(lambda s=start, e=end: self.bridging(s, e)),
                      (lambda s=start, e=end: self.brokerage_roles(s, e, "cp")),
                      (lambda s=start, e=end: self.brokerage_roles(s, e, "programme")),
                      (lambda s=start, e=end: self.communities(s, e))]
        for step in steps:
            with contextlib.suppress(Unavailable):
                step()
        import plotly.graph_objects as go

        go.Figure(layout={"template": "plotly_white"})  # plotly builds its templates once

    # ----------------------------------------------------------------- analytics
    @_cached
    def report(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """The monitoring table (``genera_graph.analytics.report``) for a period, or per
        programme year when no period is given."""
        monitoring_report = _optional("genera_graph.analytics.report", "monitoring_report")
        periods = [(start, end)] if start and end else None
        return monitoring_report(self.dataset, periods)

    def bridge_view(self, start: date, end: date) -> Any:
        """The graph of the bridging analytics: recorded ties between actors in ``[start, end)``.

        The convention of ``genera analyze`` (``genera_graph.analytics.tables.graph_for``):
        individual actors, interactions and relations only; co-participation cliques would
        rank attendance at big events, not brokerage.
        """
        return self.temporal().window(start, end)

    @_cached
    def bridging(self, start: date, end: date) -> pd.DataFrame:
        """The bridging table of the window's graph (:meth:`bridge_view`), with names and kinds.

        ``genera_graph.analytics.bridging.bridging_table`` (unweighted betweenness),
        normalised by the actors present in the window.
        """
        bridging_table = _optional("genera_graph.analytics.bridging", "bridging_table")
        graph = self.bridge_view(start, end).igraph()
        if graph.vcount() == 0:
            return pd.DataFrame()
        table = bridging_table(graph)
        a = self.actors
        table.insert(0, "name", [self.name_of(i) for i in table.index])
        table.insert(1, "kind", a["kind"].reindex(table.index).to_numpy())
        table.insert(2, "community_point_id", a["community_point_id"].reindex(table.index)
                     .to_numpy())
        return table.sort_values("betweenness", ascending=False)

    @_cached
    def brokerage_roles(self, start: date, end: date, by: str = "cp") -> pd.DataFrame:
        """Gould-Fernandez brokerage counts summed by group (tidy ``group``, ``role``,
        ``count``); groups are Community Points (``by="cp"``) or each actor's main programme
        in the window (``by="programme"``). Actors without a group are left out."""
        brokerage = _optional("genera_graph.analytics.bridging", "brokerage")
        roles = _optional("genera_graph.analytics.bridging", "ROLES")
        graph = self.bridge_view(start, end).igraph()
        groups = self._groups(start, end, by)
        keep = [v.index for v in graph.vs if v["name"] in groups.index]
        sub = graph.induced_subgraph(keep)
        if sub.vcount() < 3 or groups.reindex(sub.vs["name"]).nunique() < 2:
            return pd.DataFrame({"group": [], "role": [], "count": []})
        result = brokerage(sub, groups.reindex(sub.vs["name"]).to_dict())
        raw = result.raw[list(roles)].copy()
        raw["group"] = pd.Series(result.group).reindex(raw.index).to_numpy()
        tidy = raw.groupby("group").sum().reset_index().melt(
            id_vars="group", var_name="role", value_name="count")
        tidy["role"] = tidy["role"].map(roles)
        return tidy

    def _groups(self, start: date, end: date, by: str) -> pd.Series:
        a = self.actors
        if by == "programme":
            ev = self.tie_events()
            lo, hi = pd.Timestamp(start), pd.Timestamp(end)
            ev = ev[(ev["start"] < hi) & (ev["end"] >= lo)]
            long = pd.concat([ev[["a", "programme"]].rename(columns={"a": "id"}),
                              ev[["b", "programme"]].rename(columns={"b": "id"})])
            long = long.dropna()
            if not len(long):
                return pd.Series(dtype=object)
            return long.groupby("id")["programme"].agg(lambda s: s.value_counts().index[0])
        cp = a["community_point_id"].dropna()
        return cp[cp.astype(str) != ""]

    @_cached
    def what_if(self, actor_id: str, start: date, end: date) -> dict[str, float]:
        """Fragmentation and components of the window's graph before and after ``actor_id``
        leaves (``key_player_impact``; Borgatti's F)."""
        key_player_impact = _optional("genera_graph.analytics.bridging", "key_player_impact")
        graph = self.bridge_view(start, end).igraph()
        if actor_id not in set(graph.vs["name"]):
            return {}
        impact = key_player_impact(graph, [actor_id], distance=False).iloc[0]
        after = graph.copy()
        after.delete_vertices([graph.vs.find(name=actor_id).index])
        return {"before": float(impact["fragmentation_before"]),
                "after": float(impact["fragmentation_after"]),
                "delta": float(impact["fragmentation_delta"]),
                "components_before": len(graph.connected_components()),
                "components_after": len(after.connected_components())}

    @_cached
    def communities(self, start: date, end: date) -> dict[str, Any]:
        """Leiden communities of the window's household-level graph
        (``genera_graph.analytics.communities.leiden``, modularity, the config's seed and
        resolution): ``membership`` (Series unit id -> community, 0 the largest),
        ``modularity`` and ``parameters``."""
        leiden = _optional("genera_graph.analytics.communities", "leiden")
        result = leiden(self.view(start, end), resolution=self.config.leiden_resolution,
                        seed=self.config.seed)
        membership = result.membership.set_index("actor_id")["community"]
        return {"membership": membership, "modularity": float(result.modularity),
                "parameters": dict(result.parameters)}

    @_cached
    def community_history(self) -> pd.DataFrame:
        """Life-cycle events of the communities across the programme's quarters
        (``community_history``: births, deaths, merges, splits, growth...): its ``events``."""
        community_history = _optional("genera_graph.analytics.communities",
                                      "community_history")
        months = self.months()
        windows = [(months[k], months[min(k + 3, len(months) - 1)])
                   for k in range(0, len(months) - 1, 3)]
        history = community_history(self.temporal(), windows,
                                    resolution=self.config.leiden_resolution,
                                    seed=self.config.seed, level="household",
                                    include_coparticipation=True)
        return history.events

    def as_of_dates(self) -> tuple[date, ...]:
        """The days a worklist can be made on: the last day of each programme month."""
        return tuple(m - pd.Timedelta(days=1).to_pytimedelta() for m in self.months()[1:])

    def worklist_dates(self) -> tuple[date, ...]:
        """The days the worklist is offered on: each quarter's last day (the facilitators'
        quarterly follow-up rhythm), the programme's last day included."""
        return self.as_of_dates()[2::3]

    @_cached
    def isolation_report(self, as_of: date) -> pd.DataFrame:
        """Isolation status of every visible household on ``as_of``, with names
        (``genera_graph.analytics.isolation.isolation_report``)."""
        isolation_report = _optional("genera_graph.analytics.isolation", "isolation_report")
        report = isolation_report(self.district_temporal(), as_of, config=self.config)
        report = self._for_viewer(report, report.index)
        report.insert(0, "name", [self.name_of(i) for i in report.index])
        return report

    @_cached
    def isolation_reasons(self, as_of: date) -> pd.DataFrame:
        """One row per (household, reason) on ``as_of``, with the supporting dates; a bridge
        (``partner_id``) the viewer may not see is left missing."""
        isolation_reasons = _optional("genera_graph.analytics.isolation", "isolation_reasons")
        reasons = isolation_reasons(self.district_temporal(), as_of, config=self.config)
        return self._for_viewer(reasons, reasons["actor_id"]).reset_index(drop=True)

    @_cached
    def early_warning(self, as_of: date, cps: tuple[str, ...] = (),
                      facilitators: tuple[str, ...] = ()) -> pd.DataFrame:
        """The early-warning worklist on ``as_of`` (households whose status worsened), with
        names, for some Community Points and facilitators (all when empty)."""
        early_warning = _optional("genera_graph.analytics.isolation", "early_warning")
        table = early_warning(self.district_temporal(), as_of, config=self.config,
                              community_point=list(cps) or None,
                              facilitator=list(facilitators) or None)
        table = self._for_viewer(table, table.index)
        table.insert(0, "name", [self.name_of(i) for i in table.index])
        return table

    def isolation(self) -> pd.DataFrame:
        """Households isolated or at risk at the programme's last day."""
        report = self.isolation_report(self.as_of_dates()[-1])
        return report[report["status"].isin(("isolated", "at_risk"))]
