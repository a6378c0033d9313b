"""Who is looking, and the dataset they may see: scoping lives here and only here.

A facilitator's dataset is the district's without every household (and its members) of other
Community Points, and without every tie that touches them, so no page can show them.

Examples
--------
>>> Viewer(role="facilitator", community_point_id="CP01").scoped
True
>>> from genera_graph.model import Dataset
>>> len(scope_dataset(Dataset.empty(), Viewer()).actors)
0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from genera_graph.model import Dataset

__all__ = ["Viewer", "scope_dataset"]

_PERSONAL_KINDS = ("household", "individual")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a coordinator (the whole district) or a facilitator (one point).

    Parameters
    ----------
    role : {"coordinator", "facilitator"}
    community_point_id : str, optional
        A facilitator's Community Point (required for a facilitator); a coordinator may give one
        to restrict the view to a point as well.
    user_id : str, optional
        The user looking (the author of what they record).

    Examples
    --------
    >>> Viewer().scoped
    False
    >>> Viewer(role="facilitator")
    Traceback (most recent call last):
    ...
    ValueError: a facilitator viewer needs a community_point_id
    """

    role: Literal["coordinator", "facilitator"] = "coordinator"
    community_point_id: str | None = None
    #: the signed-in user (the author of the viewer's writes)
    user_id: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ("coordinator", "facilitator"):
            raise ValueError(f"unknown viewer role {self.role!r}")
        if self.role == "facilitator" and not self.community_point_id:
            raise ValueError("a facilitator viewer needs a community_point_id")

    @property
    def scoped(self) -> bool:
        """Whether households of other Community Points are hidden."""
        return self.community_point_id is not None


def scope_dataset(ds: Dataset, viewer: Viewer) -> Dataset:
    """The dataset with other points' households, their members and their ties removed."""
    if not viewer.scoped:
        return ds
    cp = viewer.community_point_id
    actors = ds.actors
    members = ds.household_members
    personal = actors["kind"].isin(_PERSONAL_KINDS)
    own_cp = actors["community_point_id"].eq(cp).fillna(False).astype(bool)
    households = set(actors.loc[actors["kind"].eq("household") & own_cp, "actor_id"])
    in_household = members.loc[members["household_id"].isin(households), "individual_id"]
    keep = ~personal | own_cp | actors["actor_id"].isin(set(in_household))
    # an individual of another point's household is hidden even if their own point matches
    foreign = members.loc[~members["household_id"].isin(households), "individual_id"]
    keep &= ~(actors["kind"].eq("individual") & actors["actor_id"].isin(set(foreign))
              & ~actors["actor_id"].isin(set(in_household)))
    visible = set(actors.loc[keep, "actor_id"])
    inter = ds.interactions
    rel = ds.relations
    return Dataset(
        actors=actors[keep].reset_index(drop=True),
        household_members=members[members["household_id"].isin(households)
                                  & members["individual_id"].isin(visible)]
        .reset_index(drop=True),
        activities=ds.activities,
        participations=ds.participations[ds.participations["actor_id"].isin(visible)]
        .reset_index(drop=True),
        interactions=inter[inter["source_actor_id"].isin(visible)
                           & inter["target_actor_id"].isin(visible)].reset_index(drop=True),
        relations=rel[rel["actor_id"].isin(visible) & rel["partner_id"].isin(visible)]
        .reset_index(drop=True),
    )
