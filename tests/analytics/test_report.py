"""The monitoring report: the programme's first-year figures on the sample district, and every
counting rule on a small hand-made dataset whose figures are worked out by hand below."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest

from genera_graph.analytics.report import (
    AREAS,
    INDICATOR_LABELS,
    INDICATORS,
    REPORT_COLUMNS,
    monitoring_report,
    report_wide,
)
from genera_graph.model import Dataset
from genera_graph.sample import generate_district

P1 = (date(2016, 2, 1), date(2017, 2, 1))
P2 = (date(2017, 2, 1), date(2018, 2, 1))
T = pd.Timestamp
NAT = pd.NaT


# ---- (1) the sample district reproduces docs/DESIGN.md §1 -------------------------------------------


@pytest.fixture(scope="module")
def sample_year1():
    ds = generate_district(seed=2016).dataset
    report = monitoring_report(ds)
    assert len(report["period_start"].unique()) == 3
    return report[report["period_start"] == T("2016-02-01")].set_index("indicator")["value"]


@pytest.mark.parametrize(("indicator", "expected"), [
    ("reach_individuals", 530),
    ("reach_associations", 104),
    ("reach_formal_groups", 23),
    ("community_points_open", 6),
    ("facilitators_active", 10),
    ("world_cafes", 2),
    ("local_events_community", 9),
    ("leases_started", 14),
    ("cohabitations_started", 3),
    ("social_condominiums_active", 1),
    ("condominium_residents_active_share", 1.0),
    ("thematic_labs", 3),
    ("apprenticeships_started", 6),
    ("cognitive_interviews", 100),
    ("youth_labs", 4),
    ("youth_events", 9),
    ("school_work_offers", 60),
    ("ideas_funded", 6),
    ("ideas_funds_eur", 9500),
])
def test_sample_year_one_reproduces_the_programme_report(sample_year1, indicator, expected):
    """docs/DESIGN.md §1, first-year results of #genera_azioni."""
    assert sample_year1[indicator] == expected


def test_sample_year_one_has_over_twenty_proximity_labs(sample_year1):
    assert sample_year1["proximity_labs"] > 20
    assert sample_year1["condominium_residents"] > 0


