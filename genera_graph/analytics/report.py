"""The programme's monitoring table, computed from the data (docs/DESIGN.md §1, docs/metrics.md §9).

:func:`monitoring_report` recomputes, for each period, the figures that #genera_azioni reported
to its funder: reach by kind of actor, Community Points and their activities, housing, work,
youth and the ideas call. Every figure is counted from the six tables of a
:class:`~genera_graph.model.Dataset`; nothing is looked up.

Examples
--------
>>> from genera_graph.sample import generate_district
>>> ds = generate_district(seed=2016).dataset
>>> report = monitoring_report(ds)
>>> year1 = report[report["period_start"] == "2016-02-01"].set_index("indicator")["value"]
>>> int(year1["reach_individuals"]), int(year1["cognitive_interviews"])
(530, 100)
>>> report_wide(report, lang="en").loc[0, "label"]
'Individuals reached'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from genera_graph.analytics.introductions import INDICATORS as _INTRODUCTION_INDICATORS
from genera_graph.l10n import (
    LANGS,
    N_,
    check_lang,
    format_currency,
    format_date,
    format_number,
    format_percent,
    gettext,
)
from genera_graph.model import DEFAULT_CONFIG, AnalysisConfig, Dataset

__all__ = [
    "AREAS",
    "INDICATOR_LABELS",
    "INDICATORS",
    "REPORT_COLUMNS",
    "Indicator",
    "monitoring_report",
    "report_text",
    "report_wide",
]

#: the areas of the monitoring table, in display order
AREAS: tuple[str, ...] = ("reach", "community_points", "housing", "work", "youth", "ideas")
#: the columns of :func:`monitoring_report`
REPORT_COLUMNS = ["period_start", "period_end", "area", "indicator", "value", "unit"]

_Period = tuple[pd.Timestamp, pd.Timestamp]


@dataclass(frozen=True)
class Indicator:
    """One indicator of the monitoring table: its key, area, unit, label and counting rule
    (``compute(ds, start, end) -> value`` on the half-open period ``[start, end)``).

    ``label`` is the English text, a gettext message id: :meth:`label_in` gives it in a
    language from the package's catalogs (:mod:`genera_graph.l10n`)."""

    key: str
    area: str
    unit: str
    label: str
    compute: Callable[[Dataset, pd.Timestamp, pd.Timestamp], float]

    def label_in(self, lang: str = "it") -> str:
        """The label in ``lang`` (``"it"`` or ``"en"``)."""
        return gettext(self.label, check_lang(lang))


# ---- counting rules (every period is half-open: [start, end)) --------------------------------


