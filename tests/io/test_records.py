"""Single records written from the explorer (genera_graph.io.records), on SQLite and PostgreSQL:
the importer's validation, one transaction, authors, history, scope, follow-ups, concurrency."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from genera_graph.io.records import (
    Author,
    change_problems,
    correct_record,
    current_record,
    explorer_records,
    followups,
    record_followup,
    record_history,
    record_versions,
    save_record,
    save_records,
    withdraw_record,
)
from genera_graph.io.schema import SCHEMA_VERSION, upgrade_connection
from genera_graph.io.store import Store
from genera_graph.io.store import store_url as to_url
from tests.app.conftest import small_district

COORD = Author("u-coord", "coordinator")
F1 = Author("u-f1", "facilitator", ("CP01",))
F1_OTHER = Author("u-f1b", "facilitator", ("CP01",))
F2 = Author("u-f2", "facilitator", ("CP02",))

CONTACT = {"date": "03/04/2017", "source_actor_id": "H01", "target_actor_id": "H02",
           "kind": "mutual_help", "nature": "peer", "programme": "community"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store holding the small district, imported once and copied per test."""
    path = tmp_path_factory.mktemp("records") / "template.sqlite"
    with Store(path) as store:
        assert store.import_dataset(small_district()).ok
    return path


@pytest.fixture
def filled(template: Path, tmp_path: Path) -> Iterator[Store]:
    """A fresh SQLite store of the small district."""
    shutil.copy(template, tmp_path / "genera.sqlite")
    with Store(tmp_path / "genera.sqlite") as store:
        yield store


@pytest.fixture
def filled_any(store_url: str, template: Path) -> Iterator[Store]:
    """The small district in a fresh store, on SQLite (a copy) and on PostgreSQL."""
    if "://" not in store_url:
        shutil.copy(template, store_url)
    with Store(store_url) as store:
        if "://" in store_url:
            assert store.import_dataset(small_district()).ok
        yield store


def _counts(store: Store) -> dict[str, int]:
    return {**store.counts(), "history": len(record_history(store)),
            "followups": len(followups(store))}


def test_a_facilitators_contact_is_written_with_its_author_and_point(filled_any: Store):
    filled = filled_any
    before = len(filled.load().interactions)
    result = save_record(filled, F1, "interactions", CONTACT)
    assert result.ok, result.problems
    key = result.keys[0]["interaction_id"]
    inter = filled.load().interactions.set_index("interaction_id")
    assert len(inter) == before + 1
    row = inter.loc[key]
    assert row["community_point_id"] == "CP01"  # defaulted from the author
    assert row["source"] == "facilitator_record"
    assert row["date"] == pd.Timestamp("2017-04-03")
    history = record_history(filled)
    assert history[["table_name", "action", "author", "version"]].values.tolist() == [
        ["interactions", "created", "u-f1", 1]]
    assert json.loads(history.at[0, "record_key"]) == [key]


@pytest.mark.parametrize("field,value,rule", [
    ("date", "31/02/2017", "not a valid date dd/mm/yyyy"),
    ("date", "", "required value missing"),
    ("target_actor_id", "NOBODY", "unknown actor id"),
    ("target_actor_id", "H01", "an actor cannot interact with itself"),
    ("nature", "friendly", "value not allowed"),
    ("kind", "", "required value missing"),
    ("programme", "sport", "value not allowed"),
])
def test_each_invalid_field_is_named_and_nothing_is_written(filled: Store, field, value, rule):
    before = _counts(filled)
    result = save_record(filled, F1, "interactions", {**CONTACT, field: value})
    assert not result.ok
    rules = result.by_column()
    assert any(r.startswith(rule) for r in rules.get(field, [])), rules
    assert _counts(filled) == before


def test_a_facilitator_cannot_write_for_another_points_family(filled: Store):
    before = _counts(filled)
    result = save_record(filled, F2, "interactions", {**CONTACT, "target_actor_id": "H04"})
    assert not result.ok
    assert "not a family or person of your Community Point" in result.by_column()[
        "source_actor_id"]
    forged = save_record(filled, F2, "interactions",
                         {**CONTACT, "source_actor_id": "H04", "target_actor_id": "H05",
                          "community_point_id": "CP01"})
    assert "not your Community Point" in forged.by_column()["community_point_id"]
    assert not record_followup(filled, F2, "H01", "01/12/2026", "contacted", "reached").ok
    assert _counts(filled) == before


def test_researchers_write_nothing(filled: Store):
    result = save_record(filled, Author("u-r", "researcher"), "interactions", CONTACT)
    assert not result.ok and "may not write" in result.problems[0].rule


