"""Growth of the network over time: reach, ties, structure and the peer share, per window.

:func:`growth` returns one tidy frame with a row per window (optionally per programme or per
Community Point): how many actors the programme had reached, how many ties were active, new and
lost, the shape of the window's graph, and the **peer share** (the share of households' active
ties that are peer ties), the programme's thesis in one number over time.

Examples
--------
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> tg = TemporalGraph.from_dataset(toy_dataset())
>>> table = growth(tg, [("2016-06-01", "2016-07-01"), ("2016-07-01", "2016-08-01")],
...                include_coparticipation=True)
>>> table[["window_start", "active_ties", "new_ties", "lost_ties", "peer_share"]]
  window_start  active_ties  new_ties  lost_ties  peer_share
0   2016-06-01            5         5       <NA>         0.5
1   2016-07-01            1         1          5         0.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from genera_graph.temporal import (
    PARTICIPATION,
    PEER,
    DateLike,
    TemporalGraph,
    View,
    ViewSpec,
    day_number,
    month_windows,
)
from genera_graph.temporal._dates import day_to_date
from genera_graph.temporal._edges import code_set, vertex_index
from genera_graph.temporal._kernels import sorted_unique as _sorted_unique
from genera_graph.temporal._log import ACTOR_KINDS, INSTITUTIONAL, PROFESSIONAL, PROGRAMMES

_HOUSEHOLD = ACTOR_KINDS.index("household")

__all__ = ["GROWTH_COLUMNS", "growth"]

_KINDS = (
    "individual", "household", "association", "formal_group", "company", "school",
    "public_entity", "community_point", "facilitator",
)
#: the measure columns of :func:`growth`, in order (after the window and group columns)
GROWTH_COLUMNS = (
    *(f"reached_{k}" for k in _KINDS),
    "reached",
    "vertices",
    "active_ties",
    "new_ties",
    "lost_ties",
    "density",
    "components",
    "giant_share",
    "mean_clustering",
    "peer_share",
)


def growth(
    tg: TemporalGraph,
    windows: Sequence[tuple[DateLike, DateLike]] | None = None,
    *,
    by: Literal["programme", "community_point"] | None = None,
    level: Literal["individual", "household"] = "individual",
    include_coparticipation: bool = False,
    coparticipation_weighting: str = "count",
    vertices: Literal["active", "met", "all"] = "active",
    horizon_days: int | None = None,
) -> pd.DataFrame:
    """Reach, ties and structure of the network, one row per window.

    Parameters
    ----------
    tg : TemporalGraph
        The event log.
    windows : sequence of (start, end) pairs, optional
        Half-open windows ``[start, end)`` in time order (default: the calendar months of the
        programme, :func:`~genera_graph.temporal.month_windows`).
    by : {"programme", "community_point"}, optional
        Split every window by programme or by Community Point (an extra column ``programme``
        or ``community_point_id``):
        ties are those of the programme / point; reach as in Notes.
    level : {"individual", "household"}
        Level of the window graphs (see :meth:`TemporalGraph.window`).
    include_coparticipation : bool
        Also count co-participation ties (default ``False``: recorded ties only). The
        projection of an activity is a clique of its participants, so on the sample district
        co-participation ties outnumber recorded ties several times over and the peer share
        then measures attendance at large events rather than the peer bonds the programme
        aims at (it even falls over time, while the recorded ties' peer share rises).
    coparticipation_weighting : {"count", "newman"}
        Weighting of the projection (it changes no count here, only the edge weights).
    vertices : {"active", "met", "all"}
        Vertices of the window graphs, for density, components, giant share and clustering.
    horizon_days : int, optional
        Renewal horizon for lost ties (default ``config.horizon_days``).

    Returns
    -------
    pandas.DataFrame
        ``window_start``, ``window_end`` (``datetime64``), the group column if ``by``, then
        :data:`GROWTH_COLUMNS`:

        - ``reached_<kind>``, ``reached``: actors met by the end of the window (``first_met``
          before ``window_end``), by kind and in all;
        - ``vertices``: vertices of the window graph;
        - ``active_ties``: distinct pairs with activity in the window;
        - ``new_ties``: active pairs with no activity before the window (first seen in it);
        - ``lost_ties``: pairs active in the previous window with no activity in the
          ``horizon_days`` days from this window's start (missing for the first window, and
          for a window whose horizon runs past the end of the record: not yet known);
        - ``density``: ties / possible ties among the vertices;
        - ``components``: connected components (isolated vertices count);
        - ``giant_share``: share of the vertices in the largest component;
        - ``mean_clustering``: average local clustering coefficient, zero for vertices of degree
          below 2 (igraph ``transitivity_avglocal_undirected(mode="zero")``, networkx's
          ``average_clustering`` convention), unweighted;
        - ``peer_share``: among the household-level window's ties that touch a household, the
          share whose nature is peer (missing when there is none).

    Notes
    -----
    Reach when split: by Community Point, actors whose own ``community_point_id`` is that point;
    by programme, actors with an event of that programme (as either side, or as a participant)
    before ``window_end``. Lost ties look up to ``horizon_days`` past the window start; where that
    runs past the end of the record (the later of ``config.programme_end`` and the log's last
    day), a tie could still be renewed by data not yet recorded, so the count is right-censored
    and left missing rather than overstated.
    Without co-participation the table is computed on the event log's columns in one pass:
    every event is mapped arithmetically to the windows it touches, each (window, pair) is one
    ``int64`` key, de-duplicated by sorting; a lost tie is a binary search among the pair's
    events; the structure of each window (components by scipy's ``csgraph``, clustering by
    counting triangles) comes from the window's pairs, no graph built, equal to igraph's to
    the last bit. Time :math:`O(M \\log M)` for ``M`` = events x windows touched, memory
    :math:`O(M)`; no view is cached. With co-participation each window's graph is a cached view, :math:`O(E \\log E)`
    per window for ``E`` events.

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> table = growth(tg, by="programme")
    >>> table.loc[table["window_start"] == "2016-07-01", ["programme", "active_ties", "reached"]]
         programme  active_ties  reached
    5      housing            1        2
    41        work            0        0
    77       youth            0        0
    113      ideas            0        0
    149  community            0        7
    """
    config = tg.config
    horizon = config.horizon_days if horizon_days is None else int(horizon_days)
    if windows is None:
        windows = month_windows(config.programme_start, config.programme_end)
    bounds = [(day_number(s), day_number(e)) for s, e in windows]
    if any(e <= s for s, e in bounds):
        raise ValueError("every window must end after it starts")
    if by not in (None, "programme", "community_point"):
        raise ValueError(f"by must be 'programme' or 'community_point', got {by!r}")

    options: dict[str, Any] = {
        "level": level,
        "include_coparticipation": include_coparticipation,
        "coparticipation_weighting": coparticipation_weighting,
    }
    groups = _groups(tg, by)
    log = tg.log
    n = log.n_actors
    kind_codes = log.actor_kind.astype(np.int64)
    last = tg.last_day
    record_end = day_number(max(config.programme_end, last) if last else config.programme_end)
    starts = np.asarray([b[0] for b in bounds], np.int64)
    ends = np.asarray([b[1] for b in bounds], np.int64)
    # the columnar path needs windows whose starts and ends both increase (so that the windows
    # an event touches are a contiguous range); co-participation is a projection per window
    columnar = _columnar_ok(include_coparticipation, starts, ends)
    records = []
    for group in groups:
        filt = dict(options)
        if by is not None:
            filt[by] = group
        met_day = _met_day(tg, by, group)
        if columnar:
            ties = _columnar_ties(tg, starts, ends, horizon, level, by, group, vertices)
        previous: np.ndarray | None = None
        for k, (s, e) in enumerate(bounds):
            start, end = day_to_date(s), day_to_date(e)
            row: dict[str, Any] = {"window_start": start, "window_end": end}
            if by is not None:
                row[_GROUP_COLUMN[by]] = group
            reached = met_day < e
            counts = np.bincount(kind_codes[reached], minlength=len(ACTOR_KINDS))
            for kind in _KINDS:
                row[f"reached_{kind}"] = int(counts[ACTOR_KINDS.index(kind)])
            row["reached"] = int(reached.sum())
            censored = s + horizon > record_end + 1  # the horizon passes the record's end
            if columnar:
                row.update(ties[k])
                if k == 0 or censored:
                    row["lost_ties"] = pd.NA
                records.append(row)
                continue
            view = tg.window(start, end, vertices=vertices, **filt)
            active = _keys(view, n)
            before = _keys(tg.window(None, start, **filt), n)
            renewed = _keys(tg.window(start, day_to_date(s + horizon), **filt), n)
            row["active_ties"] = len(active)
            row["new_ties"] = int((~np.isin(active, before, assume_unique=True)).sum())
            row["lost_ties"] = (
                pd.NA
                if previous is None or censored
                else int((~np.isin(previous, renewed, assume_unique=True)).sum())
            )
            row.update(_structure(view))
            house_view = view if level == "household" else tg.window(
                start, end, **{**filt, "level": "household"}
            )
            row["peer_share"] = _peer_share(house_view)
            records.append(row)
            previous = active
    columns = ["window_start", "window_end", *([_GROUP_COLUMN[by]] if by else []),
               *GROWTH_COLUMNS]
    table = pd.DataFrame.from_records(records, columns=columns)
    for col in ("window_start", "window_end"):
        table[col] = pd.to_datetime(table[col])
    table["lost_ties"] = table["lost_ties"].astype("Int64")
    return table


# ---------------------------------------------------------------------- internals
_GROUP_COLUMN = {"programme": "programme", "community_point": "community_point_id"}


def _groups(tg: TemporalGraph, by: str | None) -> list[Any]:
    if by is None:
        return [None]
    if by == "programme":
        return list(PROGRAMMES)
    return list(tg.log.cp_ids)


def _met_day(tg: TemporalGraph, by: str | None, group: Any) -> np.ndarray:
    """The day each actor counts as reached (``int64`` max when never, for the group)."""
    log = tg.log
    never = np.iinfo(np.int64).max
    if by is None:
        return log.actor_first_met
    if by == "community_point":
        own = (tg.actors["community_point_id"] == group).to_numpy()
        return np.where(own, log.actor_first_met, never)
    code = PROGRAMMES.index(group)
    sel = log.programme == code
    first = np.full(log.n_actors, never, np.int64)
    np.minimum.at(first, log.source[sel], log.day[sel])
    tie = sel & (log.kind != PARTICIPATION)
    np.minimum.at(first, log.target[tie], log.day[tie])
    return first


def _columnar_ties(
    tg: TemporalGraph,
    starts: np.ndarray,
    ends: np.ndarray,
    horizon: int,
    level: str,
    by: str | None,
    group: Any,
    vertices: str,
) -> list[dict[str, Any]]:
    """Tie counts, structure and peer share of every window, from the log's columns.

    The same numbers as the window views (``tg.window``), without building or caching them.
    The events are grouped by window once (the log is sorted by day, so a one-window event's
    window is a run of it); each window's active pairs and household-level natures are then
    sorted within the window, not as (window, pair) keys of the whole log.
    """
    log = tg.log
    n = log.n_actors
    keep = log.kind != PARTICIPATION
    if by == "programme":
        keep &= log.programme == PROGRAMMES.index(group)
    elif by == "community_point":
        keep &= np.isin(log.cp, code_set([group], "community_point", log))
    idx = np.flatnonzero(keep)
    hh_src, hh_tgt = log.source_unit[idx], log.target_unit[idx]
    if level == "household":
        src, tgt = hh_src, hh_tgt
    else:
        src, tgt = log.source[idx], log.target[idx]
    ok = src != tgt  # loops are no ties (at household level: nor are they for the peer share)
    if not ok.all():
        idx, src, tgt, hh_src, hh_tgt = idx[ok], src[ok], tgt[ok], hh_src[ok], hh_tgt[ok]
    day, last = log.day[idx], log.end[idx]
    pair = np.minimum(src, tgt).astype(np.int64) * n + np.maximum(src, tgt)
    k_windows = len(starts)

    # pairs as compact ids, with the first day each pair was seen
    uniq, pid, first_seen, by_pair, sorted_pid, sorted_day = _compact(pair, day)
    # every window's events, in the log's order
    groups = _window_events(_table_search(ends, day), _table_search(starts, last), k_windows)
    # active: each window's distinct pairs, sorted
    actives = [_sorted_unique(pid[ev]) for ev in groups]
    a_pair = np.concatenate(actives) if actives else np.zeros(0, np.int64)
    a_win = np.repeat(np.arange(k_windows), [len(a) for a in actives])
    # lost: active in the previous window, not renewed in this one's horizon
    gone = ~_renewed(a_win, a_pair, starts, horizon, day, last, pid, by_pair, sorted_pid,
                     sorted_day, len(uniq))
    lost = np.bincount(a_win[gone] + 1, minlength=k_windows + 1)[:k_windows]
    peer = _columnar_peer_share(tg, idx, hh_src, hh_tgt, groups)
    out = []
    for k, ks in enumerate(actives):
        row: dict[str, Any] = {
            "active_ties": len(ks),
            "new_ties": int((first_seen[ks] >= starts[k]).sum()),
            "lost_ties": int(lost[k]),
        }
        u, v = uniq[ks] // n, uniq[ks] % n
        spec = ViewSpec(mode="window", start=int(starts[k]), end=int(ends[k]), level=level,
                        vertices=vertices)
        vidx = vertex_index(log, spec, {"u": u, "v": v})
        row.update(_structure_of(vidx, u, v, n))
        row["peer_share"] = peer[k]
        out.append(row)
    return out


def _columnar_peer_share(tg: TemporalGraph, idx: np.ndarray, src: np.ndarray,
                         tgt: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """Peer share of every window at household level (the nature rule of the views).

    ``src``, ``tgt``: the household-level ends of the events ``idx`` of the log; ``groups``:
    each window's events (positions in ``idx``, in the log's order). In each window, each
    (pair, nature) is one ``int64`` key; one sort groups them, and the events of each nature
    per pair are the run lengths (every event weighs 1 in the log; other weights take the
    weighted path, summing each pair's weights in the log's order).
    """
    log = tg.log
    n = log.n_actors
    out = np.full(len(groups), np.nan)
    house = src != tgt
    if not house.any():
        return out
    key_all = np.minimum(src, tgt).astype(np.int64) * n + np.maximum(src, tgt)
    nat_all = log.nature[idx].astype(np.int64)
    w_all = log.weight[idx]
    unweighted = bool((w_all == 1).all())
    is_household = log.actor_kind == _HOUSEHOLD
    for k, ev in enumerate(groups):
        ev = ev[house[ev]]
        if len(ev) == 0:
            continue
        key, nat = key_all[ev], nat_all[ev]
        if unweighted:
            coded = key * 4 + nat
            coded.sort()
            pair_key = coded >> 2
            new = np.r_[True, pair_key[1:] != pair_key[:-1]]
            first = np.flatnonzero(new)
            group = np.cumsum(new) - 1
            # events per pair and nature: one count over group x nature
            per = np.bincount(group * 4 + (coded & 3), minlength=4 * len(first)).reshape(-1, 4)
            sums = [per[:, c] for c in (INSTITUTIONAL, PROFESSIONAL, PEER)]
            pk = pair_key[first]
        else:
            order = np.argsort(key, kind="stable")  # each pair's events in the log's order
            key, nat, w = key[order], nat[order], w_all[ev][order]
            first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            sums = [np.add.reduceat(np.where(nat == c, w, 0.0), first)
                    for c in (INSTITUTIONAL, PROFESSIONAL, PEER)]
            pk = key[first]
        # the nature rule: the largest weight, a tie going to the more formal nature
        # (argmax over institutional, professional, peer: peer only when strictly the largest)
        is_peer = (sums[2] > sums[0]) & (sums[2] > sums[1])
        touches = is_household[pk // n] | is_household[pk % n]
        total = int(touches.sum())
        if total:
            out[k] = int((touches & is_peer).sum()) / total
    return out


def _table_search(bounds: np.ndarray, days: np.ndarray) -> np.ndarray:
    """``searchsorted(bounds, days, side="right")`` through a day -> position table (the days
    of a log span a few thousand values; a table look-up beats a binary search per event)."""
    if len(days) == 0:
        return np.zeros(0, np.int64)
    d0 = int(days.min())
    table = np.searchsorted(bounds, np.arange(d0, int(days.max()) + 1), side="right")
    return table[days - d0]


def _columnar_ok(include_coparticipation: bool, starts: np.ndarray, ends: np.ndarray) -> bool:
    """Whether the columnar path applies: no projection, window starts and ends increasing."""
    return not include_coparticipation and bool(
        (np.diff(starts) >= 0).all() and (np.diff(ends) >= 0).all()
    )


def _compact(keys: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sorted distinct keys, each key's position among them (``np.unique`` by sorting), the
    first day of each distinct key, the order that sorts the keys (``days`` increase, as
    the log's do: the stable sort puts each key's events in day order, its first event
    first), and the positions and days in that order."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new = np.r_[True, ordered[1:] != ordered[:-1]] if len(keys) else np.empty(0, bool)
    sorted_pid = np.cumsum(new) - 1
    inverse = np.empty(len(keys), np.int64)
    inverse[order] = sorted_pid
    sorted_day = days[order]
    return ordered[new], inverse, sorted_day[new], order, sorted_pid, sorted_day


def _window_events(lo: np.ndarray, hi: np.ndarray, k_windows: int) -> list[np.ndarray]:
    """The events of each window (those with ``lo[e] <= k < hi[e]``), each in the events'
    order.

    Most events touch one window (a contact is one day): in a log sorted by day their
    windows never decrease, so each window's are one run of them; only the others
    (relations, windows that overlap) are repeated and sorted by window.
    """
    reps = np.maximum(hi - lo, 0)
    single = np.flatnonzero(reps == 1)
    w1 = lo[single]
    if len(w1) > 1 and (w1[1:] < w1[:-1]).any():  # not in window order
        single = single[np.argsort(w1, kind="stable")]
        w1 = lo[single]
    b1 = np.searchsorted(w1, np.arange(k_windows + 1))
    many = np.flatnonzero(reps > 1)
    r = reps[many]
    ev = np.repeat(many, r)
    win = lo[ev] + np.arange(len(ev)) - np.repeat(np.cumsum(r) - r, r)
    order = np.argsort(win, kind="stable")  # by window, each window's events in order
    ev, win = ev[order], win[order]
    bm = np.searchsorted(win, np.arange(k_windows + 1))
    out = []
    for k in range(k_windows):
        part = single[b1[k]:b1[k + 1]]
        if bm[k + 1] > bm[k]:
            part = np.sort(np.concatenate([part, ev[bm[k]:bm[k + 1]]]))
        out.append(part)
    return out


def _expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (event, window) with the event's windows ``lo[e] .. hi[e] - 1``, in no set order.

    Most events touch one window (a contact is one day): they are taken as they are, and only
    the others (relations, windows that overlap) are repeated.
    """
    reps = np.maximum(hi - lo, 0)
    one = reps == 1
    if one.all():
        return np.arange(len(lo)), lo
    single = np.flatnonzero(one)
    many = np.flatnonzero(reps > 1)
    r = reps[many]
    ev = np.repeat(many, r)
    offset = np.arange(len(ev)) - np.repeat(np.cumsum(r) - r, r)
    return np.concatenate([single, ev]), np.concatenate([lo[single], lo[ev] + offset])


