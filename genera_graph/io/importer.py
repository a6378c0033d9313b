"""Imports: register files (or a dataset) into a store, validated, atomic and idempotent.

One import is one transaction. Files are read in chunks (:mod:`genera_graph.io.spreadsheets`),
each chunk is typed and validated with the model's pandera schemas (lazily: every problem), then
checked across files: duplicate natural keys (the first occurrence wins), unknown actor or
activity ids (against the files being imported *and* the store), and ids that already name a
stored record of another kind or another register (a membership arriving with a lease's id:
a problem naming both, never an overwrite), and events of a person or household dated before the
programme met them (``first_met``: a contact, attendance or relation cannot start earlier; a
problem naming the event's row and the actor's). Valid rows are upserted by their register's
natural key, so an updated register updates rows instead of duplicating them, and says how
many rows it changed, per column (:attr:`FileOutcome.changes`).

What is plausible (dates, cell size, rows per file) is an
:class:`~genera_graph.io.registers.ImportLimits`.

- strict (default): any error writes nothing (the transaction is rolled back);
- ``partial=True``: valid rows are committed, the others are set aside in the store's
  ``quarantine`` table (and returned), with ``accepted + quarantined == rows read`` per file;
- a file whose content (SHA-256) is what the last import of its register already read is
  reported ``"unchanged"`` and skipped.

Problems carry the file, the spreadsheet row, the column, the rule and the offending value: they
are for the user's eyes (terminal, CSV report), never for the log, which only gets counts.

Examples
--------
>>> import tempfile, pathlib
>>> from genera_graph.io.store import Store
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "actors.csv").write_text(
...     "actor_id;kind;name;first_met\\nCP01;community_point;Punto Uno;18/05/2016\\n"
...     "F01;facilitator;Facilitatore;31/02/2016\\n", encoding="utf-8")
>>> store = Store(folder / "genera.sqlite")
>>> result = store.import_paths(folder)
>>> result.committed, [str(p) for p in result.errors]
(False, ["actors.csv, row 3, column 'first_met': not a valid date dd/mm/yyyy (value: '31/02/2016')"])
>>> result = store.import_paths(folder, partial=True)
>>> [(f.status, f.rows_read, f.rows_accepted, f.rows_quarantined) for f in result.files]
[('partial', 2, 1, 1)]
>>> store.import_paths(folder, partial=True).files[0].status
'unchanged'
>>> store.close()
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import sqlalchemy as sa

from genera_graph.io.bulk import Upserts, count_rows, stored_rows, table_ids
from genera_graph.io.database import Database
from genera_graph.io.erasure import ErasedIds
from genera_graph.io.registers import (
    FIRST_DATA_ROW,
    REGISTERS,
    ImportLimits,
    Problem,
    Register,
    format_register_frame,
    parse_register_frame,
    register_for,
)
from genera_graph.io.schema import METADATA, REFERENCES, TABLE_KEYS
from genera_graph.io.spreadsheets import (
    DEFAULT_CHUNK_ROWS,
    SPREADSHEET_SUFFIXES,
    open_spreadsheet,
)
from genera_graph.io.withdrawals import RULE as WITHDRAWN_RULE
from genera_graph.io.withdrawals import WithdrawnKeys
from genera_graph.model import Dataset

__all__ = ["FileOutcome", "ImportResult", "RowCheck", "import_dataset", "import_paths",
           "validate_rows"]

_log = logging.getLogger(__name__)

#: a progress callback: (file name, rows read so far in that file)
ProgressCallback = Callable[[str, int], None]

_NOUN = {"actors": "actor", "activities": "activity"}
_FILE_OF = {"actors": "actors.csv", "activities": "activities.csv"}

#: the events of actors, by table: (their date column, the actor columns). The model's
#: ``first_met`` is the day the programme met a person or a household: none of the contacts,
#: attendances or relations the programme records for them can be earlier (an association
#: membership, which a person may hold before the programme meets them, excepted:
#: :data:`RELATIONS_BEFORE_START`).
DATED_EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "interactions": ("date", ("source_actor_id", "target_actor_id")),
    "participations": ("date", ("actor_id",)),
    "relations": ("start_date", ("actor_id", "partner_id")),
}
#: the kinds of actor whose ``first_met`` is a programme start (people and households; a
#: point's is its opening, an organisation's the first contact with it)
PROGRAMME_START_KINDS = ("individual", "household")
#: relation kinds that may start before the programme met the person (not its own doing)
RELATIONS_BEFORE_START = ("membership",)


@dataclass(frozen=True)
class FileOutcome:
    """What an import did with one file.

    ``status`` is ``"imported"`` (every row accepted), ``"partial"`` (some rows quarantined),
    ``"unchanged"`` (same content as the last import of the register: skipped) or
    ``"rejected"`` (nothing written from it). ``rows_changed`` counts the accepted rows that
    updated a stored record (some value differs); ``changes`` says how many per column.
    """

    file: str
    register: str
    status: str
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rows_new: int
    content_hash: str
    run_id: int | None = None
    #: rows about an erased person, skipped (each reported as a warning, never quarantined)
    rows_erased: int = 0
    rows_changed: int = 0
    changes: tuple[tuple[str, int], ...] = ()
    #: rows of records withdrawn in the explorer, skipped (each reported as a warning, never
    #: quarantined; :mod:`genera_graph.io.withdrawals`)
    rows_withdrawn: int = 0


@dataclass(frozen=True)
class ImportResult:
    """The outcome of one import (one transaction).

    Attributes
    ----------
    files : tuple of FileOutcome
    problems : tuple of Problem
        Every problem (errors and warnings), in file and row order.
    committed : bool
        Whether the transaction was committed (``False``: the store is exactly as before).
    partial : bool
        Whether the import ran with ``partial=True``.
    rejected_rows : mapping of file name to DataFrame
        The rows not imported, as read (text cells, indexed by spreadsheet row), with a
        ``problems`` column; for a partial import these are the quarantined rows.
    """

    files: tuple[FileOutcome, ...]
    problems: tuple[Problem, ...]
    committed: bool
    partial: bool
    rejected_rows: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a row or a file (not warnings)."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Committed with no error at all."""
        return self.committed and not self.errors

    def report_frame(self) -> pd.DataFrame:
        """Every problem as a table: file, row, column, rule, value, severity."""
        return pd.DataFrame(
            [(p.file, p.row, p.column, p.rule, p.value, p.severity) for p in self.problems],
            columns=["file", "row", "column", "rule", "value", "severity"],
        ).astype({"row": "Int64"})

    def summary(self) -> str:
        """One line per file with its counts (no cell values)."""
        lines = []
        for f in self.files:
            if f.status == "unchanged":
                lines.append(f"{f.file}: unchanged (this content was already imported)")
                continue
            changed = ""
            if f.rows_changed:
                per_column = ", ".join(f"{col} {n}" for col, n in f.changes)
                changed = f", {f.rows_changed} changed ({per_column})"
            lines.append(f"{f.file}: {f.status}, {f.rows_read} rows read, {f.rows_accepted} "
                         f"accepted ({f.rows_new} new{changed}), {f.rows_quarantined} "
                         f"{'quarantined' if self.partial else 'with problems'}")
        n_err, n_warn = len(self.errors), len(self.warnings)
        verdict = ("committed" if self.committed
                   else "nothing written (the store is unchanged)")
        lines.append(f"{verdict}; {n_err} error(s), {n_warn} warning(s)")
        return "\n".join(lines)