def test_a_correction_keeps_the_old_version_and_the_analytics_see_the_new(filled: Store):
    made = save_record(filled, F1, "interactions", CONTACT)
    cells = made.rows[0][1]
    refused = correct_record(filled, F1_OTHER, "interactions", {**cells, "date": "05/04/2017"})
    assert not refused.ok and "only its author" in refused.problems[0].rule
    fixed = correct_record(filled, F1, "interactions", {**cells, "date": "05/04/2017"})
    assert fixed.ok, fixed.problems
    key = made.keys[0]["interaction_id"]
    assert filled.load().interactions.set_index("interaction_id").at[key, "date"] == \
        pd.Timestamp("2017-04-05")
    history = record_history(filled)
    assert history["action"].tolist() == ["created", "corrected"]
    assert json.loads(history.at[1, "changes"]) == {"date": ["03/04/2017", "05/04/2017"]}
    assert json.loads(history.at[0, "cells"])["date"] == "03/04/2017"
    assert correct_record(filled, COORD, "interactions", {**cells, "kind": "meeting"}).ok
    bad = correct_record(filled, F1, "interactions", {**cells, "date": "32/04/2017"})
    assert bad.by_column()["date"] == ["not a valid date dd/mm/yyyy"]


def test_a_withdrawal_removes_the_record_from_the_data_and_keeps_it_in_history(filled: Store):
    made = save_record(filled, F1, "interactions", CONTACT)
    key = made.keys[0]
    assert withdraw_record(filled, F1, "interactions", key).ok
    assert key["interaction_id"] not in set(filled.load().interactions["interaction_id"])
    last = record_history(filled).iloc[-1]
    assert last["action"] == "withdrawn" and last["author"] == "u-f1"
    assert json.loads(last["cells"])["source_actor_id"] == "H01"
    again = withdraw_record(filled, F1, "interactions", key)
    assert again.by_column()["interaction_id"] == ["no such record"]
    named = withdraw_record(filled, COORD, "actors", {"actor_id": "H01"})
    assert "still named by" in named.by_column()["actor_id"][0]


def test_an_attendance_sheet_with_a_new_activity_and_a_new_person_is_one_transaction(
        filled: Store):
    activity = {"kind": "proximity_lab", "programme": "community", "community_point_id": "CP01",
                "title": "Pranzo di vicinato", "start_date": "10/03/2018"}
    person = {"actor_id": "I-new1", "kind": "individual", "name": "Persona Nuova",
              "community_point_id": "CP01", "first_met": "10/03/2018"}
    member = {"household_id": "H01", "individual_id": "I-new1", "role": "relative",
              "start_date": "10/03/2018"}
    rows = [("activities", {**activity, "activity_id": "ACT-new"}), ("actors", person),
            ("household_members", member)]
    rows += [("participations", {"activity_id": "ACT-new", "actor_id": a, "date": "10/03/2018",
                                 "role": "participant"}) for a in ("I010", "I-new1", "I020")]
    before = _counts(filled)
    broken = save_records(filled, F1, [*rows, ("participations", {
        "activity_id": "ACT-new", "actor_id": "I040", "date": "10/03/2018",
        "role": "participant"})])  # I040 is a person of CP02
    assert not broken.ok and broken.problems[0].row == 2 + len(rows)
    assert _counts(filled) == before
    result = save_records(filled, F1, rows)
    assert result.ok, result.problems
    ds = filled.load()
    assert set(ds.participations.loc[ds.participations["activity_id"] == "ACT-new",
                                     "actor_id"]) == {"I010", "I-new1", "I020"}
    assert "I-new1" in set(ds.household_members["individual_id"])
    assert len(record_history(filled)) == len(rows)


def test_a_relation_is_ended_later_and_its_end_is_checked(filled: Store):
    lease = {"kind": "lease", "actor_id": "H02", "partner_id": "C01", "start_date": "01/09/2017",
             "nature": "institutional", "programme": "housing"}
    made = save_record(filled, F1, "relations", lease)
    assert made.ok, made.problems
    cells = made.rows[0][1]
    early = correct_record(filled, F1, "relations", {**cells, "end_date": "01/08/2017"})
    assert early.by_column()["end_date"] == ["end_date before start_date"]
    assert correct_record(filled, F1, "relations", {**cells, "end_date": "31/08/2018"}).ok
    rel = filled.load().relations.set_index("relation_id")
    assert rel.at[made.keys[0]["relation_id"], "end_date"] == pd.Timestamp("2018-08-31")


