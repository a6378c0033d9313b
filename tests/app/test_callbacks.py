"""The explorer's callbacks called as plain functions (``dash.callback`` returns the function),
inside a request context of the session's app, on the small hand-made district."""

from __future__ import annotations

import csv
import io
import re
import sys

import pytest

ALL_NATURES = ["peer", "professional", "institutional"]
WHOLE = "2016-02-01|2019-02-01"  # the whole programme in the period dropdowns
XSS_NAME = "<img src=x onerror=alert(1)>"  # as in conftest.small_district
FORMULA_NAME = "=HYPERLINK(\"http://x\")"
DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def pg(name: str):
    return sys.modules[f"dash_app.pages.{name}"]


def read_csv(payload: dict) -> list[list[str]]:
    return list(csv.reader(io.StringIO(payload["content"].removeprefix("\ufeff")),
                           delimiter=";"))


def test_every_page_is_registered(app):
    import dash

    paths = {p["path"] for p in dash.page_registry.values()}
    assert {"/", "/map", "/isolation", "/bridges", "/communities", "/report"} <= paths
    templates = {p.get("path_template") for p in dash.page_registry.values()}
    assert "/actor/<actor_id>" in templates


def test_every_page_answers_over_http(signed_in):
    client = signed_in("coord")
    for path in ("/", "/map", "/isolation", "/bridges", "/communities", "/report",
                 "/actor/H03", "/actor/UNKNOWN"):
        assert client.get(path).status_code == 200, path


def test_no_cdn_in_the_index(signed_in):
    html = signed_in("coord").get("/").data.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/assets/bootstrap.min.css" in html


def _column(table, name: str) -> list[int]:
    """A column of whole numbers of the overview's table, read back from its Italian texts
    (``1.557``); an empty cell is ``None``."""
    at = [h["text"] for h in table.head].index(name)
    return [int(row[at].replace(".", "")) if row[at] else None for row in table.rows]


def test_overview_figures_and_table(ctx):
    kpis, growth, peer, table, status = pg("overview").update("all", "it")
    assert len(kpis) == 4 and status == ""
    names = [t["name"] for t in growth.to_dict()["data"]]
    assert names == ["Raggiunti (cumulato)", "Legami attivi", "Legami nuovi", "Legami persi"]
    assert growth.to_dict()["layout"]["xaxis"]["tickformat"] == "%d/%m/%Y"
    # one component (dash_app/plain_table.py), not a Dash component per cell
    assert table.to_plotly_json()["namespace"] == "genera_components"
    assert len(table.rows) == 36  # one row per programme month
    assert [h["text"] for h in table.head][:2] == ["Mese", "Raggiunti"]
    assert all(len(row) == len(table.head) == len(table.right) for row in table.rows)
    assert table.rows[0][0] == "01/02/2016" and table.rows[-1][0] == "01/01/2019"
    # each header's ⓘ: the glossary's plain words, and its entry
    from dash_app.glossary import explain

    reach = table.head[1]
    assert reach["note"] == explain("col.reach", "it") != ""
    assert reach["href"] == "/glossary#glo-col.reach"
    # reach never decreases (cumulative)
    reach = _column(table, "Raggiunti")
    assert reach == sorted(reach)


def test_overview_layout_comes_with_the_districts_figures(ctx):
    """The first page's figures come with its layout (one answer less to wait for); its
    callback answers only a change of the view, with the same figures for the district."""
    from dash import dcc

    from dash_app import ids

    tree = pg("overview").layout()
    found = {getattr(c, "id", None): c for c in tree._traverse()}
    _, growth, peer, table, _ = pg("overview").update("all", "it")
    assert found[ids.OV_GROWTH].figure == growth and found[ids.OV_PEER].figure == peer
    assert isinstance(found[ids.OV_GROWTH], dcc.Graph) and growth.to_dict()["data"]
    assert found[ids.OV_GRID].children.rows == table.rows and len(table.rows) == 36
    assert len(found[ids.OV_KPIS].children) == 4


def test_plain_table_writes_each_kind_of_value_as_the_language_does():
    """components.plain_table: dates dd/mm/yyyy, counts with the thousands' dot, shares as
    percentages, yes/no in words, a missing value empty; a text stays as written (React
    draws it as text)."""
    import pandas as pd

    from dash_app.components import plain_table

    frame = pd.DataFrame({"month": pd.to_datetime(["2016-02-01", "2018-12-01"]),
                          "reach": pd.array([1557, None], dtype="Int64"),
                          "peer_share": [0.2345, float("nan")], "flag": [True, False],
                          "note": ["<b>x</b>", "a;b"]})
    it = plain_table(frame, "it")
    assert it.rows == [["01/02/2016", "1.557", "23,4%", "Sì", "<b>x</b>"],
                       ["01/12/2018", "", "", "No", "a;b"]]
    assert it.right == [False, True, True, False, False]
    assert plain_table(frame, "en").rows[0][1:4] == ["1,557", "23.4%", "True"]  # as the grids


