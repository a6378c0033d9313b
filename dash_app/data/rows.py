"""A table served page by page to AG Grid's infinite row model: the grid's column filters
and sort applied on the server, only the rows of the asked page sent.

AG Grid's infinite row model asks its datasource for the rows ``[startRow, endRow)`` with the
grid's ``filterModel`` (column -> a simple condition ``{"filterType", "type", "filter",
"filterTo"}`` or several joined ``{"operator": "AND"|"OR", "conditions": [...]}``) and its
``sortModel`` (``[{"colId", "sort": "asc"|"desc"}]``); dash-ag-grid hands that request to a
callback (the grid's ``getRowsRequest``) and takes ``{"rowData", "rowCount"}`` back
(``getRowsResponse``). :func:`filtered_order` gives the positions of a frame's rows that pass
the filters, in the sort's order, as the grid would show them client-side: text compared
without case, numbers as numbers, an empty cell matching only ``blank``, sorted with empty
cells first when ascending (AG Grid's own order), ties kept in the frame's order.

A filter on a column the grid does not offer, an unknown condition or a value of the wrong
type is ignored (a forged request filters nothing away it should not, and breaks nothing).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"name": ["Rossi", "Bianchi", "rossini", None],
...                       "days": pd.array([3, None, 10, 7], dtype="Int64")})
>>> filtered_order(frame, {"name": {"filterType": "text", "type": "contains",
...                                 "filter": "ROSS"}}, [], {"name", "days"}).tolist()
[0, 2]
>>> filtered_order(frame, {}, [{"colId": "days", "sort": "desc"}], {"name", "days"}).tolist()
[2, 3, 0, 1]
>>> request = {"startRow": 0, "endRow": 2}
>>> page_bounds(request, 4)
(0, 2)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MAX_PAGE", "filtered_order", "page_bounds", "valid_request"]

#: the most rows one request may ask for (the grid asks a block of its page size)
MAX_PAGE = 500

_TEXT = {"contains", "notContains", "equals", "notEqual", "startsWith", "endsWith",
         "blank", "notBlank"}
_NUMBER = {"equals", "notEqual", "lessThan", "lessThanOrEqual", "greaterThan",
           "greaterThanOrEqual", "inRange", "blank", "notBlank"}


def valid_request(request: Any) -> bool:
    """Whether a ``getRowsRequest`` is of the grid's form (row numbers, a dict of filters,
    a list of sorts); a forged one that is not gets no answer."""
    if not isinstance(request, Mapping):
        return False
    start, end = request.get("startRow"), request.get("endRow")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (start, end)):
        return False
    if end < start:
        return False
    filters, sorts = request.get("filterModel") or {}, request.get("sortModel") or []
    return isinstance(filters, Mapping) and isinstance(sorts, list)


def page_bounds(request: Mapping, total: int) -> tuple[int, int]:
    """``(start, end)`` rows of a valid request within ``total`` rows, at most
    :data:`MAX_PAGE` of them."""
    start = min(int(request["startRow"]), total)
    end = min(int(request["endRow"]), start + MAX_PAGE, total)
    return start, end


def _text_mask(values: pd.Series, kind: str, wanted: Any) -> np.ndarray | None:
    blank = values.isna().to_numpy() | values.astype(object).eq("").to_numpy()
    if kind == "blank":
        return blank
    if kind == "notBlank":
        return ~blank
    if not isinstance(wanted, str) or wanted == "":
        return None  # AG Grid applies no condition without a value
    text = values.astype(object).where(~blank, "").astype(str).str.lower()
    needle = wanted.lower()
    mask = {"contains": lambda: text.str.contains(needle, regex=False),
            "notContains": lambda: ~text.str.contains(needle, regex=False),
            "equals": lambda: text.eq(needle), "notEqual": lambda: text.ne(needle),
            "startsWith": lambda: text.str.startswith(needle),
            "endsWith": lambda: text.str.endswith(needle)}[kind]().to_numpy(dtype=bool).copy()
    if kind in ("contains", "equals", "startsWith", "endsWith"):
        mask = mask & ~blank
    return mask


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return None if math.isnan(number) else number


def _number_mask(values: pd.Series, kind: str, wanted: Any, upto: Any) -> np.ndarray | None:
    numbers = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    blank = np.isnan(numbers)
    if kind == "blank":
        return blank
    if kind == "notBlank":
        return ~blank
    x = _number(wanted)
    if x is None:
        return None
    with np.errstate(invalid="ignore"):
        if kind == "inRange":
            y = _number(upto)
            if y is None:
                return None
            lo, hi = min(x, y), max(x, y)
            return (numbers > lo) & (numbers < hi)  # AG Grid's default: both ends excluded
        mask = {"equals": numbers == x, "notEqual": numbers != x, "lessThan": numbers < x,
                "lessThanOrEqual": numbers <= x, "greaterThan": numbers > x,
                "greaterThanOrEqual": numbers >= x}[kind]
    if kind == "notEqual":
        mask = mask | blank
    return mask


def _condition_mask(values: pd.Series, condition: Any) -> np.ndarray | None:
    if not isinstance(condition, Mapping):
        return None
    kind, family = condition.get("type"), condition.get("filterType")
    if family == "text" and kind in _TEXT:
        return _text_mask(values, kind, condition.get("filter"))
    if family == "number" and kind in _NUMBER:
        return _number_mask(values, kind, condition.get("filter"), condition.get("filterTo"))
    return None


def _column_mask(values: pd.Series, model: Any) -> np.ndarray | None:
    if not isinstance(model, Mapping):
        return None
    conditions = model.get("conditions")
    if conditions is None and "condition1" in model:  # the grid's older form
        conditions = [model.get("condition1"), model.get("condition2")]
    if conditions is None:
        return _condition_mask(values, model)
    if not isinstance(conditions, list):
        return None
    masks = [m for m in (_condition_mask(values, c) for c in conditions) if m is not None]
    if not masks:
        return None
    if model.get("operator") == "OR":
        return np.logical_or.reduce(masks)
    return np.logical_and.reduce(masks)


def filtered_order(frame: pd.DataFrame, filter_model: Mapping | None,
                   sort_model: list | None, columns: Collection[str],
                   sort_keys: Mapping[str, pd.Series] | None = None) -> np.ndarray:
    """Positions of ``frame``'s rows that pass the grid's filters, in the order of its sort
    (the frame's own order without one). Only ``columns`` (those the grid offers) filter
    and sort; ``sort_keys`` (column -> values) sort a column by other values than it shows
    (a status by its severity, a follow-up by its date)."""
    keep = np.ones(len(frame), dtype=bool)
    for column, model in (filter_model or {}).items():
        if column not in columns or column not in frame:
            continue
        mask = _column_mask(frame[column], model)
        if mask is not None:
            keep &= mask
    order = np.flatnonzero(keep)
    sorts = [s for s in (sort_model or []) if isinstance(s, Mapping)
             and s.get("colId") in columns and s.get("sort") in ("asc", "desc")
             and (s["colId"] in frame or s["colId"] in (sort_keys or {}))]
    if not sorts or not len(order):
        return order
    # stable sorts from the last key to the first: the first key decides, ties keep order
    for s in reversed(sorts):
        column = s["colId"]
        values = (sort_keys or {}).get(column, frame.get(column))
        values = pd.Series(values).iloc[order].reset_index(drop=True)
        empty = values.isna().to_numpy()
        if values.dtype == object:
            values = values.astype(object).where(~values.isna(), "").astype(str).str.lower()
        ranks = pd.Series(values).rank(method="dense", na_option="keep").to_numpy()
        ranks = np.where(empty, 0.0, ranks)  # empty first ascending (AG Grid's order)
        if s["sort"] == "desc":
            ranks = -ranks
        order = order[np.argsort(ranks, kind="stable")]
    return order
