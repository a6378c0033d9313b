"""genera_graph.exports: file formats for research exports (tables, GEXF, GraphML, HTML maps).

The functions work on tidy tables (a node table and an edge table, see :mod:`.gexf`), not on
the temporal graph objects, so that any view of the event log can be exported.
"""

from genera_graph.exports import gexf, graphml, html, research, tables
from genera_graph.exports.gexf import *  # noqa: F403
from genera_graph.exports.graphml import *  # noqa: F403
from genera_graph.exports.html import *  # noqa: F403
from genera_graph.exports.research import *  # noqa: F403
from genera_graph.exports.tables import *  # noqa: F403

__all__ = [*gexf.__all__, *graphml.__all__, *html.__all__, *research.__all__, *tables.__all__]
