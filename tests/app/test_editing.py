"""Correcting a record in place on the record page (dash_app.editing), callbacks called as
functions and, forged, over HTTP: the form opens prefilled, a valid correction is saved and
every page sees it, each invalid field is named in Italian and nothing is written, only the
author (or a coordinator) may open or save it, and the history says who, when and what
changed, naming only the people the viewer sees."""

from __future__ import annotations

import json
import re
import sys

import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from genera_graph.io.records import followups, record_history
from genera_graph.io.store import Store

CONTACT = ["2017-04-03", "H01", "H02", "mutual_help", "peer", "community", "CP01"]


@pytest.fixture(autouse=True)
def _pages(app):
    """The page modules, once the session's app has registered them."""
    global rec, ed
    rec = sys.modules["dash_app.pages.record"]
    ed = sys.modules["dash_app.editing"]


def _state(store: Store) -> tuple:
    return (store.counts(), len(record_history(store)), len(followups(store)),
            store.load().interactions.sort_values("interaction_id").to_csv())


def _walk(component):
    """Every component of a layout tree."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def _field(panel, col: str):
    return next(c for c in _walk(panel) if getattr(c, "id", None) == {
        "type": "wb-field", "form": panel_form(panel), "col": col})


def panel_form(panel) -> str:
    return next(c.id["form"] for c in _walk(panel)
                if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == "wb-field")


def _errors(out: list, table: str) -> dict[str, str]:
    return {f.name: e for f, e in zip(ed.EDIT_FORMS[table], out, strict=False) if e}


def _status(out: list, table: str) -> str:
    return str(out[len(ed.EDIT_FORMS[table])].children)


def _made_contact(as_viewer):
    """A CP01 facilitator's store with one contact of theirs; its picker value."""
    from dash_app.data import current

    store = as_viewer()
    out = rec.SAVES["contact"](1, *CONTACT, "it")
    assert "Salvato" in str(out[-1].children), out
    (choice,) = [o["value"] for o in rec.my_records(current(), "it")]
    return store, choice


def _as(app, role: str, point: str | None, user: str):
    """Switch the data layer's viewer (same store) to another account."""
    from dash_app.data import CONFIG_KEY, DataAccess, Viewer

    mine = app.server.config[CONFIG_KEY]
    app.server.config[CONFIG_KEY] = DataAccess(mine.source, Viewer(
        role=role, community_point_id=point, user_id=user))
    return mine


def test_the_author_opens_a_record_prefilled_and_corrects_it(as_viewer):
    from dash_app.data import current, scope_dataset

    store, choice = _made_contact(as_viewer)
    panel, opened = ed.open_record(choice, "", "it")
    assert opened == choice
    assert _field(panel, "date").date == "2017-04-03"  # the picker shows 03/04/2017
    assert _field(panel, "source_actor_id").value == "H01"
    target = _field(panel, "target_actor_id")
    assert target.value == "H02"  # chosen among the names the viewer sees, never typed
    assert {"label": "Famiglia Bianchi (Famiglia · CP01)", "value": "H02",
            "search": "Famiglia Bianchi"} in target.options
    assert _field(panel, "kind").value == "mutual_help"
    assert "Correggi: Contatto · 03/04/2017 · Famiglia Rossi – Famiglia Bianchi" in str(panel)

    out = ed.EDITS["interactions"](1, choice, "2017-04-05", "H01", "H02", "meeting", "peer",
                                   "community", "CP01", "it")
    assert _errors(out, "interactions") == {}
    assert "Correzione salvata" in _status(out, "interactions")
    key = json.loads(choice)[1]["interaction_id"]
    row = store.load().interactions.set_index("interaction_id").loc[key]
    assert (row["date"], row["kind"]) == (pd.Timestamp("2017-04-05"), "meeting")
    patched = current().dataset.interactions.set_index("interaction_id")  # no restart
    assert patched.at[key, "date"] == pd.Timestamp("2017-04-05")
    fresh = scope_dataset(store.load(), current().viewer).interactions
    assert len(fresh) == len(patched)
    # the history, newest first, in words
    rows = ed.history_rows(current(), store, "interactions", {"interaction_id": key}, "it")
    assert [r.action for r in rows] == ["corretta", "registrata"]
    assert rows[0].changes == ("Data: 03/04/2017 → 05/04/2017",
                               "Tipo: aiuto reciproco → incontro")
    assert rows[1].changes == ()
    assert {r.who for r in rows} == {"u-facilitator-CP01"}  # no account of that name
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", r.when) for r in rows)
    history = out[len(ed.EDIT_FORMS["interactions"]) + 1]
    assert "Data: 03/04/2017 → 05/04/2017" in str(history)
    assert out[-1] == choice and out[-2] == choice  # the same record, still picked
    with pytest.raises(PreventUpdate):  # the saved panel stays (its status shows)
        ed.open_record(choice, choice, "it")
    again = ed.EDITS["interactions"](1, choice, "2017-04-05", "H01", "H02", "meeting",
                                     "peer", "community", "CP01", "it")
    assert "Niente da salvare" in _status(again, "interactions")
    assert len(record_history(store)) == 2


