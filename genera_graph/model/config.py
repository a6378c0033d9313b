"""One frozen configuration object for analysis defaults.

Every threshold used by the analytics lives here, with the reason for its default, so that an
analysis can state exactly which parameters produced it (``dataclasses.asdict(config)``).

Examples
--------
>>> cfg = AnalysisConfig()
>>> cfg.horizon_days
90
>>> cfg.replace(horizon_days=30).horizon_days
30
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

__all__ = ["AnalysisConfig", "DEFAULT_CONFIG"]


@dataclass(frozen=True)
class AnalysisConfig:
    """Analysis defaults.

    Attributes
    ----------
    programme_start, programme_end
        First and last day of the programme (1 Feb 2016 - 31 Jan 2019). Programme years start on
        the anniversary of ``programme_start``.
    horizon_days
        An instantaneous tie (a contact, a co-participation) counts as active for this many days
        after it happened. 90 days matches the quarterly rhythm of the facilitators' follow-up and
        the "in the last three months" wording of social-network scales.
    half_life_days
        Half-life of the exponentially decayed weight of an instantaneous tie, when decay is asked.
    isolation_window_days
        Length of the window in which a household's current ties are counted.
    min_peer_partners
        A household with fewer distinct peer partners than this in the window is at risk. In the
        spirit of the Lubben Social Network Scale (LSNS-6), where fewer than two relatives or
        friends seen or heard from at least monthly marks a thin network.
    baseline_days
        Length of the household's own earlier baseline window (ending where the current window
        starts), against which a shrinking ego network is measured.
    shrink_ratio
        An ego network at or below this fraction of its own baseline size is "shrinking".
    professional_share_at_risk
        A household whose active ties are professional at or above this share has "only
        professional ties" (1.0: every active tie is professional or institutional).
    min_history_days
        A household met fewer days ago than this is "new": its isolation status is not judged
        yet (one full window of records is needed before an absence of ties means anything).
    early_warning_days
        The early-warning worklist compares a household's status with its status this many
        days earlier.
    leiden_resolution, seed
        Leiden community detection (modularity objective) resolution and random seed.
    introduction_window_days
        Suggested introductions (:mod:`genera_graph.analytics.introductions`) are scored on the
        ties and attendances of this many days up to the day asked, and a pair tied directly
        (a contact or a relation of any nature) in these days is "already tied": never
        suggested. One year: the programme's yearly rhythm of activities.
    introduction_half_life_days
        Half-life of the recency weight of a tie or an attendance in the recency-weighted
        indices (a contact this many days old counts half as much as one of today).
    introduction_horizon_days
        An introduction "worked" when a peer tie between the two appears within this many days
        (the evaluation's hold-out horizon too, as in Liben-Nowell & Kleinberg 2007).
    introduction_top
        Suggestions kept per family by default.
    introduction_katz_beta
        Damping of the truncated Katz index (paths of length 1 to 3 weighted ``beta ** l``).
    introduction_pagerank_damping
        Probability of following a tie (versus returning to the family) in the personalised
        PageRank walk (rooted PageRank of Liben-Nowell & Kleinberg).
    introduction_similar_days
        "A family in the same situation, now connected": isolated or at risk this many days
        before, connected on the day asked.
    introduction_newcomer_days
        A candidate met fewer days ago than this is a newcomer.
    introduction_weights
        The documented combination of the indices: ``(index name, weight)`` pairs. Each index
        is divided by its largest value among a family's candidates before weighting, so a
        weight says how much that kind of evidence counts whatever its scale. Names and their
        meaning: :data:`genera_graph.analytics.introductions.COMPONENTS`.
    """

    programme_start: date = date(2016, 2, 1)
    programme_end: date = date(2019, 1, 31)
    horizon_days: int = 90
    half_life_days: float = 30.0
    isolation_window_days: int = 90
    min_peer_partners: int = 2
    baseline_days: int = 180
    shrink_ratio: float = 0.5
    professional_share_at_risk: float = 1.0
    min_history_days: int = 90
    early_warning_days: int = 30
    leiden_resolution: float = 1.0
    seed: int = 42
    introduction_window_days: int = 365
    introduction_half_life_days: float = 90.0
    introduction_horizon_days: int = 90
    introduction_top: int = 5
    introduction_katz_beta: float = 0.05
    introduction_pagerank_damping: float = 0.85
    introduction_similar_days: int = 180
    introduction_newcomer_days: int = 180
    introduction_weights: tuple[tuple[str, float], ...] = (
        ("katz", 1.0),
        ("personalised_pagerank", 1.0),
        ("same_place", 0.5),
        ("newcomer", 0.5),
        ("activity_resource_allocation", 0.2),
    )

    def __post_init__(self) -> None:
        if self.programme_end < self.programme_start:
            raise ValueError("programme_end is before programme_start")
        for name in ("horizon_days", "isolation_window_days", "baseline_days",
                     "early_warning_days"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        if not 0 < self.shrink_ratio < 1:
            raise ValueError("shrink_ratio must lie in (0, 1)")
        for name in ("introduction_window_days", "introduction_horizon_days",
                     "introduction_top", "introduction_similar_days",
                     "introduction_newcomer_days"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.introduction_half_life_days <= 0:
            raise ValueError("introduction_half_life_days must be positive")
        if not 0 < self.introduction_pagerank_damping < 1:
            raise ValueError("introduction_pagerank_damping must lie in (0, 1)")
        if self.introduction_katz_beta <= 0:
            raise ValueError("introduction_katz_beta must be positive")
        if any(w < 0 for _, w in self.introduction_weights):
            raise ValueError("introduction_weights must not be negative")

    def replace(self, **changes: object) -> AnalysisConfig:
        """A copy with some fields changed (the object itself is frozen)."""
        return dataclasses.replace(self, **changes)

    def programme_years(self) -> list[tuple[date, date]]:
        """The programme years as ``(first_day, first_day_of_next_year)`` half-open periods.

        >>> AnalysisConfig().programme_years()[0]
        (datetime.date(2016, 2, 1), datetime.date(2017, 2, 1))
        >>> len(AnalysisConfig().programme_years())
        3
        """
        years = []
        start = self.programme_start
        while start <= self.programme_end:
            nxt = start.replace(year=start.year + 1)
            years.append((start, nxt))
            start = nxt
        return years


DEFAULT_CONFIG = AnalysisConfig()
