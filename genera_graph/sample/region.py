"""A synthetic region: many districts, each with the sample district's planted truth.

:func:`generate_region` builds a region of ``districts`` districts (default 30) of six Community
Points each, about 40k households (100k individuals) and 4M events over the programme's three
years, as the six tables of a :class:`~genera_graph.model.Dataset`, with a
:class:`~genera_graph.sample.truth.GroundTruth` that repeats in **every** district the truth planted
in the sample district (:mod:`genera_graph.sample.generator`):

- households draw their peer partners from a stable neighbourhood of households of their own
  Community Point (ring neighbours in a fixed random order), and every household that is not
  planted keeps at least ``peer_partners_per_block`` distinct peer partners in every 30-day block
  from 30 days after it was first met (as in the sample district);
- in each district 9 ``contact_stops``, 7 ``only_professional``, 5 ``bridge_leaves`` (two
  departing volunteers) and 4 ``never_connected`` households, with the same rules as the
  sample district (see the ground-truth README);
- in each district four planted bridges (an association, a volunteer, a school and a formal
  group), each meeting individuals of three of its Community Points, and across the region
  ``region_bridges`` organisations, each meeting individuals of three districts: the only
  cross-district ties.

It is built for size, not for the first-year figures of the real programme (those are the sample
district's): every step is vectorised with numpy, id columns are categoricals and text columns
Arrow strings, so that the whole region costs a few hundred megabytes and a minute to make.
The tables are valid against the schemas (checked on small regions in the tests: validating 4M
rows with pandera would dominate the run time; ``genera import`` validates them anyway).

Districts: :attr:`SampleRegion.districts` lists which Community Points each district owns
(``district_id``, ``community_point_id``, ``name``), and :func:`write_region` writes it as
``districts.csv`` beside the registers.

Examples
--------
>>> region = generate_region(districts=2, households_per_district=150, seed=3)
>>> region.districts.groupby("district_id").size().to_dict()
{'D01': 6, 'D02': 6}
>>> sorted(region.truth.isolated_households["mechanism"].value_counts().to_dict().items())
[('bridge_leaves', 10), ('contact_stops', 18), ('never_connected', 8), ('only_professional', 14)]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# the columns of SampleRegion.districts and the name of districts.csv are the store's
# (``genera districts set`` reads what write_region writes)
from genera_graph.io.districts import DISTRICT_COLUMNS, DISTRICTS_FILE
from genera_graph.model import DEFAULT_CONFIG, Dataset
from genera_graph.sample.truth import (
    BRIDGE_COLUMNS,
    ISOLATED_COLUMNS,
    GroundTruth,
    write_truth,
)

__all__ = [
    "DISTRICT_COLUMNS",
    "SampleRegion",
    "district_of_points",
    "generate_region",
    "write_region",
]


_START = np.datetime64(DEFAULT_CONFIG.programme_start, "D")
_END = int((np.datetime64(DEFAULT_CONFIG.programme_end, "D") - _START).astype(int)) + 1
_POINTS_OPEN = 107  # 18/05/2016
_BLOCK = 30
_POINT_WEIGHTS = np.array([0.19, 0.18, 0.15, 0.18, 0.17, 0.13])
_SIZE_P = np.array([0.26, 0.27, 0.21, 0.18, 0.08])
#: ring offsets a household draws its peer partners from (its neighbourhood)
_OFFSETS = np.array([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5])
#: planted bridges of a district: id suffix, kind, the three points (indices), nature, programme
_BRIDGES = (
    ("AS001", "association", (0, 1, 2), "peer", "community", "association_bridge"),
    ("VB", "individual", (2, 3, 4), "peer", "community", "volunteer_bridge"),
    ("SC01", "school", (4, 5, 0), "institutional", "youth", "school_bridge"),
    ("FG01", "formal_group", (1, 3, 5), "peer", "work", "formal_group_bridge"),
)
_ORGS = (("association", "AS", 40), ("formal_group", "FG", 10), ("company", "CO", 20),
         ("school", "SC", 5), ("public_entity", "PE", 3))


@dataclass(frozen=True, eq=False)
class SampleRegion:
    """A generated region: the six tables, the planted truth and the districts.

    Attributes
    ----------
    dataset : Dataset
        The six tables (id columns categorical, text columns Arrow strings).
    truth : GroundTruth
        Planted isolated households and bridges of every district, and the region bridges.
    districts : pandas.DataFrame
        ``district_id``, ``community_point_id``, ``name``: the points each district owns.
    seed : int
    """

    dataset: Dataset
    truth: GroundTruth
    districts: pd.DataFrame
    seed: int


def district_of_points(districts: pd.DataFrame) -> dict[str, str]:
    """Community Point id -> district id, from a districts table.

    Examples
    --------
    >>> table = pd.DataFrame({"district_id": ["D01", "D01"], "community_point_id": ["A", "B"],
    ...                       "name": ["x", "x"]})
    >>> district_of_points(table)
    {'A': 'D01', 'B': 'D01'}
    """
    return dict(zip(districts["community_point_id"], districts["district_id"], strict=True))


def generate_region(
    districts: int = 30,
    *,
    households_per_district: int = 1300,
    peer_partners_per_block: int = 3,
    region_bridges: int = 10,
    bridge_neighbours_per_point: int = 16,
    seed: int = 2016,
) -> SampleRegion:
    """Generate the synthetic region.

    Parameters
    ----------
    districts : int
        Number of districts (six Community Points each).
    households_per_district : int
        Households per district (about 2.5 individuals each).
    peer_partners_per_block : int
        Distinct peer partners every connected household has in each 30-day block (one more
        after a year in the programme: the rising peer share of the sample district).
    region_bridges : int
        Organisations tying three districts each (0: districts only tied through nobody).
    bridge_neighbours_per_point : int
        Individuals each planted bridge meets in each of its points.
    seed : int
        Seed of ``numpy.random.default_rng``; district ``d`` draws from ``(seed, d)``.

    Returns
    -------
    SampleRegion

    Notes
    -----
    Deterministic for its arguments. Time and memory are linear in the number of events:
    about a minute and a few hundred megabytes for the default 4M events on a 2-core machine.

    Examples
    --------
    >>> a = generate_region(districts=1, households_per_district=150, seed=1)
    >>> b = generate_region(districts=1, households_per_district=150, seed=1)
    >>> a.dataset.interactions.equals(b.dataset.interactions)
    True
    """
    if districts < 1 or households_per_district < 100:
        raise ValueError("need at least one district of at least 100 households")
    parts = [
        _District(d, households_per_district, peer_partners_per_block,
                  bridge_neighbours_per_point, np.random.default_rng([seed, d])).build()
        for d in range(districts)
    ]
    rng = np.random.default_rng([seed, 10_000])
    region_rows = _region_bridges(parts, region_bridges, bridge_neighbours_per_point, rng)
    return _assemble(parts, region_rows, seed)


def write_region(region: SampleRegion, out_dir: str | os.PathLike) -> list[Path]:
    """Write the region's register files, ``districts.csv`` and ``ground_truth/``.

    Returns the paths written (registers, districts, then the truth files).
    """
    from genera_graph.io.registers import write_registers

    out = Path(out_dir)
    paths = write_registers(region.dataset, out)
    path = out / DISTRICTS_FILE
    region.districts[DISTRICT_COLUMNS].to_csv(path, sep=";", index=False, lineterminator="\n")
    paths.append(path)
    paths += write_truth(region.truth, out / "ground_truth")
    return paths


# ------------------------------------------------------------------------------ one district
class _District:
    """One district's actors and events as integer arrays (local indices, then prefixed)."""

    def __init__(self, d: int, n_households: int, base_partners: int, neighbours: int,
                 rng: np.random.Generator) -> None:
        self.d, self.rng, self.nh = d, rng, n_households
        self.base_partners, self.neighbours = base_partners, neighbours
        self.prefix = f"D{d + 1:02d}"

    # ---- people --------------------------------------------------------------------------
    def build(self) -> dict:
        rng, nh = self.rng, self.nh
        self.fac_first = np.sort(rng.integers(0, 89, 12))
        self.fac_point = np.repeat(np.arange(6), 2)
        # households: first met (weighted towards year 1), point, size, facilitator
        year = rng.choice(3, nh, p=[0.55, 0.28, 0.17])
        lo, hi = np.array([30, 366, 731])[year], np.array([366, 731, 1000])[year]
        first = np.sort(lo + (rng.random(nh) * (hi - lo)).astype(np.int64))
        point = rng.choice(6, nh, p=_POINT_WEIGHTS)
        fac = 2 * point + rng.integers(0, 2, nh)
        first = np.maximum(first, self.fac_first[fac] + 7)
        size = rng.choice(np.arange(1, 6), nh, p=_SIZE_P)
        self.first, self.point, self.fac, self.size = first, point, fac, size
        self.member_start = np.r_[0, np.cumsum(size)[:-1]]
        self.n_ind = int(size.sum())
        self.ind_household = np.repeat(np.arange(nh), size)
        rank = np.arange(self.n_ind) - self.member_start[self.ind_household]
        self.ind_rank = rank
        self.status = np.zeros(nh, np.int8)  # 0 normal, 1..4 the MECHANISMS
        self.d_day = np.full(nh, _END, np.int64)  # planted day (peer life ends)
        self.reserved = np.zeros(nh, bool)
        self.bridge_of = np.full(nh, -1, np.int64)  # volunteer individual of bridge_leaves
        self.ind_left = np.full(self.n_ind, -1, np.int64)
        self.interactions: list[np.ndarray] = []  # rows: day, src, tgt, kind, nat, prog, cp, srck
        self._plant()
        self._facilitator_contacts()
        self._peer_ties()
        self._departing_neighbours()
        self._planted_bridges()
        self._activities()
        self._memberships()
        return self._export()

    def _pick_households(self, ok: np.ndarray, k: int, point: int | None = None) -> np.ndarray:
        """``k`` households among ``ok``, of ``point`` when it has enough, else of any point
        (a small district may have too few of one point met early enough)."""
        if point is not None and (ok & (self.point == point)).sum() >= k:
            ok = ok & (self.point == point)
        cands = np.flatnonzero(ok)
        if len(cands) < k:
            raise ValueError(f"district {self.prefix}: too few households to plant the truth")
        return np.sort(self.rng.choice(cands, k, replace=False))

    def _free(self) -> np.ndarray:
        return (self.status == 0) & ~self.reserved

    def _plant(self) -> None:
        rng = self.rng
        # the departing volunteers (bridge_leaves), in points 1 and 4, and the volunteer bridge
        self.volunteers = []
        for k, n in enumerate((3, 2)):
            ok = self._free() & (self.size >= 2) & (self.first <= 200)
            v = int(self._pick_households(ok, 1, (1, 4)[k])[0])
            self.reserved[v] = True
            b = int(self.member_start[v] + 1)  # the second adult leaves; the head stays
            self.volunteers.append((v, b, n))
        ok = self._free() & (self.size >= 2) & (self.first <= 250)
        vb = int(self._pick_households(ok, 1, 3)[0])
        self.reserved[vb] = True
        self.bridge_volunteer = int(self.member_start[vb] + 1)
        rows = []
        for code, n in ((1, 9), (2, 7)):  # contact_stops, only_professional
            days = np.sort(rng.integers(366, 1003, n))
            for k, day in enumerate(days):
                ok = self._free() & (self.first <= day - 180)
                h = int(self._pick_households(ok, 1, k % 6)[0])
                self.status[h], self.d_day[h] = code, day
                rows.append((h, int(day), code, -1))
        windows = ((486, 668), (759, 973))  # 01/06/2017-30/11/2017, 01/03/2018-30/09/2018
        for k, (v, b, n) in enumerate(self.volunteers):
            day = int(rng.integers(*windows[k]))
            self.ind_left[b] = day
            ok = (self._free() & (self.point == self.point[v]) & (self.first <= day - 150)
                  & (self.first >= self.first[v]))
            for h in self._pick_households(ok, n):
                self.status[h], self.d_day[h], self.bridge_of[h] = 3, day, b
                rows.append((int(h), day, 3, b))
        firsts = ((250, 366), (366, 731), (366, 731), (731, 950))
        for k in range(4):  # never_connected
            f_lo, f_hi = firsts[k]
            ok = self._free() & (self.first >= f_lo) & (self.first < f_hi)
            h = int(self._pick_households(ok, 1, (k * 2 + 1) % 6)[0])
            self.status[h], self.d_day[h] = 4, self.first[h]
            rows.append((h, int(self.first[h]), 4, -1))
        self.truth_rows = rows

    def _member(self, h: np.ndarray, head_share: float = 0.0) -> np.ndarray:
        """A random member of each household (the head with ``head_share``); a household of a
        departing volunteer always sends its head, so the volunteer appears in no other tie."""
        rng = self.rng
        pick = (rng.random(len(h)) * self.size[h]).astype(np.int64)
        if head_share:
            pick = np.where(rng.random(len(h)) < head_share, 0, pick)
        pick = np.where(self.reserved[h], 0, pick)
        return self.member_start[h] + pick

    def _add(self, day, src, tgt, kind, nature, prog, cp, source) -> None:
        n = len(day)
        cols = [day, src, tgt, kind, nature, prog, cp, source]
        self.interactions.append(
            np.vstack([np.broadcast_to(np.asarray(c, np.int64), n) for c in cols])
        )

    # ---- ties ----------------------------------------------------------------------------
    def _facilitator_contacts(self) -> None:
        rng = self.rng
        h = np.arange(self.nh)
        stop = np.where(self.status == 1, self.d_day, _END)
        t = self.first.copy()
        days, hs = [], []
        while True:
            alive = t < stop
            if not alive.any():
                break
            days.append(t[alive])
            hs.append(h[alive])
            tenure = t - self.first
            gap = np.select(
                [tenure < 90, tenure < 365, tenure < 730],
                [rng.integers(6, 12, self.nh), rng.integers(12, 22, self.nh),
                 rng.integers(25, 45, self.nh)],
                rng.integers(45, 80, self.nh),
            )
            t = np.where(alive, t + gap, t)
        day, hh = np.concatenate(days), np.concatenate(hs)
        kind = np.where(rng.random(len(day)) < 0.8, _IK["support"], _IK["referral"])
        prog = rng.choice([_PROG["community"], _PROG["housing"], _PROG["work"]], len(day),
                          p=[0.8, 0.1, 0.1])
        self._add(day, self.n_ind + self.fac[hh], self._member(hh, 0.55), kind, _NAT["professional"],
                  prog, self.point[hh], _SRC["facilitator_record"])

    def _peer_ties(self) -> None:
        rng = self.rng
        pos = rng.random(self.nh)  # the households' order on their point's ring
        pool_ok = self._free()
        capable = np.isin(self.status, (0, 1, 2))
        for s in range(0, _END, _BLOCK):
            e = min(s + _BLOCK, _END)
            share = (e - s) / _BLOCK
            req = np.flatnonzero(capable & (self.first + 30 <= s) & (self.d_day >= e))
            if len(req) == 0:
                continue
            tenure = s - self.first[req]
            exact = (self.base_partners + (tenure >= 365)) * share
            target = np.maximum(1, np.floor(exact) + (rng.random(len(req)) < exact % 1))
            target = target.astype(np.int64)
            partners = np.full((len(req), len(_OFFSETS)), -1, np.int64)
            for p in range(6):
                pool = np.flatnonzero(pool_ok & (self.first <= s) & (self.point == p))
                if len(pool) < len(_OFFSETS) + 1:  # a young point: the district's pool
                    pool = np.flatnonzero(pool_ok & (self.first <= s))
                if len(pool) < len(_OFFSETS) + 1:
                    continue
                pool = pool[np.argsort(pos[pool])]
                at = np.flatnonzero(self.point[req] == p)
                hs = req[at]
                i = np.searchsorted(pos[pool], pos[hs])  # insertion point on the ring
                inside = (i < len(pool)) & (pool[np.minimum(i, len(pool) - 1)] == hs)
                # a household on the ring skips itself; one off the ring sits between i-1 and i
                offs = np.where(_OFFSETS[None, :] > 0, _OFFSETS[None, :] - (~inside)[:, None],
                                _OFFSETS[None, :])
                partners[at] = pool[(i[:, None] + offs) % len(pool)]
            # each household takes ``target`` distinct neighbours, in a random order
            order = np.argsort(rng.random(partners.shape), axis=1)
            chosen = np.take_along_axis(partners, order, axis=1)
            take = (np.arange(len(_OFFSETS))[None, :] < target[:, None]) & (chosen >= 0)
            src_h = np.broadcast_to(req[:, None], chosen.shape)[take]
            tgt_h = chosen[take]
            n = len(src_h)
            day = s + (rng.random(n) * (e - s)).astype(np.int64)
            kind = np.where(rng.random(n) < 0.55, _IK["meeting"], _IK["mutual_help"])
            source = np.where(rng.random(n) < 0.6, _SRC["facilitator_record"], _SRC["survey"])
            self._add(day, self._member(src_h), self._member(tgt_h), kind, _NAT["peer"],
                      _PROG["community"], self.point[src_h], source)

    def _departing_neighbours(self) -> None:
        rng = self.rng
        for h in np.flatnonzero(self.status == 3):
            b = self.bridge_of[h]
            gaps = rng.integers(8, 20, 200)
            day = self.first[h] + int(rng.integers(7, 20)) + np.r_[0, np.cumsum(gaps)[:-1]]
            day = day[day < self.d_day[h]]
            hh = np.full(len(day), h)
            member = self.member_start[h] + (rng.random(len(day)) * self.size[h]).astype(np.int64)
            flip = rng.random(len(day)) < 0.5
            kind = np.where(rng.random(len(day)) < 0.6, _IK["mutual_help"], _IK["meeting"])
            self._add(day, np.where(flip, member, b), np.where(flip, b, member), kind,
                      _NAT["peer"], _PROG["community"], self.point[hh], _SRC["facilitator_record"])

    def _bridge_actor(self, kind: str) -> int:
        """Local index of a planted bridge actor (individuals first, then organisations)."""
        if kind == "individual":
            return self.bridge_volunteer
        return self.n_ind + 12 + self.org_offset[kind]  # the first organisation of its kind

    def _neighbours(self, point: int, n: int, exclude: set[int]) -> np.ndarray:
        ok = self._free() & (self.point == point) & (self.first <= 500)
        hs = np.flatnonzero(ok)
        m = self._member(hs)
        m = m[~np.isin(m, list(exclude))]
        return np.sort(self.rng.choice(m, min(n, len(m)), replace=False))

    def _planted_bridges(self) -> None:
        rng = self.rng
        self.org_offset, k = {}, 0
        for kind, _, n in _ORGS:
            self.org_offset[kind] = k
            k += n
        self.n_org = k
        self.org_first = rng.integers(40, 300, k)
        self.org_point = rng.choice(6, k, p=_POINT_WEIGHTS)
        used = {self.bridge_volunteer}
        self.bridge_rows = []
        for _suffix, kind, points, nature, prog, role in _BRIDGES:
            actor = self._bridge_actor(kind)
            first = (self.first[self.ind_household[actor]] if kind == "individual"
                     else self.org_first[actor - self.n_ind - 12])
            for p in points:
                ms = self._neighbours(p, self.neighbours, used)
                used.update(ms.tolist())
                counts = rng.integers(5, 12, len(ms))
                m = np.repeat(ms, counts)
                lo = np.maximum(first, self.first[self.ind_household[m]]) + 5
                day = lo + (rng.random(len(m)) * (_END - lo)).astype(np.int64)
                flip = rng.random(len(m)) < 0.5
                kind_code = _IK["meeting"] if kind != "individual" else _IK["mutual_help"]
                src = _SRC["facilitator_record"] if nature == "peer" else _SRC["survey"]
                self._add(day, np.where(flip, actor, m), np.where(flip, m, actor), kind_code,
                          _NAT[nature], _PROG[prog], p, src)
            desc = f"{role.replace('_', ' ')} of {self.prefix} in points " + ", ".join(
                f"CP{p + 1:02d}" for p in points)
            self.bridge_rows.append((actor, role, desc))

    def _activities(self) -> None:
        """Proximity labs and local events of each point; attendees from ordinary households."""
        rng = self.rng
        acts, parts = [], []
        free = self._free()
        for y in range(3):
            for p in range(6):
                for kind, n, sessions, size, prog in (("proximity_lab", 4, 8, 14, "community"),
                                                      ("local_event", 3, 1, 30, "community")):
                    lo = max(365 * y, _POINTS_OPEN + 7)
                    starts = np.sort(rng.integers(lo, 365 * (y + 1), n))
                    for s in starts:
                        days = s + 7 * np.arange(sessions)
                        days = days[days < _END]
                        a = len(acts)
                        acts.append((kind, _PROG[prog], p, int(s), int(days[-1])))
                        ok = np.flatnonzero(free & (self.point == p) & (self.first <= s))
                        if len(ok) == 0:
                            continue
                        roster = self._member(rng.choice(ok, min(size, len(ok)), replace=False))
                        roster = np.unique(roster)
                        attend = rng.random((len(days), len(roster))) < (0.75 if sessions > 1
                                                                          else 1.0)
                        di, ri = np.nonzero(attend)
                        parts.append(np.vstack([np.full(len(di), a), roster[ri], days[di],
                                                np.full(len(di), _ROLE["participant"])]))
                        fac = self.n_ind + 2 * p + (rng.random(len(days)) < 0.5)
                        parts.append(np.vstack([np.full(len(days), a), fac, days,
                                                np.full(len(days), _ROLE["facilitator"])]))
        self.acts = acts
        self.parts = np.hstack(parts) if parts else np.empty((4, 0), np.int64)

    def _memberships(self) -> None:
        """Memberships of adults of ordinary households in the associations (institutional)."""
        rng = self.rng
        n_assoc = dict((k, n) for k, _, n in _ORGS)["association"]
        hs = np.flatnonzero(self._free())
        hs = rng.choice(hs, min(len(hs), 6 * n_assoc), replace=False)
        org = self.n_ind + 12 + rng.integers(0, n_assoc, len(hs))
        start = np.maximum(self.first[hs], self.org_first[org - self.n_ind - 12])
        start = start + rng.integers(0, 120, len(hs))
        keep = start < _END
        self.relations = np.vstack([start[keep], self.member_start[hs][keep], org[keep]])

    # ---- export --------------------------------------------------------------------------
    def _export(self) -> dict:
        """Local arrays plus the actor id table; the region assembles the frames."""
        pre = self.prefix
        ind_ids = [f"{pre}I{i + 1:05d}" for i in range(self.n_ind)]
        fac_ids = [f"{pre}F{f + 1:02d}" for f in range(12)]
        org_ids = []
        for _kind, code, n in _ORGS:
            org_ids += [f"{pre}{code}{k + 1:03d}" for k in range(n)]
        hh_ids = [f"{pre}H{h + 1:05d}" for h in range(self.nh)]
        cp_ids = [f"{pre}CP{p + 1:02d}" for p in range(6)]
        # local actor index: individuals, facilitators, organisations, households, points
        ids = ind_ids + fac_ids + org_ids + hh_ids + cp_ids
        kinds = (["individual"] * self.n_ind + ["facilitator"] * 12
                 + [k for k, _, n in _ORGS for _ in range(n)]
                 + ["household"] * self.nh + ["community_point"] * 6)
        ind_point = self.point[self.ind_household]
        point = np.r_[ind_point, self.fac_point, self.org_point, self.point, np.arange(6)]
        first = np.r_[self.first[self.ind_household], self.fac_first, self.org_first,
                      self.first, np.full(6, _POINTS_OPEN)]
        fac_of = np.r_[np.full(self.n_ind + 12 + self.n_org, -1), self.fac,
                       np.full(6, -1)]
        left = np.r_[self.ind_left, np.full(12 + self.n_org + self.nh + 6, -1)]
        inter = np.hstack(self.interactions)
        return {
            "prefix": pre,
            "ids": ids,
            "kinds": kinds,
            "point": point,
            "cp_ids": cp_ids,
            "first": first,
            "fac_of": fac_of,
            "left": left,
            "hh_offset": self.n_ind + 12 + self.n_org,
            "ind_household": self.ind_household,
            "ind_rank": self.ind_rank,
            "interactions": inter,
            "acts": self.acts,
            "parts": self.parts,
            "relations": self.relations,
            "truth": self.truth_rows,
            "bridges": self.bridge_rows,
            "neighbours": {p: np.flatnonzero(self._free() & (self.point == p) & (self.first <= 500))
                           for p in range(6)},
            "member_start": self.member_start,
            "size": self.size,
        }


