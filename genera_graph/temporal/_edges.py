"""Edge kernels shared by the views and the projection: events to ties, as columnar arrays.

Every function works on the :class:`~genera_graph.temporal._log.EventLog` and a
:class:`~genera_graph.temporal._spec.ViewSpec`, never on a ``TemporalGraph``: the graph, its
views and the co-participation projection all import from here, and this module imports none of
them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from genera_graph.temporal._dates import DateLike, day_number
from genera_graph.temporal._log import (
    ACTOR_KINDS,
    INDIVIDUAL,
    INSTITUTIONAL,
    NATURES,
    PARTICIPATION,
    PEER,
    PROFESSIONAL,
    PROGRAMMES,
    RELATION,
    ROLES,
    EventLog,
)
from genera_graph.temporal._spec import ViewSpec

__all__ = [
    "aggregate_edges",
    "as_day_or_none",
    "code_set",
    "direct_events",
    "edge_arrays",
    "endpoints",
    "in_view",
    "project_participations",
    "span_events",
    "vertex_index",
]


def as_day_or_none(value: DateLike | None) -> int | None:
    """The day number of ``value`` (``None`` stays ``None``)."""
    return None if value is None else day_number(value)


def code_set(values: Any, what: str, log: EventLog) -> np.ndarray | None:
    """Codes of filter values (``None``: no filter); unknown values raise ``ValueError``."""
    if values is None:
        return None
    items = [values] if isinstance(values, str) else [str(v) for v in values]
    if what == "community_point":
        codes = log.cp_ids.get_indexer(pd.Index(items, dtype=object))
        # an unknown point is not an error: it simply has no events
        return np.asarray(sorted(set(codes.tolist()) - {-1}) or [-2], dtype=np.int64)
    vocab = {
        "programme": PROGRAMMES,
        "actor_kind": ACTOR_KINDS,
        "nature": NATURES,
        "role": ROLES,
    }[what]
    bad = [v for v in items if v not in vocab]
    if bad:
        raise ValueError(f"unknown {what}: {', '.join(bad)} (expected one of {', '.join(vocab)})")
    return np.asarray(sorted({vocab.index(v) for v in items}), dtype=np.int64)


def aggregate_edges(
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    nature: np.ndarray,
    n: int,
    *,
    directed: bool,
    count: bool = False,
) -> dict[str, np.ndarray]:
    """Sum event rows into one row per pair (``u < v`` unless directed), with the nature rule."""
    u = np.asarray(u, np.int64)
    v = np.asarray(v, np.int64)
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    keep = u != v
    u, v, w, nature = u[keep], v[keep], np.asarray(w, float)[keep], nature[keep]
    key = u * n + v
    order = np.argsort(key)
    key, w, nature = key[order], w[order], nature[order]
    if len(key) == 0:
        starts = np.empty(0, np.int64)
    else:
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    by_nature = []
    for code in (PEER, PROFESSIONAL, INSTITUTIONAL):
        wn = np.where(nature == code, w, 0.0)
        by_nature.append(np.add.reduceat(wn, starts) if len(starts) else np.empty(0))
    weight = np.add.reduceat(w, starts) if len(starts) else np.empty(0)
    # nature rule: largest weight; ties go to the more formal nature
    stacked = np.vstack([by_nature[2], by_nature[1], by_nature[0]])
    rule = np.array([INSTITUTIONAL, PROFESSIONAL, PEER])[np.argmax(stacked, axis=0)] if len(
        starts
    ) else np.empty(0, np.int64)
    out = {
        "u": key[starts] // n if len(starts) else np.empty(0, np.int64),
        "v": key[starts] % n if len(starts) else np.empty(0, np.int64),
        "weight": weight,
        "n_peer": by_nature[0],
        "n_professional": by_nature[1],
        "n_institutional": by_nature[2],
        "nature": np.asarray(NATURES, dtype=object)[rule.astype(np.int64)],
    }
    if count:
        out["count"] = np.diff(np.r_[starts, len(key)]).astype(np.int64)
    return out


def project_participations(
    units: np.ndarray,
    activities: np.ndarray,
    side_nature: np.ndarray,
    n: int,
    weighting: str = "count",
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Project (unit, activity) participations to one row per (pair, shared activity).

    Returns ``u < v`` unit indices, the pair's weight from that activity and its nature code.
    """
    if weighting not in ("count", "newman"):
        raise ValueError(f"weighting must be 'count' or 'newman', got {weighting!r}")
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0), np.empty(0, np.int8))
    if len(units) == 0:
        return empty
    key = activities.astype(np.int64) * n + units.astype(np.int64)
    order = np.argsort(key, kind="stable")
    key = key[order]
    nat = side_nature[order].astype(np.int8)
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    # a (unit, activity) is professional if any of its participations is
    nat = np.maximum.reduceat(nat, first)
    key = key[first]
    act, unit = key // n, key % n
    bounds = np.flatnonzero(np.r_[True, act[1:] != act[:-1], True])
    sizes = np.diff(bounds)
    starts = bounds[:-1]
    us, vs, ws, ns = [], [], [], []
    for p in np.unique(sizes[sizes >= 2]):
        group_starts = starts[sizes == p]
        rows = group_starts[:, None] + np.arange(p)[None, :]
        iu, ju = np.triu_indices(int(p), 1)
        members, natures = unit[rows], nat[rows]
        us.append(members[:, iu].ravel())
        vs.append(members[:, ju].ravel())
        pair_nat = np.maximum(natures[:, iu], natures[:, ju]).ravel()
        ns.append(np.where(pair_nat == PROFESSIONAL, PROFESSIONAL, PEER).astype(np.int8))
        value = 1.0 if weighting == "count" else 1.0 / (p - 1)
        ws.append(np.full(len(us[-1]), value))
    if not us:
        return empty
    return np.concatenate(us), np.concatenate(vs), np.concatenate(ws), np.concatenate(ns)


