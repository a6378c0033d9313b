"""The temporal layer: one event log, and the graph views derived from it.

:class:`TemporalGraph` stores every event once; :meth:`~TemporalGraph.at`,
:meth:`~TemporalGraph.window`, :meth:`~TemporalGraph.cumulative` and
:meth:`~TemporalGraph.rolling` derive cached :class:`View`\\ s; :func:`coparticipation` projects
the actor–activity participations onto actor–actor ties.
"""

from genera_graph.temporal._dates import (
    DateLike,
    as_date,
    day_number,
    day_to_date,
    month_ends,
    month_windows,
)
from genera_graph.temporal.graph import TemporalGraph, View, ViewSpec
from genera_graph.temporal.projection import coparticipation

__all__ = [
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
