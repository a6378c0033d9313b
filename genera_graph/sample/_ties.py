"""The sample district's contacts: facilitators' follow-up, peer ties block by block, the planted
bridges, departing neighbours and cognitive interviews."""

from __future__ import annotations

import math
from collections import defaultdict

from genera_graph.sample._base import (
    _ADULT,
    _Household,
)


class _TieSteps:
    """The contacts steps of the district builder
    (:class:`genera_graph.sample.generator._Builder`, whose state they share)."""

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
