"""GraphML export: networkx and igraph both read back the same nodes, ties and attributes."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import pandas as pd
import pytest

from genera_graph.exports.graphml import write_graphml

NODE_ATTRS = ("label", "kind", "community_point", "members", "score", "isolated")
EDGE_ATTRS = ("edge_id", "weight", "nature", "programme")


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _expected_nodes(nodes: pd.DataFrame) -> dict[str, dict]:
    out = {}
    for row in nodes.to_dict(orient="records"):
        data = {a: row[a] for a in NODE_ATTRS}
        data["start"], data["end"] = _iso(row["start"]), _iso(row["end"])
        out[row["id"]] = data
    return out


def _expected_edges(edges: pd.DataFrame) -> list[tuple]:
    """Undirected ties: the pair is compared as a sorted pair."""
    rows = []
    for row in edges.to_dict(orient="records"):
        rows.append((*sorted((row["source"], row["target"])), row["id"], row["weight"], row["nature"],
                     row["programme"], _iso(row["start"]), _iso(row["end"])))
    return sorted(rows, key=str)


def _normal(value):
    """igraph reads every number as float and a missing text as ''."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


@pytest.fixture
def graphml_path(nodes, spell_edges, tmp_path):
    return write_graphml(nodes, spell_edges, tmp_path / "g.graphml")


def test_networkx_reads_same_nodes_ties_and_attributes(graphml_path, nodes, spell_edges):
    graph = nx.read_graphml(graphml_path, force_multigraph=True)
    assert not graph.is_directed()
    got_nodes = {
        n: {a: d.get(a) for a in (*NODE_ATTRS, "start", "end")} for n, d in graph.nodes(data=True)
    }
    assert got_nodes == _expected_nodes(nodes)
    assert isinstance(got_nodes["H001"]["members"], int)
    assert isinstance(got_nodes["H002"]["isolated"], bool)
    got_edges = sorted(
        ((*sorted((u, v)), d["edge_id"], d["weight"], d["nature"], d["programme"], d.get("start"),
          d.get("end")) for u, v, d in graph.edges(data=True)),
        key=str,
    )
    assert got_edges == _expected_edges(spell_edges)


def test_igraph_reads_same_nodes_ties_and_attributes(graphml_path, nodes, spell_edges):
    graph = ig.Graph.Read_GraphML(str(graphml_path))
    assert not graph.is_directed()
    got_nodes = {
        v["id"]: {a: _normal(v[a]) for a in (*NODE_ATTRS, "start", "end")} for v in graph.vs
    }
    want_nodes = {
        n: {a: _normal(x) for a, x in d.items()} for n, d in _expected_nodes(nodes).items()
    }
    assert got_nodes == want_nodes
    names = graph.vs["id"]
    got_edges = sorted(
        ((*sorted((names[e.source], names[e.target])), e["edge_id"], e["weight"], e["nature"],
          e["programme"], _normal(e["start"]), _normal(e["end"])) for e in graph.es),
        key=str,
    )
    assert got_edges == _expected_edges(spell_edges)


def test_hostile_label_survives_both_readers(graphml_path, hostile):
    assert nx.read_graphml(graphml_path).nodes["X999"]["label"] == hostile
    graph = ig.Graph.Read_GraphML(str(graphml_path))
    assert graph.vs.find(id="X999")["label"] == hostile
    raw = graphml_path.read_text(encoding="utf-8")
    assert "<img" not in raw and "</script>" not in raw


def test_events_one_graphml_edge_per_date(nodes, event_edges, tmp_path):
    grouped = (
        event_edges.groupby(["source", "target", "nature", "programme"])["date"]
        .agg(list).rename("timestamps").reset_index()
    )
    path = write_graphml(nodes, grouped, tmp_path / "e.graphml", directed=True)
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.is_directed()
    got = sorted((u, v, d["date"], d["nature"]) for u, v, d in graph.edges(data=True))
    want = sorted(
        (r.source, r.target, _iso(r.date), r.nature) for r in event_edges.itertuples()
    )
    assert got == want
    assert ig.Graph.Read_GraphML(str(path)).ecount() == len(event_edges)


def test_unknown_endpoint_is_refused(nodes, spell_edges, tmp_path):
    with pytest.raises(ValueError, match="not in the node table"):
        write_graphml(nodes[nodes["id"] != "F003"], spell_edges, tmp_path / "x.graphml")
