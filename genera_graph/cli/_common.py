"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from genera_graph.model import Dataset

__all__ = [
    "EXAMPLES",
    "ArgumentParser",
    "UsageError",
    "add_table_options",
    "check_choices",
    "describe_commands",
    "load_dataset",
    "parse_date",
    "store_url",
    "table_options",
]

#: one or more example lines per command, shown at the end of ``genera COMMAND --help``
#: (a command may instead set its own ``epilog``)
EXAMPLES: dict[str, tuple[str, ...]] = {
    "analyze": ("genera analyze --at 30/06/2018 --out out/",
                "genera analyze --at 30/06/2018 --out out/ --dialect research --xlsx"),
    "export": ("genera export --format gexf --out out/map.gexf --from 01/02/2016 --to 01/02/2017",
               "genera export --format csv --out out/ --programme housing --dialect research",
               "genera export --research --study pilot --out out/research"),
    "export-store": ("genera export-store backup/registers",),
    "import": ("genera import sample_data", "genera import --partial contacts.xlsx"),
    "report": ("genera report", "genera report --from 01/02/2016 --to 01/02/2017 --lang en"),
    "sample": ("genera sample --out sample_data --seed 2016",),
    "serve": ("genera serve", "genera --store genera.sqlite serve --port 8050"),
    "users": ("genera users add anna --role facilitator --community-point CP01 --generate",
              "genera users list"),
    "audit": ("genera audit verify", "genera audit show --user anna --since 01/12/2026"),
    "erase": ("genera erase I0042 --yes", "genera erase H0107 --with-members"),
    "districts": ("genera districts set region_data/districts.csv", "genera districts list",
                  "genera users add bea --role coordinator --district D01 --generate"),
}


class UsageError(Exception):
    """A value the user gave is not usable: ``genera`` prints the message on one line and
    exits with status 2 (as argparse does for a malformed option), never a traceback."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors: ``genera analyze: argument --at: not a date ...``,
    then where to find help, and exit status 2 (no usage block)."""

    def error(self, message: str):  # noqa: D102 - argparse API
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def describe_commands(sub: argparse._SubParsersAction) -> None:
    """Give every command's ``--help`` its one-line summary first and its examples last."""
    summaries = {action.dest: action.help for action in sub._choices_actions}
    for name, parser in sub.choices.items():
        summary = summaries.get(name) or ""
        if not parser.description:
            parser.description = summary
        elif summary and not parser.description.startswith(summary):
            parser.description = f"{summary}.\n\n{parser.description}"
        if not parser.epilog and name in EXAMPLES:
            parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])
        parser.formatter_class = argparse.RawDescriptionHelpFormatter


def check_choices(what: str, given: list[str] | None, known) -> None:
    """Raise :class:`UsageError` if a value of ``given`` is not in ``known`` (naming them).

    >>> check_choices("Community Point", ["CP01"], ["CP01", "CP02"])
    >>> check_choices("Community Point", ["CP9"], ["CP01", "CP02"])
    Traceback (most recent call last):
    ...
    genera_graph.cli._common.UsageError: unknown Community Point 'CP9' (known: CP01, CP02)
    """
    known = sorted({str(k) for k in known})
    for value in given or []:
        if value not in known:
            shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
            raise UsageError(f"unknown {what} {value!r} (known: {shown or 'none'})")


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

        if not Path(folder).is_dir():
            raise UsageError(f"--registers {folder}: no such folder")
        return read_registers(folder)
    from genera_graph.io.store import Store

    target = store_url(args)
    if "://" not in target and not Path(target).exists():
        print(f"genera: no store at {target}; run `genera import sample_data` first "
              "or pass --registers DIR", file=sys.stderr)
        raise SystemExit(2)
    with Store(target) as store:  # closed at once: a command holds no connection it won't use
        return store.load()


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
