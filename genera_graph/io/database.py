"""A store's database: the engine, its transactions, the schema upgrade, and typed reading.

SQLite files run in WAL mode with foreign keys on and a busy timeout; every import is one
transaction (``BEGIN IMMEDIATE``), so a killed import leaves the store exactly as before.
PostgreSQL writers serialise on an advisory lock; readers read a ``REPEATABLE READ`` snapshot.

Opening a store upgrades its schema (:mod:`genera_graph.io.schema`) in one transaction; a store
newer than the code is refused (:class:`StoreVersionError`).

Callers open a :class:`~genera_graph.io.store.Store`, which adds imports and exports to
:class:`Database`.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event

from genera_graph.io.bulk import Upserts, count_rows, read_table
from genera_graph.io.schema import (
    BUMP_DATA_VERSION,
    DATA_TABLES,
    METADATA,
    SCHEMA_VERSION,
    schema_version,
    upgrade_connection,
)
from genera_graph.model import Dataset

__all__ = ["Database", "StoreBusyError", "StoreMissingFolderError", "StoreVersionError",
           "store_url"]

_log = logging.getLogger(__name__)


class StoreVersionError(RuntimeError):
    """The store was written by a newer version of genera_graph."""


class StoreMissingFolderError(FileNotFoundError):
    """An SQLite store's folder does not exist: the store is never created with its folders
    (a mistyped path would scatter families' data into a new tree)."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"no folder {os.path.dirname(path) or '.'} for the store {path}: "
                         "create the folder first or check the path")


class StoreBusyError(RuntimeError):
    """Another writer held the store for longer than the writer's timeout: nothing written."""

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        super().__init__(
            f"the store is busy: another import or correction has been writing to it for more "
            f"than {timeout_s:g} s; nothing was written, try again when it has finished")


def _suspend_row_triggers(conn: sa.Connection) -> list[str]:
    """Drop SQLite's per-row data version triggers inside a write transaction; their SQL."""
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name LIKE 'genera_data_version_%'").all()
    for name, _sql in rows:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in rows]


def _resume_row_triggers(conn: sa.Connection, triggers: list[str], *, bump: bool) -> None:
    """Bump the data version once (if the transaction wrote rows) and create the triggers
    :func:`_suspend_row_triggers` dropped again."""
    if bump and triggers:
        conn.exec_driver_sql(BUMP_DATA_VERSION)
    for sql in triggers:
        conn.exec_driver_sql(sql)


def _is_busy(exc: sa.exc.OperationalError) -> bool:
    text = str(exc.orig)
    return ("database is locked" in text or "database is busy" in text
            or "lock timeout" in text or "canceling statement due to lock timeout" in text)


def _check_version(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"the store has schema version {version}; this genera_graph knows up to "
            f"{SCHEMA_VERSION}: upgrade genera_graph")


