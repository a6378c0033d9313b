"""Erasure of a person (GDPR art. 17): everything naming them goes, and stays gone.

:func:`erase_actors` removes, in one write transaction, the actors and every record naming
them: their household memberships, participations, interactions and relations (either end),
the references other rows make to them (an activity's partner, an actor's facilitator or
Community Point: set empty), their follow-ups, and the rows kept as JSON text that hold their
id or their name (quarantined rows of past imports, the explorer's record history). Other modules that keep rows about actors register a hook in
:data:`ERASURE_HOOKS` and are erased in the same transaction.

The erasure ledger (table ``erasures``) keeps one entry per erased id: when, by whom, the rows
removed per table, and a keyed digest of the id (HMAC-SHA256 with a random salt of the store),
never the id or a name in clear. Imports look every incoming row's actor references up in the
ledger (:func:`erased_mask`): an old register that still holds the person is imported without
them, each skipped row reported as a warning naming the file and row, not the person.

The audit log's entry of an erasure (``genera erase``) names the ledger's entries
(``erasure:<id>``, :attr:`ErasureResult.audit_targets`), not the erased id: after the erasure,
nothing the store writes ties the id to the person again. What remains, and why:

- the ledger's keyed digest of the id: it is what lets an import recognise the person in an
  old register (and so anyone holding the store's file, its salt included, and the id can
  test it); it holds neither the id nor a name;
- earlier audit entries that name the id (a view of the person's page, a download, an
  introduction marked): the audit log is append-only and hash-chained, so they are not
  rewritten (a rewritten entry breaks the chain, and the record of who saw what is the
  accountability the GDPR asks of the controller, art. 5(2)). They hold the id only, a
  pseudonymous code of the programme's registers, never a name or a value: once the actor
  is gone from the store, only a register kept outside it links the code to a person.

On SQLite the deletion runs with ``secure_delete`` (freed pages are overwritten with zeros);
then the write-ahead log is checkpointed and truncated, the file is rebuilt (``VACUUM``) and the
log truncated again, so that the person's name is not left in the file's free pages nor in the
log. On PostgreSQL the touched tables are vacuumed; copies in the server's WAL archive and in
backups are outside the store's reach (say so to the person who asked).

Examples
--------
>>> import dataclasses, tempfile, pathlib
>>> import pandas as pd
>>> from genera_graph.io.store import Store
>>> from genera_graph.model import Dataset
>>> actors = pd.DataFrame({"actor_id": ["CP01", "H01"], "kind": ["community_point", "household"],
...     "name": ["Punto", "Famiglia Esposito"], "community_point_id": ["CP01", "CP01"],
...     "first_met": pd.to_datetime(["2016-05-18", "2016-06-01"])})
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> dataset = dataclasses.replace(Dataset.empty(), actors=actors)
>>> store.import_dataset(dataset.validated()).ok
True
>>> result = erase_actors(store, ["H01"], by="cli:dpo")
>>> result.removed["actors"], result.bytes_cleared, result.audit_targets
(1, True, ['erasure:1'])
>>> again = dataclasses.replace(dataset, actors=pd.concat([actors, actors.iloc[[1]].assign(
...     actor_id="H02", name="Famiglia Nuova")]))  # an old register, with a new row too
>>> [(str(w.row), w.column, w.rule) for w in store.import_dataset(again.validated()).warnings]
[('3', 'actor_id', 'erased')]
>>> list(store.load().actors["actor_id"])
['CP01', 'H02']
>>> store.close()
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from genera_graph.io.auth_schema import define_auth_tables

__all__ = ["ERASURE_HOOKS", "ACTOR_REFERENCES", "ErasedIds", "ErasureResult", "erase_actors",
           "erased_digests", "erased_mask", "finish_erasure", "id_digest"]

_log = logging.getLogger(__name__)

_META = sa.MetaData()
define_auth_tables(_META)
_ERASURES = _META.tables["erasures"]
_SECRETS = _META.tables["store_secrets"]

#: table -> the columns that name an actor (rows naming an erased actor there are removed)
ACTOR_REFERENCES: dict[str, tuple[str, ...]] = {
    "household_members": ("household_id", "individual_id"),
    "participations": ("actor_id",),
    "interactions": ("source_actor_id", "target_actor_id"),
    "relations": ("actor_id", "partner_id"),
    "followups": ("household_id",),
    "introductions": ("actor_id", "candidate_id"),
    "actors": ("actor_id",),
}

#: tables keeping rows as JSON text (table -> id column, text columns): a row whose text holds
#: an erased id or name is removed (past imports' quarantine, the explorer's record history)
_JSON_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "quarantine": ("id", ("cells",)),
    "record_history": ("version_id", ("record_key", "cells", "changes")),
}

#: table -> the columns whose reference to an erased actor is set empty (the row stays)
_NULLED: dict[str, tuple[str, ...]] = {
    "activities": ("partner_id",),
    "actors": ("facilitator_id", "community_point_id"),
    "introductions": ("facilitator_id", "community_point_id"),
}

#: hooks of other modules: ``hook(conn, ids) -> {table: rows removed}``, run in the erasure's
#: transaction (for the tables those modules add: records' history, follow-ups...)
ERASURE_HOOKS: list[Callable[[sa.Connection, list[str]], dict[str, int]]] = []


@dataclass(frozen=True)
class ErasureResult:
    """What :func:`erase_actors` did.

    Attributes
    ----------
    erased : tuple of str
        The ids erased (as given: for the caller's eyes only, never logged).
    removed : dict
        Rows removed per table (and references set empty, as ``"<table>.<column>"``).
    bytes_cleared : bool
        SQLite: whether the checkpoint and ``VACUUM`` ran to the end (``False`` when another
        connection kept the log busy: run the erasure's clean-up again with the explorer
        stopped). PostgreSQL: whether the vacuum ran.
    ledger_ids : tuple of int
        The erasure ledger's entries (``erasures.erasure_id``), one per erased id: what the
        audit log names (:attr:`audit_targets`), never the id.
    """

    erased: tuple[str, ...]
    removed: dict[str, int] = field(default_factory=dict)
    bytes_cleared: bool = False
    ledger_ids: tuple[int, ...] = ()

    @property
    def audit_targets(self) -> list[str]:
        """The audit entry's targets: ``erasure:<ledger id>`` per erased id."""
        return [f"erasure:{i}" for i in self.ledger_ids]


def _salt(conn: sa.Connection, create: bool) -> bytes | None:
    row = conn.execute(sa.select(_SECRETS.c.value).where(_SECRETS.c.name == "erasure_salt")
                       ).first()
    if row is not None:
        return bytes.fromhex(row[0])
    if not create:
        return None
    value = secrets.token_bytes(32)
    conn.execute(sa.insert(_SECRETS).values(name="erasure_salt", value=value.hex()))
    return value


def id_digest(salt: bytes, actor_id: str) -> str:
    """The ledger's digest of an id: hex HMAC-SHA256 of the id with the store's salt.

    Examples
    --------
    >>> id_digest(bytes(32), "H0001")[:12]
    'e892816c539a'
    """
    return hmac.new(salt, str(actor_id).encode("utf-8"), hashlib.sha256).hexdigest()


def erased_digests(conn: sa.Connection) -> tuple[bytes | None, frozenset[str]]:
    """The store's salt and the digests of every erased id (``(None, empty)`` if none)."""
    salt = _salt(conn, create=False)
    if salt is None:
        return None, frozenset()
    rows = conn.execute(sa.select(_ERASURES.c.id_digest)).all()
    return salt, frozenset(r[0] for r in rows)


class ErasedIds:
    """The erased ids of a store, to look incoming rows up in (one import).

    Each distinct incoming id is digested once (:func:`id_digest`) and compared with the
    ledger's digests; a store without erasures costs nothing.
    """

    def __init__(self, salt: bytes | None, digests: frozenset[str]) -> None:
        self._salt = salt
        self._digests = digests
        self._seen: dict[str, bool] = {}

    @classmethod
    def from_conn(cls, conn: sa.Connection) -> ErasedIds:
        return cls(*erased_digests(conn))

    @property
    def empty(self) -> bool:
        return not self._digests

    def mask(self, values: pd.Series) -> np.ndarray:
        """Which values are erased ids."""
        if self.empty or not len(values):
            return np.zeros(len(values), dtype=bool)
        present = values.notna().to_numpy(dtype=bool)
        text = values.astype(object).where(present, None)
        for v in pd.unique(text[present]):
            key = str(v)
            if key not in self._seen:
                self._seen[key] = id_digest(self._salt, key) in self._digests
        return np.fromiter((bool(v is not None and self._seen.get(str(v), False))
                            for v in text), dtype=bool, count=len(values))

    def rows_about(self, table: str, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        """Column -> rows of a register table that are about an erased actor (to be skipped:
        every :data:`ACTOR_REFERENCES` column)."""
        return {col: m for col in ACTOR_REFERENCES.get(table, ()) if col in frame
                for m in [self.mask(frame[col])] if m.any()}

    def references(self, table: str, frame: pd.DataFrame) -> dict[str, np.ndarray]:
        """Column -> rows that merely refer to an erased actor (an activity's partner, an
        actor's facilitator or point: the reference is left empty, the row kept)."""
        return {col: m for col in _NULLED.get(table, ()) if col in frame
                for m in [self.mask(frame[col])] if m.any()}


def erased_mask(conn: sa.Connection, table: str, frame: pd.DataFrame) -> np.ndarray:
    """Which rows of a register table are about an erased actor (any column of
    :data:`ACTOR_REFERENCES`)."""
    erased = ErasedIds.from_conn(conn)
    mask = np.zeros(len(frame), dtype=bool)
    for m in erased.rows_about(table, frame).values():
        mask |= m
    return mask


def _json_hits(conn: sa.Connection, table: str, needles: list[str]) -> list[int]:
    """Ids of the rows of a JSON-keeping table whose text holds one of the needles (an id or
    a name, as a whole JSON string value or inside one)."""
    id_col, text_cols = _JSON_TABLES[table]
    if not sa.inspect(conn).has_table(table):  # pragma: no cover - every step has them
        return []
    rows = conn.exec_driver_sql(
        f"SELECT {id_col}, {', '.join(text_cols)} FROM {table}").fetchall()
    escaped = [json.dumps(n)[1:-1] for n in needles if n]
    hits = []
    for row in rows:
        text = " ".join(str(v) for v in row[1:] if v is not None)
        if any(n in text for n in needles if n) or any(e in text for e in escaped):
            hits.append(int(row[0]))
    return hits


def erase_actors(store, actor_ids: Iterable[str], *, by: str,  # noqa: ANN001 - a Store
                 with_members: bool = False, wait_s: float | None = None) -> ErasureResult:
    """Erase actors and every record naming them (see the module docstring).

    Parameters
    ----------
    store : genera_graph.io.store.Store
    actor_ids : iterable of str
        The actors to erase.
    by : str
        Who asked (an account's user name or ``cli:<name>``), for the ledger.
    with_members : bool
        Also erase the individuals who are (or were) members of an erased household.
    wait_s : float, optional
        How long the file's clean-up waits for other connections' readings (default: the
        store's busy time-out); see :func:`finish_erasure`.

    Returns
    -------
    ErasureResult

    Raises
    ------
    KeyError
        An id names no actor of the store (nothing is erased).
    """
    ids = sorted({str(i).strip() for i in actor_ids if str(i).strip()})
    if not ids:
        raise ValueError("no actor id to erase")
    removed: dict[str, int] = {}
    sqlite = store.dialect == "sqlite"
    with store.write_transaction() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        found = conn.execute(sa.text("SELECT actor_id, name, kind FROM actors "
                                     "WHERE actor_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": ids}).all()
        missing = sorted(set(ids) - {r[0] for r in found})
        if missing:
            raise KeyError(f"no actor {', '.join(missing)} in the store")
        if with_members:
            households = [r[0] for r in found if r[2] == "household"]
            if households:
                members = conn.execute(sa.text(
                    "SELECT DISTINCT individual_id FROM household_members "
                    "WHERE household_id IN :h").bindparams(sa.bindparam("h", expanding=True)),
                    {"h": households}).scalars().all()
                ids = sorted(set(ids) | set(members))
                found = conn.execute(sa.text("SELECT actor_id, name, kind FROM actors "
                                             "WHERE actor_id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)), {"ids": ids}).all()
        names = [str(r[1]) for r in found]
        in_ids = sa.bindparam("ids", expanding=True)
        for table, columns in _NULLED.items():
            for col in columns:
                done = conn.execute(sa.text(
                    f"UPDATE {table} SET {col} = NULL WHERE {col} IN :ids").bindparams(in_ids),
                    {"ids": ids}).rowcount
                if done:
                    removed[f"{table}.{col}"] = int(done)
        for table, columns in ACTOR_REFERENCES.items():
            where = " OR ".join(f"{c} IN :ids" for c in columns)
            done = conn.execute(sa.text(f"DELETE FROM {table} WHERE {where}").bindparams(
                in_ids), {"ids": ids}).rowcount
            removed[table] = int(done)
        for table, (id_col, _) in _JSON_TABLES.items():
            hits = _json_hits(conn, table, ids + names)
            if hits:
                conn.execute(sa.text(f"DELETE FROM {table} WHERE {id_col} IN :q").bindparams(
                    sa.bindparam("q", expanding=True)), {"q": hits})
            removed[table] = len(hits)
        for hook in ERASURE_HOOKS:
            for table, count in hook(conn, ids).items():
                removed[table] = removed.get(table, 0) + int(count)
        salt = _salt(conn, create=True)
        at = datetime.now(UTC).isoformat(timespec="seconds")
        counts = json.dumps(removed, sort_keys=True)
        ledger = tuple(int(conn.execute(sa.insert(_ERASURES).values(
            erased_at=at, username=by, id_digest=id_digest(salt, i), counts=counts)
        ).inserted_primary_key[0]) for i in ids)
    from genera_graph.io.snapshot import discard

    discard(store)  # the columnar copies of the store held the person too
    cleared = _clear_bytes(store, wait_s)
    _log.info("erasure: %d actor(s), %d row(s) removed", len(ids), sum(removed.values()))
    return ErasureResult(tuple(ids), removed, cleared, ledger)


def finish_erasure(store, wait_s: float | None = None) -> bool:  # noqa: ANN001 - a Store
    """Complete the clean-up of erasures already made: on SQLite, with ``secure_delete``,
    checkpoint and truncate the write-ahead log, rebuild the file (``VACUUM``) and truncate
    the log again; on PostgreSQL, vacuum the touched tables.

    An erasure (:func:`erase_actors`) removes the rows at once, but while another connection
    reads the store (the explorer running) the log cannot be checkpointed and the old pages
    stay in it (``ErasureResult.bytes_cleared`` is then ``False``). Running the erasure again
    cannot help: the person is no longer there. This does the clean-up alone, erasing nothing.

    Parameters
    ----------
    store : genera_graph.io.store.Store
    wait_s : float, optional
        How long each checkpoint waits for the other connections' readings to end (default:
        the store's busy time-out).

    Returns
    -------
    bool
        Whether it ran to the end (``False``: another connection still holds the log; stop
        the explorer and call it again).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from genera_graph.io.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
    >>> finish_erasure(store)
    True
    >>> store.close()
    """
    return _clear_bytes(store, wait_s)


def _clear_bytes(store, wait_s: float | None = None) -> bool:  # noqa: ANN001 - a Store
    """Make the deleted rows' bytes go from the database files (see the module docstring)."""
    store._engine.dispose()  # no pooled connection keeps an old snapshot
    with store._engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        if store.dialect == "sqlite":
            dbapi.execute("PRAGMA secure_delete = ON")  # the pages VACUUM frees are zeroed
            if wait_s is not None:
                dbapi.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
            busy = dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            dbapi.execute("VACUUM")
            busy |= dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            return not busy
        if store.dialect == "postgresql":
            dbapi.autocommit = True
            try:
                for table in [*ACTOR_REFERENCES, *_NULLED, *_JSON_TABLES]:
                    dbapi.execute(f"VACUUM {table}")
            finally:
                dbapi.autocommit = False
            return True
    return False