def test_overview_point_filter_narrows_reach(ctx):
    table_all = pg("overview").update("all", "it")[3]
    table_cp = pg("overview").update("cp:CP01", "it")[3]
    table_housing = pg("overview").update("programme:housing", "it")[3]
    assert _column(table_cp, "Raggiunti")[-1] < _column(table_all, "Raggiunti")[-1]
    assert (sum(_column(table_housing, "Legami attivi"))
            < sum(_column(table_all, "Legami attivi")))


def test_map_filters(ctx):
    update = pg("map").update_map
    els, stats, label, _legend = update([9, 12], None, None, None, ALL_NATURES, "kind",
                                        "degree", "it")
    edges = [e for e in els if "source" in e["data"]]
    assert edges and "01/11/2016" in label and "31/01/2017" in label
    peer_only, *_ = update([9, 12], None, None, None, ["peer"], "kind", "degree", "it")
    peer_edges = [e for e in peer_only if "source" in e["data"]]
    assert peer_edges and all(e["data"]["nature"] == "peer" for e in peer_edges)
    assert len(peer_edges) < len(edges)
    nothing, *_ = update([9, 12], None, None, None, [], "kind", "degree", "it")
    assert nothing == []
    households, *_ = update([9, 12], None, None, ["household"], ALL_NATURES, "kind",
                            "degree", "it")
    assert {e["data"]["kind"] for e in households if "kind" in e["data"]} == {"household"}


def test_map_names_are_plain_labels(ctx):
    els, *_ = pg("map").update_map([0, 36], None, None, None, ALL_NATURES, "kind", "degree",
                                     "it")
    labels = {e["data"]["id"]: e["data"]["label"] for e in els if "label" in e["data"]}
    assert labels["H03"] == XSS_NAME


def test_map_positions_are_stable_across_periods(ctx):
    update = pg("map").update_map
    a, *_ = update([3, 9], None, None, None, ALL_NATURES, "kind", "degree", "it")
    b, *_ = update([20, 30], None, None, None, ALL_NATURES, "kind", "degree", "it")
    pa = {e["data"]["id"]: e["position"] for e in a if "position" in e}
    pb = {e["data"]["id"]: e["position"] for e in b if "position" in e}
    common = set(pa) & set(pb)
    assert common and all(pa[i] == pb[i] for i in common)


def test_map_panel_of_a_picked_actor(ctx):
    # (the pick itself, a click or the search box, is chosen in the browser: assets/map.js,
    # generaMap.select; tests/app/test_browser.py clicks and searches)
    from dash_app import ids

    children = pg("map").panel("H03", [0, 36], "en")
    assert children[0].children == XSS_NAME  # a text child, never markup
    assert children[3].href == "/actor/H03?from=2016-02-01&to=2019-02-01"  # the period kept
    hint = pg("map").panel(None, [9, 12], "en")
    assert "Click" in hint.children
    # a new period with nobody picked changes nothing, and that is not remembered: clearing
    # the selection later on the same period still shows the hint
    from unittest import mock

    import dash

    with (mock.patch.object(pg("map"), "_trigger", return_value=ids.MAP_RANGE),
          pytest.raises(dash.exceptions.PreventUpdate)):
        pg("map").panel(None, [10, 13], "en")
    assert "Click" in pg("map").panel(None, [10, 13], "en").children
    # the browser asks for [selected, period] (map-panel-key)
    assert pg("map").panel_of(["H03", [0, 36]], "en")[0].children == XSS_NAME


def test_map_download_neutralises_formulas(ctx):
    payload = pg("map").download(1, [0, 36], None, None, None, ALL_NATURES, "it")
    rows = read_csv(payload)
    header, body = rows[0], rows[1:]
    assert "Nome" in header
    cells = [c for r in body for c in r]
    assert "'" + FORMULA_NAME in cells and FORMULA_NAME not in cells
    assert XSS_NAME in cells
    dates = [r[header.index("Dal")] for r in body]
    assert all(DATE_RE.match(d) for d in dates)


