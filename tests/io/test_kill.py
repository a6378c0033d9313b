"""Atomicity under ``kill -9``: a killed import leaves the store exactly as before or after.

A forked child imports a large contacts register (updating every existing contact and adding
as many new ones) and signals once its transaction is open (the first chunk is written); the
parent kills it with SIGKILL at a random later moment, from right away to past the expected
commit, most of them (``NEAR_COMMIT``) in the last fifth of the import and just after it, where
the commit happens. The moments count from the signal, in units of a reference import's time
from its signal to its end (a child that ends before its moment is not waited for: the kill
could only find it gone). After every cycle the SQLite file passes ``PRAGMA
integrity_check`` and ``foreign_key_check``, and every count (and the number of updated rows)
equals its value before or after the import, all of them on the same side.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pandas as pd
import pytest

from genera_graph.io.store import Store

#: 100 (the suite's -m slow run); GENERA_KILL_CYCLES sets fewer for a quick check
CYCLES = int(os.environ.get("GENERA_KILL_CYCLES", "100"))
#: rows of the killed import, written in 5 chunks: a kill can land inside any of them and
#: around the commit. The import's cost is mostly per chunk (schema checks, change counts), so
#: fewer, bigger chunks keep the same kill profile (the delays below scale with the measured
#: import time) for about half the suite time of 20,000 rows in 10 chunks.
#: GENERA_KILL_ROWS sets a bigger import.
ROWS = int(os.environ.get("GENERA_KILL_ROWS", "5000"))
CHUNK = ROWS // 5
#: share of the cycles killed close to the commit (the last 20% of the import, and just after)
NEAR_COMMIT = 0.6


def _contacts(path: Path, rows: int, kind: str) -> None:
    pd.DataFrame({
        "interaction_id": [f"C{i:07d}" for i in range(rows)],
        "date": "03/04/2017", "source_actor_id": "I0001", "target_actor_id": "F01",
        "kind": kind, "nature": "professional", "programme": "work", "source": "survey",
    }).to_csv(path, sep=";", index=False)


def _state(path: Path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("actors", "interactions", "import_runs", "quarantine"))
        referrals = conn.execute(
            "SELECT count(*) FROM interactions WHERE kind = 'referral'").fetchone()[0]
    finally:
        conn.close()
    return (*counts, referrals)


def _import_in_child(store_path: Path, contacts: Path,
                     kill_after: float | None) -> tuple[bool, float]:
    """Fork an importer; kill it ``kill_after`` s after its transaction opened (None: wait).

    Returns (killed by the signal, seconds from the transaction's opening to the child's
    end). A child that ends before ``kill_after`` is not waited for any longer: killing it
    then could only find it gone, as a kill after its commit does.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: import, signal at the first chunk, never return to pytest
        code = 1
        try:
            os.close(read_end)
            signalled = []

            def opened(_name: str, _rows: int) -> None:
                if not signalled:
                    os.write(write_end, b"x")
                    signalled.append(True)

            with Store(store_path) as store:
                result = store.import_paths(contacts, progress=opened, chunk_rows=CHUNK)
            code = 0 if result.ok else 1
        finally:
            os._exit(code)
    os.close(write_end)
    child = os.pidfd_open(pid)  # readable once the child has ended
    try:
        ready, _, _ = select.select([read_end], [], [], 60)
        assert ready and os.read(read_end, 1) == b"x", "the child never opened its transaction"
        opened_at = time.perf_counter()
        if kill_after is not None:
            ended, _, _ = select.select([child], [], [], kill_after)
            if not ended:
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        window = time.perf_counter() - opened_at
    finally:
        os.close(child)
        os.close(read_end)
    return os.WIFSIGNALED(status), window


@pytest.mark.slow
def test_import_killed_at_random_moments_is_all_or_nothing(tmp_path: Path):
    base = tmp_path / "base.sqlite"
    registers = tmp_path / "in"
    registers.mkdir()
    (registers / "actors.csv").write_text(
        "actor_id;kind;name;community_point_id;first_met\n"
        "CP01;community_point;Punto Uno;CP01;18/05/2016\n"
        "F01;facilitator;Facilitatrice;CP01;01/02/2016\n"
        "I0001;individual;Persona;CP01;01/06/2016\n", encoding="utf-8")
    _contacts(registers / "contacts.csv", ROWS // 2, "support")
    with Store(base) as store:
        assert store.import_paths(registers).ok
    with sqlite3.connect(base) as conn:  # everything in the main file: copies are complete
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    update = tmp_path / "contacts.csv"
    _contacts(update, ROWS, "referral")  # updates every stored contact, adds as many
    before = _state(base)

    reference = tmp_path / "reference.sqlite"
    shutil.copy(base, reference)
    killed, window = _import_in_child(reference, update, kill_after=None)
    assert not killed
    after = _state(reference)
    assert after == (before[0], ROWS, before[2] + 1, 0, ROWS)

    rng = random.Random(20160518)
    outcomes, alive = [], 0
    for cycle in range(CYCLES):
        store_path = tmp_path / f"cycle{cycle}.sqlite"
        shutil.copy(base, store_path)
        # the first cycle kills right away (must be "before"); others up to past the commit,
        # most of them around it; delays count from the opened transaction, as the window
        if cycle == 0:
            delay = 0.0
        elif rng.random() < NEAR_COMMIT:
            delay = rng.uniform(0.8 * window, 1.05 * window)
        else:
            delay = rng.uniform(0, 1.3 * window)
        killed, _ = _import_in_child(store_path, update, kill_after=delay)
        alive += killed
        state = _state(store_path)
        assert state in (before, after), (cycle, delay, state, before, after)
        outcomes.append("before" if state == before else "after")
        if state == before:
            assert killed
        with Store(store_path) as store:  # still a usable store, and a retry completes it
            if cycle % 10 == 0:
                assert store.import_paths(update, chunk_rows=CHUNK).ok
                assert _state(store_path) == after
        store_path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    assert outcomes[0] == "before"
    print(f"\nkill -9 cycles: {outcomes.count('before')} before, {outcomes.count('after')} "
          f"after, {alive} killed alive (import {window:.2f} s after its transaction opened)")
