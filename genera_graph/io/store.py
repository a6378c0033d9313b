"""The store: the single source of truth, an SQLite file by default or any SQLAlchemy URL.

The six tables of the data model live in tables of the same names and columns (ids as text,
dates as SQL ``DATE``), keyed by the registers' natural keys
(:attr:`~genera_graph.io.registers.Register.key`), with foreign keys from every actor or
activity reference (deferred: checked at commit; an SQLite import checks the ids it wrote
once, before its commit, instead of row by row: see ``Store._bulk_write``). Two more tables
record the imports: ``import_runs`` (one row per imported file: content hash, file name, time,
counts, status) and ``quarantine`` (the rows a partial import set aside, with their problems).

The schema is versioned (table ``genera_schema``): opening a store upgrades it, in one
transaction, through the numbered steps of ``_MIGRATIONS``; a store newer than the code is
refused.

SQLite files run in WAL mode with foreign keys on and a busy timeout; every import is one
transaction (``BEGIN IMMEDIATE``), so a killed import leaves the store exactly as before.

Examples
--------
>>> import tempfile, pathlib
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> store.schema_version, store.fingerprint()
(2, 'v2:r0')
>>> len(store.load().actors)
0
>>> store.close()
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy import event

from genera_graph.io.registers import REGISTERS, write_registers
from genera_graph.model import TABLE_SCHEMAS, Dataset

if TYPE_CHECKING:
    from genera_graph.io.importer import ImportResult

__all__ = ["SCHEMA_VERSION", "REFERENCES", "TABLE_KEYS", "Store", "StoreVersionError",
           "open_store", "store_url"]

_log = logging.getLogger(__name__)

#: the schema version this code writes
SCHEMA_VERSION = 2

#: table -> natural key (the primary key of its store table)
TABLE_KEYS: dict[str, tuple[str, ...]] = {}
for _reg in REGISTERS:
    TABLE_KEYS.setdefault(_reg.table, _reg.key)

#: table -> {column: referenced table}: every id that must name an actor or an activity
REFERENCES: dict[str, dict[str, str]] = {
    "actors": {"community_point_id": "actors", "facilitator_id": "actors"},
    "household_members": {"household_id": "actors", "individual_id": "actors"},
    "activities": {"community_point_id": "actors", "partner_id": "actors"},
    "participations": {"activity_id": "activities", "actor_id": "actors"},
    "interactions": {"source_actor_id": "actors", "target_actor_id": "actors",
                     "community_point_id": "actors"},
    "relations": {"actor_id": "actors", "partner_id": "actors", "activity_id": "activities",
                  "community_point_id": "actors"},
}

_PRIMARY = {"actors": "actor_id", "activities": "activity_id"}


class StoreVersionError(RuntimeError):
    """The store was written by a newer version of genera_graph."""


def _model_tables(metadata: sa.MetaData) -> None:
    """The six data tables, as of schema version 1 (frozen: change them by a new step)."""
    t, d, f = sa.Text, sa.Date, sa.Float

    def ref(table: str) -> sa.ForeignKey:
        return sa.ForeignKey(f"{table}.{_PRIMARY[table]}", deferrable=True,
                             initially="DEFERRED")

    sa.Table(
        "actors", metadata,
        sa.Column("actor_id", t, primary_key=True),
        sa.Column("kind", t, nullable=False),
        sa.Column("name", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("municipality", t),
        sa.Column("facilitator_id", t, ref("actors")),
        sa.Column("first_met", d, nullable=False),
        sa.Column("left_on", d),
    )
    sa.Table(
        "household_members", metadata,
        sa.Column("household_id", t, ref("actors"), primary_key=True),
        sa.Column("individual_id", t, ref("actors"), primary_key=True),
        sa.Column("role", t, nullable=False),
        sa.Column("start_date", d, primary_key=True),
        sa.Column("end_date", d),
    )
    sa.Table(
        "activities", metadata,
        sa.Column("activity_id", t, primary_key=True),
        sa.Column("kind", t, nullable=False),
        sa.Column("programme", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("title", t, nullable=False),
        sa.Column("start_date", d, nullable=False),
        sa.Column("end_date", d),
        sa.Column("funding_eur", f),
        sa.Column("partner_id", t, ref("actors")),
    )
    sa.Table(
        "participations", metadata,
        sa.Column("activity_id", t, ref("activities"), primary_key=True),
        sa.Column("actor_id", t, ref("actors"), primary_key=True),
        sa.Column("date", d, primary_key=True),
        sa.Column("role", t, nullable=False),
        sa.Column("source", t, nullable=False),
    )
    sa.Table(
        "interactions", metadata,
        sa.Column("interaction_id", t, primary_key=True),
        sa.Column("date", d, nullable=False),
        sa.Column("source_actor_id", t, ref("actors"), nullable=False),
        sa.Column("target_actor_id", t, ref("actors"), nullable=False),
        sa.Column("kind", t, nullable=False),
        sa.Column("nature", t, nullable=False),
        sa.Column("programme", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("source", t, nullable=False),
    )
    sa.Table(
        "relations", metadata,
        sa.Column("relation_id", t, primary_key=True),
        sa.Column("kind", t, nullable=False),
        sa.Column("actor_id", t, ref("actors"), nullable=False),
        sa.Column("partner_id", t, ref("actors"), nullable=False),
        sa.Column("activity_id", t, ref("activities")),
        sa.Column("start_date", d, nullable=False),
        sa.Column("end_date", d),
        sa.Column("nature", t, nullable=False),
        sa.Column("programme", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("source", t, nullable=False),
    )
    sa.Table(
        "import_runs", metadata,
        sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("register", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_accepted", sa.Integer, nullable=False),
        sa.Column("rows_quarantined", sa.Integer, nullable=False),
        sa.Column("rows_new", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
    )


def _quarantine_table(metadata: sa.MetaData) -> None:
    """Schema version 2: rows set aside by partial imports."""
    sa.Table(
        "quarantine", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("import_runs.run_id"), nullable=False,
                  index=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("row_number", sa.Integer),
        sa.Column("problems", sa.Text, nullable=False),
        #: the row's cells as they were read, as a JSON object
        sa.Column("cells", sa.Text, nullable=False),
    )


_METADATA = sa.MetaData()
sa.Table("genera_schema", _METADATA, sa.Column("version", sa.Integer, nullable=False))
_model_tables(_METADATA)
_quarantine_table(_METADATA)

_DATA_TABLES = list(TABLE_SCHEMAS)


def _migrate_1(conn: sa.Connection) -> None:
    _METADATA.create_all(conn, tables=[_METADATA.tables[n] for n in
                                       [*_DATA_TABLES, "import_runs"]])


def _migrate_2(conn: sa.Connection) -> None:
    _METADATA.create_all(conn, tables=[_METADATA.tables["quarantine"]])


#: step number -> function that upgrades a store from ``step - 1`` to ``step``
_MIGRATIONS = {1: _migrate_1, 2: _migrate_2}


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


class Store:
    """A genera_graph store (see the module docstring).

    Parameters
    ----------
    url_or_path : str or path-like
        An SQLite file path (created if missing) or an SQLAlchemy URL
        (``postgresql://user@host:port/db``).
    busy_timeout_s : float
        How long an SQLite writer waits for another one before giving up.

    Notes
    -----
    Opening creates or upgrades the schema. The object holds a connection pool: call
    :meth:`close` (or use it as a context manager) when done.
    """

    def __init__(self, url_or_path: str | os.PathLike, *, busy_timeout_s: float = 30.0):
        self.url = store_url(url_or_path)
        self.dialect = self.url.get_backend_name()
        if self.dialect == "sqlite":
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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One write transaction (SQLite: ``BEGIN IMMEDIATE``); committed unless it raises."""
        with self._engine.connect() as conn:
            conn = conn.execution_options(genera_begin="IMMEDIATE")
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727010)")
                yield conn

    @contextlib.contextmanager
    def _bulk_write(self) -> Iterator[_Upserts]:
        """One write transaction for an import, whose rows go through :class:`_Upserts`.

        On SQLite, foreign keys are not enforced row by row inside it (that is over 40% of the
        writing time of a large import); instead, before the commit, every id the upserts wrote
        into a reference column is looked up in its table
        (:meth:`_Upserts.check_references`), so the transaction still commits only if no
        reference dangles. Imports never delete nor re-key an actor or an activity, so this is
        the check the database would have made. Other transactions, and other connections,
        keep enforcement on. PostgreSQL enforces foreign keys as usual.
        """
        sqlite = self.dialect == "sqlite"
        with self._engine.connect() as conn:
            dbapi = conn.connection.dbapi_connection
            if sqlite:  # a no-op inside a transaction: set before BEGIN, reset after the end
                dbapi.execute("PRAGMA foreign_keys = OFF")
            try:
                conn = conn.execution_options(genera_begin="IMMEDIATE")
                with conn.begin(), _Upserts(conn, check_references=sqlite) as upserts:
                    if self.dialect == "postgresql":
                        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(727010)")
                    yield upserts
                    upserts.check_references()
            finally:
                if sqlite:
                    dbapi.execute("PRAGMA foreign_keys = ON")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        """One read transaction on a consistent snapshot."""
        with self._engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def _upgrade(self) -> int:
        with self._write() as conn:
            version = _schema_version(conn)
            if version > SCHEMA_VERSION:
                raise StoreVersionError(
                    f"the store has schema version {version}; this genera_graph knows up to "
                    f"{SCHEMA_VERSION}: upgrade genera_graph")
            if version < SCHEMA_VERSION:
                _upgrade_connection(conn, version, SCHEMA_VERSION)
                _log.info("store schema upgraded from version %d to %d", version,
                          SCHEMA_VERSION)
        return SCHEMA_VERSION

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> Dataset:
        """The whole store as a :class:`~genera_graph.model.Dataset`.

        Tables come sorted by their natural key, typed as the model's schemas coerce them
        (ids ``str``, dates ``datetime64[ns]``, amounts ``float64``), read from one consistent
        snapshot.
        """
        with self._read() as conn:
            return Dataset(**{name: _read_table(conn, name) for name in _DATA_TABLES})

    def fingerprint(self) -> str:
        """A cheap token that changes whenever the data change (the last import run id).

        Use it as a cache key for :meth:`load`.
        """
        with self._read() as conn:
            last = conn.exec_driver_sql("SELECT max(run_id) FROM import_runs").scalar()
        return f"v{self.schema_version}:r{last or 0}"

    def import_runs(self) -> pd.DataFrame:
        """Every recorded import run, oldest first (one row per imported file)."""
        table = _METADATA.tables["import_runs"]
        with self._read() as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.run_id)).all()
        frame = pd.DataFrame(rows, columns=list(table.c.keys()))
        frame["imported_at"] = pd.to_datetime(frame["imported_at"])
        return frame

    def quarantine(self) -> pd.DataFrame:
        """Rows set aside by partial imports: run id, file, row number, problems, cells (JSON)."""
        table = _METADATA.tables["quarantine"]
        with self._read() as conn:
            rows = conn.execute(sa.select(table).order_by(table.c.id)).all()
        return pd.DataFrame(rows, columns=list(table.c.keys()))

    def counts(self) -> dict[str, int]:
        """Number of rows of every table (data, ``import_runs``, ``quarantine``)."""
        with self._read() as conn:
            return {name: _count(conn, name) for name in
                    [*_DATA_TABLES, "import_runs", "quarantine"]}

    # -- writing ---------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                     partial: bool = False,
                     progress: bool | Callable[[str, int], None] = False,
                     chunk_rows: int | None = None) -> ImportResult:
        """Import register files (CSV or XLSX) or folders of them, in one transaction.

        See :func:`genera_graph.io.importer.import_paths`.
        """
        from genera_graph.io.importer import import_paths

        return import_paths(self, paths, partial=partial, progress=progress,
                            chunk_rows=chunk_rows)

    def import_dataset(self, dataset: Dataset, *, partial: bool = False,
                       label: str = "dataset") -> ImportResult:
        """Import an in-memory dataset, validated and upserted exactly as register files are.

        See :func:`genera_graph.io.importer.import_dataset`.
        """
        from genera_graph.io.importer import import_dataset

        return import_dataset(self, dataset, partial=partial, label=label)

    def export(self, folder: str | os.PathLike) -> list[Path]:
        """Write the store as register files (see :func:`~genera_graph.io.write_registers`)."""
        return write_registers(self.load(), folder)


