"""What a write changed in the data, to patch a loaded dataset instead of reading the store.

A :class:`Delta` holds the rows a write upserted (typed as the store loads them) and the keys it
removed, table by table; :func:`apply_delta` returns the dataset with them.

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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from genera_graph.io.schema import TABLE_KEYS
from genera_graph.model import Dataset

__all__ = ["Delta", "apply_delta"]


@dataclass(frozen=True)
class Delta:
    """Rows upserted (``(table, typed rows)``) and keys removed (``(table, {column: value})``)."""

    upserts: tuple[tuple[str, pd.DataFrame], ...] = ()
    removals: tuple[tuple[str, Mapping[str, object]], ...] = ()


def _key_frame(frame: pd.DataFrame, table: str) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[list(TABLE_KEYS[table])].astype(str))


def apply_delta(ds: Dataset, delta: Delta) -> Dataset:
    """The dataset with a write's rows upserted by natural key and its removed keys gone."""
    tables = dict(ds.tables())
    for table, key in delta.removals:
        frame = tables[table]
        keep = ~_key_frame(frame, table).isin(
            _key_frame(pd.DataFrame([{k: str(v) for k, v in key.items()}]), table))
        tables[table] = frame[keep].reset_index(drop=True)
    for table, rows in delta.upserts:
        frame = tables[table]
        rows = rows.reindex(columns=frame.columns)
        keep = ~_key_frame(frame, table).isin(_key_frame(rows, table))
        parts = [frame[keep], rows.astype(frame.dtypes.to_dict(), errors="ignore")]
        tables[table] = pd.concat([p for p in parts if len(p)] or [frame.iloc[:0]],
                                  ignore_index=True)
    return Dataset(**tables)
