"""Growth table: counts against naive pandas, structure against networkx (the oracle)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.analytics.growth import GROWTH_COLUMNS, growth
from genera_graph.model import AnalysisConfig
from genera_graph.temporal import TemporalGraph
from genera_graph.temporal.testing import toy_dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import DAY0, datasets  # noqa: E402

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pairs(frame: pd.DataFrame, lo, hi) -> set[tuple[str, str]]:
    sel = frame[(frame["date"] >= pd.Timestamp(lo)) & (frame["date"] < pd.Timestamp(hi))]
    return {tuple(sorted(p)) for p in zip(sel["source_actor_id"], sel["target_actor_id"],
                                          strict=True)}


@given(datasets(relations=False, participations=False, max_events=60),
       st.integers(15, 60), st.integers(10, 120), st.integers(30, 800))
@SETTINGS
def test_tie_counts_match_naive_pandas(ds, width, horizon, record_days):
    """Counts as plain set arithmetic on the rows; the record ends ``record_days`` after DAY0
    (or at the last event), and a lost-tie count whose horizon passes that end is missing."""
    config = AnalysisConfig().replace(programme_end=DAY0 + timedelta(days=record_days))
    tg = TemporalGraph.from_dataset(ds, config)
    windows = [(DAY0 + timedelta(days=a), DAY0 + timedelta(days=a + width))
               for a in range(0, 400, width)]
    table = growth(tg, windows, horizon_days=horizon)
    inter = ds.interactions
    previous = None
    for row, (s, e) in zip(table.itertuples(index=False), windows, strict=True):
        active = _pairs(inter, s, e)
        before = _pairs(inter, DAY0 - timedelta(days=1), s)
        renewed = _pairs(inter, s, s + timedelta(days=horizon))
        assert row.active_ties == len(active)
        assert row.new_ties == len(active - before)
        record_end = max(tg.last_day or tg.config.programme_end, tg.config.programme_end)
        if previous is None or s + timedelta(days=horizon) > record_end + timedelta(days=1):
            assert pd.isna(row.lost_ties)  # no previous window, or not yet known
        else:
            assert row.lost_ties == len(previous - renewed)
        previous = active
        met = ds.actors[ds.actors["first_met"] < pd.Timestamp(e)]
        assert row.reached == len(met)
        assert row.reached_individual == (met["kind"] == "individual").sum()


@given(datasets(max_events=40), st.sampled_from(["active", "met", "all"]))
@SETTINGS
def test_structure_matches_networkx(ds, vertices):
    """Density, components, giant share and mean clustering as networkx computes them."""
    tg = TemporalGraph.from_dataset(ds)
    windows = [(DAY0, DAY0 + timedelta(days=120)), (DAY0 + timedelta(days=120),
                                                    DAY0 + timedelta(days=400))]
    table = growth(tg, windows, vertices=vertices, include_coparticipation=True)
    for row, (s, e) in zip(table.itertuples(index=False), windows, strict=True):
        g = tg.window(s, e, vertices=vertices, include_coparticipation=True).networkx()
        assert row.vertices == g.number_of_nodes()
        if g.number_of_nodes() == 0:
            assert row.components == 0 and np.isnan(row.density)
            continue
        comps = list(nx.connected_components(g))
        assert row.components == len(comps)
        assert row.giant_share == pytest.approx(max(map(len, comps)) / g.number_of_nodes())
        if g.number_of_nodes() > 1:
            assert row.density == pytest.approx(nx.density(g))
        assert row.mean_clustering == pytest.approx(nx.average_clustering(g))


def test_peer_share_by_hand():
    """Toy data, household level. June: H001-H002 (peer contacts and a shared lab) and
    F001-H001 (professional): 1/2. July: only the H002-O001 lease (institutional): 0.
    September: I001 (H001) meets O001 (peer) while the lease still holds: 1/2."""
    tg = TemporalGraph.from_dataset(toy_dataset())
    table = growth(tg, [("2016-06-01", "2016-07-01"), ("2016-07-01", "2016-08-01"),
                        ("2016-09-01", "2016-10-01")])
    assert table["peer_share"].tolist()[:2] == [0.5, 0.0]
    assert table["peer_share"].iloc[2] == 0.5


def test_columns_and_default_windows():
    tg = TemporalGraph.from_dataset(toy_dataset())
    table = growth(tg)
    assert list(table.columns) == ["window_start", "window_end", *GROWTH_COLUMNS]
    assert len(table) == 36
    assert table["window_start"].dtype.kind == "M"


def test_split_by_community_point_counts_own_actors():
    tg = TemporalGraph.from_dataset(toy_dataset())
    table = growth(tg, [("2016-06-01", "2016-07-01")], by="community_point")
    assert table["community_point_id"].tolist() == ["CP1"]
    assert table["reached"].tolist() == [8]  # every toy actor belongs to CP1


def test_bad_windows_raise():
    tg = TemporalGraph.from_dataset(toy_dataset())
    with pytest.raises(ValueError):
        growth(tg, [("2016-07-01", "2016-06-01")])
    with pytest.raises(ValueError):
        growth(tg, by="municipality")


@given(
    datasets(max_events=50),
    st.sampled_from(["individual", "household"]),
    st.sampled_from(["active", "met", "all"]),
    st.sampled_from([None, "programme", "community_point"]),
    st.integers(10, 120),
)
@SETTINGS
def test_columnar_path_equals_the_window_views(ds, level, vertices, by, horizon):
    """Without co-participation the table comes from the log's columns in one pass; it must
    equal, column for column, the table made from one ``tg.window`` view per window (the path
    kept for co-participation, itself checked against networkx and naive pandas above)."""
    import genera_graph.analytics.growth as growth_module

    windows = [(DAY0 + timedelta(days=a), DAY0 + timedelta(days=a + 45))
               for a in range(0, 400, 45)]
    kwargs = {"level": level, "vertices": vertices, "by": by, "horizon_days": horizon}
    columnar = growth(TemporalGraph.from_dataset(ds), windows, **kwargs)
    chosen = growth_module._columnar_ok
    growth_module._columnar_ok = lambda *args: False
    try:
        by_views = growth(TemporalGraph.from_dataset(ds), windows, **kwargs)
    finally:
        growth_module._columnar_ok = chosen
    pd.testing.assert_frame_equal(columnar, by_views, check_exact=True)


def _by_views(ds, **kwargs) -> pd.DataFrame:
    import genera_graph.analytics.growth as growth_module

    chosen = growth_module._columnar_ok
    growth_module._columnar_ok = lambda *args: False
    try:
        return growth(TemporalGraph.from_dataset(ds), **kwargs)
    finally:
        growth_module._columnar_ok = chosen


@pytest.mark.parametrize("level", ["individual", "household"])
def test_columnar_path_equals_the_window_views_on_the_sample_district(level):
    """The 36 months of the sample district, to the last bit: the view path (one igraph graph
    per window) is the oracle of the columnar one (no graph built)."""
    from genera_graph.sample import generate_district

    ds = generate_district(2016).dataset
    columnar = growth(TemporalGraph.from_dataset(ds), level=level)
    assert columnar["mean_clustering"].gt(0).any() and columnar["lost_ties"].gt(0).any()
    pd.testing.assert_frame_equal(columnar, _by_views(ds, level=level), check_exact=True)


@st.composite
def _simple_graphs(draw):
    """Distinct pairs without loops on ``n`` actors (some with a hub), and the vertices: the
    ends of the pairs, or every actor (isolated vertices too)."""
    n = draw(st.integers(1, 40))
    hub = draw(st.booleans())
    ends = st.integers(0, n - 1)
    pairs = draw(st.lists(st.tuples(st.integers(0, 2) if hub else ends, ends), max_size=160))
    keys = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b and max(a, b) < n})
    u = np.asarray([k[0] for k in keys], np.int64)
    v = np.asarray([k[1] for k in keys], np.int64)
    everyone = draw(st.booleans())
    vidx = np.arange(n) if everyone else np.unique(np.r_[u, v]).astype(np.int64)
    return vidx, u, v, n


@given(_simple_graphs())
@settings(max_examples=200, deadline=None)
def test_window_structure_without_a_graph_is_igraphs_to_the_bit(graph):
    """Components (scipy), density and mean clustering (triangles counted as arrays) equal
    igraph's numbers on the same graph exactly, as the window views compute them."""
    import igraph as ig

    from genera_graph.analytics.growth import _structure_of

    vidx, u, v, n = graph
    got = _structure_of(vidx, u, v, n)
    nv = len(vidx)
    if nv == 0:
        assert got["vertices"] == 0 and got["components"] == 0
        return
    pos = np.full(n, -1, np.int64)
    pos[vidx] = np.arange(nv)
    g = ig.Graph(n=nv, edges=list(zip(pos[u].tolist(), pos[v].tolist(), strict=True)))
    components = g.connected_components()
    expected = {"vertices": nv, "density": g.density(loops=False) if nv > 1 else np.nan,
                "components": len(components), "giant_share": max(components.sizes()) / nv,
                "mean_clustering": g.transitivity_avglocal_undirected(mode="zero")}
    for key, value in expected.items():
        assert got[key] == value or (np.isnan(got[key]) and np.isnan(value)), key


def test_renewal_keys_in_any_order():
    """``_renewed`` takes the active keys in window order as views (the fast path) and in
    any other order through a sort: both give each key its own answer."""
    import numpy as np

    from genera_graph.analytics.growth import _renewed

    starts = np.array([0, 10, 20])
    day = last = np.array([3, 12, 21])  # one-day events of pairs 1, 0, 1
    pid = np.array([1, 0, 1])
    by_pair = np.argsort(pid, kind="stable")
    a_win, a_pair = np.array([0, 0, 1, 1, 2]), np.array([0, 1, 0, 1, 1])
    args = (starts, 5, day, last, pid, by_pair, pid[by_pair], day[by_pair], 2)
    expected = [True, False, False, True, False]  # renewed in [10, 15) / [20, 25)
    assert _renewed(a_win, a_pair, *args).tolist() == expected
    shuffle = np.array([3, 0, 4, 2, 1])
    assert _renewed(a_win[shuffle], a_pair[shuffle], *args).tolist() == \
        [expected[i] for i in shuffle]
