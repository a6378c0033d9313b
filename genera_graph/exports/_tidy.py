"""Shared reading of the tidy node and edge tables that every graph format writes.

Private: the public conventions are documented in :mod:`genera_graph.exports.gexf`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__: list[str] = []

#: Node columns with a meaning of their own; every other column is a node attribute.
NODE_RESERVED = ("id", "label", "start", "end")
#: Edge columns with a meaning of their own; every other column is an edge attribute.
EDGE_RESERVED = ("id", "source", "target", "label", "weight", "start", "end", "timestamps", "date")

# Characters that XML 1.0 forbids (C0 controls other than tab, LF, CR; surrogates; U+FFFE/F).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Replace the characters XML 1.0 cannot hold by U+FFFD (a file must stay well-formed)."""
    return _XML_INVALID.sub("\ufffd", text)


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, list | tuple | set | frozenset):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def logical_type(series: pd.Series) -> str:
    """One of ``boolean``, ``integer``, ``double``, ``date``, ``string``."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    return "string"


def to_timestamp(value: Any, what: str) -> pd.Timestamp | None:
    if is_missing(value):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what}: {value!r} is not a date") from error
    if stamp.tzinfo is not None:
        raise ValueError(f"{what}: timezone-aware dates are not supported")
    return stamp


def iso(stamp: pd.Timestamp, timeformat: str = "date") -> str:
    if timeformat == "date":
        if stamp != stamp.normalize():
            raise ValueError(f"{stamp} has a time of day; use timeformat='dateTime'")
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S")


def native(value: Any) -> Any:
    """A plain Python scalar (bool, int, float, str) for a cell."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    return value


def attribute_columns(frame: pd.DataFrame, reserved: Iterable[str]) -> list[str]:
    reserved = set(reserved)
    return [str(c) for c in frame.columns if c not in reserved]


def check_columns(frame: pd.DataFrame, required: Iterable[str], table: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{table} table: missing column(s) {missing}")


@dataclass
class TidyEdge:
    """One edge of the file: its static part and all its times."""

    id: str
    source: str
    target: str
    label: str | None
    attrs: dict[str, Any]
    weight: float | None = None
    spells: list[tuple[pd.Timestamp | None, pd.Timestamp | None]] = field(default_factory=list)
    timestamps: list[pd.Timestamp] = field(default_factory=list)
    _fixed_weights: list[float] = field(default_factory=list)
    _event_weight: float = 0.0
    _events: int = 0


def _cell_key(value: Any) -> Any:
    return None if is_missing(value) else native(value)


def group_edges(edges: pd.DataFrame) -> list[TidyEdge]:
    """Group the rows of an edge table into edges.

    Rows with the same ``id`` (or, without an ``id`` column, the same source, target, label and
    attribute values) are one edge. Each row adds a spell (``start``/``end``), timestamps (a
    ``timestamps`` list) or one event (``date``). Weight: the ``weight`` of the edge (it must
    agree on every row of the edge), except for ``date`` rows (one row per event) whose weights
    add up, a missing weight counting 1; without a ``weight`` column, an edge with events weighs
    its number of events, an edge without events has no weight.
    """
    check_columns(edges, ("source", "target"), "edge")
    attrs = attribute_columns(edges, EDGE_RESERVED)
    has = {c: c in edges.columns for c in EDGE_RESERVED}
    grouped: dict[Any, TidyEdge] = {}
    records = edges.to_dict(orient="records")
    for number, row in enumerate(records):
        where = f"edge row {number}"
        source, target = row["source"], row["target"]
        if is_missing(source) or is_missing(target):
            raise ValueError(f"{where}: source and target are required")
        source, target = str(source), str(target)
        label = None if not has["label"] or is_missing(row["label"]) else str(row["label"])
        values = {a: _cell_key(row[a]) for a in attrs}
        if has["id"] and not is_missing(row["id"]):
            key: Any = ("id", str(row["id"]))
        else:
            key = ("pair", source, target, label, tuple(values.items()))
        edge = grouped.get(key)
        if edge is None:
            edge_id = key[1] if key[0] == "id" else f"e{len(grouped)}"
            edge = TidyEdge(edge_id, source, target, label, values)
            grouped[key] = edge
        elif (edge.source, edge.target, edge.label, edge.attrs) != (source, target, label, values):
            raise ValueError(
                f"{where}: edge {edge.id!r} has rows with different source, target, label or "
                "attributes; dynamic attribute values are not supported"
            )
        weight = None if not has["weight"] or is_missing(row["weight"]) else float(row["weight"])
        is_event = has["date"] and not is_missing(row["date"])
        if is_event:
            edge.timestamps.append(to_timestamp(row["date"], f"{where}, date"))
            edge._events += 1
            edge._event_weight += 1.0 if weight is None else weight
        elif weight is not None:
            edge._fixed_weights.append(weight)
        if has["timestamps"] and not is_missing(row["timestamps"]):
            stamps = row["timestamps"]
            if isinstance(stamps, str) or not hasattr(stamps, "__iter__"):
                raise ValueError(f"{where}: 'timestamps' must be a list of dates")
            edge.timestamps.extend(to_timestamp(s, f"{where}, timestamps") for s in stamps)
        start = to_timestamp(row["start"], f"{where}, start") if has["start"] else None
        end = to_timestamp(row["end"], f"{where}, end") if has["end"] else None
        if start is not None or end is not None:
            if start is not None and end is not None and end < start:
                raise ValueError(f"{where}: end {end.date()} is before start {start.date()}")
            edge.spells.append((start, end))
    out = list(grouped.values())
    for edge in out:
        if len(set(edge._fixed_weights)) > 1:
            raise ValueError(f"edge {edge.id!r}: its rows disagree on the weight")
        if edge._fixed_weights and edge._events:
            raise ValueError(f"edge {edge.id!r}: mixes a fixed weight with per-event weights")
        if edge._fixed_weights:
            edge.weight = edge._fixed_weights[0]
        elif edge._events:
            edge.weight = edge._event_weight
        elif edge.timestamps and not has["weight"]:
            edge.weight = float(len(edge.timestamps))
        edge.timestamps = sorted(set(edge.timestamps))
        edge.spells.sort(key=lambda s: (s[0] is not None, s[0] or pd.Timestamp.min))
    ids = [e.id for e in out]
    if len(set(ids)) != len(ids):
        raise ValueError("edge ids must be unique (an 'eN' id collides with a given id)")
    return out


def node_records(nodes: pd.DataFrame) -> tuple[list[dict[str, Any]], list[str]]:
    """The node rows as records (id as text) and the attribute columns; ids must be unique."""
    check_columns(nodes, ("id",), "node")
    if nodes["id"].isna().any():
        raise ValueError("node table: every node needs an id")
    ids = nodes["id"].astype(str)
    duplicated = ids[ids.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"node table: duplicated ids {duplicated[:5]}")
    attrs = attribute_columns(nodes, NODE_RESERVED)
    records = nodes.to_dict(orient="records")
    for record, node_id in zip(records, ids, strict=True):
        record["id"] = node_id
    return records, attrs


def check_endpoints(node_ids: Iterable[str], ends: Iterable[tuple[str, str, str]]) -> None:
    """Every ``(edge id, source, target)`` must join two known nodes."""
    known = set(node_ids)
    for edge_id, source, target in ends:
        for end in (source, target):
            if end not in known:
                raise ValueError(f"edge {edge_id!r}: endpoint {end!r} is not in the node table")
