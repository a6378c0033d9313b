"""Usability of the explorer, called as functions on the small district: one period across
pages (query string, latest complete quarter by default), the worklist one line per family,
explanations for every metric, "what if this actor leaves" naming who is cut off."""

from __future__ import annotations

import re
import sys
from collections import deque
from datetime import timedelta

import dash
import pandas as pd
import pytest

WHOLE = "2016-02-01|2019-02-01"


def pg(name: str):
    return sys.modules[f"dash_app.pages.{name}"]


def _find(component, component_id):
    """The component of a layout with this id (depth first), or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def test_pages_open_on_the_latest_complete_quarter(ctx, district):
    from dash_app import ids
    from dash_app.data import current

    access = current()
    months = access.months()
    # independently: the last recorded fact, then the last three-month step ending before it
    last = max(district.interactions["date"].max(), district.participations["date"].max(),
               district.relations["start_date"].max(), district.relations["end_date"].max())
    ends = [k for k in range(3, len(months), 3) if pd.Timestamp(months[k]) - pd.Timedelta(
        days=1) <= last]
    lo, hi = ends[-1] - 3, ends[-1]
    assert (lo, hi) == (30, 33)
    assert _find(pg("map").layout(), ids.MAP_RANGE).value == [lo, hi]
    assert _find(pg("actor").layout(actor_id="H01"), ids.ACT_RANGE).value == [lo, hi]
    expected = f"{months[lo].isoformat()}|{months[hi].isoformat()}"
    assert _find(pg("bridges").layout(), ids.BR_RANGE).value == expected
    assert _find(pg("communities").layout(), ids.COM_RANGE).value == expected
    as_of = _find(pg("isolation").layout(), ids.ISO_AS_OF).value
    assert as_of == (months[hi] - timedelta(days=1)).isoformat()


def test_a_link_opens_the_same_view_on_every_page(ctx):
    from dash_app import ids

    query = {"from": "2017-05-01", "to": "2017-08-01", "cp": "CP02,CP99", "programme": "work"}
    layout = pg("map").layout(**query)
    assert _find(layout, ids.MAP_RANGE).value == [15, 18]
    assert _find(layout, ids.MAP_CP).value == ["CP02"]  # an unknown point is dropped
    assert _find(layout, ids.MAP_PROGRAMME).value == ["work"]
    assert _find(pg("bridges").layout(**query), ids.BR_RANGE).value == "2017-05-01|2017-08-01"
    assert _find(pg("isolation").layout(**query), ids.ISO_AS_OF).value == "2017-07-31"
    assert _find(pg("isolation").layout(**query), ids.ISO_CP).value == ["CP02"]
    assert _find(pg("actor").layout(actor_id="H04", **query), ids.ACT_RANGE).value == [15, 18]
    # a period the menus do not offer: the offered quarter holding its last day
    odd = {"from": "2017-06-01", "to": "2017-07-01"}
    assert _find(pg("communities").layout(**odd), ids.COM_RANGE).value == "2017-05-01|2017-08-01"
    # nonsense in the query never breaks a page
    assert _find(pg("map").layout(**{"from": "x", "to": "<b>"}), ids.MAP_RANGE).value == [30, 33]


def test_a_facilitators_link_keeps_only_their_point(district):
    from dash_app import state
    from dash_app.data import DataAccess, Viewer

    access = DataAccess(district, Viewer(role="facilitator", community_point_id="CP02"))
    allowed = {cp for cp, _ in access.community_points()}
    assert state.codes({"cp": "CP01,CP02"}, "cp", allowed) == ["CP02"]


#: the grid's first request (AG Grid's infinite row model): every row, no filter, no sort
ALL_ROWS = {"startRow": 0, "endRow": 500, "filterModel": {}, "sortModel": []}


def _page(request=None, as_of=None, mode="flagged", cps=None, facilitators=None, lang="it"):
    """The rows and count the worklist grid gets for a request."""
    response, count = pg("isolation").page(request or ALL_ROWS, as_of, mode, cps,
                                           facilitators, lang)
    return response, count


def test_the_worklist_is_one_line_per_family(ctx):
    from dash_app.data import current

    cols = pg("isolation").columns("it")
    shown = [c["field"] for c in cols if not c.get("hide")]
    assert shown == ["link", "urgency", "name", "status", "main_reason",
                     "days_since_peer_contact", "last_follow_up", "days_without_followup"]
    assert not any(c.get("wrapText") for c in cols)  # one line each
    response, _ = _page()
    rows = response["rowData"]
    status = pg("isolation").overview(None, "flagged", None, None, "it")[0]
    assert rows and status == "" and response["rowCount"] == len(rows)
    assert len({r["actor_id"] for r in rows}) == len(rows)
    # the main reason in a few words, the full reasons in the tooltip and details
    main = next(c for c in cols if c["field"] == "main_reason")
    assert main["tooltipField"] == "reasons"
    from dash_app.i18n import TRANSLATIONS, t

    short = {t(k, "it"): k.rsplit(".", 1)[-1] for k in TRANSLATIONS
             if k.startswith("reason.short.")}
    for r in rows:  # the main reason is the first of the full reasons, in fewer words
        code = short[r["main_reason"]]
        assert r["reasons"].startswith(t(f"reason.{code}", "it")), r
        assert len(r["main_reason"]) <= 20
    # priority: isolated first, then the longest without a peer contact
    assert [r["urgency"] for r in rows] == list(range(1, len(rows) + 1))
    isolated = [r["status"] == "isolata" for r in rows]
    assert isolated == sorted(isolated, reverse=True)
    # the whole list behind the pages (the download's): every line says what it was a
    # quarter earlier, and its days since the last peer contact agree with the date
    frame = pg("isolation").worklist_frame(current(), None, "flagged", None, None, "it")
    assert frame["actor_id"].tolist() == [r["actor_id"] for r in rows]
    assert frame["previous_status"].astype(bool).all()
    day = pd.Timestamp("2019-01-31")  # no as_of: the latest worklist day
    for r in frame.itertuples():
        if pd.notna(r.last_peer_contact):
            assert r.days_since_peer_contact == (day - pd.Timestamp(r.last_peer_contact)).days


def test_the_worklist_explains_priority_and_an_empty_list(ctx):
    cols = pg("isolation").columns("it")
    urgency = next(c for c in cols if c["field"] == "urgency")
    assert urgency["headerName"] == "Priorità" and "contattare" in urgency["headerTooltip"]
    response, count = _page(facilitators=["NOBODY"])
    status = pg("isolation").overview(None, "flagged", None, ["NOBODY"], "it")[0]
    assert response == {"rowData": [], "rowCount": 0} and count == "0 famiglie segnalate"
    assert "nessuna famiglia" in str(status) and "filtri" in str(status)
    # the "recently worsened" list says what it lists when it is empty
    for day in ("2016-04-30", "2019-01-31"):
        response, _ = _page(as_of=day, mode="warning")
        status = pg("isolation").overview(day, "warning", None, None, "it")[0]
        if not response["rowData"]:
            assert "peggiorata" in str(status) and "tutte le isolate" in str(status)
    # the grid's own filters leave nothing: the count says so and how to see them again
    nobody = {**ALL_ROWS, "filterModel": {"name": {"filterType": "text", "type": "contains",
                                                   "filter": "zzz-nobody"}}}
    response, count = _page(nobody)
    total = _page()[0]["rowCount"]
    assert response["rowCount"] == 0
    assert count.startswith(f"0 famiglie segnalate (su {total}") and "svuotali" in count


def test_the_count_follows_the_grids_filters_with_plurals(ctx):
    everyone, count = _page()
    total = everyone["rowCount"]
    assert count == f"{total} famiglie segnalate"
    name = everyone["rowData"][-1]["name"]  # one family's name, in capitals: no case
    named = {**ALL_ROWS, "filterModel": {"name": {"filterType": "text", "type": "contains",
                                                  "filter": name.upper()}}}
    response, count = _page(named)
    expected = [r for r in everyone["rowData"] if name.lower() in r["name"].lower()]
    assert [r["actor_id"] for r in response["rowData"]] == [r["actor_id"] for r in expected]
    n = len(expected)
    assert 0 < n < total
    word = "1 famiglia segnalata" if n == 1 else f"{n} famiglie segnalate"
    assert count == f"{word} (su {total}: filtri della tabella attivi)"
    assert pg("isolation").count_text(1, 1, "en") == "1 household flagged"


def test_the_worklist_pages_server_side(ctx):
    """Each request gets only its rows, from the whole list the server filters and sorts
    (an independent check: the same list filtered and sorted by hand)."""
    whole = _page()[0]["rowData"]
    pages = [_page({**ALL_ROWS, "startRow": s, "endRow": s + 3})[0] for s in
             range(0, len(whole), 3)]
    assert all(p["rowCount"] == len(whole) and len(p["rowData"]) <= 3 for p in pages)
    assert [r for p in pages for r in p["rowData"]] == whole
    # sorted by days without a peer contact, most first (never: last, as AG Grid does)
    request = {**ALL_ROWS, "sortModel": [{"colId": "days_since_peer_contact",
                                          "sort": "desc"}],
               "filterModel": {"days_since_peer_contact": {
                   "filterType": "number", "type": "greaterThan", "filter": 30}}}
    got = [r["actor_id"] for r in _page(request)[0]["rowData"]]
    kept = [r for r in whole if r["days_since_peer_contact"] is not None
            and r["days_since_peer_contact"] > 30]
    kept.sort(key=lambda r: -r["days_since_peer_contact"])  # stable: ties in priority order
    assert got == [r["actor_id"] for r in kept] and got
    # a status sorts by severity, not alphabetically (isolata before a rischio)
    request = {**ALL_ROWS, "sortModel": [{"colId": "status", "sort": "asc"}]}
    statuses = [r["status"] for r in _page(request)[0]["rowData"]]
    assert statuses == sorted(statuses, key=lambda s: s != "isolata")
    # a forged request: no answer, never an error or someone else's rows
    from dash.exceptions import PreventUpdate

    for forged in (None, "all", {"startRow": -1, "endRow": 5}, {"startRow": 0},
                   {**ALL_ROWS, "filterModel": ["name"]}, {**ALL_ROWS, "sortModel": "name"}):
        with pytest.raises(PreventUpdate):
            _page(forged) if forged is not None else pg("isolation").page(
                None, None, "flagged", None, None, "it")
    # a page is at most 500 rows, whatever is asked
    from dash_app.data.rows import MAX_PAGE, page_bounds

    assert page_bounds({"startRow": 0, "endRow": 10**9}, 10**6) == (0, MAX_PAGE)


def test_a_worklist_line_opens_its_details(ctx):
    row = _page()[0]["rowData"][0]
    block = pg("isolation").details({"rowId": row["actor_id"], "rowIndex": 0}, None,
                                    "flagged", None, None, "it")
    text = str(block)
    assert row["name"] in text and "Facilitatore" in text
    for reason in row["reasons"].split("; "):
        assert reason in text
    # an id that is not a line of the list gets the hint, not its details
    for forged in ({"rowId": "NOPE"}, {"rowIndex": 0}, None, "H01"):
        assert pg("isolation").details(forged, None, "flagged", None, None, "it") == \
            "Clicca una riga per vedere tutte le ragioni con le date."


def test_every_explained_header_has_its_explanation(ctx):
    from dash_app.glossary import ENTRIES, SECTIONS, explain

    cols, _, _, _ = pg("bridges").update(WHOLE, "cp", "it")
    explained = {c["field"]: c for c in cols if c.get("headerClass") == "explained"}
    for field in ("betweenness", "constraint", "effective_size", "cut_vertex", "degree"):
        assert explain(f"col.{field}", "it") in explained[field]["headerTooltip"]
    listed = {k for _, keys in SECTIONS for k in keys}
    assert listed == set(ENTRIES)  # the glossary page lists every explanation
    page = str(pg("glossary").layout())
    for key in ENTRIES:
        assert explain(key, "it")[:40] in page
    assert "Burt 1992" in page and "Gould e Fernandez 1989" in page


@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_raw_code_reaches_the_glossary(ctx, lang):
    from dash_app.glossary import ENTRIES, explain

    for key in ENTRIES:
        assert "_" not in explain(key, lang), key


def _main_component(edges: list[tuple[str, str]], nodes: set[str]) -> set[str]:
    """The largest connected set of ``nodes`` (of two as large, the one holding the smallest
    id), by breadth-first search, independently of igraph."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in edges:
        if a in nodes and b in nodes:
            neighbours[a].add(b)
            neighbours[b].add(a)
    seen: set[str] = set()
    parts: list[set[str]] = []
    for start in nodes:
        if start in seen:
            continue
        part, todo = {start}, deque([start])
        while todo:
            for m in neighbours[todo.popleft()] - part:
                part.add(m)
                todo.append(m)
        seen |= part
        parts.append(part)
    return min(parts, key=lambda p: (-len(p), min(p))) if parts else set()


