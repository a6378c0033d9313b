"""Single records written from the explorer: contacts, attendance, people, relations, follow-ups.

Every write goes through the same validation as ``genera import``
(:func:`genera_graph.io.importer.validate_rows`: the registers' pandera schemas, natural keys and
the cross-table reference checks against the store), in one transaction, with its author (a user
id) and its time. An invalid entry writes nothing and returns its problems, each naming the
column (the form field) it is about.

Corrections and withdrawals keep the old version: table ``record_history`` holds one row per
version of every record written here (who, when, the action, the whole row as register text
cells and, for a correction, what changed). The data tables hold the current version only, so
the analytics use it; a withdrawn record leaves its data table and stays in the history.

Follow-ups of flagged families (table ``followups``) are coded: an action
(:data:`FOLLOWUP_ACTIONS`), a date and an outcome (:data:`FOLLOWUP_OUTCOMES`); no free text.

Who may write (the :class:`Author`): a coordinator, anything; a facilitator, the records of
their Community Point(s) only: every household or person a record names must be one of their
point's (or be created in the same write for it), and a record's Community Point must be
theirs; researchers and admins write nothing.

Examples
--------
>>> import tempfile, pathlib
>>> from genera_graph.io.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> boss = Author("u-coord", "coordinator")
>>> result = save_records(store, boss, [
...     ("actors", {"actor_id": "CP01", "kind": "community_point", "name": "Punto Nord",
...                 "first_met": "18/05/2016"}),
...     ("actors", {"actor_id": "H01", "kind": "household", "name": "Famiglia Rossi",
...                 "community_point_id": "CP01", "first_met": "01/06/2016"}),
...     ("actors", {"actor_id": "H02", "kind": "household", "name": "Famiglia Bianchi",
...                 "community_point_id": "CP01", "first_met": "31/02/2016"})])
>>> result.ok, [(p.column, p.rule) for p in result.problems]
(False, [('first_met', 'not a valid date dd/mm/yyyy')])
>>> len(store.load().actors)  # nothing written
0
>>> save_records(store, boss, result.rows[:2]).ok
True
>>> contact = save_record(store, Author("u-f1", "facilitator", ("CP01",)), "interactions",
...     {"date": "03/04/2017", "source_actor_id": "H01", "target_actor_id": "CP01",
...      "kind": "support", "nature": "professional", "programme": "housing"})
>>> contact.ok, contact.keys[0]["interaction_id"].startswith("X-")
(True, True)
>>> fixed = correct_record(store, Author("u-f1", "facilitator", ("CP01",)), "interactions",
...     {**contact.rows[0][1], "date": "04/04/2017"})
>>> fixed.ok, record_history(store)["action"].tolist()[-2:]
(True, ['created', 'corrected'])
>>> store.close()
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from genera_graph.io.registers import (
    DATE_FORMAT,
    FIRST_DATA_ROW,
    REGISTERS,
    Problem,
    Register,
    format_register_frame,
)
from genera_graph.io.schema import METADATA, REFERENCES, TABLE_KEYS, data_version
from genera_graph.io.store import Store
from genera_graph.io.withdrawals import forget_withdrawal, remember_withdrawal

__all__ = [
    "ACTOR_COLUMNS",
    "FOLLOWUP_ACTIONS",
    "FOLLOWUP_OUTCOMES",
    "Author",
    "RecordResult",
    "change_problems",
    "correct_record",
    "current_record",
    "explorer_records",
    "followups",
    "key_columns",
    "new_id",
    "record_followup",
    "record_history",
    "record_versions",
    "register_of",
    "save_record",
    "save_records",
    "scope_check",
    "personal_scope",
    "withdraw_record",
]

#: what a facilitator did for a flagged family
FOLLOWUP_ACTIONS: tuple[str, ...] = (
    "contacted", "home_visit", "referred_to_service", "introduced", "nothing_needed")
#: the short coded outcome of a follow-up
FOLLOWUP_OUTCOMES: tuple[str, ...] = (
    "reached", "not_reached", "declined", "engaged", "to_recontact", "resolved")

#: roles that may write, and the roles whose writes are limited to their points
_WRITING_ROLES = ("coordinator", "facilitator")
_PERSONAL = ("household", "individual")
#: actor kinds only a coordinator creates (the programme's own professional actors)
_STAFF_KINDS = ("community_point", "facilitator")
#: the columns of each table that name an actor (personal actors there are scope-checked)
_ACTOR_COLUMNS = {
    "actors": ("actor_id",),
    "household_members": ("household_id", "individual_id"),
    "activities": ("partner_id",),
    "participations": ("actor_id",),
    "interactions": ("source_actor_id", "target_actor_id"),
    "relations": ("actor_id", "partner_id"),
    "followups": ("household_id",),
}
#: the columns of each table that name an actor (public name)
ACTOR_COLUMNS: Mapping[str, tuple[str, ...]] = _ACTOR_COLUMNS
#: id prefixes of generated ids
_PREFIX = {"interactions": "X-", "relations": "R-", "activities": "ACT-", "followups": "FU-",
           "household": "H-", "individual": "I-", "actors": "A-"}
#: the file name problems of a record carry (a form, not a spreadsheet)
FORM_FILE = "form"


@dataclass(frozen=True)
class Author:
    """Who writes: a user id, a role and the Community Points a facilitator works for.

    Examples
    --------
    >>> Author.of(type("V", (), {"user_id": "u1", "role": "facilitator",
    ...                          "community_point_id": "CP02"})())
    Author(user_id='u1', role='facilitator', community_points=('CP02',))
    """

    user_id: str
    role: str = "coordinator"
    community_points: tuple[str, ...] = ()

    @classmethod
    def of(cls, viewer: Any) -> Author:
        """The author of a viewer-like object (``user_id``, ``role`` and
        ``community_points`` or ``community_point_id``)."""
        if isinstance(viewer, Author):
            return viewer
        points = getattr(viewer, "community_points", None)
        if points is None:
            one = getattr(viewer, "community_point_id", None)
            points = (one,) if one else ()
        user = getattr(viewer, "user_id", None)
        if not user:
            raise ValueError("a write needs the user id of its author")
        return cls(str(user), str(getattr(viewer, "role", "coordinator")), tuple(points))

    @property
    def limited(self) -> bool:
        """Whether writes are limited to the author's Community Points."""
        return self.role != "coordinator"


