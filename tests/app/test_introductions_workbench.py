"""Marking suggested introductions in the workbench (issue 13), callbacks called as functions
and one forged over HTTP: valid marks are stored with their history, invalid ones name their
field in Italian and write nothing, another point's families are refused whoever forges the
request, and a declined candidate is no longer suggested."""

from __future__ import annotations

import sys
from datetime import date, timedelta

from genera_graph.io.introductions import introduction_history, stored_introductions
from tests.app.conftest import small_district


def _text(component) -> str:
    """Every string of a component tree, option labels included."""
    if component is None or isinstance(component, bool):
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    out = [_text(getattr(component, "children", None))]
    for option in getattr(component, "options", None) or []:
        out.append(str(option.get("label", "")) if isinstance(option, dict) else str(option))
    return " ".join(out)


def _mark(*args):
    from dash_app.introductions import mark_introduction

    return mark_introduction(1, *args)


def test_marks_are_saved_checked_and_a_declined_candidate_is_no_longer_suggested(as_viewer):
    from dash_app.data import current
    from dash_app.pages.actor import introductions_block

    store = as_viewer("facilitator", "CP01")
    page = introductions_block(current(), "H02", "it")
    assert "Segna che cosa hai fatto" in _text(page)
    assert "Nessuna presentazione da suggerire." not in _text(page)
    message, recorded = _mark("H02", "A01", "proposed", "2019-02-01", None, "it")
    assert "Salvato" in _text(message) and "proposta il 01/02/2019" in _text(recorded)
    message, recorded = _mark("H02", "A01", "declined", "2019-02-03", None, "it")
    assert _text(message) == "Non salvato: Perché è stata rifiutata: campo obbligatorio"
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    message, _ = _mark("H02", "A01", "done", tomorrow, None, "it")
    assert _text(message) == "Non salvato: Giorno: il giorno è dopo oggi"
    message, _ = _mark("H02", "A01", "done", "2019-01-15", None, "it")
    assert "prima del giorno segnato l'ultima volta (01/02/2019)" in _text(message)
    message, _ = _mark("H02", "A01", None, "2019-02-03", None, "it")
    assert _text(message) == "Non salvato: Che cosa: campo obbligatorio"
    assert stored_introductions(store)["status"].tolist() == ["proposed"]
    message, recorded = _mark("H02", "A01", "declined", "2019-02-03", "family_refused", "en")
    assert "Saved" in _text(message)
    assert "declined on 03/02/2019 · reason: the family did not want it" in _text(recorded)
    current_rows = stored_introductions(store)
    assert current_rows[["status", "decline_reason", "reason", "author"]].values.tolist() == [
        ["declined", "family_refused", "partner_in_common", "u-facilitator-CP01"]]
    assert introduction_history(store)["action"].tolist() == ["created", "corrected"]
    # declined: no longer suggested, still listed as marked
    words = _text(introductions_block(current(), "H02", "it"))
    assert "Nessuna presentazione da suggerire." in words
    assert "rifiutata il 03/02/2019" in words


def test_another_points_family_or_candidate_is_refused_before_the_store(as_viewer):
    store = as_viewer("facilitator", "CP02")
    message, recorded = _mark("H02", "A01", "done", "2019-02-01", None, "it")
    assert "non tra quelle che puoi vedere" in _text(message) and recorded is not None
    store = as_viewer("facilitator", "CP01")
    message, _ = _mark("H02", "H04", "done", "2019-02-01", None, "it")  # H04: CP02's family
    assert "non tra quelle che puoi vedere" in _text(message)
    assert stored_introductions(store).empty
    store = as_viewer("researcher", None)
    message, _ = _mark("H02", "A01", "done", "2019-02-01", None, "it")
    assert "Il tuo profilo non segna" in _text(message)
    assert stored_introductions(store).empty


def test_a_forged_mark_over_http_writes_nothing(app, as_viewer, signed_in):
    from dash_app.testing import post_callback

    store = as_viewer("facilitator", "CP02")
    response = post_callback(app, signed_in("fac02"), "introductions",
                             "mark_introduction", [1],
                             ["H02", "A01", "done", "2019-02-01", None, "it"])
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Famiglia Seconda" not in body and "H02" not in body
    assert stored_introductions(store).empty


def test_the_worklist_details_offer_the_top_suggestions_of_a_visible_family(as_viewer):
    iso = sys.modules["dash_app.pages.isolation"]
    as_viewer("facilitator", "CP01")
    from dash_app.data import current

    access = current()
    day, family = next((d.isoformat(), f["actor_id"].iloc[0]) for d in access.worklist_dates()
                       if len(f := iso.worklist_frame(access, d.isoformat(), "flagged", None,
                                                      None, "it")))
    # a line of the facilitator's own list
    shown = _text(iso.introductions({"rowId": family}, day, "flagged", None, None, "it"))
    assert "A chi presentarla" in shown and "Segna che cosa hai fatto" in shown
    # another point's family: the suggestions come for a line of the server's list only
    shown = _text(iso.introductions({"rowId": "H04"}, day, "flagged", None, None, "it"))
    assert "A chi presentarla" not in shown


