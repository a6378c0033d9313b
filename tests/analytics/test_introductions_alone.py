"""One family's suggested introductions at a time, as the explorer asks for them at region
scale: the day's state is made once and kept on the graph, and what a family gets from it is
what it gets on a graph that kept nothing, and what the one pass over every family gives it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from genera_graph.analytics import introductions as lib
from genera_graph.analytics.introductions import (
    introduction_reasons,
    link_scores,
    suggest_introductions,
)
from genera_graph.analytics.isolation import isolation_report
from genera_graph.temporal import TemporalGraph

DAYS = ("2017-09-30", "2018-06-30")


@pytest.fixture(scope="module")
def region():
    """Three districts (their ties to each other kept), a few hundred families each."""
    from genera_graph.sample.region import generate_region

    return generate_region(districts=3, households_per_district=120, seed=11).dataset


@pytest.fixture(scope="module")
def asked(region):
    """Per day: some flagged families of every district (the worklist's), and a viewer's
    scope that hides a third of the actors but none of those families."""
    tg = TemporalGraph.from_dataset(region)
    out = {}
    rng = np.random.default_rng(5)
    ids = tg.actors["actor_id"].to_numpy(dtype=object)
    for day in DAYS:
        rep = isolation_report(tg, day)
        flagged = rep.index[rep["status"].isin(["isolated", "at_risk"])]
        families = [f for d in ("D01", "D02", "D03")
                    for f in [x for x in flagged if x.startswith(d)][:2]]
        visible = set(rng.choice(ids, size=2 * len(ids) // 3, replace=False)) | set(families)
        out[day] = families, visible
    return out


def _declined(families: list[str], region, day: str) -> pd.DataFrame:
    """The first family declined a household of another district, on the day."""
    other = region.actors.loc[region.actors["kind"].eq("household")
                              & ~region.actors["actor_id"].str.startswith(families[0][:3]),
                              "actor_id"].iloc[0]
    return pd.DataFrame({"actor_id": [families[0]], "candidate_id": [other],
                         "status": ["declined"], "date": [pd.Timestamp(day)]})


def _alone(tg, day, family, visible, refused):
    table = suggest_introductions(tg, day, actors=[family], visible=visible,
                                  introductions=refused)
    return table, introduction_reasons(tg, day, table, visible=visible)


def test_a_family_alone_on_a_kept_state_equals_it_on_a_graph_that_kept_nothing(region, asked):
    """Families of three districts asked one after another, the two days interleaved (each
    family's call reads the state the previous ones kept), against each family on a new graph:
    every column equal, floats to the bit."""
    kept = TemporalGraph.from_dataset(region)
    compared = 0
    for k in range(len(asked[DAYS[0]][0])):
        for day in DAYS:
            families, visible = asked[day]
            if k >= len(families):
                continue
            family = families[k]
            refused = _declined(families, region, day)
            for vis in (None, visible):
                got = _alone(kept, day, family, vis, refused)
                fresh = _alone(TemporalGraph.from_dataset(region), day, family, vis, refused)
                pd.testing.assert_frame_equal(got[0], fresh[0], check_exact=True)
                pd.testing.assert_frame_equal(got[1], fresh[1], check_exact=True)
                compared += len(got[0]) > 0
    assert compared >= 8


def test_each_family_alone_equals_the_one_pass_over_every_family(region, asked):
    """The explorer's one pass (every family of the scope in one call, on a new graph)
    against each family alone on a graph kept from family to family: the same candidates,
    ranks and reasons; the scores equal (to rounding: the pass solves PageRank for every
    family at once)."""
    kept = TemporalGraph.from_dataset(region)
    for day in DAYS:
        families, visible = asked[day]
        refused = _declined(families, region, day)
        batch = suggest_introductions(TemporalGraph.from_dataset(region), day, actors=families,
                                      visible=visible, introductions=refused)
        scores = link_scores(TemporalGraph.from_dataset(region), day, actors=families,
                             visible=visible, introductions=refused)
        assert batch["actor_id"].nunique() == len(families)
        for family in families:
            one, _ = _alone(kept, day, family, visible, refused)
            mine = batch[batch["actor_id"] == family].reset_index(drop=True)
            pd.testing.assert_frame_equal(one, mine, check_exact=False, rtol=1e-9)
            pd.testing.assert_frame_equal(
                link_scores(kept, day, actors=[family], visible=visible,
                            introductions=refused),
                scores[scores["actor_id"] == family].reset_index(drop=True),
                check_exact=False, rtol=1e-9)
        # the declined pair is never suggested, on either path
        x, y = refused.iloc[0][["actor_id", "candidate_id"]]
        assert not ((batch["actor_id"] == x) & (batch["candidate_id"] == y)).any()


def test_the_days_state_is_made_once_and_the_last_few_days_kept(region, asked, monkeypatch):
    made = []
    real = lib._make_state

    def counted(tg, last_day, level, cfg):
        made.append((last_day, level))
        return real(tg, last_day, level, cfg)

    monkeypatch.setattr(lib, "_make_state", counted)
    tg = TemporalGraph.from_dataset(region)
    day = DAYS[1]
    families, visible = asked[day]
    for family in families:
        _alone(tg, day, family, visible, None)
    assert len(made) == 1  # every family of the day, and their reasons, read one state
    # another config is another state; a new graph starts with none
    link_scores(tg, day, actors=families[:1], config=tg.config.replace(
        introduction_half_life_days=30.0))
    _alone(TemporalGraph.from_dataset(region), day, families[0], None, None)
    assert len(made) == 3
    # the last _STATES_KEPT states are kept: the oldest is made again when asked after more
    days = pd.date_range("2018-01-31", periods=lib._STATES_KEPT, freq="ME")
    for d in days:
        link_scores(tg, d.date(), actors=families[:1])
    made.clear()
    link_scores(tg, days[-1].date(), actors=families[:1])
    assert made == []
    link_scores(tg, day, actors=families[:1])
    assert len(made) == 1


def test_pagerank_on_the_targets_components_equals_it_on_the_whole_graph(region, asked):
    """The power iteration on the targets' components only (a family of a region is not the
    region) gives the values of the one on the whole graph to the bit, and those of the
    exact solve to the tolerance; forced here on a graph the exact solve also takes."""
    from genera_graph.temporal import day_number

    tg = TemporalGraph.from_dataset(region)
    day = DAYS[1]
    st = lib._state(tg, day_number(day), "household", tg.config)
    walk = lib._memo(st, "pagerank_walk", lambda: lib._pagerank_walk(st))
    labels = lib._components(walk)
    assert len(np.unique(labels)) > 1  # several components: the restriction is exercised
    index = pd.Index(st.ids)
    families = index.get_indexer(asked[day][0])
    tied = families[st.degree[families] > 0]
    small = int(np.argmin(np.bincount(labels)))  # a component without any asked family
    loner = walk["active"][labels == small][0]
    for targets in [tied[:1], tied[-1:], tied, np.r_[tied[:2], loner]]:
        part = lib._pagerank(st, targets, tg.config, dense_limit=0)
        whole = lib._pagerank(st, targets, tg.config, dense_limit=0, components=False)
        exact = lib._pagerank(st, targets, tg.config, dense_limit=10**6)
        assert np.array_equal(part, whole)
        np.testing.assert_allclose(part, exact, atol=1e-8)
        # no mass outside the targets' components
        comp = np.full(st.n, -1)
        comp[walk["active"]] = labels
        for row, t in zip(part, targets, strict=True):
            assert row[comp != comp[t]].sum() == 0 and row.sum() == pytest.approx(1.0)