@dataclass(frozen=True)
class RecordResult:
    """The outcome of one write (one transaction).

    Attributes
    ----------
    ok : bool
        Whether it was committed (``False``: nothing was written).
    problems : tuple of Problem
        Every problem, each with the row (1-based position in the write, +1 as in a
        spreadsheet) and the column it is about.
    rows : list of (table, cells)
        The rows as validated: register text cells, generated ids filled in.
    keys : list of dict
        The natural key of each row.
    previous : list of dict or None
        For a committed write, the version each row replaced or withdrew (register text
        cells), ``None`` for a row created; empty when nothing was written.
    data_versions : (int, int) or None
        The store's data version just before and just after a committed write (read under
        the write's lock): a reader that had the first has, with this write, the second.
    """

    ok: bool
    problems: tuple[Problem, ...] = ()
    rows: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    keys: list[dict[str, str]] = field(default_factory=list)
    previous: list[dict[str, str] | None] = field(default_factory=list)
    data_versions: tuple[int, int] | None = None

    def by_column(self) -> dict[str, list[str]]:
        """Column -> the rules it broke (whole-record problems under ``""``)."""
        out: dict[str, list[str]] = {}
        for p in self.problems:
            out.setdefault(p.column or "", []).append(p.rule)
        return out


def register_of(table: str, kind: str | None = None) -> Register:
    """The register that keeps rows of ``table`` (for relations: of that ``kind``).

    >>> register_of("relations", "membership").file
    'memberships.csv'
    >>> register_of("interactions").file
    'contacts.csv'
    """
    for reg in REGISTERS:
        if reg.table == table and (reg.kinds is None or kind in reg.kinds):
            return reg
    if table == "relations":
        return next(r for r in REGISTERS if r.table == table)
    raise KeyError(f"no register keeps table {table!r}")


def new_id(table: str, kind: str | None = None) -> str:
    """A fresh id for a record made in the explorer (``X-…`` contacts, ``H-…`` households …).

    >>> new_id("interactions").startswith("X-"), len(new_id("interactions"))
    (True, 14)
    """
    return _PREFIX.get(kind or "", _PREFIX.get(table, "A-")) + uuid.uuid4().hex[:12]


# -- the public writes --------------------------------------------------------------------------

def save_record(store: Store, author: Any, table: str, cells: Mapping[str, Any]
                ) -> RecordResult:
    """Create one record (see :func:`save_records`)."""
    return save_records(store, author, [(table, cells)])


def save_records(store: Store, author: Any, rows: Sequence[tuple[str, Mapping[str, Any]]]
                 ) -> RecordResult:
    """Create records of one or more tables in one transaction, or none of them.

    Parameters
    ----------
    store : Store
    author : Author or viewer-like
        Who writes (see :class:`Author`).
    rows : sequence of (table, cells)
        ``cells`` maps a register's columns to text as a spreadsheet holds it (dates
        ``dd/mm/yyyy``), or to ``date``/numbers (formatted as the register writes them).
        A missing id column gets a fresh id (:func:`new_id`); a missing
        ``community_point_id`` of a tie gets the author's point when they have one; a missing
        ``source`` is ``facilitator_record`` (``attendance_sheet`` for attendance).

    Returns
    -------
    RecordResult
        ``ok`` with the rows as written, or the problems and nothing written. A key that is
        already in the store is a problem (use :func:`correct_record`).

    Notes
    -----
    The rows are validated by :func:`genera_graph.io.importer.validate_rows`, as register
    files are (schemas, duplicate keys, references to actors and activities in the store or
    among these rows), then checked for the author's scope; one ``BEGIN IMMEDIATE``
    transaction (SQLite) or advisory-locked transaction (PostgreSQL), so two users saving at
    the same moment both land, one after the other.
    """
    return _write(store, Author.of(author), [(t, _cells(t, c)) for t, c in rows], "created")


