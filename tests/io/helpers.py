"""Helpers of the io tests: comparing datasets, writing small register folders."""

from __future__ import annotations

import pandas as pd

from genera_graph.io.store import TABLE_KEYS
from genera_graph.model import Dataset

__all__ = ["assert_same_dataset", "sorted_tables"]


def sorted_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every table sorted by its natural key, with a fresh index (for comparisons)."""
    return {name: frame.sort_values(list(TABLE_KEYS[name])).reset_index(drop=True)
            for name, frame in ds.tables().items()}


def assert_same_dataset(got: Dataset, expected: Dataset) -> None:
    """Same rows, same values, same dtypes, table by table (order of rows ignored)."""
    a, b = sorted_tables(got), sorted_tables(expected)
    for name in b:
        pd.testing.assert_frame_equal(a[name][list(b[name].columns)], b[name], obj=name)
