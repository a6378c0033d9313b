"""The standalone HTML map: offline, and every name rendered as text (statically and in Chromium)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from genera_graph.exports.html import vis_network_assets, write_html_map

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "exports"


@pytest.fixture
def map_path(nodes, spell_edges, event_edges, tmp_path, hostile):
    import pandas as pd

    edges = pd.concat([spell_edges, event_edges], ignore_index=True)
    return write_html_map(nodes, edges, tmp_path / "map.html", title=f"Map of {hostile}",
                          color_by="kind", size_by="members")


def _graph_data(html: str) -> dict:
    match = re.search(
        r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.DOTALL
    )
    assert match is not None
    return json.loads(match.group(1))


def test_no_remote_resource(map_path):
    html = map_path.read_text(encoding="utf-8")
    # no element loads anything from elsewhere (src=, href=, CSS url()/@import)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"@import", html, re.IGNORECASE)
    assert "<link" not in html.lower()
    # every script is inline
    assert re.findall(r"<script[^>]*\bsrc\b", html, re.IGNORECASE) == []
    assert "default-src 'none'" in html
    # and vis-network is really inlined
    js, _ = vis_network_assets()
    assert js[:2000] in html


class _Tags(HTMLParser):
    """The start tags of a page, as an HTML parser (script content is raw text) sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_hostile_label_never_appears_as_markup(map_path, hostile):
    html = map_path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    parser.close()
    # the page has exactly the elements of the template: the name adds none
    assert "img" not in parser.tags
    assert parser.tags.count("script") == 3
    assert hostile not in html  # never raw, anywhere
    data = json.loads(parser.scripts[1])
    node = next(n for n in data["nodes"] if n["id"] == "X999")
    assert node["label"] == hostile
    assert node["title"].startswith(hostile)
    # in the title and heading it is escaped text
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_graph_data_matches_tables(map_path, nodes, spell_edges, event_edges):
    data = _graph_data(map_path.read_text(encoding="utf-8"))
    assert [n["id"] for n in data["nodes"]] == nodes["id"].tolist()
    pairs = {(e["from"], e["to"]) for e in data["edges"]}
    want = set(zip(spell_edges["source"], spell_edges["target"], strict=True))
    want |= set(zip(event_edges["source"], event_edges["target"], strict=True))
    assert pairs == want
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["A010"] == max(sizes.values()) and sizes["F003"] == min(sizes.values())
    colors = {n["id"]: n["color"] for n in data["nodes"]}
    assert colors["H001"] == colors["H002"] != colors["A010"]


def test_bad_arguments(nodes, spell_edges, tmp_path):
    with pytest.raises(ValueError, match="height"):
        write_html_map(nodes, spell_edges, tmp_path / "m.html", title="t",
                       height="1px;}</style><script>")
    with pytest.raises(ValueError, match="unknown node column"):
        write_html_map(nodes, spell_edges, tmp_path / "m.html", title="t", color_by="nope")
    with pytest.raises(ValueError, match="numeric"):
        write_html_map(nodes, spell_edges, tmp_path / "m.html", title="t", size_by="kind")


@pytest.mark.browser
def test_in_headless_chromium(map_path, nodes, hostile, browser):
    """Open the file from disk: no dialog, no injected <img>, nodes drawn, tooltip is text."""
    dialogs: list[str] = []
    errors: list[str] = []
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(map_path.as_uri())
        page.wait_for_function("window.generaMapReady === true", timeout=20_000)
        drawn = page.evaluate(
            "Object.keys(window.generaNetwork.body.nodes)"
            ".filter(k => !k.startsWith('edgeId:')).length"
        )
        assert drawn == len(nodes)
        assert page.locator("img").count() == 0
        assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
        assert page.title() == f"Map of {hostile}"
        assert page.locator("h1").inner_text() == f"Map of {hostile}"
        # hover the hostile node: its tooltip shows the name literally
        box = page.locator("#map").bounding_box()
        where = page.evaluate(
            "(() => { const n = window.generaNetwork;"
            " return n.canvasToDOM(n.getPositions(['X999'])['X999']); })()"
        )
        page.mouse.move(box["x"] + where["x"] + 20, box["y"] + where["y"] + 20)
        page.mouse.move(box["x"] + where["x"], box["y"] + where["y"])
        tooltip = page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=10_000)
        assert tooltip.inner_text().splitlines()[0] == hostile
        # text only: innerText turns line breaks into <br>, and nothing else
        assert tooltip.evaluate(
            "el => [...el.querySelectorAll('*')].every(c => c.tagName === 'BR')"
        )
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "html_map_hover.png"))
        page.wait_for_timeout(300)
    finally:
        page.close()
    assert dialogs == []
    assert errors == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
