"""Dates at the boundary of the temporal layer, and day numbers inside it.

The library's boundary type is :class:`datetime.date` (timezone-free). Functions accept a
``datetime.date``, an ISO ``str`` (``"2016-05-18"``), a timezone-free :class:`pandas.Timestamp`
or a ``numpy.datetime64``; inside, a date is an ``int64`` **day number**: days since 1970-01-01.
Frames returned by the library carry ``datetime64`` columns at midnight, like the data model.

Examples
--------
>>> as_date("2016-05-18")
datetime.date(2016, 5, 18)
>>> day_number("1970-01-02")
1
>>> day_to_date(day_number("2016-05-18"))
datetime.date(2016, 5, 18)
>>> month_ends("2016-02-01", "2016-04-30")
[datetime.date(2016, 2, 29), datetime.date(2016, 3, 31), datetime.date(2016, 4, 30)]
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

__all__ = [
    "DateLike",
    "as_date",
    "day_number",
    "day_to_date",
    "days_to_datetime64",
    "month_ends",
    "month_windows",
]

#: What the temporal layer accepts as a date.
DateLike = _dt.date | str | pd.Timestamp | np.datetime64

_EPOCH = _dt.date(1970, 1, 1)


def as_date(value: DateLike) -> _dt.date:
    """Convert a date-like value to :class:`datetime.date`.

    Parameters
    ----------
    value : datetime.date, str, pandas.Timestamp or numpy.datetime64
        A day. A ``datetime`` or ``Timestamp`` must be timezone-free and is truncated to its day.

    Returns
    -------
    datetime.date

    Raises
    ------
    TypeError
        For other types, or a timezone-aware timestamp.
    ValueError
        For a string that is not an ISO date, or a missing value.

    Examples
    --------
    >>> import pandas as pd
    >>> as_date(pd.Timestamp("2016-05-18 10:30"))
    datetime.date(2016, 5, 18)
    """
    if isinstance(value, pd.Timestamp | _dt.datetime):
        if value.tzinfo is not None:
            raise TypeError("dates must be timezone-free; got a timezone-aware timestamp")
        if pd.isna(value):
            raise ValueError("missing date")
        return _dt.date(value.year, value.month, value.day)
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        return _dt.date.fromisoformat(value.strip()[:10])
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError("missing date")
        return _EPOCH + _dt.timedelta(days=int(value.astype("datetime64[D]").astype(np.int64)))
    raise TypeError(f"expected a date, an ISO string or a Timestamp, got {type(value).__name__}")


def day_number(value: DateLike) -> int:
    """Days since 1970-01-01 of a date-like value (the library's internal time unit).

    >>> day_number("2016-02-01")
    16832
    """
    return (as_date(value) - _EPOCH).days


def day_to_date(day: int) -> _dt.date:
    """The :class:`datetime.date` of a day number.

    >>> day_to_date(16832)
    datetime.date(2016, 2, 1)
    """
    return _EPOCH + _dt.timedelta(days=int(day))


def days_to_datetime64(days: np.ndarray) -> np.ndarray:
    """Day numbers as a ``datetime64[ns]`` array (midnight), for DataFrame columns.

    >>> days_to_datetime64(np.array([16832]))
    array(['2016-02-01T00:00:00.000000000'], dtype='datetime64[ns]')
    """
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def _frame_days(series: pd.Series) -> np.ndarray:
    """A datetime column as int64 day numbers; missing values become ``_MISSING_DAY``."""
    values = pd.to_datetime(series).to_numpy("datetime64[D]")
    days = values.astype(np.int64)
    days[np.isnat(values)] = _MISSING_DAY
    return days


_MISSING_DAY = np.iinfo(np.int64).min


def month_ends(start: DateLike, end: DateLike) -> list[_dt.date]:
    """The last days of the calendar months from ``start``'s month to ``end``'s month.

    Parameters
    ----------
    start, end : date-like
        Any days in the first and the last month.

    Returns
    -------
    list of datetime.date
        One month-end per month, in order (36 for the programme, Feb 2016 - Jan 2019).

    Examples
    --------
    >>> len(month_ends("2016-02-01", "2019-01-31"))
    36
    """
    first = pd.Period(as_date(start), freq="M")
    last = pd.Period(as_date(end), freq="M")
    return [p.end_time.date() for p in pd.period_range(first, last, freq="M")]


def month_windows(start: DateLike, end: DateLike) -> list[tuple[_dt.date, _dt.date]]:
    """Calendar months as half-open ``(first_day, first_day_of_next_month)`` windows.

    Examples
    --------
    >>> month_windows("2016-02-10", "2016-03-01")
    [(datetime.date(2016, 2, 1), datetime.date(2016, 3, 1)), (datetime.date(2016, 3, 1), datetime.date(2016, 4, 1))]
    """
    first = pd.Period(as_date(start), freq="M")
    last = pd.Period(as_date(end), freq="M")
    return [
        (p.start_time.date(), (p + 1).start_time.date())
        for p in pd.period_range(first, last, freq="M")
    ]