# ------------------------------------------------------------------------------ the region
_IK = {"meeting": 0, "mutual_help": 1, "support": 2, "referral": 3}
_NAT = {"peer": 0, "professional": 1, "institutional": 2}
_PROG = {"community": 0, "housing": 1, "work": 2, "youth": 3, "ideas": 4}
_SRC = {"facilitator_record": 0, "survey": 1, "attendance_sheet": 2, "register": 3}
_ROLE = {"participant": 0, "facilitator": 1}
_MECH = {1: "contact_stops", 2: "only_professional", 3: "bridge_leaves", 4: "never_connected"}
_MEMBER_ROLES = ["head", "partner", "child", "relative"]
_ROLE_OF_RANK = np.array([0, 1, 2, 2, 3])


def _region_bridges(parts: list[dict], n: int, neighbours: int,
                    rng: np.random.Generator) -> dict:
    """Interactions of the region bridges: each meets individuals of three districts."""
    rows, bridges = [], []
    if len(parts) < 2:
        n = 0
    for k in range(n):
        ds = np.sort(rng.choice(len(parts), min(3, len(parts)), replace=False))
        first = int(rng.integers(60, 300))
        for d in ds:
            part = parts[d]
            p = int(rng.integers(6))
            hs = part["neighbours"][p]
            m = part["member_start"][hs] + (rng.random(len(hs)) * part["size"][hs]).astype(int)
            m = rng.choice(m, min(neighbours, len(m)), replace=False)
            counts = rng.integers(5, 12, len(m))
            m = np.repeat(m, counts)
            lo = np.maximum(first, part["first"][m]) + 5
            day = lo + (rng.random(len(m)) * (_END - lo)).astype(np.int64)
            flip = rng.random(len(m)) < 0.5
            rows.append((k, d, day, m, flip, p))
        bridges.append((f"RB{k + 1:02d}", "region_bridge",
                        "regional association linking districts "
                        + ", ".join(parts[d]["prefix"] for d in ds)))
    return {"rows": rows, "bridges": bridges}