def correct_record(store: Store, author: Any, table: str, cells: Mapping[str, Any], *,
                   key: Mapping[str, Any] | None = None) -> RecordResult:
    """Replace the current version of a record.

    The record is found by ``key`` (its natural key's cells), or by the key in ``cells``.
    The author of the record (the user who created it here) or a coordinator may correct it;
    the old version stays in ``record_history`` with what changed. Relations are ended this
    way: the same cells with an ``end_date``.

    A correction may change a column of a natural key that is data, not an id: an
    attendance's activity, person or day, a membership's family, person or start. The record
    then moves to its new key in the same transaction: the old key is withdrawn (its last
    version ``withdrawn``, with the changes, and it is remembered by the withdrawal ledger,
    so an old register cannot bring it back) and the new key's first version is
    ``corrected`` with the same changes; :func:`record_versions` follows the move. A new key
    that is already recorded is a problem. An id (``interaction_id``, ``actor_id`` …) never
    changes: a ``key`` naming another id raises :class:`ValueError`.

    >>> import tempfile, pathlib
    >>> from genera_graph.io.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
    >>> boss = Author("u-coord")
    >>> save_records(store, boss, [("actors", {"actor_id": "A1", "kind": "association",
    ...     "name": "Ponte", "first_met": "01/02/2016"}), ("activities", {"activity_id": "L1",
    ...     "kind": "proximity_lab", "programme": "community", "title": "Lab",
    ...     "start_date": "01/06/2016"})]).ok
    True
    >>> seen = {"activity_id": "L1", "actor_id": "A1", "date": "10/06/2016",
    ...         "role": "partner", "source": "attendance_sheet"}
    >>> save_record(store, boss, "participations", seen).ok
    True
    >>> moved = correct_record(store, boss, "participations", {**seen, "date": "11/06/2016"},
    ...                        key={"activity_id": "L1", "actor_id": "A1", "date": "10/06/2016"})
    >>> moved.ok, store.load().participations["date"].dt.day.tolist()
    (True, [11])
    >>> record_versions(store, "participations", moved.keys[0])["action"].tolist()
    ['created', 'corrected']
    >>> store.close()
    """
    text = _cells(table, cells, fill=False)
    if key is None:
        return _write(store, Author.of(author), [(table, text)], "corrected")
    source = {c: _text(key.get(c)) for c in _key_columns(table)}
    target = {c: text[c] for c in _key_columns(table)}
    if source != target and len(source) == 1:
        raise ValueError(f"the id of a record never changes ({table}: {_show_key(source)} "
                         f"-> {_show_key(target)})")
    return _write(store, Author.of(author), [(table, text)], "corrected", [source])


def withdraw_record(store: Store, author: Any, table: str, key: Mapping[str, Any]
                    ) -> RecordResult:
    """Withdraw a record: it leaves its data table (the analytics no longer see it) and its
    last version stays in ``record_history`` as ``withdrawn``. An actor or activity that
    other records name cannot be withdrawn before them."""
    return _write(store, Author.of(author), [(table, _cells(table, key, fill=False))],
                  "withdrawn")


def record_followup(store: Store, author: Any, household_id: str, day: Any, action: str,
                    outcome: str) -> RecordResult:
    """Record what was done for a flagged family (a coded action and outcome, a date).

    >>> import tempfile, pathlib
    >>> from genera_graph.io.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
    >>> r = record_followup(store, Author("u1"), "H01", "01/12/2026", "phoned", "reached")
    >>> sorted(p.column for p in r.problems)
    ['action', 'household_id']
    >>> store.close()
    """
    cells = {"household_id": household_id, "date": day, "action": action, "outcome": outcome}
    return _write(store, Author.of(author), [("followups", _cells("followups", cells))],
                  "created")


# -- reading -------------------------------------------------------------------------------------

def record_history(store: Store, table: str | None = None) -> pd.DataFrame:
    """Every version of every record written here, oldest first.

    Columns ``version_id``, ``table_name``, ``record_key`` (JSON list of the key cells),
    ``version``, ``action`` (``created``, ``corrected``, ``withdrawn``), ``author``, ``at``
    (UTC), ``cells`` (JSON object of the version's register cells) and ``changes`` (JSON
    object column -> [old, new] for a correction).
    """
    history = _tables()["record_history"]
    query = sa.select(history).order_by(history.c.version_id)
    if table is not None:
        query = query.where(history.c.table_name == table)
    with store.read_transaction() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=list(history.c.keys()))
    frame["at"] = pd.to_datetime(frame["at"])
    return frame


def current_record(store: Store, table: str, key: Mapping[str, Any]) -> dict[str, str] | None:
    """The current version of a record as register text cells (dates ``dd/mm/yyyy``), found
    by its natural key; ``None`` when there is none."""
    key = {c: _text(key.get(c)) for c in _key_columns(table)}
    with store.read_transaction() as conn:
        return _current(conn, table, key)


def change_problems(store: Store, author: Any, table: str, key: Mapping[str, Any]
                    ) -> list[Problem]:
    """Why ``author`` may not correct or withdraw the record at ``key`` (empty: they may).

    The same checks a correction or a withdrawal makes before anything else: the record
    exists, the author writes records, a facilitator created it here and it names only
    their point's families and people. Read it before showing a record to change, so that a
    forged key shows nothing of another's record.
    """
    author = Author.of(author)
    if author.role not in _WRITING_ROLES:
        return [Problem(FORM_FILE, None, None, f"a {author.role} may not write records")]
    key = {c: _text(key.get(c)) for c in _key_columns(table)}
    with store.read_transaction() as conn:
        old = _current(conn, table, key)
        if old is None:
            return [Problem(FORM_FILE, FIRST_DATA_ROW, _key_columns(table)[0],
                            "no such record", _show_key(key))]
        if not author.limited:
            return []
        if _creator(conn, table, key) != author.user_id:
            return [Problem(FORM_FILE, FIRST_DATA_ROW, None,
                            "only its author or a coordinator may change a record")]
        return _scope_problems(conn, author, [(FIRST_DATA_ROW, table, old)], {})


