"""Table schemas of the data model (pandera ``DataFrameModel``\\ s).

The six tables of a :class:`~genera_graph.model.Dataset` are declared here, apart from the code
that reads or writes them. Ids are text (leading zeros survive); dates are timezone-free
``datetime64`` days at midnight; optional values are missing (``NaN``/``NaT``/``None``).

A schema is validated lazily so that *every* failing value is reported at once, see
:func:`validate_table`.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"activity_id": ["A1"], "actor_id": ["I001"],
...     "date": pd.to_datetime(["2016-06-01"]), "role": ["participant"],
...     "source": ["attendance_sheet"]})
>>> len(ParticipationSchema.validate(frame))
1
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DateTime, Series

from genera_graph.model.kinds import (
    ActivityKind,
    ActorKind,
    InteractionKind,
    MemberRole,
    ParticipationRole,
    Programme,
    RelationKind,
    Source,
    TieNature,
    values,
)

__all__ = [
    "ActivitySchema",
    "ActorSchema",
    "HouseholdMemberSchema",
    "InteractionSchema",
    "ParticipationSchema",
    "RelationSchema",
    "TABLE_SCHEMAS",
]

_ID = r"^[A-Za-z0-9_.\-]+$"


class _Base(pa.DataFrameModel):
    class Config:
        strict = "filter"  # unknown columns are dropped, not an error
        coerce = True


class ActorSchema(_Base):
    """Actors (nodes): one row per actor, keyed by ``actor_id``."""

    actor_id: Series[str] = pa.Field(unique=True, str_matches=_ID)
    kind: Series[str] = pa.Field(isin=values(ActorKind))
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    community_point_id: Optional[Series[str]] = pa.Field(nullable=True)
    municipality: Optional[Series[str]] = pa.Field(nullable=True)
    #: the facilitator who follows a household (households only)
    facilitator_id: Optional[Series[str]] = pa.Field(nullable=True)
    #: the date the programme first met (intercepted) the actor; opening date for a point
    first_met: Series[DateTime]
    #: the date the actor left the programme or the district, if it did
    left_on: Optional[Series[DateTime]] = pa.Field(nullable=True)

    @pa.dataframe_check(error="left_on before first_met")
    @classmethod
    def _left_after_met(cls, df: pd.DataFrame) -> Series[bool]:
        if "left_on" not in df:
            return pd.Series(True, index=df.index)
        return df["left_on"].isna() | (df["left_on"] >= df["first_met"])


class HouseholdMemberSchema(_Base):
    """Household memberships: which individual belongs to which household, and when."""

    household_id: Series[str] = pa.Field(str_matches=_ID)
    individual_id: Series[str] = pa.Field(str_matches=_ID)
    role: Series[str] = pa.Field(isin=values(MemberRole))
    start_date: Series[DateTime]
    end_date: Optional[Series[DateTime]] = pa.Field(nullable=True)

    @pa.dataframe_check(error="end_date before start_date")
    @classmethod
    def _end_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        return _end_after_start(df)


class ActivitySchema(_Base):
    """Activities (second mode): labs, events, offers, funded ideas, the social condominium."""

    activity_id: Series[str] = pa.Field(unique=True, str_matches=_ID)
    kind: Series[str] = pa.Field(isin=values(ActivityKind))
    programme: Series[str] = pa.Field(isin=values(Programme))
    community_point_id: Optional[Series[str]] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    start_date: Series[DateTime]
    end_date: Optional[Series[DateTime]] = pa.Field(nullable=True)
    #: funds granted, in EUR (ideas call); missing when nothing was funded
    funding_eur: Optional[Series[float]] = pa.Field(nullable=True, ge=0)
    #: the organisation offering or hosting the activity (school-work offers, ideas)
    partner_id: Optional[Series[str]] = pa.Field(nullable=True)

    @pa.dataframe_check(error="end_date before start_date")
    @classmethod
    def _end_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        return _end_after_start(df)


class ParticipationSchema(_Base):
    """Attendance: an actor took part in an activity on a date."""

    activity_id: Series[str] = pa.Field(str_matches=_ID)
    actor_id: Series[str] = pa.Field(str_matches=_ID)
    date: Series[DateTime]
    role: Series[str] = pa.Field(isin=values(ParticipationRole))
    source: Series[str] = pa.Field(isin=values(Source))


class InteractionSchema(_Base):
    """Contacts: an instantaneous interaction from one actor to another on a date."""

    interaction_id: Series[str] = pa.Field(unique=True, str_matches=_ID)
    date: Series[DateTime]
    source_actor_id: Series[str] = pa.Field(str_matches=_ID)
    target_actor_id: Series[str] = pa.Field(str_matches=_ID)
    kind: Series[str] = pa.Field(isin=values(InteractionKind))
    nature: Series[str] = pa.Field(isin=values(TieNature))
    programme: Series[str] = pa.Field(isin=values(Programme))
    community_point_id: Optional[Series[str]] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(isin=values(Source))

    @pa.dataframe_check(error="an actor cannot interact with itself")
    @classmethod
    def _no_self_loop(cls, df: pd.DataFrame) -> Series[bool]:
        return df["source_actor_id"] != df["target_actor_id"]


class RelationSchema(_Base):
    """Relations that hold over an interval: leases, cohabitations, apprenticeships, ...

    ``end_date`` missing means the relation still holds.
    """

    relation_id: Series[str] = pa.Field(unique=True, str_matches=_ID)
    kind: Series[str] = pa.Field(isin=values(RelationKind))
    actor_id: Series[str] = pa.Field(str_matches=_ID)
    partner_id: Series[str] = pa.Field(str_matches=_ID)
    #: the activity the relation belongs to (the offer of a placement, the condominium)
    activity_id: Optional[Series[str]] = pa.Field(nullable=True)
    start_date: Series[DateTime]
    end_date: Optional[Series[DateTime]] = pa.Field(nullable=True)
    nature: Series[str] = pa.Field(isin=values(TieNature))
    programme: Series[str] = pa.Field(isin=values(Programme))
    community_point_id: Optional[Series[str]] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(isin=values(Source))

    @pa.dataframe_check(error="end_date before start_date")
    @classmethod
    def _end_after_start(cls, df: pd.DataFrame) -> Series[bool]:
        return _end_after_start(df)

    @pa.dataframe_check(error="an actor cannot be related to itself")
    @classmethod
    def _no_self_loop(cls, df: pd.DataFrame) -> Series[bool]:
        return df["actor_id"] != df["partner_id"]


def _end_after_start(df: pd.DataFrame) -> pd.Series:
    if "end_date" not in df:
        return pd.Series(True, index=df.index)
    return df["end_date"].isna() | (df["end_date"] >= df["start_date"])


#: table name -> schema, in dependency order (actors first)
TABLE_SCHEMAS: dict[str, type[_Base]] = {
    "actors": ActorSchema,
    "household_members": HouseholdMemberSchema,
    "activities": ActivitySchema,
    "participations": ParticipationSchema,
    "interactions": InteractionSchema,
    "relations": RelationSchema,
}
