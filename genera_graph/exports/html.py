"""A standalone interactive HTML map of a graph: one file, works offline, names shown as text.

The map draws the tidy node and edge tables of :mod:`genera_graph.exports.gexf` with
vis-network 9.1.2, the copy that the pyvis package ships, inlined in the file (no CDN, no
request of any kind: a Content-Security-Policy in the page forbids them).

Display names are personal data typed by people and may hold any text, so every label and
tooltip is rendered as text, never as HTML:

- the graph data is a JSON document inside ``<script type="application/json">`` in which ``<``,
  ``>`` and ``&`` are written ``\\u003c``, ``\\u003e``, ``\\u0026``: a name holding ``</script>``
  cannot close the element;
- labels are drawn on the canvas; tooltips are strings, which vis-network >= 9 puts in the
  tooltip with ``innerText`` (checked in the bundled 9.1.2: ``Popup.setText``);
- the title and the legend go through Jinja2 with autoescaping.

pyvis itself is used for its bundled assets only: its ``Network.add_edge`` is quadratic in the
number of edges, and its template loads Bootstrap from a CDN and writes the heading unescaped.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> nodes = pd.DataFrame({"id": ["H1", "A7"], "label": ["<b>Rossi</b>", "Circolo"],
...                       "kind": ["household", "association"]})
>>> edges = pd.DataFrame({"source": ["H1"], "target": ["A7"], "nature": ["peer"]})
>>> path = write_html_map(nodes, edges, pathlib.Path(tempfile.mkdtemp()) / "map.html",
...                       title="District 10", color_by="kind")
>>> html = path.read_text(encoding="utf-8")
>>> "<b>Rossi" in html, "\\\\u003cb\\\\u003eRossi" in html
(False, True)
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports._tidy import (
    TidyEdge,
    check_endpoints,
    group_edges,
    is_missing,
    native,
    node_records,
)
from genera_graph.l10n import (
    N_,
    check_lang,
    code_label,
    field_of_column,
    format_date,
    format_number,
    gettext,
    ngettext,
)

__all__ = ["COLUMN_LABELS", "PALETTE", "column_label", "vis_network_assets", "write_html_map"]

#: Okabe-Ito colour-blind-safe palette, then further distinct colours; cycled past its end.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
    "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF",
)
_MISSING_COLOR = "#D9D9D9"
_LOW, _HIGH = (0xDE, 0xEB, 0xF7), (0x08, 0x30, 0x6B)  # sequential blues for numbers
_MIN_SIZE, _MAX_SIZE, _DEFAULT_SIZE = 8.0, 40.0, 14.0
_CSS_LENGTH = re.compile(r"^\d{1,5}(\.\d+)?(px|vh|%|em|rem)$")
_VIS_VERSION = "9.1.2"

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="genera_graph (vis-network {{ vis_version }})">
<title>{{ title }}</title>
<style>{{ vis_css | safe }}</style>
<style>
body { font-family: system-ui, sans-serif; margin: 0; padding: 0 1rem; color: #222; }
h1 { font-size: 1.3rem; margin: 0.8rem 0 0.3rem; }
p.caption { margin: 0 0 0.5rem; font-size: 0.9rem; color: #555; }
ul.legend { list-style: none; padding: 0; margin: 0 0 0.5rem; display: flex; flex-wrap: wrap;
  gap: 0.3rem 1rem; font-size: 0.9rem; }
ul.legend span.swatch { display: inline-block; width: 0.9rem; height: 0.9rem;
  border-radius: 50%; margin-right: 0.3rem; vertical-align: -0.1rem; }
#map { width: 100%; height: {{ height }}; border: 1px solid #ccc; }
div.vis-tooltip { white-space: pre-line; max-width: 28rem; font-family: inherit; }
</style>
<script>{{ vis_js | safe }}</script>
</head>
<body>
<h1>{{ title }}</h1>
<p class="caption">{{ caption }}</p>
{% if legend %}<ul class="legend" aria-label="{{ legend_title }}">
{% for item in legend %}<li><span class="swatch" style="background: {{ item.color }}"></span>\
{{ item.text }}</li>
{% endfor %}</ul>{% endif %}
<div id="map"></div>
<script id="graph-data" type="application/json">{{ data_json | safe }}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("map"),
                                {nodes: nodes, edges: edges}, data.options);
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    window.generaMapReady = true;
  });
  window.generaNetwork = network;
})();
</script>
</body>
</html>
"""


