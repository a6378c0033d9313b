"""Introductions acted upon in the store (schema step 5): scoped, validated, with history and
audit; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import sqlalchemy as sa

from genera_graph.io.audit import AuditLog
from genera_graph.io.erasure import erase_actors
from genera_graph.io.introductions import (
    introduction_history,
    record_introduction,
    stored_introductions,
)
from genera_graph.io.records import Author
from genera_graph.io.schema import METADATA, MIGRATIONS, upgrade_connection
from genera_graph.io.store import SCHEMA_VERSION, Store
from genera_graph.io.store import store_url as to_url

STEP = next(s for s, m in MIGRATIONS.items() if "introductions" in (m.__doc__ or ""))
TODAY = date(2017, 6, 30)
ANNA = Author("anna", "facilitator", ("CP01",))
BRUNO = Author("bruno", "facilitator", ("CP02",))


def _seeded(url) -> Store:
    """A store holding a few actors of two points (inserted directly: an import is slow)."""
    store = Store(url)
    rows = [("CP01", "community_point", "CP01", None), ("CP02", "community_point", "CP02", None),
            ("F01", "facilitator", "CP01", None), ("H0001", "household", "CP01", "F01"),
            ("H0002", "household", "CP01", "F01"), ("H0003", "household", "CP02", None),
            ("AS001", "association", None, None)]
    with store.write_transaction() as conn:
        conn.execute(sa.insert(METADATA.tables["actors"]), [
            {"actor_id": a, "kind": k, "name": f"Nome Finto {a}", "community_point_id": cp,
             "facilitator_id": f, "first_met": date(2016, 6, 1)} for a, k, cp, f in rows])
    return store


def _problems(result):
    return sorted((p.column or "", p.rule) for p in result.problems)


def test_upgrade_from_the_previous_head_adds_the_introductions_table(store_url: str):
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, STEP - 1)
        conn.exec_driver_sql("INSERT INTO actors (actor_id, kind, name, first_met) "
                             "VALUES ('H9', 'household', 'Famiglia Finta', '2016-06-01')")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("introductions")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.load().actors["actor_id"].tolist() == ["H9"]
        assert stored_introductions(store).empty


def test_marks_keep_every_version_and_audit_ids_only(tmp_path):
    with _seeded(tmp_path / "genera.sqlite") as store:
        first = record_introduction(store, ANNA, "H0001", "H0002", "proposed", "01/09/2016",
                                    reason="same_community_point", today=TODAY)
        assert first.ok, first.problems
        again = record_introduction(store, ANNA, "H0001", "H0002", "proposed", "02/09/2016",
                                    today=TODAY)
        assert _problems(again) == [("status", "already proposed: nothing to change")]
        early = record_introduction(store, ANNA, "H0001", "H0002", "done", "31/08/2016",
                                    today=TODAY)
        assert _problems(early) == [("date", "before the introduction's previous status, "
                                             "01/09/2016")]
        done = record_introduction(store, ANNA, "H0001", "H0002", "done", "20/09/2016",
                                   today=TODAY)
        assert done.ok and done.keys == first.keys
        current = stored_introductions(store)
        assert current[["actor_id", "candidate_id", "status", "reason", "community_point_id",
                        "facilitator_id", "author"]].values.tolist() == [
            ["H0001", "H0002", "done", "same_community_point", "CP01", "F01", "anna"]]
        assert current["date"].tolist() == [pd.Timestamp("2016-09-20")]
        history = introduction_history(store)
        assert history["action"].tolist() == ["created", "corrected"]
        assert history["version"].tolist() == [1, 2]
        assert json.loads(history["changes"].iloc[1]) == {
            "status": ["proposed", "done"], "date": ["01/09/2016", "20/09/2016"]}
        log = AuditLog(store).entries(action="introduction_done")
        intro_id = first.keys[0]["introduction_id"]
        assert log["target"].tolist() == [f"{intro_id},H0001,H0002"]
        assert log["username"].tolist() == ["anna"]
        text = AuditLog(store).entries().to_json(date_format="iso")
        assert "Nome Finto" not in text  # ids only, never a name
        assert AuditLog(store).verify().ok


def test_invalid_marks_name_their_fields_and_write_nothing(tmp_path):
    with _seeded(tmp_path / "genera.sqlite") as store:
        cases = [
            (("H0001", "H0002", "maybe", "01/09/2016"), {},
             [("status", "value not allowed; allowed: proposed, declined, done")]),
            (("H0001", "H0002", "declined", "31/02/2017"), {"decline_reason": "other"},
             [("date", "not a valid date dd/mm/yyyy")]),
            (("H0001", "H0002", "done", "01/07/2017"), {},
             [("date", "a date after today")]),
            (("H0001", "H0002", "declined", "01/09/2016"), {"decline_reason": "bored"},
             [("decline_reason", "value not allowed; allowed: family_refused, "
                                 "candidate_refused, not_appropriate, already_know, "
                                 "unreachable, other")]),
            (("H0001", "H0002", "done", "01/09/2016"), {"decline_reason": "other"},
             [("decline_reason", "only a declined introduction has a reason for it")]),
            (("H0001", "H0002", "done", "01/09/2016"), {"reason": "Rossi knows them"},
             [("reason", "value not allowed; allowed: shared_activity, partner_in_common, "
                         "partners_in_common_hidden, same_community_point, "
                         "same_municipality, programme_match, similar_situation, "
                         "close_in_network, newcomer")]),
            (("H0001", "F01", "done", "01/09/2016"), {},
             [("candidate_id", "not a peer (a family, a person, an association or a "
                               "group)")]),
            (("H0001", "H0001", "done", "01/09/2016"), {},
             [("candidate_id", "an actor cannot be introduced to itself")]),
            (("NOBODY", "", "", ""), {},
             [("actor_id", "unknown actor id"), ("candidate_id", "required value missing"),
              ("date", "required value missing"), ("status", "required value missing")]),
        ]
        for args, extra, expected in cases:
            result = record_introduction(store, ANNA, *args, today=TODAY, **extra)
            assert not result.ok and _problems(result) == expected, args
        reader = record_introduction(store, Author("rita", "researcher"), "H0001", "H0002",
                                     "done", "01/09/2016", today=TODAY)
        assert not reader.ok
        assert stored_introductions(store).empty and introduction_history(store).empty
        assert AuditLog(store).entries().empty


def test_a_facilitator_acts_only_for_their_points_families(store_url: str):
    with _seeded(store_url) as store:
        forged = record_introduction(store, BRUNO, "H0001", "H0003", "done", "01/09/2016",
                                     today=TODAY)
        assert _problems(forged) == [
            ("actor_id", "not a family or person of your Community Point")]
        other = record_introduction(store, ANNA, "H0001", "H0003", "proposed", "01/09/2016",
                                    today=TODAY)
        assert _problems(other) == [
            ("candidate_id", "not a family or person of your Community Point")]
        assert stored_introductions(store).empty
        # an association is anyone's to introduce; a coordinator acts everywhere
        assert record_introduction(store, BRUNO, "H0003", "AS001", "proposed", "01/09/2016",
                                   today=TODAY).ok
        assert record_introduction(store, Author("carla"), "H0001", "H0003", "declined",
                                   "01/09/2016", decline_reason="family_refused",
                                   today=TODAY).ok
        assert sorted(stored_introductions(store)["status"]) == ["declined", "proposed"]


def test_erasure_removes_a_persons_introductions_and_their_history(tmp_path):
    with _seeded(tmp_path / "genera.sqlite") as store:
        assert record_introduction(store, ANNA, "H0001", "H0002", "done", "01/09/2016",
                                   today=TODAY).ok
        assert record_introduction(store, BRUNO, "H0003", "AS001", "done", "01/09/2016",
                                   today=TODAY).ok
        erase_actors(store, ["H0002"], by="cli:test")
        assert stored_introductions(store)["actor_id"].tolist() == ["H0003"]
        assert "H0002" not in introduction_history(store).to_json(date_format="iso")
