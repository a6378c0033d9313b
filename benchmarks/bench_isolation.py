"""Isolation report plus bridging table of every household and actor of the sample district at
one date (issue 5: aim under 200 ms), against the same bridging work done by networkx.

Run: ``.venv/bin/python benchmarks/bench_isolation.py``. Prints figures; asserts nothing.
Each date is new to the temporal graph, so no view or report is served from a cache.
"""

from __future__ import annotations

import statistics
import time

import networkx as nx

from genera_graph.analytics.bridging import bridging_table
from genera_graph.analytics.isolation import isolation_report
from genera_graph.analytics.tables import graph_for
from genera_graph.sample import generate_district
from genera_graph.temporal import TemporalGraph, month_ends


def main() -> None:
    ds = generate_district(2016).dataset
    tg = TemporalGraph.from_dataset(ds)
    dates = month_ends("2017-06-01", "2019-01-31")
    iso_ms, bridge_ms, total_ms, sizes = [], [], [], []
    for day in dates:
        t0 = time.perf_counter()
        report = isolation_report(tg, day)
        t1 = time.perf_counter()
        g = graph_for(tg, day).igraph()
        table = bridging_table(g)
        t2 = time.perf_counter()
        iso_ms.append((t1 - t0) * 1e3)
        bridge_ms.append((t2 - t1) * 1e3)
        total_ms.append((t2 - t0) * 1e3)
        sizes.append((len(report), len(table), g.ecount()))
    print(f"sample district, {len(dates)} month ends (households, actors, ties at the last: "
          f"{sizes[-1]})")
    for name, values in (("isolation report", iso_ms), ("bridging table", bridge_ms),
                         ("both", total_ms)):
        print(f"  {name:17s} median {statistics.median(values):7.1f} ms   "
              f"max {max(values):7.1f} ms")
    # baseline: the same bridging measures with networkx on the last date's graph
    day = dates[-1]
    g = graph_for(tg, day)
    h = g.networkx()
    t0 = time.perf_counter()
    bridging_table(g.igraph())
    ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    nx.betweenness_centrality(h, normalized=False)
    nx.constraint(h)
    nx.effective_size(h)
    list(nx.articulation_points(h))
    list(nx.local_bridges(h, with_span=False))
    theirs = time.perf_counter() - t0
    print(f"  bridging on {day}: ours {ours * 1e3:.1f} ms, networkx {theirs * 1e3:.1f} ms, "
          f"ratio {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
