"""Hypothesis strategies for event logs and :class:`~genera_graph.model.Dataset` s.

Import from a test module with::

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/
    from strategies import datasets

The generated datasets are schema-valid (see ``test_strategies_are_schema_valid`` in
``tests/temporal/test_temporal_views.py``): text ids, dates at midnight, no self-ties, end dates
on or after start dates, participations referring to existing activities.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pandas as pd
from hypothesis import strategies as st

from genera_graph.model import Dataset
from genera_graph.model.kinds import (
    ActivityKind,
    ActorKind,
    InteractionKind,
    ParticipationRole,
    Programme,
    RelationKind,
    TieNature,
    values,
)

__all__ = ["DAY0", "datasets", "day_offsets"]

#: the first day generated datasets use (the programme start)
DAY0 = date(2016, 2, 1)
_CPS = ["CP1", "CP2", "CP3"]


@cache
def _empty_tables() -> dict[str, pd.DataFrame]:
    """The model's empty tables, built once: ``Dataset.empty()`` builds each from its pandera
    schema, which cost more than the rest of a draw."""
    return Dataset.empty().tables()


def _empty() -> Dataset:
    """An empty :class:`Dataset` of fresh copies (no two examples share a frame)."""
    return Dataset(**{name: frame.copy() for name, frame in _empty_tables().items()})


def day_offsets(max_day: int = 400) -> st.SearchStrategy[int]:
    """Day offsets from :data:`DAY0`."""
    return st.integers(min_value=0, max_value=max_day)


def _dates(offsets: list[int | None]) -> pd.Series:
    return pd.Series(
        pd.to_datetime([None if o is None else DAY0 + timedelta(days=o) for o in offsets]),
        dtype="datetime64[ns]",
    )


@st.composite
def datasets(
    draw: st.DrawFn,
    *,
    max_actors: int = 12,
    max_events: int = 40,
    max_day: int = 400,
    interactions: bool = True,
    relations: bool = True,
    participations: bool = True,
    kinds: list[str] | None = None,
) -> Dataset:
    """A small random, schema-valid :class:`Dataset`.

    Parameters
    ----------
    max_actors, max_events, max_day
        Bounds of the actors table, of each event table, and of the day offsets from
        :data:`DAY0`.
    interactions, relations, participations
        Whether to generate that event table (otherwise it is empty).
    kinds
        Actor kinds to draw from (default: every kind).
    """
    kinds = kinds or values(ActorKind)
    n = draw(st.integers(min_value=2, max_value=max_actors))
    ids = [f"A{i:03d}" for i in range(n)]
    actor_kinds = draw(st.lists(st.sampled_from(kinds), min_size=n, max_size=n))
    days = day_offsets(max_day)
    actors = pd.DataFrame(
        {
            "actor_id": ids,
            "kind": actor_kinds,
            "name": [f"n{i}" for i in range(n)],
            "community_point_id": draw(
                st.lists(st.sampled_from([*_CPS, None]), min_size=n, max_size=n)
            ),
            "first_met": _dates(draw(st.lists(days, min_size=n, max_size=n))),
        }
    )
    empty = _empty()

    # household memberships: each individual may belong to one household for a period
    households = [a for a, k in zip(ids, actor_kinds, strict=True) if k == "household"]
    members = []
    if households:
        for a, k in zip(ids, actor_kinds, strict=True):
            if k == "individual" and draw(st.booleans()):
                start = draw(days)
                end = draw(st.one_of(st.none(), st.integers(start, max_day)))
                members.append((draw(st.sampled_from(households)), a, start, end))
    household_members = pd.DataFrame(
        {
            "household_id": [m[0] for m in members],
            "individual_id": [m[1] for m in members],
            "role": ["other"] * len(members),
            "start_date": _dates([m[2] for m in members]),
            "end_date": _dates([m[3] for m in members]),
        }
    )
    if not members:
        household_members = empty.household_members

    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda p: p[0] != p[1])
    natures = st.sampled_from(values(TieNature))
    programmes = st.sampled_from(values(Programme))
    cps = st.sampled_from([*_CPS, None])

    inter = empty.interactions
    if interactions:
        rows = draw(st.lists(st.tuples(pairs, days, natures, programmes, cps), max_size=max_events))
        inter = pd.DataFrame(
            {
                "interaction_id": [f"X{i}" for i in range(len(rows))],
                "date": _dates([r[1] for r in rows]),
                "source_actor_id": [r[0][0] for r in rows],
                "target_actor_id": [r[0][1] for r in rows],
                "kind": [values(InteractionKind)[i % 5] for i in range(len(rows))],
                "nature": [r[2] for r in rows],
                "programme": [r[3] for r in rows],
                "community_point_id": [r[4] for r in rows],
                "source": ["survey"] * len(rows),
            }
        )

    rel = empty.relations
    if relations:
        rows = draw(
            st.lists(
                st.tuples(pairs, days, st.one_of(st.none(), st.integers(0, 200)), natures,
                          programmes, cps),
                max_size=max_events // 2,
            )
        )
        rel = pd.DataFrame(
            {
                "relation_id": [f"R{i}" for i in range(len(rows))],
                "kind": [values(RelationKind)[i % 6] for i in range(len(rows))],
                "actor_id": [r[0][0] for r in rows],
                "partner_id": [r[0][1] for r in rows],
                "activity_id": [None] * len(rows),
                "start_date": _dates([r[1] for r in rows]),
                "end_date": _dates([None if r[2] is None else r[1] + r[2] for r in rows]),
                "nature": [r[3] for r in rows],
                "programme": [r[4] for r in rows],
                "community_point_id": [r[5] for r in rows],
                "source": ["register"] * len(rows),
            }
        )

    acts, parts = empty.activities, empty.participations
    if participations:
        n_act = draw(st.integers(0, 4))
        act_ids = [f"ACT{i}" for i in range(n_act)]
        if n_act:
            act_days = draw(st.lists(days, min_size=n_act, max_size=n_act))
            acts = pd.DataFrame(
                {
                    "activity_id": act_ids,
                    "kind": [values(ActivityKind)[i % 8] for i in range(n_act)],
                    "programme": draw(st.lists(programmes, min_size=n_act, max_size=n_act)),
                    "community_point_id": draw(st.lists(cps, min_size=n_act, max_size=n_act)),
                    "title": [f"t{i}" for i in range(n_act)],
                    "start_date": _dates(act_days),
                }
            )
            rows = draw(
                st.lists(
                    st.tuples(st.sampled_from(act_ids), st.sampled_from(ids), days,
                              st.sampled_from(values(ParticipationRole))),
                    max_size=max_events,
                )
            )
            parts = pd.DataFrame(
                {
                    "activity_id": [r[0] for r in rows],
                    "actor_id": [r[1] for r in rows],
                    "date": _dates([r[2] for r in rows]),
                    "role": [r[3] for r in rows],
                    "source": ["attendance_sheet"] * len(rows),
                }
            )
            if not rows:
                parts = empty.participations
    return Dataset(
        actors=actors,
        household_members=household_members,
        activities=acts,
        participations=parts,
        interactions=inter,
        relations=rel,
    )
