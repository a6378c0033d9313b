"""Benchmark: the region end to end on one machine, with the aims of issue 18.

Generates the synthetic region (:func:`genera_graph.sample.region.generate_region`, default 30
districts, about 40k households and 4M events), then times each step and prints its peak
resident memory (sampled every 20 ms while the step runs):

- ``generate``: the region's tables (not an aim: the data would come from the registers);
- ``import`` (with ``--import``): the registers written to a folder, then ``genera import`` of
  the folder into a fresh SQLite store in a child process (its time and its VmHWM);
- ``from_dataset``: the temporal graph (aim < 10 s);
- ``isolation_report`` and ``early_warning`` at one date (aim < 2 s);
- ``growth`` over the 36 months (aim < 5 s);
- ``leiden`` on the ``at`` view of the date (aim < 5 s);
- ``betweenness (KADABRA)`` on the ``at`` view, epsilon 0.01, delta 0.1 (aim < 10 s with a
  stated bound); ``--exact`` adds exact Brandes betweenness (opt-in: about 40 min here);
- the top-50 agreement of KADABRA with exact betweenness on one district's graph (aim >= 90 %);
- isolation quality on the planted truth of every district at six month ends (recall,
  precision; the sample district's figures are 1.0 / 1.0 in its test).

``--sizes`` instead prints time against size (isolation + bridging at one date, KADABRA) for
regions of about 1.5k, 10k, 30k and 100k actors and the empirical exponent of the fit
``time ~ size^k``.

A watchdog stops the run (exit 3) if the process passes ``--max-gib`` (default 5.5 GiB).
Usage::

    .venv/bin/python benchmarks/bench_region.py --cache region.pickle
    .venv/bin/python benchmarks/bench_region.py --districts 6 --import
    .venv/bin/python benchmarks/bench_region.py --sizes

It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from genera_graph.analytics.bridging import approximate_betweenness, bridging_table
from genera_graph.analytics.communities import leiden
from genera_graph.analytics.growth import growth
from genera_graph.analytics.isolation import early_warning, isolation_report
from genera_graph.analytics.tables import graph_for
from genera_graph.sample.region import district_of_points, generate_region, write_region
from genera_graph.temporal import TemporalGraph

GIB = 1024**3
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * _PAGE


class _Sampler:
    """Peak RSS while a step runs; stops the process past the limit."""

    def __init__(self, limit: float) -> None:
        self.limit, self.peak, self._stop = limit, 0, threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            rss = _rss()
            self.peak = max(self.peak, rss)
            if rss > self.limit:
                print(f"\nwatchdog: {rss / GIB:.2f} GiB > limit, stopping", flush=True)
                os._exit(3)


@contextmanager
def step(sampler: _Sampler, name: str, aim: str = ""):
    gc.collect()
    sampler.peak = _rss()
    t0, c0 = time.perf_counter(), time.process_time()
    yield
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time beside wall time: on a shared machine the wall time counts the waits for a core
    print(f"{name:<34} {took:8.2f} s   cpu {cpu:7.2f} s   peak {sampler.peak / GIB:5.2f} GiB"
          f"   {aim}", flush=True)


def _child_import(folder: str, store: str) -> None:
    import contextlib
    import io

    from genera_graph.cli import main as genera

    t0, c0 = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):  # `genera --store STORE import FOLDER`
        ok = genera(["--store", store, "import", folder]) == 0
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    with open("/proc/self/status") as handle:
        hwm = next(line for line in handle if line.startswith("VmHWM"))
    print(f"{took:.2f} {int(hwm.split()[1]) * 1024} {ok} {cpu:.2f}")


def _quality(tg: TemporalGraph, region) -> tuple[float, float, int, int, int]:
    truth = region.truth.isolated_households.set_index("household_id")
    actors = region.dataset.actors
    met = pd.Series(actors["first_met"].to_numpy(), index=actors["actor_id"].astype(str))
    since = truth["isolated_from"].where(truth["mechanism"] != "never_connected",
                                         met.reindex(truth.index))
    lag = pd.Timedelta(days=tg.config.isolation_window_days)
    tp = fp = fn = 0
    for t in pd.to_datetime(["2016-11-30", "2017-05-31", "2017-11-30", "2018-05-31",
                             "2018-11-30", "2019-01-31"]):
        report = isolation_report(tg, t.date())
        judged = report[report["status"] != "new"]
        positive = set(since[since + lag <= t].index) & set(judged.index)
        flagged = set(judged.index[judged["status"] == "isolated"])
        tp += len(flagged & positive)
        fn += len(positive - flagged)
        fp += len(flagged - set(since[since <= t].index))
    return tp / max(tp + fn, 1), tp / max(tp + fp, 1), tp, fp, fn


def _district_agreement(region, at: str, epsilon: float,
                        district: str = "D01") -> tuple[float, float, float]:
    """Top-50 overlap of KADABRA with exact betweenness on one district's own graph."""
    points = [p for p, d in district_of_points(region.districts).items() if d == district]
    tg = TemporalGraph.from_dataset(region.dataset)
    g = graph_for(tg, at, "at").igraph()
    keep = [v.index for v in g.vs if v["community_point_id"] in points]
    sub = g.induced_subgraph(keep)
    t0 = time.perf_counter()
    exact = pd.Series(sub.betweenness(directed=False), index=sub.vs["name"])
    t_exact = time.perf_counter() - t0
    t0 = time.perf_counter()
    est = approximate_betweenness(sub, epsilon=epsilon, delta=0.1, seed=1)
    t_est = time.perf_counter() - t0
    top = set(exact.nlargest(50).index)
    return len(top & set(est.nlargest(50).index)) / 50, t_exact, t_est


