"""The introductions in the research export (issue 13): pseudonymised, and k-anonymous
(k >= 5) on their declared quasi-identifiers, measured independently on the files written."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from genera_graph.analytics.introductions import introduction_outcomes, research_table
from genera_graph.exports.dataset import check_export, research_export
from genera_graph.model.introductions import DECLINE_REASONS, INTRODUCTION_REASONS
from genera_graph.temporal import TemporalGraph

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
K = 5


def _marked(ds, seed: int = 13, n: int = 240) -> pd.DataFrame:
    """Facilitators' marks simulated on the sample: a family of each point introduced to a
    household or association of the same point, on a day of the programme; 60 % done, 20 %
    proposed, 20 % declined with a coded reason (seeded)."""
    rng = np.random.default_rng(seed)
    actors = ds.actors
    families = actors[actors["kind"] == "household"].to_dict("records")
    peers = actors[actors["kind"].isin(["household", "association"])]
    by_point = {cp: list(group) for cp, group in peers.groupby("community_point_id")["actor_id"]}
    rows = []
    for k in range(n):
        family = families[rng.integers(len(families))]
        choices = [a for a in by_point[family["community_point_id"]] if a != family["actor_id"]]
        status = str(rng.choice(["done", "done", "done", "proposed", "declined"]))
        rows.append({
            "introduction_id": f"IN-{k:05d}", "actor_id": family["actor_id"],
            "candidate_id": choices[rng.integers(len(choices))], "status": status,
            "date": pd.Timestamp("2016-06-01") + pd.Timedelta(days=int(rng.integers(900))),
            "reason": str(rng.choice(list(INTRODUCTION_REASONS))),
            "decline_reason": str(rng.choice(list(DECLINE_REASONS))) if status == "declined"
            else None,
            "community_point_id": family["community_point_id"],
            "facilitator_id": family["facilitator_id"]})
    return pd.DataFrame(rows)


def test_the_introductions_pass_the_disclosure_checks_on_the_sample(tmp_path):
    """The introductions (marks simulated on the sample, outcomes followed on its ties) pass
    the disclosure control, measured again here on the files."""
    if not (SAMPLE / "actors.csv").exists():
        pytest.skip("sample_data/ is not generated")
    from genera_graph.io.registers import read_registers

    ds = read_registers(SAMPLE)
    marked = _marked(ds)
    outcomes = introduction_outcomes(TemporalGraph.from_dataset(ds), marked)
    assert {"converted", "not_converted"} <= set(outcomes["outcome"])
    # the other tables' disclosure control is tested elsewhere: only the actors go along
    # (keeps this test short); the introductions and their outcomes are the whole sample's
    only_actors = dataclasses.replace(ds, **{name: getattr(ds, name).iloc[:0] for name in (
        "activities", "participations", "interactions", "relations")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, manifest = research_export(only_actors, tmp_path / "out", study="studio",
                                      tier="records",
                                      secret_path=tmp_path / "keys" / "studio.key",
                                      introductions=research_table(outcomes))
    tables = manifest["disclosure"]["tables"]
    assert tables["introductions"]["released"] and tables["introductions_by_outcome"]["released"]
    records = pd.read_parquet(tmp_path / "out" / "introductions.parquet")
    qis = [q["column"] for q in tables["introductions"]["quasi_identifiers"]]
    assert {"community_point_id", "facilitator_id", "candidate_id", "date"} <= set(qis)
    assert tables["introductions"]["sensitive"] == ["outcome"]
    # every record released, or its removal said (nothing lost silently)
    loss = tables["introductions"]["information_loss"]["records_removed"]
    assert len(records) + loss == len(marked)
    # k >= 5 on the declared quasi-identifiers, counted here on the file
    groups = records.groupby(qis, dropna=False)
    assert groups["actor_id"].nunique().min() >= K
    assert groups["outcome"].nunique().min() >= 2  # l-diverse: no group tells the outcome
    counts = pd.read_parquet(tmp_path / "out" / "introductions_by_outcome.parquet")
    shown = counts.loc[~counts["suppressed"]]
    assert len(shown) and (shown["families"] >= K).all()
    assert counts.loc[counts["suppressed"], "families"].isna().all()
    # pseudonymised: no sample id or name, no introduction id, in any byte of the two files
    data = b"".join((tmp_path / "out" / f"{name}.{ext}").read_bytes()
                    for name in ("introductions", "introductions_by_outcome")
                    for ext in ("parquet", "csv") if (tmp_path / "out" / f"{name}.{ext}")
                    .exists())
    secrets = {*marked["actor_id"], *marked["candidate_id"], *marked["introduction_id"],
               *ds.actors.loc[ds.actors["actor_id"].isin(marked["actor_id"]), "name"]}
    assert not [s for s in secrets if str(s).encode() in data]
    assert records["actor_id"].str.match(r"^P[A-Z2-7]{16}$").all()
    assert check_export(tmp_path / "out")["ok"]  # the export's own re-measure agrees