def record_versions(store: Store, table: str, key: Mapping[str, Any]) -> pd.DataFrame:
    """The versions of one record, oldest first, following the keys it moved from.

    The rows of :func:`record_history` (same columns) of the record now at ``key`` and, when
    a correction moved it from another key (:func:`correct_record`), that key's versions
    before the move; the move itself is one ``corrected`` version (the old key's twin
    ``withdrawn`` version is left out).
    """
    history = _tables()["record_history"]
    key = {c: _text(key.get(c)) for c in _key_columns(table)}
    found: list[Any] = []
    todo: list[tuple[dict[str, str], int | None]] = [(key, None)]
    seen: set[str] = set()
    with store.read_transaction() as conn:
        while todo:
            at, before = todo.pop()
            text = _key_text(at)
            if text in seen:
                continue
            seen.add(text)
            query = sa.select(history).where(history.c.table_name == table,
                                             history.c.record_key == text)
            if before is not None:  # the old key's life up to the move, not after it
                query = query.where(history.c.version_id < before)
            for row in conn.execute(query.order_by(history.c.version_id)).all():
                changes = json.loads(row.changes) if row.changes else None
                moved = _moved_from(table, at, changes) if row.action != "created" else None
                if row.action == "withdrawn" and moved is not None:
                    continue  # the move's twin: its "corrected" version at the new key shows it
                if row.action == "corrected" and moved is not None:
                    todo.append((moved, row.version_id))
                found.append(row)
    found.sort(key=lambda r: r.version_id)
    frame = pd.DataFrame(found, columns=list(history.c.keys()))
    frame["at"] = pd.to_datetime(frame["at"])
    return frame


def explorer_records(store: Store) -> pd.DataFrame:
    """The records made in the explorer that are current, newest first: the last version of
    each (columns of :func:`record_history`) and its ``owner``, the user who created it
    (following the keys it moved from; ``None`` for an imported record corrected here)."""
    history = record_history(store)
    owner: dict[tuple[str, str], str | None] = {}
    for row in history.itertuples(index=False):
        ident = (row.table_name, row.record_key)
        if row.action == "created":
            owner[ident] = row.author
        elif (row.action == "corrected" and isinstance(row.changes, str)
              and row.table_name in TABLE_KEYS):
            key = dict(zip(TABLE_KEYS[row.table_name], json.loads(row.record_key), strict=True))
            moved = _moved_from(row.table_name, key, json.loads(row.changes))
            if moved is not None:
                owner[ident] = owner.get((row.table_name, _key_text(moved)))
    last = history.groupby(["table_name", "record_key"], sort=False).tail(1)
    last = last[last["action"] != "withdrawn"].iloc[::-1].reset_index(drop=True)
    last["owner"] = [owner.get((t, k)) for t, k in zip(last["table_name"], last["record_key"],
                                                      strict=True)]
    return last


def followups(store: Store) -> pd.DataFrame:
    """The current follow-ups, oldest first: ``followup_id``, ``household_id``, ``date``,
    ``action``, ``outcome``, ``community_point_id``, ``author``, ``recorded_at``."""
    table = _tables()["followups"]
    with store.read_transaction() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.date, table.c.followup_id)).all()
    frame = pd.DataFrame(rows, columns=list(table.c.keys()))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"])
    return frame


# -- the write pipeline ---------------------------------------------------------------------------