def open_store(url_or_path: str | os.PathLike) -> Store:
    """Open (create or upgrade) a store: ``Store(url_or_path)``."""
    return Store(url_or_path)


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


def _schema_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("genera_schema"):
        return 0
    return int(conn.exec_driver_sql("SELECT max(version) FROM genera_schema").scalar() or 0)


def _upgrade_connection(conn: sa.Connection, current: int, target: int) -> None:
    """Run the migration steps ``current + 1 .. target`` on an open transaction."""
    if current == 0:
        _METADATA.tables["genera_schema"].create(conn, checkfirst=True)
    for step in range(current + 1, target + 1):
        _MIGRATIONS[step](conn)
    conn.execute(sa.delete(_METADATA.tables["genera_schema"]))
    conn.execute(sa.insert(_METADATA.tables["genera_schema"]).values(version=target))


# -- table I/O -------------------------------------------------------------------------------

def _columns(table: str) -> list[str]:
    return list(_METADATA.tables[table].c.keys())


def _date_columns(table: str) -> list[str]:
    return [c.name for c in _METADATA.tables[table].c if isinstance(c.type, sa.Date)]


def _float_columns(table: str) -> list[str]:
    return [c.name for c in _METADATA.tables[table].c if isinstance(c.type, sa.Float)]


def _count(conn: sa.Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())


def _read_table(conn: sa.Connection, name: str) -> pd.DataFrame:
    cols = _columns(name)
    dates = set(_date_columns(name))
    select = ", ".join(f"CAST({c} AS TEXT)" if c in dates else c for c in cols)
    order = ", ".join(TABLE_KEYS[name])
    rows = conn.exec_driver_sql(f"SELECT {select} FROM {name} ORDER BY {order}").fetchall()
    data = list(zip(*rows, strict=True)) if rows else [()] * len(cols)
    frame = {}
    floats = set(_float_columns(name))
    for col, values in zip(cols, data, strict=True):
        if col in dates:
            frame[col] = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d"
                                        ).astype("datetime64[ns]")
        elif col in floats:
            frame[col] = pd.Series(values, dtype="float64")
        else:
            frame[col] = pd.Series(values, dtype="str")
    return pd.DataFrame(frame, columns=cols)


def _db_values(frame: pd.DataFrame, table: str) -> dict[str, np.ndarray]:
    """A typed table as DB-API values per column: text, ISO dates, floats; missing as None."""
    out = {}
    dates = set(_date_columns(table))
    floats = set(_float_columns(table))
    for col in _columns(table):
        if col not in frame:
            out[col] = np.full(len(frame), None, dtype=object)
        elif col in dates:
            # few distinct days: format each once, then index (strftime per row is slow)
            codes, days = pd.factorize(frame[col])
            iso = np.asarray(pd.DatetimeIndex(days).strftime("%Y-%m-%d"), dtype=object)
            out[col] = np.append(iso, None)[codes]  # code -1 (missing) -> None
        elif col in floats:
            values = frame[col].to_numpy(dtype="float64", na_value=np.nan).astype(object)
            values[frame[col].isna().to_numpy()] = None
            out[col] = values
        else:
            out[col] = frame[col].to_numpy(dtype=object, na_value=None)
    return out