def _in(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    dates = pd.to_datetime(dates)
    return (dates >= start) & (dates < end)


def _overlaps(first: pd.Series, last: pd.Series, start: pd.Timestamp,
              end: pd.Timestamp) -> pd.Series:
    """Whether [first, last] (last inclusive, missing = still going) meets [start, end)."""
    first, last = pd.to_datetime(first), pd.to_datetime(last)
    return (first < end) & (last.isna() | (last >= start))


def _actors_met(kind: str):
    def compute(ds: Dataset, start, end) -> float:
        a = ds.actors
        return float(((a["kind"] == kind) & _in(a["first_met"], start, end)).sum())
    return compute


def _actors_active(kind: str):
    def compute(ds: Dataset, start, end) -> float:
        a = ds.actors
        left = a["left_on"] if "left_on" in a else pd.Series(pd.NaT, index=a.index)
        return float(((a["kind"] == kind) & _overlaps(a["first_met"], left, start, end)).sum())
    return compute


def _activities_started(kind: str, programmes: Sequence[str] | None = None):
    def compute(ds: Dataset, start, end) -> float:
        act = ds.activities
        mask = (act["kind"] == kind) & _in(act["start_date"], start, end)
        if programmes is not None:
            mask &= act["programme"].isin(list(programmes))
        return float(mask.sum())
    return compute


def _activities_active(kind: str):
    def compute(ds: Dataset, start, end) -> float:
        act = ds.activities
        return float(((act["kind"] == kind)
                      & _overlaps(act["start_date"], act["end_date"], start, end)).sum())
    return compute


def _relations_started(kind: str):
    def compute(ds: Dataset, start, end) -> float:
        rel = ds.relations
        return float(((rel["kind"] == kind) & _in(rel["start_date"], start, end)).sum())
    return compute


def _interactions(kind: str):
    def compute(ds: Dataset, start, end) -> float:
        it = ds.interactions
        return float(((it["kind"] == kind) & _in(it["date"], start, end)).sum())
    return compute


def _residences(ds: Dataset, start, end) -> pd.DataFrame:
    rel = ds.relations
    mask = (rel["kind"] == "condominium_residence") & _overlaps(rel["start_date"],
                                                               rel["end_date"], start, end)
    return rel.loc[mask, ["actor_id", "start_date", "end_date"]]


def _residents(ds: Dataset, start, end) -> float:
    return float(_residences(ds, start, end)["actor_id"].nunique())


def _residents_active_share(ds: Dataset, start, end) -> float:
    res = _residences(ds, start, end)
    if res.empty:
        return float("nan")
    kinds = ds.activities.set_index("activity_id")["kind"]
    part = ds.participations
    part = part[part["activity_id"].map(kinds).eq("condominium_activity")
                & _in(part["date"], start, end)]
    joined = part.merge(res, on="actor_id")
    during = (joined["date"] >= joined["start_date"]) & (
        joined["end_date"].isna() | (joined["date"] <= joined["end_date"]))
    active = joined.loc[during, "actor_id"].nunique()
    return active / res["actor_id"].nunique()


def _funded_ideas(ds: Dataset, start, end) -> pd.Series:
    act = ds.activities
    mask = (act["kind"] == "idea_project") & _in(act["start_date"], start, end)
    funds = pd.to_numeric(act.loc[mask, "funding_eur"], errors="coerce")
    return funds[funds > 0]


def _ideas_funded(ds: Dataset, start, end) -> float:
    return float(len(_funded_ideas(ds, start, end)))


def _ideas_funds(ds: Dataset, start, end) -> float:
    return float(_funded_ideas(ds, start, end).sum())


_I = Indicator
#: the indicators, in display order (area, then the programme report's order)
INDICATORS: tuple[Indicator, ...] = (
    _I("reach_individuals", "reach", "people", N_("Individuals reached"),
       _actors_met("individual")),
    _I("reach_households", "reach", "households", N_("Households reached"),
       _actors_met("household")),
    _I("reach_associations", "reach", "organisations", N_("Associations reached"),
       _actors_met("association")),
    _I("reach_formal_groups", "reach", "organisations", N_("Formal groups reached"),
       _actors_met("formal_group")),
    _I("reach_companies", "reach", "organisations", N_("Companies reached"),
       _actors_met("company")),
    _I("reach_schools", "reach", "organisations", N_("Schools reached"),
       _actors_met("school")),
    _I("reach_public_entities", "reach", "organisations", N_("Public entities reached"),
       _actors_met("public_entity")),
    _I("reach_community_points", "reach", "points", N_("Community Points opened"),
       _actors_met("community_point")),
    _I("reach_facilitators", "reach", "people", N_("Facilitators who joined"),
       _actors_met("facilitator")),
    _I("community_points_open", "community_points", "points", N_("Community Points open"),
       _actors_active("community_point")),
    _I("facilitators_active", "community_points", "people", N_("Facilitators active"),
       _actors_active("facilitator")),
    _I("proximity_labs", "community_points", "activities", N_("Proximity laboratories started"),
       _activities_started("proximity_lab")),
    _I("world_cafes", "community_points", "activities", N_("World cafés held"),
       _activities_started("world_cafe")),
    _I("local_events_community", "community_points", "activities",
       N_("Local events of the Community Points"),
       _activities_started("local_event", ["community"])),
    _I("local_events_other", "community_points", "activities",
       N_("Local events of other programmes (housing, work, ideas)"),
       _activities_started("local_event", ["housing", "work", "ideas"])),
    _I("leases_started", "housing", "contracts", N_("Leases signed"), _relations_started("lease")),
    _I("cohabitations_started", "housing", "paths", N_("Cohabitation paths started"),
       _relations_started("cohabitation")),
    _I("social_condominiums_active", "housing", "activities", N_("Social condominiums active"),
       _activities_active("social_condominium")),
    _I("condominium_residents", "housing", "people", N_("Social condominium residents"),
       _residents),
    _I("condominium_residents_active_share", "housing", "share",
       N_("Share of residents in community activities (cleaning, green)"),
       _residents_active_share),
    _I("thematic_labs", "work", "activities", N_("Thematic laboratories on work"),
       _activities_started("thematic_lab")),
    _I("apprenticeships_started", "work", "placements", N_("Apprenticeships started"),
       _relations_started("apprenticeship")),
    _I("cognitive_interviews", "work", "interviews", N_("Cognitive interviews"),
       _interactions("cognitive_interview")),
    _I("youth_labs", "youth", "activities",
       N_("Youth laboratories (young people for young people)"),
       _activities_started("youth_lab")),
    _I("youth_events", "youth", "activities", N_("Local events co-designed with young people"),
       _activities_started("local_event", ["youth"])),
    _I("school_work_offers", "youth", "offers", N_("School-work offers"),
       _activities_started("school_work_offer")),
    _I("school_work_placements", "youth", "placements", N_("School-work placements started"),
       _relations_started("school_work_placement")),
    _I("ideas_funded", "ideas", "ideas", N_("Ideas funded (#genera_idee)"), _ideas_funded),
    _I("ideas_funds_eur", "ideas", "EUR", N_("Funds granted to ideas"),
       _ideas_funds),
)
del _I

#: indicator key -> {"it": Italian label, "en": English label} (from the gettext catalogs)
INDICATOR_LABELS: dict[str, dict[str, str]] = {
    ind.key: {lang: ind.label_in(lang) for lang in LANGS} for ind in INDICATORS
}
# the introductions section (genera report --introductions): labels from its module
INDICATOR_LABELS.update({key: {"it": it, "en": en}
                         for key, (_, it, en) in _INTRODUCTION_INDICATORS.items()})


def _periods(periods, config: AnalysisConfig) -> list[_Period]:
    raw = config.programme_years() if periods is None else list(periods)
    out = []
    for start, end in raw:
        s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        if not s < e:
            raise ValueError(f"period ({start}, {end}) is empty: periods are half-open "
                             "[start, end) with start < end")
        out.append((s, e))
    return out


def monitoring_report(ds: Dataset, periods: Sequence[tuple[date, date]] | None = None,
                      config: AnalysisConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """The programme's monitoring table for each period, computed from the data.

    Parameters
    ----------
    ds : Dataset
        The six tables.
    periods : list of (date, date), optional
        Half-open periods ``[start, end)``; default ``config.programme_years()``.
    config : AnalysisConfig
        Gives the programme years.

    Returns
    -------
    DataFrame
        Tidy: one row per (period, indicator) with columns ``period_start``, ``period_end``
        (``datetime64``; ``period_end`` is the exclusive end), ``area``, ``indicator`` (a stable
        key of :data:`INDICATOR_LABELS`), ``value`` (float) and ``unit``. Rows follow the order
        of the periods, then of :data:`INDICATORS`.

    Raises
    ------
    ValueError
        If a period does not have ``start < end``.

    Notes
    -----
    Counting rules, all on half-open periods ``[start, end)``:

    - *reach*: actors whose ``first_met`` falls in the period, by kind;
    - *open / active* (Community Points, facilitators, social condominiums): the actor's
      ``[first_met, left_on]`` or the activity's ``[start_date, end_date]`` (inclusive last
      day, missing = still going) meets the period;
    - activities, leases, cohabitations, apprenticeships, placements: those that *start* in the
      period; world cafés of any programme; local events split by programme (community, youth,
      others);
    - residents: distinct actors with a ``condominium_residence`` relation meeting the period;
      their active share counts those with a participation in a ``condominium_activity`` in
      the period while they were residents (NaN when there are no residents);
    - cognitive interviews: interactions of that kind dated in the period;
    - ideas funded: ``idea_project`` activities started in the period with ``funding_eur > 0``,
      and the sum of their funds.

    Each indicator is one pass over one table: O(rows) per period.

    Examples
    --------
    >>> ds = Dataset.empty()
    >>> report = monitoring_report(ds, [(date(2016, 2, 1), date(2017, 2, 1))])
    >>> report.shape[0] == len(INDICATORS)
    True
    >>> float(report.set_index("indicator").loc["ideas_funds_eur", "value"])
    0.0
    """
    rows = []
    for start, end in _periods(periods, config):
        for ind in INDICATORS:
            rows.append((start, end, ind.area, ind.key, float(ind.compute(ds, start, end)),
                         ind.unit))
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    frame["value"] = frame["value"].astype("float64")
    return frame


def report_wide(report: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """One row per indicator and one column per period, with labels, for display.

    Parameters
    ----------
    report : DataFrame
        A table from :func:`monitoring_report`.
    lang : {"it", "en"}
        Language of the labels. The period headers are ``01/02/2016–31/01/2017`` (dd/mm/yyyy
        in both languages, :func:`genera_graph.l10n.format_date`; the last day is inclusive).

    Returns
    -------
    DataFrame
        Columns ``area``, ``indicator``, ``label``, ``unit``, then one column per period in
        order; rows in the order of :data:`INDICATORS`.

    Examples
    --------
    >>> ds = Dataset.empty()
    >>> wide = report_wide(monitoring_report(ds), lang="it")
    >>> list(wide.columns)[4:5]
    ['01/02/2016–31/01/2017']
    """
    check_lang(lang)
    order = {ind.key: k for k, ind in enumerate(INDICATORS)}
    periods = report[["period_start", "period_end"]].drop_duplicates()
    headers = {}
    for start, end in periods.itertuples(index=False):
        last = pd.Timestamp(end) - pd.Timedelta(days=1)
        headers[(start, end)] = f"{format_date(start, lang)}–{format_date(last, lang)}"
    base = (report[["area", "indicator", "unit"]].drop_duplicates("indicator")
            .assign(_order=lambda f: f["indicator"].map(order).fillna(len(order)))
            .sort_values("_order", kind="stable").drop(columns="_order"))
    labels = {key: names[lang] for key, names in INDICATOR_LABELS.items()}  # other sections
    labels.update({ind.key: ind.label_in(lang) for ind in INDICATORS})
    base.insert(2, "label", base["indicator"].map(lambda k: labels.get(k, k)))
    out = base.reset_index(drop=True)
    for (start, end), header in headers.items():
        values = report[(report["period_start"] == start) & (report["period_end"] == end)]
        out[header] = out["indicator"].map(values.set_index("indicator")["value"]).astype(
            np.float64)
    return out


def report_text(report: pd.DataFrame, lang: str = "it") -> pd.DataFrame:
    """The monitoring table as a reader sees it: labels, then each period's values as text.

    Counts are whole numbers, shares percentages, amounts carry ``€``; numbers are written as
    ``lang`` writes them (``9.500 €`` in Italian) and a missing value is ``–``.

    Examples
    --------
    >>> ds = Dataset.empty()
    >>> text = report_text(monitoring_report(ds), lang="it")
    >>> text.iloc[0].tolist()
    ['Persone intercettate', '0', '0', '0']
    """
    wide = report_wide(report, lang=lang)
    periods = list(wide.columns[4:])
    out = wide[["label"]].copy()
    for col in periods:
        cells = []
        for value, unit in zip(wide[col], wide["unit"], strict=True):
            if unit == "share":
                cells.append(format_percent(value, lang))
            elif unit == "EUR":
                cells.append(format_currency(value, lang))
            else:
                cells.append(format_number(value, lang, None if pd.isna(value)
                                           or float(value).is_integer() else 2))
        out[col] = cells
    return out.rename(columns={"label": ""})
