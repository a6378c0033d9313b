"""Statistical disclosure control: quasi-identifiers, hierarchies, k-anonymity, l-diversity.

The method of the tools that national statistics offices use (sdcMicro, ARX): each released
table declares its **quasi-identifiers** (the columns an intruder may know from elsewhere: the
Community Point, the month someone was met, the household size...), each with a
**generalisation hierarchy** (month -> quarter -> year; size -> bands; amount -> bands;
facilitator -> point -> district). :func:`anonymise_table` then makes the table
**k-anonymous** (every combination of quasi-identifier values is shared by at least ``k``
persons) and **l-diverse** (each such group holds at least ``l`` distinct values of every
sensitive attribute):

1. *generalisation first*: one hierarchy level at a time, the step that leaves fewest persons
   at risk (full-domain, greedy, like Datafly/ARX's bottom-up search), until at most
   ``max_suppression`` of the persons are left at risk;
2. *then local suppression*: the remaining risky records lose quasi-identifier values (``*``),
   the column with most distinct values first (sdcMicro's default importance); a record still
   at risk with every quasi-identifier suppressed is removed, and counted.

:func:`aggregate_table` does the same for a table of counts (the cells are the groups; a cell
of fewer than ``k`` persons is suppressed). :func:`measure` is the risk report of a table:
``k`` and ``l`` reached, the share of persons unique and at risk (in a group of fewer than
``k``). The declarations themselves, per table, are in :mod:`genera_graph.exports.dataset`.

Values are compared as text labels: a date at the month level is ``2016-06``, at the quarter
``2016-Q2``, at the year ``2016``; a suppressed value is ``*``; a missing value stays missing
(and is a value of its own for grouping: "not left" is something an intruder can know).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"person": list("abcdefgh"), "point": list("XXXXYYYY"),
...                       "met": pd.to_datetime(["2016-01-05", "2016-02-03", "2016-02-20",
...                           "2016-03-01", "2016-01-09", "2016-02-11", "2016-03-30",
...                           "2016-03-31"])})
>>> qis = (QuasiIdentifier("point", POINT), QuasiIdentifier("met", DATES, start="month"))
>>> measure(frame, qis, entity="person", k=4)["k"]
1
>>> out, report = anonymise_table(frame, qis, entity="person", k=4)
>>> out["met"].unique().tolist(), report["after"]["k"]
(['2016-Q1'], 4)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "AMOUNT",
    "CATEGORY",
    "DATES",
    "FACILITATOR",
    "HOUSEHOLD_SIZE",
    "PARTNER",
    "POINT",
    "SUPPRESSED",
    "BandHierarchy",
    "CategoryHierarchy",
    "DateHierarchy",
    "FacilitatorHierarchy",
    "QuasiIdentifier",
    "aggregate_table",
    "anonymise_table",
    "coarsen_label",
    "measure",
]

#: The label of a locally suppressed value.
SUPPRESSED = "*"


class DateHierarchy:
    """Dates: day -> month -> quarter -> year -> ``*``.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2016-06-14", None]))
    >>> [DATES.generalise(days, lv).tolist()[0] for lv in DATES.levels]
    ['2016-06-14', '2016-06', '2016-Q2', '2016', '*']
    >>> pd.isna(DATES.generalise(days, "year")[1])
    True
    """

    name = "date"
    levels = ("day", "month", "quarter", "year", SUPPRESSED)

    def generalise(self, values: pd.Series, level: str,
                   frame: pd.DataFrame | None = None) -> pd.Series:
        if level not in self.levels:
            raise ValueError(f"date level must be one of {self.levels}, not {level!r}")
        if not pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = pd.to_datetime(values)
        if level == SUPPRESSED:
            text = pd.Series(SUPPRESSED, index=values.index, dtype=object)
        elif level == "day":
            text = values.dt.strftime("%Y-%m-%d")
        elif level == "month":
            text = values.dt.strftime("%Y-%m")
        elif level == "quarter":
            text = values.dt.year.astype("Int64").astype(str) + "-Q" + \
                values.dt.quarter.astype("Int64").astype(str)
        else:
            text = values.dt.year.astype("Int64").astype(str)
        return _text(text.where(values.notna()))

    def describe(self) -> str:
        return "day -> month (2016-06) -> quarter (2016-Q2) -> year (2016) -> *"


@dataclass(frozen=True)
class BandHierarchy:
    """Numbers: the exact value, then bands of growing width, then ``*``.

    Each band level is a tuple of lower edges: a value ``v`` falls in ``[e_i, e_{i+1})``;
    below the first edge it is ``<e_0``, from the last edge it is ``e_n+``.

    Examples
    --------
    >>> import pandas as pd
    >>> sizes = pd.Series([1, 2, 4, 7, None])
    >>> HOUSEHOLD_SIZE.generalise(sizes, "1,2,3-4,5+").tolist()[:4]
    ['1', '2', '3-4', '5+']
    >>> AMOUNT.generalise(pd.Series([1500.0, 2600.0]), "<1000,1000-2499,2500+").tolist()
    ['1000-2499', '2500+']
    """

    name: str
    bands: tuple[tuple[float, ...], ...]

    @property
    def levels(self) -> tuple[str, ...]:
        return ("exact", *(self._band_name(edges) for edges in self.bands), SUPPRESSED)

    @staticmethod
    def _label(value: float, edges: tuple[float, ...]) -> str:
        if value < edges[0]:
            return f"<{edges[0]:g}"
        for low, high in zip(edges, edges[1:], strict=False):
            if low <= value < high:
                return f"{low:g}" if high - low == 1 else f"{low:g}-{high - 1:g}"
        return f"{edges[-1]:g}+"

    def _band_name(self, edges: tuple[float, ...]) -> str:
        labels = [f"<{edges[0]:g}"] if edges[0] > min(1, edges[0]) else []
        labels += [self._label(e, edges) for e in edges]
        return ",".join(labels)

    def generalise(self, values: pd.Series, level: str,
                   frame: pd.DataFrame | None = None) -> pd.Series:
        levels = self.levels
        if level not in levels:
            raise ValueError(f"{self.name} level must be one of {levels}, not {level!r}")
        numbers = pd.to_numeric(values, errors="coerce")
        if level == SUPPRESSED:
            text = pd.Series(SUPPRESSED, index=values.index, dtype=object)
        elif level == "exact":
            text = numbers.map(lambda v: f"{v:g}", na_action="ignore")
        else:
            edges = self.bands[levels.index(level) - 1]
            text = numbers.map(lambda v: self._label(v, edges), na_action="ignore")
        return _text(text.where(numbers.notna()))

    def describe(self) -> str:
        return " -> ".join(self.levels)


@dataclass(frozen=True)
class CategoryHierarchy:
    """A category (a kind, a role, a pseudonym): the value, then ``*``.

    Examples
    --------
    >>> import pandas as pd
    >>> POINT.generalise(pd.Series(["P1", None]), "district").tolist()[0]
    '*'
    """

    name: str
    levels: tuple[str, str] = ("value", SUPPRESSED)

    def generalise(self, values: pd.Series, level: str,
                   frame: pd.DataFrame | None = None) -> pd.Series:
        if level not in self.levels:
            raise ValueError(f"{self.name} level must be one of {self.levels}, not {level!r}")
        if level == self.levels[-1]:
            return _text(pd.Series(SUPPRESSED, index=values.index, dtype=object)
                         .where(values.notna()))
        return _text(values)

    def describe(self) -> str:
        return " -> ".join(self.levels)


@dataclass(frozen=True)
class FacilitatorHierarchy:
    """A facilitator -> the Community Point (the value of ``context``) -> the district (``*``).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"cp": ["P1", "P2"], "fac": ["F1", None]})
    >>> FACILITATOR.generalise(frame["fac"], "point", frame, context="cp").tolist()
    ['P1', None]
    """

    name: str = "facilitator"
    levels: tuple[str, ...] = ("facilitator", "point", "district")

    def generalise(self, values: pd.Series, level: str, frame: pd.DataFrame | None = None,
                   *, context: str | None = None) -> pd.Series:
        if level not in self.levels:
            raise ValueError(f"facilitator level must be one of {self.levels}, not {level!r}")
        if level == "facilitator":
            return _text(values)
        if level == "point":
            if frame is None or context is None:
                raise ValueError("the facilitator -> point level needs the point column")
            return _text(frame[context].where(values.notna()))
        return _text(pd.Series(SUPPRESSED, index=values.index, dtype=object)
                     .where(values.notna()))

    def describe(self) -> str:
        return "facilitator -> Community Point -> district (*)"


def _text(series: pd.Series) -> pd.Series:
    """Text labels as an object column (missing stays missing)."""
    out = series.astype(object)
    return out.where(out.notna(), None)


#: month -> quarter -> year (dates)
DATES = DateHierarchy()
#: household size -> bands
HOUSEHOLD_SIZE = BandHierarchy("household size", ((1, 2, 3, 5), (1, 3, 5), (1, 4)))
#: amounts in EUR -> bands
AMOUNT = BandHierarchy("amount (EUR)", ((1000, 1500, 2000, 2500, 3000), (1000, 2500), (2500,)))
#: Community Point -> district
POINT = CategoryHierarchy("Community Point", ("point", "district"))
#: facilitator -> point -> district
FACILITATOR = FacilitatorHierarchy()
#: partner organisation -> any
PARTNER = CategoryHierarchy("partner organisation", ("partner", SUPPRESSED))
#: a category (kind, role, programme, nature) -> any
CATEGORY = CategoryHierarchy("category")


@dataclass(frozen=True)
class QuasiIdentifier:
    """One declared quasi-identifier: a column, its hierarchy, the lowest level released.

    Attributes
    ----------
    column : str
    hierarchy : hierarchy
        :data:`DATES`, :data:`HOUSEHOLD_SIZE`, :data:`AMOUNT`, :data:`POINT`,
        :data:`FACILITATOR`, :data:`PARTNER`, :data:`CATEGORY` or one like them.
    start : str, optional
        The finest level released (default the hierarchy's first), e.g. ``"month"`` for dates
        already coarsened to the month.
    context : str, optional
        The column a level refers to (the Community Point of a facilitator).
    """

    column: str
    hierarchy: Any
    start: str | None = None
    context: str | None = None

    @property
    def levels(self) -> tuple[str, ...]:
        levels = tuple(self.hierarchy.levels)
        return levels[levels.index(self.start):] if self.start else levels

    def generalise(self, frame: pd.DataFrame, level: str) -> pd.Series:
        if self.context is not None:
            return self.hierarchy.generalise(frame[self.column], level, frame,
                                             context=self.context)
        return self.hierarchy.generalise(frame[self.column], level, frame)

    def declaration(self) -> dict[str, Any]:
        out = {"column": self.column, "hierarchy": self.hierarchy.name,
               "levels": list(self.levels)}
        if self.context:
            out["context"] = self.context
        return out


# -- measuring -------------------------------------------------------------------------------


def _codes(series: pd.Series) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    return codes.astype(np.int64), max(len(uniques), 1)


@dataclass
class _Groups:
    """Group structure of a table on a set of label columns (numpy, for the search loop)."""

    group: np.ndarray          # group id of each row
    entities: np.ndarray       # distinct entities of each group
    diversity: np.ndarray      # fewest distinct values of a sensitive attribute, per group
    entity_codes: np.ndarray


def _groups(labels: Sequence[np.ndarray], entity: np.ndarray,
            sensitive: Sequence[np.ndarray]) -> _Groups:
    n = len(entity)
    key = np.zeros(n, dtype=np.int64)
    for codes in labels:
        key, _ = _codes(pd.Series(key * (int(codes.max(initial=0)) + 1) + codes))
    n_groups = int(key.max(initial=-1)) + 1
    entities = _distinct_per_group(key, entity, n_groups)
    diversity = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
    for values in sensitive:
        diversity = np.minimum(diversity, _distinct_per_group(key, values, n_groups))
    return _Groups(key, entities, diversity, entity)


def _distinct_per_group(key: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    if n_groups == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = np.unique(key * (int(values.max(initial=0)) + 1) + values)
    return np.bincount(pairs // (int(values.max(initial=0)) + 1), minlength=n_groups)


def _risky_rows(groups: _Groups, k: int, diversity: int) -> np.ndarray:
    risky_group = (groups.entities < k) | (groups.diversity < diversity)
    return risky_group[groups.group]


def _entity_share(rows: np.ndarray, entity: np.ndarray) -> float:
    total = len(np.unique(entity))
    return float(len(np.unique(entity[rows])) / total) if total else 0.0


def _entity_array(frame: pd.DataFrame, entity: str | None) -> np.ndarray:
    if entity is None:
        return np.arange(len(frame), dtype=np.int64)
    # a row without an entity (a missing id) counts as an entity of its own
    ids = frame[entity].astype(object)
    own = pd.Series([f"\x00row{i}" for i in range(len(frame))], index=frame.index)
    return _codes(ids.where(ids.notna(), own))[0]


def measure(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier] | Sequence[str], *,
            entity: str | None = None, sensitive: Iterable[str] = (), k: int = 5,
            levels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The disclosure risk of a table on its quasi-identifiers.

    Parameters
    ----------
    frame : DataFrame
        The table (one row per record).
    qis : sequence of QuasiIdentifier or of column names
        The quasi-identifiers; plain column names are taken as they are (labels).
    entity : str, optional
        The column of the person (or household, activity) a record is about: groups are
        counted in distinct entities. Default: every row is an entity.
    sensitive : iterable of str
        Sensitive attributes, for l-diversity.
    k : int
        The threshold of "at risk".
    levels : mapping of str to str, optional
        The level of each QuasiIdentifier (default its finest).

    Returns
    -------
    dict
        ``records``, ``entities``, ``groups``; ``k`` (the smallest group, in entities);
        ``l`` (fewest distinct values of a sensitive attribute in a group; ``None`` without
        sensitive attributes); ``unique_share`` (share of entities with a record that no
        other entity shares) and ``at_risk_share`` (share of entities with a record in a group
        of fewer than ``k`` entities), as in sdcMicro's sample-uniques and k-anonymity
        violations.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"cp": ["A", "A", "B"], "kind": ["x", "y", "x"]})
    >>> r = measure(t, ["cp"], sensitive=["kind"], k=2)
    >>> r["k"], r["l"], round(r["unique_share"], 2), round(r["at_risk_share"], 2)
    (1, 1, 0.33, 0.33)
    """
    sensitive = list(sensitive)
    columns = []
    for qi in qis:
        if isinstance(qi, QuasiIdentifier):
            level = (levels or {}).get(qi.column, qi.levels[0])
            columns.append(qi.generalise(frame, level))
        else:
            columns.append(frame[qi])
    entity_codes = _entity_array(frame, entity)
    groups = _groups([_codes(c)[0] for c in columns], entity_codes,
                     [_codes(frame[s])[0] for s in sensitive])
    per_row = groups.entities[groups.group] if len(frame) else np.zeros(0, dtype=np.int64)
    return {
        "records": len(frame),
        "entities": int(len(np.unique(entity_codes))),
        "groups": int(len(groups.entities)),
        "k": int(groups.entities.min()) if len(groups.entities) else None,
        "l": (int(groups.diversity.min()) if sensitive and len(groups.entities) else None),
        "unique_share": _entity_share(per_row == 1, entity_codes),
        "at_risk_share": _entity_share(per_row < k, entity_codes),
    }


# -- enforcing -------------------------------------------------------------------------------


def _search(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier], entity: np.ndarray,
            sensitive: Sequence[np.ndarray], k: int, diversity: int,
            max_suppression: float) -> tuple[dict[str, str], dict[str, pd.Series]]:
    """Greedy bottom-up full-domain generalisation: raise the level that leaves fewest at risk."""
    cache: dict[tuple[str, str], tuple[pd.Series, np.ndarray]] = {}

    def column(qi: QuasiIdentifier, level: str) -> tuple[pd.Series, np.ndarray]:
        if (qi.column, level) not in cache:
            labels = qi.generalise(frame, level)
            cache[qi.column, level] = (labels, _codes(labels)[0])
        return cache[qi.column, level]

    def risk(levels: Mapping[str, str]) -> float:
        groups = _groups([column(qi, levels[qi.column])[1] for qi in qis], entity, sensitive)
        return _entity_share(_risky_rows(groups, k, diversity), entity)

    levels = {qi.column: qi.levels[0] for qi in qis}
    current = risk(levels)
    while current > max_suppression:
        best = None
        for position, qi in enumerate(qis):
            index = qi.levels.index(levels[qi.column])
            if index + 1 >= len(qi.levels):
                continue
            trial = dict(levels, **{qi.column: qi.levels[index + 1]})
            # fewest at risk; then the smaller step of information loss; then declared order
            score = (risk(trial), 1 / (len(qi.levels) - 1), position)
            if best is None or score < best[0]:
                best = (score, trial)
        if best is None:
            break
        levels, current = best[1], best[0][0]
    return levels, {qi.column: column(qi, levels[qi.column])[0] for qi in qis}


