"""Suggested introductions: whom to introduce an isolated family to, why, and did it work.

Network weavers "close triangles" by hand (Krebs & Holley 2006): this module does it as an
explainable, measured recommender on the event log.

- :func:`link_scores`: for chosen actors, every **peer** candidate (households, associations,
  formal groups; individuals too at ``level="individual"``) with the literature's
  link-prediction indices on the one-mode tie graph and on the two-mode actor–activity graph,
  and their documented combination, ``score``;
- :func:`suggest_introductions`: the top candidates of each family, ranked, in the viewer's
  scope; :func:`introduction_reasons`: the reasons of each suggestion in words and data;
- :func:`evaluate_link_prediction`: the temporal hold-out of Liben-Nowell & Kleinberg (2007),
  for the method and the baselines (:data:`BASELINES`);
- :func:`introduction_outcomes` and :func:`conversion_rates`: whether recorded introductions
  were followed by a peer tie, and the conversion rates over time.

Candidates are never facilitators, services (public entities, schools, companies) or Community
Points; never someone who left or was not met yet, who is already tied to the family (a contact
or a relation of any nature in the ``introduction_window_days`` up to the day), or whose
introduction was declined before. Nothing here acts: a suggestion is a row in a table.

The indices (:data:`COMPONENTS`) are computed on the ties of the window ending on the day
asked, at household level (an individual is replaced by their household on the event's day)
or at individual level:

- one-mode: the graph of direct ties (interactions and relations of every nature) between
  actors other than facilitators and Community Points (who would otherwise be everyone's
  "partner in common"): common neighbours, Adamic–Adar, resource allocation (Zhou, Lü & Zhang
  2009), their recency-weighted form (each tie weighted ``0.5 ** (age / half_life)``,
  the weighted resource allocation of Lü & Zhou 2010), truncated Katz and personalised
  (rooted) PageRank;
- two-mode: activities both attended, and resource allocation through activities (an activity
  of ``k`` participants contributes ``w_a w_b / k``, recency-weighted);
- focus (Feld 1981): the same Community Point, the same municipality, an association active in
  a programme the family takes part in, and "a family in the same situation, now connected".

The combination (``score``) is a weighted sum of the indices named in
``config.introduction_weights``, each first divided by its largest value among the family's
candidates, so that every index lies in [0, 1] and a weight says how much that evidence counts.

Examples
--------
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> tg = TemporalGraph.from_dataset(toy_dataset())
>>> s = suggest_introductions(tg, "2016-06-08", actors=["H001"])
>>> s[["actor_id", "rank", "candidate_id", "score", "reasons"]].to_dict("records")
[{'actor_id': 'H001', 'rank': 1, 'candidate_id': 'H002', 'score': 1.0, 'reasons': 'same_community_point;newcomer'}]

References
----------
D. Liben-Nowell, J. Kleinberg, "The link-prediction problem for social networks", JASIST
58(7):1019-1031, 2007. T. Zhou, L. Lü, Y.-C. Zhang, "Predicting missing links via local
information", EPJ B 71:623-630, 2009. L. Lü, T. Zhou, "Link prediction in weighted networks:
the role of weak ties", EPL 89:18001, 2010. S. Feld, "The focused organization of social ties",
AJS 86(5), 1981. V. Krebs, J. Holley, "Building Smart Communities through Network Weaving", 2006.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from genera_graph.model import AnalysisConfig
from genera_graph.model.introductions import DECLINE_REASONS, INTRODUCTION_REASONS
from genera_graph.temporal import (
    PARTICIPATION,
    PEER,
    TemporalGraph,
    as_date,
    day_number,
    day_to_date,
    month_ends,
)
from genera_graph.temporal._kernels import sorted_unique as _sorted_unique

__all__ = [
    "BASELINES",
    "COMPONENTS",
    "DECLINE_REASONS",
    "INDICATORS",
    "INTRODUCTION_REASONS",
    "OUTCOMES",
    "RESEARCH_COLUMNS",
    "conversion_rates",
    "evaluate_link_prediction",
    "introduction_indicators",
    "introduction_outcomes",
    "introduction_reasons",
    "link_scores",
    "research_table",
    "suggest_introductions",
    "summarise_evaluation",
]

#: index name -> what it measures (the names usable in ``config.introduction_weights``)
COMPONENTS: dict[str, str] = {
    "common_neighbours": "partners in common (one-mode tie graph)",
    "adamic_adar": "partners in common, each weighted 1 / log(its number of partners)",
    "resource_allocation": "partners in common, each weighted 1 / its number of partners",
    "recent_resource_allocation": "resource allocation on recency-weighted ties: "
                                  "sum over partners z of w(x,z) w(z,y) / strength(z)",
    "katz": "paths of length 1-3 between the two, a path of length l weighted beta ** l",
    "personalised_pagerank": "probability of a random walk restarting at the family to be "
                             "at the candidate (rooted PageRank)",
    "preferential_attachment": "product of the two numbers of partners",
    "shared_activities": "activities both attended in the window",
    "activity_resource_allocation": "activities both attended, each weighted by the two "
                                    "attendances' recency / its number of participants",
    "same_place": "1 for the same Community Point, 0.5 for the same municipality only",
    "programme_match": "an association or formal group active in a programme the family "
                       "takes part in",
    "similar_situation": "a family isolated or at risk introduction_similar_days before, "
                         "connected now",
    "newcomer": "met in the last introduction_newcomer_days days: newcomers are whom a "
                "network weaver introduces first (Krebs & Holley 2006)",
}

#: the link-prediction baselines of the evaluation (``random``: every candidate scores the
#: same, so precision is its expectation under a random order and AUC is 0.5)
BASELINES = ("random", "preferential_attachment", "common_neighbours", "adamic_adar")

#: outcome of a recorded introduction (see :func:`introduction_outcomes`)
OUTCOMES = ("converted", "not_converted", "pending", "proposed", "declined")

_CANDIDATE_KINDS = {"household": ("household", "association", "formal_group"),
                    "individual": ("individual", "association", "formal_group")}
_TARGET_KIND = {"household": "household", "individual": "individual"}
_NOT_INTERMEDIARY = ("facilitator", "community_point")
_SCORE_COLUMNS = list(COMPONENTS)

Visible = Collection[str] | Callable[[str], bool] | None


# ----------------------------------------------------------------------------- the state at t
@dataclass
class _State:
    """Everything the indices need on one day, as arrays over actor indices."""

    last_day: int
    level: str
    n: int
    ids: np.ndarray  # actor ids (object)
    kind: np.ndarray  # actor kind names (object)
    alive: np.ndarray  # met by last_day and not left (bool)
    # one-mode tie graph, both directions: src -> dst with recency weight and last day
    g_ptr: np.ndarray
    g_dst: np.ndarray
    g_w: np.ndarray
    g_last: np.ndarray
    degree: np.ndarray
    strength: np.ndarray
    tied: np.ndarray  # sorted pair keys (min * n + max) with a direct tie in the window
    # two-mode: unit -> activity and activity -> unit
    p_ptr: np.ndarray
    p_act: np.ndarray
    p_w: np.ndarray
    p_first: np.ndarray
    p_last: np.ndarray
    a_ptr: np.ndarray
    a_unit: np.ndarray
    a_w: np.ndarray
    a_size: np.ndarray
    unit_programmes: dict  # unit index -> set of programme codes in the window
    household_of: np.ndarray | None  # individual level: each actor's household (or itself)
    # what the day's calls share, made on first use (see _memo): the ids' index, the
    # similar situations, the PageRank walk, the candidates' kinds...
    memo: dict = field(default_factory=dict)


def _memo(st: _State, key: str, make: Callable[[], object]):
    """``st.memo[key]``, made by ``make()`` the first time (a pure function of the day's
    state, so that two threads making it at once make the same value)."""
    value = st.memo.get(key)
    if value is None:
        value = make()
        st.memo[key] = value
    return value


def _index(st: _State) -> pd.Index:
    """The actor ids as an index (their positions are the state's actor indices)."""
    return _memo(st, "index", lambda: pd.Index(st.ids))


def _edge_sources(st: _State) -> np.ndarray:
    """The source of every tie of the CSR graph (``g_dst``'s row)."""
    return _memo(st, "edge_sources", lambda: np.repeat(np.arange(st.n), st.degree))


def _csr(src: np.ndarray, n: int, *cols: np.ndarray) -> tuple[np.ndarray, ...]:
    order = np.argsort(src, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
    return (ptr, *(c[order] for c in cols))


#: how many days' states a TemporalGraph keeps (see :func:`_state`)
_STATES_KEPT = 3


def _state(tg: TemporalGraph, last_day: int, level: str, cfg: AnalysisConfig) -> _State:
    """The day's state, kept on ``tg`` for the next call of the same day, level and config.

    An explorer asks for one family after another on the same day: the state (a pass over
    the whole event log) is made once and every family's indices read it. The last
    :data:`_STATES_KEPT` states are kept, on the graph object (a new graph starts empty).
    """
    key = (int(last_day), level, cfg)
    kept = tg.__dict__.setdefault("_introductions_states", OrderedDict())
    st = kept.get(key)
    if st is None:
        st = _make_state(tg, int(last_day), level, cfg)
        kept[key] = st
        while len(kept) > _STATES_KEPT:
            kept.popitem(last=False)
    return st


def _make_state(tg: TemporalGraph, last_day: int, level: str, cfg: AnalysisConfig) -> _State:
    """The state of one day (see :class:`_State`): one pass over the event log."""
    if level not in _TARGET_KIND:
        raise ValueError(f"level must be 'household' or 'individual', got {level!r}")
    log = tg.log
    n = log.n_actors
    lo = last_day - cfg.introduction_window_days + 1
    hl = cfg.introduction_half_life_days
    ids = tg.actors["actor_id"].to_numpy(dtype=object)
    kind = tg.actors["kind"].to_numpy(dtype=object)
    first_met = log.actor_first_met
    alive = first_met <= last_day
    if "left_on" in tg.actors:
        left = pd.to_datetime(tg.actors["left_on"])
        left_day = np.where(left.isna(), np.iinfo(np.int64).max,
                            (left.to_numpy(dtype="datetime64[D]").astype(np.int64)))
        alive &= left_day > last_day
    src, tgt = (log.source_unit, log.target_unit) if level == "household" else (log.source,
                                                                                   log.target)
    # direct ties of the window (interval ties overlapping it)
    direct = (log.kind != PARTICIPATION) & (log.day <= last_day) & (log.end >= lo)
    u, v = src[direct].astype(np.int64), tgt[direct].astype(np.int64)
    seen = np.minimum(log.end[direct], last_day)
    w = 0.5 ** ((last_day - seen) / hl)
    keep = u != v
    u, v, w, seen = u[keep], v[keep], w[keep], seen[keep]
    a, b = np.minimum(u, v), np.maximum(u, v)
    tied = _sorted_unique(a * n + b)
    professional = np.isin(kind, _NOT_INTERMEDIARY)
    g = ~(professional[a] | professional[b])
    a, b, w, seen = a[g], b[g], w[g], seen[g]
    key = a * n + b
    order = np.argsort(key, kind="stable")
    key, w, seen = key[order], w[order], seen[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, int)
    pw = np.add.reduceat(w, starts) if len(starts) else np.empty(0)
    plast = np.maximum.reduceat(seen, starts) if len(starts) else np.empty(0, np.int64)
    pa, pb = key[starts] // n, key[starts] % n
    s2, d2 = np.r_[pa, pb], np.r_[pb, pa]
    g_ptr, g_dst, g_w, g_last = _csr(s2, n, d2, np.r_[pw, pw], np.r_[plast, plast])
    degree = np.diff(g_ptr)
    strength = np.bincount(s2, weights=np.r_[pw, pw], minlength=n)

    # two-mode: attendances of the window (professional participants left out)
    part = (log.kind == PARTICIPATION) & (log.day <= last_day) & (log.day >= lo)
    pu = src[part].astype(np.int64)
    act = log.target[part].astype(np.int64)
    pday = log.day[part]
    prog = log.programme[part]
    ok = ~professional[pu]
    pu, act, pday, prog = pu[ok], act[ok], pday[ok], prog[ok]
    n_act = len(log.activity_ids)
    pwt = 0.5 ** ((last_day - pday) / hl)
    k2 = pu * n_act + act
    order = np.argsort(k2, kind="stable")
    k2, pwt, pday = k2[order], pwt[order], pday[order]
    st = np.flatnonzero(np.r_[True, k2[1:] != k2[:-1]]) if len(k2) else np.empty(0, int)
    uw = np.maximum.reduceat(pwt, st) if len(st) else np.empty(0)  # the latest attendance
    ufirst = np.minimum.reduceat(pday, st) if len(st) else np.empty(0, np.int64)
    ulast = np.maximum.reduceat(pday, st) if len(st) else np.empty(0, np.int64)
    uu, ua = k2[st] // n_act, k2[st] % n_act
    p_ptr, p_act, p_w, p_first, p_last = _csr(uu, n, ua, uw, ufirst, ulast)
    a_ptr, a_unit, a_w = _csr(ua, n_act, uu, uw)
    a_size = np.diff(a_ptr)
    # each unit's programmes: its attendances' and both ends' of its direct ties
    dprog = log.programme[direct][keep]
    unit_programmes = _programmes_of(np.r_[pu, u, v], np.r_[prog, dprog, dprog])
    household_of = None
    if level == "individual":
        everyone = np.arange(n)
        household_of = log.household_of(everyone, np.full(n, last_day))
    return _State(last_day, level, n, ids, kind, alive, g_ptr, g_dst, g_w, g_last, degree,
                  strength, tied, p_ptr, p_act, p_w, p_first, p_last, a_ptr, a_unit, a_w,
                  a_size, unit_programmes, household_of)


def _programmes_of(units: np.ndarray, programmes: np.ndarray) -> dict[int, set[int]]:
    """Unit index -> the set of programme codes it appears with (distinct pairs first)."""
    units, programmes = units.astype(np.int64), programmes.astype(np.int64)
    if len(units) == 0:
        return {}
    low = int(programmes.min())
    span = int(programmes.max()) - low + 1
    pairs = _sorted_unique(units * span + (programmes - low))
    units, programmes = pairs // span, pairs % span + low
    starts = np.flatnonzero(np.r_[True, units[1:] != units[:-1]])
    ends = np.r_[starts[1:], len(units)]
    progs = programmes.tolist()
    return {x: set(progs[lo:hi]) for x, lo, hi in
            zip(units[starts].tolist(), starts.tolist(), ends.tolist(), strict=True)}


def _gather(ptr: np.ndarray, mids: np.ndarray) -> np.ndarray:
    """Concatenated index ranges ``ptr[m]:ptr[m+1]`` of the given middles."""
    starts, lens = ptr[mids], ptr[mids + 1] - ptr[mids]
    total = int(lens.sum())
    if total == 0:
        return np.empty(0, np.int64)
    offsets = np.repeat(np.cumsum(lens) - lens, lens)
    return np.arange(total) - offsets + np.repeat(starts, lens)


def _two_step(row_ptr, row_mid, row_w, mid_ptr, mid_end, mid_w, mid_factor, targets, n):
    """Dense rows ``R[i, y] = sum_m row_w(t_i, m) * mid_factor(m) * mid_w(m, y)``."""
    out = np.zeros((len(targets), n))
    for i, t in enumerate(targets):
        lo, hi = row_ptr[t], row_ptr[t + 1]
        if lo == hi:
            continue
        mids, w1 = row_mid[lo:hi], row_w[lo:hi] * mid_factor[row_mid[lo:hi]]
        idx = _gather(mid_ptr, mids)
        if len(idx) == 0:
            continue
        lens = mid_ptr[mids + 1] - mid_ptr[mids]
        out[i] = np.bincount(mid_end[idx], weights=np.repeat(w1, lens) * mid_w[idx],
                             minlength=n)
    return out


def _times_adjacency(rows: np.ndarray, st: _State) -> np.ndarray:
    """``rows @ A`` for the binary one-mode adjacency ``A``."""
    src = _edge_sources(st)
    out = np.zeros_like(rows)
    for i in range(rows.shape[0]):
        out[i] = np.bincount(st.g_dst, weights=rows[i, src], minlength=st.n)
    return out


def _adjacency_rows(st: _State, targets: np.ndarray, weighted: bool = False) -> np.ndarray:
    out = np.zeros((len(targets), st.n))
    for i, t in enumerate(targets):
        lo, hi = st.g_ptr[t], st.g_ptr[t + 1]
        out[i, st.g_dst[lo:hi]] = st.g_w[lo:hi] if weighted else 1.0
    return out


def _indices(tg: TemporalGraph, st: _State, targets: np.ndarray, cfg: AnalysisConfig,
             needed: set[str]) -> dict[str, np.ndarray]:
    """The indices in ``needed`` as dense ``(len(targets), n)`` arrays."""
    n = st.n
    ones = np.ones(len(st.g_dst))
    out: dict[str, np.ndarray] = {}
    deg = st.degree.astype(float)
    if needed & {"common_neighbours", "katz"}:
        out["common_neighbours"] = _two_step(st.g_ptr, st.g_dst, ones, st.g_ptr, st.g_dst, ones,
                                             np.ones(n), targets, n)
    if "adamic_adar" in needed:
        with np.errstate(divide="ignore"):
            f = np.where(deg >= 2, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
        out["adamic_adar"] = _two_step(st.g_ptr, st.g_dst, ones, st.g_ptr, st.g_dst, ones, f,
                                       targets, n)
    if "resource_allocation" in needed:
        f = np.where(deg > 0, 1.0 / np.maximum(deg, 1), 0.0)
        out["resource_allocation"] = _two_step(st.g_ptr, st.g_dst, ones, st.g_ptr, st.g_dst,
                                               ones, f, targets, n)
    if "recent_resource_allocation" in needed:
        f = np.where(st.strength > 0, 1.0 / np.maximum(st.strength, 1e-300), 0.0)
        out["recent_resource_allocation"] = _two_step(st.g_ptr, st.g_dst, st.g_w, st.g_ptr,
                                                      st.g_dst, st.g_w, f, targets, n)
    if "katz" in needed:
        beta = cfg.introduction_katz_beta
        a1 = _adjacency_rows(st, targets)
        a2 = out["common_neighbours"]
        a3 = _times_adjacency(a2, st)
        out["katz"] = beta * a1 + beta**2 * a2 + beta**3 * a3
    if "personalised_pagerank" in needed:
        out["personalised_pagerank"] = _pagerank(st, targets, cfg)
    if "preferential_attachment" in needed:
        out["preferential_attachment"] = np.outer(deg[targets], deg)
    if needed & {"shared_activities"}:
        out["shared_activities"] = _two_step(
            st.p_ptr, st.p_act, np.ones(len(st.p_act)), st.a_ptr, st.a_unit,
            np.ones(len(st.a_unit)), np.ones(len(st.a_ptr) - 1), targets, n)
    if "activity_resource_allocation" in needed:
        f = 1.0 / np.maximum(st.a_size, 1)
        out["activity_resource_allocation"] = _two_step(st.p_ptr, st.p_act, st.p_w, st.a_ptr,
                                                        st.a_unit, st.a_w, f, targets, n)
    if needed & {"same_place"}:
        out["same_place"] = _same_place(tg, st, targets)
    if "programme_match" in needed:
        out["programme_match"] = _programme_match(st, targets)
    if "newcomer" in needed:
        age = st.last_day - tg.log.actor_first_met
        fresh = (age >= 0) & (age < cfg.introduction_newcomer_days)
        out["newcomer"] = np.broadcast_to(fresh.astype(float), (len(targets), n)).copy()
    if "similar_situation" in needed:
        out["similar_situation"] = np.broadcast_to(
            _similar_situation(tg, st, cfg), (len(targets), n)).copy()
    return out


def _pagerank(st: _State, targets: np.ndarray, cfg: AnalysisConfig, *, tol: float = 1e-9,
              max_iter: int = 300, dense_limit: int = 4000,
              components: bool = True) -> np.ndarray:
    """Personalised PageRank from each target on the recency-weighted tie graph.

    The stationary distribution of the walk that follows a tie with probability ``d`` (to a
    partner in proportion to the tie's recency weight) and returns to the target otherwise:
    ``x = (1 - d) e_t + d x P`` with ``P`` row-stochastic. Solved exactly on the actors with
    ties (one LU factorisation for every target) when they are at most ``dense_limit``, else by
    power iteration for every target at once until the largest L1 change is below ``tol``. A
    target without ties keeps all its mass.

    Notes
    -----
    A walk never leaves its target's connected component, where every other actor's value
    stays exactly 0: the power iteration runs on the ties of the targets' components only
    (``components``; the same sums of the same terms in the same order, and the change
    measured over every actor, so the same iterations and the same values to the bit as on
    the whole graph). Each iteration costs :math:`O(R m_c)` for ``R`` targets and the
    :math:`m_c` ties of their components, instead of the :math:`m` ties of the graph: one
    family of a region is a district's component, not the region.
    """
    d = cfg.introduction_pagerank_damping
    n = st.n
    out = np.zeros((len(targets), n))
    out[np.arange(len(targets)), targets] = 1.0
    tied = st.degree[targets] > 0
    if len(st.g_dst) == 0 or not tied.any():
        return out
    rows = np.flatnonzero(tied)
    walk = _memo(st, "pagerank_walk", lambda: _pagerank_walk(st))
    active, pos = walk["active"], walk["pos"]
    m = len(active)
    restart = np.zeros((len(rows), m))
    restart[np.arange(len(rows)), pos[targets[rows]]] = 1.0
    if m <= dense_limit:
        src, p = _edge_sources(st), walk["p"]
        trans = np.zeros((m, m))
        np.add.at(trans, (pos[src], pos[st.g_dst]), p)
        # x (I - d P) = (1 - d) e  <=>  (I - d P)^T x^T = (1 - d) e^T
        x = np.linalg.solve((np.eye(m) - d * trans).T, (1 - d) * restart.T).T
    else:
        s_, p_, starts, cols = walk["s_"], walk["p_"], walk["starts"], walk["cols"]
        inside = None
        if components:
            labels = _memo(st, "pagerank_components", lambda: _components(walk))
            keep = np.isin(labels, labels[pos[targets[rows]]])
            if not keep.all():
                inside = np.flatnonzero(keep)
                # the ties ending in the components (their other ends are in them too)
                e = keep[walk["t_"]]
                local = np.full(m, -1, np.int64)
                local[inside] = np.arange(len(inside))
                s_, p_, t_ = local[s_[e]], p_[e], local[walk["t_"][e]]
                starts = np.flatnonzero(np.r_[True, t_[1:] != t_[:-1]])
                cols = t_[starts]
                restart = restart[:, inside]
        x = restart.copy()
        full = None if inside is None else np.zeros((len(rows), m))
        for _ in range(max_iter):
            moved = np.zeros_like(x)
            moved[:, cols] = np.add.reduceat(x[:, s_] * p_, starts, axis=1)
            new = (1 - d) * restart + d * moved
            if full is None:
                change = np.abs(new - x).sum(axis=1).max()
            else:  # summed over every actor (0 outside), as on the whole graph
                full[:, inside] = np.abs(new - x)
                change = full.sum(axis=1).max()
            x = new
            if change < tol:
                break
        if inside is not None:
            whole = np.zeros((len(rows), m))
            whole[:, inside] = x
            x = whole
    out[rows] = 0.0
    out[np.ix_(rows, active)] = x
    return out


def _pagerank_walk(st: _State) -> dict[str, np.ndarray]:
    """The day's random walk for :func:`_pagerank`: each tie's transition probability, the
    actors with ties and their positions, and the ties sorted by their end."""
    src = _edge_sources(st)
    p = st.g_w / st.strength[src]
    active = np.flatnonzero(st.degree > 0)
    pos = np.full(st.n, -1, np.int64)
    pos[active] = np.arange(len(active))
    order = np.argsort(st.g_dst, kind="stable")
    s_, t_, p_ = pos[src[order]], pos[st.g_dst[order]], p[order]
    starts = np.flatnonzero(np.r_[True, t_[1:] != t_[:-1]])
    return {"p": p, "active": active, "pos": pos, "s_": s_, "t_": t_, "p_": p_,
            "starts": starts, "cols": t_[starts]}


def _components(walk: dict[str, np.ndarray]) -> np.ndarray:
    """The connected component of each actor with ties (by position in ``walk["active"]``)."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    m = len(walk["active"])
    graph = coo_array((np.ones(len(walk["s_"])), (walk["s_"], walk["t_"])), shape=(m, m))
    return connected_components(graph.tocsr(), directed=False)[1]


def _municipality_codes(tg: TemporalGraph) -> np.ndarray:
    """Each actor's municipality as a code (-1: unknown)."""
    mun = tg.actors["municipality"].to_numpy(dtype=object)
    known = pd.notna(mun)
    return pd.factorize(pd.Series(mun).where(known, None))[0]


def _same_place(tg: TemporalGraph, st: _State, targets: np.ndarray) -> np.ndarray:
    cp = tg.log.actor_cp
    out = np.zeros((len(targets), st.n))
    same_cp = (cp[targets][:, None] == cp[None, :]) & (cp[None, :] >= 0)
    if "municipality" in tg.actors:
        codes = _memo(st, "municipality_codes", lambda: _municipality_codes(tg))
        same_mun = (codes[targets][:, None] == codes[None, :]) & (codes[None, :] >= 0)
        out[same_mun] = 0.5
    out[same_cp] = 1.0
    return out


def _programme_match(st: _State, targets: np.ndarray) -> np.ndarray:
    out = np.zeros((len(targets), st.n))
    orgs = np.flatnonzero(np.isin(st.kind, ("association", "formal_group")))
    org_progs = {int(o): st.unit_programmes.get(int(o), set()) for o in orgs}
    for i, t in enumerate(targets):
        mine = st.unit_programmes.get(int(t), set())
        if not mine:
            continue
        for o, progs in org_progs.items():
            if mine & progs:
                out[i, o] = 1.0
    return out


def _similar_situation(tg: TemporalGraph, st: _State, cfg: AnalysisConfig) -> np.ndarray:
    """1 for households isolated or at risk ``introduction_similar_days`` before, connected now
    (made once for the day's state: do not modify the array returned)."""
    return _memo(st, "similar_situation", lambda: _make_similar_situation(tg, st, cfg))


def _make_similar_situation(tg: TemporalGraph, st: _State, cfg: AnalysisConfig) -> np.ndarray:
    out = np.zeros(st.n)
    if st.level != "household" or not (st.kind == "household").any():
        return out
    from genera_graph.analytics.isolation import isolation_report

    now = day_to_date(st.last_day)
    then = now - timedelta(days=cfg.introduction_similar_days)
    before = isolation_report(tg, then, config=cfg)["status"]
    after = isolation_report(tg, now, config=cfg)["status"]
    was = set(before.index[before.isin(["isolated", "at_risk"])])
    ok = set(after.index[after == "connected"]) & was
    pos = _index(st).get_indexer(list(ok))
    out[pos[pos >= 0]] = 1.0
    return out


def _candidate_mask(st: _State, targets: np.ndarray, declined: dict) -> np.ndarray:
    """``(len(targets), n)``: who may be suggested to whom."""
    n = st.n
    base = _memo(st, "candidate_base",
                 lambda: st.alive & np.isin(st.kind, _CANDIDATE_KINDS[st.level]))
    mask = np.broadcast_to(base, (len(targets), n)).copy()
    mask[np.arange(len(targets)), targets] = False
    if st.household_of is not None:
        hh = st.household_of
        mask &= hh[targets][:, None] != hh[None, :]
    for i, t in enumerate(targets.tolist()):
        lo, hi = st.g_ptr[t], st.g_ptr[t + 1]
        mask[i, st.g_dst[lo:hi]] = False
    # ties through facilitators' records are "tied" too (kept out of the graph, not of here)
    if len(st.tied):
        a, b = _memo(st, "tied_ends", lambda: (st.tied // n, st.tied % n))
        pos = np.full(n, -1, np.int64)
        pos[targets] = np.arange(len(targets))
        for x, y in ((a, b), (b, a)):
            hit = pos[x] >= 0
            mask[pos[x[hit]], y[hit]] = False
    for i, t in enumerate(targets.tolist()):
        for c in declined.get(t, ()):
            mask[i, c] = False
    return mask


def _weights(cfg: AnalysisConfig) -> dict[str, float]:
    weights = dict(cfg.introduction_weights)
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown index in introduction_weights: {', '.join(sorted(unknown))}"
                         f" (expected some of {', '.join(COMPONENTS)})")
    return {k: float(w) for k, w in weights.items() if w > 0}


def _combine(values: dict[str, np.ndarray], mask: np.ndarray,
             weights: dict[str, float]) -> np.ndarray:
    score = np.zeros(mask.shape)
    for name, w in weights.items():
        x = np.where(mask, values[name], 0.0)
        top = x.max(axis=1, keepdims=True) if x.shape[1] else np.zeros((x.shape[0], 1))
        score += w * np.divide(x, top, out=np.zeros_like(x), where=top > 0)
    return score


# ----------------------------------------------------------------------------- public: scores
def _resolve_targets(tg: TemporalGraph, st: _State, actors, at: date, cfg: AnalysisConfig,
                     visible: Visible) -> np.ndarray:
    index = _index(st)
    if actors is None:
        if st.level == "household":
            from genera_graph.analytics.isolation import isolation_report

            rep = isolation_report(tg, at, config=cfg)
            chosen = list(rep.index[rep["status"].isin(["isolated", "at_risk"])])
        else:
            chosen = list(st.ids[st.alive & (st.kind == "individual")])
        chosen = [a for a in chosen if _is_visible(visible, a)]
    else:
        chosen = [actors] if isinstance(actors, str) else list(actors)
        hidden = [a for a in chosen if not _is_visible(visible, a)]
        if hidden:
            raise PermissionError(f"{len(hidden)} of the actors asked are outside the viewer's "
                                  "scope")
        pos = index.get_indexer(chosen)
        if (pos < 0).any():
            raise ValueError(f"unknown actors: {', '.join(map(str, np.asarray(chosen)[pos < 0]))}")
        wrong = [a for a, p in zip(chosen, pos, strict=True)
                 if st.kind[p] != _TARGET_KIND[st.level]]
        if wrong:
            raise ValueError(f"at level {st.level!r} suggestions are for "
                             f"{_TARGET_KIND[st.level]}s, not: {', '.join(wrong)}")
    return np.asarray(index.get_indexer(chosen), dtype=np.int64)


def _is_visible(visible: Visible, actor_id) -> bool:
    if visible is None:
        return True
    if callable(visible):
        return bool(visible(actor_id))
    return actor_id in visible


def _visible_mask(st: _State, visible: Visible) -> np.ndarray:
    if visible is None:
        return np.ones(st.n, bool)
    if callable(visible):
        return np.fromiter((bool(visible(a)) for a in st.ids), bool, st.n)
    if isinstance(visible, frozenset):  # hashable (its hash made once): kept for the day
        masks = _memo(st, "visible_masks", dict)
        mask = masks.get(visible)
        if mask is None:
            mask = _membership(st, visible)
            mask.flags.writeable = False
            if len(masks) >= _VISIBLE_KEPT:
                masks.clear()
            masks[visible] = mask
        return mask
    return _membership(st, visible if isinstance(visible, set) else set(visible))


#: how many viewers' scopes (frozensets) a day's state keeps the masks of
_VISIBLE_KEPT = 8


def _membership(st: _State, seen: set | frozenset) -> np.ndarray:
    ids = _memo(st, "id_list", st.ids.tolist)
    return np.fromiter(map(seen.__contains__, ids), bool, st.n)


def _declined_pairs(st: _State, introductions: pd.DataFrame | None) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    if introductions is None or len(introductions) == 0:
        return out
    intro = _check_introductions(introductions)
    d = intro[(intro["status"] == "declined")
              & (intro["date"] <= pd.Timestamp(day_to_date(st.last_day)))]
    index = _index(st)
    a, b = index.get_indexer(d["actor_id"]), index.get_indexer(d["candidate_id"])
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        if x >= 0 and y >= 0:
            out.setdefault(x, set()).add(y)
            out.setdefault(y, set()).add(x)
    return out


def _scored(tg, at, actors, level, config, visible, introductions, needed=None):
    cfg = config or tg.config
    at_d = as_date(at)
    st = _state(tg, day_number(at_d), level, cfg)
    targets = _resolve_targets(tg, st, actors, at_d, cfg, visible)
    weights = _weights(cfg)
    need = set(COMPONENTS) if needed is None else set(needed) | set(weights)
    values = _indices(tg, st, targets, cfg, need)
    mask = _candidate_mask(st, targets, _declined_pairs(st, introductions))
    mask &= _visible_mask(st, visible)[None, :]
    values["score"] = _combine(values, mask, weights)
    return cfg, st, targets, values, mask


def link_scores(
    tg: TemporalGraph,
    at: date | str,
    *,
    actors: str | Iterable[str] | None = None,
    level: str = "household",
    config: AnalysisConfig | None = None,
    visible: Visible = None,
    introductions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every peer candidate of the chosen actors on a day, with each index and the score.

    Parameters
    ----------
    tg : TemporalGraph
        The event log (any: built ``from_dataset`` or ``from_frames``).
    at : date-like
        The day (inclusive): the indices use the ``introduction_window_days`` days ending on it.
    actors : str or iterable of str, optional
        The families (``level="household"``) or individuals (``level="individual"``) to find
        candidates for. Default: at household level the households flagged ``isolated`` or
        ``at_risk`` on ``at`` (:func:`~genera_graph.analytics.isolation.isolation_report`); at
        individual level every individual met and not left.
    level : {"household", "individual"}
        ``"household"`` (families, associations and formal groups as candidates) or
        ``"individual"`` (individuals, associations, formal groups; never two members of the
        same household).
    config : AnalysisConfig, optional
        Window, half-life, Katz beta, PageRank damping and the weights of the combination
        (default ``tg.config``).
    visible : collection of actor ids or callable, optional
        The viewer's scope: candidates outside it are left out; actors asked outside it raise
        :class:`PermissionError`. ``None``: everything.
    introductions : pandas.DataFrame, optional
        Recorded introductions (see :func:`introduction_outcomes`): a pair declined on or
        before ``at`` is never a candidate again.

    Returns
    -------
    pandas.DataFrame
        One row per (``actor_id``, ``candidate_id``): ``candidate_kind``, every index of
        :data:`COMPONENTS` and ``score``; sorted by actor, then score (highest first).

    Raises
    ------
    PermissionError
        An actor asked is outside ``visible``.
    ValueError
        An unknown actor, an actor of the wrong kind for the level, or an unknown index in
        ``config.introduction_weights``.

    Notes
    -----
    Common neighbours, Adamic–Adar and resource allocation are those of networkx
    (``nx.common_neighbors``, ``nx.adamic_adar_index``, ``nx.resource_allocation_index``) on the
    window's one-mode graph without facilitators and Community Points.

    Complexity: the day's state (the window's tie graph and attendances, from one pass over
    the ``E`` events: :math:`O(E \\log E)`) is made once per graph, day, level and config and
    kept on ``tg`` (the last three days), with what the calls of the day share (the similar
    situations, i.e. two isolation reports; the PageRank walk); then for ``T`` actors
    :math:`O(T (n + P_2))`, where :math:`P_2` is the number of paths of length two from them,
    plus one personalised PageRank per actor (:math:`O(I m)` for ``I`` power iterations over
    the ``m`` ties, or one dense solve when at most 4,000 actors have ties). One family after
    another on the same day, as an explorer asks for them, pays the pass once: at region
    scale (141,000 actors, 4.6 million events) the first family of a day takes seconds, the
    next ones a fraction of a second (``benchmarks/bench_region_app.py``).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> t = link_scores(tg, "2016-06-08", actors="H001")
    >>> t[["candidate_id", "candidate_kind", "same_place", "score"]].to_dict("records")
    [{'candidate_id': 'H002', 'candidate_kind': 'household', 'same_place': 1.0, 'score': 1.0}]

    On 30/06/2016 the two households are tied (a peer contact on 10/06): no candidate is left
    for ``H001`` (``O001`` is tied to it through a membership of its member ``I002``).

    >>> link_scores(tg, "2016-06-30", actors="H001").empty
    True
    """
    _, st, targets, values, mask = _scored(tg, at, actors, level, config, visible,
                                           introductions)
    rows, cols = np.nonzero(mask)
    out = pd.DataFrame({"actor_id": st.ids[targets[rows]], "candidate_id": st.ids[cols],
                        "candidate_kind": st.kind[cols]})
    for name in [*_SCORE_COLUMNS, "score"]:
        out[name] = values[name][rows, cols]
    order = np.lexsort((out["candidate_id"].to_numpy(dtype=str), -out["score"].to_numpy(),
                        rows))
    return out.iloc[order].reset_index(drop=True)


def suggest_introductions(
    tg: TemporalGraph,
    at: date | str,
    *,
    actors: str | Iterable[str] | None = None,
    top: int | None = None,
    level: str = "household",
    config: AnalysisConfig | None = None,
    visible: Visible = None,
    introductions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The top peer candidates to introduce each chosen family to, ranked.

    Parameters are those of :func:`link_scores`, plus ``top`` (suggestions per actor; default
    ``config.introduction_top``). Only candidates with some evidence (a score above zero) are
    suggested.

    Returns
    -------
    pandas.DataFrame
        ``actor_id``, ``rank`` (1 = best), ``candidate_id``, ``candidate_kind``, ``score``, the
        indices of :data:`COMPONENTS`, ``reasons`` (the codes of
        :func:`introduction_reasons`, ``;``-separated; reasons that would name someone outside
        ``visible`` are not there) and ``status`` (``"suggested"``; a suggestion is never acted
        upon: recording it as proposed, declined or done is the facilitator's act).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> suggest_introductions(tg, "2016-06-08", actors=["H001"])["status"].tolist()
    ['suggested']
    """
    cfg = config or tg.config
    k = cfg.introduction_top if top is None else int(top)
    table = link_scores(tg, at, actors=actors, level=level, config=cfg, visible=visible,
                        introductions=introductions)
    table = table[table["score"] > 0]
    table = table.groupby("actor_id", sort=False, group_keys=False).head(k).copy()
    table.insert(1, "rank", table.groupby("actor_id", sort=False).cumcount() + 1)
    reasons = introduction_reasons(tg, at, table, level=level, config=cfg, visible=visible)
    codes = (reasons.drop_duplicates(["actor_id", "candidate_id", "reason"])
             .groupby(["actor_id", "candidate_id"])["reason"].agg(";".join))
    key = pd.MultiIndex.from_arrays([table["actor_id"], table["candidate_id"]])
    table["reasons"] = codes.reindex(key).fillna("").to_numpy()
    table["status"] = "suggested"
    return table.reset_index(drop=True)


def introduction_reasons(
    tg: TemporalGraph,
    at: date | str,
    suggestions: pd.DataFrame,
    *,
    level: str = "household",
    config: AnalysisConfig | None = None,
    visible: Visible = None,
    max_evidence: int = 5,
) -> pd.DataFrame:
    """The reasons of each suggestion, in words and data.

    Parameters
    ----------
    tg, at, level, config
        As for :func:`link_scores`.
    suggestions : pandas.DataFrame
        Pairs with ``actor_id`` and ``candidate_id`` (e.g. from :func:`suggest_introductions`).
    visible : collection of actor ids or callable, optional
        The viewer's scope. A partner in common outside it is never named: such partners are
        summed up in one ``partners_in_common_hidden`` row with their number only.
    max_evidence : int
        At most this many activities and partners in common listed per pair (latest first).

    Returns
    -------
    pandas.DataFrame
        One row per (``actor_id``, ``candidate_id``, piece of evidence): ``reason`` (a code of
        :data:`INTRODUCTION_REASONS`), ``description``, ``via_id`` (the activity, the partner in
        common, the Community Point; missing when not to be named), ``date_from``, ``date_to``
        (an activity: the first and last day both attended in the window; a partner: the last
        day of each one's tie with them, earliest first; a similar situation: the two days
        compared), ``value`` (how many, or the index value) and ``detail`` (the municipality or
        the programmes in common).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> pairs = pd.DataFrame({"actor_id": ["H001"], "candidate_id": ["H002"]})
    >>> r = introduction_reasons(tg, "2016-12-31", pairs)
    >>> r[["reason", "via_id"]].values.tolist()
    [['shared_activity', 'A1'], ['partner_in_common', 'O001'], ['same_community_point', 'CP1']]

    Seen by someone who may not see ``O001``, the partner in common is counted, not named:

    >>> r = introduction_reasons(tg, "2016-12-31", pairs, visible={"H001", "H002"})
    >>> r[["reason", "via_id", "value"]].values.tolist()[1]
    ['partners_in_common_hidden', None, 1.0]
    """
    cfg = config or tg.config
    at_d = as_date(at)
    st = _state(tg, day_number(at_d), level, cfg)
    cols = ["actor_id", "candidate_id", "reason", "description", "via_id", "date_from",
            "date_to", "value", "detail"]
    if len(suggestions) == 0:
        return _typed_reasons(pd.DataFrame(columns=cols))
    index = _index(st)
    xs = index.get_indexer(suggestions["actor_id"])
    ys = index.get_indexer(suggestions["candidate_id"])
    if (xs < 0).any() or (ys < 0).any():
        raise ValueError("unknown actor in suggestions")
    seen = _visible_mask(st, visible)
    cp = tg.log.actor_cp
    cp_ids = np.asarray(list(tg.log.cp_ids) + [None], dtype=object)
    mun = (tg.actors["municipality"].to_numpy(dtype=object) if "municipality" in tg.actors
           else np.full(st.n, None, dtype=object))
    prog_names = _programme_names()
    similar = None
    act_ids = np.asarray(tg.log.activity_ids, dtype=object)
    rows: list[dict] = []
    for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
        ax, ay = st.ids[x], st.ids[y]

        def add(reason, via=None, d0=None, d1=None, value=None, detail=None, _x=ax, _y=ay):
            rows.append(dict(actor_id=_x, candidate_id=_y, reason=reason,
                             description=INTRODUCTION_REASONS[reason], via_id=via,
                             date_from=d0, date_to=d1, value=value, detail=detail))

        # activities both attended
        ax_a = _slice(st.p_ptr, x, st.p_act, st.p_first, st.p_last)
        ay_a = _slice(st.p_ptr, y, st.p_act, st.p_first, st.p_last)
        common = sorted(set(ax_a) & set(ay_a),
                        key=lambda a: -min(ax_a[a][1], ay_a[a][1]))[:max_evidence]
        for a in common:
            d0 = max(ax_a[a][0], ay_a[a][0])
            d1 = min(ax_a[a][1], ay_a[a][1])
            add("shared_activity", act_ids[a], day_to_date(min(d0, d1)),
                day_to_date(max(d0, d1)), 1)
        # partners in common (one-mode)
        nx_ = _slice(st.g_ptr, x, st.g_dst, st.g_last)
        ny_ = _slice(st.g_ptr, y, st.g_dst, st.g_last)
        both = sorted(set(nx_) & set(ny_), key=lambda z: -min(nx_[z][0], ny_[z][0]))
        shown = [z for z in both if seen[z]]
        for z in shown[:max_evidence]:
            d = sorted((nx_[z][0], ny_[z][0]))
            add("partner_in_common", st.ids[z], day_to_date(d[0]), day_to_date(d[1]), 1)
        hidden = len(both) - len(shown)
        if hidden:
            add("partners_in_common_hidden", None, None, None, hidden)
        if cp[x] >= 0 and cp[x] == cp[y]:
            add("same_community_point", cp_ids[cp[x]])
        elif pd.notna(mun[x]) and mun[x] == mun[y]:
            add("same_municipality", None, detail=str(mun[x]))
        if st.kind[y] in ("association", "formal_group"):
            shared = st.unit_programmes.get(x, set()) & st.unit_programmes.get(y, set())
            if shared:
                add("programme_match", None, value=len(shared),
                    detail=";".join(sorted(prog_names[p] for p in shared)))
        if st.level == "household" and st.kind[y] == "household":
            if similar is None:
                similar = _similar_situation(tg, st, cfg)
            if similar[y] > 0:
                add("similar_situation", None,
                    at_d - timedelta(days=cfg.introduction_similar_days), at_d)
        age = st.last_day - tg.log.actor_first_met[y]
        if 0 <= age < cfg.introduction_newcomer_days:
            add("newcomer", None, day_to_date(int(tg.log.actor_first_met[y])), at_d,
                value=float(age))
        if not both and not common:
            a2 = _two_step(st.g_ptr, st.g_dst, np.ones(len(st.g_dst)), st.g_ptr, st.g_dst,
                           np.ones(len(st.g_dst)), np.ones(st.n), np.array([x]), st.n)
            a3 = _times_adjacency(a2, st)[0, y]
            if a3 > 0:
                add("close_in_network", None, value=float(a3), detail="paths of length 3")
    return _typed_reasons(pd.DataFrame(rows, columns=cols))


def _programme_names() -> tuple[str, ...]:
    from genera_graph.temporal._log import PROGRAMMES

    return PROGRAMMES


def _slice(ptr, i, keys, *cols) -> dict:
    lo, hi = ptr[i], ptr[i + 1]
    return {int(k): tuple(int(c[j]) for c in cols)
            for j, k in zip(range(lo, hi), keys[lo:hi].tolist(), strict=True)}


def _typed_reasons(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("date_from", "date_to"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
    for col in ("via_id", "detail"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


# ----------------------------------------------------------------------------- evaluation
def _new_peer_pairs(tg: TemporalGraph, level: str, start: int, end: int, n: int) -> set:
    """Pair keys with a direct peer tie (interaction or relation start) in ``[start, end)``."""
    log = tg.log
    src, tgt = (log.source_unit, log.target_unit) if level == "household" else (log.source,
                                                                                   log.target)
    m = ((log.kind != PARTICIPATION) & (log.nature == PEER) & (log.day >= start)
         & (log.day < end))
    u, v = src[m].astype(np.int64), tgt[m].astype(np.int64)
    keep = u != v
    a, b = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    return set((a * n + b).tolist())


def _average_ranks(x: np.ndarray) -> np.ndarray:
    s = np.sort(x)
    lo = np.searchsorted(s, x, "left")
    hi = np.searchsorted(s, x, "right")
    return (lo + hi + 1) / 2.0


def _row_metrics(score: np.ndarray, positive: np.ndarray, ks: Sequence[int]) -> dict:
    n_pos = int(positive.sum())
    n_neg = len(score) - n_pos
    out = {"n_candidates": len(score), "n_positives": n_pos}
    if n_pos and n_neg:
        r = _average_ranks(score)
        out["auc"] = (r[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    else:
        out["auc"] = np.nan
    order = np.sort(score)[::-1]
    for k in ks:
        if len(score) == 0:
            hits = 0.0
        elif len(score) <= k:
            hits = float(n_pos)
        else:
            kth = order[k - 1]
            above = score > kth
            tie = score == kth
            hits = positive[above].sum() + (k - above.sum()) * positive[tie].sum() / tie.sum()
        out[f"precision_at_{k}"] = hits / k
        out[f"recall_at_{k}"] = hits / n_pos if n_pos else np.nan
    return out


def evaluate_link_prediction(
    tg: TemporalGraph,
    *,
    cutoffs: Iterable[date | str] | None = None,
    horizon_days: int | None = None,
    level: str = "household",
    methods: Sequence[str] = ("method", *BASELINES),
    ks: Sequence[int] = (5, 10),
    config: AnalysisConfig | None = None,
) -> pd.DataFrame:
    """Temporal hold-out evaluation of the suggestions (Liben-Nowell & Kleinberg 2007).

    At each cut-off day ``t`` every candidate pair is scored from the data **before** ``t``
    (the window of ``introduction_window_days`` days ending on ``t - 1``), and the positives are
    the candidate pairs with a new direct peer tie (a peer contact or a peer relation starting)
    in ``[t, t + horizon_days)``. Every actor of the level's target kind with at least one
    positive is a target; its candidates are those :func:`link_scores` would list.

    Parameters
    ----------
    tg : TemporalGraph
    cutoffs : iterable of date-like, optional
        Default: every month end from ``introduction_window_days`` after the log's first day
        to ``horizon_days`` before its last day.
    horizon_days : int, optional
        Default ``config.introduction_horizon_days`` (90).
    level : {"household", "individual"}
    methods : sequence of str
        ``"method"`` (the combined ``score``) and any of :data:`BASELINES` or :data:`COMPONENTS`.
    ks : sequence of int
        The ``k`` of precision@k and recall@k.
    config : AnalysisConfig, optional

    Returns
    -------
    pandas.DataFrame
        One row per (``method``, ``cutoff``, ``actor_id``): ``n_candidates``, ``n_positives``,
        ``auc`` (Mann–Whitney, ties counted one half), ``precision_at_k`` and ``recall_at_k``
        for each ``k`` (ties at the k-th place broken by expectation, i.e. averaged over every
        random order of the tied candidates). See :func:`summarise_evaluation`.

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> evaluate_link_prediction(tg, cutoffs=["2016-06-10"], horizon_days=30).shape[1]
    10
    """
    cfg = config or tg.config
    h = cfg.introduction_horizon_days if horizon_days is None else int(horizon_days)
    if cutoffs is None:
        if tg.first_day is None:
            cutoffs = []
        else:
            lo = tg.first_day + timedelta(days=cfg.introduction_window_days)
            hi = tg.last_day - timedelta(days=h)
            cutoffs = month_ends(lo, hi) if lo <= hi else []
    unknown = set(methods) - {"method", *BASELINES, *COMPONENTS}
    if unknown:
        raise ValueError(f"unknown methods: {', '.join(sorted(unknown))}")
    weights = _weights(cfg)
    needed = set(weights) | {m for m in methods if m in COMPONENTS or m in BASELINES} - {
        "random"}
    target_kind = _TARGET_KIND[level]
    records = []
    for cut in cutoffs:
        t = day_number(cut)
        st = _make_state(tg, t - 1, level, cfg)  # one state a cut-off: not kept
        n = st.n
        future = _new_peer_pairs(tg, level, t, t + h, n)
        if not future:
            continue
        keys = np.fromiter(future, np.int64, len(future))
        a, b = keys // n, keys % n
        ends = np.unique(np.r_[a, b])
        targets = ends[(st.kind[ends] == target_kind) & st.alive[ends]]
        if len(targets) == 0:
            continue
        mask = _candidate_mask(st, targets, {})
        values = _indices(tg, st, targets, cfg, needed)
        values["method"] = _combine(values, mask, weights)
        values["random"] = np.zeros(mask.shape)
        pos = np.zeros(mask.shape, bool)
        where = np.full(n, -1, np.int64)
        where[targets] = np.arange(len(targets))
        for x, y in ((a, b), (b, a)):
            hit = where[x] >= 0
            pos[where[x[hit]], y[hit]] = True
        pos &= mask
        for i, tt in enumerate(targets.tolist()):
            cand = mask[i]
            if not pos[i].any():
                continue
            for m in methods:
                rec = _row_metrics(values[m][i, cand], pos[i, cand], ks)
                records.append({"method": m, "cutoff": pd.Timestamp(as_date(cut)),
                                "actor_id": st.ids[tt], **rec})
    cols = ["method", "cutoff", "actor_id", "n_candidates", "n_positives", "auc"] + [
        f"{kind}_at_{k}" for k in ks for kind in ("precision", "recall")]
    return pd.DataFrame(records, columns=cols)


def summarise_evaluation(per_target: pd.DataFrame) -> pd.DataFrame:
    """Mean of each metric over the (cut-off, target) rows, one row per method.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``method``: ``targets`` (rows averaged), ``cutoffs``, ``positives`` (new
        ties), the mean ``auc`` and every ``precision_at_k``/``recall_at_k``, and
        ``precision_at_k_x_random`` (the ratio to the ``random`` baseline, when evaluated).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> ev = evaluate_link_prediction(tg, cutoffs=["2016-06-10"], horizon_days=30)
    >>> list(summarise_evaluation(ev).columns[:3])
    ['targets', 'cutoffs', 'positives']
    """
    metrics = [c for c in per_target.columns if c == "auc" or "_at_" in c]
    g = per_target.groupby("method", sort=False)
    out = pd.DataFrame({"targets": g.size(), "cutoffs": g["cutoff"].nunique(),
                        "positives": g["n_positives"].sum()})
    out = out.join(g[metrics].mean())
    if "random" in out.index:
        for c in [c for c in metrics if c.startswith("precision_at_")]:
            base = out.loc["random", c]
            out[f"{c}_x_random"] = out[c] / base if base > 0 else np.nan
    return out


# ----------------------------------------------------------------------------- outcomes
_INTRO_COLUMNS = ("actor_id", "candidate_id", "status", "date")


def _check_introductions(introductions: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _INTRO_COLUMNS if c not in introductions]
    if missing:
        raise ValueError(f"introductions lack columns: {', '.join(missing)}")
    intro = introductions.copy()
    bad = set(intro["status"]) - {"proposed", "declined", "done"}
    if bad:
        raise ValueError(f"unknown introduction status: {', '.join(map(str, sorted(bad)))}")
    intro["date"] = pd.to_datetime(intro["date"])
    if intro["date"].isna().any():
        raise ValueError("every introduction needs a date")
    return intro


def introduction_outcomes(
    tg: TemporalGraph,
    introductions: pd.DataFrame,
    *,
    level: str = "household",
    horizon_days: int | None = None,
    as_of: date | str | None = None,
    config: AnalysisConfig | None = None,
) -> pd.DataFrame:
    """Did a peer tie between the two appear within the horizon after each introduction?

    Parameters
    ----------
    tg : TemporalGraph
    introductions : pandas.DataFrame
        One row per recorded introduction: ``actor_id`` (the family), ``candidate_id``,
        ``status`` (``"proposed"``, ``"declined"`` or ``"done"``) and ``date`` (of the status: the
        day it was proposed, declined or done); optional ``introduction_id``,
        ``facilitator_id``, ``community_point_id`` (default: the family's), ``reason`` (the
        suggestion's main reason code, or the coded reason of a decline, see
        :data:`DECLINE_REASONS`).
    level : {"household", "individual"}
    horizon_days : int, optional
        Default ``config.introduction_horizon_days`` (90).
    as_of : date-like, optional
        The day of the follow-up (default: the log's last day): an introduction done less than
        ``horizon_days`` before it and with no tie yet is ``pending``.

    Returns
    -------
    pandas.DataFrame
        The introductions with ``outcome`` (one of :data:`OUTCOMES`), ``tie_on`` (the first day
        after the introduction's date with a peer tie between the two, within the horizon),
        ``tie_kind`` (``"contact"`` a peer interaction, ``"relation"`` a peer relation starting,
        ``"shared_activity"`` both attending the same activity on that day), ``days_to_tie``,
        ``follow_up_until`` (date + horizon) and ``community_point_id``.

    Notes
    -----
    A tie counts when it happens strictly after the introduction's date and at most
    ``horizon_days`` later: the introduction itself, recorded as an event on its day, is not
    its own outcome. Only ``done`` introductions are followed.

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> intro = pd.DataFrame({"actor_id": ["H001"], "candidate_id": ["H002"],
    ...                       "status": ["done"], "date": pd.to_datetime(["2016-06-01"])})
    >>> introduction_outcomes(tg, intro)[["outcome", "tie_kind", "days_to_tie"]].values.tolist()
    [['converted', 'contact', 9]]
    """
    cfg = config or tg.config
    h = cfg.introduction_horizon_days if horizon_days is None else int(horizon_days)
    intro = _check_introductions(introductions).reset_index(drop=True)
    last = as_date(as_of) if as_of is not None else tg.last_day
    log = tg.log
    n = log.n_actors
    index = pd.Index(tg.actors["actor_id"].to_numpy(dtype=object))
    xs, ys = index.get_indexer(intro["actor_id"]), index.get_indexer(intro["candidate_id"])
    if (xs < 0).any() or (ys < 0).any():
        raise ValueError("introductions name unknown actors")
    if "community_point_id" not in intro:
        intro["community_point_id"] = tg.actors["community_point_id"].to_numpy(
            dtype=object)[xs]
    src, tgt = (log.source_unit, log.target_unit) if level == "household" else (log.source,
                                                                                   log.target)
    # first peer events per pair, by day: contacts and relation starts
    m = (log.kind != PARTICIPATION) & (log.nature == PEER)
    u, v = src[m].astype(np.int64), tgt[m].astype(np.int64)
    keys = np.minimum(u, v) * n + np.maximum(u, v)
    days = log.day[m]
    kinds = np.where(log.kind[m] == 0, "contact", "relation")
    by_pair: dict[int, list] = {}
    wanted = set((np.minimum(xs, ys).astype(np.int64) * n + np.maximum(xs, ys)).tolist())
    for k, d, kd in zip(keys.tolist(), days.tolist(), kinds.tolist(), strict=True):
        if k in wanted:
            by_pair.setdefault(k, []).append((d, kd))
    # attendances per unit: activity -> days
    pm = log.kind == PARTICIPATION
    punit, pact, pday = src[pm], log.target[pm], log.day[pm]
    involved = set(xs.tolist()) | set(ys.tolist())
    att: dict[int, dict[int, set]] = {}
    for x, a, d in zip(punit.tolist(), pact.tolist(), pday.tolist(), strict=True):
        if x in involved:
            att.setdefault(x, {}).setdefault(a, set()).add(d)
    outcome, tie_on, tie_kind = [], [], []
    last_day = day_number(last) if last is not None else None
    for x, y, status, when in zip(xs.tolist(), ys.tolist(), intro["status"], intro["date"],
                                  strict=True):
        if status != "done":
            outcome.append(status)
            tie_on.append(None)
            tie_kind.append(None)
            continue
        d0 = day_number(when.date())
        lo, hi = d0 + 1, d0 + h
        found = [(d, kd) for d, kd in by_pair.get(min(x, y) * n + max(x, y), [])
                 if lo <= d <= hi]
        ax, ay = att.get(x, {}), att.get(y, {})
        for a in set(ax) & set(ay):
            found += [(d, "shared_activity") for d in ax[a] & ay[a] if lo <= d <= hi]
        if found:
            d, kd = min(found)
            outcome.append("converted")
            tie_on.append(day_to_date(d))
            tie_kind.append(kd)
        else:
            outcome.append("pending" if last_day is None or hi > last_day else "not_converted")
            tie_on.append(None)
            tie_kind.append(None)
    intro["outcome"] = outcome
    intro["tie_on"] = pd.to_datetime(pd.Series(tie_on, dtype=object)).astype("datetime64[ns]")
    intro["tie_kind"] = pd.Series(tie_kind, dtype=object)
    intro["days_to_tie"] = (intro["tie_on"] - intro["date"]).dt.days.astype("Int64")
    intro["follow_up_until"] = intro["date"] + pd.Timedelta(days=h)
    return intro


def conversion_rates(
    outcomes: pd.DataFrame,
    *,
    by: str | Sequence[str] = "community_point_id",
    period: str = "quarter",
) -> pd.DataFrame:
    """Conversion of introductions into peer ties, by group and period.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        From :func:`introduction_outcomes`.
    by : str or sequence of str
        Grouping columns, e.g. ``"community_point_id"``, ``"facilitator_id"`` or ``"reason"``
        (rows where a grouping value is missing form their own group, shown as missing).
    period : {"quarter", "month", "year"}
        The periods the introductions' dates are grouped into (calendar periods).

    Returns
    -------
    pandas.DataFrame
        One row per group and ``period_start``: ``proposed``, ``declined``, ``done``,
        ``converted``, ``pending``, ``followed`` (done and no longer pending) and
        ``conversion_rate`` (converted / followed; missing when nothing was followed yet).

    Examples
    --------
    >>> o = pd.DataFrame({"community_point_id": ["CP1", "CP1", "CP1"],
    ...                   "date": pd.to_datetime(["2016-06-01", "2016-06-20", "2016-07-01"]),
    ...                   "outcome": ["converted", "not_converted", "declined"]})
    >>> conversion_rates(o)[["period_start", "done", "conversion_rate"]].values.tolist()
    [[Timestamp('2016-04-01 00:00:00'), 2, 0.5], [Timestamp('2016-07-01 00:00:00'), 0, nan]]
    """
    by = [by] if isinstance(by, str) else list(by)
    o = outcomes.copy()
    codes = {"month": "M", "quarter": "Q", "year": "Y"}
    if period not in codes:
        raise ValueError(f"period must be one of {', '.join(codes)}, got {period!r}")
    o["period_start"] = pd.to_datetime(o["date"]).dt.to_period(codes[period]).dt.start_time
    for col in by:
        o[col] = o[col].astype(object).where(o[col].notna(), None)
    flags = pd.DataFrame({
        "proposed": o["outcome"] == "proposed",
        "declined": o["outcome"] == "declined",
        "done": o["outcome"].isin(["converted", "not_converted", "pending"]),
        "converted": o["outcome"] == "converted",
        "pending": o["outcome"] == "pending",
    }).astype("int64")
    flags[by] = o[by]
    flags["period_start"] = o["period_start"]
    out = flags.groupby([*by, "period_start"], dropna=False, sort=True).sum().reset_index()
    out["followed"] = out["done"] - out["pending"]
    rate = out["converted"] / out["followed"].where(out["followed"] > 0)
    out["conversion_rate"] = rate.astype("float64")
    return out


# ----------------------------------------------------------------------------- monitoring rows
#: indicator key -> (unit, Italian label, English label) of :func:`introduction_indicators`
INDICATORS: dict[str, tuple[str, str, str]] = {
    "introductions_proposed": ("introductions", "Presentazioni tra pari proposte",
                               "Peer introductions proposed"),
    "introductions_declined": ("introductions", "Presentazioni rifiutate",
                               "Introductions declined"),
    "introductions_done": ("introductions", "Presentazioni fatte", "Introductions made"),
    "introductions_converted": ("introductions",
                                "Presentazioni seguite da un legame tra pari entro 90 giorni",
                                "Introductions followed by a peer tie within 90 days"),
    "introductions_pending": ("introductions", "Presentazioni ancora da seguire",
                              "Introductions still being followed"),
    "introductions_conversion_rate": ("share", "Quota di presentazioni riuscite",
                                      "Share of introductions that worked"),
}


def introduction_indicators(
    outcomes: pd.DataFrame,
    periods: Sequence[tuple[date, date]],
) -> pd.DataFrame:
    """The introductions section of the monitoring table (``genera report``).

    Parameters
    ----------
    outcomes : pandas.DataFrame
        From :func:`introduction_outcomes`.
    periods : sequence of (date, date)
        Half-open periods ``[start, end)``; an introduction belongs to the period of its date.

    Returns
    -------
    pandas.DataFrame
        Rows in the layout of :func:`genera_graph.analytics.report.monitoring_report`
        (``period_start``, ``period_end``, ``area`` = ``"introductions"``, ``indicator``,
        ``value``, ``unit``), the indicators of :data:`INDICATORS`; the conversion rate is
        converted / (done - pending), missing when no introduction of the period has been
        followed to its end.

    Examples
    --------
    >>> o = pd.DataFrame({"date": pd.to_datetime(["2016-06-01", "2016-07-01", "2016-08-01"]),
    ...                   "outcome": ["converted", "not_converted", "declined"]})
    >>> t = introduction_indicators(o, [(date(2016, 2, 1), date(2017, 2, 1))])
    >>> t.set_index("indicator")["value"].to_dict()["introductions_conversion_rate"]
    0.5
    """
    rows = []
    when = pd.to_datetime(outcomes["date"])
    for start, end in periods:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
        o = outcomes["outcome"][(when >= s) & (when < e)]
        done = int(o.isin(["converted", "not_converted", "pending"]).sum())
        pending = int((o == "pending").sum())
        converted = int((o == "converted").sum())
        values = {
            "introductions_proposed": int((o == "proposed").sum()),
            "introductions_declined": int((o == "declined").sum()),
            "introductions_done": done,
            "introductions_converted": converted,
            "introductions_pending": pending,
            "introductions_conversion_rate": (converted / (done - pending)
                                              if done > pending else np.nan),
        }
        for key, value in values.items():
            rows.append((s, e, "introductions", key, float(value), INDICATORS[key][0]))
    frame = pd.DataFrame(rows, columns=["period_start", "period_end", "area", "indicator",
                                        "value", "unit"])
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["value"] = frame["value"].astype("float64")
    return frame


#: the columns of the introductions table of a research export (see
#: :func:`research_table`), in order
RESEARCH_COLUMNS = ("introduction_id", "actor_id", "candidate_id", "community_point_id",
                    "facilitator_id", "status", "reason", "decline_reason", "date", "outcome",
                    "tie_kind", "tie_on", "days_to_tie")


def research_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The introductions and their outcomes as a research export takes them: coded columns only.

    Every column of :data:`RESEARCH_COLUMNS` (missing optional ones are empty); ``reason``
    must be a code of :data:`INTRODUCTION_REASONS` or :data:`DECLINE_REASONS` (free text is
    never exported: an unknown code is an error).

    Examples
    --------
    >>> o = pd.DataFrame({"actor_id": ["H1"], "candidate_id": ["H2"], "status": ["done"],
    ...                   "date": pd.to_datetime(["2016-06-01"]), "outcome": ["converted"],
    ...                   "reason": ["same_community_point"], "note": ["Rossi knows them"]})
    >>> list(research_table(o).columns) == list(RESEARCH_COLUMNS)
    True
    """
    out = pd.DataFrame(index=outcomes.index)
    for col in RESEARCH_COLUMNS:
        out[col] = outcomes.get(col)
    known = set(INTRODUCTION_REASONS) | set(DECLINE_REASONS)
    bad = sorted((set(out["reason"].dropna().astype(str))
                  | set(out["decline_reason"].dropna().astype(str))) - known)
    if bad:
        raise ValueError(f"{len(bad)} reason values are not codes (free text is never "
                         "exported): record a code of INTRODUCTION_REASONS or DECLINE_REASONS")
    for col in ("date", "tie_on"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    out["days_to_tie"] = pd.to_numeric(out["days_to_tie"]).astype("Float64")
    if out["introduction_id"].isna().all():
        out["introduction_id"] = [f"intro-{k}" for k in range(len(out))]
    return out.reset_index(drop=True)
