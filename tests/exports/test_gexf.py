"""GEXF 1.3 writer: schema validity, dynamics and the round trip through our own parser."""

from __future__ import annotations

import pandas as pd
import pytest
from lxml import etree

from genera_graph.exports.gexf import GEXF_NAMESPACE, read_gexf, validate_gexf, write_gexf

NS = {"g": GEXF_NAMESPACE}


def _dates(values) -> list[str | None]:
    return [None if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


@pytest.mark.parametrize("mode", ["dynamic", "static"])
@pytest.mark.parametrize("which", ["spell_edges", "event_edges"])
def test_file_validates_against_gexf_13_schema(request, nodes, gexf_schema, tmp_path, mode,
                                               which, hostile):
    edges = request.getfixturevalue(which)
    path = write_gexf(nodes, edges, tmp_path / "g.gexf", mode=mode, description=hostile)
    assert validate_gexf(path, gexf_schema) == []


def test_timestamp_representation_validates(nodes, event_edges, gexf_schema, tmp_path):
    path = write_gexf(nodes.drop(columns=["start", "end"]), event_edges, tmp_path / "t.gexf")
    graph = etree.parse(str(path)).getroot().find("g:graph", NS)
    assert graph.get("timerepresentation") == "timestamp"
    assert graph.get("timeformat") == "date" and graph.get("mode") == "dynamic"
    stamps = graph.findall(".//g:edge/g:spells/g:spell", NS)
    assert stamps and all(set(s.attrib) == {"timestamp"} for s in stamps)
    assert validate_gexf(path, gexf_schema) == []


def test_a_broken_file_does_not_validate(nodes, spell_edges, gexf_schema, tmp_path):
    """The validation is not vacuous: a spell with a dd/mm/yyyy date is refused."""
    path = write_gexf(nodes, spell_edges, tmp_path / "g.gexf")
    text = path.read_text(encoding="utf-8").replace('start="2016-06-20"', 'start="20/06/2016"')
    broken = tmp_path / "broken.gexf"
    broken.write_text(text, encoding="utf-8")
    errors = validate_gexf(broken, gexf_schema)
    assert errors and any("20/06/2016" in e for e in errors)


def test_dynamic_file_has_iso_spells_and_lifetimes(nodes, spell_edges, tmp_path):
    path = write_gexf(nodes, spell_edges, tmp_path / "g.gexf")
    root = etree.parse(str(path)).getroot()
    graph = root.find("g:graph", NS)
    assert graph.get("timerepresentation") == "interval"
    lease = graph.find(".//g:edge[@id='lease1']", NS)
    spells = [dict(s.attrib) for s in lease.findall("g:spells/g:spell", NS)]
    assert spells == [{"start": "2016-06-20", "end": "2017-06-19"}, {"start": "2017-09-01"}]
    node = graph.find(".//g:node[@id='H002']", NS)
    assert [dict(s.attrib) for s in node.findall("g:spells/g:spell", NS)] == [
        {"start": "2016-06-14", "end": "2018-10-31"}
    ]
    declared = {
        (b.get("class"), a.get("title")): a.get("type")
        for b in graph.findall("g:attributes", NS) for a in b.findall("g:attribute", NS)
    }
    assert declared[("node", "members")] == "long"
    assert declared[("node", "score")] == "double"
    assert declared[("node", "isolated")] == "boolean"
    assert declared[("edge", "programme")] == "string"
    assert all(b.get("mode") == "static" for b in graph.findall("g:attributes", NS))


def test_hostile_label_is_escaped_and_reads_back(nodes, spell_edges, tmp_path, hostile):
    path = write_gexf(nodes, spell_edges, tmp_path / "g.gexf")
    raw = path.read_text(encoding="utf-8")
    assert "<img" not in raw and "</script>" not in raw
    assert "&lt;/script&gt;&lt;img src=x" in raw
    back, _ = read_gexf(path)
    assert back.set_index("id").loc["X999", "label"] == hostile


def test_control_characters_do_not_break_the_file(nodes, spell_edges, gexf_schema, tmp_path):
    nodes = nodes.assign(label=nodes["label"].where(nodes["id"] != "H001", "Ros\x00si\x1b"))
    path = write_gexf(nodes, spell_edges, tmp_path / "g.gexf")
    assert validate_gexf(path, gexf_schema) == []
    back, _ = read_gexf(path)
    assert back.set_index("id").loc["H001", "label"] == "Ros\ufffdsi\ufffd"


def test_round_trip_spells(nodes, spell_edges, tmp_path):
    back_nodes, back_edges = read_gexf(write_gexf(nodes, spell_edges, tmp_path / "g.gexf"))
    pd.testing.assert_frame_equal(
        back_nodes[list(nodes.columns)].reset_index(drop=True), nodes, check_dtype=False
    )
    assert back_nodes["members"].dtype == "Int64"
    assert back_nodes["isolated"].dtype == "boolean"
    got = sorted(
        (r.id, r.source, r.target, r.weight, r.nature, r.programme, *_dates([r.start, r.end]))
        for r in back_edges.itertuples()
    )
    want = sorted(
        (r.id, r.source, r.target, r.weight, r.nature, r.programme, *_dates([r.start, r.end]))
        for r in spell_edges.itertuples()
    )
    assert got == want


def test_round_trip_timestamps_groups_events(nodes, event_edges, tmp_path):
    path = write_gexf(nodes.drop(columns=["start", "end"]), event_edges, tmp_path / "g.gexf")
    _, back = read_gexf(path)
    got = {
        (r.source, r.target, r.nature, r.programme): (r.weight, _dates(r.timestamps))
        for r in back.itertuples()
    }
    want: dict = {}
    for r in event_edges.itertuples():
        weight, stamps = want.get((r.source, r.target, r.nature, r.programme), (0.0, []))
        want[(r.source, r.target, r.nature, r.programme)] = (weight + 1, stamps + _dates([r.date]))
    assert got == {k: (w, sorted(s)) for k, (w, s) in want.items()}


def test_timestamps_list_column_and_rewrite_is_stable(nodes, event_edges, tmp_path):
    """What read_gexf returns can be written again and gives the same file content."""
    plain = nodes.drop(columns=["start", "end"])
    first = write_gexf(plain, event_edges, tmp_path / "a.gexf")
    back_nodes, back_edges = read_gexf(first)
    second = write_gexf(back_nodes, back_edges, tmp_path / "b.gexf")
    assert first.read_bytes() == second.read_bytes()


def test_events_in_interval_file_are_one_day_spells(nodes, spell_edges, event_edges, tmp_path):
    edges = pd.concat([spell_edges, event_edges], ignore_index=True)
    _, back = read_gexf(write_gexf(nodes, edges, tmp_path / "mixed.gexf"))
    events = back[back["start"] == back["end"]]
    assert sorted(_dates(events["start"])) == sorted(_dates(event_edges["date"]))


def test_static_mode_has_no_time(nodes, spell_edges, tmp_path):
    path = write_gexf(nodes, spell_edges, tmp_path / "s.gexf", mode="static")
    graph = etree.parse(str(path)).getroot().find("g:graph", NS)
    assert graph.get("mode") == "static" and graph.get("timeformat") is None
    assert graph.findall(".//g:spells", NS) == []
    assert len(graph.findall(".//g:edge", NS)) == spell_edges["id"].nunique()


def test_refusals(nodes, spell_edges, tmp_path):
    with pytest.raises(ValueError, match="not in the node table"):
        write_gexf(nodes[nodes["id"] != "A010"], spell_edges, tmp_path / "x.gexf")
    with pytest.raises(ValueError, match="duplicated"):
        write_gexf(pd.concat([nodes, nodes.head(1)]), spell_edges, tmp_path / "x.gexf")
    bad = spell_edges.assign(end=pd.to_datetime(["2015-01-01"] * 4))
    with pytest.raises(ValueError, match="before start"):
        write_gexf(nodes, bad, tmp_path / "x.gexf")
    with pytest.raises(ValueError, match="cannot hold spells"):
        write_gexf(nodes, spell_edges, tmp_path / "x.gexf", timerepresentation="timestamp")
    clash = spell_edges.assign(programme=["housing", "work", "community", "work"])
    with pytest.raises(ValueError, match="different source"):
        write_gexf(nodes, clash, tmp_path / "x.gexf")


def test_reader_expands_no_entity(tmp_path):
    """An XXE payload is not resolved by read_gexf."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    evil = tmp_path / "evil.gexf"
    evil.write_text(
        f'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<gexf xmlns="{GEXF_NAMESPACE}" version="1.3"><graph><nodes>'
        '<node id="a" label="&x;"/></nodes><edges/></graph></gexf>',
        encoding="utf-8",
    )
    try:
        back, _ = read_gexf(evil)
    except etree.XMLSyntaxError as error:  # refusing the file is fine too
        assert "TOP-SECRET" not in str(error)
    else:
        assert "TOP-SECRET" not in str(back.loc[0, "label"])
