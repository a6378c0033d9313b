"""Suggested introductions: indices against networkx and igraph, eligibility, scope, outcomes,
and the hold-out evaluation's floors on the sample district (issue 13)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from genera_graph.analytics.introductions import (
    _row_metrics,
    conversion_rates,
    evaluate_link_prediction,
    introduction_outcomes,
    introduction_reasons,
    link_scores,
    suggest_introductions,
    summarise_evaluation,
)
from genera_graph.model import AnalysisConfig
from genera_graph.temporal import TemporalGraph, month_ends

AT = date(2017, 6, 30)


# ----------------------------------------------------------------------------- small worlds
def _contacts(rows, nature="peer"):
    return pd.DataFrame({
        "interaction_id": [f"X{k}" for k in range(len(rows))],
        "date": pd.to_datetime([r[2] for r in rows]),
        "source_actor_id": [r[0] for r in rows],
        "target_actor_id": [r[1] for r in rows],
        "kind": "meeting",
        "nature": [r[3] if len(r) > 3 else nature for r in rows],
        "programme": "community",
        "source": "survey",
    })


def _actors(ids, kinds=None, first_met="2016-01-01", left=None, cps=None):
    n = len(ids)
    return pd.DataFrame({
        "actor_id": ids,
        "kind": kinds or ["individual"] * n,
        "name": [f"n{i}" for i in range(n)],
        "community_point_id": cps or [None] * n,
        "first_met": pd.to_datetime([first_met] * n if isinstance(first_met, str)
                                    else first_met),
        "left_on": pd.to_datetime(left or [None] * n),
    })


@pytest.fixture(scope="module")
def random_world():
    """60 people, 240 random contacts in the year before AT (seeded)."""
    rng = np.random.default_rng(13)
    ids = [f"P{k:02d}" for k in range(60)]
    rows = []
    for _ in range(240):
        a, b = rng.choice(60, 2, replace=False)
        day = AT - timedelta(days=int(rng.integers(0, 360)))
        rows.append((ids[a], ids[b], day.isoformat()))
    tg = TemporalGraph.from_frames(_actors(ids), interactions=_contacts(rows))
    return tg, rows


def _oracle_graph(rows, cfg, at=AT):
    """The window's tie graph built from the raw rows, independently of the library."""
    g = nx.Graph()
    for a, b, day, *_ in rows:
        age = (at - date.fromisoformat(day)).days
        if 0 <= age < cfg.introduction_window_days and a != b:
            w = 0.5 ** (age / cfg.introduction_half_life_days)
            if g.has_edge(a, b):
                g[a][b]["weight"] += w
            else:
                g.add_edge(a, b, weight=w)
    return g


# ----------------------------------------------------------------------------- known answers
def test_local_indices_equal_networkx(random_world):
    tg, rows = random_world
    g = _oracle_graph(rows, tg.config)
    table = link_scores(tg, AT, actors=sorted(g.nodes)[:20], level="individual")
    assert len(table) > 300
    pairs = list(zip(table["actor_id"], table["candidate_id"], strict=True))
    # the candidates are exactly the untied others
    for a in table["actor_id"].unique():
        got = set(table.loc[table["actor_id"] == a, "candidate_id"])
        assert got == set(g.nodes) - {a} - set(g[a])
    cn = [len(list(nx.common_neighbors(g, a, b))) for a, b in pairs]
    aa = [p for _, _, p in nx.adamic_adar_index(g, pairs)]
    ra = [p for _, _, p in nx.resource_allocation_index(g, pairs)]
    assert table["common_neighbours"].tolist() == cn
    assert table["adamic_adar"].to_numpy() == pytest.approx(aa)
    assert table["resource_allocation"].to_numpy() == pytest.approx(ra)
    assert (table["common_neighbours"] > 0).sum() > 50  # the test exercises real overlaps
    pa = [p for _, _, p in nx.preferential_attachment(g, pairs)]
    assert table["preferential_attachment"].to_numpy() == pytest.approx(pa)


