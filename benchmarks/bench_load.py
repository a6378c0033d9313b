"""Benchmark: many signed-in users on one explorer server, for a bounded time.

Builds a store (the sample district of ``genera sample``, or ``--store`` given), adds
``--facilitators`` facilitator accounts (spread over the Community Points) and
``--coordinators`` coordinator accounts, starts ``genera serve`` (waitress) in a child process
on 127.0.0.1, signs every user in, and replays what a browser sends (each role's page visits,
recorded once in headless Chromium: overview, map with a household picked, worklist in both
lists, a household's actor page, over several periods) with each user's own households.
Only loopback traffic; every loop stops at its deadline. It asserts nothing.

What it measures, in this order, on the same server (caches made by one run help the next,
as on a server that has been up a while):

1. **single user** (``--single-rounds``): one facilitator, then one coordinator, alone on the
   server, one request at a time: each request kind's *service time* (p50 / p95 / max), the
   work the server does for it with no queue in front. It starts as soon as the server
   answers its sign-in page, so the tables not made yet (the server warms in the
   background) show in its max: the first-request penalty is in the figures, not hidden.
2. **one run per** ``--think`` **value** (default ``0`` and ``3-10``), ``--seconds`` each:
   all the users at once, each in its own thread, waiting a random time in the range after
   each page visit (``0``: no pause, a *closed loop*; ``3-10``: as a person reads and
   clicks). Requests, errors (the aim: none), p50 / p95 / max per request kind.
3. **summary**: per run the throughput X, the mean response time R, and Little's law's
   ``N / X - Z`` (N users, Z the think time per request, measured): in a closed loop
   (Z = 0) the mean response time *is* N / X, whatever the code does, so 23 users with no
   pause on a server that completes X requests a second wait 23 / X seconds on average;
   the floor is N x (mean service time) / (cores the server really uses: one process of
   Python runs its request threads on about one core). Only a think time (real users) or
   more throughput (less work per request, more processes) moves it.
4. **peak memory** of the server's processes, sampled every half second: the sum of their
   RSS and of their PSS (with ``--servers`` > 1 or forked workers, pages they share are
   counted once in PSS) and of their VmHWM.

Aim (issue #11): p95 < 300 ms for callbacks, no error, memory < 2 GiB; the closed loop
cannot meet the p95 by the law above (see docs/scale-plan.md, "The explorer under load").

Usage::

    .venv/bin/python benchmarks/bench_load.py                      # 20 + 3 users, 2 x 2 min
    .venv/bin/python benchmarks/bench_load.py --think 0            # the closed loop only
    .venv/bin/python benchmarks/bench_load.py --servers 2          # two processes, sticky
    .venv/bin/python benchmarks/bench_load.py --seconds 30 --small # the tests' small district
    .venv/bin/python benchmarks/bench_load.py --visits visits.json # record the visits once
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


def _serve(path: str, folder: Path, threads: int | None, extra: list[str],
           wait: bool = True
           ) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(folder), "GENERA_SECRET_KEY": "cd" * 32}
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "genera_graph.cli", "--store", path, "serve", "--port",
         str(port), *(["--threads", str(threads)] if threads else []), *extra], stdout=log,
        stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    return _ready(server, url, folder) if wait else (server, url)


def _ready(server: subprocess.Popen, url: str, folder: Path
           ) -> tuple[subprocess.Popen, str]:
    """Once the server answers its sign-in page."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
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
    """The request kind of a callback body; the page router's by page (``router /actor``)."""
    first = body["output"].strip(".").split("...")[0].rsplit(".", 1)[0]
    kind = KINDS.get(first, first)
    if kind == "router":
        path = next((i.get("value") for i in body.get("inputs") or []
                     if isinstance(i, dict) and i.get("property") == "pathname"), "") or "/"
        kind += " /" + str(path).strip("/").split("/")[0]
    return kind


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
    parser.add_argument("--think", type=_think, nargs="+", default=[(0.0, 0.0), (3.0, 10.0)],
                        metavar="S|LO-HI",
                        help="one run per value: the seconds each user waits after a page "
                             "visit, 0 (none: a closed loop), S (0.5 S to 1.5 S) or LO-HI "
                             "(default: 0 3-10, both runs)")
    parser.add_argument("--single-rounds", type=int, default=1, metavar="N",
                        help="rounds of the visits one user alone replays first, a "
                             "facilitator then a coordinator (service times; 0: none)")
    parser.add_argument("--threads", type=int, default=None,
                        help="the server's request threads (genera serve --threads; "
                             "default: its own)")
    parser.add_argument("--servers", type=int, default=1, metavar="N",
                        help="N servers (processes) on the same store, each user kept on "
                             "one (as behind a proxy with sticky sessions)")
    parser.add_argument("--serve-args", default="", metavar="ARGS",
                        help="more arguments for genera serve (e.g. '--warm before')")
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
    # N servers start at once (each its own process, caches and sessions), as N workers
    # behind a proxy that keeps each user on one of them
    starting = [_serve(path, folder / f"s{k}", args.threads, args.serve_args.split(),
                       wait=False) for k in range(args.servers)]
    servers = [_ready(server, url, folder / f"s{k}") for k, (server, url)
               in enumerate(starting)]
    server, url = servers[0]
    print(f"{args.servers} server(s) ready (answering /login) in "
          f"{time.perf_counter() - started:.1f} s; "
          f"{len(users)} users: {args.facilitators} facilitators over {len(by_point)} "
          f"points, {args.coordinators} coordinators; {args.seconds:.0f} s of load per run; "
          f"server: --threads {args.threads or 'default'} {args.serve_args}".rstrip(),
          flush=True)
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
        for s, _ in servers:
            s.terminate()
        raise
    if args.visits and not Path(args.visits).exists():
        Path(args.visits).write_text(json.dumps(
            {role: {"visits": v, "households": h} for role, (v, h) in recorded.items()}))
    n_bodies = sum(len(v["bodies"]) for visits, _ in recorded.values() for v in visits)
    print(f"recorded in headless Chromium in {time.perf_counter() - started:.0f} s: "
          f"{n_bodies} callback requests over "
          f"{sum(len(v) for v, _ in recorded.values())} page visits", flush=True)
    users_of = {"facilitator": [u for u in users if u[1]][:1],
                "coordinator": [u for u in users if not u[1]][:1]}
    memory = _Memory([s.pid for s, _ in servers])
    memory.start()
    try:
        results = []
        if args.single_rounds:
            # one user at a time, nobody else on the server: each request's service time
            single = _Phase(url, recorded, by_point, everyone, think=(0.0, 0.0))
            cpu = memory.cpu_seconds()
            for role in ("facilitator", "coordinator"):
                for name, point in users_of[role]:
                    single.sequential(name, point, rounds=args.single_rounds, seed=7)
            single.cpu = memory.cpu_seconds() - cpu
            results.append(("single user, one at a time, no pause", single, 1))
            single.report("single user (service time: one request at a time, no other "
                          "user; the first requests after ready included)")
        for think in args.think:
            phase = _Phase(url, recorded, by_point, everyone, think=think)
            load_before = os.getloadavg()
            cpu = memory.cpu_seconds()
            phase.concurrent(users, args.seconds, [u for _, u in servers])
            phase.cpu = memory.cpu_seconds() - cpu
            label = ("closed loop, no pause" if think == (0.0, 0.0) else
                     f"think time {think[0]:g}-{think[1]:g} s between page visits")
            phase.report(f"{len(users)} users, {label}", load_before)
            results.append((label, phase, len(users)))
    finally:
        memory.stop()
        for s, _ in servers:
            s.terminate()
        for s, _ in servers:
            s.wait(timeout=30)
        if not args.store:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print("summary (Little's law: users = throughput x (response time + think time); with "
          "no think time the mean response time is users / throughput, whatever the code):")
    print("  (N/X-Z also holds the driver's own time between two requests; CPU: the server's "
          "processes' CPU time per request, and the cores they kept busy on average)")
    print(f"  {'run':44} {'req/s':>7} {'mean ms':>8} {'N/X-Z ms':>9} {'cb p95 ms':>9} "
          f"{'errors':>6} {'CPU ms/req':>10} {'cores':>5} {'floor ms':>8}")
    for label, phase, n in results:
        x = phase.throughput
        mean = phase.mean_ms()
        implied = (n / x - phase.mean_think_per_request()) * 1000 if x else float("nan")
        demand = phase.cpu / phase.requests * 1000 if phase.requests else float("nan")
        cores = phase.cpu / phase.elapsed if phase.elapsed else float("nan")
        # a closed loop's floor: every user waits for everyone's work, on the cores used
        floor = n * demand / max(cores, 1.0) - phase.mean_think_per_request() * 1000
        print(f"  {label:44} {x:7.1f} {mean:8.0f} {implied:9.0f} "
              f"{phase.callback_p95_ms():9.0f} {phase.error_count:6d} {demand:10.1f} "
              f"{cores:5.2f} {max(floor, demand):8.0f}")
    print("  floor: N x (CPU per request) / (cores used) - think time per request (and at "
          "least one request's CPU): the mean response time no scheduling can beat at that "
          "CPU per request")
    print(f"server peak memory: {memory.report()}")


