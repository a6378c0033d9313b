"""The audit log: who did what, when, in an append-only, hash-chained table of the store.

Every entry records the time (UTC), the account (user name, or ``cli:<who>`` for a command run
on the server), an action (``signin``, ``signin_failed``, ``view_actor``, ``view_worklist``,
``download``, ``export``, ``import``, ``user_add``, ``erase``, ...), the ids acted on and a small
JSON detail (counts, page, outcome). Never a person's name nor a field's value: the detail
accepts numbers, booleans and short id-like text only, and refuses anything else.

Each entry carries the SHA-256 hash of the previous entry and its own hash over its content
and that link (the first entry links to 64 zeros), so that editing, removing or re-ordering
an entry breaks the chain: :meth:`AuditLog.verify` walks it and names the first entry that does
not hold. Entries are numbered 1, 2, 3... in one write transaction each (serialised like every
write of the store), so a missing number is seen too.

Notes
-----
A chain shows tampering inside it; it cannot show that its newest entries were cut off, nor
resist someone who rewrites every hash after an edit. :meth:`AuditLog.verify` therefore also
returns the head (the number and hash of the last entry): writing it down elsewhere from time
to time (a coordinator's notebook, an e-mail) anchors the log up to that point.

Examples
--------
>>> import tempfile, pathlib
>>> from genera_graph.io.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> log = AuditLog(store)
>>> log.record("anna", "view_actor", ["H0001"], page="actor")
1
>>> log.record("anna", "download", ["isolation"], rows=12)
2
>>> log.verify().ok
True
>>> log.entries(user="anna")[["seq", "username", "action", "target"]].to_string(index=False)
' seq username     action    target\\n   1     anna view_actor     H0001\\n   2     anna   download isolation'
>>> store.close()
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
import sqlalchemy as sa

from genera_graph.io.auth_schema import define_auth_tables

__all__ = ["GENESIS", "AuditLog", "ChainCheck", "entry_hash"]

_META = sa.MetaData()
define_auth_tables(_META)
_LOG = _META.tables["audit_log"]

#: the link of the first entry
GENESIS = "0" * 64

#: what an id, an action, a user name or a detail text may look like (no spaces: no names)
_TOKEN = re.compile(r"^[A-Za-z0-9_.:/@+-]{0,80}$")

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(store) -> threading.Lock:  # noqa: ANN001 - a Store
    key = str(store.url)
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def _check_token(what: str, value: str) -> str:
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise ValueError(f"audit {what} must be a short id-like text (no spaces), "
                         f"not {type(value).__name__} of length {len(str(value))}")
    return value


def _clean_detail(detail: dict) -> str:
    out = {}
    for key, value in detail.items():
        _check_token("detail key", key)
        if isinstance(value, bool | int | float) or value is None:
            out[key] = value
        else:
            out[key] = _check_token(f"detail {key!r}", value)
    return json.dumps(out, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, seq: int, at: str, username: str, action: str, target: str,
               detail: str) -> str:
    """The hash of an entry: SHA-256 of its link and fields, joined by the unit separator.

    Examples
    --------
    >>> entry_hash(GENESIS, 1, "2026-01-01T00:00:00+00:00", "anna", "signin", "", "{}")[:16]
    '8768b9c2ac853e59'
    """
    text = "\x1f".join([prev_hash, str(seq), at, username, action, target, detail])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of :meth:`AuditLog.verify`.

    Attributes
    ----------
    ok : bool
        Whether every entry holds.
    entries : int
        How many entries were checked.
    bad_seq : int or None
        The first entry that does not hold (``None`` when ``ok``).
    reason : str
        What is wrong with it ("" when ``ok``).
    head_seq, head_hash
        The last entry's number and hash (write them down elsewhere to anchor the log);
        when not ``ok``, those of the last entry that holds.
    problem : {"", "removed", "unlinked", "edited"}
        What is wrong, as a code (for a reader's words: entries before ``bad_seq`` missing,
        a link that is not the previous entry's hash, a hash that is not the content's).
    """

    ok: bool
    entries: int
    bad_seq: int | None
    reason: str
    head_seq: int
    head_hash: str
    problem: str = ""


