"""A tiny hand-made dataset for examples and tests (no personal data).

Two households (``H001``: individuals ``I001``, ``I002``; ``H002``: ``I003``), a facilitator
``F001``, an association ``O001`` and a Community Point ``CP1``; four interactions in June and
September 2016, a lease (open-ended, from 1 July 2016) and a past membership, and one proximity
laboratory on 15 June 2016 attended by the three individuals.

Examples
--------
>>> ds = toy_dataset()
>>> [len(frame) for frame in ds.tables().values()]
[8, 3, 1, 3, 4, 2]
"""

from __future__ import annotations

import pandas as pd

from genera_graph.model.dataset import Dataset

__all__ = ["toy_dataset"]


def toy_dataset() -> Dataset:
    """The toy dataset described in the module docstring (schema-valid)."""
    d = pd.to_datetime
    actors = pd.DataFrame(
        {
            "actor_id": ["H001", "H002", "I001", "I002", "I003", "F001", "O001", "CP1"],
            "kind": ["household", "household", "individual", "individual", "individual",
                     "facilitator", "association", "community_point"],
            "name": ["h1", "h2", "i1", "i2", "i3", "f1", "o1", "cp1"],
            "community_point_id": ["CP1"] * 8,
            "municipality": [None] * 8,
            "facilitator_id": ["F001", "F001"] + [None] * 6,
            "first_met": d(["2016-05-18"] * 6 + ["2016-06-10", "2016-05-18"]),
            "left_on": d([None] * 8),
        }
    )
    members = pd.DataFrame(
        {
            "household_id": ["H001", "H001", "H002"],
            "individual_id": ["I001", "I002", "I003"],
            "role": ["head", "child", "head"],
            "start_date": d(["2016-01-01"] * 3),
            "end_date": d([None] * 3),
        }
    )
    activities = pd.DataFrame(
        {
            "activity_id": ["A1"],
            "kind": ["proximity_lab"],
            "programme": ["community"],
            "community_point_id": ["CP1"],
            "title": ["lab"],
            "start_date": d(["2016-06-15"]),
            "end_date": d([None]),
            "funding_eur": [float("nan")],
            "partner_id": [None],
        }
    )
    participations = pd.DataFrame(
        {
            "activity_id": ["A1"] * 3,
            "actor_id": ["I001", "I002", "I003"],
            "date": d(["2016-06-15"] * 3),
            "role": ["participant"] * 3,
            "source": ["attendance_sheet"] * 3,
        }
    )
    interactions = pd.DataFrame(
        {
            "interaction_id": ["X1", "X2", "X3", "X4"],
            "date": d(["2016-06-05", "2016-06-10", "2016-06-20", "2016-09-10"]),
            "source_actor_id": ["F001", "H001", "H002", "I001"],
            "target_actor_id": ["H001", "H002", "H001", "O001"],
            "kind": ["support", "mutual_help", "meeting", "meeting"],
            "nature": ["professional", "peer", "peer", "peer"],
            "programme": ["community"] * 4,
            "community_point_id": ["CP1"] * 4,
            "source": ["facilitator_record"] * 4,
        }
    )
    relations = pd.DataFrame(
        {
            "relation_id": ["R1", "R2"],
            "kind": ["lease", "membership"],
            "actor_id": ["H002", "I002"],
            "partner_id": ["O001", "O001"],
            "activity_id": [None, None],
            "start_date": d(["2016-07-01", "2016-03-01"]),
            "end_date": d([None, "2016-05-31"]),
            "nature": ["institutional", "institutional"],
            "programme": ["housing", "community"],
            "community_point_id": ["CP1", None],
            "source": ["register", "register"],
        }
    )
    return Dataset(
        actors=actors,
        household_members=members,
        activities=activities,
        participations=participations,
        interactions=interactions,
        relations=relations,
    )