class _Memory(threading.Thread):
    """Samples, every half second, the server's processes (the one started and its
    children): the sum of their resident sizes and of their proportional set sizes (PSS:
    pages shared by forked workers counted once in all), and keeps the peaks."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.peak_rss = self.peak_pss = 0
        self.hwm: dict[int, int] = {}
        self._stop = threading.Event()

    def _pids(self) -> list[int]:
        out, todo = [], list(self.pids)
        while todo:
            pid = todo.pop()
            out.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            todo += [int(c) for c in children]
        return out

    def sample(self) -> None:
        rss = pss = 0
        for pid in self._pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
                status = Path(f"/proc/{pid}/status").read_text()
                self.hwm[pid] = max(self.hwm.get(pid, 0), next(
                    (int(x.split()[1]) for x in status.splitlines()
                     if x.startswith("VmHWM")), 0))
            except OSError:
                continue
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    def run(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self._stop.set()

    def cpu_seconds(self) -> float:
        """The CPU time (user + system) the server's processes have used so far."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self._pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def report(self) -> str:
        return (f"{len(self.hwm)} process(es); sum of RSS {self.peak_rss / 1024:.0f} MiB, "
                f"sum of PSS {self.peak_pss / 1024:.0f} MiB (sampled peaks); sum of VmHWM "
                f"{sum(self.hwm.values()) / 1024:.0f} MiB")