class _Source(Protocol):
    name: str
    sha256: str
    header: list[str]
    problems: list[Problem]

    def chunks(self, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, list[Problem]]]: ...


@dataclass
class _FrameSource:
    """A text frame standing for a register file (used to import a dataset)."""

    name: str
    sha256: str
    text: pd.DataFrame
    header: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def chunks(self, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
        for start in range(0, len(self.text), chunk_rows):
            yield self.text.iloc[start:start + chunk_rows], []


class _Abort(Exception):
    """Raised inside the transaction to roll it back (strict import with errors)."""


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction to roll it back, outcomes kept."""


#: an extra check of typed rows inside an import's transaction (e.g. the writer's scope,
#: :func:`genera_graph.io.records.scope_check`): ``(conn, table, typed rows, file name) ->
#: (problems, bad-row mask)``
RowCheck = Callable[[sa.Connection, str, pd.DataFrame, str], tuple[list[Problem], np.ndarray]]


def import_paths(store: Database, paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                 partial: bool = False, progress: bool | ProgressCallback = False,
                 chunk_rows: int | None = None, dry_run: bool = False,
                 row_check: RowCheck | None = None, limits: ImportLimits | None = None
                 ) -> ImportResult:
    """Import register files (CSV or XLSX) or folders of them into a store, in one transaction.

    Parameters
    ----------
    store : Store
    paths : path-like or iterable of path-likes
        Files named after their register (``actors.csv``, ``contacts.xlsx``, ...) or folders
        (every register file in them).
    partial : bool
        Commit the valid rows and quarantine the others (default: any error writes nothing).
    progress : bool or callable
        ``True``: a tqdm progress bar on stderr; a callable ``(file name, rows read)`` is called
        after each chunk, inside the open transaction.
    chunk_rows : int, optional
        Rows per chunk (default :data:`~genera_graph.io.spreadsheets.DEFAULT_CHUNK_ROWS`).
    dry_run : bool
        Run the whole import (every check, the writes inside the transaction) and roll it
        back: the result says what the import would do (``committed`` is ``False``; each
        file's status and counts are those it would get).
    row_check : callable, optional
        A further check of each chunk's typed rows (see :data:`RowCheck`): the rows it marks
        are problems like any other.
    limits : ImportLimits, optional
        Plausible dates, cell size, rows per file (default
        :class:`~genera_graph.io.registers.ImportLimits`).

    Returns
    -------
    ImportResult

    Notes
    -----
    Streaming: memory is O(chunk) for every register but actors (whose rows refer to each other
    and are checked together). Validation is vectorised. SQLite: each chunk is one
    ``INSERT ... SELECT FROM json_each(?)`` run in a background thread while the next chunk is
    read and validated, and the ids written into reference columns are checked once before the
    commit (:meth:`~genera_graph.io.database.Database.bulk_write`); PostgreSQL: a ``COPY`` per chunk.
    """
    problems: list[Problem] = []
    sources: list[tuple[_Source, Register]] = []
    limits = limits or ImportLimits()
    for path in _expand(paths, problems):
        sheet = open_spreadsheet(path, import_limits=limits)
        sources.append((sheet, register_for(path)))
    return _run(store, sources, problems, partial=partial, progress=progress,
                chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS, dry_run=dry_run,
                row_check=row_check, limits=limits)


def validate_rows(conn: sa.Connection, register: Register, raw: pd.DataFrame, *, file: str,
                  extra_ids: Mapping[str, Iterable[str]] | None = None
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate rows held in memory as an import validates the rows of a register file.

    The same steps as :func:`import_paths` on one chunk: the register's schema
    (:func:`~genera_graph.io.registers.parse_register_frame`), repeated natural keys among
    the rows (the first wins), and every actor or activity id checked against the store
    behind ``conn`` and ``extra_ids``. Nothing is written. Used for records made one at a
    time (:mod:`genera_graph.io.records`).

    Parameters
    ----------
    conn : Connection
        An open transaction on the store.
    register : Register
    raw : DataFrame
        Text cells with the register's columns, indexed by the row numbers to report.
    file : str
        The name problems carry.
    extra_ids : mapping, optional
        ``"actors"`` / ``"activities"`` -> ids that count as known besides the store's (rows
        written in the same transaction).

    Returns
    -------
    typed : DataFrame
        The valid rows, typed.
    problems : list of Problem
    """
    typed, problems = parse_register_frame(raw, register, file=file, first_row=None,
                                           check_unique=False)
    bad = {p.row for p in problems if p.severity == "error" and p.row is not None}
    if bad:
        typed = typed.drop(index=list(bad & set(typed.index)))
    duplicates, repeat = _Keys(register.key).check(typed, file)
    typed = typed.loc[~repeat]
    known = {t: table_ids(conn, t) for t in ("actors", "activities")}
    for table, ids in (extra_ids or {}).items():
        known[table] = known[table].append(pd.Index(sorted(ids), dtype="str"))
    if register.table in known:  # the rows may name each other (an actor's point)
        primary = TABLE_KEYS[register.table][0]
        known[register.table] = known[register.table].append(
            pd.Index(typed[primary], dtype="str"))
    references, dangling = _reference_problems(typed, register.table, known, file)
    typed = typed.loc[~dangling]
    early: list[Problem] = []
    if register.table in DATED_EVENTS and len(typed):
        ids = pd.concat([typed[c] for c in DATED_EVENTS[register.table][1] if c in typed])
        early, too_early = before_programme_start(typed, register.table, file,
                                                  _stored_starts(conn, ids.dropna()))
        typed = typed.loc[~too_early]
    return typed, [*problems, *duplicates, *references, *early]


def import_dataset(store: Database, dataset: Dataset, *, partial: bool = False,
                   label: str = "dataset", chunk_rows: int | None = None,
                   limits: ImportLimits | None = None) -> ImportResult:
    """Import an in-memory dataset exactly as if it were its register files.

    Each table is formatted as its register's text cells
    (:func:`~genera_graph.io.registers.format_register_frame`) and goes through the same
    validation, cross-file checks, upsert and import-run bookkeeping as files named
    ``"{label}:{register file}"``.
    """
    sources: list[tuple[_Source, Register]] = []
    tables = dataset.tables()
    for register in REGISTERS:
        frame = tables[register.table]
        if register.kinds is not None:
            frame = frame[frame["kind"].isin(register.kinds)]
        text = format_register_frame(frame.reset_index(drop=True), register)
        text.index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(text))
        digest = hashlib.sha256("\x1f".join(text.columns).encode())
        digest.update(pd.util.hash_pandas_object(text, index=False).to_numpy().tobytes())
        sources.append((_FrameSource(f"{label}:{register.file}", digest.hexdigest(), text,
                                     header=list(text.columns)), register))
    return _run(store, sources, [], partial=partial, progress=False,
                chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS, limits=limits or ImportLimits())


# -- the pipeline ----------------------------------------------------------------------------

def _expand(paths: Iterable[str | os.PathLike] | str | os.PathLike,
            problems: list[Problem]) -> list[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    files: list[Path] = []
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = 0
            for child in sorted(path.iterdir()):
                if (child.suffix.lower() not in SPREADSHEET_SUFFIXES
                        or child.name.startswith((".", "~$")) or not child.is_file()):
                    continue
                try:
                    register_for(child)
                except KeyError:
                    problems.append(Problem(child.name, None, None,
                                            "not a register file: skipped", severity="warning"))
                    continue
                found += 1
                if child.resolve() not in seen:
                    seen.add(child.resolve())
                    files.append(child)
            if not found:
                problems.append(Problem(path.name or str(path), None, None,
                                        "no register files in this folder"))
        elif path.is_file():
            if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
                problems.append(Problem(path.name, None, None,
                                        "not a CSV or XLSX file (.csv, .xlsx)"))
                continue
            try:
                register_for(path)
            except KeyError as exc:
                problems.append(Problem(path.name, None, None, str(exc.args[0]).split(": ", 1)[1]))
                continue
            if path.resolve() not in seen:  # the same file named twice is read once
                seen.add(path.resolve())
                files.append(path)
        else:
            problems.append(Problem(str(path), None, None, "no such file or folder"))
    return files


def _header_problems(source: _Source, register: Register) -> list[Problem]:
    header = source.header
    columns = register.columns
    if not set(header) & set(columns):
        return [Problem(source.name, 1, None,
                        f"no header row: row 1 must name the columns ({', '.join(columns)})")]
    problems = [Problem(source.name, 1, col, "required column missing from the header")
                for col in register.required_columns if col not in header]
    problems += [Problem(source.name, 1, col, "unknown column: ignored", severity="warning")
                 for col in header if col not in columns and not col.startswith("_unnamed_")]
    return problems


class _Keys:
    """Natural keys seen so far in one import, to report repeats (the first occurrence wins).

    Keys are 64-bit hashes (a collision among a million keys has a probability near 3e-8),
    kept sorted for a binary search: O(n log n) per chunk, no Python loop but on repeats.
    """

    def __init__(self, key: tuple[str, ...]):
        self.key = key
        self.sorted = np.empty(0, dtype=np.uint64)
        self.hashes: list[np.ndarray] = []  # in reading order, with rows and files
        self.rows: list[np.ndarray] = []
        self.file_of: list[np.ndarray] = []
        self.files: list[str] = []

    def check(self, typed: pd.DataFrame, file: str) -> tuple[list[Problem], np.ndarray]:
        if not len(typed):
            return [], np.zeros(0, dtype=bool)
        hashes = pd.util.hash_pandas_object(typed[list(self.key)], index=False).to_numpy()
        rows = typed.index.to_numpy(dtype=np.int64)
        repeat = pd.Series(hashes).duplicated(keep="first").to_numpy()
        if self.sorted.size:
            # sorted needles walk the sorted keys in order (a random order misses the cache
            # at every step of a binary search over millions of keys)
            order = np.argsort(hashes, kind="stable")
            needles = hashes[order]
            pos = np.minimum(np.searchsorted(self.sorted, needles), self.sorted.size - 1)
            seen = np.empty(len(hashes), dtype=bool)
            seen[order] = self.sorted[pos] == needles
            repeat = repeat | seen
        if file not in self.files:
            self.files.append(file)
        file_id = self.files.index(file)
        fresh = ~repeat
        self.hashes.append(hashes[fresh])
        self.rows.append(rows[fresh])
        self.file_of.append(np.full(int(fresh.sum()), file_id, dtype=np.int64))
        # two sorted runs: the stable sort (timsort) merges them in linear time
        self.sorted = np.sort(np.concatenate([self.sorted, np.sort(hashes[fresh])]),
                              kind="stable")
        if not repeat.any():
            return [], repeat
        first = pd.DataFrame({"row": np.concatenate(self.rows),
                              "file": np.concatenate(self.file_of)},
                             index=np.concatenate(self.hashes))
        found = first.loc[hashes[repeat]]
        column = self.key[0] if len(self.key) == 1 else None
        label = " + ".join(self.key)
        values = typed.loc[repeat, list(self.key)].astype(object)
        problems = []
        for row, (_, cells), first_row, first_file in zip(
                rows[repeat], values.iterrows(), found["row"], found["file"], strict=True):
            where = f"row {int(first_row)}"
            if self.files[int(first_file)] != file:
                where += f" of {self.files[int(first_file)]}"
            shown = " / ".join(_show(v) for v in cells)
            problems.append(Problem(file, int(row), column,
                                    f"duplicate {label}: already on {where}", shown))
        return problems, repeat


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _reference_problems(typed: pd.DataFrame, table: str, known: Mapping[str, pd.Index],
                        file: str) -> tuple[list[Problem], np.ndarray]:
    bad = np.zeros(len(typed), dtype=bool)
    problems: list[Problem] = []
    for col, target in REFERENCES[table].items():
        if col not in typed:
            continue
        values = typed[col]
        missing = values.notna().to_numpy(dtype=bool) & ~_isin(values, known[target])
        if missing.any():
            rule = (f"unknown {_NOUN[target]} id: not in the store nor among the valid rows of "
                    f"{_FILE_OF[target]}")
            problems.extend(Problem(file, int(r), col, rule, str(v))
                            for r, v in values[missing].items())
            bad |= missing
    return problems, bad


@dataclass
class _Tally:
    read: int = 0
    accepted: int = 0
    new: int = 0
    erased: int = 0
    withdrawn: int = 0
    changed: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    rejected: list[pd.DataFrame] = field(default_factory=list)

    def changes_tuple(self) -> tuple[tuple[str, int], ...]:
        return tuple((c, n) for c, n in self.changes.items() if n)


#: tables whose ``kind`` is part of a record's identity: an import never changes it
_KIND_IS_IDENTITY = ("actors", "activities", "relations")


class _Run:
    """The state of one import while its transaction is open."""

    def __init__(self, upserts: Upserts, partial: bool, progress: bool | ProgressCallback,
                 chunk_rows: int, row_check: RowCheck | None = None,
                 limits: ImportLimits | None = None):
        self.upserts = upserts
        self.row_check = row_check
        self.limits = limits or ImportLimits()
        self.partial = partial
        self.chunk_rows = chunk_rows
        self.problems: list[Problem] = []
        self.failed = False
        self.keys = {table: _Keys(key) for table, key in TABLE_KEYS.items()}
        self.known = {t: table_ids(self.conn, t) for t in ("actors", "activities")}
        self.erased = ErasedIds.from_conn(self.conn)
        self.withdrawn = WithdrawnKeys.from_conn(self.conn)
        #: people and households accepted by this import: actor_id -> first_met, kind, where
        self.met_here: list[pd.DataFrame] = []
        self._starts: pd.DataFrame | None = None
        #: tables that held rows before this import (only their rows can be updates)
        self.had_rows = {t for t in TABLE_KEYS if count_rows(self.conn, t)}
        self.callback = progress if callable(progress) else None
        self.bar = None
        if progress is True:
            from tqdm import tqdm

            self.bar = tqdm(unit=" rows", unit_scale=True, desc="import", leave=True)

    @property
    def conn(self) -> sa.Connection:
        """The transaction's connection, once the pending upsert is written."""
        return self.upserts.conn

    def add_problems(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)
        if any(p.severity == "error" for p in problems):
            self.failed = True

    def may_write(self) -> bool:
        return self.partial or not self.failed

    def advance(self, name: str, rows: int, done: int) -> None:
        if self.bar is not None:
            self.bar.set_description(name)
            self.bar.update(rows)
        if self.callback is not None:
            self.callback(name, done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def identity_problems(self, typed: pd.DataFrame, register: Register, file: str
                          ) -> tuple[list[Problem], np.ndarray]:
        """Rows whose id is a stored record of another kind (or another register's).

        An id is owned by one register and names one kind of record: a membership may not
        take a lease's id, an individual may not become a household. Such a row is a problem
        naming both records, never an overwrite.
        """
        table = register.table
        primary = TABLE_KEYS[table][0]
        if not len(typed):
            return [], np.zeros(0, dtype=bool)
        stored = stored_rows(self.conn, table, typed[[primary]], ["kind"])
        if not len(stored):
            return [], np.zeros(len(typed), dtype=bool)
        kinds = stored.set_index(primary)["kind"]
        old = typed[primary].map(kinds)
        other = (old.notna() & (old != typed["kind"])).to_numpy(dtype=bool)
        owner = {k: r.file for r in REGISTERS if r.table == table and r.kinds
                 for k in r.kinds}
        problems = []
        for row, ident, kind in zip(typed.index[other], typed.loc[other, primary],
                                    old[other], strict=True):
            where = owner.get(kind, _FILE_OF.get(table, register.file))
            problems.append(Problem(
                file, int(row), primary,
                f"{primary} {ident} is already the {kind} {ident} of {where} in the store: an "
                f"id names one record (give this {typed.at[row, 'kind']} another id, or "
                f"correct the {kind} in {where})", str(ident)))
        return problems, other

    def programme_starts(self) -> pd.DataFrame:
        """``first_met`` of every person and household (the store's, then this import's,
        which win), with where its row is; read from the store once, at the first events."""
        if self._starts is None:
            stored = _stored_starts(self.conn)
            here = pd.concat(self.met_here) if self.met_here else stored.iloc[:0]
            starts = pd.concat([stored[~stored.index.isin(here.index)], here])
            self._starts = starts[~starts.index.duplicated(keep="last")]
        return self._starts

    def remember_starts(self, accepted: pd.DataFrame, file: str) -> None:
        """Keep the programme start of the people and households ``accepted`` from ``file``."""
        if "first_met" not in accepted or "kind" not in accepted:
            return
        people = accepted[accepted["kind"].isin(PROGRAMME_START_KINDS)]
        if len(people):
            self.met_here.append(pd.DataFrame(
                {"first_met": people["first_met"].to_numpy(),
                 "kind": people["kind"].to_numpy(),
                 "where": [f"{file}, row {r}" for r in people.index]},
                index=pd.Index(people["actor_id"].to_numpy(), dtype="str", name="actor_id")))
            self._starts = None

    def count_changes(self, table: str, typed: pd.DataFrame, header: list[str],
                      tally: _Tally) -> None:
        """Count the rows of ``typed`` that change a stored record, and per column."""
        if table not in self.had_rows or not len(typed):
            return
        key = list(TABLE_KEYS[table])
        columns = [c for c in header if c in typed.columns and c not in key]
        if not columns:
            return
        stored = stored_rows(self.conn, table, typed[key], columns)
        if not len(stored):
            return
        for col in stored.columns:
            if col in typed and pd.api.types.is_datetime64_any_dtype(typed[col].dtype):
                stored[col] = pd.to_datetime(stored[col]).astype("datetime64[ns]")
        both = typed[key + columns].merge(stored, on=key, suffixes=("", "_stored"))
        differs = np.zeros(len(both), dtype=bool)
        for col in columns:
            new, old = both[col].astype(object), both[f"{col}_stored"].astype(object)
            same = (new.isna() & old.isna()) | (new == old)
            changed = ~same.to_numpy(dtype=bool)
            tally.changes[col] = tally.changes.get(col, 0) + int(changed.sum())
            differs |= changed
        tally.changed += int(differs.sum())

    def typed_chunks(self, source: _Source, register: Register, tally: _Tally
                     ) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, dict[int, list[str]]]]:
        """Yield (raw chunk, valid typed rows, row -> problem texts) for a source."""
        for raw, read_problems in source.chunks(self.chunk_rows):
            formulas = {(p.row, p.column) for p in read_problems}
            typed, problems = parse_register_frame(raw, register, file=source.name,
                                                   first_row=None, check_unique=False,
                                                   limits=self.limits)
            lost = sorted({p.row for p in read_problems if p.row is not None} - set(raw.index))
            if lost:  # lines the CSV parser could not split (too many cells): rows read too
                filler = pd.DataFrame("", index=pd.Index(lost, dtype=np.int64),
                                      columns=raw.columns, dtype="str")
                raw = pd.concat([raw, filler]).sort_index()
            tally.read += len(raw)
            problems = read_problems + [p for p in problems if (p.row, p.column) not in formulas]
            if not self.erased.empty:
                raw, typed, problems = self._skip_erased(raw, typed, problems, register,
                                                         source.name, tally)
            if not self.withdrawn.empty and len(typed):
                raw, typed, problems = self._skip_withdrawn(raw, typed, problems, register,
                                                            source.name, tally)
            bad = {p.row for p in problems if p.severity == "error" and p.row is not None}
            if bad:
                typed = typed.drop(index=list(bad & set(typed.index)))
            dup_problems, repeat = self.keys[register.table].check(typed, source.name)
            typed = typed.loc[~repeat]
            problems += dup_problems
            if register.table in _KIND_IS_IDENTITY and register.table in self.had_rows:
                kind_problems, other = self.identity_problems(typed, register, source.name)
                typed = typed.loc[~other]
                problems += kind_problems
            if self.row_check is not None and len(typed):
                checked, refused = self.row_check(self.conn, register.table, typed,
                                                  source.name)
                typed = typed.loc[~refused]
                problems += checked
            self.add_problems(problems)
            yield raw, typed, _by_row(problems)

    def _skip_erased(self, raw: pd.DataFrame, typed: pd.DataFrame, problems: list[Problem],
                     register: Register, file: str, tally: _Tally
                     ) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
        """Leave out the rows about an erased person (:mod:`genera_graph.io.erasure`): not
        written, not quarantined, their other problems dropped (they could show a name);
        one warning per row names the file, row and column, never the person. A reference
        to an erased actor in a row about someone else is left empty, with a warning."""
        table = register.table
        skip = np.zeros(len(raw), dtype=bool)
        where: dict[int, str] = {}
        for col, hit in self.erased.rows_about(
                table, raw.apply(lambda c: c.str.strip()) if len(raw) else raw).items():
            for r in raw.index[hit & ~skip]:
                where[int(r)] = col
            skip |= hit
        for col, hit in self.erased.rows_about(table, typed).items():
            for r in typed.index[hit]:
                where.setdefault(int(r), col)
        if where:
            gone = set(where)
            raw = raw.drop(index=[r for r in raw.index if int(r) in gone])
            typed = typed.drop(index=[r for r in typed.index if int(r) in gone])
            problems = [p for p in problems if p.row not in gone]
            problems += [Problem(file, r, col, "erased", "", severity="warning")
                         for r, col in sorted(where.items())]
            tally.erased += len(gone)
        for col, hit in self.erased.references(table, typed).items():
            typed = typed.copy()
            typed.loc[hit, col] = None
            problems += [Problem(file, int(r), col, "erased", "", severity="warning")
                         for r in typed.index[hit]]
        return raw, typed, problems

    def _skip_withdrawn(self, raw: pd.DataFrame, typed: pd.DataFrame, problems: list[Problem],
                        register: Register, file: str, tally: _Tally
                        ) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
        """Leave out the rows of records withdrawn in the explorer: not written, not
        quarantined; one warning per row names the file, row and key column."""
        hit = self.withdrawn.mask(register.table, typed)
        if not hit.any():
            return raw, typed, problems
        gone = {int(r) for r in typed.index[hit]}
        column = register.key[0]
        problems = [p for p in problems if p.row not in gone]
        problems += [Problem(file, r, column, WITHDRAWN_RULE, str(typed.at[r, column]),
                             severity="warning") for r in sorted(gone)]
        tally.withdrawn += len(gone)
        return (raw.drop(index=[r for r in raw.index if int(r) in gone]),
                typed.drop(index=[r for r in typed.index if int(r) in gone]), problems)

    def reject(self, raw: pd.DataFrame, accepted: pd.Index, why: dict[int, list[str]],
               tally: _Tally) -> None:
        rejected = raw.loc[~raw.index.isin(accepted)]
        if len(rejected):
            rejected = rejected.copy()
            rejected.insert(0, "problems", ["; ".join(why.get(int(r), ["not imported"]))
                                            for r in rejected.index])
            tally.rejected.append(rejected)

    def import_streaming(self, source: _Source, register: Register, tally: _Tally) -> None:
        table = register.table
        before = count_rows(self.conn, table)
        for raw, typed, why in self.typed_chunks(source, register, tally):
            problems, bad = _reference_problems(typed, table, self.known, source.name)
            typed = typed.loc[~bad]
            if table in DATED_EVENTS and len(typed):
                early, too_early = before_programme_start(typed, table, source.name,
                                                          self.programme_starts())
                problems += early
                typed = typed.loc[~too_early]
            self.add_problems(problems)
            for p in problems:
                why.setdefault(p.row, []).append(_problem_text(p))
            if table in self.known:  # activities: later registers refer to them
                primary = TABLE_KEYS[table][0]
                self.known[table] = self.known[table].append(
                    pd.Index(typed[primary], dtype="str"))
            if self.may_write():
                self.count_changes(table, typed, source.header, tally)
                self.upserts.upsert(table, typed, columns=source.header)
            tally.accepted += len(typed)
            self.reject(raw, typed.index, why, tally)
            self.advance(source.name, len(raw), tally.read)
        tally.new = count_rows(self.conn, table) - before

    def import_together(self, group: list[tuple[_Source, Register]],
                        tallies: list[_Tally]) -> None:
        """Sources of a self-referencing register (actors): check references together."""
        parts: list[tuple[int, pd.DataFrame, pd.DataFrame, dict[int, list[str]]]] = []
        for i, ((source, register), tally) in enumerate(zip(group, tallies, strict=True)):
            for raw, typed, why in self.typed_chunks(source, register, tally):
                parts.append((i, raw, typed, why))
                self.advance(source.name, len(raw), tally.read)
        table = group[0][1].table
        store_ids = self.known[table]
        typed_all = [p[2] for p in parts]
        alive = [np.ones(len(t), dtype=bool) for t in typed_all]
        primary = TABLE_KEYS[table][0]
        while True:
            ids = store_ids.append(pd.Index(np.concatenate(
                [t[primary].to_numpy(dtype=object)[a] for t, a in zip(typed_all, alive,
                                                                      strict=True)]
                or [np.empty(0, dtype=object)]), dtype="str")).unique()
            known = {**self.known, table: ids}
            changed = False
            for k, (i, _raw, typed, why) in enumerate(parts):
                current = typed.loc[alive[k]]
                problems, bad = _reference_problems(current, table, known, group[i][0].name)
                if bad.any():
                    changed = True
                    self.add_problems(problems)
                    for p in problems:
                        why.setdefault(p.row, []).append(_problem_text(p))
                    alive[k][np.flatnonzero(alive[k])[bad]] = False
            if not changed:
                break
        self.known[table] = ids
        for k, (i, raw, typed, why) in enumerate(parts):
            accepted = typed.loc[alive[k]]
            if self.may_write():
                count = count_rows(self.conn, table)
                self.count_changes(table, accepted, group[i][0].header, tallies[i])
                self.upserts.upsert(table, accepted, columns=group[i][0].header)
                tallies[i].new += count_rows(self.conn, table) - count
            tallies[i].accepted += len(accepted)
            if table == "actors":
                self.remember_starts(accepted, group[i][0].name)
            self.reject(raw, accepted.index, why, tallies[i])


def _stored_starts(conn: sa.Connection, ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The stored ``first_met`` of people and households (of ``ids``, or all), indexed by
    actor_id, with ``kind`` and ``where`` ("in the store")."""
    actors = METADATA.tables["actors"]
    query = sa.select(actors.c.actor_id, actors.c.first_met, actors.c.kind).where(
        actors.c.kind.in_(PROGRAMME_START_KINDS))
    rows: list = []
    if ids is None:
        rows = conn.execute(query).all()
    else:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), 5_000):
            rows += conn.execute(query.where(
                actors.c.actor_id.in_(wanted[start:start + 5_000]))).all()
    frame = pd.DataFrame(rows, columns=["actor_id", "first_met", "kind"])
    return pd.DataFrame(
        {"first_met": pd.to_datetime(frame["first_met"]).astype("datetime64[ns]").to_numpy(),
         "kind": frame["kind"].to_numpy(dtype=object), "where": "in the store"},
        index=pd.Index(frame["actor_id"], dtype="str", name="actor_id"))


def before_programme_start(typed: pd.DataFrame, table: str, file: str,
                           starts: pd.DataFrame) -> tuple[list[Problem], np.ndarray]:
    """The rows of ``typed`` (a :data:`DATED_EVENTS` table) dated before the programme met
    one of their people or households.

    Parameters
    ----------
    typed : DataFrame
        Typed rows of ``table``, indexed by their spreadsheet row.
    table : str
    file : str
        The name the problems carry.
    starts : DataFrame
        ``first_met``, ``kind`` and ``where`` (the actor's row, as a user finds it) of the
        people and households, indexed by actor_id.

    Returns
    -------
    problems : list of Problem
        One per row and actor, naming both rows.
    bad : ndarray of bool
        The rows of ``typed`` that are not imported.

    Examples
    --------
    >>> starts = pd.DataFrame({"first_met": pd.to_datetime(["2016-05-18"]),
    ...                        "kind": ["household"], "where": ["households.csv, row 2"]},
    ...                       index=pd.Index(["H1"], name="actor_id"))
    >>> rows = pd.DataFrame({"actor_id": ["H1", "H1"], "activity_id": ["A1", "A1"],
    ...                      "date": pd.to_datetime(["2016-05-17", "2016-05-18"])},
    ...                     index=[2, 3])
    >>> problems, bad = before_programme_start(rows, "participations", "attendance.csv", starts)
    >>> bad.tolist(), str(problems[0])  # doctest: +NORMALIZE_WHITESPACE
    ([True, False], "attendance.csv, row 2, column 'date': dated before the programme met
    household H1 (first_met 18/05/2016: households.csv, row 2) (value: '17/05/2016')")
    """
    date_col, actor_cols = DATED_EVENTS[table]
    bad = np.zeros(len(typed), dtype=bool)
    problems: list[Problem] = []
    if not len(typed) or not len(starts) or date_col not in typed:
        return problems, bad
    dates = pd.to_datetime(typed[date_col])
    if table == "relations" and "kind" in typed:
        dates = dates.where(~typed["kind"].isin(RELATIONS_BEFORE_START))  # NaT: never early
    for col in actor_cols:
        if col not in typed:
            continue
        at = _positions(typed[col], starts.index)
        days = starts["first_met"].to_numpy(dtype="datetime64[ns]")
        met = pd.Series(np.append(days, np.datetime64("NaT", "ns"))[at], index=typed.index)
        early = (dates < met).to_numpy(dtype=bool)  # an unknown start (NaT) is never early
        for row, ident, day in zip(typed.index[early], typed[col][early], dates[early],
                                   strict=True):
            start = starts.loc[ident]
            problems.append(Problem(
                file, int(row), date_col,
                f"dated before the programme met {start['kind']} {ident} (first_met "
                f"{_show(pd.Timestamp(start['first_met']))}: {start['where']})",
                _show(day)))
        bad |= early
    return problems, bad


def _isin(values: pd.Series, known: pd.Index) -> np.ndarray:
    """``values.isin(known)`` for text, through Arrow (pandas' own is slow on big sets)."""
    import pyarrow.compute as pc

    if not len(values):
        return np.zeros(0, dtype=bool)
    return pc.is_in(_arrow_text(values), value_set=_value_set(known)).to_numpy(
        zero_copy_only=False)


def _positions(values: pd.Series, known: pd.Index) -> np.ndarray:
    """The position of each text value in ``known`` (unique), -1 where it is not there (or
    missing): ``known.get_indexer(values)``, through Arrow."""
    import pyarrow.compute as pc

    if not len(values):
        return np.zeros(0, dtype=np.int64)
    found = pc.index_in(_arrow_text(values), value_set=_value_set(known))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _arrow_text(values: pd.Series):  # noqa: ANN202 - a pyarrow array
    import pyarrow as pa

    if values.dtype == object:
        return pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    return pa.array(values.array).cast(pa.large_string())


#: id of an Index -> (a weak reference to it, its values as an Arrow array): the ids an
#: import checks against are the same Index for every chunk of a register; an entry goes
#: with its Index
_VALUE_SETS: dict[int, tuple[weakref.ref, object]] = {}


def _value_set(known: pd.Index):  # noqa: ANN202 - a pyarrow array
    import pyarrow as pa

    key = id(known)
    hit = _VALUE_SETS.get(key)
    if hit is not None and hit[0]() is known:
        return hit[1]
    array = pa.array(np.asarray(known, dtype=object), type=pa.large_string())
    _VALUE_SETS[key] = (weakref.ref(known, lambda _gone, k=key: _VALUE_SETS.pop(k, None)),
                        array)
    return array


def _by_row(problems: list[Problem]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for p in problems:
        if p.row is not None and p.severity == "error":
            out.setdefault(p.row, []).append(_problem_text(p))
    return out


def _problem_text(p: Problem) -> str:
    return f"{p.column}: {p.rule}" if p.column else p.rule


def _latest_hashes(conn: sa.Connection) -> dict[str, set[str]]:
    """Register file -> content hashes read by the last import batch that touched it."""
    rows = conn.exec_driver_sql(
        "SELECT register, batch_id, content_hash, run_id FROM import_runs").fetchall()
    if not rows:
        return {}
    runs = pd.DataFrame(rows, columns=["register", "batch_id", "content_hash", "run_id"])
    last = runs.loc[runs.groupby("register")["run_id"].idxmax(), ["register", "batch_id"]]
    latest = runs.merge(last, on=["register", "batch_id"])
    return latest.groupby("register")["content_hash"].agg(set).to_dict()


def _run(store: Database, sources: list[tuple[_Source, Register]], problems: list[Problem], *,
         partial: bool, progress: bool | ProgressCallback, chunk_rows: int,
         dry_run: bool = False, row_check: RowCheck | None = None,
         limits: ImportLimits | None = None) -> ImportResult:
    order = {r.file: i for i, r in enumerate(REGISTERS)}
    sources = sorted(sources, key=lambda s: order[s[1].file])
    outcomes: dict[int, FileOutcome] = {}
    tallies = [_Tally() for _ in sources]
    rejected: dict[str, pd.DataFrame] = {}
    batch = uuid.uuid4().hex
    committed = False
    run: _Run | None = None
    try:
        with store.bulk_write() as upserts:
            run = _Run(upserts, partial, progress, chunk_rows, row_check, limits)
            run.add_problems(problems)
            latest = _latest_hashes(run.conn)
            todo: list[int] = []
            for i, (source, register) in enumerate(sources):
                if source.sha256 in latest.get(register.file, set()):
                    outcomes[i] = FileOutcome(source.name, register.file, "unchanged", 0, 0, 0,
                                              0, source.sha256)
                    continue
                file_problems = list(source.problems)
                if not any(p.severity == "error" for p in file_problems):
                    file_problems += _header_problems(source, register)
                run.add_problems(file_problems)
                if any(p.severity == "error" for p in file_problems):
                    outcomes[i] = FileOutcome(source.name, register.file, "rejected", 0, 0, 0,
                                              0, source.sha256)
                    continue
                todo.append(i)
            for register in REGISTERS:
                group = [i for i in todo if sources[i][1] is register]
                if not group:
                    continue
                if register.table in REFERENCES[register.table].values():
                    run.import_together([sources[i] for i in group], [tallies[i] for i in group])
                else:
                    for i in group:
                        run.import_streaming(*sources[i], tallies[i])
            if run.failed and not partial:
                raise _Abort
            for i in todo:
                source, register = sources[i]
                tally = tallies[i]
                quarantined = tally.read - tally.accepted - tally.erased - tally.withdrawn
                run_id = _record_run(run.conn, batch, source, register, tally, quarantined)
                if tally.rejected:
                    _record_quarantine(run.conn, run_id, source.name, tally.rejected)
                outcomes[i] = FileOutcome(source.name, register.file,
                                          "partial" if quarantined else "imported", tally.read,
                                          tally.accepted, quarantined, tally.new, source.sha256,
                                          None if dry_run else run_id, tally.erased,
                                          tally.changed, tally.changes_tuple(),
                                          tally.withdrawn)
            if dry_run:
                raise _DryRun
        committed = True
    except _DryRun:
        pass
    except _Abort:
        for i in todo:
            source, register = sources[i]
            tally = tallies[i]
            outcomes[i] = FileOutcome(source.name, register.file, "rejected", tally.read, 0,
                                      tally.read - tally.accepted - tally.erased
                                      - tally.withdrawn, 0, source.sha256, None, tally.erased,
                                      rows_withdrawn=tally.withdrawn)
    finally:
        if run is not None:
            run.close()
    for i, (source, _register) in enumerate(sources):
        if tallies[i].rejected:
            rejected[source.name] = pd.concat(tallies[i].rejected)
    all_problems = run.problems if run is not None else problems
    files = tuple(outcomes[i] for i in sorted(outcomes))
    for f in files:
        _log.info("import %s: %s, %d rows read, %d accepted, %d not imported", f.file,
                  f.status, f.rows_read, f.rows_accepted, f.rows_quarantined)
    return ImportResult(files=files, problems=tuple(_sorted(all_problems)), committed=committed,
                        partial=partial, rejected_rows=rejected)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.row if p.row is not None else 0,
                                           p.column or ""))


def _record_run(conn: sa.Connection, batch: str, source: _Source, register: Register,
                tally: _Tally, quarantined: int) -> int:
    table = METADATA.tables["import_runs"]
    result = conn.execute(sa.insert(table).values(
        batch_id=batch, file_name=source.name, register=register.file,
        content_hash=source.sha256, imported_at=datetime.now(UTC).replace(tzinfo=None),
        rows_read=tally.read, rows_accepted=tally.accepted, rows_quarantined=quarantined,
        rows_new=tally.new, status="partial" if quarantined else "imported",
    ))
    return int(result.inserted_primary_key[0])


def _record_quarantine(conn: sa.Connection, run_id: int, name: str,
                       frames: list[pd.DataFrame]) -> None:
    table = METADATA.tables["quarantine"]
    rows = []
    for frame in frames:
        cells = frame.drop(columns="problems")
        for (row, values), problems in zip(cells.iterrows(), frame["problems"], strict=True):
            rows.append({"run_id": run_id, "file_name": name, "row_number": int(row),
                         "problems": problems,
                         "cells": json.dumps({k: (None if pd.isna(v) else str(v))
                                              for k, v in values.items()},
                                             ensure_ascii=False)})
    if rows:
        conn.execute(sa.insert(table), rows)
