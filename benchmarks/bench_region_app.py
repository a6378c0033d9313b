"""Benchmark: the explorer on a region store (issue 18, item 3), callbacks called as functions.

Builds the app on a store (made by ``bench_region.py --import --keep-store region.sqlite``),
times the warm-up ``genera serve`` runs before it listens (load + :func:`dash_app.app.warm_app`),
the first page (the map page's layout function, as a coordinator; the page shell needs sign-in,
see ``bench_app.py``), then the map callback (aggregated whole region, the default quarter, one
district drilled down, and one district's households), the worklist (its controls' callback
and the grid's pages, served page by page: the first, a later one, one filtered and sorted by
the grid's columns; a line's details; the whole list's download), a family's suggested
introductions (several families, each the first time; a day not warmed) and an ego panel: each once
cold and ``--repeat`` times warm, printing the cold time, the warm p95 and the size of the
reply. It prints figures; it asserts nothing.

Usage::

    .venv/bin/python benchmarks/bench_region.py --cache region.pickle --import \\
        --keep-store region.sqlite --only import
    .venv/bin/python benchmarks/bench_region_app.py region.sqlite
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np


def _timed(fn, repeat: int) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    out = fn()
    cold = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    size = len(json.dumps(out, default=str))
    return cold, float(np.percentile(times, 95)) if times else float("nan"), size


#: the worklist grid's requests (AG Grid's infinite row model, 20 rows a page)
FIRST = {"startRow": 0, "endRow": 20, "filterModel": {}, "sortModel": []}
LATER = {**FIRST, "startRow": 2000, "endRow": 2020}
FILTERED = {"startRow": 0, "endRow": 20, "sortModel": [{"colId": "name", "sort": "asc"}],
            "filterModel": {"days_since_peer_contact": {"filterType": "number",
                                                        "type": "greaterThan", "filter": 60},
                            "name": {"filterType": "text", "type": "contains",
                                     "filter": "a"}}}


def _worklist(page_iso, repeat: int) -> None:
    """The worklist at the latest date as a coordinator opens it: the controls' callback
    (status, a phone's lines) and the grid's first page, then other pages, a page filtered
    and sorted by the grid's columns, a line's details, and the whole list's download."""
    from dash_app import state
    from dash_app.data import current

    # what the page opens with: its default day (the latest complete quarter's last day)
    controls = (state.as_of_value(current(), {}), "flagged", None, None, "it")
    t0 = time.perf_counter()
    page_iso.overview(*controls)
    response, count = page_iso.page(FIRST, *controls)
    opened = time.perf_counter() - t0
    print(f"{'worklist opened: controls + first page':<44} cold {opened:6.2f} s   "
          f"{response['rowCount']:,} families; {count}", flush=True)
    cases = {
        "worklist: controls (status, phone lines)": lambda: page_iso.overview(*controls),
        "worklist: first page (20 rows)": lambda: page_iso.page(FIRST, *controls),
        "worklist: page 101": lambda: page_iso.page(LATER, *controls),
        "worklist: filtered + sorted page": lambda: page_iso.page(FILTERED, *controls),
    }
    for name, fn in cases.items():
        cold, p95, size = _timed(fn, repeat)
        print(f"{name:<44} cold {cold:6.2f} s   warm p95 {p95:6.3f} s   "
              f"reply {size / 1e3:8.1f} kB", flush=True)
    family = response["rowData"][0]["actor_id"]
    cold, p95, size = _timed(lambda: page_iso.details({"rowId": family}, *controls), repeat)
    print(f"{'worklist: a line details':<44} cold {cold:6.2f} s   warm p95 {p95:6.3f} s",
          flush=True)
    cold, _, size = _timed(lambda: page_iso.download(1, *controls[:4], None, "it", "italian"),
                           0)
    print(f"{'worklist: download (whole list, CSV)':<44} cold {cold:6.2f} s   "
          f"file {size / 1e6:8.1f} MB", flush=True)


def _suggestions(access, families: list[str]) -> None:
    """A family's suggested introductions as its panel shows them (the worklist's last day),
    for families of different districts, each asked for the first time: the first one after
    the warm-up, then the others (the library keeps the day's state: every family is computed
    alone at region scale); the same family again (the access object's cache); and one family
    on another day, whose state the warm-up did not make."""
    from dash_app.introductions import panel

    times = []
    for family in families:
        t0 = time.perf_counter()
        panel(access, family, "it")
        times.append(time.perf_counter() - t0)
    print(f"{'suggestions: first family after warm-up':<44} cold {times[0]:6.2f} s", flush=True)
    rest = times[1:]
    print(f"{'suggestions: other families (first time)':<44} p95  {np.percentile(rest, 95):6.3f} s"
          f"   max {max(rest):6.3f} s   ({len(rest)} families of "
          f"{len({f[:3] for f in families[1:]})} districts)", flush=True)
    _, p95, _ = _timed(lambda: panel(access, families[0], "it"), 5)
    print(f"{'suggestions: the same family again':<44} warm p95 {p95:6.3f} s", flush=True)
    dates = access.worklist_dates()
    if len(dates) > 1:
        t0 = time.perf_counter()
        access.suggested_introductions_alone(dates[-2], families[0])
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        access.suggested_introductions_alone(dates[-2], families[1])
        print(f"{'suggestions: a day not warmed (its state)':<44} cold {cold:6.2f} s   "
              f"next family {time.perf_counter() - t0:6.3f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--families", type=int, default=10,
                        help="families whose suggestions are timed (spread over the list)")
    parser.add_argument("--no-worklist", action="store_true",
                        help="skip the worklist (a minute per call at region scale)")
    args = parser.parse_args()

    from dash_app import Viewer, create_app
    from dash_app.data import CONFIG_KEY

    t0, c0 = time.perf_counter(), time.process_time()
    app = create_app(args.store, viewer=Viewer(), warm=True)
    ready, cpu = time.perf_counter() - t0, time.process_time() - c0
    access = app.server.config[CONFIG_KEY].coordinator
    print(f"{len(access.actors):,} actors; region scale: {access.region_scale()}")
    print(f"{'ready (load + warm-up)':<44} {ready:8.2f} s   cpu {cpu:.2f} s   aim < 30 s",
          flush=True)
    pages = sys.modules
    months = access.months()
    n = len(months) - 1
    districts = access.districts()
    one = sorted(districts.loc[districts["district_id"] == districts["district_id"].min(),
                               "community_point_id"]) if len(districts) else []
    with app.server.test_request_context("/"):
        import flask

        from dash_app.data.registry import VIEWER_KEY

        setattr(flask.g, VIEWER_KEY, Viewer())
        page_map = pages["dash_app.pages.map"]
        page_iso = pages["dash_app.pages.isolation"]
        t0 = time.perf_counter()
        page_map.layout()
        print(f"{'map page layout':<44} {time.perf_counter() - t0:8.2f} s", flush=True)
        nat = ["peer", "professional", "institutional"]
        from dash_app.state import default_window

        cases = {
            "map: default period (aggregated)": (list(default_window(access)), None, None,
                                                 None),
            "map: whole programme (aggregated)": ([0, n], None, None, None),
            "map: last quarter (aggregated)": ([n - 3, n], None, None, None),
            "map: one point (drill-down)": ([n - 3, n], None, one[:1], None),
            "map: one district's points (drill-down)": ([n - 3, n], None, one, None),
            "map: one district's households": ([n - 3, n], None, one, ["household"]),
        }
        for name, (value, programmes, cps, kinds) in cases.items():
            cold, p95, size = _timed(lambda v=value, p=programmes, c=cps, k=kinds:
                                     page_map.update_map(v, p, c, k, nat, "kind", "degree",
                                                         "it")[0], args.repeat)
            print(f"{name:<44} cold {cold:6.2f} s   warm p95 {p95:6.3f} s   "
                  f"reply {size / 1e3:8.0f} kB", flush=True)
        if not args.no_worklist:
            _worklist(page_iso, args.repeat)
        households = access.actors.index[access.actors["kind"] == "household"]
        report = access.isolation_report(access.worklist_dates()[-1])
        flagged = list(report.index[report["status"].isin(["isolated", "at_risk"])])
        # not the family the warm-up asked for (its suggestions are kept)
        flagged = [f for f in flagged if f != households[0]]
        step = max(1, len(flagged) // args.families)
        _suggestions(access, flagged[::step][:args.families])
        cold, p95, size = _timed(lambda: access.ego(households[0], months[n - 3], months[n]),
                                 args.repeat)
        print(f"{'ego network (data)':<44} cold {cold:6.2f} s   warm p95 {p95:6.3f} s",
              flush=True)


if __name__ == "__main__":
    main()
