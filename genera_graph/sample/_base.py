"""What the sample district is made of: the programme's calendar, its Community Points, and the
builder's records of households and organisations (internal to :mod:`genera_graph.sample`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from genera_graph.model import DEFAULT_CONFIG

#: the calendar of the real programme (docs/DESIGN.md §1)
PROGRAMME_START = DEFAULT_CONFIG.programme_start
POINTS_OPENED = date(2016, 5, 18)
CONDOMINIUM_OPENED = date(2016, 5, 19)
PROGRAMMES_PRESENTED = date(2016, 6, 1)  # housing and work programmes presented in June 2016
IDEAS_CALL = date(2016, 11, 7)  # first #genera_idee projects start
SCHOOL_YEAR = date(2016, 9, 12)

#: Community Points: id, seat, municipalities of reference (District 10 of the Province of Brescia)
POINTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("CP01", "Rezzato", ("Rezzato",)),
    ("CP02", "Mazzano", ("Mazzano", "Nuvolera", "Nuvolento")),
    ("CP03", "Botticino", ("Botticino", "Serle")),
    ("CP04", "Castenedolo", ("Castenedolo", "Borgosatollo", "Montirone")),
    ("CP05", "Poncarale", ("Poncarale", "Flero", "San Zeno Naviglio", "Capriano del Colle")),
    ("CP06", "Prevalle", ("Prevalle", "Paitone", "Gavardo")),
)
#: the Community Point (index into POINTS) of each of the 10 facilitators
_FACILITATOR_POINTS = (0, 0, 1, 1, 2, 3, 3, 4, 4, 5)
_POINT_WEIGHTS = np.array([0.19, 0.18, 0.15, 0.18, 0.17, 0.13])
#: public entities: (label, role)
_PUBLIC_ENTITIES = (
    "Ufficio di Piano fittizio",
    "Agenzia per la casa fittizia",
    "Centro per l'impiego fittizio",
    "Servizi sociali fittizi",
    "Consultorio fittizio",
)
_HOUSING_AGENCY = 1  # index into _PUBLIC_ENTITIES
_SOCIAL_SERVICES = 3

_ADULT = ("head", "partner", "relative")
_NORMAL = "normal"
_PEER_CAPABLE = ("normal", "contact_stops", "only_professional")


def _day(d: date) -> int:
    return (d - PROGRAMME_START).days


@dataclass
class _Household:
    idx: int
    point: int
    fac: int
    first: int
    members: list[int]  # individual indices
    roles: list[str]
    municipality: str
    status: str = _NORMAL
    d: int | None = None  # planted isolation date
    bridge: int | None = None  # departing neighbour (bridge_leaves)
    reserved: bool = False  # has a special role (condominium, volunteer, ...)
    tag: str | None = None  # "resident" or "caretaker" of the first social condominium
    circle: list[int] = field(default_factory=list)

    @property
    def peer_capable(self) -> bool:
        return self.status in _PEER_CAPABLE

    def peer_end(self, end: int) -> int:
        """First day without peer ties (exclusive end of the peer life)."""
        if self.status == _NORMAL:
            return end
        if self.status in ("contact_stops", "only_professional"):
            assert self.d is not None
            return self.d
        return self.first

    def contact_end(self, end: int) -> int:
        return self.d if self.status == "contact_stops" and self.d is not None else end


@dataclass
class _Org:
    actor_id: str
    kind: str
    point: int
    first: int
    name: str
    municipality: str
