"""Benchmark: import of a large contacts register against bare reads of the same file.

Generates an actors register (``--actors`` individuals) and a contacts register (``--rows``
interactions between them), then measures, in this one process:

- three bare reads of the contacts file with pandas, the baselines:
  ``plain``: ``pandas.read_csv(path, sep=";")``, all defaults (pandas 3 reads text columns
  straight into Arrow strings); ``text``: every cell as text, as the importer reads it
  (``dtype=pandas.ArrowDtype(pyarrow.string())``, no NA parsing); ``dtype=str``: every cell as
  a Python ``str`` object first (the slow path, the baseline of earlier runs);
- the import: ``Store.import_paths`` of both files into a fresh SQLite store (read, type,
  validate with pandera, check duplicates and actor ids, upsert, commit);
- the SQLite floor: SQLite itself copying the same rows, already in a database, into an empty
  store with the same upsert statement and commit, no Python in between: what any import into
  this store costs at the least;
- a re-import of an updated contacts file (every row upserted over an existing one);
- the peak memory (VmHWM) of a child process that runs the import alone.

Usage::

    .venv/bin/python benchmarks/bench_import.py            # 1M contacts
    .venv/bin/python benchmarks/bench_import.py --rows 200000 --postgres URL

It prints figures and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from genera_graph.io.bulk import conflict_clause
from genera_graph.io.schema import columns as table_columns
from genera_graph.io.store import Store


def write_registers(folder: Path, rows: int, actors: int, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    ids = np.array([f"I{i:06d}" for i in range(actors)], dtype=object)
    first = pd.Timestamp("2016-02-01") + pd.to_timedelta(rng.integers(0, 100, actors), "D")
    pd.DataFrame({
        "actor_id": ids, "kind": "individual", "name": [f"Persona {i}" for i in range(actors)],
        "community_point_id": "", "municipality": "Rezzato", "facilitator_id": "",
        "first_met": first.strftime("%d/%m/%Y"), "left_on": "",
    }).to_csv(folder / "actors.csv", sep=";", index=False)
    src = rng.integers(0, actors, rows)
    dst = (src + rng.integers(1, actors, rows)) % actors
    days = pd.Timestamp("2016-06-01") + pd.to_timedelta(rng.integers(0, 900, rows), "D")
    pd.DataFrame({
        "interaction_id": [f"C{i:08d}" for i in range(rows)],
        "date": days.strftime("%d/%m/%Y"),
        "source_actor_id": ids[src], "target_actor_id": ids[dst],
        "kind": rng.choice(["meeting", "mutual_help", "referral", "support"], rows),
        "nature": rng.choice(["peer", "professional", "institutional"], rows),
        "programme": rng.choice(["housing", "work", "youth", "ideas", "community"], rows),
        "community_point_id": "",
        "source": rng.choice(["facilitator_record", "survey"], rows),
    }).to_csv(folder / "contacts.csv", sep=";", index=False)
    return folder / "contacts.csv"


def _child(store: str, folder: str) -> None:
    t0 = time.perf_counter()
    result = Store(store).import_paths(folder)
    elapsed = time.perf_counter() - t0
    print(f"{elapsed:.3f} {_peak_rss_kib()} {int(result.committed)}")


def _peak_rss_kib() -> int:
    """Peak resident memory of this process (VmHWM).

    Not ``ru_maxrss``: on Linux a child started by fork + exec inherits in it the parent's
    resident size at the fork (here, the parent holds the generated frames).
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _sqlite_floor(source: Path, target: Path, folder: Path) -> float:
    """Seconds SQLite alone takes to upsert and commit the contacts of ``source`` into an empty
    store (foreign keys not enforced row by row, as in an import)."""
    with Store(target) as store:
        assert store.import_paths(folder / "actors.csv").ok
    columns = ", ".join(table_columns("interactions"))
    con = sqlite3.connect(target, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("ATTACH DATABASE ? AS source", (str(source),))
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute(f"INSERT INTO interactions ({columns}) SELECT {columns} FROM "
                    f"source.interactions WHERE true {conflict_clause('interactions', None)}")
        con.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--postgres", help="also import into this PostgreSQL URL (emptied!)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "registers"
        folder.mkdir()
        t0 = time.perf_counter()
        contacts = write_registers(folder, args.rows, args.actors)
        size_mb = contacts.stat().st_size / 2**20
        print(f"generated {args.rows:,} contacts ({size_mb:.0f} MB) and {args.actors:,} actors "
              f"in {time.perf_counter() - t0:.1f} s")

        reads = {
            "plain": {},
            "text": {"dtype": pd.ArrowDtype(pa.string()), "keep_default_na": False},
            "dtype=str": {"dtype": str, "keep_default_na": False},
        }
        t_read = {}
        for label, options in reads.items():
            t0 = time.perf_counter()
            bare = pd.read_csv(contacts, sep=";", **options)
            t_read[label] = time.perf_counter() - t0
            assert len(bare) == args.rows
            del bare
            print(f"bare read, {label:9s}: {t_read[label]:.2f} s, "
                  f"{args.rows / t_read[label]:,.0f} rows/s")

        def ratios(seconds: float) -> str:
            return ", ".join(f"{seconds / t:.1f}x {label}" for label, t in t_read.items())

        store_path = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        with Store(store_path) as store:
            result = store.import_paths(folder)
        t_import = time.perf_counter() - t0
        assert result.ok, result.summary()
        print(f"import into SQLite: {t_import:.2f} s, {args.rows / t_import:,.0f} rows/s; "
              f"{ratios(t_import)} (aim: 3x the bare read)")

        t_floor = _sqlite_floor(store_path, Path(tmp) / "floor.sqlite", folder)
        print(f"SQLite floor (the same rows copied by SQLite, upsert + commit): {t_floor:.2f} s;"
              f" {ratios(t_floor)}; the import is {t_import / t_floor:.1f}x the floor")

        # an updated register: change every contact's kind, import again (all upserts)
        frame = pd.read_csv(contacts, sep=";", dtype=str, keep_default_na=False)
        frame["kind"] = "meeting"
        frame.to_csv(contacts, sep=";", index=False)
        del frame
        t0 = time.perf_counter()
        with Store(store_path) as store:
            result = store.import_paths(contacts)
            counts = store.counts()
        t_update = time.perf_counter() - t0
        assert result.ok and counts["interactions"] == args.rows
        print(f"re-import of the updated register (upserts): {t_update:.2f} s, "
              f"{ratios(t_update)}; rows still {counts['interactions']:,}")

        store_path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(store_path) + suffix).unlink(missing_ok=True)
        out = subprocess.run([sys.executable, __file__, "--child", str(store_path),
                              str(folder)], check=True, capture_output=True, text=True)
        elapsed, peak_kib, ok = out.stdout.split()
        print(f"child process import: {float(elapsed):.2f} s, peak RSS {int(peak_kib) / 1024:.0f} "
              f"MiB (file {size_mb:.0f} MB), committed={ok == '1'}")

        if args.postgres:
            with Store(args.postgres) as store:
                with store.write_transaction() as conn:
                    for table in ("quarantine", "import_runs", "relations", "interactions",
                                  "participations", "household_members", "activities",
                                  "actors"):
                        conn.exec_driver_sql(f"DELETE FROM {table}")
                contacts_back = folder
                t0 = time.perf_counter()
                result = store.import_paths(contacts_back)
                t_pg = time.perf_counter() - t0
            assert result.ok, result.summary()
            print(f"import into PostgreSQL: {t_pg:.2f} s, {args.rows / t_pg:,.0f} rows/s, "
                  f"{ratios(t_pg)}")


if __name__ == "__main__":
    main()
