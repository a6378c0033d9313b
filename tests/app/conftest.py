"""Fixtures of the explorer's tests: a small hand-made district, the app, a live server, and
a headless Chromium for the browser tests (Debian's ``/usr/bin/chromium``, never a download)."""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genera_graph.model import Dataset

#: an actor name that would run script if any label were rendered as HTML
XSS_NAME = "<img src=x onerror=alert(1)>"
#: an actor name that a spreadsheet would run as a formula
FORMULA_NAME = "=HYPERLINK(\"http://x\")"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "screenshots"


def small_district(seed: int = 7) -> Dataset:
    """Two Community Points, six households (one named like an XSS payload), organisations,
    and a few hundred dated ties over the programme (deterministic).

    Each call returns fresh copies of the frames (a test may change them); each seed's
    district is built and validated once per process.
    """
    return Dataset(**{name: frame.copy()
                      for name, frame in _small_district(seed).tables().items()})


@functools.cache
def _small_district(seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    d = pd.Timestamp
    actors = [
        ("CP01", "community_point", "Punto Nord", "CP01", None, d("2016-05-18")),
        ("CP02", "community_point", "Punto Sud", "CP02", None, d("2016-05-18")),
        ("F01", "facilitator", "Facilitatrice Uno", "CP01", None, d("2016-02-01")),
        ("F02", "facilitator", "Facilitatore Due", "CP02", None, d("2016-02-01")),
        ("H01", "household", "Famiglia Rossi", "CP01", "F01", d("2016-03-01")),
        ("H02", "household", "Famiglia Bianchi", "CP01", "F01", d("2016-04-01")),
        ("H03", "household", XSS_NAME, "CP01", "F01", d("2016-05-01")),
        ("H04", "household", "Famiglia Verdi", "CP02", "F02", d("2016-03-15")),
        ("H05", "household", "Famiglia Neri", "CP02", "F02", d("2016-06-01")),
        ("H06", "household", "Famiglia Gialli", "CP02", "F02", d("2016-09-01")),
        ("A01", "association", FORMULA_NAME, "CP01", None, d("2016-02-10")),
        ("A02", "association", "Associazione Ponte", "CP02", None, d("2016-02-20")),
        ("C01", "company", "Impresa Alfa", None, None, d("2016-06-10")),
        ("S01", "school", "Istituto Beta", None, None, d("2016-09-15")),
    ]
    individuals = []
    members = []
    for h, n in (("H01", 3), ("H02", 2), ("H03", 2), ("H04", 3), ("H05", 1), ("H06", 2)):
        cp = next(a[3] for a in actors if a[0] == h)
        met = next(a[5] for a in actors if a[0] == h)
        for k in range(n):
            iid = f"I{h[1:]}{k}"
            # the head of H03 carries the hostile name too: individuals are the bridging
            # table's actors, so the name reaches that grid as well
            name = XSS_NAME if (h, k) == ("H03", 0) else f"Persona {iid}"
            individuals.append((iid, "individual", name, cp, None, met))
            members.append((h, iid, "head" if k == 0 else "child", met, pd.NaT))
    actor_frame = pd.DataFrame(actors + individuals, columns=[
        "actor_id", "kind", "name", "community_point_id", "facilitator_id", "first_met"])
    actor_frame["municipality"] = "Comune"
    actor_frame["left_on"] = pd.NaT
    hh = pd.DataFrame(members, columns=["household_id", "individual_id", "role", "start_date",
                                        "end_date"])
    ids = actor_frame["actor_id"].tolist()
    cps = dict(zip(actor_frame["actor_id"], actor_frame["community_point_id"], strict=True))
    kinds = dict(zip(actor_frame["actor_id"], actor_frame["kind"], strict=True))
    met_of = dict(zip(actor_frame["actor_id"], actor_frame["first_met"], strict=True))
    days = pd.date_range("2016-03-01", "2018-12-31", freq="D")
    rows = []
    for i in range(400):
        a, b = rng.choice(ids, size=2, replace=False)
        professional = kinds[a] in ("facilitator", "community_point") or kinds[b] in (
            "facilitator", "community_point")
        day = days[rng.integers(len(days))]
        # nothing before the programme met a person or household (the importer's rule)
        day = max([day] + [met_of[x] for x in (a, b) if kinds[x] in ("household", "individual")])
        rows.append((f"X{i:04d}", day, a, b,
                     "support" if professional else "mutual_help",
                     "professional" if professional else "peer",
                     str(rng.choice(["housing", "work", "youth", "community"])),
                     cps[a] if isinstance(cps[a], str) else "CP01", "facilitator_record"))
    inter = pd.DataFrame(rows, columns=["interaction_id", "date", "source_actor_id",
                                        "target_actor_id", "kind", "nature", "programme",
                                        "community_point_id", "source"])
    relations = pd.DataFrame([
        ("R1", "lease", "H01", "C01", None, d("2016-07-01"), pd.NaT, "institutional", "housing",
         "CP01", "register"),
        ("R2", "membership", "I020", "A01", None, d("2016-05-01"), d("2017-06-30"),
         "institutional", "community", "CP01", "register"),
        ("R3", "school_work_placement", "I040", "S01", "ACT2", d("2016-10-01"), d("2017-05-31"),
         "institutional", "youth", "CP02", "register"),
    ], columns=["relation_id", "kind", "actor_id", "partner_id", "activity_id", "start_date",
                "end_date", "nature", "programme", "community_point_id", "source"])
    activities = pd.DataFrame([
        ("ACT1", "proximity_lab", "community", "CP01", "Laboratorio di quartiere",
         d("2016-06-01"), d("2016-06-30"), np.nan, None),
        ("ACT2", "school_work_offer", "youth", "CP02", "Offerta scuola-lavoro",
         d("2016-10-01"), pd.NaT, np.nan, "S01"),
    ], columns=["activity_id", "kind", "programme", "community_point_id", "title", "start_date",
                "end_date", "funding_eur", "partner_id"])
    parts = pd.DataFrame([
        ("ACT1", iid, d("2016-06-10"), "participant", "attendance_sheet")
        for iid in ("I010", "I020", "I030", "I011")
    ] + [("ACT1", "F01", d("2016-06-10"), "facilitator", "attendance_sheet")],
        columns=["activity_id", "actor_id", "date", "role", "source"])
    return Dataset(actors=actor_frame, household_members=hh, activities=activities,
                   participations=parts, interactions=inter, relations=relations).validated()


@pytest.fixture(scope="session")
def district() -> Dataset:
    return small_district()


#: the test session's accounts: user name -> (role, Community Points); one password for all
ACCOUNTS = {
    "coord": ("coordinator", ()),
    "fac01": ("facilitator", ("CP01",)),
    "fac02": ("facilitator", ("CP02",)),
    "res": ("researcher", ()),
    "admin": ("admin", ()),
}
PASSWORD = "una password di prova 2016"
#: the research study of the test server (the researcher sees its pseudonyms)
RESEARCH_SECRET, RESEARCH_STUDY = b"s" * 32, "test-study"


def cheap_hasher():
    """argon2id with the cheapest parameters (tests only: sign-ins stay fast)."""
    from argon2 import PasswordHasher, profiles

    return PasswordHasher.from_parameters(profiles.CHEAPEST)


def add_accounts(store) -> None:  # noqa: ANN001 - a Store
    from genera_graph.io.accounts import Accounts

    accounts = Accounts(store, cheap_hasher())
    for name, (role, points) in ACCOUNTS.items():
        accounts.add(name, f"Utente {name}", role, points, password=PASSWORD)


@pytest.fixture(scope="session")
def auth_store(tmp_path_factory: pytest.TempPathFactory, district):
    """The store of the session app's accounts and audit log (the district imported too, so
    that facilitators' points exist)."""
    from genera_graph.io.store import Store

    store = Store(tmp_path_factory.mktemp("auth") / "genera.sqlite")
    assert store.import_dataset(district).ok
    add_accounts(store)
    yield store
    store.close()


@pytest.fixture(scope="session")
def app(district, auth_store):
    """The one app of the test session (pages register their callbacks once per process),
    with sign-in on, as ``genera serve`` runs it."""
    from dash_app import Viewer, create_app
    from dash_app.auth import install_auth
    from genera_graph.exports.research import Pseudonymiser

    app = create_app(district, viewer=Viewer())
    install_auth(app, auth_store, secret_key=b"t" * 32, hasher=cheap_hasher(),
                 pseudonymiser=Pseudonymiser(RESEARCH_SECRET, RESEARCH_STUDY))
    return app


@pytest.fixture()
def ctx(app):
    """A request context of the app, in which callbacks can be called as plain functions (as
    a coordinator, the viewer the data layer takes from the session)."""
    import flask

    from dash_app import Viewer
    from dash_app.data import memo
    from dash_app.data.registry import VIEWER_KEY

    memo.clear()  # a test may change a page's setting: no answer kept from another test
    with app.server.test_request_context("/"):
        setattr(flask.g, VIEWER_KEY, Viewer())
        yield app


def sign_in(client, username: str, password: str = PASSWORD, origin: str = "http://localhost"):
    """Sign a Flask test client in; returns the sign-in response."""
    return client.post("/login", data={"username": username, "password": password},
                       headers={"Origin": origin})


@pytest.fixture()
def signed_in(app):
    """``signed_in(username)``: a test client of the app, signed in as that account."""

    from dash_app.data import memo

    memo.clear()

    def make(username: str = "coord"):
        client = app.server.test_client()
        response = sign_in(client, username)
        assert response.status_code == 302, response.data[:300]
        return client

    return make


def browser_sign_in(page, base_url: str, username: str = "coord",
                    password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, as a person does."""
    page.goto(base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture(scope="session")
def live_url(app) -> Iterator[str]:
    """The app served in-process on 127.0.0.1 (a random free port) by waitress, as ``genera
    serve`` serves it, for the browser and the HTTP tests."""
    from dash_app.server import make_server

    server = make_server(app, "127.0.0.1", 0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@contextlib.contextmanager
def served(store: str, home: Path, *extra: str) -> Iterator[str]:
    """``genera serve --no-warm`` on a store (its accounts must exist), in a child process on
    a free port of 127.0.0.1, as a user runs it; yields its URL. ``home`` holds its keys."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / f"serve-{port}.log"
    log = log_path.open("w")
    env = {**os.environ, "HOME": str(home), "GENERA_SECRET_KEY": "ab" * 32}
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from genera_graph.cli import main; "
         "sys.exit(main(sys.argv[1:]))", "--store", store, "serve", "--no-warm",
         "--port", str(port), *extra],
        stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("genera serve did not start: " + log_path.read_text()[-2000:])
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def page_ready(page, name: str, timeout: int) -> None:
    """Wait until a page's main content has been drawn by its callbacks: the map's nodes, the
    overview's or actor page's first chart, or any other page's first grid row."""
    from playwright.sync_api import expect

    if name == "map":
        page.wait_for_function(
            "() => { const el = document.getElementById('map-graph');"
            " return el && el._generaMap && el._generaMap.nodes().length > 0; }", timeout=timeout)
    elif name in ("overview", "actor"):
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=timeout)
    else:  # a row with data (a grid paged by the server shows loading rows first)
        expect(page.locator(".ag-row:not(.ag-row-loading)").first).to_be_visible(
            timeout=timeout)
    page.wait_for_timeout(300)  # let the last paint settle for the screenshot


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small district imported into a store, once per test module (copy it to write)."""
    from genera_graph.io.store import Store

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    with Store(path) as store:
        assert store.import_dataset(small_district()).ok
    return path


@pytest.fixture
def as_viewer(app, template: Path, tmp_path: Path):
    """``as_viewer(role, point)``: the app reads and writes a fresh copy of the small district's
    store as that viewer, inside a request context (restored afterwards)."""
    import shutil

    from dash_app.data import CONFIG_KEY, DataAccess, Viewer
    from genera_graph.io.store import Store

    path = tmp_path / "genera.sqlite"
    shutil.copy(template, path)
    saved = app.server.config[CONFIG_KEY]
    contexts = []

    def use(role: str = "facilitator", point: str | None = "CP01") -> Store:
        viewer = Viewer(role=role, community_point_id=point, user_id=f"u-{role}-{point}")
        app.server.config[CONFIG_KEY] = DataAccess(str(path), viewer)
        ctx = app.server.test_request_context("/")
        ctx.push()
        contexts.append(ctx)
        return Store(path)

    yield use
    for ctx in reversed(contexts):
        ctx.pop()
    app.server.config[CONFIG_KEY] = saved