def _load_or_generate(args: argparse.Namespace, sampler: _Sampler):
    """The region, generated once and kept in ``--cache`` (a pickle) for later runs."""
    cache = Path(args.cache) if args.cache else None
    key = (args.districts, args.households, args.seed)
    if cache is not None and cache.exists():
        with step(sampler, "load cached region"), cache.open("rb") as handle:
            stored_key, region = pickle.load(handle)
        if stored_key == key:
            return region
        print("  cache is for other arguments: generating")
    with step(sampler, "generate"):
        region = generate_region(args.districts, households_per_district=args.households,
                                 seed=args.seed)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump((key, region), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return region


def run_region(args: argparse.Namespace) -> None:
    sampler = _Sampler(args.max_gib * GIB)
    at = args.at
    print(f"region: {args.districts} districts x {args.households} households; date {at}")
    region = _load_or_generate(args, sampler)
    ds = region.dataset
    print(f"  {len(ds.actors):,} actors ({(ds.actors['kind'] == 'household').sum():,} "
          f"households), {len(ds.interactions) + len(ds.participations) + len(ds.relations):,}"
          f" events ({len(ds.interactions):,} contacts, {len(ds.participations):,} "
          f"attendances, {len(ds.relations):,} relations)")
    if args.import_:
        with tempfile.TemporaryDirectory() as tmp:
            with step(sampler, "write registers"):
                write_region(region, Path(tmp) / "registers")
            target = Path(args.keep_store) if args.keep_store else Path(tmp) / "region.sqlite"
            for leftover in target.parent.glob(target.name + "*"):
                leftover.unlink()
            out = subprocess.run(
                [sys.executable, __file__, "--child-import", str(Path(tmp) / "registers"),
                 str(target)], capture_output=True, text=True, check=True)
            took, hwm, ok, cpu = out.stdout.split()
            print(f"{'genera import (child process)':<34} {float(took):8.2f} s   cpu "
                  f"{float(cpu):7.2f} s   peak {int(hwm) / GIB:5.2f} GiB   aim < 60 s "
                  f"(ok={ok})", flush=True)
            if args.keep_store:
                from genera_graph.io.districts import read_districts_file, set_districts
                from genera_graph.io.store import Store

                with Store(target) as store:
                    set_districts(store, read_districts_file(Path(tmp) / "registers"))
                print(f"  store kept: {target} (with its districts)")
    if args.only == "import":
        return
    with step(sampler, "TemporalGraph.from_dataset", "aim < 10 s"):
        tg = TemporalGraph.from_dataset(ds)
    only = set(filter(None, args.only.split(",")))

    def want(name: str) -> bool:
        return not only or name in only

    if want("isolation"):
        with step(sampler, "isolation_report (one date)", "aim < 2 s"):
            report = isolation_report(tg, at)
        print(f"  {len(report):,} households judged; "
              f"{int((report['status'] == 'isolated').sum())} isolated")
    if want("early_warning"):
        tg.__dict__.pop("_analytics_cache", None)  # cold: both dates computed
        with step(sampler, "early_warning (two dates, cold)", "aim < 2 s"):
            early_warning(tg, at)
    if want("growth"):
        with step(sampler, "growth (36 months)", "aim < 5 s"):
            table = growth(tg)
        print(f"  {len(table)} windows; last peer share {table['peer_share'].iloc[-1]:.3f}")
    if want("leiden"):
        view = tg.at(at)
        with step(sampler, "at() view + igraph", ""):
            g = view.igraph()
        print(f"  at() view: {g.vcount():,} actors, {g.ecount():,} ties")
        with step(sampler, "leiden (at view)", "aim < 5 s"):
            result = leiden(view, seed=1)
        print(f"  {result.n_communities:,} communities, Q = {result.modularity:.5f} "
              f"({result.parameters['n_iterations']} iterations)")
        if args.stable_leiden:
            with step(sampler, "leiden until stable (at view)", ""):
                result = leiden(view, seed=1, n_iterations=-1)
            print(f"  {result.n_communities:,} communities, Q = {result.modularity:.5f}")
    if want("kadabra") or want("bridging"):
        bg = graph_for(tg, at, "at").igraph()
    if want("kadabra"):
        with step(sampler, f"betweenness KADABRA eps {args.epsilon}",
                  "aim < 10 s, stated bound"):
            est = approximate_betweenness(bg, epsilon=args.epsilon, delta=0.1, seed=1)
        print(f"  bound on every raw value: {est.attrs['error_bound']:,.0f} "
              f"(probability >= 0.9); largest estimate {est.max():,.0f}")
    if want("bridging"):
        with step(sampler, "bridging_table (KADABRA)", ""):
            bridging_table(bg, betweenness_epsilon=args.epsilon, seed=1)
    if args.exact:
        with step(sampler, "bridging_table (exact, opt-in)", ""):
            bridging_table(bg)
    if want("agreement"):
        with step(sampler, "top-50 agreement on district D01", "aim >= 90 %"):
            overlap, t_exact, t_est = _district_agreement(region, at, args.epsilon)
        print(f"  KADABRA top 50 vs exact top 50 on D01: {overlap:.0%} "
              f"(exact {t_exact:.2f} s, KADABRA {t_est:.2f} s)")
    if want("quality"):
        with step(sampler, "isolation quality (6 month ends)", ""):
            recall, precision, tp, fp, fn = _quality(tg, region)
        print(f"  recall {recall:.3f}, precision {precision:.3f} ({tp} hits, {fp} false "
              f"alarms, {fn} misses; the sample district: 1.000 / 1.000 in its test)")
    print(f"whole run: peak {_peak_hwm() / GIB:.2f} GiB (VmHWM)")


def _peak_hwm() -> int:
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith("VmHWM"))
    return int(line.split()[1]) * 1024


