"""Districts in the store (schema step 6): a district owns Community Points, a coordinator may
be scoped to one, and the explorer's viewer of that account sees only the district's points."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, profiles

from dash_app.data.viewer import Viewer, scope_dataset
from genera_graph.cli import main
from genera_graph.io.accounts import AccountError, Accounts
from genera_graph.io.district_read import read_district
from genera_graph.io.districts import (
    DistrictError,
    district_points,
    read_districts,
    set_districts,
)
from genera_graph.io.schema import SCHEMA_VERSION, upgrade_connection
from genera_graph.io.store import Store
from genera_graph.io.store import store_url as to_url
from genera_graph.model import Dataset
from tests.io.helpers import tiny_dataset

CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
STEP = 6  # the districts' migration step


def _two_points() -> Dataset:
    """The tiny dataset with a second Community Point and a household of its own."""
    ds = tiny_dataset()
    extra = pd.DataFrame({
        "actor_id": ["CP02", "H0002"], "kind": ["community_point", "household"],
        "name": ["Punto Due", "Famiglia Finta Due"], "community_point_id": ["CP02", "CP02"],
        "first_met": pd.to_datetime(["2016-03-01", "2016-04-01"]),
    })
    actors = pd.concat([ds.actors, extra], ignore_index=True)
    return Dataset(**{**ds.tables(), "actors": actors})


def _table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["district_id", "community_point_id", "name"])


def test_upgrade_from_the_previous_head_adds_the_district_tables(store_url: str):
    assert SCHEMA_VERSION >= STEP
    engine = sa.create_engine(to_url(store_url))
    with engine.begin() as conn:
        upgrade_connection(conn, 0, STEP - 1)
        conn.exec_driver_sql("INSERT INTO actors (actor_id, kind, name, first_met) "
                             "VALUES ('CP09', 'community_point', 'Punto', '2016-06-01')")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("district_points")
    engine.dispose()
    with Store(store_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.load().actors["actor_id"].tolist() == ["CP09"]
        assert read_districts(store).empty
        assert set_districts(store, _table([("D09", "CP09", "Nove")])) == (1, 1)
        assert district_points(store, "D09") == ("CP09",)


def test_bad_tables_write_nothing(tmp_path: Path):
    with Store(tmp_path / "g.sqlite") as store:
        assert store.import_dataset(_two_points()).ok
        set_districts(store, _table([("D01", "CP01", "Uno"), ("D02", "CP02", "Due")]))
        before = read_districts(store)
        for rows, message in (
            ([("D01", "CP01", "Uno"), ("D01", "H0001", "Uno")], "not a Community Point"),
            ([("D01", "CP01", "Uno"), ("D02", "CP01", "Due")], "CP01 is listed twice"),
            ([("D01", "CP01", "Uno"), ("D01", "CP02", "Altro")], "more than one name"),
            ([("", "CP01", "Uno")], "empty district_id"),
        ):
            with pytest.raises(DistrictError, match=message):
                set_districts(store, _table(rows))
            pd.testing.assert_frame_equal(read_districts(store), before)
        with pytest.raises(DistrictError, match="no district D07"):
            district_points(store, "D07")


def test_a_coordinator_scoped_to_a_district_sees_only_its_points(tmp_path: Path):
    ds = _two_points()
    with Store(tmp_path / "g.sqlite") as store:
        assert store.import_dataset(ds).ok
        set_districts(store, _table([("D01", "CP01", "Uno"), ("D02", "CP02", "Due")]))
        accounts = Accounts(store, CHEAP)
        bea, _ = accounts.add("bea", "Bea", "coordinator", password="una-password-lunga",
                              district="D02")
        whole, _ = accounts.add("ugo", "Ugo", "coordinator", password="una-password-lunga")
        assert (bea.district_id, bea.community_points) == ("D02", ("CP02",))
        assert (whole.district_id, whole.community_points) == (None, ())
        with pytest.raises(AccountError, match="only a coordinator"):
            accounts.add("fab", "Fab", "facilitator", ["CP01"], "una-password-lunga",
                         district="D01")
        with pytest.raises(AccountError, match="no district D05"):
            accounts.set_role("ugo", "coordinator", district="D05")
        # the points a district owns are read at each look-up: a change applies at once
        set_districts(store, _table([("D02", "CP01", "Due"), ("D02", "CP02", "Due")]))
        assert accounts.by_id(bea.user_id).community_points == ("CP01", "CP02")
        with pytest.raises(DistrictError, match="an account is scoped to district D02"):
            set_districts(store, _table([("D01", "CP01", "Uno"), ("D01", "CP02", "Uno")]))
        assert accounts.set_role("bea", "coordinator").district_id is None
        viewer = Viewer.of_account(accounts.set_role("bea", "coordinator", district="D02"))
    assert viewer.role == "coordinator" and viewer.scoped
    seen = scope_dataset(ds, Viewer.of_account(bea))  # D02 as it was: CP02 only
    households = seen.actors.loc[seen.actors["kind"] == "household", "actor_id"].tolist()
    assert households == ["H0002"]


def test_cli_sets_and_lists_districts(tmp_path: Path, capsys):
    store = str(tmp_path / "g.sqlite")
    with Store(store) as opened:
        assert opened.import_dataset(_two_points()).ok
    good = tmp_path / "districts.csv"
    good.write_text("district_id;community_point_id;name\nD01;CP01;Uno\nD01;CP02;Uno\n",
                    encoding="utf-8")
    assert main(["--store", store, "districts", "set", str(tmp_path)]) == 0
    assert main(["--store", store, "districts", "list"]) == 0
    assert "D01  Uno: CP01, CP02" in capsys.readouterr().out
    good.write_text("district_id;community_point_id;name\nD01;CPXX;Uno\n", encoding="utf-8")
    assert main(["--store", store, "districts", "set", str(good)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "CPXX" in err and "nothing written" in err


def test_a_districts_read_equals_the_cut_of_the_whole_store(store_url: str):
    """SQLite and PostgreSQL: read_district reads exactly the rows district_dataset cuts from
    store.load(); a contact between the two districts' households is in both parts."""
    from genera_graph.analytics.districts import district_dataset

    ds = _two_points()
    cross = ds.interactions.iloc[[0]].assign(interaction_id="C0003", source_actor_id="H0002",
                                             target_actor_id="H0001", community_point_id="CP02")
    ds = Dataset(**{**ds.tables(),
                    "interactions": pd.concat([ds.interactions, cross], ignore_index=True)})
    table = _table([("D01", "CP01", "Uno"), ("D02", "CP02", "Due")])
    with Store(store_url) as store:
        assert store.import_dataset(ds).ok
        set_districts(store, table)
        whole = store.load()
        parts = {d: read_district(store, d) for d in ("D01", "D02")}
        with pytest.raises(DistrictError, match="no district D07"):
            read_district(store, "D07")
    for district, part in parts.items():
        cut = district_dataset(whole, table, district)
        for name, frame in cut.tables().items():
            pd.testing.assert_frame_equal(part.tables()[name], frame, check_exact=True)
        assert "C0003" in set(part.interactions["interaction_id"])
    assert set(parts["D02"].actors["actor_id"]) >= {"H0001", "H0002", "F01"}
    assert len(parts["D02"].participations) == 0 < len(parts["D01"].participations)


