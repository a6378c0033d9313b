"""Benchmark: import of a large contacts register against a bare ``pandas.read_csv``.

Generates an actors register (``--actors`` households and individuals) and a contacts register
(``--rows`` interactions between them), then measures, in this one process:

- the bare read: ``pandas.read_csv(contacts, sep=";", dtype=str)`` (the baseline);
- the import: ``Store.import_paths`` of both files into a fresh SQLite store (read, type,
  validate with pandera, check duplicates and actor ids, upsert, commit);
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

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

        t0 = time.perf_counter()
        bare = pd.read_csv(contacts, sep=";", dtype=str, keep_default_na=False)
        t_read = time.perf_counter() - t0
        assert len(bare) == args.rows
        del bare
        print(f"pandas.read_csv (baseline): {t_read:.2f} s, {args.rows / t_read:,.0f} rows/s")

        store_path = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        with Store(store_path) as store:
            result = store.import_paths(folder)
        t_import = time.perf_counter() - t0
        assert result.ok, result.summary()
        print(f"import into SQLite: {t_import:.2f} s, {args.rows / t_import:,.0f} rows/s, "
              f"{t_import / t_read:.2f}x the bare read (aim: <= 3x)")

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
              f"{t_update / t_read:.2f}x the bare read; rows still {counts['interactions']:,}")

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
                with store._write() as conn:
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
                  f"{t_pg / t_read:.2f}x the bare read")


if __name__ == "__main__":
    main()
