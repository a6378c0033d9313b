"""The pseudonymised research export of a whole :class:`~genera_graph.model.Dataset`.

:data:`DATASET_SPEC` classifies every column of the six tables (ids pseudonymised, names and
titles removed, dates coarsened or shifted, the rest kept); :func:`research_export` applies it
with a study's keyed :class:`~genera_graph.exports.research.Pseudonymiser` and adds an
aggregate table (monthly ties by Community Point and nature) whose small cells are suppressed.

Examples
--------
>>> sorted(DATASET_SPEC) == sorted(["actors", "household_members", "activities",
...     "participations", "interactions", "relations", "monthly_ties"])
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports.research import (
    Pseudonymiser,
    TableSpec,
    load_or_create_secret,
    pseudonymise_dataset,
    write_research_export,
)
from genera_graph.model import Dataset

__all__ = ["DATASET_SPEC", "monthly_ties", "research_export"]

_CP = "Community Point (pseudonymised like every id)"

#: how each column of each exported table is treated
DATASET_SPEC: dict[str, TableSpec] = {
    "actors": TableSpec(
        ids=("actor_id", "community_point_id", "facilitator_id"),
        drop=("name", "municipality"),
        dates=("first_met", "left_on"),
        keep=("kind",),
        person="actor_id",
        descriptions={"actor_id": "actor pseudonym", "kind": "actor kind",
                      "community_point_id": _CP, "facilitator_id": "facilitator pseudonym",
                      "first_met": "month the programme first met the actor",
                      "left_on": "month the actor left, if it did"},
    ),
    "household_members": TableSpec(
        ids=("household_id", "individual_id"),
        dates=("start_date", "end_date"),
        keep=("role",),
        person="individual_id",
        descriptions={"household_id": "household pseudonym",
                      "individual_id": "individual pseudonym", "role": "role in the household",
                      "start_date": "month the membership started",
                      "end_date": "month it ended, if it did"},
    ),
    "activities": TableSpec(
        ids=("activity_id", "community_point_id", "partner_id"),
        drop=("title",),
        dates=("start_date", "end_date"),
        keep=("kind", "programme", "funding_eur"),
        descriptions={"activity_id": "activity pseudonym", "kind": "activity kind",
                      "programme": "programme", "community_point_id": _CP,
                      "start_date": "month it started", "end_date": "month it ended",
                      "funding_eur": "funds granted (EUR)",
                      "partner_id": "pseudonym of the offering organisation"},
    ),
    "participations": TableSpec(
        ids=("activity_id", "actor_id"),
        dates=("date",),
        keep=("role", "source"),
        person="actor_id",
        descriptions={"activity_id": "activity pseudonym", "actor_id": "actor pseudonym",
                      "date": "month of the participation", "role": "role in the activity",
                      "source": "kind of record"},
    ),
    "interactions": TableSpec(
        ids=("interaction_id", "source_actor_id", "target_actor_id", "community_point_id"),
        dates=("date",),
        keep=("kind", "nature", "programme", "source"),
        person="source_actor_id",
        descriptions={"interaction_id": "interaction pseudonym",
                      "source_actor_id": "pseudonym of the actor who acted",
                      "target_actor_id": "pseudonym of the other actor",
                      "date": "month of the interaction", "kind": "interaction kind",
                      "nature": "peer, professional or institutional", "programme": "programme",
                      "community_point_id": _CP, "source": "kind of record"},
    ),
    "relations": TableSpec(
        ids=("relation_id", "actor_id", "partner_id", "activity_id", "community_point_id"),
        dates=("start_date", "end_date"),
        keep=("kind", "nature", "programme", "source"),
        person="actor_id",
        descriptions={"relation_id": "relation pseudonym", "kind": "relation kind",
                      "actor_id": "actor pseudonym", "partner_id": "partner pseudonym",
                      "activity_id": "activity pseudonym", "start_date": "month it started",
                      "end_date": "month it ended", "nature": "tie nature",
                      "programme": "programme", "community_point_id": _CP,
                      "source": "kind of record"},
    ),
    "monthly_ties": TableSpec(
        ids=("community_point_id",),
        keep=("month", "nature"),
        counts=("interactions",),
        descriptions={"month": "month (first day)", "community_point_id": _CP,
                      "nature": "tie nature",
                      "interactions": "interactions in the month (cells below k suppressed)"},
    ),
}


def monthly_ties(ds: Dataset) -> pd.DataFrame:
    """Interactions per month, Community Point and nature (an aggregate table).

    >>> from genera_graph.temporal.testing import toy_dataset
    >>> monthly_ties(toy_dataset())["interactions"].sum()
    np.int64(4)
    """
    inter = ds.interactions
    month = inter["date"].dt.to_period("M").dt.to_timestamp().dt.strftime("%Y-%m")
    table = (inter.assign(month=month)
             .groupby(["month", "community_point_id", "nature"], dropna=False)
             .size().rename("interactions").reset_index())
    return table[["month", "community_point_id", "nature", "interactions"]]


def research_export(
    ds: Dataset,
    out_dir: str | os.PathLike,
    *,
    study: str,
    secret_path: str | os.PathLike,
    date_method: str = "month",
    max_shift_days: int = 30,
    k: int = 5,
) -> tuple[list[Path], dict[str, Any]]:
    """Write the pseudonymised research export of a dataset.

    Parameters
    ----------
    ds : Dataset
    out_dir : path-like
        The export folder (must not contain ``secret_path``).
    study : str
        The study name: pseudonyms are stable within a study and unlinkable across studies.
    secret_path : path-like
        The study key, created on first use (32 random bytes, mode 0600), kept outside the
        export by the data controller.
    date_method : {"month", "quarter", "year", "shift"}
        Coarsen every date, or shift it by a keyed per-person offset.
    max_shift_days, k
        Largest shift; small-cell threshold of the aggregate table.

    Returns
    -------
    paths, manifest
        Every file written and the manifest (what was removed, pseudonymised, coarsened and
        suppressed).
    """
    secret = load_or_create_secret(secret_path, export_dir=out_dir)
    pseudonymiser = Pseudonymiser(secret, study)
    tables = {**ds.tables(), "monthly_ties": monthly_ties(ds)}
    tables = {name: frame.reset_index(drop=True) for name, frame in tables.items()}
    out, manifest = pseudonymise_dataset(tables, DATASET_SPEC, pseudonymiser,
                                         date_method=date_method,
                                         max_shift_days=max_shift_days, k=k)
    manifest["study"] = study
    paths = write_research_export(out, manifest, Path(out_dir), DATASET_SPEC,
                                  secret_path=secret_path)
    return paths, manifest
