"""Masking steps of a research export: coarse or shifted dates, suppressed small counts.

Examples
--------
>>> import pandas as pd
>>> coarsen_dates(pd.Series(pd.to_datetime(["2016-06-14"]))).dt.day.tolist()
[1]
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from genera_graph.exports.pseudonyms import _check_secret, _shift_days

__all__ = ["coarsen_dates", "shift_dates", "suppress_small_cells"]


def coarsen_dates(series: pd.Series, how: str = "month") -> pd.Series:
    """Replace each date by the first day of its month, quarter or year.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2016-06-14", None, "2016-11-30"]))
    >>> coarsen_dates(days).dt.strftime("%Y-%m-%d").tolist()
    ['2016-06-01', nan, '2016-11-01']
    >>> coarsen_dates(days, how="quarter").dt.strftime("%Y-%m-%d").tolist()[2]
    '2016-10-01'
    """
    periods = {"month": "M", "quarter": "Q", "year": "Y"}
    if how not in periods:
        raise ValueError(f"how must be one of {sorted(periods)}, not {how!r}")
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise TypeError("coarsen_dates needs a datetime64 column")
    coarse = series.dt.to_period(periods[how]).dt.to_timestamp()
    return coarse.astype(series.dtype)


def shift_dates(series: pd.Series, person_ids: pd.Series, secret: bytes, max_days: int = 30,
                *, study: str = "") -> pd.Series:
    """Shift each date by a keyed offset of its person, the same for all the person's dates.

    Parameters
    ----------
    series : Series of datetime64
        The dates.
    person_ids : Series
        The (raw) person id of each row, aligned with ``series``.
    secret : bytes
        The study key.
    max_days : int
        The offset is a non-zero number of days in ``[-max_days, max_days]``.
    study : str
        The study's name: offsets differ across studies.

    Returns
    -------
    Series
        The shifted dates (missing stays missing). Intervals between one person's dates are
        kept exactly; calendar facts (weekday, month) are not.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2016-06-14", "2016-06-20"]))
    >>> shifted = shift_dates(days, pd.Series(["H001", "H001"]), b"k" * 32, 30, study="s")
    >>> int((shifted[1] - shifted[0]).days), bool((shifted != days).all())
    (6, True)
    """
    secret = _check_secret(secret)
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise TypeError("shift_dates needs a datetime64 column")
    if len(person_ids) != len(series):
        raise ValueError("person_ids must be aligned with the dates")
    persons = pd.Series(person_ids.to_numpy(), index=series.index)
    if persons[series.notna()].isna().any():
        raise ValueError("every dated row needs a person id to shift by")
    lookup = {p: _shift_days(secret, study, p, max_days)
              for p in pd.unique(persons.dropna().astype(str))}
    offsets = persons.astype(str).map(lookup).fillna(0).astype("int64")
    return (series + pd.to_timedelta(offsets, unit="D")).astype(series.dtype)


def suppress_small_cells(table: pd.DataFrame, count_cols: Iterable[str], k: int = 5, *,
                         keep_zeros: bool = False) -> pd.DataFrame:
    """Suppress counts below ``k``: the cell becomes missing and a flag column says so.

    Parameters
    ----------
    table : DataFrame
        A table of counts.
    count_cols : iterable of str
        The count columns.
    k : int
        Threshold: a count ``< k`` is suppressed (5 is the usual rule of statistical offices).
    keep_zeros : bool
        Publish zero counts (structural zeros) instead of suppressing them.

    Returns
    -------
    DataFrame
        A copy: each count column becomes nullable (``Int64`` for integers, ``Float64`` for
        reals) with ``<NA>`` where suppressed, and a boolean column ``{col}_suppressed`` is
        added after it.

    Notes
    -----
    Primary suppression only: a published total, or the other cells of a row or column, may
    let a reader recompute a suppressed cell (complementary suppression is not done). Do not
    publish totals next to suppressed cells. Complexity: O(rows x count columns).

    Examples
    --------
    >>> import pandas as pd
    >>> out = suppress_small_cells(pd.DataFrame({"cp": ["CP1", "CP2"], "n": [12, 3]}), ["n"])
    >>> out["n"].tolist(), out["n_suppressed"].tolist(), str(out["n"].dtype)
    ([12, <NA>], [False, True], 'Int64')
    """
    out = table.copy()
    for column in count_cols:
        values = out[column]
        if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(
                values.dtype):
            raise TypeError(f"column {column!r} is not a count")
        nullable = "Int64" if pd.api.types.is_integer_dtype(values.dtype) else "Float64"
        values = values.astype(nullable)
        small = (values < k).fillna(False)
        if keep_zeros:
            small &= (values != 0).fillna(False)
        position = out.columns.get_loc(column)
        out[column] = values.mask(small)
        out.insert(position + 1, f"{column}_suppressed", small.astype("boolean"))
    return out
