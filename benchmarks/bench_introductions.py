"""Suggested introductions, evaluated as Liben-Nowell & Kleinberg (2007) do (issue 13).

At each cut-off ``t``, every candidate pair is scored from the data before ``t`` and the new peer
ties of ``[t, t + horizon)`` are the positives; the table gives, per method, the mean over
(cut-off, target actor) of AUC, precision@5, precision@10 and recall@10, for the combined
method and the baselines (random, preferential attachment, common neighbours, Adamic–Adar),
plus the single indices the method combines.

Two networks:

1. the sample district (household level, every month end from 01/02/2017 to 31/10/2018,
   horizon 90 days);
2. a real public temporal contact network shipped inside a PyPI package: the face-to-face
   contacts recorded with SocioPatterns proximity sensors at the GESIS Winter Symposium 2016
   (``WS16``; Génois et al., "Combining sensors and surveys to study social interactions: a
   case of four science conferences", Personality Science 2023), as shipped by the ``face2face``
   package (``pip install --no-deps face2face==0.2.1a0``: only its data files are read, nothing
   is imported or downloaded at run time). Each 20-second contact ``(t, i, j)`` becomes a peer
   interaction; time is compressed, **one minute of the conference = one day of the log**, so the
   protocol is the same: the 365-"day" window is the last 6 hours 5 minutes, "month ends" are
   about every 30 minutes, the 90-"day" horizon is the next 90 minutes. The graph is built with
   ``TemporalGraph.from_frames`` from the interactions alone (individual level; no Community
   Point, municipality or activity: the focus and two-mode indices are empty there).

What it showed (01/12/2026, mean over (cut-off, target)):

- sample district, 21 month ends, 5,684 targets: the method has AUC 0.957, precision@10 0.0924
  (11.7x random 0.0079), recall@10 0.289; Adamic-Adar 0.897 / 0.0889 / 0.282; common
  neighbours 0.0895, Katz 0.0899, personalised PageRank 0.0868, preferential attachment 0.0095.
  The gain over Adamic-Adar is small (+4 % in precision@10) and comes mostly from the focus
  indices (same Community Point, newcomers), which match how the generator lays peer ties
  (mostly within a point, many with newly met families): a property of the sample, not proof.
- WS16, 67 cut-offs, 3,626 targets: the method has AUC 0.651, precision@10 0.312 (1.50x random
  0.208), recall@10 0.287; Adamic-Adar 0.631 / 0.305 / 0.277; personalised PageRank alone
  0.311, preferential attachment 0.309. On a dense conference, where most people meet many
  new people every 90 minutes, every index is only about 1.5x random and the local indices
  barely beat preferential attachment; the combination (Katz + PageRank) is +2 % over
  Adamic-Adar in precision@10.

Run: ``.venv/bin/python benchmarks/bench_introductions.py [--quick]``. Prints figures; asserts
nothing. ``--quick`` evaluates every fourth cut-off. ``--first-render`` times instead a family
page's suggestions block after ``DataAccess.warm()``, without and with its suggestions step.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import numpy as np
import pandas as pd

from genera_graph.analytics.introductions import (
    BASELINES,
    evaluate_link_prediction,
    summarise_evaluation,
)
from genera_graph.temporal import TemporalGraph, month_ends

METHODS = ("method", *BASELINES, "resource_allocation", "katz", "personalised_pagerank",
           "same_place", "newcomer", "activity_resource_allocation")
COLUMNS = ["targets", "positives", "auc", "precision_at_5", "precision_at_10", "recall_at_10",
           "precision_at_10_x_random"]
#: the conference's first day at minute resolution is mapped onto this day of the log
_ORIGIN = pd.Timestamp("2000-01-01")


def face2face_data(name: str = "WS16") -> Path | None:
    """The folder of a data set of the installed ``face2face`` package (never imported)."""
    spec = importlib.util.find_spec("face2face")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    return path if path.is_dir() else None


def conference_graph(folder: Path) -> tuple[TemporalGraph, pd.DataFrame]:
    """A :class:`TemporalGraph` of a SocioPatterns ``tij`` file, one minute = one log day."""
    tij = next(folder.glob("tij_*.dat"))
    raw = pd.read_csv(tij, sep=r"\s+", header=None, names=["t", "i", "j"])
    minute = (raw["t"] - raw["t"].min()) // 60
    pairs = pd.DataFrame({"minute": minute, "a": np.minimum(raw["i"], raw["j"]),
                          "b": np.maximum(raw["i"], raw["j"])}).drop_duplicates()
    date = _ORIGIN + pd.to_timedelta(pairs["minute"], unit="D")
    people = pd.unique(np.r_[pairs["a"], pairs["b"]])
    first = pd.concat([pd.Series(date.values, index=pairs["a"].values),
                       pd.Series(date.values, index=pairs["b"].values)]).groupby(level=0).min()
    actors = pd.DataFrame({"actor_id": [f"P{p}" for p in people], "kind": "individual",
                           "name": [f"P{p}" for p in people],
                           "first_met": first.reindex(people).values})
    contacts = pd.DataFrame({
        "interaction_id": [f"X{k}" for k in range(len(pairs))],
        "date": date.values,
        "source_actor_id": [f"P{p}" for p in pairs["a"]],
        "target_actor_id": [f"P{p}" for p in pairs["b"]],
        "kind": "meeting", "nature": "peer", "programme": "community", "source": "survey",
    })
    return TemporalGraph.from_frames(actors, interactions=contacts), raw


def _print(title: str, summary: pd.DataFrame, seconds: float) -> None:
    print(f"\n{title}  ({seconds:.1f} s)")
    table = summary[[c for c in COLUMNS if c in summary]].copy()
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(float_format=lambda x: f"{x:.4f}"))


def first_render(families: int = 8) -> None:
    """A family page's suggestions block on the sample district (``generate_district(2016)``,
    coordinator), after ``DataAccess.warm()`` without and with its suggestions step: the
    seconds of each family's first render, and what the step adds to the warm-up."""
    import statistics
    import sys

    from dash_app import create_app
    from dash_app.data import DataAccess, Viewer
    from genera_graph.sample import generate_district

    ds = generate_district(2016).dataset
    create_app(ds, viewer=Viewer())  # registers the pages (not warmed: timed below)
    introductions_block = sys.modules["dash_app.pages.actor"].introductions_block

    def run(with_step: bool) -> tuple[float, list[float], float]:
        access = DataAccess(ds, Viewer())
        step = 0.0
        if not with_step:
            access._warm_suggestions = lambda: None  # warm() as before this step
        t0 = time.perf_counter()
        access.warm()
        warm = time.perf_counter() - t0
        if with_step:
            t1 = time.perf_counter()
            access._warm_suggestions()  # timed alone (warm() already ran it once)
            step = time.perf_counter() - t1
        flagged = access.isolation()
        chosen = list(flagged.index[:families])
        times = []
        for h in chosen:
            t1 = time.perf_counter()
            introductions_block(access, h, "it")
            times.append(time.perf_counter() - t1)
        return warm, times, step

    for label, with_step in (("before (warm without suggestions)", False),
                             ("after (warm with suggestions)", True)):
        warm, times, step = run(with_step)
        extra = f"; the suggestions step alone, again: {step:.1f} s" if with_step else ""
        print(f"{label}: warm {warm:.1f} s{extra}; first render of {len(times)} flagged "
              f"families: median {statistics.median(times):.3f} s, max {max(times):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every fourth cut-off only")
    parser.add_argument("--first-render", action="store_true",
                        help="only time a family page's suggestions after warm(), without "
                             "and with the suggestions step")
    args = parser.parse_args()
    if args.first_render:
        first_render()
        return
    step = 4 if args.quick else 1

    from genera_graph.sample import generate_district

    t0 = time.perf_counter()
    tg = TemporalGraph.from_dataset(generate_district(2016).dataset)
    cuts = month_ends("2017-02-01", "2018-10-31")[::step]
    t1 = time.perf_counter()
    ev = evaluate_link_prediction(tg, cutoffs=cuts, methods=METHODS)
    _print(f"sample district (seed 2016), household level, {len(cuts)} month ends "
           f"{cuts[0]:%d/%m/%Y}-{cuts[-1]:%d/%m/%Y}, horizon 90 days; built in "
           f"{t1 - t0:.1f} s", summarise_evaluation(ev), time.perf_counter() - t1)

    folder = face2face_data("WS16")
    if folder is None:
        print("\nface2face is not installed (pip install --no-deps face2face==0.2.1a0): "
              "the real network is skipped")
        return
    t0 = time.perf_counter()
    ctg, raw = conference_graph(folder)
    cuts = month_ends(_ORIGIN.date(), ctg.last_day)[::step]
    ev = evaluate_link_prediction(ctg, cutoffs=cuts, level="individual", methods=METHODS)
    hours = (raw["t"].max() - raw["t"].min()) / 3600
    from importlib.metadata import version

    _print(f"WS16 (SocioPatterns, face2face {version('face2face')}): {ctg.n_actors} "
           f"people, {len(raw)} contact records over {hours:.1f} h; individual level, "
           f"{len(cuts)} cut-offs, one minute = one day", summarise_evaluation(ev),
           time.perf_counter() - t0)


if __name__ == "__main__":
    main()
