"""Callback answers kept per scope: the same controls, the same answer, computed once.

:func:`per_scope` wraps a read-only page callback whose answer depends only on its arguments
and on the data its viewer's scope sees (the access object of :func:`~dash_app.data.current`):
the answer is kept on that access object, so every viewer of the scope (the facilitators of
one Community Point, the coordinators) shares it, and a viewer of another scope never sees it.
The key holds the callback, its arguments and every write generation of the source
(:func:`~dash_app.data.source.generation`, all parts: data, follow-ups...), so a write makes
the kept answers unreachable at once; each scope keeps at most :data:`MEMO_ENTRIES` answers
(the least recently used go first). An answer that raises (a refused table, no update) is
never kept.

Examples
--------
>>> from genera_graph.model import Dataset
>>> from dash_app.data import DataAccess, Viewer
>>> access = DataAccess(Dataset.empty(), Viewer())
>>> calls = []
>>> def answer(n):
...     calls.append(n)
...     return n * 2
>>> remembered(access, ("answer", 3), lambda: answer(3)), remembered(access, ("answer", 3),
...                                                             lambda: answer(3)), calls
(6, 6, [3])
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["MEMO_ENTRIES", "clear", "per_scope", "per_scope_page", "remembered"]

#: answers kept per scope (a map window's elements are a few hundred kB)
MEMO_ENTRIES = 96

_LOCK = threading.Lock()
#: bumped by :func:`clear`: every answer kept before is out of reach
_EPOCH = [0]


def clear() -> None:
    """Forget every kept answer (tests that change a module's setting between two calls)."""
    with _LOCK:
        _EPOCH[0] += 1


def _generations(source: Any) -> tuple:
    from dash_app.data import source as src

    return tuple(sorted(src._GENERATIONS.get(src._source_key(source), {}).items()))


def remembered(access: Any, key: tuple, make: Callable[[], Any]) -> Any:
    """The answer kept under ``key`` on ``access`` (a scope's access object), else ``make()``
    kept there."""
    check = getattr(access, "check_fresh", None)
    if check is not None:
        check()
    full = (*key, _generations(access.source), _EPOCH[0])
    with _LOCK:
        kept = access.__dict__.setdefault("_genera_memo", OrderedDict())
        if full in kept:
            kept.move_to_end(full)
            return kept[full]
    value = make()
    with _LOCK:
        kept[full] = value
        while len(kept) > MEMO_ENTRIES:
            kept.popitem(last=False)
    return value


def per_scope(func: Callable) -> Callable:
    """Keep ``func``'s answers per scope (see the module docstring); put it under
    ``@dash.callback``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from dash_app.data.source import current

        key = (func.__module__, func.__qualname__,
               json.dumps([args, kwargs], sort_keys=True, default=str))
        return remembered(current(), key, lambda: func(*args, **kwargs))

    return wrapper


def per_scope_page(func: Callable) -> Callable:
    """Keep a page's ``layout(**path_and_query)`` per scope, as :func:`per_scope` keeps a
    callback's answers, the request's language and today's date in the key as well (a
    layout reads the language from the request's cookie, and may offer today as a date).
    For a page whose layout depends only on those, the scope's data and its arguments:
    nothing of the signed-in account (their name, their own records) may be in it.
    The page router calls the layout on every navigation (Dash pages); a family's page
    opened again, by the same user or another of the scope, is then a look-up."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from datetime import date

        from dash_app.data.source import current
        from dash_app.i18n import request_lang

        key = (func.__module__, func.__qualname__, request_lang(), date.today().isoformat(),
               json.dumps([args, kwargs], sort_keys=True, default=str))
        return remembered(current(), key, lambda: func(*args, **kwargs))

    return wrapper
