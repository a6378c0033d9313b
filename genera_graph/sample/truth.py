"""The planted truth of the sample district: which households become isolated, and the bridges.

The truth is written beside the registers (``ground_truth/``) so that tests can measure the
analytics against it; the analytics never read it.

Examples
--------
>>> truth = GroundTruth.empty()
>>> list(truth.isolated_households.columns)
['household_id', 'isolated_from', 'mechanism', 'bridge_id']
>>> MECHANISMS[0]
'contact_stops'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "BRIDGE_COLUMNS",
    "ISOLATED_COLUMNS",
    "MECHANISMS",
    "GroundTruth",
    "read_truth",
    "write_truth",
]

#: how a planted household becomes isolated (see the ground-truth README)
MECHANISMS: tuple[str, ...] = (
    "contact_stops",
    "only_professional",
    "bridge_leaves",
    "never_connected",
)
ISOLATED_COLUMNS = ["household_id", "isolated_from", "mechanism", "bridge_id"]
BRIDGE_COLUMNS = ["actor_id", "role", "description"]
_DATE_FORMAT = "%d/%m/%Y"
ISOLATED_FILE = "isolated_households.csv"
BRIDGES_FILE = "bridges.csv"
README_FILE = "README.md"


@dataclass(frozen=True, eq=False)
class GroundTruth:
    """What the sample generator planted.

    Attributes
    ----------
    isolated_households : DataFrame
        One row per planted household: ``household_id``, ``isolated_from`` (``datetime64``: the
        first day of isolation), ``mechanism`` (one of :data:`MECHANISMS`) and ``bridge_id``
        (the departing actor for ``bridge_leaves``, missing otherwise).
    bridges : DataFrame
        One row per planted bridging actor: ``actor_id``, ``role``, ``description``.
    """

    isolated_households: pd.DataFrame
    bridges: pd.DataFrame

    @classmethod
    def empty(cls) -> GroundTruth:
        """A truth with no rows."""
        iso = pd.DataFrame({c: pd.Series([], dtype=object) for c in ISOLATED_COLUMNS})
        iso["isolated_from"] = pd.Series([], dtype="datetime64[ns]")
        return cls(iso, pd.DataFrame({c: pd.Series([], dtype=object) for c in BRIDGE_COLUMNS}))


def write_truth(truth: GroundTruth, folder: str | os.PathLike) -> list[Path]:
    """Write the truth as ``;``-separated UTF-8 CSVs (dates dd/mm/yyyy) and a README.

    Returns the paths written (isolated households, bridges, README).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    iso = truth.isolated_households[ISOLATED_COLUMNS].copy()
    iso["isolated_from"] = pd.to_datetime(iso["isolated_from"]).dt.strftime(_DATE_FORMAT)
    paths = []
    for name, frame in ((ISOLATED_FILE, iso), (BRIDGES_FILE, truth.bridges[BRIDGE_COLUMNS])):
        path = folder / name
        with open(path, "w", encoding="utf-8", newline="") as handle:
            frame.to_csv(handle, sep=";", index=False, lineterminator="\n")
        paths.append(path)
    path = folder / README_FILE
    path.write_text(_README, encoding="utf-8")
    paths.append(path)
    return paths


def read_truth(folder: str | os.PathLike) -> GroundTruth:
    """Read a truth written by :func:`write_truth` (for evaluation code and tests only)."""
    folder = Path(folder)
    iso = pd.read_csv(folder / ISOLATED_FILE, sep=";", dtype=str, keep_default_na=False)
    iso["isolated_from"] = pd.to_datetime(iso["isolated_from"], format=_DATE_FORMAT)
    iso["bridge_id"] = iso["bridge_id"].where(iso["bridge_id"] != "", None)
    bridges = pd.read_csv(folder / BRIDGES_FILE, sep=";", dtype=str, keep_default_na=False)
    return GroundTruth(iso[ISOLATED_COLUMNS], bridges[BRIDGE_COLUMNS])


_README = """\
# Ground truth of the sample district

What the generator (`genera_graph.sample`) planted in the registers one folder up. Tests measure
the analytics against these files; **the analytics must never read them**. CSV with `;`, UTF-8,
dates dd/mm/yyyy, ids as text. Regenerate with `genera sample --out sample_data --seed 2016`.

## isolated_households.csv

| column | meaning |
| --- | --- |
| household_id | the household (an actor of kind `household` in `actors.csv`) |
| isolated_from | first day of isolation (D) |
| mechanism | how it became isolated (below) |
| bridge_id | for `bridge_leaves`: the individual through whom all its peer ties ran; else empty |

Mechanisms:

- `contact_stops`: from D no interaction (`contacts.csv`) and no participation
  (`attendance.csv`) involves any member of the household; memberships end the day before D.
  Leases and other relations may go on.
- `only_professional`: from D only professional contacts from the household's facilitator
  (support, referral, cognitive interviews) and institutional relations remain: no peer
  interaction, no participation.
- `bridge_leaves`: every peer interaction of the household involved one individual B
  (`bridge_id`, a volunteer neighbour from another household); the household never takes part in
  activities. B leaves the programme on D: B's actor row has `left_on` = D, B's household
  membership ends on D and B has no event from D on. From D the household has no peer ties.
- `never_connected`: isolated from its `first_met` (D = first_met): only professional contacts
  from its facilitator, never a peer interaction or a participation.

Every household not listed stays connected: from 30 days after its `first_met` to the end of the
programme, every 30-day block counted from 01/02/2016 holds peer interactions with at least three
distinct individuals of other households, so every 90-day window starting at least 90 days after
`first_met` sees at least three distinct peer partners.

## bridges.csv

| column | meaning |
| --- | --- |
| actor_id | the planted bridging actor |
| role | what kind of broker it is |
| description | which Community Points and programme it connects |

Each bridge has interactions with individuals of three Community Points; between points there are
almost no other direct ties, so on the cumulative interaction graph (actor-actor) the bridges carry
most shortest paths between points.
"""
