"""Per-district analytics of a region, in one process or on a Dask cluster.

A region runs many districts; each district owns its Community Points (a districts table:
``district_id``, ``community_point_id``). :func:`district_dataset` cuts the region's dataset to
one district: the actors of its points, every event that touches them, and the actors at the
other end of those events (so a cross-district tie is kept in both districts, never dropped).
:func:`district_analytics` runs the district bundle on it (isolation report, bridging table,
the 36-month growth table); :func:`run_districts` runs it for every district, either in this
process or through a ``dask.distributed.Client`` (each task reads its district's rows from the
shared store itself, :func:`~genera_graph.io.district_read.read_district`: an SQLite file every
worker can open, or a PostgreSQL URL), and :func:`region_summary` adds the region aggregates.
The two paths give identical tables, and the same tables as cutting the whole store with
:func:`district_dataset` (tested on a ``LocalCluster``).

What is not partitioned: a district's graph holds its cross-district ties but not the rest of
the other district, so brokerage *between* districts (betweenness over the whole region) is a
region-level computation (:func:`~genera_graph.analytics.bridging_table` with
``betweenness_epsilon`` on the region's graph), not the sum of the districts' (see
``docs/scale-plan.md``).

Examples
--------
>>> from genera_graph.sample.region import generate_region
>>> region = generate_region(districts=2, households_per_district=150, seed=3)
>>> part = district_dataset(region.dataset, region.districts, "D02")
>>> sorted(set(part.actors["community_point_id"].dropna().str[:3]))
['D02']
>>> bool(part.actors["actor_id"].str.startswith("RB").any())  # region bridges kept
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from genera_graph.model import Dataset

__all__ = [
    "district_analytics",
    "district_dataset",
    "region_summary",
    "run_districts",
    "run_windows",
    "window_bundle",
]

_CACHE: dict[str, tuple[str, Dataset]] = {}
_GRAPHS: dict[str, tuple[str, Any]] = {}


def district_dataset(ds: Dataset, districts: pd.DataFrame, district_id: str) -> Dataset:
    """The district's part of a region's dataset.

    Parameters
    ----------
    ds : Dataset
        The region.
    districts : pandas.DataFrame
        ``district_id``, ``community_point_id``: the points each district owns.
    district_id : str

    Returns
    -------
    Dataset
        Actors whose ``community_point_id`` is a point of the district, the events (contacts,
        relations, attendances) that involve one of them, the actors at the other end of those
        events and the activities attended; household memberships of the kept individuals.

    Raises
    ------
    KeyError
        For a district that the table does not list.
    """
    points = set(districts.loc[districts["district_id"] == district_id, "community_point_id"])
    if not points:
        raise KeyError(f"unknown district {district_id!r}")
    actors = ds.actors
    actor_ids = actors["actor_id"].astype(str)
    own = set(actor_ids[actors["community_point_id"].astype(object).isin(points)])
    inter = ds.interactions
    i_src, i_tgt = inter["source_actor_id"].astype(str), inter["target_actor_id"].astype(str)
    i_keep = i_src.isin(own) | i_tgt.isin(own)
    rel = ds.relations
    r_src, r_tgt = rel["actor_id"].astype(str), rel["partner_id"].astype(str)
    r_keep = r_src.isin(own) | r_tgt.isin(own)
    part = ds.participations
    p_actor = part["actor_id"].astype(str)
    p_keep = p_actor.isin(own)
    acts = set(part.loc[p_keep, "activity_id"].astype(str))
    kept = (own | set(i_src[i_keep]) | set(i_tgt[i_keep]) | set(r_src[r_keep])
            | set(r_tgt[r_keep]))
    members = ds.household_members
    m_keep = members["individual_id"].astype(str).isin(kept)
    kept |= set(members.loc[m_keep, "household_id"].astype(str))
    facilitators = actors["facilitator_id"].astype(object)
    kept |= set(facilitators[actor_ids.isin(kept) & facilitators.notna()].astype(str))

    def cut(frame: pd.DataFrame, mask) -> pd.DataFrame:
        out = frame[mask.to_numpy()].reset_index(drop=True)
        for col in out.columns:  # categories of the whole region are not the district's
            if isinstance(out[col].dtype, pd.CategoricalDtype):
                out[col] = out[col].astype(object).where(out[col].notna(), None)
        return out

    return Dataset(
        actors=cut(actors, actor_ids.isin(kept)),
        household_members=cut(members, m_keep),
        activities=cut(ds.activities, ds.activities["activity_id"].astype(str).isin(acts)),
        participations=cut(part, p_keep),
        interactions=cut(inter, i_keep),
        relations=cut(rel, r_keep),
    )


def district_analytics(
    ds: Dataset,
    districts: pd.DataFrame,
    district_id: str,
    at: str,
    *,
    betweenness_epsilon: float | None = None,
    growth_windows: Sequence[tuple[Any, Any]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The district bundle on its own graph: isolation report, bridging table, growth.

    Parameters
    ----------
    ds : Dataset
        The region (cut with :func:`district_dataset`).
    districts : pandas.DataFrame
        The districts table.
    district_id : str
    at : date-like
        The day of the isolation report and of the bridging table's ``at`` view.
    betweenness_epsilon : float, optional
        KADABRA's bound for the bridging table (default: exact betweenness, cheap on one
        district).
    growth_windows : sequence of (start, end), optional
        Default: the programme's 36 months.

    Returns
    -------
    dict
        ``"isolation"`` (the district's households only), ``"bridging"`` (the district's own
        actors), ``"growth"``; each with a ``district_id`` column.
    """
    points = set(districts.loc[districts["district_id"] == district_id, "community_point_id"])
    return _bundle(district_dataset(ds, districts, district_id), points, district_id, at,
                   betweenness_epsilon=betweenness_epsilon, growth_windows=growth_windows)