def _converted_by_hand(ds, pairs) -> dict[str, tuple[int, int]]:
    """Independent count: point -> (followed, converted) of done introductions, a peer contact
    between the two households (their members counted as them) in the 90 days after."""
    import pandas as pd

    unit = dict(zip(ds.household_members["individual_id"], ds.household_members["household_id"],
                    strict=True))
    peer = ds.interactions[ds.interactions["nature"] == "peer"]
    a = peer["source_actor_id"].map(lambda x: unit.get(x, x))
    b = peer["target_actor_id"].map(lambda x: unit.get(x, x))
    point = ds.actors.set_index("actor_id")["community_point_id"]
    last = max(ds.interactions["date"].max(), ds.participations["date"].max())
    out: dict[str, list[int]] = {}
    for x, y, day in pairs:
        day = pd.Timestamp(day)
        if day + pd.Timedelta(days=90) > last:
            continue  # still pending
        hit = (((a == x) & (b == y)) | ((a == y) & (b == x))) & \
            (peer["date"] > day) & (peer["date"] <= day + pd.Timedelta(days=90))
        counts = out.setdefault(point[x], [0, 0])
        counts[0] += 1
        counts[1] += int(hit.any())
    return {k: tuple(v) for k, v in out.items()}


def test_the_outcomes_page_counts_conversions_by_point_and_keeps_to_the_scope(as_viewer):
    from dash_app.pages.introductions import update
    from genera_graph.io.introductions import record_introduction
    from genera_graph.io.records import Author

    store = as_viewer("coordinator", None)
    boss, today = Author("u-coord"), date(2026, 1, 1)
    done = [("H01", "H02", "2016-09-01"), ("H01", "H03", "2017-03-01"),
            ("H02", "H03", "2017-05-10"), ("H04", "H05", "2016-11-20"),
            ("H05", "H06", "2017-09-01"), ("H04", "H06", "2018-02-01")]
    for x, y, day in done:
        assert record_introduction(store, boss, x, y, "done", day_text_of(day), today=today).ok
    assert record_introduction(store, boss, "H06", "A02", "declined", "01/03/2017",
                               decline_reason="unreachable", today=today).ok
    expected = _converted_by_hand(small_district(), done)
    assert sum(c for _, c in expected.values()) > 0  # the test can tell a tie from none
    assert sum(f - c for f, c in expected.values()) > 0
    summary, figure, cols, rows, chart_style, grid_style = update("community_point_id",
                                                                  "year", "it")
    assert chart_style == {} and grid_style.get("display") != "none"
    by_point: dict[str, list[int]] = {}
    for row in rows:
        counts = by_point.setdefault(row["group"], [0, 0])
        counts[0] += row["intro_followed"]
        counts[1] += row["intro_converted"]
    names = {"CP01": "Punto Nord", "CP02": "Punto Sud"}
    assert {names[k]: tuple(v) for k, v in expected.items()} == \
        {k: tuple(v) for k, v in by_point.items()}
    assert sum(r["intro_declined"] for r in rows) == 1
    assert "In tutto: 6 presentazioni fatte" in _text(summary) and len(figure.data) >= 1
    assert {c["headerName"] for c in cols} >= {"Tasso di riuscita", "Gruppo"}
    # a facilitator sees only their point's families
    as_viewer("facilitator", "CP01")
    _, _, _, rows, *_ = update("reason", "quarter", "en")
    assert sum(r["intro_done"] for r in rows) == 3
    as_viewer("researcher", None)
    summary, _, _, rows, *_ = update("community_point_id", "year", "it")
    assert rows == [] and "coordinamento" in _text(summary)


def test_the_outcomes_page_says_why_it_is_empty(as_viewer):
    from dash_app.pages.introductions import layout, update

    as_viewer("coordinator", None)
    assert "Raggruppa per" in _text(layout())
    summary, _, _, rows, chart_style, grid_style = update("facilitator_id", "quarter", "it")
    assert rows == [] and "Nessuna presentazione è ancora stata segnata" in _text(summary)
    # no bare axes, no "No Rows To Show" under the words that say why
    assert chart_style == grid_style == {"display": "none"}


def day_text_of(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def test_warm_keeps_each_familys_suggestions_as_they_are_computed_on_demand(district):
    """``warm_introductions`` computes every family at once: each family's kept table equals
    the one computed for it alone (declines on either side excluded in both)."""
    import pandas as pd

    from dash_app.data import DataAccess, Viewer

    for viewer in (Viewer(), Viewer(role="facilitator", community_point_id="CP02")):
        warmed, cold = DataAccess(district, viewer), DataAccess(district, viewer)
        day = warmed.worklist_dates()[-1]
        declined = {"H04": ("A02",), "A02": ("H04",)}
        assert warmed.warm_introductions(day, declined) == \
            int((warmed.actors["kind"] == "household").sum())
        seen = 0
        for h in warmed.actors.index[warmed.actors["kind"] == "household"]:
            kept = warmed._cache[("suggested_introductions", (day, h, None,
                                                              declined.get(h, ())), ())]
            fresh = cold.suggested_introductions_alone(day, h, None, declined.get(h, ()))
            assert "A02" not in set(kept[0]["candidate_id"]) or h != "H04"
            if len(fresh[0]):
                seen += 1
                pd.testing.assert_frame_equal(kept[0], fresh[0])
                pd.testing.assert_frame_equal(kept[1], fresh[1])
            else:
                assert kept[0].empty
        assert seen  # some family has suggestions to compare
