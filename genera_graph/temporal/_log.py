"""The event log as columnar numpy arrays (private: built by :class:`TemporalGraph`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genera_graph.model.config import AnalysisConfig
from genera_graph.model.kinds import (
    PROFESSIONAL_KINDS,
    ActorKind,
    ParticipationRole,
    Programme,
    TieNature,
    values,
)
from genera_graph.temporal._dates import _MISSING_DAY, _frame_days, day_number

__all__: list[str] = []

#: event kind codes
INTERACTION, RELATION, PARTICIPATION = 0, 1, 2
EVENT_KINDS = ("interaction", "relation", "participation")
NATURES = tuple(values(TieNature))  # peer, professional, institutional
PEER, PROFESSIONAL, INSTITUTIONAL = 0, 1, 2
PROGRAMMES = tuple(values(Programme))
ACTOR_KINDS = tuple(values(ActorKind))
ROLES = tuple(values(ParticipationRole))
INDIVIDUAL = ACTOR_KINDS.index(ActorKind.INDIVIDUAL.value)
_PROFESSIONAL_KIND_CODES = np.array(
    sorted(ACTOR_KINDS.index(k.value) for k in PROFESSIONAL_KINDS), dtype=np.int8
)
_FACILITATOR_ROLE = ROLES.index(ParticipationRole.FACILITATOR.value)


@dataclass(frozen=True, eq=False)
class EventLog:
    """Every event once, as aligned arrays sorted by day.

    ``source``/``target`` index ``actor_ids``, except for participations where ``target`` indexes
    ``activity_ids``. ``end`` is the last day (inclusive) of an interval tie; for an instantaneous
    event it equals ``day``. ``source_unit``/``target_unit`` are the household-level endpoints
    (an individual's household on the event's day, else the actor itself).
    """

    actor_ids: pd.Index
    actor_kind: np.ndarray  # int8 codes into ACTOR_KINDS
    actor_cp: np.ndarray  # int32 codes into cp_ids, -1 for none
    actor_first_met: np.ndarray  # int64 day
    cp_ids: pd.Index
    activity_ids: pd.Index
    source: np.ndarray
    target: np.ndarray
    day: np.ndarray
    end: np.ndarray
    nature: np.ndarray
    programme: np.ndarray
    cp: np.ndarray
    kind: np.ndarray
    weight: np.ndarray
    role: np.ndarray  # participation role code, -1 for other events
    source_unit: np.ndarray
    target_unit: np.ndarray
    mem_key: np.ndarray  # memberships sorted by individual * 2**32 + start
    mem_end: np.ndarray
    mem_household: np.ndarray
    open_end: int  # the day an open relation is resolved to

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    def household_of(self, actors: np.ndarray, days: np.ndarray) -> np.ndarray:
        """The household of each actor on each day, or the actor itself (vectorised)."""
        return _unit_at(actors, days, self.mem_key, self.mem_end, self.mem_household)


def _unit_at(actors, days, mem_key, mem_end, mem_household) -> np.ndarray:
    actors = np.asarray(actors, dtype=np.int64)
    days = np.broadcast_to(np.asarray(days, dtype=np.int64), actors.shape)
    out = actors.copy()
    if len(mem_key) == 0 or len(actors) == 0:
        return out
    query = actors * (1 << 32) + (days - _DAY_OFFSET)
    row = np.searchsorted(mem_key, query, side="right") - 1
    ok = row >= 0
    row_c = np.where(ok, row, 0)
    ok &= (mem_key[row_c] >> 32) == actors
    ok &= mem_end[row_c] >= days
    out[ok] = mem_household[row_c[ok]]
    return out


# day numbers are shifted so that they fit in the low 32 bits of a membership key
_DAY_OFFSET = -(1 << 30)


def _lookup(series: pd.Series, index: pd.Index) -> np.ndarray:
    """Positions of the values in ``index`` (-1 if absent); categoricals are looked up once."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        table = index.get_indexer(pd.Index(series.cat.categories.astype(object)))
        codes = series.cat.codes.to_numpy()
        return np.where(codes >= 0, table[np.maximum(codes, 0)], -1)
    # each distinct value looked up once (factorize hashes Arrow text in C, without a Python
    # string per cell: get_indexer on the whole column made one for each of millions of events)
    codes, uniques = pd.factorize(series)
    table = index.get_indexer(pd.Index(np.asarray(uniques, dtype=object)))
    return np.where(codes >= 0, table[np.maximum(codes, 0)], -1) if len(table) else \
        np.full(len(series), -1, np.int64)


def _codes(series: pd.Series, index: pd.Index, what: str) -> np.ndarray:
    codes = _lookup(series, index)
    if (codes < 0).any():
        unknown = pd.unique(series[codes < 0].astype(object))[:5]
        raise ValueError(f"{what} refers to unknown ids: {', '.join(map(str, unknown))}")
    return codes.astype(np.int64)


def _enum_codes(series: pd.Series, vocabulary: tuple[str, ...], what: str) -> np.ndarray:
    codes = _lookup(series, pd.Index(vocabulary))
    if (codes < 0).any():
        bad = pd.unique(series[codes < 0].astype(object))[:5]
        raise ValueError(f"{what}: unknown values {', '.join(map(str, bad))}")
    return codes.astype(np.int8)


