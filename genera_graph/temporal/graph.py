"""The temporal graph: one event log, and the graph views derived from it.

A :class:`TemporalGraph` holds every event once, as columnar numpy arrays (see ``TemporalGraph.log``),
and derives **views** (:class:`View`): ``at(t)``, ``window(start, end)``, ``cumulative(t)`` and
``rolling(width, step)``. A view is an edge table plus a vertex table; it gives an igraph graph for
computation and a networkx graph on demand. The same view asked twice is built once.

Events
------
- *interactions* are instantaneous and directed (source -> target); the tie graph is undirected
  unless ``directed=True`` is asked (for brokerage);
- *relations* are interval ties from ``start_date`` to ``end_date`` inclusive; a missing end date
  means the relation still holds, until the later of ``config.programme_end`` and the last day
  recorded in the log;
- *participations* are actor–activity events (two-mode); views include their projection
  (co-participation ties, :func:`~genera_graph.temporal.coparticipation`) with
  ``include_coparticipation=True``.

Examples
--------
>>> from genera_graph.temporal.testing import toy_dataset
>>> tg = TemporalGraph.from_dataset(toy_dataset())
>>> view = tg.window("2016-06-01", "2016-07-01")
>>> view.edges[["source", "target", "weight", "nature"]]
  source target  weight        nature
0   H001   H002     2.0          peer
1   H001   F001     1.0  professional
>>> view.igraph().vcount(), view.igraph().ecount()
(3, 2)
>>> tg.window("2016-06-01", "2016-07-01") is view
True
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from genera_graph.model.config import DEFAULT_CONFIG, AnalysisConfig
from genera_graph.model.dataset import Dataset
from genera_graph.temporal._dates import (
    DateLike,
    day_number,
    day_to_date,
    days_to_datetime64,
    month_ends,
)
from genera_graph.temporal._kernels import active_partner_matrix
from genera_graph.temporal._log import (
    ACTOR_KINDS,
    EVENT_KINDS,
    INDIVIDUAL,
    INSTITUTIONAL,
    INTERACTION,
    NATURES,
    PARTICIPATION,
    PEER,
    PROFESSIONAL,
    PROGRAMMES,
    RELATION,
    ROLES,
    EventLog,
    build_log,
)
from genera_graph.temporal.projection import _project

if TYPE_CHECKING:
    import igraph
    import networkx

__all__ = ["TemporalGraph", "View", "ViewSpec"]

Level = Literal["individual", "household"]
Vertices = Literal["active", "met", "all"]
_CACHE_SIZE = 512


@dataclass(frozen=True)
class ViewSpec:
    """The parameters of a view (hashable: the key of the view cache).

    Days are day numbers (see :func:`~genera_graph.temporal.day_number`). ``mode`` is
    ``"window"`` (``[start, end)``, ``start`` may be ``None``) or ``"at"`` (``t``).
    """

    mode: Literal["window", "at"]
    start: int | None = None
    end: int | None = None
    t: int | None = None
    horizon_days: float | None = None
    half_life_days: float | None = None
    programme: tuple[int, ...] | None = None
    community_point: tuple[int, ...] | None = None
    actor_kind: tuple[int, ...] | None = None
    nature: tuple[int, ...] | None = None
    level: Level = "individual"
    directed: bool = False
    include_coparticipation: bool = False
    coparticipation_weighting: str = "count"
    vertices: Vertices = "active"

    @property
    def last_day(self) -> int | None:
        """The last day the view covers (``end - 1`` for a window, ``t`` for ``at``)."""
        return self.t if self.mode == "at" else self.end - 1  # type: ignore[operator]


class TemporalGraph:
    """A temporal graph of the programme: the event log, stored once, and its views.

    Build it with :meth:`from_dataset` or :meth:`from_frames`. Views share its arrays and are
    cached by their parameters (at most 512 views, least recently used dropped first).

    Parameters
    ----------
    log : EventLog
        The encoded events (built by the constructors; not meant to be made by hand).
    config : AnalysisConfig
        Horizon, half-life and programme dates used as defaults by the views.

    Attributes
    ----------
    log : EventLog
        Columnar arrays, sorted by day: ``source``, ``target`` (actor index; activity index for
        participations), ``day`` and ``end`` (day numbers: days since 1970-01-01; ``end`` is the
        last day of an interval tie and equals ``day`` for an instantaneous event), ``nature``,
        ``programme``, ``cp`` (Community Point code, -1 if none), ``kind`` (0 interaction,
        1 relation, 2 participation), ``weight``, ``role``, and ``source_unit``/``target_unit``
        (the household-level endpoints).
    actors : pandas.DataFrame
        ``actor_id``, ``kind``, ``community_point_id``, ``first_met``: one row per actor, in the
        order of the actor indices.

    Examples
    --------
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> tg.n_events
    9
    >>> tg.events().groupby("event_kind").size().to_dict()
    {'interaction': 4, 'participation': 3, 'relation': 2}
    """

    def __init__(self, log: EventLog, config: AnalysisConfig = DEFAULT_CONFIG) -> None:
        self.log = log
        self.config = config
        self._cache: OrderedDict[ViewSpec, View] = OrderedDict()
        cp = np.asarray(log.cp_ids, dtype=object)
        self.actors = pd.DataFrame(
            {
                "actor_id": np.asarray(log.actor_ids, dtype=object),
                "kind": np.asarray(ACTOR_KINDS, dtype=object)[log.actor_kind],
                "community_point_id": np.where(
                    log.actor_cp >= 0, cp[np.maximum(log.actor_cp, 0)] if len(cp) else None, None
                ),
                "first_met": days_to_datetime64(log.actor_first_met),
            }
        )
        self._actor_columns = {
            col: self.actors[col].to_numpy(dtype=object)
            for col in ("actor_id", "kind", "community_point_id")
        }

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dataset(cls, ds: Dataset, config: AnalysisConfig = DEFAULT_CONFIG) -> TemporalGraph:
        """Build the temporal graph of a :class:`~genera_graph.model.Dataset`.

        Parameters
        ----------
        ds : Dataset
            The six tables (valid against their schemas).
        config : AnalysisConfig, optional
            Analysis defaults (horizon, half-life, programme dates).

        Returns
        -------
        TemporalGraph

        Raises
        ------
        ValueError
            When an event refers to an unknown actor or activity, or a date is missing.

        Examples
        --------
        >>> from genera_graph.model import Dataset
        >>> TemporalGraph.from_dataset(Dataset.empty()).n_events
        0
        """
        tg = cls(build_log(**ds.tables(), config=config), config)
        tg._attach_actor_attributes(ds.actors)
        return tg

    #: actor columns kept beside the log for the analytics (never names: personal data stays
    #: in the dataset)
    ACTOR_ATTRIBUTES = ("municipality", "facilitator_id", "left_on")

    def _attach_actor_attributes(self, actors: pd.DataFrame) -> None:
        extra = actors.set_index("actor_id")
        for col in self.ACTOR_ATTRIBUTES:
            if col in extra:
                values = extra[col].reindex(self.actors["actor_id"]).to_numpy()
                self.actors[col] = values

    @classmethod
    def from_frames(
        cls,
        actors: pd.DataFrame,
        *,
        interactions: pd.DataFrame | None = None,
        relations: pd.DataFrame | None = None,
        participations: pd.DataFrame | None = None,
        activities: pd.DataFrame | None = None,
        household_members: pd.DataFrame | None = None,
        config: AnalysisConfig = DEFAULT_CONFIG,
    ) -> TemporalGraph:
        """Build from DataFrames with the columns of the data model; missing tables are empty.

        Examples
        --------
        >>> import pandas as pd
        >>> actors = pd.DataFrame({"actor_id": ["A", "B"], "kind": ["individual"] * 2,
        ...     "name": ["a", "b"], "first_met": pd.to_datetime(["2016-03-01"] * 2)})
        >>> contacts = pd.DataFrame({"interaction_id": ["X1"], "date": pd.to_datetime(["2016-03-02"]),
        ...     "source_actor_id": ["A"], "target_actor_id": ["B"], "kind": ["meeting"],
        ...     "nature": ["peer"], "programme": ["community"], "source": ["survey"]})
        >>> TemporalGraph.from_frames(actors, interactions=contacts).cumulative("2016-12-31").edges.shape[0]
        1
        """
        empty = Dataset.empty()
        tables = {
            "actors": actors,
            "household_members": household_members,
            "activities": activities,
            "participations": participations,
            "interactions": interactions,
            "relations": relations,
        }
        frames = {
            name: getattr(empty, name) if frame is None else frame for name, frame in tables.items()
        }
        tg = cls(build_log(**frames, config=config), config)
        tg._attach_actor_attributes(actors)
        return tg

    # ------------------------------------------------------------------ description
    @property
    def n_actors(self) -> int:
        """Number of actors (vertices of the ``vertices="all"`` views)."""
        return self.log.n_actors

    @property
    def n_events(self) -> int:
        """Number of events (interactions, relations, participations)."""
        return len(self.log.day)

    @property
    def first_day(self) -> date | None:
        """The first day with an event (``None`` for an empty log)."""
        return day_to_date(self.log.day[0]) if self.n_events else None

    @property
    def last_day(self) -> date | None:
        """The last day with an event or a relation end (``None`` for an empty log)."""
        return day_to_date(self.log.end.max()) if self.n_events else None

    def events(self) -> pd.DataFrame:
        """The event log as a tidy frame (one row per event, by day).

        Columns: ``event_kind``, ``source``, ``target`` (an activity id for a participation),
        ``start``, ``end`` (``datetime64``), ``nature``, ``programme``, ``community_point_id``.
        """
        log = self.log
        is_p = log.kind == PARTICIPATION
        actor = np.asarray(log.actor_ids, dtype=object)
        acts = np.asarray(log.activity_ids, dtype=object)
        target = np.empty(len(log.day), dtype=object)
        target[~is_p] = actor[log.target[~is_p]]
        target[is_p] = acts[log.target[is_p]]
        cp = np.asarray(list(log.cp_ids) + [None], dtype=object)
        return pd.DataFrame(
            {
                "event_kind": np.asarray(["interaction", "relation", "participation"])[log.kind],
                "source": actor[log.source],
                "target": target,
                "start": days_to_datetime64(log.day),
                "end": days_to_datetime64(log.end),
                "nature": np.asarray(NATURES, dtype=object)[log.nature],
                "programme": np.asarray(PROGRAMMES, dtype=object)[log.programme],
                "community_point_id": cp[log.cp],
            }
        )

    # ------------------------------------------------------------------ views
    def window(
        self,
        start: DateLike | None,
        end: DateLike,
        *,
        programme: str | Iterable[str] | None = None,
        community_point: str | Iterable[str] | None = None,
        actor_kind: str | Iterable[str] | None = None,
        nature: str | Iterable[str] | None = None,
        level: Level = "individual",
        directed: bool = False,
        include_coparticipation: bool = False,
        coparticipation_weighting: str = "count",
        vertices: Vertices = "active",
    ) -> View:
        """Ties with activity in the half-open window ``[start, end)``.

        Parameters
        ----------
        start : date-like or None
            First day of the window (``None``: from the beginning of the log).
        end : date-like
            First day *after* the window.
        programme, community_point : str or iterable of str, optional
            Keep only events of these programmes / Community Points (the tie's own, or its
            activity's for co-participation).
        actor_kind : str or iterable of str, optional
            Keep only ties whose two endpoints (at the view's ``level``) are of these kinds;
            vertices are restricted to them too.
        nature : str or iterable of str, optional
            Keep only events of these natures (``"peer"``, ``"professional"``,
            ``"institutional"``).
        level : {"individual", "household"}
            ``"household"`` replaces an individual by the household it belonged to on the day of
            the event (the start day of a relation); ties inside a household are dropped.
        directed : bool
            Keep interaction and relation direction (source -> target; actor -> partner);
            co-participation ties are then added in both directions.
        include_coparticipation : bool
            Add the co-participation projection of the participations in the window.
        coparticipation_weighting : {"count", "newman"}
            See :func:`~genera_graph.temporal.coparticipation`.
        vertices : {"active", "met", "all"}
            Which actors are vertices: ``"active"`` those with a tie in the view; ``"met"`` also
            every actor met (``first_met``) by the view's last day; ``"all"`` every actor. At
            household level, individuals who belong to a household on the view's last day are
            represented by it.

        Returns
        -------
        View

        Notes
        -----
        An instantaneous event on day ``d`` is in the window iff ``start <= d < end``; an
        interval tie ``[s, e]`` (inclusive) iff ``s < end`` and ``e >= start``. The edge weight
        is the number of events (each relation counts once).

        Examples
        --------
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> tg = TemporalGraph.from_dataset(toy_dataset())
        >>> tg.window("2016-06-01", "2016-07-01", nature="peer").edges.shape[0]
        1
        """
        spec = ViewSpec(
            mode="window",
            start=None if start is None else day_number(start),
            end=day_number(end),
            **self._filters(
                programme, community_point, actor_kind, nature, level, directed,
                include_coparticipation, coparticipation_weighting, vertices,
            ),
        )
        return self.view(spec)

    def cumulative(self, t: DateLike, **filters: Any) -> View:
        """Everything up to and including day ``t``: ``window(None, t + 1 day)``.

        Keyword arguments are the filters of :meth:`window`.

        Examples
        --------
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> tg = TemporalGraph.from_dataset(toy_dataset())
        >>> tg.cumulative("2016-12-31").edges.shape[0]
        5
        """
        end = day_to_date(day_number(t) + 1)
        return self.window(None, end, **filters)

    def at(
        self,
        t: DateLike,
        *,
        horizon_days: float | None = None,
        half_life_days: float | None = None,
        **filters: Any,
    ) -> View:
        """Ties active on day ``t``.

        Parameters
        ----------
        t : date-like
            The day.
        horizon_days : float, optional
            An instantaneous event on day ``d`` is active iff ``d <= t < d + horizon_days``
            (default ``config.horizon_days``; ``math.inf``: every event up to ``t``).
        half_life_days : float, optional
            If given, an instantaneous event's weight decays as ``0.5 ** ((t - d) / half_life)``
            (``config.half_life_days`` is the customary value); otherwise it counts 1.
        **filters
            The filters of :meth:`window`.

        Notes
        -----
        An interval tie ``[s, e]`` is active iff ``s <= t <= e`` and weighs 1 (no decay).
        Co-participations count from participations in the horizon, without decay.

        Examples
        --------
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> tg = TemporalGraph.from_dataset(toy_dataset())
        >>> tg.at("2016-07-15", horizon_days=30).edges[["source", "target", "nature"]]
          source target         nature
        0   H001   H002           peer
        1   H002   O001  institutional
        >>> w = tg.at("2016-07-15", half_life_days=30).edges["weight"]
        >>> bool(w.iloc[0] < 2)
        True
        """
        horizon = self.config.horizon_days if horizon_days is None else float(horizon_days)
        if horizon <= 0:
            raise ValueError("horizon_days must be positive")
        if half_life_days is not None and half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        spec = ViewSpec(
            mode="at",
            t=day_number(t),
            horizon_days=float(horizon),
            half_life_days=None if half_life_days is None else float(half_life_days),
            **self._filters(**_filter_kwargs(filters)),
        )
        return self.view(spec)

    def rolling(
        self,
        width: int | timedelta,
        step: int | timedelta | None = None,
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        **filters: Any,
    ) -> list[View]:
        """A sequence of windows ``[s, s + width)`` for ``s = start, start + step, ...`` < ``end``.

        Parameters
        ----------
        width, step : int (days) or timedelta
            Window length and the distance between window starts (default ``step = width``:
            windows that partition time).
        start, end : date-like, optional
            Default ``config.programme_start`` and the day after ``config.programme_end``.
        **filters
            The filters of :meth:`window`.

        Returns
        -------
        list of View

        Examples
        --------
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> tg = TemporalGraph.from_dataset(toy_dataset())
        >>> [v.start.isoformat() for v in tg.rolling(30, start="2016-06-01", end="2016-08-01")]
        ['2016-06-01', '2016-07-01', '2016-07-31']
        """
        width_d = _days(width)
        step_d = width_d if step is None else _days(step)
        if width_d <= 0 or step_d <= 0:
            raise ValueError("width and step must be positive")
        s = day_number(self.config.programme_start if start is None else start)
        e = day_number(self.config.programme_end) + 1 if end is None else day_number(end)
        return [
            self.window(day_to_date(a), day_to_date(a + width_d), **filters)
            for a in range(s, e, step_d)
        ]

    def view(self, spec: ViewSpec) -> View:
        """The view of a :class:`ViewSpec`, from the cache when it was asked before."""
        cached = self._cache.get(spec)
        if cached is not None:
            self._cache.move_to_end(spec)
            return cached
        view = View(self, spec)
        self._cache[spec] = view
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return view

    # ------------------------------------------------------------------ fast kernels
    def active_partner_counts(
        self,
        width_days: int = 90,
        ends: Sequence[DateLike] | None = None,
        *,
        level: Level = "individual",
        nature: str | Iterable[str] | None = None,
        include_relations: bool = True,
        form: Literal["wide", "long"] = "wide",
    ) -> pd.DataFrame:
        """Distinct active partners of every actor in rolling windows ending on given days.

        Window ``k`` covers the ``width_days`` days ending on ``ends[k]`` inclusive,
        ``[ends[k] - width_days + 1, ends[k]]``. A partner is active in it if the two have an
        interaction in it or (``include_relations``) a relation overlapping it.
        Co-participations are not counted.

        Parameters
        ----------
        width_days : int
            Window length in days (90: the default horizon).
        ends : sequence of date-like, optional
            Last days of the windows, increasing (default: the month-ends of the programme).
        level : {"individual", "household"}
            Count partners between households (an individual as its household on the event day).
        nature : str or iterable of str, optional
            Count only events of these natures.
        include_relations : bool
            Count interval ties too.
        form : {"wide", "long"}
            ``"wide"``: index ``actor_id``, one column per window end (``datetime64``).
            ``"long"``: columns ``window_end``, ``actor_id``, ``active_partners``.

        Returns
        -------
        pandas.DataFrame
            Every actor, zeros included.

        Notes
        -----
        One pass: each event is mapped arithmetically (``searchsorted`` on the window ends) to
        the windows it touches; each (window, undirected pair) is encoded as one ``int64``
        (``(k * n + min) * n + max``), de-duplicated by sorting and counted with ``bincount``.
        Time :math:`O(M \\log M)` for ``M`` = events x windows touched; memory :math:`O(M + Kn)`.

        Examples
        --------
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> tg = TemporalGraph.from_dataset(toy_dataset())
        >>> counts = tg.active_partner_counts(30, ["2016-06-30", "2016-07-31"])
        >>> counts.loc["H001"].tolist()
        [2, 0]
        """
        log = self.log
        ends_d = np.asarray(
            [day_number(e) for e in (self._month_ends() if ends is None else ends)], np.int64
        )
        if len(ends_d) and (np.diff(ends_d) <= 0).any():
            raise ValueError("ends must be strictly increasing")
        mask = log.kind == INTERACTION
        if include_relations:
            mask |= log.kind == RELATION
        natures = _code_set(nature, "nature", self)
        if natures is not None:
            mask &= np.isin(log.nature, natures)
        src = log.source_unit if level == "household" else log.source
        tgt = log.target_unit if level == "household" else log.target
        counts = active_partner_matrix(
            src[mask], tgt[mask], log.day[mask], log.end[mask], ends_d, int(width_days),
            log.n_actors,
        )
        columns = pd.DatetimeIndex(days_to_datetime64(ends_d), name="window_end")
        index = pd.Index(log.actor_ids, name="actor_id")
        if form == "wide":
            return pd.DataFrame(counts.T, index=index, columns=columns)
        k, n = counts.shape
        return pd.DataFrame(
            {
                "window_end": np.repeat(columns.to_numpy(), n),
                "actor_id": pd.Categorical.from_codes(
                    np.tile(np.arange(n), k), categories=index
                ),
                "active_partners": counts.ravel(),
            }
        )

    # ------------------------------------------------------------------ helpers
    def _month_ends(self) -> list[date]:
        return month_ends(self.config.programme_start, self.config.programme_end)

    def _filters(
        self,
        programme: Any = None,
        community_point: Any = None,
        actor_kind: Any = None,
        nature: Any = None,
        level: Level = "individual",
        directed: bool = False,
        include_coparticipation: bool = False,
        coparticipation_weighting: str = "count",
        vertices: Vertices = "active",
    ) -> dict[str, Any]:
        if level not in ("individual", "household"):
            raise ValueError(f"level must be 'individual' or 'household', got {level!r}")
        if vertices not in ("active", "met", "all"):
            raise ValueError(f"vertices must be 'active', 'met' or 'all', got {vertices!r}")
        if coparticipation_weighting not in ("count", "newman"):
            raise ValueError("coparticipation_weighting must be 'count' or 'newman'")

        def as_tuple(codes: np.ndarray | None) -> tuple[int, ...] | None:
            return None if codes is None else tuple(sorted(int(c) for c in codes))

        return {
            "programme": as_tuple(_code_set(programme, "programme", self)),
            "community_point": as_tuple(_code_set(community_point, "community_point", self)),
            "actor_kind": as_tuple(_code_set(actor_kind, "actor_kind", self)),
            "nature": as_tuple(_code_set(nature, "nature", self)),
            "level": level,
            "directed": bool(directed),
            "include_coparticipation": bool(include_coparticipation),
            "coparticipation_weighting": coparticipation_weighting if include_coparticipation
            else "count",
            "vertices": vertices,
        }

    def __repr__(self) -> str:
        return (
            f"TemporalGraph({self.n_actors} actors, {self.n_events} events, "
            f"{self.first_day} .. {self.last_day})"
        )


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
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> v = tg.window("2016-06-01", "2016-07-01", level="household", vertices="met")
    >>> v.vertices["actor_id"].tolist()
    ['H001', 'H002', 'F001', 'O001', 'CP1']
    >>> g = v.networkx()
    >>> sorted(g.edges("H002"))
    [('H002', 'H001')]
    """

    def __init__(self, tg: TemporalGraph, spec: ViewSpec) -> None:
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
            self._edge_arrays = _edge_arrays(self.tg, self.spec)
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
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> ds = toy_dataset()
        >>> tg = TemporalGraph.from_dataset(ds)
        >>> events = tg.window("2016-06-01", "2016-07-01").tie_events()
        >>> june = ds.interactions["date"].dt.month == 6
        >>> len(events) == june.sum() and set(events["event_kind"]) == {"interaction"}
        True
        """
        tg, spec, log = self.tg, self.spec, self.tg.log
        idx = _direct_events(tg, spec, _in_view(tg, spec))
        src, tgt = _endpoints(tg, spec)
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
            self._vertex_index = _vertex_index(self.tg, self.spec, self._arrays())
        return self._vertex_index

    @property
    def vertices(self) -> pd.DataFrame:
        idx = self.vertex_index()
        cols = self.tg._actor_columns
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
            cols = self.tg._actor_columns
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


# ---------------------------------------------------------------------- internals
def _filter_kwargs(filters: dict[str, Any]) -> dict[str, Any]:
    allowed = {
        "programme", "community_point", "actor_kind", "nature", "level", "directed",
        "include_coparticipation", "coparticipation_weighting", "vertices",
    }
    unknown = set(filters) - allowed
    if unknown:
        raise TypeError(f"unknown view options: {', '.join(sorted(unknown))}")
    return filters


def _days(value: int | timedelta) -> int:
    return value.days if isinstance(value, timedelta) else int(value)


def _as_day_or_none(value: DateLike | None) -> int | None:
    return None if value is None else day_number(value)


def _code_set(values: Any, what: str, tg: TemporalGraph) -> np.ndarray | None:
    """Codes of filter values (``None``: no filter); unknown values raise ``ValueError``."""
    if values is None:
        return None
    items = [values] if isinstance(values, str) else [str(v) for v in values]
    if what == "community_point":
        codes = tg.log.cp_ids.get_indexer(pd.Index(items, dtype=object))
        # an unknown point is not an error: it simply has no events
        return np.asarray(sorted(set(codes.tolist()) - {-1}) or [-2], dtype=np.int64)
    vocab = {
        "programme": PROGRAMMES,
        "actor_kind": ACTOR_KINDS,
        "nature": NATURES,
        "role": ROLES,
    }[what]
    bad = [v for v in items if v not in vocab]
    if bad:
        raise ValueError(f"unknown {what}: {', '.join(bad)} (expected one of {', '.join(vocab)})")
    return np.asarray(sorted({vocab.index(v) for v in items}), dtype=np.int64)


def _aggregate_edges(
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    nature: np.ndarray,
    n: int,
    *,
    directed: bool,
    count: bool = False,
) -> dict[str, np.ndarray]:
    """Sum event rows into one row per pair (``u < v`` unless directed), with the nature rule."""
    u = np.asarray(u, np.int64)
    v = np.asarray(v, np.int64)
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    keep = u != v
    u, v, w, nature = u[keep], v[keep], np.asarray(w, float)[keep], nature[keep]
    key = u * n + v
    order = np.argsort(key)
    key, w, nature = key[order], w[order], nature[order]
    if len(key) == 0:
        starts = np.empty(0, np.int64)
    else:
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    by_nature = []
    for code in (PEER, PROFESSIONAL, INSTITUTIONAL):
        wn = np.where(nature == code, w, 0.0)
        by_nature.append(np.add.reduceat(wn, starts) if len(starts) else np.empty(0))
    weight = np.add.reduceat(w, starts) if len(starts) else np.empty(0)
    # nature rule: largest weight; ties go to the more formal nature
    stacked = np.vstack([by_nature[2], by_nature[1], by_nature[0]])
    rule = np.array([INSTITUTIONAL, PROFESSIONAL, PEER])[np.argmax(stacked, axis=0)] if len(
        starts
    ) else np.empty(0, np.int64)
    out = {
        "u": key[starts] // n if len(starts) else np.empty(0, np.int64),
        "v": key[starts] % n if len(starts) else np.empty(0, np.int64),
        "weight": weight,
        "n_peer": by_nature[0],
        "n_professional": by_nature[1],
        "n_institutional": by_nature[2],
        "nature": np.asarray(NATURES, dtype=object)[rule.astype(np.int64)],
    }
    if count:
        out["count"] = np.diff(np.r_[starts, len(key)]).astype(np.int64)
    return out


def _in_view(tg: TemporalGraph, spec: ViewSpec) -> np.ndarray:
    """Events in the view's time span, programmes and Community Points (a boolean mask)."""
    log = tg.log
    is_interval = log.kind == RELATION
    if spec.mode == "window":
        lo = -np.inf if spec.start is None else spec.start
        hi = spec.end
        in_time = np.where(
            is_interval,
            (log.day < hi) & (log.end >= lo),
            (log.day >= lo) & (log.day < hi),
        )
    else:
        t, h = spec.t, spec.horizon_days
        in_time = np.where(
            is_interval,
            (log.day <= t) & (log.end >= t),
            (log.day <= t) & (log.day > t - h),
        )
    mask = in_time
    if spec.programme is not None:
        mask &= np.isin(log.programme, spec.programme)
    if spec.community_point is not None:
        mask &= np.isin(log.cp, spec.community_point)
    return mask


def _endpoints(tg: TemporalGraph, spec: ViewSpec) -> tuple[np.ndarray, np.ndarray]:
    log = tg.log
    if spec.level == "household":
        return log.source_unit, log.target_unit
    return log.source, log.target


def _direct_events(tg: TemporalGraph, spec: ViewSpec, mask: np.ndarray) -> np.ndarray:
    """Indices of the interactions and relations of a view, every filter applied."""
    log = tg.log
    keep = mask & (log.kind != PARTICIPATION)
    if spec.nature is not None:
        keep &= np.isin(log.nature, spec.nature)
    if spec.actor_kind is not None:
        src, tgt = _endpoints(tg, spec)
        kinds = log.actor_kind
        keep &= np.isin(kinds[src], spec.actor_kind) & np.isin(kinds[tgt], spec.actor_kind)
    return np.flatnonzero(keep)


def _edge_arrays(tg: TemporalGraph, spec: ViewSpec) -> dict[str, np.ndarray]:
    log = tg.log
    n = log.n_actors
    mask = _in_view(tg, spec)
    src, tgt = _endpoints(tg, spec)

    tie = _direct_events(tg, spec, mask)
    u, v, nat = src[tie], tgt[tie], log.nature[tie]
    w = log.weight[tie]
    if spec.mode == "at" and spec.half_life_days is not None:
        age = spec.t - log.day[tie]
        instant = log.kind[tie] != RELATION
        w = np.where(instant, w * 0.5 ** (age / spec.half_life_days), w)
    if spec.include_coparticipation:
        part = mask & (log.kind == PARTICIPATION)
        pu, pv, pw, pn = _project(
            src[part], log.target[part], log.nature[part], n, spec.coparticipation_weighting
        )
        if spec.directed:
            pu, pv = np.r_[pu, pv], np.r_[pv, pu]
            pw, pn = np.r_[pw, pw], np.r_[pn, pn]
        keep = np.ones(len(pu), bool)
        if spec.nature is not None:
            keep &= np.isin(pn, spec.nature)
        if spec.actor_kind is not None:
            kinds = log.actor_kind
            keep &= np.isin(kinds[pu], spec.actor_kind) & np.isin(kinds[pv], spec.actor_kind)
        u, v = np.r_[u, pu[keep]], np.r_[v, pv[keep]]
        w, nat = np.r_[w, pw[keep]], np.r_[nat, pn[keep]]
    return _aggregate_edges(u, v, w, nat, n, directed=spec.directed)


def _vertex_index(tg: TemporalGraph, spec: ViewSpec, arrays: dict[str, np.ndarray]) -> np.ndarray:
    log = tg.log
    n = log.n_actors
    chosen = np.zeros(n, bool)
    chosen[arrays["u"]] = True
    chosen[arrays["v"]] = True
    if spec.vertices != "active":
        extra = np.ones(n, bool)
        last = spec.last_day
        if spec.vertices == "met":
            extra &= log.actor_first_met <= last
        if spec.level == "household":
            ind = np.flatnonzero(log.actor_kind == INDIVIDUAL)
            housed = log.household_of(ind, last) != ind
            extra[ind[housed]] = False
        if spec.actor_kind is not None:
            extra &= np.isin(log.actor_kind, spec.actor_kind)
        chosen |= extra
    return np.flatnonzero(chosen)

