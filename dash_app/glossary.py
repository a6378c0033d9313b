"""What every metric, status, reason and role means, in a few plain words (Italian first), with
the reference a researcher would look up. The grids show it as the header's tooltip; the
glossary page (``/glossary``) lists it all.

Examples
--------
>>> explain("col.constraint", "it").startswith("Quanto")
True
>>> explain("col.name", "it")
''
>>> reference("role.liaison", "it"), reference("role.liaison", "en")
('Gould e Fernandez 1989.', 'Gould and Fernandez 1989.')
"""

from __future__ import annotations

from genera_graph.l10n import NP_, pgettext

__all__ = ["ENTRIES", "SECTIONS", "explain", "reference"]

#: key -> (its explanation, its reference); the key is the translation key of the word
#: explained (``col.<column>``, ``status.<code>``, ``reason.<code>``, ``role.<code>``). Both
#: are gettext messages (English ids, each in its own context ``glossary.<key>`` and
#: ``glossary.ref.<key>``); a reference may instead name the library's function that
#: computes the figure (the same in every language), or be empty.
ENTRIES: dict[str, tuple[tuple[str, str], tuple[str, str] | str]] = {
    # --- the worklist
    "col.urgency": (
        NP_("glossary.col.urgency",
            "The order in which to contact families: 1 first. Isolated families come first, "
            "then those at risk; among equals, the longest without a peer contact."),
        NP_("glossary.ref.col.urgency",
            "The project's isolation rules (docs/, isolation section).")),
    "col.status": (
        NP_("glossary.col.status",
            "How the family's network is on the chosen day: isolated, at risk, connected or "
            "new (met recently, not judged yet)."),
        "genera_graph.analytics.isolation.isolation_report"),
    "col.previous_status": (
        NP_("glossary.col.previous_status",
            "The status one quarter earlier: shows whether things got worse."),
        "genera_graph.analytics.isolation.early_warning"),
    "col.reasons": (
        NP_("glossary.col.reasons",
            "Why the family is flagged, with the dates of the facts that show it."),
        "genera_graph.analytics.isolation.isolation_reasons"),
    "col.main_reason": (
        NP_("glossary.col.main_reason",
            "The main reason for the flag (the others in the row's details)."),
        "genera_graph.analytics.isolation.isolation_reasons"),
    "col.peer_partners": (
        NP_("glossary.col.peer_partners",
            "How many different people or families, not professionals, the family met in "
            "recent months."),
        NP_("glossary.ref.col.peer_partners",
            "Peer ties, over the project's observation window.")),
    "col.last_peer_contact": (
        NP_("glossary.col.last_peer_contact",
            "The last day the family had a recorded peer contact."),
        ""),
    "col.days_since_peer_contact": (
        NP_("glossary.col.days_since_peer_contact",
            "Days from the last peer contact to the chosen day."),
        ""),
    "col.last_follow_up": (
        NP_("glossary.col.last_follow_up",
            "The facilitator's last recorded action for this family (contact, visit, "
            "referral...), with its date."),
        ""),
    "col.days_without_followup": (
        NP_("glossary.col.days_without_followup",
            "Days since the family's last recorded action (or since the day it was flagged, "
            "if it has none) to today, or to the data's last day when the registers end "
            "earlier: sort by this column to see who has waited longest."),
        ""),
    # --- statuses
    "status.isolated": (
        NP_("glossary.status.isolated",
            "No active peer tie, or outside the main network."),
        ""),
    "status.at_risk": (
        NP_("glossary.status.at_risk",
            "Few peer ties, only ties with professionals, or a shrinking network."),
        ""),
    "status.connected": (
        NP_("glossary.status.connected",
            "Enough peer ties."),
        ""),
    "status.new": (
        NP_("glossary.status.new",
            "Met recently: not judged yet."),
        ""),
    # --- reasons
    "reason.no_active_ties": (
        NP_("glossary.reason.no_active_ties",
            "No contact at all in the period."),
        ""),
    "reason.only_professional_ties": (
        NP_("glossary.reason.only_professional_ties",
            "The family only sees professionals or services, no other family or person."),
        ""),
    "reason.few_peer_partners": (
        NP_("glossary.reason.few_peer_partners",
            "Fewer peer contacts than the project's threshold."),
        ""),
    "reason.shrinking_network": (
        NP_("glossary.reason.shrinking_network",
            "The family sees fewer people than it used to."),
        ""),
    "reason.single_bridge": (
        NP_("glossary.reason.single_bridge",
            "All the family's ties to others go through one person: if they leave, the family"
            " is alone."),
        NP_("glossary.ref.reason.single_bridge",
            "Cut vertex.")),
    "reason.outside_main_network": (
        NP_("glossary.reason.outside_main_network",
            "The family is not linked, even indirectly, to the main network."),
        NP_("glossary.ref.reason.outside_main_network",
            "Giant component.")),
    # --- bridges
    "col.degree": (
        NP_("glossary.col.degree",
            "How many different actors it had ties with in the period."),
        NP_("glossary.ref.col.degree",
            "Degree.")),
    "col.strength": (
        NP_("glossary.col.strength",
            "How many contacts in all, repeats counted."),
        NP_("glossary.ref.col.strength",
            "Strength, Barrat et al. 2004.")),
    "col.betweenness": (
        NP_("glossary.col.betweenness",
            "How often the actor lies on the shortest path between two others: a high value "
            "connects people who would otherwise not meet."),
        NP_("glossary.ref.col.betweenness",
            "Betweenness, Freeman 1977.")),
    "col.betweenness_norm": (
        NP_("glossary.col.betweenness_norm",
            "Betweenness divided by its maximum for these actors (0 to 1): comparable across "
            "periods."),
        NP_("glossary.ref.col.betweenness_norm",
            "Freeman 1977.")),
    "col.constraint": (
        NP_("glossary.col.constraint",
            "How much the actor's contacts already know each other (0 to 1): low means the "
            "actor joins different groups, high a closed group."),
        NP_("glossary.ref.col.constraint",
            "Constraint, Burt 1992, Structural Holes.")),
    "col.effective_size": (
        NP_("glossary.col.effective_size",
            "How many of the actor's contacts really lead to different people (contacts who "
            "know each other count less)."),
        NP_("glossary.ref.col.effective_size",
            "Effective size, Burt 1992.")),
    "col.cut_vertex": (
        NP_("glossary.col.cut_vertex",
            "Yes if, without the actor, someone is cut off from the rest of the network."),
        NP_("glossary.ref.col.cut_vertex",
            "Articulation point.")),
    "col.fragmentation": (
        NP_("glossary.col.fragmentation",
            "Share of pairs of actors who cannot reach each other (0 all linked, 1 none): "
            "'what if this actor leaves' compares it before and after."),
        NP_("glossary.ref.col.fragmentation",
            "Fragmentation, Borgatti 2006, key player.")),
    "role.coordinator": (
        NP_("glossary.role.coordinator",
            "Links two people of their own group."),
        NP_("glossary.ref.role.coordinator",
            "Gould and Fernandez 1989.")),
    "role.itinerant": (
        NP_("glossary.role.itinerant",
            "Links two people of one group that is not theirs."),
        NP_("glossary.ref.role.itinerant",
            "Gould and Fernandez 1989 (consultant).")),
    "role.representative": (
        NP_("glossary.role.representative",
            "Carries their own group towards another group."),
        NP_("glossary.ref.role.representative",
            "Gould and Fernandez 1989.")),
    "role.gatekeeper": (
        NP_("glossary.role.gatekeeper",
            "Lets people from outside into their own group."),
        NP_("glossary.ref.role.gatekeeper",
            "Gould and Fernandez 1989.")),
    "role.liaison": (
        NP_("glossary.role.liaison",
            "Links two different groups, neither of them theirs."),
        NP_("glossary.ref.role.liaison",
            "Gould and Fernandez 1989.")),
    # --- overview and communities
    "col.reach": (
        NP_("glossary.col.reach",
            "How many households and actors the project has reached so far."),
        ""),
    "col.active_ties": (
        NP_("glossary.col.active_ties",
            "Ties with at least one contact in the month."),
        ""),
    "col.new_ties": (
        NP_("glossary.col.new_ties",
            "Ties seen for the first time in the month."),
        ""),
    "col.lost_ties": (
        NP_("glossary.col.lost_ties",
            "Ties without contact for longer than the project's horizon."),
        ""),
    "col.peer_share": (
        NP_("glossary.col.peer_share",
            "Percentage of active ties that are between peers."),
        ""),
    "col.components": (
        NP_("glossary.col.components",
            "How many separate pieces the network is in."),
        NP_("glossary.ref.col.components",
            "Connected components.")),
    "col.giant_share": (
        NP_("glossary.col.giant_share",
            "Percentage of actors in the network's largest piece."),
        NP_("glossary.ref.col.giant_share",
            "Giant component.")),
    "col.community": (
        NP_("glossary.col.community",
            "A group of actors with many more ties among themselves than with others."),
        NP_("glossary.ref.col.community",
            "Leiden, Traag et al. 2019.")),
    "com.modularity": (
        NP_("glossary.com.modularity",
            "How clear-cut the groups found are (0 to 1; above 0.3 the groups are clear)."),
        NP_("glossary.ref.com.modularity",
            "Modularity, Newman 2006.")),
}