def _conflict_clause(table: str, columns: Iterable[str] | None) -> str:
    """``ON CONFLICT (key) DO UPDATE SET ...`` for the columns the source has."""
    cols = _columns(table)
    key = TABLE_KEYS[table]
    present = set(cols if columns is None else columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in key and c in present)
    return f"ON CONFLICT ({', '.join(key)}) " + (f"DO UPDATE SET {updates}" if updates
                                                 else "DO NOTHING")


def _upsert(conn: sa.Connection, table: str, frame: pd.DataFrame,
            columns: Iterable[str] | None = None) -> None:
    """Insert or update (by natural key) the rows of a typed table, in bulk.

    ``columns``: the columns the source has; an update leaves the others as they were (a
    register without its optional ``municipality`` column does not erase municipalities).

    PostgreSQL: ``COPY`` into a temporary table, then one
    ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``; other databases: ``executemany``. SQLite
    writes through :class:`_Upserts` instead (:func:`_sqlite_upsert`). The rows must not
    repeat a key.
    """
    if not len(frame):
        return
    cols = _columns(table)
    conflict = _conflict_clause(table, columns)
    values = _db_values(frame, table)
    dbapi = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        stage = f"_stage_{table}"
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table}) ON COMMIT DROP")
        conn.exec_driver_sql(f"TRUNCATE {stage}")
        text = io.StringIO()
        pd.DataFrame(values).to_csv(text, header=False, index=False, na_rep="")
        with dbapi.cursor() as cursor:
            copy_sql = f"COPY {stage} ({', '.join(cols)}) FROM STDIN (FORMAT csv)"
            with cursor.copy(copy_sql) as copy:
                copy.write(text.getvalue())
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {stage} "
            f"{conflict}")
        return
    marks = ", ".join("?" * len(cols)) if conn.dialect.paramstyle == "qmark" else ", ".join(
        ["%s"] * len(cols))
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks}) {conflict}"
    cursor = dbapi.cursor()
    try:
        cursor.executemany(sql, zip(*(values[c] for c in cols), strict=True))
    finally:
        cursor.close()


