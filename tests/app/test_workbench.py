"""The recording, follow-up and upload pages' callbacks, called as functions (and one over HTTP,
forged): every form saves valid entries, names each invalid field in Italian and writes nothing,
and refuses another point's families; the worklist shows a follow-up at once."""

from __future__ import annotations

import base64
import sys

import pandas as pd
import pytest

from genera_graph.io.records import followups, record_history
from genera_graph.io.store import Store


@pytest.fixture(autouse=True)
def _pages(app):
    """The page modules, once the session's app has registered them."""
    global rec, upl, iso
    rec, upl, iso = (sys.modules[f"dash_app.pages.{n}"] for n in ("record", "upload",
                                                                  "isolation"))


def _errors(out: list, form: str) -> dict[str, str]:
    return {f.name: e for f, e in zip(rec.FORMS[form], out[:-1], strict=True) if e}


def _status(out: list) -> str:
    return str(out[-1].children)


def _state(store: Store) -> tuple:
    return (store.counts(), len(record_history(store)), len(followups(store)))


CONTACT = ["2017-04-03", "H01", "H02", "mutual_help", "peer", "community", "CP01"]


def test_contact_form_saves_and_every_page_sees_it(as_viewer):
    from dash_app.data import current

    store = as_viewer()
    before = len(current().dataset.interactions)
    out = rec.SAVES["contact"](1, *CONTACT, "it")
    assert _errors(out, "contact") == {} and "Salvato" in _status(out)
    assert len(current().dataset.interactions) == before + 1  # no restart needed
    # the patched dataset is the one a fresh read of the store gives
    from dash_app.data import scope_dataset

    fresh = scope_dataset(store.load(), current().viewer).interactions
    patched = current().dataset.interactions
    key = "interaction_id"
    pd.testing.assert_frame_equal(
        patched.sort_values(key).reset_index(drop=True).astype(object),
        fresh.sort_values(key).reset_index(drop=True)[list(patched.columns)].astype(object))
    assert record_history(store)["author"].tolist() == ["u-facilitator-CP01"]


def test_every_write_from_the_explorer_is_audited_with_ids_only(as_viewer):
    """A saved contact and its withdrawal each leave an audit entry naming the people's ids
    and the table, never a name or a value; a refused entry writes none (DESIGN.md section 6:
    every write is audited)."""
    import json

    from genera_graph.io.audit import AuditLog

    store = as_viewer()
    log = AuditLog(store)
    rec.SAVES["contact"](1, *[None, *CONTACT[1:]], "it")  # no date: refused
    assert not len(log.entries(action="record_save"))
    rec.SAVES["contact"](1, *CONTACT, "it")
    saved = log.entries(action="record_save")
    assert len(saved) == 1
    entry = saved.iloc[0]
    assert entry["username"] == "u-facilitator-CP01"
    assert set(entry["target"].split(",")) >= {"H01", "H02"}
    assert json.loads(entry["detail"]) == {"rows": 1}
    names = set(store.load().actors["name"])
    assert not any(name in str(entry.tolist()) for name in names)
    assert log.verify().ok


@pytest.mark.parametrize("index,value,field,words", [
    (0, None, "date", "campo obbligatorio"),
    (0, "31/02/2017", "date", "data non valida"),
    (2, "H01", "target_actor_id", "due attori diversi"),
    (2, None, "target_actor_id", "campo obbligatorio"),
    (3, None, "kind", "campo obbligatorio"),
    (4, "friendly", "nature", "valore non ammesso"),
    (5, None, "programme", "campo obbligatorio"),
    (6, "CP02", "community_point_id", "non è il tuo Punto di Comunità"),
])
def test_contact_form_names_each_invalid_field_and_writes_nothing(as_viewer, index, value,
                                                                 field, words):
    store = as_viewer()
    before = _state(store)
    values = list(CONTACT)
    values[index] = value
    out = rec.SAVES["contact"](1, *values, "it")
    errors = _errors(out, "contact")
    assert words in errors.get(field, ""), errors
    assert "Non salvato" in _status(out)
    assert _state(store) == before


def test_a_contact_before_the_programme_met_the_family_is_named_in_words(as_viewer):
    """The rule of a date before the programme start, in Italian with the family and the
    day the programme met it; in English as the importer writes it."""
    store = as_viewer()
    before = _state(store)
    values = list(CONTACT)
    values[0] = "2016-03-15"  # H01 was met on 01/03/2016, H02 on 01/04/2016
    errors = _errors(rec.SAVES["contact"](1, *values, "it"), "contact")
    assert errors["date"] == ("data precedente al primo incontro del programma con famiglia "
                              "H02 (primo incontro il 01/04/2016)")
    english = _errors(rec.SAVES["contact"](1, *values, "en"), "contact")["date"]
    assert english.startswith("dated before the programme met household H02 (first_met "
                              "01/04/2016")
    assert _state(store) == before


