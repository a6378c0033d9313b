"""The data model: kinds, table schemas, the dataset container and the analysis configuration."""

from genera_graph.model.config import DEFAULT_CONFIG, AnalysisConfig
from genera_graph.model.dataset import Dataset
from genera_graph.model.kinds import (
    ORGANISATION_KINDS,
    PROFESSIONAL_KINDS,
    ActivityKind,
    ActorKind,
    InteractionKind,
    MemberRole,
    ParticipationRole,
    Programme,
    RelationKind,
    Source,
    TieNature,
)
from genera_graph.model.schemas import (
    TABLE_SCHEMAS,
    ActivitySchema,
    ActorSchema,
    HouseholdMemberSchema,
    InteractionSchema,
    ParticipationSchema,
    RelationSchema,
)

__all__ = [
    "DEFAULT_CONFIG",
    "ORGANISATION_KINDS",
    "PROFESSIONAL_KINDS",
    "TABLE_SCHEMAS",
    "ActivityKind",
    "ActivitySchema",
    "ActorKind",
    "ActorSchema",
    "AnalysisConfig",
    "Dataset",
    "HouseholdMemberSchema",
    "InteractionKind",
    "InteractionSchema",
    "MemberRole",
    "ParticipationRole",
    "ParticipationSchema",
    "Programme",
    "RelationKind",
    "RelationSchema",
    "Source",
    "TieNature",
]