@pytest.mark.parametrize("index,value,field,words", [
    (0, None, "date", "campo obbligatorio"),
    (0, "31/02/2017", "date", "data non valida"),
    # before the programme met the family (that rule has no Italian words yet: its date shows)
    (0, "2015-01-01", "date", "01/03/2016"),
    (1, None, "source_actor_id", "campo obbligatorio"),
    (2, "H01", "target_actor_id", "due attori diversi"),
    (3, None, "kind", "campo obbligatorio"),
    (4, "friendly", "nature", "valore non ammesso"),
    (5, "sport", "programme", "valore non ammesso"),
    (6, "CP02", "community_point_id", "non è il tuo Punto di Comunità"),
    (2, "H04", "target_actor_id", "non è una famiglia o una persona del tuo Punto"),
])
def test_each_invalid_field_is_named_and_nothing_is_written(as_viewer, index, value, field,
                                                            words):
    store, choice = _made_contact(as_viewer)
    before = _state(store)
    values = list(CONTACT)
    values[index] = value
    out = ed.EDITS["interactions"](1, choice, *values, "it")
    errors = _errors(out, "interactions")
    assert words in errors.get(field, ""), errors
    assert "Non salvato" in _status(out, "interactions")
    assert all(v is ed.dash.no_update for v in out[-4:])  # the history stays as it was
    assert _state(store) == before


def test_only_the_author_or_a_coordinator_opens_and_saves_it(app, as_viewer):
    from dash_app.data import CONFIG_KEY, current

    store, choice = _made_contact(as_viewer)
    before = _state(store)
    values = ["2017-04-09", "H01", "H02", "meeting", "peer", "community", "CP01", "it"]
    for role, point, user in (("facilitator", "CP01", "u-other"),  # same point, not author
                              ("facilitator", "CP02", "u-facilitator-CP02")):  # another point
        mine = _as(app, role, point, user)
        assert rec.my_records(current(), "it") == []
        panel, opened = ed.open_record(choice, "", "it")  # a forged pick shows nothing
        assert opened == ""
        assert "Famiglia" not in str(panel) and "03/04/2017" not in str(panel)
        assert "non si può aprire" in str(panel)
        out = ed.EDITS["interactions"](1, choice, *values)
        assert "solo chi l'ha registrato" in _status(out, "interactions")
        assert _state(store) == before
        app.server.config[CONFIG_KEY] = mine
    # a forged value naming no record, or a table not edited here, is refused too
    for forged in ("not json", json.dumps(["introductions", {"introduction_id": "x"}]),
                   json.dumps(["interactions", {"interaction_id": "X-none"}])):
        panel, opened = ed.open_record(forged, "", "it")
        assert opened == "" and "non si può aprire" in str(panel)
        assert "non si può aprire" in _status(ed.EDITS["interactions"](1, forged, *values),
                                              "interactions")
    assert _state(store) == before
    mine = _as(app, "coordinator", None, "u-coord")
    assert [o["value"] for o in rec.my_records(current(), "it")] == [choice]
    out = ed.EDITS["interactions"](1, choice, *values)
    assert "Correzione salvata" in _status(out, "interactions")
    app.server.config[CONFIG_KEY] = mine
    key = json.loads(choice)[1]
    rows = ed.history_rows(current(), store, "interactions", key, "it")
    assert [r.who for r in rows] == ["u-coord", "u-facilitator-CP01"]
    # still the author's to correct after the coordinator's correction
    assert ed.open_record(choice, "", "it")[1] == choice


