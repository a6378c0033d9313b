"""window_parts + edges_from_parts: any window of whole bins summed from the parts is the
window view itself (co-participation, filters and the nature rule included)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from genera_graph.temporal import TemporalGraph
from genera_graph.temporal.parts import edges_from_parts, window_parts

FILTERS = [
    {},
    {"nature": ["peer"]},
    {"nature": ["professional", "institutional"]},
    {"programme": ["housing", "work"]},
    {"actor_kind": ["individual", "household", "association"]},
    {"community_point": ["CP01"]},
]
WINDOWS = [(0, 36), (9, 12), (3, 4), (20, 30), (35, 36), (0, 1), (10, 22), (14, 15)]


@pytest.fixture(scope="module")
def sample():
    from genera_graph.sample import generate_district

    tg = TemporalGraph.from_dataset(generate_district(2016).dataset)
    months = [dt.date(2016 + (1 + k) // 12, (1 + k) % 12 + 1, 1) for k in range(37)]
    return tg, months


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("level", ["household", "individual"])
def test_windows_summed_from_parts_are_the_window_views(sample, filters, level):
    tg, months = sample
    parts = window_parts(tg, months, level=level, include_coparticipation=True, **filters)
    drawn = 0
    for lo, hi in WINDOWS:
        got = edges_from_parts(parts, lo, hi)
        want = tg.window(months[lo], months[hi], level=level, include_coparticipation=True,
                         **filters).tie_arrays()
        for column, values in want.items():
            assert np.array_equal(got[column], values), (lo, hi, column)
        drawn += len(want["u"])
    assert drawn  # ties compared, not only empty windows


def test_without_coparticipation_the_parts_hold_no_participation(sample):
    tg, months = sample
    parts = window_parts(tg, months, level="household")
    assert len(parts["participations"]) == 0
    got = edges_from_parts(parts, 9, 12)
    want = tg.window(months[9], months[12], level="household").tie_arrays()
    assert np.array_equal(got["u"], want["u"]) and np.array_equal(got["weight"], want["weight"])
