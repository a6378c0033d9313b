"""Benchmark: peak memory and time of ``Store.load`` (the whole store into a Dataset).

Builds a store from the synthetic region (``--districts`` districts of
:func:`genera_graph.sample.region.generate_region`, about 4,700 actors and 150k events each),
then loads it in fresh child processes, once with each reader:

- ``batched``: :func:`genera_graph.io.bulk.read_table` as it is (rows fetched
  ``READ_BATCH_ROWS`` at a time, each batch turned into Arrow columns at once);
- ``fetchall``: the reader it replaced, kept here only for this comparison (every row of a
  table fetched as Python tuples, transposed with ``zip(*rows)``, then typed).

Each child reports its peak resident memory (VmHWM) before and after the load, the load's
time, and the size of the loaded tables (``memory_usage(deep=True)``): the difference of the
peaks is what loading costs beyond the tables themselves. Both readers' tables are checked
equal.

Usage::

    .venv/bin/python benchmarks/bench_store_load.py                 # 4 districts
    .venv/bin/python benchmarks/bench_store_load.py --districts 6

It prints figures; it asserts nothing but the equality of the two readers' tables.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from bench_import import _peak_rss_kib  # the same VmHWM reading (benchmarks/ is on sys.path)

from genera_graph.io.schema import TABLE_KEYS, date_columns, float_columns
from genera_graph.io.schema import columns as table_columns


def fetchall_read_table(conn, name: str) -> pd.DataFrame:  # noqa: ANN001 - a Connection
    """The reader before the batched one (for comparison only)."""
    cols = table_columns(name)
    dates = set(date_columns(name))
    select = ", ".join(f"CAST({c} AS TEXT)" if c in dates else c for c in cols)
    order = ", ".join(TABLE_KEYS[name])
    rows = conn.exec_driver_sql(f"SELECT {select} FROM {name} ORDER BY {order}").fetchall()
    data = list(zip(*rows, strict=True)) if rows else [()] * len(cols)
    frame = {}
    floats = set(float_columns(name))
    for col, values in zip(cols, data, strict=True):
        if col in dates:
            frame[col] = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d"
                                        ).astype("datetime64[ns]")
        elif col in floats:
            frame[col] = pd.Series(values, dtype="float64")
        else:
            frame[col] = pd.Series(values, dtype="str")
    return pd.DataFrame(frame, columns=cols)


def _child(store_path: str, reader: str) -> None:
    import genera_graph.io.database as database
    from genera_graph.io.store import Store

    if reader == "fetchall":
        database.read_table = fetchall_read_table
    store = Store(store_path)
    before = _peak_rss_kib()
    t0 = time.perf_counter()
    ds = store.load()
    elapsed = time.perf_counter() - t0
    after = _peak_rss_kib()
    tables = ds.tables()
    size = sum(int(f.memory_usage(deep=True).sum()) for f in tables.values())
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(pd.util.hash_pandas_object(tables[name], index=False).to_numpy().tobytes())
        digest.update(str(list(tables[name].dtypes.astype(str))).encode())
    rows = sum(len(f) for f in tables.values())
    print(f"{elapsed:.3f} {before} {after} {size} {rows} {digest.hexdigest()}")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--store", help="load this store instead of building one")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        store_path = args.store
        if store_path is None:
            from genera_graph.io.store import Store
            from genera_graph.sample.region import generate_region

            t0 = time.perf_counter()
            region = generate_region(args.districts)
            store_path = str(Path(tmp) / "region.sqlite")
            with Store(store_path) as store:
                result = store.import_dataset(region.dataset)
                assert result.ok, result.summary()
                counts = store.counts()
            print(f"store of {args.districts} districts: {counts['actors']:,} actors, "
                  f"{counts['interactions']:,} contacts, {counts['participations']:,} "
                  f"attendances, built in {time.perf_counter() - t0:.0f} s")
        results = {}
        for reader in ("fetchall", "batched"):
            out = subprocess.run([sys.executable, __file__, "--child", store_path, reader],
                                 check=True, capture_output=True, text=True).stdout.split()
            elapsed, before, after, size, rows, digest = out
            results[reader] = (float(elapsed), int(before), int(after), int(size), digest)
            print(f"{reader:8s}: load {float(elapsed):.2f} s, {int(rows):,} rows; peak RSS "
                  f"{int(before) / 1024:.0f} -> {int(after) / 1024:.0f} MiB (+"
                  f"{(int(after) - int(before)) / 1024:.0f} MiB), tables "
                  f"{int(size) / 2**20:.0f} MiB")
        assert results["fetchall"][4] == results["batched"][4], "the readers differ"
        old, new = (results[r][2] - results[r][1] for r in ("fetchall", "batched"))
        print(f"peak added by the load: fetchall {old / 1024:.0f} MiB, batched "
              f"{new / 1024:.0f} MiB ({old / max(new, 1):.1f}x less); same tables")


if __name__ == "__main__":
    main()
