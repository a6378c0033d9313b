"""Pseudonymised research exports: keyed pseudonyms, coarse or shifted dates, small cells.

A research export leaves the organisation (to the evaluators, a university): it must carry the
structure of the network without the people. The helpers here do the usual steps of
pseudonymisation (GDPR art. 4(5), art. 89) and say what they did in a manifest:

- ids become keyed pseudonyms, stable within one study and unlinkable across studies
  (:class:`Pseudonymiser`, in :mod:`.pseudonyms`); the key stays with the data controller,
  outside the export (:func:`load_or_create_secret`);
- names, titles, notes and contacts are removed;
- dates are coarsened to the month (:func:`coarsen_dates`) or shifted by a keyed per-person
  offset (:func:`shift_dates`); counts below a threshold are suppressed
  (:func:`suppress_small_cells`): these steps are in :mod:`.masking`;
- the files are written by :func:`write_research_export` (:mod:`.research_files`).

:func:`pseudonymise_dataset` applies a per-table :class:`TableSpec` and fails closed: a column
that the spec does not classify is an error, never silently exported. This module re-exports
the public names of the three others. Pseudonymised data are
still personal data under the GDPR; this reduces, it does not remove, the risk.

Examples
--------
>>> p = Pseudonymiser(b"k" * 32, study="evaluation-2019")
>>> p("H001") == p("H001"), p("H001") == Pseudonymiser(b"k" * 32, study="other")("H001")
(True, False)
>>> len(p("H001")), p("H001")[0]
(17, 'P')
"""


from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from genera_graph.exports.masking import coarsen_dates, shift_dates, suppress_small_cells
from genera_graph.exports.pseudonyms import (
    PSEUDONYM_LENGTH,
    PSEUDONYM_PREFIX,
    Pseudonymiser,
    load_or_create_secret,
)
from genera_graph.exports.research_files import manifest_text, write_research_export
from genera_graph.exports.table_spec import TableSpec

__all__ = [
    "PSEUDONYM_LENGTH",
    "PSEUDONYM_PREFIX",
    "Pseudonymiser",
    "TableSpec",
    "coarsen_dates",
    "load_or_create_secret",
    "pseudonymise_dataset",
    "shift_dates",
    "suppress_small_cells",
    "write_research_export",
]


_DATE_METHODS = ("month", "quarter", "year", "shift")


_PROPER_NOUN = re.compile(r"\b[^\W\d_][\w'’-]{3,}", re.UNICODE)


def _personal_pattern(tables: Mapping[str, pd.DataFrame],
                      spec: Mapping[str, TableSpec]) -> re.Pattern[str] | None:
    """Whole id and removed values, and capitalised words of removed values (4+ letters)."""
    whole: set[str] = set()
    words: set[str] = set()
    for name, frame in tables.items():
        for role in ("ids", "drop"):
            for column in getattr(spec[name], role):
                for cell in frame[column].dropna():
                    text = str(cell).strip()
                    if len(text) >= 4:
                        whole.add(text)
                    if role == "drop":
                        words.update(w for w in _PROPER_NOUN.findall(text) if w[0].isupper())
    parts = []
    if whole:
        parts.append("|".join(re.escape(v) for v in sorted(whole, key=len, reverse=True)))
    if words:
        parts.append(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words)) + r")\b")
    return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None


def _guard_kept_text(frame: pd.DataFrame, columns: Iterable[str],
                     pattern: re.Pattern[str] | None, table: str) -> None:
    """Refuse a kept text column that repeats an id or a removed personal value.

    A safety net against a mistaken spec (a notes column listed as kept), not a guarantee:
    it finds the ids and removed values, whole, and their capitalised words (names).
    Cost: one search per distinct kept text.
    """
    if pattern is None:
        return
    for column in columns:
        series = frame[column]
        if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
            continue
        for cell in pd.unique(series.dropna()):  # each distinct text once
            if isinstance(cell, str) and pattern.search(cell):
                raise ValueError(
                    f"table {table!r}, kept column {column!r} repeats an id or a removed "
                    "personal value: classify it as drop or ids"
                )