def _renewed(a_win: np.ndarray, a_pair: np.ndarray, starts: np.ndarray, horizon: int,
             day: np.ndarray, last: np.ndarray, pid: np.ndarray, by_pair: np.ndarray,
             sorted_pid: np.ndarray, sorted_day: np.ndarray, n_pairs: int) -> np.ndarray:
    """Whether each active (window ``k``, pair) has activity in ``[s, s + horizon)`` for ``s``
    the start of window ``k + 1`` (always ``False`` for the last window).

    A one-day event renews the pair when its day is in the range: one binary search per
    active key among the events sorted by (pair, day) (``sorted_pid``, ``sorted_day``: the
    events' pairs and days in that order). An event lasting longer (a relation: few) renews
    it when it overlaps the range: those are mapped to the renewal windows they touch, as the
    active keys are.
    """
    k_windows = len(starts)
    out = np.zeros(len(a_win), bool)
    if len(a_win) > 1 and (a_win[1:] < a_win[:-1]).any():
        order = np.argsort(a_win, kind="stable")
        out[order] = _renewed(a_win[order], a_pair[order], starts, horizon, day, last, pid,
                              by_pair, sorted_pid, sorted_day, n_pairs)
        return out
    # the keys are in window order: those asked about (not the last window's) are a prefix,
    # taken as views, their windows' starts repeated instead of gathered (10M keys a region)
    m = int(np.searchsorted(a_win, k_windows - 1))
    asks = slice(0, m)
    if m == 0 or not len(day):
        return out
    counts = np.bincount(a_win[:m], minlength=k_windows - 1)[:k_windows - 1]
    p = a_pair[:m]
    lasting = np.flatnonzero(day != last)
    one_day = (day == last)[by_pair] if len(lasting) else slice(None)
    i_pid, i_day = sorted_pid[one_day], sorted_day[one_day]  # one-day events by (pair, day)
    if len(i_day):
        d0 = int(i_day.min())
        span = int(i_day.max()) - d0 + 1
        keys = i_pid * span + (i_day - d0)  # increasing: sorted by pair, day
        # the range's ends clipped once per window, then repeated (a clip of 10M keys was
        # a quarter of a second)
        base = p * span
        low = base + np.repeat(np.clip(starts[1:] - d0, 0, span), counts)
        high = base + np.repeat(np.clip(starts[1:] + horizon - d0, 0, span), counts)
        pos = np.searchsorted(keys, low)  # the pair's first event on or after s
        hit = keys[np.minimum(pos, len(keys) - 1)] < high
        hit &= pos < len(keys)
        out[asks] = hit
    if len(lasting):
        ev, win = _expand(_table_search(starts + horizon, day[lasting]),
                          _table_search(starts, last[lasting]))
        renewed = _sorted_unique(win * n_pairs + pid[lasting[ev]])
        out[asks] |= _member_of((a_win[:m] + 1) * n_pairs + p, renewed)
    return out


