"""Recorded introductions read from a CSV file (the registers' conventions).

Until the explorer records introductions in the store, a coordinator can keep them in a
register-like file, ``introductions.csv`` (``;``, UTF-8, dates ``dd/mm/yyyy``):

================== ======================================================================
column             meaning
================== ======================================================================
introduction_id    id (optional)
actor_id           the family (or person) introduced
candidate_id       whom they were introduced to
status             ``proposed``, ``declined`` or ``done``
date               the day of the status (proposed, declined, or the introduction made)
facilitator_id     who proposed it (optional)
community_point_id the family's Community Point (optional: else the family's own)
reason             a code: the suggestion's main reason, or why it was declined (optional)
================== ======================================================================

Every problem is reported with its spreadsheet row (header = row 1); a file with a problem is
not read at all (nothing is dropped silently).

Examples
--------
>>> import io
>>> text = "actor_id;candidate_id;status;date\\nH1;H2;done;14/06/2016\\n"
>>> read_introductions(io.StringIO(text))[["status", "date"]].values.tolist()
[['done', Timestamp('2016-06-14 00:00:00')]]
"""

from __future__ import annotations

import os
from typing import IO

import pandas as pd

from genera_graph.io.registers import Problem, RegisterError, parse_dates

__all__ = ["INTRODUCTION_COLUMNS", "read_introductions"]

#: required, then optional columns of ``introductions.csv``
INTRODUCTION_COLUMNS = {
    "required": ("actor_id", "candidate_id", "status", "date"),
    "optional": ("introduction_id", "facilitator_id", "community_point_id", "reason"),
}
_STATUSES = ("proposed", "declined", "done")


def read_introductions(path: str | os.PathLike | IO[str]) -> pd.DataFrame:
    """Read and check a file of recorded introductions.

    Parameters
    ----------
    path : path-like or text file object

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`INTRODUCTION_COLUMNS` that the file has (text, ``date`` as
        ``datetime64``), one row per line.

    Raises
    ------
    RegisterError
        Listing every problem: a missing required column, an unknown column, an empty
        required cell, an unknown status, a date that is not ``dd/mm/yyyy``.
    """
    name = os.fspath(path) if not hasattr(path, "read") else "introductions.csv"
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    raw.columns = [str(c).strip() for c in raw.columns]
    problems: list[Problem] = []
    known = set(INTRODUCTION_COLUMNS["required"]) | set(INTRODUCTION_COLUMNS["optional"])
    for col in INTRODUCTION_COLUMNS["required"]:
        if col not in raw:
            problems.append(Problem(name, None, col, "required column missing"))
    for col in raw.columns:
        if col not in known:
            problems.append(Problem(name, None, col, "unknown column"))
    if problems:
        raise RegisterError(problems)
    frame = raw.apply(lambda s: s.str.strip()).replace("", None)
    rows = pd.Series(range(2, len(frame) + 2), index=frame.index)
    for col in INTRODUCTION_COLUMNS["required"]:
        for i in frame.index[frame[col].isna()]:
            problems.append(Problem(name, int(rows[i]), col, "required value missing"))
    bad = frame["status"].notna() & ~frame["status"].isin(_STATUSES)
    for i in frame.index[bad]:
        problems.append(Problem(name, int(rows[i]), "status",
                                f"must be one of {', '.join(_STATUSES)}", frame.at[i, "status"]))
    dates, implausible = parse_dates(frame["date"])
    for i in frame.index[frame["date"].notna() & dates.isna()]:
        rule = ("outside the plausible range of dates" if implausible[i]
                else "not a date (dd/mm/yyyy)")
        problems.append(Problem(name, int(rows[i]), "date", rule, frame.at[i, "date"]))
    if problems:
        raise RegisterError(problems)
    frame["date"] = dates
    return frame.reset_index(drop=True)