def _sqlite_upsert(table: str, frame: pd.DataFrame,
                   columns: Iterable[str] | None) -> tuple[str, list[pa.Array]]:
    """The SQLite upsert of a typed table: one statement, and its rows as Arrow columns.

    The statement takes one parameter, the rows as a JSON array of arrays
    (:func:`_json_rows`), that SQLite unpacks itself (``json_each``): the whole chunk is one
    ``sqlite3_step`` call, during which Python's sqlite3 module releases the GIL.
    """
    cols = _columns(table)
    select = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(cols)))
    # "WHERE true": SQLite's grammar needs it between a SELECT and an upsert's ON CONFLICT
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM json_each(?) "
           f"WHERE true {_conflict_clause(table, columns)}")
    return sql, _arrow_columns(frame, table)


def _arrow_columns(frame: pd.DataFrame, table: str) -> list[pa.Array]:
    """A typed table's columns, in the store's order, as Arrow arrays (no copy of text)."""
    arrays = []
    for col in _columns(table):
        if col in frame:
            arrays.append(pa.array(frame[col].array if frame[col].dtype != "float64"
                                   else frame[col].to_numpy(), from_pandas=True))
        else:
            arrays.append(pa.nulls(len(frame)))
    return arrays


_JSON = pa.large_string()


def _json_rows(arrays: list[pa.Array]) -> str:
    r"""Columns as the JSON text of an array of row arrays, built by Arrow kernels.

    ``arrays`` may be Arrow arrays or chunked arrays of equal length. Text is escaped as JSON
    requires (backslash, quote, control characters), dates are ISO
    ``yyyy-mm-dd`` strings, finite numbers are numbers, and missing values (and non-finite
    numbers) are ``null``. Arrow's kernels release the GIL.

    Examples
    --------
    >>> _json_rows([pa.array(['a"b', None]), pa.array([1.5, float("nan")]),
    ...             pa.array([pd.Timestamp("2017-04-03"), None])])
    '[["a\\"b",1.5,"2017-04-03"],[null,null,null]]'
    """
    import pyarrow.compute as pc

    # each row is "[" cell "," cell ... "]": literal text between the cells is merged, and a
    # text or date column without missing values gets its quotes there too (no per-cell work)
    pieces: list[pa.Array | pa.ChunkedArray | str] = ["["]
    for i, array in enumerate(arrays):
        if i:
            pieces.append(",")
        if pa.types.is_floating(array.type):
            number = pc.if_else(pc.is_finite(array), pc.cast(array, _JSON), None)
            pieces.append(pc.fill_null(number, pa.scalar("null", _JSON)))
            continue
        if pa.types.is_null(array.type):
            pieces.append("null")
            continue
        if pa.types.is_timestamp(array.type) or pa.types.is_date(array.type):
            text = pc.cast(pc.cast(array, pa.date32()), _JSON)
        else:
            text = pc.cast(array, _JSON)
            if _needs_escape(text):
                for char, escaped in _JSON_ESCAPES:
                    text = pc.replace_substring(text, char, escaped)
        if text.null_count:
            quote, empty = pa.scalar('"', _JSON), pa.scalar("", _JSON)
            quoted = pc.binary_join_element_wise(quote, text, quote, empty)
            pieces.append(pc.fill_null(quoted, pa.scalar("null", _JSON)))
        else:
            pieces += ['"', text, '"']
    pieces.append("]")
    merged: list[pa.Array | pa.ChunkedArray | pa.Scalar] = []
    literal = ""
    for piece in pieces:
        if isinstance(piece, str):
            literal += piece
            continue
        if literal:
            merged.append(pa.scalar(literal, _JSON))
            literal = ""
        merged.append(piece)
    merged.append(pa.scalar(literal, _JSON))
    rows = pc.binary_join_element_wise(*merged, pa.scalar("", _JSON))
    if isinstance(rows, pa.ChunkedArray):  # columns of a frame made by concatenation
        rows = rows.combine_chunks()
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows)
    return "[" + pc.binary_join(whole, pa.scalar(",", _JSON))[0].as_py() + "]"