def run_sizes(args: argparse.Namespace) -> None:
    sampler = _Sampler(args.max_gib * GIB)
    rows = []
    # (districts, households per district): about 1.5k, 10k, 30k and 100k actors
    for districts, households in ((1, 400), (2, 1300), (6, 1300), (21, 1300)):
        region = generate_region(districts, households_per_district=households, seed=args.seed)
        tg = TemporalGraph.from_dataset(region.dataset)
        n = len(region.dataset.actors)
        m = len(region.dataset.interactions) + len(region.dataset.participations)
        del region
        gc.collect()
        sampler.peak = _rss()
        t0 = time.perf_counter()
        isolation_report(tg, args.at)
        t_iso = time.perf_counter() - t0
        t0 = time.perf_counter()
        bridging_table(graph_for(tg, args.at, "at").igraph(), betweenness_epsilon=0.01, seed=1)
        t_bri = time.perf_counter() - t0
        rows.append((n, m, t_iso, t_bri, sampler.peak))
        print(f"{n:>8,} actors {m:>10,} events   isolation {t_iso:7.2f} s   bridging "
              f"(KADABRA) {t_bri:7.2f} s   total {t_iso + t_bri:7.2f} s   peak "
              f"{sampler.peak / GIB:.2f} GiB", flush=True)
        del tg
    sizes = np.log([r[0] for r in rows])
    for name, col in (("isolation", 2), ("bridging", 3), ("isolation + bridging", None)):
        times = [r[2] + r[3] if col is None else r[col] for r in rows]
        k = np.polyfit(sizes, np.log(times), 1)[0]
        print(f"empirical exponent, {name}: time ~ actors^{k:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=30)
    parser.add_argument("--households", type=int, default=1300)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--at", default="2018-06-30")
    parser.add_argument("--import", dest="import_", action="store_true")
    parser.add_argument("--keep-store", metavar="SQLITE",
                        help="with --import: keep the imported store here (districts set)")
    parser.add_argument("--exact", action="store_true")
    parser.add_argument("--epsilon", type=float, default=0.01,
                        help="KADABRA's epsilon (the bound is epsilon * n(n-1)/4)")
    parser.add_argument("--sizes", action="store_true")
    parser.add_argument("--stable-leiden", action="store_true",
                        help="also run Leiden until the partition is stable")
    parser.add_argument("--cache", metavar="PICKLE",
                        help="keep the generated region in this file and reuse it")
    parser.add_argument("--only", default="",
                        help="comma-separated steps to run (default: all)")
    parser.add_argument("--max-gib", type=float, default=5.5)
    parser.add_argument("--child-import", nargs=2, metavar=("FOLDER", "STORE"))
    args = parser.parse_args()
    if args.child_import:
        _child_import(*args.child_import)
    elif args.sizes:
        run_sizes(args)
    else:
        run_region(args)


if __name__ == "__main__":
    main()