def _text(value: Any) -> str:
    """A value as a register cell holds it."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _columns_of(table: str, cells: Mapping[str, Any]) -> list[str]:
    if table == "followups":
        return list(_FOLLOWUP_COLUMNS)
    return register_of(table, cells.get("kind") or None).columns


def _cells(table: str, cells: Mapping[str, Any], *, fill: bool = True) -> dict[str, str]:
    if table not in TABLE_KEYS and table != "followups":
        raise KeyError(f"unknown table {table!r}")
    text = {c: _text(cells.get(c)) for c in _columns_of(table, cells)}
    unknown = set(cells) - set(text)
    if unknown:
        raise KeyError(f"not columns of {table}: {', '.join(sorted(unknown))}")
    if fill:
        key = _key_columns(table)
        if len(key) == 1 and not text[key[0]]:
            text[key[0]] = new_id(table, text.get("kind") if table == "actors" else None)
        if "source" in text and not text["source"]:
            text["source"] = ("attendance_sheet" if table == "participations"
                              else "facilitator_record")
    return text


def key_columns(table: str) -> tuple[str, ...]:
    """The natural key's columns of a table written here (``followups``: its id).

    >>> key_columns("participations"), key_columns("followups")
    (('activity_id', 'actor_id', 'date'), ('followup_id',))
    """
    return _key_columns(table)


def _key_columns(table: str) -> tuple[str, ...]:
    return ("followup_id",) if table == "followups" else TABLE_KEYS[table]


def _write(store: Store, author: Author, rows: list[tuple[str, dict[str, str]]],
           action: str, sources: list[dict[str, str]] | None = None) -> RecordResult:
    """Validate and write ``rows`` in one transaction; ``sources``: for a correction, the
    key each row is found by (another key than its own: the record moves)."""
    if author.role not in _WRITING_ROLES:
        return RecordResult(False, (Problem(FORM_FILE, None, None,
                                            f"a {author.role} may not write records"),), rows)
    if author.limited:  # a facilitator's ties default to their point
        for table, cells in rows:
            if (table not in ("actors", "household_members", "followups") and action != "withdrawn"
                    and "community_point_id" in cells and not cells["community_point_id"]
                    and len(author.community_points) == 1):
                cells["community_point_id"] = author.community_points[0]
    keys = [{c: cells[c] for c in _key_columns(t)} for t, cells in rows]
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.write_transaction() as conn:
        problems = _problems(conn, author, rows, action, sources)
        if any(p.severity == "error" for p in problems):
            conn.rollback()
            return RecordResult(False, tuple(problems), rows, keys)
        before = data_version(conn)
        previous = [_apply(conn, author, table, cells, keys[i], action, now,
                           sources[i] if sources else None)
                    for i, (table, cells) in enumerate(rows)]
        after = data_version(conn)
    versions = (before, after) if before is not None and after is not None else None
    return RecordResult(True, tuple(problems), rows, keys, previous, versions)


def _problems(conn: sa.Connection, author: Author, rows: list[tuple[str, dict[str, str]]],
              action: str, sources: list[dict[str, str]] | None = None) -> list[Problem]:
    from genera_graph.io.importer import validate_rows

    problems: list[Problem] = []
    numbered = [(FIRST_DATA_ROW + i, t, c) for i, (t, c) in enumerate(rows)]
    # existence of each key: a creation needs a new key, a correction or withdrawal an old one
    current: dict[int, dict[str, str] | None] = {}
    for i, (row, table, cells) in enumerate(numbered):
        key = {c: cells[c] for c in _key_columns(table)}
        source = sources[i] if sources else key
        old = _current(conn, table, source)
        current[row] = old
        if action == "created" and old is not None:
            problems.append(Problem(FORM_FILE, row, _key_columns(table)[0],
                                    "already recorded: correct it instead", _show_key(key)))
        elif action != "created" and old is None:
            problems.append(Problem(FORM_FILE, row, _key_columns(table)[0],
                                    "no such record", _show_key(source)))
        elif action != "created":
            if author.limited and _creator(conn, table, source) != author.user_id:
                problems.append(Problem(FORM_FILE, row, None,
                                        "only its author or a coordinator may change a record"))
            if source != key and _current(conn, table, key) is not None:
                moved = next(c for c in key if key[c] != source[c])
                problems.append(Problem(FORM_FILE, row, moved,
                                        "already recorded: correct it instead", _show_key(key)))
    if problems:
        return problems
    if action == "withdrawn":
        for row, table, _cells in numbered:
            old = current[row] or {}
            problems += _scope_problems(conn, author, [(row, table, old)], {})
            problems += _still_named(conn, table, old, row)
        return problems
    # the importer's own validation, per register, against the store and these rows
    data = [(r, t, c) for r, t, c in numbered if t != "followups"]
    order = {reg.table: i for i, reg in enumerate(REGISTERS)}
    new_ids: dict[str, set[str]] = {"actors": set(), "activities": set()}
    for table in sorted({t for _, t, _ in data}, key=order.get):
        part = [(r, c) for r, t, c in data if t == table]
        by_register: dict[Register, list[tuple[int, dict[str, str]]]] = {}
        for r, c in part:
            by_register.setdefault(register_of(table, c.get("kind") or None), []).append((r, c))
        for register, items in by_register.items():
            raw = pd.DataFrame([c for _, c in items], index=pd.Index([r for r, _ in items]),
                               dtype="str")
            typed, found = validate_rows(conn, register, raw, file=FORM_FILE,
                                         extra_ids=new_ids)
            problems += found
            if table in new_ids:
                new_ids[table] |= set(typed[TABLE_KEYS[table][0]])
    problems = [_placed(p) for p in problems]
    problems += [p for r, t, c in numbered if t == "followups"
                 for p in _followup_problems(conn, r, c)]
    if any(p.severity == "error" for p in problems):
        return problems
    problems += _scope_problems(conn, author, numbered, _new_actors(numbered))
    if action == "corrected":  # the old version must have been the author's to change too
        problems += _scope_problems(conn, author,
                                    [(r, t, current[r] or {}) for r, t, _ in numbered], {})
    return problems


#: whole-record rules and the field they are about (the second actor of a tie)
_RULE_COLUMNS = {"an actor cannot interact with itself": "target_actor_id",
                 "an actor cannot be related to itself": "partner_id"}


def _placed(problem: Problem) -> Problem:
    """A whole-record problem placed at the field a form shows it next to."""
    column = _RULE_COLUMNS.get(problem.rule)
    if problem.column is None and column is not None:
        return dataclasses.replace(problem, column=column)
    return problem


def _show_key(key: Mapping[str, str]) -> str:
    return " / ".join(key.values())


def _new_actors(numbered: Iterable[tuple[int, str, dict[str, str]]]) -> dict[str, dict]:
    return {c["actor_id"]: c for _, t, c in numbered if t == "actors"}


def _scope_problems(conn: sa.Connection, author: Author,
                    numbered: Iterable[tuple[int, str, dict[str, str]]],
                    new_actors: Mapping[str, Mapping[str, str]]) -> list[Problem]:
    """A facilitator's records must be of their point: its households and people."""
    if not author.limited:
        return []
    numbered = list(numbered)
    points = set(author.community_points)
    named = {c[col] for _, t, c in numbered for col in _ACTOR_COLUMNS[t] if c.get(col)}
    scope = personal_scope(conn, points, among=named)
    kinds = _kinds(conn, named)
    for actor_id, cells in new_actors.items():
        kinds[actor_id] = cells.get("kind", "")
        if cells.get("kind") == "household" and cells.get("community_point_id") in points:
            scope.add(actor_id)
    for _, t, c in numbered:  # new members of the author's households are theirs too
        if t == "household_members" and c.get("household_id") in scope:
            scope.add(c.get("individual_id", ""))
    for actor_id, cells in new_actors.items():
        if (cells.get("kind") == "individual" and cells.get("community_point_id") in points
                and actor_id not in _members_elsewhere(conn, actor_id, scope)):
            scope.add(actor_id)
    problems = []
    for row, table, cells in numbered:
        cp = cells.get("community_point_id")
        if cp and cp not in points:
            problems.append(Problem(FORM_FILE, row, "community_point_id",
                                    "not your Community Point", cp))
        if table == "actors" and cells.get("kind") in _STAFF_KINDS:
            problems.append(Problem(FORM_FILE, row, "kind",
                                    "only a coordinator records points and facilitators",
                                    cells.get("kind")))
        for col in _ACTOR_COLUMNS[table]:
            value = cells.get(col)
            if value and kinds.get(value) in _PERSONAL and value not in scope:
                problems.append(Problem(FORM_FILE, row, col,
                                        "not a family or person of your Community Point"))
    return problems


