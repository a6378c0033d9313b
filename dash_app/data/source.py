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
from typing import Any

from genera_graph.model import Dataset

__all__ = ["CONFIG_KEY", "Source", "current", "deltas_since", "generation", "invalidate",
           "load_source"]

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


def current() -> Any:  # a dash_app.data.access.DataAccess
    """The access object of the current request's viewer (inside a callback): the app keeps
    an :class:`~dash_app.data.registry.AccessRegistry`, which picks it from the signed-in
    account."""
    import flask

    held = flask.current_app.config[CONFIG_KEY]
    resolve = getattr(held, "for_request", None)
    return resolve() if resolve is not None else held


#: source -> part ("data", "followups") -> how many writes through the explorer touched it
_GENERATIONS: dict[str, dict[str, int]] = {}


def _source_key(source: Source) -> str:
    return str(source) if isinstance(source, str | Path) else f"object:{id(source)}"


def generation(source: Source, part: str = "data") -> int:
    """How many writes through this process have touched ``part`` of a source's data
    (compared by every access object to know when its caches are stale)."""
    return _GENERATIONS.get(_source_key(source), {}).get(part, 0)


#: source -> [(data generation, delta or None)]: what each recent write changed in the data
_DELTAS: dict[str, list[tuple[int, Any]]] = {}
_KEEP_DELTAS = 64


def invalidate(source: Source, parts: set[str] | frozenset[str] = frozenset({"data"}),
               delta: Any = None) -> None:
    """After a write: every access object of ``source`` (every viewer's) drops the caches of
    ``parts`` on its next read (``"data"``: the dataset and all that is derived from it).

    ``delta`` (a :class:`dash_app.data.delta.Delta`: the rows the write upserted or removed)
    lets an access object patch the dataset it holds instead of reading the whole store again;
    without it, the next read loads the store.
    """
    key = _source_key(source)
    counts = _GENERATIONS.setdefault(key, {})
    for part in parts:
        counts[part] = counts.get(part, 0) + 1
    if "data" in parts:
        log = _DELTAS.setdefault(key, [])
        log.append((counts["data"], delta))
        del log[:-_KEEP_DELTAS]


def deltas_since(source: Source, seen: int) -> list[Any] | None:
    """The deltas of the writes after data generation ``seen``, oldest first, or ``None`` if
    one of them is unknown (the dataset must then be read again)."""
    now = generation(source)
    log = {g: d for g, d in _DELTAS.get(_source_key(source), [])}
    out = []
    for g in range(seen + 1, now + 1):
        if log.get(g) is None:
            return None
        out.append(log[g])
    return out
