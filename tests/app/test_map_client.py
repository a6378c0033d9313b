"""The map's time slider sums its windows in the browser (``assets/map.js``, from the parts of
:func:`dash_app.pages.map.map_tables`): the browser's map of a window is the server's
(:func:`dash_app.pages.map.update_map`, from the window view), element for element, with the
same summary line; and what the browser is sent holds only what the viewer may see."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import Page

from dash_app.testing import post_callback
from tests.app.conftest import small_district

pytestmark = pytest.mark.browser
SETTLED = "() => !document.querySelector('[data-dash-is-loading=\"true\"]')"

MAP_JS = Path(__file__).resolve().parents[2] / "dash_app" / "assets" / "map.js"
ALL = ["peer", "professional", "institutional"]
#: filters (programmes, points, kinds, natures, colour, size) and windows compared
FILTERS = [
    (None, None, None, ALL, "kind", "degree"),
    (None, None, None, ["peer"], "cp", "strength"),
    (["housing"], None, None, ALL, "kind", "none"),
    (None, ["CP01"], ["household", "association"], ["professional", "peer"], "cp", "degree"),
    (None, None, None, [], "kind", "degree"),
]
WINDOWS = [[9, 12], [0, 36], [35, 36], [0, 1], [20, 30], [33, 36], [2, 3]]


def _cases(access, windows=WINDOWS, filters=FILTERS) -> list[dict]:
    """For each filter set: the parts sent to the browser and the server's map of each
    window (elements, summary line, period)."""
    page = sys.modules["dash_app.pages.map"]
    out = []
    with mock.patch.object(page, "current", return_value=access):
        for f in filters:
            tables = page.map_tables(access, *f[:4], f[4], f[5], "it")
            want = [page.update_map.__wrapped__(w, *f, "it")[:3] for w in windows]
            out.append({"tables": json.loads(json.dumps(tables)), "windows": windows,
                        "want": want})
    return out


def _compare(page: Page, cases: list[dict]) -> list:
    """Differences between the browser's windows and the server's (empty when equal)."""
    page.goto("about:blank")
    page.add_script_tag(path=str(MAP_JS))
    return page.evaluate("""(cases) => {
        const M = window.generaMap, out = [];
        const key = e => JSON.stringify(e);
        cases.forEach((c, ci) => c.windows.forEach((w, wi) => {
            const [els, stats, label] = c.want[wi];
            const drawn = M.windowMap(c.tables, w[0], w[1]);
            const [s, l] = M.texts(c.tables, w[0], w[1], drawn);
            const want = new Map(els.map(e => [e.data.id, key(e)]));
            const got = new Map(drawn.elements.map(e => [e.data.id, key(e)]));
            const diff = [...want].filter(([k, v]) => got.get(k) !== v).map(([k]) => k)
                .concat([...got.keys()].filter(k => !want.has(k)));
            if (diff.length || s !== stats || l !== label) {
                out.push([ci, w, diff.slice(0, 3), s, stats, l, label]);
            }
        }));
        return out;
    }""", cases)


def test_the_browsers_windows_are_the_servers_on_the_small_district(ctx, page: Page):
    from dash_app.data import current

    access = current()
    cases = _cases(access, windows=[[0, 36], [4, 5], [4, 8], [8, 12], [0, 12], [10, 36]])
    drawn = [e for c in cases for w in c["want"] for e in w[0]]
    assert any("source" in e["data"] for e in drawn)  # ties compared, not only empty maps
    assert _compare(page, cases) == []


@pytest.mark.slow
def test_the_browsers_windows_are_the_servers_on_the_sample_district(app, page: Page):
    """The sample district (1,557 actors; a quarter holds more ties than are drawn, so the
    strongest-ties cut is compared too)."""
    from dash_app.data import DataAccess, memo
    from genera_graph.sample import generate_district

    memo.clear()
    access = DataAccess(generate_district(2016).dataset)
    with app.server.test_request_context("/"):
        cases = _cases(access)
    capped = [w[1] for c in cases for w in c["want"] if "·" in w[1].split("·", 1)[1]]
    assert capped, "no window beyond the drawn ties' cut"
    assert _compare(page, cases) == []


def _households(point: str) -> tuple[set[str], set[str]]:
    actors = small_district().actors
    mine = actors[actors["community_point_id"].eq(point)
                  & actors["kind"].isin(["household", "individual"])]
    return set(mine["actor_id"]), set(mine["name"])


@pytest.mark.parametrize("colour", ["kind", "cp"])
def test_a_facilitator_is_sent_no_other_points_family(app, signed_in, colour):
    """The parts a facilitator of CP02 is sent for the map hold no household or person of
    CP01, by id or by name; a coordinator's hold them (so the check can fail)."""
    from tests.app.test_roles_over_http import _found

    inputs = [None, None, None, ALL, colour, "degree"]
    ids, names = _households("CP01")
    answer = post_callback(app, signed_in("fac02"), "map", "tables", inputs, ["it"])
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    data = answer.json["response"]["map-tables"]["data"]
    assert data["mode"] == "client" and data["units"]["id"]  # something was sent
    assert not _found(text, ids, names)
    coordinator = post_callback(app, signed_in("coord"), "map", "tables", inputs, ["it"])
    assert _found(coordinator.get_data(as_text=True), ids, names)


