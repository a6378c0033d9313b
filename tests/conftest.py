"""Fixtures shared by the whole suite: one headless Chromium set-up for every browser test.

Debian's ``/usr/bin/chromium`` (installed by ``make test``; never a browser download) with the
flags that work on these machines. pytest-playwright runs one Playwright per session, so every
browser test uses its ``browser``/``page`` fixtures rather than starting its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium with the flags that work on these machines (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM} (make test installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS]}