def _optional(frame: pd.DataFrame, column: str) -> pd.Series:
    if column in frame:
        return frame[column]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def build_log(
    actors: pd.DataFrame,
    household_members: pd.DataFrame,
    activities: pd.DataFrame,
    participations: pd.DataFrame,
    interactions: pd.DataFrame,
    relations: pd.DataFrame,
    config: AnalysisConfig,
) -> EventLog:
    """Encode the six tables into an :class:`EventLog` (raises ``ValueError`` on unknown ids)."""
    actor_ids = pd.Index(actors["actor_id"].astype(object), name="actor_id")
    if not actor_ids.is_unique:
        dup = actor_ids[actor_ids.duplicated()].unique()[:5]
        raise ValueError(f"duplicate actor ids: {', '.join(map(str, dup))}")
    actor_kind = _enum_codes(actors["kind"], ACTOR_KINDS, "actors.kind")
    activity_ids = pd.Index(activities["activity_id"].astype(object), name="activity_id")

    cp_values: set[str] = set()
    for frame in (actors, activities, interactions, relations):
        column = _optional(frame, "community_point_id")
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = pd.Series(column.cat.categories)
        cp_values.update(pd.unique(column.dropna().astype(object)))
    cp_ids = pd.Index(sorted(cp_values), dtype=object, name="community_point_id")

    def cp_codes(frame: pd.DataFrame) -> np.ndarray:
        return _lookup(_optional(frame, "community_point_id"), cp_ids)

    # interactions
    i_src = _codes(interactions["source_actor_id"], actor_ids, "interactions.source_actor_id")
    i_tgt = _codes(interactions["target_actor_id"], actor_ids, "interactions.target_actor_id")
    i_day = _frame_days(interactions["date"])
    # relations
    r_src = _codes(relations["actor_id"], actor_ids, "relations.actor_id")
    r_tgt = _codes(relations["partner_id"], actor_ids, "relations.partner_id")
    r_day = _frame_days(relations["start_date"])
    r_end = _frame_days(_optional(relations, "end_date"))
    # participations: target is the activity
    p_src = _codes(participations["actor_id"], actor_ids, "participations.actor_id")
    p_act = _codes(participations["activity_id"], activity_ids, "participations.activity_id")
    p_day = _frame_days(participations["date"])
    p_role = _enum_codes(participations["role"], ROLES, "participations.role")
    act_prog = _enum_codes(activities["programme"], PROGRAMMES, "activities.programme")
    act_cp = cp_codes(activities).astype(np.int32)
    p_nature = np.where(
        np.isin(actor_kind[p_src], _PROFESSIONAL_KIND_CODES) | (p_role == _FACILITATOR_ROLE),
        PROFESSIONAL,
        PEER,
    ).astype(np.int8)

    known_days = [d[d != _MISSING_DAY] for d in (i_day, r_day, r_end, p_day)]
    last_day = max((int(d.max()) for d in known_days if len(d)), default=0)
    open_end = max(day_number(config.programme_end), last_day)
    r_end = np.where(r_end == _MISSING_DAY, open_end, r_end)
    for name, d in (("interactions.date", i_day), ("relations.start_date", r_day),
                    ("participations.date", p_day)):
        if (d == _MISSING_DAY).any():
            raise ValueError(f"{name} has missing dates")

    n_i, n_r, n_p = len(i_src), len(r_src), len(p_src)
    source = np.concatenate([i_src, r_src, p_src])
    target = np.concatenate([i_tgt, r_tgt, p_act])
    day = np.concatenate([i_day, r_day, p_day])
    end = np.concatenate([i_day, r_end, p_day])
    nature = np.concatenate(
        [
            _enum_codes(interactions["nature"], NATURES, "interactions.nature"),
            _enum_codes(relations["nature"], NATURES, "relations.nature"),
            p_nature,
        ]
    )
    programme = np.concatenate(
        [
            _enum_codes(interactions["programme"], PROGRAMMES, "interactions.programme"),
            _enum_codes(relations["programme"], PROGRAMMES, "relations.programme"),
            act_prog[p_act],
        ]
    )
    cp = np.concatenate([cp_codes(interactions), cp_codes(relations), act_cp[p_act]])
    kind = np.repeat(np.array([INTERACTION, RELATION, PARTICIPATION], np.int8), [n_i, n_r, n_p])
    role = np.concatenate([np.full(n_i + n_r, -1, np.int8), p_role])

    # memberships, sorted for vectorised look-up
    hm = household_members
    m_hh = _codes(hm["household_id"], actor_ids, "household_members.household_id")
    m_ind = _codes(hm["individual_id"], actor_ids, "household_members.individual_id")
    m_start = _frame_days(hm["start_date"])
    m_end = _frame_days(_optional(hm, "end_date"))
    m_end = np.where(m_end == _MISSING_DAY, np.iinfo(np.int64).max, m_end)
    m_key = m_ind * (1 << 32) + (m_start - _DAY_OFFSET)
    order = np.argsort(m_key, kind="stable")
    m_key, m_end, m_hh = m_key[order], m_end[order], m_hh[order]

    order = np.argsort(day, kind="stable")
    source, target, day, end = source[order], target[order], day[order], end[order]
    nature, programme, cp, kind, role = (
        nature[order], programme[order], cp[order].astype(np.int32), kind[order], role[order]
    )
    source_unit = _unit_at(source, day, m_key, m_end, m_hh)
    target_unit = np.where(
        kind == PARTICIPATION, target, _unit_at(target, day, m_key, m_end, m_hh)
    )
    return EventLog(
        actor_ids=actor_ids,
        actor_kind=actor_kind,
        actor_cp=cp_codes(actors).astype(np.int32),
        actor_first_met=_frame_days(actors["first_met"]),
        cp_ids=cp_ids,
        activity_ids=activity_ids,
        source=source,
        target=target,
        day=day,
        end=end,
        nature=nature,
        programme=programme,
        cp=cp,
        kind=kind,
        weight=np.ones(len(day)),
        role=role,
        source_unit=source_unit,
        target_unit=target_unit,
        mem_key=m_key,
        mem_end=m_end,
        mem_household=m_hh,
        open_end=open_end,
    )
