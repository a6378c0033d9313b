"""Benchmark: many signed-in users on one explorer server, for a bounded time.

Builds a store (the sample district of ``genera sample``, or ``--store`` given), adds
``--facilitators`` facilitator accounts (spread over the Community Points) and
``--coordinators`` coordinator accounts, starts ``genera serve`` (waitress) in a child process
on 127.0.0.1, signs every user in, and has each of them replay, in its own thread, page loads
(``/_dash-layout``, ``/_dash-dependencies``) and the pages' callbacks (overview, map, worklist,
an actor page of one of their households) for ``--seconds`` seconds. Only loopback traffic;
every loop stops at the deadline.

Prints requests, errors, p50 / p95 / max per request kind, the requests per second, and the
server's peak memory (VmHWM of its process). Aim (issue #11): p95 < 300 ms for callbacks, no
error, memory < 2 GiB. It asserts nothing.

Usage::

    .venv/bin/python benchmarks/bench_load.py                      # 20 + 3 users, 2 minutes
    .venv/bin/python benchmarks/bench_load.py --seconds 30 --small # the tests' small district
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "una password di carico 2016"


def _store(args: argparse.Namespace, folder: Path
           ) -> tuple[str, dict[str, list[str]], dict[str, str]]:
    """The store (built if needed), each point's household ids and the households' names
    (typed in the map's search box by the recorded browser)."""
    from genera_graph.io.store import Store

    path = args.store or str(folder / "genera.sqlite")
    if not args.store:
        if args.small:
            from tests.app.conftest import small_district

            dataset = small_district()
        else:
            from genera_graph.sample.generator import generate_district

            dataset = generate_district()
            dataset = getattr(dataset, "dataset", dataset)
        with Store(path) as store:
            assert store.import_dataset(dataset).ok
    with Store(path) as store:
        actors = store.load().actors
    households = actors[actors["kind"].eq("household")]
    by_point = {p: list(g["actor_id"]) for p, g in households.groupby("community_point_id")}
    return path, by_point, dict(zip(households["actor_id"], households["name"], strict=True))


def _accounts(path: str, points: list[str], facilitators: int, coordinators: int
              ) -> list[tuple[str, str | None]]:
    from argon2 import PasswordHasher, profiles

    from genera_graph.io.accounts import Accounts
    from genera_graph.io.store import Store

    users = [(f"fac{k:02d}", points[k % len(points)]) for k in range(facilitators)]
    users += [(f"coord{k}", None) for k in range(coordinators)]
    with Store(path) as store:
        accounts = Accounts(store, PasswordHasher.from_parameters(profiles.CHEAPEST))
        for name, point in users:
            if accounts.get(name) is None:
                accounts.add(name, name, "facilitator" if point else "coordinator",
                             [point] if point else [], password=PASSWORD)
    return users


def _serve(path: str, folder: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "HOME": str(folder), "GENERA_SECRET_KEY": "cd" * 32}
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "genera_graph.cli", "--store", path, "serve", "--port",
         str(port), "--threads", "16"], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(1)
    server.kill()
    raise SystemExit("genera serve did not start: " + (folder / "serve.log").read_text()[-2000:])


class _User:
    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        data = urllib.parse.urlencode({"username": name, "password": PASSWORD}).encode()
        with self.opener.open(urllib.request.Request(url + "/login", data=data,
                                                     headers={"Origin": url}),
                              timeout=120) as response:
            if "/login" in response.url:
                raise SystemExit(f"{name} could not sign in")

    def get(self, path: str) -> bytes:
        with self.opener.open(self.url + path, timeout=120) as response:
            if "/login" in response.url:  # the session was lost: an error, not a page
                raise urllib.error.URLError("sent back to the sign-in page")
            return response.read()

    def post(self, body: str) -> bytes:
        request = urllib.request.Request(
            self.url + "/_dash-update-component", data=body.encode(),
            headers={"Origin": self.url, "Content-Type": "application/json"})
        with self.opener.open(request, timeout=120) as response:
            return response.read()


#: the request kinds, by the first output of a callback
KINDS = {"_pages_content": "router", "ov-kpis": "overview", "map-graph": "map",
         "map-selected": "map_select", "map-panel": "map_panel", "iso-grid": "worklist",
         "act-partners": "actor_partners", "act-ego": "actor_ego"}


def _kind(body: dict) -> str:
    first = body["output"].strip(".").split("...")[0].rsplit(".", 1)[0]
    return KINDS.get(first, first)


def _windows(url_now: str, count: int) -> list[str]:
    """``count`` query strings of three-month periods, the page's default one first and then
    earlier ones (as a person picks them)."""
    import pandas as pd

    query = urllib.parse.parse_qs(urllib.parse.urlparse(url_now).query)
    start = pd.Timestamp(query["from"][0]) if "from" in query else pd.Timestamp("2018-08-01")
    out = []
    for k in range(count):
        lo = start - pd.DateOffset(months=3 * k)
        out.append(f"?from={lo.date().isoformat()}&to={(lo + pd.DateOffset(months=3)).date()}")
    return out


