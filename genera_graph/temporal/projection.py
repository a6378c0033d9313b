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
from genera_graph.temporal._edges import (
    aggregate_edges,
    as_day_or_none,
    code_set,
    project_participations,
)
from genera_graph.temporal._log import PARTICIPATION

if TYPE_CHECKING:
    from genera_graph.temporal.view import GraphSource

__all__ = ["coparticipation"]

Weighting = Literal["count", "newman"]


def coparticipation(
    tg: GraphSource,
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
    log = tg.log
    lo = as_day_or_none(start)
    hi = as_day_or_none(end)
    mask = log.kind == PARTICIPATION
    if lo is not None:
        mask &= log.day >= lo
    if hi is not None:
        mask &= log.day < hi
    progs = code_set(programme, "programme", log)
    if progs is not None:
        mask &= np.isin(log.programme, progs)
    cps = code_set(community_point, "community_point", log)
    if cps is not None:
        mask &= np.isin(log.cp, cps)
    if roles is not None:
        mask &= np.isin(log.role, code_set(roles, "role", log))
    units = (log.source_unit if level == "household" else log.source)[mask]
    u, v, w, nat = project_participations(
        units, log.target[mask], log.nature[mask], log.n_actors, weighting
    )
    agg = aggregate_edges(u, v, w, nat, log.n_actors, directed=False, count=True)
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
