"""Speed of the explorer on the sample district: callbacks, first page, browser rendering.

Prints, for the synthetic sample district (``generate_district(2016)``):

1. start-up: loading the data and warming the shared tables (``DataAccess.warm``);
2. the first page over HTTP (Flask test client): the index, layout, dependencies, the page
   router callback and the page's initial callbacks, on a warmed app;
3. every page callback called as a function with varied arguments (each first call misses the
   cache): p50, p95 and max, against the 150 ms budget;
4. the same callbacks posted to ``/_dash-update-component`` (HTTP), with the ratio to a
   baseline request (``GET /_dash-layout``) measured in the same process;
5. with ``--browser`` (default when Chromium is at /usr/bin/chromium): what a person waits
   for in headless Chromium, from the action to the settled screen (the text changed, no
   callback pending, two frames painted), median and p95 against the budgets: the first page
   cold (< 1.5 s), a step of the map's time slider (< 300 ms), every other interaction
   (< 500 ms), a month of the play button; the first page also against its floors, each
   measured just before it (its two charts drawn by plotly.js alone, and in a bare Dash page
   with one callback), with the ratio of each pair. Timed in the page, from the input event's time
   stamp (a navigation: its start) to the frame after the settled screen; the driver's wall
   time (Playwright's actionability checks and round trips included, 100-300 ms on a loaded
   machine, which no person waits for) is printed beside it;
6. with ``--renderers``: page render times and the map drawn two ways (the map's own canvas,
   ``assets/map.js``, vs plotly WebGL ``scattergl``) for a quarter and for the whole programme.

Run: ``.venv/bin/python benchmarks/bench_app.py [--no-browser] [--person-only] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

BUDGET_MS = 150.0
FIRST_PAGE_BUDGET_S = 1.5
ALL = ["peer", "professional", "institutional"]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync"]


#: the benchmark's one account (a coordinator), in a temporary store of accounts and audit
BENCH_USER = "bench"
BENCH_PASSWORD = "una password di misura 2016"


def _with_sign_in(app, folder: Path) -> None:
    """Sign-in on the app, as ``genera serve`` runs it: a coordinator account in a temporary
    store (accounts and audit only; the data stays the in-memory sample)."""
    from argon2 import PasswordHasher, profiles

    from dash_app.auth import install_auth
    from genera_graph.io.accounts import Accounts
    from genera_graph.io.store import Store

    store = Store(folder / "accounts.sqlite")
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    Accounts(store, hasher).add(BENCH_USER, "Benchmark", "coordinator", (),
                                password=BENCH_PASSWORD)
    install_auth(app, store, secret_key=os.urandom(32), hasher=hasher)


def _client(app):
    """A Flask test client signed in as the benchmark's coordinator."""
    client = app.server.test_client()
    response = client.post("/login", data={"username": BENCH_USER, "password": BENCH_PASSWORD},
                           headers={"Origin": "http://localhost"})
    assert response.status_code == 302, response.data[:300]
    return client


def _browser_sign_in(page, url: str) -> None:
    """Sign in through the sign-in page, as a person does."""
    page.goto(url + "/login")
    page.fill("#username", BENCH_USER)
    page.fill("#password", BENCH_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)


