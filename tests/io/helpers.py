"""Helpers of the io tests: comparing datasets, writing small register folders."""

from __future__ import annotations

from functools import cache

import pandas as pd

from genera_graph.io.store import TABLE_KEYS
from genera_graph.model import Dataset

__all__ = ["assert_same_dataset", "sorted_tables", "tiny_dataset"]


def sorted_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every table sorted by its natural key, with a fresh index (for comparisons)."""
    return {name: frame.sort_values(list(TABLE_KEYS[name])).reset_index(drop=True)
            for name, frame in ds.tables().items()}


def assert_same_dataset(got: Dataset, expected: Dataset) -> None:
    """Same rows, same values, same dtypes, table by table (order of rows ignored)."""
    a, b = sorted_tables(got), sorted_tables(expected)
    for name in b:
        pd.testing.assert_frame_equal(a[name][list(b[name].columns)], b[name], obj=name)


def tiny_dataset() -> Dataset:
    """A small valid dataset touching every table and every register (fictional names).

    Each call returns fresh copies of the frames (a test may change them); the dataset is
    built and validated once per process.
    """
    return Dataset(**{name: frame.copy() for name, frame in _tiny_dataset().tables().items()})


@cache
def _tiny_dataset() -> Dataset:
    d = pd.to_datetime
    actors = pd.DataFrame({
        "actor_id": ["CP01", "F01", "H0001", "I0001", "I0002", "AS001", "CO001"],
        "kind": ["community_point", "facilitator", "household", "individual", "individual",
                 "association", "company"],
        "name": ["Punto Uno", "Facilitatrice Finta", "Famiglia Finta", "Zorba Fittizio",
                 "Élodie Fittizia", "Associazione; Finta", "Ditta \"Finta\""],
        "community_point_id": ["CP01", "CP01", "CP01", "CP01", "CP01", None, None],
        "municipality": ["Rezzato"] * 5 + [None, "Mazzano"],
        "facilitator_id": [None, None, "F01", None, None, None, None],
        "first_met": d(["2016-05-18", "2016-02-01", "2016-05-20", "2016-05-20", "2016-05-20",
                        "2016-07-03", "2016-09-01"]),
        "left_on": d([None, None, None, None, "2018-01-31", None, None]),
    })
    members = pd.DataFrame({
        "household_id": ["H0001", "H0001"], "individual_id": ["I0001", "I0002"],
        "role": ["head", "child"], "start_date": d(["2016-06-01"] * 2),
        "end_date": d([None, "2018-01-31"]),
    })
    activities = pd.DataFrame({
        "activity_id": ["A001", "A002", "A003"],
        "kind": ["proximity_lab", "idea_project", "thematic_lab"],
        "programme": ["community", "ideas", "work"],
        "community_point_id": ["CP01", "CP01", None],
        "title": ["Laboratorio di prossimità", "Orto condiviso", "Lavoro, insieme"],
        "start_date": d(["2016-05-20", "2017-03-01", "2016-10-10"]),
        "end_date": d(["2016-05-20", "2017-09-30", None]),
        "funding_eur": [None, 1500.5, None],
        "partner_id": [None, "AS001", "CO001"],
    })
    participations = pd.DataFrame({
        "activity_id": ["A001", "A001", "A002"], "actor_id": ["I0001", "I0002", "I0001"],
        "date": d(["2016-05-20", "2016-05-20", "2017-04-03"]),
        "role": ["participant", "participant", "organiser"],
        "source": ["attendance_sheet"] * 3,
    })
    interactions = pd.DataFrame({
        "interaction_id": ["C0001", "C0002"], "date": d(["2016-06-02", "2016-07-04"]),
        "source_actor_id": ["F01", "I0001"], "target_actor_id": ["H0001", "I0002"],
        "kind": ["support", "mutual_help"], "nature": ["professional", "peer"],
        "programme": ["housing", "community"], "community_point_id": ["CP01", None],
        "source": ["facilitator_record", "survey"],
    })
    relations = pd.DataFrame({
        "relation_id": ["R1", "R2", "R3"], "kind": ["lease", "membership", "apprenticeship"],
        "actor_id": ["H0001", "I0001", "I0002"], "partner_id": ["AS001", "AS001", "CO001"],
        "activity_id": [None, None, "A003"],
        "start_date": d(["2016-09-01", "2016-10-01", "2016-11-01"]),
        "end_date": d(["2017-08-31", None, "2017-04-30"]),
        "nature": ["institutional"] * 3, "programme": ["housing", "community", "work"],
        "community_point_id": ["CP01", None, None], "source": ["register"] * 3,
    })
    return Dataset(actors=actors, household_members=members, activities=activities,
                   participations=participations, interactions=interactions,
                   relations=relations).validated()
