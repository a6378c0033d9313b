"""The explorer as a person uses it, in headless Chromium at 1366x900 and 390x844: map names
never overlap, one period across pages, the play button, a phone's layout, print. Screenshots
go to ``test-artefacts/screenshots/`` (``usability-*.png``)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.app.conftest import browser_sign_in, page_ready

expect.set_options(timeout=45_000)

pytestmark = pytest.mark.browser

WAIT = 45_000  # a loaded machine renders a cold page in tens of seconds
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

#: the names as drawn on the map's canvas: [id, x1, y1, x2, y2, font px] (screen pixels; the
#: box of the drawn letters, outline included, measured when they are drawn: assets/map.js)
LABEL_BOXES = "() => document.getElementById('map-graph')._generaMap.labelBoxes()"


def _overlaps(boxes: list) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                out.append((a[0], b[0]))
    return out


@pytest.fixture()
def desktop(browser: Browser, live_url: str) -> Page:
    """A coordinator signed in at 1366x900."""
    context = browser.new_context(viewport=DESKTOP, locale="it-IT")
    page = context.new_page()
    page.set_default_timeout(WAIT)
    browser_sign_in(page, live_url, "coord")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


@pytest.fixture()
def phone(browser: Browser, live_url: str) -> Page:
    """A coordinator signed in on a 390x844 phone."""
    context = browser.new_context(viewport=PHONE, locale="it-IT", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    browser_sign_in(page, live_url, "coord")
    yield page
    context.close()


def _wait_labels(page: Page) -> list:
    page.wait_for_function("() => { const el = document.getElementById('map-graph');"
                           " return el && el._generaMap && el._generaMap.labelBoxes().length"
                           " > 0; }", timeout=WAIT)
    page.wait_for_timeout(300)
    return page.evaluate(LABEL_BOXES)


def test_map_names_never_overlap_at_any_zoom(desktop, live_url, screenshots):
    page = desktop
    page.goto(live_url + "/map?from=2016-02-01&to=2019-02-01")
    page_ready(page, "map", WAIT)
    boxes = _wait_labels(page)
    n_nodes = page.evaluate("() => document.getElementById('map-graph')._generaMap"
                            ".nodes().length")
    assert 0 < len(boxes) <= n_nodes
    assert _overlaps(boxes) == []
    page.screenshot(path=str(screenshots / "usability-map-names.png"))
    sizes = {round(b[5]) for b in boxes}
    for zoom in (3.0, 0.6):
        page.evaluate(f"() => {{ const m = document.getElementById('map-graph')._generaMap;"
                      f" const n = m.nodes().sort((a, b) => a.rank - b.rank)[0];"
                      f" m.zoomTo({zoom}, n); }}")
        page.wait_for_timeout(400)
        zoomed = page.evaluate(LABEL_BOXES)
        assert zoomed and _overlaps(zoomed) == [], zoom
        # the names keep their size on screen (no giant text when zoomed in)
        assert {round(b[5]) for b in zoomed} == sizes, zoom
    page.screenshot(path=str(screenshots / "usability-map-names-zoomed.png"))
    assert page.errors == []


def test_the_selected_actor_is_always_named(desktop, live_url):
    page = desktop
    page.goto(live_url + "/map?from=2016-02-01&to=2019-02-01")
    page_ready(page, "map", WAIT)
    page.locator("#map-search").click()
    page.locator(".dash-dropdown-search").fill("Gialli")
    page.get_by_role("option").filter(has_text="Gialli").first.click()
    expect(page.locator("#map-panel h5")).to_have_text("Famiglia Gialli")
    page.wait_for_function("() => document.getElementById('map-graph')._generaMap"
                           ".classes('H06').includes('labelled')", timeout=WAIT)
    assert _overlaps(page.evaluate(LABEL_BOXES)) == []
    # highlighted by classes in the browser (assets/map.js): the family, its partners, its
    # ties; everything else faded
    marks = page.evaluate("""() => {
        const m = document.getElementById('map-graph')._generaMap;
        const has = (id, c) => m.classes(id).includes(c);
        const ties = m.edges(), own = ties.filter(e => e.source === 'H06' || e.target === 'H06');
        const partners = new Set(own.map(e => e.source === 'H06' ? e.target : e.source));
        const others = m.nodes().filter(n => n.id !== 'H06' && !partners.has(n.id));
        return [has('H06', 'chosen'), partners.size > 0
                && [...partners].every(p => has(p, 'partner')),
                own.every(e => has(e.id, 'own')),
                // the other ties fade, and any actor not a partner (in the small district,
                // over the whole period, every drawn actor may be the family's partner: no
                // other node is left to fade)
                ties.some(e => has(e.id, 'faded') && !has(e.id, 'own'))
                && others.every(n => has(n.id, 'faded')),
                [...partners].filter(p => has(p, 'faded')).length];
    }""")
    assert marks == [True, True, True, True, 0]


def test_one_period_across_pages_and_in_the_address(desktop, live_url, screenshots):
    page = desktop
    page.goto(live_url + "/map?from=2017-05-01&to=2017-08-01&cp=CP02")
    page_ready(page, "map", WAIT)
    expect(page.locator("#map-range-label")).to_contain_text("01/05/2017")
    page.locator("#nav-collapse").get_by_role("link", name="Ponti").click()
    expect(page).to_have_url(re.compile(r"/bridges\?from=2017-05-01&to=2017-08-01&cp=CP02"))
    expect(page.locator("#br-range")).to_contain_text("01/05/2017 – 31/07/2017")
    page.locator("#nav-collapse").get_by_role("link", name="Isolamento").click()
    expect(page.locator("#iso-as-of")).to_contain_text("31/07/2017")
    expect(page.locator("#iso-cp")).to_contain_text("Punto Sud")
    page.screenshot(path=str(screenshots / "usability-period-kept.png"))
    # a new choice on one page is the period of the others
    page.locator("#iso-as-of").click()
    page.get_by_role("option", name="31/10/2017").click()
    expect(page).to_have_url(re.compile(r"from=2017-08-01&to=2017-11-01"))
    page.locator("#nav-collapse").get_by_role("link", name="Mappa").click()
    expect(page.locator("#map-range-label")).to_contain_text("01/08/2017", timeout=WAIT)
    assert page.errors == []


def test_play_grows_the_map_month_by_month(desktop, live_url):
    page = desktop
    page.goto(live_url + "/map")
    page_ready(page, "map", WAIT)
    page.locator("#map-play").click()
    label = page.locator("#map-range-label")
    expect(label).to_contain_text("dal 01/02/2016 al 29/02/2016", timeout=WAIT)
    ends = []
    for _ in range(3):  # the end moves forward, one month at a time, from the start
        page.wait_for_function("(prev) => { const t = document.getElementById("
                               "'map-range-label').innerText; return t !== prev; }",
                               arg=label.inner_text(), timeout=WAIT)
        text = label.inner_text()
        assert text.startswith("dal 01/02/2016 al ")
        day, month, year = text.rsplit(" ", 1)[-1].split("/")
        ends.append((int(year), int(month)))
    assert ends == sorted(ends) and len(set(ends)) == 3
    page.locator("#map-play").click()  # stop
    page.wait_for_timeout(2000)
    stopped = label.inner_text()
    page.wait_for_timeout(2000)
    assert label.inner_text() == stopped
    assert page.errors == []


def test_the_worklist_count_follows_the_grid_filter(desktop, live_url, screenshots):
    page = desktop
    page.goto(live_url + "/isolation?from=2018-11-01&to=2019-02-01")
    page_ready(page, "isolation", WAIT)
    count = page.locator("#iso-count")
    expect(count).to_contain_text(re.compile(r"^\d+ famigli[ae] segnalat[ae]$"))
    total = int(count.inner_text().split()[0])
    name_filter = page.get_by_role("textbox", name="Nome Filtro")
    name_filter.fill("zzz-nobody")
    expect(count).to_contain_text(f"0 famiglie segnalate (su {total}")
    name_filter.fill("")
    page.locator('.ag-row .ag-cell[col-id="status"]').first.click()
    expect(page.locator("#iso-details")).to_contain_text("Facilitatore", timeout=WAIT)
    # "Priorità" says what it means: the (i) header's tooltip
    page.locator('.ag-header-cell.explained[col-id="urgency"]').hover()
    expect(page.locator(".ag-tooltip")).to_contain_text("contattare")
    page.screenshot(path=str(screenshots / "usability-worklist.png"), full_page=True)


def test_the_worklist_grid_asks_the_server_for_its_pages(desktop, live_url, screenshots):
    """The worklist's rows never come whole: the grid asks the server for a page (AG Grid's
    infinite row model); sorting by a column asks again, sorted there; another list (the
    page's controls) empties the grid's pages and asks again; in English too."""
    page = desktop
    asked: list[dict] = []

    def record(request) -> None:
        if "/_dash-update-component" in request.url and request.post_data:
            body = json.loads(request.post_data)
            if "getRowsResponse" in str(body.get("output")):
                asked.append(body["inputs"][0]["value"])
            assert "iso-grid.rowData" not in str(body.get("output"))

    page.on("request", record)
    page.goto(live_url + "/isolation?from=2018-11-01&to=2019-02-01")
    page_ready(page, "isolation", WAIT)
    assert asked and asked[0]["startRow"] == 0 and asked[0]["endRow"] == 20
    names = page.locator('.ag-center-cols-container .ag-row [col-id="name"]')
    shown = names.all_inner_texts()
    assert len(shown) >= 2, shown
    # sorted by name on the server: the grid asks with its sort model
    page.locator('.ag-header-cell[col-id="name"] .ag-header-cell-label').click()
    expect(names.first).to_have_text(sorted(shown, key=str.lower)[0], timeout=WAIT)
    assert [(m["colId"], m["sort"]) for m in asked[-1]["sortModel"]] == [("name", "asc")]
    page.locator('.ag-header-cell[col-id="name"] .ag-header-cell-label').click()
    expect(names.first).to_have_text(sorted(shown, key=str.lower)[-1], timeout=WAIT)
    # another list: the pages held are dropped and the first one asked for again
    with page.expect_request(lambda r: "getRowsResponse" in (r.post_data or ""),
                             timeout=WAIT):
        page.locator("#iso-mode").get_by_text("peggiorate di recente", exact=True).click()
    assert asked[-1]["startRow"] == 0
    expect(page.locator("#iso-count")).to_have_text(
        re.compile(r"^\d+ famigli[ae] segnalat[ae]$"), timeout=WAIT)
    page.screenshot(path=str(screenshots / "usability-worklist-warning.png"), full_page=True)
    page.locator("#iso-mode").get_by_text("tutte le isolate o a rischio", exact=True).click()
    expect(page.locator("#iso-count")).to_have_text(f"{len(shown)} famiglie segnalate",
                                                    timeout=WAIT)
    page.get_by_text("EN", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Households to follow"))).to_be_visible(
        timeout=WAIT)
    page_ready(page, "isolation", WAIT)
    expect(page.locator("#iso-count")).to_have_text(f"{len(shown)} households flagged",
                                                    timeout=WAIT)
    page.locator('.ag-center-cols-container .ag-row [col-id="status"]').first.click()
    expect(page.locator("#iso-details")).to_contain_text("Facilitator", timeout=WAIT)
    page.screenshot(path=str(screenshots / "usability-worklist-en.png"), full_page=True)
    page.get_by_text("IT", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Famiglie da seguire"))).to_be_visible(
        timeout=WAIT)
    assert page.errors == []


def test_the_worklist_on_a_phone_in_english(phone, live_url, screenshots):
    page = phone
    page.goto(live_url + "/isolation?from=2018-11-01&to=2019-02-01")
    expect(page.locator("#iso-list li").first).to_be_visible(timeout=WAIT)
    expect(page.locator("#iso-list-count")).to_contain_text("famiglie segnalate")
    page.locator("#nav-toggle").click()
    page.get_by_text("EN", exact=True).click()
    expect(page.locator("#iso-list-count")).to_contain_text("households flagged",
                                                            timeout=WAIT)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    line = page.locator("#iso-list li").first.inner_text()
    assert "peer contact" in line, line
    page.screenshot(path=str(screenshots / "usability-phone-isolation-en.png"),
                    full_page=True)
    # the page reloaded in English: let its first callbacks finish before the next choice
    # (in the whole suite a click sent while they were still running was lost, twice)
    page.wait_for_load_state("networkidle")
    page.locator("#nav-toggle").click()
    expect(page.locator("#nav-collapse")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_text("IT", exact=True).click()
    expect(page.locator("#iso-list-count")).to_contain_text("famiglie segnalate",
                                                            timeout=WAIT)


@pytest.mark.parametrize("path", ["/", "/map", "/isolation", "/bridges", "/report",
                                  "/actor/H01", "/glossary"])
def test_a_phone_never_scrolls_sideways(phone, live_url, screenshots, path):
    page = phone
    page.goto(live_url + path)
    name = {"/": "overview", "/actor/H01": "actor"}.get(path, path.strip("/"))
    if name == "isolation":
        expect(page.locator("#iso-list li").first).to_be_visible(timeout=WAIT)
    elif name == "glossary":
        expect(page.locator("dl").first).to_be_visible(timeout=WAIT)
    else:
        page_ready(page, name, WAIT)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (path, width)
    # the navigation folds behind its button
    assert not page.get_by_role("link", name="Rapporto").is_visible()
    # no chart's toolbar lies over its title (a touch screen shows it without hovering)
    assert page.evaluate("() => [...document.querySelectorAll('.modebar-container')]"
                         ".every(e => getComputedStyle(e).display === 'none')"), path
    page.screenshot(path=str(screenshots / f"usability-phone-{name}.png"), full_page=True)
    if path == "/":
        page.locator("#nav-toggle").click()
        expect(page.get_by_role("link", name="Rapporto")).to_be_visible()
        page.screenshot(path=str(screenshots / "usability-phone-menu.png"))


def test_the_report_prints_without_the_controls(desktop, live_url, screenshots):
    page = desktop
    page.goto(live_url + "/report")
    page_ready(page, "report", WAIT)
    rows = ("() => document.querySelectorAll('#rep-grid .ag-center-cols-container"
            " .ag-row').length")
    total = page.evaluate("() => { let n = 0;"
                          " dash_ag_grid.getApi('rep-grid').forEachNode(() => n++); return n; }")
    drawn = page.evaluate(rows)
    assert 0 < drawn < total  # on screen AG Grid draws only the rows in view
    page.emulate_media(media="print")
    # what the browser's print runs first (assets/print.js): every row drawn
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(f"() => ({rows})() === {total}", timeout=WAIT)
    assert not page.locator(".navbar").is_visible()
    assert not page.get_by_role("button", name="Scarica", exact=True).is_visible()
    assert not page.locator("select[id$='-format']").first.is_visible()
    expect(page.locator(".ag-row").first).to_be_visible()
    page.screenshot(path=str(screenshots / "usability-report-print.png"), full_page=True)
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    page.wait_for_function(f"() => ({rows})() < {total}", timeout=WAIT)


def test_the_date_pickers_speak_the_pages_language(browser: Browser, live_url, screenshots):
    """The record forms' calendar named its months and days in English on an Italian page
    (Dash's picker follows the browser's languages): it follows the page's language, here
    in a browser set to English (assets/date_locale.js)."""
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browser_sign_in(page, live_url, "coord")
    page.goto(live_url + "/record")
    months_it = "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|" \
                "ottobre|novembre|dicembre"
    # the shown form's (the other tabs' pickers are in the page, hidden)
    picker = page.locator(".tab-pane.active input.dash-datepicker-input").first
    picker.click()
    calendar = page.locator("body")
    # (the page's text runs together: "gg/mm/aaaagennaio...", no word boundaries)
    expect(calendar).to_contain_text(re.compile(months_it))
    expect(calendar).to_contain_text(re.compile(r"lun\s*mar\s*mer\s*gio\s*ven\s*sab\s*dom"))
    page.screenshot(path=str(screenshots / "usability-date-picker-it.png"))
    page.locator("#lang-switch").get_by_text("EN").click()
    page.wait_for_url(re.compile(".*"))
    expect(page.locator("#react-entry-point [lang=en]")).to_have_count(1)
    page.locator(".tab-pane.active input.dash-datepicker-input").first.click()
    expect(calendar).to_contain_text(re.compile(r"January|February|March|April|May|June|"
                                                r"July|August|September|October|November|"
                                                r"December"))
    assert not re.search(months_it, page.inner_text("body"))
    context.close()
    assert errors == []


@pytest.mark.parametrize("width", [DESKTOP["width"], PHONE["width"]])
@pytest.mark.parametrize("partners", [8, 16, 30])
def test_an_ego_networks_names_never_overlap_nor_leave_the_drawing(browser: Browser,
                                                                     screenshots, width,
                                                                     partners):
    """A family's personal network (dash_app.figures.ego_figure) drawn by plotly in
    Chromium, at a laptop's and a phone's width: the names drawn (every partner's up to
    30) never overlap and stay inside the drawing (spread round the circle they met at the
    top and bottom, and on a phone ran off its edges: "amiglia Fittizia 091")."""
    from pathlib import Path

    import pandas as pd
    import plotly.io as pio

    import dash_app
    from dash_app.figures import ego_figure

    ids = ["H000"] + [f"H{i:03d}" for i in range(1, partners + 1)]
    nodes = pd.DataFrame({"name": [f"Famiglia Fittizia {i:03d}" for i in range(len(ids))],
                          "kind": "household", "ego": [True] + [False] * partners},
                         index=ids)
    edges = pd.DataFrame({"a": "H000", "b": ids[1:], "weight": 1.0,
                          "nature": ["peer", "professional"] * (partners // 2)})
    figure = pio.to_json(ego_figure(nodes, edges, "it", height=420))
    plotly_js = Path(dash_app.__file__).parent / "assets" / "vendor" / "plotly-basic.min.js"
    # the figure in its column: half the laptop's width, the whole phone's
    column = width // 2 if width > 500 else width - 24
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_content(f'<div id="ego" style="width:{column}px"></div>')
    page.add_script_tag(path=str(plotly_js))
    page.evaluate("f => { const g = JSON.parse(f); "
                  "return Plotly.newPlot('ego', g.data, g.layout); }", figure)
    boxes = page.evaluate("""() => {
        const out = [], frame = document.getElementById('ego').getBoundingClientRect();
        for (const t of document.querySelectorAll('#ego .textpoint text')) {
            if (!t.textContent) continue;
            const r = t.getBoundingClientRect();
            out.push([t.textContent, r.left, r.top, r.right, r.bottom]);
        }
        return {boxes: out, frame: [frame.left, frame.top, frame.right, frame.bottom]};
    }""")
    page.screenshot(path=str(screenshots / f"usability-ego-{partners}-{width}.png"))
    context.close()
    drawn = boxes["boxes"]
    assert len(drawn) == (partners + 1 if partners <= 30 else 1)
    assert _overlaps([[n, x1, y1, x2, y2] for n, x1, y1, x2, y2 in drawn]) == []
    left, top, right, bottom = boxes["frame"]
    outside = [n for n, x1, y1, x2, y2 in drawn
               if x1 < left - 1 or x2 > right + 1 or y1 < top - 1 or y2 > bottom + 1]
    assert outside == []