def test_rules_in_words_come_from_the_catalogs():
    from dash_app.workbench import rule_text

    assert rule_text("value not allowed; allowed: peer, professional", "it") == \
        "valore non ammesso (ammessi: peer, professional)"
    assert rule_text("value not allowed", "it") == "valore non ammesso"  # no list: no error
    assert rule_text("a researcher may not write records", "it") == \
        "questo profilo non può registrare"
    assert rule_text("a researcher may not write records", "en") == \
        "a researcher may not write records"
    assert rule_text("unknown actor id: not in the store", "en") == \
        "unknown actor id: not in the store"
    assert rule_text("something new", "it") == "something new"


def test_a_cp02_facilitator_cannot_write_for_a_cp01_family(as_viewer):
    store = as_viewer("facilitator", "CP02")
    before = _state(store)
    out = rec.SAVES["contact"](1, "2017-04-03", "H01", "H04", "mutual_help", "peer",
                               "community", "CP02", "it")
    assert "non è una famiglia o una persona del tuo Punto" in _errors(out, "contact")[
        "source_actor_id"]
    out = rec.SAVES["followup"](1, "H01", "2026-12-01", "contacted", "reached", "it")
    assert "non è una famiglia" in _errors(out, "followup")["household_id"]
    assert _state(store) == before


def test_a_forged_callback_over_http_writes_nothing(app, as_viewer, signed_in):
    from dash_app.testing import post_callback

    store = as_viewer("facilitator", "CP02")
    before = _state(store)
    response = post_callback(app, signed_in("fac02"), "record", "save_followup", [1],
                             ["H01", "2026-12-01", "home_visit", "reached", "it"])
    assert response.status_code == 200
    assert "non \\u00e8 una famiglia" in response.get_data(as_text=True) or \
        "non è una famiglia" in response.get_data(as_text=True)
    assert _state(store) == before


def test_attendance_with_a_new_activity_and_a_new_person(as_viewer):
    store = as_viewer()
    out = rec.SAVES["attendance"](1, None, "Pranzo di vicinato", "proximity_lab", "community",
                                  "2018-03-10", ["I010", "I020"], "Persona Nuova", "H01",
                                  "CP01", "it")
    assert _errors(out, "attendance") == {}, out
    ds = store.load()
    new = ds.activities[ds.activities["title"] == "Pranzo di vicinato"]
    assert len(new) == 1
    people = ds.participations[ds.participations["activity_id"] == new["activity_id"].iloc[0]]
    assert len(people) == 3
    assert "Persona Nuova" in set(ds.actors["name"])


@pytest.mark.parametrize("values,field,words", [
    ([None, "", None, None, "2018-03-10", ["I010"], "", None, "CP01"], "activity_id",
     "campo obbligatorio"),
    (["ACT1", "", None, None, "2018-03-10", [], "", None, "CP01"], "participants",
     "campo obbligatorio"),
    (["ACT1", "", None, None, None, ["I010"], "", None, "CP01"], "date", "campo obbligatorio"),
    (["ACT1", "", None, None, "2018-03-10", ["I040"], "", None, "CP01"], "participants",
     "non è una famiglia o una persona del tuo Punto"),
    ([None, "Nuova", "fishing", "community", "2018-03-10", ["I010"], "", None, "CP01"], "kind",
     "valore non ammesso"),
])
def test_attendance_form_names_each_invalid_field(as_viewer, values, field, words):
    store = as_viewer()
    before = _state(store)
    out = rec.SAVES["attendance"](1, *values, "it")
    assert words in _errors(out, "attendance").get(field, ""), out
    assert _state(store) == before


