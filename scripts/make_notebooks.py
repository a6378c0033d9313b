"""Write the research notebooks (stored without outputs). Run: python scripts/make_notebooks.py"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parents[1] / "notebooks"

LOAD = '''import os
from pathlib import Path

import pandas as pd

from genera_graph.io.registers import read_registers
from genera_graph.temporal import TemporalGraph

# the sample district's register files (the test suite points GENERA_SAMPLE_DATA at them)
SAMPLE = Path(os.environ.get("GENERA_SAMPLE_DATA", "../sample_data"))
ds = read_registers(SAMPLE)
tg = TemporalGraph.from_dataset(ds)
tg'''

NOTEBOOKS = {
    "01_district_overview_and_growth": [
        new_markdown_cell(
            "# District overview and growth\n\n"
            "How the relationship map of #genera_azioni grows: the programme's monitoring table, "
            "then one row per month of reach, ties and structure, and the **peer share** — the "
            "share of households' active ties that are peer ties, the programme's thesis in one "
            "number. Data: the synthetic sample district (`sample_data/`)."),
        new_code_cell(LOAD),
        new_markdown_cell("## The monitoring table, one column per programme year"),
        new_code_cell('''from genera_graph.analytics.report import monitoring_report, report_wide

report = monitoring_report(ds)
report_wide(report, lang="en")'''),
        new_markdown_cell(
            "## Growth by month\n\nEach window is one calendar month; ties are those with "
            "activity in the month (co-participation in activities included)."),
        new_code_cell('''from genera_graph.analytics.growth import growth
from genera_graph.temporal import month_windows

monthly = growth(tg, month_windows("2016-05-01", "2019-01-31"))
monthly[["window_start", "active_ties", "new_ties", "lost_ties", "giant_share",
         "mean_clustering", "peer_share"]].tail(12)'''),
        new_code_cell('''import plotly.express as px

fig = px.line(monthly, x="window_start", y="peer_share",
              title="Peer share of households' active ties, by month")
fig.update_yaxes(range=[0, 1], tickformat=".0%")
fig'''),
        new_markdown_cell("## By Community Point"),
        new_code_cell('''by_point = growth(tg, month_windows("2016-05-01", "2019-01-31"), by="community_point")
by_point.pivot_table(index="window_start", columns="community_point_id",
                     values="peer_share").tail(6).round(2)'''),
        new_code_cell('''assert monthly["peer_share"].iloc[-6:].mean() > monthly["peer_share"].iloc[3:9].mean()'''),
    ],
    "02_isolation_early_warning": [
        new_markdown_cell(
            "# Isolation early warning\n\n"
            "Which households are isolated or slipping back, and why. Every status comes with "
            "its reasons and the dates that support them; the thresholds live in "
            "`AnalysisConfig` (in the spirit of the Lubben Social Network Scale)."),
        new_code_cell(LOAD),
        new_code_cell('''from genera_graph.analytics.isolation import (
    early_warning,
    isolation_reasons,
    isolation_report,
)

report = isolation_report(tg, "2018-06-30")
report["status"].value_counts()'''),
        new_markdown_cell("## The reasons, with their dates"),
        new_code_cell('''reasons = isolation_reasons(tg, "2018-06-30")
reasons.head(10)'''),
        new_markdown_cell(
            "## The facilitator's worklist\n\nHouseholds whose status worsened in the last "
            "30 days, most urgent first; here for one facilitator."),
        new_code_cell('''worklist = early_warning(tg, "2018-06-30", previous="2018-03-31")
worklist[["community_point_id", "facilitator_id", "status", "previous_status", "reasons",
          "days_since_peer_contact", "urgency"]].head(10)'''),
        new_markdown_cell("## Isolated households over time, by Community Point"),
        new_code_cell('''from genera_graph.temporal import month_ends

rows = []
for day in month_ends("2016-09-01", "2019-01-31")[::3]:
    r = isolation_report(tg, day)
    counts = r.groupby("community_point_id")["status"].value_counts().unstack(fill_value=0)
    counts["as_of"] = pd.Timestamp(day)
    rows.append(counts.reset_index())
trend = pd.concat(rows, ignore_index=True).fillna(0)
trend.pivot_table(index="as_of", values=["isolated", "at_risk"], aggfunc="sum")'''),
    ],
    "03_bridging_and_brokerage": [
        new_markdown_cell(
            "# Bridging actors and brokerage roles\n\n"
            "Who holds the network together: Brandes betweenness (raw and normalised, with the n "
            "used), Burt's constraint and effective size, cut vertices; Gould–Fernandez "
            "brokerage roles by Community Point (the counting of R's `sna::brokerage`); and "
            "what breaks if an actor leaves (Borgatti's fragmentation)."),
        new_code_cell(LOAD),
        new_code_cell('''from genera_graph.analytics.bridging import bridging_table, brokerage, key_player_impact
from genera_graph.analytics.tables import graph_for

view = graph_for(tg, "2018-06-30")  # direct ties active on the day
g = view.igraph()
table = bridging_table(g)
table.sort_values("betweenness", ascending=False).head(10)'''),
        new_markdown_cell("Isolated actors have no constraint: they are reported as isolated, "
                          "never as 0."),
        new_code_cell('''table[table["isolated"]].head(3)[["degree", "constraint", "structural_holes_status"]]'''),
        new_markdown_cell("## Brokerage roles, groups = Community Points"),
        new_code_cell('''groups = {v["name"]: v["community_point_id"] or "district" for v in g.vs}
roles = brokerage(g, groups)
roles.to_frame().sort_values("b_O", ascending=False).head(10)'''),
        new_markdown_cell("## What if these actors left?"),
        new_code_cell('''top = table["betweenness"].nlargest(5).index.tolist()
key_player_impact(g, actors=top)'''),
    ],
    "04_loading_exports": [
        new_markdown_cell(
            "# Loading exports into networkx, igraph and pandas\n\n"
            "`genera export` writes a view as GraphML, dynamic GEXF 1.3 (Gephi's timeline), "
            "an offline HTML map, metrics tables (CSV with `;` and Parquet, with a data "
            "dictionary), and a pseudonymised research dataset. Here we write a few and read "
            "them back."),
        new_code_cell(LOAD),
        new_code_cell('''from genera_graph.cli import main

out = Path("exports")
main(["export", "--registers", str(SAMPLE), "--from", "01/01/2018", "--to", "01/04/2018",
      "--format", "graphml", "--out", str(out / "q1-2018.graphml")])
main(["export", "--registers", str(SAMPLE), "--from", "01/01/2018", "--to", "01/04/2018",
      "--format", "gexf", "--out", str(out / "q1-2018.gexf")])
main(["export", "--registers", str(SAMPLE), "--from", "01/01/2018", "--to", "01/04/2018",
      "--format", "parquet", "--out", str(out / "metrics")])'''),
        new_markdown_cell("## networkx and igraph"),
        new_code_cell('''import igraph as ig
import networkx as nx

g_nx = nx.read_graphml(out / "q1-2018.graphml")
g_ig = ig.Graph.Read_GraphML(str(out / "q1-2018.graphml"))
g_nx.number_of_nodes(), g_nx.number_of_edges(), g_ig.vcount(), g_ig.ecount()'''),
        new_markdown_cell("## The GEXF file, with its time spells"),
        new_code_cell('''from genera_graph.exports import read_gexf

nodes, edges = read_gexf(out / "q1-2018.gexf")
edges[["source", "target", "nature", "start", "end"]].head()'''),
        new_markdown_cell("## Metrics in pandas, with the data dictionary"),
        new_code_cell('''metrics = pd.read_parquet(out / "metrics" / "metrics.parquet")
dictionary = pd.read_csv(out / "metrics" / "metrics.dictionary.csv", sep=";")
metrics.dtypes.head(8), dictionary[["column", "definition"]].head(8)'''),
        new_markdown_cell(
            "## The pseudonymised research dataset\n\nNo names, ids or exact dates; "
            "pseudonyms keyed per study; the key stays outside the export."),
        new_code_cell('''main(["export", "--registers", str(SAMPLE), "--research", "--study", "demo",
      "--out", str(out / "research"), "--secret", "keys/demo.key"])
import json

manifest = json.loads((out / "research" / "MANIFEST.json").read_text())
manifest["tables"]["actors"]'''),
    ],
}

for name, cells in NOTEBOOKS.items():
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.write(nb, HERE / f"{name}.ipynb")
    print("wrote", name)
