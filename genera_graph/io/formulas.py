"""CSV formula injection: neutralise the cells a spreadsheet would run, and undo it exactly.

Every CSV the project writes (exports, downloads, problem reports, quarantine files,
``genera export-store``) goes through :func:`neutralise_text`: a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (the OWASP "CSV Injection" triggers) gets
a leading single quote, so that Excel, LibreOffice and Google Sheets show it as text.

Two refinements keep the data intact:

- a cell that is a plain number (``-3``, ``+39``, ``-1.234,50``) is left as it is: no
  spreadsheet runs it, and negative amounts stay numbers;
- the change can be undone exactly (:func:`restore_text`, which ``genera import`` applies to
  CSV cells): a text that already starts with quotes followed by a trigger (``'=x``) gets one
  more quote too, and only such cells lose one on the way back. Other leading quotes
  (``'ok' when...``) are left alone both ways.

So ``restore_text(neutralise_text(s)) == s`` for every text ``s``.

References
----------
OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

Examples
--------
>>> [neutralise_text(s) for s in ["=1+2", "@SUM(A1)", "-3", "'ok' when", "'=x", "Anna"]]
["'=1+2", "'@SUM(A1)", '-3', "'ok' when", "''=x", 'Anna']
>>> restore_text("''=x"), restore_text("'=1+2"), restore_text("'ok' when")
("'=x", '=1+2', "'ok' when")
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_TRIGGERS",
    "is_neutralised",
    "needs_neutralising",
    "neutralise_series",
    "neutralise_text",
    "restore_series",
    "restore_text",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
#: quotes (any number) then a trigger: the cells that get, or lose, one quote
_GUARDED = re.compile(r"^'*[=+\-@\t\r]")
#: a plain number, signed, with '.' or ',' separators: never a formula
_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*$")


def needs_neutralising(value: str) -> bool:
    """Whether :func:`neutralise_text` adds a quote to ``value``."""
    return bool(_GUARDED.match(value)) and not _NUMBER.match(value)


def is_neutralised(value: str) -> bool:
    """Whether ``value`` is a neutralised cell (:func:`restore_text` removes a quote)."""
    return value.startswith(_QUOTE) and bool(_GUARDED.match(value))


def neutralise_text(value: str) -> str:
    """One cell, safe to open in a spreadsheet (see the module docstring)."""
    return _QUOTE + value if needs_neutralising(value) else value


def restore_text(value: str) -> str:
    """Undo :func:`neutralise_text`: ``restore_text(neutralise_text(s)) == s``."""
    return value[1:] if is_neutralised(value) else value


def _map(series: pd.Series, pattern_match: Any, func: Any) -> pd.Series:
    if not len(series):
        return series
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype(object).map(func, na_action="ignore")
    if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return series  # numbers, booleans, dates: never changed
    if series.dtype == object:
        is_text = series.map(lambda v: isinstance(v, str), na_action="ignore")
        is_text = is_text.fillna(False).astype(bool)
        if not is_text.any():
            return series
        text = series[is_text].astype(str)
    else:  # a string dtype holds text and missing values only: no look at each cell
        text = series[series.notna()]
    hits = text.str.match(pattern_match)
    if not hits.any():
        return series
    out = series.copy() if series.dtype == object else series.astype(object)
    out[hits[hits].index] = [func(v) for v in text[hits]]
    return out.astype(series.dtype) if series.dtype != object else out


def neutralise_series(series: pd.Series) -> pd.Series:
    """:func:`neutralise_text` on every text cell of a column (others unchanged).

    Vectorised: only the cells starting with a quote or a trigger are looked at in Python.

    >>> neutralise_series(pd.Series(["=x", None, "-5", 7], dtype=object)).tolist()
    ["'=x", None, '-5', 7]
    >>> neutralise_series(pd.Series([-1, None], dtype="Int64")).tolist()
    [-1, <NA>]
    """
    return _map(series, _GUARDED, neutralise_text)


def restore_series(series: pd.Series) -> pd.Series:
    """:func:`restore_text` on every text cell of a column (others unchanged).

    >>> restore_series(pd.Series(["'=x", "''@y", "'ok"])).tolist()
    ['=x', "'@y", "'ok"]
    """
    return _map(series, _GUARDED, restore_text)