def test_recent_resource_allocation_katz_and_pagerank_equal_independent_computations(
        random_world):
    tg, rows = random_world
    cfg = tg.config
    g = _oracle_graph(rows, cfg)
    targets = sorted(g.nodes)[:6]
    table = link_scores(tg, AT, actors=targets, level="individual")
    nodes = sorted(g.nodes)
    a_bin = nx.to_numpy_array(g, nodelist=nodes, weight=None)
    w = nx.to_numpy_array(g, nodelist=nodes, weight="weight")
    beta = cfg.introduction_katz_beta
    katz = beta * a_bin + beta**2 * a_bin @ a_bin + beta**3 * a_bin @ a_bin @ a_bin
    strength = w.sum(axis=1)
    rra = w @ np.diag(1 / strength) @ w
    h = ig.Graph.from_networkx(g)
    names = h.vs["_nx_name"]
    where = {name: k for k, name in enumerate(nodes)}
    for a in targets:
        ppr = h.personalized_pagerank(weights="weight", damping=cfg.introduction_pagerank_damping,
                                      reset_vertices=[names.index(a)], directed=False)
        ppr = dict(zip(names, ppr, strict=True))
        sub = table[table["actor_id"] == a]
        i = where[a]
        js = [where[c] for c in sub["candidate_id"]]
        assert sub["katz"].to_numpy() == pytest.approx(katz[i, js])
        assert sub["recent_resource_allocation"].to_numpy() == pytest.approx(rra[i, js])
        assert sub["personalised_pagerank"].to_numpy() == pytest.approx(
            [ppr[c] for c in sub["candidate_id"]], abs=1e-9)


def test_two_mode_indices_count_the_activities_both_attended():
    ids = ["A", "B", "C", "D"]
    acts = pd.DataFrame({"activity_id": ["L1", "L2"], "kind": "proximity_lab",
                         "programme": "community", "community_point_id": None,
                         "title": ["l1", "l2"], "start_date": pd.to_datetime(["2017-05-01"] * 2),
                         "end_date": pd.NaT, "funding_eur": np.nan, "partner_id": None})
    part = pd.DataFrame({"activity_id": ["L1", "L1", "L1", "L2", "L2"],
                         "actor_id": ["A", "B", "C", "A", "B"],
                         "date": pd.to_datetime(["2017-06-30"] * 5), "role": "participant",
                         "source": "attendance_sheet"})
    tg = TemporalGraph.from_frames(_actors(ids), activities=acts, participations=part)
    t = link_scores(tg, AT, actors="A", level="individual").set_index("candidate_id")
    assert t.loc["B", "shared_activities"] == 2 and t.loc["C", "shared_activities"] == 1
    assert t.loc["D", "shared_activities"] == 0
    # resource allocation through activities: 1/3 (L1) + 1/2 (L2), attendances of today
    assert t.loc["B", "activity_resource_allocation"] == pytest.approx(1 / 3 + 1 / 2)
    r = introduction_reasons(tg, AT, pd.DataFrame({"actor_id": ["A"], "candidate_id": ["B"]}),
                             level="individual")
    shared = r[r["reason"] == "shared_activity"]
    assert sorted(shared["via_id"]) == ["L1", "L2"]
    assert (shared["date_from"] == pd.Timestamp("2017-06-30")).all()


