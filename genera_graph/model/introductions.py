"""The coded vocabulary of suggested introductions, shared by the store and the analytics.

>>> INTRODUCTION_STATUSES
('proposed', 'declined', 'done')
>>> "family_refused" in DECLINE_REASONS
True
"""

from __future__ import annotations

__all__ = ["DECLINE_REASONS", "INTRODUCTION_REASONS", "INTRODUCTION_STATUSES",
           "PEER_CANDIDATE_KINDS"]

#: what a facilitator marks a suggestion as (nothing is marked automatically)
INTRODUCTION_STATUSES: tuple[str, ...] = ("proposed", "declined", "done")

#: actor kinds one may be introduced to (peers: never staff, services or points)
PEER_CANDIDATE_KINDS: tuple[str, ...] = ("household", "individual", "association",
                                         "formal_group")

#: reason code -> plain English description (the app translates codes)
INTRODUCTION_REASONS: dict[str, str] = {
    "shared_activity": "both took part in this activity",
    "partner_in_common": "a partner in common",
    "partners_in_common_hidden": "partners in common outside your view (not named)",
    "same_community_point": "same Community Point",
    "same_municipality": "same municipality",
    "programme_match": "active in a programme the family takes part in",
    "similar_situation": "was in the same situation and is now connected",
    "close_in_network": "close in the network (short paths between the two)",
    "newcomer": "new to the programme: met recently",
}

#: coded reasons a facilitator gives when an introduction is declined
DECLINE_REASONS: dict[str, str] = {
    "family_refused": "the family did not want it",
    "candidate_refused": "the other party did not want it",
    "not_appropriate": "not appropriate (the facilitator knows why)",
    "already_know": "they already know each other",
    "unreachable": "could not be reached",
    "other": "other",
}