def capture(url: str, name: str, households: list[tuple[str, str]], periods: int = 3
            ) -> list[dict]:
    """What a person's browser posts, recorded in headless Chromium (Debian's): signed in as
    ``name``, for ``periods`` periods, the overview, the map with a household picked in its
    search box (the side panel), the worklist in both of its lists and a household's actor
    page. Returns the visits, each ``{"path", "bodies"}`` with the ``/_dash-update-component``
    bodies in the order the browser sent them. Raises if any of them was not answered 200/204
    (a request a real browser sends that the server fails)."""
    from playwright.sync_api import sync_playwright

    settled = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"
    sent: list[tuple[int, object]] = []
    visits: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-dev-shm-usage"])
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()

        pending = [0]

        def started(request) -> None:  # noqa: ANN001 - a playwright Request
            if "/_dash-update-component" in request.url:
                pending[0] += 1

        def record(request) -> None:  # noqa: ANN001
            if "/_dash-update-component" in request.url:
                pending[0] -= 1
                sent.append((len(visits) - 1, request))

        page.on("request", started)
        page.on("requestfinished", record)
        page.on("requestfailed", record)

        def settle() -> None:
            """Until no callback has been pending for a second (the renderer sends a page's
            callbacks only once the router's answer is drawn, so one idle moment is not
            enough), nothing is loading and the network is idle."""
            page.wait_for_load_state("networkidle", timeout=180_000)
            quiet_since = time.monotonic()
            limit = quiet_since + 300
            while time.monotonic() < limit:
                page.wait_for_timeout(200)
                if pending[0]:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= 1.0:
                    break
            page.wait_for_function(settled, timeout=180_000)

        def visit(path: str) -> None:
            visits.append({"path": path, "bodies": []})
            page.goto(url + path)
            settle()

        page.goto(url + "/login")
        page.fill("#username", name)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/login" not in u)
        settle()
        for k, query in enumerate(_windows(page.url, periods)):
            household, label = households[k % len(households)]
            visit("/" + query)
            visit("/map" + query)
            page.locator("#map-search").click()
            page.locator(".dash-dropdown-search").fill(label)
            page.get_by_role("option").filter(has_text=label).first.click()
            settle()
            page.keyboard.press("Escape")
            visit("/isolation" + query)
            page.locator("#iso-mode input[value=warning]").check()
            settle()
            visit(f"/actor/{household}" + query)
        failed = []
        for k, request in sent:
            response = request.response()
            status = response.status if response else -1
            if status not in (200, 204):
                failed.append((visits[k]["path"] if k >= 0 else "/", status,
                               request.failure, request.post_data[:200]))
            if k >= 0:  # not the page shown after sign-in
                visits[k]["bodies"].append(request.post_data_json)
        browser.close()
    if failed:
        raise SystemExit(f"the server failed requests the browser sent: {failed}")
    return visits