#: the glossary page's sections: (title key, entry keys)
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("glo.worklist", ("col.urgency", "col.status", "col.previous_status", "col.main_reason",
                      "col.reasons", "col.peer_partners", "col.last_peer_contact",
                      "col.days_since_peer_contact", "col.last_follow_up",
                      "col.days_without_followup")),
    ("glo.statuses", ("status.isolated", "status.at_risk", "status.connected", "status.new")),
    ("glo.reasons", tuple(k for k in ENTRIES if k.startswith("reason."))),
    ("glo.bridges", ("col.degree", "col.strength", "col.betweenness", "col.betweenness_norm",
                     "col.constraint", "col.effective_size", "col.cut_vertex",
                     "col.fragmentation")),
    ("glo.roles", tuple(k for k in ENTRIES if k.startswith("role."))),
    ("glo.growth", ("col.reach", "col.active_ties", "col.new_ties", "col.lost_ties",
                    "col.peer_share", "col.components", "col.giant_share")),
    ("glo.communities", ("col.community", "com.modularity")),
)


def explain(key: str, lang: str) -> str:
    """The plain explanation of a translation key (``''`` when there is none)."""
    entry = ENTRIES.get(key)
    return pgettext(*entry[0], lang) if entry else ""


def reference(key: str, lang: str = "it") -> str:
    """The reference a researcher would look up for a key (``''`` when there is none)."""
    ref = ENTRIES[key][1] if key in ENTRIES else ""
    return pgettext(*ref, lang) if isinstance(ref, tuple) else ref
