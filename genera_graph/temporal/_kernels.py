"""Array kernels over the event log (private)."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


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

    >>> active_partner_matrix(np.array([0, 0, 1]), np.array([1, 1, 2]), np.array([5, 6, 20]),
    ...     np.array([5, 6, 20]), np.array([10, 20]), 10, 3).tolist()
    [[1, 1, 0], [0, 1, 1]]
    """
    k_windows = len(ends)
    if k_windows == 0 or len(source) == 0:
        return np.zeros((k_windows, n), np.int64)
    ends = np.asarray(ends, np.int64)
    first = np.searchsorted(ends, start, side="left")
    last = np.searchsorted(ends, np.asarray(end, np.int64) + width, side="left")
    reach = np.maximum(last - first, 0)
    lo = np.minimum(source, target).astype(np.int64)
    hi = np.maximum(source, target).astype(np.int64)
    pair = lo * n + hi
    keep = (reach > 0) & (lo != hi)
    pair, first, reach = pair[keep], first[keep], reach[keep]
    total = int(reach.sum())
    if total == 0:
        return np.zeros((k_windows, n), np.int64)
    # window index of every (event, window) incidence, computed arithmetically
    offsets = np.cumsum(reach) - reach
    k = np.repeat(first - offsets, reach) + np.arange(total)
    keys = np.repeat(pair, reach)
    keys += k * (n * n)
    keys.sort()
    distinct = np.empty(len(keys), bool)
    distinct[0] = True
    np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
    keys = keys[distinct]
    k = keys // (n * n)
    rem = keys - k * (n * n)
    a = rem // n
    b = rem - a * n
    base = k * n
    size = k_windows * n
    counts = np.bincount(base + a, minlength=size) + np.bincount(base + b, minlength=size)
    return counts.reshape(k_windows, n)