def test_what_if_names_who_would_be_cut_off(ctx):
    from dash_app.components import period_choices
    from dash_app.data import current

    access = current()
    checked = 0
    for value, start, end in period_choices(access):
        graph = access.bridge_view(start, end).igraph()
        names = set(graph.vs["name"])
        edges = [(graph.vs[e.source]["name"], graph.vs[e.target]["name"]) for e in graph.es]
        table = access.bridging(start, end)
        if not len(table):
            continue
        for actor in table.index[table["cut_vertex"].astype(bool)]:
            before = _main_component(edges, names) - {actor}
            after = _main_component(edges, names - {actor})
            expected = before - after
            cut = access.what_if(actor, start, end)["cut_off"]
            assert set(cut) == expected, (value, actor)
            if expected and not checked:
                text = str(pg("bridges").what_if(actor, value, "it"))
                assert "Resterebbero fuori" in text and access.name_of(cut[0]) in text
            checked += bool(expected)
    assert checked, "some cut vertex of some period cuts someone off the main network"


def test_any_actor_of_the_table_can_be_picked(ctx):
    from dash_app import ids

    cols, rows, _, _ = pg("bridges").update(WHOLE, "cp", "it")
    options = {o["value"] for o in _find(pg("bridges").layout(), ids.BR_ACTOR).options}
    assert {r["actor_id"] for r in rows} <= options  # individuals included
    # a click as AG Grid sends it once the table is sorted: the line's place on the screen
    # (rowIndex 0) is not its place in the data; the grid names the line by its actor
    grid = _find(pg("bridges").layout(), ids.BR_GRID)
    assert grid.getRowId == "params.data.actor_id"
    clicked = {"rowIndex": 0, "rowId": rows[5]["actor_id"], "colId": "name", "value": "x"}
    assert pg("bridges").pick(clicked, rows) == rows[5]["actor_id"] != rows[0]["actor_id"]
    assert pg("bridges").pick({"rowIndex": 0, "rowId": "forged"}, rows) is dash.no_update


