"""The sample district's tables: the builder's records assembled into a validated Dataset and
the planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from genera_graph.model import Dataset
from genera_graph.sample._base import (
    _FACILITATOR_POINTS,
    POINTS,
    PROGRAMME_START,
)
from genera_graph.sample.names import household_name, person_name
from genera_graph.sample.truth import BRIDGE_COLUMNS, ISOLATED_COLUMNS, GroundTruth


class _AssemblySteps:
    """The the final tables steps of the district builder
    (:class:`genera_graph.sample.generator._Builder`, whose state they share)."""

    def _finish(self) -> tuple[Dataset, GroundTruth]:
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
        return ds, self._truth_frames(dates)

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
