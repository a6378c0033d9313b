"""The words a person reads for each code of the data (``household`` -> ``Famiglia``).

The data keep their codes (``at_risk``, ``school_work_placement``): they are what code and the
research dialect use. Whatever a person reads (the report, the data dictionaries, the HTML
map, the explorer) shows the code's label instead, through :func:`code_label`. Each label is
a gettext message with the vocabulary as its context, so the same English word can take
another Italian form by field (gender, number).

Examples
--------
>>> code_label("kind", "household"), code_label("kind", "household", "en")
('Famiglia', 'Household')
>>> code_label("status", "at_risk"), code_label("reason", "single_bridge", "en")
('a rischio', 'one actor holds every path')
>>> code_legend("nature", ["peer", "institutional"])
'peer = tra pari; institutional = istituzionale'
>>> code_label("kind", "martian")
'martian'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from genera_graph.l10n.catalogs import NP_, pgettext
from genera_graph.l10n.formatting import DEFAULT_LANG, is_missing

__all__ = ["COLUMN_FIELDS", "VOCABULARIES", "code_label", "code_legend", "expand_codes",
           "field_of_column"]

#: field -> code -> (gettext context, English label); the contexts are the field names
VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "individual": NP_("kind", "Individual"),
        "household": NP_("kind", "Household"),
        "association": NP_("kind", "Association"),
        "formal_group": NP_("kind", "Formal group"),
        "company": NP_("kind", "Company"),
        "school": NP_("kind", "School"),
        "public_entity": NP_("kind", "Public entity"),
        "community_point": NP_("kind", "Community Point"),
        "facilitator": NP_("kind", "Facilitator"),
    },
    "programme": {
        "housing": NP_("programme", "Housing"),
        "work": NP_("programme", "Work"),
        "youth": NP_("programme", "Youth"),
        "ideas": NP_("programme", "Ideas"),
        "community": NP_("programme", "Community"),
    },
    "nature": {
        "peer": NP_("nature", "peer"),
        "professional": NP_("nature", "professional"),
        "institutional": NP_("nature", "institutional"),
    },
    "status": {
        "isolated": NP_("status", "isolated"),
        "at_risk": NP_("status", "at risk"),
        "connected": NP_("status", "connected"),
        "new": NP_("status", "new (not judged yet)"),
    },
    "reason": {
        "no_active_ties": NP_("reason", "no active tie"),
        "only_professional_ties": NP_("reason", "only professional ties"),
        "few_peer_partners": NP_("reason", "few peer partners"),
        "shrinking_network": NP_("reason", "shrinking network"),
        "single_bridge": NP_("reason", "one actor holds every path"),
        "outside_main_network": NP_("reason", "outside the main network"),
    },
    "activity_kind": {
        "proximity_lab": NP_("activity_kind", "Proximity lab"),
        "world_cafe": NP_("activity_kind", "World café"),
        "local_event": NP_("activity_kind", "Local event"),
        "thematic_lab": NP_("activity_kind", "Thematic lab"),
        "youth_lab": NP_("activity_kind", "Youth lab"),
        "school_work_offer": NP_("activity_kind", "School-work offer"),
        "idea_project": NP_("activity_kind", "Idea project"),
        "social_condominium": NP_("activity_kind", "Social condominium"),
        "condominium_activity": NP_("activity_kind", "Condominium activity"),
    },
    "interaction_kind": {
        "meeting": NP_("interaction_kind", "meeting"),
        "mutual_help": NP_("interaction_kind", "mutual help"),
        "referral": NP_("interaction_kind", "referral"),
        "support": NP_("interaction_kind", "support"),
        "cognitive_interview": NP_("interaction_kind", "cognitive interview"),
    },
    "relation_kind": {
        "lease": NP_("relation_kind", "lease"),
        "cohabitation": NP_("relation_kind", "cohabitation"),
        "apprenticeship": NP_("relation_kind", "apprenticeship"),
        "membership": NP_("relation_kind", "membership"),
        "school_work_placement": NP_("relation_kind", "school-work placement"),
        "condominium_residence": NP_("relation_kind", "condominium residence"),
    },
    "member_role": {
        "head": NP_("member_role", "head of household"),
        "partner": NP_("member_role", "partner"),
        "child": NP_("member_role", "child"),
        "relative": NP_("member_role", "relative"),
        "other": NP_("member_role", "other"),
    },
    "participation_role": {
        "participant": NP_("participation_role", "participant"),
        "organiser": NP_("participation_role", "organiser"),
        "facilitator": NP_("participation_role", "facilitator"),
        "partner": NP_("participation_role", "partner organisation"),
    },
    "holes_status": {  # structural_holes_status, participation_status (said of an actor)
        "ok": NP_("holes_status", "defined"),
        "isolated": NP_("holes_status", "isolated (no contact: undefined)"),
    },
    "role": {  # brokerage roles (Gould & Fernandez 1989), by sna::brokerage code
        "w_I": NP_("role", "coordinator"),
        "w_O": NP_("role", "itinerant broker"),
        "b_IO": NP_("role", "representative"),
        "b_OI": NP_("role", "gatekeeper"),
        "b_O": NP_("role", "liaison"),
    },
}

#: the vocabulary of a column of the library's tables, by column name
COLUMN_FIELDS: dict[str, str] = {
    "kind": "kind", "actor_kind": "kind", "programme": "programme", "nature": "nature",
    "status": "status", "previous_status": "status", "reason": "reason", "reasons": "reason",
    "activity_kind": "activity_kind", "interaction_kind": "interaction_kind",
    "relation_kind": "relation_kind", "structural_holes_status": "holes_status",
    "participation_status": "holes_status",
}


def field_of_column(column: str) -> str | None:
    """The vocabulary of ``column`` (``None`` for a column of free values).

    >>> field_of_column("previous_status"), field_of_column("actor_id")
    ('status', None)
    """
    return COLUMN_FIELDS.get(column)


def code_label(field: str, code: Any, lang: str = DEFAULT_LANG) -> str:
    """The label of ``code`` in the vocabulary ``field``, in ``lang``.

    An unknown code is returned as it is (it is data, not ours to hide); a missing one is
    ``–``. Several codes ``;``-separated (the isolation ``reasons`` column) give their labels
    joined by ``; ``.
    """
    if is_missing(code):
        return "–"
    text = str(code)
    vocabulary = VOCABULARIES.get(field, {})
    if ";" in text and field == "reason":
        return "; ".join(code_label(field, part, lang) for part in text.split(";") if part)
    entry = vocabulary.get(text)
    if entry is None:
        return text
    context, message = entry
    return pgettext(context, message, lang)


def code_legend(field: str, codes: Iterable[str] | None = None,
                lang: str = DEFAULT_LANG) -> str:
    """``code = label`` for each code (default: the whole vocabulary), for a dictionary that
    must say what the codes of a column mean."""
    codes = list(VOCABULARIES[field]) if codes is None else list(codes)
    return "; ".join(f"{code} = {code_label(field, code, lang)}" for code in codes)


_PLACEHOLDER = re.compile(r"\{codes?:(\w+)(?::(\w+))?\}")


def expand_codes(text: str, lang: str = DEFAULT_LANG) -> str:
    """Replace ``{codes:FIELD}`` by the legend of a vocabulary and ``{code:FIELD:CODE}`` by
    ``CODE = label``: a dictionary says what each code of a column means, in ``lang``.

    >>> expand_codes("status: {codes:status}", "en")
    'status: isolated = isolated; at_risk = at risk; connected = connected; new = new (not judged yet)'
    >>> expand_codes("the bridge, for {code:reason:single_bridge}", "it")
    'the bridge, for single_bridge = un solo attore tiene ogni collegamento'
    """
    def one(match: re.Match) -> str:
        field, code = match.group(1), match.group(2)
        return code_legend(field, None if code is None else [code], lang)

    return _PLACEHOLDER.sub(one, text)
