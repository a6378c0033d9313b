"""``genera import PATH...``: import register files (CSV or XLSX) or folders into the store.

Strict by default: a file with any error writes nothing and the command exits 1. With
``--partial`` the valid rows are committed and the others quarantined (in the store, and with
``--quarantine DIR`` as CSV files). Every problem is printed with its file, spreadsheet row,
column, rule and value, and written to a ``;``-separated CSV report (``--report FILE``;
by default ``import-problems-<time>.csv`` beside the store). A path that does not exist stops
the command before anything is created (no store, no report).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="import register files (CSV or XLSX) or folders into the store",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="register files (actors.csv, contacts.xlsx, ...) or folders of them")
    p.add_argument("--partial", action="store_true",
                   help="commit the valid rows and quarantine the others (default: any error "
                        "writes nothing)")
    p.add_argument("--report", metavar="FILE.csv",
                   help="write every problem to this CSV file (default, when there are "
                        "problems: import-problems-<time>.csv beside the store)")
    p.add_argument("--quarantine", metavar="DIR",
                   help="with --partial, also write the quarantined rows to DIR/<register>."
                        "quarantine.csv")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    p.add_argument("--chunk-rows", type=int, default=None, metavar="N",
                   help="rows read per chunk (default: 100000)")
    p.set_defaults(func=run)


def _store_target(args: argparse.Namespace) -> str:
    try:
        from genera_graph.cli._common import store_url
    except ImportError:  # pragma: no cover - the CLI package always has it
        return args.store
    return store_url(args)


def _default_report(target: str) -> Path:
    """``import-problems-<time>.csv`` beside an SQLite store (a URL: the current folder)."""
    name = f"import-problems-{datetime.now():%Y%m%d-%H%M%S}.csv"
    if "://" in target:
        return Path(name)
    return Path(target).expanduser().absolute().parent / name


def _safe(frame):  # noqa: ANN001, ANN202 - a DataFrame (pandas imported lazily)
    """The frame with every text cell neutralised against formula injection."""
    from genera_graph.io.formulas import neutralise_series

    return frame.apply(neutralise_series)


def _audit(store, result) -> None:  # noqa: ANN001 - a Store and an ImportResult
    """One audit entry per file: its register and content hash (which file, not its name,
    which could name a family) and its counts; never a value."""
    from genera_graph.cli.cmd_audit import record_command

    for outcome in result.files:
        record_command(store, "import", [outcome.register, f"sha256:{outcome.content_hash[:16]}"],
                       status=outcome.status, committed=result.committed,
                       partial=result.partial, read=outcome.rows_read,
                       accepted=outcome.rows_accepted, quarantined=outcome.rows_quarantined,
                       new=outcome.rows_new, changed=outcome.rows_changed,
                       erased_skipped=outcome.rows_erased,
                       withdrawn_skipped=outcome.rows_withdrawn)


def run(args: argparse.Namespace) -> int:
    from genera_graph.io.store import Store, StoreBusyError

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:  # before the store is opened: nothing is created
        for path in missing:
            print(f"genera import: no such file or folder: {path}", file=sys.stderr)
        print("nothing imported (the store was not opened)", file=sys.stderr)
        return 2
    target = _store_target(args)
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    try:
        with Store(target) as store:
            result = store.import_paths(args.paths, partial=args.partial, progress=progress,
                                        chunk_rows=args.chunk_rows)
            _audit(store, result)
    except StoreBusyError as exc:
        print(f"genera import: {exc}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem)
    if result.problems:
        report = Path(args.report) if args.report else _default_report(target)
        report.parent.mkdir(parents=True, exist_ok=True)
        # RFC 4180 line ends: a value holding a CR or LF is quoted, never splits its row
        _safe(result.report_frame()).to_csv(report, sep=";", index=False,
                                            lineterminator="\r\n")
        print(f"{len(result.problems)} problem(s) written to {report}")
    if args.partial and args.quarantine and result.committed and result.rejected_rows:
        folder = Path(args.quarantine)
        folder.mkdir(parents=True, exist_ok=True)
        for name, rows in result.rejected_rows.items():
            target_csv = folder / f"{Path(name).stem}.quarantine.csv"
            _safe(rows.rename_axis("row")).to_csv(target_csv, sep=";", lineterminator="\r\n")
            print(f"{len(rows)} quarantined row(s) of {name} written to {target_csv}")
    print(result.summary())
    return 0 if result.committed else 1
