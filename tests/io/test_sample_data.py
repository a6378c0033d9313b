"""The sample district loads through the importer exactly as the registers read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from genera_graph.io.registers import read_registers
from genera_graph.io.store import Store
from tests.io.helpers import assert_same_dataset

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.mark.skipif(not (SAMPLE / "actors.csv").exists(), reason="sample_data/ not generated")
def test_sample_district_imports_into_a_fresh_store(store: Store):
    result = store.import_paths(SAMPLE)
    assert result.ok, result.summary()
    assert not result.problems
    assert_same_dataset(store.load(), read_registers(SAMPLE))
    assert {f.status for f in store.import_paths(SAMPLE).files} == {"unchanged"}