def store_url(url_or_path: str | os.PathLike) -> sa.URL:
    """The SQLAlchemy URL of a store given as a URL or as a file path.

    A path (no ``://``) is an SQLite file; a ``postgresql://`` URL without a driver uses
    psycopg 3.

    Examples
    --------
    >>> store_url("postgresql://u@127.0.0.1:5432/db").drivername
    'postgresql+psycopg'
    >>> store_url("/tmp/x.sqlite").database
    '/tmp/x.sqlite'
    """
    text = os.fspath(url_or_path)
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser().absolute()))
    url = sa.make_url(text)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _create_private(path: str | None) -> None:
    """Create a new SQLite file readable by its owner only (0600) before SQLite does (which
    would follow the umask); SQLite gives its journal and WAL the file's mode. An existing
    file is left as it is (``genera serve`` warns when others may read it)."""
    if not path or path == ":memory:" or os.path.exists(path):
        return
    if not os.path.isdir(os.path.dirname(path) or "."):
        raise StoreMissingFolderError(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class Database:
    """A store's database: connections, transactions, schema upgrade and reading.

    :class:`~genera_graph.io.store.Store` (what callers open) adds imports and exports.

    Parameters
    ----------
    url_or_path : str or path-like
        An SQLite file path (created if missing) or an SQLAlchemy URL
        (``postgresql://user@host:port/db``).
    busy_timeout_s : float
        How long a writer waits for another one before giving up with
        :class:`StoreBusyError` (readers never wait for writers: SQLite runs in WAL mode,
        PostgreSQL reads a snapshot).

    Notes
    -----
    Opening creates or upgrades the schema. The object holds a connection pool: call
    :meth:`close` (or use it as a context manager) when done.
    """

    def __init__(self, url_or_path: str | os.PathLike, *, busy_timeout_s: float = 30.0):
        self.url = store_url(url_or_path)
        self.busy_timeout_s = busy_timeout_s
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
            _create_private(self.url.database)
            self._engine = sa.create_engine(self.url)
            _sqlite_setup(self._engine, busy_timeout_s)
        else:
            self._engine = sa.create_engine(self.url, pool_pre_ping=True)
            if self.dialect == "postgresql":
                _postgres_setup(self._engine)
        self.schema_version = self._upgrade()

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url.render_as_string(hide_password=True)!r})"

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[sa.Connection]:
        """One write transaction (SQLite: ``BEGIN IMMEDIATE``); committed unless it raises.

        Raises
        ------
        StoreBusyError
            When another writer held the store for longer than ``busy_timeout_s``.
        """
        with self._engine.connect() as conn:
            conn = conn.execution_options(genera_begin="IMMEDIATE")
            with self._begin_write(conn):
                yield conn

    @contextlib.contextmanager
    def _begin_write(self, conn: sa.Connection) -> Iterator[None]:
        """Begin a write transaction on ``conn``, waiting at most ``busy_timeout_s`` for it."""
        try:
            transaction = conn.begin()
            if self.dialect == "postgresql":
                conn.exec_driver_sql(
                    f"SET LOCAL lock_timeout = '{int(self.busy_timeout_s * 1000)}ms'")
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727010)")
        except sa.exc.OperationalError as exc:
            if not _is_busy(exc):
                raise
            raise StoreBusyError(self.busy_timeout_s) from exc
        with transaction:
            yield

    @contextlib.contextmanager
    def bulk_write(self) -> Iterator[Upserts]:
        """One write transaction for an import, its rows written by :class:`~.bulk.Upserts`.

        On SQLite, foreign keys are not enforced row by row inside it (that is over 40% of the
        writing time of a large import); instead, before the commit, every id the upserts wrote
        into a reference column is looked up in its table
        (:meth:`~.bulk.Upserts.check_references`), so the transaction still commits only if
        no reference dangles. Imports never delete nor re-key an actor or an activity, so this is
        the check the database would have made. Other transactions, and other connections,
        keep enforcement on. PostgreSQL enforces foreign keys as usual.

        On SQLite the data version's triggers (schema step 7), which run once per row, are
        dropped for the transaction and the version is bumped once before the commit, when a
        row was written (SQLite's count of changed rows moved): they cost 10-20% of a
        million-row import's CPU time. They are
        created again, from their own SQL, in the same transaction (SQLite's DDL is
        transactional: a rollback brings them back too), so every other writer, in any
        process, still bumps the version; no other writer can write while they are
        missing (this transaction holds the write lock).
        """
        sqlite = self.dialect == "sqlite"
        with self._engine.connect() as conn:
            dbapi = conn.connection.dbapi_connection
            if sqlite:  # a no-op inside a transaction: set before BEGIN, reset after the end
                dbapi.execute("PRAGMA foreign_keys = OFF")
            try:
                conn = conn.execution_options(genera_begin="IMMEDIATE")
                with self._begin_write(conn), Upserts(conn, check_references=sqlite) as upserts:
                    triggers = _suspend_row_triggers(conn) if sqlite else []
                    changes = dbapi.total_changes if sqlite else 0
                    yield upserts
                    upserts.check_references()
                    if sqlite:  # any row written (the data, or only an import's run): bump
                        _resume_row_triggers(upserts.conn, triggers,
                                             bump=dbapi.total_changes != changes)
            finally:
                if sqlite:
                    dbapi.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def read_transaction(self) -> Iterator[sa.Connection]:
        """One read transaction on a consistent snapshot."""
        with self._engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _upgrade(self) -> int:
        """Check the schema version; upgrade it if it is older than the code.

        The version is read in a read transaction: opening a store that is up to date takes
        no write lock (a reader opens it while an import runs). Only an upgrade takes the write
        lock, and reads the version again under it (another process may have upgraded).
        """
        with self.read_transaction() as conn:
            version = schema_version(conn)
        _check_version(version)
        if version == SCHEMA_VERSION:
            return SCHEMA_VERSION
        with self.write_transaction() as conn:
            version = schema_version(conn)
            _check_version(version)
            if version < SCHEMA_VERSION:
                upgrade_connection(conn, version, SCHEMA_VERSION)
                _log.info("store schema upgraded from version %d to %d", version,
                          SCHEMA_VERSION)
        return SCHEMA_VERSION

    # -- reading ---------------------------------------------------------------------------

    def load(self, *, cached: bool = False) -> Dataset:
        """The whole store as a :class:`~genera_graph.model.Dataset`.

        Tables come sorted by their natural key, typed as the model's schemas coerce them
        (ids ``str``, dates ``datetime64[ns]``, amounts ``float64``), read from one consistent
        snapshot. ``cached``: through the columnar copy of the store's current state kept
        beside an SQLite file (:mod:`genera_graph.io.snapshot`; written by the first such
        read of each state), the same tables.
        """
        if cached:
            from genera_graph.io.snapshot import load_cached

            return load_cached(self)
        with self.read_transaction() as conn:
            return Dataset(**{name: read_table(conn, name) for name in DATA_TABLES})

    def fingerprint(self) -> str:
        """A cheap token that changes whenever the data change (the last record version
        written from the explorer and the last import run id).

        Use it as a cache key for :meth:`load`.
        """
        with self.read_transaction() as conn:
            last = conn.exec_driver_sql("SELECT max(run_id) FROM import_runs").scalar()
            version = conn.exec_driver_sql("SELECT max(version_id) FROM record_history").scalar()
        return f"v{self.schema_version}:h{version or 0}:r{last or 0}"

    def import_runs(self) -> pd.DataFrame:
        """Every recorded import run, oldest first (one row per imported file)."""
        table = METADATA.tables["import_runs"]
        with self.read_transaction() as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.run_id)).all()
        frame = pd.DataFrame(rows, columns=list(table.c.keys()))
        frame["imported_at"] = pd.to_datetime(frame["imported_at"])
        return frame

    def quarantine(self) -> pd.DataFrame:
        """Rows set aside by partial imports: run id, file, row number, problems, cells (JSON)."""
        table = METADATA.tables["quarantine"]
        with self.read_transaction() as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.id)).all()
        return pd.DataFrame(rows, columns=list(table.c.keys()))

    def counts(self) -> dict[str, int]:
        """Number of rows of every table (data, ``import_runs``, ``quarantine``)."""
        with self.read_transaction() as conn:
            return {name: count_rows(conn, name) for name in
                    [*DATA_TABLES, "import_runs", "quarantine"]}


# -- engine set-up ---------------------------------------------------------------------------

def _sqlite_setup(engine: sa.Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI objects
        # let SQLAlchemy's begin() emit BEGIN, so that reads and DDL are transactional too
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("genera_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _postgres_setup(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # noqa: ANN001 - DBAPI objects
        with dbapi_conn.cursor() as cursor:
            cursor.execute("SET DateStyle TO ISO")
        dbapi_conn.commit()
