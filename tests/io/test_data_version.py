"""The store's data version: every write to the data bumps it in its own transaction (imports,
records made in the explorer, withdrawals, direct SQL), a rolled-back one does not, and a store
of the previous schema gains it on opening (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from genera_graph.io.records import Author, save_record, withdraw_record
from genera_graph.io.schema import (
    DATA_VERSION_TABLES,
    MIGRATIONS,
    data_version,
    upgrade_connection,
)
from genera_graph.io.store import SCHEMA_VERSION, Store
from genera_graph.io.store import store_url as to_url
from genera_graph.model import Dataset

STEP = next(s for s, m in MIGRATIONS.items() if "data_version" in (m.__doc__ or ""))
BOSS = Author("u-coord", "coordinator")


def _version(store: Store) -> int:
    with store.read_transaction() as conn:
        return data_version(conn)


def _households() -> Dataset:
    empty = Dataset.empty()
    actors = empty.actors.reindex(range(2)).assign(
        actor_id=["H1", "H2"], kind="household", name=["Famiglia Uno", "Famiglia Due"],
        first_met=[date(2016, 6, 1)] * 2)
    return Dataset(**dict(empty.tables(), actors=actors.astype(
        {"first_met": "datetime64[ns]"})))


def test_every_write_to_the_data_bumps_the_version_and_a_rollback_does_not(store_url: str):
    with Store(store_url) as store:
        start = _version(store)
        assert store.import_dataset(_households()).ok
        imported = _version(store)
        assert imported > start
        result = save_record(store, BOSS, "interactions", {
            "date": "03/04/2017", "source_actor_id": "H1", "target_actor_id": "H2",
            "kind": "meeting", "nature": "peer", "programme": "community"})
        assert result.ok and result.data_versions[0] == imported
        assert _version(store) == result.data_versions[1] > imported
        key = {"interaction_id": result.keys[0]["interaction_id"]}
        withdrawn = withdraw_record(store, BOSS, "interactions", key)
        assert withdrawn.ok and _version(store) == withdrawn.data_versions[1] > \
            result.data_versions[1]
        now = _version(store)
        bad = save_record(store, BOSS, "interactions", {"date": "31/02/2017"})
        assert not bad.ok and _version(store) == now
        try:
            with store.write_transaction() as conn:
                conn.exec_driver_sql("DELETE FROM actors WHERE actor_id = 'H2'")
                raise RuntimeError("abandon")
        except RuntimeError:
            pass
        assert _version(store) == now
        with store.write_transaction() as conn:  # any writer counts, even plain SQL
            conn.exec_driver_sql("UPDATE actors SET name = 'Famiglia Tre' WHERE actor_id = 'H2'")
        assert _version(store) > now


def test_upgrade_from_the_previous_head_adds_the_data_version(store_url: str):
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, STEP - 1)
        conn.exec_driver_sql("INSERT INTO actors (actor_id, kind, name, first_met) "
                             "VALUES ('H9', 'household', 'Famiglia Finta', '2016-06-01')")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("data_version")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.load().actors["actor_id"].tolist() == ["H9"]
        before = _version(store)
        with store.write_transaction() as conn:
            conn.exec_driver_sql("DELETE FROM actors WHERE actor_id = 'H9'")
        assert _version(store) > before


def _triggers(store: Store) -> list[tuple[str, str]]:
    with store.read_transaction() as conn:
        return sorted(conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all())


def _contacts(folder, rows: int, day: str = "03/04/2017"):  # noqa: ANN001, ANN202
    path = folder / "contacts.csv"
    path.write_text("\n".join(
        ["interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
         "community_point_id;source"]
        + [f"C{i:05d};{day};H1;H2;meeting;peer;community;;survey" for i in range(rows)])
        + "\n", encoding="utf-8")
    return path


def test_an_import_bumps_the_version_once_not_per_row_and_keeps_every_trigger(tmp_path):
    """SQLite: an import drops the per-row triggers for its transaction and bumps once; the
    triggers are back afterwards (another writer bumps), and a refused import leaves the
    version and the triggers as they were."""
    with Store(tmp_path / "genera.sqlite") as store:
        assert store.import_dataset(_households()).ok
        triggers = _triggers(store)
        assert len(triggers) == 3 * len(DATA_VERSION_TABLES)
        before = _version(store)
        assert store.import_paths(_contacts(tmp_path, 500)).ok
        assert _version(store) == before + 1  # per row, it was 500
        assert _triggers(store) == triggers
        assert store.import_paths(_contacts(tmp_path, 500)).ok  # the same file: a no-op
        assert _version(store) == before + 1
        assert store.import_paths(_contacts(tmp_path, 500, "04/04/2017")).ok  # 500 updates
        assert _version(store) == before + 2
        with store.write_transaction() as conn:  # the triggers count other writers again
            conn.exec_driver_sql("DELETE FROM interactions WHERE interaction_id = 'C00001'")
        assert _version(store) == before + 3
        refused = store.import_paths(_contacts(tmp_path, 3, "31/02/2017"))
        assert not refused.committed
        assert _version(store) == before + 3 and _triggers(store) == triggers
        assert store.counts()["interactions"] == 499
