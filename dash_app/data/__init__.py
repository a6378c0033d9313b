"""The explorer's data access: every page reads through a :class:`DataAccess`.

A :class:`DataAccess` is built by :func:`dash_app.create_app` from a data source and a
:class:`Viewer` (role and Community Point). Scoping lives in one place
(:mod:`dash_app.data.viewer`): a facilitator's access object holds a dataset from which every
household (and its members) of other Community Points has been removed, with every tie that
touches them, so no page can show them.

The package, by topic: :mod:`~dash_app.data.viewer` (who looks, scoping),
:mod:`~dash_app.data.source` (loading, the current request's access object),
:mod:`~dash_app.data.cache`, :mod:`~dash_app.data.access` (the access object),
:mod:`~dash_app.data.network` (ties, map windows, one actor), :mod:`~dash_app.data.layout`
(the map's fixed positions) and :mod:`~dash_app.data.analytics` (growth, report, bridges,
communities, isolation).

Examples
--------
>>> from genera_graph.model import Dataset
>>> access = DataAccess(Dataset.empty(), Viewer())
>>> len(access.actors)
0
>>> Viewer(role="facilitator", community_point_id="CP01").scoped
True
"""

from dash_app.data.access import DataAccess
from dash_app.data.source import (
    CONFIG_KEY,
    Source,
    current,
    generation,
    invalidate,
    load_source,
)
from dash_app.data.viewer import Viewer, scope_dataset

__all__ = [
    "CONFIG_KEY",
    "DataAccess",
    "Source",
    "Viewer",
    "current",
    "generation",
    "invalidate",
    "load_source",
    "scope_dataset",
]