def test_brokerage_by_programme_has_words_not_codes(ctx):
    _, _, fig, _ = pg("bridges").update(WHOLE, "programme", "it")
    data = fig.to_dict()["data"]
    assert data, "brokerage by programme is not empty on the whole programme"
    groups = {g for trace in data for g in trace["y"]}  # down the side: names stay readable
    assert groups <= {"Abitare", "Lavoro", "Giovani", "Comunità", "Idee"}, groups


def test_a_facilitator_sees_every_point_by_name(as_viewer):
    """A facilitator's brokerage chart groups by every Community Point: the others' points
    were drawn as codes (CP02...) because only the viewer's own were looked up by name. A
    point is a public office: named for everyone (its families stay unnamed)."""
    as_viewer("facilitator", "CP01")
    _, _, fig, _ = pg("bridges").update(WHOLE, "cp", "it")
    groups = {g for trace in fig.to_dict()["data"] for g in trace["y"]}
    assert "Punto Sud" in groups and not any(g.startswith("CP") for g in groups), groups
    from dash_app.forms import points

    assert [o["label"] for o in points(pg("bridges").current(), "it")] == ["Punto Nord"]


def test_a_facilitators_pages_say_their_figures_are_their_points(app, district):
    from dash_app.components import scope_note
    from dash_app.data import DataAccess, Viewer
    from dash_app.pages.overview import group_options

    access = DataAccess(district, Viewer(role="facilitator", community_point_id="CP02"))
    # the point by its name, never its code
    assert "riguardano Punto Sud:" in scope_note(access, "it").children
    assert "organizzazioni" in scope_note(access, "it").children  # counted district-wide
    assert group_options(access, "it")[0]["label"] == "Il mio punto: Punto Sud"
    assert "distretto" in scope_note(DataAccess(district, Viewer()), "it").children


