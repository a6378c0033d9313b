"""Import semantics: strict or partial, cross-file checks, idempotence, upserts; both backends."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.io import importer
from genera_graph.io.registers import REGISTERS, write_registers
from genera_graph.io.store import Store
from tests.io.helpers import assert_same_dataset, tiny_dataset


def _registers(folder: Path) -> Path:
    write_registers(tiny_dataset(), folder)
    return folder


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a register file (``row`` as a spreadsheet row: the header is 1)."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, sep=";", index=False)


def _append(path: Path, cells: dict[str, str]) -> None:
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame = pd.concat([frame, pd.DataFrame([cells])], ignore_index=True).fillna("")
    frame.to_csv(path, sep=";", index=False)


def test_folder_import_loads_the_dataset(store: Store, tmp_path: Path):
    result = store.import_paths(_registers(tmp_path / "in"))
    assert result.ok, result.summary()
    assert_same_dataset(store.load(), tiny_dataset())
    assert {f.status for f in result.files} == {"imported"}


def test_strict_import_with_one_error_writes_nothing(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    _edit(folder / "contacts.csv", 3, "nature", "friendly")
    result = store.import_paths(folder)
    assert not result.committed and not result.ok
    assert [(p.file, p.row, p.column, p.value) for p in result.errors] == [
        ("contacts.csv", 3, "nature", "friendly")]
    assert sum(store.counts().values()) == 0
    assert store.fingerprint().endswith("r0")
    assert result.rejected_rows["contacts.csv"].index.tolist() == [3]
    assert {f.status for f in result.files} == {"rejected"}


def test_partial_import_quarantines_bad_rows(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    _edit(folder / "contacts.csv", 3, "nature", "friendly")
    _edit(folder / "attendance.csv", 2, "date", "31/02/2017")
    result = store.import_paths(folder, partial=True)
    assert result.committed
    for outcome in result.files:
        assert outcome.rows_accepted + outcome.rows_quarantined == outcome.rows_read
    by_file = {f.file: f for f in result.files}
    assert by_file["contacts.csv"].rows_quarantined == 1
    assert by_file["contacts.csv"].status == "partial"
    quarantine = store.quarantine()
    assert sorted(zip(quarantine["file_name"], quarantine["row_number"], strict=True)) == [
        ("attendance.csv", 2), ("contacts.csv", 3)]
    cells = json.loads(quarantine.set_index("file_name").loc["contacts.csv", "cells"])
    assert cells["nature"] == "friendly"
    expected = tiny_dataset()
    loaded = store.load()
    assert len(loaded.interactions) == len(expected.interactions) - 1
    assert len(loaded.participations) == len(expected.participations) - 1
    runs = store.import_runs().set_index("file_name")
    assert runs.loc["contacts.csv", "rows_quarantined"] == 1


def test_same_files_again_are_a_reported_no_op(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    store.import_paths(folder)
    counts, fingerprint = store.counts(), store.fingerprint()
    again = store.import_paths(folder)
    assert {f.status for f in again.files} == {"unchanged"}
    assert "unchanged" in again.summary()
    assert store.counts() == counts and store.fingerprint() == fingerprint


def test_updated_register_upserts_without_duplicates(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    store.import_paths(folder)
    contacts = folder / "contacts.csv"
    _edit(contacts, 2, "kind", "referral")
    _append(contacts, {"interaction_id": "C0099", "date": "05/05/2017",
                       "source_actor_id": "I0002", "target_actor_id": "I0001",
                       "kind": "meeting", "nature": "peer", "programme": "community",
                       "source": "survey"})
    result = store.import_paths(folder)
    assert result.ok
    statuses = {f.file: f.status for f in result.files}
    assert statuses.pop("contacts.csv") == "imported"
    assert set(statuses.values()) == {"unchanged"}
    (outcome,) = [f for f in result.files if f.file == "contacts.csv"]
    old = tiny_dataset().interactions
    assert (outcome.rows_read, outcome.rows_new) == (len(old) + 1, 1)
    loaded = store.load().interactions.set_index("interaction_id")
    assert len(loaded) == len(old) + 1 and loaded.index.is_unique
    assert loaded.loc[old["interaction_id"].iloc[0], "kind"] == "referral"


def test_reimporting_an_older_version_applies_it_again(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    contacts = folder / "contacts.csv"
    first_version = contacts.read_bytes()
    assert store.import_paths(folder).ok
    _edit(contacts, 2, "kind", "referral")
    assert store.import_paths(contacts).ok
    contacts.write_bytes(first_version)
    result = store.import_paths(contacts)
    assert result.files[0].status == "imported"
    kinds = store.load().interactions["kind"].tolist()
    assert kinds == tiny_dataset().interactions["kind"].tolist()


def test_register_without_an_optional_column_keeps_stored_values(store: Store, tmp_path: Path):
    store.import_paths(_registers(tmp_path / "in"))
    path = tmp_path / "actors.csv"
    path.write_text("actor_id;kind;name;first_met\nI0001;individual;Nome Cambiato;01/06/2016\n",
                    encoding="utf-8")
    assert store.import_paths(path).ok
    actor = store.load().actors.set_index("actor_id").loc["I0001"]
    assert actor["name"] == "Nome Cambiato"
    assert actor["municipality"] == "Rezzato"  # not in the file: left as stored


def test_ids_are_checked_against_the_store_and_the_files(store: Store, tmp_path: Path):
    store.import_paths(_registers(tmp_path / "in"))
    new = tmp_path / "new"
    new.mkdir()
    (new / "actors.csv").write_text(
        "actor_id;kind;name;community_point_id;first_met\n"
        "I0100;individual;Persona Nuova;CP01;01/01/2017\n", encoding="utf-8")
    (new / "contacts.csv").write_text(
        "interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;source\n"
        "C0100;02/01/2017;I0100;F01;support;professional;work;survey\n"  # new file + store
        "C0101;02/01/2017;I0100;I0404;support;professional;work;survey\n", encoding="utf-8")
    result = store.import_paths(new)
    assert [(p.file, p.row, p.column, p.value) for p in result.errors] == [
        ("contacts.csv", 3, "target_actor_id", "I0404")]
    assert "unknown actor id" in result.errors[0].rule


def test_the_database_refuses_what_a_validation_bug_would_let_through(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The store's own reference check stands behind the importer's (SQLite: once per import,
    on the ids written; PostgreSQL: its deferred foreign keys)."""
    store.import_paths(_registers(tmp_path / "in"))
    before = store.counts()
    monkeypatch.setattr(importer, "_reference_problems",
                        lambda typed, *_: ([], np.zeros(len(typed), dtype=bool)))
    new = tmp_path / "new"
    new.mkdir()
    (new / "contacts.csv").write_text(
        "interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;source\n"
        "C0101;02/01/2017;I0001;I0404;support;professional;work;survey\n", encoding="utf-8")
    with pytest.raises(sa.exc.IntegrityError, match="(?i)foreign key"):
        store.import_paths(new)
    assert store.counts() == before