def test_isolation_worklist_in_plain_words(ctx):
    every = {"startRow": 0, "endRow": 500, "filterModel": {}, "sortModel": []}
    cols = pg("isolation").columns("it")
    rows = pg("isolation").page(every, None, "flagged", None, None, "it")[0]["rowData"]
    assert rows, "the fixture has households at risk at the programme end"
    assert cols[0]["cellRenderer"] == "markdown"
    assert all(r["link"] == f"[Scheda](/actor/{r['actor_id']})" for r in rows)
    reasons = " ".join(r["reasons"] for r in rows)
    assert "_" not in reasons  # codes such as few_peer_partners never leak
    assert re.search(r"\(\d{2}/\d{2}/\d{4} – \d{2}/\d{2}/\d{4}\)", reasons)
    only_cp02 = pg("isolation").page(every, None, "flagged", ["CP02"], None, "it")[0]["rowData"]
    from dash_app.data import current

    actors = current().actors
    assert {actors.at[r["actor_id"], "community_point_id"] for r in only_cp02} <= {"CP02"}
    assert len(only_cp02) < len(rows)


def test_worklist_download_is_the_whole_filtered_list_formulas_neutralised(ctx, monkeypatch):
    """The download holds every line the controls and the grid's filters let through (not
    one page), with a formula-like name neutralised."""
    from dash_app.data import current

    iso = pg("isolation")
    whole = iso.worklist_frame(current(), None, "flagged", None, None, "it")
    assert len(whole) > 3
    payload = iso.download(1, None, "flagged", None, None, None, "it", "italian")
    body = read_csv(payload)[1:]
    assert len(body) == len(whole)
    name = whole["name"].iloc[1]
    only = {"name": {"filterType": "text", "type": "equals", "filter": name}}
    body = read_csv(iso.download(1, None, "flagged", None, None, only, "it", "italian"))[1:]
    assert [r[2] for r in body] == [n if not n.startswith(("=", "+", "-", "@")) else "'" + n
                                    for n in whole["name"] if n.lower() == name.lower()]
    # a family named like a formula is neutralised in the file
    named = whole.assign(name=[FORMULA_NAME, *whole["name"].iloc[1:]])
    monkeypatch.setattr(iso, "worklist_frame", lambda *args: named)
    cells = [r[2] for r in read_csv(iso.download(1, None, "flagged", None, None, None, "it",
                                                 "italian"))[1:]]
    assert cells[0] == "'" + FORMULA_NAME and FORMULA_NAME not in cells


def test_bridges(ctx):
    cols, rows, fig, _ = pg("bridges").update(WHOLE, "cp", "it")
    assert rows and rows[0]["betweenness"] >= rows[-1]["betweenness"]
    assert fig.to_dict()["data"], "brokerage roles by Community Point"
    result = pg("bridges").what_if("F01", WHOLE, "en")
    text = str(result)
    assert "Fragmentation before" in text and "Components" in text


def test_period_choices_cover_quarters_years_and_the_whole_programme(ctx):
    from dash_app.components import parse_period, period_choices
    from dash_app.data import current

    access = current()
    choices = period_choices(access)
    assert len(choices) == 1 + 3 + 12
    assert parse_period(access, WHOLE) == (access.months()[0], access.months()[-1])
    # unknown: the latest complete quarter of the data (dash_app.state.default_window)
    assert parse_period(access, "nonsense") == (access.months()[30], access.months()[33])


def test_map_draws_at_most_the_strongest_ties(ctx, monkeypatch):
    monkeypatch.setattr(pg("map"), "MAX_DRAWN_TIES", 5)
    els, stats, *_ = pg("map").update_map([0, 36], None, None, None, ALL_NATURES, "kind",
                                          "degree", "it")
    assert len([e for e in els if "source" in e["data"]]) == 5
    assert "disegnati i 5 legami più intensi" in stats


def test_report_headers_are_day_first(ctx):
    cols, rows, _ = pg("report").update("years", "it")
    periods = [c["headerName"] for c in cols[3:]]
    assert len(periods) == 3
    assert all(re.match(r"^\d{2}/\d{2}/\d{4} – \d{2}/\d{2}/\d{4}$", p) for p in periods)
    assert {r["unit"] for r in rows} & {"persone", "nuclei"}
    one, rows_one, _ = pg("report").update("y1", "en")
    assert len(one) == 4 and rows_one[0]["label"]


def test_communities(ctx):
    cols, rows, summary, fig, status = pg("communities").update(WHOLE, "it")
    summary = summary[0]  # then modularity's explanation (an ⓘ)
    assert rows and "comunità" in summary
    assert re.search(r"modularità -?\d,\d{3}$", summary), summary  # a decimal comma
    assert sum(r["size"] for r in rows) >= 6


