"""The pieces a window view is summed from, binned by period: any window of whole bins.

:func:`window_parts` cuts the event log once into the parts that :meth:`TemporalGraph.window`
sums for a window ``[bounds[lo], bounds[hi])``: instantaneous ties counted per bin, interval
ties with their first and last bin, participations per bin. :func:`edges_from_parts` sums them
for one window and gives the window view's ties (the same rows, order and values as
``tg.window(bounds[lo], bounds[hi], ...).tie_arrays()``, co-participation included). A client
that holds the parts can so draw every window of whole bins without asking again (the map's
time slider in the explorer sums them in the browser).

Examples
--------
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> import datetime as dt
>>> tg = TemporalGraph.from_dataset(toy_dataset())
>>> bounds = [dt.date(2016, m, 1) for m in range(1, 13)]
>>> parts = window_parts(tg, bounds, include_coparticipation=True)
>>> got = edges_from_parts(parts, 5, 6)
>>> want = tg.window(bounds[5], bounds[6], include_coparticipation=True).tie_arrays()
>>> bool((got["u"] == want["u"]).all() and (got["weight"] == want["weight"]).all())
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from genera_graph.temporal._dates import DateLike, day_number
from genera_graph.temporal._edges import (
    aggregate_edges,
    direct_events,
    endpoints,
    in_view,
    project_participations,
)
from genera_graph.temporal._log import PARTICIPATION, RELATION
from genera_graph.temporal._spec import Level, ViewSpec

__all__ = ["edges_from_parts", "window_parts"]


def window_parts(tg: Any, bounds: Sequence[DateLike], *,
                 programme: str | Iterable[str] | None = None,
                 community_point: str | Iterable[str] | None = None,
                 actor_kind: str | Iterable[str] | None = None,
                 nature: str | Iterable[str] | None = None, level: Level = "individual",
                 include_coparticipation: bool = False) -> dict[str, Any]:
    """The parts of every window ``[bounds[lo], bounds[hi])`` of ``tg`` (undirected, count
    weighting), with the filters of :meth:`TemporalGraph.window`.

    Parameters
    ----------
    tg : TemporalGraph
    bounds : sequence of date-like
        Increasing bin bounds (the explorer's month starts); bin ``k`` is
        ``[bounds[k], bounds[k + 1])``, bin ``-1`` is before ``bounds[0]`` and bin
        ``len(bounds) - 1`` from the last bound on.
    programme, community_point, actor_kind, nature, level, include_coparticipation
        As for :meth:`TemporalGraph.window` (the nature filter of co-participation ties is
        applied when summing: a pair's nature depends on the window).

    Returns
    -------
    dict
        ``direct``: instantaneous ties summed per pair, bin and nature (``u < v`` actor
        indices, ``bin``, ``nature`` code, ``weight``); ``relations``: interval ties (``u``,
        ``v``, ``first`` and ``last`` bin, ``nature``, ``weight``); ``participations``: one row
        per unit, activity and bin (``unit``, ``activity``, ``bin``, ``nature``: the largest
        nature code of its participations in the bin), empty without co-participation;
        ``nature``: the nature codes kept (``None``: all); ``n_actors``.

    Notes
    -----
    A window ``[bounds[lo], bounds[hi])`` holds an instantaneous tie of bin ``b`` iff
    ``lo <= b < hi`` and an interval tie iff ``first < hi`` and ``last >= lo`` (the window
    view's rule, :meth:`TemporalGraph.window`). O(E log E) for E events.
    """
    log = tg.log
    filters = tg._filters(programme, community_point, actor_kind, nature, level, False,
                          include_coparticipation, "count", "active")
    spec = ViewSpec(mode="window", start=None, end=np.iinfo(np.int64).max // 2, **filters)
    edges_of = np.asarray([day_number(b) for b in bounds], dtype=np.int64)

    def bin_of(days: np.ndarray) -> np.ndarray:
        return np.searchsorted(edges_of, days, side="right").astype(np.int64) - 1

    mask = in_view(log, spec)
    src, tgt = endpoints(log, spec)
    tie = direct_events(log, spec, mask)
    tie = tie[src[tie] != tgt[tie]]  # ties inside a household are no ties
    u = np.minimum(src[tie], tgt[tie]).astype(np.int64)
    v = np.maximum(src[tie], tgt[tie]).astype(np.int64)
    rel = log.kind[tie] == RELATION
    instant = pd.DataFrame({"u": u[~rel], "v": v[~rel], "bin": bin_of(log.day[tie][~rel]),
                            "nature": log.nature[tie][~rel].astype(np.int64),
                            "weight": log.weight[tie][~rel].astype(float)})
    direct = (instant.groupby(["u", "v", "bin", "nature"], sort=True, as_index=False)["weight"]
              .sum())
    relations = pd.DataFrame({"u": u[rel], "v": v[rel], "first": bin_of(log.day[tie][rel]),
                              "last": bin_of(log.end[tie][rel]),
                              "nature": log.nature[tie][rel].astype(np.int64),
                              "weight": log.weight[tie][rel].astype(float)})
    if include_coparticipation:
        part = np.flatnonzero(mask & (log.kind == PARTICIPATION))
        unit = src[part]
        if spec.actor_kind is not None:  # both ends of a pair must be of the kinds
            part = part[np.isin(log.actor_kind[unit], spec.actor_kind)]
            unit = src[part]
        rows = pd.DataFrame({"unit": unit.astype(np.int64),
                             "activity": log.target[part].astype(np.int64),
                             "bin": bin_of(log.day[part]),
                             "nature": log.nature[part].astype(np.int64)})
        participations = rows.groupby(["unit", "activity", "bin"], sort=True,
                                      as_index=False)["nature"].max()
    else:
        participations = pd.DataFrame({c: pd.Series([], dtype=np.int64)
                                       for c in ("unit", "activity", "bin", "nature")})
    return {"direct": direct, "relations": relations, "participations": participations,
            "nature": spec.nature, "n_actors": int(log.n_actors)}


def edges_from_parts(parts: dict[str, Any], lo: int, hi: int) -> dict[str, np.ndarray]:
    """The ties of the window ``[bounds[lo], bounds[hi])`` summed from :func:`window_parts`:
    the arrays of :meth:`View.tie_arrays` (``u``, ``v``, ``weight``, ``n_peer``,
    ``n_professional``, ``n_institutional``, ``nature``), in its order."""
    d, r, p = parts["direct"], parts["relations"], parts["participations"]
    d = d[(d["bin"] >= lo) & (d["bin"] < hi)]
    r = r[(r["first"] < hi) & (r["last"] >= lo)]
    us = [d["u"].to_numpy(), r["u"].to_numpy()]
    vs = [d["v"].to_numpy(), r["v"].to_numpy()]
    ws = [d["weight"].to_numpy(), r["weight"].to_numpy()]
    ns = [d["nature"].to_numpy(), r["nature"].to_numpy()]
    p = p[(p["bin"] >= lo) & (p["bin"] < hi)]
    if len(p):
        p = p.groupby(["unit", "activity"], sort=True, as_index=False)["nature"].max()
        pu, pv, pw, pn = project_participations(p["unit"].to_numpy(), p["activity"].to_numpy(),
                                                p["nature"].to_numpy(), parts["n_actors"])
        if parts["nature"] is not None:
            keep = np.isin(pn, parts["nature"])
            pu, pv, pw, pn = pu[keep], pv[keep], pw[keep], pn[keep]
        us, vs, ws, ns = us + [pu], vs + [pv], ws + [pw], ns + [pn]
    return aggregate_edges(np.concatenate(us), np.concatenate(vs), np.concatenate(ws),
                           np.concatenate(ns).astype(np.int64), parts["n_actors"],
                           directed=False)