# ---- (2) a hand-made dataset: every figure counted by hand --------------------------------------


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _small() -> dict[str, pd.DataFrame]:
    actors = _frame(
        ["actor_id", "kind", "name", "community_point_id", "facilitator_id", "first_met",
         "left_on"],
        [
            ("CP01", "community_point", "p1", "CP01", None, T("2016-05-18"), NAT),
            ("CP02", "community_point", "p2", "CP02", None, T("2017-02-01"), NAT),
            ("F01", "facilitator", "f1", "CP01", None, T("2016-03-01"), NAT),
            ("F02", "facilitator", "f2", "CP01", None, T("2016-02-15"), T("2016-12-31")),
            ("H0001", "household", "h1", "CP01", "F01", T("2016-06-01"), NAT),
            ("I0001", "individual", "i1", "CP01", None, T("2016-06-01"), NAT),
            ("I0002", "individual", "i2", "CP01", None, T("2016-05-19"), NAT),
            ("I0003", "individual", "i3", "CP01", None, T("2017-02-01"), NAT),
            ("I0004", "individual", "i4", "CP01", None, T("2017-01-31"), NAT),
            ("AS001", "association", "a1", "CP01", None, T("2016-02-01"), NAT),
            ("FG01", "formal_group", "g1", "CP01", None, T("2016-10-10"), NAT),
            ("CO001", "company", "c1", "CP01", None, T("2016-07-01"), NAT),
            ("SC01", "school", "s1", "CP01", None, T("2018-03-01"), NAT),
            ("PE01", "public_entity", "e1", "CP01", None, T("2016-01-31"), NAT),
        ])
    members = _frame(["household_id", "individual_id", "role", "start_date", "end_date"],
                     [("H0001", "I0001", "head", T("2016-06-01"), NAT)])
    activities = _frame(
        ["activity_id", "kind", "programme", "community_point_id", "title", "start_date",
         "end_date", "funding_eur", "partner_id"],
        [
            ("ACT0001", "proximity_lab", "community", "CP01", "t", T("2016-06-10"), NAT, None,
             None),
            ("ACT0002", "proximity_lab", "community", "CP01", "t", T("2017-02-01"), NAT, None,
             None),
            ("ACT0003", "world_cafe", "work", "CP01", "t", T("2016-06-20"), NAT, None, None),
            ("ACT0004", "local_event", "community", "CP01", "t", T("2016-09-01"), NAT, None,
             None),
            ("ACT0005", "local_event", "youth", "CP01", "t", T("2016-09-02"), NAT, None, None),
            ("ACT0006", "local_event", "housing", "CP01", "t", T("2016-09-03"), NAT, None, None),
            ("ACT0007", "thematic_lab", "work", "CP01", "t", T("2016-10-01"), NAT, None, None),
            ("ACT0008", "youth_lab", "youth", "CP01", "t", T("2016-11-01"), NAT, None, None),
            ("ACT0009", "school_work_offer", "youth", "CP01", "t", T("2016-11-15"), NAT, None,
             "CO001"),
            ("ACT0010", "idea_project", "ideas", "CP01", "t", T("2016-12-01"), NAT, 2000.0,
             "AS001"),
            ("ACT0011", "idea_project", "ideas", "CP01", "t", T("2016-12-02"), NAT, None,
             "AS001"),
            ("ACT0012", "idea_project", "ideas", "CP01", "t", T("2017-01-31"), NAT, 1500.0,
             "FG01"),
            ("ACT0013", "social_condominium", "housing", "CP01", "t", T("2016-05-19"),
             T("2017-05-18"), None, None),
            ("ACT0014", "condominium_activity", "housing", "CP01", "t", T("2016-05-19"),
             T("2017-05-18"), None, None),
            ("ACT0015", "social_condominium", "housing", "CP01", "t", T("2015-01-01"),
             T("2016-01-31"), None, None),
        ])
    activities["funding_eur"] = activities["funding_eur"].astype("float64")
    participations = _frame(
        ["activity_id", "actor_id", "date", "role", "source"],
        [
            ("ACT0014", "I0001", T("2016-06-01"), "participant", "attendance_sheet"),
            ("ACT0014", "I0002", T("2017-03-01"), "participant", "attendance_sheet"),
            ("ACT0001", "I0001", T("2016-06-10"), "participant", "attendance_sheet"),
        ])
    interactions = _frame(
        ["interaction_id", "date", "source_actor_id", "target_actor_id", "kind", "nature",
         "programme", "community_point_id", "source"],
        [
            ("C1", T("2016-07-01"), "F01", "I0001", "cognitive_interview", "professional",
             "work", "CP01", "facilitator_record"),
            ("C2", T("2017-01-31"), "F01", "I0001", "cognitive_interview", "professional",
             "work", "CP01", "facilitator_record"),
            ("C3", T("2017-02-01"), "F01", "I0002", "cognitive_interview", "professional",
             "work", "CP01", "facilitator_record"),
            ("C4", T("2016-07-02"), "F01", "I0001", "support", "professional", "community",
             "CP01", "facilitator_record"),
        ])
    relations = _frame(
        ["relation_id", "kind", "actor_id", "partner_id", "activity_id", "start_date",
         "end_date", "nature", "programme", "community_point_id", "source"],
        [
            ("R1", "lease", "I0001", "PE01", None, T("2016-07-01"), NAT, "institutional",
             "housing", "CP01", "register"),
            ("R2", "lease", "I0002", "PE01", None, T("2017-02-01"), NAT, "institutional",
             "housing", "CP01", "register"),
            ("R3", "cohabitation", "I0001", "AS001", None, T("2016-08-01"), NAT, "institutional",
             "housing", "CP01", "register"),
            ("R4", "apprenticeship", "I0001", "CO001", None, T("2016-09-01"), T("2017-03-01"),
             "institutional", "work", "CP01", "register"),
            ("R5", "school_work_placement", "I0002", "CO001", "ACT0009", T("2016-11-15"),
             T("2016-12-15"), "institutional", "youth", "CP01", "register"),
            ("R6", "condominium_residence", "I0001", "PE01", "ACT0013", T("2016-05-19"),
             T("2017-05-18"), "institutional", "housing", "CP01", "register"),
            ("R7", "condominium_residence", "I0002", "PE01", "ACT0013", T("2016-05-19"),
             T("2017-05-18"), "institutional", "housing", "CP01", "register"),
            ("R8", "membership", "I0001", "AS001", None, T("2016-06-01"), NAT, "institutional",
             "community", "CP01", "register"),
        ])
    return {"actors": actors, "household_members": members, "activities": activities,
            "participations": participations, "interactions": interactions,
            "relations": relations}