def _api_sign_in(context, url: str) -> None:
    """Sign a browser context in by posting the sign-in form (no page loaded, nothing cached:
    the session's first navigation is then cold)."""
    response = context.request.post(url + "/login", form={"username": BENCH_USER,
                                                         "password": BENCH_PASSWORD},
                                    headers={"Origin": url}, max_redirects=0)
    assert response.status in (302, 303), response.status


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _stats(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95, ordered[-1]


#: the worklist grid's requests (AG Grid's infinite row model): its first page, and a page
#: of a list filtered and sorted by the grid's own columns
FIRST_PAGE = {"startRow": 0, "endRow": 20, "filterModel": {}, "sortModel": []}
FILTERED_PAGE = {"startRow": 0, "endRow": 20, "sortModel": [{"colId": "name", "sort": "asc"}],
                 "filterModel": {"days_since_peer_contact": {
                     "filterType": "number", "type": "greaterThan", "filter": 30}}}


def _cases(access, repeat: int) -> dict[str, list[tuple]]:
    """Varied arguments for each callback (module, function) -> list of argument tuples."""
    n = len(access.months()) - 1
    ranges = [[lo, min(lo + w, n)] for w in (3, 6, 12) for lo in range(0, n - w + 1, 4)]
    ranges = (ranges * repeat)[: max(12, 4 * repeat)]
    a = access.actors
    households = list(a.index[a["kind"] == "household"][:: max(1, len(a) // 40)])[:12]
    organisations = list(a.index[a["kind"].isin(["association", "facilitator"])][:6])
    cps = [cp for cp, _ in access.community_points()]
    as_of = [d.isoformat() for d in access.worklist_dates()[1::2]]
    from dash_app.components import period_choices

    periods = [v for v, _, _ in period_choices(access)]
    groups = ["all", *[f"cp:{c}" for c in cps], "programme:housing", "programme:work"]
    return {
        ("overview", "update"): [(g, "it") for g in groups],
        ("map", "update_map"): [(r, None, None, None, ALL, "kind", "degree", "it")
                                for r in ranges]
        + [([9, 12], ["housing"], None, None, ["peer"], "community", "strength", "en"),
           ([0, n], None, cps[:1], ["household"], ALL, "cp", "degree", "it")],
        ("map", "tables"): [(p, c, None, ALL, "kind", s, "it") for p in (None, ["housing"])
                            for c in (None, cps[:1]) for s in ("degree", "strength")],
        ("map", "panel"): [(h, r, "it") for h, r in zip(households, ranges, strict=False)],
        # the worklist: its controls' callback (status, a phone's lines), then the grid's
        # first page (AG Grid's infinite row model asks the server for it), then a page
        # filtered and sorted by the grid's columns
        ("isolation", "overview"): [(d, m, None, None, "it") for d in as_of
                                    for m in ("warning", "flagged")]
        + [(as_of[-1], "flagged", cps[:2], None, "en")],
        ("isolation", "page"): [(FIRST_PAGE, d, m, None, None, "it") for d in as_of
                                for m in ("warning", "flagged")]
        + [(FIRST_PAGE, as_of[-1], "flagged", cps[:2], None, "en"),
           (FILTERED_PAGE, as_of[-1], "flagged", None, None, "it")],
        ("bridges", "update"): [(v, g, "it") for v in periods[::2] for g in ("cp", "programme")],
        ("bridges", "what_if"): [(x, periods[k], "it") for k, x in enumerate(organisations)],
        ("communities", "update"): [(v, "it") for v in periods],
        ("report", "update"): [(c, "it") for c in ("years", "whole", "y1", "y2", "y3")],
        ("actor", "update_ego"): [(r, h, "it") for h, r in zip(households, ranges, strict=False)],
    }


def bench_functions(app, access, repeat: int) -> list[tuple[str, list[float]]]:
    import flask

    from dash_app.data import Viewer
    from dash_app.data.registry import VIEWER_KEY

    results = []
    with app.server.test_request_context("/"):
        setattr(flask.g, VIEWER_KEY, Viewer())  # the coordinator, as the session would give
        for (module, function), cases in _cases(access, repeat).items():
            func = getattr(sys.modules[f"dash_app.pages.{module}"], function)
            times = []
            for args in cases:
                t0 = time.perf_counter()
                func(*args)
                times.append(time.perf_counter() - t0)
            results.append((f"{module}.{function}", times))
        # layouts are the page router's work: the actor page for households never seen
        layout = sys.modules["dash_app.pages.actor"].layout
        a = access.actors
        times = []
        for h in list(a.index[a["kind"] == "household"][1::37])[:12]:
            t0 = time.perf_counter()
            layout(actor_id=h)
            times.append(time.perf_counter() - t0)
        results.append(("actor.layout", times))
    return results


def bench_http(app, access, repeat: int) -> tuple[list[tuple[str, list[float]]], float]:
    from dash_app.testing import callback_spec, post_output

    client = _client(app)
    deps = json.loads(client.get("/_dash-dependencies").data)
    base = []
    for _ in range(20):
        t0 = time.perf_counter()
        client.get("/_dash-layout")
        base.append(time.perf_counter() - t0)
    results = []
    for (module, function), cases in _cases(access, repeat).items():
        try:
            key, _ = callback_spec(app, module, function)
        except KeyError:  # a function behind a callback (map.update_map, map.panel)
            continue
        dep = next(d for d in deps if d["output"] == key)
        n_in = len(dep["inputs"])
        times = []
        for args in cases:
            # a fresh argument set (other period) so that the cache is not what is measured
            t0 = time.perf_counter()
            response = post_output(client, key, list(args[:n_in]), list(args[n_in:]), deps)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (module, function, response.status_code)
        results.append((f"{module}.{function}", times))
    return results, statistics.median(base)


def first_page(app) -> float:
    """Seconds to serve what the browser asks for to show the first page (overview)."""
    from dash_app.testing import callback_spec, post_output

    client = _client(app)
    t0 = time.perf_counter()
    client.get("/")
    client.get("/_dash-layout")
    deps = json.loads(client.get("/_dash-dependencies").data)
    router = next(d for d in deps if "_pages_content" in d["output"])
    post_output(client, router["output"], ["/", ""], [None] * len(router["state"]), deps)
    key, _ = callback_spec(app, "overview", "update")
    post_output(client, key, ["all"], ["it"], deps)
    return time.perf_counter() - t0


def _print_table(title: str, rows: list[tuple[str, list[float]]], baseline: float | None = None):
    print(f"\n{title}")
    head = f"  {'callback':24s} {'calls':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}"
    head += f" {'p95/budget':>10s}" + (f" {'p50/baseline':>12s}" if baseline else "")
    print(head)
    for name, times in rows:
        p50, p95, worst = _stats(times)
        line = (f"  {name:24s} {len(times):5d} {_ms(p50):8.1f} {_ms(p95):8.1f} {_ms(worst):8.1f}"
                f" {_ms(p95) / BUDGET_MS:10.2f}")
        if baseline:
            line += f" {p50 / baseline:12.1f}"
        print(line)
    worst95 = max(_stats(t)[1] for _, t in rows)
    print(f"  worst p95: {_ms(worst95):.1f} ms (budget {BUDGET_MS:.0f} ms)")


def bench_browser(app, access) -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from dash_app.figures import map_elements, network_figure

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    hh = access.actors.index[access.actors["kind"] == "household"][0]
    pages = {"overview": ("/", ".js-plotly-plot .main-svg"), "map": ("/map", None),
             "isolation": ("/isolation", ".ag-row"), "bridges": ("/bridges", ".ag-row"),
             "communities": ("/communities", ".ag-row"), "report": ("/report", ".ag-row"),
             "actor": (f"/actor/{hh}", ".js-plotly-plot .main-svg")}
    map_ready = ("() => { const el = document.getElementById('map-graph');"
                 " return el && el._generaMap && el._generaMap.nodes().length > 0; }")
    print("\nbrowser (headless Chromium, 1400x900): time from navigation to the page drawn")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        _browser_sign_in(page, url)
        page.goto(url + "/")  # scripts cached, as for a returning user
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        for name, (path, selector) in pages.items():
            samples = []
            for _ in range(3):
                t0 = time.perf_counter()
                page.goto(url + path)
                if selector:
                    page.wait_for_selector(selector, timeout=30_000)
                else:
                    page.wait_for_function(map_ready, timeout=30_000)
                samples.append(time.perf_counter() - t0)
            shots = Path(__file__).resolve().parents[1] / "test-artefacts" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.wait_for_timeout(500)
            page.screenshot(path=str(shots / f"sample-{name}.png"), full_page=True)
            print(f"  {name:12s} median {_ms(statistics.median(samples)):7.0f} ms "
                  f"(runs: {', '.join(f'{_ms(s):.0f}' for s in samples)})")

        print("\nmap renderer on the sample district (same nodes and ties, fixed positions)")
        page.goto(url + "/")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        page.goto(url + "/map")
        page.wait_for_function(map_ready, timeout=30_000)
        page.evaluate("() => new Promise(r => { const s = document.createElement('script');"
                      " s.src = '/_dash-component-suites/plotly/package_data/plotly.min.js';"
                      " s.onload = r; document.head.appendChild(s); })")
        months = access.months()
        from dash_app.pages.map import MAX_DRAWN_TIES

        cases = {"quarter": (months[9], months[12], None),
                 "whole programme": (months[0], months[-1], None),
                 "whole, capped": (months[0], months[-1], MAX_DRAWN_TIES)}
        for label, (start, end, cap) in cases.items():
            nodes, edges = access.nodes(start, end)
            if cap:
                edges = edges.nlargest(cap, "weight")
            t0 = time.perf_counter()
            elements = map_elements(nodes, edges)
            cy_json = json.dumps(elements)
            t_cy_server = time.perf_counter() - t0
            t0 = time.perf_counter()
            fig_json = network_figure(nodes, edges, "it").to_json()
            t_pl_server = time.perf_counter() - t0
            cy_ms = page.evaluate(
                """(els) => new Promise(resolve => {
                    const v = document.getElementById('map-graph')._generaMap.view;
                    const t0 = performance.now();
                    v.setElements(els); v.fit(10); v.place(); v.paint(v.canvas, v.dpr, false);
                    requestAnimationFrame(() => requestAnimationFrame(
                        () => resolve(performance.now() - t0)));
                })""", elements)
            pl_ms = page.evaluate(
                """(fig) => new Promise(resolve => {
                    let div = document.getElementById('bench-plotly');
                    if (!div) { div = document.createElement('div'); div.id = 'bench-plotly';
                        div.style.width = '900px'; div.style.height = '640px';
                        document.body.appendChild(div); }
                    const f = JSON.parse(fig);
                    const t0 = performance.now();
                    Plotly.newPlot(div, f.data, f.layout).then(() =>
                        requestAnimationFrame(() => requestAnimationFrame(
                            () => resolve(performance.now() - t0))));
                })""", fig_json)
            print(f"  {label:16s} {len(nodes):4d} actors {len(edges):6d} ties | "
                  f"canvas: server {_ms(t_cy_server):5.0f} ms, {len(cy_json) / 1e6:5.2f} MB,"
                  f" draw {cy_ms:6.0f} ms | plotly scattergl: server {_ms(t_pl_server):5.0f} ms,"
                  f" {len(fig_json) / 1e6:5.2f} MB, draw {pl_ms:6.0f} ms")
        browser.close()
    server.shutdown()


SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
INTERACTION_BUDGET_MS = 500.0
SLIDER_BUDGET_MS = 300.0
def _play_ms() -> int:
    """The play button's tick (dash_app.pages.map.PLAY_STEP_MS)."""
    return int(getattr(sys.modules.get("dash_app.pages.map"), "PLAY_STEP_MS", 600))


#: arms the page for one action: the time of the person's input is the first pointer or key
#: event after it (``event.timeStamp``, on the page's clock), kept in the tab's session storage
#: as an absolute time (a sign-in navigates to a new page before the screen settles)
ARM = """() => { sessionStorage.removeItem('benchInput');
    if (window.__benchArmed) { return; }
    window.__benchArmed = true;
    for (const type of ['pointerdown', 'mousedown', 'keydown']) {
        window.addEventListener(type, e => {
            if (sessionStorage.getItem('benchInput') === null) {
                sessionStorage.setItem('benchInput', String(performance.timeOrigin + e.timeStamp));
            }
        }, true);
    } }"""
#: in the page: once ``selector``'s text differs from ``before`` (or, with no selector, once
#: every chart on the page is drawn with its data) and no callback is pending, two animation
#: frames (the screen painted); returns then the absolute time (checked on every frame, in the
#: page: the driver's round trips are not counted)
SETTLED_AT = """([sel, before]) => new Promise(resolve => {
    const done = () => {
        if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
        if (!sel) {  // every chart on the page drawn with its data (not an empty frame)
            const charts = [...document.querySelectorAll('.js-plotly-plot')];
            return charts.length > 0 && charts.every(g => g.data && g.data.length > 0
                && g.querySelector('.main-svg .trace'));
        }
        const el = document.querySelector(sel);
        return el && el.innerText !== before;
    };
    const poll = () => done() ? requestAnimationFrame(() => requestAnimationFrame(
        () => resolve(performance.timeOrigin + performance.now()))) : requestAnimationFrame(poll);
    poll(); })"""


def _waited(page, selector: str | None = None, before: str = "", since: float | None = None
            ) -> float:
    """Seconds from the person's input (armed by :data:`ARM`; or ``since``, an absolute page
    time, e.g. the navigation's start) to the settled screen (:data:`SETTLED_AT`)."""
    end = page.evaluate(SETTLED_AT, [selector, before])
    if since is None:
        since = float(page.evaluate("() => sessionStorage.getItem('benchInput')"))
    return (end - since) / 1000.0


def _changed(page, selector: str, before: str, timeout: int = 60_000) -> None:
    """Wait until ``selector``'s text differs from ``before`` and no callback is pending, then
    two animation frames (the screen painted)."""
    page.wait_for_function(
        "([sel, before]) => { const el = document.querySelector(sel);"
        " return el && el.innerText !== before"
        " && !document.querySelector('[data-dash-is-loading=\"true\"]'); }",
        arg=[selector, before], timeout=timeout)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


class _Meter:
    """Where an action's time goes: the server's callbacks (the sum of their durations, from
    the Flask hooks of :func:`_record_requests`), the bytes sent, and the browser's CPU (the
    renderer process's ``ProcessTime`` and its ``ScriptDuration``, from the DevTools
    protocol's ``Performance.getMetrics``: CPU seconds, so less inflated by a loaded machine
    than the wall time)."""

    def __init__(self, records: list):
        self.records = records
        self.samples: dict[str, list[tuple[float, float, float, float, float]]] = {}
        self.name = ""
        self._cdp = {}

    def attach(self, page) -> None:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        self._cdp[id(page)] = cdp

    def _metrics(self, page) -> dict[str, float]:
        cdp = self._cdp.get(id(page))
        if cdp is None:
            return {}
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

    def start(self, page) -> tuple:
        self.records.clear()
        return time.perf_counter(), self._metrics(page)

    def stop(self, page, name: str, started: tuple, waited: float | None = None) -> float:
        """Note the action's sample; returns ``waited`` (the in-page time from the input to
        the settled screen) when given, else the driver's wall time."""
        t0, before = started
        wall = time.perf_counter() - t0
        after = self._metrics(page)
        server = sum(d for path, d, _ in list(self.records) if path.endswith("update-component"))
        sent = sum(n for path, _, n in list(self.records) if path.endswith("update-component"))
        cpu = after.get("ProcessTime", 0.0) - before.get("ProcessTime", 0.0)
        script = after.get("ScriptDuration", 0.0) - before.get("ScriptDuration", 0.0)
        self.samples.setdefault(name, []).append((wall, server, sent, cpu, script))
        return wall if waited is None else waited


def _record_requests(app) -> list:
    """Flask hooks that note every request's path, duration and response size (once per app)."""
    import flask

    records: list = app.server.config.setdefault("BENCH_RECORDS", [])
    if app.server.config.get("BENCH_HOOKS"):
        return records
    app.server.config["BENCH_HOOKS"] = True

    @app.server.before_request
    def _bench_start():
        flask.g.bench_t0 = time.perf_counter()

    @app.server.after_request
    def _bench_stop(response):
        t0 = getattr(flask.g, "bench_t0", None)
        if t0 is not None:
            size = response.calculate_content_length() or 0
            records.append((flask.request.path, time.perf_counter() - t0, size))
        return response

    return records


def _floor_figures(access) -> tuple:
    """The overview's two charts for the district, as the first page draws them."""
    from dash_app.pages.overview import growth_figure, overview_frame, peer_share_figure

    frame = overview_frame(access, "all")
    return growth_figure(frame, "it"), peer_share_figure(frame, "it")


def _plotly_floor_html(figures) -> str:
    """The first page's plotly floor: its two charts drawn by plotly.js alone (the explorer's
    bundle, from its server), no Dash, no CSS."""
    import plotly.io as pio

    # (a "</" in a label would end the script: written "<\/", as JSON allows)
    a, b = (pio.to_json(f, validate=False).replace("</", "<\\/") for f in figures)
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            "<script src='/assets/vendor/plotly-basic.min.js'></script></head><body>"
            "<div id='a' style='width:660px;height:450px'></div>"
            "<div id='b' style='width:660px;height:450px'></div><script>"
            f"const f=[{a},{b}];"
            "Plotly.newPlot('a',f[0].data,f[0].layout,{displaylogo:false});"
            "Plotly.newPlot('b',f[1].data,f[1].layout,{displaylogo:false});"
            "</script></body></html>")


def _dash_floor(figures) -> str:
    """Serve the first page's Dash floor and return its address: a bare Dash app (the same
    Dash, React and dcc) whose page is the overview's two charts, filled by one callback as
    the overview's are, with the explorer's plotly.js bundle and its early start
    (``assets/plotly_bundle.js``), and nothing else: no sign-in, no CSS, no navigation, no
    cards, no table."""
    import shutil

    import dash
    from dash import Input, Output, dcc, html
    from waitress import create_server

    here = Path(__file__).resolve().parent.parent / "dash_app" / "assets"
    assets = Path(tempfile.mkdtemp(prefix="genera-floor-"))
    (assets / "vendor").mkdir()
    shutil.copy(here / "plotly_bundle.js", assets)
    shutil.copy(here / "vendor" / "plotly-basic.min.js", assets / "vendor")
    floor = dash.Dash("genera_floor", assets_folder=str(assets), assets_path_ignore=["vendor"])
    floor.layout = html.Div([html.Div(id="floor-go"),
                             dcc.Graph(id="floor-a", config={"displaylogo": False}),
                             dcc.Graph(id="floor-b", config={"displaylogo": False})])

    @floor.callback(Output("floor-a", "figure"), Output("floor-b", "figure"),
                    Input("floor-go", "children"))
    def _fill(_):
        return figures

    server = create_server(floor.server, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}"


def _timed(page, action, selector: str, meter: _Meter | None = None) -> float:
    """Seconds a person waits for ``action``: from its input event to ``selector``'s new text
    settled and painted, timed in the page."""
    before = page.inner_text(selector)
    page.evaluate(ARM)
    started = meter.start(page) if meter else (time.perf_counter(), {})
    action()
    waited = _waited(page, selector, before)
    if meter:
        return meter.stop(page, meter.name, started, waited)
    return waited


def bench_person(app, access, repeat: int, only: tuple[str, ...] = ()
                 ) -> list[tuple[str, list[float]]]:
    """What a person waits for, in headless Chromium at 1366x900: from the action (navigation,
    key press, click) to the settled screen (text changed, no callback pending, painted).
    Each line is printed as soon as it is measured; an interaction that fails is reported."""
    from playwright.sync_api import sync_playwright

    from dash_app.server import make_server

    # served as ``genera serve`` serves it: waitress, 8 threads
    server = make_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}"
    households = list(access.actors.index[access.actors["kind"] == "household"][:: 50])
    rows: list[tuple[str, list[float]]] = []
    meter = _Meter(_record_requests(app))
    _print_person_head()

    def run(name, measure):
        if only and not any(word in name for word in only):
            return
        meter.name = name
        try:
            times = measure()
        except Exception as exc:  # a benchmark reports, it does not stop
            print(f"  {name:38s} failed: {str(exc).splitlines()[0][:90]}")
            return
        rows.append((name, times))
        _print_person_row(name, times, meter.samples.get(name, []))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)

        def settle(page) -> None:
            page.wait_for_selector(".js-plotly-plot .main-svg .trace", timeout=60_000)
            page.wait_for_function(SETTLED, timeout=60_000)
            page.evaluate("() => new Promise(r => requestAnimationFrame("
                          "() => requestAnimationFrame(r)))")

        def cold(line=None, gzip=True, times=None):
            """A signed-in session's first navigation to the overview, nothing cached (a new
            context, signed in by a POST that loads no page); ``line``: (Mbit/s, RTT ms) of
            an emulated network; ``gzip``: the server compresses (dash_app/static.py)."""
            out = []
            app.server.config["GENERA_COMPRESS"] = gzip
            try:
                for _ in range(times or max(3, repeat)):
                    context = browser.new_context(viewport={"width": 1366, "height": 900})
                    page = context.new_page()
                    _api_sign_in(context, url)
                    meter.attach(page)
                    if line:
                        cdp = context.new_cdp_session(page)
                        cdp.send("Network.enable")
                        cdp.send("Network.emulateNetworkConditions", {
                            "offline": False, "latency": line[1],
                            "downloadThroughput": line[0] * 1e6 / 8,
                            "uploadThroughput": line[0] * 1e6 / 8 / 4})
                    started = meter.start(page)
                    page.goto(url + "/")
                    # from the navigation's start (the page's time origin)
                    waited = _waited(page, since=page.evaluate("() => performance.timeOrigin"))
                    settle(page)
                    out.append(meter.stop(page, meter.name, started, waited))
                    context.close()
            finally:
                app.server.config["GENERA_COMPRESS"] = True
            return out

        floors: list[float] = []
        dash_floors: list[float] = []

        def floor(address: str, route_body: str | None = None) -> float:
            """A floor page cold, as the first page is (a new context, plotly.js fetched from
            a server), settled as the first page is; ``route_body``: the page's HTML, given
            to the browser for ``address`` (the plotly floor has no server page)."""
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            page = context.new_page()
            if route_body is not None:
                page.route(address, lambda route: route.fulfill(body=route_body,
                                                                content_type="text/html"))
            page.goto(address)
            waited = _waited(page, since=page.evaluate("() => performance.timeOrigin"))
            context.close()
            return waited

        def cold_with_floor():
            """The first page cold, each time after its two floors in the same minute (a
            loaded machine slows all three, their ratios less): its charts drawn by plotly.js
            alone (:func:`_plotly_floor_html`), and in a bare Dash app (:func:`_dash_floor`)."""
            figures = _floor_figures(access)
            plotly_page = _plotly_floor_html(figures)
            dash_url = _dash_floor(figures) + "/"
            out = []
            for _ in range(max(3, repeat)):
                floors.append(floor(url + "/__bench_floor", plotly_page))
                dash_floors.append(floor(dash_url))
                out.extend(cold(times=1))
            return out

        def sign_in_flow():
            """From the sign-in button to the settled overview, nothing cached."""
            out = []
            for _ in range(max(3, repeat)):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                page.goto(url + "/login")
                page.fill("#username", BENCH_USER)
                page.fill("#password", BENCH_PASSWORD)
                meter.attach(page)
                page.evaluate(ARM)
                started = meter.start(page)
                page.click("button[type=submit]")
                page.wait_for_url(lambda u: "/login" not in u)
                waited = _waited(page)
                settle(page)
                out.append(meter.stop(page, meter.name, started, waited))
                context.close()
            return out

        run("first page, cold (overview)", cold_with_floor)
        if floors:
            first = next((times for name, times in rows if name.startswith("first page, c")),
                         None)
            _print_person_row("floor: its 2 charts, plotly.js alone", floors)
            _print_person_row("floor: its 2 charts, bare Dash page", dash_floors)
            for label, base in (("first page / charts alone (pairs)", floors),
                                ("first page / bare Dash page (pairs)", dash_floors)):
                if first and len(first) == len(base):
                    ratios = [a / b for a, b in zip(first, base, strict=True)]
                    print(f"  {label:38s} {len(ratios):3d} {statistics.median(ratios):10.2f}x",
                          flush=True)
        run("sign in -> overview, cold", sign_in_flow)
        run("first page, cold, 10 Mbit/s 40 ms", lambda: cold((10, 40)))
        run("first page, cold, 10 Mbit/s 40 ms, no gzip", lambda: cold((10, 40), False))
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        _browser_sign_in(page, url)
        meter.attach(page)
        page.set_default_timeout(60_000)

        def open_map():
            page.goto(url + "/map")
            page.wait_for_function("() => { const el = document.getElementById('map-graph');"
                                   " return el && el._generaMap"
                                   " && el._generaMap.nodes().length > 0; }", timeout=60_000)
            page.wait_for_function(SETTLED, timeout=60_000)

        def slider():
            open_map()
            # the period's start handle (the default period ends at the data's end): four
            # months back, four forward, and again
            handle = page.locator("#map-range [role=slider]").first
            out = []
            for k in range(4 * repeat):
                handle.focus()
                key = "ArrowRight" if (k // 4) % 2 else "ArrowLeft"
                out.append(_timed(page, lambda key=key: handle.press(key), "#map-stats",
                                  meter))
            return out

        def pick():
            out = []
            for h in households[: 2 * repeat]:
                page.locator("#map-search").click()
                page.locator(".dash-dropdown-search").fill(access.name_of(h))
                option = page.get_by_role("option").filter(has_text=access.name_of(h)).first
                out.append(_timed(page, option.click, "#map-panel", meter))
                page.keyboard.press("Escape")
            return out

        def nature():
            out = []
            for _ in range(2 * repeat):
                box = page.locator("#map-nature").get_by_text("istituzionale", exact=True)
                out.append(_timed(page, box.click, "#map-stats", meter))
            return out

        def play():
            open_map()
            page.locator("#map-play").click()
            # the times between the period label's changes, noted in the page on every frame
            # (a month is drawn in the same callback that writes its label)
            n = 3 * repeat
            started = meter.start(page)
            stamps = page.evaluate("""(n) => new Promise(resolve => {
                const el = document.getElementById('map-range-label'), out = [];
                let last = el.innerText;
                const poll = () => {
                    if (el.innerText !== last) { last = el.innerText; out.push(performance.now()); }
                    if (out.length > n) { resolve(out); } else { requestAnimationFrame(poll); }
                };
                poll(); })""", n)
            meter.stop(page, meter.name, started)
            page.locator("#map-play").click()
            wall, server, sent, cpu, script = meter.samples[meter.name].pop()
            meter.samples[meter.name] += [(wall / n, server / n, sent / n, cpu / n,
                                           script / n)] * n
            return [(b - a) / 1000.0 for a, b in zip(stamps, stamps[1:], strict=False)]

        def worklist():
            page.goto(url + "/isolation")
            page.wait_for_selector(".ag-row", timeout=60_000)
            page.wait_for_function(SETTLED, timeout=60_000)
            out = []
            for k in range(2 * repeat):
                label = "peggiorate di recente" if k % 2 == 0 else "tutte le isolate o a rischio"
                radio = page.locator("#iso-mode").get_by_text(label, exact=True)
                out.append(_timed(page, radio.click, "#iso-count", meter))
            return out

        def bridges():
            page.goto(url + "/bridges")
            page.wait_for_selector(".ag-row", timeout=60_000)
            page.wait_for_function(SETTLED, timeout=60_000)
            out = []
            for k in range(2 * repeat):
                label = "Programmi" if k % 2 == 0 else "Punti di Comunità"
                radio = page.locator("#br-groups").get_by_text(label, exact=True)
                out.append(_timed(page, radio.click, "#br-brokerage", meter))
            return out

        run("map: time slider, one step", slider)
        run("map: pick a family -> panel", pick)
        run("map: tick a tie nature", nature)
        run(f"map: play, one month (tick {_play_ms()} ms)", play)
        run("worklist: switch the list", worklist)
        run("bridges: group by", bridges)
        browser.close()
    server.close()
    return rows


def _budget(name: str) -> float:
    return (FIRST_PAGE_BUDGET_S * 1000 if name.startswith(("first", "sign in", "floor"))
            else SLIDER_BUDGET_MS if "slider" in name or "play" in name
            else INTERACTION_BUDGET_MS)


def _print_person_head() -> None:
    print("\nas a person waits (headless Chromium 1366x900, warmed app): from the input event "
          "(a navigation's start) to the settled screen, timed in the page; then medians of "
          "where it went: the server's callbacks (sum), their bytes sent, the browser's CPU "
          "(renderer process) and its script time, and the driver's wall time (Playwright's "
          "action and polling included: what this benchmark printed before 12/2026)")
    print(f"  {'what':38s} {'n':>3s} {'median ms':>10s} {'p95 ms':>8s} {'budget':>8s}     "
          f"{'server ms':>9s} {'kB':>7s} {'cpu ms':>7s} {'script ms':>9s} {'driver ms':>9s}")


def _print_person_row(name: str, times: list[float], samples: list | None = None) -> None:
    p50, p95, _ = _stats(times)
    budget = _budget(name)
    if "play" in name:  # a month of the animation is the tick plus what exceeds it
        budget += _play_ms()
    flag = "ok  " if _ms(p95) <= budget else "OVER"
    line = f"  {name:38s} {len(times):3d} {_ms(p50):10.0f} {_ms(p95):8.0f} {budget:8.0f} {flag}"
    if samples:
        med = [statistics.median(col) for col in zip(*samples, strict=True)]
        line += (f" {_ms(med[1]):9.0f} {med[2] / 1000:7.0f} {_ms(med[3]):7.0f}"
                 f" {_ms(med[4]):9.0f} {_ms(med[0]):9.0f}")
    print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", dest="browser", action="store_true", default=None)
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    parser.add_argument("--repeat", type=int, default=3, help="argument sets per callback / 4")
    parser.add_argument("--renderers", action="store_true",
                        help="also page renders and the canvas / scattergl comparison")
    parser.add_argument("--person-only", action="store_true",
                        help="only what a person waits for in the browser")
    parser.add_argument("--only", action="append", default=[], metavar="WORD",
                        help="only the browser measures whose name holds WORD (repeatable)")
    args = parser.parse_args()
    browser = os.path.exists(CHROMIUM) if args.browser is None else args.browser

    from dash_app import create_app
    from dash_app.app import warm_app
    from dash_app.data import CONFIG_KEY
    from genera_graph.sample import generate_district

    t0 = time.perf_counter()
    ds = generate_district(2016).dataset
    t_data = time.perf_counter() - t0
    print(f"sample district: {len(ds.actors)} actors, {len(ds.interactions)} interactions, "
          f"{len(ds.participations)} participations, {len(ds.relations)} relations "
          f"(generated in {t_data:.1f} s)")
    app = create_app(ds)
    folder = tempfile.TemporaryDirectory(prefix="bench_app-")
    _with_sign_in(app, Path(folder.name))
    access = app.server.config[CONFIG_KEY].coordinator
    _record_requests(app)  # Flask takes hooks only before its first request
    t0 = time.perf_counter()
    warm_app(app)
    print(f"warm-up (shared tables, once at start-up): {time.perf_counter() - t0:.1f} s")
    t_first = first_page(app)
    print(f"first page (index, layout, dependencies, router, overview callbacks), warmed app: "
          f"{t_first:.3f} s (budget {FIRST_PAGE_BUDGET_S} s, ratio {t_first / 1.5:.2f})")

    if args.person_only:
        bench_person(app, access, args.repeat, tuple(args.only))
        return 0
    _print_table("page callbacks called as functions (first call of each argument set)",
                 bench_functions(app, access, args.repeat))
    http, base = bench_http(app, access, args.repeat + 1)
    _print_table(f"page callbacks over HTTP (POST /_dash-update-component; baseline GET "
                 f"/_dash-layout {_ms(base):.1f} ms)", http, base)
    if browser:
        bench_person(app, access, args.repeat, tuple(args.only))
        if args.renderers:
            bench_browser(app, access)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
