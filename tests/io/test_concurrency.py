"""Readers never wait for a writer: ``genera report`` and ``genera analyze`` during an import.

A forked child imports a contacts register whose transaction stays open for a set time (its
progress callback, called inside the transaction after each chunk, sleeps), as a long import
does. Meanwhile the parent opens the store and runs ``genera report`` (and ``genera analyze``)
every 0.5 s: every answer equals the one given before the import, and opening the store takes
no write lock (it waits for nothing). (A second writer waits for its stated timeout:
``test_store.py::test_sqlite_readers_are_not_blocked_by_an_open_import``.)

Every store the parent opens during the import, the commands' own included, has a busy
timeout of 0.5 s, 16 times shorter than the import: a reader that waited for the writer's
lock would fail with "the store is busy", as one with the default 30 s did during an import
of a minute (the bug this test was written for), however unchanged its answer.
"""

from __future__ import annotations

import contextlib
import io
import os
import select
import time
from pathlib import Path

import pytest

from genera_graph.cli import main
from genera_graph.io.database import Database
from genera_graph.io.store import Store
from tests.io.helpers import tiny_dataset

#: the busy timeout of every reader during the import (the import lasts about 8 s)
READER_TIMEOUT_S = 0.5
HEADER = "interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;source\n"


def _contacts(path: Path, rows: int) -> None:
    lines = [f"N{i:06d};03/04/2017;F01;H0001;support;professional;housing;survey\n"
             for i in range(rows)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")


def _slow_import(store_path: Path, contacts: Path, chunks: int, pause_s: float) -> tuple:
    """Fork an import of ``chunks`` chunks, ``pause_s`` per chunk inside its transaction.

    Returns (pid, pipe): the child writes ``o`` when its transaction is open and ``d`` after
    its last chunk (then it pauses 2 s more before committing).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        code = 1
        try:
            os.close(read_end)
            seen = []

            def tick(_name: str, rows: int) -> None:
                if not seen:
                    os.write(write_end, b"o")
                seen.append(rows)
                if len(seen) == chunks:
                    os.write(write_end, b"d")
                    time.sleep(2.0)
                else:
                    time.sleep(pause_s)

            with Store(store_path) as store:
                result = store.import_paths(contacts, progress=tick, chunk_rows=50)
            code = 0 if result.ok else 1
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _report(store_path: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--store", str(store_path), "report", "--lang", "en"]) == 0
    return out.getvalue()


def _analyze(store_path: Path, folder: Path) -> dict[str, bytes]:
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--store", str(store_path), "analyze", "--at", "30/06/2017",
                     "--out", str(folder)]) == 0
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _poll(read_end: int) -> bytes:
    ready, _, _ = select.select([read_end], [], [], 0)
    return os.read(read_end, 1) if ready else b""


def test_report_and_analyze_answer_at_once_during_a_long_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An import of about 8 s (12 chunks); every reader's busy timeout 0.5 s."""
    chunks = 12
    store_path = tmp_path / "genera.sqlite"
    with Store(store_path) as store:
        assert store.import_dataset(tiny_dataset()).ok
        before_counts = store.counts()
    before_report = _report(store_path)
    before_tables = _analyze(store_path, tmp_path / "before")
    contacts = tmp_path / "contacts.csv"
    _contacts(contacts, rows=50 * chunks)
    pid, read_end = _slow_import(store_path, contacts, chunks=chunks, pause_s=0.5)
    # from here on (in this process only: the child is forked), every store opened, by the
    # commands too, waits at most READER_TIMEOUT_S for a lock; each one's timeout is recorded
    timeouts: list[float] = []
    database_init = Database.__init__

    def short_timeout(self: Database, url_or_path: object, *,
                      busy_timeout_s: float = READER_TIMEOUT_S) -> None:
        timeouts.append(busy_timeout_s)
        database_init(self, url_or_path, busy_timeout_s=busy_timeout_s)

    monkeypatch.setattr(Database, "__init__", short_timeout)
    waits, reports, analyses = [], 0, 0
    try:
        ready, _, _ = select.select([read_end], [], [], 60)
        assert ready and os.read(read_end, 1) == b"o", "the import never opened its transaction"
        started = time.perf_counter()
        while not _poll(read_end):
            tick = time.perf_counter()
            with Store(store_path, busy_timeout_s=READER_TIMEOUT_S) as store:  # waits for nothing
                counts = store.counts()
            waits.append(time.perf_counter() - tick)
            assert counts == before_counts
            assert _report(store_path) == before_report
            reports += 1
            if reports % 8 == 1:
                assert _analyze(store_path, tmp_path / f"during{reports}") == before_tables
                analyses += 1
            time.sleep(max(0.0, 0.5 - (time.perf_counter() - tick)))
        import_s = time.perf_counter() - started
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(read_end)
        monkeypatch.undo()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    # the store itself, every report and every analysis: all with the short timeout
    assert len(timeouts) >= 2 * reports + analyses
    assert set(timeouts) == {READER_TIMEOUT_S}, timeouts
    with Store(store_path) as store:
        assert store.counts()["interactions"] == before_counts["interactions"] + 50 * chunks
    assert reports >= 3 and analyses >= 1
    assert import_s > 10 * READER_TIMEOUT_S  # the import outlasted every reader's patience
    print(f"\n{reports} reports and {analyses} analyses during a {import_s:.1f} s import; "
          f"opening the store took at most {max(waits):.3f} s")
    assert max(waits) < 1.0