def test_a_forged_correction_over_http_writes_nothing(app, as_viewer, signed_in):
    from dash_app.data import CONFIG_KEY
    from dash_app.testing import post_callback

    store, choice = _made_contact(as_viewer)
    before = _state(store)
    values = [choice, "2017-04-09", "H01", "H02", "meeting", "peer", "community", "CP01", "it"]
    mine = app.server.config[CONFIG_KEY]
    # another point's facilitator; CP01's, not its author (the data layer takes the account)
    for account, point in (("fac02", "CP02"), ("fac01", "CP01")):
        _as(app, "facilitator", point, account)
        client = signed_in(account)
        response = post_callback(app, client, "editing", "save_edit_interactions", [1], values)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "solo chi l" in text and "Correzione salvata" not in text
        opened = post_callback(app, client, "editing", "open_record", [choice], ["", "it"])
        body = opened.get_data(as_text=True)
        assert "Famiglia Rossi" not in body and "2017-04-03" not in body
        app.server.config[CONFIG_KEY] = mine
    assert _state(store) == before


def test_an_attendance_moved_to_another_day_keeps_one_history(as_viewer):
    from dash_app.data import current, scope_dataset

    store = as_viewer()
    out = rec.SAVES["attendance"](1, "ACT1", "", None, None, "2016-06-12", ["I021"], "", None,
                                  "CP01", "it")
    assert "Salvato" in str(out[-1].children), out
    (choice,) = [o["value"] for o in rec.my_records(current(), "it")]
    panel, _ = ed.open_record(choice, "", "it")
    assert "Cambiare Attività, Partecipante, Data sposta la registrazione" in str(panel)
    assert _field(panel, "date").date == "2016-06-12"
    clash = ed.EDITS["participations"](1, choice, "ACT1", "I010", "2016-06-10",
                                       "participant", "it")  # I010 was there that day
    assert "già registrato" in _errors(clash, "participations")["actor_id"]
    out = ed.EDITS["participations"](1, choice, "ACT1", "I021", "2016-06-13", "participant",
                                     "it")
    assert "Correzione salvata" in _status(out, "participations"), out
    moved = out[-1]
    assert json.loads(moved)[1] == {"activity_id": "ACT1", "actor_id": "I021",
                                    "date": "13/06/2016"}
    assert moved in [o["value"] for o in out[-3]]  # the picker offers it under its new day
    seen = current().dataset.participations
    assert seen.loc[seen["actor_id"] == "I021", "date"].tolist() == [pd.Timestamp("2016-06-13")]
    fresh = scope_dataset(store.load(), current().viewer).participations
    assert len(fresh) == len(seen)
    rows = ed.history_rows(current(), store, "participations", json.loads(moved)[1], "it")
    assert [(r.action, r.changes) for r in rows] == [
        ("corretta", ("Data: 12/06/2016 → 13/06/2016",)), ("registrata", ())]
    with pytest.raises(PreventUpdate):
        ed.open_record(moved, moved, "it")
    status, options, value, history, opened = rec.withdraw(1, moved, "it")
    assert "Ritirato" in str(status.children) and options == [] and value is None
    assert "ritirata" in str(history) and opened.startswith("withdrawn:")
    with pytest.raises(PreventUpdate):  # clearing the picker keeps the withdrawal's history
        ed.open_record(None, opened, "it")


def test_the_history_names_only_the_people_the_viewer_sees(app, as_viewer):
    from dash_app.data import CONFIG_KEY, current

    store, choice = _made_contact(as_viewer)
    key = json.loads(choice)[1]
    mine = _as(app, "coordinator", None, "u-coord")
    out = ed.EDITS["interactions"](1, choice, "2017-04-03", "H01", "H04", "mutual_help",
                                   "peer", "community", "CP01", "it")
    assert "Correzione salvata" in _status(out, "interactions")
    assert ed.history_rows(current(), store, "interactions", key, "it")[0].changes == (
        "Con chi: Famiglia Bianchi → Famiglia Verdi",)
    app.server.config[CONFIG_KEY] = mine
    rows = ed.history_rows(current(), store, "interactions", key, "it")
    assert rows[0].changes == ("Con chi: Famiglia Bianchi → (non visibile per te)",)
    assert "Verdi" not in str(rows)
    # and the record now names another point's family: its author may no longer open it
    assert ed.open_record(choice, "", "it")[1] == ""