def _member_of(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each value is in a sorted array (``np.isin`` by binary search)."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), bool)
    pos = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[pos] == values


def _structure_of(vidx: np.ndarray, u: np.ndarray, v: np.ndarray, n: int) -> dict[str, Any]:
    """:func:`_structure` of the graph on vertices ``vidx`` with ties ``(u, v)`` (distinct
    pairs, no loops), without building it: components by scipy's
    ``csgraph.connected_components`` on the pairs, clustering by counting triangles
    (:func:`_mean_clustering`); density and clustering computed in igraph's order of
    operations, so that the numbers are igraph's to the last bit."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    nv = len(vidx)
    if nv == 0:
        return {"vertices": 0, "density": np.nan, "components": 0, "giant_share": np.nan,
                "mean_clustering": np.nan}
    pos = np.full(n, -1, np.int64)
    pos[vidx] = np.arange(nv)
    a, b = pos[u], pos[v]
    adjacency = csr_matrix((np.ones(len(a), np.int8), (a, b)), shape=(nv, nv))
    count, labels = connected_components(adjacency, directed=False)
    sizes = np.bincount(labels)
    return {
        "vertices": nv,
        # igraph: edges / n / (n - 1) * 2
        "density": len(a) / nv / (nv - 1) * 2 if nv > 1 else np.nan,
        "components": int(count),
        "giant_share": int(sizes.max()) / nv,
        "mean_clustering": _mean_clustering(a, b, nv),
    }


def _mean_clustering(a: np.ndarray, b: np.ndarray, nv: int) -> float:
    r"""Average local clustering, zero below degree 2, of the simple graph with edges
    ``(a, b)`` on ``nv`` vertices (igraph's ``transitivity_avglocal_undirected("zero")``).

    Triangles by the forward algorithm: each edge points to its end of higher (degree, id),
    so every vertex has at most :math:`O(\sqrt{m})` out-neighbours; each pair of a vertex's
    out-neighbours joined by an edge is one triangle, found once. Time
    :math:`O(m^{3/2})` at worst, as arrays.
    """
    if nv == 0:
        return np.nan
    deg = np.bincount(a, minlength=nv) + np.bincount(b, minlength=nv)
    rank_a = deg[a].astype(np.int64) * nv + a
    rank_b = deg[b].astype(np.int64) * nv + b
    low, high = np.where(rank_a < rank_b, a, b), np.where(rank_a < rank_b, b, a)
    by_low = np.sort(low.astype(np.int64) * nv + high)  # sorted by (low, high)
    low, high = by_low // nv, by_low % nv
    out_deg = np.bincount(low, minlength=nv)
    place = np.arange(len(low)) - (np.cumsum(out_deg) - out_deg)[low]
    partners = out_deg[low] - 1 - place  # the later out-neighbours of the same vertex
    first = np.repeat(np.arange(len(low)), partners)
    second = first + 1 + (np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners,
                                                             partners))
    y, z = high[first], high[second]
    edges = np.sort(np.minimum(a, b).astype(np.int64) * nv + np.maximum(a, b))
    closed = _member_of(np.minimum(y, z).astype(np.int64) * nv + np.maximum(y, z), edges)
    triangles = (np.bincount(low[first][closed], minlength=nv)
                 + np.bincount(y[closed], minlength=nv) + np.bincount(z[closed], minlength=nv))
    d = deg.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        local = np.where(deg >= 2, triangles / d / (d - 1) * 2, 0.0)  # igraph's operations
    return float(np.cumsum(local)[-1] / nv)  # summed in vertex order, as igraph does


def _keys(view: View, n: int) -> np.ndarray:
    u, v = view.edge_index()
    return np.asarray(u, np.int64) * n + np.asarray(v, np.int64)


def _structure(view: View) -> dict[str, Any]:
    g = view.igraph()
    nv = g.vcount()
    if nv == 0:
        return {"vertices": 0, "density": np.nan, "components": 0, "giant_share": np.nan,
                "mean_clustering": np.nan}
    components = g.connected_components(mode="weak")
    return {
        "vertices": nv,
        "density": g.density(loops=False) if nv > 1 else np.nan,
        "components": len(components),
        "giant_share": max(components.sizes()) / nv,
        "mean_clustering": g.transitivity_avglocal_undirected(mode="zero"),
    }


def _peer_share(view: View) -> float:
    edges = view.edges
    if edges.empty:
        return np.nan
    kinds = view.tg.actors.set_index("actor_id")["kind"]
    touches = (edges["source"].map(kinds) == "household") | (
        edges["target"].map(kinds) == "household"
    )
    if not touches.any():
        return np.nan
    return float((edges.loc[touches, "nature"] == "peer").mean())
