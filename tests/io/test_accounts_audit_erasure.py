"""Accounts, the audit log and erasure in the store; on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import json
import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles

from genera_graph.cli import main
from genera_graph.io.accounts import AccountError, Accounts
from genera_graph.io.audit import GENESIS, AuditLog, entry_hash
from genera_graph.io.erasure import erase_actors
from genera_graph.io.schema import SCHEMA_VERSION, upgrade_connection
from genera_graph.io.store import Store
from genera_graph.io.store import store_url as to_url
from tests.io.helpers import tiny_dataset

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)


def _points(store: Store) -> list[str]:
    actors = store.load().actors
    return actors.loc[actors["kind"].eq("community_point"), "actor_id"].tolist()


# -- schema ----------------------------------------------------------------------------------

def test_upgrade_from_the_previous_head_adds_the_workplace_tables(tmp_path: Path):
    engine = sa.create_engine(to_url(str(tmp_path / "g.sqlite")))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, SCHEMA_VERSION - 1)
    engine.dispose()
    with Store(tmp_path / "g.sqlite") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert Accounts(store, CHEAP).count() == 0 and AuditLog(store).verify().ok


def test_upgrade_from_version_2_adds_the_workplace_tables_and_keeps_data(store_url: str):
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, 2)  # today's schema, as the stores in the field have it
        conn.exec_driver_sql("INSERT INTO actors (actor_id, kind, name, first_met) "
                             "VALUES ('007', 'individual', 'Persona Finta', '2016-06-01')")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("users")
        assert not sa.inspect(conn).has_table("audit_log")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.load().actors["actor_id"].tolist() == ["007"]
        assert Accounts(store, CHEAP).count() == 0  # a real store starts with no account
        assert AuditLog(store).verify().ok
        with store.read_transaction() as conn:
            assert {"users", "audit_log", "erasures", "store_secrets"} <= set(
                sa.inspect(conn).get_table_names())


# -- accounts --------------------------------------------------------------------------------

def test_accounts_roles_and_passwords(store_url: str):
    with Store(store_url) as store:
        assert store.import_dataset(tiny_dataset()).ok
        point = _points(store)[0]
        accounts = Accounts(store, CHEAP)
        account, one_time = accounts.add("Maria.R", "Maria Rossi", "facilitator", [point])
        assert account.username == "maria.r" and account.community_points == (point,)
        assert one_time and account.must_change_password
        with store.read_transaction() as conn:  # argon2id hash, never the password
            stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar()
        assert stored.startswith("$argon2id$") and one_time not in stored
        assert accounts.authenticate("maria.r", one_time).reason == "ok"
        assert accounts.authenticate("maria.r", "not the password").reason == "password"
        assert accounts.authenticate("nobody", "not the password").reason == "unknown"
        accounts.change_password("maria.r", one_time, "a much better secret")
        assert not accounts.get("maria.r").must_change_password
        with pytest.raises(AccountError, match="is taken"):
            accounts.add("maria.r", "x", "coordinator", password="long enough password")
        with pytest.raises(AccountError, match="at least 12"):
            accounts.add("luca", "Luca", "coordinator", password="short")
        with pytest.raises(AccountError, match="needs at least one Community Point"):
            accounts.add("luca", "Luca", "facilitator", password="long enough password")
        with pytest.raises(AccountError, match="not a Community Point"):
            accounts.add("luca", "Luca", "facilitator", ["A001"], password="long enough one")
        with pytest.raises(AccountError, match="unknown role"):
            accounts.add("luca", "Luca", "mayor", password="long enough password")
        accounts.set_role("maria.r", "coordinator")
        assert accounts.get("maria.r").community_points == ()
        accounts.set_active("maria.r", False)
        assert accounts.authenticate("maria.r", "a much better secret").reason == "inactive"
        assert list(accounts.list()["username"]) == ["maria.r"]
        assert "password_hash" not in accounts.list()


def test_an_old_hash_is_rehashed_at_sign_in(tmp_path: Path):
    with Store(tmp_path / "g.sqlite") as store:
        Accounts(store, CHEAP).add("anna", "Anna", "coordinator",
                                   password="correct horse battery")
        strong = PasswordHasher.from_parameters(dataclasses.replace(profiles.CHEAPEST,
                                                                    time_cost=2))
        assert Accounts(store, strong).authenticate("anna", "correct horse battery").account
        with store.read_transaction() as conn:
            assert ",t=2," in conn.exec_driver_sql("SELECT password_hash FROM users").scalar()


def test_cli_reads_passwords_from_stdin_never_argv(tmp_path: Path, monkeypatch, capsys):
    store = tmp_path / "g.sqlite"
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    assert main(["--store", str(store), "users", "add", "anna", "--role", "coordinator",
                 "--password-stdin"]) == 0
    assert main(["--store", str(store), "users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "anna" in listed and "coordinator" in listed and "argon2" not in listed
    with pytest.raises(SystemExit) as refused:  # argparse: there is no such option
        main(["--store", str(store), "users", "add", "bob", "--role", "coordinator",
              "--password", "x"])
    assert refused.value.code == 2
    assert main(["--store", str(store), "users", "add", "bob", "--role", "researcher",
                 "--generate"]) == 0
    one_time = capsys.readouterr().out.rsplit(": ", 1)[-1].strip()
    with Store(store) as opened:
        assert Accounts(opened).authenticate("bob", one_time).account.must_change_password
        entries = AuditLog(opened).entries()
    assert list(entries["action"]) == ["user_add", "user_add"]
    assert entries["username"].iloc[0].startswith("cli:")


def test_commands_create_the_store_and_exports_private(tmp_path: Path, monkeypatch):
    """Under a permissive umask, every file a command creates is 0600 and every folder 0700
    (the store, its WAL, an export and the export's new folder); the umask is given back."""
    import os
    import stat

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    previous = os.umask(0o022)
    try:
        store = tmp_path / "g.sqlite"
        monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
        assert main(["--store", str(store), "users", "add", "anna", "--role", "coordinator",
                     "--password-stdin"]) == 0
        assert mode(store) == 0o600
        assert os.umask(0o022) == 0o022  # main gave the umask back
        with Store(store) as opened:  # the library alone creates a new store private too
            assert opened.import_dataset(tiny_dataset()).ok
            assert mode(store) == 0o600
            assert mode(tmp_path / "g.sqlite-wal") == 0o600
        other = tmp_path / "library.sqlite"
        Store(other).close()
        assert mode(other) == 0o600
        out = tmp_path / "new" / "view.graphml"
        assert main(["--store", str(store), "export", "--format", "graphml",
                     "--out", str(out)]) == 0
        assert (mode(out), mode(out.parent)) == (0o600, 0o700)
        with Store(store) as opened:  # an identified export is audited: format and counts
            export = AuditLog(opened).entries(action="export")
        assert list(export["target"]) == ["graphml"] and '"actors":' in export["detail"][0]
    finally:
        os.umask(previous)


def test_cli_import_and_store_export_are_audited_with_ids_and_counts(tmp_path: Path):
    """``genera import``: one entry per file as the OS user (register, content hash, counts
    equal to the import's), ``genera export-store`` too; no name or value in the log."""
    dataset = tiny_dataset()
    with Store(tmp_path / "a.sqlite") as source:
        assert source.import_dataset(dataset).ok
        source.export(tmp_path / "registers")
    store = tmp_path / "b.sqlite"
    assert main(["--store", str(store), "import", str(tmp_path / "registers")]) == 0
    assert main(["--store", str(store), "export-store", str(tmp_path / "again")]) == 0
    with Store(store) as opened:
        log = AuditLog(opened).entries()
        assert AuditLog(opened).verify().ok
    imports = log[log["action"].eq("import")]
    assert len(imports) == len(list((tmp_path / "registers").glob("*.csv")))
    assert imports["username"].str.startswith("cli:").all()
    actors = imports[imports["target"].str.startswith("actors.csv,sha256:")]
    assert len(actors) == 1
    detail = json.loads(actors["detail"].iloc[0])
    assert detail["read"] == detail["accepted"] == detail["new"] == len(dataset.actors)
    assert detail["committed"] is True and detail["quarantined"] == 0
    assert log["action"].tolist()[-1] == "export_store"
    text = log.astype(str).to_csv()
    names = [n for n in dataset.actors["name"] if isinstance(n, str) and len(n) > 3]
    assert names and not [n for n in names if n in text]


# -- audit -----------------------------------------------------------------------------------

def test_audit_chain_detects_an_edited_entry_and_names_it(store_url: str):
    with Store(store_url) as store:
        log = AuditLog(store)
        for k in range(5):
            log.record("anna", "view_actor", [f"H{k:04d}"], page="actor")
        check = log.verify()
        assert check.ok and check.entries == 5 and check.head_seq == 5
        with store.write_transaction() as conn:
            conn.exec_driver_sql("UPDATE audit_log SET target = 'H9999' WHERE seq = 3")
        check = log.verify()
        assert not check.ok and check.bad_seq == 3 and "edited" in check.reason


def test_audit_chain_detects_a_removed_entry(tmp_path: Path):
    with Store(tmp_path / "g.sqlite") as store:
        log = AuditLog(store)
        for k in range(4):
            log.record("anna", "download", [f"t{k}"])
        with store.write_transaction() as conn:
            conn.exec_driver_sql("DELETE FROM audit_log WHERE seq = 2")
        check = log.verify()
        assert not check.ok and check.bad_seq == 3 and "removed" in check.reason


def test_audit_chain_detects_a_rewritten_hash(tmp_path: Path):
    """Who edits an entry and recomputes its hash breaks the next entry's link."""
    with Store(tmp_path / "g.sqlite") as store:
        log = AuditLog(store)
        for k in range(3):
            log.record("anna", "view_actor", [f"H{k}"])
        with store.write_transaction() as conn:
            row = conn.exec_driver_sql("SELECT * FROM audit_log WHERE seq = 2").mappings().one()
            forged = entry_hash(row["prev_hash"], 2, row["at"], "bob", row["action"],
                                row["target"], row["detail"])
            conn.exec_driver_sql(f"UPDATE audit_log SET username = 'bob', hash = '{forged}' "
                                 "WHERE seq = 2")
        check = log.verify()
        assert not check.ok and check.bad_seq == 3 and "does not link" in check.reason


def test_audit_refuses_what_could_be_a_name(tmp_path: Path):
    with Store(tmp_path / "g.sqlite") as store:
        log = AuditLog(store)
        with pytest.raises(ValueError):
            log.record("anna", "view_actor", ["Famiglia Rossi"])
        with pytest.raises(ValueError):
            log.record("anna", "download", note="Famiglia Rossi")
        assert log.entries().empty


def test_audit_cli_verify_names_the_edited_entry(tmp_path: Path, capsys):
    store = tmp_path / "g.sqlite"
    with Store(store) as opened:
        log = AuditLog(opened)
        for _ in range(3):
            log.record("anna", "signin")
    cli = ["--store", str(store), "audit"]
    assert main([*cli, "verify"]) == 0
    assert "intact: 3 entries" in capsys.readouterr().out
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE audit_log SET action = 'signout' WHERE seq = 2")
    assert main([*cli, "verify"]) == 1
    assert "entry 2" in capsys.readouterr().err
    assert main([*cli, "show", "--user", "anna", "--since", "01/01/2020"]) == 0
    assert capsys.readouterr().out.count("anna") == 3


def test_genesis_link():
    assert GENESIS == "0" * 64


# -- erasure ---------------------------------------------------------------------------------

def _person_with_ties(store: Store) -> tuple[str, str]:
    """A household member named in interactions and relations or participations."""
    ds = store.load()
    inter = pd.concat([ds.interactions["source_actor_id"], ds.interactions["target_actor_id"]])
    members = ds.household_members["individual_id"]
    candidates = [i for i in members if (inter == i).any()]
    person = candidates[0]
    return person, str(ds.actors.set_index("actor_id").at[person, "name"])


def test_erasure_removes_every_record_and_blocks_reimport(store_url: str):
    data = tiny_dataset()
    with Store(store_url) as store:
        assert store.import_dataset(data).ok
        person, _ = _person_with_ties(store)
        before = store.counts()
        result = erase_actors(store, [person], by="cli:dpo")
        assert result.bytes_cleared
        after = store.load()
        for table, cols in {"actors": ["actor_id"], "household_members": ["individual_id"],
                            "participations": ["actor_id"],
                            "interactions": ["source_actor_id", "target_actor_id"],
                            "relations": ["actor_id", "partner_id"]}.items():
            frame = getattr(after, table)
            for col in cols:
                assert not (frame[col] == person).any(), (table, col)
        removed = sum(v for k, v in result.removed.items() if "." not in k)
        assert sum(before.values()) - sum(store.counts().values()) == removed
        with store.read_transaction() as conn:  # the ledger holds no id in clear
            ledger = conn.exec_driver_sql("SELECT * FROM erasures").mappings().all()
        assert len(ledger) == 1 and person not in str(dict(ledger[0]))
        # an old register still holding the person: imported without them, each row reported
        extra = data.interactions.iloc[:1].assign(interaction_id="C9999")
        old = dataclasses.replace(data, interactions=pd.concat([data.interactions, extra]))
        again = store.import_dataset(old, partial=True)
        assert again.committed
        skipped = [p for p in again.warnings if p.rule == "erased"]
        assert skipped and all(person not in str(p) for p in skipped)
        assert person not in set(store.load().actors["actor_id"])
        assert store.quarantine().empty  # never set aside with their cells either
        outcome = {f.file: f for f in again.files}
        assert all(f.rows_read == f.rows_accepted + f.rows_quarantined + f.rows_erased
                   for f in outcome.values())
        assert sum(f.rows_erased for f in outcome.values()) == len(skipped)


def test_erased_name_is_not_in_the_sqlite_file(tmp_path: Path):
    path = tmp_path / "g.sqlite"
    with Store(path) as store:
        assert store.import_dataset(tiny_dataset()).ok
        person, name = _person_with_ties(store)
        assert len(name) >= 6

        def on_disk() -> bytes:
            return b"".join(p.read_bytes() for p in tmp_path.glob("g.sqlite*"))

        assert name.encode() in on_disk()
        erase_actors(store, [person], by="cli:dpo")
        assert name.encode() not in on_disk()
        assert person.encode() not in on_disk()


def test_erase_finish_clears_the_bytes_a_busy_log_kept(tmp_path: Path, capsys):
    """A reader holding the log (the explorer) during ``genera erase``: the rows go but the
    name stays in the file and the command says so; ``genera erase --finish``, once the
    reader is gone, clears it without erasing anything else."""
    path = tmp_path / "g.sqlite"
    with Store(path) as store:
        assert store.import_dataset(tiny_dataset()).ok
        person, name = _person_with_ties(store)
        before = store.counts()

    def on_disk() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.glob("g.sqlite*"))

    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM actors").fetchall()  # a snapshot held open
    assert main(["--store", str(path), "erase", person, "--yes", "--wait", "0.2"]) == 1
    assert "genera erase --finish" in capsys.readouterr().err
    assert name.encode() in on_disk()
    assert main(["--store", str(path), "erase", "--finish", "--wait", "0.2"]) == 1  # still busy
    assert "still busy" in capsys.readouterr().err
    reader.close()
    assert main(["--store", str(path), "erase", "--finish"]) == 0
    assert name.encode() not in on_disk()
    assert person.encode() not in on_disk()  # the erasure's audit entry names its ledger entry
    with Store(path) as store:
        after = store.counts()
        log = AuditLog(store).entries()
    assert after["actors"] == before["actors"] - 1  # nothing more was erased
    assert list(log["action"]) == ["erase", "erase_finish", "erase_finish"]
    assert log["detail"].iloc[-1] == '{"done":true}'


