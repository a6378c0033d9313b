"""GEXF 1.3 files with dynamics, for Gephi's timeline.

The writer works on two tidy tables, so that any view of the event log can be exported:

**node table**: ``id`` (text, unique), ``label`` (display name; personal data, may hold any
text), optional ``start``/``end`` (dates: the node's lifetime), and any other column as a node
attribute (text, integer, float, boolean; a date column is written as ISO text).

**edge table**: ``source``, ``target``, optional ``id``, ``label``, ``weight``, attribute columns
(e.g. ``nature``, ``programme``) and time, either

- as spells: ``start``, ``end`` dates (``end`` missing = still open) for interval ties (a lease,
  a membership); several rows with the same ``id`` are several spells of one edge;
- as timestamps: a ``timestamps`` column holding a list of dates, or one row per event with a
  ``date`` column, for instantaneous ties (a meeting, a referral).

Rows without an ``id`` are grouped by source, target, label and attribute values; see
:func:`write_gexf` for the weights.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> nodes = pd.DataFrame({"id": ["H1", "H2"], "label": ["Rossi", "Bianchi"],
...                       "kind": ["household", "household"]})
>>> edges = pd.DataFrame({"source": ["H1", "H1"], "target": ["H2", "H2"],
...     "date": pd.to_datetime(["2016-06-14", "2016-07-02"]), "nature": ["peer", "peer"]})
>>> path = write_gexf(nodes, edges, pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
>>> back_nodes, back_edges = read_gexf(path)
>>> float(back_edges.loc[0, "weight"]), [str(t.date()) for t in back_edges.loc[0, "timestamps"]]
(2.0, ['2016-06-14', '2016-07-02'])
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports._tidy import (
    EDGE_RESERVED,
    TidyEdge,
    attribute_columns,
    check_endpoints,
    group_edges,
    is_missing,
    iso,
    logical_type,
    native,
    node_records,
    to_timestamp,
    xml_safe,
)

__all__ = ["GEXF_NAMESPACE", "read_gexf", "validate_gexf", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
_NS = "{" + GEXF_NAMESPACE + "}"

# GEXF attribute types of our logical types (a date attribute column is ISO text).
_GEXF_TYPE = {"boolean": "boolean", "integer": "long", "double": "double", "date": "string",
              "string": "string"}


def _attribute_value(value: Any, kind: str, timeformat: str) -> str:
    value = native(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "double":
        return repr(float(value))
    if kind == "date":
        return iso(pd.Timestamp(value), "date")
    return xml_safe(str(value))


def _declare(parent: Any, cls: str, columns: list[str], kinds: dict[str, str]) -> None:
    from lxml import etree

    block = etree.SubElement(parent, _NS + "attributes", {"class": cls, "mode": "static"})
    for name in columns:
        etree.SubElement(block, _NS + "attribute",
                         {"id": xml_safe(name), "title": xml_safe(name),
                          "type": _GEXF_TYPE[kinds[name]]})


def _attvalues(element: Any, values: dict[str, Any], kinds: dict[str, str],
               timeformat: str) -> None:
    from lxml import etree

    present = [(k, v) for k, v in values.items() if not is_missing(v)]
    if not present:
        return
    block = etree.SubElement(element, _NS + "attvalues")
    for name, value in present:
        etree.SubElement(block, _NS + "attvalue",
                         {"for": xml_safe(name),
                          "value": _attribute_value(value, kinds[name], timeformat)})


def _spells(element: Any, spells: list[tuple[Any, Any]], stamps: list[pd.Timestamp],
            representation: str, timeformat: str) -> None:
    from lxml import etree

    if not spells and not stamps:
        return
    block = etree.SubElement(element, _NS + "spells")
    if representation == "timestamp":
        for stamp in stamps:
            etree.SubElement(block, _NS + "spell", {"timestamp": iso(stamp, timeformat)})
        return
    # interval representation: an instantaneous event is the one-day interval [d, d]
    spells = spells + [(s, s) for s in stamps]
    for start, end in spells:
        attrs = {}
        if start is not None:
            attrs["start"] = iso(start, timeformat)
        if end is not None:
            attrs["end"] = iso(end, timeformat)
        etree.SubElement(block, _NS + "spell", attrs)


def write_gexf(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    path: str | os.PathLike,
    *,
    mode: str = "dynamic",
    timeformat: str = "date",
    defaultedgetype: str = "undirected",
    timerepresentation: str = "auto",
    description: str | None = None,
) -> Path:
    """Write a node table and an edge table as a GEXF 1.3 file.

    Parameters
    ----------
    nodes, edges : DataFrame
        The tidy tables described in the module docstring.
    path : path-like
        The file to write (overwritten).
    mode : {"dynamic", "static"}
        ``dynamic`` writes the node lifetimes, the spells and the timestamps (Gephi's timeline);
        ``static`` writes the graph without time.
    timeformat : {"date", "dateTime"}
        How times are written: ISO ``yyyy-mm-dd`` (the programme's registers are daily) or
        ``yyyy-mm-ddThh:mm:ss``.
    defaultedgetype : {"undirected", "directed", "mutual"}
        The edge direction.
    timerepresentation : {"auto", "interval", "timestamp"}
        GEXF allows one per file. ``timestamp`` writes each event as
        ``<spell timestamp="..."/>`` and refuses spells and node lifetimes; ``interval`` writes
        spells ``<spell start=".." end=".."/>`` (no ``end``: still open) and each event as the
        one-day spell ``[d, d]``; ``auto`` picks ``timestamp`` when there are events and no
        spell nor lifetime, else ``interval``.
    description : str, optional
        Text of the ``<meta><description>`` element.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValueError
        On a missing column, a duplicated node id, an edge to an unknown node, a spell that ends
        before it starts, rows of one edge that disagree, or a time representation that cannot
        hold the data.

    Notes
    -----
    Weights: the ``weight`` of the edge (equal on all its rows), except with one row per event
    (``date``), where the weights add up (a missing weight counts 1); without a ``weight``
    column an edge with events weighs its number of events, one without events has no weight
    (Gephi reads 1). Attributes are static (``<attributes mode="static">``): their value must be
    the same on every row of an edge. Labels and text values are escaped by lxml; characters
    that XML 1.0 cannot hold (control characters) are replaced by U+FFFD. The file validates
    against the GEXF 1.3 XML Schema (see :func:`validate_gexf`).
    Complexity: O(rows of both tables).

    References
    ----------
    GEXF 1.3 specification and schema, https://gexf.net/

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> nodes = pd.DataFrame({"id": ["H1", "A7"], "label": ["Rossi", "Circolo"],
    ...     "start": pd.to_datetime(["2016-05-18", "2016-02-01"])})
    >>> edges = pd.DataFrame({"id": ["r1"], "source": ["H1"], "target": ["A7"],
    ...     "start": pd.to_datetime(["2016-06-14"]), "end": [pd.NaT]})
    >>> path = write_gexf(nodes, edges, pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
    >>> '<spell start="2016-06-14"/>' in path.read_text(encoding="utf-8")
    True
    """
    from lxml import etree

    if mode not in ("dynamic", "static"):
        raise ValueError(f"mode must be 'dynamic' or 'static', not {mode!r}")
    if timeformat not in ("date", "dateTime"):
        raise ValueError(f"timeformat must be 'date' or 'dateTime', not {timeformat!r}")
    if defaultedgetype not in ("undirected", "directed", "mutual"):
        raise ValueError(f"unknown defaultedgetype {defaultedgetype!r}")
    if timerepresentation not in ("auto", "interval", "timestamp"):
        raise ValueError(f"unknown timerepresentation {timerepresentation!r}")

    node_rows, node_attrs = node_records(nodes)
    tidy = group_edges(edges)
    check_endpoints((r["id"] for r in node_rows),
                    ((e.id, e.source, e.target) for e in tidy))
    edge_attrs = attribute_columns(edges, EDGE_RESERVED)
    node_kinds = {c: logical_type(nodes[c]) for c in node_attrs}
    edge_kinds = {c: logical_type(edges[c]) for c in edge_attrs}

    lifetimes = {}
    for row in node_rows:
        start = to_timestamp(row.get("start"), f"node {row['id']!r}, start")
        end = to_timestamp(row.get("end"), f"node {row['id']!r}, end")
        if start is not None and end is not None and end < start:
            raise ValueError(f"node {row['id']!r}: end is before start")
        if start is not None or end is not None:
            lifetimes[row["id"]] = (start, end)
    has_spells = bool(lifetimes) or any(e.spells for e in tidy)
    has_stamps = any(e.timestamps for e in tidy)
    representation = timerepresentation
    if representation == "auto":
        representation = "timestamp" if has_stamps and not has_spells else "interval"
    if mode == "dynamic" and representation == "timestamp" and has_spells:
        raise ValueError("timerepresentation='timestamp' cannot hold spells or node lifetimes")
    dynamic = mode == "dynamic"

    root = etree.Element(_NS + "gexf", nsmap={None: GEXF_NAMESPACE, "xsi": _XSI})
    root.set("version", "1.3")
    root.set("{" + _XSI + "}schemaLocation", _SCHEMA_LOCATION)
    meta = etree.SubElement(root, _NS + "meta")
    etree.SubElement(meta, _NS + "creator").text = "genera_graph"
    if description:
        etree.SubElement(meta, _NS + "description").text = xml_safe(description)
    graph_attrs = {"defaultedgetype": defaultedgetype, "mode": mode}
    if dynamic:
        graph_attrs.update(timeformat=timeformat, timerepresentation=representation)
    graph = etree.SubElement(root, _NS + "graph", graph_attrs)
    _declare(graph, "node", node_attrs, node_kinds)
    _declare(graph, "edge", edge_attrs, edge_kinds)

    node_block = etree.SubElement(graph, _NS + "nodes", {"count": str(len(node_rows))})
    for row in node_rows:
        label = row.get("label")
        label = row["id"] if is_missing(label) else str(label)
        element = etree.SubElement(node_block, _NS + "node",
                                   {"id": xml_safe(row["id"]), "label": xml_safe(label)})
        _attvalues(element, {c: row[c] for c in node_attrs}, node_kinds, timeformat)
        if dynamic and row["id"] in lifetimes:
            _spells(element, [lifetimes[row["id"]]], [], representation, timeformat)

    edge_block = etree.SubElement(graph, _NS + "edges", {"count": str(len(tidy))})
    for edge in tidy:
        _write_edge(edge_block, edge, edge_kinds, dynamic, representation, timeformat)

    path = Path(path)
    etree.ElementTree(root).write(str(path), encoding="UTF-8", xml_declaration=True,
                                  pretty_print=True)
    return path


def _write_edge(parent: Any, edge: TidyEdge, kinds: dict[str, str], dynamic: bool,
                representation: str, timeformat: str) -> None:
    from lxml import etree

    attrs = {"id": xml_safe(edge.id), "source": xml_safe(edge.source),
             "target": xml_safe(edge.target)}
    if edge.label is not None:
        attrs["label"] = xml_safe(edge.label)
    if edge.weight is not None:
        attrs["weight"] = repr(float(edge.weight))
    element = etree.SubElement(parent, _NS + "edge", attrs)
    _attvalues(element, edge.attrs, kinds, timeformat)
    if dynamic:
        _spells(element, edge.spells, edge.timestamps, representation, timeformat)


def validate_gexf(path: str | os.PathLike, schema: str | os.PathLike) -> list[str]:
    """Validate a GEXF file against the GEXF 1.3 XML Schema.

    Parameters
    ----------
    path : path-like
        The GEXF file.
    schema : path-like
        ``gexf.xsd`` of the official schema, with ``dynamics.xsd`` and ``viz.xsd`` beside it
        (the library ships no copy: the caller says where it is).

    Returns
    -------
    list of str
        The schema errors, with their line numbers; empty when the file is valid.
    """
    from lxml import etree

    xsd = etree.XMLSchema(etree.parse(str(schema)))
    document = etree.parse(str(path), _safe_parser())
    if xsd.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def _safe_parser() -> Any:
    from lxml import etree

    # no entity expansion, no network, no DTD: a GEXF file is untrusted input
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True)


_READ_TYPES = {
    "integer": "Int64", "long": "Int64", "short": "Int64", "byte": "Int64",
    "biginteger": "Int64", "double": "float64", "float": "float64", "bigdecimal": "float64",
    "boolean": "boolean",
}


def _parse_value(text: str, gexf_type: str) -> Any:
    target = _READ_TYPES.get(gexf_type)
    if target == "Int64":
        return int(text)
    if target == "float64":
        return float(text)
    if target == "boolean":
        return text.strip().lower() in ("true", "1")
    return text


def _parse_time(text: str | None) -> pd.Timestamp | None:
    return None if text is None or text == "" else pd.Timestamp(text)


def _typed_frame(records: list[dict[str, Any]], columns: list[str],
                 declared: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name, gexf_type in declared.items():
        if name in frame.columns:
            frame[name] = frame[name].astype(_READ_TYPES.get(gexf_type, "str"))
    for name in ("start", "end"):
        if name in frame.columns:
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    return frame


def read_gexf(path: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a GEXF 1.3 file (as :func:`write_gexf` writes it) back into tidy tables.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    nodes : DataFrame
        ``id``, ``label``, the node attributes (typed from their declaration: integers as
        ``Int64``, reals as ``float64``, booleans as ``boolean``, text as ``str``) and, when a
        node has a lifetime, ``start``/``end``.
    edges : DataFrame
        ``id``, ``source``, ``target``, ``label`` (if any), ``weight``, the edge attributes and
        time: with the interval representation one row per spell (``start``/``end``; an edge
        without spells has one row with both missing); with the timestamp representation one
        row per edge with a ``timestamps`` list.

    Raises
    ------
    ValueError
        If the file is not GEXF, a node has several spells, or time is not a date.

    Notes
    -----
    The parser expands no entity and loads nothing from the network. Dynamic attribute values,
    hierarchies and viz elements are not read. With the interval representation an event
    written as ``[d, d]`` reads back as a spell with ``start == end``.
    """
    from lxml import etree

    root = etree.parse(str(path), _safe_parser()).getroot()
    if etree.QName(root).localname != "gexf":
        raise ValueError(f"{path}: not a GEXF file")
    ns = etree.QName(root).namespace
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    graph = root.find(q("graph"))
    if graph is None:
        raise ValueError(f"{path}: no <graph>")
    if graph.get("timeformat", "date") not in ("date", "dateTime"):
        raise ValueError("only timeformat 'date' or 'dateTime' is supported")
    representation = graph.get("timerepresentation", "interval")

    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    titles: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for block in graph.findall(q("attributes")):
        cls = block.get("class")
        for attribute in block.findall(q("attribute")):
            title = attribute.get("title") or attribute.get("id")
            titles[cls][attribute.get("id")] = title
            declared[cls][title] = attribute.get("type", "string")

    def values(element: Any, cls: str) -> dict[str, Any]:
        out = {}
        block = element.find(q("attvalues"))
        if block is not None:
            for item in block.findall(q("attvalue")):
                title = titles[cls].get(item.get("for"), item.get("for"))
                out[title] = _parse_value(item.get("value"), declared[cls].get(title, "string"))
        return out

    def spells(element: Any) -> list[Any]:
        block = element.find(q("spells"))
        return [] if block is None else block.findall(q("spell"))

    node_rows, dynamic_nodes = [], False
    for node in graph.find(q("nodes")).findall(q("node")):
        row = {"id": node.get("id"), "label": node.get("label"), **values(node, "node")}
        found = spells(node)
        if len(found) > 1:
            raise ValueError(f"node {row['id']!r} has several spells; not supported")
        if found or node.get("start") or node.get("end"):
            holder = found[0] if found else node
            row["start"] = _parse_time(holder.get("start"))
            row["end"] = _parse_time(holder.get("end"))
            dynamic_nodes = True
        node_rows.append(row)
    node_columns = ["id", "label", *declared["node"]]
    if dynamic_nodes:
        node_columns += ["start", "end"]
    nodes = _typed_frame(node_rows, node_columns, declared["node"])

    edge_rows = []
    has_label = False
    edges_block = graph.find(q("edges"))
    for number, edge in enumerate([] if edges_block is None else edges_block.findall(q("edge"))):
        weight = edge.get("weight")
        base = {"id": edge.get("id") or f"e{number}", "source": edge.get("source"),
                "target": edge.get("target"), "label": edge.get("label"),
                "weight": float(weight) if weight is not None else None,
                **values(edge, "edge")}
        has_label = has_label or base["label"] is not None
        found = spells(edge)
        if representation == "timestamp":
            stamps = [_parse_time(s.get("timestamp")) for s in found]
            if not found and edge.get("timestamp"):
                stamps = [_parse_time(edge.get("timestamp"))]
            edge_rows.append({**base, "timestamps": sorted(stamps)})
        elif found:
            for spell in found:
                edge_rows.append({**base, "start": _parse_time(spell.get("start")),
                                  "end": _parse_time(spell.get("end"))})
        else:
            edge_rows.append({**base, "start": _parse_time(edge.get("start")),
                              "end": _parse_time(edge.get("end"))})
    time_columns = ["timestamps"] if representation == "timestamp" else ["start", "end"]
    edge_columns = ["id", "source", "target", *(["label"] if has_label else []), "weight",
                    *declared["edge"], *time_columns]
    edges = _typed_frame(edge_rows, edge_columns, declared["edge"])
    edges["weight"] = edges["weight"].astype("float64")
    for name in ("id", "source", "target", "label"):
        if name in edges.columns:
            edges[name] = edges[name].astype("str")
    nodes["id"] = nodes["id"].astype("str")
    nodes["label"] = nodes["label"].astype("str")
    return nodes, edges