@pytest.mark.slow
@pytest.mark.parametrize("store_url", [pytest.param("postgres", marks=pytest.mark.postgres)],
                         indirect=True)
def test_dask_runs_the_districts_and_windows_of_a_postgresql_store(store_url: str):
    """Two Dask workers read the districts and the data from a shared PostgreSQL store and
    give the single-process tables (tiny data: the machinery, not the scale)."""
    distributed = pytest.importorskip("distributed")
    from genera_graph.analytics.districts import run_districts, run_windows

    with Store(store_url) as store:
        assert store.import_dataset(_two_points()).ok
        set_districts(store, _table([("D01", "CP01", "Uno"), ("D02", "CP02", "Due")]))
    windows = [("2016-01-01", "2016-07-01"), ("2016-07-01", "2017-01-01")]
    single = run_districts(store_url, None, "2016-12-31")
    alone = run_windows(store_url, windows)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        spread = run_districts(store_url, None, "2016-12-31", client=client)
        by_window = run_windows(store_url, windows, client=client)
    assert list(spread) == list(single) == ["D01", "D02"]
    for district, bundle in single.items():
        for name, frame in bundle.items():
            pd.testing.assert_frame_equal(spread[district][name], frame)
    assert len(single["D01"]["isolation"]) == 1  # H0001, CP01's household
    pd.testing.assert_frame_equal(by_window, alone)