def test_rows_referring_to_rejected_rows_are_quarantined_too(store: Store, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "actor_id;kind;name;community_point_id;facilitator_id;first_met\n"
        "CP01;community_point;Punto Uno;CP01;;18/05/2016\n"
        "F01;facilitator;Facilitatrice;CP01;;31/02/2016\n"      # bad date
        "H0001;household;Famiglia;CP01;F01;01/06/2016\n"        # follows the bad facilitator
        "I0001;individual;Persona;CP01;;01/06/2016\n", encoding="utf-8")
    (folder / "contacts.csv").write_text(
        "interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;source\n"
        "C1;02/06/2016;F01;I0001;support;professional;work;survey\n"
        "C2;02/06/2016;I0001;CP01;meeting;professional;work;survey\n", encoding="utf-8")
    result = store.import_paths(folder, partial=True)
    assert result.committed
    assert sorted(store.load().actors["actor_id"]) == ["CP01", "I0001"]
    assert store.load().interactions["interaction_id"].tolist() == ["C2"]
    located = {(p.file, p.row, p.column) for p in result.errors}
    assert located == {("actors.csv", 3, "first_met"), ("actors.csv", 4, "facilitator_id"),
                       ("contacts.csv", 2, "source_actor_id")}
    assert store.counts()["actors"] + store.counts()["interactions"] + len(
        store.quarantine()) == 6


