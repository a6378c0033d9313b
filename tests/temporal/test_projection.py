"""Two-mode projection against an independent computation (biadjacency matrix product)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from genera_graph.temporal import TemporalGraph, coparticipation
from genera_graph.temporal.testing import toy_dataset


def _davis_temporal_graph() -> tuple[TemporalGraph, list[str], list[str], np.ndarray]:
    """Davis's Southern Women (18 women, 14 events) as participations on one day each event."""
    g = nx.davis_southern_women_graph()
    women = sorted(n for n, d in g.nodes(data=True) if d["bipartite"] == 0)
    events = sorted(n for n, d in g.nodes(data=True) if d["bipartite"] == 1)
    biadjacency = np.zeros((len(women), len(events)))
    for w, e in g.edges():
        if w not in women:
            w, e = e, w
        biadjacency[women.index(w), events.index(e)] = 1.0
    w_ids = [f"W{i:02d}" for i in range(len(women))]
    e_ids = [f"E{j:02d}" for j in range(len(events))]
    actors = pd.DataFrame({"actor_id": w_ids, "kind": "individual", "name": "x",
                           "first_met": pd.Timestamp("2016-03-01")})
    activities = pd.DataFrame({"activity_id": e_ids, "kind": "local_event",
                               "programme": "community", "title": "x",
                               "start_date": pd.Timestamp("2016-03-01")})
    rows, cols = np.nonzero(biadjacency)
    participations = pd.DataFrame({
        "activity_id": [e_ids[c] for c in cols],
        "actor_id": [w_ids[r] for r in rows],
        "date": pd.Timestamp("2016-03-01") + pd.to_timedelta(cols, unit="D"),
        "role": "participant", "source": "attendance_sheet",
    })
    tg = TemporalGraph.from_frames(actors, activities=activities, participations=participations)
    return tg, w_ids, e_ids, biadjacency


def _as_matrix(table: pd.DataFrame, ids: list[str], column: str = "weight") -> np.ndarray:
    pos = {a: i for i, a in enumerate(ids)}
    m = np.zeros((len(ids), len(ids)))
    for s, t, w in table[["source", "target", column]].itertuples(index=False):
        m[pos[s], pos[t]] = m[pos[t], pos[s]] = w
    return m


def test_davis_shape():
    tg, women, events, b = _davis_temporal_graph()
    assert (len(women), len(events)) == (18, 14)
    assert b.sum() == 89  # Davis's 89 attendances


def test_davis_count_projection_equals_b_bt():
    """Shared-event counts are the off-diagonal of B @ B.T (Breiger 1974)."""
    tg, women, _, b = _davis_temporal_graph()
    expected = b @ b.T
    np.fill_diagonal(expected, 0)
    table = coparticipation(tg)
    np.testing.assert_allclose(_as_matrix(table, women), expected)
    np.testing.assert_allclose(_as_matrix(table, women, "n_activities"), expected)
    assert (table["nature"] == "peer").all()


def test_davis_newman_projection():
    """Newman weighting: B @ diag(1 / (p - 1)) @ B.T off-diagonal, p = event size."""
    tg, women, _, b = _davis_temporal_graph()
    p = b.sum(axis=0)
    scale = np.where(p > 1, 1.0 / np.maximum(p - 1, 1), 0.0)
    expected = (b * scale) @ b.T
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(_as_matrix(coparticipation(tg, weighting="newman"), women), expected)
    # each participant of an event of size p receives 1 in all from it (Newman 2001)
    strength = _as_matrix(coparticipation(tg, weighting="newman"), women).sum(axis=1)
    np.testing.assert_allclose(strength, b[:, p > 1].sum(axis=1))


def test_davis_window_restricts_events():
    """A window keeps only the events held in it (event j is on day j)."""
    tg, women, _, b = _davis_temporal_graph()
    keep = np.arange(b.shape[1]) < 7
    expected = b[:, keep] @ b[:, keep].T
    np.fill_diagonal(expected, 0)
    table = coparticipation(tg, None, "2016-03-08")
    np.testing.assert_allclose(_as_matrix(table, women), expected)


def test_projection_in_views_matches_public_function():
    tg, women, _, _ = _davis_temporal_graph()
    view = tg.cumulative("2016-12-31", include_coparticipation=True,
                         coparticipation_weighting="newman")
    np.testing.assert_allclose(
        _as_matrix(view.edges, women), _as_matrix(coparticipation(tg, weighting="newman"), women)
    )


def test_household_projection_counts_a_household_once():
    tg = TemporalGraph.from_dataset(toy_dataset())
    table = coparticipation(tg, level="household")
    # I001 and I002 (household H001) and I003 (H002) attend lab A1: one H001-H002 tie
    assert table[["source", "target", "weight", "n_activities"]].values.tolist() == [
        ["H001", "H002", 1.0, 1]
    ]
    newman = coparticipation(tg, level="household", weighting="newman")
    assert newman["weight"].tolist() == [1.0]  # two distinct units: 1 / (2 - 1)


def test_professional_side_makes_a_professional_tie():
    ds = toy_dataset()
    parts = ds.participations.copy()
    parts.loc[len(parts)] = ["A1", "F001", pd.Timestamp("2016-06-15"), "participant",
                             "attendance_sheet"]
    parts.loc[len(parts)] = ["A1", "O001", pd.Timestamp("2016-06-15"), "facilitator",
                             "attendance_sheet"]
    tg = TemporalGraph.from_dataset(type(ds)(**{**ds.tables(), "participations": parts}))
    table = coparticipation(tg).set_index(["source", "target"])["nature"]
    assert table[("I001", "I002")] == "peer"
    assert table[("I001", "F001")] == "professional"  # a facilitator actor
    assert table[("I001", "O001")] == "professional"  # role facilitator
    assert table[("F001", "O001")] == "professional"


def test_unknown_weighting_raises():
    tg = TemporalGraph.from_dataset(toy_dataset())
    with pytest.raises(ValueError, match="weighting"):
        coparticipation(tg, weighting="jaccard")