def test_key_figures_are_written_the_italian_way(ctx):
    kpis, *_ = pg("overview").update("all", "it")
    values = [card.children.children.children[1].children for card in kpis]
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", values[0]), values  # thousands with a dot
    assert re.fullmatch(r"\d+\s?%|–", values[2]), values  # the peer share as a percentage
    from genera_graph.l10n import format_integer

    assert format_integer(1557, "it") == "1.557"  # what a large district's card shows


def test_report_amounts_are_in_euro_and_grids_group_thousands(ctx):
    cols, rows, _ = pg("report").update("years", "it")
    assert "EUR" not in {r["unit"] for r in rows}
    numbers = [c for c in cols if c.get("filter") == "agNumberColumnFilter"]
    assert numbers and all("useGrouping: 'always'" in c["valueFormatter"]["function"]
                           for c in numbers)


def test_the_report_downloads_as_xlsx_with_number_cells(ctx):
    import base64
    import io

    import openpyxl

    payload = pg("report").download_xlsx(1, "years", "it")
    assert payload["filename"].endswith(".xlsx") and payload["base64"]
    ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"]))).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Area", "Indicatore", "Unità"]
    numbers = [c for row in ws.iter_rows(min_row=2, min_col=4) for c in row
               if c.value is not None]
    assert numbers and all(c.data_type == "n" for c in numbers)
    texts = [c for row in ws.iter_rows(min_row=2, max_col=3) for c in row if c.value]
    assert texts and all(c.data_type == "s" for c in texts)


