"""Benchmark the bridging analytics (igraph) against networkx, and approximate betweenness.

Run from the repository root::

    .venv/bin/python benchmarks/bench_bridging.py            # (a) + (b) on a 5k exact graph
    .venv/bin/python benchmarks/bench_bridging.py --exact-full   # (b) exact on the 20k graph too

(a) ``bridging_table`` (igraph) against networkx doing the same work (weighted Brandes
    betweenness with distance 1/weight, Burt constraint and effective size, articulation points,
    local bridges, degree and strength) on a 700-actor / 16,000-tie synthetic graph, and the time
    of the table on 1,000 actors / 20,000 ties. networkx's weighted constraint and effective size
    take minutes on this graph (about 0.7 s per actor), so by default they are timed on a random
    sample of actors and extrapolated linearly (each actor's value is computed independently);
    ``--full-networkx`` times them on every actor.
(b) Region scale: ``approximate_betweenness`` (source sampling) on a 20,000-actor sparse graph:
    time for several sample sizes, and its error against exact betweenness (mean relative error,
    Spearman rank correlation, overlap of the top 50). Exact betweenness of the 20k graph takes a
    few minutes; by default the error is measured on a 5,000-actor graph from the same generator
    with the same sampling fraction, ``--exact-full`` measures it on the 20k graph itself.
(c) ``brokerage`` on 2,000 actors in 6 Community Points.

Figures are wall-clock seconds on this machine (best of several runs for the fast ones); the
ratios are computed in the same process. The machine may be shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genera_graph.analytics.bridging import (  # noqa: E402
    approximate_betweenness,
    bridging_table,
    brokerage,
)


def synthetic(
    n: int, m: int, *, clusters: int, seed: int, within: float = 0.85
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A district-like graph: actors in ``clusters`` Community Points / municipalities, heavy-
    tailed activity (facilitators and associations are hubs), most ties inside the cluster, and
    interaction counts (geometric) as weights. Returns edges (m x 2), weights, cluster of actor."""
    rng = np.random.default_rng(seed)
    cluster = rng.integers(0, clusters, n)
    activity = rng.pareto(2.5, n) + 1.0
    members = [np.flatnonzero(cluster == c) for c in range(clusters)]
    p_in = [activity[idx] / activity[idx].sum() for idx in members]
    p_all = activity / activity.sum()
    keys: set[int] = set()
    while len(keys) < m:
        k = m - len(keys)
        u = rng.choice(n, size=k, p=p_all)
        v = rng.choice(n, size=k, p=p_all)
        inside = np.flatnonzero(rng.random(k) < within)
        for c in np.unique(cluster[u[inside]]):
            sel = inside[cluster[u[inside]] == c]
            v[sel] = rng.choice(members[c], size=len(sel), p=p_in[c])
        ok = u != v
        lo, hi = np.minimum(u[ok], v[ok]), np.maximum(u[ok], v[ok])
        keys.update((lo * n + hi).tolist())
    key = np.sort(np.fromiter(keys, dtype=np.int64))[:m]
    edges = np.column_stack([key // n, key % n])
    weights = rng.geometric(0.35, len(edges)).astype(np.int64)
    return edges, weights, cluster


def as_igraph(n: int, edges: np.ndarray, weights: np.ndarray) -> ig.Graph:
    g = ig.Graph(n=n, edges=edges.tolist())
    g.vs["name"] = [f"A{i:05d}" for i in range(n)]
    g.es["weight"] = weights.tolist()
    return g


def as_networkx(n: int, edges: np.ndarray, weights: np.ndarray) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(f"A{i:05d}" for i in range(n))
    g.add_weighted_edges_from(
        (f"A{u:05d}", f"A{v:05d}", int(w)) for (u, v), w in zip(edges, weights, strict=True)
    )
    return g


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(pd.Series(a).rank(), pd.Series(b).rank())[0, 1])


def part_a(full_networkx: bool, sample: int) -> None:
    print("\n(a) bridging table: igraph vs networkx, 700 actors / 16,000 ties, weighted")
    n = 700
    edges, weights, _ = synthetic(n, 16_000, clusters=6, seed=1)
    gi, gx = as_igraph(n, edges, weights), as_networkx(n, edges, weights)
    t_ig, table = timed(lambda: bridging_table(gi, weight="weight"), repeat=5)
    t_conv, _ = timed(lambda: bridging_table(gx, weight="weight"), repeat=3)
    t_unw, _ = timed(lambda: bridging_table(gi), repeat=5)
    print(f"  ours, igraph input               {t_ig:8.3f} s")
    print(f"  ours, networkx input (+convert)  {t_conv:8.3f} s")
    print(f"  ours, igraph input, unweighted   {t_unw:8.3f} s  (for scale: no Dijkstra)")

    dist = gx.copy()
    for _, _, data in dist.edges(data=True):
        data["dist"] = 1.0 / data["weight"]
    rows = []
    t, btw = timed(lambda: nx.betweenness_centrality(dist, weight="dist", normalized=False))
    rows.append(("betweenness (Brandes, 1/weight)", t, ""))
    t, _ = timed(lambda: set(nx.articulation_points(gx)))
    rows.append(("articulation points", t, ""))
    t, _ = timed(lambda: list(nx.local_bridges(gx, with_span=False)))
    rows.append(("local bridges", t, ""))
    t, _ = timed(lambda: (dict(gx.degree()), dict(gx.degree(weight="weight"))))
    rows.append(("degree, strength", t, ""))
    nodes = (
        list(gx)
        if full_networkx
        else list(np.random.default_rng(0).choice(list(gx), size=sample, replace=False))
    )
    scale = n / len(nodes)
    note = "" if full_networkx else f"extrapolated x{scale:.0f} from {len(nodes)} actors"
    t, con = timed(lambda: nx.constraint(gx, nodes=nodes, weight="weight"))
    rows.append(("Burt constraint", t * scale, note))
    t, eff = timed(lambda: nx.effective_size(gx, nodes=nodes, weight="weight"))
    rows.append(("effective size", t * scale, note))
    total = sum(r[1] for r in rows)
    for name, secs, extra in rows:
        print(f"  networkx {name:<32s}{secs:8.2f} s  {extra}")
    print(f"  networkx total                          {total:8.2f} s")
    print(f"  ratio networkx / ours (igraph input)    {total / t_ig:8.0f}x")
    exact = pd.Series(btw)
    rel = np.abs(table["betweenness"] - exact.loc[table.index]).max() / exact.max()
    con_diff = max(abs(table.loc[v, "constraint"] - con[v]) for v in nodes)
    eff_diff = max(abs(table.loc[v, "effective_size"] - eff[v]) for v in nodes)
    print(
        f"  agreement: betweenness max |diff| / max {rel:.1e}; constraint {con_diff:.1e}; "
        f"effective size {eff_diff:.1e}\n"
        "  (betweenness: networkx compares float path lengths exactly, igraph with a tolerance,\n"
        "  so paths of equal length such as 1/2 + 1/2 and 1/1 can be split by rounding in\n"
        "  networkx; with exact fractions they agree, see tests/analytics/test_bridging.py)"
    )

    print("\n    bridging table, 1,000 actors / 20,000 ties (igraph input, best of 5)")
    n = 1000
    edges, weights, _ = synthetic(n, 20_000, clusters=6, seed=3)
    gi = as_igraph(n, edges, weights)
    for weight in (None, "weight"):
        t, _ = timed(lambda weight=weight: bridging_table(gi, weight=weight), repeat=5)
        dists = None if weight is None else [1.0 / w for w in gi.es["weight"]]
        tb, _ = timed(lambda dists=dists: gi.betweenness(directed=False, weights=dists), repeat=5)
        label = "weighted  " if weight else "unweighted"
        print(
            f"  {label} table {t * 1000:6.0f} ms, of which igraph betweenness alone "
            f"{tb * 1000:5.0f} ms"
        )


def error_stats(est: pd.Series, exact: pd.Series) -> tuple[float, float, float, float]:
    positive = exact > 0
    top = exact.sort_values(ascending=False).index[:500]
    mre = float(((est - exact).abs()[positive] / exact[positive]).mean())
    mre_top = float(((est - exact).abs()[top] / exact[top]).mean())
    rho = spearman(est.to_numpy(), exact.to_numpy())
    top50 = len(set(exact.nlargest(50).index) & set(est.nlargest(50).index)) / 50
    return mre, mre_top, rho, top50


def part_b(exact_full: bool, samples: list[int]) -> None:
    n_region, m_region = 20_000, 80_000
    print(f"\n(b) region scale: approximate betweenness, {n_region:,} actors / {m_region:,} ties")
    edges, weights, _ = synthetic(n_region, m_region, clusters=60, seed=2, within=0.9)
    region = as_igraph(n_region, edges, weights)
    for k in samples:
        t, _ = timed(lambda k=k: approximate_betweenness(region, samples=k, seed=0))
        print(f"  samples {k:5d} ({k / n_region:6.1%} of sources)   {t:7.2f} s")
    if exact_full:
        graph, n = region, n_region
    else:
        n = 5_000
        edges, weights, _ = synthetic(n, n * m_region // n_region, clusters=15, seed=2, within=0.9)
        graph = as_igraph(n, edges, weights)
    t_exact, exact = timed(lambda: approximate_betweenness(graph, samples=n, seed=0))
    print(f"  exact betweenness on {n:,} actors   {t_exact:7.2f} s")
    print(
        "  error against exact on that graph (same sampling fraction):\n"
        "    fraction  samples    time   mean rel. err  (top 500)  Spearman  top-50 overlap"
    )
    for k_region in samples:
        k = max(1, round(k_region * n / n_region))
        t, est = timed(lambda k=k: approximate_betweenness(graph, samples=k, seed=1))
        mre, mre_top, rho, top50 = error_stats(est, exact)
        print(
            f"    {k / n:7.1%}  {k:7d} {t:7.2f} s   {mre:10.3f}     {mre_top:8.3f}  "
            f"{rho:8.3f}   {top50:8.0%}"
        )


def part_c() -> None:
    print("\n(c) brokerage, 2,000 actors / 20,000 ties, 6 Community Points")
    n = 2000
    edges, weights, cluster = synthetic(n, 20_000, clusters=6, seed=4)
    g = as_igraph(n, edges, weights)
    groups = {f"A{i:05d}": f"CP{c}" for i, c in enumerate(cluster)}
    t, result = timed(lambda: brokerage(g, groups), repeat=3)
    print(f"  brokerage (counts, nodal and global z)  {t:7.3f} s")
    print(f"  open two-paths counted: {int(result.global_raw['total']):,}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-networkx", action="store_true")
    parser.add_argument("--networkx-sample", type=int, default=20)
    parser.add_argument("--exact-full", action="store_true")
    parser.add_argument("--samples", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--skip", choices=["a", "b", "c"], nargs="*", default=[])
    args = parser.parse_args(argv)
    print(
        f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)"
    )
    print(f"igraph {ig.__version__}, networkx {nx.__version__}, numpy {np.__version__}")
    if "a" not in args.skip:
        part_a(args.full_networkx, args.networkx_sample)
    if "b" not in args.skip:
        part_b(args.exact_full, args.samples)
    if "c" not in args.skip:
        part_c()


if __name__ == "__main__":
    main()
