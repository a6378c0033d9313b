"""GraphML files (through networkx) that networkx, igraph, Gephi, yEd and R can read.

GraphML has no time: spells are written as ``start``/``end`` text attributes (ISO
``yyyy-mm-dd``; no ``end`` = still open) and events as a ``date`` attribute, one GraphML edge per
spell or event. The tables are the same tidy tables as :mod:`genera_graph.exports.gexf`.

Examples
--------
>>> import networkx as nx, pandas as pd, tempfile, pathlib
>>> nodes = pd.DataFrame({"id": ["H1", "A7"], "label": ["Rossi", "Circolo"]})
>>> edges = pd.DataFrame({"source": ["H1"], "target": ["A7"],
...                       "start": pd.to_datetime(["2016-06-14"]), "end": [pd.NaT]})
>>> path = write_graphml(nodes, edges, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
>>> graph = nx.read_graphml(path)
>>> [(u, v, data["start"], "end" in data) for u, v, data in graph.edges(data=True)]
[('H1', 'A7', '2016-06-14', False)]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports._tidy import (
    EDGE_RESERVED,
    attribute_columns,
    check_columns,
    check_endpoints,
    is_missing,
    iso,
    native,
    node_records,
    to_timestamp,
    xml_safe,
)

__all__ = ["write_graphml"]


def _value(value: Any) -> Any:
    """A GraphML-typed Python value: bool, int, float, or text (dates as ISO text)."""
    if isinstance(value, pd.Timestamp):
        return iso(value, "date" if value == value.normalize() else "dateTime")
    value = native(value)
    if isinstance(value, bool | int | float):
        return value
    return xml_safe(str(value))


def _present(row: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    return {c: _value(row[c]) for c in columns if not is_missing(row[c])}


def write_graphml(nodes: pd.DataFrame, edges: pd.DataFrame, path: str | os.PathLike, *,
                  directed: bool = False) -> Path:
    """Write a node table and an edge table as GraphML.

    Parameters
    ----------
    nodes, edges : DataFrame
        The tidy tables of :mod:`genera_graph.exports.gexf`.
    path : path-like
        The file to write (overwritten).
    directed : bool
        ``edgedefault`` of the graph.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValueError
        On a missing column, a duplicated node id or an edge to an unknown node.

    Notes
    -----
    One GraphML edge per row of the edge table, and per date of a ``timestamps`` list (written
    as ``date``); GraphML edge ids are ``e0, e1, ...`` and the table's own ``id`` is kept in the
    ``edge_id`` attribute (one tie with two spells is two GraphML edges with the same
    ``edge_id``). Attributes are typed from the columns (``boolean``, ``long``, ``double``,
    ``string``); dates are ISO text. A missing value is left out of the element: networkx then
    has no attribute, igraph fills in ``NaN`` for numbers, ``""`` for text and ``False`` for
    booleans (igraph cannot tell a missing boolean from ``False``). Text is XML-escaped; control
    characters that XML 1.0 cannot hold become U+FFFD.
    Complexity: O(rows of both tables).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> nodes = pd.DataFrame({"id": ["007"], "label": ["Rossi"], "members": [4]})
    >>> path = write_graphml(nodes, pd.DataFrame({"source": [], "target": []}),
    ...                      pathlib.Path(tempfile.mkdtemp()) / "n.graphml")
    >>> 'attr.name="members" attr.type="long"' in path.read_text(encoding="utf-8")
    True
    """
    import networkx as nx

    node_rows, node_attrs = node_records(nodes)
    check_columns(edges, ("source", "target"), "edge")
    graph: Any = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for row in node_rows:
        data = _present(row, [c for c in ("label", "start", "end") if c in row] + node_attrs)
        graph.add_node(row["id"], **data)

    edge_attrs = attribute_columns(edges, EDGE_RESERVED)
    time_columns = [c for c in ("start", "end", "date") if c in edges.columns]
    extra = [c for c in ("label", "weight") if c in edges.columns]
    elements: list[tuple[str, str, dict[str, Any]]] = []
    for number, row in enumerate(edges.to_dict(orient="records")):
        if is_missing(row["source"]) or is_missing(row["target"]):
            raise ValueError(f"edge row {number}: source and target are required")
        source, target = str(row["source"]), str(row["target"])
        data = _present(row, extra + edge_attrs)
        if "id" in row and not is_missing(row["id"]):
            data["edge_id"] = xml_safe(str(row["id"]))
        for name in time_columns:
            stamp = to_timestamp(row[name], f"edge row {number}, {name}")
            if stamp is not None:
                data[name] = _value(stamp)
        stamps = row.get("timestamps")
        if stamps is not None and not is_missing(stamps) and len(stamps) > 0:
            for stamp in stamps:
                when = to_timestamp(stamp, f"edge row {number}, timestamps")
                elements.append((source, target, {**data, "date": _value(when)}))
        else:
            elements.append((source, target, data))

    check_endpoints(graph.nodes, ((f"e{i}", s, t) for i, (s, t, _) in enumerate(elements)))
    for number, (source, target, data) in enumerate(elements):
        graph.add_edge(source, target, key=f"e{number}", **data)

    path = Path(path)
    nx.write_graphml(graph, path, encoding="utf-8", named_key_ids=False)
    return path

