"""A columnar copy of an SQLite store's tables, so that reading the whole store costs a file read.

:meth:`Database.load(cached=True) <genera_graph.io.database.Database.load>` reads the six data
tables from an Arrow IPC copy kept beside the store (``<store>.snapshot/``) when that copy was
made at the store's current state, and otherwise reads the store (one consistent read
transaction, :func:`~genera_graph.io.bulk.read_table`) and writes the copy for the next time.
Reading millions of rows through SQLite builds a Python object per cell (a region's store:
4.6M rows, tens of seconds); the copy is read in well under a second per million rows.

The state is the store's **data version** (:func:`~genera_graph.io.schema.data_version`: a
counter that every write to the data tables bumps in its own transaction, whoever writes),
with the schema version and the last import batch (a random id per import, so that another
store file put in the same place is not taken for this one). A copy of another state is never
read; the previous copy is removed when a new one is written.

The copy holds the same personal data as the store, so it is kept as privately: a folder
readable by its owner only (0700), files 0600. An erasure
(:func:`~genera_graph.io.erasure.erase_actors`) discards every copy (:func:`discard`: each
file overwritten with zeros, then removed); a copy being written from a reading made before
the erasure is discarded by its writer, which reads the data version again once the copy is
in place (so no copy of an erased person outlives the erasure). Only SQLite file stores get a
copy; a PostgreSQL store is read as before.

Examples
--------
>>> import tempfile, pathlib
>>> from genera_graph.io.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> first = store.load(cached=True)  # reads the store, writes the copy
>>> [p.name for p in snapshot_dir(store).iterdir()][0].startswith("s")
True
>>> store.load(cached=True).actors.equals(first.actors)  # read from the copy
True
>>> discard(store); list(snapshot_dir(store).iterdir())
[]
>>> store.close()
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa

__all__ = ["discard", "load_cached", "snapshot_dir"]

_log = logging.getLogger(__name__)

#: marks a copy whose every table was written (written last)
_COMPLETE = "complete"


def snapshot_dir(store) -> Path | None:  # noqa: ANN001 - a Database
    """The folder of a store's copies (``<store file>.snapshot``), or ``None`` when the store
    is not an SQLite file."""
    if store.dialect != "sqlite":
        return None
    path = store.url.database
    if not path or path == ":memory:":
        return None
    return Path(path).with_name(Path(path).name + ".snapshot")


def _state(conn: sa.Connection) -> str | None:
    """The name of the copy of the store's current state, or ``None`` without a data version."""
    from genera_graph.io.schema import SCHEMA_VERSION, data_version

    version = data_version(conn)
    if version is None:
        return None
    batch = conn.exec_driver_sql(
        "SELECT batch_id FROM import_runs ORDER BY run_id DESC LIMIT 1").scalar()
    return f"s{SCHEMA_VERSION}-d{version}-b{(batch or 'none')[:16]}"


def load_cached(store):  # noqa: ANN001, ANN201 - a Database; returns a Dataset
    """The store's data tables as a :class:`~genera_graph.model.Dataset`, through the copy of
    its current state (see the module docstring); equal, frame for frame, to
    :meth:`~genera_graph.io.database.Database.load`."""
    from genera_graph.io.bulk import read_table
    from genera_graph.io.schema import DATA_TABLES
    from genera_graph.model import Dataset

    folder = snapshot_dir(store)
    with store.read_transaction() as conn:
        state = _state(conn) if folder is not None else None
        if state is not None and (folder / state / _COMPLETE).exists():
            try:
                return Dataset(**{name: _read(folder / state, name) for name in DATA_TABLES})
            except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
                _log.warning("store snapshot unreadable, reading the store: %s", exc)
        tables = {name: read_table(conn, name) for name in DATA_TABLES}
    dataset = Dataset(**tables)
    if state is not None:
        try:
            _write(store, folder, state, tables)
        except OSError as exc:  # a read-only folder, a full disk: the store was read anyway
            _log.warning("store snapshot not written: %s", exc)
    return dataset


def _read(where: Path, name: str) -> pd.DataFrame:
    """One table of a copy, typed as :func:`~genera_graph.io.bulk.read_table` types it."""
    from genera_graph.io.schema import columns, date_columns, float_columns

    # read into memory, never mapped: a copy is overwritten with zeros when it is discarded,
    # which would change the tables of a dataset still mapped to it
    with pa.OSFile(str(where / f"{name}.arrow"), "rb") as source:
        table = pa.ipc.open_file(source).read_all()
    dates, floats = set(date_columns(name)), set(float_columns(name))
    frame = {}
    for col in columns(name):
        column = table.column(col)
        if col in dates:
            frame[col] = pd.Series(column.to_numpy(zero_copy_only=False),
                                   dtype="datetime64[ns]")
        elif col in floats:
            frame[col] = pd.Series(column.to_numpy(zero_copy_only=False), dtype="float64")
        else:
            frame[col] = pd.Series(pd.arrays.ArrowStringArray(column), dtype="str")
    return pd.DataFrame(frame, columns=columns(name))


def _arrow(frame: pd.DataFrame) -> pa.Table:
    arrays = {}
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            arrays[col] = pa.array(series.to_numpy(dtype="datetime64[ns]"),
                                   mask=series.isna().to_numpy(), type=pa.timestamp("ns"))
        elif series.dtype == "float64":
            arrays[col] = pa.array(series.to_numpy(), type=pa.float64(), from_pandas=True)
        else:
            arrays[col] = pa.array(series.array, type=pa.large_string(), from_pandas=True)
    return pa.table(arrays)


def _write(store, folder: Path, state: str, tables: dict[str, pd.DataFrame]) -> None:  # noqa: ANN001
    """Write the copy of ``state`` (atomically: a temporary folder renamed), remove the older
    ones, and discard it again if the store moved on meanwhile (an erasure among others)."""
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    temporary = folder / f".tmp-{state}-{os.getpid()}"
    _wipe(temporary)
    temporary.mkdir(mode=0o700)
    for name, frame in tables.items():
        path = temporary / f"{name}.arrow"
        table = _arrow(frame)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
    os.close(os.open(temporary / _COMPLETE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    target = folder / state
    try:
        os.rename(temporary, target)
    except OSError:  # another process wrote the same state first
        _wipe(temporary)
    for other in folder.iterdir():
        if other.name != state and not other.name.startswith(".tmp-"):
            _wipe(other)
    with store.read_transaction() as conn:  # still the store's state? (see the docstring)
        current = _state(conn)
    if current != state:
        _wipe(target)


def _wipe(path: Path) -> None:
    """Overwrite a copy's files with zeros, then remove them (best effort: a file system that
    copies on write keeps old blocks, as with the store file itself)."""
    if not path.exists():
        return
    for file in path.iterdir() if path.is_dir() else [path]:
        with contextlib.suppress(OSError):
            size = file.stat().st_size
            with open(file, "r+b") as handle:
                while size > 0:
                    step = min(size, 1 << 20)
                    handle.write(b"\0" * step)
                    size -= step
                handle.flush()
                os.fsync(handle.fileno())
    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def discard(store) -> None:  # noqa: ANN001 - a Database
    """Remove every copy of a store (after an erasure: see the module docstring)."""
    folder = snapshot_dir(store)
    if folder is None or not folder.exists():
        return
    for path in folder.iterdir():
        _wipe(path)