def test_person_and_organisation_forms(as_viewer):
    store = as_viewer()
    ok = rec.SAVES["person"](1, "Anna Nuova", "individual", "H01", "partner", "Rezzato",
                             "2018-01-15", "CP01", "it")
    assert _errors(ok, "person") == {}, ok
    ds = store.load()
    anna = ds.actors.loc[ds.actors["name"] == "Anna Nuova", "actor_id"].iloc[0]
    assert anna in set(ds.household_members.loc[ds.household_members["household_id"] == "H01",
                                                "individual_id"])
    before = _state(store)
    bad = rec.SAVES["person"](1, "", "individual", "H04", "partner", "", "2018-01-15", "CP01",
                              "it")
    errors = _errors(bad, "person")
    assert "campo obbligatorio" in errors["name"]
    bad = rec.SAVES["person"](1, "Bruno", "individual", "H04", "partner", "", "2018-01-15",
                              "CP01", "it")
    assert "non è una famiglia" in _errors(bad, "person")["household_id"]
    assert _state(store) == before
    assert _errors(rec.SAVES["organisation"](1, "Gruppo Cammino", "formal_group", "", "2018-02-01",
                                            "CP01", "it"), "organisation") == {}
    assert "data non valida" in _errors(rec.SAVES["organisation"](
        1, "Gruppo", "association", "", "30/02/2018", "CP01", "it"), "organisation")["first_met"]


def test_relation_form_and_its_end_recorded_later(as_viewer):
    store = as_viewer()
    out = rec.SAVES["relation"](1, "lease", "H02", "C01", "2017-09-01", None, "institutional",
                                "housing", "CP01", "it")
    assert _errors(out, "relation") == {}, out
    rel = store.load().relations
    new = rel.loc[(rel["actor_id"] == "H02") & (rel["kind"] == "lease"), "relation_id"].iloc[0]
    early = rec.SAVES["relation_end"](1, new, "2017-08-01", "it")
    assert "la fine è prima dell'inizio" in _errors(early, "relation_end")["end_date"]
    assert _errors(rec.SAVES["relation_end"](1, new, None, "it"), "relation_end")["end_date"]
    done = rec.SAVES["relation_end"](1, new, "2018-08-31", "it")
    assert _errors(done, "relation_end") == {}
    rel = store.load().relations.set_index("relation_id")
    assert rel.at[new, "end_date"] == pd.Timestamp("2018-08-31")
    assert record_history(store)["action"].tolist() == ["created", "corrected"]
    bad = rec.SAVES["relation"](1, "lease", "H02", "H02", "2017-09-01", None, "institutional",
                                "housing", "CP01", "it")
    assert "due attori diversi" in _errors(bad, "relation")["partner_id"]


def test_a_follow_up_shows_on_the_worklist_at_once(as_viewer):
    from dash_app.data import current

    store = as_viewer()
    access = current()
    day = access.worklist_dates()[-1].isoformat()
    before = iso.worklist_frame(access, day, "flagged", None, None, "it")
    assert len(before), "the small district flags no CP01 household"
    family = before["actor_id"].iloc[0]
    assert before["last_follow_up"].iloc[0] == ""
    bad = rec.SAVES["followup"](1, family, "2026-12-01", None, "reached", "it")
    assert "campo obbligatorio" in _errors(bad, "followup")["action"]
    out = rec.SAVES["followup"](1, family, pd.Timestamp.today().date().isoformat(),
                                "home_visit", "reached", "it")
    assert _errors(out, "followup") == {}, out
    after = iso.worklist_frame(access, day, "flagged", None, None, "it").set_index("actor_id")
    assert after.at[family, "days_without_followup"] == 0
    today = pd.Timestamp.today().strftime("%d/%m/%Y")
    assert after.at[family, "last_follow_up"] == f"visita a casa, {today}"
    # the others waited from the day they were flagged to the data's last day (the small
    # district's records end in 2018, open relations on the programme's end: 31/01/2019),
    # not to today
    others = after.drop(index=family)["days_without_followup"]
    assert access.follow_up_count_day(pd.Timestamp(day).date()) == pd.Timestamp("2019-01-31").date()
    assert (others == (pd.Timestamp("2019-01-31") - pd.Timestamp(day)).days).all()
    earlier = access.worklist_dates()[-2]  # a family flagged a quarter earlier waited longer
    waited = access.days_without_follow_up(earlier)
    assert (waited.drop(index=family) == (pd.Timestamp("2019-01-31")
                                          - pd.Timestamp(earlier)).days).all()
    assert len(followups(store)) == 1


