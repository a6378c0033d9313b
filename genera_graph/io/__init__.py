"""Ingest, validation, the store and export.

- :mod:`~genera_graph.io.registers`: the register files (one per table or relation kind),
  typed and validated with row-precise problems;
- :mod:`~genera_graph.io.spreadsheets`: CSV and XLSX files as offices export them, read safely
  and in chunks;
- :mod:`~genera_graph.io.store`: the store (SQLite file or PostgreSQL URL), versioned;
- :mod:`~genera_graph.io.importer`: validated, atomic, idempotent imports into a store;
- :mod:`~genera_graph.io.records`: single records written from the explorer (the importer's
  validation, authors, history, follow-ups).
"""

from genera_graph.io import records
from genera_graph.io.importer import FileOutcome, ImportResult, import_dataset, import_paths
from genera_graph.io.registers import (
    DATE_FORMAT,
    REGISTERS,
    ImportLimits,
    Problem,
    Register,
    RegisterError,
    format_register_frame,
    parse_register_frame,
    read_register,
    read_registers,
    register_for,
    write_registers,
)
from genera_graph.io.spreadsheets import Spreadsheet, XlsxLimits, open_spreadsheet
from genera_graph.io.store import (
    SCHEMA_VERSION,
    Store,
    StoreBusyError,
    StoreVersionError,
    open_store,
)

__all__ = [
    "DATE_FORMAT",
    "REGISTERS",
    "SCHEMA_VERSION",
    "FileOutcome",
    "ImportLimits",
    "ImportResult",
    "Problem",
    "Register",
    "RegisterError",
    "Spreadsheet",
    "Store",
    "StoreBusyError",
    "StoreVersionError",
    "XlsxLimits",
    "format_register_frame",
    "import_dataset",
    "import_paths",
    "open_spreadsheet",
    "open_store",
    "records",
    "parse_register_frame",
    "read_register",
    "read_registers",
    "register_for",
    "write_registers",
]
