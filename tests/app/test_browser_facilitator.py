"""A facilitator's explorer in headless Chromium: ``genera serve`` run as a user runs it (its
own process, reading a store), a facilitator of CP02 signed in, and no page shows a household
or a person of the other point (CP01), by id or by name.

Screenshots go to ``test-artefacts/screenshots/facilitator_*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from genera_graph.io.store import Store
from tests.app.conftest import (
    XSS_NAME,
    add_accounts,
    browser_sign_in,
    page_ready,
    served,
    small_district,
)

pytestmark = pytest.mark.browser

POINT = "CP02"
WAIT = 60_000  # a cold server on a busy machine: the first page computes its tables


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
    """``genera serve`` on a store with accounts, in a child process on a free port; the tests
    sign in as the facilitator of CP02 (the role comes from the account)."""
    folder = tmp_path_factory.mktemp("facilitator")
    store_path = folder / "genera.sqlite"
    with Store(store_path) as store:
        assert store.import_dataset(small_district()).ok
        add_accounts(store)
    with served(str(store_path), folder / "home") as url:
        yield url


@pytest.fixture()
def fac_page(page: Page, facilitator_url: str) -> Page:
    page.set_default_timeout(WAIT)
    browser_sign_in(page, facilitator_url, "fac02")
    return page


def _ready(page: Page, name: str) -> None:
    page_ready(page, name, WAIT)


@pytest.mark.parametrize("name,path", [
    ("overview", "/"), ("map", "/map"),
    # a period that holds a CP02 family at risk (H04 on 30/04/2018): the default period, the
    # latest complete quarter, has none, and the grid must show the point's own families
    ("isolation", "/isolation?from=2018-02-01&to=2018-05-01"), ("bridges", "/bridges"),
    ("communities", "/communities"), ("report", "/report")])
def test_no_page_shows_the_other_points_people(fac_page: Page, facilitator_url: str,
                                               screenshots, name: str, path: str):
    page = fac_page
    other_ids, other_names = _other_point_texts()
    page.goto(facilitator_url + path)
    _ready(page, name)
    page.screenshot(path=str(screenshots / f"facilitator_{name}.png"), full_page=True)
    body = page.inner_text("body")
    assert "Facilitatore · Punto Sud" in body
    shown = {text for text in other_names if text in body}
    if name == "map":  # the map draws its labels on a canvas: ask the drawing for them
        labels = page.evaluate("() => document.getElementById('map-graph')._generaMap.nodes()"
                               ".map(n => [n.id, String(n.label || '')])")
        assert labels, "the facilitator's map is empty"
        shown |= {i for i, _ in labels if i in other_ids}
        shown |= {lab for _, lab in labels if lab in other_names}
    assert not shown, f"{name} shows people of the other point"
    if name in ("isolation", "bridges"):
        grid_text = " ".join(page.locator(".ag-center-cols-container").all_inner_texts())
        assert any(n in grid_text for n in _own_point_names()), "own point's people missing"
        assert not {i for i in other_ids if f"\t{i}\t" in f"\t{grid_text}\t"}


def test_actor_page_of_the_other_point_is_not_found(fac_page: Page, facilitator_url: str,
                                                    screenshots):
    page = fac_page
    page.goto(facilitator_url + "/actor/H01")  # Famiglia Rossi, of CP01
    expect(page.get_by_text("Attore non trovato", exact=False)).to_be_visible()
    page.screenshot(path=str(screenshots / "facilitator_actor_other_point.png"))
    assert "Famiglia Rossi" not in page.inner_text("body")
    page.goto(facilitator_url + "/actor/H05")  # Famiglia Neri, of CP02: visible
    expect(page.get_by_text("Famiglia Neri").first).to_be_visible()