def test_follow_ups_are_coded_and_scoped(filled: Store):
    ok = record_followup(filled, F1, "H01", "01/12/2026", "home_visit", "reached")
    assert ok.ok, ok.problems
    bad = record_followup(filled, F1, "H01", "01/13/2026", "chatted", "")
    assert set(bad.by_column()) == {"date", "action", "outcome"}
    assert record_followup(filled, F1, "I010", "01/12/2026", "contacted",
                           "reached").by_column()["household_id"] == ["not a household"]
    table = followups(filled)
    assert table[["household_id", "action", "outcome", "community_point_id", "author"]
                 ].values.tolist() == [["H01", "home_visit", "reached", "CP01", "u-f1"]]
    assert table.at[0, "date"] == pd.Timestamp("2026-12-01")


def test_a_record_write_changes_the_fingerprint(filled: Store):
    before = filled.fingerprint()
    assert save_record(filled, F1, "interactions", CONTACT).ok
    after = filled.fingerprint()
    assert after != before
    assert record_followup(filled, F1, "H01", "01/12/2026", "contacted", "reached").ok
    assert filled.fingerprint() != after


def test_two_users_saving_at_the_same_moment_both_land(filled_any: Store):
    filled = filled_any
    gate = threading.Barrier(2)
    results = []

    def save(author: Author, household: str, partner: str) -> None:
        with Store(filled.url.render_as_string(hide_password=False)) as own:
            gate.wait()
            results.append(save_record(own, author, "interactions", {
                **CONTACT, "source_actor_id": household, "target_actor_id": partner}))

    threads = [threading.Thread(target=save, args=(F1, "H01", "H02")),
               threading.Thread(target=save, args=(F2, "H04", "H05"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2 and all(r.ok for r in results), results
    assert len(record_history(filled)) == 2


def test_upgrade_from_schema_version_2_keeps_data_and_takes_records(store_url: str):
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, 2)
        conn.exec_driver_sql("INSERT INTO actors (actor_id, kind, name, community_point_id, "
                             "first_met) VALUES ('CP01', 'community_point', 'Punto', 'CP01', "
                             "'2016-05-18'), ('H01', 'household', 'Famiglia', 'CP01', "
                             "'2016-06-01')")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("record_history")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert len(store.load().actors) == 2
        assert record_followup(store, F1, "H01", "02/12/2026", "contacted", "reached").ok
        assert len(followups(store)) == 1


def _contacts_file(folder: Path, rows: list[str]) -> Path:
    path = folder / "contacts.csv"
    header = ("interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
              "community_point_id;source")
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_an_uploads_dry_run_reports_without_writing_and_scope_rows_are_problems(
        filled: Store, tmp_path: Path):
    from genera_graph.io.importer import import_paths
    from genera_graph.io.records import scope_check

    path = _contacts_file(tmp_path, [
        "U1;01/03/2018;H01;H02;mutual_help;peer;community;CP01;facilitator_record",
        "U2;31/02/2018;H01;H02;mutual_help;peer;community;CP01;facilitator_record",
        "U3;01/03/2018;H04;H05;mutual_help;peer;community;CP02;facilitator_record",
    ])
    before = _counts(filled)
    dry = import_paths(filled, [path], partial=True, dry_run=True, row_check=scope_check(F1))
    assert not dry.committed and _counts(filled) == before
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_quarantined) for f in dry.files] \
        == [("partial", 3, 1, 2)]
    assert {(p.row, p.column) for p in dry.errors} == {
        (3, "date"), (4, "source_actor_id"), (4, "target_actor_id"), (4, "community_point_id")}
    strict = import_paths(filled, [path], row_check=scope_check(F1))
    assert not strict.committed and _counts(filled) == before
    done = import_paths(filled, [path], partial=True, row_check=scope_check(F1))
    assert done.committed and done.files[0].rows_accepted == 1
    assert "U1" in set(filled.load().interactions["interaction_id"])
    again = import_paths(filled, [path], partial=True, row_check=scope_check(F1))
    assert again.files[0].status == "unchanged"
    assert scope_check(COORD) is None