def scope_check(author: Any) -> Callable[..., tuple[list[Problem], np.ndarray]] | None:
    """The author's scope as a row check for an import (``import_paths(row_check=...)``).

    ``None`` for a coordinator (no limit). For a facilitator, the returned
    ``check(conn, table, typed, file) -> (problems, bad rows)`` reports every row whose
    Community Point is not theirs or that names a household or person of another point
    (rows of new households of their point, written earlier in the same import, are theirs).
    """
    author = Author.of(author)
    if not author.limited:
        return None
    points = set(author.community_points)

    def check(conn: sa.Connection, table: str, typed: pd.DataFrame, file: str
              ) -> tuple[list[Problem], np.ndarray]:
        bad = np.zeros(len(typed), dtype=bool)
        problems: list[Problem] = []
        if not len(typed):
            return problems, bad
        scope = personal_scope(conn, points)
        rows = typed.index.to_numpy()
        if "community_point_id" in typed:
            cp = typed["community_point_id"]
            wrong = (cp.notna() & ~cp.isin(points)).to_numpy(dtype=bool)
            problems += [Problem(file, int(r), "community_point_id", "not your Community Point",
                                 str(v)) for r, v in zip(rows[wrong], cp[wrong], strict=True)]
            bad |= wrong
        if table == "actors":
            staff = typed["kind"].isin(_STAFF_KINDS).to_numpy(dtype=bool)
            problems += [Problem(file, int(r), "kind", "only a coordinator records points and "
                                 "facilitators", k)
                         for r, k in zip(rows[staff], typed["kind"][staff], strict=True)]
            bad |= staff
            mine = typed["kind"].eq("household") & typed["community_point_id"].isin(points)
            scope |= set(typed.loc[mine, "actor_id"])
            if "community_point_id" in typed:
                loose = typed["kind"].eq("individual") & typed["community_point_id"].isin(points)
                scope |= set(typed.loc[loose, "actor_id"])
        if table == "household_members":
            scope |= set(typed.loc[typed["household_id"].isin(scope), "individual_id"])
        names = [typed[c].dropna() for c in _ACTOR_COLUMNS[table] if c in typed
                 and not (table == "actors" and c == "actor_id")]
        ids = set().union(*(set(n) for n in names)) if names else set()
        kinds = _kinds(conn, ids)
        for col in _ACTOR_COLUMNS[table]:
            if col not in typed or (table == "actors" and col == "actor_id"):
                continue
            values = typed[col]
            out = np.asarray([isinstance(v, str) and kinds.get(v) in _PERSONAL
                              and v not in scope for v in values], dtype=bool)
            problems += [Problem(file, int(r), col,
                                 "not a family or person of your Community Point", str(v))
                         for r, v in zip(rows[out], values[out], strict=True)]
            bad |= out
        return problems, bad

    return check


def _members_elsewhere(conn: sa.Connection, actor_id: str, scope: set[str]) -> set[str]:
    rows = conn.execute(sa.text("SELECT household_id FROM household_members "
                                "WHERE individual_id = :i"), {"i": actor_id}).all()
    return {actor_id} if any(r[0] not in scope for r in rows) else set()


