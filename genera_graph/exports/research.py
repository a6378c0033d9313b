"""Pseudonymised research exports: keyed pseudonyms, coarse or shifted dates, small cells.

A research export leaves the organisation (to the evaluators, a university): it must carry the
structure of the network without the people. The helpers here do the usual steps of
pseudonymisation (GDPR art. 4(5), art. 89) and say what they did in a manifest:

- ids become keyed pseudonyms, stable within one study and unlinkable across studies
  (:class:`Pseudonymiser`); the key stays with the data controller, outside the export
  (:func:`load_or_create_secret`);
- names, titles, notes and contacts are removed;
- dates are coarsened to the month (:func:`coarsen_dates`) or shifted by a keyed per-person
  offset (:func:`shift_dates`);
- counts below a threshold are suppressed (:func:`suppress_small_cells`).

:func:`pseudonymise_dataset` applies a per-table :class:`TableSpec` and fails closed: a column
that the spec does not classify is an error, never silently exported. Pseudonymised data are
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

import base64
import hashlib
import hmac
import json
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports.tables import write_table

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

PSEUDONYM_PREFIX = "P"
#: base32 characters kept from the HMAC (80 bits: collisions are negligible below 10^9 ids).
PSEUDONYM_LENGTH = 16
SECRET_BYTES = 32
_MIN_SECRET = 16
_SEP = "\x1f"  # ASCII unit separator: cannot occur in a study name or an id typed in a register


def _check_secret(secret: bytes) -> bytes:
    if not isinstance(secret, bytes | bytearray) or len(secret) < _MIN_SECRET:
        raise ValueError(f"the secret must be at least {_MIN_SECRET} bytes")
    return bytes(secret)


def _digest(secret: bytes, *parts: str) -> bytes:
    message = _SEP.join(parts).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).digest()


class Pseudonymiser:
    """Keyed pseudonyms: ``P`` + 16 base32 characters of HMAC-SHA256(secret, study + 0x1F + id).

    Parameters
    ----------
    secret : bytes
        At least 16 random bytes (:func:`load_or_create_secret` makes 32), kept by the data
        controller and never exported.
    study : str
        The study's name. The same id gets the same pseudonym within a study, and unrelated
        pseudonyms in another study (or with another secret), so that two exports cannot be
        joined on pseudonyms.

    Notes
    -----
    Without the secret, a pseudonym cannot be recomputed from a guessed id (unlike a plain
    hash of the id, which anyone can recompute for every id of the register's format). With
    the secret, the controller can re-identify (look-up), as GDPR pseudonymisation requires.
    The secret never appears in ``repr``. Cost: one HMAC per distinct id.

    Examples
    --------
    >>> import pandas as pd
    >>> p = Pseudonymiser(bytes(range(32)), study="s1")
    >>> out = p.series(pd.Series(["H001", None, "H001"]))
    >>> out.isna().tolist(), out[0] == out[2] == p("H001")
    ([False, True, False], True)
    >>> "secret" in repr(p), "\\\\x00" in repr(p)
    (False, False)
    """

    def __init__(self, secret: bytes, study: str):
        if not isinstance(study, str) or not study or _SEP in study:
            raise ValueError("the study name must be a non-empty text without \\x1f")
        self._secret = _check_secret(secret)
        self._study = study

    @property
    def study(self) -> str:
        return self._study

    def __repr__(self) -> str:
        return f"Pseudonymiser(study={self._study!r})"

    def __call__(self, identifier: Any) -> str:
        return self.pseudonym(identifier)

    def pseudonym(self, identifier: Any) -> str:
        """The pseudonym of one id (its text form)."""
        digest = _digest(self._secret, self._study, str(identifier))
        code = base64.b32encode(digest).decode("ascii")[:PSEUDONYM_LENGTH]
        return PSEUDONYM_PREFIX + code

    def series(self, values: pd.Series) -> pd.Series:
        """Pseudonymise a column; missing values stay missing. One HMAC per distinct id."""
        present = values.dropna().astype(str)
        lookup = {v: self.pseudonym(v) for v in pd.unique(present)}
        out = pd.Series(pd.NA, index=values.index, dtype="str", name=values.name)
        out.loc[present.index] = present.map(lookup)
        return out

    def shift_days(self, person: Any, max_days: int) -> int:
        """The keyed date offset of one person: non-zero, in ``[-max_days, max_days]``."""
        return _shift_days(self._secret, self._study, person, max_days)


def _shift_days(secret: bytes, study: str, person: Any, max_days: int) -> int:
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    draw = int.from_bytes(_digest(secret, "date-shift", study, str(person))[:8], "big")
    draw %= 2 * max_days
    return draw - max_days if draw < max_days else draw - max_days + 1


def load_or_create_secret(path: str | os.PathLike,
                          export_dir: str | os.PathLike | None = None) -> bytes:
    """Read the study key, or create it (32 random bytes, file mode 0600) the first time.

    Parameters
    ----------
    path : path-like
        Where the key lives: a private folder of the data controller.
    export_dir : path-like, optional
        The export folder; the key is refused inside it (it would leave with the data).

    Returns
    -------
    bytes
        The secret.

    Raises
    ------
    ValueError
        If the key would be inside the export folder, or the file is not a key.
    PermissionError
        If an existing key file is readable or writable by group or others.

    Examples
    --------
    >>> import tempfile, pathlib, stat
    >>> home = pathlib.Path(tempfile.mkdtemp())
    >>> key = load_or_create_secret(home / "keys" / "study.key", export_dir=home / "export")
    >>> len(key), stat.S_IMODE((home / "keys" / "study.key").stat().st_mode) == 0o600
    (32, True)
    >>> load_or_create_secret(home / "keys" / "study.key") == key
    True
    """
    path = Path(path).absolute()
    if export_dir is not None:
        export = Path(export_dir).absolute().resolve()
        if path.resolve() == export or export in path.resolve().parents:
            raise ValueError("the secret must be kept outside the export folder")
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise PermissionError(f"{path} is accessible by group or others (mode {mode:o})")
        secret = path.read_bytes()
        if len(secret) != SECRET_BYTES:
            raise ValueError(f"{path} is not a {SECRET_BYTES}-byte key")
        return secret
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = os.urandom(SECRET_BYTES)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, secret)
    finally:
        os.close(handle)
    return secret


def coarsen_dates(series: pd.Series, how: str = "month") -> pd.Series:
    """Replace each date by the first day of its month, quarter or year.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2016-06-14", None, "2016-11-30"]))
    >>> coarsen_dates(days).dt.strftime("%Y-%m-%d").tolist()
    ['2016-06-01', nan, '2016-11-01']
    >>> coarsen_dates(days, how="quarter").dt.strftime("%Y-%m-%d").tolist()[2]
    '2016-10-01'
    """
    periods = {"month": "M", "quarter": "Q", "year": "Y"}
    if how not in periods:
        raise ValueError(f"how must be one of {sorted(periods)}, not {how!r}")
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise TypeError("coarsen_dates needs a datetime64 column")
    coarse = series.dt.to_period(periods[how]).dt.to_timestamp()
    return coarse.astype(series.dtype)


def shift_dates(series: pd.Series, person_ids: pd.Series, secret: bytes, max_days: int = 30,
                *, study: str = "") -> pd.Series:
    """Shift each date by a keyed offset of its person, the same for all the person's dates.

    Parameters
    ----------
    series : Series of datetime64
        The dates.
    person_ids : Series
        The (raw) person id of each row, aligned with ``series``.
    secret : bytes
        The study key.
    max_days : int
        The offset is a non-zero number of days in ``[-max_days, max_days]``.
    study : str
        The study's name: offsets differ across studies.

    Returns
    -------
    Series
        The shifted dates (missing stays missing). Intervals between one person's dates are
        kept exactly; calendar facts (weekday, month) are not.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2016-06-14", "2016-06-20"]))
    >>> shifted = shift_dates(days, pd.Series(["H001", "H001"]), b"k" * 32, 30, study="s")
    >>> int((shifted[1] - shifted[0]).days), bool((shifted != days).all())
    (6, True)
    """
    secret = _check_secret(secret)
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise TypeError("shift_dates needs a datetime64 column")
    if len(person_ids) != len(series):
        raise ValueError("person_ids must be aligned with the dates")
    persons = pd.Series(person_ids.to_numpy(), index=series.index)
    if persons[series.notna()].isna().any():
        raise ValueError("every dated row needs a person id to shift by")
    lookup = {p: _shift_days(secret, study, p, max_days)
              for p in pd.unique(persons.dropna().astype(str))}
    offsets = persons.astype(str).map(lookup).fillna(0).astype("int64")
    return (series + pd.to_timedelta(offsets, unit="D")).astype(series.dtype)


def suppress_small_cells(table: pd.DataFrame, count_cols: Iterable[str], k: int = 5, *,
                         keep_zeros: bool = False) -> pd.DataFrame:
    """Suppress counts below ``k``: the cell becomes missing and a flag column says so.

    Parameters
    ----------
    table : DataFrame
        A table of counts.
    count_cols : iterable of str
        The count columns.
    k : int
        Threshold: a count ``< k`` is suppressed (5 is the usual rule of statistical offices).
    keep_zeros : bool
        Publish zero counts (structural zeros) instead of suppressing them.

    Returns
    -------
    DataFrame
        A copy: each count column becomes nullable (``Int64`` for integers, ``Float64`` for
        reals) with ``<NA>`` where suppressed, and a boolean column ``{col}_suppressed`` is
        added after it.

    Notes
    -----
    Primary suppression only: a published total, or the other cells of a row or column, may
    let a reader recompute a suppressed cell (complementary suppression is not done). Do not
    publish totals next to suppressed cells. Complexity: O(rows x count columns).

    Examples
    --------
    >>> import pandas as pd
    >>> out = suppress_small_cells(pd.DataFrame({"cp": ["CP1", "CP2"], "n": [12, 3]}), ["n"])
    >>> out["n"].tolist(), out["n_suppressed"].tolist(), str(out["n"].dtype)
    ([12, <NA>], [False, True], 'Int64')
    """
    out = table.copy()
    for column in count_cols:
        values = out[column]
        if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(
                values.dtype):
            raise TypeError(f"column {column!r} is not a count")
        nullable = "Int64" if pd.api.types.is_integer_dtype(values.dtype) else "Float64"
        values = values.astype(nullable)
        small = (values < k).fillna(False)
        if keep_zeros:
            small &= (values != 0).fillna(False)
        position = out.columns.get_loc(column)
        out[column] = values.mask(small)
        out.insert(position + 1, f"{column}_suppressed", small.astype("boolean"))
    return out


@dataclass(frozen=True)
class TableSpec:
    """How each column of one table is treated; every column must be named exactly once.

    Attributes
    ----------
    ids : tuple of str
        Id columns (actors, households, activities): replaced by pseudonyms.
    drop : tuple of str
        Personal or free-text columns (names, titles that can name people, notes, phone,
        e-mail, address): removed.
    dates : tuple of str
        Date columns: coarsened to the month or shifted (see :func:`pseudonymise_dataset`).
    keep : tuple of str
        Columns kept as they are (kinds, programmes, Community Points, flags, measures).
    counts : tuple of str
        Count columns: kept, with cells below ``k`` suppressed.
    person : str, optional
        The id column whose person keys the date shift (before pseudonymisation).
    descriptions : mapping of str to str
        Definitions of the exported columns, for the data dictionary.
    """

    ids: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    person: str | None = None
    descriptions: Mapping[str, str] = field(default_factory=dict)

    def roles(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for role in ("ids", "drop", "dates", "keep", "counts"):
            for column in getattr(self, role):
                if column in out:
                    raise ValueError(f"column {column!r} is both {out[column]} and {role}")
                out[column] = role
        return out


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
    """
    if pattern is None:
        return
    for column in columns:
        series = frame[column]
        if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
            continue
        for cell in series.dropna():
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
            for original, pseudonym in zip(raw, result[column].dropna(), strict=True):
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
    date_text = {
        "month": "coarsened to the first day of the month",
        "quarter": "coarsened to the first day of the quarter",
        "year": "coarsened to 1 January of the year",
        "shift": (f"shifted by a keyed per-person offset of 1 to {max_shift_days} days, "
                  "earlier or later (intervals within a person are kept)"),
    }[date_method]
    manifest = {
        "study": pseudonymiser.study,
        "created_by": "genera_graph.exports.research",
        "pseudonyms": {
            "method": (f"HMAC-SHA256(key, study + 0x1F + id), base32, first "
                       f"{PSEUDONYM_LENGTH} characters, prefix '{PSEUDONYM_PREFIX}'"),
            "scope": "stable within this study; unlinkable to other studies",
            "key": "kept by the data controller outside this export; not included",
        },
        "dates": {"method": date_method, "detail": date_text,
                  **({"max_shift_days": max_shift_days} if date_method == "shift" else {})},
        "small_cells": {"k": k, "rule": f"counts below {k} replaced by missing; the "
                        "column {name}_suppressed flags them (primary suppression only)"},
        "tables": table_notes,
    }
    return out, manifest


_CONVENTIONS = {
    "ids": "pseudonym: P + 16 base32 characters, stable within the study",
    "dates": "date, dd/mm/yyyy in CSV (see MANIFEST.json for the coarsening or shift)",
    "keep": "",
    "counts": "count; missing where suppressed (see the _suppressed column)",
}


def _readme(manifest: Mapping[str, Any]) -> str:
    lines = [
        f"# Research export: study {manifest['study']}",
        "",
        "Pseudonymised data: still personal data under the GDPR. Use only for the study named",
        "above, do not try to re-identify anyone, do not join with other exports.",
        "",
        f"- Ids: {manifest['pseudonyms']['method']}; {manifest['pseudonyms']['scope']}.",
        f"- Key: {manifest['pseudonyms']['key']}.",
        f"- Dates: {manifest['dates']['detail']}.",
        f"- Small cells: {manifest['small_cells']['rule']}.",
        "- Every table comes as NAME.csv (`;`, UTF-8, dd/mm/yyyy, text cells starting with",
        "  = + - @ prefixed with ' against formula injection), NAME.parquet (typed) and",
        "  NAME.dictionary.csv (what each column means).",
        "",
        "| table | rows | pseudonymised | removed | dates | suppressed cells |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, notes in manifest["tables"].items():
        suppressed = ", ".join(f"{c}: {n}" for c, n in notes["suppressed"].items()) or "-"
        lines.append(
            f"| {name} | {notes['rows']} | {', '.join(notes['pseudonymised']) or '-'} | "
            f"{', '.join(notes['removed']) or '-'} | {', '.join(notes['dates']) or '-'} | "
            f"{suppressed} |"
        )
    return "\n".join(lines) + "\n"


def write_research_export(
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    out_dir: str | os.PathLike,
    spec: Mapping[str, TableSpec] | None = None,
    *,
    secret_path: str | os.PathLike | None = None,
) -> list[Path]:
    """Write pseudonymised tables, ``MANIFEST.json`` and ``README.md`` into ``out_dir``.

    Parameters
    ----------
    tables, manifest
        The output of :func:`pseudonymise_dataset`.
    out_dir : path-like
        The export folder (created if missing).
    spec : mapping of str to TableSpec, optional
        For the column definitions of the data dictionaries.
    secret_path : path-like, optional
        Where the study key is; refused if it is inside ``out_dir``.

    Returns
    -------
    list of Path
        Every file written.

    Notes
    -----
    Parquet files are written uncompressed so that the whole export can be audited byte by
    byte (for instance, searched for a name or a date) before it leaves.
    """
    out = Path(out_dir)
    if secret_path is not None:
        secret = Path(secret_path).absolute().resolve()
        if out.absolute().resolve() in secret.parents:
            raise ValueError("the secret must be kept outside the export folder")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in tables.items():
        notes = manifest["tables"][name]
        descriptions = spec[name].descriptions if spec and name in spec else {}
        role_of = {c: "ids" for c in notes["pseudonymised"]}
        role_of.update({c: "dates" for c in notes["dates"]})
        role_of.update({c: "counts" for c in notes["suppressed"]})
        entries = []
        for column in frame.columns:
            base = column[: -len("_suppressed")] if column.endswith("_suppressed") else None
            if base is not None and base in notes["suppressed"]:
                entries.append((column, f"true where {base} was suppressed (count < k)",
                                "boolean", ""))
                continue
            role = role_of.get(column, "keep")
            entries.append((column, descriptions.get(column, ""), _CONVENTIONS[role], ""))
        paths = write_table(frame, out, name, entries, compression=None)
        written.extend(paths.values())
    manifest_path = out / "MANIFEST.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    readme_path = out / "README.md"
    readme_path.write_text(_readme(manifest), encoding="utf-8")
    return [*written, manifest_path, readme_path]
