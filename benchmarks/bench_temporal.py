"""Benchmark of the temporal layer: prints figures and ratios (not a timed test).

1. **Sample district** (``genera_graph.sample.generate_district(2016)``; a synthetic stand-in of
   about 1,500 actors / 30k events if the sample package is missing): for each of the 36
   month-end cumulative views, components, giant-component share, density, mean clustering,
   Leiden communities and the betweenness of every actor, on igraph through the library; then
   the same work with networkx (views' edge tables -> ``nx.Graph``; Louvain stands in for
   Leiden, which networkx only dispatches to backends), on the same views, in the same run. The
   ratio is taken on the month-ends networkx ran (every ``--nx-every``-th; 1 = all 36).
   Both passes start from a cold view cache, so building the views is included in both.
   The results of the two passes are checked against each other. Betweenness dominates the
   igraph pass; the pass is also timed over ``--processes`` forked workers (wall clock).
2. **Region scale** (``benchmarks/region_log.py``: 100k actors, 4M events): rolling 90-day
   active-partner counts per actor for the 36 month-ends with
   :meth:`TemporalGraph.active_partner_counts` (best of ``--repeat``), its peak traced memory and
   the process's peak RSS, against a per-window numpy-mask baseline computed in the same run
   (and checked equal).

Run from the repository root::

    .venv/bin/python benchmarks/bench_temporal.py            # everything
    .venv/bin/python benchmarks/bench_temporal.py --nx-every 1 --skip-region
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from region_log import region_log  # noqa: E402

from genera_graph.analytics.communities import leiden  # noqa: E402
from genera_graph.model import DEFAULT_CONFIG  # noqa: E402
from genera_graph.temporal import TemporalGraph, day_number, month_ends  # noqa: E402


def _sample_dataset():
    try:
        from genera_graph.sample import generate_district
    except ImportError:
        print("sample district: genera_graph.sample missing, using a synthetic stand-in")
        return region_log(1_500, 30_000, seed=2016), "synthetic stand-in"
    return generate_district(2016).dataset, "generate_district(2016)"


def _igraph_metrics(view, stages=None):
    clock = time.process_time
    t0 = clock()
    g = view.igraph()
    t1 = clock()
    n = g.vcount()
    comps = g.connected_components()
    out = {
        "vertices": n,
        "ties": g.ecount(),
        "components": len(comps),
        "giant_share": max(comps.sizes()) / n if n else float("nan"),
        "density": g.density() if n > 1 else float("nan"),
        "clustering": g.transitivity_avglocal_undirected(mode="zero"),
    }
    t2 = clock()
    out["modularity"] = leiden(view, seed=DEFAULT_CONFIG.seed).modularity
    t3 = clock()
    out["betweenness"] = dict(zip(g.vs["name"], g.betweenness(directed=False), strict=True))
    t4 = clock()
    if stages is not None:
        for key, dt in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[key] += dt
    return out


def _networkx_metrics(view):
    edges = view.edges
    g = nx.Graph()
    g.add_nodes_from(view.vertices["actor_id"])
    g.add_weighted_edges_from(edges[["source", "target", "weight"]].itertuples(index=False))
    n = g.number_of_nodes()
    comps = list(nx.connected_components(g))
    parts = nx.community.louvain_communities(g, weight="weight", seed=DEFAULT_CONFIG.seed)
    return {
        "vertices": n,
        "ties": g.number_of_edges(),
        "components": len(comps),
        "giant_share": max(map(len, comps)) / n if n else float("nan"),
        "density": nx.density(g) if n > 1 else float("nan"),
        "clustering": nx.average_clustering(g),
        "modularity": nx.community.modularity(g, parts, weight="weight"),
        "betweenness": nx.betweenness_centrality(g, normalized=False),
    }


_SHARED: dict = {}


def _worker(args):
    end, opts = args
    return end, _igraph_metrics(_SHARED["tg"].cumulative(end, **opts))


def _parallel_pass(ds, ends, opts, processes: int) -> tuple[float, dict]:
    """The igraph pass over ``processes`` forked workers (each builds its own views)."""
    import multiprocessing as mp

    _SHARED["tg"] = TemporalGraph.from_dataset(ds)
    gc.collect()
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(processes) as pool:
        # the largest views first, one at a time, so that the workers finish together
        results = dict(pool.imap_unordered(_worker, [(e, opts) for e in reversed(ends)]))
    return time.perf_counter() - t0, results


def bench_district(nx_every: int, coparticipation: bool, processes: int) -> None:
    ds, origin = _sample_dataset()
    t0 = time.perf_counter()
    tg = TemporalGraph.from_dataset(ds)
    build = time.perf_counter() - t0
    ends = month_ends(DEFAULT_CONFIG.programme_start, DEFAULT_CONFIG.programme_end)
    opts = {"include_coparticipation": coparticipation}
    label = "with co-participation" if coparticipation else "interactions + relations"
    print(f"\n== sample district ({origin}): {tg.n_actors:,} actors, {tg.n_events:,} events; "
          f"cumulative views {label}")
    print(f"event log built in {build:.3f} s")

    per_view, per_view_cpu = [], []
    ig_results = {}
    stages = dict.fromkeys(("views", "structure", "leiden", "betweenness"), 0.0)
    gc.collect()
    t_all, c_all = time.perf_counter(), time.process_time()
    for e in ends:
        t, c = time.perf_counter(), time.process_time()
        ig_results[e] = _igraph_metrics(tg.cumulative(e, **opts), stages)
        per_view.append(time.perf_counter() - t)
        per_view_cpu.append(time.process_time() - c)
    ig_total, ig_cpu = time.perf_counter() - t_all, time.process_time() - c_all
    last = ig_results[ends[-1]]
    print(f"igraph, all 36 month-end views (views + components, giant share, density, "
          f"clustering, Leiden, betweenness): {ig_total:.3f} s wall, {ig_cpu:.3f} s CPU  "
          f"[target < 2 s]")
    print("  by stage (CPU s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    print(f"  last view: {last['vertices']:,} vertices, {last['ties']:,} ties, "
          f"Q = {last['modularity']:.3f}")
    if processes > 1:
        wall, par = _parallel_pass(ds, ends, opts, processes)
        same = all(par[e]["betweenness"] == ig_results[e]["betweenness"] for e in ends)
        print(f"igraph, the same 36 views over {processes} processes: {wall:.3f} s wall "
              f"(same betweenness: {same})")

    chosen = [i for i in range(len(ends)) if (i + 1) % nx_every == 0]
    tg_nx = TemporalGraph.from_dataset(ds)  # cold cache for the networkx pass
    nx_time = nx_cpu = 0.0
    worst = 0.0
    agree = True
    for i in chosen:
        e = ends[i]
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        res = _networkx_metrics(tg_nx.cumulative(e, **opts))
        nx_time += time.perf_counter() - t
        nx_cpu += time.process_time() - c
        ref = ig_results[e]
        for key in ("vertices", "ties", "components"):
            agree &= res[key] == ref[key]
        for key in ("giant_share", "density", "clustering"):
            agree &= bool(np.isclose(res[key], ref[key], equal_nan=True))
        worst = max(
            worst,
            max((abs(res["betweenness"][k] - v) for k, v in ref["betweenness"].items()),
                default=0.0),
        )
    ig_subset = sum(per_view[i] for i in chosen)
    ig_subset_cpu = sum(per_view_cpu[i] for i in chosen)
    print(f"networkx on {len(chosen)} of the 36 views: {nx_time:.2f} s wall ({nx_cpu:.2f} s "
          f"CPU); igraph on the same views: {ig_subset:.3f} s wall ({ig_subset_cpu:.3f} s CPU); "
          f"ratio networkx / igraph = {nx_time / ig_subset:.0f}x wall, "
          f"{nx_cpu / ig_subset_cpu:.0f}x CPU  [aim >= 50x]")
    print(f"  components, giant share, density, clustering agree: {agree}; "
          f"max |betweenness difference| = {worst:.2e}")


def _baseline_per_window(tg: TemporalGraph, ends: np.ndarray, width: int) -> np.ndarray:
    """Per-window boolean masks, sort-based de-duplication and bincount (the slow way)."""
    log = tg.log
    n = log.n_actors
    lo = np.minimum(log.source, log.target).astype(np.int64)
    hi = np.maximum(log.source, log.target).astype(np.int64)
    out = np.zeros((len(ends), n), np.int64)
    for k, e in enumerate(ends):
        mask = (log.day <= e) & (log.end >= e - width + 1) & (lo != hi)
        keys = np.sort(lo[mask] * n + hi[mask])
        if len(keys) == 0:
            continue
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        out[k] = np.bincount(keys // n, minlength=n) + np.bincount(keys % n, minlength=n)
    return out


def bench_region(repeat: int) -> None:
    print("\n== region scale")
    t0 = time.perf_counter()
    ds = region_log()
    gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    tg = TemporalGraph.from_dataset(ds)
    build = time.perf_counter() - t0
    del ds
    gc.collect()
    print(f"synthetic log: {tg.n_actors:,} actors, {tg.n_events:,} events; generated in "
          f"{gen:.2f} s, event log built in {build:.2f} s")
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        counts = tg.active_partner_counts(90)
        times.append(time.perf_counter() - t0)
    gc.collect()
    tracemalloc.start()
    tg.active_partner_counts(90)
    _, kernel_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"active_partner_counts(90), 36 month-ends: best {min(times):.3f} s of {repeat} "
          f"({', '.join(f'{t:.2f}' for t in times)})  [target < 2 s]")
    print(f"  peak memory: kernel (traced) {kernel_peak / 2**20:,.0f} MiB; process peak RSS "
          f"so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB "
          f"[target < 2 GiB]")
    ends = np.asarray([day_number(e) for e in counts.columns])
    t0 = time.perf_counter()
    base = _baseline_per_window(tg, ends, 90)
    base_time = time.perf_counter() - t0
    same = bool((base == counts.to_numpy().T).all())
    print(f"baseline (per-window numpy masks): {base_time:.2f} s; ratio baseline / kernel = "
          f"{base_time / min(times):.1f}x; identical counts: {same}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nx-every", type=int, default=6,
                        help="run networkx on every k-th month-end (1: all 36; default 6)")
    parser.add_argument("--repeat", type=int, default=3, help="kernel repetitions (best kept)")
    parser.add_argument("--processes", type=int, default=2,
                        help="also time the igraph pass over this many processes (1: no)")
    parser.add_argument("--skip-district", action="store_true")
    parser.add_argument("--skip-region", action="store_true")
    parser.add_argument("--coparticipation", action="store_true",
                        help="also run the district benchmark on views with co-participation")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, networkx {nx.__version__}; "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} "
          f"cores")
    if not args.skip_district:
        bench_district(args.nx_every, False, args.processes)
        if args.coparticipation:
            bench_district(args.nx_every, True, args.processes)
    if not args.skip_region:
        bench_region(args.repeat)


if __name__ == "__main__":
    main()