def personal_scope(conn: sa.Connection, points: set[str],
                   among: Iterable[str] | None = None) -> set[str]:
    """The households of ``points`` and their people (members, or individuals of the point
    who belong to no other point's household): the explorer's facilitator scope.

    With ``among``, only those actors are judged (a record names a few: reading every actor
    and membership of the store is not needed).
    """
    if not points:
        return set()
    params: dict[str, Any] = {}
    where_actor = where_member = ""
    if among is not None:
        wanted = sorted({a for a in among if a})
        if not wanted:
            return set()
        names = {f"a{i}": a for i, a in enumerate(wanted)}
        params.update(names)
        holders = ", ".join(f":{k}" for k in names)
        where_actor = f" AND actor_id IN ({holders})"
        where_member = f" WHERE m.individual_id IN ({holders})"
    actors = pd.DataFrame(conn.execute(sa.text(
        "SELECT actor_id, kind, community_point_id FROM actors "
        "WHERE kind IN ('household', 'individual')" + where_actor), params).all(),
        columns=["actor_id", "kind", "community_point_id"])
    members = pd.DataFrame(conn.execute(sa.text(
        "SELECT m.household_id, m.individual_id, h.kind, h.community_point_id "
        "FROM household_members m JOIN actors h ON h.actor_id = m.household_id"
        + where_member), params).all(),
        columns=["household_id", "individual_id", "kind", "community_point_id"])
    own = actors["community_point_id"].isin(points)
    households = set(actors.loc[own & actors["kind"].eq("household"), "actor_id"])
    theirs = members["kind"].eq("household") & members["community_point_id"].isin(points)
    inside = set(members.loc[theirs, "individual_id"])
    elsewhere = set(members.loc[~theirs, "individual_id"])
    loose = actors.loc[own & actors["kind"].eq("individual")
                       & ~actors["actor_id"].isin(elsewhere), "actor_id"]
    return households | inside | set(loose)