def _arrow(values) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.array(values, pa.string())))


def _days(values: np.ndarray) -> pd.Series:
    values = np.asarray(values, np.int64)
    out = (_START + values.astype("timedelta64[D]")).astype("datetime64[ns]")
    return pd.Series(np.where(values >= 0, out, np.datetime64("NaT")), dtype="datetime64[ns]")


def _cat(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes), categories=categories)


def _assemble(parts: list[dict], region: dict, seed: int) -> SampleRegion:
    offsets = np.cumsum([0] + [len(p["ids"]) for p in parts])
    region_ids = [b[0] for b in region["bridges"]]
    all_ids = [i for p in parts for i in p["ids"]] + region_ids
    cp_all = [c for p in parts for c in p["cp_ids"]]
    n_actors = len(all_ids)
    actor_index = pd.Index(all_ids)
    kinds = [k for p in parts for k in p["kinds"]] + ["association"] * len(region_ids)
    point = np.concatenate([p["point"] + 6 * d for d, p in enumerate(parts)]
                           + [np.full(len(region_ids), -1)])
    first = np.concatenate([p["first"] for p in parts] + [np.full(len(region_ids), 60)])
    left = np.concatenate([p["left"] for p in parts] + [np.full(len(region_ids), -1)])
    # facilitator index: local facilitator f sits at n_ind + f
    fac_global = np.full(n_actors, -1, np.int64)
    for d, p in enumerate(parts):
        n_ind = len(p["ind_household"])
        lo, hi = offsets[d], offsets[d + 1]
        local = p["fac_of"]
        fac_global[lo:hi] = np.where(local >= 0, offsets[d] + n_ind + local, -1)
    municipality = np.asarray([f"Comune {c}" for c in cp_all] + ["Capoluogo"], dtype=object)
    names = _names(parts, region_ids)
    kind_cat = pd.Categorical(kinds)
    actors = pd.DataFrame({
        "actor_id": _arrow(all_ids),
        "kind": kind_cat,
        "name": _arrow(names),
        "community_point_id": _cat(np.where(point >= 0, point, -1), cp_all),
        "municipality": _cat(np.where(point >= 0, point, len(cp_all)), municipality),
        "facilitator_id": _cat(fac_global, actor_index),
        "first_met": _days(first),
        "left_on": _days(left),
    })
    # household members
    hh_of, ind, role, start, end = [], [], [], [], []
    for d, p in enumerate(parts):
        n_ind = len(p["ind_household"])
        ind.append(offsets[d] + np.arange(n_ind))
        hh_of.append(offsets[d] + p["hh_offset"] + p["ind_household"])
        role.append(_ROLE_OF_RANK[np.minimum(p["ind_rank"], 4)])
        start.append(p["first"][:n_ind])
        end.append(p["left"][:n_ind])
    members = pd.DataFrame({
        "household_id": _cat(np.concatenate(hh_of), actor_index),
        "individual_id": _cat(np.concatenate(ind), actor_index),
        "role": _cat(np.concatenate(role), _MEMBER_ROLES),
        "start_date": _days(np.concatenate(start)),
        "end_date": _days(np.concatenate(end)),
    })
    # activities and participations
    act_rows, part_rows = [], []
    n_act = 0
    for d, p in enumerate(parts):
        for kind, prog, pt, s, e in p["acts"]:
            act_rows.append((kind, prog, 6 * d + pt, s, e))
        pr = p["parts"]
        part_rows.append(np.vstack([pr[0] + n_act, pr[1] + offsets[d], pr[2], pr[3]]))
        n_act += len(p["acts"])
    act_ids = [f"A{k + 1:06d}" for k in range(n_act)]
    titles = {"proximity_lab": "Laboratorio di prossimità", "local_event": "Festa di comunità"}
    activities = pd.DataFrame({
        "activity_id": _arrow(act_ids),
        "kind": pd.Categorical([r[0] for r in act_rows]),
        "programme": _cat([r[1] for r in act_rows], list(_PROG)),
        "community_point_id": _cat([r[2] for r in act_rows], cp_all),
        "title": _arrow([f"{titles[r[0]]} {cp_all[r[2]]}" for r in act_rows]),
        "start_date": _days(np.asarray([r[3] for r in act_rows])),
        "end_date": _days(np.asarray([r[4] for r in act_rows])),
        "funding_eur": pd.Series(np.full(n_act, np.nan)),
        "partner_id": _cat(np.full(n_act, -1), actor_index),
    })
    pr = np.hstack(part_rows)
    order = np.lexsort((pr[1], pr[0], pr[2]))
    pr = pr[:, order]
    participations = pd.DataFrame({
        "activity_id": _cat(pr[0], act_ids),
        "actor_id": _cat(pr[1], actor_index),
        "date": _days(pr[2]),
        "role": _cat(pr[3], list(_ROLE)),
        "source": _cat(np.full(pr.shape[1], _SRC["attendance_sheet"]), list(_SRC)),
    })
    # interactions
    blocks = []
    for d, p in enumerate(parts):
        x = p["interactions"].copy()
        x[1] += offsets[d]
        x[2] += offsets[d]
        x[6] += 6 * d
        blocks.append(x)
    rb0 = offsets[-1]
    for k, d, day, m, flip, pt in region["rows"]:
        actor = rb0 + k
        m = m + offsets[d]
        n = len(day)
        blocks.append(np.vstack([day, np.where(flip, actor, m), np.where(flip, m, actor),
                                 np.full(n, _IK["meeting"]), np.full(n, _NAT["peer"]),
                                 np.full(n, _PROG["community"]), np.full(n, 6 * d + pt),
                                 np.full(n, _SRC["facilitator_record"])]))
    x = np.hstack(blocks)
    x = x[:, np.lexsort((x[2], x[1], x[0]))]
    n_int = x.shape[1]
    interactions = pd.DataFrame({
        "interaction_id": _ids("C", n_int),
        "date": _days(x[0]),
        "source_actor_id": _cat(x[1], actor_index),
        "target_actor_id": _cat(x[2], actor_index),
        "kind": _cat(x[3], list(_IK)),
        "nature": _cat(x[4], list(_NAT)),
        "programme": _cat(x[5], list(_PROG)),
        "community_point_id": _cat(x[6], cp_all),
        "source": _cat(x[7], list(_SRC)),
    })
    rel = np.hstack([np.vstack([p["relations"][0], p["relations"][1] + offsets[d],
                                p["relations"][2] + offsets[d],
                                point[p["relations"][1] + offsets[d]]])
                     for d, p in enumerate(parts)])
    rel = rel[:, np.lexsort((rel[1], rel[0]))]
    n_rel = rel.shape[1]
    relations = pd.DataFrame({
        "relation_id": _ids("R", n_rel),
        "kind": _cat(np.zeros(n_rel, np.int8), ["membership"]),
        "actor_id": _cat(rel[1], actor_index),
        "partner_id": _cat(rel[2], actor_index),
        "activity_id": _cat(np.full(n_rel, -1), act_ids),
        "start_date": _days(rel[0]),
        "end_date": _days(np.full(n_rel, -1)),
        "nature": _cat(np.full(n_rel, _NAT["institutional"]), list(_NAT)),
        "programme": _cat(np.zeros(n_rel, np.int8), list(_PROG)),
        "community_point_id": _cat(rel[3], cp_all),
        "source": _cat(np.full(n_rel, _SRC["register"]), list(_SRC)),
    })
    ds = Dataset(actors=actors, household_members=members, activities=activities,
                 participations=participations, interactions=interactions, relations=relations)
    # truth
    iso = []
    for d, p in enumerate(parts):
        for h, day, code, b in p["truth"]:
            iso.append((all_ids[offsets[d] + p["hh_offset"] + h], day, _MECH[code],
                        all_ids[offsets[d] + b] if b >= 0 else None))
    iso.sort(key=lambda r: (r[1], r[0]))
    isolated = pd.DataFrame({
        "household_id": [r[0] for r in iso],
        "isolated_from": _days(np.asarray([r[1] for r in iso], np.int64)),
        "mechanism": [r[2] for r in iso],
        "bridge_id": [r[3] for r in iso],
    })[ISOLATED_COLUMNS]
    bridge_rows = [(all_ids[offsets[d] + a], role, desc)
                   for d, p in enumerate(parts) for a, role, desc in p["bridges"]]
    bridges = pd.DataFrame(bridge_rows + region["bridges"], columns=BRIDGE_COLUMNS)
    districts = pd.DataFrame({
        "district_id": [p["prefix"] for p in parts for _ in range(6)],
        "community_point_id": cp_all,
        "name": [f"Distretto sintetico {p['prefix'][1:]}" for p in parts for _ in range(6)],
    })
    return SampleRegion(ds, GroundTruth(isolated, bridges), districts, seed)


def _ids(prefix: str, n: int) -> pd.Series:
    numbers = pc.cast(pa.array(np.arange(1, n + 1, dtype=np.int64)), pa.string())
    text = pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, 7, "0"), "")
    return pd.Series(pd.arrays.ArrowStringArray(text))


def _names(parts: list[dict], region_ids: list[str]) -> list[str]:
    """Display names: obviously synthetic, a pure function of the id (no personal data)."""
    labels = {"individual": "Persona fittizia", "household": "Famiglia fittizia",
              "facilitator": "Facilitatore fittizio", "community_point": "Punto di Comunità",
              "association": "Associazione fittizia", "formal_group": "Gruppo fittizio",
              "company": "Impresa fittizia", "school": "Istituto fittizio",
              "public_entity": "Ente fittizio"}
    out = [f"{labels[k]} {i}" for p in parts for i, k in zip(p["ids"], p["kinds"], strict=True)]
    return out + [f"Associazione regionale fittizia {i}" for i in region_ids]
