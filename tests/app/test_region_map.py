"""The map at region scale (dash_app.data.aggregate), on the test district with the limits
lowered: super-nodes per Community Point sized by their units, links counting the ties across
points (checked against a plain count of the window's edges), and a drill-down by point."""

from __future__ import annotations

import sys
from collections import Counter

import dash
import pandas as pd
import pytest

import dash_app.data.aggregate as aggregate

ALL_NATURES = ["peer", "professional", "institutional"]


def test_region_map_aggregates_and_drills_down(ctx, monkeypatch):
    from dash_app.data import current

    update = sys.modules["dash_app.pages.map"].update_map
    # past the per-scope memo (dash_app.data.memo): other tests ask the same controls at the
    # normal limits, and their answers are kept
    update = getattr(update, "__wrapped__", update)
    monkeypatch.setattr(aggregate, "REGION_ACTORS", 0)
    monkeypatch.setattr(aggregate, "MAP_DETAIL_LIMIT", 5)  # the test district: 27 actors
    els, stats, _label, _legend = update([0, 36], None, None, None, ALL_NATURES, "kind",
                                         "degree", "it")
    access = current()
    months = access.months()
    edges = access.edges(months[0], months[-1])
    point = access.actors["community_point_id"].to_dict()
    group = {u: "–" if pd.isna(point.get(u)) else point[u]
             for u in set(edges["a"]) | set(edges["b"])}
    nodes, links = access.aggregated_map(months[0], months[-1])
    # every point with a tie is a super-node, sized by its units
    assert {e["data"]["id"] for e in els if "source" not in e["data"]} == set(group.values())
    assert nodes["units"].to_dict() == dict(Counter(group.values()))
    # links: the ties between units of two different points, counted pair by pair
    cross = Counter(tuple(sorted((group[a], group[b])))
                    for a, b in zip(edges["a"], edges["b"], strict=True)
                    if group[a] != group[b])
    assert dict(zip(zip(links["a"], links["b"], strict=True), links["ties"], strict=True)) == cross
    assert len([e for e in els if "source" in e["data"]]) == len(cross) > 0
    inside = Counter(group[a] for a, b in zip(edges["a"], edges["b"], strict=True)
                     if group[a] == group[b])
    assert nodes["internal_ties"].to_dict() == {g: inside.get(g, 0) for g in nodes.index}
    assert "gruppi che riuniscono" in stats
    # one point's households: few enough units to draw them one by one
    monkeypatch.setattr(aggregate, "MAP_DETAIL_LIMIT", 10_000)
    detail, *_ = update([0, 36], None, ["CP01"], ["household"], ALL_NATURES, "kind", "degree",
                        "it")
    shown = {e["data"]["id"] for e in detail if "source" not in e["data"]}
    assert shown and all(access.actors.loc[i, "kind"] == "household" for i in shown)


def test_region_search_box_looks_names_up_as_one_types(ctx, monkeypatch):
    from dash_app.data import current

    page = sys.modules["dash_app.pages.map"]
    monkeypatch.setattr(aggregate, "REGION_ACTORS", 0)
    access = current()
    units = access.actors[access.actors["kind"] != "individual"]
    name = str(units["name"].iloc[0])
    found = page.search_names(name[1:4], None)
    expected = {i for i, n in units["name"].astype(str).items()
                if name[1:4].casefold() in n.casefold()}
    assert {o["value"] for o in found} == expected and len(found) <= 50
    assert page.search_names("x", None) == []  # one letter: nothing yet
    chosen = units.index[-1]
    assert page.search_names("", chosen)[0]["value"] == chosen  # the chosen one is kept
    monkeypatch.setattr(aggregate, "REGION_ACTORS", 10**9)
    with pytest.raises(dash.exceptions.PreventUpdate):
        page.search_names(name, None)  # a district: every name is in the page already


def test_the_scale_of_the_sizes_is_the_whole_programmes_largest_unit(ctx):
    """``largest`` (the map's size scale, without laying the whole programme out) is the
    largest degree and strength of the whole programme's map, for any filter."""
    from dash_app.data import current

    access = current()
    months = access.months()
    for filters in [(), ((), ("CP01",)), ((), ("CP01",), (), ("household",)),
                    (("housing",),), ((), ("CP01",), ("-",))]:
        nodes, _ = access.nodes(months[0], months[-1], *filters)
        for metric in ("degree", "strength"):
            top = access.largest(metric, months[0], months[-1], *filters)
            if len(nodes):
                assert top == float(nodes[metric].max())
            else:
                assert top is None


def test_region_warm_up_ends_with_one_familys_suggestions(district, monkeypatch):
    """At region scale the warm-up's last step asks one family's suggestions on the
    worklist's day: the library's state of that day is then kept on the district's graph, and
    the next family's suggestions read it instead of making it again."""
    from dash_app.data import DataAccess, Viewer
    from genera_graph.analytics import introductions as lib
    from genera_graph.temporal import day_number

    monkeypatch.setattr(aggregate, "REGION_ACTORS", 0)
    access = DataAccess(district, Viewer())
    first, later = access.warm_steps([])
    assert later == [access.warm_region_suggestions]
    later[0]()
    day = access.worklist_dates()[-1]
    kept = access.district_temporal().__dict__["_introductions_states"]
    assert [k[:2] for k in kept] == [(day_number(day), "household")]
    made = []
    real = lib._make_state
    monkeypatch.setattr(lib, "_make_state", lambda *a: made.append(a) or real(*a))
    families = access.actors.index[access.actors["kind"] == "household"]
    table, _ = access.suggested_introductions(day, families[1])
    assert made == [] and set(table["actor_id"]) <= {families[1]}