def _dataset(tables: dict[str, pd.DataFrame]) -> Dataset:
    return Dataset(**tables).validated()


#: by hand, from the rows above (P1 = programme year 1, P2 = year 2)
EXPECTED = {
    "reach_individuals": (3, 1),  # I0002 19/05/2016, I0001, I0004 31/01/2017 | I0003
    "reach_households": (1, 0),
    "reach_associations": (1, 0),  # first_met on P1's first day
    "reach_formal_groups": (1, 0),
    "reach_companies": (1, 0),
    "reach_schools": (0, 0),  # met in 2018
    "reach_public_entities": (0, 0),  # met the day before the programme
    "reach_community_points": (1, 1),
    "reach_facilitators": (2, 0),
    "community_points_open": (1, 2),  # CP02 opens on P2's first day
    "facilitators_active": (2, 1),  # F02 left on 31/12/2016
    "proximity_labs": (1, 1),
    "world_cafes": (1, 0),
    "local_events_community": (1, 0),
    "local_events_other": (1, 0),  # the housing event
    "leases_started": (1, 1),
    "cohabitations_started": (1, 0),
    "social_condominiums_active": (1, 1),  # ACT0013 runs into P2; ACT0015 ended before P1
    "condominium_residents": (2, 2),
    "condominium_residents_active_share": (0.5, 0.5),  # I0001 active in P1, I0002 in P2
    "thematic_labs": (1, 0),
    "apprenticeships_started": (1, 0),
    "cognitive_interviews": (2, 1),  # C2 on P1's last day, C3 on P2's first
    "youth_labs": (1, 0),
    "youth_events": (1, 0),
    "school_work_offers": (1, 0),
    "school_work_placements": (1, 0),
    "ideas_funded": (2, 0),  # ACT0011 has no funding
    "ideas_funds_eur": (3500, 0),
}


def _values(report: pd.DataFrame) -> dict[tuple[pd.Timestamp, str], float]:
    return {(s, k): v for s, k, v in
            report[["period_start", "indicator", "value"]].itertuples(index=False)}


def test_small_dataset_every_figure_counted_by_hand():
    report = monitoring_report(_dataset(_small()), [P1, P2])
    assert list(report.columns) == REPORT_COLUMNS
    assert set(EXPECTED) == {ind.key for ind in INDICATORS}
    got = _values(report)
    for key, (v1, v2) in EXPECTED.items():
        assert got[(T(P1[0]), key)] == pytest.approx(v1), key
        assert got[(T(P2[0]), key)] == pytest.approx(v2), key


def _add(table: str, row: dict):
    def mutate(tables):
        tables[table] = pd.concat([tables[table], pd.DataFrame([row])], ignore_index=True)
    return mutate


def _set(table: str, key_col: str, key: str, col: str, value):
    def mutate(tables):
        frame = tables[table]
        frame.loc[frame[key_col] == key, col] = value
    return mutate


_LEASE = {"relation_id": "R9", "kind": "lease", "actor_id": "I0002", "partner_id": "PE01",
          "activity_id": None, "start_date": T("2017-01-31"), "end_date": NAT,
          "nature": "institutional", "programme": "housing", "community_point_id": "CP01",
          "source": "register"}
_CI = {"interaction_id": "C9", "date": T("2017-02-01"), "source_actor_id": "F01",
       "target_actor_id": "I0001", "kind": "cognitive_interview", "nature": "professional",
       "programme": "work", "community_point_id": "CP01", "source": "facilitator_record"}