def test_duplicate_keys_across_registers_and_chunks(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    housing = pd.read_csv(folder / "housing.csv", sep=";", dtype=str)
    _append(folder / "placements.csv", {**housing.iloc[0].to_dict(), "kind": "apprenticeship"})
    contacts = pd.read_csv(folder / "contacts.csv", sep=";", dtype=str)
    _append(folder / "contacts.csv", contacts.iloc[0].fillna("").to_dict())
    result = store.import_paths(folder, chunk_rows=1)  # every row its own chunk
    relation_id = housing.iloc[0]["relation_id"]
    messages = {(p.file, p.row, p.column, p.rule, p.value) for p in result.errors}
    n_contacts = len(contacts)
    assert messages == {
        ("placements.csv", 3, "relation_id", "duplicate relation_id: already on row 2 of "
         "housing.csv", relation_id),
        ("contacts.csv", n_contacts + 2, "interaction_id",
         "duplicate interaction_id: already on row 2", contacts.iloc[0]["interaction_id"]),
    }


def test_missing_paths_and_unknown_registers_are_errors(store: Store, tmp_path: Path):
    stray = tmp_path / "payroll.csv"
    stray.write_text("a;b\n1;2\n", encoding="utf-8")
    result = store.import_paths([tmp_path / "nowhere.csv", stray])
    assert {p.rule for p in result.errors} == {
        "no such file or folder",
        "not a known register (expected one of "
        + ", ".join(r.file for r in REGISTERS) + ")"}
    assert not result.committed


def test_progress_callback_runs_inside_the_transaction(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    seen = []
    store.import_paths(folder, progress=lambda name, rows: seen.append((name, rows)),
                       chunk_rows=1)
    assert ("actors.csv", len(tiny_dataset().actors)) in seen
    assert len(seen) == sum(len(t) for t in tiny_dataset().tables().values())


def test_progress_bar_goes_to_stderr(store: Store, tmp_path: Path,
                                     capsys: pytest.CaptureFixture):
    store.import_paths(_registers(tmp_path / "in"), progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and "rows" in captured.err


def test_log_never_gets_names_or_values(store: Store, tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture):
    folder = _registers(tmp_path / "in")
    _edit(folder / "actors.csv", 3, "first_met", "31/02/2017")
    caplog.set_level(logging.DEBUG, logger="genera_graph")
    store.import_paths(folder, partial=True)
    assert caplog.records  # the importer does log (counts)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for name in tiny_dataset().actors["name"]:
        assert name not in logged
    assert "31/02/2017" not in logged


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_partial_import_accounts_for_every_row(tmp_path_factory: pytest.TempPathFactory,
                                               data: st.DataObject):
    """Random cells spoiled: accepted + quarantined == rows read, and only good rows load."""
    folder = tmp_path_factory.mktemp("spoiled")
    write_registers(tiny_dataset(), folder)
    spoiled: dict[str, set[int]] = {}
    for _ in range(data.draw(st.integers(1, 4))):
        # registers nobody refers to (a spoiled activity would also reject its attendance)
        register = data.draw(st.sampled_from([r for r in REGISTERS
                                              if r.table not in ("actors", "activities")]))
        frame = pd.read_csv(folder / register.file, sep=";", dtype=str, keep_default_na=False)
        if frame.empty:
            continue
        row = data.draw(st.integers(0, len(frame) - 1))
        column = data.draw(st.sampled_from(list(register.required_columns)))
        frame.loc[row, column] = data.draw(st.sampled_from(["", "??", "=1+1", "32/13/2017"]))
        frame.to_csv(folder / register.file, sep=";", index=False)
        spoiled.setdefault(register.file, set()).add(row + 2)
    with Store(folder / "g.sqlite") as store:
        result = store.import_paths(folder, partial=True)
        assert result.committed
        for outcome in result.files:
            assert outcome.rows_accepted + outcome.rows_quarantined == outcome.rows_read
            rows = spoiled.get(outcome.file, set())
            assert outcome.rows_quarantined == len(rows), outcome
        assert len(store.quarantine()) == sum(len(r) for r in spoiled.values())


def test_a_file_named_twice_is_read_once(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    result = store.import_paths([folder, folder / "actors.csv"])
    assert result.ok
    assert [f.file for f in result.files].count("actors.csv") == 1


# -- identity: an id names one record; an update says what it changed --------------------------

def test_an_id_of_another_register_is_a_problem_never_an_overwrite(store: Store,
                                                                    tmp_path: Path):
    store.import_paths(_registers(tmp_path / "in"))  # R1 is a lease of housing.csv
    before = store.load().relations.set_index("relation_id").loc["R1"]
    path = tmp_path / "memberships.csv"
    path.write_text(
        "relation_id;kind;actor_id;partner_id;start_date;nature;programme;source\n"
        "R1;membership;I0001;AS001;01/10/2016;institutional;community;register\n",
        encoding="utf-8")
    result = store.import_paths(path)
    assert not result.committed
    (problem,) = result.errors
    assert (problem.file, problem.row, problem.column) == ("memberships.csv", 2, "relation_id")
    assert "already the lease R1 of housing.csv" in problem.rule
    after = store.load().relations.set_index("relation_id").loc["R1"]
    pd.testing.assert_series_equal(after, before)


def test_an_actor_never_changes_kind_by_import(store: Store, tmp_path: Path):
    store.import_paths(_registers(tmp_path / "in"))
    path = tmp_path / "actors.csv"
    path.write_text("actor_id;kind;name;first_met\nI0001;household;Famiglia;01/06/2016\n",
                    encoding="utf-8")
    (problem,) = store.import_paths(path).errors
    assert problem.row == 2 and "already the individual I0001 of actors.csv" in problem.rule
    assert store.load().actors.set_index("actor_id").loc["I0001", "kind"] == "individual"


def test_an_update_says_what_changed_per_column(store: Store, tmp_path: Path):
    folder = _registers(tmp_path / "in")
    store.import_paths(folder)
    contacts = folder / "contacts.csv"
    _edit(contacts, 2, "kind", "referral")
    _edit(contacts, 2, "nature", "peer")
    _edit(contacts, 3, "nature", "professional")
    _append(contacts, {"interaction_id": "C0099", "date": "05/05/2017",
                       "source_actor_id": "I0002", "target_actor_id": "I0001",
                       "kind": "meeting", "nature": "peer", "programme": "community",
                       "source": "survey"})
    result = store.import_paths(contacts)
    (outcome,) = result.files
    assert (outcome.rows_new, outcome.rows_changed) == (1, 2)
    assert dict(outcome.changes) == {"kind": 1, "nature": 2}
    assert "1 new, 2 changed (kind 1, nature 2)" in result.summary()