def test_page_titles_follow_the_language(app):
    """The browser tab's title is in the viewer's language on every page (it was Italian
    whatever the language: register_page had fixed Italian titles)."""
    import dash

    from dash_app.i18n import LANG_COOKIE

    titles = {}
    for lang in ("it", "en"):
        with app.server.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}={lang}"}):
            titles[lang] = {p["module"].rsplit(".", 1)[-1]: p["title"]()
                            for p in dash.page_registry.values()}
    assert titles["it"]["map"] == "genera_azioni · Mappa"
    assert titles["en"]["map"] == "genera_azioni · Map"
    assert titles["en"]["report"] == "genera_azioni · Report"
    assert titles["it"]["audit"] == "genera_azioni · Registro accessi"
    assert titles["en"]["audit"] == "genera_azioni · Audit log"
    for page in titles["it"]:
        assert titles["it"][page] != titles["en"][page], page
    assert len(set(titles["en"].values())) == len(titles["en"])  # one title per page


@pytest.mark.parametrize("lang", ["it", "en"])
def test_every_dropdown_speaks_the_language(app, as_viewer, lang):
    """Every menu's own texts (its search box, "no options found") are in the viewer's
    language: the record page's, the correction form's and the introductions' menus were
    built without them and said "Search" in the Italian explorer."""
    from dash import dcc, html

    from dash_app import editing, introductions
    from dash_app.data import current
    from dash_app.i18n import DROPDOWN_LABELS, LANG_COOKIE

    as_viewer("coordinator", None)
    with app.server.test_request_context("/", headers={"Cookie": f"{LANG_COOKIE}={lang}"}):
        access = current()
        trees = [pg(name).layout() for name in ("overview", "map", "isolation", "bridges",
                                                "communities", "report", "introductions")]
        trees += [pg("record").layout(tab=tab) for tab in ("contact", "attendance")]
        trees += [pg("actor").layout(actor_id="H01")]
        family = next(h for h in ("H01", "H02", "H03", "H04", "H05", "H06")
                      if not access.suggested_introductions(access.as_of_dates()[-1], h)[0]
                      .empty)
        trees += [html.Div(introductions.panel(access, family, lang))]
        saved = pg("record").SAVES["contact"](1, "2017-04-03", "H01", "H02", "mutual_help",
                                              "peer", "community", "CP01", lang)
        assert saved
        (choice,) = [o["value"] for o in editing.my_records(access, lang)]
        trees.append(editing.open_record(choice, "", lang)[0])
    menus = [c for tree in trees for c in tree._traverse() if isinstance(c, dcc.Dropdown)]
    kinds = {str(c.id) for c in menus}
    assert {"wb-withdraw-choice", str(ids_of("INTRO_CANDIDATE")),
            str(ids_of("INTRO_DECLINE"))} <= kinds
    assert any("wb-field" in k for k in kinds)
    for menu in menus:
        assert getattr(menu, "labels", None) == DROPDOWN_LABELS[lang], menu.id
    assert DROPDOWN_LABELS["it"]["search"] == "Cerca"


