"""The research export of a whole dataset: pseudonyms behave, small cells are suppressed.

Disclosure control on the sample district (k, l, recomputation, every byte) is measured in
test_research_disclosure.py."""

from __future__ import annotations

import pandas as pd
import pytest

from genera_graph.exports.dataset import research_export


def test_pseudonyms_stable_within_a_study_and_unlinkable_across(tmp_path):
    from genera_graph.temporal.testing import toy_dataset

    ds = toy_dataset()
    key = tmp_path / "keys" / "a.key"
    options = dict(tier="records", k=2)
    with pytest.warns(UserWarning, match="pseudonyms link the tables"):
        research_export(ds, tmp_path / "a1", study="a", secret_path=key, **options)
        research_export(ds, tmp_path / "a2", study="a", secret_path=key, **options)
        research_export(ds, tmp_path / "b", study="b", secret_path=tmp_path / "keys" / "b.key",
                        **options)
    a1, a2, b = (pd.read_parquet(tmp_path / n / "interactions.parquet")["source_actor_id"]
                 for n in ("a1", "a2", "b"))
    assert len(a1) and a1.tolist() == a2.tolist()
    assert not set(a1) & set(b)
    # joins survive: every interaction endpoint that is in actors has the same pseudonym
    actors = pd.read_parquet(tmp_path / "a1" / "actors.parquet")["actor_id"]
    inter = pd.read_parquet(tmp_path / "a1" / "interactions.parquet")
    assert set(actors) & (set(inter["source_actor_id"]) | set(inter["target_actor_id"]))


def test_small_cells_are_suppressed(tmp_path):
    from genera_graph.temporal.testing import toy_dataset

    paths, manifest = research_export(toy_dataset(), tmp_path / "x", study="s",
                                      secret_path=tmp_path / "k.key")
    ties = pd.read_parquet(tmp_path / "x" / "ties_by_period.parquet")
    # the toy has 4 interactions by fewer than 5 actors: every cell is below k = 5
    assert len(ties) and ties["interactions"].isna().all() and ties["actors"].isna().all()
    assert ties["suppressed"].all()
    assert manifest["disclosure"]["tables"]["ties_by_period"]["cells_suppressed"] == len(ties)
    assert not (tmp_path / "x" / "interactions.parquet").exists()  # aggregate tier only