def test_the_authors_display_name_and_a_familys_fixed_kind(app, as_viewer):
    from dash_app.data import current

    store = as_viewer()
    _as(app, "facilitator", "CP01", "fac01")  # an account of the session: "Utente fac01"
    assert "Salvato" in str(rec.SAVES["organisation"](
        1, "Gruppo Cammino", "association", "Rezzato", "2018-02-01", "CP01", "it")[-1].children)
    assert "Salvato" in str(rec.SAVES["person"](
        1, "Famiglia Nuova", "household", None, None, "", "2018-01-15", "CP01", "it")[-1].children)
    options = {o["label"].split(" · ")[2]: o["value"] for o in rec.my_records(current(), "it")}
    family, group = options["Famiglia Nuova"], options["Gruppo Cammino"]
    panel, _ = ed.open_record(family, "", "it")
    assert [o["value"] for o in _field(panel, "kind").options] == ["household"]
    before = _state(store)
    forged = ed.EDITS["actors"](1, family, "Famiglia Nuova", "individual", "", "2018-01-15",
                                None, "CP01", "it")
    assert "non può cambiare" in _errors(forged, "actors")["kind"]
    assert _state(store) == before
    out = ed.EDITS["actors"](1, group, "Gruppo Cammino", "formal_group", "Rezzato",
                             "2018-02-01", None, "CP01", "it")
    assert "Correzione salvata" in _status(out, "actors"), out
    actor = json.loads(group)[1]
    rows = ed.history_rows(current(), store, "actors", actor, "it")
    assert rows[0].who == "Utente fac01"
    assert rows[0].changes == ("Tipo: Associazione → Gruppo formale",)
    assert store.load().actors.set_index("actor_id").at[actor["actor_id"], "kind"] == \
        "formal_group"


def test_the_picker_skips_introductions(as_viewer):
    from dash_app.data import current
    from genera_graph.io.introductions import record_introduction

    store, choice = _made_contact(as_viewer)
    made = record_introduction(store, current().viewer, "H01", "H02", "proposed",
                               pd.Timestamp.today().strftime("%d/%m/%Y"))
    assert made.ok, made
    assert "introductions" in set(record_history(store)["table_name"])
    assert [o["value"] for o in rec.my_records(current(), "it")] == [choice]


def test_a_follow_up_is_corrected_and_the_worklist_sees_it(as_viewer):
    from dash_app.data import current
    from dash_app.workbench import followup_table

    store = as_viewer()
    out = rec.SAVES["followup"](1, "H01", "2026-11-30", "contacted", "not_reached", "it")
    assert "Salvato" in str(out[-1].children), out
    (choice,) = [o["value"] for o in rec.my_records(current(), "it")]
    assert followup_table(current())["outcome"].tolist() == ["not_reached"]
    bad = ed.EDITS["followups"](1, choice, "H01", "2026-11-30", "contacted", "great", "it")
    assert "valore non ammesso" in _errors(bad, "followups")["outcome"]
    out = ed.EDITS["followups"](1, choice, "H02", "2026-12-01", "home_visit", "reached", "it")
    assert "Correzione salvata" in _status(out, "followups"), out
    table = followup_table(current())  # the cache the write touched is fresh
    assert table[["household_id", "action", "outcome"]].values.tolist() == [
        ["H02", "home_visit", "reached"]]
    rows = ed.history_rows(current(), store, "followups", json.loads(choice)[1], "it")
    assert rows[0].changes == ("Famiglia: Famiglia Rossi → Famiglia Bianchi",
                               "Data: 30/11/2026 → 01/12/2026",
                               "Che cosa è stato fatto: contattata → visita a casa",
                               "Esito: non raggiunta → raggiunta")


def test_the_cards_header_follows_a_saved_correction(as_viewer):
    """Once a correction changes a record's date or people, the open card says so: its
    header kept the label the record was opened with."""
    store, choice = _made_contact(as_viewer)
    panel, _ = ed.open_record(choice, "", "it")
    header = next(c for c in _walk(panel) if getattr(c, "id", None) == {
        "type": ed.HEADER, "form": panel_form(panel)})
    assert "03/04/2017" in header.children
    out = ed.EDITS["interactions"](1, choice, "2017-04-05", "H02", "H01", "meeting", "peer",
                                   "community", "CP01", "it")
    assert "Correzione salvata" in _status(out, "interactions")
    title = out[len(ed.EDIT_FORMS["interactions"]) + 2]
    assert title == "Correggi: Contatto · 05/04/2017 · Famiglia Bianchi – Famiglia Rossi"
