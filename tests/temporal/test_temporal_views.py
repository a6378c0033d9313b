"""View invariants of the temporal graph (Hypothesis properties) and view behaviour."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.model import Dataset
from genera_graph.temporal import TemporalGraph, as_date, day_number
from genera_graph.temporal.testing import toy_dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import DAY0, datasets  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pair_weights(edges: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {
        _pair(s, t): w for s, t, w in edges[["source", "target", "weight"]].itertuples(index=False)
    }


def _only(ds: Dataset, *keep: str) -> Dataset:
    empty = Dataset.empty()
    tables = ds.tables()
    for name in ("interactions", "relations", "participations"):
        if name not in keep:
            tables[name] = getattr(empty, name)
    return Dataset(**tables)


@given(datasets())
@settings(max_examples=25, deadline=None)
def test_strategies_are_schema_valid(ds):
    ds.validated()


@given(datasets(relations=False, participations=False), st.integers(5, 120))
@SETTINGS
def test_rolling_windows_partition_instantaneous_events(ds, width):
    """With step == width, every interaction is counted in exactly one window."""
    tg = TemporalGraph.from_dataset(ds)
    windows = tg.rolling(width, start=DAY0, end=DAY0 + timedelta(days=401))
    total: dict[tuple[str, str], float] = {}
    for view in windows:
        for pair, w in _pair_weights(view.edges).items():
            total[pair] = total.get(pair, 0.0) + w
    expected = (
        ds.interactions.assign(
            pair=[_pair(a, b) for a, b in zip(ds.interactions["source_actor_id"],
                                               ds.interactions["target_actor_id"], strict=True)]
        )
        .groupby("pair")
        .size()
        .to_dict()
    )
    assert total == {k: float(v) for k, v in expected.items()}


@given(datasets(), st.integers(10, 120), st.integers(0, 420))
@SETTINGS
def test_cumulative_is_union_of_windows(ds, width, t_offset):
    """cumulative(t) has exactly the ties of the windows partitioning time up to t.

    A co-participation needs both participants in one window, so with the projection the
    windows' ties are a subset of the cumulative ties.
    """
    tg = TemporalGraph.from_dataset(ds)
    t = DAY0 + timedelta(days=t_offset)
    for opts in ({}, {"include_coparticipation": True}, {"level": "household"}):
        cumulative = set(_pair_weights(tg.cumulative(t, **opts).edges))
        union: set[tuple[str, str]] = set()
        start = DAY0
        while start <= t:
            end = min(start + timedelta(days=width), t + timedelta(days=1))
            union |= set(_pair_weights(tg.window(start, end, **opts).edges))
            start = end
        if opts.get("include_coparticipation"):
            assert union <= cumulative
        else:
            assert cumulative == union, opts


@given(datasets(interactions=False, participations=False), st.integers(-5, 420))
@SETTINGS
def test_interval_tie_active_exactly_inside_its_interval(ds, t_offset):
    """at(t) holds a relation iff start <= t <= end, weighing the number of such relations."""
    tg = TemporalGraph.from_dataset(ds)
    t = DAY0 + timedelta(days=t_offset)
    open_end = max(tg.config.programme_end, tg.last_day or DAY0)
    expected: dict[tuple[str, str], float] = {}
    for r in ds.relations.itertuples(index=False):
        end = open_end if pd.isna(r.end_date) else as_date(r.end_date)
        if as_date(r.start_date) <= t <= end:
            pair = _pair(r.actor_id, r.partner_id)
            expected[pair] = expected.get(pair, 0.0) + 1.0
    assert _pair_weights(tg.at(t).edges) == expected


@given(datasets(relations=False, participations=False), st.integers(0, 420), st.integers(1, 120))
@SETTINGS
def test_at_keeps_instantaneous_ties_within_horizon(ds, t_offset, horizon):
    tg = TemporalGraph.from_dataset(ds)
    t = DAY0 + timedelta(days=t_offset)
    expected: dict[tuple[str, str], float] = {}
    for r in ds.interactions.itertuples(index=False):
        d = as_date(r.date)
        if d <= t < d + timedelta(days=horizon):
            pair = _pair(r.source_actor_id, r.target_actor_id)
            expected[pair] = expected.get(pair, 0.0) + 1.0
    assert _pair_weights(tg.at(t, horizon_days=horizon).edges) == expected


@given(datasets(relations=False, participations=False), st.integers(0, 420))
@SETTINGS
def test_decayed_weights_match_formula(ds, t_offset):
    tg = TemporalGraph.from_dataset(ds)
    t = DAY0 + timedelta(days=t_offset)
    expected: dict[tuple[str, str], float] = {}
    for r in ds.interactions.itertuples(index=False):
        age = (t - as_date(r.date)).days
        if 0 <= age < 60:
            pair = _pair(r.source_actor_id, r.target_actor_id)
            expected[pair] = expected.get(pair, 0.0) + 0.5 ** (age / 15)
    got = _pair_weights(tg.at(t, horizon_days=60, half_life_days=15).edges)
    assert got.keys() == expected.keys()
    for k, w in expected.items():
        assert got[k] == pytest.approx(w)


@given(datasets(participations=False))
@SETTINGS
def test_household_level_has_no_housed_individual_endpoint(ds):
    """At household level, an individual appears only on days it had no household."""
    tg = TemporalGraph.from_dataset(ds)
    view = tg.cumulative("2017-12-31", level="household")
    edges = view.edges
    members = ds.household_members
    housed_always = set(
        members.loc[
            (members["start_date"] <= pd.Timestamp(DAY0)) & members["end_date"].isna(),
            "individual_id",
        ]
    )
    endpoints = set(edges["source"]) | set(edges["target"])
    assert not (endpoints & housed_always)


@given(datasets(), st.integers(0, 420))
@SETTINGS
def test_filters_select_subsets(ds, t_offset):
    tg = TemporalGraph.from_dataset(ds)
    t = DAY0 + timedelta(days=t_offset)
    whole = _pair_weights(tg.cumulative(t).edges)
    by_nature: dict[tuple[str, str], float] = {}
    for nature in ("peer", "professional", "institutional"):
        for pair, w in _pair_weights(tg.cumulative(t, nature=nature).edges).items():
            by_nature[pair] = by_nature.get(pair, 0.0) + w
    assert by_nature == pytest.approx(whole)
    for programme in ("housing", "work"):
        part = _pair_weights(tg.cumulative(t, programme=programme).edges)
        assert all(pair in whole and w <= whole[pair] for pair, w in part.items())


def test_views_are_cached_by_parameters():
    tg = TemporalGraph.from_dataset(toy_dataset())
    a = tg.window("2016-06-01", date(2016, 7, 1), nature=["peer"])
    b = tg.window(pd.Timestamp("2016-06-01"), "2016-07-01", nature="peer")
    assert a is b
    assert a.igraph() is b.igraph()
    assert tg.window("2016-06-01", "2016-07-01") is not a


def test_graph_attributes_and_networkx_agree():
    tg = TemporalGraph.from_dataset(toy_dataset())
    view = tg.cumulative("2016-12-31", include_coparticipation=True, vertices="all")
    g = view.igraph()
    assert g.vcount() == tg.n_actors
    assert set(g.vs.attributes()) >= {"name", "kind", "community_point_id"}
    assert set(g.es.attributes()) >= {"weight", "nature", "n_peer", "n_professional",
                                      "n_institutional"}
    h = view.networkx()
    assert sorted(h.nodes) == sorted(g.vs["name"])
    ig_edges = {frozenset((g.vs[e.source]["name"], g.vs[e.target]["name"])): e["weight"]
                for e in g.es}
    nx_edges = {frozenset((a, b)): d["weight"] for a, b, d in h.edges(data=True)}
    assert ig_edges == nx_edges


def test_directed_view_keeps_direction():
    tg = TemporalGraph.from_dataset(toy_dataset())
    edges = tg.window("2016-06-01", "2016-07-01", directed=True).edges
    assert set(zip(edges["source"], edges["target"], strict=True)) == {
        ("F001", "H001"), ("H001", "H002"), ("H002", "H001")
    }
    assert tg.window("2016-06-01", "2016-07-01", directed=True).igraph().is_directed()


def test_nature_rule_prefers_the_more_formal_on_a_tie():
    ds = toy_dataset()
    inter = ds.interactions.copy()
    inter.loc[inter["interaction_id"] == "X3", "nature"] = "professional"
    tg = TemporalGraph.from_dataset(Dataset(**{**ds.tables(), "interactions": inter}))
    edges = tg.window("2016-06-01", "2016-07-01").edges.set_index(["source", "target"])
    row = edges.loc[("H001", "H002")]
    assert (row["n_peer"], row["n_professional"], row["nature"]) == (1.0, 1.0, "professional")


def test_vertices_option():
    tg = TemporalGraph.from_dataset(toy_dataset())
    active = tg.window("2016-06-01", "2016-06-08", vertices="active").vertices
    met = tg.window("2016-06-01", "2016-06-08", vertices="met").vertices
    every = tg.window("2016-06-01", "2016-06-08", vertices="all").vertices
    assert set(active["actor_id"]) == {"F001", "H001"}
    assert "O001" not in set(met["actor_id"])  # first met on 10 June
    assert set(every["actor_id"]) == set(tg.actors["actor_id"])


def test_unknown_actor_is_a_clear_error():
    ds = toy_dataset()
    inter = ds.interactions.copy()
    inter.loc[0, "target_actor_id"] = "NOPE"
    with pytest.raises(ValueError, match="NOPE"):
        TemporalGraph.from_dataset(Dataset(**{**ds.tables(), "interactions": inter}))


def test_bad_filter_values_raise():
    tg = TemporalGraph.from_dataset(toy_dataset())
    with pytest.raises(ValueError, match="programme"):
        tg.window(None, "2017-01-01", programme="gardening")
    with pytest.raises(TypeError):
        tg.at("2016-06-01", colour="red")


@pytest.mark.parametrize(
    "value", [date(2016, 5, 18), "2016-05-18", pd.Timestamp("2016-05-18"),
              np.datetime64("2016-05-18")]
)
def test_dates_at_the_boundary(value):
    assert as_date(value) == date(2016, 5, 18)
    assert day_number(value) == (date(2016, 5, 18) - date(1970, 1, 1)).days


def test_timezone_aware_dates_are_refused():
    with pytest.raises(TypeError):
        as_date(pd.Timestamp("2016-05-18", tz="Europe/Rome"))


def test_empty_dataset():
    tg = TemporalGraph.from_dataset(Dataset.empty())
    assert tg.cumulative("2017-01-01").edges.empty
    assert tg.cumulative("2017-01-01").igraph().vcount() == 0
