"""Follow-ups of flagged families: how long each has waited, and how many were followed up.

The isolation worklist (:mod:`genera_graph.analytics.isolation`) flags households; the
facilitators record what they did for each (:func:`genera_graph.io.records.record_followup`:
a coded action and outcome, a date). These pure functions join the two:

- :func:`followup_summary`: per household, its last follow-up and the days it has waited
  without one;
- :func:`followup_coverage`: per Community Point and facilitator, how many flagged households
  had a follow-up within 14 days of being flagged.

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> f = pd.DataFrame({"household_id": ["H1"], "date": pd.to_datetime(["2018-12-20"]),
...                   "action": ["home_visit"], "outcome": ["reached"]})
>>> followup_summary(f, ["H1", "H2"], date(2018, 12, 31), flag_day=date(2018, 12, 1))[
...     "days_without_followup"].tolist()
[11, 30]
>>> followup_summary(f, ["H1", "H2"], date(2026, 12, 1), flag_day=date(2018, 12, 1),
...                  count_to=date(2019, 1, 31))["days_without_followup"].tolist()
[42, 61]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COVERAGE_DAYS", "flagged_coverage", "followup_coverage", "followup_summary"]

#: a flagged family counts as followed up when a follow-up comes within this many days
COVERAGE_DAYS = 14


def followup_summary(followups: pd.DataFrame, households: Iterable[str], today: date, *,
                     flag_day: date | None = None, count_to: date | None = None
                     ) -> pd.DataFrame:
    """Per household: its last follow-up and how many days it has waited without one.

    Parameters
    ----------
    followups : DataFrame
        ``household_id``, ``date``, ``action``, ``outcome`` (as
        :func:`genera_graph.io.records.followups` returns them).
    households : iterable of str
        The households to describe (e.g. the worklist's flagged ones), in the order wanted.
    today : date
        The day the waiting is counted to.
    flag_day : date, optional
        When the households were flagged: a household never followed up has waited since then
        (without it: missing).
    count_to : date, optional
        The day the waiting is counted to, when it is not ``today``: the data's last day for
        a register that ends before today (a historical one), so that the days say how long
        a family waited within the data, not how old the data are. A follow-up after it
        (recorded today) still counts as the last one; the wait is then 0.

    Returns
    -------
    DataFrame
        Indexed by household id: ``last_followup`` (date), ``last_action``, ``last_outcome``
        and ``days_without_followup`` (``Int64``: days from the last follow-up, or from
        ``flag_day``, to ``count_to`` (default ``today``), never below 0; follow-ups dated
        after ``today`` are not counted).

    Notes
    -----
    O(F log F) for F follow-ups (one sort, one group-by).
    """
    index = pd.Index(list(households), dtype="str")
    day = pd.Timestamp(today)
    f = followups.loc[pd.to_datetime(followups["date"]) <= day] if len(followups) else followups
    if len(f):
        order = ["date", "followup_id"] if "followup_id" in f else ["date"]
        last = f.sort_values(order).groupby("household_id").last()
    else:
        last = pd.DataFrame({c: pd.Series([], dtype=object)
                             for c in ("date", "action", "outcome")})
    out = pd.DataFrame(index=index)
    out["last_followup"] = pd.to_datetime(last["date"]).reindex(index).astype("datetime64[ns]")
    out["last_action"] = last["action"].reindex(index)
    out["last_outcome"] = last["outcome"].reindex(index)
    since = out["last_followup"]
    if flag_day is not None:
        since = since.fillna(pd.Timestamp(flag_day))
    end = day if count_to is None else pd.Timestamp(count_to)
    out["days_without_followup"] = (end - since).dt.days.clip(lower=0).astype("Int64")
    return out


def followup_coverage(flagged: pd.DataFrame, followups: pd.DataFrame, flag_day: date, *,
                      within_days: int = COVERAGE_DAYS) -> pd.DataFrame:
    """How many flagged households had a follow-up within ``within_days`` of being flagged.

    Parameters
    ----------
    flagged : DataFrame
        The flagged households (index: household id) with ``community_point_id`` and
        ``facilitator_id``.
    followups : DataFrame
        Follow-ups (``household_id``, ``date``).
    flag_day : date
        The day they were flagged (the worklist's day).
    within_days : int
        A follow-up dated from ``flag_day`` to ``flag_day + within_days`` (both included)
        counts.

    Returns
    -------
    DataFrame
        One row per (``community_point_id``, ``facilitator_id``), sorted: ``flagged``,
        ``followed_up`` and ``share`` (``followed_up / flagged``). A missing point or
        facilitator is an empty text.

    Examples
    --------
    >>> flagged = pd.DataFrame({"community_point_id": ["CP01", "CP01", "CP02"],
    ...     "facilitator_id": ["F01", "F01", "F02"]}, index=["H1", "H2", "H3"])
    >>> f = pd.DataFrame({"household_id": ["H1", "H3"],
    ...                   "date": pd.to_datetime(["2018-12-20", "2019-02-01"])})
    >>> followup_coverage(flagged, f, date(2018, 12, 10))[["flagged", "followed_up", "share"]
    ...     ].to_dict("records")
    [{'flagged': 2, 'followed_up': 1, 'share': 0.5}, {'flagged': 1, 'followed_up': 0, 'share': 0.0}]
    """
    start = pd.Timestamp(flag_day)
    end = start + pd.Timedelta(days=within_days)
    hit: set[str] = set()
    if len(followups):
        dates = pd.to_datetime(followups["date"])
        hit = set(followups.loc[(dates >= start) & (dates <= end), "household_id"])
    frame = pd.DataFrame({
        "community_point_id": flagged["community_point_id"].fillna("").astype(str).to_numpy(),
        "facilitator_id": flagged["facilitator_id"].fillna("").astype(str).to_numpy(),
        "followed": np.fromiter((h in hit for h in flagged.index), dtype=np.int64,
                                count=len(flagged)),
    })
    out = frame.groupby(["community_point_id", "facilitator_id"], sort=True).agg(
        flagged=("followed", "size"), followed_up=("followed", "sum")).reset_index()
    out = out.astype({"flagged": "int64", "followed_up": "int64"})
    out["share"] = out["followed_up"] / out["flagged"]
    return out


def flagged_coverage(temporal: Any, followups: pd.DataFrame, flag_day: date, *,
                     config: Any = None, within_days: int = COVERAGE_DAYS) -> pd.DataFrame:
    """:func:`followup_coverage` of the households the isolation report flags on ``flag_day``
    (status ``isolated`` or ``at_risk``; :func:`~genera_graph.analytics.isolation.isolation_report`
    on the temporal graph, with ``config``).

    Examples
    --------
    >>> from genera_graph.sample import generate_district
    >>> from genera_graph.temporal import TemporalGraph
    >>> tg = TemporalGraph.from_dataset(generate_district(seed=2016).dataset)
    >>> none = pd.DataFrame({"household_id": pd.Series([], dtype=str),
    ...                      "date": pd.Series([], dtype="datetime64[ns]")})
    >>> table = flagged_coverage(tg, none, date(2018, 12, 31))
    >>> int(table["flagged"].sum()) > 0, int(table["followed_up"].sum())
    (True, 0)
    """
    from genera_graph.analytics.isolation import isolation_report

    kwargs = {} if config is None else {"config": config}
    report = isolation_report(temporal, flag_day, **kwargs)
    flagged = report[report["status"].isin(("isolated", "at_risk"))]
    return followup_coverage(flagged, followups, flag_day, within_days=within_days)
