"""Isolation of households: explainable status, reasons with dates, and an early-warning list.

A household is judged on the ties it had in the window of ``isolation_window_days`` days ending
on the date asked (docs/metrics.md §1, §8): ties of every nature between the household (its members as of
each event) and any other actor, co-participation in activities included. Each flagged household
comes with the **reasons** that set its status and the dates that support them; the thresholds
are those of :class:`~genera_graph.model.AnalysisConfig`.

Reasons and the status they set:

============================  ===========  =====================================================
reason                        status       rule
============================  ===========  =====================================================
``no_active_ties``            isolated     no tie of any nature in the window
``only_professional_ties``    isolated     ties, but the share of non-peer partners is at least
                                           ``professional_share_at_risk`` (default: no peer)
``few_peer_partners``         at_risk      fewer than ``min_peer_partners`` peer partners
``shrinking_network``         at_risk      direct partners now at most ``shrink_ratio`` x the
                                           mean of its own baseline windows before
``single_bridge``             at_risk      every path to the rest of the network passes through
                                           one actor (the bridge is named)
``outside_main_network``      at_risk      tied, but not in the largest connected component
============================  ===========  =====================================================

A household met fewer than ``min_history_days`` days before the date is ``new``: its reasons are
listed but no status is judged yet. Households that left (``left_on``) are not reported.

Examples
--------
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> tg = TemporalGraph.from_dataset(toy_dataset())
>>> report = isolation_report(tg, "2016-12-31")
>>> list(report.columns[:4])
['kind', 'community_point_id', 'facilitator_id', 'first_met']
>>> set(report["status"]) <= set(STATUSES)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from genera_graph.model import AnalysisConfig
from genera_graph.temporal import (
    INTERACTION,
    PARTICIPATION,
    PEER,
    RELATION,
    TemporalGraph,
    as_date,
    day_number,
)
from genera_graph.temporal._edges import span_events
from genera_graph.temporal._log import ACTOR_KINDS

__all__ = [
    "CONVENTIONS",
    "REASONS",
    "STATUSES",
    "early_warning",
    "isolation_reasons",
    "isolation_report",
]

#: statuses from the most to the least urgent
STATUSES = ("isolated", "at_risk", "connected", "new")
_SEVERITY = {"isolated": 3, "at_risk": 2, "connected": 1, "new": 0}

#: reason code -> (status it sets, plain English description; the app translates codes)
REASONS: dict[str, tuple[str, str]] = {
    "no_active_ties": ("isolated", "no tie of any kind in the window"),
    "only_professional_ties": ("isolated", "only professional or institutional ties"),
    "few_peer_partners": ("at_risk", "fewer peer partners than the threshold"),
    "shrinking_network": ("at_risk", "far fewer partners than in its own earlier baseline"),
    "single_bridge": ("at_risk", "every path to the rest of the network passes through one actor"),
    "outside_main_network": ("at_risk", "tied, but outside the main connected network"),
}

_LUBBEN = ("Lubben et al. (2006), The Gerontologist 46(4):503-513 (LSNS-6); "
           "thresholds in genera_graph.model.AnalysisConfig")
_WINDOW = "the isolation_window_days days ending on as_of, inclusive; household level"

#: data dictionary of the isolation tables: column -> definition, convention, reference
CONVENTIONS: dict[str, dict[str, str]] = {
    "actor_id": {"definition": "the household's id", "convention": "", "reference": ""},
    "kind": {"definition": "actor kind: always {code:kind:household}", "convention": "",
             "reference": ""},
    "community_point_id": {"definition": "the household's Community Point",
                           "convention": "", "reference": ""},
    "facilitator_id": {"definition": "the facilitator who follows the household",
                       "convention": "", "reference": ""},
    "first_met": {"definition": "the day the programme first met the household",
                  "convention": "", "reference": ""},
    "as_of": {"definition": "the day the report is made on", "convention": "", "reference": ""},
    "window_start": {"definition": "first day of the window", "convention": _WINDOW,
                     "reference": ""},
    "peer_ties": {"definition": "partners with at least one peer tie in the window",
                  "convention": _WINDOW + "; co-participation in activities included",
                  "reference": "docs/metrics.md §2"},
    "professional_ties": {"definition": "partners with at least one professional tie",
                          "convention": _WINDOW, "reference": "docs/metrics.md §2"},
    "institutional_ties": {"definition": "partners with at least one institutional tie "
                           "(lease, placement, membership)", "convention": _WINDOW,
                           "reference": "docs/metrics.md §2"},
    "peer_partners": {"definition": "distinct peer partners in the window",
                      "convention": _WINDOW, "reference": _LUBBEN},
    "last_peer_contact": {"definition": "last peer interaction, peer relation day or "
                          "participation in an activity on or before as_of",
                          "convention": "missing if none", "reference": ""},
    "days_since_peer_contact": {"definition": "days from last_peer_contact to as_of",
                                "convention": "missing if none", "reference": ""},
    "partners": {"definition": "distinct partners of any nature in the window",
                 "convention": _WINDOW + "; co-participation in activities included",
                 "reference": ""},
    "ego_size": {"definition": "distinct partners by direct ties (interactions, relations)",
                 "convention": _WINDOW + "; co-participation excluded: one large event "
                 "would otherwise swamp the household's own network", "reference": ""},
    "baseline_ego_size": {"definition": "mean distinct partners per window in the baseline",
                          "convention": "baseline_days // isolation_window_days consecutive "
                          "windows of the same length just before the current one",
                          "reference": ""},
    "professional_share": {"definition": "share of partners whose tie is mostly non-peer",
                           "convention": "a tie's nature is the majority of its events; "
                           "missing when the household has no tie", "reference": ""},
    "single_bridge": {"definition": "every path to the rest of the network passes through "
                      "one actor", "convention": "dominator trees rooted at the two "
                      "best-connected actors of the main component",
                      "reference": "Lengauer & Tarjan (1979), ACM TOPLAS 1(1):121-141"},
    "bridge_id": {"definition": "the actor all paths pass through", "convention":
                  "missing unless single_bridge", "reference": ""},
    "component_size": {"definition": "actors in the household's connected component",
                       "convention": _WINDOW, "reference": ""},
    "in_main_component": {"definition": "in the largest connected component",
                          "convention": _WINDOW, "reference": ""},
    "status": {"definition": "the household's status: {codes:status}",
               "convention": "the most severe status set by a reason; a household met fewer "
               "than min_history_days days ago is not judged", "reference": _LUBBEN},
    "reasons": {"definition": "codes of the reasons that set the status, ';'-separated",
                "convention": "{codes:reason}", "reference": "docs/metrics.md §8"},
    "previous_status": {"definition": "status on the earlier comparison day: {codes:status}",
                        "convention": "as_of - early_warning_days by default",
                        "reference": ""},
    "urgency": {"definition": "rank in the worklist, 1 = most urgent", "convention":
                "status, then size of the change, then days since peer contact",
                "reference": ""},
    "reason": {"definition": "reason code", "convention": "{codes:reason}",
               "reference": "docs/metrics.md §8"},
    "description": {"definition": "the reason in plain words", "convention": "",
                    "reference": ""},
    "date_from": {"definition": "first day of the evidence", "convention": "", "reference": ""},
    "date_to": {"definition": "last day of the evidence", "convention": "", "reference": ""},
    "value": {"definition": "the figure behind the reason (partners, baseline size, "
              "component size)", "convention": "", "reference": ""},
    "partner_id": {"definition": "the bridge actor, for {code:reason:single_bridge}",
                   "convention": "",
                   "reference": ""},
}


def isolation_report(
    tg: TemporalGraph,
    at: date | str,
    *,
    config: AnalysisConfig | None = None,
    community_point: str | Iterable[str] | None = None,
    facilitator: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Isolation status of every household on a date, with its reasons.

    Parameters
    ----------
    tg : TemporalGraph
        The event log.
    at : date-like
        The day the report is made on (its window ends on this day, inclusive).
    config : AnalysisConfig, optional
        Thresholds (default: ``tg.config``).
    community_point, facilitator : str or iterable of str, optional
        Keep only households of these Community Points / followed by these facilitators (the
        network is still the whole district's).

    Returns
    -------
    pandas.DataFrame
        Indexed by household ``actor_id``: ``kind``, ``community_point_id``,
        ``facilitator_id``, ``first_met``, ``as_of``, ``window_start`` (first day of the window),
        ``peer_ties``, ``professional_ties``, ``institutional_ties`` (partners with at least one
        tie of that nature in the window), ``peer_partners`` (distinct peer partners),
        ``last_peer_contact`` (date of the last peer interaction, peer relation day or
        participation on or before ``as_of``; missing if none), ``days_since_peer_contact``,
        ``partners`` (distinct partners in the window, co-participation included),
        ``ego_size`` (distinct partners by direct ties: interactions and relations),
        ``baseline_ego_size`` (mean ``ego_size`` per window over the ``baseline_days // isolation_window_days`` windows of the
        same length just before it), ``professional_share`` (share of partners whose
        tie is mostly non-peer), ``single_bridge`` (bool), ``bridge_id``, ``component_size``,
        ``in_main_component``, ``status`` (see :data:`STATUSES`) and ``reasons`` (codes of
        :data:`REASONS`, separated by ``;``).

    Notes
    -----
    Ties are those of ``tg.window(window_start, as_of + 1 day, level="household",
    include_coparticipation=True)``; a tie's nature is the majority nature of its events (see
    :class:`~genera_graph.temporal.View`). The single bridge is found with dominator trees
    (Lengauer–Tarjan) rooted at the two best-connected actors of the main component: actor
    ``d`` is the bridge of ``h`` when every path from a root to ``h`` passes through ``d``.
    Complexity: :math:`O((V + E) \\alpha)` for the view plus :math:`O(M)` over the event log.

    References
    ----------
    J. Lubben et al., "Performance of an abbreviated version of the Lubben Social Network
    Scale among three European community-dwelling older adult populations", The Gerontologist
    46(4), 2006 (thresholds in the spirit of LSNS-6).
    """
    report, _ = _assess(tg, at, config or tg.config)
    return _scope(report, community_point, facilitator)


