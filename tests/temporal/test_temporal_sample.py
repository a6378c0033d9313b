"""The temporal graph on the sample district (smoke and consistency with the raw tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from genera_graph.temporal import TemporalGraph

sample = pytest.importorskip("genera_graph.sample")


@pytest.fixture(scope="module")
def district():
    ds = sample.generate_district(2016).dataset
    return ds, TemporalGraph.from_dataset(ds)


def test_every_event_is_in_the_log(district):
    ds, tg = district
    assert tg.n_events == len(ds.interactions) + len(ds.relations) + len(ds.participations)
    assert tg.n_actors == len(ds.actors)


def test_cumulative_pairs_match_the_tables(district):
    """Distinct pairs up to a day, from the raw tables with pandas."""
    ds, tg = district
    t = pd.Timestamp("2017-06-30")
    inter = ds.interactions[ds.interactions["date"] <= t]
    rel = ds.relations[ds.relations["start_date"] <= t]
    pairs = {tuple(sorted(p)) for p in zip(inter["source_actor_id"], inter["target_actor_id"],
                                           strict=True)}
    pairs |= {tuple(sorted(p)) for p in zip(rel["actor_id"], rel["partner_id"], strict=True)}
    edges = tg.cumulative(t).edges
    got = {tuple(sorted(p)) for p in zip(edges["source"], edges["target"], strict=True)}
    assert got == pairs
    assert edges["weight"].sum() == len(inter) + len(rel)


def test_household_view_has_households(district):
    _, tg = district
    view = tg.cumulative("2018-12-31", level="household", include_coparticipation=True)
    kinds = view.vertices["kind"].value_counts()
    assert kinds.get("household", 0) > 0
    g = view.igraph()
    assert g.ecount() == len(view.edges)
    assert np.isfinite(g.es["weight"]).all()