class _Phase:
    """One measured run: the users' requests, timed per kind."""

    def __init__(self, url: str, recorded: dict, by_point: dict[str, list[str]],
                 everyone: list[str], think: tuple[float, float]) -> None:
        self.url, self.recorded, self.by_point, self.everyone = url, recorded, by_point, everyone
        self.think = think
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()
        self.deadline = float("inf")
        self.elapsed = 0.0
        self.visits_done = 0
        self.paused = 0.0  # seconds the users spent thinking, all together
        self.cpu = 0.0  # the server's CPU seconds during the run

    def timed(self, kind: str, call) -> None:  # noqa: ANN001
        t0 = time.perf_counter()
        try:
            call()
        except (urllib.error.URLError, OSError) as exc:
            with self.lock:
                self.errors[kind] += 1
                if self.errors[kind] == 1:  # the first of each kind, so that it is explained
                    detail = exc.read()[:300] if isinstance(exc, urllib.error.HTTPError) else ""
                    print(f"first error on {kind}: {exc!r} {detail!r}", flush=True)
            return
        with self.lock:
            self.times[kind].append(time.perf_counter() - t0)

    def _visits(self, point: str | None, rng: random.Random) -> list[dict]:
        visits, captured = self.recorded["facilitator" if point else "coordinator"]
        mine = self.by_point.get(point) if point else self.everyone
        # one round of the recorded visits, in a user's own order, of their own households
        return rng.sample(_replayed(visits, captured, mine, rng), len(visits))

    def _visit(self, user: _User, v: dict) -> None:
        # a page load: the page, the layout, the callbacks' list, then the callbacks
        self.timed("page:html", lambda p=v["path"]: user.get(p))
        self.timed("page:_dash-layout", lambda: user.get("/_dash-layout"))
        self.timed("page:_dash-dependencies", lambda: user.get("/_dash-dependencies"))
        for body in v["bodies"]:
            kind = _kind(json.loads(body))
            self.timed(f"callback:{kind}", lambda b=body: user.post(b))
        with self.lock:
            self.visits_done += 1

    def sequential(self, name: str, point: str | None, rounds: int, seed: int) -> None:
        """``rounds`` rounds of the recorded visits by one user, alone on the server."""
        rng = random.Random(seed)
        user = _User(self.url, name)
        t0 = time.perf_counter()
        for _ in range(rounds):
            for v in self._visits(point, rng):
                self._visit(user, v)
        self.elapsed += time.perf_counter() - t0

    def _pause(self, seconds: float) -> None:
        time.sleep(seconds)
        with self.lock:
            self.paused += seconds

    def concurrent(self, users: list[tuple[str, str | None]], seconds: float,
                   urls: list[str] | None = None) -> None:
        """Every user in a thread of their own, replaying visits until the deadline; with a
        think time, each waits a random time in ``think`` after each page visit (and
        before the first: the users do not all start at the same moment). With several
        ``urls`` (servers), user k stays on server k modulo their number."""
        urls = urls or [self.url]

        def run(name: str, point: str | None, seed: int) -> None:
            rng = random.Random(seed)
            user = _User(urls[seed % len(urls)], name)
            if self.think[1]:
                self._pause(rng.uniform(0, self.think[1]))
            while time.monotonic() < self.deadline:
                for v in self._visits(point, rng):
                    if time.monotonic() >= self.deadline:
                        break
                    self._visit(user, v)
                    if self.think[1]:
                        self._pause(min(rng.uniform(*self.think),
                                        max(0.0, self.deadline - time.monotonic())))

        threads = [threading.Thread(target=run, args=(n, p, k), daemon=True)
                   for k, (n, p) in enumerate(users)]
        self.deadline = time.monotonic() + seconds
        t0 = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 300)
        self.elapsed = time.perf_counter() - t0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.times.values()) + self.error_count

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        total = sum(len(v) for v in self.times.values()) + self.error_count
        return total / self.elapsed if self.elapsed else 0.0

    def mean_ms(self) -> float:
        values = [x for v in self.times.values() for x in v]
        return float(np.mean(values)) * 1000 if values else float("nan")

    def mean_think_per_request(self) -> float:
        """The users' think time per request (all pauses over all requests), seconds."""
        requests = sum(len(v) for v in self.times.values()) + self.error_count
        return self.paused / requests if requests else 0.0

    def callback_p95_ms(self) -> float:
        values = [x for k, v in self.times.items() if k.startswith("callback:") for x in v]
        return float(np.percentile(values, 95)) * 1000 if values else float("nan")

    def report(self, title: str, load_before: tuple[float, ...] | None = None) -> None:
        total = sum(len(v) for v in self.times.values())
        print(f"\n{title}: {total} requests in {self.elapsed:.0f} s "
              f"({self.throughput:.1f}/s), {self.error_count} errors")
        print(f"{'request':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
        for kind in sorted(set(self.times) | set(self.errors)):
            values = np.array(self.times.get(kind, [0.0])) * 1000
            print(f"{kind:28} {len(self.times.get(kind, [])):6d} "
                  f"{np.percentile(values, 50):8.0f} {np.percentile(values, 95):8.0f} "
                  f"{values.max():8.0f} {self.errors.get(kind, 0):6d}")
        line = "load average (1, 5, 15 min)"
        if load_before is not None:
            line += " before: " + ", ".join(f"{x:.2f}" for x in load_before) + ";"
        print(line + " after: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)


def _think(text: str) -> tuple[float, float]:
    """``"0"`` (no pause), ``"6"`` (3 to 9 s: 0.5 to 1.5 times it) or ``"3-10"``."""
    lo, _, hi = text.partition("-")
    if hi:
        return float(lo), float(hi)
    value = float(lo)
    return (0.5 * value, 1.5 * value)


if __name__ == "__main__":
    main()
