"""A facilitator's explorer in headless Chromium: ``genera serve --role facilitator
--community-point CP02`` run as a user runs it (its own process, reading a store), and no page
shows a household or a person of the other point (CP01), by id or by name.

Screenshots go to ``test-artefacts/screenshots/facilitator_*.png``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from genera_graph.io.store import Store
from tests.app.conftest import XSS_NAME, page_ready, small_district

pytestmark = pytest.mark.browser

POINT = "CP02"
WAIT = 45_000  # a cold page on a loaded machine takes tens of seconds


def _other_point_texts() -> tuple[set[str], set[str]]:
    """Ids and names of the other point's households and people (its associations and staff
    stay visible to every viewer: they are not the people the scoping protects)."""
    actors = small_district().actors
    other = actors[actors["community_point_id"].eq("CP01")
                   & actors["kind"].isin(["household", "individual"])]
    assert XSS_NAME in set(other["name"])
    return set(other["actor_id"]), set(other["name"])


def _own_point_names() -> set[str]:
    actors = small_district().actors
    mine = actors[actors["community_point_id"].eq(POINT) & actors["kind"].isin(
        ["household", "individual"])]
    return set(mine["name"])


@pytest.fixture(scope="module")
def facilitator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``genera serve`` for a facilitator of CP02, in a child process on a free port."""
    store_path = tmp_path_factory.mktemp("facilitator") / "genera.sqlite"
    with Store(store_path) as store:
        assert store.import_dataset(small_district()).ok
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = store_path.with_suffix(".log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from genera_graph.cli import main; "
         "sys.exit(main(sys.argv[1:]))", "--store", str(store_path), "serve",
         "--role", "facilitator", "--community-point", POINT, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("genera serve did not start: "
                                + store_path.with_suffix(".log").read_text()[-2000:])
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _ready(page: Page, name: str) -> None:
    page_ready(page, name, WAIT)


@pytest.mark.parametrize("name,path", [
    ("overview", "/"), ("map", "/map"), ("isolation", "/isolation"), ("bridges", "/bridges"),
    ("communities", "/communities"), ("report", "/report")])
def test_no_page_shows_the_other_points_people(page: Page, facilitator_url: str, screenshots,
                                               name: str, path: str):
    other_ids, other_names = _other_point_texts()
    page.set_default_timeout(WAIT)
    page.goto(facilitator_url + path)
    _ready(page, name)
    page.screenshot(path=str(screenshots / f"facilitator_{name}.png"), full_page=True)
    body = page.inner_text("body")
    assert "Facilitatore · punto CP02" in body
    shown = {text for text in other_names if text in body}
    if name == "map":  # the map draws its labels on a canvas: ask Cytoscape for them
        labels = page.evaluate("() => document.getElementById('map-graph')._cyreg.cy.nodes()"
                               ".map(n => [n.id(), String(n.data('label') || '')])")
        assert labels, "the facilitator's map is empty"
        shown |= {i for i, _ in labels if i in other_ids}
        shown |= {lab for _, lab in labels if lab in other_names}
    assert not shown, f"{name} shows people of the other point"
    if name in ("isolation", "bridges"):
        grid_text = " ".join(page.locator(".ag-center-cols-container").all_inner_texts())
        assert any(n in grid_text for n in _own_point_names()), "own point's people missing"
        assert not {i for i in other_ids if f"\t{i}\t" in f"\t{grid_text}\t"}


def test_actor_page_of_the_other_point_is_not_found(page: Page, facilitator_url: str,
                                                    screenshots):
    page.set_default_timeout(WAIT)
    page.goto(facilitator_url + "/actor/H01")  # Famiglia Rossi, of CP01
    expect(page.get_by_text("Attore non trovato", exact=False)).to_be_visible()
    page.screenshot(path=str(screenshots / "facilitator_actor_other_point.png"))
    assert "Famiglia Rossi" not in page.inner_text("body")
    page.goto(facilitator_url + "/actor/H05")  # Famiglia Neri, of CP02: visible
    expect(page.get_by_text("Famiglia Neri").first).to_be_visible()
