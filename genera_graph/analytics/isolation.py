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
    day = day_number(at)
    w_start = at - timedelta(days=cfg.isolation_window_days - 1)
    end = at + timedelta(days=1)
    cur = tg.window(w_start, end, level="household", include_coparticipation=True,
                    vertices="met")
    # the baseline: consecutive windows of the same length before the current one, so that a
    # longer baseline period does not by itself make the present look smaller
    n_base = max(1, cfg.baseline_days // cfg.isolation_window_days)
    b_start = w_start - timedelta(days=n_base * cfg.isolation_window_days)
    base_views = [
        tg.window(b_start + timedelta(days=k * cfg.isolation_window_days),
                  b_start + timedelta(days=(k + 1) * cfg.isolation_window_days),
                  level="household", vertices="met")
        for k in range(n_base)
    ]
    direct = tg.window(w_start, end, level="household", vertices="met")

    actors = tg.actors.set_index("actor_id")
    hh = actors[(actors["kind"] == "household") & (actors["first_met"] <= pd.Timestamp(at))]
    if "left_on" in hh:
        hh = hh[hh["left_on"].isna() | (hh["left_on"] > pd.Timestamp(at))]
    ids = hh.index

    partners = _partner_table(cur.edges)
    per = partners.groupby("actor_id").agg(
        partners=("partner", "size"),
        peer_ties=("has_peer", "sum"),
        professional_ties=("has_professional", "sum"),
        institutional_ties=("has_institutional", "sum"),
        non_peer=("non_peer", "sum"),
    )
    base_size = sum(
        _partner_table(v.edges).groupby("actor_id").size().reindex(ids).fillna(0)
        for v in base_views) / n_base

    out = pd.DataFrame(index=pd.Index(ids, name="actor_id"))
    for col in ("kind", "community_point_id", "facilitator_id", "first_met"):
        out[col] = hh.get(col)
    out["as_of"] = pd.Timestamp(at)
    out["window_start"] = pd.Timestamp(w_start)
    for col in ("peer_ties", "professional_ties", "institutional_ties", "partners"):
        out[col] = per[col].reindex(ids).fillna(0).astype("int64")
    out["peer_partners"] = out["peer_ties"]
    out["ego_size"] = (_partner_table(direct.edges).groupby("actor_id").size()
                       .reindex(ids).fillna(0).astype("int64"))
    out["baseline_ego_size"] = base_size.reindex(ids).fillna(0.0).astype("float64")
    non_peer = per["non_peer"].reindex(ids).fillna(0)
    out["professional_share"] = (non_peer / out["partners"]).where(out["partners"] > 0)

    last_peer = _last_peer_day(tg, day)
    lp = pd.Series(last_peer, index=tg.log.actor_ids).reindex(ids)
    lp = lp.where(lp >= 0)
    out["last_peer_contact"] = pd.to_datetime(lp, unit="D").astype("datetime64[ns]")
    out["days_since_peer_contact"] = (day - lp).astype("Float64")

    bridges, comp_size, in_main = _structure(cur)
    out["bridge_id"] = bridges.reindex(ids)
    out["single_bridge"] = out["bridge_id"].notna()
    out["component_size"] = comp_size.reindex(ids).fillna(1).astype("int64")
    out["in_main_component"] = in_main.reindex(ids).fillna(False).astype(bool)

    rows = []
    history = (pd.Timestamp(at) - out["first_met"]).dt.days
    statuses = []
    for h, r in zip(out.index, out.itertuples(index=False), strict=True):
        found = _reasons_for(h, r, cfg, w_start, b_start, at)
        rows.extend(found)
        codes = [f["reason"] for f in found]
        if history[h] < cfg.min_history_days:
            status = "new"
        elif any(REASONS[c][0] == "isolated" for c in codes):
            status = "isolated"
        elif codes:
            status = "at_risk"
        else:
            status = "connected"
        statuses.append((status, ";".join(codes)))
    out["status"] = pd.Series([s for s, _ in statuses], index=out.index, dtype=object)
    out["reasons"] = pd.Series([c for _, c in statuses], index=out.index, dtype=object)
    reasons = pd.DataFrame(rows, columns=["actor_id", "reason", "status", "description",
                                          "date_from", "date_to", "value", "partner_id"])
    for col in ("date_from", "date_to"):
        reasons[col] = pd.to_datetime(reasons[col]).astype("datetime64[ns]")
    return out, reasons


def _reasons_for(h, r, cfg: AnalysisConfig, w_start: date, b_start: date, at: date) -> list:
    found = []

    def add(code, date_from, value=None, partner=None, date_to=at):
        status, text = REASONS[code]
        found.append(dict(actor_id=h, reason=code, status=status, description=text,
                          date_from=date_from, date_to=date_to, value=value,
                          partner_id=partner))

    last_peer = None if pd.isna(r.last_peer_contact) else r.last_peer_contact.date()
    if r.partners == 0:
        add("no_active_ties", w_start, 0)
    elif r.professional_share >= cfg.professional_share_at_risk:
        add("only_professional_ties", last_peer or w_start, r.partners)
    elif r.peer_partners < cfg.min_peer_partners:
        add("few_peer_partners", w_start, r.peer_partners)
    if r.baseline_ego_size >= 2 and r.ego_size <= cfg.shrink_ratio * r.baseline_ego_size:
        add("shrinking_network", b_start, r.baseline_ego_size,
            date_to=w_start - timedelta(days=1))
    if r.single_bridge:
        add("single_bridge", w_start, None, r.bridge_id)
    if r.partners > 0 and not r.in_main_component:
        add("outside_main_network", w_start, r.component_size)
    return found


def _partner_table(edges: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat(
        [edges.rename(columns={"source": "actor_id", "target": "partner"}),
         edges.rename(columns={"target": "actor_id", "source": "partner"})],
        ignore_index=True,
    )
    both["has_peer"] = both["n_peer"] > 0
    both["has_professional"] = both["n_professional"] > 0
    both["has_institutional"] = both["n_institutional"] > 0
    both["non_peer"] = both["nature"] != "peer"
    return both


def _last_peer_day(tg: TemporalGraph, day: int) -> np.ndarray:
    """Last day (<= ``day``) of a peer event of each actor at household level, -1 if none."""
    log = tg.log
    last = np.full(log.n_actors, -1, np.int64)
    peer = (log.nature == PEER) & (log.day <= day)
    inter = peer & ((log.kind == INTERACTION) | (log.kind == RELATION))
    when = np.minimum(log.end, day)  # an ongoing peer relation is a contact up to today
    np.maximum.at(last, log.source_unit[inter], when[inter])
    np.maximum.at(last, log.target_unit[inter], when[inter])
    part = peer & (log.kind == PARTICIPATION)
    np.maximum.at(last, log.source_unit[part], log.day[part])
    return last


def _structure(view) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Single bridges (dominators), component sizes and main-component membership."""
    g = view.igraph()
    names = np.asarray(g.vs["name"], dtype=object) if g.vcount() else np.array([], object)
    if g.vcount() == 0:
        empty = pd.Series(dtype=object)
        return empty, pd.Series(dtype="int64"), pd.Series(dtype=bool)
    comps = g.connected_components()
    membership = np.asarray(comps.membership)
    sizes = np.asarray(comps.sizes())
    main = int(np.argmax(sizes))
    comp_size = pd.Series(sizes[membership], index=names)
    in_main = pd.Series(membership == main, index=names)
    bridge = np.full(g.vcount(), None, dtype=object)
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
            hit &= np.array([bridge[v] is None for v in main_vs], dtype=bool)
            bridge[main_vs[hit]] = names[d[hit].astype(np.int64)]
    return pd.Series(bridge, index=names).dropna(), comp_size, in_main
