"""The store: the single source of truth, an SQLite file by default or any SQLAlchemy URL.

The six tables of the data model live in tables of the same names and columns (ids as text,
dates as SQL ``DATE``), keyed by the registers' natural keys
(:attr:`~genera_graph.io.registers.Register.key`), with foreign keys from every actor or
activity reference (deferred: checked at commit; an SQLite import checks the ids it wrote
once, before its commit, instead of row by row: see
:meth:`~genera_graph.io.database.Database.bulk_write`). Two more tables record the imports:
``import_runs`` (one row per imported file: content hash, file name, time, counts, status) and
``quarantine`` (the rows a partial import set aside, with their problems).

The schema is versioned (table ``genera_schema``): opening a store upgrades it, in one
transaction, through the numbered steps of :data:`~genera_graph.io.schema.MIGRATIONS`; a store
newer than the code is refused.

SQLite files run in WAL mode with foreign keys on and a busy timeout; every import is one
transaction (``BEGIN IMMEDIATE``), so a killed import leaves the store exactly as before.

The pieces: :mod:`~genera_graph.io.schema` (tables, keys, migrations),
:mod:`~genera_graph.io.bulk` (typed reads and upserts), :mod:`~genera_graph.io.database`
(engine, transactions, upgrade, reading); :class:`Store` adds imports
(:mod:`~genera_graph.io.importer`) and exports.

Examples
--------
>>> import tempfile, pathlib
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> from genera_graph.io.schema import SCHEMA_VERSION
>>> store.schema_version == SCHEMA_VERSION  # a new store is created at the latest step
True
>>> store.fingerprint() == f"v{SCHEMA_VERSION}:h0:r0"  # no import run, no row
True
>>> len(store.load().actors)
0
>>> store.close()
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from genera_graph.io import importer
from genera_graph.io.database import Database, StoreBusyError, StoreVersionError, store_url
from genera_graph.io.importer import ImportResult
from genera_graph.io.registers import ImportLimits, write_registers
from genera_graph.io.schema import REFERENCES, SCHEMA_VERSION, TABLE_KEYS
from genera_graph.model import Dataset

__all__ = ["SCHEMA_VERSION", "REFERENCES", "TABLE_KEYS", "Store", "StoreBusyError",
           "StoreVersionError", "open_store", "store_url"]


class Store(Database):
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
    :meth:`close` (or use it as a context manager) when done. Transactions and reading are
    :class:`~genera_graph.io.database.Database`'s.
    """

    def import_paths(self, paths: Iterable[str | os.PathLike] | str | os.PathLike, *,
                     partial: bool = False,
                     progress: bool | Callable[[str, int], None] = False,
                     chunk_rows: int | None = None,
                     limits: ImportLimits | None = None) -> ImportResult:
        """Import register files (CSV or XLSX) or folders of them, in one transaction.

        See :func:`genera_graph.io.importer.import_paths`.
        """
        return importer.import_paths(self, paths, partial=partial, progress=progress,
                                     chunk_rows=chunk_rows, limits=limits)

    def import_dataset(self, dataset: Dataset, *, partial: bool = False,
                       label: str = "dataset",
                       limits: ImportLimits | None = None) -> ImportResult:
        """Import an in-memory dataset, validated and upserted exactly as register files are.

        See :func:`genera_graph.io.importer.import_dataset`.
        """
        return importer.import_dataset(self, dataset, partial=partial, label=label,
                                       limits=limits)

    def export(self, folder: str | os.PathLike) -> list[Path]:
        """Write the store as register files (see :func:`~genera_graph.io.write_registers`)."""
        return write_registers(self.load(), folder)


def open_store(url_or_path: str | os.PathLike) -> Store:
    """Open (create or upgrade) a store: ``Store(url_or_path)``."""
    return Store(url_or_path)