@pytest.mark.parametrize("n_pos", [1, 3])
def test_metrics_equal_brute_force(n_pos):
    """AUC by counting pairs; precision@k averaged over every order of the tied scores."""
    score = np.array([3.0, 2.0, 2.0, 2.0, 1.0, 0.0, 0.0])
    positive = np.zeros(7, bool)
    positive[[1, 5, 6][:n_pos]] = True
    m = _row_metrics(score, positive, (2, 3))
    wins = sum((s_p > s_n) + 0.5 * (s_p == s_n)
               for s_p in score[positive] for s_n in score[~positive])
    assert m["auc"] == pytest.approx(wins / (positive.sum() * (~positive).sum()))
    for k in (2, 3):
        hits = []
        for perm in itertools.permutations(range(7)):
            order = sorted(range(7), key=lambda i: (-score[i], perm.index(i)))
            hits.append(positive[order[:k]].sum())
        assert m[f"precision_at_{k}"] == pytest.approx(np.mean(hits) / k)
        assert m[f"recall_at_{k}"] == pytest.approx(np.mean(hits) / positive.sum())


# ----------------------------------------------------------------------------- eligibility
@pytest.fixture
def village():
    """Households H1..H5 of CP1 (H5 left), an association, a company, a facilitator, a point."""
    ids = ["H1", "H2", "H3", "H4", "H5", "H6", "AS1", "CO1", "F1", "CP1", "PE1"]
    kinds = ["household"] * 6 + ["association", "company", "facilitator", "community_point",
                                 "public_entity"]
    met = ["2016-01-01"] * 5 + ["2017-09-01"] + ["2016-01-01"] * 5
    left = [None] * 4 + ["2017-03-01"] + [None] * 6
    cps = ["CP1"] * 4 + ["CP2", "CP1", None, None, "CP1", "CP1", None]
    actors = _actors(ids, kinds, first_met=met, left=left, cps=cps)
    rows = [("H1", "H2", "2017-05-01"), ("H2", "H3", "2017-05-02"), ("H3", "AS1", "2017-06-01"),
            ("F1", "H1", "2017-06-01", "professional"), ("F1", "H4", "2017-06-02",
                                                         "professional"),
            ("H2", "CO1", "2017-06-03", "institutional"), ("H4", "CO1", "2017-06-04",
                                                           "institutional")]
    return TemporalGraph.from_frames(actors, interactions=_contacts(rows))


def test_candidates_are_peers_alive_met_and_untied(village):
    t = link_scores(village, AT, actors="H1")
    # H2 is tied; H5 left; H6 not met yet; the company, facilitator, point, public entity
    # are never candidates
    assert sorted(t["candidate_id"]) == ["AS1", "H3", "H4"]
    row = t.set_index("candidate_id")
    assert row.loc["H3", "common_neighbours"] == 1  # through H2
    # the facilitator is nobody's partner in common: H1 and H4 share only F1
    assert row.loc["H4", "common_neighbours"] == 0


def test_a_declined_introduction_is_never_suggested_again(village):
    intro = pd.DataFrame({"actor_id": ["H3"], "candidate_id": ["H1"], "status": ["declined"],
                          "date": pd.to_datetime(["2017-06-01"]), "reason": ["family_refused"]})
    before = intro.copy()
    t = link_scores(village, AT, actors="H1", introductions=intro)
    assert "H3" not in set(t["candidate_id"])
    later = link_scores(village, "2017-05-31", actors="H1", introductions=intro)
    assert "H3" in set(later["candidate_id"])  # declined only from its day on
    pd.testing.assert_frame_equal(intro, before)


def test_individual_level_never_pairs_members_of_one_household():
    ids = ["H1", "I1", "I2", "I3"]
    actors = _actors(ids, ["household", "individual", "individual", "individual"])
    members = pd.DataFrame({"household_id": ["H1", "H1"], "individual_id": ["I1", "I2"],
                            "role": ["head", "child"],
                            "start_date": pd.to_datetime(["2016-01-01"] * 2),
                            "end_date": pd.NaT})
    tg = TemporalGraph.from_frames(actors, household_members=members,
                                   interactions=_contacts([("I1", "I3", "2017-06-01")]))
    t = link_scores(tg, AT, actors="I2", level="individual")
    assert set(t["candidate_id"]) == {"I3"}
    with pytest.raises(ValueError, match="individual"):
        link_scores(tg, AT, actors="H1", level="individual")


