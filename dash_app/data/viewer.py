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

from dataclasses import dataclass, field
from typing import Literal

from genera_graph.model import Dataset

__all__ = ["ROLES", "Viewer", "scope_dataset"]

_PERSONAL_KINDS = ("household", "individual")


#: the roles of the workplace (the accounts' roles, genera_graph.io.accounts.ROLES)
ROLES = ("coordinator", "facilitator", "researcher", "admin")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the signed-in account's role and Community Points (per request).

    Parameters
    ----------
    role : {"coordinator", "facilitator", "researcher", "admin"}
        A coordinator sees the whole district; a facilitator the families of their points; a
        researcher pseudonymised aggregates only; an admin the accounts and the audit log
        (no family data).
    community_point_id : str, optional
        One Community Point (kept for callers that know a single one).
    community_point_ids : tuple of str
        A facilitator's Community Points (required for a facilitator); a coordinator may give
        some to restrict the view to them as well.
    user_id : str, optional
        The signed-in user (the author of what they record): the account's user name.
    username : str, optional
        The account's user name (for the audit; not part of what the viewer sees).

    Examples
    --------
    >>> Viewer().scoped
    False
    >>> Viewer(role="facilitator", community_point_ids=("CP02", "CP01")).community_point_ids
    ('CP01', 'CP02')
    >>> Viewer(role="facilitator")
    Traceback (most recent call last):
    ...
    ValueError: a facilitator viewer needs a community_point_id
    """

    role: Literal["coordinator", "facilitator", "researcher", "admin"] = "coordinator"
    community_point_id: str | None = None
    community_point_ids: tuple[str, ...] = ()
    #: the signed-in user (the author of the viewer's writes); not part of what they see
    user_id: str | None = field(default=None, compare=False)
    username: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown viewer role {self.role!r}")
        ids = set(self.community_point_ids)
        if self.community_point_id:
            ids.add(self.community_point_id)
        ids = tuple(sorted(ids))
        object.__setattr__(self, "community_point_ids", ids)
        object.__setattr__(self, "community_point_id", ids[0] if ids else None)
        if self.role == "facilitator" and not ids:
            raise ValueError("a facilitator viewer needs a community_point_id")
        if self.role in ("researcher", "admin") and ids:
            raise ValueError(f"a {self.role} viewer has no Community Point")

    @property
    def scoped(self) -> bool:
        """Whether households of other Community Points are hidden."""
        return bool(self.community_point_ids)

    @property
    def scope_key(self) -> tuple[str, tuple[str, ...]]:
        """What decides what the viewer sees (role and points; never the account): viewers
        with the same key share one access object and its caches."""
        return (self.role, self.community_point_ids)

    @classmethod
    def of_account(cls, account: object) -> Viewer:
        """The viewer of a signed-in account (:class:`genera_graph.io.accounts.Account`)."""
        return cls(role=account.role, community_point_ids=tuple(account.community_points),
                   user_id=account.username, username=account.username)


def scope_dataset(ds: Dataset, viewer: Viewer) -> Dataset:
    """The dataset with other points' households, their members and their ties removed (an
    admin's: empty; a researcher's is pseudonymised by :mod:`dash_app.data.registry`)."""
    if viewer.role == "admin":
        return Dataset.empty()
    if not viewer.scoped:
        return ds
    actors = ds.actors
    members = ds.household_members
    personal = actors["kind"].isin(_PERSONAL_KINDS)
    own_cp = actors["community_point_id"].isin(viewer.community_point_ids).fillna(False
                                                                             ).astype(bool)
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