def _needs_escape(text: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any byte of the text is a quote, a backslash or a control character.

    Scans the UTF-8 bytes of the data buffers (numpy, no per-value work); a buffer's bytes
    outside the array's values can only make it answer ``True``, which is always safe.
    """
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    for chunk in chunks:
        data = chunk.buffers()[2]
        if data is None:
            continue
        raw = np.frombuffer(data, dtype=np.uint8)
        if ((raw < 0x20) | (raw == 0x22) | (raw == 0x5C)).any():
            return True
    return False


#: JSON escapes of text: the backslash first, then the quote and the control characters
_JSON_ESCAPES = [("\\", "\\\\"), ('"', '\\"'), *(
    (chr(c), f"\\u{c:04x}") for c in range(32))]


class _Upserts:
    """The upserts of one write transaction, written while the caller prepares the next.

    On SQLite each :meth:`upsert` hands its statement (:func:`_sqlite_upsert`) to one
    background thread and returns: the statement runs inside SQLite without the GIL while the
    caller reads and validates the next chunk. At most one statement is pending;
    :meth:`wait` (called before the next one, and by :attr:`conn` before any other use of the
    connection) waits for it and re-raises its error. Other databases write synchronously.

    Use as a context manager: leaving it waits for the pending statement (so the connection is
    idle before its transaction commits or rolls back) and stops the thread.
    """

    def __init__(self, conn: sa.Connection, *, check_references: bool = False):
        self._conn = conn
        self._pool = None
        self._pending = None
        #: referenced table -> distinct ids written into its reference columns, per upsert
        self._written_refs: dict[str, list[np.ndarray]] | None = (
            {} if check_references else None)
        if conn.dialect.name == "sqlite":
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(1, thread_name_prefix="genera-upsert")

    @property
    def conn(self) -> sa.Connection:
        """The connection, once no statement is pending on it."""
        self.wait()
        return self._conn

    def upsert(self, table: str, frame: pd.DataFrame,
               columns: Iterable[str] | None = None) -> None:
        """Insert or update the rows of a typed table (see :func:`_upsert`)."""
        if not len(frame):
            return
        if self._written_refs is not None:
            for col, target in REFERENCES[table].items():
                if col in frame:
                    ids = frame[col].dropna().unique()
                    self._written_refs.setdefault(target, []).append(
                        np.asarray(ids, dtype=object))
        if self._pool is None:
            _upsert(self.conn, table, frame, columns)
            return
        # the rows are turned into JSON here: in the thread, each of the Arrow calls would
        # wait for the GIL (up to the switch interval) while this thread runs pandas code
        sql, arrays = _sqlite_upsert(table, frame, columns)
        rows = _json_rows(arrays)
        dbapi = self.conn.connection.dbapi_connection
        self._pending = self._pool.submit(dbapi.execute, sql, (rows,))

    def wait(self) -> None:
        """Wait for the pending statement; re-raise its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def check_references(self) -> None:
        """Raise ``IntegrityError`` if an id written into a reference column names nothing.

        Each referenced table is queried once, with the distinct ids written (as a JSON array):
        O(distinct ids x log(table size)).
        """
        if not self._written_refs:
            return
        dbapi = self.conn.connection.dbapi_connection
        for target, parts in self._written_refs.items():
            ids = pd.unique(np.concatenate(parts))
            key = _PRIMARY[target]
            sql = (f"SELECT count(*) FROM json_each(?) WHERE NOT EXISTS "
                   f"(SELECT 1 FROM {target} WHERE {target}.{key} = json_each.value)")
            dangling = dbapi.execute(sql, (json.dumps(ids.tolist()),)).fetchone()[0]
            if dangling:
                message = (f"FOREIGN KEY constraint failed: {dangling} id(s) written in this "
                           f"import name no row of {target}")
                raise sa.exc.IntegrityError(sql, None, RuntimeError(message))

    def __enter__(self) -> _Upserts:
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        pending, self._pending = self._pending, None
        try:
            if pending is not None and exc_type is None:
                pending.result()
            elif pending is not None:  # an error is on its way: let the statement end first
                pending.exception()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


def _isin(values: pd.Series, known: pd.Index) -> np.ndarray:
    """``values.isin(known)`` for text, through Arrow (pandas' own is slow on big sets)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(values):
        return np.zeros(0, dtype=bool)
    array = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.large_string()) \
        if values.dtype == object else pa.array(values.array).cast(pa.large_string())
    value_set = pa.array(np.asarray(known, dtype=object), type=pa.large_string())
    return pc.is_in(array, value_set=value_set).to_numpy(zero_copy_only=False)


def _ids(conn: sa.Connection, table: str) -> pd.Index:
    col = _PRIMARY[table]
    rows = conn.exec_driver_sql(f"SELECT {col} FROM {table}").fetchall()
    return pd.Index([r[0] for r in rows], dtype="str")
