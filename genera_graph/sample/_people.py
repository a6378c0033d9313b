"""The sample district's actors: facilitators, households and their members, organisations,
special roles, the planted isolation and each household's circle of neighbours."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np

from genera_graph.sample._base import (
    _ADULT,
    _FACILITATOR_POINTS,
    _NORMAL,
    _POINT_WEIGHTS,
    _PUBLIC_ENTITIES,
    CONDOMINIUM_OPENED,
    POINTS,
    _day,
    _Household,
    _Org,
)
from genera_graph.sample.names import organisation_name


class _PeopleSteps:
    """The actors steps of the district builder
    (:class:`genera_graph.sample.generator._Builder`, whose state they share)."""

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
