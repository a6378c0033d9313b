"""Gould–Fernandez brokerage roles, counted and tested as R's ``sna::brokerage`` does.

A broker j mediates an ordered two-path i -> j -> k (i != k) with no tie i -> k. Its role depends
on the groups of i, j and k (groups: Community Points or programmes):

========  ==============  ============================  =========
code      role            groups of (i, j, k)           pattern
========  ==============  ============================  =========
``w_I``   coordinator     all the same                  A -> A -> A
``w_O``   itinerant       i and k the same, j another   A -> B -> A
``b_IO``  representative  i and j the same, k another   A -> A -> B
``b_OI``  gatekeeper      j and k the same, i another   A -> B -> B
``b_O``   liaison         all different                 A -> B -> C
========  ==============  ============================  =========

These follow the code of ``sna::brokerage`` (its C routine ``brokerage_R``), which is what the
published analyses report; its help page swaps the two labels of b_IO and b_OI.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from math import comb

import numpy as np
import pandas as pd

from genera_graph.analytics._bridging_input import GraphLike, _prepare

__all__ = ["BROKERAGE_CONVENTIONS", "ROLES", "BrokerageResult", "brokerage"]

ROLES: dict[str, str] = {
    "w_I": "coordinator",
    "w_O": "itinerant",
    "b_IO": "representative",
    "b_OI": "gatekeeper",
    "b_O": "liaison",
}
"""Role codes of ``sna::brokerage`` (column order of its output) -> role names."""

_COLUMNS = [*ROLES, "total"]
_GF = "Gould & Fernandez (1989), Sociological Methodology 19:89-126; R sna::brokerage (Butts)"

BROKERAGE_CONVENTIONS: dict[str, dict[str, str]] = {
    **{
        code: {
            "definition": f"number of open two-paths i -> j -> k in which the actor j is the "
            f"{name} ({code})",
            "convention": "ordered two-paths, i != k, no tie i -> k; binary ties (weights "
            "ignored); an undirected tie counts as two arcs; roles as in sna::brokerage's code",
            "reference": _GF,
        }
        for code, name in ROLES.items()
    },
    "total": {
        "definition": "number of open two-paths through the actor, all roles together",
        "convention": "sna::brokerage column 't'",
        "reference": _GF,
    },
    "group": {
        "definition": "the actor's group (Community Point or programme) for brokerage",
        "convention": "",
        "reference": _GF,
    },
    **{
        f"z_{code}": {
            "definition": f"z-score of {code} against the Gould-Fernandez null",
            "convention": "(raw - expected) / sd, expected and sd as sna::brokerage computes them "
            "(Bernoulli graph of the observed density, group sizes fixed); NaN (undefined) where "
            "the null variance is 0, e.g. liaison with two groups; see BrokerageResult.notes",
            "reference": _GF,
        }
        for code in _COLUMNS
    },
}

_REASONS = {
    "w_I": "a coordinator needs at least three actors in the broker's group",
    "w_O": "an itinerant broker needs another group with at least two actors",
    "b_IO": "a representative needs another actor in its own group and an actor outside it",
    "b_OI": "a gatekeeper needs another actor in its own group and an actor outside it",
    "b_O": "a liaison needs at least three groups (two actors from two other groups)",
    "total": "a broker needs at least two other actors",
}


@dataclass(frozen=True, eq=False)
class BrokerageResult:
    """Gould–Fernandez brokerage counts, null moments and z-scores.

    The attributes mirror the list returned by ``sna::brokerage``: ``raw`` = raw.nli,
    ``expected`` = exp.nli, ``sd`` = sd.nli, ``z`` = z.nli, ``global_raw`` = raw.gli,
    ``global_expected`` = exp.gli, ``global_sd`` = sd.gli, ``global_z`` = z.gli,
    ``group_expected`` = exp.grp, ``group_sd`` = sd.grp, ``group_sizes`` = n.

    Attributes
    ----------
    raw
        Counts per actor (index ``actor_id``), columns ``w_I``, ``w_O``, ``b_IO``, ``b_OI``,
        ``b_O``, ``total`` (int64).
    expected, sd, z
        Null expectation, standard deviation and z-score per actor, same shape (float64); z is NaN
        where the null variance is 0 (see ``notes``).
    global_raw, global_expected, global_sd, global_z
        Whole-network counts and moments, indexed by role code.
    group_raw
        Counts summed over the brokers of each group (rows: groups in order of first
        appearance): how much brokerage each Community Point or programme does.
    group_expected, group_sd
        Nodal null moments per group (same rows): what one broker of the group is expected to
        do under the null.
    group
        Group of each actor.
    group_sizes
        Number of actors per group.
    density
        m / (N (N - 1)) with m the number of arcs (an undirected tie counts twice).
    notes
        Column -> why some of its z-scores are undefined (NaN).
    """

    raw: pd.DataFrame
    expected: pd.DataFrame
    sd: pd.DataFrame
    z: pd.DataFrame
    global_raw: pd.Series
    global_expected: pd.Series
    global_sd: pd.Series
    global_z: pd.Series
    group_raw: pd.DataFrame
    group_expected: pd.DataFrame
    group_sd: pd.DataFrame
    group: pd.Series
    group_sizes: pd.Series
    density: float
    directed: bool
    notes: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One tidy table per actor: ``group``, the raw counts and their ``z_`` scores."""
        z = self.z.add_prefix("z_")
        return pd.concat([self.group.rename("group"), self.raw, z], axis=1)