def _kinds(conn: sa.Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    actors = _tables_meta().tables["actors"]
    rows = conn.execute(sa.select(actors.c.actor_id, actors.c.kind)
                        .where(actors.c.actor_id.in_(sorted(ids)))).all()
    return {r[0]: r[1] for r in rows}


def _still_named(conn: sa.Connection, table: str, old: Mapping[str, str], row: int
                 ) -> list[Problem]:
    """An actor or activity named by other records cannot be withdrawn before them."""
    if table not in ("actors", "activities"):
        return []
    key = TABLE_KEYS[table][0]
    value = old.get(key)
    count = 0
    for other, refs in REFERENCES.items():
        for col, target in refs.items():
            if target == table:
                count += int(conn.execute(sa.text(
                    f"SELECT count(*) FROM {other} WHERE {col} = :v"
                    + (f" AND {key} <> :v" if other == table else "")), {"v": value}).scalar())
    if table == "actors":
        count += int(conn.execute(sa.text(
            "SELECT count(*) FROM followups WHERE household_id = :v"), {"v": value}).scalar())
    if count:
        return [Problem(FORM_FILE, row, key,
                        f"still named by {count} other record(s): withdraw those first", value)]
    return []


# -- follow-ups ------------------------------------------------------------------------------------

_FOLLOWUP_COLUMNS = ("followup_id", "household_id", "date", "action", "outcome",
                     "community_point_id")


def _followup_problems(conn: sa.Connection, row: int, cells: Mapping[str, str]
                       ) -> list[Problem]:
    """Follow-ups are no register: their few rules, in the registers' words."""
    from genera_graph.io.registers import ImportLimits, parse_dates

    problems = []
    day = cells.get("date", "")
    days, implausible = parse_dates(pd.Series([day])) if day else (None, None)
    if not day:
        problems.append(Problem(FORM_FILE, row, "date", "required value missing"))
    elif implausible.iloc[0]:
        problems.append(Problem(FORM_FILE, row, "date", "date outside the plausible range "
                                f"{ImportLimits().date_range_text()}", day))
    elif pd.isna(days.iloc[0]):
        problems.append(Problem(FORM_FILE, row, "date", "not a valid date dd/mm/yyyy", day))
    for col, allowed in (("action", FOLLOWUP_ACTIONS), ("outcome", FOLLOWUP_OUTCOMES)):
        value = cells.get(col, "")
        if value not in allowed:
            rule = ("required value missing" if not value
                    else "value not allowed; allowed: " + ", ".join(allowed))
            problems.append(Problem(FORM_FILE, row, col, rule, value or None))
    household = cells.get("household_id", "")
    kind = _kinds(conn, {household}).get(household)
    if kind != "household":
        problems.append(Problem(FORM_FILE, row, "household_id",
                                "unknown household id" if kind is None else "not a household",
                                household or None))
    return problems


# -- writing rows and history ----------------------------------------------------------------------

def _typed_values(table: str, cells: Mapping[str, str]) -> dict[str, Any]:
    """Register cells as database values (ISO dates, floats, None for empty)."""
    meta = _tables_meta().tables[table]
    out: dict[str, Any] = {}
    for col in meta.c:
        if col.name not in cells:
            continue
        text = cells[col.name]
        if text == "":
            out[col.name] = None
        elif isinstance(col.type, sa.Date):
            out[col.name] = datetime.strptime(text, DATE_FORMAT).date()
        elif isinstance(col.type, sa.Float):
            out[col.name] = float(text.replace(".", "").replace(",", ".")) if "," in text \
                else float(text)
        else:
            out[col.name] = text
    return out


def _where(table: str, key: Mapping[str, str]) -> sa.ColumnElement:
    meta = _tables_meta().tables[table]
    values = _typed_values(table, key)
    return sa.and_(*(meta.c[c] == values[c] for c in key))


def _current(conn: sa.Connection, table: str, key: Mapping[str, str]) -> dict[str, str] | None:
    """The current version of a record as register cells, or ``None``."""
    if any(not v for v in key.values()):
        return None
    try:
        where = _where(table, key)
    except ValueError:  # a key date that is no date names no record
        return None
    meta = _tables_meta().tables[table]
    row = conn.execute(sa.select(meta).where(where)).mappings().first()
    if row is None:
        return None
    if table == "followups":
        return {c: _text(row[c]) for c in _FOLLOWUP_COLUMNS}
    frame = pd.DataFrame([dict(row)])
    register = register_of(table, row.get("kind"))
    for col in register.date_columns:
        frame[col] = pd.to_datetime(frame[col])
    text = format_register_frame(frame, register)
    return {c: str(text.at[0, c]) for c in register.columns}


def _moved_from(table: str, key: Mapping[str, str], changes: Mapping[str, Any] | None
                ) -> dict[str, str] | None:
    """The key a record moved from, when a correction's ``changes`` changed its key."""
    if not changes or table not in TABLE_KEYS or len(TABLE_KEYS[table]) < 2:
        return None
    if not any(c in changes for c in TABLE_KEYS[table]):
        return None
    return {c: (changes[c][0] if c in changes else key[c]) for c in TABLE_KEYS[table]}


def _creator(conn: sa.Connection, table: str, key: Mapping[str, str]) -> str | None:
    """Who created the record now at ``key`` here (following the keys it moved from), or
    ``None`` for a record not created in the explorer (an import's)."""
    history = _tables()["record_history"]
    seen: set[str] = set()
    while _key_text(key) not in seen:
        seen.add(_key_text(key))
        rows = conn.execute(
            sa.select(history.c.action, history.c.author, history.c.changes)
            .where(history.c.table_name == table, history.c.record_key == _key_text(key),
                   history.c.action.in_(("created", "corrected")))
            .order_by(history.c.version_id.desc())).all()
        before = None
        for action, author, changes in rows:
            if action == "created":
                return author
            before = _moved_from(table, key, json.loads(changes) if changes else None)
            if before is not None:
                break
        if before is None:
            return None
        key = before
    return None


def _key_text(key: Mapping[str, str]) -> str:
    return json.dumps(list(key.values()), ensure_ascii=False)


def _apply(conn: sa.Connection, author: Author, table: str, cells: dict[str, str],
           key: dict[str, str], action: str, now: datetime,
           source: dict[str, str] | None = None) -> dict[str, str] | None:
    """Write one row and its history version; the version it replaced (``None``: new).
    A correction found by another key (``source``) moves the record to ``key``."""
    meta = _tables_meta().tables[table]
    if source is not None and source != key:
        old = _current(conn, table, source) or {}
        conn.execute(sa.delete(meta).where(_where(table, source)))
        remember_withdrawal(conn, table, source, now)
        conn.execute(sa.insert(meta).values(**_typed_values(table, cells)))
        forget_withdrawal(conn, table, key)
        changes = {c: [old.get(c, ""), v] for c, v in cells.items() if old.get(c, "") != v}
        _version(conn, author, table, source, "withdrawn", now, old, changes)
        _version(conn, author, table, key, "corrected", now, cells, changes)
        return old
    old = _current(conn, table, key)
    where = _where(table, key)
    if action == "withdrawn":
        conn.execute(sa.delete(meta).where(where))
        cells = old or cells
        changes = None
        if table != "followups":  # an old register must not bring it back
            remember_withdrawal(conn, table, key, now)
    else:
        if table == "followups" and not cells.get("community_point_id"):
            cells["community_point_id"] = _text(conn.execute(sa.text(
                "SELECT community_point_id FROM actors WHERE actor_id = :h"),
                {"h": cells["household_id"]}).scalar())
        values = _typed_values(table, cells)
        if table == "followups":
            values.update(author=author.user_id, recorded_at=now)
        if old is None:
            conn.execute(sa.insert(meta).values(**values))
            if table != "followups":  # recorded again, on purpose: no longer withdrawn
                forget_withdrawal(conn, table, key)
        else:
            conn.execute(sa.update(meta).where(where).values(**values))
        changes = ({c: [old.get(c, ""), v] for c, v in cells.items() if old.get(c, "") != v}
                   if old is not None else None)
    _version(conn, author, table, key, action, now, cells, changes)
    return old


def _version(conn: sa.Connection, author: Author, table: str, key: Mapping[str, str],
             action: str, now: datetime, cells: Mapping[str, str],
             changes: Mapping[str, Any] | None) -> None:
    """Append the next version of the record at ``key`` to ``record_history``."""
    history = _tables()["record_history"]
    last = conn.execute(sa.select(sa.func.max(history.c.version)).where(
        history.c.table_name == table, history.c.record_key == _key_text(key))).scalar()
    conn.execute(sa.insert(history).values(
        table_name=table, record_key=_key_text(key), version=int(last or 0) + 1, action=action,
        author=author.user_id, at=now, cells=json.dumps(dict(cells), ensure_ascii=False),
        changes=None if changes is None else json.dumps(dict(changes), ensure_ascii=False)))


# -- schema -----------------------------------------------------------------------------------------

def _tables_meta() -> sa.MetaData:
    return METADATA


def _tables() -> Mapping[str, sa.Table]:
    return _tables_meta().tables
