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

from genera_graph.temporal import DateLike, TemporalGraph, View, day_number, month_windows
from genera_graph.temporal._dates import day_to_date

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
    A window graph costs :math:`O(E \\log E)` for ``E`` events.

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
    kind_names = np.asarray(tg.actors["kind"], dtype=object)
    last = tg.last_day
    record_end = day_number(max(config.programme_end, last) if last else config.programme_end)
    records = []
    for group in groups:
        filt = dict(options)
        if by is not None:
            filt[by] = group
        met_day = _met_day(tg, by, group)
        previous: np.ndarray | None = None
        for s, e in bounds:
            start, end = day_to_date(s), day_to_date(e)
            view = tg.window(start, end, vertices=vertices, **filt)
            active = _keys(view, n)
            before = _keys(tg.window(None, start, **filt), n)
            renewed = _keys(tg.window(start, day_to_date(s + horizon), **filt), n)
            row: dict[str, Any] = {"window_start": start, "window_end": end}
            if by is not None:
                row[_GROUP_COLUMN[by]] = group
            reached = met_day < e
            counts = pd.Series(kind_names[reached]).value_counts()
            for k in _KINDS:
                row[f"reached_{k}"] = int(counts.get(k, 0))
            row["reached"] = int(reached.sum())
            row["active_ties"] = len(active)
            row["new_ties"] = int((~np.isin(active, before, assume_unique=True)).sum())
            censored = s + horizon > record_end + 1  # the horizon passes the record's end
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
        from genera_graph.temporal._log import PROGRAMMES

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
    from genera_graph.temporal._log import PARTICIPATION, PROGRAMMES

    code = PROGRAMMES.index(group)
    sel = log.programme == code
    first = np.full(log.n_actors, never, np.int64)
    np.minimum.at(first, log.source[sel], log.day[sel])
    tie = sel & (log.kind != PARTICIPATION)
    np.minimum.at(first, log.target[tie], log.day[tie])
    return first


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
