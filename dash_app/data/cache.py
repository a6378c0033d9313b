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
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_ENTRIES", "cached"]

#: the cache is emptied when it grows past this many entries
MAX_ENTRIES = 2048


def cached(method: Callable) -> Callable:
    """Cache a method's result on its instance (``self._cache`` under ``self._lock``), keyed
    by the method's name and its (hashable) arguments."""

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
        value = method(self, *args, **kwargs)
        with self._lock:
            if len(self._cache) > MAX_ENTRIES:
                self._cache.clear()
            self._cache[key] = value
        return value

    return wrapper