def test_the_audit_entry_of_an_erasure_names_the_ledger_not_the_person(tmp_path: Path,
                                                                        capsys):
    """``genera erase``'s audit entry names the ledger's entry, never the id; the entries
    before it that named the id are kept as written (append-only, hash-chained), the chain
    still verifies and an old register still cannot bring the person back."""
    path = tmp_path / "g.sqlite"
    with Store(path) as store:
        data = tiny_dataset()
        assert store.import_dataset(data).ok
        person, _ = _person_with_ties(store)
        AuditLog(store).record("anna", "view_actor", [person], page="actor")  # before
    assert main(["--store", str(path), "erase", person, "--yes"]) == 0
    capsys.readouterr()
    with Store(path) as store:
        log = AuditLog(store).entries()
        with store.read_transaction() as conn:
            ledger = conn.exec_driver_sql("SELECT erasure_id FROM erasures").scalars().all()
        erase = log[log["action"] == "erase"].iloc[-1]
        assert erase["target"] == f"erasure:{ledger[0]}" and len(ledger) == 1
        assert person not in erase["target"] + erase["detail"]
        assert list(log.loc[log["action"] == "view_actor", "target"]) == [person]  # kept
        assert AuditLog(store).verify().ok
        extra = data.interactions.iloc[:1].assign(interaction_id="C9999")  # an old register
        old = dataclasses.replace(data, interactions=pd.concat([data.interactions, extra]))
        again = store.import_dataset(old, partial=True)
        assert again.committed and any(p.rule == "erased" for p in again.warnings)
        assert person not in set(store.load().actors["actor_id"])
    assert main(["--store", str(path), "audit", "verify"]) == 0


def test_erase_unknown_actor_erases_nothing(tmp_path: Path):
    with Store(tmp_path / "g.sqlite") as store:
        assert store.import_dataset(tiny_dataset()).ok
        before = store.counts()
        with pytest.raises(KeyError, match="NOBODY"):
            erase_actors(store, ["NOBODY"], by="cli:dpo")
        assert store.counts() == before
