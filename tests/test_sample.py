"""The sample district: determinism, validity, integrity, planted structure and planted truth.

Every property here is checked by an independent pandas computation over the generated tables,
never against figures copied from the generator's output.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import igraph as ig
import numpy as np
import pandas as pd
import pytest

from genera_graph.io.registers import read_registers
from genera_graph.model import DEFAULT_CONFIG, TABLE_SCHEMAS
from genera_graph.sample import (
    MECHANISMS,
    POINTS,
    generate_district,
    read_truth,
    write_sample,
)
from genera_graph.sample.names import SYLLABLES

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
START = pd.Timestamp(DEFAULT_CONFIG.programme_start)
END = pd.Timestamp(DEFAULT_CONFIG.programme_years()[-1][1])  # exclusive
YEARS = [(pd.Timestamp(s), pd.Timestamp(e)) for s, e in DEFAULT_CONFIG.programme_years()]


@pytest.fixture(scope="module")
def district():
    return generate_district(seed=2016)


@pytest.fixture(scope="module")
def ds(district):
    return district.dataset


@pytest.fixture(scope="module")
def truth(district):
    return district.truth


def _members_of(ds) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for hid, iid in ds.household_members[["household_id", "individual_id"]].itertuples(
            index=False):
        out.setdefault(hid, set()).add(iid)
    return out


def _household_of(ds) -> dict[str, str]:
    return dict(zip(ds.household_members["individual_id"], ds.household_members["household_id"],
                    strict=True))


def _kind_ids(ds, kind: str) -> set[str]:
    return set(ds.actors.loc[ds.actors["kind"] == kind, "actor_id"])


# ---- determinism, validity, integrity ---------------------------------------------------------


def test_same_seed_same_district_and_different_seed_different(ds, truth):
    again = generate_district(seed=2016)
    for name, frame in ds.tables().items():
        pd.testing.assert_frame_equal(frame, again.dataset.tables()[name], obj=name)
    pd.testing.assert_frame_equal(truth.isolated_households, again.truth.isolated_households)
    other = generate_district(seed=2017).dataset
    assert not other.interactions.equals(ds.interactions)
    assert not other.actors["first_met"].equals(ds.actors["first_met"])


@pytest.mark.parametrize("name", list(TABLE_SCHEMAS))
def test_tables_validate_against_schemas(ds, name):
    frame = ds.tables()[name]
    assert len(frame) > 0
    TABLE_SCHEMAS[name].validate(frame, lazy=True)


def test_ids_have_prefixes_and_leading_zeros(ds):
    patterns = {
        "individual": r"I\d{4}", "household": r"H\d{4}", "community_point": r"CP\d{2}",
        "facilitator": r"F\d{2}", "association": r"AS\d{3}", "formal_group": r"FG\d{2}",
        "company": r"CO\d{3}", "school": r"SC\d{2}", "public_entity": r"PE\d{2}",
    }
    for kind, pattern in patterns.items():
        ids = ds.actors.loc[ds.actors["kind"] == kind, "actor_id"]
        assert len(ids) and ids.str.fullmatch(pattern).all(), kind
    assert ds.activities["activity_id"].str.fullmatch(r"ACT\d{4}").all()
    assert ds.interactions["interaction_id"].str.fullmatch(r"C\d{6}").all()
    assert ds.relations["relation_id"].str.fullmatch(r"R\d{4,}").all()


def test_every_referenced_id_exists(ds):
    actors = set(ds.actors["actor_id"])
    points = _kind_ids(ds, "community_point")
    acts = set(ds.activities["activity_id"])
    assert set(ds.household_members["household_id"]) == _kind_ids(ds, "household")
    assert set(ds.household_members["individual_id"]) == _kind_ids(ds, "individual")
    assert ds.household_members["individual_id"].is_unique
    assert set(ds.actors["community_point_id"].dropna()) <= points
    hh = ds.actors[ds.actors["kind"] == "household"]
    assert hh["facilitator_id"].notna().all()
    assert set(hh["facilitator_id"]) <= _kind_ids(ds, "facilitator")
    assert set(ds.activities["partner_id"].dropna()) <= actors
    for frame in (ds.activities, ds.interactions, ds.relations):
        assert set(frame["community_point_id"].dropna()) <= points
    assert set(ds.participations["activity_id"]) <= acts
    assert set(ds.participations["actor_id"]) <= actors
    assert set(ds.interactions["source_actor_id"]) | set(ds.interactions["target_actor_id"]) \
        <= actors
    assert set(ds.relations["actor_id"]) | set(ds.relations["partner_id"]) <= actors
    assert set(ds.relations["activity_id"].dropna()) <= acts
    offers = ds.activities.loc[ds.activities["kind"] == "school_work_offer", "partner_id"]
    assert offers.notna().all() and set(offers) <= _kind_ids(ds, "company")


def _events(ds) -> pd.DataFrame:
    """Every (actor, date) of an interaction, participation or relation start/end."""
    it = ds.interactions
    rel = ds.relations
    parts = [
        it[["source_actor_id", "date"]].set_axis(["actor_id", "date"], axis=1),
        it[["target_actor_id", "date"]].set_axis(["actor_id", "date"], axis=1),
        ds.participations[["actor_id", "date"]],
        rel[["actor_id", "start_date"]].set_axis(["actor_id", "date"], axis=1),
        rel[["partner_id", "start_date"]].set_axis(["actor_id", "date"], axis=1),
        rel[["actor_id", "end_date"]].dropna().set_axis(["actor_id", "date"], axis=1),
    ]
    return pd.concat(parts, ignore_index=True)


def test_no_event_before_first_met_or_after_left_on(ds):
    ev = _events(ds).merge(ds.actors[["actor_id", "first_met", "left_on"]], on="actor_id")
    assert (ev["date"] >= ev["first_met"]).all()
    left = ev[ev["left_on"].notna()]
    assert len(left) > 0
    assert (left["date"] < left["left_on"]).all()
    assert ((ds.relations["end_date"].isna())
            | (ds.relations["end_date"] >= ds.relations["start_date"])).all()
    assert (ev["date"] >= START).all() and (ev["date"] < END).all()


def test_participations_fall_within_their_activity(ds):
    p = ds.participations.merge(ds.activities[["activity_id", "start_date", "end_date"]],
                                on="activity_id")
    assert (p["date"] >= p["start_date"]).all()
    assert (p["end_date"].isna() | (p["date"] <= p["end_date"])).all()
    assert not ds.participations.duplicated(["activity_id", "actor_id", "date"]).any()


def test_people_names_are_obviously_fake(ds):
    word = "(?:" + "|".join(SYLLABLES) + ")+"
    people = ds.actors[ds.actors["kind"].isin(["individual", "facilitator"])]
    assert people["name"].str.fullmatch(f"(?i){word} {word}").all()
    households = ds.actors.loc[ds.actors["kind"] == "household", "name"]
    assert households.str.fullmatch(r"Famiglia Fittizia \d{3,}").all()
    assert set(ds.actors["municipality"].dropna()) <= {m for _, _, ms in POINTS for m in ms} | {
        seat for _, seat, _ in POINTS}


# ---- the calendar and the size of the district ------------------------------------------------


def test_points_and_facilitators(ds):
    a = ds.actors
    cp = a[a["kind"] == "community_point"]
    assert len(cp) == 6 and (cp["first_met"] == pd.Timestamp("2016-05-18")).all()
    fac = a[a["kind"] == "facilitator"]
    assert len(fac) == 10
    assert fac["first_met"].between(pd.Timestamp("2016-02-01"), pd.Timestamp("2016-04-30")).all()
    per_point = fac["community_point_id"].value_counts()
    assert set(per_point.index) == set(cp["actor_id"]) and per_point.max() == 2
    hh = a[a["kind"] == "household"].merge(
        fac[["actor_id", "community_point_id"]].rename(
            columns={"actor_id": "facilitator_id", "community_point_id": "fac_point"}),
        on="facilitator_id")
    assert (hh["fac_point"] == hh["community_point_id"]).all()


def test_year_one_actor_figures(ds):
    a = ds.actors
    y1 = a[(a["first_met"] >= "2016-02-01") & (a["first_met"] < "2017-02-01")]
    counts = y1["kind"].value_counts()
    assert (counts["individual"], counts["association"], counts["formal_group"]) == (530, 104, 23)


def test_growth_slows_after_year_one(ds):
    a = ds.actors
    for kind in ("individual", "association", "formal_group"):
        per_year = [((a["kind"] == kind) & (a["first_met"] >= s) & (a["first_met"] < e)).sum()
                    for s, e in YEARS]
        assert per_year[0] > per_year[1] > per_year[2] > 0, kind


def test_district_size(ds):
    a = ds.actors
    assert 800 <= (a["kind"] == "individual").sum() <= 1100
    assert 300 <= (a["kind"] == "household").sum() <= 400
    assert 15_000 <= len(ds.interactions) <= 40_000
    assert 8_000 <= len(ds.participations) <= 40_000


def test_social_condominium_year_with_all_residents_active(ds):
    act = ds.activities
    condo = act[(act["kind"] == "social_condominium")
                & (act["start_date"] == pd.Timestamp("2016-05-19"))]
    assert len(condo) == 1
    assert condo["end_date"].iloc[0] >= pd.Timestamp("2017-05-18")
    res = ds.relations[(ds.relations["kind"] == "condominium_residence")
                       & (ds.relations["activity_id"] == condo["activity_id"].iloc[0])]
    assert len(res) >= 5 and (res["nature"] == "institutional").all()
    sessions = act.loc[act["kind"] == "condominium_activity", "activity_id"]
    p = ds.participations[ds.participations["activity_id"].isin(sessions)]
    assert set(res["actor_id"]) <= set(p.loc[p["role"] == "participant", "actor_id"])
    caretakers = p.loc[p["role"] == "organiser", "actor_id"].unique()
    assert len(caretakers) >= 1 and not set(caretakers) & set(res["actor_id"])


# ---- planted structure --------------------------------------------------------------------------


def _peer_between_individuals(ds) -> pd.DataFrame:
    ind = _kind_ids(ds, "individual")
    it = ds.interactions
    return it[(it["nature"] == "peer") & it["source_actor_id"].isin(ind)
              & it["target_actor_id"].isin(ind)]


def test_peer_share_grows_from_year_one_to_year_three(ds):
    ind = _kind_ids(ds, "individual")
    it = ds.interactions
    it = it[it["source_actor_id"].isin(ind) | it["target_actor_id"].isin(ind)]
    shares = []
    for s, e in YEARS:
        w = it[(it["date"] >= s) & (it["date"] < e)]
        shares.append((w["nature"] == "peer").mean())
    assert shares[0] < shares[1] < shares[2]
    assert shares[2] - shares[0] > 0.2


def test_households_cluster_by_point(ds):
    point = dict(zip(ds.actors["actor_id"], ds.actors["community_point_id"], strict=True))
    peer = _peer_between_individuals(ds)
    same = peer["source_actor_id"].map(point) == peer["target_actor_id"].map(point)
    assert same.mean() > 0.9
    ind = _kind_ids(ds, "individual")
    p = ds.participations[ds.participations["actor_id"].isin(ind)]
    act_point = ds.activities.set_index("activity_id")["community_point_id"]
    assert (p["activity_id"].map(act_point) == p["actor_id"].map(point)).mean() > 0.6


def test_associations_span_several_points(ds):
    point = dict(zip(ds.actors["actor_id"], ds.actors["community_point_id"], strict=True))
    mem = ds.relations[ds.relations["kind"] == "membership"]
    spread = mem.groupby("partner_id")["actor_id"].agg(
        lambda ids: len({point[i] for i in ids}))
    assoc = spread[spread.index.str.startswith("AS")]
    assert (assoc > 1).mean() > 0.5


def _peer_partner_events(ds) -> pd.DataFrame:
    """(household_id, date, partner): peer interactions of current members with individuals of
    other households."""
    peer = _peer_between_individuals(ds)
    both = pd.concat([
        peer[["source_actor_id", "target_actor_id", "date"]].set_axis(
            ["actor", "partner", "date"], axis=1),
        peer[["target_actor_id", "source_actor_id", "date"]].set_axis(
            ["actor", "partner", "date"], axis=1),
    ], ignore_index=True)
    j = both.merge(ds.household_members, left_on="actor", right_on="individual_id")
    j = j[(j["date"] >= j["start_date"]) & (j["end_date"].isna() | (j["date"] <= j["end_date"]))]
    hh = _household_of(ds)
    j = j[j["partner"].map(hh) != j["household_id"]]
    return j[["household_id", "date", "partner"]]


def test_connected_households_have_three_peer_partners_in_every_90_day_window(ds, truth):
    """From 90 days after first_met, every 90-day window (daily steps) holds at least three
    distinct peer partners for each household not in the truth table."""
    ev = _peer_partner_events(ds)
    ev = ev.assign(day=(ev["date"] - START).dt.days.to_numpy())
    by_hh = {h: g.sort_values("day") for h, g in ev.groupby("household_id")}
    hh = ds.actors[(ds.actors["kind"] == "household")
                   & ~ds.actors["actor_id"].isin(truth.isolated_households["household_id"])]
    end = (END - START).days
    checked = 0
    for hid, first in zip(hh["actor_id"], (hh["first_met"] - START).dt.days, strict=True):
        g = by_hh.get(hid)
        starts = range(first + 90, end - 90 + 1)
        if not len(starts):
            continue
        assert g is not None, hid
        days, partners = g["day"].to_numpy(), g["partner"].to_numpy()
        for s in starts:
            lo, hi = np.searchsorted(days, [s, s + 90])
            assert len(set(partners[lo:hi])) >= 3, (hid, s)
        checked += 1
    assert checked > 250


def test_planted_bridges_rank_top_five_by_betweenness(ds, truth):
    """Brandes betweenness (igraph, unweighted) on the cumulative interaction graph."""
    edges = ds.interactions[["source_actor_id", "target_actor_id"]].itertuples(index=False)
    g = ig.Graph.TupleList(edges, directed=False)
    g.simplify()
    ranking = pd.Series(g.betweenness(), index=g.vs["name"]).sort_values(ascending=False)
    top5 = set(ranking.index[:5])
    assert 3 <= len(truth.bridges) <= 6
    assert set(truth.bridges["actor_id"]) <= top5


def test_bridges_are_the_only_cross_point_brokers(ds, truth):
    point = dict(zip(ds.actors["actor_id"], ds.actors["community_point_id"], strict=True))
    it = ds.interactions
    for bridge in truth.bridges["actor_id"]:
        ties = it[(it["source_actor_id"] == bridge) | (it["target_actor_id"] == bridge)]
        other = ties["source_actor_id"].where(ties["target_actor_id"] == bridge,
                                              ties["target_actor_id"])
        assert other.map(point).nunique() >= 3, bridge


# ---- the planted truth --------------------------------------------------------------------------


def test_truth_table_shape(ds, truth):
    iso = truth.isolated_households
    assert len(iso) >= 20 and iso["household_id"].is_unique
    assert set(iso["mechanism"]) == set(MECHANISMS)
    assert set(iso["household_id"]) <= _kind_ids(ds, "household")
    later = iso[iso["mechanism"] != "never_connected"]
    assert (later["isolated_from"] >= YEARS[1][0]).all()
    assert (later["isolated_from"] < END).all()
    assert (later["isolated_from"] < YEARS[2][0]).any() and (
        later["isolated_from"] >= YEARS[2][0]).any()
    assert (iso["bridge_id"].notna() == (iso["mechanism"] == "bridge_leaves")).all()


def _involving(ds, members: set[str]):
    it = ds.interactions
    inter = it[it["source_actor_id"].isin(members) | it["target_actor_id"].isin(members)]
    part = ds.participations[ds.participations["actor_id"].isin(members)]
    return inter, part


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_truth_mechanism_holds_in_the_data(ds, truth, mechanism):
    members = _members_of(ds)
    fac = ds.actors.set_index("actor_id")["facilitator_id"]
    first = ds.actors.set_index("actor_id")["first_met"]
    rows = truth.isolated_households[truth.isolated_households["mechanism"] == mechanism]
    assert len(rows) >= 2
    for hid, d, bridge in rows[["household_id", "isolated_from", "bridge_id"]].itertuples(
            index=False):
        inter, part = _involving(ds, members[hid])
        after_i, after_p = inter[inter["date"] >= d], part[part["date"] >= d]
        before_i = inter[inter["date"] < d]
        assert after_p.empty, hid
        if mechanism == "contact_stops":
            assert after_i.empty and len(before_i[before_i["nature"] == "peer"]) > 0, hid
        elif mechanism == "only_professional":
            assert len(after_i) > 0 and (after_i["nature"] == "professional").all(), hid
            parties = set(after_i["source_actor_id"]) | set(after_i["target_actor_id"])
            assert parties - members[hid] == {fac[hid]}, hid
            assert (before_i["nature"] == "peer").any(), hid
        elif mechanism == "bridge_leaves":
            assert first[bridge] < d and ds.actors.set_index("actor_id").at[bridge, "left_on"] == d
            peer = inter[inter["nature"] == "peer"]
            assert len(peer) > 0 and (peer["date"] < d).all(), hid
            assert ((peer["source_actor_id"] == bridge) | (peer["target_actor_id"] == bridge)).all()
            assert part.empty, hid
            b_inter, b_part = _involving(ds, {bridge})
            assert (b_inter["date"] < d).all() and (b_part["date"] < d).all()
            assert bridge not in members[hid]
        else:  # never_connected
            assert d == first[hid]
            assert len(inter) > 0 and (inter["nature"] == "professional").all(), hid
            parties = set(inter["source_actor_id"]) | set(inter["target_actor_id"])
            assert parties - members[hid] == {fac[hid]}, hid
            assert part.empty, hid


# ---- files --------------------------------------------------------------------------------------


def test_write_sample_writes_registers_and_truth_only(tmp_path):
    paths = write_sample(tmp_path / "out", seed=11)
    written = {p.relative_to(tmp_path / "out").as_posix() for p in paths}
    on_disk = {p.relative_to(tmp_path / "out").as_posix()
               for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert written == on_disk
    assert {"actors.csv", "contacts.csv", "ground_truth/isolated_households.csv",
            "ground_truth/bridges.csv", "ground_truth/README.md"} <= written
    ds = read_registers(tmp_path / "out")
    original = generate_district(seed=11)  # once, independently of write_sample's
    for name, frame in original.dataset.tables().items():
        cols = list(frame.columns)
        back = ds.tables()[name][cols].sort_values(cols[:3], ignore_index=True)
        pd.testing.assert_frame_equal(frame.sort_values(cols[:3], ignore_index=True), back,
                                      check_dtype=False, obj=name)
    truth = read_truth(tmp_path / "out" / "ground_truth")
    pd.testing.assert_frame_equal(
        truth.isolated_households.reset_index(drop=True),
        original.truth.isolated_households.reset_index(drop=True),
        check_dtype=False)
    header = (tmp_path / "out" / "ground_truth" / "isolated_households.csv").read_text(
        encoding="utf-8").splitlines()
    assert header[0] == "household_id;isolated_from;mechanism;bridge_id"
    assert re.fullmatch(r"H\d{4};\d{2}/\d{2}/\d{4};\w+;(I\d{4})?", header[1])


def test_committed_sample_data_is_what_write_sample_produces(tmp_path):
    paths = write_sample(tmp_path, seed=2016)
    assert len(paths) >= 10
    for path in paths:
        rel = path.relative_to(tmp_path)
        committed = SAMPLE_DATA / rel
        assert committed.exists(), rel
        assert committed.read_bytes() == path.read_bytes(), rel
    generated = {p.relative_to(tmp_path) for p in paths}
    committed_files = {p.relative_to(SAMPLE_DATA) for p in SAMPLE_DATA.rglob("*")
                       if p.is_file() and p.relative_to(SAMPLE_DATA).as_posix() != "README.md"}
    assert committed_files == generated
    total = sum(p.stat().st_size for p in SAMPLE_DATA.rglob("*") if p.is_file())
    assert total < 5_000_000


def test_committed_sample_data_reads_back():
    ds = read_registers(SAMPLE_DATA)
    assert (ds.actors["kind"] == "individual").sum() > 800
    assert date(2016, 2, 1) <= ds.interactions["date"].min().date()
