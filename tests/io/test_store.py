"""The store: schema, versions, loading, bookkeeping; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import math
import sqlite3
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.io import bulk as bulk_module
from genera_graph.io.bulk import json_rows
from genera_graph.io.registers import REGISTERS, read_registers
from genera_graph.io.schema import METADATA, upgrade_connection
from genera_graph.io.store import (
    SCHEMA_VERSION,
    TABLE_KEYS,
    Store,
    StoreBusyError,
    StoreVersionError,
)
from genera_graph.io.store import store_url as to_url
from genera_graph.model import TABLE_SCHEMAS, Dataset
from tests.io.helpers import assert_same_dataset, tiny_dataset
from tests.io.strategies import datasets


def test_store_tables_follow_the_model_schemas():
    """A model change without a schema migration fails here."""
    for name, schema in TABLE_SCHEMAS.items():
        model = schema.to_schema().columns
        table = METADATA.tables[name]
        assert list(table.c.keys()) == list(model), name
        for col, column in model.items():
            assert table.c[col].nullable == column.nullable or table.c[col].primary_key, col
        assert tuple(c.name for c in table.primary_key.columns) == TABLE_KEYS[name]
    assert set(TABLE_KEYS) == {r.table for r in REGISTERS}


def test_new_store_is_at_the_current_version_with_every_table(store: Store):
    assert store.schema_version == SCHEMA_VERSION
    engine = sa.create_engine(store.url)
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {*TABLE_SCHEMAS, "import_runs", "quarantine", "genera_schema"} <= tables


def test_empty_store_loads_typed_empty_tables(store: Store):
    loaded = store.load()
    for name, frame in loaded.tables().items():
        expected = TABLE_SCHEMAS[name].validate(Dataset.empty().tables()[name])
        assert len(frame) == 0
        assert frame.dtypes.to_dict() == expected.dtypes.to_dict(), name


def test_import_dataset_then_load_gives_it_back(store: Store):
    ds = tiny_dataset()
    result = store.import_dataset(ds)
    assert result.ok, result.summary()
    loaded = store.load()
    assert_same_dataset(loaded, ds)
    for name, frame in loaded.tables().items():  # the schemas' own dtypes
        assert frame.dtypes.to_dict() == TABLE_SCHEMAS[name].validate(frame).dtypes.to_dict()


def test_fingerprint_changes_with_data_only(store: Store):
    empty = store.fingerprint()
    assert empty == store.fingerprint()
    store.import_dataset(tiny_dataset())
    after = store.fingerprint()
    assert after != empty
    assert store.import_dataset(tiny_dataset()).files[0].status == "unchanged"
    assert store.fingerprint() == after


def test_import_runs_record_hash_counts_and_status(store: Store):
    ds = tiny_dataset()
    store.import_dataset(ds, label="first")
    runs = store.import_runs()
    assert len(runs) == len(REGISTERS)
    by_register = runs.set_index("register")
    assert by_register.loc["actors.csv", "rows_read"] == len(ds.actors)
    assert by_register.loc["actors.csv", "rows_new"] == len(ds.actors)
    assert set(runs["status"]) == {"imported"}
    assert runs["content_hash"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert runs["batch_id"].nunique() == 1
    assert pd.api.types.is_datetime64_any_dtype(runs["imported_at"])


def test_database_enforces_foreign_keys(store: Store):
    store.import_dataset(tiny_dataset())
    with pytest.raises(sa.exc.IntegrityError), store.write_transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO participations (activity_id, actor_id, date, role, source) "
            "VALUES ('A001', 'NOBODY', '2017-01-01', 'participant', 'survey')")
    assert len(store.load().participations) == len(tiny_dataset().participations)


def test_upgrade_from_version_1_keeps_data(store_url: str):
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, 1)
        conn.exec_driver_sql("INSERT INTO actors (actor_id, kind, name, first_met) "
                             "VALUES ('007', 'individual', 'Persona Finta', '2016-06-01')")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("quarantine")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.load().actors["actor_id"].tolist() == ["007"]
        assert store.quarantine().empty  # the table of version 2 exists


def test_store_newer_than_the_code_is_refused(store_url: str):
    with Store(store_url) as store, store.write_transaction() as conn:
        conn.exec_driver_sql(f"UPDATE genera_schema SET version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreVersionError, match="upgrade genera_graph"):
        Store(store_url)


def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path: Path):
    with Store(tmp_path / "g.sqlite", busy_timeout_s=7) as store, store.read_transaction() as conn:
        pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 7000}


def test_export_writes_the_registers_read_registers_reads_back(store: Store, tmp_path: Path):
    ds = tiny_dataset()
    store.import_dataset(ds)
    written = store.export(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(r.file for r in REGISTERS)
    assert_same_dataset(read_registers(tmp_path / "out"), ds)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ds=datasets())
def test_round_trip_import_export_import(tmp_path_factory: pytest.TempPathFactory, ds: Dataset):
    """import(export(store)) == store == the dataset, for generated valid datasets."""
    folder = tmp_path_factory.mktemp("rt")
    with Store(folder / "a.sqlite") as first:
        result = first.import_dataset(ds)
        assert result.ok, [str(p) for p in result.problems]
        loaded = first.load()
        assert_same_dataset(loaded, ds)
        first.export(folder / "registers")
    with Store(folder / "b.sqlite") as second:
        result = second.import_paths(folder / "registers")
        assert result.ok, [str(p) for p in result.problems]
        assert_same_dataset(second.load(), loaded)


def test_sqlite_readers_are_not_blocked_by_an_open_import(tmp_path: Path):
    path = tmp_path / "g.sqlite"
    with Store(path) as writer, Store(path, busy_timeout_s=0.2) as other:
        writer.import_dataset(tiny_dataset())
        with writer.write_transaction() as conn:  # an import in progress holds the write lock
            conn.exec_driver_sql("DELETE FROM interactions")
            assert len(other.load().interactions) == len(tiny_dataset().interactions)
            start = time.perf_counter()
            with pytest.raises(StoreBusyError, match=r"more than 0\.2 s; nothing was written"):
                other.import_dataset(tiny_dataset(), label="second")
            assert 0.15 < time.perf_counter() - start < 5  # it waited its stated timeout
        assert len(other.load().interactions) == 0


# -- the SQLite bulk path: rows as JSON, written in a background thread -------------------

_cells = st.one_of(st.none(), st.text(st.characters(exclude_categories=["Cs"]), max_size=8))
#: text a register cell can hold: no NUL (refused on reading, see test_registers)
_cell_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
                     min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(_cells, _cells, st.one_of(st.none(), st.floats()),
                               st.one_of(st.none(), st.dates())), max_size=12),
       chunked=st.booleans())
def test_json_rows_is_the_json_the_standard_library_writes(rows: list[tuple], chunked: bool):
    """Arrow-built JSON == json.dumps of the same rows (text exactly, non-finite -> null)."""
    columns = list(zip(*rows, strict=True)) or [(), (), (), ()]
    types = [pa.string(), pa.string(), pa.float64(), pa.date32()]
    arrays = []
    for values, kind in zip(columns, types, strict=True):
        if chunked:  # a frame made by concatenation hands over chunked columns
            half = len(values) // 2
            arrays.append(pa.chunked_array([list(values[:half]), list(values[half:])], kind))
        else:
            arrays.append(pa.array(list(values), kind))
    expected = [[a, b, x if x is not None and math.isfinite(x) else None,
                 d.isoformat() if d is not None else None] for a, b, x, d in rows]
    assert json.loads(json_rows(arrays)) == expected


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_cell_text, min_size=1, max_size=20))
def test_sqlite_import_stores_any_text_exactly(tmp_path_factory: pytest.TempPathFactory,
                                               names: list[str]):
    """Quotes, backslashes, control characters, emoji: what is upserted is what is read."""
    frame = pd.DataFrame({
        "actor_id": pd.Series([f"I{i:04d}" for i in range(len(names))], dtype="str"),
        "kind": pd.Series(["individual"] * len(names), dtype="str"),
        "name": pd.Series(names, dtype="str"),
        "first_met": pd.Series(pd.to_datetime(["2016-06-01"] * len(names))),
    })
    with Store(tmp_path_factory.mktemp("text") / "g.sqlite") as store:
        with store.bulk_write() as upserts:
            upserts.upsert("actors", frame, columns=list(frame.columns))
        assert store.load().actors["name"].tolist() == names


def test_sqlite_bulk_write_failure_rolls_back_and_restores_foreign_keys(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An error in the background statement reaches the caller; nothing is written."""
    with Store(tmp_path / "g.sqlite") as store:
        monkeypatch.setattr(bulk_module, "conflict_clause",
                            lambda table, columns: "ON CONFLICT (no_such_column) DO NOTHING")
        with pytest.raises(sqlite3.OperationalError, match="no_such_column"):
            store.import_dataset(tiny_dataset())
        monkeypatch.undo()
        assert set(store.counts().values()) == {0}
        with store.read_transaction() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert store.import_dataset(tiny_dataset()).ok
        assert_same_dataset(store.load(), tiny_dataset())
