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


def _store(args: argparse.Namespace, folder: Path) -> tuple[str, dict[str, list[str]]]:
    """The store (built if needed) and each point's household ids."""
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
    return path, by_point


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
        self.opener.open(urllib.request.Request(url + "/login", data=data,
                                                headers={"Origin": url}), timeout=120).read()

    def get(self, path: str) -> bytes:
        with self.opener.open(self.url + path, timeout=120) as response:
            return response.read()

    def post(self, body: dict) -> bytes:
        request = urllib.request.Request(
            self.url + "/_dash-update-component", data=json.dumps(body).encode(),
            headers={"Origin": self.url, "Content-Type": "application/json"})
        with self.opener.open(request, timeout=120) as response:
            return response.read()


def _body(dep: dict, values: dict) -> dict:
    from tests.app.test_roles_over_http import _body as body

    return body(dep, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facilitators", type=int, default=20)
    parser.add_argument("--coordinators", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--store", help="an existing store (default: the sample district)")
    parser.add_argument("--small", action="store_true", help="the tests' small district")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    path, by_point = _store(args, folder)
    users = _accounts(path, sorted(by_point), args.facilitators, args.coordinators)
    started = time.perf_counter()
    server, url = _serve(path, folder)
    print(f"server ready in {time.perf_counter() - started:.1f} s (warm-up included); "
          f"{len(users)} users: {args.facilitators} facilitators over {len(by_point)} "
          f"points, {args.coordinators} coordinators; {args.seconds:.0f} s of load")
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = [0.0]

    def timed(kind: str, call) -> None:  # noqa: ANN001
        t0 = time.perf_counter()
        try:
            call()
        except (urllib.error.URLError, OSError):
            with lock:
                errors[kind] += 1
            return
        with lock:
            times[kind].append(time.perf_counter() - t0)

    def run(name: str, point: str | None, seed: int) -> None:
        rng = random.Random(seed)
        user = _User(url, name)
        deps = json.loads(user.get("/_dash-dependencies"))
        mine = by_point.get(point) if point else [h for v in by_point.values() for h in v]
        wanted = {"ov-": "overview", "map-graph.elements": "map", "iso-grid.rowData":
                  "worklist", "act-ego.figure": "actor_ego", "map-panel.children": "map_panel"}
        chosen = [(kind, d) for d in deps for key, kind in wanted.items()
                  if key in d["output"] and not d.get("clientside_function")]
        while time.monotonic() < deadline[0]:
            timed("page:_dash-layout", lambda: user.get("/_dash-layout"))
            household = rng.choice(mine) if mine else "none"
            for kind, dep in chosen:
                if time.monotonic() >= deadline[0]:
                    break
                values = {"lang-store": "it", "act-id": household, "map-selected": household,
                          "map-range": [rng.randrange(0, 30), 35], "act-range": [0, 35],
                          "iso-mode": "all"}
                timed(f"callback:{kind}", lambda d=dep, v=values: user.post(_body(d, v)))

    threads = [threading.Thread(target=run, args=(n, p, k), daemon=True)
               for k, (n, p) in enumerate(users)]
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
    total = sum(len(v) for v in times.values())
    print(f"{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s), "
          f"{sum(errors.values())} errors")
    print(f"{'request':28} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    for kind in sorted(set(times) | set(errors)):
        values = np.array(times.get(kind, [0.0])) * 1000
        print(f"{kind:28} {len(times.get(kind, [])):6d} {np.percentile(values, 50):8.0f} "
              f"{np.percentile(values, 95):8.0f} {values.max():8.0f} {errors.get(kind, 0):6d}")
    print(f"server peak memory (VmHWM): {int(peak) / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
