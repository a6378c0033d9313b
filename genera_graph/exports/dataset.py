"""The research export of a whole :class:`~genera_graph.model.Dataset`, with disclosure control.

:data:`DATASET_SPEC` classifies every column of the source tables (ids pseudonymised, names and
titles removed, dates coarsened or shifted, the rest kept). :data:`RECORD_TABLES` and
:data:`AGGREGATE_TABLES` declare, in one place, each released table's quasi-identifiers with
their generalisation hierarchy, the entity (person, household, activity) it is about and its
sensitive attributes; :func:`research_export` enforces k-anonymity and l-diversity on every
released table (:mod:`genera_graph.exports.disclosure`), re-measures what it is about to write,
withholds any table that fails the checks, and writes the risk report in ``MANIFEST.json``.

Two tiers:

- ``"aggregate"`` (default): tables of counts over generalised quasi-identifiers, cells of
  fewer than ``k`` persons suppressed, no totals; no record-level table, so no suppressed
  cell can be recomputed from one.
- ``"records"``: the record-level tables, each generalised and locally suppressed to k on its
  declared quasi-identifiers, plus the aggregates none of whose suppressed cells can be
  recomputed from them. Pseudonyms link the tables: an intruder who knows several facts of
  one person from several tables is *not* covered by the per-table k. The export carries a
  warning. Either tier calls the ``audit`` hook (the CLI writes it in the store's audit log).

:func:`check_export` re-measures an existing export from its files and manifest.

Examples
--------
>>> sorted(RECORD_TABLES)
['activities', 'actors', 'interactions', 'introductions', 'participations', 'relations']
>>> sorted(AGGREGATE_TABLES)  # doctest: +NORMALIZE_WHITESPACE
['activities_by_kind', 'households', 'individuals', 'introductions_by_outcome',
 'participations_by_period', 'relations_by_kind', 'ties_by_period']
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports.disclosure import (
    AMOUNT,
    CATEGORY,
    DATES,
    FACILITATOR,
    HOUSEHOLD_SIZE,
    PARTNER,
    POINT,
    SUPPRESSED,
    BandHierarchy,
    QuasiIdentifier,
    aggregate_table,
    anonymise_table,
    coarsen_label,
    measure,
)
from genera_graph.exports.pseudonyms import Pseudonymiser, load_or_create_secret
from genera_graph.exports.research import TableSpec, pseudonymise_dataset
from genera_graph.exports.research_files import (
    PSEUDONYM_CONVENTION,
    manifest_text,
    write_research_export,
)
from genera_graph.l10n import DEFAULT_LANG, N_, gettext
from genera_graph.model import Dataset

__all__ = [
    "AGGREGATE_TABLES",
    "DATASET_SPEC",
    "RECORD_TABLES",
    "SENSITIVE",
    "TIERS",
    "AggregateTable",
    "RecordTable",
    "check_export",
    "recomputable_cells",
    "research_export",
]

TIERS = ("aggregate", "records")

_CP = N_("Community Point (pseudonymised like every id)")

#: how each column of each source table is treated before disclosure control
DATASET_SPEC: dict[str, TableSpec] = {
    "actors": TableSpec(
        ids=("actor_id", "community_point_id", "facilitator_id"),
        drop=("name", "municipality"),
        dates=("first_met", "left_on"),
        keep=("kind", "household_size", "household_role"),
        person="actor_id",
        descriptions={"actor_id": N_("actor pseudonym"), "kind": N_("actor kind"),
                      "community_point_id": _CP,
                      "facilitator_id": N_("facilitator pseudonym"),
                      "first_met": N_("when the programme first met the actor"),
                      "left_on": N_("when the actor left, if it did"),
                      "household_size": N_("members of the household (of a household, or of "
                                           "the household an individual belongs to)"),
                      "household_role": N_("role of an individual in the household")},
    ),
    "household_members": TableSpec(
        ids=("household_id", "individual_id", "community_point_id"),
        dates=("start_date", "end_date"),
        keep=("role", "household_size"),
        person="individual_id",
        descriptions={"household_id": N_("household pseudonym"),
                      "individual_id": N_("individual pseudonym"),
                      "role": N_("role in the household"),
                      "community_point_id": _CP,
                      "household_size": N_("members of the household"),
                      "start_date": N_("when the membership started"),
                      "end_date": N_("when it ended, if it did")},
    ),
    "activities": TableSpec(
        ids=("activity_id", "community_point_id", "partner_id"),
        drop=("title",),
        dates=("start_date", "end_date"),
        keep=("kind", "programme", "funding_eur"),
        person="activity_id",  # an activity's dates shift by its own key
        descriptions={"activity_id": N_("activity pseudonym"), "kind": N_("activity kind"),
                      "programme": N_("programme"), "community_point_id": _CP,
                      "start_date": N_("when it started"), "end_date": N_("when it ended"),
                      "funding_eur": N_("funds granted (EUR)"),
                      "partner_id": N_("pseudonym of the offering organisation")},
    ),
    "participations": TableSpec(
        ids=("activity_id", "actor_id"),
        dates=("date",),
        keep=("role", "source", "programme"),
        person="actor_id",
        descriptions={"activity_id": N_("activity pseudonym"),
                      "actor_id": N_("actor pseudonym"),
                      "date": N_("when the participation was"),
                      "role": N_("role in the activity"), "source": N_("kind of record"),
                      "programme": N_("programme of the activity")},
    ),
    "interactions": TableSpec(
        ids=("interaction_id", "source_actor_id", "target_actor_id", "community_point_id"),
        dates=("date",),
        keep=("kind", "nature", "programme", "source"),
        person="source_actor_id",
        descriptions={"interaction_id": N_("interaction pseudonym"),
                      "source_actor_id": N_("pseudonym of the actor who acted"),
                      "target_actor_id": N_("pseudonym of the other actor"),
                      "date": N_("when the interaction was"), "kind": N_("interaction kind"),
                      "nature": N_("peer, professional or institutional"),
                      "programme": N_("programme"),
                      "community_point_id": _CP, "source": N_("kind of record")},
    ),
    "relations": TableSpec(
        ids=("relation_id", "actor_id", "partner_id", "activity_id", "community_point_id"),
        dates=("start_date", "end_date"),
        keep=("kind", "nature", "programme", "source"),
        person="actor_id",
        descriptions={"relation_id": N_("relation pseudonym"), "kind": N_("relation kind"),
                      "actor_id": N_("actor pseudonym"), "partner_id": N_("partner pseudonym"),
                      "activity_id": N_("activity pseudonym"),
                      "start_date": N_("when it started"),
                      "end_date": N_("when it ended"), "nature": N_("tie nature"),
                      "programme": N_("programme"), "community_point_id": _CP,
                      "source": N_("kind of record")},
    ),
    "introductions": TableSpec(
        ids=("introduction_id", "actor_id", "candidate_id", "community_point_id",
             "facilitator_id"),
        dates=("date", "tie_on"),
        keep=("status", "reason", "decline_reason", "outcome", "tie_kind", "days_to_tie"),
        person="actor_id",
        descriptions={"introduction_id": N_("introduction pseudonym"),
                      "actor_id": N_("pseudonym of the family (or person) introduced"),
                      "candidate_id": N_("pseudonym of whom they were introduced to"),
                      "community_point_id": _CP,
                      "facilitator_id": N_("pseudonym of the family's facilitator"),
                      "status": N_("proposed, declined or done"),
                      "reason": N_("the suggestion's main reason (a code)"),
                      "decline_reason": N_("why it was declined (a code)"),
                      "date": N_("day of the status (proposed, declined, or done)"),
                      "outcome": N_("converted (a peer tie within 90 days), not_converted, "
                                    "pending, proposed or declined"),
                      "tie_kind": N_("the first peer tie: contact, relation or shared_activity"),
                      "tie_on": N_("day of the first peer tie"),
                      "days_to_tie": N_("days from the introduction to the first peer tie")},
    ),
}

#: the introductions table's columns, as
#: :func:`genera_graph.analytics.introductions.research_table` gives them
_INTRODUCTION_COLUMNS = ("introduction_id", "actor_id", "candidate_id", "community_point_id",
                         "facilitator_id", "status", "reason", "decline_reason", "date",
                         "outcome", "tie_kind", "tie_on", "days_to_tie")

#: sensitive attributes: never generalised, each group must show ``l`` distinct values
SENSITIVE = {
    "relations.kind": "housing and work relations (lease, cohabitation, placement...)",
    "introductions.outcome": "whether an introduction was followed by a peer tie (or was "
                             "proposed, declined, pending)",
    "isolation": "isolation status and its reasons: not released by this export",
}


@dataclass(frozen=True)
class RecordTable:
    """A record-level table of the ``records`` tier: its columns, entity, QIs, sensitive."""

    source: str
    columns: tuple[str, ...]
    entity: str
    qis: tuple[QuasiIdentifier, ...]
    sensitive: tuple[str, ...] = ()


@dataclass(frozen=True)
class AggregateTable:
    """A table of counts: source table, filter, QI dimensions, entity counted, sensitive."""

    source: str
    entity: str
    count: str
    qis: tuple[QuasiIdentifier, ...]
    sensitive: tuple[str, ...] = ()
    extra_counts: Mapping[str, str | None] = field(default_factory=dict)
    where: Mapping[str, str] = field(default_factory=dict)
    description: str = ""


def _qi(column: str, hierarchy: Any, context: str | None = None) -> QuasiIdentifier:
    return QuasiIdentifier(column, hierarchy, context=context)


_POINT = _qi("community_point_id", POINT)
#: days from an introduction to its first peer tie (1..90): weeks, months, then any
DAYS_TO_TIE = BandHierarchy("days to the first peer tie", ((1, 8, 15, 22, 31, 61), (1, 31),
                                                           (1,)))

#: the record-level tables of the ``records`` tier (``household_members`` is not one: its
#: household link would give every household's exact size and composition; ``actors``
#: carries the size, in bands, instead)
RECORD_TABLES: dict[str, RecordTable] = {
    "actors": RecordTable(
        "actors",
        ("actor_id", "kind", "community_point_id", "facilitator_id", "first_met", "left_on",
         "household_size", "household_role"),
        entity="actor_id",
        qis=(_qi("kind", CATEGORY), _POINT,
             _qi("facilitator_id", FACILITATOR, context="community_point_id"),
             _qi("first_met", DATES), _qi("left_on", DATES),
             _qi("household_size", HOUSEHOLD_SIZE), _qi("household_role", CATEGORY))),
    "activities": RecordTable(
        "activities",
        ("activity_id", "kind", "programme", "community_point_id", "start_date", "end_date",
         "funding_eur", "partner_id"),
        entity="activity_id",
        qis=(_qi("kind", CATEGORY), _qi("programme", CATEGORY), _POINT,
             _qi("start_date", DATES), _qi("end_date", DATES), _qi("funding_eur", AMOUNT),
             _qi("partner_id", PARTNER))),
    "participations": RecordTable(
        "participations", ("activity_id", "actor_id", "date", "role", "source"),
        entity="actor_id",
        qis=(_qi("activity_id", CATEGORY), _qi("date", DATES), _qi("role", CATEGORY))),
    "interactions": RecordTable(
        "interactions",
        ("interaction_id", "source_actor_id", "target_actor_id", "date", "kind", "nature",
         "programme", "community_point_id", "source"),
        entity="source_actor_id",
        qis=(_qi("date", DATES), _qi("kind", CATEGORY), _qi("nature", CATEGORY),
             _qi("programme", CATEGORY), _POINT)),
    "relations": RecordTable(
        "relations",
        ("relation_id", "kind", "actor_id", "partner_id", "activity_id", "start_date",
         "end_date", "nature", "programme", "community_point_id", "source"),
        entity="actor_id",
        qis=(_qi("start_date", DATES), _qi("end_date", DATES), _qi("programme", CATEGORY),
             _POINT, _qi("partner_id", PARTNER), _qi("activity_id", CATEGORY)),
        sensitive=("kind",)),
    # introductions acted upon and their outcomes. Quasi-identifiers: what someone who knows
    # the family may know (its point and facilitator, whom it was introduced to, when); the
    # outcome is what is studied (sensitive: never generalised, l-diverse in each group); the
    # status, the coded reasons and the first tie's kind and delay follow from the outcome or
    # from the tool, not from the family, and are kept (the tie's day only as its delay)
    "introductions": RecordTable(
        "introductions",
        ("introduction_id", "actor_id", "candidate_id", "community_point_id",
         "facilitator_id", "date", "status", "reason", "decline_reason", "outcome",
         "tie_kind", "days_to_tie"),
        entity="actor_id",
        qis=(_POINT, _qi("facilitator_id", FACILITATOR, context="community_point_id"),
             _qi("candidate_id", PARTNER), _qi("date", DATES)),
        sensitive=("outcome",)),
}

#: the tables of counts (both tiers; in ``records`` only those not recomputable from records)
AGGREGATE_TABLES: dict[str, AggregateTable] = {
    "ties_by_period": AggregateTable(
        "interactions", entity="source_actor_id", count="actors",
        qis=(_qi("date", DATES), _POINT, _qi("nature", CATEGORY)),
        extra_counts={"interactions": None},
        description="interactions per period, Community Point and nature; actors = distinct "
                    "actors who acted"),
    "households": AggregateTable(
        "actors", entity="actor_id", count="households",
        qis=(_POINT, _qi("first_met", DATES), _qi("household_size", HOUSEHOLD_SIZE)),
        where={"kind": "household"},
        description="households per Community Point, period first met and size"),
    "individuals": AggregateTable(
        "household_members", entity="individual_id", count="individuals",
        qis=(_POINT, _qi("role", CATEGORY)),
        description="individuals per Community Point and role in the household"),
    "relations_by_kind": AggregateTable(
        "relations", entity="actor_id", count="actors",
        qis=(_POINT, _qi("start_date", DATES)), sensitive=("kind",),
        extra_counts={"relations": None},
        description="actors with a relation of each kind, per Community Point and period "
                    "the relation started"),
    "activities_by_kind": AggregateTable(
        "activities", entity="activity_id", count="activities",
        qis=(_POINT, _qi("start_date", DATES), _qi("programme", CATEGORY),
             _qi("kind", CATEGORY), _qi("funding_eur", AMOUNT)),
        description="activities per Community Point, period started, programme, kind and "
                    "funding band"),
    "participations_by_period": AggregateTable(
        "participations", entity="actor_id", count="participants",
        qis=(_qi("date", DATES), _qi("programme", CATEGORY), _qi("role", CATEGORY)),
        extra_counts={"participations": None},
        description="participants (distinct actors) and participations per period, "
                    "programme and role"),
    "introductions_by_outcome": AggregateTable(
        "introductions", entity="actor_id", count="families",
        qis=(_POINT, _qi("date", DATES)), sensitive=("outcome",),
        extra_counts={"introductions": None},
        description="families introduced, and introductions, per Community Point, period of "
                    "the status and outcome (converted: a peer tie within 90 days)"),
}


def _with_start(qis: tuple[QuasiIdentifier, ...], date_start: str) -> tuple[QuasiIdentifier,
                                                                             ...]:
    return tuple(QuasiIdentifier(q.column, q.hierarchy, start=date_start, context=q.context)
                 if q.hierarchy is DATES else q for q in qis)


def _source_tables(ds: Dataset, introductions: pd.DataFrame | None = None
                   ) -> dict[str, pd.DataFrame]:
    """The six tables, with household size and role on actors and members, and the
    programme of the activity on participations; and the introductions (empty if none)."""
    tables = {name: frame.reset_index(drop=True) for name, frame in ds.tables().items()}
    tables["introductions"] = _introductions_frame(
        pd.DataFrame(columns=list(_INTRODUCTION_COLUMNS)) if introductions is None
        else introductions)
    members = tables["household_members"]
    size = members.groupby("household_id")["individual_id"].nunique()
    first = members.drop_duplicates("individual_id")
    actors = tables["actors"].copy()
    by_household = actors["actor_id"].map(size)
    individual_household = actors["actor_id"].map(first.set_index("individual_id")
                                                  ["household_id"])
    actors["household_size"] = by_household.fillna(individual_household.map(size)) \
        .astype("Float64")
    actors["household_role"] = actors["actor_id"].map(first.set_index("individual_id")["role"])
    tables["actors"] = actors
    members = members.copy()
    members["household_size"] = members["household_id"].map(size).astype("Float64")
    point = actors.set_index("actor_id")["community_point_id"]
    members["community_point_id"] = members["household_id"].map(point)
    tables["household_members"] = members
    participations = tables["participations"].copy()
    participations["programme"] = participations["activity_id"].map(
        tables["activities"].set_index("activity_id")["programme"])
    tables["participations"] = participations
    return tables


def _introductions_frame(introductions: pd.DataFrame | None) -> pd.DataFrame:
    """The introductions as the export takes them (coded columns only, typed)."""
    missing = [c for c in _INTRODUCTION_COLUMNS if c not in introductions]
    if missing:
        raise ValueError("introductions lack columns (use analytics.introductions."
                         f"research_table): {', '.join(missing)}")
    frame = introductions[list(_INTRODUCTION_COLUMNS)].reset_index(drop=True).copy()
    for col in ("date", "tie_on"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in _INTRODUCTION_COLUMNS:
        if col not in ("date", "tie_on", "days_to_tie"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    frame["days_to_tie"] = pd.to_numeric(frame["days_to_tie"]).astype("Float64")
    return frame


def _filtered(frame: pd.DataFrame, where: Mapping[str, str]) -> pd.DataFrame:
    for column, value in where.items():
        frame = frame.loc[frame[column] == value]
    return frame.reset_index(drop=True)


def research_export(
    ds: Dataset,
    out_dir: str | os.PathLike,
    *,
    study: str,
    secret_path: str | os.PathLike,
    date_method: str = "month",
    max_shift_days: int = 30,
    k: int = 5,
    diversity: int = 2,
    tier: str = "aggregate",
    max_suppression: float = 0.05,
    audit: Callable[[dict[str, Any]], None] | None = None,
    introductions: pd.DataFrame | None = None,
    lang: str = DEFAULT_LANG,
) -> tuple[list[Path], dict[str, Any]]:
    """Write the research export of a dataset, k-anonymous and l-diverse table by table.

    Parameters
    ----------
    ds : Dataset
    out_dir : path-like
        The export folder (mode 0700, files 0600; must not contain ``secret_path``).
    study : str
        The study name: pseudonyms are stable within a study and unlinkable across studies.
    secret_path : path-like
        The study key, created on first use (32 random bytes, mode 0600), kept outside the
        export by the data controller.
    date_method : {"month", "quarter", "year", "shift"}
        The finest date released (``"shift"``: every date moved by a keyed offset of its
        person, or of the activity; then generalised like the others where k needs it).
    max_shift_days : int
        Largest shift.
    k, diversity : int
        k-anonymity and l-diversity thresholds (defaults 5 and 2).
    tier : {"aggregate", "records"}
        Tables of counts only (default), or the record-level tables too.
    max_suppression : float
        Share of entities that may be locally suppressed instead of generalising further.
    audit : callable, optional
        Called once the files are written with one event (tier, k, l, number of tables,
        date method: never a value), for the audit log.
    introductions : pandas.DataFrame, optional
        The introductions acted upon and their outcomes, as
        :func:`genera_graph.analytics.introductions.research_table` gives them: released as
        the ``introductions`` record table (records tier) and the
        ``introductions_by_outcome`` counts, under the same disclosure control (none without it).
    lang : {"it", "en"}
        The language of the data dictionaries (Italian by default, like the CSV dialect).

    Returns
    -------
    paths, manifest
        Every file written and the manifest, with its ``disclosure`` risk report.

    Raises
    ------
    ValueError
        Unknown tier or date method; a key inside the export (see
        :func:`~genera_graph.exports.pseudonyms.load_or_create_secret`).
    """
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {TIERS}, not {tier!r}")
    secret = load_or_create_secret(secret_path, export_dir=out_dir)
    pseudonymiser = Pseudonymiser(secret, study)
    raw = _source_tables(ds, introductions)
    pseudo, base = pseudonymise_dataset(raw, DATASET_SPEC, pseudonymiser,
                                        date_method=date_method,
                                        max_shift_days=max_shift_days, k=k)
    date_start = "day" if date_method == "shift" else date_method
    released: dict[str, pd.DataFrame] = {}
    reports: dict[str, dict[str, Any]] = {}
    if tier == "records":
        for name, decl in RECORD_TABLES.items():
            if decl.source == "introductions" and introductions is None:
                continue  # no introductions given: none released
            qis = _with_start(decl.qis, date_start)
            table, report = anonymise_table(
                pseudo[decl.source][list(decl.columns)], qis, entity=decl.entity,
                sensitive=decl.sensitive, k=k, diversity=diversity if decl.sensitive else 1,
                max_suppression=max_suppression)
            report["before"] = measure(raw[decl.source], decl.qis, entity=decl.entity,
                                       sensitive=decl.sensitive, k=k)
            report["at_finest_released"] = measure(
                pseudo[decl.source], qis, entity=decl.entity, sensitive=decl.sensitive, k=k)
            released[name] = table
            reports[name] = _record_entry(decl, qis, report)
    for name, decl in AGGREGATE_TABLES.items():
        if decl.source == "introductions" and introductions is None:
            continue
        qis = _with_start(decl.qis, date_start)
        table, report = aggregate_table(
            _filtered(pseudo[decl.source], decl.where), qis, entity=decl.entity,
            count=decl.count, sensitive=decl.sensitive, extra_counts=decl.extra_counts, k=k,
            diversity=diversity if decl.sensitive else 1, max_suppression=max_suppression)
        report["before"] = measure(_filtered(raw[decl.source], decl.where), decl.qis,
                                   entity=decl.entity, sensitive=decl.sensitive, k=k)
        report["at_finest_released"] = measure(
            _filtered(pseudo[decl.source], decl.where), qis, entity=decl.entity,
            sensitive=decl.sensitive, k=k)
        released[name] = table
        reports[name] = _aggregate_entry(name, decl, qis, report)
    withheld = _checks(released, reports, k, diversity)
    for name in withheld:
        released.pop(name)
        reports[name]["released"] = False
    disclosure = {
        "tier": tier,
        "k": k,
        "l": diversity,
        "max_suppression": max_suppression,
        "method": manifest_text("disclosure.method"),
        "hierarchies": {h.name: h.describe() for h in (DATES, HOUSEHOLD_SIZE, AMOUNT, POINT,
                                                       FACILITATOR, PARTNER, CATEGORY,
                                                       DAYS_TO_TIE)},
        "sensitive": SENSITIVE,
        "risk_figures": ("before: the source records, exact values; at_finest_released: "
                         "every quasi-identifier at its finest released level (dates as "
                         "--dates gives them) before generalisation; after: as released"),
        "tables": reports,
        "withheld": withheld,
    }
    if tier == "records":
        disclosure["warning"] = manifest_text("disclosure.warning")
        warnings.warn("genera export --tier records: " + disclosure["warning"], stacklevel=2)
    manifest = {key: value for key, value in base.items() if key != "tables"}
    manifest["study"] = study
    manifest["small_cells"] = {"k": k, "rule": manifest_text("small_cells.cells", k=k)}
    manifest["tables"] = {name: _file_notes(name, released[name], base) for name in released}
    manifest["disclosure"] = disclosure
    paths = write_research_export(released, manifest, Path(out_dir),
                                  entries={n: _entries(n, released[n], lang)
                                           for n in released},
                                  secret_path=secret_path, lang=lang)
    if audit is not None:
        audit({"action": "export", "what": "research", "tier": tier, "k": k, "l": diversity,
               "tables": len(released), "dates": date_method})
    return paths, manifest


# -- manifest entries -----------------------------------------------------------------------


def _record_entry(decl: RecordTable, qis, report) -> dict[str, Any]:
    return {"kind": "records", "source": decl.source, "entity": decl.entity,
            "quasi_identifiers": [q.declaration() for q in qis],
            "sensitive": list(decl.sensitive), "levels": report["levels"],
            "information_loss": report["information_loss"], "before": report["before"],
            "at_finest_released": report["at_finest_released"], "after": report["after"],
            "released": True}


def _aggregate_entry(name: str, decl: AggregateTable, qis, report) -> dict[str, Any]:
    return {"kind": "aggregate", "source": decl.source, "entity": decl.entity,
            "count": decl.count, "extra_counts": list(decl.extra_counts),
            "where": dict(decl.where), "description": decl.description,
            "quasi_identifiers": [q.declaration() for q in qis],
            "sensitive": list(decl.sensitive), "levels": report["levels"],
            "information_loss": report["information_loss"], "cells": report["cells"],
            "cells_suppressed": report["cells_suppressed"], "before": report["before"],
            "at_finest_released": report["at_finest_released"], "after": report["after"],
            "released": True}


def _file_notes(name: str, frame: pd.DataFrame, base: Mapping[str, Any]) -> dict[str, Any]:
    source = (RECORD_TABLES[name].source if name in RECORD_TABLES
              else AGGREGATE_TABLES[name].source)
    notes = base["tables"][source]
    return {"rows": len(frame),
            "pseudonymised": [c for c in notes["pseudonymised"] if c in frame.columns],
            "removed": notes["removed"], "dates": [], "kept": [], "suppressed": {}}


_GENERALISED = N_("generalised label (see MANIFEST.json disclosure)")


def _entries(name: str, frame: pd.DataFrame, lang: str = DEFAULT_LANG
             ) -> list[tuple[str, str, str, str]]:
    """Data dictionary rows (column, definition, convention, unit) of a released table, in
    ``lang`` (the texts are gettext messages)."""

    def tr(text: str, **values: str) -> str:
        return gettext(text, lang).format(**values) if text else text

    if name in RECORD_TABLES:
        decl = RECORD_TABLES[name]
        descriptions = DATASET_SPEC[decl.source].descriptions
        ids = set(DATASET_SPEC[decl.source].ids)
        qis = {q.column for q in decl.qis}
        out = []
        for column in frame.columns:
            if column in qis:
                convention = tr(N_("generalised label (see MANIFEST.json disclosure); "
                                   "* suppressed"))
            elif column in ids:
                convention = tr(PSEUDONYM_CONVENTION)
            else:
                convention = ""
            out.append((column, tr(descriptions.get(column, "")), convention, ""))
        return out
    decl = AGGREGATE_TABLES[name]
    descriptions = DATASET_SPEC[decl.source].descriptions
    suppressed = N_("count; missing where suppressed")
    out = []
    for column in frame.columns:
        if column == "suppressed":
            out.append((column, tr(N_("true where the cell had fewer than k {entity} values "
                                      "(counts missing)"), entity=decl.entity),
                        tr(N_("boolean")), ""))
        elif column == decl.count:
            out.append((column, tr(N_("distinct {entity} in the cell"), entity=decl.entity),
                        tr(suppressed), ""))
        elif column in decl.extra_counts:
            out.append((column, tr(N_("{column} in the cell"), column=column), tr(suppressed),
                        ""))
        else:
            out.append((column, tr(descriptions.get(column, "")), tr(_GENERALISED), ""))
    return out


# -- checks ---------------------------------------------------------------------------------


def _checks(released: Mapping[str, pd.DataFrame], reports: Mapping[str, dict[str, Any]],
            k: int, diversity: int) -> dict[str, str]:
    """Re-measure every table as written; withhold those that fail. Name -> reason."""
    withheld: dict[str, str] = {}
    for name, frame in released.items():
        problem = _table_problem(frame, reports[name], k, diversity)
        if problem:
            withheld[name] = problem
    for name, entry in reports.items():
        if entry["kind"] != "aggregate" or name in withheld:
            continue
        for other, record_entry in reports.items():
            if record_entry["kind"] == "records" and other not in withheld and \
                    record_entry["source"] == entry["source"]:
                cells = recomputable_cells(released[name], entry, released[other],
                                           record_entry)
                if cells:
                    withheld[name] = manifest_text("withheld.recomputed", n=cells,
                                                   table=other)
                    break
    return withheld


def _table_problem(frame: pd.DataFrame, entry: Mapping[str, Any], k: int,
                   diversity: int) -> str | None:
    columns = [q["column"] for q in entry["quasi_identifiers"]]
    sensitive = entry["sensitive"]
    if entry["kind"] == "aggregate":
        counts = frame.loc[~frame["suppressed"].astype(bool), entry["count"]]
        if len(counts) and counts.min() < k:
            return manifest_text("withheld.cell", n=int(counts.min()), k=k)
        for s in sensitive:
            shown = frame.loc[~frame["suppressed"].astype(bool)]
            if len(shown) and columns and shown.groupby(columns, dropna=False)[s].nunique() \
                    .min() < diversity:
                return manifest_text("withheld.diversity", l=diversity, column=s)
        return None
    if frame.empty:
        return None
    measured = measure(frame, columns, entity=entry["entity"], sensitive=sensitive, k=k)
    if measured["k"] < k:
        return manifest_text("withheld.k", found=measured["k"], k=k)
    if sensitive and measured["l"] < diversity:
        return manifest_text("withheld.l", found=measured["l"], l=diversity)
    return None


def recomputable_cells(aggregate: pd.DataFrame, entry: Mapping[str, Any],
                       records: pd.DataFrame, record_entry: Mapping[str, Any]) -> int:
    """How many suppressed cells of ``aggregate`` a released record table gives back exactly.

    A cell is given back when every dimension of the aggregate is a column of the records at
    the same or a finer level (dates are coarsened to the cell's level) and no record with a
    suppressed or coarser value could fall in the cell.

    Examples
    --------
    >>> import pandas as pd
    >>> agg = pd.DataFrame({"cp": ["A"], "people": [pd.NA], "suppressed": [True]})
    >>> rec = pd.DataFrame({"cp": ["A", "A", "B"], "who": ["x", "y", "z"]})
    >>> entry = {"count": "people", "quasi_identifiers": [{"column": "cp"}],
    ...          "sensitive": [], "where": {}, "levels": {"cp": "point"}}
    >>> recomputable_cells(agg, entry, rec, {"levels": {"cp": "point"}})
    1
    >>> recomputable_cells(agg, entry, rec.assign(cp=["A", "*", "B"]),
    ...                    {"levels": {"cp": "point"}})
    0
    """
    dims = [q["column"] for q in entry["quasi_identifiers"]] + list(entry["sensitive"])
    dims += list(entry.get("where", {}))
    if not all(d in records.columns for d in dims):
        return 0
    suppressed = aggregate.loc[aggregate["suppressed"].astype(bool)]
    if suppressed.empty:
        return 0
    levels = entry.get("levels", {})
    record_levels = record_entry.get("levels", {})
    matchable = pd.Series(True, index=records.index)
    mapped = {}
    for d in dims:
        values = records[d].astype(object)
        level = levels.get(d)
        if level in DATES.levels and level != SUPPRESSED:
            values = values.map(lambda v, lv=level: coarsen_label(v, lv), na_action="ignore")
            unknown = values.isna() & records[d].notna()
        else:
            same = record_levels.get(d, level) == level
            unknown = (values == SUPPRESSED) | (not same)
        matchable &= ~unknown
        mapped[d] = values
    where = entry.get("where", {})
    count = 0
    for _, cell in suppressed.iterrows():
        hit = pd.Series(True, index=records.index)
        ambiguous = pd.Series(True, index=records.index)
        for d in dims:
            want = where[d] if d in where else cell[d]
            equal = (mapped[d].isna() if pd.isna(want) else (mapped[d] == want)).fillna(False)
            hit &= equal & matchable
            ambiguous &= equal | ~matchable
        if not (ambiguous & ~hit).any():
            count += 1
    return count


def check_export(out_dir: str | os.PathLike, *, k: int | None = None) -> dict[str, Any]:
    """Re-measure an existing research export from its files and ``MANIFEST.json``.

    Returns
    -------
    dict
        ``ok`` and, per table, the measured ``k``, ``l``, ``unique_share``, ``at_risk_share``
        (record tables), the suppressed cells and those recomputable from a released record
        table (aggregates), and ``problem`` where a check fails. An export without a
        disclosure report (made before it existed) is not ``ok``.
    """
    out = Path(out_dir)
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    disclosure = manifest.get("disclosure")
    if disclosure is None:
        return {"ok": False, "problem": "no disclosure report in MANIFEST.json", "tables": {}}
    k = k or disclosure["k"]
    diversity = disclosure["l"]
    entries = {n: e for n, e in disclosure["tables"].items() if e.get("released", True)}
    frames = {n: pd.read_parquet(out / f"{n}.parquet") for n in entries
              if (out / f"{n}.parquet").exists()}
    result: dict[str, Any] = {"ok": True, "tables": {}}
    for name, entry in entries.items():
        if name not in frames:
            result["tables"][name] = {"problem": "file missing"}
            result["ok"] = False
            continue
        frame = frames[name]
        columns = [q["column"] for q in entry["quasi_identifiers"]]
        if entry["kind"] == "records":
            row = measure(frame, columns, entity=entry["entity"],
                          sensitive=entry["sensitive"], k=k)
        else:
            shown = frame.loc[~frame["suppressed"].astype(bool)]
            row = {"k": int(shown[entry["count"]].min()) if len(shown) else None,
                   "cells": len(frame), "cells_suppressed": int(frame["suppressed"].sum()),
                   "recomputable": 0}
            for other, record_entry in entries.items():
                if record_entry["kind"] == "records" and other in frames and \
                        record_entry["source"] == entry["source"]:
                    row["recomputable"] += recomputable_cells(frame, entry, frames[other],
                                                              record_entry)
        problem = _table_problem(frame, entry, k, diversity)
        if entry["kind"] == "aggregate" and row["recomputable"]:
            problem = f"{row['recomputable']} suppressed cells recomputable"
        if problem:
            row["problem"] = problem
            result["ok"] = False
        result["tables"][name] = row
    return result

