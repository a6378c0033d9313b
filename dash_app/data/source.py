"""Where the explorer's data come from, and the access object of the current request.

Examples
--------
>>> from genera_graph.model import Dataset
>>> load_source(Dataset.empty()).actors.empty
True
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from genera_graph.model import Dataset

__all__ = ["CONFIG_KEY", "Source", "check_store", "current", "deltas_since", "generation",
           "invalidate", "load_source", "store_for", "wrote"]

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

    # through the store's columnar copy of its current state (genera_graph.io.snapshot):
    # reading millions of rows through SQLite is most of a region server's start-up
    with Store(str(source)) as store:
        return store.load(cached=True)


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


# -- writes by other processes ----------------------------------------------------------------

_STORES: dict[str, Any] = {}
_STORES_LOCK = threading.Lock()
#: source -> the store's data version the access objects' data were read at (or patched to)
_STORE_VERSIONS: dict[str, int] = {}
#: source -> when its data version was last read outside a request
_CHECKED: dict[str, float] = {}
#: outside a request (warming, notebooks), the data version is read at most this often
CHECK_EVERY_S = 1.0


def store_for(source: Source) -> Any | None:
    """The :class:`~genera_graph.io.store.Store` of a source that names one (one per source,
    kept open for the process), or ``None`` for a dataset or register files."""
    if not isinstance(source, str):
        source = str(source) if source is not None and hasattr(source, "__fspath__") else None
    if source is None or ("://" not in source and not source.endswith((".sqlite", ".db"))):
        return None
    with _STORES_LOCK:
        if source not in _STORES:
            from genera_graph.io.store import Store

            _STORES[source] = Store(source)
        return _STORES[source]


def check_store(source: Source) -> None:
    """See another process's writes: once per request (at most once a second outside one),
    read the store's data version (a counter every write to the data bumps in its own
    transaction, :func:`genera_graph.io.schema.data_version`); if it is not the one the
    data were read at, every access object of the source reads the store again."""
    store = store_for(source)
    if store is None:
        return
    key = _source_key(source)
    import flask

    if flask.has_request_context():
        seen = flask.g.setdefault("genera_store_checked", set())
        if key in seen:
            return
        seen.add(key)
    else:
        now = time.monotonic()
        if now - _CHECKED.get(key, float("-inf")) < CHECK_EVERY_S:
            return
        _CHECKED[key] = now
    from genera_graph.io.schema import data_version

    with store.read_transaction() as conn:
        version = data_version(conn)
    if version is None:
        return
    with _STORES_LOCK:
        known = _STORE_VERSIONS.get(key)
        _STORE_VERSIONS[key] = version
    if known is not None and known != version:
        invalidate(source, frozenset({"data", "followups"}))


def wrote(source: Source, versions: tuple[int, int] | None) -> bool:
    """Note a write through this process that took the store's data version from
    ``versions[0]`` to ``versions[1]``; whether the data held were at ``versions[0]`` (then
    the write's own rows are all that changed; else another process wrote as well)."""
    if versions is None:
        return False
    key = _source_key(source)
    with _STORES_LOCK:
        known = _STORE_VERSIONS.get(key)
        _STORE_VERSIONS[key] = versions[1]
    return known is None or known == versions[0]