def _replayed(visits: list[dict], captured: list[str], mine: list[str], rng: random.Random
              ) -> list[dict]:
    """The captured visits with the captured households replaced by ``mine`` (the same
    requests for a user of another Community Point)."""
    if not mine:
        return visits
    swap = {h: rng.choice(mine) for h in captured}
    out = []
    for v in visits:
        path = v["path"]
        bodies = []
        for body in v["bodies"]:
            text = json.dumps(body)
            for old, new in swap.items():
                text = text.replace(f'"{old}"', f'"{new}"').replace(f'/actor/{old}"',
                                                                    f'/actor/{new}"')
            bodies.append(text)
        for old, new in swap.items():
            path = path.replace(f"/actor/{old}", f"/actor/{new}")
        out.append({"path": path, "bodies": bodies})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilitators", type=int, default=20)
    parser.add_argument("--coordinators", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user waits between two page visits (default none)")
    parser.add_argument("--periods", type=int, default=3,
                        help="periods recorded in the browser per role")
    parser.add_argument("--visits", metavar="FILE.json",
                        help="the recorded visits: read from FILE if it exists (recorded on "
                             "the same store), else recorded and written there")
    parser.add_argument("--store", help="an existing store (default: the sample district)")
    parser.add_argument("--small", action="store_true", help="the tests' small district")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    path, by_point, names = _store(args, folder)
    users = _accounts(path, sorted(by_point), args.facilitators, args.coordinators)
    started = time.perf_counter()
    server, url = _serve(path, folder)
    print(f"server ready in {time.perf_counter() - started:.1f} s (warm-up included); "
          f"{len(users)} users: {args.facilitators} facilitators over {len(by_point)} "
          f"points, {args.coordinators} coordinators; {args.seconds:.0f} s of load", flush=True)
    # what the browser really sends, per role (a facilitator's and a coordinator's pages)
    started = time.perf_counter()
    recorded: dict[str | None, tuple[list[dict], list[str]]] = {}
    everyone = [h for v in by_point.values() for h in v]
    if args.visits and Path(args.visits).exists():
        recorded = {role: (v["visits"], v["households"])
                    for role, v in json.loads(Path(args.visits).read_text()).items()}
        # recorded by another version of the pages (a callback's outputs changed): again
        probe = _User(url, users[0][0])
        known = {d["output"] for d in json.loads(probe.get("/_dash-dependencies"))}
        sent = {b["output"] for visits, _ in recorded.values() for v in visits
                for b in v["bodies"]}
        if sent - known:
            print(f"the recorded visits name {len(sent - known)} callback(s) the server no "
                  "longer has: recording them again", flush=True)
            recorded = {}
            Path(args.visits).unlink()
    try:
        for name, point in ([u for u in users if u[1]][:1] + [u for u in users if not u[1]][:1]):
            if ("facilitator" if point else "coordinator") in recorded:
                continue
            own = by_point[point] if point else everyone
            picked = [(h, names[h]) for h in own[:: max(1, len(own) // args.periods)]
                      ][: args.periods]
            visits = capture(url, name, picked, args.periods)
            recorded["facilitator" if point else "coordinator"] = (visits,
                                                                   [h for h, _ in picked])
    except BaseException:
        server.terminate()
        raise
    if args.visits and not Path(args.visits).exists():
        Path(args.visits).write_text(json.dumps(
            {role: {"visits": v, "households": h} for role, (v, h) in recorded.items()}))
    n_bodies = sum(len(v["bodies"]) for visits, _ in recorded.values() for v in visits)
    print(f"recorded in headless Chromium in {time.perf_counter() - started:.0f} s: "
          f"{n_bodies} callback requests over "
          f"{sum(len(v) for v, _ in recorded.values())} page visits", flush=True)
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = [0.0]

    def timed(kind: str, call) -> None:  # noqa: ANN001
        t0 = time.perf_counter()
        try:
            call()
        except (urllib.error.URLError, OSError) as exc:
            with lock:
                errors[kind] += 1
                if errors[kind] == 1:  # the first of each kind, so that an error is explained
                    detail = exc.read()[:300] if isinstance(exc, urllib.error.HTTPError) else ""
                    print(f"first error on {kind}: {exc!r} {detail!r}", flush=True)
            return
        with lock:
            times[kind].append(time.perf_counter() - t0)

    def run(name: str, point: str | None, seed: int) -> None:
        rng = random.Random(seed)
        user = _User(url, name)
        visits, captured = recorded["facilitator" if point else "coordinator"]
        mine = by_point.get(point) if point else everyone
        while time.monotonic() < deadline[0]:
            # one round of the recorded visits, in a user's own order, of their own households
            for v in rng.sample(_replayed(visits, captured, mine, rng), len(visits)):
                if time.monotonic() >= deadline[0]:
                    break
                # a page load: the page, the layout, the callbacks' list, then the callbacks
                timed("page:html", lambda p=v["path"]: user.get(p))
                timed("page:_dash-layout", lambda: user.get("/_dash-layout"))
                timed("page:_dash-dependencies", lambda: user.get("/_dash-dependencies"))
                for body in v["bodies"]:
                    kind = _kind(json.loads(body))
                    timed(f"callback:{kind}", lambda b=body: user.post(b))
                if args.think:
                    time.sleep(rng.uniform(0.5, 1.5) * args.think)

    threads = [threading.Thread(target=run, args=(n, p, k), daemon=True)
               for k, (n, p) in enumerate(users)]
    load_before = os.getloadavg()
    deadline[0] = time.monotonic() + args.seconds
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.seconds + 300)
    elapsed = time.perf_counter() - t0
    status = Path(f"/proc/{server.pid}/status").read_text()
    peak = next((line.split()[1] for line in status.splitlines()
                 if line.startswith("VmHWM")), "0")
    server.terminate()
    server.wait(timeout=30)
    if not args.store:
        shutil.rmtree(folder, ignore_errors=True)
    total = sum(len(v) for v in times.values())
    print(f"{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s), "
          f"{sum(errors.values())} errors")
    print(f"{'request':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    for kind in sorted(set(times) | set(errors)):
        values = np.array(times.get(kind, [0.0])) * 1000
        print(f"{kind:28} {len(times.get(kind, [])):6d} {np.percentile(values, 50):8.0f} "
              f"{np.percentile(values, 95):8.0f} {values.max():8.0f} {errors.get(kind, 0):6d}")
    print(f"server peak memory (VmHWM): {int(peak) / 1024:.0f} MiB")
    print("load average (1, 5, 15 min) before the load: "
          + ", ".join(f"{x:.2f}" for x in load_before)
          + "; after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