def vis_network_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS that the pyvis package ships, ready to inline.

    Returns
    -------
    js, css : str
        The texts, with any ``</script`` or ``</style`` escaped so that they cannot end the
        element they are inlined in.

    Raises
    ------
    ImportError
        If pyvis is not installed (``pip install pyvis``).
    """
    try:
        import pyvis
    except ImportError as error:  # pragma: no cover - pyvis is a dependency
        raise ImportError("the HTML map needs pyvis: pip install pyvis") from error
    root = Path(pyvis.__file__).parent
    for folder in (root / "templates" / "lib", root / "lib"):
        js_path = folder / f"vis-{_VIS_VERSION}" / "vis-network.min.js"
        css_path = folder / f"vis-{_VIS_VERSION}" / "vis-network.css"
        if js_path.exists() and css_path.exists():
            js = js_path.read_text(encoding="utf-8")
            css = css_path.read_text(encoding="utf-8")
            js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
            css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
            return js, css
    raise FileNotFoundError(f"vis-network {_VIS_VERSION} not found in the pyvis package")


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element of an HTML page."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


#: the headers of the columns a map usually shows, marked for translation
COLUMN_LABELS: dict[str, str] = {
    "id": N_("Id"), "label": N_("Name"), "kind": N_("Kind"), "actor_kind": N_("Kind"),
    "community_point_id": N_("Community Point"), "household_id": N_("Household"),
    "programme": N_("Programme"), "nature": N_("Tie nature"), "weight": N_("Weight"),
    "members": N_("Members"), "first_met": N_("First met"), "left_on": N_("Left on"),
    "facilitator_id": N_("Facilitator"), "status": N_("Status"), "degree": N_("Degree"),
    "betweenness": N_("Betweenness"), "community": N_("Community"),
}


def column_label(column: str, lang: str = "it") -> str:
    """A column's header in ``lang`` (the column name itself when it has no label).

    >>> column_label("community_point_id"), column_label("community_point_id", "en")
    ('Punto di Comunità', 'Community Point')
    """
    text = COLUMN_LABELS.get(column)
    return column if text is None else gettext(text, lang)


def _text(value: Any, lang: str = "it", column: str | None = None) -> str:
    value = native(value)
    field = field_of_column(column) if column else None
    if field is not None and isinstance(value, str):
        return code_label(field, value, lang)
    if isinstance(value, pd.Timestamp):
        return format_date(value, lang)
    if isinstance(value, bool):
        return gettext("yes", lang) if value else gettext("no", lang)
    if isinstance(value, float | int):
        return format_number(value, lang, None if float(value).is_integer() else 3)
    return str(value)


def _blend(fraction: float) -> str:
    channels = (round(lo + (hi - lo) * fraction) for lo, hi in zip(_LOW, _HIGH, strict=True))
    return "#" + "".join(f"{c:02X}" for c in channels)


def _colors(nodes: pd.DataFrame, column: str | None,
            lang: str = "it") -> tuple[list[str], list[dict[str, str]]]:
    if column is None:
        return [PALETTE[1]] * len(nodes), []
    series = nodes[column]
    numeric = (pd.api.types.is_numeric_dtype(series.dtype)
               and not pd.api.types.is_bool_dtype(series.dtype))
    if numeric:
        values = pd.to_numeric(series).astype("float64")
        low, high = values.min(), values.max()
        span = (high - low) if high > low else 1.0
        colors = [_MISSING_COLOR if pd.isna(v) else _blend((v - low) / span) for v in values]
        name = column_label(column, lang)
        legend = [] if pd.isna(low) else [
            {"color": _blend(0.0), "text": f"{name} {_text(float(low), lang)}"},
            {"color": _blend(1.0), "text": f"{name} {_text(float(high), lang)}"},
        ]
        return colors, legend
    texts = [None if is_missing(v) else _text(v, lang, column) for v in series]
    categories = sorted({t for t in texts if t is not None})
    lookup = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    legend = [{"color": lookup[c], "text": c} for c in categories]
    if any(t is None for t in texts):
        legend.append({"color": _MISSING_COLOR, "text": gettext("{column}: missing", lang)
                       .format(column=column_label(column, lang))})
    return [_MISSING_COLOR if t is None else lookup[t] for t in texts], legend


def _sizes(nodes: pd.DataFrame, column: str | None) -> list[float]:
    if column is None:
        return [_DEFAULT_SIZE] * len(nodes)
    values = pd.to_numeric(nodes[column], errors="raise").astype("float64")
    low, high = values.min(), values.max()
    if pd.isna(low) or high <= low:
        return [_DEFAULT_SIZE] * len(nodes)
    scale = (_MAX_SIZE - _MIN_SIZE) / (high - low)
    return [_MIN_SIZE if pd.isna(v) else round(_MIN_SIZE + (v - low) * scale, 2) for v in values]


def _node_tooltip(row: dict[str, Any], columns: list[str], lang: str = "it") -> str:
    label = row.get("label")
    lines = [row["id"] if is_missing(label) else str(label)]
    lines += [f"{column_label(c, lang)}: {_text(row[c], lang, c)}" for c in columns
              if not is_missing(row.get(c))]
    return "\n".join(lines)


def _edge_tooltip(edge: TidyEdge, labels: dict[str, str], lang: str = "it") -> str:
    lines = [f"{labels[edge.source]} — {labels[edge.target]}"]
    if edge.label is not None:
        lines.append(edge.label)
    lines += [f"{column_label(k, lang)}: {_text(v, lang, k)}" for k, v in edge.attrs.items()
              if v is not None]
    if edge.weight is not None:
        lines.append(f"{column_label('weight', lang)}: {_text(float(edge.weight), lang)}")
    for start, end in edge.spells:
        since = "…" if start is None else _text(start, lang)
        until = gettext("ongoing", lang) if end is None else _text(end, lang)
        lines.append(f"{since} → {until}")
    if edge.timestamps:
        first, last = _text(edge.timestamps[0], lang), _text(edge.timestamps[-1], lang)
        n = len(edge.timestamps)
        lines.append(ngettext("{n} event, {first} – {last}", "{n} events, {first} – {last}",
                              n, lang).format(n=n, first=first, last=last))
    return "\n".join(lines)


def _caption(actors: int, ties: int, lang: str) -> str:
    return ", ".join([
        ngettext("{n} actor", "{n} actors", actors, lang).format(n=format_number(actors, lang)),
        ngettext("{n} tie", "{n} ties", ties, lang).format(n=format_number(ties, lang)),
    ])


def write_html_map(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    path: str | os.PathLike,
    *,
    title: str,
    color_by: str | None = None,
    size_by: str | None = None,
    tooltip_columns: list[str] | None = None,
    directed: bool = False,
    height: str = "720px",
    caption: str | None = None,
    seed: int = 7,
    lang: str = "it",
) -> Path:
    """Write an interactive map of the graph as one standalone HTML file.

    Parameters
    ----------
    nodes, edges : DataFrame
        The tidy tables of :mod:`genera_graph.exports.gexf`; the rows of one tie (spells,
        events) are drawn as one edge whose width follows its weight.
    path : path-like
        The file to write (overwritten).
    title : str
        Shown as the page title and heading (as text).
    color_by : str, optional
        A node column: categories get the colour-blind-safe :data:`PALETTE` (with a legend),
        numbers a sequential blue scale.
    size_by : str, optional
        A numeric node column, scaled linearly to node radii 8-40 px.
    tooltip_columns : list of str, optional
        The node columns listed in a node's tooltip; default every column but ``label``.
    directed : bool
        Draw arrows.
    height : str
        CSS height of the map (e.g. ``"720px"``, ``"80vh"``).
    caption : str, optional
        A line under the title; default the counts of nodes and ties.
    seed : int
        Seed of the initial layout, so that the same tables give the same picture.
    lang : {"it", "en"}
        Language of the page: its ``lang`` attribute, the caption, the legend and the
        tooltips (column headers and the labels of codes such as actor kinds, never the codes).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValueError
        On an unknown column, a non-numeric ``size_by``, an invalid height, a duplicated node
        id or an edge to an unknown node.

    Notes
    -----
    The file is about 700 kB (vis-network is inlined) and needs no network: it opens from a
    disk, an e-mail attachment or a USB stick. After the layout stabilises, physics stops so the
    picture stays still; nodes can be dragged. Complexity: O(rows) to write; the browser layout
    is O(n log n) per iteration (Barnes-Hut).
    """
    check_lang(lang)
    if not _CSS_LENGTH.match(height):
        raise ValueError(f"height must be a CSS length such as '720px', not {height!r}")
    node_rows, _ = node_records(nodes)
    for column in (color_by, size_by, *(tooltip_columns or [])):
        if column is not None and column not in nodes.columns:
            raise ValueError(f"unknown node column {column!r}")
    if size_by is not None and not pd.api.types.is_numeric_dtype(nodes[size_by].dtype):
        raise ValueError(f"size_by={size_by!r} is not a numeric column")
    tidy = group_edges(edges)
    check_endpoints((r["id"] for r in node_rows), ((e.id, e.source, e.target) for e in tidy))

    if tooltip_columns is None:
        tooltip_columns = [c for c in nodes.columns if c not in ("label",)]
    colors, legend = _colors(nodes, color_by, lang)
    sizes = _sizes(nodes, size_by)
    labels = {}
    vis_nodes = []
    for row, color, size in zip(node_rows, colors, sizes, strict=True):
        label = row["id"] if is_missing(row.get("label")) else str(row["label"])
        labels[row["id"]] = label
        vis_nodes.append({"id": row["id"], "label": label,
                          "title": _node_tooltip(row, tooltip_columns, lang),
                          "color": color, "size": size, "shape": "dot"})
    weights = [e.weight for e in tidy if e.weight is not None]
    top = max(weights) if weights else 1.0
    vis_edges = []
    for edge in tidy:
        width = 1.0 if edge.weight is None or top <= 0 else 1.0 + 5.0 * edge.weight / top
        vis_edges.append({"id": edge.id, "from": edge.source, "to": edge.target,
                          "title": _edge_tooltip(edge, labels, lang),
                          "width": round(width, 2)})
    options = {
        "layout": {"randomSeed": seed, "improvedLayout": len(vis_nodes) <= 150},
        "physics": {"solver": "barnesHut", "stabilization": {"enabled": True,
                                                             "iterations": 400}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
        "nodes": {"font": {"size": 14}},
        "edges": {"color": {"color": "#9E9E9E", "highlight": "#333333"},
                  "smooth": False,
                  "arrows": {"to": {"enabled": bool(directed)}}},
    }
    from jinja2 import Environment

    js, css = vis_network_assets()
    environment = Environment(autoescape=True, keep_trailing_newline=True)
    html = environment.from_string(_TEMPLATE).render(
        lang=lang, title=title, height=height, vis_version=_VIS_VERSION, vis_js=js, vis_css=css,
        caption=caption if caption is not None else _caption(len(vis_nodes), len(vis_edges), lang),
        legend=legend, legend_title=column_label(color_by, lang) if color_by else "",
        data_json=_script_json({"nodes": vis_nodes, "edges": vis_edges, "options": options}),
    )
    path = Path(path)
    path.write_text(html, encoding="utf-8")
    return path
