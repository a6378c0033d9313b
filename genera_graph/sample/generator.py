"""A synthetic District 10 that reproduces the programme's first-year figures.

The generator builds a whole #genera_azioni district (Feb 2016 - Jan 2019) as the six tables of
a :class:`~genera_graph.model.Dataset`, with planted structure that the analytics can be
measured against (see :class:`~genera_graph.sample.truth.GroundTruth`):

- households cluster around their Community Point: peer ties (meetings, mutual help between
  individuals of different households) mostly stay within a point, and each household draws its
  partners from a stable circle of neighbouring households;
- facilitators follow their households closely at first (weekly), then less and less, while peer
  ties grow with tenure: the share of peer ties rises from year 1 to year 3;
- a few planted bridges (an association, a volunteer, a school, a formal group) are the only
  actors with interactions across Community Points;
- some households become isolated from a planted date, by one of four mechanisms; every other
  household keeps at least three distinct peer partners in every 30-day block from 30 days after
  it was first met.

Examples
--------
>>> district = generate_district(seed=7)
>>> year1 = district.dataset.actors.query("first_met < '2017-02-01'")
>>> int((year1["kind"] == "individual").sum())
530
>>> sorted(district.truth.isolated_households["mechanism"].unique())
['bridge_leaves', 'contact_stops', 'never_connected', 'only_professional']
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genera_graph.model import DEFAULT_CONFIG, Dataset
from genera_graph.sample._activities import _ActivitySteps
from genera_graph.sample._assembly import _AssemblySteps
from genera_graph.sample._base import (
    CONDOMINIUM_OPENED,
    POINTS,
    POINTS_OPENED,
    PROGRAMMES_PRESENTED,
    _day,
    _Household,
    _Org,
)
from genera_graph.sample._people import _PeopleSteps
from genera_graph.sample._relations import _RelationSteps
from genera_graph.sample._ties import _TieSteps
from genera_graph.sample.truth import GroundTruth, write_truth

__all__ = [
    "CONDOMINIUM_OPENED",
    "DEFAULT_SAMPLE_CONFIG",
    "POINTS",
    "POINTS_OPENED",
    "SampleConfig",
    "SampleDistrict",
    "generate_district",
    "write_sample",
]


@dataclass(frozen=True)
class SampleConfig:
    """Sizes of the sample district, per programme year where it applies.

    The year-1 values reproduce the programme's first-year report (docs/DESIGN.md §1); change them
    only to build other synthetic districts.
    """

    individuals_per_year: tuple[int, int, int] = (530, 262, 148)
    associations_per_year: tuple[int, int, int] = (104, 18, 9)
    formal_groups_per_year: tuple[int, int, int] = (23, 6, 4)
    companies_per_year: tuple[int, int, int] = (40, 10, 6)
    schools: int = 5
    proximity_labs_per_year: tuple[int, int, int] = (24, 30, 32)
    world_cafes_per_year: tuple[int, int, int] = (2, 3, 2)
    local_events_per_year: tuple[int, int, int] = (9, 11, 12)
    thematic_labs_per_year: tuple[int, int, int] = (3, 4, 5)
    youth_labs_per_year: tuple[int, int, int] = (4, 6, 6)
    youth_events_per_year: tuple[int, int, int] = (9, 10, 11)
    school_work_offers_per_year: tuple[int, int, int] = (60, 65, 70)
    idea_funding_per_year: tuple[tuple[float, ...], ...] = (
        (2000.0, 1500.0, 1800.0, 1200.0, 1500.0, 1500.0),
        (2500.0, 1800.0, 1500.0, 2000.0, 1200.0, 1600.0, 1400.0, 2000.0),
        (2200.0, 1800.0, 1500.0, 1900.0, 1600.0, 1000.0, 2000.0),
    )
    unfunded_ideas_per_year: tuple[int, int, int] = (0, 2, 3)
    leases_per_year: tuple[int, int, int] = (14, 12, 10)
    cohabitations_per_year: tuple[int, int, int] = (3, 4, 5)
    apprenticeships_per_year: tuple[int, int, int] = (6, 9, 11)
    cognitive_interviews_per_year: tuple[int, int, int] = (100, 130, 120)
    condominium_households: int = 6
    contact_stops: int = 9
    only_professional: int = 7
    #: households per departing volunteer neighbour (one volunteer per entry)
    bridge_leaves: tuple[int, ...] = (3, 2)
    never_connected: int = 4
    #: distinct peer partners every connected household has in each block
    peer_partners_per_block: int = 3
    block_days: int = 30
    #: individuals each planted bridge meets in each of its Community Points
    bridge_neighbours_per_point: int = 16
    #: probability that a peer partner is drawn from another Community Point
    cross_point_share: float = 0.0015


DEFAULT_SAMPLE_CONFIG = SampleConfig()


@dataclass(frozen=True, eq=False)
class SampleDistrict:
    """A generated district: the six tables and the planted truth."""

    dataset: Dataset
    truth: GroundTruth
    seed: int


def generate_district(seed: int = 2016, config: SampleConfig = DEFAULT_SAMPLE_CONFIG
                      ) -> SampleDistrict:
    """Generate the synthetic sample district.

    Parameters
    ----------
    seed : int
        Seed of the ``numpy`` random generator; the same seed gives the same district.
    config : SampleConfig
        Sizes of the district.

    Returns
    -------
    SampleDistrict
        ``.dataset`` (validated against the schemas) and ``.truth``.

    Notes
    -----
    Deterministic for a seed (one ``numpy.random.Generator``, no other source of randomness).
    Runs in about a second: peer ties are laid block by block (``config.block_days``), each
    connected household topping up its distinct partners, O(households x blocks).

    Examples
    --------
    >>> a = generate_district(seed=1).dataset.interactions
    >>> b = generate_district(seed=1).dataset.interactions
    >>> a.equals(b)
    True
    """
    return _Builder(seed, config).build()


def write_sample(out_dir: str | os.PathLike, seed: int = 2016,
                 config: SampleConfig = DEFAULT_SAMPLE_CONFIG) -> list[Path]:
    """Generate the district and write its register files and ``ground_truth/`` folder.

    Returns the paths written: the register files (see :mod:`genera_graph.io.registers`), then
    the ground-truth files. Nothing else is written.
    """
    from genera_graph.io.registers import write_registers

    district = generate_district(seed, config)
    out = Path(out_dir)
    paths = write_registers(district.dataset, out)
    paths += write_truth(district.truth, out / "ground_truth")
    return paths



class _Builder(_PeopleSteps, _TieSteps, _ActivitySteps, _RelationSteps, _AssemblySteps):
    """Builds the district step by step; every draw comes from one generator.

    The steps are grouped by topic in the mixins: actors (:mod:`._people`), contacts
    (:mod:`._ties`), activities and attendance (:mod:`._activities`), relations
    (:mod:`._relations`) and the final tables (:mod:`._assembly`); they share this state.
    """

    def __init__(self, seed: int, cfg: SampleConfig):
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.cfg = cfg
        years = DEFAULT_CONFIG.programme_years()
        self.years = [(_day(s), _day(e)) for s, e in years]
        self.end = self.years[-1][1]  # exclusive
        self.last = self.end - 1
        self.points_open = _day(POINTS_OPENED)
        self.presented = _day(PROGRAMMES_PRESENTED)
        self.fac_first: list[int] = []
        self.households: list[_Household] = []
        self.ind_household: list[int] = []
        self.ind_role: list[str] = []
        self.ind_left: dict[int, int] = {}
        self.orgs: dict[str, list[_Org]] = defaultdict(list)
        self.activities: list[dict] = []
        self.participations: list[tuple] = []
        self.interactions: list[tuple] = []
        self.relations: list[tuple] = []
        self.bridges: list[tuple[str, str, str]] = []
        self.condominiums: list[dict] = []
        self.volunteers: list[int] = []  # departing neighbours (bridge_leaves)
        self.bridge_volunteer = -1  # the planted volunteer bridge (an individual)
        self.truth_rows: list[tuple] = []

    # ---- helpers ------------------------------------------------------------------------

    def ind_id(self, i: int) -> str:
        return f"I{i + 1:04d}"

    def fac_id(self, f: int) -> str:
        return f"F{f + 1:02d}"

    def point_id(self, p: int) -> str:
        return POINTS[p][0]

    def ind_available(self, i: int, day: int) -> bool:
        left = self.ind_left.get(i)
        return left is None or day < left

    def eligible(self, h: _Household, day: int) -> bool:
        """Whether the household's members may take part in activities / peer ties on day."""
        return h.peer_capable and h.first <= day < h.peer_end(self.end)

    def uniform_day(self, lo: int, hi: int) -> int:
        """A day in [lo, hi)."""
        return int(self.rng.integers(lo, hi)) if hi > lo else lo

    def pick(self, seq, k: int | None = None):
        if k is None:
            return seq[int(self.rng.integers(len(seq)))]
        k = min(k, len(seq))
        idx = self.rng.choice(len(seq), size=k, replace=False)
        return [seq[int(j)] for j in sorted(idx)]

    def add_interaction(self, day, source, target, kind, nature, programme, point, source_kind):
        self.interactions.append(
            (int(day), source, target, kind, nature, programme, self.point_id(point), source_kind)
        )

    # ---- the steps ----------------------------------------------------------------------

    def build(self) -> SampleDistrict:
        self._facilitators()
        self._households()
        self._organisations()
        self._special_roles()
        self._truth()
        self._circles()
        self._facilitator_contacts()
        self._peer_ties()
        self._planted_bridges()
        self._departing_neighbours()
        self._cognitive_interviews()
        self._activities()
        self._relations()
        dataset, truth = self._finish()
        return SampleDistrict(dataset, truth, self.seed)