def ids_of(name: str):
    from dash_app import ids

    return getattr(ids, name)


def test_points_are_named_not_coded_in_grids_and_headers(ctx, district):
    """A Community Point is shown by its name wherever a person reads it (the grids showed
    CP01 while the menus said "Punto Nord"); a family's page says when the programme first
    met it without a gendered participle ("conosciuto" for a family)."""

    names = dict(zip(district.actors["actor_id"], district.actors["name"], strict=True))
    points = {names["CP01"], names["CP02"]}
    _, rows, _, _ = pg("bridges").update(WHOLE, "cp", "it")
    shown = {r["community_point_id"] for r in rows}
    assert shown - {""} <= points and points <= shown, shown
    _, rows, *_ = pg("communities").update(WHOLE, "it")
    assert {r["main_cp"] for r in rows} <= points
    followups = _find(pg("report").layout(), "rep-followups")
    assert {r["community_point_id"] for r in followups.rowData} <= points
    details = str(pg("actor").layout(actor_id="H01"))
    assert "Famiglia · Punto Nord · primo incontro il 01/03/2016" in details


def test_a_facilitators_report_says_each_figures_scope(app, district):
    """A facilitator's report mixes their point's figures (families, people, their ties)
    with the district's (organisations, points, activities): a column says which is which,
    and every figure marked "distretto" is the district's own, as the coordinator sees it."""
    from dash_app.data import CONFIG_KEY, DataAccess, Viewer

    report = pg("report")
    coordinator = report.report_frame(DataAccess(district, Viewer()), "years", "it")
    assert "scope" not in coordinator  # one scope: said once, above the table
    facilitator = DataAccess(district, Viewer(role="facilitator", community_point_id="CP02"))
    frame = report.report_frame(facilitator, "years", "it")
    assert set(frame["scope"]) == {"punto", "distretto"}
    values = [c for c in frame.columns if c not in ("area", "label", "scope", "unit")]
    mine = frame.set_index("label")[values]
    theirs = coordinator.set_index("label")[values]
    district_rows = frame.loc[frame["scope"] == "distretto", "label"]
    pd.testing.assert_frame_equal(mine.loc[district_rows], theirs.loc[district_rows])
    differ = [label for label in mine.index
              if not mine.loc[label].fillna(-1).equals(theirs.loc[label].fillna(-1))]
    assert differ and set(differ) <= set(frame.loc[frame["scope"] == "punto", "label"])
    saved = app.server.config[CONFIG_KEY]
    app.server.config[CONFIG_KEY] = facilitator
    try:
        with app.server.test_request_context("/"):
            note = report.layout().children[1].children
    finally:
        app.server.config[CONFIG_KEY] = saved
    assert "«punto» riguardano solo Punto Sud" in note and "«distretto»" in note