def _upload(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def test_upload_checks_first_then_commits_the_valid_rows(as_viewer):
    store = as_viewer()
    header = ("interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
              "community_point_id;source")
    text = "\n".join([header,
                      "U1;01/03/2018;H01;H02;mutual_help;peer;community;CP01;facilitator_record",
                      "U2;31/02/2018;H01;H02;mutual_help;peer;community;CP01;facilitator_record",
                      "U3;02/03/2018;H02;H03;meeting;peer;community;CP01;facilitator_record"])
    before = _state(store)
    token, status, cols, rows, style = upl.check(_upload(text), "contacts.csv", "it")
    assert token and style == {}
    assert [(r["row"], r["column"]) for r in rows] == [(3, "date")]
    assert "data non valida" in rows[0]["rule"]
    assert _state(store) == before  # a dry run writes nothing
    token2, *_ = upl.check(_upload(text), "contacts.csv", "it")
    _, status, _ = upl.commit(None, None, 1, token2, "it", choice="cancel")
    assert "Annullato" in str(status.children) and _state(store) == before
    _, status, _ = upl.commit(1, None, None, token, "it", choice="strict")
    assert "Non importato" in str(status.children) and _state(store) == before
    token, *_ = upl.check(_upload(text), "contacts.csv", "it")
    _, status, _ = upl.commit(None, 1, None, token, "it", choice="partial")
    assert "2 righe scritte, 1 messe da parte" in str(status.children)
    assert {"U1", "U3"} <= set(store.load().interactions["interaction_id"])
    download = upl.quarantine_download(1, "it")
    assert "31/02/2018" in download["content"]
    _, status, *_ = upl.check(_upload(text), "contacts.csv", "it")
    assert "già importato" in str(status.children)


def test_a_facilitators_upload_of_another_points_rows_names_them(as_viewer):
    as_viewer("facilitator", "CP02")
    header = ("interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
              "community_point_id;source")
    text = "\n".join([header,
                      "V1;01/03/2018;H04;H05;mutual_help;peer;community;CP02;facilitator_record",
                      "V2;01/03/2018;H01;H05;mutual_help;peer;community;CP02;facilitator_record"])
    _, _, _, rows, _ = upl.check(_upload(text), "contacts.csv", "it")
    assert [(r["row"], r["column"]) for r in rows] == [(3, "source_actor_id")]


def test_a_dataset_explorer_says_it_cannot_record(ctx):
    out = rec.SAVES["contact"](1, *CONTACT, "it")
    assert "non si può registrare" in _status(out)


def test_the_report_page_counts_follow_ups_within_14_days(as_viewer):
    from dash_app.data import current

    as_viewer("coordinator", None)
    report = sys.modules["dash_app.pages.report"]
    day, before = report.followup_frame(current(), "it")
    assert before["followed_up"].sum() == 0 and before["flagged"].sum() > 0
    flagged = current().isolation_report(day)
    family = flagged.index[flagged["status"].isin(("isolated", "at_risk"))][0]
    late = (pd.Timestamp(day) + pd.Timedelta(days=15)).date().isoformat()
    soon = (pd.Timestamp(day) + pd.Timedelta(days=14)).date().isoformat()
    assert _errors(rec.SAVES["followup"](1, family, late, "contacted", "reached", "it"),
                   "followup") == {}
    assert report.followup_frame(current(), "it")[1]["followed_up"].sum() == 0
    assert _errors(rec.SAVES["followup"](1, family, soon, "home_visit", "reached", "it"),
                   "followup") == {}
    _, after = report.followup_frame(current(), "it")
    assert after["followed_up"].sum() == 1
    assert "Follow-up delle famiglie segnalate" in str(report.layout())


def test_the_author_withdraws_a_record_and_it_stays_in_the_history(app, as_viewer):
    import json

    from dash_app.data import CONFIG_KEY, DataAccess, Viewer, current

    store = as_viewer()
    assert _errors(rec.SAVES["contact"](1, *CONTACT, "it"), "contact") == {}
    options = rec.my_records(current(), "it")
    assert len(options) == 1 and "Contatto · 03/04/2017" in options[0]["label"]
    key = json.loads(options[0]["value"])[1]["interaction_id"]
    # another facilitator of the same point is not offered it, and a forged request is refused
    mine = app.server.config[CONFIG_KEY]
    app.server.config[CONFIG_KEY] = DataAccess(mine.source, Viewer(
        role="facilitator", community_point_id="CP01", user_id="u-other"))
    assert rec.my_records(current(), "it") == []
    status, *_ = rec.withdraw(1, options[0]["value"], "it")
    assert "solo chi l'ha registrato" in str(status.children)
    app.server.config[CONFIG_KEY] = mine
    status, left, *_ = rec.withdraw(1, options[0]["value"], "it")
    assert "Ritirato" in str(status.children) and left == []
    assert key not in set(current().dataset.interactions["interaction_id"])
    assert record_history(store)["action"].tolist() == ["created", "withdrawn"]