def pseudonymise_dataset(
    tables: Mapping[str, pd.DataFrame],
    spec: Mapping[str, TableSpec],
    pseudonymiser: Pseudonymiser,
    *,
    date_method: str = "month",
    max_shift_days: int = 30,
    k: int = 5,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Pseudonymise a set of tables according to a per-table spec.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The tables to export (e.g. actors, participations, relations, tie counts).
    spec : mapping of str to TableSpec
        One spec per table, classifying every column.
    pseudonymiser : Pseudonymiser
        The study's pseudonymiser.
    date_method : {"month", "quarter", "year", "shift"}
        Coarsen dates to the first day of the period, or shift them by a keyed per-person
        offset (needs ``TableSpec.person``).
    max_shift_days : int
        Largest offset of ``"shift"``.
    k : int
        Small-cell threshold of count columns.

    Returns
    -------
    tables : dict of str to DataFrame
        The pseudonymised tables.
    manifest : dict
        What was done: per table the pseudonymised, removed, date and suppressed columns, the
        kept columns and the number of rows; the methods and their parameters. It names
        columns only, never a value.

    Raises
    ------
    ValueError
        If a table has no spec (or a spec no table), a column is not classified or is
        classified twice, a date column is not a date, a kept column holds dates, a kept text
        column repeats an id or a removed value, or two ids collide on one pseudonym.

    Notes
    -----
    Complexity: O(cells) plus one HMAC per distinct id; the guard on kept text columns is
    O(kept text cells x total length of the personal values).

    Examples
    --------
    >>> import pandas as pd
    >>> actors = pd.DataFrame({"actor_id": ["H001"], "name": ["Rossi"], "kind": ["household"],
    ...                        "first_met": pd.to_datetime(["2016-06-14"])})
    >>> spec = {"actors": TableSpec(ids=("actor_id",), drop=("name",), keep=("kind",),
    ...                             dates=("first_met",))}
    >>> out, manifest = pseudonymise_dataset({"actors": actors}, spec,
    ...                                      Pseudonymiser(b"k" * 32, "demo"))
    >>> list(out["actors"].columns), str(out["actors"].loc[0, "first_met"].date())
    (['actor_id', 'kind', 'first_met'], '2016-06-01')
    >>> manifest["tables"]["actors"]["removed"]
    ['name']
    """
    if date_method not in _DATE_METHODS:
        raise ValueError(f"date_method must be one of {_DATE_METHODS}, not {date_method!r}")
    missing_spec = sorted(set(tables) - set(spec))
    missing_table = sorted(set(spec) - set(tables))
    if missing_spec or missing_table:
        raise ValueError(f"tables without spec {missing_spec}, specs without table "
                         f"{missing_table}")
    roles_of = {}
    for name, frame in tables.items():
        roles = spec[name].roles()
        unclassified = [str(c) for c in frame.columns if c not in roles]
        unknown = [c for c in roles if c not in frame.columns]
        if unclassified or unknown:
            raise ValueError(f"table {name!r}: unclassified columns {unclassified}, "
                             f"unknown columns {unknown} (every column must be classified)")
        for column, role in roles.items():
            is_date = pd.api.types.is_datetime64_any_dtype(frame[column].dtype)
            if role == "dates" and not is_date:
                raise ValueError(f"table {name!r}: date column {column!r} is not datetime64")
            if role in ("keep", "counts") and is_date:
                raise ValueError(f"table {name!r}: {column!r} holds dates: list it in dates")
        if date_method == "shift" and spec[name].dates:
            person = spec[name].person
            if person is None or person not in frame.columns:
                raise ValueError(f"table {name!r}: date_method='shift' needs a person column")
        roles_of[name] = roles

    personal = _personal_pattern(tables, spec)
    out: dict[str, pd.DataFrame] = {}
    table_notes: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for name, frame in tables.items():
        table_spec = spec[name]
        _guard_kept_text(frame, table_spec.keep, personal, name)
        result = frame.drop(columns=list(table_spec.drop))
        for column in table_spec.dates:
            if date_method == "shift":
                result[column] = shift_dates(frame[column], frame[table_spec.person],
                                             pseudonymiser._secret, max_shift_days,
                                             study=pseudonymiser.study)
            else:
                result[column] = coarsen_dates(frame[column], how=date_method)
        for column in table_spec.ids:
            raw = frame[column].dropna().astype(str)
            result[column] = pseudonymiser.series(frame[column])
            pairs = pd.DataFrame({"id": raw.to_numpy(dtype=object),
                                  "pseudonym": result[column].dropna().to_numpy(dtype=object)})
            pairs = pairs.drop_duplicates()  # each distinct (id, pseudonym) once
            for original, pseudonym in zip(pairs["id"].tolist(), pairs["pseudonym"].tolist(),
                                           strict=True):
                if seen.setdefault(pseudonym, original) != original:
                    raise ValueError("two ids share one pseudonym: use a longer pseudonym")
        suppressed: dict[str, int] = {}
        if table_spec.counts:
            result = suppress_small_cells(result, table_spec.counts, k=k)
            suppressed = {c: int(result[f"{c}_suppressed"].sum()) for c in table_spec.counts}
        out[name] = result.reset_index(drop=True)
        table_notes[name] = {
            "rows": len(result),
            "pseudonymised": list(table_spec.ids),
            "removed": list(table_spec.drop),
            "dates": list(table_spec.dates),
            "suppressed": suppressed,
            "kept": list(table_spec.keep),
        }
    date_text = manifest_text(f"dates.{date_method}", n=max_shift_days)
    manifest = {
        "study": pseudonymiser.study,
        "created_by": "genera_graph.exports.research",
        "pseudonyms": {
            "method": manifest_text("pseudonyms.method", length=PSEUDONYM_LENGTH,
                                    prefix=PSEUDONYM_PREFIX),
            "scope": manifest_text("pseudonyms.scope"),
            "key": manifest_text("pseudonyms.key"),
        },
        "dates": {"method": date_method, "detail": date_text,
                  **({"max_shift_days": max_shift_days} if date_method == "shift" else {})},
        "small_cells": {"k": k, "rule": manifest_text("small_cells.counts", k=k)},
        "tables": table_notes,
    }
    return out, manifest