def _loss(qis: Sequence[QuasiIdentifier], levels: Mapping[str, str]) -> dict[str, float]:
    """Generalisation height of each QI, 0 (as released at its finest) to 1 (all ``*``)."""
    return {qi.column: (qi.levels.index(levels[qi.column]) / (len(qi.levels) - 1)
                        if len(qi.levels) > 1 else 0.0) for qi in qis}


def anonymise_table(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier], *,
                    entity: str | None = None, sensitive: Iterable[str] = (), k: int = 5,
                    diversity: int = 1, max_suppression: float = 0.05,
                    ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Make a record table k-anonymous and l-diverse: generalisation, then local suppression.

    Parameters
    ----------
    frame : DataFrame
        The records (ids already pseudonymised).
    qis : sequence of QuasiIdentifier
        The declared quasi-identifiers.
    entity : str, optional
        The column of the person each record is about (groups count distinct entities).
    sensitive : iterable of str
        Sensitive attributes (kept as they are; each group must show ``l`` distinct values).
    k : int
        Every group must hold at least ``k`` entities.
    diversity : int
        ``l`` of l-diversity: every group must show at least this many distinct values of
        each sensitive attribute (1: none asked).
    max_suppression : float
        Generalisation stops when at most this share of the entities is still at risk; those
        are then suppressed locally.

    Returns
    -------
    table : DataFrame
        A copy whose quasi-identifier columns are text labels at their chosen level, ``*``
        where suppressed; records still at risk with every quasi-identifier suppressed are
        removed.
    report : dict
        ``levels`` (chosen level per QI), ``information_loss`` (generalisation height per QI,
        0..1, and its mean), ``suppressed_values`` (per QI), ``records_removed``, and the
        :func:`measure` of the table ``before`` (every QI at its finest level) and ``after``.

    Notes
    -----
    Greedy: at most (sum of the hierarchy heights) x (number of QIs) groupings of the table,
    each O(rows log rows). Missing values are a value of their own, ``*`` is one too
    (conservative: a suppressed value never counts as matching another group).
    """
    sensitive = list(sensitive)
    frame = frame.reset_index(drop=True)
    entity_codes = _entity_array(frame, entity)
    sens_codes = [_codes(frame[s])[0] for s in sensitive]
    before = measure(frame, qis, entity=entity, sensitive=sensitive, k=k)
    levels, labels = _search(frame, qis, entity_codes, sens_codes, k, diversity, max_suppression)
    labels = {c: s.copy() for c, s in labels.items()}
    codes = {c: _codes(s)[0] for c, s in labels.items()}
    suppressed = {qi.column: 0 for qi in qis}

    def risky() -> np.ndarray:
        groups = _groups([codes[qi.column] for qi in qis], entity_codes, sens_codes)
        return _risky_rows(groups, k, diversity)

    mask = risky()
    # the column with most distinct values goes first (sdcMicro's default importance)
    order = sorted(qis, key=lambda q: -labels[q.column].nunique(dropna=False))
    for qi in order:
        if not mask.any():
            break
        column = labels[qi.column]
        hit = mask & column.notna().to_numpy() & (column != SUPPRESSED).to_numpy()
        labels[qi.column] = column.mask(hit, SUPPRESSED)
        codes[qi.column] = _codes(labels[qi.column])[0]
        suppressed[qi.column] += int(hit.sum())
        mask = risky()
    out = frame.copy()
    for qi in qis:
        out[qi.column] = labels[qi.column].astype(object)
    removed = int(mask.sum())
    if removed:
        out = out.loc[~mask].reset_index(drop=True)
    loss = _loss(qis, levels)
    report = {
        "levels": levels,
        "information_loss": {"generalisation": loss,
                             "mean_generalisation": (float(np.mean(list(loss.values())))
                                                     if loss else 0.0),
                             "suppressed_values": suppressed,
                             "records_removed": removed},
        "before": before,
        "after": measure(out, [qi.column for qi in qis], entity=entity,
                         sensitive=sensitive, k=k),
    }
    return out, report


def aggregate_table(frame: pd.DataFrame, qis: Sequence[QuasiIdentifier], *,
                    entity: str, count: str, sensitive: Iterable[str] = (),
                    extra_counts: Mapping[str, str | None] | None = None, k: int = 5,
                    diversity: int = 1, max_suppression: float = 0.05,
                    ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A table of counts over generalised quasi-identifiers, small cells suppressed.

    Parameters
    ----------
    frame : DataFrame
        The records the counts are made of.
    qis : sequence of QuasiIdentifier
        The dimensions an intruder may know; generalised as in :func:`anonymise_table`.
    entity : str
        The column whose distinct values are counted (persons, households, activities).
    count : str
        The name of the entity count column.
    sensitive : iterable of str
        Sensitive dimensions: they split the cells, and every group of the QI dimensions must
        show ``l`` distinct values among its released cells.
    extra_counts : mapping, optional
        More counts per cell: name -> column of distinct values, or ``None`` for rows.
    k, diversity, max_suppression
        As in :func:`anonymise_table`.

    Returns
    -------
    table : DataFrame
        One row per cell (dimension labels, counts); counts of a suppressed cell are missing
        and ``suppressed`` is true. No totals are released (they would give suppressed cells
        back by difference).
    report : dict
        As :func:`anonymise_table`, with ``cells`` and ``cells_suppressed``.

    Examples
    --------
    >>> import pandas as pd
    >>> records = pd.DataFrame({"person": range(12), "cp": ["A"] * 7 + ["B"] * 5,
    ...                         "kind": ["x", "y"] * 6})
    >>> table, report = aggregate_table(records, [QuasiIdentifier("cp", POINT)],
    ...     entity="person", count="persons", sensitive=["kind"], k=3,
    ...     diversity=2)
    >>> table["persons"].tolist(), report["cells_suppressed"]  # B: y alone would tell the kind
    ([4, 3, <NA>, <NA>], 2)
    """
    sensitive = list(sensitive)
    frame = frame.reset_index(drop=True)
    entity_codes = _entity_array(frame, entity)
    sens_codes = [_codes(frame[s])[0] for s in sensitive]
    before = measure(frame, qis, entity=entity, sensitive=sensitive, k=k)
    levels, labels = _search(frame, qis, entity_codes, sens_codes, k, diversity, max_suppression)
    dims = [qi.column for qi in qis]
    work = pd.DataFrame({c: labels[c] for c in dims})
    for s in sensitive:
        work[s] = frame[s].astype(object)
    work["_entity"] = entity_codes
    extra_counts = dict(extra_counts or {})
    for name, column in extra_counts.items():
        work[f"_x_{name}"] = (np.arange(len(frame)) if column is None
                              else _entity_array(frame, column))
    keys = dims + sensitive
    grouped = work.groupby(keys, dropna=False, sort=True)
    table = grouped["_entity"].nunique().rename(count).reset_index()
    for name in extra_counts:
        table[name] = grouped[f"_x_{name}"].nunique().to_numpy()
    # group of the QI dimensions: entities and diversity of the sensitive dimensions
    small = (table[count] < k).to_numpy().copy()
    if dims:
        qi_groups = work.groupby(dims, dropna=False, sort=True)
        group_entities = qi_groups["_entity"].nunique().rename("_g").reset_index()
        table = table.merge(group_entities, on=dims, how="left")
        small |= (table["_g"] < k).to_numpy()
        for s in sensitive:
            released = table.loc[~small].groupby(dims, dropna=False)[s].nunique()
            diverse = table.set_index(dims).index.map(released.to_dict()).to_numpy()
            small |= ~(pd.Series(diverse).fillna(0).to_numpy() >= diversity)
        table = table.drop(columns="_g")
    for name in (count, *extra_counts):
        table[name] = table[name].astype("Int64").mask(small)
    table["suppressed"] = pd.array(small, dtype="boolean")
    for c in keys:
        table[c] = table[c].astype(object).where(table[c].notna(), None)
    loss = _loss(qis, levels)
    released_rows = np.isin(work.set_index(keys).index, table.loc[~small, keys]
                            .set_index(keys).index) if len(table) else np.zeros(0, bool)
    report = {
        "levels": levels,
        "information_loss": {"generalisation": loss,
                             "mean_generalisation": (float(np.mean(list(loss.values())))
                                                     if loss else 0.0),
                             "cells_suppressed_share": (float(small.mean()) if len(small)
                                                        else 0.0)},
        "cells": int(len(table)),
        "cells_suppressed": int(small.sum()),
        "before": before,
        "after": {"k": (int(table.loc[~small, count].min()) if (~small).any() else None),
                  "l": _released_diversity(table.loc[~small], dims, sensitive),
                  "records_in_released_cells": int(released_rows.sum()),
                  "unique_share": 0.0, "at_risk_share": 0.0},
    }
    return table, report