def test_overview_charts_and_table_speak_one_language_of_numbers(ctx):
    """The growth chart's one axis says what it counts and writes thousands as Italian does
    (2.000, not 2000 or 2k); the table shows the peer share as the chart and the card do, a
    percentage (it showed 0,23 beside 23%); the brokerage chart names its groups down the
    side, out of the legend's way."""
    from dash_app.data import current
    from dash_app.pages.overview import overview_frame

    kpis, growth, peer, table, _ = pg("overview").update("all", "it")
    layout = growth.to_dict()["layout"]
    assert layout["yaxis"]["title"]["text"] == "numero di attori o di legami"
    assert layout["yaxis"]["tickformat"] == ",d" and layout["separators"] == ",."
    assert all(":,d}" in trace["hovertemplate"] for trace in growth.to_dict()["data"])
    heads = [h["text"] for h in table.head]
    frame = overview_frame(current(), "all")
    # the share as a percentage with a decimal comma, as the chart and the card show it
    share = [row[heads.index("Quota tra pari")] for row in table.rows]
    expected = [f"{v * 100:.1f}".replace(".", ",") + "%" if v == v else ""
                for v in frame["peer_share"]]
    assert share == expected and any(0 < v < 1 for v in frame["peer_share"].dropna())
    # counts with the thousands' dot, aligned right; the months on the left
    reach = [row[heads.index("Raggiunti")] for row in table.rows]
    assert reach == [f"{int(v):,}".replace(",", ".") for v in frame["reach"]]
    assert table.right[heads.index("Raggiunti")] and not table.right[heads.index("Mese")]
    _, _, fig, _ = pg("bridges").update(WHOLE, "cp", "it")
    bars = fig.to_dict()
    assert {trace["orientation"] for trace in bars["data"]} == {"h"}
    assert bars["layout"]["xaxis"]["tickformat"] == ",d"
    assert "fusioni" not in str(pg("communities").update(WHOLE, "it")[3].layout.title.text)


def test_grid_columns_never_break_a_header_word_or_cut_a_short_value(ctx):
    """The bridges table's headers broke words ("Intermedi-azione", "Dimensio-ne") and cut
    short values ("Associa…"): each column is at least as wide as its longest header word
    and its text values (up to 26 characters); the grid scrolls sideways instead."""
    from dash_app.components import _CHAR_PX

    cols, rows, _, _ = pg("bridges").update(WHOLE, "cp", "it")
    for col in cols:
        word = max(len(w) for w in col["headerName"].split())
        assert col["minWidth"] >= word * _CHAR_PX, col["field"]
    kind = next(c for c in cols if c["field"] == "kind")
    longest = max(len(r["kind"]) for r in rows)
    assert kind["minWidth"] >= min(longest, 26) * _CHAR_PX


def test_a_column_of_measures_has_one_number_of_decimals(ctx):
    """Betweenness read "6.105,75" above "1.514" (a round value lost its decimals): each
    float column is written with the one number of decimals its values need."""
    import re as _re

    cols, rows, _, _ = pg("bridges").update(WHOLE, "cp", "it")
    col = next(c for c in cols if c["field"] == "betweenness")
    found = _re.search(r"minimumFractionDigits: (\d), maximumFractionDigits: (\d)",
                       col["valueFormatter"]["function"])
    assert found and found[1] == found[2], col["valueFormatter"]
    digits = int(found[1])
    values = [r["betweenness"] for r in rows if r["betweenness"] is not None]
    assert any(round(v, digits - 1) != v for v in values)  # fewer would lose a decimal
    assert all(round(v, digits) == round(v, 3) for v in values)  # none is cut