class AuditLog:
    """The audit log of a store (see the module docstring).

    Parameters
    ----------
    store : genera_graph.io.store.Store
        An open store (schema with the ``audit_log`` table).
    """

    def __init__(self, store) -> None:  # noqa: ANN001 - a Store (no import cycle)
        self.store = store

    def record(self, username: str, action: str, target: Iterable[str] = (),
               **detail: object) -> int:
        """Append one entry; returns its number.

        Parameters
        ----------
        username : str
            Who: an account's user name, ``cli:<name>`` or ``-`` (nobody signed in).
        action : str
            What, as a short verb-like token (``view_actor``).
        target : iterable of str
            The ids acted on (actor ids, table names, account user names).
        **detail
            Numbers, booleans or short id-like texts (counts, page, outcome).

        Raises
        ------
        ValueError
            A field that could hold a name or a value (spaces, long text, another type).
        """
        _check_token("user", username)
        _check_token("action", action)
        ids = [_check_token("target id", str(t)) for t in target]
        target_text = ",".join(ids)
        detail_text = _clean_detail(detail)
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        with _lock_for(self.store), self.store.write_transaction() as conn:
            last = conn.execute(sa.select(_LOG.c.seq, _LOG.c.hash)
                                .order_by(_LOG.c.seq.desc()).limit(1)).first()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            digest = entry_hash(prev, seq, at, username, action, target_text, detail_text)
            conn.execute(sa.insert(_LOG).values(
                seq=seq, at=at, username=username, action=action, target=target_text,
                detail=detail_text, prev_hash=prev, hash=digest))
        return seq

    def entries(self, user: str | None = None, since: date | None = None,
                until: date | None = None, action: str | None = None) -> pd.DataFrame:
        """Entries, oldest first, optionally of one user, one action, from ``since`` (a day,
        included) to ``until`` (a day, included).

        Returns
        -------
        pandas.DataFrame
            ``seq``, ``at`` (UTC timestamp), ``username``, ``action``, ``target``, ``detail``.
        """
        query = sa.select(_LOG.c.seq, _LOG.c.at, _LOG.c.username, _LOG.c.action,
                          _LOG.c.target, _LOG.c.detail).order_by(_LOG.c.seq)
        if user is not None:
            query = query.where(_LOG.c.username == user)
        if action is not None:
            query = query.where(_LOG.c.action == action)
        if since is not None:
            query = query.where(_LOG.c.at >= pd.Timestamp(since).strftime("%Y-%m-%d"))
        if until is not None:
            end = pd.Timestamp(until) + pd.Timedelta(days=1)
            query = query.where(_LOG.c.at < end.strftime("%Y-%m-%d"))
        with self.store.read_transaction() as conn:
            rows = conn.execute(query).all()
        frame = pd.DataFrame(rows, columns=["seq", "at", "username", "action", "target",
                                            "detail"])
        frame["seq"] = frame["seq"].astype("int64")
        frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
        return frame

    def verify(self) -> ChainCheck:
        """Walk the chain from the first entry; name the first entry that does not hold.

        An entry does not hold when its number is not the next one (an entry before it was
        removed), its link is not the previous entry's hash (removed or re-ordered), or its
        hash is not the hash of its content (edited).
        """
        prev, expected, count = GENESIS, 1, 0
        with self.store.read_transaction() as conn:
            rows = conn.execute(sa.select(_LOG).order_by(_LOG.c.seq)).all()
        for row in rows:
            count += 1
            if row.seq != expected:
                return ChainCheck(False, count, int(row.seq),
                                  f"entry {row.seq} follows entry {expected - 1}: "
                                  f"entries {expected}..{row.seq - 1} were removed",
                                  expected - 1, prev, "removed")
            if row.prev_hash != prev:
                return ChainCheck(False, count, int(row.seq),
                                  f"entry {row.seq} does not link to entry {row.seq - 1}: "
                                  "an entry was removed, re-ordered or rewritten",
                                  expected - 1, prev, "unlinked")
            digest = entry_hash(row.prev_hash, row.seq, row.at, row.username, row.action,
                                row.target, row.detail)
            if digest != row.hash:
                return ChainCheck(False, count, int(row.seq),
                                  f"entry {row.seq} was edited: its hash does not match its "
                                  "content", expected - 1, prev, "edited")
            prev, expected = row.hash, expected + 1
        return ChainCheck(True, count, None, "", expected - 1, prev)
