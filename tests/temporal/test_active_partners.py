"""The active-partner kernel against a naive pandas implementation."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from genera_graph.temporal import TemporalGraph, day_number


def _random_frames(seed: int, n: int = 30, m: int = 400, r: int = 40):
    rng = np.random.default_rng(seed)
    ids = [f"A{i:03d}" for i in range(n)]
    day0 = pd.Timestamp("2016-02-01")
    actors = pd.DataFrame({"actor_id": ids, "kind": "individual", "name": "x",
                           "first_met": day0})
    src = rng.integers(0, n, m)
    tgt = (src + rng.integers(1, n, m)) % n
    interactions = pd.DataFrame({
        "interaction_id": [f"X{i}" for i in range(m)],
        "date": day0 + pd.to_timedelta(rng.integers(0, 400, m), unit="D"),
        "source_actor_id": [ids[i] for i in src], "target_actor_id": [ids[i] for i in tgt],
        "kind": "meeting", "nature": rng.choice(["peer", "professional"], m),
        "programme": "community", "source": "survey",
    })
    a = rng.integers(0, n, r)
    b = (a + rng.integers(1, n, r)) % n
    start = rng.integers(0, 400, r)
    length = rng.integers(0, 100, r).astype(float)
    length[rng.random(r) < 0.3] = np.nan  # open relations
    relations = pd.DataFrame({
        "relation_id": [f"R{i}" for i in range(r)], "kind": "lease",
        "actor_id": [ids[i] for i in a], "partner_id": [ids[i] for i in b],
        "start_date": day0 + pd.to_timedelta(start, unit="D"),
        "end_date": day0 + pd.to_timedelta(start + length, unit="D"),
        "nature": "institutional", "programme": "housing", "source": "register",
    })
    return actors, interactions, relations


def _naive(actors, interactions, relations, ends, width, open_end, natures=None):
    events = pd.concat([
        pd.DataFrame({"a": interactions["source_actor_id"], "b": interactions["target_actor_id"],
                      "s": interactions["date"], "e": interactions["date"],
                      "nature": interactions["nature"]}),
        pd.DataFrame({"a": relations["actor_id"], "b": relations["partner_id"],
                      "s": relations["start_date"],
                      "e": relations["end_date"].fillna(pd.Timestamp(open_end)),
                      "nature": relations["nature"]}),
    ])
    if natures is not None:
        events = events[events["nature"].isin(natures)]
    out = {}
    for end in ends:
        end = pd.Timestamp(end)
        first = end - pd.Timedelta(days=width - 1)
        sel = events[(events["s"] <= end) & (events["e"] >= first)]
        both = pd.concat([sel.rename(columns={"a": "x", "b": "y"}),
                          sel.rename(columns={"b": "x", "a": "y"})])
        counts = both.groupby("x")["y"].nunique()
        out[end] = counts.reindex(actors["actor_id"], fill_value=0).to_numpy()
    return pd.DataFrame(out, index=pd.Index(actors["actor_id"], name="actor_id"))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("width", [1, 30, 90])
def test_kernel_matches_naive_pandas(seed, width):
    actors, interactions, relations = _random_frames(seed)
    tg = TemporalGraph.from_frames(actors, interactions=interactions, relations=relations)
    ends = [date(2016, 2, 1) + timedelta(days=d) for d in range(0, 560, 23)]
    got = tg.active_partner_counts(width, ends)
    open_end = tg.log.open_end
    expected = _naive(actors, interactions, relations, ends, width,
                      date(1970, 1, 1) + timedelta(days=open_end))
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())
    assert list(got.index) == list(actors["actor_id"])


def test_kernel_nature_filter_and_month_ends():
    actors, interactions, relations = _random_frames(5)
    tg = TemporalGraph.from_frames(actors, interactions=interactions, relations=relations)
    got = tg.active_partner_counts(90, nature="peer")
    assert got.shape == (30, 36)  # the programme's 36 month-ends by default
    ends = [c.date() for c in got.columns]
    expected = _naive(actors, interactions, relations, ends, 90, None, natures=["peer"])
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


def test_long_form_is_the_wide_form_melted():
    actors, interactions, relations = _random_frames(3)
    tg = TemporalGraph.from_frames(actors, interactions=interactions, relations=relations)
    wide = tg.active_partner_counts(60, ["2016-05-31", "2016-08-31"])
    long = tg.active_partner_counts(60, ["2016-05-31", "2016-08-31"], form="long")
    pivot = long.pivot(index="actor_id", columns="window_end", values="active_partners")
    pivot.index = pivot.index.astype(object)
    assert (pivot.loc[wide.index].to_numpy() == wide.to_numpy()).all()


def test_ends_must_increase():
    actors, interactions, relations = _random_frames(3)
    tg = TemporalGraph.from_frames(actors, interactions=interactions, relations=relations)
    with pytest.raises(ValueError, match="increasing"):
        tg.active_partner_counts(30, ["2016-05-31", "2016-04-30"])
    assert day_number("2016-05-31") > day_number("2016-04-30")
