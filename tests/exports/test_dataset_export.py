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


def test_data_dictionaries_in_italian(tmp_path):
    """Every text of the research export's dictionaries comes from the catalogs: in Italian
    none is left as its English message id (one records-tier export of the toy)."""
    from babel.messages.pofile import read_po

    from genera_graph.exports.tables import read_csv
    from genera_graph.l10n import catalog_path
    from genera_graph.temporal.testing import toy_dataset

    with catalog_path("it").open("rb") as handle:
        english = {m.id for m in read_po(handle) if m.id and m.string and m.string != m.id}
    with pytest.warns(UserWarning):
        research_export(toy_dataset(), tmp_path / "x", study="s", secret_path=tmp_path / "k",
                        tier="records", k=2, lang="it")
    rows = {(path.name, row.column): (row.definition, row.convention)
            for path in sorted((tmp_path / "x").glob("*.dictionary.csv"))
            for row in read_csv(path).fillna("").itertuples()}
    left = {key: texts for key, texts in rows.items() if set(texts) & english}
    assert len(rows) > 40 and not left, left
    assert rows[("actors.dictionary.csv", "actor_id")] == (
        "pseudonimo dell'attore",
        "pseudonimo: P + 16 caratteri base32, stabile all'interno dello studio")
    # a column described without a translation (a new table's) fails here
    from genera_graph.exports.dataset import DATASET_SPEC

    untranslated = [(name, column) for name, spec in DATASET_SPEC.items()
                    for column, text in spec.descriptions.items() if text not in english]
    assert not untranslated, untranslated