def span_events(log: EventLog, lo: float, hi: float) -> np.ndarray:
    """Indices (increasing) of the events touching the days ``[lo, hi)``.

    An instantaneous event on day ``d`` touches them iff ``lo <= d < hi``; an interval tie
    ``[s, e]`` iff ``s < hi`` and ``e >= lo``. The log is sorted by day, so the instantaneous
    events are one slice found by binary search; only the (few) relations are tested one by
    one. ``lo`` may be ``-inf``.
    """
    first = int(np.searchsorted(log.day, lo, side="left"))
    stop = int(np.searchsorted(log.day, hi, side="left"))
    inside = np.arange(first, stop)
    inside = inside[log.kind[first:stop] != RELATION]
    relations = np.flatnonzero(log.kind[:stop] == RELATION)
    relations = relations[log.end[relations] >= lo]
    if len(relations) == 0:
        return inside
    # disjoint sets: a sort, not np.union1d (numpy's hash-based unique is far slower)
    return np.sort(np.concatenate([inside, relations]))


def in_view(log: EventLog, spec: ViewSpec) -> np.ndarray:
    """Events in the view's time span, programmes and Community Points (a boolean mask).

    A window ``[start, end)`` takes the events of :func:`span_events`; an ``at`` view on day
    ``t`` with horizon ``h`` the instantaneous events of ``(t - h, t]`` and the interval ties
    with ``s <= t <= e``.
    """
    if spec.mode == "window":
        lo = -np.inf if spec.start is None else spec.start
        idx = span_events(log, lo, spec.end)
    else:
        t, h = spec.t, spec.horizon_days
        first = int(np.searchsorted(log.day, t - h, side="right"))
        stop = int(np.searchsorted(log.day, t, side="right"))
        inside = np.arange(first, stop)
        inside = inside[log.kind[first:stop] != RELATION]
        relations = np.flatnonzero(log.kind[:stop] == RELATION)
        relations = relations[log.end[relations] >= t]
        idx = np.sort(np.concatenate([inside, relations])) if len(relations) else inside
    if spec.programme is not None:
        idx = idx[np.isin(log.programme[idx], spec.programme)]
    if spec.community_point is not None:
        idx = idx[np.isin(log.cp[idx], spec.community_point)]
    mask = np.zeros(len(log.day), bool)
    mask[idx] = True
    return mask


def endpoints(log: EventLog, spec: ViewSpec) -> tuple[np.ndarray, np.ndarray]:
    """Source and target of every event at the view's level (actor or household)."""
    if spec.level == "household":
        return log.source_unit, log.target_unit
    return log.source, log.target


def direct_events(log: EventLog, spec: ViewSpec, mask: np.ndarray) -> np.ndarray:
    """Indices of the interactions and relations of a view, every filter applied."""
    keep = mask & (log.kind != PARTICIPATION)
    if spec.nature is not None:
        keep &= np.isin(log.nature, spec.nature)
    if spec.actor_kind is not None:
        src, tgt = endpoints(log, spec)
        kinds = log.actor_kind
        keep &= np.isin(kinds[src], spec.actor_kind) & np.isin(kinds[tgt], spec.actor_kind)
    return np.flatnonzero(keep)


def edge_arrays(log: EventLog, spec: ViewSpec) -> dict[str, np.ndarray]:
    """The ties of a view as arrays (``u``, ``v``, weights by nature, ``nature``)."""
    n = log.n_actors
    mask = in_view(log, spec)
    src, tgt = endpoints(log, spec)

    tie = direct_events(log, spec, mask)
    u, v, nat = src[tie], tgt[tie], log.nature[tie]
    w = log.weight[tie]
    if spec.mode == "at" and spec.half_life_days is not None:
        age = spec.t - log.day[tie]
        instant = log.kind[tie] != RELATION
        w = np.where(instant, w * 0.5 ** (age / spec.half_life_days), w)
    if spec.include_coparticipation:
        part = mask & (log.kind == PARTICIPATION)
        pu, pv, pw, pn = project_participations(
            src[part], log.target[part], log.nature[part], n, spec.coparticipation_weighting
        )
        if spec.directed:
            pu, pv = np.r_[pu, pv], np.r_[pv, pu]
            pw, pn = np.r_[pw, pw], np.r_[pn, pn]
        keep = np.ones(len(pu), bool)
        if spec.nature is not None:
            keep &= np.isin(pn, spec.nature)
        if spec.actor_kind is not None:
            kinds = log.actor_kind
            keep &= np.isin(kinds[pu], spec.actor_kind) & np.isin(kinds[pv], spec.actor_kind)
        u, v = np.r_[u, pu[keep]], np.r_[v, pv[keep]]
        w, nat = np.r_[w, pw[keep]], np.r_[nat, pn[keep]]
    return aggregate_edges(u, v, w, nat, n, directed=spec.directed)


def vertex_index(log: EventLog, spec: ViewSpec, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """Actor indices of a view's vertices, increasing."""
    n = log.n_actors
    chosen = np.zeros(n, bool)
    chosen[arrays["u"]] = True
    chosen[arrays["v"]] = True
    if spec.vertices != "active":
        extra = np.ones(n, bool)
        last = spec.last_day
        if spec.vertices == "met":
            extra &= log.actor_first_met <= last
        if spec.level == "household":
            ind = np.flatnonzero(log.actor_kind == INDIVIDUAL)
            housed = log.household_of(ind, last) != ind
            extra[ind[housed]] = False
        if spec.actor_kind is not None:
            extra &= np.isin(log.actor_kind, spec.actor_kind)
        chosen |= extra
    return np.flatnonzero(chosen)
