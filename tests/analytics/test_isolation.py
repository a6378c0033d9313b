"""Isolation analytics on hand-made districts where the right answer is known by construction."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from genera_graph.analytics.isolation import (
    REASONS,
    early_warning,
    isolation_reasons,
    isolation_report,
)
from genera_graph.model import AnalysisConfig, Dataset
from genera_graph.temporal import TemporalGraph

START = date(2016, 6, 1)


class _District:
    """A tiny builder of schema-valid datasets: households of one member each."""

    def __init__(self):
        self.actors = [("F01", "facilitator", None, date(2016, 2, 1))]
        self.members = []
        self.contacts = []

    def household(self, hid, met=START, fac="F01"):
        self.actors.append((hid, "household", fac, met))
        self.actors.append((f"I{hid}", "individual", None, met))
        self.members.append((hid, f"I{hid}"))

    def contact(self, a, b, when, nature="peer"):
        a = f"I{a}" if not a.startswith("F") else a
        b = f"I{b}" if not b.startswith("F") else b
        kind = "mutual_help" if nature == "peer" else "support"
        self.contacts.append((a, b, when, kind, nature))

    def every_fortnight(self, a, b, start, end, nature="peer"):
        day = start
        while day < end:
            self.contact(a, b, day, nature)
            day += timedelta(days=14)

    def graph(self) -> TemporalGraph:
        empty = Dataset.empty().tables()
        actors = pd.DataFrame(
            [(i, k, f"nome finto {n}", "CP01", "Rezzato", f, pd.Timestamp(m), pd.NaT)
             for n, (i, k, f, m) in enumerate(self.actors)],
            columns=["actor_id", "kind", "name", "community_point_id", "municipality",
                     "facilitator_id", "first_met", "left_on"])
        members = pd.DataFrame(
            [(h, i, "head", pd.Timestamp("2016-01-01"), pd.NaT) for h, i in self.members],
            columns=["household_id", "individual_id", "role", "start_date", "end_date"])
        contacts = pd.DataFrame(
            [(f"C{n:05d}", pd.Timestamp(d), a, b, k, nat, "community", "CP01",
              "facilitator_record") for n, (a, b, d, k, nat) in enumerate(self.contacts)],
            columns=["interaction_id", "date", "source_actor_id", "target_actor_id", "kind",
                     "nature", "programme", "community_point_id", "source"])
        ds = Dataset(**{**empty, "actors": actors, "household_members": members,
                        "interactions": contacts}).validated()
        return TemporalGraph.from_dataset(ds)


@pytest.fixture
def district() -> TemporalGraph:
    """A ring of five connected households, one whose contacts stop on 1 March 2017, one with
    only facilitator contacts, one hanging from the ring through a single neighbour, and one
    met two weeks before the report date."""
    d = _District()
    ring = ["H1", "H2", "H3", "H4", "H5"]
    for h in [*ring, "HSTOP", "HPRO", "HLEAF"]:
        d.household(h)
    d.household("HNEW", met=date(2017, 5, 15))
    end = date(2017, 7, 1)
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        d.every_fortnight(a, b, START, end)
        d.every_fortnight(a, "F01", START, end, nature="professional")
    d.every_fortnight("H1", "H3", START, end)
    d.every_fortnight("HSTOP", "H1", START, date(2017, 3, 1))
    d.every_fortnight("HSTOP", "H2", START, date(2017, 3, 1))
    d.every_fortnight("HPRO", "F01", START, end, nature="professional")
    d.every_fortnight("HLEAF", "H4", START, end)
    d.contact("HNEW", "F01", date(2017, 5, 20), "professional")
    return d.graph()


def test_status_and_reasons_by_construction(district):
    report = isolation_report(district, "2017-06-30")
    status = report["status"].to_dict()
    assert {status[h] for h in ["H1", "H2", "H3", "H5"]} == {"connected"}
    assert status["HSTOP"] == "isolated"
    assert report.loc["HSTOP", "reasons"].split(";")[0] == "no_active_ties"
    assert "shrinking_network" in report.loc["HSTOP", "reasons"]
    assert status["HPRO"] == "isolated"
    assert report.loc["HPRO", "reasons"] == "only_professional_ties;single_bridge"
    assert report.loc["HPRO", "bridge_id"] == "F01"  # its facilitator is its only way out
    assert report.loc["HPRO", "professional_share"] == 1.0
    assert status["HLEAF"] == "at_risk"
    assert report.loc["HLEAF", "bridge_id"] == "H4"
    assert "few_peer_partners" in report.loc["HLEAF", "reasons"]
    assert status["HNEW"] == "new"
    # H4 is the only way to HLEAF but H4 itself has other routes
    assert not report.loc["H4", "single_bridge"]


def test_figures_are_counted_from_the_window(district):
    report = isolation_report(district, "2017-06-30")
    # H1: peers H2, H5, H3 (chord) and HSTOP no more (stopped in March); professional F01
    assert report.loc["H1", "peer_partners"] == 3
    assert report.loc["H1", "professional_ties"] == 1
    assert report.loc["H1", "ego_size"] == 4
    # HSTOP's last peer contact is its last fortnightly meeting before 1 March 2017
    last = report.loc["HSTOP", "last_peer_contact"]
    assert last < pd.Timestamp("2017-03-01") and last >= pd.Timestamp("2017-02-14")
    assert report.loc["HSTOP", "days_since_peer_contact"] == (pd.Timestamp("2017-06-30") - last).days
    # before the stop, HSTOP was connected
    earlier = isolation_report(district, "2017-01-31")
    assert earlier.loc["HSTOP", "status"] == "connected"


def test_reasons_carry_their_dates(district):
    reasons = isolation_reasons(district, "2017-06-30")
    stop = reasons[reasons["actor_id"] == "HSTOP"].set_index("reason")
    assert stop.loc["no_active_ties", "date_from"] == pd.Timestamp("2017-04-02")  # 90-day window
    assert stop.loc["shrinking_network", "date_from"] == pd.Timestamp("2016-10-04")
    leaf = reasons[(reasons["actor_id"] == "HLEAF") & (reasons["reason"] == "single_bridge")]
    assert leaf["partner_id"].tolist() == ["H4"]
    assert set(reasons["reason"]) <= set(REASONS)


def test_thresholds_come_from_the_configuration(district):
    strict = AnalysisConfig(min_peer_partners=4)
    report = isolation_report(district, "2017-06-30", config=strict)
    # with four peer partners required, ring households with 2-3 are at risk
    assert report.loc["H2", "status"] == "at_risk"
    assert report.loc["H2", "reasons"] == "few_peer_partners"


def test_early_warning_lists_worsened_households_most_urgent_first(district):
    worklist = early_warning(district, "2017-06-30", previous="2017-02-15")
    assert worklist.index[0] in {"HSTOP"}  # isolated now, connected before
    assert worklist.loc["HSTOP", "previous_status"] == "connected"
    assert "HPRO" not in worklist.index  # isolated before and now: not a change
    assert "H1" not in worklist.index
    assert worklist["urgency"].tolist() == list(range(1, len(worklist) + 1))
    assert early_warning(district, "2017-06-30", previous="2017-02-15",
                         community_point="CP99").empty


def test_previous_must_precede(district):
    with pytest.raises(ValueError, match="before"):
        early_warning(district, "2017-06-30", previous="2017-07-30")


def test_a_date_before_any_household_gives_empty_tables(district):
    from genera_graph.analytics.tables import analysis_tables

    tables = analysis_tables(district, "2016-02-05")
    assert tables["isolation"][0].empty
    assert tables["early_warning"][0].empty
    assert tables["brokerage"][0].empty  # fewer than three actors: no two-path to broker
