"""The research export of a whole dataset: nothing personal survives, pseudonyms behave."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from genera_graph.exports.dataset import DATASET_SPEC, research_export

ROOT = Path(__file__).resolve().parents[2]


def _sample():
    if not (ROOT / "sample_data" / "actors.csv").exists():
        pytest.skip("sample_data/ is not generated")
    from genera_graph.io.registers import read_registers

    return read_registers(ROOT / "sample_data")


@pytest.fixture(scope="module")
def sample():
    return _sample()


def _forbidden(ds) -> set[str]:
    """Every name, id and exact date of the input, as text in the forms we write dates in."""
    values: set[str] = set()
    for name, frame in ds.tables().items():
        spec = DATASET_SPEC[name]
        for col in (*spec.ids, *spec.drop):
            values.update(str(v) for v in frame[col].dropna() if str(v))
        for col in spec.dates:
            for stamp in frame[col].dropna():
                values.update({stamp.strftime("%d/%m/%Y"), stamp.strftime("%Y-%m-%d")})
    return values


@pytest.mark.slow
def test_no_sample_name_id_or_exact_date_survives(sample, tmp_path):
    paths, manifest = research_export(sample, tmp_path / "export", study="studio-a",
                                      secret_path=tmp_path / "keys" / "studio-a.key")
    forbidden = _forbidden(sample)
    # exact dates that are first days of a month survive coarsening as themselves: leave them
    forbidden = {v for v in forbidden if not (v[:2] == "01" or v.endswith("-01"))}
    assert len(forbidden) > 1000
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths if p.suffix in {".csv", ".md",
                                                                                   ".json"})
    tokens = set(text.replace(";", "\n").replace('"', "\n").replace(",", "\n").split("\n"))
    assert not (tokens & forbidden)
    for name in ("name", "title", "municipality"):
        assert name in str(manifest["tables"])
    actors = pd.read_parquet(tmp_path / "export" / "actors.parquet")
    assert len(actors) == len(sample.actors)
    assert (actors["first_met"].dt.day == 1).all()


def test_pseudonyms_stable_within_a_study_and_unlinkable_across(tmp_path):
    from genera_graph.temporal.testing import toy_dataset

    ds = toy_dataset()
    key = tmp_path / "keys" / "a.key"
    research_export(ds, tmp_path / "a1", study="a", secret_path=key)
    research_export(ds, tmp_path / "a2", study="a", secret_path=key)
    research_export(ds, tmp_path / "b", study="b", secret_path=tmp_path / "keys" / "b.key")
    a1 = pd.read_parquet(tmp_path / "a1" / "actors.parquet")["actor_id"]
    a2 = pd.read_parquet(tmp_path / "a2" / "actors.parquet")["actor_id"]
    b = pd.read_parquet(tmp_path / "b" / "actors.parquet")["actor_id"]
    assert a1.tolist() == a2.tolist()
    assert not set(a1) & set(b)
    # joins survive: every interaction endpoint is an exported actor
    inter = pd.read_parquet(tmp_path / "a1" / "interactions.parquet")
    assert set(inter["source_actor_id"]) | set(inter["target_actor_id"]) <= set(a1)


def test_small_cells_are_suppressed(tmp_path):
    from genera_graph.temporal.testing import toy_dataset

    research_export(toy_dataset(), tmp_path / "x", study="s", secret_path=tmp_path / "k.key")
    monthly = pd.read_parquet(tmp_path / "x" / "monthly_ties.parquet")
    # the toy has at most 4 interactions in a cell: every count is below k = 5
    assert monthly["interactions"].isna().all()
    assert monthly["interactions_suppressed"].all()
