"""Fixtures of the io tests: stores on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per session by ``scripts/postgres-test-server.sh`` (or
taken from ``GENERA_TEST_PG_URL``); each test gets a fresh database. If the server cannot start,
the PostgreSQL variants are skipped with the reason (``-ra`` prints it), unless
``GENERA_TEST_PG_REQUIRED=1``, which turns the skip into a failure (for CI).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from genera_graph.io.store import Store

ROOT = Path(__file__).resolve().parents[2]
PG_SCRIPT = ROOT / "scripts" / "postgres-test-server.sh"
if str(ROOT) not in sys.path:  # test modules import tests.io.helpers and tests.io.strategies
    sys.path.insert(0, str(ROOT))


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL test server unavailable: {reason}"
    if os.environ.get("GENERA_TEST_PG_REQUIRED") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server (maintenance database) for the whole session."""
    url = os.environ.get("GENERA_TEST_PG_URL")
    if url:
        yield url
        return
    try:
        out = subprocess.run([str(PG_SCRIPT), "start"], capture_output=True, text=True,
                             timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"{PG_SCRIPT.name} failed: {exc}")
    if out.returncode != 0:
        _unavailable(f"{PG_SCRIPT.name} exited {out.returncode}: {out.stderr.strip()[-400:]}")
    env = dict(re.findall(r"export (\w+)=(\S+)", out.stdout))
    try:
        yield env["GENERA_TEST_PG_URL"]
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", env["GENERA_TEST_PG_DIR"]],
                       capture_output=True, timeout=60, check=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL (or path) of a fresh, empty store: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "genera.sqlite")
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    name = f"genera_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened
