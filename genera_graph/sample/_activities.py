"""The sample district's activities and attendance: labs, events, school-work offers, funded
ideas and the social condominium."""

from __future__ import annotations

from collections import defaultdict

from genera_graph.sample._base import (
    _FACILITATOR_POINTS,
    IDEAS_CALL,
    POINTS,
    SCHOOL_YEAR,
    _day,
    _Org,
)


class _ActivitySteps:
    """The activities and attendance steps of the district builder
    (:class:`genera_graph.sample.generator._Builder`, whose state they share)."""

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