def test_genera_report_counts_flagged_families_followed_up_within_14_days(filled: Store,
                                                                          capsys):
    from datetime import date

    from genera_graph.analytics.isolation import isolation_report
    from genera_graph.cli import main
    from genera_graph.temporal import TemporalGraph

    day = date(2019, 1, 31)  # the report's last day (--to is the day after)
    report = isolation_report(TemporalGraph.from_dataset(filled.load()), day)
    flagged = report[report["status"].isin(("isolated", "at_risk"))
                     & report["community_point_id"].eq("CP01")]
    assert len(flagged) >= 2, "the small district flags fewer than two CP01 households"
    first, second = flagged.index[:2]
    assert record_followup(filled, F1, first, "03/02/2019", "home_visit", "reached").ok
    assert record_followup(filled, F1, second, "20/02/2019", "contacted", "reached").ok  # late
    assert main(["--store", str(filled.url.database), "report", "--from", "01/02/2018",
                 "--to", "01/02/2019"]) == 0
    out = capsys.readouterr().out
    assert "Famiglie segnalate al 31/01/2019 con un follow-up entro 14 giorni" in out
    fac = flagged["facilitator_id"].iloc[0]
    expected = int((flagged["facilitator_id"] == fac).sum())
    line = next(x for x in out.splitlines() if x.strip().startswith(f"CP01 · {fac}"))
    assert f"1 di {expected}" in line


def _attendance_file(folder: Path, rows: list[str]) -> Path:
    path = folder / "attendance.csv"
    path.write_text("\n".join(["activity_id;actor_id;date;role;source", *rows]) + "\n",
                    encoding="utf-8")
    return path


def test_a_withdrawn_record_stays_withdrawn_when_an_old_register_is_imported_again(
        filled_any: Store, tmp_path: Path):
    from genera_graph.io.withdrawals import RULE

    store = filled_any
    (tmp_path / "a").mkdir()
    old = _contacts_file(tmp_path / "a", [
        "XOLD1;05/05/2017;H01;H02;mutual_help;peer;community;CP01;facilitator_record",
        "XOLD2;06/05/2017;H02;H03;mutual_help;peer;community;CP01;facilitator_record"])
    sheet = _attendance_file(tmp_path, ["ACT1;I012;12/06/2016;participant;attendance_sheet"])
    assert store.import_paths([old, sheet]).committed
    assert withdraw_record(store, COORD, "interactions", {"interaction_id": "XOLD1"}).ok
    assert withdraw_record(store, COORD, "participations", {
        "activity_id": "ACT1", "actor_id": "I012", "date": "12/06/2016"}).ok
    newer = _contacts_file(tmp_path, [  # the register moved on since
        "XNEW1;07/05/2017;H01;H03;mutual_help;peer;community;CP01;facilitator_record"])
    assert store.import_paths([newer]).committed
    sheet.write_text(sheet.read_text(encoding="utf-8") + "ACT1;I031;12/06/2016;participant;"
                     "attendance_sheet\n", encoding="utf-8")
    again = store.import_paths([old, sheet])
    assert again.committed
    data = store.load()
    assert "XOLD1" not in set(data.interactions["interaction_id"])
    assert {"XOLD2", "XNEW1"} <= set(data.interactions["interaction_id"])
    assert not ((data.participations["actor_id"] == "I012").any())
    assert (data.participations["actor_id"] == "I031").any()
    warned = sorted((p.file, p.row, p.column, p.value) for p in again.problems
                    if p.rule == RULE)
    assert warned == [("attendance.csv", 2, "activity_id", "ACT1"),
                      ("contacts.csv", 2, "interaction_id", "XOLD1")]
    assert all(p.severity == "warning" for p in again.problems if p.rule == RULE)
    for f in again.files:  # nothing lost silently
        assert f.rows_withdrawn == 1
        assert f.rows_read == (f.rows_accepted + f.rows_quarantined + f.rows_erased
                               + f.rows_withdrawn)
    # recorded again on purpose in the explorer: the withdrawal is lifted
    assert save_record(store, COORD, "participations", {
        "activity_id": "ACT1", "actor_id": "I012", "date": "12/06/2016",
        "role": "participant"}).ok
    with store.read_transaction() as conn:
        left = conn.exec_driver_sql("SELECT table_name FROM withdrawals").scalars().all()
    assert left == ["interactions"]


def test_upgrade_from_the_previous_head_adds_the_withdrawal_ledger(store_url: str):
    from genera_graph.io.schema import MIGRATIONS

    step = next(s for s, m in MIGRATIONS.items() if "withdrawals" in (m.__doc__ or ""))
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, step - 1)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("withdrawals")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        with store.read_transaction() as conn:
            assert sa.inspect(conn).has_table("withdrawals")


SEEN = {"activity_id": "ACT1", "actor_id": "I021", "date": "12/06/2016", "role": "participant",
        "source": "attendance_sheet"}
SEEN_KEY = {"activity_id": "ACT1", "actor_id": "I021", "date": "12/06/2016"}