def test_a_step_of_the_slider_keeps_the_zoom_and_sends_nothing(page: Page, live_url):
    """A step of the slider is drawn in the browser: no request to the server, the map stays
    where the person zoomed it, and the drawing holds the new window's actors (as many as the
    summary line counts)."""
    import re

    from playwright.sync_api import expect

    from tests.app.conftest import browser_sign_in, page_ready

    page.set_default_timeout(45_000)
    browser_sign_in(page, live_url, "coord")
    page.goto(live_url + "/map?from=2016-02-01&to=2019-02-01")
    page_ready(page, "map", 45_000)
    zoom = page.evaluate("() => { const m = document.getElementById('map-graph')._generaMap;"
                         " m.zoomTo(m.zoom() * 2); return m.zoom(); }")
    drawn = page.evaluate("() => document.getElementById('map-graph')._generaMap.nodes().length")
    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    stats = page.locator("#map-stats")
    before = stats.inner_text()
    handle = page.locator("#map-range [role=slider]").last
    handle.focus()
    for _ in range(6):  # half a year less: fewer actors
        handle.press("ArrowLeft")
    expect(stats).not_to_have_text(before)
    page.wait_for_timeout(600)
    after = page.evaluate("() => document.getElementById('map-graph')._generaMap.zoom()")
    assert after == pytest.approx(zoom)
    assert [u for u in posts if "_dash-update-component" in u] == []
    counted = int(re.match(r"[\d.]+", stats.inner_text()).group(0).replace(".", ""))
    now = page.evaluate("() => document.getElementById('map-graph')._generaMap.nodes().length")
    assert now == counted and 0 < now <= drawn


def test_the_map_zooms_pans_and_saves_as_png(page: Page, live_url):
    """The canvas map answers a person: the wheel zooms in around the pointer (the actor under
    it stays there), a drag pans, a tap on an actor selects it, and the PNG button downloads
    the drawing."""
    from playwright.sync_api import expect

    from tests.app.conftest import browser_sign_in, page_ready

    page.set_default_timeout(45_000)
    browser_sign_in(page, live_url, "coord")
    page.goto(live_url + "/map?from=2016-02-01&to=2019-02-01")
    page.set_viewport_size({"width": 1366, "height": 900})
    page_ready(page, "map", 45_000)
    page.wait_for_function(SETTLED)
    page.wait_for_timeout(500)  # the controls above the map drawn: it no longer moves
    page.locator("#map-graph").evaluate("el => el.scrollIntoView({behavior: 'instant'})")
    scrolled = page.evaluate("() => window.scrollY")
    box = page.locator("#map-graph canvas").bounding_box()
    m = "document.getElementById('map-graph')._generaMap"
    at = page.evaluate(f"() => {m}.rendered('H01')")
    zoom = page.evaluate(f"() => {m}.zoom()")
    page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
    page.mouse.wheel(0, -200)
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.scrollY") == scrolled  # the wheel zoomed, not scrolled
    assert page.evaluate(f"() => {m}.zoom()") > zoom * 1.2
    still = page.evaluate(f"() => {m}.rendered('H01')")
    assert still["x"] == pytest.approx(at["x"], abs=1) and still["y"] == pytest.approx(
        at["y"], abs=1)
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 80, box["y"] + 60, steps=5)
    page.mouse.up()
    moved = page.evaluate(f"() => {m}.rendered('H01')")
    assert moved["x"] == pytest.approx(at["x"] + 60, abs=1)
    assert moved["y"] == pytest.approx(at["y"] + 40, abs=1)
    page.mouse.click(box["x"] + moved["x"], box["y"] + moved["y"])
    expect(page.locator("#map-panel h5")).to_have_text("Famiglia Rossi")
    assert page.evaluate(f"() => {m}.classes('H01')")[:1] == ["chosen"]
    with page.expect_download() as download:
        page.locator("#map-png").click()
    path = download.value.path()
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(head[16:20], "big")
    assert width == pytest.approx(2 * box["width"], abs=4)
