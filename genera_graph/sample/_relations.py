"""The sample district's relations: leases, cohabitations, apprenticeships and memberships."""

from __future__ import annotations

from collections import defaultdict

from genera_graph.sample._base import (
    _ADULT,
    _HOUSING_AGENCY,
    _Household,
)


class _RelationSteps:
    """The relations steps of the district builder
    (:class:`genera_graph.sample.generator._Builder`, whose state they share)."""

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
