"""Extending an event log with new events instead of building it again (private: see
:meth:`genera_graph.temporal.TemporalGraph.extended`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from genera_graph.model.config import AnalysisConfig
from genera_graph.model.dataset import Dataset
from genera_graph.temporal._dates import day_to_date
from genera_graph.temporal._log import EventLog, build_log

__all__: list[str] = []

#: the per-event arrays of an EventLog (sorted by day together)
_EVENT_ARRAYS = ("source", "target", "day", "end", "nature", "programme", "cp", "kind",
                 "weight", "role", "source_unit", "target_unit")
_EVENT_TABLES = ("interactions", "relations", "participations")


def _prefix(old: pd.Index, new: pd.Index) -> bool:
    return len(new) >= len(old) and bool((new[: len(old)] == old).all())


def extend_log(log: EventLog, dataset: Dataset, added: Mapping[str, pd.DataFrame],
               config: AnalysisConfig) -> EventLog | None:
    """``log`` with the events of ``added`` (new rows of the event tables) inserted, for the
    ``dataset`` that now holds them, or ``None`` when that is not the same as building the log
    of ``dataset`` again: actors or activities not appended after the known ones, memberships
    or Community Points changed, or an event after the day open relations end on."""
    if set(added) - set(_EVENT_TABLES):
        return None
    actor_ids = pd.Index(dataset.actors["actor_id"].astype(object))
    activity_ids = pd.Index(dataset.activities["activity_id"].astype(object))
    if not (_prefix(log.actor_ids, actor_ids) and _prefix(log.activity_ids, activity_ids)):
        return None
    # open relations keep the day they are resolved to: the old log's
    fixed = dataclasses.replace(config, programme_end=day_to_date(log.open_end))
    try:
        part = build_log(actors=dataset.actors, household_members=dataset.household_members,
                         activities=dataset.activities,
                         **{t: added.get(t, getattr(dataset, t).iloc[:0]) for t in _EVENT_TABLES},
                         config=fixed)
    except ValueError:
        return None
    if part.open_end != log.open_end or not part.cp_ids.equals(log.cp_ids):
        return None
    for name in ("mem_key", "mem_end", "mem_household"):
        if not np.array_equal(getattr(part, name), getattr(log, name)):
            return None
    at = np.searchsorted(log.day, part.day, side="right")
    arrays = {name: np.insert(getattr(log, name), at, getattr(part, name)).astype(
        getattr(log, name).dtype, copy=False) for name in _EVENT_ARRAYS}
    return dataclasses.replace(
        log, actor_ids=part.actor_ids, actor_kind=part.actor_kind, actor_cp=part.actor_cp,
        actor_first_met=part.actor_first_met, activity_ids=part.activity_ids, **arrays)
