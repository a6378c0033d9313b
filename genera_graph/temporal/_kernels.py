"""Array kernels over the event log (private)."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def sorted_unique(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` of integer keys by one sort and an adjacent-difference mask
    (``np.unique`` sorts too but costs many times more on millions of keys).

    >>> sorted_unique(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def active_partner_matrix(
    source: np.ndarray,
    target: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    ends: np.ndarray,
    width: int,
    n: int,
) -> np.ndarray:
    """Distinct partners per actor per window, as a ``(len(ends), n)`` int64 matrix.

    Window ``k`` is ``[ends[k] - width + 1, ends[k]]`` (days, inclusive); an event lasting
    ``[start, end]`` (``start == end`` for an instantaneous one) touches window ``k`` iff
    ``ends[k] >= start`` and ``ends[k] - width + 1 <= end``. ``ends`` must increase.

    Each undirected pair is one ``int64`` (``min * n + max``). Events are sorted once by
    ``(pair, start)`` (a plain sort of one ``int64`` key when every event is instantaneous);
    the windows an event touches form a range ``[f, l)`` read from a day -> window table; within
    a pair, the part of the range not already covered by the pair's earlier events is new, so
    every (pair, window) is counted exactly once: +1 at ``f`` and -1 at ``l`` for both sides in
    a difference array (two ``bincount`` calls), summed along the windows.

    >>> active_partner_matrix(np.array([0, 0, 1]), np.array([1, 1, 2]), np.array([5, 6, 20]),
    ...     np.array([5, 6, 20]), np.array([10, 20]), 10, 3).tolist()
    [[1, 1, 0], [0, 1, 1]]
    """
    k_windows = len(ends)
    if k_windows == 0 or len(source) == 0:
        return np.zeros((k_windows, n), np.int64)
    ends = np.asarray(ends, np.int64)
    start = np.asarray(start, np.int64)
    end = np.asarray(end, np.int64)
    lo = np.minimum(source, target).astype(np.int64)
    hi = np.maximum(source, target).astype(np.int64)
    # drop self-pairs and events that touch no window
    keep = (lo != hi) & (end >= ends[0] - width + 1) & (start <= ends[-1])
    if not keep.all():
        lo, hi, start, end = lo[keep], hi[keep], start[keep], end[keep]
    if len(lo) == 0:
        return np.zeros((k_windows, n), np.int64)
    day0 = int(start.min())
    span = int(start.max()) - day0 + 1
    key = (lo * n + hi) * span + (start - day0)
    instantaneous = bool((end == start).all())
    if instantaneous:
        key.sort()
        day = key % span + day0
        pair = key // span
        last_day = day
    else:
        order = np.argsort(key)
        key = key[order]
        day = start[order]
        last_day = end[order]
        pair = key // span
    del key
    first = _window_range(ends, day, 0)
    last = _window_range(ends, last_day, width)  # exclusive
    new_pair = np.empty(len(pair), bool)
    new_pair[0] = True
    np.not_equal(pair[1:], pair[:-1], out=new_pair[1:])
    # running maximum of ``last`` over the earlier events of the same pair
    group = np.cumsum(new_pair) - 1
    stride = k_windows + 2
    covered = np.maximum.accumulate(group * stride + last) - group * stride
    before = np.empty(len(pair), np.int64)
    before[0] = 0
    before[1:] = covered[:-1]
    before[new_pair] = 0
    begin = np.maximum(first, before)
    sel = last > begin
    begin, last, pair = begin[sel], last[sel], pair[sel]
    if len(pair) == 0:
        return np.zeros((k_windows, n), np.int64)
    # difference array over windows: +1 from ``begin``, -1 from ``last``, for both sides
    size = (k_windows + 1) * n
    a, b = pair // n, pair % n
    begin *= n
    last *= n
    diff = np.bincount(begin + a, minlength=size) + np.bincount(begin + b, minlength=size)
    diff -= np.bincount(last + a, minlength=size) + np.bincount(last + b, minlength=size)
    return np.cumsum(diff.reshape(k_windows + 1, n), axis=0)[:k_windows]


def _window_range(ends: np.ndarray, days: np.ndarray, shift: int) -> np.ndarray:
    """``searchsorted(ends, days + shift)`` through a day -> window table (days are few)."""
    d0 = int(days.min())
    table = np.searchsorted(ends, np.arange(d0, int(days.max()) + 1) + shift, side="left")
    return table[days - d0]
