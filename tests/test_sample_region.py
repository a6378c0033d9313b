"""The synthetic region: valid tables, the district's truth in every district, and isolation
measured against it as on the sample district (recall >= 0.9, precision >= 0.8)."""

from __future__ import annotations

import pandas as pd
import pytest

from genera_graph.analytics.isolation import isolation_report
from genera_graph.sample.region import district_of_points, generate_region, write_region
from genera_graph.sample.truth import read_truth
from genera_graph.temporal import TemporalGraph


@pytest.fixture(scope="module")
def region():
    return generate_region(districts=3, households_per_district=120, seed=11)


def test_tables_are_valid_and_the_truth_is_in_every_district(region):
    ds = region.dataset.validated()  # the schemas of every table (pandera)
    assert len(ds.interactions) == len(region.dataset.interactions)
    truth = region.truth.isolated_households
    truth_district = truth["household_id"].str[:3]
    per = truth.groupby([truth_district, "mechanism"]).size().unstack()
    assert per.to_dict("index") == {
        d: {"bridge_leaves": 5, "contact_stops": 9, "never_connected": 4,
            "only_professional": 7} for d in ("D01", "D02", "D03")
    }
    roles = region.truth.bridges.groupby(region.truth.bridges["actor_id"].str[:3])["role"]
    for d in ("D01", "D02", "D03"):
        assert set(roles.get_group(d)) == {"association_bridge", "volunteer_bridge",
                                           "school_bridge", "formal_group_bridge"}
    assert region.districts.groupby("district_id").size().tolist() == [6, 6, 6]


def test_only_the_region_bridges_tie_districts(region):
    actors = region.dataset.actors.set_index("actor_id")
    point_district = district_of_points(region.districts)
    district = actors["community_point_id"].astype(object).map(point_district)
    inter = region.dataset.interactions
    a = district.reindex(inter["source_actor_id"].astype(str)).to_numpy()
    b = district.reindex(inter["target_actor_id"].astype(str)).to_numpy()
    cross = inter[(a != b)]
    ends = set(cross["source_actor_id"].astype(str)) | set(cross["target_actor_id"].astype(str))
    region_bridges = set(region.truth.bridges.query("role == 'region_bridge'")["actor_id"])
    assert len(cross) > 0
    assert all(x in region_bridges or (x in district.index and pd.notna(district[x]))
               for x in ends)
    assert ((cross["source_actor_id"].astype(str).isin(region_bridges))
            | (cross["target_actor_id"].astype(str).isin(region_bridges))).all()


def test_same_seed_same_region():
    a = generate_region(districts=1, households_per_district=120, seed=4)
    b = generate_region(districts=1, households_per_district=120, seed=4)
    c = generate_region(districts=1, households_per_district=120, seed=5)
    assert a.dataset.interactions.equals(b.dataset.interactions)
    assert not a.dataset.interactions.equals(c.dataset.interactions)


@pytest.mark.slow
def test_isolation_against_the_planted_truth_of_every_district(region, capsys):
    """The planted-truth yardstick of the sample district (tests/analytics/
    test_against_planted_truth.py), on three districts at once, at four month ends."""
    tg = TemporalGraph.from_dataset(region.dataset)
    truth = region.truth.isolated_households.set_index("household_id")
    met = region.dataset.actors.set_index(region.dataset.actors["actor_id"].astype(str))
    met = met["first_met"]
    since = truth["isolated_from"].where(truth["mechanism"] != "never_connected",
                                         met.reindex(truth.index))
    lag = pd.Timedelta(days=tg.config.isolation_window_days)
    tp = fp = fn = 0
    for t in pd.to_datetime(["2017-08-31", "2018-02-28", "2018-08-31", "2019-01-31"]):
        report = isolation_report(tg, t.date())
        judged = report[report["status"] != "new"]
        positive = set(since[since + lag <= t].index) & set(judged.index)
        flagged = set(judged.index[judged["status"] == "isolated"])
        tp += len(flagged & positive)
        fn += len(positive - flagged)
        fp += len(flagged - set(since[since <= t].index))
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    with capsys.disabled():
        print(f"\nisolation vs planted truth, 3-district region: recall {recall:.3f}, "
              f"precision {precision:.3f} ({tp} hits, {fp} false alarms, {fn} misses)")
    assert tp > 100
    assert recall >= 0.9
    assert precision >= 0.8


def test_write_region_writes_registers_districts_and_truth(region, tmp_path):
    paths = write_region(region, tmp_path)
    names = {p.name for p in paths}
    assert {"districts.csv", "isolated_households.csv", "bridges.csv"} <= names
    back = read_truth(tmp_path / "ground_truth")
    assert len(back.isolated_households) == len(region.truth.isolated_households)
    table = pd.read_csv(tmp_path / "districts.csv", sep=";", dtype=str)
    assert table.equals(region.districts.astype(str))