def _released_diversity(table: pd.DataFrame, dims: list[str],
                        sensitive: list[str]) -> int | None:
    if not sensitive or table.empty:
        return None
    if not dims:
        return int(min(table[s].nunique() for s in sensitive))
    return int(min(table.groupby(dims, dropna=False)[s].nunique().min() for s in sensitive))


# -- labels ----------------------------------------------------------------------------------


def coarsen_label(label: Any, level: str) -> Any:
    """A date label (``2016-06-14``, ``2016-06``, ``2016-Q2``, ``2016``) at a coarser level.

    Returns ``None`` when the label is finer-unknown (``*``, or coarser than ``level``).

    Examples
    --------
    >>> coarsen_label("2016-06-14", "quarter"), coarsen_label("2016-06", "year")
    ('2016-Q2', '2016')
    >>> coarsen_label("2016", "month") is None, coarsen_label("*", "year") is None
    (True, True)
    """
    if label is None or (isinstance(label, float) and np.isnan(label)):
        return label
    text = str(label)
    if text == SUPPRESSED:
        return None
    order = ("day", "month", "quarter", "year")
    have = ("year" if len(text) == 4 else "quarter" if "Q" in text
            else "month" if len(text) == 7 else "day")
    if order.index(have) > order.index(level):
        return None
    year = text[:4]
    if level == "year":
        return year
    if have == "quarter":
        return text
    month = int(text[5:7])
    if level == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return text[:7] if level == "month" else text

