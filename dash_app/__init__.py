"""The explorer: a Dash app for the programme's coordinators and facilitators.

``create_app(source, viewer=Viewer(...))`` builds it; ``genera serve`` runs it on 127.0.0.1.

The names below are imported on first use (PEP 562): every ``genera`` command loads this
package's ``cli`` module through its entry point, and importing Dash and the pages with it
cost each command about 2 s (``genera users list`` included).
"""

from __future__ import annotations

import importlib

__all__ = ["DataAccess", "Viewer", "create_app"]

_HOME = {"create_app": "dash_app.app", "DataAccess": "dash_app.data", "Viewer": "dash_app.data"}


def __getattr__(name: str):
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dash_app' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