def _bundle(part: Dataset, points: set[str], district_id: str, at: str, *,
            betweenness_epsilon: float | None = None,
            growth_windows: Sequence[tuple[Any, Any]] | None = None,
            ) -> dict[str, pd.DataFrame]:
    """:func:`district_analytics` on the district's part (cut or read already)."""
    from genera_graph.analytics.bridging import bridging_table
    from genera_graph.analytics.growth import growth
    from genera_graph.analytics.isolation import isolation_report
    from genera_graph.analytics.tables import graph_for
    from genera_graph.temporal import TemporalGraph

    tg = TemporalGraph.from_dataset(part)
    iso = isolation_report(tg, at)
    iso = iso[iso["community_point_id"].isin(points)]
    graph = graph_for(tg, at, "at").igraph()
    bridging = bridging_table(graph, betweenness_epsilon=betweenness_epsilon, seed=1)
    own = tg.actors.set_index("actor_id")["community_point_id"].isin(points)
    bridging = bridging[own.reindex(bridging.index).fillna(False).to_numpy()]
    grow = growth(tg, growth_windows)
    out = {"isolation": iso, "bridging": bridging, "growth": grow}
    for frame in out.values():
        frame.insert(0, "district_id", district_id)
    return out


def _store_dataset(store: str) -> Dataset:
    """The store's dataset, read once per process while the store does not change."""
    from genera_graph.io.store import Store

    with Store(store) as opened:
        token = opened.fingerprint()
        cached = _CACHE.get(store)
        if cached is None or cached[0] != token:
            _CACHE[store] = (token, opened.load())
    return _CACHE[store][1]


