"""One server, many viewers: the access object of each request, from the signed-in account.

:class:`AccessRegistry` is what :func:`dash_app.create_app` keeps on the server. Each request's
viewer (set from the session by :mod:`dash_app.auth`, never from anything the browser sends)
picks its access object: viewers who see the same thing (same role, same Community Points)
share one, with its caches; viewers who see different things never share a cache. The district
is loaded by each access object (and again after a write through the explorer); a
facilitator's isolation is judged on the district's graph, shared, then cut.

- a **coordinator** reads the whole district;
- a **facilitator** reads the dataset of their points (:func:`~dash_app.data.viewer.scope_dataset`);
- a **researcher** reads a pseudonymised copy of the district (every id and name replaced by
  the research export's pseudonyms, :class:`genera_graph.exports.pseudonyms.Pseudonymiser`),
  and only aggregates: every table of identified detail (an actor's network or ties, the map's
  nodes, worklists, bridges, communities' members) raises :class:`Forbidden`;
- an **admin** reads no family data (an empty dataset).

Without a signed-in viewer (no session) a request gets :class:`Forbidden`, unless the registry
was given a ``default_viewer`` (an app built without sign-in, for tests).

Examples
--------
>>> from genera_graph.model import Dataset
>>> registry = AccessRegistry(Dataset.empty())
>>> registry.for_viewer(Viewer()) is registry.for_viewer(Viewer(username="another"))
True
"""

from __future__ import annotations

import threading
from typing import Any

from dash_app.data.access import DataAccess
from dash_app.data.cache import cached
from dash_app.data.source import Source
from dash_app.data.viewer import Viewer
from genera_graph.model import DEFAULT_CONFIG, AnalysisConfig, Dataset

__all__ = ["AccessRegistry", "Forbidden", "ResearchAccess", "pseudonymised_dataset"]

#: the ``flask.g`` attribute that carries the request's viewer (set by the sign-in gate)
VIEWER_KEY = "genera_viewer"

#: the viewer of an app built without sign-in (tests, notebooks): the whole district
_COORDINATOR = Viewer()


class Forbidden(PermissionError):
    """The viewer's role may not see this (the server answers 403, with no data)."""


def pseudonymised_dataset(ds: Dataset, pseudonymiser: Any) -> Dataset:
    """The district with every id and name replaced by the study's pseudonyms.

    Actor, activity, interaction and relation ids (and every reference to them) become
    pseudonyms; names and activity titles become the pseudonym of their row; municipalities
    are dropped. Kinds, natures, programmes, dates and amounts stay (the aggregates need them).
    """
    p = pseudonymiser.series

    def ids(frame, cols):
        frame = frame.copy()
        for col in cols:
            if col in frame:
                frame[col] = p(frame[col])
        return frame

    actors = ids(ds.actors, ["actor_id", "community_point_id", "facilitator_id"])
    actors["name"] = actors["actor_id"]
    if "municipality" in actors:
        actors["municipality"] = None
    activities = ids(ds.activities, ["activity_id", "community_point_id", "partner_id"])
    activities["title"] = activities["activity_id"]
    return Dataset(
        actors=actors,
        household_members=ids(ds.household_members, ["household_id", "individual_id"]),
        activities=activities,
        participations=ids(ds.participations, ["activity_id", "actor_id"]),
        interactions=ids(ds.interactions, ["interaction_id", "source_actor_id",
                                           "target_actor_id", "community_point_id"]),
        relations=ids(ds.relations, ["relation_id", "actor_id", "partner_id", "activity_id",
                                     "community_point_id"]),
    )


def _forbidden(name: str):
    def method(self, *args: Any, **kwargs: Any) -> Any:
        raise Forbidden(f"{name}: identified detail, not for a {self.viewer.role}")

    method.__name__ = name
    method.__doc__ = "Refused: identified detail (a researcher sees aggregates only)."
    return method


#: the tables of identified detail (one actor, one household, lists of actors)
_IDENTIFIED = ("ego", "ties_by_nature", "actor_timeline", "nodes", "positions", "bridging",
               "what_if", "communities", "community_of", "isolation_report",
               "isolation_reasons", "early_warning", "last_follow_ups")


class _RequestViewer:
    """An access object shared by the viewers of one scope: inside a request its ``viewer`` is
    that request's (with the user, for authorship), else the scope's."""

    @property
    def viewer(self) -> Viewer:
        import flask

        if flask.has_request_context():
            mine = flask.g.get(VIEWER_KEY)
            if mine is not None and mine.scope_key == self._scope_viewer.scope_key:
                return mine
        return self._scope_viewer

    @viewer.setter
    def viewer(self, value: Viewer) -> None:
        self._scope_viewer = value


class _DistrictAccess(_RequestViewer, DataAccess):
    """A coordinator's access: the whole district."""


class _EmptyAccess(_RequestViewer, DataAccess):
    """An admin's access: no family data."""