@pytest.mark.parametrize(("mutate", "delta"), [
    pytest.param(_add("actors", {"actor_id": "I0009", "kind": "individual", "name": "x",
                                 "first_met": T("2016-12-12")}),
                 {("P1", "reach_individuals"): 1}, id="new-individual"),
    pytest.param(_set("actors", "actor_id", "I0004", "first_met", T("2017-02-01")),
                 {("P1", "reach_individuals"): -1, ("P2", "reach_individuals"): 1},
                 id="first-met-moves-to-next-period"),
    pytest.param(_add("actors", {"actor_id": "F03", "kind": "facilitator", "name": "x",
                                 "first_met": T("2015-06-01"), "left_on": T("2016-01-31")}),
                 {}, id="facilitator-left-the-day-before"),
    pytest.param(_add("actors", {"actor_id": "F04", "kind": "facilitator", "name": "x",
                                 "first_met": T("2015-06-01"), "left_on": T("2016-02-01")}),
                 {("P1", "facilitators_active"): 1}, id="facilitator-left-on-first-day"),
    pytest.param(_add("relations", _LEASE), {("P1", "leases_started"): 1},
                 id="lease-on-last-day"),
    pytest.param(_set("relations", "relation_id", "R3", "kind", "lease"),
                 {("P1", "leases_started"): 1, ("P1", "cohabitations_started"): -1},
                 id="cohabitation-becomes-lease"),
    pytest.param(_set("activities", "activity_id", "ACT0011", "funding_eur", 700.0),
                 {("P1", "ideas_funded"): 1, ("P1", "ideas_funds_eur"): 700},
                 id="idea-gets-funded"),
    pytest.param(_set("activities", "activity_id", "ACT0005", "programme", "community"),
                 {("P1", "youth_events"): -1, ("P1", "local_events_community"): 1},
                 id="youth-event-becomes-community-event"),
    pytest.param(_set("activities", "activity_id", "ACT0003", "start_date", T("2017-02-01")),
                 {("P1", "world_cafes"): -1, ("P2", "world_cafes"): 1},
                 id="world-cafe-moves"),
    pytest.param(_add("interactions", _CI), {("P2", "cognitive_interviews"): 1},
                 id="interview-on-first-day-of-p2"),
    pytest.param(_add("participations", {"activity_id": "ACT0014", "actor_id": "I0002",
                                         "date": T("2016-06-15"), "role": "participant",
                                         "source": "attendance_sheet"}),
                 {("P1", "condominium_residents_active_share"): 0.5}, id="resident-joins"),
    pytest.param(_add("participations", {"activity_id": "ACT0001", "actor_id": "I0002",
                                         "date": T("2016-06-17"), "role": "participant",
                                         "source": "attendance_sheet"}),
                 {}, id="resident-in-another-activity-changes-nothing"),
    pytest.param(_add("relations", {**_LEASE, "relation_id": "R10",
                                    "kind": "condominium_residence", "actor_id": "I0003",
                                    "activity_id": "ACT0013", "start_date": T("2017-03-01"),
                                    "end_date": T("2017-05-18")}),
                 {("P2", "condominium_residents"): 1,
                  ("P2", "condominium_residents_active_share"): 1 / 3 - 1 / 2},
                 id="new-resident-not-active"),
    pytest.param(_add("participations", {"activity_id": "ACT0014", "actor_id": "I0001",
                                         "date": T("2017-05-19"), "role": "participant",
                                         "source": "attendance_sheet"}),
                 {}, id="participation-after-residence-ends"),
    pytest.param(_add("activities", {"activity_id": "ACT0099", "kind": "social_condominium",
                                     "programme": "housing", "title": "t",
                                     "start_date": T("2016-01-01"), "end_date": NAT}),
                 {("P1", "social_condominiums_active"): 1,
                  ("P2", "social_condominiums_active"): 1}, id="open-ended-condominium"),
    pytest.param(_add("relations", {**_LEASE, "relation_id": "R11",
                                    "kind": "school_work_placement", "actor_id": "I0001",
                                    "start_date": T("2018-02-01")}),
                 {}, id="placement-after-both-periods"),
])
def test_one_row_changes_exactly_the_expected_indicators(mutate, delta):
    before = _values(monitoring_report(_dataset(_small()), [P1, P2]))
    tables = _small()
    mutate(tables)
    after = _values(monitoring_report(_dataset(tables), [P1, P2]))
    names = {T(P1[0]): "P1", T(P2[0]): "P2"}
    changed = {(names[s], k): after[(s, k)] - v for (s, k), v in before.items()
               if not math.isclose(after[(s, k)], v)}
    assert changed.keys() == delta.keys()
    for key, d in delta.items():
        assert changed[key] == pytest.approx(d), key