def _district_task(store: str, districts: pd.DataFrame, district_id: str, at: str,
                   kwargs: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """One district's bundle from its rows only (:func:`~genera_graph.io.district_read.
    read_district`): the task never reads the rest of the store."""
    from genera_graph.io.district_read import read_district
    from genera_graph.io.store import Store

    points = set(districts.loc[districts["district_id"] == district_id, "community_point_id"])
    if not points:
        raise KeyError(f"unknown district {district_id!r}")
    with Store(store) as opened:
        part = read_district(opened, points=sorted(points))
    return _bundle(part, points, district_id, at, **kwargs)


def run_districts(
    store: str,
    districts: pd.DataFrame | None,
    at: str,
    *,
    client: Any = None,
    district_ids: Sequence[str] | None = None,
    **kwargs: Any,
) -> dict[str, dict[str, pd.DataFrame]]:
    """:func:`district_analytics` for every district, in this process or on a Dask cluster.

    Parameters
    ----------
    store : str
        The shared store: an SQLite path every worker can open, or a PostgreSQL URL.
    districts : pandas.DataFrame or None
        The districts table; ``None``: the store's own (:func:`genera_graph.io.districts.
        read_districts`, set with ``genera districts set``).
    at : date-like
    client : dask.distributed.Client, optional
        Run one task per district on its workers (``client.map``); ``None``: in this process.
        Each task reads only its district's rows (:func:`~genera_graph.io.district_read.
        read_district`: its points' actors, every event touching them and the actors at the
        other end), never the whole store.
    district_ids : sequence of str, optional
        Default: every district of the table.
    **kwargs
        Passed to :func:`district_analytics`.

    Returns
    -------
    dict
        district id -> its bundle, in the order of ``district_ids``.
    """
    if districts is None:
        from genera_graph.io.districts import read_districts
        from genera_graph.io.store import Store

        with Store(store) as opened:
            districts = read_districts(opened).dropna(subset=["community_point_id"])
        if districts.empty:
            raise ValueError("the store has no districts: genera districts set districts.csv")
    ids = list(district_ids if district_ids is not None
               else pd.unique(districts["district_id"]))
    if client is None:
        return {d: _district_task(store, districts, d, at, kwargs) for d in ids}
    futures = client.map(_district_task, [store] * len(ids), [districts] * len(ids), ids,
                         [at] * len(ids), [kwargs] * len(ids), pure=False)
    return dict(zip(ids, client.gather(futures), strict=True))


def region_summary(results: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """Region aggregates: one row per district (households judged, isolated, at risk; actors
    in the bridging table; the last window's reach and peer share)."""
    rows = []
    for district, bundle in results.items():
        iso, grow = bundle["isolation"], bundle["growth"]
        rows.append({
            "district_id": district,
            "households": len(iso),
            "isolated": int((iso["status"] == "isolated").sum()),
            "at_risk": int((iso["status"] == "at_risk").sum()),
            "actors": len(bundle["bridging"]),
            "reached": int(grow["reached"].iloc[-1]) if len(grow) else 0,
            "peer_share": float(grow["peer_share"].iloc[-1]) if len(grow) else float("nan"),
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------- per window
def window_bundle(tg: Any, windows: Sequence[tuple[Any, Any]], k: int) -> pd.DataFrame:
    """The bundle of window ``k`` of ``windows``: its growth row and its isolation counts.

    Parameters
    ----------
    tg : TemporalGraph
        The region (or a district).
    windows : sequence of (start, end)
        Half-open windows in time order (the programme's 36 months by default in
        :func:`run_windows`).
    k : int
        The window.

    Returns
    -------
    pandas.DataFrame
        One row: the columns of :func:`~genera_graph.analytics.growth.growth` for window ``k``
        (computed with window ``k - 1`` beside it, so ``lost_ties`` is the full table's), then
        ``households``, ``isolated``, ``at_risk`` and ``new``: the isolation report on the
        window's last day.

    Examples
    --------
    >>> from genera_graph.analytics.growth import growth
    >>> from genera_graph.temporal import TemporalGraph, month_windows
    >>> from genera_graph.temporal.testing import toy_dataset
    >>> tg = TemporalGraph.from_dataset(toy_dataset())
    >>> months = month_windows("2016-05-01", "2016-08-31")
    >>> row = window_bundle(tg, months, 2)
    >>> row.drop(columns=["households", "isolated", "at_risk", "new"]).equals(
    ...     growth(tg, months).iloc[[2]].reset_index(drop=True))
    True
    """
    from datetime import timedelta

    from genera_graph.analytics.growth import growth
    from genera_graph.analytics.isolation import isolation_report
    from genera_graph.temporal import as_date

    pair = list(windows[max(k - 1, 0):k + 1])
    row = growth(tg, pair).iloc[[-1]].reset_index(drop=True)
    last_day = as_date(pair[-1][1]) - timedelta(days=1)
    status = isolation_report(tg, last_day)["status"].astype(object)
    row["households"] = len(status)
    for name in ("isolated", "at_risk", "new"):
        row[name] = int((status == name).sum())
    return row


def _store_graph(store: str) -> Any:
    """The store's temporal graph, built once per process while the store does not change."""
    from genera_graph.temporal import TemporalGraph

    ds = _store_dataset(store)
    token = _CACHE[store][0]
    cached = _GRAPHS.get(store)
    if cached is None or cached[0] != token:
        _GRAPHS[store] = (token, TemporalGraph.from_dataset(ds))
    return _GRAPHS[store][1]


def _window_task(store: str, windows: list[tuple[Any, Any]], k: int) -> pd.DataFrame:
    return window_bundle(_store_graph(store), windows, k)


def run_windows(store: str, windows: Sequence[tuple[Any, Any]] | None = None, *,
                client: Any = None) -> pd.DataFrame:
    """:func:`window_bundle` for every window, in this process or one task per window on a
    Dask cluster (each worker reads the shared store and builds its graph once).

    Parameters
    ----------
    store : str
        An SQLite path every worker can open, or a PostgreSQL URL.
    windows : sequence of (start, end), optional
        Default: the programme's months (:func:`~genera_graph.temporal.month_windows`).
    client : dask.distributed.Client, optional

    Returns
    -------
    pandas.DataFrame
        One row per window, in order; its growth columns equal
        :func:`~genera_graph.analytics.growth.growth` over the same windows.
    """
    from genera_graph.model import DEFAULT_CONFIG
    from genera_graph.temporal import month_windows

    if windows is None:
        windows = month_windows(DEFAULT_CONFIG.programme_start, DEFAULT_CONFIG.programme_end)
    windows = list(windows)
    ks = list(range(len(windows)))
    if client is None:
        rows = [_window_task(store, windows, k) for k in ks]
    else:
        futures = client.map(_window_task, [store] * len(ks), [windows] * len(ks), ks,
                             pure=False)
        rows = client.gather(futures)
    return pd.concat(rows, ignore_index=True)