# ----------------------------------------------------------------------------- safety
def test_scope_candidates_and_reasons_never_show_what_the_viewer_cannot_see(village):
    visible = {"H1", "H3", "H4", "AS1"}  # H2 (the partner in common) is another point's
    t = suggest_introductions(village, AT, actors="H1", visible=visible)
    assert set(t["candidate_id"]) <= visible
    r = introduction_reasons(village, AT, t, visible=visible)
    named = set(r["via_id"].dropna())
    assert "H2" not in named
    assert not r["description"].str.contains("H2").any()
    assert not r["detail"].fillna("").str.contains("H2").any()
    hidden = r[(r["candidate_id"] == "H3") & (r["reason"] == "partners_in_common_hidden")]
    assert hidden["value"].tolist() == [1.0]
    # the coordinator sees the same partner named
    full = introduction_reasons(village, AT, t[t["candidate_id"] == "H3"])
    assert "H2" in set(full["via_id"].dropna())
    with pytest.raises(PermissionError):
        suggest_introductions(village, AT, actors="H2", visible=visible)
    # a predicate works as a scope too
    assert set(link_scores(village, AT, actors="H1", visible=lambda a: a != "H3")[
        "candidate_id"]) == {"AS1", "H4"}


def test_suggestions_act_on_nothing(village):
    events = village.events()
    s = suggest_introductions(village, AT, actors="H1")
    assert set(s["status"]) == {"suggested"}
    pd.testing.assert_frame_equal(village.events(), events)


# ----------------------------------------------------------------------------- outcomes
def _world_for_outcomes():
    ids = ["H1", "H2", "H3", "H4"]
    actors = _actors(ids, ["household"] * 4, cps=["CP1", "CP1", "CP2", "CP2"])
    rows = [("H1", "H2", "2017-01-01"),  # the introduction's own day: not its outcome
            ("H1", "H2", "2017-02-15"),  # 45 days later: converted
            ("H3", "H4", "2017-09-01")]  # 150 days after: too late
    return TemporalGraph.from_frames(actors, interactions=_contacts(rows))


def test_outcomes_follow_each_done_introduction():
    tg = _world_for_outcomes()
    intro = pd.DataFrame({
        "introduction_id": ["I1", "I2", "I3", "I4", "I5"],
        "actor_id": ["H1", "H3", "H1", "H2", "H1"],
        "candidate_id": ["H2", "H4", "H3", "H4", "H4"],
        "status": ["done", "done", "declined", "proposed", "done"],
        "date": pd.to_datetime(["2017-01-01", "2017-04-04", "2017-02-01", "2017-02-01",
                                "2017-08-01"]),
        "facilitator_id": ["F1", "F2", "F1", "F1", "F1"],
        "reason": ["same_community_point", "shared_activity", "family_refused", None,
                   "partner_in_common"],
    })
    out = introduction_outcomes(tg, intro, as_of="2017-09-30").set_index("introduction_id")
    assert out["outcome"].to_dict() == {"I1": "converted", "I2": "not_converted",
                                        "I3": "declined", "I4": "proposed", "I5": "pending"}
    assert out.loc["I1", "tie_on"] == pd.Timestamp("2017-02-15")
    assert out.loc["I1", "days_to_tie"] == 45 and out.loc["I1", "tie_kind"] == "contact"
    assert out.loc["I2", "community_point_id"] == "CP2"
    rates = conversion_rates(out.reset_index(), by="community_point_id")
    cp1 = rates[rates["community_point_id"] == "CP1"].set_index("period_start")
    assert cp1.loc["2017-01-01", "conversion_rate"] == 1.0
    assert cp1.loc["2017-01-01", "declined"] == 1 and cp1.loc["2017-01-01", "proposed"] == 1
    assert cp1.loc["2017-07-01", "pending"] == 1
    assert np.isnan(cp1.loc["2017-07-01", "conversion_rate"])
    cp2 = rates[rates["community_point_id"] == "CP2"]
    assert cp2["conversion_rate"].tolist() == [0.0]
    by_reason = conversion_rates(out.reset_index(), by=["facilitator_id", "reason"],
                                 period="year")
    assert by_reason["done"].sum() == 3 and by_reason["converted"].sum() == 1


