"""The isolation report as it was computed before the columnar rewrite (the oracle of
``test_isolation_columnar.py``): one window view per baseline window, partner tables grouped by
actor id and a Python loop over households. Kept verbatim, only renamed; do not optimise it."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from genera_graph.analytics.isolation import REASONS
from genera_graph.model import AnalysisConfig
from genera_graph.temporal import (
    INTERACTION,
    PARTICIPATION,
    PEER,
    RELATION,
    TemporalGraph,
    day_number,
)


def reference_report(tg: TemporalGraph, at: date, cfg: AnalysisConfig | None = None):
    """``(report, reasons)`` by the old path."""
    return _compute(tg, at, cfg or tg.config)


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
