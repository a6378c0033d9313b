"""The columnar isolation report equals the old per-household path (``isolation_reference``)
on the sample district at several dates and on random datasets, column by column."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.analytics.isolation import _compute
from genera_graph.model import AnalysisConfig
from genera_graph.temporal import TemporalGraph

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from isolation_reference import reference_report  # noqa: E402
from strategies import DAY0, datasets  # noqa: E402


def _same(tg: TemporalGraph, at: date, cfg: AnalysisConfig) -> None:
    new_report, new_reasons = _compute(tg, at, cfg)
    old_report, old_reasons = reference_report(tg, at, cfg)
    pd.testing.assert_frame_equal(new_report, old_report)
    pd.testing.assert_frame_equal(new_reasons, old_reasons)


@pytest.fixture(scope="module")
def sample_tg():
    from genera_graph.sample import generate_district

    return TemporalGraph.from_dataset(generate_district(2016).dataset)


@pytest.mark.parametrize("at", ["2018-06-30"])
def test_equal_on_the_sample_district(sample_tg, at):
    _same(sample_tg, date.fromisoformat(at), sample_tg.config)


@given(datasets(max_actors=14, max_events=50), st.integers(20, 380),
       st.sampled_from([(90, 180), (30, 90), (45, 30)]), st.integers(0, 60))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_equal_on_random_datasets(ds, offset, windows, history):
    width, baseline = windows
    cfg = AnalysisConfig().replace(isolation_window_days=width, baseline_days=baseline,
                                   min_history_days=history)
    tg = TemporalGraph.from_dataset(ds, cfg)
    _same(tg, DAY0 + timedelta(days=offset), cfg)
