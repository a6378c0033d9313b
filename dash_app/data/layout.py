"""The map's layout: fixed positions of every unit, computed once from all ties ever.

One layout for the whole programme keeps each actor in place while the date slider moves (the
coordinator's mental map).

Examples
--------
>>> import pandas as pd
>>> edges = pd.DataFrame({"a": ["H1", "H1", "H2"], "b": ["H2", "H3", "H3"],
...                       "weight": [1.0, 2.0, 1.0]})
>>> pos = fixed_positions(edges, seed=1)
>>> sorted(pos.index), bool(pos.min().min() >= 0 and pos.max().max() <= 1)
(['H1', 'H2', 'H3'], True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["fixed_positions", "spread"]


def spread(xy: np.ndarray) -> np.ndarray:
    """Keep each point's angle around the centroid; make its radius the square root of its
    radius rank (an even density over the disc)."""
    if len(xy) < 3:
        return xy
    centred = xy - np.median(xy, axis=0)
    radius = np.hypot(centred[:, 0], centred[:, 1])
    angle = np.arctan2(centred[:, 1], centred[:, 0])
    rank = radius.argsort().argsort() / (len(xy) - 1)
    new = np.sqrt(rank)
    return np.column_stack([new * np.cos(angle), new * np.sin(angle)])


def fixed_positions(edges: pd.DataFrame, seed: int, *, niter: int = 300) -> pd.DataFrame:
    """Positions (``x``, ``y`` in [0, 1]) of the units of ``edges`` (``a``, ``b``, ``weight``).

    igraph's Fruchterman-Reingold (seeded, ``niter`` iterations, weights ``log1p(weight)``;
    its grid variant above 1,000 units: each iteration :math:`O(n + m)`); the
    dense core is then spread out: each actor keeps its direction from the centre, and its
    distance becomes its distance rank (so actors fill the disc evenly instead of piling up in
    the middle).
    """
    import igraph as ig

    pairs = edges.rename(columns={"weight": "w"})
    names = pd.Index(pd.unique(pd.concat([pairs["a"], pairs["b"]])))
    if len(names) == 0:
        return pd.DataFrame({"x": [], "y": []})
    g = ig.Graph(n=len(names), edges=list(zip(names.get_indexer(pairs["a"]),
                                               names.get_indexer(pairs["b"]), strict=True)))
    rng_state = np.random.default_rng(seed)
    start = rng_state.random((len(names), 2)).tolist()
    layout = g.layout_fruchterman_reingold(seed=start, niter=niter,
                                           weights=np.log1p(pairs["w"]).tolist())
    xy = np.asarray(layout.coords, dtype=float)
    xy = spread(xy)
    xy -= xy.min(axis=0)
    span = xy.max(axis=0)
    span[span == 0] = 1.0
    xy /= span
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}, index=names)