def test_outcome_rejects_what_it_cannot_follow():
    tg = _world_for_outcomes()
    bad = pd.DataFrame({"actor_id": ["H1"], "candidate_id": ["H2"], "status": ["maybe"],
                        "date": pd.to_datetime(["2017-01-01"])})
    with pytest.raises(ValueError, match="status"):
        introduction_outcomes(tg, bad)
    with pytest.raises(ValueError, match="columns"):
        introduction_outcomes(tg, bad.drop(columns="date"))


def test_unknown_index_in_the_weights_is_an_error(village):
    cfg = AnalysisConfig(introduction_weights=(("katz", 1.0), ("astrology", 1.0)))
    with pytest.raises(ValueError, match="astrology"):
        link_scores(village, AT, actors="H1", config=cfg)


# ----------------------------------------------------------------------------- evaluation
@pytest.fixture(scope="module")
def sample_graph():
    from genera_graph.sample import generate_district

    return TemporalGraph.from_dataset(generate_district(2016).dataset)


def test_hold_out_floors_on_the_sample_district(sample_graph):
    """Three month ends (the benchmark runs 21): the method well above random and not below
    Adamic–Adar; the figures are printed by benchmarks/bench_introductions.py."""
    cuts = month_ends("2017-06-01", "2018-06-30")[::6]
    ev = evaluate_link_prediction(sample_graph, cutoffs=cuts,
                                  methods=("method", "random", "adamic_adar"))
    s = summarise_evaluation(ev)
    assert s.loc["method", "cutoffs"] == 3 and s.loc["method", "targets"] > 600
    assert s.loc["method", "precision_at_10"] > 3 * s.loc["random", "precision_at_10"]
    assert s.loc["method", "precision_at_10"] >= s.loc["adamic_adar", "precision_at_10"]
    assert s.loc["method", "auc"] > 0.9
    assert s.loc["random", "auc"] == pytest.approx(0.5)


def test_default_targets_are_the_isolated_and_at_risk_households(sample_graph):
    from genera_graph.analytics.isolation import isolation_report

    rep = isolation_report(sample_graph, AT)
    flagged = set(rep.index[rep["status"].isin(["isolated", "at_risk"])])
    s = suggest_introductions(sample_graph, AT, top=3)
    assert set(s["actor_id"]) <= flagged and len(set(s["actor_id"])) > 0.5 * len(flagged)
    assert s.groupby("actor_id").size().max() <= 3
    assert set(s["candidate_kind"]) <= {"household", "association", "formal_group"}
    assert (s["reasons"] != "").all()


# ----------------------------------------------------------------------------- report, export
_INTRO_CSV = ("introduction_id;actor_id;candidate_id;status;date;facilitator_id;reason\n"
              "I1;H001;H002;done;01/06/2016;F001;same_community_point\n"
              "I2;H002;O001;declined;02/06/2016;F001;family_refused\n"
              "I3;H001;O001;proposed;03/06/2016;F001;\n")


