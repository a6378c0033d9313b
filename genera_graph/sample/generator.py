"""A synthetic District 10 that reproduces the programme's first-year figures.

The generator builds a whole #genera_azioni district (Feb 2016 - Jan 2019) as the six tables of
a :class:`~genera_graph.model.Dataset`, with planted structure that the analytics can be
measured against (see :class:`~genera_graph.sample.truth.GroundTruth`):

- households cluster around their Community Point: peer ties (meetings, mutual help between
  individuals of different households) mostly stay within a point, and each household draws its
  partners from a stable circle of neighbouring households;
- facilitators follow their households closely at first (weekly), then less and less, while peer
  ties grow with tenure: the share of peer ties rises from year 1 to year 3;
- a few planted bridges (an association, a volunteer, a school, a formal group) are the only
  actors with interactions across Community Points;
- some households become isolated from a planted date, by one of four mechanisms; every other
  household keeps at least three distinct peer partners in every 30-day block from 30 days after
  it was first met.

Examples
--------
>>> district = generate_district(seed=7)
>>> year1 = district.dataset.actors.query("first_met < '2017-02-01'")
>>> int((year1["kind"] == "individual").sum())
530
>>> sorted(district.truth.isolated_households["mechanism"].unique())
['bridge_leaves', 'contact_stops', 'never_connected', 'only_professional']
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from genera_graph.model import DEFAULT_CONFIG, Dataset
from genera_graph.sample.names import household_name, organisation_name, person_name
from genera_graph.sample.truth import (
    BRIDGE_COLUMNS,
    ISOLATED_COLUMNS,
    GroundTruth,
    write_truth,
)

__all__ = [
    "CONDOMINIUM_OPENED",
    "DEFAULT_SAMPLE_CONFIG",
    "POINTS",
    "POINTS_OPENED",
    "SampleConfig",
    "SampleDistrict",
    "generate_district",
    "write_sample",
]

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


@dataclass(frozen=True)
class SampleConfig:
    """Sizes of the sample district, per programme year where it applies.

    The year-1 values reproduce the programme's first-year report (docs/DESIGN.md §1); change them
    only to build other synthetic districts.
    """

    individuals_per_year: tuple[int, int, int] = (530, 262, 148)
    associations_per_year: tuple[int, int, int] = (104, 18, 9)
    formal_groups_per_year: tuple[int, int, int] = (23, 6, 4)
    companies_per_year: tuple[int, int, int] = (40, 10, 6)
    schools: int = 5
    proximity_labs_per_year: tuple[int, int, int] = (24, 30, 32)
    world_cafes_per_year: tuple[int, int, int] = (2, 3, 2)
    local_events_per_year: tuple[int, int, int] = (9, 11, 12)
    thematic_labs_per_year: tuple[int, int, int] = (3, 4, 5)
    youth_labs_per_year: tuple[int, int, int] = (4, 6, 6)
    youth_events_per_year: tuple[int, int, int] = (9, 10, 11)
    school_work_offers_per_year: tuple[int, int, int] = (60, 65, 70)
    idea_funding_per_year: tuple[tuple[float, ...], ...] = (
        (2000.0, 1500.0, 1800.0, 1200.0, 1500.0, 1500.0),
        (2500.0, 1800.0, 1500.0, 2000.0, 1200.0, 1600.0, 1400.0, 2000.0),
        (2200.0, 1800.0, 1500.0, 1900.0, 1600.0, 1000.0, 2000.0),
    )
    unfunded_ideas_per_year: tuple[int, int, int] = (0, 2, 3)
    leases_per_year: tuple[int, int, int] = (14, 12, 10)
    cohabitations_per_year: tuple[int, int, int] = (3, 4, 5)
    apprenticeships_per_year: tuple[int, int, int] = (6, 9, 11)
    cognitive_interviews_per_year: tuple[int, int, int] = (100, 130, 120)
    condominium_households: int = 6
    contact_stops: int = 9
    only_professional: int = 7
    #: households per departing volunteer neighbour (one volunteer per entry)
    bridge_leaves: tuple[int, ...] = (3, 2)
    never_connected: int = 4
    #: distinct peer partners every connected household has in each block
    peer_partners_per_block: int = 3
    block_days: int = 30
    #: individuals each planted bridge meets in each of its Community Points
    bridge_neighbours_per_point: int = 16
    #: probability that a peer partner is drawn from another Community Point
    cross_point_share: float = 0.0015


DEFAULT_SAMPLE_CONFIG = SampleConfig()


@dataclass(frozen=True, eq=False)
class SampleDistrict:
    """A generated district: the six tables and the planted truth."""

    dataset: Dataset
    truth: GroundTruth
    seed: int


def generate_district(seed: int = 2016, config: SampleConfig = DEFAULT_SAMPLE_CONFIG
                      ) -> SampleDistrict:
    """Generate the synthetic sample district.

    Parameters
    ----------
    seed : int
        Seed of the ``numpy`` random generator; the same seed gives the same district.
    config : SampleConfig
        Sizes of the district.

    Returns
    -------
    SampleDistrict
        ``.dataset`` (validated against the schemas) and ``.truth``.

    Notes
    -----
    Deterministic for a seed (one ``numpy.random.Generator``, no other source of randomness).
    Runs in about a second: peer ties are laid block by block (``config.block_days``), each
    connected household topping up its distinct partners, O(households x blocks).

    Examples
    --------
    >>> a = generate_district(seed=1).dataset.interactions
    >>> b = generate_district(seed=1).dataset.interactions
    >>> a.equals(b)
    True
    """
    return _Builder(seed, config).build()


def write_sample(out_dir: str | os.PathLike, seed: int = 2016,
                 config: SampleConfig = DEFAULT_SAMPLE_CONFIG) -> list[Path]:
    """Generate the district and write its register files and ``ground_truth/`` folder.

    Returns the paths written: the register files (see :mod:`genera_graph.io.registers`), then
    the ground-truth files. Nothing else is written.
    """
    from genera_graph.io.registers import write_registers

    district = generate_district(seed, config)
    out = Path(out_dir)
    paths = write_registers(district.dataset, out)
    paths += write_truth(district.truth, out / "ground_truth")
    return paths


# --------------------------------------------------------------------------------------------
# internal model


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


class _Builder:
    """Builds the district step by step; every draw comes from one generator."""

    def __init__(self, seed: int, cfg: SampleConfig):
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.cfg = cfg
        years = DEFAULT_CONFIG.programme_years()
        self.years = [(_day(s), _day(e)) for s, e in years]
        self.end = self.years[-1][1]  # exclusive
        self.last = self.end - 1
        self.points_open = _day(POINTS_OPENED)
        self.presented = _day(PROGRAMMES_PRESENTED)
        self.fac_first: list[int] = []
        self.households: list[_Household] = []
        self.ind_household: list[int] = []
        self.ind_role: list[str] = []
        self.ind_left: dict[int, int] = {}
        self.orgs: dict[str, list[_Org]] = defaultdict(list)
        self.activities: list[dict] = []
        self.participations: list[tuple] = []
        self.interactions: list[tuple] = []
        self.relations: list[tuple] = []
        self.bridges: list[tuple[str, str, str]] = []
        self.condominiums: list[dict] = []
        self.volunteers: list[int] = []  # departing neighbours (bridge_leaves)
        self.bridge_volunteer = -1  # the planted volunteer bridge (an individual)
        self.truth_rows: list[tuple] = []

    # ---- helpers ------------------------------------------------------------------------

    def ind_id(self, i: int) -> str:
        return f"I{i + 1:04d}"

    def fac_id(self, f: int) -> str:
        return f"F{f + 1:02d}"

    def point_id(self, p: int) -> str:
        return POINTS[p][0]

    def ind_available(self, i: int, day: int) -> bool:
        left = self.ind_left.get(i)
        return left is None or day < left

    def eligible(self, h: _Household, day: int) -> bool:
        """Whether the household's members may take part in activities / peer ties on day."""
        return h.peer_capable and h.first <= day < h.peer_end(self.end)

    def uniform_day(self, lo: int, hi: int) -> int:
        """A day in [lo, hi)."""
        return int(self.rng.integers(lo, hi)) if hi > lo else lo

    def pick(self, seq, k: int | None = None):
        if k is None:
            return seq[int(self.rng.integers(len(seq)))]
        k = min(k, len(seq))
        idx = self.rng.choice(len(seq), size=k, replace=False)
        return [seq[int(j)] for j in sorted(idx)]

    def add_interaction(self, day, source, target, kind, nature, programme, point, source_kind):
        self.interactions.append(
            (int(day), source, target, kind, nature, programme, self.point_id(point), source_kind)
        )

    # ---- the steps ----------------------------------------------------------------------

    def build(self) -> SampleDistrict:
        self._facilitators()
        self._households()
        self._organisations()
        self._special_roles()
        self._truth()
        self._circles()
        self._facilitator_contacts()
        self._peer_ties()
        self._planted_bridges()
        self._departing_neighbours()
        self._cognitive_interviews()
        self._activities()
        self._relations()
        return self._finish()

    def _facilitators(self) -> None:
        # facilitators first met in Feb-Apr 2016; the first of each point early enough
        days = sorted(int(d) for d in self.rng.integers(0, 89, size=len(_FACILITATOR_POINTS)))
        self.fac_first = days

    def _year_days(self, y: int, n: int) -> np.ndarray:
        lo, hi = self.years[y]
        if y == 0:
            lo = 30
        days = np.arange(lo, hi)
        if y == 0:
            w = np.where(days < self.points_open, 0.4, np.where(days < 300, 1.0, 0.8))
        elif y == 1:
            w = np.linspace(1.0, 0.7, len(days))
        else:
            w = np.linspace(0.9, 0.3, len(days))
        return np.sort(self.rng.choice(days, size=n, p=w / w.sum()))

    def _households(self) -> None:
        cfg = self.cfg
        raw = []  # (first, point, size, forced)
        for y, target in enumerate(cfg.individuals_per_year):
            sizes = []
            if y == 0:
                # condominium residents and their caretaker's household: CP01, met just before
                # the social condominium opened
                for _ in range(cfg.condominium_households + 1):
                    s = int(self.rng.integers(2, 5))
                    sizes.append(s)
                    raw.append((int(self.rng.integers(80, _day(CONDOMINIUM_OPENED))), 0, s, True))
            total = sum(sizes)
            free = []
            while total < target:
                s = int(self.rng.choice([1, 2, 3, 4, 5], p=[0.26, 0.27, 0.21, 0.18, 0.08]))
                s = min(s, target - total)
                free.append(s)
                total += s
            days = self._year_days(y, len(free))
            points = self.rng.choice(6, size=len(free), p=_POINT_WEIGHTS)
            for d, p, s in zip(days, points, free, strict=True):
                raw.append((int(d), int(p), s, False))
        raw.sort(key=lambda r: (r[0], r[1], r[2]))
        forced_seen = 0
        for idx, (first, point, size, forced) in enumerate(raw):
            facs = [f for f, fp in enumerate(_FACILITATOR_POINTS) if fp == point]
            ok = [f for f in facs if self.fac_first[f] + 7 <= first]
            fac = self.pick(ok) if ok else min(facs, key=lambda f: self.fac_first[f])
            first = max(first, self.fac_first[fac] + 7)
            roles = ["head"]
            if size >= 2:
                roles.append("partner" if self.rng.random() < 0.78 else "relative")
            for _ in range(size - 2):
                roles.append("child" if self.rng.random() < 0.85 else "relative")
            members = list(range(len(self.ind_household), len(self.ind_household) + size))
            self.ind_household += [idx] * size
            self.ind_role += roles
            h = _Household(idx, point, fac, first, members, roles,
                           self.pick(POINTS[point][2]))
            if forced:
                # the first forced households are the residents, the last one the caretaker's
                h.reserved = True
                h.tag = ("resident" if forced_seen < self.cfg.condominium_households
                         else "caretaker")
                forced_seen += 1
            self.households.append(h)

    def _organisations(self) -> None:
        cfg = self.cfg
        specs = [
            ("association", "AS", 3, "Associazione", cfg.associations_per_year, 40),
            ("formal_group", "FG", 2, "Gruppo informale", cfg.formal_groups_per_year, 45),
            ("company", "CO", 3, "Impresa", cfg.companies_per_year, 60),
        ]
        for kind, prefix, width, label, per_year, start in specs:
            firsts = []
            for y, n in enumerate(per_year):
                lo, hi = self.years[y]
                lo = max(lo, start)
                if kind == "company" and y == 0:
                    hi = 250  # the first catalogue of offers is built in 2016
                firsts += sorted(int(d) for d in self.rng.integers(lo, hi, size=n))
            for k, first in enumerate(firsts):
                p = int(self.rng.choice(6, p=_POINT_WEIGHTS))
                self.orgs[kind].append(_Org(f"{prefix}{k + 1:0{width}d}", kind, p, first,
                                            organisation_name(label, k + 1),
                                            self.pick(POINTS[p][2])))
        school_points = [4, 0, 1, 3, 2, 5, 0, 3]
        for k in range(cfg.schools):
            p = school_points[k % len(school_points)]
            self.orgs["school"].append(_Org(f"SC{k + 1:02d}", "school", p,
                                            int(self.rng.integers(60, 200)),
                                            organisation_name("Istituto scolastico", k + 1),
                                            POINTS[p][1]))
        for k, label in enumerate(_PUBLIC_ENTITIES):
            self.orgs["public_entity"].append(_Org(f"PE{k + 1:02d}", "public_entity", 0,
                                                   int(self.rng.integers(0, 30)),
                                                   f"{label} {k + 1:02d}", "Rezzato"))

    def _candidates(self, point: int | None = None, first_max: int | None = None,
                    min_size: int = 1, first_min: int = 0) -> list[_Household]:
        out = []
        for h in self.households:
            if h.reserved or h.status != _NORMAL or len(h.members) < min_size:
                continue
            if point is not None and h.point != point:
                continue
            if first_max is not None and h.first > first_max:
                continue
            if h.first < first_min:
                continue
            out.append(h)
        return out

    def _special_roles(self) -> None:
        # social condominium 1 (CP01, one year from 19/05/2016); residents were forced above
        forced = [h for h in self.households if h.reserved]
        residents = [h for h in forced if h.tag == "resident"]
        caretaker_h = next(h for h in forced if h.tag == "caretaker")
        start = _day(CONDOMINIUM_OPENED)
        self.condominiums.append(self._condominium(0, start, start + 364, residents, caretaker_h,
                                                   1))
        # social condominium 2 (CP04, from October 2017)
        start2 = _day(date(2017, 10, 2))
        cands = self._candidates(point=3, first_max=start2 - 60)
        chosen = self.pick(cands, 6)
        for h in chosen:
            h.reserved = True
        self.condominiums.append(self._condominium(3, start2, start2 + 364, chosen[:5],
                                                   chosen[5], 2))
        # the departing volunteer neighbours (bridge_leaves): in CP02 and CP05
        for k, _n in enumerate(self.cfg.bridge_leaves):
            point = (1, 4, 2, 5)[k % 4]
            h = self.pick(self._candidates(point=point, first_max=200, min_size=2))
            h.reserved = True
            adults = [m for m, r in zip(h.members, h.roles, strict=True) if r in _ADULT]
            self.volunteers.append(adults[-1])
        # the planted volunteer bridge: an adult of a CP04 household met in 2016
        h = self.pick(self._candidates(point=3, first_max=250, min_size=2))
        h.reserved = True
        self.bridge_volunteer = h.members[0]

    def _condominium(self, point, start, end, residents, caretaker_h, number) -> dict:
        adults = [m for m, r in zip(caretaker_h.members, caretaker_h.roles, strict=True)
                  if r in _ADULT]
        return {"point": point, "start": start, "end": end, "number": number,
                "residents": [m for h in residents for m in h.members],
                "caretaker": adults[0], "households": residents}

    def _truth(self) -> None:
        cfg = self.cfg
        lo, hi = self.years[1][0], _day(date(2018, 10, 31))
        rows = []
        for mech, n in (("contact_stops", cfg.contact_stops),
                        ("only_professional", cfg.only_professional)):
            ds = np.sort(self.rng.integers(lo, hi, size=n))
            for k, d in enumerate(ds):
                d = int(d)
                cands = self._candidates(point=k % 6, first_max=d - 180)
                h = self.pick(cands)
                h.status, h.d = mech, d
                rows.append((h.idx, d, mech, None))
        # bridge_leaves: the volunteer leaves on D; the households leaned only on them
        leave_windows = [(_day(date(2017, 6, 1)), _day(date(2017, 11, 30))),
                         (_day(date(2018, 3, 1)), _day(date(2018, 9, 30)))]
        for k, n in enumerate(cfg.bridge_leaves):
            b = self.volunteers[k]
            bh = self.households[self.ind_household[b]]
            w_lo, w_hi = leave_windows[k % 2]
            d = self.uniform_day(w_lo, w_hi)
            self.ind_left[b] = d
            cands = self._candidates(point=bh.point, first_max=d - 150, first_min=bh.first)
            for h in self.pick(cands, n):
                h.status, h.d, h.bridge = "bridge_leaves", d, b
                rows.append((h.idx, d, "bridge_leaves", b))
        # never connected: isolated from their first day
        firsts = [(0, 250, 366), (1, 366, 731), (2, 366, 731), (3, 731, 950)]
        for k in range(cfg.never_connected):
            _, f_lo, f_hi = firsts[k % len(firsts)]
            cands = self._candidates(point=(k * 2 + 1) % 6, first_max=f_hi - 1, first_min=f_lo)
            h = self.pick(cands)
            h.status, h.d = "never_connected", h.first
            rows.append((h.idx, h.first, "never_connected", None))
        self.truth_rows = rows

    def _circles(self) -> None:
        by_point = defaultdict(list)
        for h in self.households:
            if h.peer_capable:
                by_point[h.point].append(h.idx)
        for h in self.households:
            if not h.peer_capable:
                continue
            others = [g for g in by_point[h.point] if g != h.idx]
            h.circle = self.pick(others, int(self.rng.integers(6, 11)))

    # ---- interactions -------------------------------------------------------------------

    def _member(self, h: _Household, day: int, adults_only: bool = False,
                head_share: float = 0.0) -> int | None:
        if head_share and self.rng.random() < head_share and self.ind_available(h.members[0],
                                                                                day):
            return h.members[0]
        ok = [m for m, r in zip(h.members, h.roles, strict=True)
              if self.ind_available(m, day) and (not adults_only or r in _ADULT)]
        return self.pick(ok) if ok else None

    def _facilitator_contacts(self) -> None:
        for h in self.households:
            t, stop = h.first, h.contact_end(self.end)
            while t < stop:
                m = self._member(h, t, head_share=0.55)
                if m is not None:
                    kind = "support" if self.rng.random() < 0.8 else "referral"
                    prog = self.pick(("community",) * 8 + ("housing", "work"))
                    self.add_interaction(t, self.fac_id(h.fac), self.ind_id(m), kind,
                                         "professional", prog, h.point, "facilitator_record")
                tenure = t - h.first
                if tenure < 90:
                    gap = self.rng.integers(6, 12)
                elif tenure < 365:
                    gap = self.rng.integers(12, 22)
                elif tenure < 730:
                    gap = self.rng.integers(25, 45)
                else:
                    gap = self.rng.integers(45, 80)
                t += int(gap)

    def _peer_target(self, h: _Household, s: int) -> int:
        base = self.cfg.peer_partners_per_block
        tenure = s - h.first
        return base + (tenure >= 270) + (tenure >= 600)

    def _peer_ties(self) -> None:
        """Lay peer interactions block by block so that every connected household has at least
        ``peer_partners_per_block`` distinct partners in each block from 30 days after first_met
        (proportionally fewer in the record's shorter last block).
        """
        cfg = self.cfg
        hh = self.households
        for s in range(0, self.end, cfg.block_days):
            e = min(s + cfg.block_days, self.end)
            avail = [h for h in hh if h.peer_capable and h.first <= s and h.peer_end(self.end) >= e]
            by_point = defaultdict(list)
            for h in avail:
                by_point[h.point].append(h)
            avail_ids = {h.idx for h in avail}
            got: dict[int, set[int]] = defaultdict(set)
            required = [h for h in avail if h.first + 30 <= s]
            # the record's last block is shorter: ask for proportionally fewer partners, or its
            # days would hold a full block's ties (a burst of ties in the record's last month)
            share = (e - s) / cfg.block_days
            for j in self.rng.permutation(len(required)):
                h = required[int(j)]
                exact = self._peer_target(h, s) * share  # rounded at random: the same mean
                target = max(1, math.floor(exact) + int(self.rng.random() < exact % 1))
                circle = [hh[g] for g in h.circle if g in avail_ids]
                tries = 0
                while len(got[h.idx]) < target:
                    tries += 1
                    if tries > 200:
                        raise RuntimeError(f"cannot connect household {h.idx} in block {s}")
                    u = self.rng.random()
                    if u < cfg.cross_point_share or len(by_point[h.point]) < 4:
                        pool = avail
                    elif u < 0.2 or not circle or tries > 20:
                        pool = by_point[h.point]
                    else:
                        pool = circle
                    g = self.pick(pool)
                    if g.idx == h.idx:
                        continue
                    targets = [m for m in g.members
                               if self.ind_available(m, e) and m not in got[h.idx]]
                    sources = [m for m in h.members if self.ind_available(m, e)]
                    if not targets or not sources:
                        continue
                    a, b = self.pick(sources), self.pick(targets)
                    day = self.uniform_day(s, e)
                    kind = "meeting" if self.rng.random() < 0.55 else "mutual_help"
                    src = "facilitator_record" if self.rng.random() < 0.6 else "survey"
                    self.add_interaction(day, self.ind_id(a), self.ind_id(b), kind, "peer",
                                         "community", h.point, src)
                    got[h.idx].add(b)
                    got[g.idx].add(a)

    def _neighbours(self, point: int, n: int, children: bool, exclude: set[int]) -> list[int]:
        """Individuals of connected, ordinary households of a point, met before mid-2017."""
        out = []
        for h in self._candidates(point=point, first_max=500):
            ms = [m for m, r in zip(h.members, h.roles, strict=True)
                  if (r == "child") == children and m not in exclude]
            if ms:
                out.append(self.pick(ms))
        if len(out) < n and children:
            out += self._neighbours(point, n - len(out), False, exclude | set(out))
        return self.pick(out, n)

    def _planted_bridges(self) -> None:
        cfg = self.cfg
        n = cfg.bridge_neighbours_per_point
        vol_h = self.households[self.ind_household[self.bridge_volunteer]]
        assoc = self.orgs["association"][0]
        fgroup = self.orgs["formal_group"][0]
        school = self.orgs["school"][0]
        plans = [
            (assoc.actor_id, assoc.first, (0, 1, 2), "meeting", "peer", "community", False,
             "association_bridge", "association with members and meetings in CP01, CP02, CP03"),
            (self.ind_id(self.bridge_volunteer), vol_h.first, (2, 3, 4), "mutual_help", "peer",
             "community", False, "volunteer_bridge",
             "volunteer individual helping families in CP03, CP04, CP05"),
            (school.actor_id, school.first, (4, 5, 0), "meeting", "institutional", "youth", True,
             "school_bridge", "school meeting young people of CP05, CP06, CP01 (youth)"),
            (fgroup.actor_id, fgroup.first, (1, 3, 5), "meeting", "peer", "work", False,
             "formal_group_bridge", "formal group on work linking CP02, CP04, CP06 (work)"),
        ]
        used: set[int] = {self.bridge_volunteer}
        for actor, first, points, kind, nature, prog, children, role, desc in plans:
            for p in points:
                for m in self._neighbours(p, n, children, used):
                    used.add(m)
                    h = self.households[self.ind_household[m]]
                    lo = max(first, h.first) + 5
                    for _ in range(int(self.rng.integers(5, 12))):
                        day = self.uniform_day(lo, self.end)
                        src = "facilitator_record" if nature == "peer" else "survey"
                        if self.rng.random() < 0.5:
                            self.add_interaction(day, actor, self.ind_id(m), kind, nature, prog,
                                                 p, src)
                        else:
                            self.add_interaction(day, self.ind_id(m), actor, kind, nature, prog,
                                                 p, src)
            self.bridges.append((actor, role, desc))

    def _departing_neighbours(self) -> None:
        """Peer ties of the bridge_leaves households: all with their volunteer, until D."""
        for h in self.households:
            if h.status != "bridge_leaves":
                continue
            b = h.bridge
            t = h.first + int(self.rng.integers(7, 20))
            while t < h.d:
                m = self._member(h, t)
                kind = "mutual_help" if self.rng.random() < 0.6 else "meeting"
                pair = (self.ind_id(b), self.ind_id(m))
                if self.rng.random() < 0.5:
                    pair = pair[::-1]
                self.add_interaction(t, *pair, kind, "peer", "community", h.point,
                                     "facilitator_record")
                t += int(self.rng.integers(8, 20))

    def _cognitive_interviews(self) -> None:
        for y, n in enumerate(self.cfg.cognitive_interviews_per_year):
            ys, ye = self.years[y]
            lo = max(ys, self.presented)
            cands = [h for h in self.households
                     if max(h.first, lo) < min(h.contact_end(self.end), ye)]
            made = 0
            while made < n:
                h = self.pick(cands)
                day = self.uniform_day(max(h.first, lo), min(h.contact_end(self.end), ye))
                m = self._member(h, day, adults_only=True)
                if m is None:
                    continue
                self.add_interaction(day, self.fac_id(h.fac), self.ind_id(m),
                                     "cognitive_interview", "professional", "work", h.point,
                                     "facilitator_record")
                made += 1

    # ---- activities ---------------------------------------------------------------------

    def _add_activity(self, kind, programme, point, title, start, end, funding=None,
                      partner=None) -> int:
        self.activities.append({"kind": kind, "programme": programme,
                                "point": point, "title": title, "start": int(start),
                                "end": None if end is None else int(end),
                                "funding": funding, "partner": partner})
        return len(self.activities) - 1

    def _attend(self, act: int, actor: str, day: int, role: str,
                source: str = "attendance_sheet") -> None:
        self.participations.append((act, actor, int(day), role, source))

    def _people(self, day: int, points, n: int, children: bool | None = None,
                home_share: float = 0.9) -> list[int]:
        """Individuals who may take part on day, mostly from the first of ``points``."""
        home, other = [], []
        for h in self.households:
            if not self.eligible(h, day):
                continue
            for m, r in zip(h.members, h.roles, strict=True):
                if children is not None and (r == "child") != children:
                    continue
                if not self.ind_available(m, day):
                    continue
                (home if h.point in points else other).append(m)
        k_home = min(len(home), int(round(n * home_share)))
        chosen = self.pick(home, k_home) + self.pick(other, min(len(other), n - k_home))
        return chosen

    def _org_of(self, kind: str, point: int | None, day: int) -> _Org | None:
        orgs = [o for o in self.orgs[kind] if o.first <= day and (point is None or o.point ==
                                                                   point)]
        if not orgs:
            orgs = [o for o in self.orgs[kind] if o.first <= day]
        return self.pick(orgs) if orgs else None

    def _facilitator_of(self, point: int) -> str:
        return self.fac_id(self.pick([f for f, p in enumerate(_FACILITATOR_POINTS) if p == point]))

    def _sessions(self, act, roster, days, p_attend, point=None, extra=()) -> None:
        for day in days:
            for m in roster:
                h = self.households[self.ind_household[m]]
                if (self.eligible(h, day) and self.ind_available(m, day)
                        and self.rng.random() < p_attend):
                    self._attend(act, self.ind_id(m), day, "participant")
            if point is not None:
                self._attend(act, self._facilitator_of(point), day, "facilitator")
            for actor, role in extra:
                self._attend(act, actor, day, role)

    def _start_days(self, y: int, n: int, lo: int | None = None, margin: int = 0) -> list[int]:
        ys, ye = self.years[y]
        lo = max(ys, lo if lo is not None else ys)
        hi = min(ye, self.end - margin)
        return sorted(int(d) for d in self.rng.integers(lo, hi, size=n))

    def _activities(self) -> None:
        cfg = self.cfg
        opened = self.points_open + 7
        for y in range(3):
            # proximity laboratories (Community Points)
            for k, s in enumerate(self._start_days(y, cfg.proximity_labs_per_year[y], opened, 85)):
                p = (k + y) % 6
                n_sess = int(self.rng.integers(6, 13))
                days = [s + 7 * j for j in range(n_sess)]
                act = self._add_activity("proximity_lab", "community", p,
                                         f"Laboratorio di prossimità {POINTS[p][1]}", s, days[-1])
                roster = self._people(s, (p,), int(self.rng.integers(10, 19)))
                assoc = self._org_of("association", p, s)
                extra = [(assoc.actor_id, "partner")] if assoc else []
                self._sessions(act, roster, days, 0.75, p, extra)
            # local events of the Community Points
            for k, s in enumerate(self._start_days(y, cfg.local_events_per_year[y], opened, 1)):
                p = (k + 2 * y + 1) % 6
                act = self._add_activity("local_event", "community", p,
                                         f"Festa di comunità {POINTS[p][1]}", s, s)
                roster = self._people(s, (p,), int(self.rng.integers(20, 46)))
                assoc = self._org_of("association", p, s)
                extra = [(assoc.actor_id, "organiser")] if assoc else []
                self._sessions(act, roster, [s], 1.0, p, extra)
            # world cafés on work
            for k, s in enumerate(self._start_days(y, cfg.world_cafes_per_year[y],
                                                   self.presented, 1)):
                p = (k * 3 + y) % 6
                act = self._add_activity("world_cafe", "work", p,
                                         f"World café lavoro {POINTS[p][1]}", s, s)
                roster = self._people(s, (p,), int(self.rng.integers(15, 26)), children=False,
                                      home_share=0.5)
                extra = []
                for _ in range(int(self.rng.integers(2, 5))):
                    co = self._org_of("company", None, s)
                    if co and (co.actor_id, "partner") not in extra:
                        extra.append((co.actor_id, "partner"))
                self._sessions(act, roster, [s], 1.0, p, extra)
            # thematic labs on work
            for k, s in enumerate(self._start_days(y, cfg.thematic_labs_per_year[y],
                                                   self.presented, 90)):
                p = (k * 2 + y + 3) % 6
                days = [s + 14 * j for j in range(int(self.rng.integers(4, 7)))]
                act = self._add_activity("thematic_lab", "work", p,
                                         f"Laboratorio tematico lavoro {POINTS[p][1]}", s,
                                         days[-1])
                roster = self._people(s, (p,), int(self.rng.integers(10, 16)), children=False,
                                      home_share=0.7)
                co = self._org_of("company", p, s)
                self._sessions(act, roster, days, 0.8, p, [(co.actor_id, "partner")] if co else [])
            # youth labs, run by young people for other young people
            for k, s in enumerate(self._start_days(y, cfg.youth_labs_per_year[y], opened + 30,
                                                   70)):
                p = (k * 5 + y) % 6
                days = [s + 7 * j for j in range(int(self.rng.integers(6, 9)))]
                act = self._add_activity("youth_lab", "youth", p,
                                         f"Laboratorio giovani {POINTS[p][1]}", s, days[-1])
                roster = self._people(s, (p,), int(self.rng.integers(8, 13)), children=True,
                                      home_share=0.75)
                extra = [(self.ind_id(roster[0]), "organiser")] if roster else []
                roster = roster[1:]
                school = self._org_of("school", p, s)
                if school:
                    self._attend(act, school.actor_id, s, "partner")
                self._sessions(act, roster, days, 0.8, None, extra)
            # co-designed youth events
            for k, s in enumerate(self._start_days(y, cfg.youth_events_per_year[y], opened, 1)):
                p = (k + 4 * y + 2) % 6
                act = self._add_activity("local_event", "youth", p,
                                         f"Evento giovani {POINTS[p][1]}", s, s)
                roster = self._people(s, (p, (p + 1) % 6), int(self.rng.integers(15, 31)),
                                      children=True, home_share=0.8)
                extra = [(self.ind_id(m), "organiser") for m in roster[:2]]
                fg = self._org_of("formal_group", p, s)
                if fg:
                    extra.append((fg.actor_id, "partner"))
                self._sessions(act, roster[2:], [s], 1.0, None, extra)
            self._school_work_offers(y)
            self._ideas(y)
        for condo in self.condominiums:
            self._condominium_activities(condo)

    def _school_work_offers(self, y: int) -> None:
        lo = _day(SCHOOL_YEAR) if y == 0 else None
        for s in self._start_days(y, self.cfg.school_work_offers_per_year[y], lo, 70):
            co = self._org_of("company", None, s)
            length = int(self.rng.integers(30, 61))
            act = self._add_activity("school_work_offer", "youth", co.point,
                                     f"Offerta alternanza scuola-lavoro {co.actor_id}", s,
                                     s + length, partner=co.actor_id)
            self._attend(act, co.actor_id, s, "partner", "register")
            if self.rng.random() < 0.3:
                continue
            youth = self._people(s, (co.point,), int(self.rng.integers(1, 3)), children=True,
                                 home_share=0.6)
            for m in youth:
                h = self.households[self.ind_household[m]]
                for day in (s, s + length // 2, s + length):
                    if self.eligible(h, day) and self.ind_available(m, day):
                        self._attend(act, self.ind_id(m), day, "participant")
                end = min(s + length, h.peer_end(self.end) - 1)
                self.relations.append((s, "school_work_placement", self.ind_id(m), co.actor_id,
                                       act, s, max(end, s), "institutional", "youth", h.point,
                                       "register"))

    def _ideas(self, y: int) -> None:
        funding = self.cfg.idea_funding_per_year[y]
        n_unfunded = self.cfg.unfunded_ideas_per_year[y]
        lo = _day(IDEAS_CALL) if y == 0 else self.years[y][0] + 150
        starts = self._start_days(y, len(funding) + n_unfunded, lo, 200)
        for k, s in enumerate(starts):
            kind = "association" if k % 3 else "formal_group"
            org = self._org_of(kind, None, s)
            funded = k < len(funding)
            length = int(self.rng.integers(120, 200)) if funded else 0
            act = self._add_activity("idea_project", "ideas", org.point,
                                     f"Idea #genera_idee {y + 1}.{k + 1}", s, s + length,
                                     funding=funding[k] if funded else None,
                                     partner=org.actor_id)
            self._attend(act, org.actor_id, s, "organiser")
            if not funded:
                continue
            roster = self._people(s, (org.point,), int(self.rng.integers(6, 13)))
            n_sess = int(self.rng.integers(4, 9))
            days = [s + (length * j) // n_sess for j in range(n_sess)]
            self._sessions(act, roster, days, 0.8)

    def _condominium_activities(self, condo: dict) -> None:
        p, start, end, n = condo["point"], condo["start"], condo["end"], condo["number"]
        sc = self._add_activity("social_condominium", "housing", p,
                                f"Condominio solidale {n} - {POINTS[p][1]}", start, end)
        condo["activity"] = sc
        kinds = (("Pulizie condivise", 0), ("Cura del verde", 7))
        acts = []
        for title, offset in kinds:
            act = self._add_activity("condominium_activity", "housing", p,
                                     f"{title} - condominio solidale {n}", start + offset, end)
            days = list(range(start + offset + 7, end + 1, 14))
            acts.append((act, days))
        caretaker = self.ind_id(condo["caretaker"])
        residents = condo["residents"]
        # every resident takes part at least once in each programme year the residence spans
        forced = defaultdict(set)
        for m in residents:
            for ys, ye in self.years:
                options = [(a, d) for a, days in acts for d in days if ys <= d < ye]
                if options:
                    forced[m].add(options[int(self.rng.integers(min(len(options), 6)))])
        for act, days in acts:
            for day in days:
                self._attend(act, caretaker, day, "organiser")
                for m in residents:
                    if (act, day) in forced[m] or self.rng.random() < 0.45:
                        self._attend(act, self.ind_id(m), day, "participant")

    # ---- relations ----------------------------------------------------------------------

    def _relation_households(self, day_lo: int, day_hi: int) -> list[_Household]:
        return [h for h in self.households
                if h.first + 14 < day_hi and (h.d is None or h.d > max(day_lo, h.first + 15))
                and h.status != "never_connected" and self.ind_available(h.members[0], day_hi)]

    def _relations(self) -> None:
        cfg = self.cfg
        for y in range(3):
            ys, ye = self.years[y]
            lo = max(ys, self.presented)
            for kind, n in (("lease", cfg.leases_per_year[y]),
                            ("cohabitation", cfg.cohabitations_per_year[y])):
                cands = self._relation_households(lo, ye)
                for h in self.pick(cands, n):
                    hi = min(ye, h.d if h.d is not None else ye)
                    s = self.uniform_day(max(lo, h.first + 14), hi)
                    if kind == "lease":
                        if self.rng.random() < 0.5:
                            partner = self.orgs["public_entity"][_HOUSING_AGENCY].actor_id
                        else:
                            partner = self._org_of("company", h.point, s).actor_id
                        e = s + 540
                    else:
                        org = self._org_of("association", h.point, s)
                        partner = org.actor_id
                        e = s + 364
                    self.relations.append((s, kind, self.ind_id(h.members[0]), partner, None, s,
                                           e if e <= self.last else None, "institutional",
                                           "housing", h.point, "register"))
            cands = self._relation_households(lo, ye)
            made = 0
            while made < cfg.apprenticeships_per_year[y]:
                h = self.pick(cands)
                hi = min(ye, h.d if h.d is not None else ye)
                s = self.uniform_day(max(lo, h.first + 14), hi)
                m = self._member(h, s, adults_only=True)
                if m is None or not self.ind_available(m, self.end):
                    continue
                co = self._org_of("company", h.point, s)
                self.relations.append((s, "apprenticeship", self.ind_id(m), co.actor_id, None, s,
                                       min(s + 182, self.last), "institutional", "work", h.point,
                                       "register"))
                made += 1
        for condo in self.condominiums:
            for m in condo["residents"]:
                h = self.households[self.ind_household[m]]
                self.relations.append((condo["start"], "condominium_residence", self.ind_id(m),
                                       self.orgs["public_entity"][_HOUSING_AGENCY].actor_id,
                                       condo["activity"], condo["start"], condo["end"],
                                       "institutional", "housing", condo["point"], "register"))
        self._memberships()

    def _memberships(self) -> None:
        members_by_point = defaultdict(list)
        for h in self.households:
            if not h.peer_capable:
                continue
            for m, r in zip(h.members, h.roles, strict=True):
                if r in _ADULT and m not in self.ind_left:
                    members_by_point[h.point].append(m)
        for kind, (lo_n, hi_n) in (("association", (2, 8)), ("formal_group", (2, 6))):
            for org in self.orgs[kind]:
                n = int(self.rng.integers(lo_n, hi_n))
                for _ in range(n):
                    p = org.point if self.rng.random() < 0.6 else int(self.rng.integers(6))
                    m = self.pick(members_by_point[p])
                    h = self.households[self.ind_household[m]]
                    s = max(org.first, h.first) + int(self.rng.integers(0, 120))
                    limit = h.d - 2 if h.d is not None else self.last
                    if s > limit:
                        continue
                    end = h.d - 1 if h.status == "contact_stops" else None
                    self.relations.append((s, "membership", self.ind_id(m), org.actor_id, None,
                                           s, end, "institutional", "community", h.point,
                                           "register"))

    # ---- assembly -----------------------------------------------------------------------

    def _finish(self) -> SampleDistrict:
        base = np.datetime64(PROGRAMME_START, "D")

        def dates(values) -> pd.Series:
            arr = np.array([base + np.timedelta64(v, "D") if v is not None else np.datetime64("NaT")
                            for v in values], dtype="datetime64[D]")
            return pd.Series(arr.astype("datetime64[ns]"))

        actors = self._actor_frame(dates)
        members = self._member_frame(dates)
        act_ids, activities = self._activity_frame(dates)
        parts = sorted(self.participations, key=lambda r: (r[2], act_ids[r[0]], r[1], r[3]))
        participations = pd.DataFrame({
            "activity_id": [act_ids[r[0]] for r in parts],
            "actor_id": [r[1] for r in parts],
            "date": dates([r[2] for r in parts]),
            "role": [r[3] for r in parts],
            "source": [r[4] for r in parts],
        }).drop_duplicates(["activity_id", "actor_id", "date"], ignore_index=True)
        inter = sorted(self.interactions)
        interactions = pd.DataFrame({
            "interaction_id": [f"C{k + 1:06d}" for k in range(len(inter))],
            "date": dates([r[0] for r in inter]),
            "source_actor_id": [r[1] for r in inter],
            "target_actor_id": [r[2] for r in inter],
            "kind": [r[3] for r in inter],
            "nature": [r[4] for r in inter],
            "programme": [r[5] for r in inter],
            "community_point_id": [r[6] for r in inter],
            "source": [r[7] for r in inter],
        })
        rels = sorted(self.relations, key=lambda r: (r[0], r[1], r[2], r[3]))
        width = max(4, len(str(len(rels))))
        relations = pd.DataFrame({
            "relation_id": [f"R{k + 1:0{width}d}" for k in range(len(rels))],
            "kind": [r[1] for r in rels],
            "actor_id": [r[2] for r in rels],
            "partner_id": [r[3] for r in rels],
            "activity_id": [act_ids[r[4]] if r[4] is not None else None for r in rels],
            "start_date": dates([r[5] for r in rels]),
            "end_date": dates([r[6] for r in rels]),
            "nature": [r[7] for r in rels],
            "programme": [r[8] for r in rels],
            "community_point_id": [self.point_id(r[9]) for r in rels],
            "source": [r[10] for r in rels],
        })
        ds = Dataset(actors=actors, household_members=members, activities=activities,
                     participations=participations, interactions=interactions,
                     relations=relations).validated()
        return SampleDistrict(ds, self._truth_frames(dates), self.seed)

    def _actor_frame(self, dates) -> pd.DataFrame:
        rows = []  # actor_id, kind, name, point, municipality, facilitator, first, left
        for pid, seat, _ in POINTS:
            rows.append((pid, "community_point", f"Punto di Comunità {seat}", pid, seat, None,
                         self.points_open, None))
        for f, p in enumerate(_FACILITATOR_POINTS):
            rows.append((self.fac_id(f), "facilitator", person_name(900 + f, 900 + f),
                         self.point_id(p), POINTS[p][1], None, self.fac_first[f], None))
        for h in self.households:
            rows.append((f"H{h.idx + 1:04d}", "household", household_name(h.idx + 1),
                         self.point_id(h.point), h.municipality, self.fac_id(h.fac), h.first,
                         None))
        for i, hidx in enumerate(self.ind_household):
            h = self.households[hidx]
            rows.append((self.ind_id(i), "individual", person_name(i, hidx),
                         self.point_id(h.point), h.municipality, None, h.first,
                         self.ind_left.get(i)))
        for kind in ("association", "formal_group", "company", "school", "public_entity"):
            for o in self.orgs[kind]:
                rows.append((o.actor_id, kind, o.name, self.point_id(o.point), o.municipality,
                             None, o.first, None))
        return pd.DataFrame({
            "actor_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "community_point_id": [r[3] for r in rows],
            "municipality": [r[4] for r in rows],
            "facilitator_id": [r[5] for r in rows],
            "first_met": dates([r[6] for r in rows]),
            "left_on": dates([r[7] for r in rows]),
        })

    def _member_frame(self, dates) -> pd.DataFrame:
        rows = []
        for h in self.households:
            for m, r in zip(h.members, h.roles, strict=True):
                rows.append((f"H{h.idx + 1:04d}", self.ind_id(m), r, h.first,
                             self.ind_left.get(m)))
        return pd.DataFrame({
            "household_id": [r[0] for r in rows],
            "individual_id": [r[1] for r in rows],
            "role": [r[2] for r in rows],
            "start_date": dates([r[3] for r in rows]),
            "end_date": dates([r[4] for r in rows]),
        })

    def _activity_frame(self, dates) -> tuple[dict[int, str], pd.DataFrame]:
        order = sorted(range(len(self.activities)),
                       key=lambda k: (self.activities[k]["start"], self.activities[k]["kind"],
                                      self.activities[k]["point"], self.activities[k]["title"]))
        ids = {k: f"ACT{j + 1:04d}" for j, k in enumerate(order)}
        acts = [self.activities[k] for k in order]
        frame = pd.DataFrame({
            "activity_id": [ids[k] for k in order],
            "kind": [a["kind"] for a in acts],
            "programme": [a["programme"] for a in acts],
            "community_point_id": [self.point_id(a["point"]) for a in acts],
            "title": [a["title"] for a in acts],
            "start_date": dates([a["start"] for a in acts]),
            "end_date": dates([a["end"] for a in acts]),
            "funding_eur": pd.Series([np.nan if a["funding"] is None else float(a["funding"])
                                      for a in acts], dtype="float64"),
            "partner_id": [a["partner"] for a in acts],
        })
        return ids, frame

    def _truth_frames(self, dates) -> GroundTruth:
        rows = sorted(self.truth_rows)
        iso = pd.DataFrame({
            "household_id": [f"H{r[0] + 1:04d}" for r in rows],
            "isolated_from": dates([r[1] for r in rows]),
            "mechanism": [r[2] for r in rows],
            "bridge_id": [self.ind_id(r[3]) if r[3] is not None else None for r in rows],
        })[ISOLATED_COLUMNS]
        bridges = pd.DataFrame(self.bridges, columns=BRIDGE_COLUMNS)
        return GroundTruth(iso, bridges)
