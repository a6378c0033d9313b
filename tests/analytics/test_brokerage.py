"""Gould–Fernandez brokerage: hand-worked digraphs, sna's counting loop, exact null moments."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from genera_graph.analytics.bridging import ROLES, brokerage

ROLE_CODES = list(ROLES)


def sna_counts(graph: nx.DiGraph | nx.Graph, groups: dict) -> pd.DataFrame:
    """The counting loop of sna's C routine ``brokerage_R`` (sna/src/gli.c), transcribed line by
    line in plain Python: for every arc i -> j and every arc j -> k with k != i, k != j and no
    arc i -> k, credit j by the groups of (i, j, k). An undirected tie is two arcs."""
    succ = {v: set(graph.successors(v) if graph.is_directed() else graph[v]) for v in graph}
    counts = {v: dict.fromkeys(ROLE_CODES, 0) for v in graph}
    for i in graph:
        for j in succ[i]:
            if j == i:
                continue
            for k in succ[j]:
                if k in (i, j) or k in succ[i]:
                    continue
                if groups[j] == groups[i]:
                    role = "w_I" if groups[j] == groups[k] else "b_IO"
                elif groups[j] == groups[k]:
                    role = "b_OI"
                elif groups[i] == groups[k]:
                    role = "w_O"
                else:
                    role = "b_O"
                counts[j][role] += 1
    out = pd.DataFrame.from_dict(counts, orient="index")[ROLE_CODES]
    out["total"] = out.sum(axis=1)
    return out


def hand_digraph() -> tuple[nx.DiGraph, dict]:
    """One small digraph covering every role, groups A, B, C (drawn below).

    coordinator     x1(A) -> x2(A) -> x3(A)            x2: w_I
    itinerant       y1(A) -> y2(B) -> y3(A)            y2: w_O
    representative  z1(A) -> z2(A) -> z3(B)            z2: b_IO  (A -> A -> B)
    gatekeeper      u1(A) -> u2(B) -> u3(B)            u2: b_OI  (A -> B -> B)
    liaison         v1(A) -> v2(B) -> v3(C)            v2: b_O
    closed triad    t1(A) -> t2(A) -> t3(A), t1 -> t3  nobody: the i -> k tie exists
    mutual pair     r1(A) <-> r2(B)                    nobody: i == k is no two-path
    hub             p1(A) -> h(B) -> q1(A)             h: w_O (A -> B -> A)
                    p1(A) -> h(B) -> q2(C)             h: b_O
                    p2(A) -> h(B) -> q2(C)             h: b_O
                    p2(A) -> h(B) -> q1(A), p2 -> q1   closed: not counted
    """
    arcs = [
        ("x1", "x2"), ("x2", "x3"),
        ("y1", "y2"), ("y2", "y3"),
        ("z1", "z2"), ("z2", "z3"),
        ("u1", "u2"), ("u2", "u3"),
        ("v1", "v2"), ("v2", "v3"),
        ("t1", "t2"), ("t2", "t3"), ("t1", "t3"),
        ("r1", "r2"), ("r2", "r1"),
        ("p1", "h"), ("p2", "h"), ("h", "q1"), ("h", "q2"), ("p2", "q1"),
    ]  # fmt: skip
    groups = {
        "x1": "A", "x2": "A", "x3": "A",
        "y1": "A", "y2": "B", "y3": "A",
        "z1": "A", "z2": "A", "z3": "B",
        "u1": "A", "u2": "B", "u3": "B",
        "v1": "A", "v2": "B", "v3": "C",
        "t1": "A", "t2": "A", "t3": "A",
        "r1": "A", "r2": "B",
        "p1": "A", "p2": "A", "h": "B", "q1": "A", "q2": "C",
    }  # fmt: skip
    return nx.DiGraph(arcs), groups


def test_hand_worked_digraph_covers_every_role():
    """Counts worked by hand on the drawing of hand_digraph (sna::brokerage's counting: ordered
    two-paths i -> j -> k, i != k, no i -> k tie; b_IO = A -> A -> B, b_OI = A -> B -> B)."""
    g, groups = hand_digraph()
    raw = brokerage(g, groups).raw
    expected = pd.DataFrame(0, index=raw.index, columns=raw.columns)
    expected.loc["x2", "w_I"] = 1
    expected.loc["y2", "w_O"] = 1
    expected.loc["z2", "b_IO"] = 1
    expected.loc["u2", "b_OI"] = 1
    expected.loc["v2", "b_O"] = 1
    expected.loc["h", ["w_O", "b_O"]] = [1, 2]
    expected["total"] = expected[ROLE_CODES].sum(axis=1)
    pd.testing.assert_frame_equal(raw, expected)
    result = brokerage(g, groups)
    assert result.global_raw.to_dict() == {
        "w_I": 1, "w_O": 2, "b_IO": 1, "b_OI": 1, "b_O": 3, "total": 8,
    }  # fmt: skip
    assert result.density == pytest.approx(20 / (25 * 24))
    # per broker group: A brokers x2 (w_I) and z2 (b_IO); B brokers y2, u2, v2 and h; C none
    assert result.group_raw.loc["A"].tolist() == [1, 0, 1, 0, 0, 2]
    assert result.group_raw.loc["B"].tolist() == [0, 2, 0, 1, 3, 6]
    assert result.group_raw.loc["C"].tolist() == [0, 0, 0, 0, 0, 0]
    assert result.group_sizes.to_dict() == {"A": 16, "B": 7, "C": 2}


def test_hand_worked_undirected_path():
    """Undirected a(A) - b(A) - c(B), by hand: the tie pair gives the two-paths a -> b -> c
    (representative, A -> A -> B) and c -> b -> a (gatekeeper, B -> A -> A)."""
    g = nx.path_graph(["a", "b", "c"])
    raw = brokerage(g, {"a": "A", "b": "A", "c": "B"}).raw
    assert raw.loc["b"].to_dict() == {
        "w_I": 0, "w_O": 0, "b_IO": 1, "b_OI": 1, "b_O": 0, "total": 2,
    }  # fmt: skip
    assert raw.loc[["a", "c"]].to_numpy().sum() == 0


@pytest.mark.parametrize("n_groups", [2, 3, 5])
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_counts_match_sna_loop(seed, directed, n_groups):
    """The vectorised counts equal sna's own counting loop (transcribed in sna_counts) on seeded
    random graphs, directed (with mutual arcs) and undirected."""
    g = nx.gnp_random_graph(40, 0.12, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    groups = {v: f"g{rng.integers(0, n_groups)}" for v in g}
    ours = brokerage(g, groups).raw
    oracle = sna_counts(g, groups).loc[ours.index]
    np.testing.assert_array_equal(ours.to_numpy(), oracle.to_numpy())
    assert ours.dtypes.eq(np.int64).all()


@pytest.mark.parametrize("seed", [2, 3])
def test_undirected_symmetry(seed):
    """On an undirected graph every open two-path is also counted reversed, so b_IO == b_OI actor
    by actor (tests/data/oracles.md pitfall), and the result equals the digraph with both arcs."""
    g = nx.gnp_random_graph(30, 0.15, seed=seed)
    groups = {v: v % 3 for v in g}
    result = brokerage(g, groups)
    assert (result.raw["b_IO"] == result.raw["b_OI"]).all()
    assert result.raw["b_IO"].sum() > 0
    twice = brokerage(nx.DiGraph(g), groups)
    pd.testing.assert_frame_equal(result.raw, twice.raw)
    pd.testing.assert_frame_equal(result.z, twice.z)
    assert result.density == pytest.approx(nx.density(g))
    assert not result.directed and twice.directed


def test_two_groups_liaison_impossible():
    """With two groups liaison is impossible: count 0, expected 0, null variance 0, so its z-score
    is undefined (NaN, never inf), with the reason in notes (tests/data/oracles.md pitfall)."""
    g = nx.gnp_random_graph(30, 0.2, seed=4, directed=True)
    result = brokerage(g, {v: v % 2 for v in g})
    assert (result.raw["b_O"] == 0).all()
    assert (result.expected["b_O"] == 0).all()
    assert result.z["b_O"].isna().all()
    assert np.isnan(result.global_z["b_O"])
    assert "three groups" in result.notes["b_O"]
    assert not np.isinf(result.z.to_numpy()).any()
    assert result.z[["w_I", "w_O", "b_IO", "b_OI", "total"]].notna().all().all()


def test_small_group_makes_coordinator_undefined():
    """A group of one actor has no coordinator role (needs three in the group): expected 0,
    variance 0, z NaN for that actor only, reason in notes."""
    g = nx.gnp_random_graph(20, 0.3, seed=5, directed=True)
    groups = {v: ("solo" if v == 0 else v % 2) for v in g}
    result = brokerage(g, groups)
    assert np.isnan(result.z.loc[0, "w_I"])
    assert result.z.drop(index=0)["w_I"].notna().all()
    assert "w_I" in result.notes


# --- null moments: exact enumeration under sna's null model --------------------------------------


def _role(gi, gj, gk) -> str:
    if gi == gj == gk:
        return "w_I"
    if gi == gj:
        return "b_IO"
    if gj == gk:
        return "b_OI"
    if gi == gk:
        return "w_O"
    return "b_O"


def exact_moments(triples: list[tuple[int, int, int]], d: float) -> tuple[float, float]:
    """Mean and variance of the number of open two-paths among ``triples`` when every arc is
    present independently with probability d (sna's null): enumerate every pair of triples and
    the arcs they require present (i -> j, j -> k) or absent (i -> k)."""
    need = [{(i, j): True, (j, k): True, (i, k): False} for i, j, k in triples]
    p = d * d * (1 - d)
    var = 0.0
    for x in need:
        for y in need:
            merged = dict(x)
            joint = 1.0
            for arc, present in y.items():
                if arc in merged and merged[arc] != present:
                    joint = 0.0
                    break
                merged[arc] = present
            if joint:
                joint = float(np.prod([d if v else 1 - d for v in merged.values()]))
            var += joint - p * p
    return len(triples) * p, var


def test_nodal_moments_match_exact_enumeration():
    """The nodal expectation and sd of every role (sna::brokerage's exp.nli / sd.nli, Gould &
    Fernandez 1989) equal those of the null model computed by brute-force enumeration of every
    pair of ordered triples through the broker (arcs independent with the observed density,
    group sizes 1, 2 and 4 fixed). Note: the null is a Bernoulli graph with fixed groups, not a
    permutation of the group labels."""
    g = nx.gnp_random_graph(7, 0.35, seed=6, directed=True)
    groups = {0: "X", 1: "Y", 2: "Y", 3: "Z", 4: "Z", 5: "Z", 6: "Z"}
    result = brokerage(g, groups)
    d = result.density
    for j in [0, 1, 3]:  # one broker per group
        for code in [*ROLE_CODES, "total"]:
            triples = [
                (i, j, k)
                for i, k in itertools.permutations(set(g) - {j}, 2)
                if code == "total" or _role(groups[i], groups[j], groups[k]) == code
            ]
            mean, var = exact_moments(triples, d)
            assert result.expected.loc[j, code] == pytest.approx(mean, abs=1e-12)
            assert result.sd.loc[j, code] == pytest.approx(np.sqrt(var), abs=1e-12)


def test_global_moments_against_exact_enumeration():
    """Global moments (sna's exp.gli / sd.gli) against brute-force enumeration over all ordered
    triples of the same null model. Every expectation matches; the variances of itinerant and
    liaison match too, but sna's closed-form variances for coordinator, representative,
    gatekeeper and total are larger than the exact ones (reproduced here on purpose: z-scores
    are those of sna::brokerage; see the Notes of brokerage)."""
    g = nx.gnp_random_graph(7, 0.35, seed=6, directed=True)
    groups = {0: "X", 1: "Y", 2: "Y", 3: "Z", 4: "Z", 5: "Z", 6: "Z"}
    result = brokerage(g, groups)
    for code in [*ROLE_CODES, "total"]:
        triples = [
            t
            for t in itertools.permutations(g, 3)
            if code == "total" or _role(*(groups[v] for v in t)) == code
        ]
        mean, var = exact_moments(triples, result.density)
        assert result.global_expected[code] == pytest.approx(mean, abs=1e-12)
        if code in ("w_O", "b_O"):
            assert result.global_sd[code] ** 2 == pytest.approx(var, abs=1e-9)
        else:
            assert result.global_sd[code] ** 2 > var + 1e-6


def test_z_scores_are_standardised_counts():
    """z = (raw - expected) / sd wherever sd > 0 (sna's z.nli and z.gli)."""
    g, groups = hand_digraph()
    result = brokerage(g, groups)
    defined = result.sd > 0
    z = (result.raw - result.expected) / result.sd
    np.testing.assert_allclose(result.z[defined].to_numpy(float), z[defined].to_numpy(float))
    assert result.z[~defined].isna().all().all()
    frame = result.to_frame()
    assert list(frame.columns[:7]) == ["group", *ROLE_CODES, "total"]
    assert frame.index.name == "actor_id"


def test_errors():
    """Missing group -> ValueError; fewer than three actors -> ValueError."""
    with pytest.raises(ValueError, match="no group"):
        brokerage(nx.path_graph(4), {0: "a", 1: "a", 2: "b"})
    with pytest.raises(ValueError, match="three actors"):
        brokerage(nx.path_graph(2), {0: "a", 1: "b"})