def test_introductions_file_is_read_or_every_problem_reported(tmp_path):
    from genera_graph.io.introductions import read_introductions
    from genera_graph.io.registers import RegisterError

    good = tmp_path / "introductions.csv"
    good.write_text(_INTRO_CSV, encoding="utf-8")
    frame = read_introductions(good)
    assert frame["status"].tolist() == ["done", "declined", "proposed"]
    assert frame.loc[0, "date"] == pd.Timestamp("2016-06-01")
    assert pd.isna(frame.loc[2, "reason"])
    bad = tmp_path / "bad.csv"
    bad.write_text("actor_id;candidate_id;status;date\nH001;H002;maybe;01/06/2016\n"
                   "H001;;done;31/02/2016\n", encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        read_introductions(bad)
    where = {(p.row, p.column) for p in err.value.problems}
    assert where == {(2, "status"), (3, "candidate_id"), (3, "date")}


def test_genera_report_adds_the_introductions_section(tmp_path, capsys):
    from genera_graph.cli import main
    from genera_graph.io.registers import write_registers
    from genera_graph.temporal.testing import toy_dataset

    write_registers(toy_dataset(), tmp_path / "reg")
    path = tmp_path / "introductions.csv"
    path.write_text(_INTRO_CSV, encoding="utf-8")
    csv = tmp_path / "report.csv"
    assert main(["report", "--registers", str(tmp_path / "reg"), "--introductions", str(path),
                 "--csv", str(csv)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Presentazioni fatte"))
    assert line.split()[-3:] == ["1", "0", "0"]
    worked = next(x for x in out.splitlines() if x.startswith("Quota di presentazioni"))
    assert worked.split()[-3] == "100%"  # H001-H002 met on 10/06/2016, 9 days later
    table = pd.read_csv(csv, sep=";")
    assert set(table.loc[table["area"] == "introductions", "indicator"]) >= {
        "introductions_done", "introductions_declined", "introductions_conversion_rate"}


def test_research_table_keeps_coded_columns_only():
    from genera_graph.analytics.introductions import RESEARCH_COLUMNS, research_table

    o = pd.DataFrame({"actor_id": ["H1", "H2"], "candidate_id": ["H2", "AS1"],
                      "status": ["done", "declined"],
                      "date": pd.to_datetime(["2016-06-01", "2016-06-02"]),
                      "outcome": ["converted", "declined"],
                      "reason": ["same_community_point", "family_refused"],
                      "note": ["Rossi knows them", ""]})
    table = research_table(o)
    assert list(table.columns) == list(RESEARCH_COLUMNS)
    assert "note" not in table and table["reason"].tolist() == ["same_community_point",
                                                                 "family_refused"]
    with pytest.raises(ValueError, match="free text"):
        research_table(o.assign(reason="Rossi said no"))


def test_genera_report_reads_the_introductions_marked_in_the_store(tmp_path, capsys):
    from genera_graph.cli import main
    from genera_graph.io.introductions import record_introduction
    from genera_graph.io.records import Author
    from genera_graph.io.store import Store
    from genera_graph.temporal.testing import toy_dataset

    path = tmp_path / "genera.sqlite"
    with Store(path) as store:
        assert store.import_dataset(toy_dataset()).ok
        boss = Author("u-coord")
        assert record_introduction(store, boss, "H001", "H002", "done", "01/06/2016").ok
        assert record_introduction(store, boss, "H002", "O001", "declined", "02/06/2016",
                                   decline_reason="family_refused").ok
    assert main(["--store", str(path), "report", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Introductions made"))
    assert line.split()[-3:] == ["1", "0", "0"]
    declined = next(x for x in out.splitlines() if x.startswith("Introductions declined"))
    assert declined.split()[-3:] == ["1", "0", "0"]
    worked = next(x for x in out.splitlines() if x.startswith("Share of introductions"))
    assert worked.split()[-3] == "100%"  # H001-H002 met on 10/06/2016, 9 days later
    # and the research export takes them from the store, under its disclosure control
    out_dir = tmp_path / "research"
    assert main(["--store", str(path), "export", "--research", "--study", "s", "--tier",
                 "records", "--secret", str(tmp_path / "s.key"), "--out", str(out_dir)]) == 0
    import json

    tables = json.loads((out_dir / "MANIFEST.json").read_text())["disclosure"]["tables"]
    entry = tables["introductions"]
    assert entry["before"]["records"] == 2
    # two families are fewer than k = 5: both records removed, and the removal said
    assert entry["after"]["records"] == 0
    assert entry["information_loss"]["records_removed"] == 2