def test_periods_are_half_open_and_custom():
    ds = _dataset(_small())
    one_day = monitoring_report(ds, [(date(2017, 1, 31), date(2017, 2, 1))])
    got = one_day.set_index("indicator")["value"]
    assert got["reach_individuals"] == 1  # I0004
    assert got["cognitive_interviews"] == 1  # C2
    assert got["ideas_funds_eur"] == 1500
    assert got["leases_started"] == 0
    next_day = monitoring_report(ds, [(date(2017, 2, 1), date(2017, 2, 2))])
    got = next_day.set_index("indicator")["value"]
    assert (got["reach_individuals"], got["leases_started"], got["proximity_labs"]) == (1, 1, 1)


def test_residents_share_is_missing_without_residents():
    tables = _small()
    tables["relations"] = tables["relations"][
        tables["relations"]["kind"] != "condominium_residence"]
    got = monitoring_report(_dataset(tables), [P1]).set_index("indicator")["value"]
    assert got["condominium_residents"] == 0
    assert math.isnan(got["condominium_residents_active_share"])


def test_default_periods_are_the_programme_years():
    report = monitoring_report(Dataset.empty())
    starts = sorted(report["period_start"].unique())
    assert [pd.Timestamp(s) for s in starts] == [T("2016-02-01"), T("2017-02-01"),
                                                 T("2018-02-01")]
    assert len(report) == 3 * len(INDICATORS)
    assert str(report["period_start"].dtype).startswith("datetime64")
    assert report["value"].dtype == "float64"


@pytest.mark.parametrize("period", [(date(2017, 2, 1), date(2017, 2, 1)),
                                    (date(2017, 3, 1), date(2017, 2, 1))])
def test_empty_or_reversed_period_is_an_error(period):
    with pytest.raises(ValueError, match="half-open"):
        monitoring_report(Dataset.empty(), [period])


def test_indicator_catalogue_is_stable_and_labelled():
    keys = [ind.key for ind in INDICATORS]
    assert len(keys) == len(set(keys))
    for ind in INDICATORS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ind.key)
        assert ind.area in AREAS
        assert INDICATOR_LABELS[ind.key]["it"] and INDICATOR_LABELS[ind.key]["en"]
        assert INDICATOR_LABELS[ind.key]["it"] != INDICATOR_LABELS[ind.key]["en"]
    assert {ind.area for ind in INDICATORS} == set(AREAS)


@pytest.mark.parametrize(("lang", "header"), [("it", "01/02/2016–31/01/2017"),
                                              ("en", "01/02/2016–31/01/2017")])
def test_report_wide_one_row_per_indicator_one_column_per_period(lang, header):
    report = monitoring_report(_dataset(_small()), [P1, P2])
    wide = report_wide(report, lang=lang)
    assert len(wide) == len(INDICATORS)
    assert list(wide["indicator"]) == [ind.key for ind in INDICATORS]
    assert list(wide.columns[:4]) == ["area", "indicator", "label", "unit"]
    assert wide.columns[4] == header and len(wide.columns) == 6
    row = wide.set_index("indicator").loc["ideas_funds_eur"]
    assert row.iloc[3] == 3500 and row.iloc[4] == 0
    assert row["label"] == INDICATOR_LABELS["ideas_funds_eur"][lang]


def test_report_wide_rejects_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        report_wide(monitoring_report(Dataset.empty()), lang="fr")
