"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from genera_graph.model import Dataset

__all__ = ["add_table_options", "load_dataset", "parse_date", "store_url", "table_options"]


def parse_date(text: str) -> date:
    """A command-line date: ``dd/mm/yyyy`` (as the registers) or ISO ``yyyy-mm-dd``."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date (dd/mm/yyyy or yyyy-mm-dd): {text!r}")


def store_url(args: argparse.Namespace) -> str:
    """The store of the command: a SQLAlchemy URL or a SQLite file path."""
    return args.store


def load_dataset(args: argparse.Namespace) -> Dataset:
    """The dataset a command works on: ``--registers DIR`` if given, else the store."""
    folder = getattr(args, "registers", None)
    if folder:
        from genera_graph.io.registers import read_registers

        return read_registers(folder)
    from genera_graph.io.store import Store

    target = store_url(args)
    if "://" not in target and not Path(target).exists():
        print(f"genera: no store at {target}; run `genera import sample_data` first "
              "or pass --registers DIR", file=sys.stderr)
        raise SystemExit(2)
    return Store(target).load()


def add_table_options(parser: argparse.ArgumentParser) -> None:
    """``--dialect`` and ``--xlsx``: how a command writes its tables (see
    :func:`genera_graph.exports.tables.write_table`)."""
    parser.add_argument("--dialect", choices=["italian", "research"], default="italian",
                        help="CSV dialect: italian (default, for people: ';', decimal comma, "
                        "dd/mm/yyyy, sì/no, UTF-8 with BOM) or research (for code: ',', "
                        "decimal point, ISO dates, true/false)")
    parser.add_argument("--xlsx", action="store_true",
                        help="also write each table as an Excel workbook (.xlsx)")


def table_options(args: argparse.Namespace) -> dict:
    """The keyword arguments of ``write_table`` that :func:`add_table_options` set."""
    formats = ("csv", "parquet", "xlsx") if getattr(args, "xlsx", False) else ("csv", "parquet")
    dialect = getattr(args, "dialect", "italian")
    lang = getattr(args, "lang", None) or ("it" if dialect == "italian" else "en")
    return {"dialect": dialect, "formats": formats, "lang": lang}
