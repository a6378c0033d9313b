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
from datetime import date, timedelta
from typing import Any, Literal

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
from genera_graph.temporal._edges import code_set
from genera_graph.temporal._kernels import active_partner_matrix
from genera_graph.temporal._log import (
    ACTOR_KINDS,
    INTERACTION,
    NATURES,
    PARTICIPATION,
    PROGRAMMES,
    RELATION,
    EventLog,
    build_log,
)
from genera_graph.temporal._spec import Level, Vertices, ViewSpec
from genera_graph.temporal.view import View

__all__ = ["TemporalGraph", "View", "ViewSpec"]

_CACHE_SIZE = 512


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
    actor_columns : dict of str to numpy.ndarray
        ``actor_id``, ``kind`` and ``community_point_id`` of :attr:`actors` as object arrays
        (what the views' vertex tables and igraph attributes are cut from).

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
        self.actor_columns = {
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

    def extended(self, ds: Dataset, added: dict[str, pd.DataFrame]) -> TemporalGraph | None:
        """The temporal graph of ``ds``, which is this graph's dataset plus the new event rows
        ``added`` (table name -> rows of ``interactions``, ``relations`` or
        ``participations``), made by inserting those events into this log instead of
        encoding every table again; ``None`` when that would not equal
        :meth:`from_dataset` (actors or activities not appended after the known ones,
        memberships or Community Points changed, an event after the open relations' end).

        Examples
        --------
        >>> from genera_graph.temporal.testing import toy_dataset
        >>> ds = toy_dataset()
        >>> tg = TemporalGraph.from_dataset(ds)
        >>> new = ds.interactions.iloc[:1].assign(interaction_id="NEW")
        >>> grown = dict(ds.tables(), interactions=pd.concat([ds.interactions, new]))
        >>> more = tg.extended(Dataset(**grown), {"interactions": new})
        >>> more.n_events - tg.n_events
        1
        """
        from genera_graph.temporal._extend import extend_log

        log = extend_log(self.log, ds, added, self.config)
        if log is None:
            return None
        tg = type(self)(log, self.config)
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
        natures = code_set(nature, "nature", self.log)
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
            "programme": as_tuple(code_set(programme, "programme", self.log)),
            "community_point": as_tuple(code_set(community_point, "community_point", self.log)),
            "actor_kind": as_tuple(code_set(actor_kind, "actor_kind", self.log)),
            "nature": as_tuple(code_set(nature, "nature", self.log)),
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
