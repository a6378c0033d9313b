"""The store's columnar copy (genera_graph.io.snapshot): the same tables, never a stale state,
private, and gone after an erasure."""

from __future__ import annotations

import stat
from pathlib import Path

import pandas as pd
import pytest

from genera_graph.io import snapshot
from genera_graph.io.erasure import erase_actors
from genera_graph.io.store import Store
from tests.io.helpers import tiny_dataset

TABLES = ("actors", "household_members", "activities", "participations", "interactions",
          "relations")


def _same(got, expected) -> None:
    for name in TABLES:  # dtypes, missing values and order included
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name),
                                      check_exact=True)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "genera.sqlite") as opened:
        assert opened.import_dataset(tiny_dataset()).ok
        yield opened


def _copies(store: Store) -> list[Path]:
    return sorted(p for p in snapshot.snapshot_dir(store).iterdir())


def test_the_copy_holds_the_same_tables_as_the_store(store: Store):
    fresh = store.load()
    _same(store.load(cached=True), fresh)  # read from the store, copy written
    (copy,) = _copies(store)
    assert (copy / "complete").exists()
    _same(store.load(cached=True), fresh)  # read from the copy
    # the copy is what is read: a name changed in it (not in the store) shows
    changed = fresh.actors.copy()
    changed.loc[0, "name"] = "Solo nella copia"
    import pyarrow as pa

    with open(copy / "actors.arrow", "wb") as sink:
        table = snapshot._arrow(changed)
        with pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
    assert store.load(cached=True).actors.loc[0, "name"] == "Solo nella copia"
    assert store.load().actors.loc[0, "name"] == fresh.actors.loc[0, "name"]


def test_a_write_makes_a_new_copy_and_removes_the_old(store: Store):
    store.load(cached=True)
    (old,) = _copies(store)
    data = tiny_dataset()
    actors = data.actors.copy()
    actors.loc[actors["actor_id"] == "AS001", "name"] = "Associazione Rinominata"
    assert store.import_dataset(type(data)(**{**data.tables(), "actors": actors})).ok
    got = store.load(cached=True)
    assert "Associazione Rinominata" in set(got.actors["name"])
    _same(got, store.load())
    (new,) = _copies(store)
    assert new.name != old.name and not old.exists()


def test_the_copy_is_private(store: Store):
    store.load(cached=True)
    folder = snapshot.snapshot_dir(store)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in _copies(store)[0].iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_erasure_leaves_no_copy_holding_the_person(store: Store):
    store.load(cached=True)
    name = "Zorba Fittizio"
    assert any(name.encode() in p.read_bytes() for p in _copies(store)[0].iterdir())
    erase_actors(store, ["I0001"], by="cli:dpo")
    assert _copies(store) == []
    after = store.load(cached=True)
    assert "I0001" not in set(after.actors["actor_id"])
    for path in _copies(store)[0].iterdir():
        assert name.encode() not in path.read_bytes()


def test_a_copy_of_a_state_that_passed_while_it_was_written_is_discarded(store: Store,
                                                                          monkeypatch):
    """A reading made before another process's write (an erasure, say) must not leave its
    copy behind: the writer reads the state again once the copy is in place."""
    states = iter(["s-old", "s-new"])
    monkeypatch.setattr(snapshot, "_state", lambda conn: next(states))
    _same(store.load(cached=True), store.load())
    assert _copies(store) == []


def test_no_copy_for_a_store_that_is_not_an_sqlite_file():
    class Postgres:
        dialect = "postgresql"

    assert snapshot.snapshot_dir(Postgres()) is None


def test_a_dataset_read_from_a_copy_outlives_the_copy(store: Store):
    """The copy of an older state is overwritten with zeros when a newer one is written: a
    dataset read from it before (an explorer's) must not change."""
    store.load(cached=True)
    held = store.load(cached=True)  # from the copy
    expected = {name: frame.astype(object) for name, frame in held.tables().items()}
    erase_actors(store, ["I0002"], by="cli:dpo")  # the copy is wiped
    store.load(cached=True)  # and a new one written
    for name, frame in held.tables().items():
        pd.testing.assert_frame_equal(frame.astype(object), expected[name], check_exact=True)
