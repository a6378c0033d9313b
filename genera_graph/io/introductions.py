"""Introductions acted upon: recorded in the store from the explorer, or read from a file.

In the store (table ``introductions``, schema step 5), one row per pair (family, candidate)
holds the current status of a suggestion a facilitator acted upon: ``proposed``, ``declined``
(with a coded reason, :data:`~genera_graph.model.introductions.DECLINE_REASONS`) or ``done``
(with the day the introduction was made), who recorded it and when.
:func:`record_introduction` writes it the way :mod:`genera_graph.io.records` writes a record:
every problem named by its field and nothing written, one transaction, the author's scope
checked there (a facilitator acts only for the families of their point, and names no other
point's family), every version kept in ``record_history`` (a status change never overwrites
silently: :func:`introduction_history`), and an audit entry with ids only. Nothing here is
acted upon automatically: a row exists only because someone marked it.

A coordinator can also keep introductions in a register-like file, ``introductions.csv``
(``;``, UTF-8, dates ``dd/mm/yyyy``), read by :func:`read_introductions`:

================== ======================================================================
column             meaning
================== ======================================================================
introduction_id    id (optional)
actor_id           the family (or person) introduced
candidate_id       whom they were introduced to
status             ``proposed``, ``declined`` or ``done``
date               the day of the status (proposed, declined, or the introduction made)
facilitator_id     who proposed it (optional)
community_point_id the family's Community Point (optional: else the family's own)
reason             a code: the suggestion's main reason, or why it was declined (optional)
================== ======================================================================

Every problem is reported with its spreadsheet row (header = row 1); a file with a problem is
not read at all (nothing is dropped silently).

Examples
--------
>>> import tempfile, pathlib
>>> from genera_graph.io.records import Author, save_records
>>> from genera_graph.io.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> boss = Author("u-coord", "coordinator")
>>> save_records(store, boss, [
...     ("actors", {"actor_id": "CP01", "kind": "community_point", "name": "Punto Nord",
...                 "first_met": "18/05/2016"}),
...     ("actors", {"actor_id": "H01", "kind": "household", "name": "Famiglia Rossi",
...                 "community_point_id": "CP01", "first_met": "01/06/2016"}),
...     ("actors", {"actor_id": "H02", "kind": "household", "name": "Famiglia Bianchi",
...                 "community_point_id": "CP01", "first_met": "01/06/2016"})]).ok
True
>>> anna = Author("anna", "facilitator", ("CP01",))
>>> record_introduction(store, anna, "H01", "H02", "proposed", "02/09/2016",
...                     reason="same_community_point").ok
True
>>> late = record_introduction(store, anna, "H01", "H02", "declined", "03/09/2016")
>>> late.ok, [(p.column, p.rule) for p in late.problems]
(False, [('decline_reason', 'required value missing')])
>>> record_introduction(store, anna, "H01", "H02", "done", "15/09/2016").ok
True
>>> stored_introductions(store)[["actor_id", "candidate_id", "status", "reason"]].values.tolist()
[['H01', 'H02', 'done', 'same_community_point']]
>>> introduction_history(store)["action"].tolist()
['created', 'corrected']
>>> store.close()
>>> import io
>>> text = "actor_id;candidate_id;status;date\\nH1;H2;done;14/06/2016\\n"
>>> read_introductions(io.StringIO(text))[["status", "date"]].values.tolist()
[['done', Timestamp('2016-06-14 00:00:00')]]
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, date, datetime
from typing import IO, Any

import pandas as pd

from genera_graph.io.registers import DATE_FORMAT, Problem, RegisterError, parse_dates
from genera_graph.model.introductions import (
    DECLINE_REASONS,
    INTRODUCTION_REASONS,
    INTRODUCTION_STATUSES,
    PEER_CANDIDATE_KINDS,
)

__all__ = ["INTRODUCTION_COLUMNS", "STORE_COLUMNS", "introduction_history",
           "read_introductions", "record_introduction", "stored_introductions"]

#: required, then optional columns of ``introductions.csv``
INTRODUCTION_COLUMNS = {
    "required": ("actor_id", "candidate_id", "status", "date"),
    "optional": ("introduction_id", "facilitator_id", "community_point_id", "reason"),
}
_STATUSES = INTRODUCTION_STATUSES


def read_introductions(path: str | os.PathLike | IO[str]) -> pd.DataFrame:
    """Read and check a file of recorded introductions.

    Parameters
    ----------
    path : path-like or text file object

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`INTRODUCTION_COLUMNS` that the file has (text, ``date`` as
        ``datetime64``), one row per line.

    Raises
    ------
    RegisterError
        Listing every problem: a missing required column, an unknown column, an empty
        required cell, an unknown status, a date that is not ``dd/mm/yyyy``.
    """
    name = os.fspath(path) if not hasattr(path, "read") else "introductions.csv"
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    raw.columns = [str(c).strip() for c in raw.columns]
    problems: list[Problem] = []
    known = set(INTRODUCTION_COLUMNS["required"]) | set(INTRODUCTION_COLUMNS["optional"])
    for col in INTRODUCTION_COLUMNS["required"]:
        if col not in raw:
            problems.append(Problem(name, None, col, "required column missing"))
    for col in raw.columns:
        if col not in known:
            problems.append(Problem(name, None, col, "unknown column"))
    if problems:
        raise RegisterError(problems)
    frame = raw.apply(lambda s: s.str.strip()).replace("", None)
    rows = pd.Series(range(2, len(frame) + 2), index=frame.index)
    for col in INTRODUCTION_COLUMNS["required"]:
        for i in frame.index[frame[col].isna()]:
            problems.append(Problem(name, int(rows[i]), col, "required value missing"))
    bad = frame["status"].notna() & ~frame["status"].isin(_STATUSES)
    for i in frame.index[bad]:
        problems.append(Problem(name, int(rows[i]), "status",
                                f"must be one of {', '.join(_STATUSES)}", frame.at[i, "status"]))
    dates, implausible = parse_dates(frame["date"])
    for i in frame.index[frame["date"].notna() & dates.isna()]:
        rule = ("outside the plausible range of dates" if implausible[i]
                else "not a date (dd/mm/yyyy)")
        problems.append(Problem(name, int(rows[i]), "date", rule, frame.at[i, "date"]))
    if problems:
        raise RegisterError(problems)
    frame["date"] = dates
    return frame.reset_index(drop=True)


# -- the store ----------------------------------------------------------------------------------

#: the columns of the store's ``introductions`` table, as :func:`stored_introductions` gives them
STORE_COLUMNS = ("introduction_id", "actor_id", "candidate_id", "status", "date", "reason",
                 "decline_reason", "community_point_id", "facilitator_id", "author",
                 "recorded_at")
#: the fields of a write (the form's), in the order problems are listed
_FIELDS = ("actor_id", "candidate_id", "status", "date", "reason", "decline_reason")
#: who may act on a suggestion
_ACTING_ROLES = ("coordinator", "facilitator")
_TARGET_KINDS = ("household", "individual")
_FORM = "form"


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.strftime(DATE_FORMAT)
    return str(value).strip()


def record_introduction(store: Any, author: Any, actor_id: str, candidate_id: str,
                        status: str, day: Any, *, reason: str | None = None,
                        decline_reason: str | None = None, today: date | None = None) -> Any:
    """Mark a suggested introduction ``proposed``, ``declined`` or ``done``.

    Parameters
    ----------
    store : Store
    author : Author or viewer-like
        Who acts (:class:`genera_graph.io.records.Author`): a coordinator for any family; a
        facilitator only for the families (and people) of their Community Point(s), and only
        to a candidate they may see (a family of their point, or an organisation).
    actor_id, candidate_id : str
        The family (or person) and whom they are introduced to (a household, a person, an
        association or a formal group: never staff, services or a Community Point).
    status : {"proposed", "declined", "done"}
    day : str or date
        The day of the status (``dd/mm/yyyy``): proposed, declined, or the introduction made;
        not after ``today`` and not before the pair's previous status.
    reason : str, optional
        The suggestion's main reason, a code of
        :data:`~genera_graph.model.introductions.INTRODUCTION_REASONS` (kept from the first
        mark when not given again).
    decline_reason : str, optional
        Required with ``declined``, a code of
        :data:`~genera_graph.model.introductions.DECLINE_REASONS`; not allowed otherwise.
    today : date, optional
        For tests: the day "today" is (default: the clock's).

    Returns
    -------
    genera_graph.io.records.RecordResult
        ``ok`` with the row written (register text cells), or the problems, each naming its
        field, and nothing written. Marking a pair with the status it already has is a
        problem (nothing changes); any other change keeps the previous version in
        ``record_history``. An audit entry (``introduction_<status>``, the ids only) follows
        each write.
    """
    from genera_graph.io.records import Author, RecordResult

    author = Author.of(author)
    cells = {"actor_id": _text(actor_id), "candidate_id": _text(candidate_id),
             "status": _text(status), "date": _text(day), "reason": _text(reason),
             "decline_reason": _text(decline_reason)}
    if author.role not in _ACTING_ROLES:
        return RecordResult(False, (Problem(_FORM, None, None,
                                            f"a {author.role} may not write records"),),
                            [("introductions", cells)])
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.write_transaction() as conn:
        problems, old = _introduction_problems(conn, author, cells, today or date.today())
        if problems:
            conn.rollback()
            return RecordResult(False, tuple(problems), [("introductions", cells)])
        row = _apply_introduction(conn, author, cells, old, now)
    _audit(store, author, row)
    return RecordResult(True, (), [("introductions", row)],
                        [{"introduction_id": row["introduction_id"]}])


def stored_introductions(store: Any, actor_ids: Any = None) -> pd.DataFrame:
    """The introductions acted upon, current status, oldest first: :data:`STORE_COLUMNS`
    (``date`` as ``datetime64``), optionally of some families only. The frame
    :func:`~genera_graph.analytics.introductions.introduction_outcomes` takes."""
    import sqlalchemy as sa

    from genera_graph.io.schema import METADATA

    table = METADATA.tables["introductions"]
    query = sa.select(table).order_by(table.c.date, table.c.introduction_id)
    if actor_ids is not None:
        query = query.where(table.c.actor_id.in_(sorted(set(actor_ids))))
    with store.read_transaction() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=list(STORE_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"])
    return frame


def introduction_history(store: Any) -> pd.DataFrame:
    """Every version of every introduction, oldest first (``record_history`` rows of table
    ``introductions``: ``version``, ``action`` created/corrected, ``author``, ``at``,
    ``cells`` and, for a change, ``changes``)."""
    from genera_graph.io.records import record_history

    return record_history(store, "introductions")


def _kinds_points(conn: Any, ids: set[str]) -> dict[str, tuple[str, str | None, str | None]]:
    import sqlalchemy as sa

    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = conn.execute(sa.text(
        "SELECT actor_id, kind, community_point_id, facilitator_id FROM actors "
        "WHERE actor_id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
        {"ids": sorted(ids)}).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _current_introduction(conn: Any, actor_id: str, candidate_id: str) -> dict | None:
    import sqlalchemy as sa

    from genera_graph.io.schema import METADATA

    table = METADATA.tables["introductions"]
    row = conn.execute(sa.select(table).where(table.c.actor_id == actor_id,
                                              table.c.candidate_id == candidate_id)
                       ).mappings().first()
    return None if row is None else dict(row)


def _introduction_problems(conn: Any, author: Any, cells: dict[str, str], today: date
                           ) -> tuple[list[Problem], dict | None]:
    from genera_graph.io.records import personal_scope

    problems: list[Problem] = []

    def problem(column: str | None, rule: str, value: str | None = None) -> None:
        problems.append(Problem(_FORM, None, column, rule, value or None))

    for col in ("actor_id", "candidate_id", "status", "date"):
        if not cells[col]:
            problem(col, "required value missing")
    status = cells["status"]
    if status and status not in INTRODUCTION_STATUSES:
        problem("status", "value not allowed; allowed: " + ", ".join(INTRODUCTION_STATUSES),
                status)
    if cells["date"]:
        days, implausible = parse_dates(pd.Series([cells["date"]]))
        if implausible.iloc[0]:
            problem("date", "date outside the plausible range", cells["date"])
        elif pd.isna(days.iloc[0]):
            problem("date", "not a valid date dd/mm/yyyy", cells["date"])
        elif days.iloc[0].date() > today:
            problem("date", "a date after today", cells["date"])
    if cells["reason"] and cells["reason"] not in INTRODUCTION_REASONS:
        problem("reason", "value not allowed; allowed: " + ", ".join(INTRODUCTION_REASONS),
                cells["reason"])
    if status == "declined":
        if not cells["decline_reason"]:
            problem("decline_reason", "required value missing")
        elif cells["decline_reason"] not in DECLINE_REASONS:
            problem("decline_reason", "value not allowed; allowed: "
                    + ", ".join(DECLINE_REASONS), cells["decline_reason"])
    elif cells["decline_reason"]:
        problem("decline_reason", "only a declined introduction has a reason for it")
    actor, candidate = cells["actor_id"], cells["candidate_id"]
    known = _kinds_points(conn, {actor, candidate})
    if actor and actor not in known:
        problem("actor_id", "unknown actor id", actor)
    elif actor and known[actor][0] not in _TARGET_KINDS:
        problem("actor_id", "not a family or person")
    if candidate and candidate not in known:
        problem("candidate_id", "unknown actor id", candidate)
    elif candidate and known[candidate][0] not in PEER_CANDIDATE_KINDS:
        problem("candidate_id", "not a peer (a family, a person, an association or a group)")
    if actor and actor == candidate:
        problem("candidate_id", "an actor cannot be introduced to itself")
    if author.limited and not any(p.column in ("actor_id", "candidate_id") for p in problems):
        scope = personal_scope(conn, set(author.community_points))
        if actor and actor not in scope:
            problem("actor_id", "not a family or person of your Community Point")
        if candidate and known[candidate][0] in _TARGET_KINDS and candidate not in scope:
            problem("candidate_id", "not a family or person of your Community Point")
    if problems:
        return problems, None
    old = _current_introduction(conn, actor, candidate)
    if old is not None:
        if old["status"] == status:
            problem("status", f"already {status}: nothing to change", status)
        elif pd.Timestamp(days.iloc[0]).date() < old["date"]:
            problem("date", "before the introduction's previous status, "
                    f"{old['date']:%d/%m/%Y}", cells["date"])
    return problems, old


def _apply_introduction(conn: Any, author: Any, cells: dict[str, str], old: dict | None,
                        now: datetime) -> dict[str, str]:
    import sqlalchemy as sa

    from genera_graph.io.schema import METADATA

    table = METADATA.tables["introductions"]
    history = METADATA.tables["record_history"]
    day = datetime.strptime(cells["date"], DATE_FORMAT).date()
    if old is None:
        _, point, facilitator = _kinds_points(conn, {cells["actor_id"]})[cells["actor_id"]]
        values = {"introduction_id": "IN-" + uuid.uuid4().hex[:12],
                  "actor_id": cells["actor_id"], "candidate_id": cells["candidate_id"],
                  "community_point_id": point, "facilitator_id": facilitator}
    else:
        values = {k: old[k] for k in ("introduction_id", "actor_id", "candidate_id",
                                      "community_point_id", "facilitator_id")}
    values.update(status=cells["status"], date=day,
                  reason=cells["reason"] or (old or {}).get("reason"),
                  decline_reason=cells["decline_reason"] or None,
                  author=author.user_id, recorded_at=now)
    if old is None:
        conn.execute(sa.insert(table).values(**values))
    else:
        conn.execute(sa.update(table).where(
            table.c.introduction_id == values["introduction_id"]).values(**values))
    row = {c: _text(values[c]) for c in STORE_COLUMNS if c not in ("author", "recorded_at")}
    before = None if old is None else {c: _text(old[c]) for c in row}
    changes = None if before is None else {c: [before[c], v] for c, v in row.items()
                                           if before[c] != v}
    key = json.dumps([row["introduction_id"]])
    last = conn.execute(sa.select(sa.func.max(history.c.version)).where(
        history.c.table_name == "introductions", history.c.record_key == key)).scalar()
    conn.execute(sa.insert(history).values(
        table_name="introductions", record_key=key, version=int(last or 0) + 1,
        action="created" if old is None else "corrected", author=author.user_id, at=now,
        cells=json.dumps(row, ensure_ascii=False),
        changes=None if changes is None else json.dumps(changes, ensure_ascii=False)))
    return row


def _audit(store: Any, author: Any, row: dict[str, str]) -> None:
    """The write's audit entry: who, the action, the ids (never a name)."""
    from genera_graph.io.audit import AuditLog

    AuditLog(store).record(author.user_id, f"introduction_{row['status']}",
                           [row["introduction_id"], row["actor_id"], row["candidate_id"]])