def isolation_reasons(
    tg: TemporalGraph,
    at: date | str,
    *,
    config: AnalysisConfig | None = None,
    community_point: str | Iterable[str] | None = None,
    facilitator: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The reasons behind :func:`isolation_report`, one row per (household, reason).

    Returns
    -------
    pandas.DataFrame
        ``actor_id``, ``reason``, ``status`` (the status the reason sets), ``description``,
        ``date_from``, ``date_to`` (the dates that support it: the window, the baseline window,
        or the last peer contact up to ``as_of``), ``value`` (the figure: partners, baseline
        size, component size) and ``partner_id`` (the bridge, for ``single_bridge``).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> list(isolation_reasons(tg, "2016-12-31").columns)[:3]
    ['actor_id', 'reason', 'status']
    """
    report, reasons = _assess(tg, at, config or tg.config)
    keep = _scope(report, community_point, facilitator).index
    return reasons[reasons["actor_id"].isin(keep)].reset_index(drop=True)


def early_warning(
    tg: TemporalGraph,
    as_of: date | str,
    *,
    previous: date | str | None = None,
    config: AnalysisConfig | None = None,
    community_point: str | Iterable[str] | None = None,
    facilitator: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The facilitator's worklist: households whose status worsened, most urgent first.

    Parameters
    ----------
    tg : TemporalGraph
    as_of : date-like
        The day of the worklist.
    previous : date-like, optional
        The day to compare with (default ``as_of - config.early_warning_days``).
    community_point, facilitator : optional
        Scope the list.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`isolation_report` at ``as_of`` for households whose status is worse
        than at ``previous`` (``new`` counts as no earlier judgement: a household that was new
        and is now isolated or at risk is listed), plus ``previous_status`` and ``urgency``
        (1 = most urgent). Order: status (isolated first), then the size of the change, then
        the days since the last peer contact (longest first), then the number of reasons.

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> list(early_warning(tg, "2016-12-31").columns[-2:])
    ['previous_status', 'urgency']
    """
    cfg = config or tg.config
    now_day = as_date(as_of)
    before = as_date(previous) if previous is not None else now_day - timedelta(
        days=cfg.early_warning_days)
    if before >= now_day:
        raise ValueError("previous must be before as_of")
    now, _ = _assess(tg, now_day, cfg)
    then, _ = _assess(tg, before, cfg)
    now = _scope(now, community_point, facilitator)
    prev = then["status"].reindex(now.index).astype(object).fillna("new")
    sev_now = now["status"].astype(object).map(_SEVERITY).astype("int64")
    # a household not yet judged (new) counts as connected before
    sev_prev = prev.map(_SEVERITY).astype("int64").where(prev != "new", _SEVERITY["connected"])
    worse = (sev_now > sev_prev) & now["status"].isin(["isolated", "at_risk"])
    out = now[worse].copy()
    out["previous_status"] = prev[worse]
    out["_sev"] = sev_now[worse]
    out["_delta"] = (sev_now - sev_prev)[worse]
    out["_days"] = out["days_since_peer_contact"].fillna(np.inf)
    out["_nreasons"] = out["reasons"].str.count(";") + (out["reasons"] != "")
    out = out.sort_values(["_sev", "_delta", "_days", "_nreasons"],
                          ascending=[False, False, False, False], kind="stable")
    out = out.drop(columns=["_sev", "_delta", "_days", "_nreasons"])
    out["urgency"] = np.arange(1, len(out) + 1)
    return out


# ----------------------------------------------------------------------------- internals
def _scope(report: pd.DataFrame, community_point, facilitator) -> pd.DataFrame:
    mask = pd.Series(True, index=report.index)
    if community_point is not None:
        cps = [community_point] if isinstance(community_point, str) else list(community_point)
        mask &= report["community_point_id"].isin(cps)
    if facilitator is not None:
        fs = [facilitator] if isinstance(facilitator, str) else list(facilitator)
        mask &= report["facilitator_id"].isin(fs)
    return report[mask]


def _assess(tg: TemporalGraph, at, cfg: AnalysisConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    key = ("isolation", day_number(at), cfg)
    cache = tg.__dict__.setdefault("_analytics_cache", {})
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[key] = _compute(tg, as_date(at), cfg)
    report, reasons = cache[key]
    return report.copy(), reasons.copy()


def _compute(tg: TemporalGraph, at: date, cfg: AnalysisConfig):
    """The report and its reasons, on the event log as arrays indexed by actor position.

    Counts per household are ``bincount`` s over the view's tie arrays; the baseline windows and
    the direct-tie ego size are one pass of the active-partner kernel; reasons and statuses are
    boolean masks, not a loop over households.
    """
    log = tg.log
    n = log.n_actors
    day = day_number(at)
    width = cfg.isolation_window_days
    w_start = at - timedelta(days=width - 1)
    end = at + timedelta(days=1)
    cur = tg.window(w_start, end, level="household", include_coparticipation=True,
                    vertices="met")
    # the baseline: consecutive windows of the same length before the current one, so that a
    # longer baseline period does not by itself make the present look smaller
    n_base = max(1, cfg.baseline_days // width)
    b_start = w_start - timedelta(days=n_base * width)

    stamp = pd.Timestamp(at)
    actors = tg.actors  # row i is actor i of the log
    keep = (log.actor_kind == _HOUSEHOLD) & (actors["first_met"] <= stamp).to_numpy()
    if "left_on" in actors:
        left = actors["left_on"]
        keep &= (left.isna() | (left > stamp)).to_numpy()
    hidx = np.flatnonzero(keep)
    hh = actors.iloc[hidx].set_index("actor_id")
    ids = hh.index

    ties = cur.tie_arrays()
    u, v = ties["u"], ties["v"]

    def per_actor(mask: np.ndarray | None = None) -> np.ndarray:
        uu, vv = (u, v) if mask is None else (u[mask], v[mask])
        return (np.bincount(uu, minlength=n) + np.bincount(vv, minlength=n))[hidx]

    out = pd.DataFrame(index=pd.Index(ids, name="actor_id"))
    for col in ("kind", "community_point_id", "facilitator_id", "first_met"):
        out[col] = hh.get(col)
    out["as_of"] = stamp
    out["window_start"] = pd.Timestamp(w_start)
    out["peer_ties"] = per_actor(ties["n_peer"] > 0)
    out["professional_ties"] = per_actor(ties["n_professional"] > 0)
    out["institutional_ties"] = per_actor(ties["n_institutional"] > 0)
    partners = per_actor()
    out["partners"] = partners
    out["peer_partners"] = out["peer_ties"]
    sizes = _direct_partner_counts(tg, b_start, width, n_base + 1)[:, hidx]
    out["ego_size"] = sizes[-1]
    baseline = sizes[:-1].sum(axis=0) / n_base
    out["baseline_ego_size"] = baseline.astype("float64")
    non_peer = per_actor(ties["nature"] != "peer").astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(partners > 0, non_peer / np.maximum(partners, 1), np.nan)
    out["professional_share"] = share

    lp = pd.Series(_last_peer_day(tg, day)[hidx], index=ids)
    lp = lp.where(lp >= 0)
    out["last_peer_contact"] = pd.to_datetime(lp, unit="D").astype("datetime64[ns]")
    out["days_since_peer_contact"] = (day - lp).astype("Float64")

    bridge, comp_size, in_main = _structure(cur)
    bridge_h = bridge[hidx]
    vidx = cur.vertex_index()
    # as a series over the view's vertices first: its dtype is inferred from all of them
    out["bridge_id"] = (pd.Series(bridge[vidx], index=np.asarray(log.actor_ids, object)[vidx])
                        .dropna().reindex(ids) if len(vidx) else
                        pd.Series(dtype=object).reindex(ids))
    single = ~pd.isna(bridge_h)
    out["single_bridge"] = single
    out["component_size"] = comp_size[hidx]
    out["in_main_component"] = in_main[hidx]

    # reasons, in the order they are checked for a household
    share_ok = np.nan_to_num(share, nan=-np.inf)
    peer_p = out["peer_partners"].to_numpy()
    checks = {}
    checks["no_active_ties"] = partners == 0
    checks["only_professional_ties"] = (partners > 0) & (
        share_ok >= cfg.professional_share_at_risk)
    checks["few_peer_partners"] = ((partners > 0) & ~checks["only_professional_ties"]
                                   & (peer_p < cfg.min_peer_partners))
    ego = sizes[-1]
    checks["shrinking_network"] = (baseline >= 2) & (ego <= cfg.shrink_ratio * baseline)
    checks["single_bridge"] = single
    checks["outside_main_network"] = (partners > 0) & ~in_main[hidx]
    w_start_ts = pd.Timestamp(w_start)
    last_peer = out["last_peer_contact"].to_numpy()
    at_ts = np.datetime64(stamp.to_datetime64(), "ns")
    evidence = {  # (date_from, date_to, value, partner)
        "no_active_ties": (w_start_ts, at_ts, np.zeros(len(ids), np.int64), None),
        "only_professional_ties": (np.where(np.isnat(last_peer), w_start_ts.to_datetime64(),
                                            last_peer), at_ts, partners, None),
        "few_peer_partners": (w_start_ts, at_ts, peer_p, None),
        "shrinking_network": (pd.Timestamp(b_start), pd.Timestamp(w_start - timedelta(days=1)),
                              baseline, None),
        "single_bridge": (w_start_ts, at_ts, None, bridge_h),
        "outside_main_network": (w_start_ts, at_ts, comp_size[hidx], None),
    }
    pos, rank, cols = [], [], {k: [] for k in ("actor_id", "reason", "status", "description",
                                                "date_from", "date_to", "value", "partner_id")}
    id_array = np.asarray(ids, dtype=object)
    for r, (code, mask) in enumerate(checks.items()):
        where = np.flatnonzero(mask)
        if len(where) == 0:
            continue
        date_from, date_to, value, partner = evidence[code]
        status, text = REASONS[code]
        pos.append(where)
        rank.append(np.full(len(where), r))
        cols["actor_id"].append(id_array[where])
        cols["reason"].append(np.full(len(where), code, dtype=object))
        cols["status"].append(np.full(len(where), status, dtype=object))
        cols["description"].append(np.full(len(where), text, dtype=object))
        cols["date_from"].append(_pick(date_from, where))
        cols["date_to"].append(_pick(date_to, where))
        cols["value"].append(np.full(len(where), None, dtype=object) if value is None
                             else np.asarray(value)[where].astype(object))
        cols["partner_id"].append(np.full(len(where), None, dtype=object) if partner is None
                                  else partner[where])
    columns = list(cols)
    if pos:
        order = np.lexsort((np.concatenate(rank), np.concatenate(pos)))
        # rows as Python objects, so that each column's dtype is inferred as for any table
        # built row by row (ints with a missing value become floats, and so on)
        arrays = [np.concatenate(cols[c])[order].tolist() for c in columns]
        reasons = pd.DataFrame(list(zip(*arrays, strict=True)), columns=columns)
        for col in ("date_from", "date_to"):
            reasons[col] = np.concatenate(cols[col])[order]
    else:
        reasons = pd.DataFrame([], columns=columns)
    for col in ("date_from", "date_to"):
        reasons[col] = pd.to_datetime(reasons[col]).astype("datetime64[ns]")

    # the status: the most severe one a reason sets; a household too recently met is new
    code_bits = np.zeros(len(ids), np.int64)
    for bit, mask in enumerate(checks.values()):
        code_bits |= mask.astype(np.int64) << bit
    names = list(checks)
    isolated_bits = sum(1 << b for b, c in enumerate(names) if REASONS[c][0] == "isolated")
    history = ((stamp - hh["first_met"]).dt.days).to_numpy()
    status = np.where(code_bits & isolated_bits, "isolated",
                      np.where(code_bits > 0, "at_risk", "connected")).astype(object)
    status[history < cfg.min_history_days] = "new"
    combos = {int(b): ";".join(c for k, c in enumerate(names) if b >> k & 1)
              for b in np.unique(code_bits)}
    out["status"] = pd.Series(status, index=out.index, dtype=object)
    out["reasons"] = pd.Series(np.array([combos[int(b)] for b in code_bits], dtype=object)
                               if len(ids) else np.array([], dtype=object),
                               index=out.index, dtype=object)
    return out, reasons


_HOUSEHOLD = ACTOR_KINDS.index("household")


def _pick(value, where: np.ndarray):
    """A per-household array cut to ``where``, or a constant repeated."""
    if isinstance(value, np.ndarray):
        return value[where]
    return np.repeat(np.datetime64(pd.Timestamp(value).to_datetime64(), "ns"), len(where))


def _direct_partner_counts(tg: TemporalGraph, first: date, width: int, k: int) -> np.ndarray:
    """Distinct direct partners (interactions, relations) of every actor at household level in
    ``k`` consecutive windows of ``width`` days from ``first``: a ``(k, n_actors)`` matrix.

    Equal to the ``groupby`` of the edges of ``tg.window(..., level="household")`` per window.
    An instantaneous event falls in one window, found arithmetically; a relation in each window
    it overlaps. Each (window, pair) is one ``int64``, de-duplicated by sorting and counted per
    side with ``bincount``.
    """
    log = tg.log
    n = log.n_actors
    lo = day_number(first)
    idx = span_events(log, lo, lo + k * width)
    idx = idx[log.kind[idx] != PARTICIPATION]
    a, b = log.source_unit[idx], log.target_unit[idx]
    start, stop = log.day[idx], log.end[idx]
    w_first = np.maximum((start - lo) // width, 0)
    w_last = np.minimum((stop - lo) // width, k - 1)
    reps = w_last - w_first + 1  # 1 for an instantaneous event
    if len(reps) and reps.max() > 1:
        many = np.repeat(np.arange(len(reps)), reps)
        offset = np.arange(len(many)) - np.repeat(np.cumsum(reps) - reps, reps)
        window = w_first[many] + offset
        a, b = a[many], b[many]
    else:
        window = w_first
    pair_lo, pair_hi = np.minimum(a, b), np.maximum(a, b)
    keep = pair_lo != pair_hi
    key = (window[keep] * n + pair_lo[keep]) * n + pair_hi[keep]
    key.sort()
    if len(key):
        key = key[np.r_[True, key[1:] != key[:-1]]]
    row = key // (n * n)
    side_a = row * n + (key // n) % n
    side_b = row * n + key % n
    counts = np.bincount(side_a, minlength=k * n) + np.bincount(side_b, minlength=k * n)
    return counts.reshape(k, n)


def _last_peer_day(tg: TemporalGraph, day: int) -> np.ndarray:
    """Last day (<= ``day``) of a peer event of each actor at household level, -1 if none."""
    log = tg.log
    last = np.full(log.n_actors, -1, np.int64)
    stop = int(np.searchsorted(log.day, day, side="right"))  # the log is sorted by day
    kind, nature = log.kind[:stop], log.nature[:stop]
    peer = nature == PEER
    inter = np.flatnonzero(peer & ((kind == INTERACTION) | (kind == RELATION)))
    when = np.minimum(log.end[inter], day)  # an ongoing peer relation is a contact up to today
    np.maximum.at(last, log.source_unit[inter], when)
    np.maximum.at(last, log.target_unit[inter], when)
    part = np.flatnonzero(peer & (kind == PARTICIPATION))
    np.maximum.at(last, log.source_unit[part], log.day[part])
    return last


def _structure(view) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Single bridges (dominators), component sizes and main-component membership, as arrays
    over every actor of the log: the bridge's id or ``None``, the size of the actor's
    component (1 outside the view) and whether it is in the largest one."""
    import igraph as ig

    n = view.tg.n_actors
    bridge_all = np.full(n, None, dtype=object)
    comp_all = np.ones(n, np.int64)
    main_all = np.zeros(n, bool)
    vidx = view.vertex_index()
    if len(vidx) == 0:
        return bridge_all, comp_all, main_all
    pos = np.full(n, -1, np.int64)
    pos[vidx] = np.arange(len(vidx))
    u, v = view.edge_index()
    # topology only: attributes are not needed and copying them costs more than the search
    g = ig.Graph(n=len(vidx), edges=list(zip(pos[u].tolist(), pos[v].tolist(), strict=True)))
    comps = g.connected_components()
    membership = np.asarray(comps.membership)
    sizes = np.asarray(comps.sizes())
    main = int(np.argmax(sizes))
    comp_all[vidx] = sizes[membership]
    main_all[vidx] = membership == main
    bridge = np.full(g.vcount(), -1, dtype=np.int64)
    main_vs = np.flatnonzero(membership == main)
    if len(main_vs) > 2:
        degree = np.asarray(g.degree())
        order = main_vs[np.argsort(-degree[main_vs], kind="stable")]
        directed = g.as_directed()
        # two roots: an actor hanging from the first root is found from the second
        for root in (int(order[0]), int(order[1])):
            idom = np.asarray(directed.dominator(root, mode="out"), dtype=float)
            d = idom[main_vs]
            hit = ~np.isnan(d) & (d >= 0) & (d != root) & (main_vs != root)
            hit &= bridge[main_vs] < 0
            bridge[main_vs[hit]] = d[hit].astype(np.int64)
    found = np.flatnonzero(bridge >= 0)
    names = np.asarray(view.tg.log.actor_ids, dtype=object)
    bridge_all[vidx[found]] = names[vidx[bridge[found]]]
    return bridge_all, comp_all, main_all
