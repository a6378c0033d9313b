"""The temporal layer: one event log, and the graph views derived from it.

:class:`TemporalGraph` stores every event once; :meth:`~TemporalGraph.at`,
:meth:`~TemporalGraph.window`, :meth:`~TemporalGraph.cumulative` and
:meth:`~TemporalGraph.rolling` derive cached :class:`View`\\ s; :func:`coparticipation` projects
the actor–activity participations onto actor–actor ties.

Event-kind codes of the log (``tg.log.kind``): :data:`INTERACTION`, :data:`RELATION`,
:data:`PARTICIPATION` (names in :data:`EVENT_KINDS`); nature codes (``tg.log.nature``) index
:data:`NATURES`, :data:`PEER` being the code of peer ties.
"""

from genera_graph.temporal._dates import (
    DateLike,
    as_date,
    day_number,
    day_to_date,
    month_ends,
    month_windows,
)
from genera_graph.temporal._log import (
    EVENT_KINDS,
    INTERACTION,
    NATURES,
    PARTICIPATION,
    PEER,
    RELATION,
)
from genera_graph.temporal.graph import TemporalGraph
from genera_graph.temporal.projection import coparticipation
from genera_graph.temporal.view import View, ViewSpec

__all__ = [
    "EVENT_KINDS",
    "INTERACTION",
    "NATURES",
    "PARTICIPATION",
    "PEER",
    "RELATION",
    "DateLike",
    "TemporalGraph",
    "View",
    "ViewSpec",
    "as_date",
    "coparticipation",
    "day_number",
    "day_to_date",
    "month_ends",
    "month_windows",
]
