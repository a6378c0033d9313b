"""The kinds of the domain (docs/DESIGN.md §2) as string enums.

Every enum value is the exact text that appears in the register files and in the store, so
``ActorKind("household")`` parses a cell and ``ActorKind.HOUSEHOLD.value`` writes one.

Examples
--------
>>> ActorKind("household") is ActorKind.HOUSEHOLD
True
>>> sorted(n.value for n in TieNature)
['institutional', 'peer', 'professional']
"""

from __future__ import annotations

from enum import Enum, StrEnum

__all__ = [
    "ORGANISATION_KINDS",
    "PROFESSIONAL_KINDS",
    "ActivityKind",
    "ActorKind",
    "InteractionKind",
    "MemberRole",
    "ParticipationRole",
    "Programme",
    "RelationKind",
    "Source",
    "TieNature",
    "values",
]


class _StrEnum(StrEnum):
    """A string enum whose ``str()`` is the register text."""


class ActorKind(_StrEnum):
    """Kinds of actor (graph nodes)."""

    INDIVIDUAL = "individual"
    HOUSEHOLD = "household"  # a family: the unit a facilitator follows
    ASSOCIATION = "association"
    FORMAL_GROUP = "formal_group"
    COMPANY = "company"
    SCHOOL = "school"
    PUBLIC_ENTITY = "public_entity"
    COMMUNITY_POINT = "community_point"
    FACILITATOR = "facilitator"


#: Actor kinds that are professional actors of the programme (their ties are professional).
PROFESSIONAL_KINDS = frozenset({ActorKind.COMMUNITY_POINT, ActorKind.FACILITATOR})
#: Actor kinds that are organisations.
ORGANISATION_KINDS = frozenset(
    {
        ActorKind.ASSOCIATION,
        ActorKind.FORMAL_GROUP,
        ActorKind.COMPANY,
        ActorKind.SCHOOL,
        ActorKind.PUBLIC_ENTITY,
    }
)


class Programme(_StrEnum):
    """The programme a tie or activity belongs to."""

    HOUSING = "housing"
    WORK = "work"
    YOUTH = "youth"
    IDEAS = "ideas"
    COMMUNITY = "community"  # the Community Points' own activities


class ActivityKind(_StrEnum):
    """Kinds of activity (the second mode of the two-mode graph)."""

    PROXIMITY_LAB = "proximity_lab"
    WORLD_CAFE = "world_cafe"
    LOCAL_EVENT = "local_event"
    THEMATIC_LAB = "thematic_lab"
    YOUTH_LAB = "youth_lab"
    SCHOOL_WORK_OFFER = "school_work_offer"
    IDEA_PROJECT = "idea_project"
    SOCIAL_CONDOMINIUM = "social_condominium"
    #: a residents' community activity of a social condominium (cleaning, green areas)
    CONDOMINIUM_ACTIVITY = "condominium_activity"


class InteractionKind(_StrEnum):
    """Kinds of instantaneous interaction between two actors."""

    MEETING = "meeting"
    MUTUAL_HELP = "mutual_help"
    REFERRAL = "referral"
    SUPPORT = "support"  # a facilitator's or service's follow-up contact
    COGNITIVE_INTERVIEW = "cognitive_interview"  # work programme: matching demand and offer


class RelationKind(_StrEnum):
    """Kinds of relation that hold over an interval."""

    LEASE = "lease"
    COHABITATION = "cohabitation"
    APPRENTICESHIP = "apprenticeship"
    MEMBERSHIP = "membership"
    SCHOOL_WORK_PLACEMENT = "school_work_placement"
    CONDOMINIUM_RESIDENCE = "condominium_residence"


class TieNature(_StrEnum):
    """Whether a tie is informal (peer), a service acting on someone, or a formal institution."""

    PEER = "peer"
    PROFESSIONAL = "professional"
    INSTITUTIONAL = "institutional"


class Source(_StrEnum):
    """Where a record comes from."""

    FACILITATOR_RECORD = "facilitator_record"
    ATTENDANCE_SHEET = "attendance_sheet"
    SURVEY = "survey"
    REGISTER = "register"  # lease, placement, membership registers
    IMPORT_FILE = "import_file"


class MemberRole(_StrEnum):
    """Role of an individual in a household."""

    HEAD = "head"
    PARTNER = "partner"
    CHILD = "child"
    RELATIVE = "relative"
    OTHER = "other"


class ParticipationRole(_StrEnum):
    """Role of an actor in an activity."""

    PARTICIPANT = "participant"
    ORGANISER = "organiser"
    FACILITATOR = "facilitator"
    PARTNER = "partner"  # an organisation offering or hosting the activity


def values(enum: type[Enum]) -> list[str]:
    """The register texts of an enum, in declaration order.

    >>> values(Programme)
    ['housing', 'work', 'youth', 'ideas', 'community']
    """
    return [m.value for m in enum]
