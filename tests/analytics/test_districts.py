"""Per-district analytics: the district cut keeps cross-district ties, and a Dask
``LocalCluster`` of two workers reading the shared store gives the single-process tables."""

from __future__ import annotations

import pandas as pd
import pytest

from genera_graph.analytics.districts import (
    district_analytics,
    district_dataset,
    region_summary,
    run_districts,
    run_windows,
)
from genera_graph.analytics.growth import growth
from genera_graph.io.district_read import read_district
from genera_graph.io.districts import set_districts
from genera_graph.io.importer import import_dataset
from genera_graph.io.store import Store
from genera_graph.sample.region import generate_region

AT = "2018-06-30"
QUARTERS = [("2017-01-01", "2017-04-01"), ("2017-04-01", "2017-07-01"),
            ("2017-07-01", "2017-10-01"), ("2017-10-01", "2018-01-01")]


@pytest.fixture(scope="module")
def region_store(tmp_path_factory):
    region = generate_region(districts=2, households_per_district=100, seed=8)
    path = str(tmp_path_factory.mktemp("region") / "region.sqlite")
    with Store(path) as store:
        assert import_dataset(store, region.dataset).ok
    return region, path


def test_district_cut_keeps_its_actors_and_cross_district_ties(region_store):
    region, _ = region_store
    ds = region.dataset
    part = district_dataset(ds, region.districts, "D01")
    own = ds.actors["community_point_id"].astype(str).str.startswith("D01")
    assert set(ds.actors.loc[own, "actor_id"].astype(str)) <= set(part.actors["actor_id"])
    inter = ds.interactions
    touches = (inter["source_actor_id"].astype(str).str.startswith("D01")
               | inter["target_actor_id"].astype(str).str.startswith("D01"))
    assert len(part.interactions) == int(touches.sum())
    cross = part.interactions["source_actor_id"].str.startswith("RB") | part.interactions[
        "target_actor_id"].str.startswith("RB")
    assert cross.any()  # the region bridges' ties are kept, not dropped
    part.validated()
    with pytest.raises(KeyError):
        district_dataset(ds, region.districts, "D99")


def test_a_districts_read_equals_the_cut_of_the_whole_store(region_store):
    """read_district reads from the store the rows district_dataset cuts from store.load(),
    table for table: by whole-table scans before the districts are set, through the
    district indexes after (set_districts creates them)."""
    region, path = region_store
    with Store(path) as store:
        whole = store.load()
        points = region.districts.loc[region.districts["district_id"] == "D02",
                                      "community_point_id"].tolist()
        scanned = read_district(store, points=points)
        set_districts(store, region.districts)
        indexed = {d: read_district(store, d) for d in ("D01", "D02")}
    for district, part in indexed.items():
        cut = district_dataset(whole, region.districts, district)
        assert len(cut.interactions) > 0 and len(cut.relations) > 0
        assert len(part.actors) < len(whole.actors)
        for name, frame in cut.tables().items():
            pd.testing.assert_frame_equal(part.tables()[name], frame, check_exact=True)
    for name, frame in indexed["D02"].tables().items():
        pd.testing.assert_frame_equal(scanned.tables()[name], frame, check_exact=True)


@pytest.mark.slow
def test_local_cluster_equals_the_single_process_path(region_store):
    distributed = pytest.importorskip("distributed")
    region, path = region_store
    single = run_districts(path, region.districts, AT)
    # two workers in this process (threads): the same scheduler, workers and task graph as a
    # cluster of processes, without starting two interpreters (the benchmark uses processes)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        spread = run_districts(path, region.districts, AT, client=client)
        by_window = run_windows(path, QUARTERS, client=client)
    assert list(spread) == list(single) == ["D01", "D02"]
    with Store(path) as store:
        whole = store.load()
    for district, bundle in single.items():
        # the tasks read their district's rows only: the bundle of the whole store's cut
        cut = district_analytics(whole, region.districts, district, AT)
        for name, frame in bundle.items():
            assert len(frame) > 0
            pd.testing.assert_frame_equal(spread[district][name], frame)
            pd.testing.assert_frame_equal(cut[name], frame)
    summary = region_summary(single)
    assert summary["district_id"].tolist() == ["D01", "D02"]
    iso = pd.concat([b["isolation"] for b in single.values()])
    assert summary["isolated"].sum() == int((iso["status"] == "isolated").sum()) > 0
    # one task per window: the rows of the single-process growth table, and the isolation
    # counts of the report on each window's last day
    from genera_graph.analytics.isolation import isolation_report
    from genera_graph.temporal import TemporalGraph

    with Store(path) as store:
        tg = TemporalGraph.from_dataset(store.load())
    pd.testing.assert_frame_equal(by_window[growth(tg, QUARTERS).columns],
                                  growth(tg, QUARTERS))
    pd.testing.assert_frame_equal(by_window, run_windows(path, QUARTERS))
    last = isolation_report(tg, "2017-12-31")["status"]
    assert by_window["isolated"].iloc[-1] == int((last == "isolated").sum())