def test_correcting_an_attendances_day_moves_it_and_keeps_one_history(filled_any: Store):
    store = filled_any
    assert save_record(store, F1, "participations", SEEN).ok
    moved = correct_record(store, F1, "participations", {**SEEN, "date": "13/06/2016"},
                           key=SEEN_KEY)
    assert moved.ok, moved.problems
    assert moved.previous == [SEEN]
    new_key = {**SEEN_KEY, "date": "13/06/2016"}
    days = store.load().participations.query("actor_id == 'I021'")["date"].tolist()
    assert days == [pd.Timestamp("2016-06-13")]  # the old day is gone, not kept beside it
    assert current_record(store, "participations", SEEN_KEY) is None
    versions = record_versions(store, "participations", new_key)
    assert versions["action"].tolist() == ["created", "corrected"]
    assert json.loads(versions["changes"].iloc[1]) == {"date": ["12/06/2016", "13/06/2016"]}
    assert [json.loads(k)[2] for k in versions["record_key"]] == ["12/06/2016", "13/06/2016"]
    # the old key: its last version is a withdrawal, and an old register cannot bring it back
    old = record_history(store).query("record_key == '[\"ACT1\", \"I021\", \"12/06/2016\"]'")
    assert old["action"].tolist() == ["created", "withdrawn"]
    with store.read_transaction() as conn:
        ledger = conn.exec_driver_sql("SELECT record_key FROM withdrawals").scalars().all()
    assert [json.loads(k) for k in ledger] == [["ACT1", "I021", "12/06/2016"]]
    # it is still its author's: they may correct it again (its role), nobody else of CP01 may
    listed = explorer_records(store)
    assert listed[["record_key", "owner"]].values.tolist() == [
        ['["ACT1", "I021", "13/06/2016"]', "u-f1"]]
    assert change_problems(store, F1, "participations", new_key) == []
    assert "only its author" in change_problems(store, F1_OTHER, "participations",
                                                new_key)[0].rule
    again = correct_record(store, F1, "participations", {**SEEN, "date": "13/06/2016",
                                                         "role": "organiser"}, key=new_key)
    assert again.ok, again.problems
    assert record_versions(store, "participations", new_key)["action"].tolist() == [
        "created", "corrected", "corrected"]
    assert not correct_record(store, F1_OTHER, "participations", {**SEEN, "date": "14/06/2016"},
                              key=new_key).ok


def test_a_move_onto_a_key_already_recorded_writes_nothing(filled: Store):
    assert save_record(filled, F1, "participations", SEEN).ok
    before = _counts(filled)
    # I010 attended ACT1 on 10/06/2016 already (the register's row)
    clash = correct_record(filled, F1, "participations",
                           {**SEEN, "actor_id": "I010", "date": "10/06/2016"}, key=SEEN_KEY)
    assert not clash.ok
    assert clash.by_column()["actor_id"] == ["already recorded: correct it instead"]
    # a person of another point is a scope problem, as when creating it
    other = correct_record(filled, F1, "participations", {**SEEN, "actor_id": "I040"},
                           key=SEEN_KEY)
    assert "not a family or person of your Community Point" in other.by_column()["actor_id"]
    bad_day = correct_record(filled, F1, "participations", {**SEEN, "date": "31/06/2016"},
                             key=SEEN_KEY)
    assert bad_day.by_column()["date"] == ["not a valid date dd/mm/yyyy"]
    assert _counts(filled) == before


def test_an_id_never_changes_and_another_points_record_is_not_to_change(filled: Store):
    made = save_record(filled, F1, "interactions", CONTACT)
    cells, key = made.rows[0][1], made.keys[0]
    with pytest.raises(ValueError, match="never changes"):
        correct_record(filled, F1, "interactions", {**cells, "interaction_id": "X-other"},
                       key=key)
    assert correct_record(filled, F1, "interactions", {**cells, "kind": "meeting"},
                          key=key).ok  # the same id given as key: a plain correction
    assert change_problems(filled, COORD, "interactions", key) == []
    assert "only its author" in change_problems(filled, F2, "interactions", key)[0].rule
    assert change_problems(filled, Author("u-r", "researcher"), "interactions", key)
    assert change_problems(filled, F1, "interactions", {"interaction_id": "nope"})[0].rule == \
        "no such record"
    # a record imported (not made here) is a coordinator's to correct
    assert "only its author" in change_problems(filled, F1, "interactions",
                                                {"interaction_id": "X0001"})[0].rule
    assert change_problems(filled, COORD, "interactions", {"interaction_id": "X0001"}) == []
