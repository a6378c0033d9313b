"""What a write changed in the data, to patch a loaded dataset instead of reading the store.

A :class:`Delta` holds the rows a write upserted (typed as the store loads them), the keys it
removed, table by table, and :attr:`Delta.since`: the earliest day whose derived tables the
write can change (everything dated before it, an isolation report for instance, is still
right). :func:`apply_delta` returns the dataset with the rows; :func:`record_delta` makes the
delta of a write through :mod:`genera_graph.io.records`.

Examples
--------
>>> import pandas as pd
>>> from genera_graph.model import Dataset
>>> ds = Dataset.empty()
>>> row = pd.DataFrame({"actor_id": ["H1"], "kind": ["household"], "name": ["Famiglia"],
...     "community_point_id": [None], "municipality": [None], "facilitator_id": [None],
...     "first_met": pd.to_datetime(["2016-06-01"]), "left_on": pd.to_datetime([None])})
>>> len(apply_delta(ds, Delta(upserts=(("actors", row),))).actors)
1
>>> contact = {"interaction_id": "X1", "date": "20/12/2018", "source_actor_id": "H1",
...     "target_actor_id": "H2", "kind": "meeting", "nature": "peer", "programme": "community",
...     "community_point_id": "CP01", "source": "facilitator_record"}
>>> record_delta([("interactions", contact)], [None]).since
datetime.date(2018, 12, 20)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from genera_graph.io.schema import TABLE_KEYS, date_columns, float_columns
from genera_graph.model import Dataset

__all__ = ["TIE_TABLES", "Delta", "apply_delta", "record_delta", "scoped_delta"]

#: tables whose rows are tie events only (a write of these leaves actors and scope alone)
TIE_TABLES = ("interactions", "participations", "relations")

_DAY_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class Delta:
    """Rows upserted (``(table, typed rows)``) and keys removed (``(table, {column: value})``).

    ``since`` is the earliest day the write can change a derived table on (``None``: any
    day, e.g. an actor corrected); ``new_rows`` whether every upserted row is new (no
    correction, no removal), so that an event log may be extended instead of rebuilt.
    """

    upserts: tuple[tuple[str, pd.DataFrame], ...] = ()
    removals: tuple[tuple[str, Mapping[str, object]], ...] = ()
    since: date | None = None
    new_rows: bool = False

    @property
    def tables(self) -> frozenset[str]:
        """The tables the write touched."""
        return frozenset([t for t, _ in self.upserts] + [t for t, _ in self.removals])


def _day(text: str | None) -> date | None:
    if not text:
        return None
    return datetime.strptime(text, _DAY_FORMAT).date()


def _earliest(table: str, new: Mapping[str, str] | None, old: Mapping[str, str] | None,
              ) -> date | None | bool:
    """The earliest day a row's change can show on, ``True`` for "no day at all" (nothing
    dated changes) and ``None`` for "any day"."""
    if table == "actors":
        if old is not None:  # a corrected or withdrawn actor: names, kinds, scope may change
            return None
        return _day(new.get("first_met")) if new else None
    if table == "activities":
        return None if old is not None else True  # its participations carry their dates
    start_col = {"interactions": "date", "participations": "date"}.get(table, "start_date")
    rows = [r for r in (new, old) if r is not None]
    starts = [_day(r.get(start_col)) for r in rows]
    if any(s is None for s in starts):
        return None
    if table in ("relations", "household_members") and new is not None and old is not None:
        same = {k: v for k, v in new.items() if k != "end_date"} == {
            k: v for k, v in old.items() if k != "end_date"}
        if same:  # only its end moved: nothing changes before the earlier of the two ends
            ends = [_day(r.get("end_date")) for r in rows if r.get("end_date")]
            return min(ends) if ends else True
    return min(starts)


def record_delta(rows: Sequence[tuple[str, Mapping[str, str]]],
                 previous: Sequence[Mapping[str, str] | None], *,
                 withdrawn: bool = False) -> Delta | None:
    """The delta of a committed write of :mod:`genera_graph.io.records`.

    ``rows`` are its ``(table, register cells)``, ``previous`` the version each replaced
    (``None`` for a new row); with ``withdrawn`` the rows left the data. Follow-ups (no data
    table) are skipped. ``None`` when a row cannot be typed (the store is then read again).
    """
    upserts: list[tuple[str, pd.DataFrame]] = []
    removals: list[tuple[str, dict[str, object]]] = []
    since: list[date] = []
    anyday = False
    new_rows = not withdrawn
    for (table, cells), old in zip(rows, previous, strict=True):
        if table not in TABLE_KEYS:
            continue
        if withdrawn:
            key = {c: cells[c] for c in TABLE_KEYS[table]}
            typed = _typed(table, key)
            if typed is None:
                return None
            removals.append((table, typed.iloc[0].to_dict()))
            found = _earliest(table, None, old or cells)
        else:
            typed = _typed(table, cells)
            if typed is None:
                return None
            upserts.append((table, typed))
            new_rows &= old is None
            found = _earliest(table, cells, old)
        if found is None:
            anyday = True
        elif found is not True:
            since.append(found)
    day = None if anyday else (min(since) if since else date.max)
    return Delta(tuple(upserts), tuple(removals), day, new_rows)


def _typed(table: str, cells: Mapping[str, str]) -> pd.DataFrame | None:
    """One row of register text cells typed as the store loads it (dates, floats, text)."""
    dates, floats = set(date_columns(table)), set(float_columns(table))
    out: dict[str, list] = {}
    try:
        for col, text in cells.items():
            if text == "" or text is None:
                out[col] = [None]
            elif col in dates:
                out[col] = [pd.Timestamp(_day(text))]
            elif col in floats:
                out[col] = [float(text.replace(".", "").replace(",", ".")) if "," in text
                            else float(text)]
            else:
                out[col] = [str(text)]
    except ValueError:
        return None
    frame = pd.DataFrame(out)
    for col in dates & set(frame.columns):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    return frame


def _matches(frame: pd.DataFrame, keys: pd.DataFrame, table: str) -> np.ndarray:
    """Which rows of ``frame`` have one of the (few) natural keys of ``keys``."""
    cols = list(TABLE_KEYS[table])
    hit = np.zeros(len(frame), dtype=bool)
    if not len(keys) or not len(frame):
        return hit
    first = frame[cols[0]]
    candidates = np.flatnonzero(first.isin(list(keys[cols[0]].dropna())).to_numpy(dtype=bool))
    if not len(candidates):
        return hit
    wanted = {tuple(str(v) for v in row) for row in keys[cols].itertuples(index=False)}
    sub = frame.iloc[candidates][cols]
    for pos, row in zip(candidates, sub.itertuples(index=False), strict=True):
        if tuple(str(v) for v in row) in wanted:
            hit[pos] = True
    return hit


def apply_delta(ds: Dataset, delta: Delta) -> Dataset:
    """The dataset with a write's rows upserted by natural key and its removed keys gone
    (a new row goes last: the other rows keep their order)."""
    tables = dict(ds.tables())
    for table, key in delta.removals:
        frame = tables[table]
        drop = _matches(frame, pd.DataFrame([dict(key)]), table)
        tables[table] = frame[~drop].reset_index(drop=True)
    for table, rows in delta.upserts:
        frame = tables[table]
        rows = rows.reindex(columns=frame.columns)
        keep = ~_matches(frame, rows, table)
        rows = rows.astype(frame.dtypes.to_dict(), errors="ignore")
        parts = [frame[keep] if not keep.all() else frame, rows]
        tables[table] = pd.concat([p for p in parts if len(p)] or [frame.iloc[:0]],
                                  ignore_index=True)
    return Dataset(**tables)


def scoped_delta(delta: Delta, visible: set[str]) -> Delta | None:
    """The part of a tie-only delta a scoped viewer sees (ties whose actors are all
    visible, as :func:`dash_app.data.viewer.scope_dataset` keeps them), or ``None`` when
    the write touched actors, memberships or activities (the scope must be made again)."""
    if not delta.tables <= set(TIE_TABLES):
        return None
    columns = {"interactions": ("source_actor_id", "target_actor_id"),
               "participations": ("actor_id",), "relations": ("actor_id", "partner_id")}

    def seen(table: str, values: Mapping[str, object]) -> bool:
        return all(values.get(c) in visible for c in columns[table])

    upserts = []
    for table, rows in delta.upserts:
        mask = np.array([seen(table, r) for r in rows.to_dict("records")], dtype=bool)
        if mask.any():
            upserts.append((table, rows[mask].reset_index(drop=True)))
    # a removed key the viewer never had is removed from nothing
    return Delta(tuple(upserts), delta.removals, delta.since, delta.new_rows)
