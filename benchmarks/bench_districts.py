"""Benchmark: per-district analytics on Dask distributed, speed-up by workers.

Generates a region (``--districts``, ``--households`` per district), imports it into a shared
SQLite store (``--store URL`` for PostgreSQL) and sets its districts (which creates the
indexes a district's read uses), times reading the whole store against reading each
district's rows (:func:`genera_graph.io.district_read.read_district`, what a task reads), then runs
:func:`genera_graph.analytics.districts.run_districts` (isolation report, bridging table and the
36-month growth table of every district, at one date):

- in this process (the single-process path);
- on a ``LocalCluster`` of 1, 2, ... ``--workers`` worker processes (one thread each): the
  first pass, with each worker reading the store, and a second pass on warm workers;
- then (unless ``--no-windows``) the per-window tasks (:func:`~genera_graph.analytics.districts.run_windows`: the 36
  months' growth rows and isolation counts of the whole region), in process and per worker
  count.

It prints the wall time, the speed-up against one worker, and the per-worker throughput
(districts per second and events per second per worker), the figures ``docs/scale-plan.md``
extrapolates from, with the load average beside each line. Checks that every table equals the
single-process one.

Usage::

    .venv/bin/python benchmarks/bench_districts.py --districts 4 --households 600 --workers 2
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from genera_graph.analytics.districts import run_districts, run_windows
from genera_graph.io.district_read import read_district
from genera_graph.io.districts import set_districts
from genera_graph.io.importer import import_dataset
from genera_graph.io.store import Store
from genera_graph.sample.region import generate_region


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--households", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--at", default="2018-06-30")
    parser.add_argument("--store", help="a PostgreSQL URL (default: an SQLite file)")
    parser.add_argument("--no-windows", action="store_true",
                        help="skip the per-window tasks")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    region = generate_region(args.districts, households_per_district=args.households, seed=1)
    ds = region.dataset
    events = len(ds.interactions) + len(ds.participations) + len(ds.relations)
    print(f"region: {args.districts} districts, {len(ds.actors):,} actors, {events:,} events")
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or str(Path(tmp) / "region.sqlite")
        t0 = time.perf_counter()
        with Store(store) as opened:
            assert import_dataset(opened, ds).ok
            print(f"import into the shared store: {time.perf_counter() - t0:.1f} s{_load()}")
            t0 = time.perf_counter()
            set_districts(opened, region.districts)
            print(f"districts set (and their read indexes): {time.perf_counter() - t0:.1f} s")
            t0, c0 = time.perf_counter(), time.process_time()
            opened.load()
            print(f"read the whole store: {time.perf_counter() - t0:.2f} s, cpu "
                  f"{time.process_time() - c0:.2f} s{_load()}")
            ids = list(dict.fromkeys(region.districts["district_id"]))
            t0, c0 = time.perf_counter(), time.process_time()
            rows = sum(sum(len(t) for t in read_district(opened, d).tables().values())
                       for d in ids)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(f"read each district's rows: {took / len(ids):.2f} s, cpu "
                  f"{cpu / len(ids):.2f} s a district ({rows / len(ids):,.0f} rows){_load()}")
        t0 = time.perf_counter()
        single = run_districts(store, region.districts, args.at)
        t_single = time.perf_counter() - t0
        print(f"single process: {t_single:.1f} s "
              f"({args.districts / t_single:.3f} districts/s){_load()}")
        if not args.no_windows:
            t0 = time.perf_counter()
            windows_single = run_windows(store)
            t_windows = time.perf_counter() - t0
            print(f"single process, {len(windows_single)} windows of the region: "
                  f"{t_windows:.1f} s{_load()}")
        base = None
        base_w = None
        for workers in range(1, args.workers + 1):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                for label in ("cold", "warm"):
                    t0 = time.perf_counter()
                    spread = run_districts(store, region.districts, args.at, client=client)
                    took = time.perf_counter() - t0
                    for d, bundle in single.items():
                        for name, frame in bundle.items():
                            pd.testing.assert_frame_equal(spread[d][name], frame)
                    if label == "warm" and base is None:
                        base = took
                    speed = "" if base is None else f", speed-up {base / took:.2f}x vs 1 worker"
                    print(f"{workers} worker(s), {label}: {took:.1f} s, "
                          f"{args.districts / took / workers:.3f} districts/s per worker, "
                          f"{events / took / workers:,.0f} events/s per worker{speed}; "
                          f"tables equal to the single process{_load()}")
                if args.no_windows:
                    continue
                t0 = time.perf_counter()
                by_window = run_windows(store, client=client)
                took = time.perf_counter() - t0
                pd.testing.assert_frame_equal(by_window, windows_single)
                base_w = base_w or took
                print(f"{workers} worker(s), {len(by_window)} window tasks (region graph): "
                      f"{took:.1f} s, speed-up {base_w / took:.2f}x vs 1 worker; "
                      f"table equal to the single process{_load()}")


def _load() -> str:
    return "   (load {:.1f} {:.1f} {:.1f})".format(*os.getloadavg())


if __name__ == "__main__":
    main()
