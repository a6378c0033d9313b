"""The explorer in headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright): every
page renders, the date slider moves the map, a click opens an actor, the language switches, and
no actor name is ever rendered as HTML. Screenshots go to ``test-artefacts/screenshots/``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.app.conftest import browser_sign_in, page_ready

pytestmark = pytest.mark.browser

XSS_NAME = "<img src=x onerror=alert(1)>"  # as in conftest.small_district
PAGES = {"overview": "/", "map": "/map", "isolation": "/isolation", "bridges": "/bridges",
         "communities": "/communities", "report": "/report", "actor": "/actor/H03"}
WAIT = 45_000  # a cold page on a loaded machine takes tens of seconds
ENGLISH_IN_ITALIAN = ["Overview", "CSV for R and pandas", "Bridging actors", "Monitoring report",
                      "Relationship map", "Households to follow", "Communities of the network"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900},
            "locale": "it-IT"}


@pytest.fixture()
def watched(page: Page, live_url):
    """The page, signed in as a coordinator, with every dialog and console error recorded
    (and dialogs dismissed)."""
    events = {"dialogs": [], "errors": []}

    def on_dialog(dialog):
        events["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: m.type == "error" and events["errors"].append(m.text))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.set_default_timeout(WAIT)
    browser_sign_in(page, live_url, "coord")
    return page, events


def _ready(page: Page, name: str) -> None:
    page_ready(page, name, WAIT)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_in_italian(watched, live_url, screenshots, name):
    page, events = watched
    page.goto(live_url + PAGES[name])
    _ready(page, name)
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    body = page.inner_text("body")
    assert not [w for w in ENGLISH_IN_ITALIAN if w in body]
    assert "Panoramica" in body and "Mappa" in body  # the navigation
    assert events["dialogs"] == [] and events["errors"] == []


def test_map_slider_moves_the_period(watched, live_url, screenshots):
    page, events = watched
    page.goto(live_url + "/map")
    _ready(page, "map")
    label = page.locator("#map-range-label")
    before = label.inner_text()
    handle = page.locator("#map-range [role=slider]").last
    handle.focus()
    handle.press("ArrowRight")  # one step: the label then changes exactly once
    expect(label).not_to_have_text(before, timeout=WAIT)
    expect(page.locator("#map-stats")).to_contain_text(label.inner_text())
    page.screenshot(path=str(screenshots / "map-slider.png"), full_page=True)
    assert events["errors"] == []


def test_map_legend_follows_the_colouring(watched, live_url, screenshots):
    page, events = watched
    page.goto(live_url + "/map")
    _ready(page, "map")
    legend = page.locator("#map-legend")
    expect(legend).to_contain_text("Famiglia")
    page.locator("#map-colour").get_by_text("Punto di Comunità", exact=True).click()
    expect(legend).to_contain_text("Punto Sud", timeout=WAIT)
    expect(legend).not_to_contain_text("Famiglia")
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / "map-by-point.png"), full_page=True)
    assert events["errors"] == []


def test_clicking_an_actor_opens_its_panel(watched, live_url, screenshots):
    page, events = watched
    page.goto(live_url + "/map")
    _ready(page, "map")
    box = page.locator("#map-graph").bounding_box()
    point = page.evaluate(
        "() => document.getElementById('map-graph')._generaMap.rendered('H01')")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    panel = page.locator("#map-panel")
    # (the name is in the heading and, once plotly has drawn, in the network's chart too)
    expect(panel.locator("h5")).to_have_text("Famiglia Rossi", timeout=WAIT)
    expect(panel.locator(".js-plotly-plot")).to_be_visible(timeout=WAIT)
    page.screenshot(path=str(screenshots / "map-click.png"), full_page=True)
    panel.get_by_text("Apri la scheda").click()
    # the family page opens on the map's period (in its address)
    expect(page).to_have_url(re.compile(re.escape(live_url + "/actor/H01?from=")), timeout=WAIT)
    expect(page.locator("h3")).to_have_text("Famiglia Rossi")
    assert events["errors"] == []


def test_language_switch(watched, live_url, screenshots):
    page, events = watched
    page.goto(live_url + "/")
    _ready(page, "overview")
    expect(page.get_by_role("heading", name="Panoramica del distretto")).to_be_visible()
    page.get_by_text("EN", exact=True).click()
    expect(page.get_by_role("heading", name="District overview")).to_be_visible(timeout=WAIT)
    _ready(page, "overview")
    expect(page.get_by_role("link", name="Map", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshots / "overview-en.png"), full_page=True)
    page.get_by_text("IT", exact=True).click()
    expect(page.get_by_role("heading", name="Panoramica del distretto")).to_be_visible(
        timeout=WAIT)
    assert events["errors"] == []


def test_names_are_never_rendered_as_html(watched, live_url, screenshots):
    page, events = watched
    # the actor page's title, the map's side panel (picked by the name search), a table
    page.goto(live_url + "/actor/H03")
    expect(page.locator("h3")).to_have_text(XSS_NAME)
    page.goto(live_url + "/map")
    _ready(page, "map")
    page.locator("#map-search").click()
    page.locator(".dash-dropdown-search").fill("onerror")
    page.get_by_role("option").filter(has_text="onerror").first.click()
    expect(page.locator("#map-panel h5")).to_have_text(XSS_NAME, timeout=WAIT)
    # drawn as text (on two lines, as a long name beside the circle is: no space between
    # them in the text), never as an element
    first, _, second = XSS_NAME.partition(" onerror")
    expect(page.locator("#map-panel .js-plotly-plot")).to_contain_text(
        first + "onerror" + second)
    assert page.locator("#map-panel .js-plotly-plot img").count() == 0
    page.screenshot(path=str(screenshots / "xss-map-panel.png"), full_page=True)
    page.goto(live_url + "/bridges")
    page.locator("#br-range").click()
    page.get_by_role("option").filter(has_text="Tutto il programma").first.click()
    # the hostile individual may be on a later page of the grid: filter the name column
    name_header = page.locator('.ag-header-cell[col-id="name"]').first
    expect(name_header).to_be_visible(timeout=WAIT)
    column = name_header.get_attribute("aria-colindex")
    page.locator(f'.ag-floating-filter[aria-colindex="{column}"] input').fill("onerror")
    expect(page.locator(".ag-cell").get_by_text(XSS_NAME, exact=True).first).to_be_visible(
        timeout=WAIT)
    page.screenshot(path=str(screenshots / "xss-bridges.png"), full_page=True)
    assert page.locator("img[src='x']").count() == 0
    assert events["dialogs"] == []


def test_numbers_are_written_with_the_decimal_comma(watched, live_url, screenshots):
    page, events = watched
    page.goto(live_url + PAGES["bridges"])
    _ready(page, "bridges")
    cells = page.locator('.ag-row .ag-cell[col-id="betweenness_norm"]').all_inner_texts()
    assert cells and all(re.fullmatch(r"\d+(,\d+)?", c) for c in cells), cells
    assert any("," in c for c in cells), cells
    page.screenshot(path=str(screenshots / "bridges_numbers.png"))
    assert events["errors"] == []


def test_overview_table_is_one_plain_table(watched, live_url, screenshots):
    """The overview's monthly series is a plain table drawn by one component
    (dash_app/plain_table.py): a row per month in Italian formats, every header with its ⓘ to
    the glossary, a box a keyboard can scroll; and the page loads no grid at all."""
    page, events = watched
    page.goto(live_url + "/")
    _ready(page, "overview")
    box = page.get_by_role("region", name="Serie mensile")
    expect(box.locator("tbody tr").first).to_be_visible()
    heads = box.locator("thead th").all_inner_texts()
    assert heads[0] == "Mese" and len(heads) > 5, heads
    rows = box.locator("tbody tr")
    assert rows.count() > 3
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert len(cells) == len(heads) and re.fullmatch(r"\d\d/\d\d/\d{4}", cells[0]), cells
        assert all(re.fullmatch(r"|\d{1,3}(\.\d{3})*|\d+,\d%", c) for c in cells[1:]), cells
    links = box.locator("thead a.explain-i")
    assert links.count() >= len(heads) - 1
    assert all(h.startswith("/glossary#glo-col.")
               for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    assert box.get_attribute("tabindex") == "0"
    assert page.locator(".ag-root").count() == 0
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "overview-table.png"), full_page=True)
    assert events["errors"] == []
