"""Two-mode projection: participations in activities become co-participation ties.

An actor–activity participation log (the second mode of the graph) is projected onto a one-mode
graph of actors: two actors who took part in the same activity within a window are tied.

Examples
--------
>>> import pandas as pd
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> tg = TemporalGraph.from_dataset(toy_dataset())
>>> coparticipation(tg, "2016-06-01", "2016-07-01")[["source", "target", "weight", "nature"]]
  source target  weight nature
0   I001   I002     1.0   peer
1   I001   I003     1.0   peer
2   I002   I003     1.0   peer
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from genera_graph.temporal._dates import DateLike
from genera_graph.temporal._log import PEER, PROFESSIONAL

if TYPE_CHECKING:
    from genera_graph.temporal.graph import TemporalGraph

__all__ = ["coparticipation"]

Weighting = Literal["count", "newman"]


def coparticipation(
    tg: TemporalGraph,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    weighting: Weighting = "count",
    level: Literal["individual", "household"] = "individual",
    programme: str | list[str] | None = None,
    community_point: str | list[str] | None = None,
    roles: list[str] | None = None,
) -> pd.DataFrame:
    """Co-participation ties between actors (or households) within ``[start, end)``.

    Parameters
    ----------
    tg : TemporalGraph
        The event log.
    start, end : date-like, optional
        Half-open window on the participation dates; ``None`` leaves that side open.
    weighting : {"count", "newman"}
        ``"count"``: the number of activities the two share. ``"newman"``: Newman's collaboration
        weighting, each shared activity with ``p`` participants contributes ``1 / (p - 1)``.
    level : {"individual", "household"}
        ``"household"`` replaces each individual by the household it belonged to on the day of
        the participation; a household takes part in an activity once however many of its
        members attend, and ``p`` counts distinct households/actors.
    programme, community_point : str or list of str, optional
        Keep only activities of these programmes / Community Points.
    roles : list of str, optional
        Participation roles to keep (default: all, see Notes).

    Returns
    -------
    pandas.DataFrame
        One row per tied pair, ``source < target`` (actor ids, by position in the actors table):
        ``source``, ``target``, ``weight``, ``n_activities`` (activities shared), ``n_peer``,
        ``n_professional`` (weight by nature) and ``nature``.

    Notes
    -----
    An actor attending several sessions of one activity in the window counts once in it.
    A co-participation tie is **peer** unless one side is a professional actor: an actor of kind
    ``facilitator`` or ``community_point``, *or* an actor taking part with role ``facilitator``
    (then the tie is **professional**). Organisers (role ``organiser``) and hosting partners
    (role ``partner``) are participants like the others: a citizen who organises is a peer.
    Complexity: :math:`O(P \\log P + \\sum_a p_a^2)` for ``P`` participations and ``p_a``
    participants of activity ``a``.

    References
    ----------
    M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted networks,
    and centrality", Phys. Rev. E 64, 016132 (2001).

    Examples
    --------
    >>> from genera_graph.temporal import TemporalGraph
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> coparticipation(tg, weighting="newman")["weight"].tolist()
    [0.5, 0.5, 0.5]
    """
    from genera_graph.temporal.graph import _as_day_or_none, _code_set

    log = tg.log
    lo = _as_day_or_none(start)
    hi = _as_day_or_none(end)
    mask = log.kind == 2
    if lo is not None:
        mask &= log.day >= lo
    if hi is not None:
        mask &= log.day < hi
    progs = _code_set(programme, "programme", tg)
    if progs is not None:
        mask &= np.isin(log.programme, progs)
    cps = _code_set(community_point, "community_point", tg)
    if cps is not None:
        mask &= np.isin(log.cp, cps)
    if roles is not None:
        mask &= np.isin(log.role, _code_set(roles, "role", tg))
    units = (log.source_unit if level == "household" else log.source)[mask]
    u, v, w, nat = _project(units, log.target[mask], log.nature[mask], log.n_actors, weighting)
    from genera_graph.temporal.graph import _aggregate_edges

    agg = _aggregate_edges(u, v, w, nat, log.n_actors, directed=False, count=True)
    ids = log.actor_ids
    return pd.DataFrame(
        {
            "source": ids[agg["u"]].to_numpy(),
            "target": ids[agg["v"]].to_numpy(),
            "weight": agg["weight"],
            "n_activities": agg["count"],
            "n_peer": agg["n_peer"],
            "n_professional": agg["n_professional"],
            "nature": agg["nature"],
        }
    )


def _project(
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
