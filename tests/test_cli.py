"""The command line end to end on the sample district's register files."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from genera_graph.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
GEXF_XSD = ROOT / "tests" / "data" / "schemas" / "gexf-1.3" / "gexf.xsd"
SUMMER = ["--registers", str(SAMPLE), "--from", "01/06/2016", "--to", "01/09/2016"]


def test_report_prints_the_first_year(capsys):
    assert main(["report", "--registers", str(SAMPLE), "--from", "01/02/2016",
                 "--to", "01/02/2017", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "530" in out and "€9,500" in out and "530.0" not in out  # English: sign first


def test_report_is_written_the_italian_way(capsys):
    assert main(["report", "--registers", str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "01/02/2016–31/01/2017" in lines[0]
    row = {line.split("  ")[0]: line.split()[-3:] for line in lines[1:]}
    assert row["Persone intercettate"][0] == "530"
    assert lines[-1].startswith("Fondi assegnati alle idee") and "9.500 €" in lines[-1]
    share = next(v for k, v in row.items() if k.startswith("Quota di residenti"))
    assert share[0] == "100%"


def test_analyze_writes_every_table_with_its_dictionary(tmp_path, capsys):
    assert main(["analyze", "--registers", str(SAMPLE), "--at", "30/06/2018",
                 "--out", str(tmp_path)]) == 0
    for name in ("isolation", "isolation_reasons", "early_warning", "bridging", "brokerage"):
        table = pd.read_csv(tmp_path / f"{name}.csv", sep=";", dtype=str)
        dictionary = pd.read_csv(tmp_path / f"{name}.dictionary.csv", sep=";", dtype=str)
        assert list(dictionary["column"][dictionary["dtype"] != "file"]) == list(table.columns)
        assert len(pd.read_parquet(tmp_path / f"{name}.parquet")) == len(table)
    isolation = pd.read_csv(tmp_path / "isolation.csv", sep=";", dtype=str)
    assert set(isolation["status"]) <= {"isolated", "at_risk", "connected", "new"}
    assert isolation["as_of"].eq("30/06/2018").all()  # dates as dd/mm/yyyy


def test_gexf_export_is_valid_dynamic_gexf_1_3(tmp_path):
    assert GEXF_XSD.exists(), f"the GEXF 1.3 schema is missing from the repository: {GEXF_XSD}"
    from genera_graph.exports import read_gexf, validate_gexf

    out = tmp_path / "summer.gexf"
    assert main(["export", *SUMMER, "--format", "gexf", "--out", str(out)]) == 0
    assert validate_gexf(out, GEXF_XSD) == []
    nodes, edges = read_gexf(out)
    assert len(nodes) > 100 and len(edges) > 100
    assert edges["start"].notna().mean() > 0.9  # ties carry their time spells


def test_graphml_export_reads_back_in_networkx_and_igraph(tmp_path):
    import igraph as ig

    out = tmp_path / "summer.graphml"
    assert main(["export", *SUMMER, "--format", "graphml", "--out", str(out)]) == 0
    g = nx.read_graphml(out)
    h = ig.Graph.Read_GraphML(str(out))
    assert g.number_of_nodes() == h.vcount() > 100
    assert g.number_of_edges() == h.ecount() > 100


def test_html_map_is_offline(tmp_path):
    out = tmp_path / "map.html"
    assert main(["export", *SUMMER, "--format", "html", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)  # no remote asset


def test_metrics_export_keeps_types(tmp_path):
    assert main(["export", *SUMMER, "--format", "csv", "--out", str(tmp_path)]) == 0
    from genera_graph.exports import read_table_csv

    back = read_table_csv(tmp_path / "metrics.csv", tmp_path / "metrics.dictionary.csv")
    parquet = pd.read_parquet(tmp_path / "metrics.parquet")
    assert list(back.dtypes.astype(str)) == list(parquet.dtypes.astype(str))


def test_research_export_refuses_a_key_inside_the_export(tmp_path, capsys):
    code = main(["export", "--registers", str(SAMPLE), "--research", "--study", "s",
                 "--out", str(tmp_path / "x"), "--secret", str(tmp_path / "x" / "s.key")])
    err = capsys.readouterr().err
    assert code == 2 and "outside the export" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("command", [["import", "sample_data"], ["users", "list"]])
def test_a_store_in_a_missing_folder_is_one_line_and_creates_nothing(tmp_path, capsys, command):
    """A mistyped store path is a clear line and exit 2 (it was SQLAlchemy's traceback), and
    no folder is made for it."""
    target = tmp_path / "missing" / "folder" / "x.sqlite"
    assert main(["--store", str(target), *command]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"genera {command[0]}: no folder {target.parent} for the store {target}: "
                   "create the folder first or check the path"]
    assert not (tmp_path / "missing").exists()