class ResearchAccess(_RequestViewer, DataAccess):
    """A researcher's access: the pseudonymised district, aggregates only (every table of
    :data:`_IDENTIFIED` raises :class:`Forbidden`)."""

    def __init__(self, source: Source, viewer: Viewer, config: AnalysisConfig,
                 pseudonymiser: Any) -> None:
        super().__init__(source, viewer, config)
        self._pseudonymiser = pseudonymiser
        self._pseudonymised: tuple[Any, Dataset] | None = None

    @property
    def dataset(self) -> Dataset:
        """The district, pseudonymised (again after a write)."""
        raw = DataAccess.dataset.fget(self)
        done = self._pseudonymised
        if done is None or done[0] is not raw:
            done = (raw, pseudonymised_dataset(raw, self._pseudonymiser))
            self._pseudonymised = done
        return done[1]

    def isolation(self):  # noqa: ANN201 - a table of pseudonyms
        """The households flagged at the programme's last day, by pseudonym and point only
        (the overview counts them)."""
        report = DataAccess.isolation_report(self, self.as_of_dates()[-1])
        flagged = report[report["status"].isin(("isolated", "at_risk"))]
        return flagged[["status", "community_point_id"]].copy()

    def warm_steps(self, periods: Any = None, window: Any = None) -> tuple[list, list]:
        """Only the aggregates are warmed."""
        return [self.growth, self.report], []


for _name in _IDENTIFIED:
    setattr(ResearchAccess, _name, _forbidden(_name))


class _ScopedAccess(_RequestViewer, DataAccess):
    """A facilitator's access: isolation judged on the district's graph, shared with every
    other access of the registry (built once), then cut to the viewer's households."""

    def __init__(self, source: Source, viewer: Viewer, config: AnalysisConfig,
                 district: DataAccess) -> None:
        super().__init__(source, viewer, config)
        self._district_access = district

    def district_temporal(self):  # noqa: ANN201 - a TemporalGraph
        return self._district_access.temporal()

    # Isolation is judged on the district's graph, whoever looks: the district's tables
    # (made once, for the coordinators or the first scope that asks) cut to the viewer's
    # households, instead of the same judgement made again for every scope.
    @cached
    def isolation_report(self, as_of):  # noqa: ANN001, ANN201 - a date; a DataFrame
        report = self._district_access.isolation_report(as_of)
        return self._for_viewer(report, report.index)

    @cached
    def isolation_reasons(self, as_of):  # noqa: ANN001, ANN201
        reasons = self._district_access.isolation_reasons(as_of)
        return self._for_viewer(reasons, reasons["actor_id"]).reset_index(drop=True)

    @cached
    def early_warning(self, as_of, cps=(), facilitators=()):  # noqa: ANN001, ANN201
        table = self._district_access.early_warning(as_of, cps, facilitators)
        return self._for_viewer(table, table.index)


class AccessRegistry:
    """The access objects of one server, one per scope (see the module docstring).

    Parameters
    ----------
    source : Source
        The data (loaded once, on first use).
    config : AnalysisConfig
    default_viewer : Viewer, optional
        The viewer of a request nobody signed in to (``None``: such a request is refused).
    pseudonymiser : genera_graph.exports.pseudonyms.Pseudonymiser, optional
        The research study's pseudonyms, for researchers (without it they see nothing).
    """

    def __init__(self, source: Source, config: AnalysisConfig = DEFAULT_CONFIG, *,
                 default_viewer: Viewer | None = _COORDINATOR, pseudonymiser: Any = None) -> None:
        self.source = source
        self.config = config
        self.default_viewer = default_viewer
        self.pseudonymiser = pseudonymiser
        self._accesses: dict[tuple, DataAccess] = {}
        self._lock = threading.RLock()

    @property
    def coordinator(self) -> DataAccess:
        """The whole district's access object."""
        return self.for_viewer(Viewer())

    def for_viewer(self, viewer: Viewer) -> DataAccess:
        """The access object of a viewer's scope (made on first use)."""
        key = viewer.scope_key
        access = self._accesses.get(key)
        if access is not None:
            return access
        with self._lock:
            access = self._accesses.get(key)
            if access is None:
                access = self._make(viewer)
                self._accesses[key] = access
        return access

    def _make(self, viewer: Viewer) -> DataAccess:
        scope = Viewer(role=viewer.role, community_point_ids=viewer.community_point_ids)
        if viewer.role == "researcher":
            if self.pseudonymiser is None:
                raise Forbidden("no research study is configured for this server")
            return ResearchAccess(self.source, scope, self.config, self.pseudonymiser)
        if viewer.role == "admin":
            return _EmptyAccess(Dataset.empty(), scope, self.config)
        if viewer.scoped:
            return _ScopedAccess(self.source, scope, self.config, self.coordinator)
        return _DistrictAccess(self.source, scope, self.config)

    def request_viewer(self) -> Viewer:
        """The viewer of the current request (see the module docstring)."""
        import flask

        viewer = flask.g.get(VIEWER_KEY) if flask.has_request_context() else None
        if viewer is None:
            viewer = self.default_viewer
        if viewer is None:
            raise Forbidden("nobody is signed in")
        return viewer

    def for_request(self) -> DataAccess:
        """The access object of the current request's viewer."""
        return self.for_viewer(self.request_viewer())