def _open_two_paths(
    n: int, src: np.ndarray, dst: np.ndarray, grp: np.ndarray, n_groups: int
) -> np.ndarray:
    """Open two-paths through each broker j, by group of origin i and of destination k.

    Returns ``open_[j, a, b]``: the number of (i, k), i in group a, k in group b, with i -> j,
    j -> k, i != k and no arc i -> k. Computed as (in-arcs from a) x (out-arcs to b), minus the
    i == k returns (reciprocated arcs), minus the closed triples i -> k, which are counted per arc
    j -> k with bitsets of in-neighbours (popcount of the intersection), one group at a time.
    Memory O(n^2 / 8) bytes per group; time O(m n / 64) word operations per group.
    """
    g = n_groups
    in_cnt = np.bincount(dst * g + grp[src], minlength=n * g).reshape(n, g)
    out_cnt = np.bincount(src * g + grp[dst], minlength=n * g).reshape(n, g)
    open_ = in_cnt[:, :, None] * out_cnt[:, None, :]

    keys = np.sort(src * n + dst)
    rev = dst * n + src
    pos = np.minimum(np.searchsorted(keys, rev), max(len(keys) - 1, 0))
    reciprocated = keys[pos] == rev if len(keys) else np.zeros(0, dtype=bool)
    recip = np.bincount(dst[reciprocated] * g + grp[src[reciprocated]], minlength=n * g).reshape(
        n, g
    )
    open_[:, np.arange(g), np.arange(g)] -= recip

    words = (n + 63) // 64
    chunk = max(1, (1 << 21) // max(words, 1))
    one = np.uint64(1)
    dest_index = src * g + grp[dst]
    for a in range(g):
        from_a = grp[src] == a
        if not from_a.any():
            continue
        bits = np.zeros((n, words), dtype=np.uint64)
        s, d = src[from_a], dst[from_a]
        np.bitwise_or.at(bits, (d, s // 64), one << (s % 64).astype(np.uint64))
        closed = np.zeros(n * g, dtype=np.float64)
        for start in range(0, len(src), chunk):
            j = src[start : start + chunk]
            k = dst[start : start + chunk]
            common = np.bitwise_count(bits[j] & bits[k]).sum(axis=1, dtype=np.int64)
            closed += np.bincount(
                dest_index[start : start + chunk], weights=common, minlength=n * g
            )
        open_[:, a, :] -= np.rint(closed).astype(np.int64).reshape(n, g)
    return open_


def _roles(open_: np.ndarray, grp: np.ndarray) -> np.ndarray:
    n = open_.shape[0]
    rows = np.arange(n)
    coordinator = open_[rows, grp, grp]
    representative = open_[rows, grp, :].sum(axis=1) - coordinator
    gatekeeper = open_[rows, :, grp].sum(axis=1) - coordinator
    itinerant = np.einsum("jaa->j", open_) - coordinator
    total = open_.sum(axis=(1, 2))
    liaison = total - coordinator - representative - gatekeeper - itinerant
    return np.column_stack(
        [coordinator, itinerant, representative, gatekeeper, liaison, total]
    ).astype(np.int64)


def _group_moments(sizes: np.ndarray, N: float, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Nodal null moments per broker group (sna's ``exp.grp`` and ``sd.grp`` squared)."""
    p = d * d * (1 - d)
    q = d**3 * (1 - d) ** 3
    ebr = np.zeros((len(sizes), 6))
    vbr = np.zeros((len(sizes), 6))
    for i, ni in enumerate(sizes):
        other = np.delete(sizes, i)
        ebr[i, 0] = p * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * q
        ebr[i, 1] = p * np.sum(other * (other - 1))
        vbr[i, 1] = ebr[i, 1] * (1 - p) + 2 * np.sum(other * (other - 1) * (other - 2)) * q
        ebr[i, 2] = p * (N - ni) * (ni - 1)
        vbr[i, 2] = (
            ebr[i, 2] * (1 - p)
            + 2 * ((ni - 1) * comb(int(N - ni), 2) + (N - ni) * comb(int(ni - 1), 2)) * q
        )
        ebr[i, 3], vbr[i, 3] = ebr[i, 2], vbr[i, 2]
        ebr[i, 4] = p * (np.sum(np.outer(other, other)) - np.sum(other**2))
        pairs = np.array([comb(int(N - x - ni), 2) for x in other], dtype=np.float64)
        vbr[i, 4] = ebr[i, 4] * (1 - p) + 4 * np.sum(other * pairs * q)
        ebr[i, 5] = p * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - p) + 2 * (N - 1) * (N - 2) * (N - 3) * q
    return ebr, vbr


def _global_moments(n: np.ndarray, N: float, d: float) -> tuple[np.ndarray, np.ndarray]:
    """Whole-network null moments (sna's ``exp.gli`` and ``sd.gli`` squared)."""
    p = d * d * (1 - d)
    d3 = d**3 * (1 - d) ** 3
    d4 = d**4 * (1 - d) ** 2
    d5 = d**5 * (1 - d)
    e = np.zeros(6)
    v = np.zeros(6)
    e[0] = p * np.sum(n * (n - 1) * (n - 2))
    v[0] = e[0] * (1 - p) + np.sum(
        n * (n - 1) * (n - 2) * ((4 * n - 10) * d3 - 4 * (n - 3) * d4 + (n - 3) * d5)
    )
    e[1] = p * np.sum(n * (N - n) * (n - 1))
    x, y = np.meshgrid(n, n, indexing="ij")
    v[1] = e[1] * (1 - p) + (
        np.sum(x * y * (x - 1) * ((2 * x + 2 * y - 6) * d3 + (N - x - 1) * d5))
        - np.sum(n * n * (n - 1) * ((4 * n - 6) * d3 + (N - n - 1) * d5))
    )
    e[2] = p * np.sum(n * (N - n) * (n - 1))
    v[2] = e[2] * (1 - p) + np.sum(n * (N - n) * (n - 1) * ((N - 3) * d3 + (n - 2) * d5))
    e[3], v[3] = e[2], v[2]
    e[4] = p * (np.sum(x * y * (N - x - y)) - np.sum(n * n * (N - 2 * n)))
    v[4] = e[4] * (1 - p)
    k = len(n)
    for a in range(k):
        for b in range(k):
            for c in range(k):
                if a != b and b != c and a != c:
                    v[4] += (
                        n[a]
                        * n[b]
                        * n[c]
                        * (
                            (4 * (N - n[b]) - 2 * (n[a] + n[c] + 1)) * d3
                            - (4 * (N - n[c]) - 2 * (n[a] + n[b] + 1)) * d4
                            + (N - (n[a] + n[c] + 1)) * d5
                        )
                    )
    e[5] = p * N * (N - 1) * (N - 2)
    v[5] = e[5] * (1 - p) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * d3 - 4 * (N - 3) * d4 + (N - 3) * d5
    )
    return e, v


def _z(raw: np.ndarray, expected: np.ndarray, var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sd = np.sqrt(np.maximum(var, 0.0))
    defined = sd > 0
    z = np.full(np.broadcast(raw, expected).shape, np.nan)
    np.divide(raw - expected, sd, out=z, where=defined)
    return sd, z


def brokerage(graph: GraphLike, groups: Mapping[Hashable, Hashable]) -> BrokerageResult:
    """Gould–Fernandez brokerage roles of every actor, with the z-scores of ``sna::brokerage``.

    Parameters
    ----------
    graph
        networkx Graph/DiGraph or igraph Graph. Ties are binary (weights are ignored); an
        undirected tie is two arcs; self-loops are dropped and parallel ties merged.
    groups
        Group of every actor (Community Point or programme): ``{actor_id: group}``.

    Returns
    -------
    BrokerageResult
        Counts per actor (``raw``), null expectation, sd and z-scores per actor and for the whole
        network, per-group nodal moments, and ``notes`` on undefined z-scores;
        ``result.to_frame()`` is the tidy per-actor table.

    Raises
    ------
    ValueError
        If an actor has no group, or the graph has fewer than three actors.

    Notes
    -----
    Counting (as the C code of ``sna::brokerage``): every ordered two-path i -> j -> k with
    i != k and no arc i -> k credits the broker j with one role, by the groups of (i, j, k):
    coordinator ``w_I`` (A -> A -> A), itinerant ``w_O`` (A -> B -> A), representative ``b_IO``
    (A -> A -> B), gatekeeper ``b_OI`` (A -> B -> B), liaison ``b_O`` (A -> B -> C). On an
    undirected graph each such path is also counted reversed, so ``b_IO == b_OI`` actor by actor.

    Null model (Gould & Fernandez 1989, as ``sna::brokerage`` computes it): arcs independent with
    the observed density d = m / (N (N - 1)), group sizes fixed. The nodal expectation of a role
    is d^2 (1 - d) times the number of (i, k) pairs that would give that role (e.g. coordinator
    in a group of size n_g: d^2 (1 - d) (n_g - 1)(n_g - 2)); the variances add the covariances of
    two-paths sharing an arc. z = (raw - expected) / sd. Where the variance is 0 the role cannot
    occur (liaison with two groups: expected 0, variance 0; coordinator in a group of fewer than
    three) and z is **undefined: NaN**, never inf; ``notes`` says why, column by column.

    The nodal moments are exact for that null (checked against brute-force enumeration in the
    tests). The whole-network moments reproduce sna's closed forms: the expectations are exact,
    as are the variances of itinerant and liaison, but sna's variances of coordinator,
    representative, gatekeeper and total are larger than the exact ones (by 5-25% on graphs of
    7-9 actors), so ``global_z`` is conservative for those roles; it is kept as sna computes it.

    Differences from sna: self-loops are dropped before the density is computed (sna counts them
    in m); groups are ordered by first appearance, like sna's ``unique(cl)``.

    Complexity: counting is vectorised (bincounts and bitset intersections, no Python loop over
    actors): O(m n / 64) word operations and O(n^2 / 8) bytes per group, O(n g^2) memory for the
    counts; a graph of a few thousand actors takes well under a second.

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
    brokerage in transaction networks. Sociological Methodology 19, 89-126.
    Butts, C. T. sna: Tools for Social Network Analysis (R package), ``brokerage``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])  # a -> b -> c
    >>> result = brokerage(g, {"a": "P1", "b": "P1", "c": "P2"})
    >>> result.raw.loc["b"].to_dict()
    {'w_I': 0, 'w_O': 0, 'b_IO': 1, 'b_OI': 0, 'b_O': 0, 'total': 1}
    >>> result.notes["b_O"]
    'a liaison needs at least three groups (two actors from two other groups)'
    """
    prep = _prepare(graph, None)
    names = prep.names
    N = prep.n
    if N < 3:
        raise ValueError(f"brokerage needs at least three actors, got {N}")
    missing = [name for name in names if name not in groups or pd.isna(groups[name])]
    if missing:
        raise ValueError(f"{len(missing)} actors have no group, e.g. {missing[:5]!r}")
    labels = pd.Series([groups[name] for name in names], dtype=object)
    codes, uniques = pd.factorize(labels)
    grp = codes.astype(np.int64)
    n_groups = len(uniques)

    edges = np.asarray(prep.graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    src, dst = edges[:, 0], edges[:, 1]
    if not prep.directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    raw = _roles(_open_two_paths(N, src, dst, grp, n_groups), grp)

    d = len(src) / (N * (N - 1))
    sizes = np.bincount(grp, minlength=n_groups).astype(np.float64)
    ebr, vbr = _group_moments(sizes, float(N), d)
    exp_nodal = ebr[grp]
    sd_nodal, z_nodal = _z(raw, exp_nodal, vbr[grp])
    graw = raw.sum(axis=0)
    group_raw = np.zeros((n_groups, len(_COLUMNS)), dtype=np.int64)
    np.add.at(group_raw, grp, raw)
    egbr, vgbr = _global_moments(sizes, float(N), d)
    sd_global, z_global = _z(graw, egbr, vgbr)

    notes = {}
    for col, code in enumerate(_COLUMNS):
        if np.isnan(z_nodal[:, col]).any() or np.isnan(z_global[col]):
            reason = _REASONS[code]
            if d in (0.0, 1.0):
                reason = f"density is {d:g}, so no two-path can be open or every one is"
            notes[code] = reason

    index = pd.Index(names, name="actor_id")
    group_index = pd.Index(list(uniques), name="group")

    def frame(values: np.ndarray, idx: pd.Index = index) -> pd.DataFrame:
        return pd.DataFrame(values, index=idx, columns=_COLUMNS)

    def series(values: np.ndarray, name: str) -> pd.Series:
        return pd.Series(values, index=pd.Index(_COLUMNS, name="role"), name=name)

    return BrokerageResult(
        raw=frame(raw),
        expected=frame(exp_nodal),
        sd=frame(sd_nodal),
        z=frame(z_nodal),
        global_raw=series(graw.astype(np.int64), "raw"),
        global_expected=series(egbr, "expected"),
        global_sd=series(sd_global, "sd"),
        global_z=series(z_global, "z"),
        group_raw=frame(group_raw, group_index),
        group_expected=frame(ebr, group_index),
        group_sd=frame(np.sqrt(np.maximum(vbr, 0.0)), group_index),
        group=pd.Series(labels.to_numpy(), index=index, name="group"),
        group_sizes=pd.Series(sizes.astype(np.int64), index=group_index, name="size"),
        density=float(d),
        directed=prep.directed,
        notes=notes,
    )