@pytest.mark.parametrize(("lang", "locale", "decimal"), [("it", "it-IT", ","), ("en", "en-GB", ".")])
def test_numbers_are_written_as_the_language_writes_them(ctx, lang, locale, decimal):
    cols, rows, _fig, _ = pg("bridges").update(WHOLE, "cp", lang)
    by_field = {c["field"]: c for c in cols}
    for field in ("degree", "betweenness", "betweenness_norm"):  # numbers: sorted as numbers
        assert f"'{locale}'" in by_field[field]["valueFormatter"]["function"], field
        assert by_field[field]["filter"] == "agNumberColumnFilter"
    # constraint also holds words (isolated actors): its numbers are text written in lang
    numbers = [r["constraint"] for r in rows if re.fullmatch(r"\d+\D\d+", r["constraint"])]
    assert numbers and all(decimal in n for n in numbers)
    what_if = str(pg("bridges").what_if("F01", WHOLE, lang))
    assert re.search(rf"'\d{re.escape(decimal)}\d{{3}}'", what_if), what_if


def test_actor_page(ctx):
    layout = pg("actor").layout(actor_id="H03")
    assert XSS_NAME in str(layout)
    missing = pg("actor").layout(actor_id="NOPE")
    assert "non trovato" in str(missing)
    fig = pg("actor").update_ego([0, 36], "H03", "it")
    text = [t.get("text") for t in fig.to_dict()["data"] if t.get("text")]
    assert any("&lt;img src=x" in n for names in text for n in names)


def test_downloads_are_semicolon_day_first(ctx):
    payload = pg("overview").download(1, "all", "en")
    rows = read_csv(payload)
    assert rows[0][0] == "Month" and DATE_RE.match(rows[1][0])


@pytest.mark.parametrize("module,function,inputs,states", [
    ("map", "tables", [None, None, None, ALL_NATURES, "kind", "degree"], ["it"]),
    ("map", "redraw", [{"value": [9, 12]}], [None, None, None, ALL_NATURES, "community",
                                             "degree", "it"]),
    ("overview", "update", ["all"], ["it"]),
    ("report", "update", ["years"], ["en"]),
])
def test_callbacks_over_http(app, signed_in, module, function, inputs, states):
    from dash_app.testing import post_callback

    response = post_callback(app, signed_in("coord"), module, function, inputs, states)
    assert response.status_code == 200
    assert response.json["multi"] is True


def test_map_colours_by_community(ctx):
    from dash_app.figures import COMMUNITY_COLOURS

    els, *_ = pg("map").update_map([0, 36], None, None, None, ALL_NATURES, "community",
                                   "degree", "it")
    colours = {e["data"]["colour"] for e in els if "colour" in e["data"]}
    assert len(colours) >= 2 and colours <= set(COMMUNITY_COLOURS) | {"#bbbbbb"}


@pytest.mark.parametrize("colour", ["kind", "cp", "community"])
def test_map_legend_says_what_the_colours_mean(ctx, colour):
    els, *_, legend = pg("map").update_map([0, 36], None, None, None, ALL_NATURES, colour,
                                           "degree", "it")
    text = " ".join(str(part) for item in legend for part in item.children
                    if isinstance(part, str))
    dots = {item.children[0].style["background"] for item in legend
            if len(item.children) == 2 and item.children[0].style["height"] == "10px"}
    drawn = {e["data"]["colour"] for e in els if "colour" in e["data"]}
    assert "tra pari" in text  # the tie natures are always there
    if colour == "kind":
        assert "Famiglia" in text and "comunità" not in text
    elif colour == "cp":
        # the points by name, never by code
        assert "Punto Nord" in text and "Punto Sud" in text and "CP02" not in text
        assert "Famiglia" not in text
        assert drawn <= dots  # every colour on the map is explained
    else:
        assert "comunità 1" in text and "Famiglia" not in text
        assert drawn - {"#bbbbbb"} <= dots


def test_a_well_connected_familys_partners_are_one_plain_table(ctx, monkeypatch):
    """Above EGO_NAMED partners (here lowered to 1: the small district has no family with
    30), components.partner_list gives the partners, most contacts first, as one PlainTable
    of texts: a name is drawn as written, never read as HTML."""
    from dash_app.components import partner_list, period_choices
    from dash_app.data import current
    from dash_app.plain_table import PlainTable

    monkeypatch.setattr("dash_app.figures.EGO_NAMED", 1)
    access = current()
    value, start, end = period_choices(access)[0]
    tables = []
    for h in access.actors.index[access.actors["kind"] == "household"]:
        box = partner_list(access, h, start, end, "it")
        if box is not None:
            tables.append(next(c for c in box._traverse() if isinstance(c, PlainTable)))
    assert tables
    for table in tables:
        assert [h["text"] for h in table.head] == ["Con", "Natura", "Conteggio",
                                                   "Ultimo contatto"]
        assert len(table.rows) > 1
        counts = [int(row[2].replace(".", "")) for row in table.rows]
        assert counts == sorted(counts, reverse=True)
    names = {row[0] for table in tables for row in table.rows}
    assert access.name_of("H03") in names  # "<img src=x onerror=...>", as written
