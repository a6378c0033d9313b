"""Hypothesis strategies: valid datasets (every reference resolves, every key unique)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pandas as pd
from hypothesis import strategies as st

from genera_graph.model import (
    ActivityKind,
    Dataset,
    InteractionKind,
    MemberRole,
    ParticipationRole,
    Programme,
    RelationKind,
    Source,
    TieNature,
)
from genera_graph.model.kinds import values

__all__ = ["datasets", "ids", "texts"]

_START, _END = date(2015, 1, 1), date(2020, 12, 31)

#: ids as the schema allows them, leading zeros and all
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,7}", fullmatch=True)

#: free text as people type it: accents, ';', ',', quotes; no '=' (a formula) nor line breaks
texts = st.text(
    alphabet=st.sampled_from(list("abcdeèéìòùàAÉZ0123456789 ;,'\"-()/&")), min_size=1,
    max_size=16,
).map(str.strip).filter(bool)

_dates = st.dates(min_value=_START, max_value=_END)


@cache
def _columns() -> dict[str, list[str]]:
    """Each table's columns, in order (``Dataset.empty()`` builds its frames from the pandera
    schemas: once, not per draw)."""
    return {name: list(frame.columns) for name, frame in Dataset.empty().tables().items()}


def _opt(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


def _later(draw: st.DrawFn, start: date) -> date | None:
    if draw(st.booleans()):
        return None
    return start + timedelta(days=draw(st.integers(0, 900)))


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in ("first_met", "left_on", "start_date", "end_date", "date"):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    return frame


@st.composite
def datasets(draw: st.DrawFn, max_actors: int = 12, max_ties: int = 12) -> Dataset:
    """A small valid :class:`Dataset`, validated by the model's schemas."""
    actor_ids = draw(st.lists(ids, min_size=2, max_size=max_actors, unique_by=str.lower))
    n_cp = draw(st.integers(1, min(2, len(actor_ids) - 1)))
    cps, others = actor_ids[:n_cp], actor_ids[n_cp:]
    kinds = {a: "community_point" for a in cps}
    for a in others:
        kinds[a] = draw(st.sampled_from(["individual", "household", "association", "company",
                                         "facilitator", "school"]))
    facilitators = [a for a in others if kinds[a] == "facilitator"]
    actors = []
    for a in actor_ids:
        met = draw(_dates)
        actors.append({
            "actor_id": a, "kind": kinds[a], "name": draw(texts),
            "community_point_id": draw(_opt(st.sampled_from(cps))),
            "municipality": draw(_opt(texts)),
            "facilitator_id": (draw(_opt(st.sampled_from(facilitators)))
                               if facilitators and kinds[a] == "household" else None),
            "first_met": met, "left_on": _later(draw, met),
        })
    met_of = {row["actor_id"]: row["first_met"] for row in actors}

    def after_met(*involved: str) -> date:
        """A day not before the programme met any person or household involved (the
        importer's rule)."""
        lo = max([_START] + [met_of[x] for x in involved
                             if kinds[x] in ("individual", "household")])
        return draw(st.dates(min_value=lo, max_value=_END))

    households = [a for a in others if kinds[a] == "household"]
    individuals = [a for a in others if kinds[a] == "individual"]
    members = []
    if households and individuals:
        pairs = draw(st.lists(st.tuples(st.sampled_from(households),
                                        st.sampled_from(individuals), _dates),
                              max_size=6, unique_by=lambda t: t))
        for h, i, start in pairs:
            members.append({"household_id": h, "individual_id": i,
                            "role": draw(st.sampled_from(values(MemberRole))),
                            "start_date": start, "end_date": _later(draw, start)})
    activity_ids = draw(st.lists(ids, max_size=5, unique=True))
    activities = []
    for a in activity_ids:
        start = draw(_dates)
        activities.append({
            "activity_id": a, "kind": draw(st.sampled_from(values(ActivityKind))),
            "programme": draw(st.sampled_from(values(Programme))),
            "community_point_id": draw(_opt(st.sampled_from(cps))), "title": draw(texts),
            "start_date": start, "end_date": _later(draw, start),
            "funding_eur": draw(_opt(st.floats(0, 1e6, allow_nan=False))),
            "partner_id": draw(_opt(st.sampled_from(actor_ids))),
        })
    participations = []
    if activity_ids:
        doubles = draw(st.lists(st.tuples(st.sampled_from(activity_ids),
                                          st.sampled_from(actor_ids)),
                                max_size=max_ties))
        triples = dict.fromkeys((act, actor, after_met(actor)) for act, actor in doubles)
        for act, actor, day in triples:
            participations.append({"activity_id": act, "actor_id": actor, "date": day,
                                   "role": draw(st.sampled_from(values(ParticipationRole))),
                                   "source": draw(st.sampled_from(values(Source)))})
    pair = st.lists(st.sampled_from(actor_ids), min_size=2, max_size=2, unique=True)
    interactions = []
    for k, (src, dst) in enumerate(draw(st.lists(pair, max_size=max_ties))):
        interactions.append({
            "interaction_id": f"C{k:04d}", "date": after_met(src, dst), "source_actor_id": src,
            "target_actor_id": dst, "kind": draw(st.sampled_from(values(InteractionKind))),
            "nature": draw(st.sampled_from(values(TieNature))),
            "programme": draw(st.sampled_from(values(Programme))),
            "community_point_id": draw(_opt(st.sampled_from(cps))),
            "source": draw(st.sampled_from(values(Source))),
        })
    relations = []
    for k, (a, b) in enumerate(draw(st.lists(pair, max_size=max_ties // 2))):
        start = after_met(a, b)
        relations.append({
            "relation_id": f"R{k:04d}", "kind": draw(st.sampled_from(values(RelationKind))),
            "actor_id": a, "partner_id": b,
            "activity_id": draw(_opt(st.sampled_from(activity_ids))) if activity_ids else None,
            "start_date": start, "end_date": _later(draw, start),
            "nature": draw(st.sampled_from(values(TieNature))),
            "programme": draw(st.sampled_from(values(Programme))),
            "community_point_id": draw(_opt(st.sampled_from(cps))),
            "source": draw(st.sampled_from(values(Source))),
        })
    tables = {
        "actors": actors, "household_members": members, "activities": activities,
        "participations": participations, "interactions": interactions, "relations": relations,
    }
    return Dataset(**{name: _frame(rows, _columns()[name])
                      for name, rows in tables.items()}).validated()
