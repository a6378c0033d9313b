"""One period and one set of filters across pages, kept in the URL's query string.

A page's controls write the shared state (``from``, ``to``: ISO dates, ``to`` exclusive;
``cp``, ``programme``: comma-separated codes) into the shell's store; the shell writes it into
the address bar and into every navigation link, so that moving between pages keeps the period
and the filters, and a link opens the same view (within the recipient's own scope: a code the
viewer may not see is dropped). Without a query, pages open on :func:`default_window`, the
latest complete quarter of the data.

Examples
--------
>>> from datetime import date
>>> months = tuple(date(2016, m, 1) for m in range(2, 13))
>>> window_of(months, {"from": "2016-05-01", "to": "2016-08-01"}, (0, 3))
(3, 6)
>>> window_of(months, {"from": "nonsense"}, (0, 3))
(0, 3)
>>> codes({"cp": "CP01,CP02,<x>"}, "cp", {"CP01", "CP02"})
['CP01', 'CP02']
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

__all__ = [
    "PARAMS",
    "as_of_value",
    "codes",
    "data_end",
    "default_window",
    "period_choices",
    "period_value",
    "query_string",
    "window",
    "window_of",
]

#: the query parameters the pages share
PARAMS = ("from", "to", "cp", "programme")


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return None


def data_end(access: Any) -> date | None:
    """The last day with a recorded fact (interaction, attendance, start or end of a relation)
    in the viewer's data, ``None`` without any (kept on the access object per dataset:
    every page's layout asks for it)."""
    ds = access.dataset
    kept = getattr(access, "__dict__", {}).get("_genera_data_end")
    if kept is not None and kept[0] is ds:
        return kept[1]
    days = [ds.interactions["date"], ds.participations["date"], ds.relations["start_date"],
            ds.relations["end_date"]]
    found = [pd.to_datetime(d).max() for d in days if len(d)]
    found = [d for d in found if pd.notna(d)]
    end = max(found).date() if found else None
    if hasattr(access, "__dict__"):
        access.__dict__["_genera_data_end"] = (ds, end)
    return end


def default_window(access: Any) -> tuple[int, int]:
    """Month indices ``(lo, hi)`` of the latest complete quarter of the data: the last
    three-month step from the programme's start (the quarters the period menus offer) whose
    last day the data reach; the first quarter when there are no data."""
    months = access.months()
    last = data_end(access)
    quarters = [(k, k + 3) for k in range(0, len(months) - 3, 3)]
    if not quarters:
        return 0, len(months) - 1
    if last is None:
        return quarters[0]
    last = pd.Timestamp(last).date()
    complete = [(lo, hi) for lo, hi in quarters if months[hi] - timedelta(days=1) <= last]
    return complete[-1] if complete else quarters[0]


def window_of(months: tuple[date, ...], query: dict, default: tuple[int, int]) -> tuple[int, int]:
    """Month indices ``(lo, hi)`` of a query's ``from``/``to`` (``default`` when missing or
    not month starts of the programme)."""
    start, end = _day(query.get("from")), _day(query.get("to"))
    if start in months and end in months and months.index(start) < months.index(end):
        return months.index(start), months.index(end)
    return default


def window(access: Any, query: dict) -> tuple[int, int]:
    """Month indices of the shared period (:func:`window_of` with :func:`default_window`)."""
    return window_of(access.months(), query, default_window(access))


def period_choices(access: Any) -> list[tuple[str, date, date]]:
    """The analysis periods offered where a graph measure is computed per period: each
    quarter, each programme year and the whole programme, as ``(value, start, end)`` with
    ``end`` exclusive. A fixed set, so that the measures can be prepared at start-up."""
    months = access.months()
    out = [(f"{months[0].isoformat()}|{months[-1].isoformat()}", months[0], months[-1])]
    out += [(f"{s.isoformat()}|{e.isoformat()}", s, e)
            for s, e in access.config.programme_years()]
    out += [(f"{months[k].isoformat()}|{months[k + 3].isoformat()}", months[k], months[k + 3])
            for k in range(0, len(months) - 3, 3)]
    return out


def period_value(access: Any, query: dict) -> str:
    """The period menus' value (``from|to``) of the shared period: the offered period that
    equals it, else the offered quarter that holds its last day, else the default quarter."""
    months = access.months()
    lo, hi = window(access, query)
    start, end = months[lo], months[hi]
    choices = period_choices(access)
    for value, s, e in choices:
        if (s, e) == (start, end):
            return value
    last = end - timedelta(days=1)
    for value, s, e in choices[1 + len(access.config.programme_years()):]:
        if s <= last < e:
            return value
    lo, hi = default_window(access)
    return f"{months[lo].isoformat()}|{months[hi].isoformat()}"


def as_of_value(access: Any, query: dict) -> str:
    """The worklist day of the shared period: the last worklist day on or before the period's
    last day (the first one when none is)."""
    months = access.months()
    _, hi = window(access, query)
    last = months[hi] - timedelta(days=1)
    dates = access.worklist_dates()
    before = [d for d in dates if d <= last]
    return (before[-1] if before else dates[0]).isoformat()


def query_string(start: date, end: date, **filters: Any) -> str:
    """The query string of a period (and filters: lists of codes), for a link.

    >>> query_string(date(2018, 11, 1), date(2019, 2, 1), cp=["CP01"])
    '?from=2018-11-01&to=2019-02-01&cp=CP01'
    """
    from urllib.parse import urlencode

    params = {"from": start.isoformat(), "to": end.isoformat()}
    params |= {k: ",".join(v) for k, v in filters.items() if v}
    return "?" + urlencode(params, safe=",")


def codes(query: dict, name: str, allowed: set[str] | None = None) -> list[str]:
    """The codes of a comma-separated query parameter, only those in ``allowed``."""
    raw = query.get(name) or ""
    if isinstance(raw, list | tuple):
        raw = ",".join(str(r) for r in raw)
    out = [c for c in (p.strip() for p in str(raw).split(",")) if c]
    return [c for c in out if allowed is None or c in allowed]