def test_every_refusal_of_an_introduction_is_in_italian(as_viewer):
    """Marking an introduction: each of the writer's refusals reaches the page in Italian
    through the catalogs' rules (dash_app.workbench.rule_text), the one layer that words
    the library's rules; dash_app.introductions kept a table of its own."""
    from dash_app.introductions import mark_introduction

    def said(*args):
        message, _ = mark_introduction(1, *args)
        return " ".join(str(part) for part in message.children) if isinstance(
            message.children, list) else str(message.children)

    as_viewer("facilitator", "CP01")
    assert "Salvato" in said("H02", "A01", "proposed", "2019-02-01", None, "it")
    refusals = {
        "already": said("H02", "A01", "proposed", "2019-02-02", None, "it"),
        "itself": said("H02", "H02", "proposed", "2019-02-02", None, "it"),
        "peer": said("H02", "CP01", "proposed", "2019-02-02", None, "it"),
    }
    assert "già segnata così: nulla da cambiare" in refusals["already"]
    # (the page sends no reason unless declined: the writer's rule, as it writes it)
    from dash_app.workbench import rule_text

    assert rule_text("only a declined introduction has a reason for it", "it") == (
        "il motivo si indica solo se è stata rifiutata")
    assert "scegli qualcun altro" in refusals["itself"]
    assert "non è una famiglia, una persona, un'associazione o un gruppo" in refusals["peer"]
    english = ("already", "only a declined", "introduced to itself", "not a peer")
    assert not [r for r in refusals.values() if any(e in r for e in english)], refusals


def _infos(tree) -> dict[str, str]:
    """The explanations at hand in a layout: glossary entry -> the words on hover."""
    from dash import html

    nodes = tree._traverse() if hasattr(tree, "_traverse") else (
        c for part in tree for c in ([part, *part._traverse()] if hasattr(part, "_traverse")
                                     else []))
    return {c.href.split("#glo-", 1)[1]: c.title for c in nodes
            if isinstance(c, html.A) and "#glo-" in str(getattr(c, "href", ""))}


def test_every_figure_has_its_explanation_at_hand(ctx):
    """Beside the grids' headers, the figures outside grids have an ⓘ too: the overview's
    cards, "what if this actor leaves" (fragmentation, components), the brokerage roles
    (a chart's legend has no tooltip), modularity, a family's statuses and reasons; each
    says the glossary's words on hover and opens its entry when tapped."""
    from dash import html

    from dash_app.components import period_choices
    from dash_app.data import current
    from dash_app.glossary import ENTRIES, explain

    kpis, *_ = pg("overview").update("all", "it")
    found = _infos(html.Div(kpis))
    found |= _infos(pg("bridges").layout())
    access = current()
    for value, start, end in period_choices(access):
        table = access.bridging(start, end)
        cuts = table.index[table["cut_vertex"].astype(bool)] if len(table) else []
        if len(cuts):
            found |= _infos(pg("bridges").what_if(cuts[0], value, "it"))
            break
    found |= _infos(html.Div(pg("communities").update(WHOLE, "it")[2]))
    flagged = next(h for h in ("H01", "H02", "H03", "H04", "H05", "H06")
                   if "a rischio" in str(pg("actor").reasons_block(access, h, "it"))
                   or "isolat" in str(pg("actor").reasons_block(access, h, "it")))
    found |= _infos(html.Div(pg("actor").reasons_block(access, flagged, "it")))
    wanted = {"col.reach", "col.active_ties", "col.peer_share", "status.at_risk",
              "col.fragmentation", "col.components", "com.modularity", "role.coordinator",
              "role.itinerant", "role.representative", "role.gatekeeper", "role.liaison"}
    assert wanted <= set(found), wanted - set(found)
    assert any(k.startswith("reason.") for k in found)
    for key, words in found.items():
        assert key in ENTRIES and words == explain(key, "it"), key
    glossary = {c.id for c in pg("glossary").layout()._traverse() if getattr(c, "id", None)}
    assert {f"glo-{k}" for k in found} <= glossary  # every ⓘ opens an entry that exists


def test_a_family_never_seen_with_a_peer_reads_never(ctx):
    """The worklist's "days since the last peer contact" was an empty cell for a family with
    no peer contact ever: it says so."""
    cols = pg("isolation").columns("it")
    days = next(c for c in cols if c["field"] == "days_since_peer_contact")
    assert days["valueFormatter"]["function"].startswith('params.value == null ? "mai"')
    follow = next(c for c in cols if c["field"] == "last_follow_up")
    assert '"nessuna ancora"' in follow["valueFormatter"]["function"]
    assert '"never"' in next(c for c in pg("isolation").columns("en")
                             if c["field"] == "days_since_peer_contact")["valueFormatter"][
        "function"]
