"""Where the explorer's data come from, and the access object of the current request.

Examples
--------
>>> from genera_graph.model import Dataset
>>> load_source(Dataset.empty()).actors.empty
True
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from genera_graph.model import Dataset

if TYPE_CHECKING:
    from dash_app.data.access import DataAccess

__all__ = ["CONFIG_KEY", "Source", "current", "load_source"]

#: What :func:`load_source` accepts: a dataset, a function returning one, a store URL or path,
#: or a folder of register files.
Source = Dataset | Callable[[], Dataset] | str | Path

#: the ``app.server.config`` key under which :func:`dash_app.create_app` keeps the access object
CONFIG_KEY = "GENERA_DATA_ACCESS"


def load_source(source: Source) -> Dataset:
    """Load the dataset a source names.

    A :class:`~genera_graph.model.Dataset` is returned as is; a callable is called; a folder
    holding ``actors.csv`` is read as register files; any other text is a store (SQLite path or
    SQLAlchemy URL) read through :class:`genera_graph.io.store.Store`.
    """
    if isinstance(source, Dataset):
        return source
    if callable(source):
        return source()
    path = Path(str(source))
    if "://" not in str(source) and path.is_dir() and (path / "actors.csv").exists():
        from genera_graph.io.registers import read_registers

        return read_registers(path)
    from genera_graph.io.store import Store

    return Store(str(source)).load()


def current() -> DataAccess:
    """The access object of the app serving the current request (inside a callback)."""
    import flask

    return flask.current_app.config[CONFIG_KEY]
