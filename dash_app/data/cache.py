"""Per-instance caching of the access object's tables, keyed by their (hashable) arguments.

Examples
--------
>>> import threading
>>> class Tables:
...     def __init__(self):
...         self._cache, self._lock, self.calls = {}, threading.Lock(), 0
...     @cached
...     def square(self, n):
...         self.calls += 1
...         return n * n
>>> tables = Tables()
>>> tables.square(3), tables.square(3), tables.calls
(9, 9, 1)
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_ENTRIES", "cached"]

#: past this many entries the oldest tables of one actor or one window go (a scope's base
#: tables, those without arguments: the temporal graph, positions, growth, stay)
MAX_ENTRIES = 2048

#: guards the per-instance table of keys being computed
_FLIGHTS_LOCK = threading.Lock()


def _evict(cache: dict) -> None:
    """Drop the oldest entries made with arguments until a quarter of the room is free
    (a dict keeps insertion order; the argument-less base tables are kept)."""
    excess = len(cache) - (MAX_ENTRIES * 3) // 4
    for key in [k for k in cache if k[1] or k[2]][:max(0, excess)]:
        del cache[key]


def cached(method: Callable) -> Callable:
    """Cache a method's result on its instance (``self._cache`` under ``self._lock``), keyed
    by the method's name and its (hashable) arguments.

    One computation per key at a time: a second thread asking for a table that a first one
    is making waits for it instead of making it again (several users opening the same page
    of a cold server would otherwise each build the same graph)."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        fresh = getattr(self, "check_fresh", None)
        if fresh is not None:  # a write may have made the cached tables stale
            fresh()
        try:
            return self._cache[key]
        except KeyError:
            pass
        with _FLIGHTS_LOCK:
            flights = self.__dict__.setdefault("_genera_flights", {})
            flight = flights.setdefault(key, threading.Lock())
        with flight:
            try:
                return self._cache[key]  # made by the thread this one waited for
            except KeyError:
                pass
            try:
                value = method(self, *args, **kwargs)
                with self._lock:
                    if len(self._cache) > MAX_ENTRIES:
                        _evict(self._cache)
                    self._cache[key] = value
            finally:
                with _FLIGHTS_LOCK:
                    flights.pop(key, None)
        return value

    return wrapper
