"""Bulk reading and writing of the store's tables: typed reads, counts, upserts by natural key.

Writing: :class:`Upserts` runs the upserts of one write transaction (an import's). On SQLite each
chunk is one ``INSERT ... SELECT FROM json_each(?)`` whose JSON rows Arrow kernels build
(:func:`json_rows`), run in a background thread (SQLite releases the GIL) while the caller reads
the next chunk; on PostgreSQL a ``COPY`` into a staging table then one
``INSERT ... ON CONFLICT``. An update leaves the columns a source lacks as they were.

Reading: :func:`read_table` returns a store table typed as the model coerces it.

The store's connections and transactions are :class:`genera_graph.io.database.Database`'s;
the tables are :mod:`genera_graph.io.schema`'s.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from genera_graph.io.schema import (
    PRIMARY_KEYS,
    REFERENCES,
    TABLE_KEYS,
    date_columns,
    float_columns,
)
from genera_graph.io.schema import columns as table_columns

__all__ = [
    "READ_BATCH_ROWS",
    "Upserts",
    "arrow_columns",
    "conflict_clause",
    "count_rows",
    "db_values",
    "json_rows",
    "read_table",
    "sqlite_upsert",
    "stored_rows",
    "table_ids",
    "upsert",
]


def count_rows(conn: sa.Connection, table: str) -> int:
    """The number of rows of a store table."""
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())


#: rows fetched at a time by :func:`read_table` (each batch becomes Arrow columns at once)
READ_BATCH_ROWS = 10_000


def read_table(conn: sa.Connection, name: str, *,
               batch_rows: int = READ_BATCH_ROWS, where: str = "", with_: str = "",
               params: dict[str, Any] | None = None) -> pd.DataFrame:
    """A store table sorted by its natural key, typed as the model coerces it.

    The rows are fetched ``batch_rows`` at a time (a server-side cursor on PostgreSQL) and
    each batch is turned into Arrow columns straight away, so the database's row tuples
    never all live at once: peak memory is about the final columns plus one batch.

    ``where``: a SQL condition on the table's rows (``WHERE`` left out), with ``with_``
    common table expressions before the ``SELECT`` (``WITH`` left out) and ``params`` its
    bound values (``:name``; a list or tuple is expanded, for ``IN :name``).
    """
    cols = table_columns(name)
    dates = set(date_columns(name))
    floats = set(float_columns(name))
    types = [pa.float64() if c in floats else pa.large_string() for c in cols]
    select = ", ".join(f"CAST({c} AS TEXT)" if c in dates else c for c in cols)
    order = ", ".join(TABLE_KEYS[name])
    sql = (f"WITH {with_} " if with_ else "") + f"SELECT {select} FROM {name}" + (
        f" WHERE {where}" if where else "") + f" ORDER BY {order}"
    streamed = conn.execution_options(stream_results=True, yield_per=batch_rows)
    if params is None:
        result = streamed.exec_driver_sql(sql)
    else:
        statement = sa.text(sql).bindparams(*(
            sa.bindparam(key, expanding=True) for key, value in params.items()
            if isinstance(value, list | tuple)))
        result = streamed.execute(statement, params)
    chunks: list[list[pa.Array]] = [[] for _ in cols]
    try:
        while rows := result.fetchmany(batch_rows):
            for i, values in enumerate(zip(*rows, strict=True)):
                chunks[i].append(pa.array(values, type=types[i]))
            del rows
    finally:
        result.close()
    frame = {}
    for col, kind, parts in zip(cols, types, chunks, strict=True):
        column = pa.chunked_array(parts, type=kind)
        if col in dates:
            days = pc.strptime(column, format="%Y-%m-%d", unit="ns")
            frame[col] = pd.Series(days.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")
        elif col in floats:
            frame[col] = pd.Series(column.to_numpy(zero_copy_only=False), dtype="float64")
        else:
            frame[col] = pd.Series(pd.arrays.ArrowStringArray(column), dtype="str")
    return pd.DataFrame(frame, columns=cols)


def db_values(frame: pd.DataFrame, table: str) -> dict[str, np.ndarray]:
    """A typed table as DB-API values per column: text, ISO dates, floats; missing as None."""
    out = {}
    dates = set(date_columns(table))
    floats = set(float_columns(table))
    for col in table_columns(table):
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


def conflict_clause(table: str, columns: Iterable[str] | None) -> str:
    """``ON CONFLICT (key) DO UPDATE SET ...`` for the columns the source has."""
    cols = table_columns(table)
    key = TABLE_KEYS[table]
    present = set(cols if columns is None else columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in key and c in present)
    return f"ON CONFLICT ({', '.join(key)}) " + (f"DO UPDATE SET {updates}" if updates
                                                 else "DO NOTHING")


def upsert(conn: sa.Connection, table: str, frame: pd.DataFrame,
            columns: Iterable[str] | None = None) -> None:
    """Insert or update (by natural key) the rows of a typed table, in bulk.

    ``columns``: the columns the source has; an update leaves the others as they were (a
    register without its optional ``municipality`` column does not erase municipalities).

    PostgreSQL: ``COPY`` into a temporary table, then one
    ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``; other databases: ``executemany``. SQLite
    writes through :class:`Upserts` instead (:func:`sqlite_upsert`). The rows must not
    repeat a key.
    """
    if not len(frame):
        return
    cols = table_columns(table)
    conflict = conflict_clause(table, columns)
    values = db_values(frame, table)
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


def sqlite_upsert(table: str, frame: pd.DataFrame,
                   columns: Iterable[str] | None) -> tuple[str, list[pa.Array]]:
    """The SQLite upsert of a typed table: one statement, and its rows as Arrow columns.

    The statement takes one parameter, the rows as a JSON array of arrays
    (:func:`json_rows`), that SQLite unpacks itself (``json_each``): the whole chunk is one
    ``sqlite3_step`` call, during which Python's sqlite3 module releases the GIL.
    """
    cols = table_columns(table)
    select = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(cols)))
    # "WHERE true": SQLite's grammar needs it between a SELECT and an upsert's ON CONFLICT
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM json_each(?) "
           f"WHERE true {conflict_clause(table, columns)}")
    return sql, arrow_columns(frame, table)


def arrow_columns(frame: pd.DataFrame, table: str) -> list[pa.Array]:
    """A typed table's columns, in the store's order, as Arrow arrays (no copy of text)."""
    arrays = []
    for col in table_columns(table):
        if col in frame:
            arrays.append(pa.array(frame[col].array if frame[col].dtype != "float64"
                                   else frame[col].to_numpy(), from_pandas=True))
        else:
            arrays.append(pa.nulls(len(frame)))
    return arrays


_JSON = pa.large_string()


def json_rows(arrays: list[pa.Array]) -> str:
    r"""Columns as the JSON text of an array of row arrays, built by Arrow kernels.

    ``arrays`` may be Arrow arrays or chunked arrays of equal length. Text is escaped as JSON
    requires (backslash, quote, control characters), dates are ISO
    ``yyyy-mm-dd`` strings, finite numbers are numbers, and missing values (and non-finite
    numbers) are ``null``. Arrow's kernels release the GIL.

    Examples
    --------
    >>> json_rows([pa.array(['a"b', None]), pa.array([1.5, float("nan")]),
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


class Upserts:
    """The upserts of one write transaction, written while the caller prepares the next.

    On SQLite each :meth:`upsert` hands its statement (:func:`sqlite_upsert`) to one
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
        """Insert or update the rows of a typed table (see :func:`upsert`)."""
        if not len(frame):
            return
        if self._written_refs is not None:
            for col, target in REFERENCES[table].items():
                if col in frame:
                    ids = frame[col].dropna().unique()
                    self._written_refs.setdefault(target, []).append(
                        np.asarray(ids, dtype=object))
        if self._pool is None:
            upsert(self.conn, table, frame, columns)
            return
        # the rows are turned into JSON here: in the thread, each of the Arrow calls would
        # wait for the GIL (up to the switch interval) while this thread runs pandas code
        sql, arrays = sqlite_upsert(table, frame, columns)
        rows = json_rows(arrays)
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
            key = PRIMARY_KEYS[target]
            sql = (f"SELECT count(*) FROM json_each(?) WHERE NOT EXISTS "
                   f"(SELECT 1 FROM {target} WHERE {target}.{key} = json_each.value)")
            dangling = dbapi.execute(sql, (json.dumps(ids.tolist()),)).fetchone()[0]
            if dangling:
                message = (f"FOREIGN KEY constraint failed: {dangling} id(s) written in this "
                           f"import name no row of {target}")
                raise sa.exc.IntegrityError(sql, None, RuntimeError(message))

    def __enter__(self) -> Upserts:
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


def table_ids(conn: sa.Connection, table: str) -> pd.Index:
    """Every primary key of ``actors`` or ``activities``."""
    col = PRIMARY_KEYS[table]
    rows = conn.exec_driver_sql(f"SELECT {col} FROM {table}").fetchall()
    return pd.Index([r[0] for r in rows], dtype="str")


def stored_rows(conn: sa.Connection, table: str, keys: pd.DataFrame,
                columns: Iterable[str] | None = None, *, batch: int = 5_000) -> pd.DataFrame:
    """The stored rows of ``table`` whose natural key is among ``keys`` (one row per key).

    ``keys`` has the key columns (typed as the model types them); the result has the key
    columns and ``columns`` (default: all), as the database returns them (dates as
    :class:`datetime.date`), in no particular order. Batches of ``batch`` keys, one
    ``WHERE (key...) IN (...)`` query each.
    """
    from genera_graph.io.schema import METADATA

    key = list(TABLE_KEYS[table])
    wanted = key + [c for c in (columns if columns is not None else table_columns(table))
                    if c not in key]
    sql_table = METADATA.tables[table]
    dates = set(date_columns(table))
    values = []
    for col in key:
        series = keys[col]
        values.append([v.date() if isinstance(v, pd.Timestamp) else v for v in series]
                      if col in dates else series.tolist())
    tuples = list(zip(*values, strict=True))
    rows: list = []
    select_cols = [sql_table.c[c] for c in wanted]
    for start in range(0, len(tuples), batch):
        part = tuples[start:start + batch]
        if len(key) == 1:
            where = sql_table.c[key[0]].in_([t[0] for t in part])
        else:
            where = sa.tuple_(*(sql_table.c[c] for c in key)).in_(part)
        rows.extend(conn.execute(sa.select(*select_cols).where(where)).all())
    return pd.DataFrame(rows, columns=wanted)
