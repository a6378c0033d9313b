"""Figures of the explorer: pure functions from a frame to a ``go.Figure`` (or map elements).

Every user-supplied text (actor names) is escaped before plotly sees it: plotly reads a small
subset of HTML in labels and hovers, so a name such as ``<b>x</b>`` would otherwise be drawn
bold and ``<img ...>`` swallowed. Escaped, plotly draws it literally as text. Dates on axes and
hovers are ``dd/mm/yyyy``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"month": pd.to_datetime(["2016-03-01", "2016-04-01"]),
...     "reach": [3, 5], "active_ties": [1, 2], "new_ties": [1, 1], "lost_ties": [None, 0],
...     "peer_share": [0.0, 0.5]})
>>> fig = growth_figure(frame, "en")
>>> [trace.name for trace in fig.data]
['Reached (cumulative)', 'Active ties', 'New ties', 'Lost ties']
>>> fig.layout.xaxis.tickformat
'%d/%m/%Y'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dash_app.i18n import PLOTLY_DATE, TRANSLATIONS, fmt_date, kind_label, nature_label, t

__all__ = [
    "COMMUNITY_COLOURS",
    "EVENT_COLOURS",
    "KIND_COLOURS",
    "NATURE_COLOURS",
    "brokerage_figure",
    "community_events_figure",
    "ego_figure",
    "empty_figure",
    "escape",
    "growth_figure",
    "map_elements",
    "map_legend",
    "map_style",
    "point_colours",
    "network_figure",
    "peer_share_figure",
    "slider_marks",
    "tie_width",
    "ties_by_nature_figure",
]

KIND_COLOURS = {
    "household": "#d95f02", "individual": "#fdae6b", "association": "#1b9e77",
    "formal_group": "#66a61e", "company": "#7570b3", "school": "#e7298a",
    "public_entity": "#a6761d", "community_point": "#1f78b4", "facilitator": "#666666",
}
EVENT_COLOURS = {"birth": "#1b9e77", "growth": "#66a61e", "continue": "#a6cee3",
                 "shrink": "#fdae6b", "merge": "#7570b3", "split": "#e7298a",
                 "death": "#999999"}
NATURE_COLOURS = {"peer": "#1b9e77", "professional": "#7570b3", "institutional": "#e6ab02"}
#: above this many partners an ego network is drawn without partners' names (a list beside)
EGO_NAMED = 30
COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                     "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
                     "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"]
# The explorer's template is plotly's default for the process, not a layout property: a
# figure given ``template="plotly_white"`` validates (deep-copies) the whole template, over
# 100 ms per figure, while the default template is set unvalidated (same JSON sent)
pio.templates.default = "plotly_white"
_BASE_LAYOUT = dict(margin=dict(l=50, r=20, t=40, b=40), title=dict(font=dict(size=15)),
                    separators=",.", legend=dict(orientation="h", y=-0.15))
#: map actors' sizes change in steps of this many pixels (see _sizes)
SIZE_STEP = 4.0
#: Plotly's decimal and thousands separators of each language
_SEPARATORS = {"it": ",.", "en": ".,"}


def _figure(lang: str) -> go.Figure:
    """An empty figure with the common layout, numbers written as ``lang`` writes them."""
    return go.Figure(layout={**_BASE_LAYOUT, "separators": _SEPARATORS.get(lang, ",.")})


def escape(text: object) -> str:
    """User text made literal for plotly labels and hovers (``<`` drawn as ``<``).

    >>> escape("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(str(text), quote=False)


def empty_figure(message: str) -> go.Figure:
    """A blank figure with a centred message: why there is nothing to draw (escaped, in
    lines of at most 55 characters, so that it fits a phone's width).

    >>> empty_figure("a <b> " * 12).layout.annotations[0].text.count("<br>")
    1
    """
    import textwrap

    text = "<br>".join(escape(line) for line in textwrap.wrap(str(message), 55)) or " "
    fig = go.Figure(layout=_BASE_LAYOUT)
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False), height=300,
                      annotations=[dict(text=text, showarrow=False, x=0.5, y=0.5,
                                        xref="paper", yref="paper", font=dict(size=14))])
    return fig


def _date_axis(fig: go.Figure) -> go.Figure:
    fig.update_xaxes(tickformat=PLOTLY_DATE, hoverformat=PLOTLY_DATE)
    return fig


def growth_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Monthly reach (cumulative), active, new and lost ties (lines), ``month`` on x."""
    if not len(frame):
        return empty_figure(t("fig.empty.growth", lang))
    fig = _figure(lang)
    for column in ("reach", "active_ties", "new_ties", "lost_ties"):
        fig.add_trace(go.Scatter(
            x=frame["month"], y=frame[column], mode="lines+markers", name=t(f"series.{column}",
                                                                            lang),
            hovertemplate="%{x|" + PLOTLY_DATE + "}: %{y:,d}<extra>%{fullData.name}</extra>"))
    # one axis for counts of two things: its title says so; thousands as the language
    # writes them (2.000, not 2000 or 2k)
    fig.update_layout(title=t("ov.growth", lang), height=360,
                      yaxis=dict(title=t("ov.growth.axis", lang), tickformat=",d"))
    return _date_axis(fig)


def peer_share_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    """The monthly share of active ties that are peer ties (0-100 %)."""
    data = frame.dropna(subset=["peer_share"]) if len(frame) else frame
    if not len(data):
        return empty_figure(t("fig.empty.peer", lang))
    fig = _figure(lang)
    fig.add_trace(go.Scatter(
        x=data["month"], y=data["peer_share"] * 100, mode="lines+markers",
        name=t("series.peer_share", lang), line=dict(color=NATURE_COLOURS["peer"]),
        hovertemplate="%{x|" + PLOTLY_DATE + "}: %{y:.1f}%<extra></extra>"))
    # a little room below 0 % and above 100 %: the 0 % label and a share of 0 stay clear of
    # the date labels underneath (they touched at the first month)
    fig.update_layout(title=t("ov.peer", lang), height=360,
                      yaxis=dict(range=[-4, 104], tickvals=list(range(0, 101, 20)),
                                 # with tickvals, plotly drops a ticksuffix: written out
                                 ticktext=[f"{v}%" for v in range(0, 101, 20)],
                                 ticklabelstandoff=4, zeroline=False))
    return _date_axis(fig)


def ties_by_nature_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Stacked monthly distinct partners by tie nature (tidy ``month, nature, partners``)."""
    if not len(frame) or frame["partners"].sum() == 0:
        return empty_figure(t("fig.empty.nature", lang))
    fig = _figure(lang)
    for nature, part in frame.groupby("nature", sort=False):
        fig.add_trace(go.Bar(x=part["month"], y=part["partners"], name=nature_label(nature, lang),
                             marker_color=NATURE_COLOURS.get(nature),
                             hovertemplate="%{x|" + PLOTLY_DATE + "}: %{y}<extra>"
                             + nature_label(nature, lang) + "</extra>"))
    # what is counted on a line of its own: the one line ran off a phone's screen
    title = f"{t('act.nature', lang)}<br><sup>{t('act.nature.sub', lang)}</sup>"
    fig.update_layout(barmode="stack", title=title, height=340, bargap=0.1,
                      margin=dict(t=70), yaxis=dict(ticklabelstandoff=4))
    return _date_axis(fig)


def _circle_layout(nodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The ego at the centre, its partners on the two sides of a circle (in the frame's
    order, the first half on the right, top to bottom, the rest on the left), evenly spaced
    in height: each name is written outwards beside its partner, stacked one under the other
    (spread all round the circle, the names at the top and the bottom met side by side)."""
    n = len(nodes)
    ego = nodes["ego"].to_numpy() if "ego" in nodes else np.zeros(n, dtype=bool)
    others = np.flatnonzero(~ego)
    x, y = np.zeros(n), np.zeros(n)
    k = len(others)
    if k == 0:
        return x, y
    right = (k + 1) // 2
    for part, sign in ((others[:right], 1.0), (others[right:], -1.0)):
        if not len(part):
            continue
        ys = np.linspace(0.9, -0.9, len(part)) if len(part) > 1 else np.zeros(1)
        x[part], y[part] = sign * np.sqrt(1 - ys ** 2), ys
    return x, y


def ego_figure(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str,
               height: int = 380) -> go.Figure:
    """An ego network: the ego in the centre, partners around it, the ego's ties coloured by
    nature and the ties among partners in light grey.

    ``nodes`` is indexed by actor id (``name``, ``kind``, ``ego``); ``edges`` has ``a``, ``b``,
    ``weight`` and ``nature``. Names are written outside the circle, away from the centre.
    """
    if len(nodes) <= 1:
        return empty_figure(t("fig.empty.ego", lang))
    x, y = _circle_layout(nodes)
    ego_ids = set(nodes.index[nodes["ego"]]) if "ego" in nodes else set()
    fig = _figure(lang)

    where_of = pd.Series(np.arange(len(nodes)), index=nodes.index)

    def segments(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """The ties as line segments, a gap (NaN) after each: numpy arrays, which plotly
        takes without checking every number and sends as typed arrays (a list of floats
        and ``None`` costs about three times as much on a large ego network)."""
        ia = where_of.reindex(part["a"]).to_numpy(dtype=float)
        ib = where_of.reindex(part["b"]).to_numpy(dtype=float)
        keep = ~(np.isnan(ia) | np.isnan(ib))
        ia, ib = ia[keep].astype(int), ib[keep].astype(int)
        xs = np.column_stack([x[ia], x[ib], np.full(len(ia), np.nan)]).ravel()
        ys = np.column_stack([y[ia], y[ib], np.full(len(ia), np.nan)]).ravel()
        return xs, ys

    touches = edges["a"].isin(ego_ids) | edges["b"].isin(ego_ids)
    among = edges[~touches]
    if len(among):
        xs, ys = segments(among)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(color="#d0d0d0", width=0.6)))
    for nature, part in edges[touches].groupby("nature", sort=True):
        xs, ys = segments(part)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                 line=dict(color=NATURE_COLOURS.get(nature, "#999"), width=2.5),
                                 name=nature_label(nature, lang)))
    names = [escape(n) for n in nodes["name"]]
    hover = [f"{nm}<br>{kind_label(k, lang)}" for nm, k in zip(names, nodes["kind"], strict=True)]
    # a long name on two lines where the sides have room for them (up to 9 partners a
    # side): beside the circle it needs half the width (on a phone a name on one line ran
    # off the drawing's edge: "amiglia Fittizia 091")
    if len(nodes) - 1 <= 18:
        names = [_two_lines(nm) for nm in names]
    if len(nodes) - 1 > EGO_NAMED:
        # a compact drawing: the names are in the sorted partner list beside it (see
        # dash_app.components.partner_list); only the ego is named
        names = [nm if e else "" for nm, e in zip(names, nodes.index.isin(ego_ids),
                                                   strict=True)]
    where = ["bottom center" if e else "middle right" if xi >= 0 else "middle left"
             for e, xi in zip(nodes.index.isin(ego_ids), x, strict=True)]
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="markers+text", text=names, textposition=where, cliponaxis=False,
        textfont=dict(size=10 if len(nodes) > 16 else 12),
        hovertext=hover, hoverinfo="text", showlegend=False, customdata=list(nodes.index),
        marker=dict(size=np.where(nodes.index.isin(ego_ids), 22, 11),
                    color=[KIND_COLOURS.get(k, "#999") for k in nodes["kind"]],
                    line=dict(width=1, color="#333"))))
    fig.update_layout(height=height, xaxis=dict(visible=False, range=[-2.3, 2.3]),
                      yaxis=dict(visible=False, range=[-1.25, 1.25]),
                      margin=dict(l=10, r=10, t=40, b=10))
    return fig


def _two_lines(name: str, longest: int = 14) -> str:
    """A name longer than ``longest`` characters broken at the space nearest its middle
    (``Famiglia<br>Fittizia 091``); the name is already escaped, the break is plotly's.

    >>> _two_lines("Famiglia Fittizia 091"), _two_lines("Punto Nord")
    ('Famiglia<br>Fittizia 091', 'Punto Nord')
    """
    if len(name) <= longest or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, c in enumerate(name) if c == " "), key=lambda i: abs(i - middle))
    return name[:cut] + "<br>" + name[cut + 1:]


def _sizes(nodes: pd.DataFrame, size_by: str, lo: float = 8.0, hi: float = 40.0,
           top: float | None = None) -> np.ndarray:
    """Marker sizes: ``lo + (hi - lo) * sqrt(value / top)`` of the ``size_by`` column in steps
    of :data:`SIZE_STEP` pixels, ``top`` its largest value over the whole programme (default:
    of ``nodes``), so that an actor's size changes only when its own ties do (the map growing
    month by month keeps its scale), and only by a visible step: a drawn actor whose size
    changes is restyled with all its ties, the slider's dearest work in the browser."""
    if size_by not in ("degree", "strength") or not len(nodes):
        return np.full(len(nodes), (lo + hi) / 4)
    v = nodes[size_by].to_numpy(dtype=float)
    top = float(top) if top else float(v.max())
    if not top > 0:
        return np.full(len(nodes), lo)
    steps = (hi - lo) / SIZE_STEP
    return lo + SIZE_STEP * np.floor(steps * np.sqrt(np.clip(v / top, 0.0, 1.0)) + 0.5)


def tie_width(weight: np.ndarray) -> np.ndarray:
    """A tie's drawn width from its events: ``1 + log(1 + weight)``, at most 6, in whole
    pixels (a tie is restyled only when its width visibly changes; assets/map.js computes the
    same).

    >>> tie_width(np.array([1.0, 3.0, 4.0, 40.0])).tolist()
    [2.0, 2.0, 3.0, 5.0]
    """
    return np.floor(np.minimum(1 + np.log1p(np.asarray(weight, dtype=float)), 6) + 0.5)


def _colours(nodes: pd.DataFrame, colour_by: str, points: Iterable[str] | None = None
             ) -> list[str]:
    if colour_by == "community" and "community" in nodes:
        return [COMMUNITY_COLOURS[c % len(COMMUNITY_COLOURS)] if c >= 0 else "#bbbbbb"
                for c in nodes["community"].astype(int)]
    if colour_by == "cp":
        colours = point_colours(nodes["community_point_id"].dropna() if points is None
                                else points)
        return [colours.get(c, "#bbbbbb") if isinstance(c, str) else "#bbbbbb"
                for c in nodes["community_point_id"]]
    return [KIND_COLOURS.get(k, "#999999") for k in nodes["kind"]]


def map_elements(nodes: pd.DataFrame, edges: pd.DataFrame, colour_by: str = "kind",
                       size_by: str = "degree", scale: float = 1600.0, *,
                       top: float | None = None,
                       points: Iterable[str] | None = None) -> list[dict]:
    """The elements of a map (fixed positions from ``x``, ``y``), as ``assets/map.js`` draws
    them: ``{"data": {...}, "position": {...}}`` per actor, then ``{"data": {"source", ...}}``
    per tie.

    Names go into the ``label`` data field, which the map draws on a canvas as plain text;
    ``rank`` is the order in which names are placed (1: the most connected). ``top`` is the
    largest ``size_by`` value of the whole programme (sizes keep one scale across periods, see
    :func:`_sizes`; whole pixels) and ``points`` the Community Points coloured (colours keep
    one meaning across periods); both default to what ``nodes`` holds. ``assets/map.js``
    builds the same elements in the browser for the time slider (a browser test compares).

    >>> import pandas as pd
    >>> nodes = pd.DataFrame({"name": ["<b>A</b>", "B"], "kind": ["household", "school"],
    ...     "community_point_id": ["CP01", None], "degree": [1, 1], "strength": [2.0, 2.0],
    ...     "x": [0.0, 1.0], "y": [0.0, 1.0]}, index=["H1", "S1"])
    >>> edges = pd.DataFrame({"a": ["H1"], "b": ["S1"], "weight": [2.0], "nature": ["peer"]})
    >>> els = map_elements(nodes, edges)
    >>> els[0]["data"]["label"], els[0]["data"]["size"], els[-1]["data"]["source"]
    ('<b>A</b>', 40, 'H1')
    """
    sizes = np.floor(_sizes(nodes, size_by, top=top) + 0.5).astype(int).tolist()
    colours = _colours(nodes, colour_by, points)
    xs = np.round(nodes["x"].to_numpy(dtype=float) * scale, 1).tolist()
    ys = np.round(nodes["y"].to_numpy(dtype=float) * scale, 1).tolist()
    metric = nodes[size_by] if size_by in ("degree", "strength") else nodes["degree"]
    # label priority: 1 = the most connected (assets/map.js names actors in this order, as
    # many as fit without overlapping at the current zoom)
    rank = metric.rank(ascending=False, method="first").astype(int) if len(nodes) else metric
    els: list[dict] = [
        {"data": {"id": str(i), "label": str(name), "kind": kind, "size": size,
                  "colour": colour, "rank": int(r)},
         "position": {"x": x, "y": y}}
        for i, name, kind, size, colour, x, y, r in zip(
            nodes.index, nodes["name"], nodes["kind"], sizes, colours, xs, ys,
            rank.to_numpy(), strict=True)
    ]
    present = nodes.index
    keep = (edges["a"].isin(present) & edges["b"].isin(present)).to_numpy()
    widths = tie_width(edges["weight"].to_numpy(dtype=float))
    # stable edge ids (a tie keeps its id from one period to the next)
    els += [{"data": {"id": f"{a}~{b}", "source": str(a), "target": str(b), "nature": nature,
                      "w": w}}
            for a, b, nature, w in zip(edges["a"].to_numpy()[keep], edges["b"].to_numpy()[keep],
                                       edges["nature"].to_numpy()[keep], widths[keep].tolist(),
                                       strict=True)]
    return els


def map_style() -> dict:
    """The map's drawing style (``assets/map.js`` reads it from the map's ``data-style``), the
    same whatever is selected: ties coloured by nature (professional ones grey, as in the
    legend), translucent; actors with a thin dark border. A selected actor gets a thick black
    border, its ties are drawn black on top, its partners at full strength; everything else
    fades.

    >>> map_style()["edge"]["professional"], map_style()["fadedNode"]
    ('#bbbbbb', 0.25)
    """
    return {"edge": {"peer": NATURE_COLOURS["peer"], "professional": "#bbbbbb",
                     "institutional": NATURE_COLOURS["institutional"]},
            "edgeOpacity": 0.45, "fadedEdge": 0.08, "ownEdge": 0.9, "ownColour": "#000",
            "border": 0.5, "borderColour": "#333", "chosenBorder": 6, "chosenColour": "#000",
            "fadedNode": 0.25, "text": "#222", "outline": "#fff"}


def map_legend(lang: str, nodes: pd.DataFrame | None = None, colour_by: str = "kind",
               points: Iterable[str] | None = None,
               point_names: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """``(shape, colour, label)`` of the map's legend: what the dots' colours mean (actor
    kinds, Community Points or communities, as :func:`map_elements` colours them for
    ``nodes`` and ``points``), then tie natures (lines). Shape ``"text"`` is a label without
    a mark. ``point_names``: a Community Point's name by id (its id where missing)."""
    if colour_by == "cp" and nodes is not None:
        present = set(nodes["community_point_id"].dropna().astype(str))
        colours = point_colours(present if points is None else points)
        names = point_names or {}
        dots = [("dot", colour, str(names.get(point, point)))
                for point, colour in colours.items() if point in present]
        if nodes["community_point_id"].isna().any():
            dots.append(("dot", "#bbbbbb", t("map.legend.no_point", lang)))
    elif colour_by == "community" and nodes is not None and "community" in nodes:
        sizes = nodes["community"].astype(int)
        sizes = sizes[sizes >= 0].value_counts()
        shown = sorted(sizes.index[:_LEGEND_COMMUNITIES])
        dots = [("dot", COMMUNITY_COLOURS[c % len(COMMUNITY_COLOURS)],
                 t("map.legend.community", lang, n=c + 1)) for c in shown]
        if len(sizes) > len(shown):
            dots.append(("text", "", t("map.legend.more", lang, n=len(sizes) - len(shown))))
    else:
        dots = [("dot", KIND_COLOURS[k], kind_label(k, lang)) for k in
                ("household", "association", "formal_group", "company", "school",
                 "public_entity", "community_point", "facilitator")]
    ties = [("line", NATURE_COLOURS[n], nature_label(n, lang)) for n in NATURE_COLOURS]
    ties[1] = ("line", "#bbbbbb", nature_label("professional", lang))
    return dots + ties


#: communities named in the map's legend (the largest ones)
_LEGEND_COMMUNITIES = 8


def point_colours(points: Iterable[str]) -> dict[str, str]:
    """Community Point -> its colour on the map when colouring by point (ids in order)."""
    ordered = sorted({str(p) for p in points})
    return {p: COMMUNITY_COLOURS[i % len(COMMUNITY_COLOURS)] for i, p in enumerate(ordered)}


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str, colour_by: str = "kind",
                   size_by: str = "degree") -> go.Figure:
    """The map as a WebGL plotly figure (one line trace for ties, one marker trace for actors).

    The alternative renderer to :func:`map_elements`, kept for the rendering benchmark.
    """
    if not len(nodes):
        return empty_figure(t("fig.empty.map", lang))
    pos = nodes[["x", "y"]]
    a = pos.reindex(edges["a"]).to_numpy()
    b = pos.reindex(edges["b"]).to_numpy()
    xs = np.column_stack([a[:, 0], b[:, 0], np.full(len(a), np.nan)]).ravel()
    ys = np.column_stack([a[:, 1], b[:, 1], np.full(len(a), np.nan)]).ravel()
    fig = _figure(lang)
    fig.add_trace(go.Scattergl(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                               line=dict(width=0.5, color="#bbbbbb")))
    hover = [f"{escape(n)}<br>{kind_label(k, lang)}"
             for n, k in zip(nodes["name"], nodes["kind"], strict=True)]
    fig.add_trace(go.Scattergl(x=pos["x"], y=pos["y"], mode="markers", hovertext=hover,
                               hoverinfo="text", customdata=list(nodes.index), showlegend=False,
                               marker=dict(size=_sizes(nodes, size_by, 5, 24),
                                           color=_colours(nodes, colour_by),
                                           line=dict(width=0.5, color="#333"))))
    fig.update_layout(height=700, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      margin=dict(l=0, r=0, t=0, b=0))
    return fig


def brokerage_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Brokerage roles per group (tidy ``group``, ``role``, ``count``), grouped bars."""
    if not len(frame):
        return empty_figure(t("fig.empty.brokerage", lang))
    fig = _figure(lang)
    # the groups down the side (horizontal bars): a point's long name stays readable on a
    # phone, and no name is drawn over the legend
    groups = list(dict.fromkeys(frame["group"]))
    for role, part in frame.groupby("role", sort=False):
        key = f"role.{role}"
        name = t(key, lang) if key in TRANSLATIONS else escape(role)
        fig.add_trace(go.Bar(y=[escape(g) for g in part["group"]], x=part["count"],
                             orientation="h", name=name,
                             hovertemplate="%{y}: %{x:,d}<extra>" + name + "</extra>"))
    # the reference on a line of its own, so that the title fits a phone's width
    title = f"{t('br.brokerage', lang)}<br><sup>{t('br.brokerage.reference', lang)}</sup>"
    fig.update_layout(barmode="group", title=title, margin=dict(t=60),
                      height=max(360, 120 + 70 * len(groups)),
                      xaxis=dict(tickformat=",d", title=t("br.brokerage.axis", lang)),
                      yaxis=dict(autorange="reversed", automargin=True),
                      legend=dict(orientation="h", y=-0.12, x=0))
    return fig


def community_events_figure(events: pd.DataFrame, lang: str) -> go.Figure:
    """Life-cycle events of communities per window (stacked bars of ``event`` counts by
    ``window_start``)."""
    if not len(events):
        return empty_figure(t("fig.empty.communities", lang))
    counts = events.groupby(["window_start", "event"]).size().reset_index(name="n")
    fig = _figure(lang)
    for event, part in counts.groupby("event", sort=True):
        label = t(f"event.{event}", lang) if f"event.{event}" in TRANSLATIONS else str(event)
        fig.add_trace(go.Bar(x=part["window_start"], y=part["n"], name=label,
                             marker_color=EVENT_COLOURS.get(str(event), "#999999"),
                             hovertemplate="%{x|" + PLOTLY_DATE + "}: %{y}<extra>" + label
                             + "</extra>"))
    # the title's second part on a line of its own: a phone's width holds each (the one line
    # ran off the screen); the counts' 0 clear of the first date label
    title = f"{t('com.history', lang)}<br><sup>{t('com.history.sub', lang)}</sup>"
    fig.update_layout(barmode="stack", title=title, height=420, margin=dict(t=70),
                      yaxis=dict(ticklabelstandoff=4))
    return _date_axis(fig)


def slider_marks(months: tuple, every: int = 6) -> dict[int, str]:
    """Range-slider marks: every ``every`` months, labelled ``dd/mm/yyyy``.

    >>> import datetime as dt
    >>> slider_marks((dt.date(2016, 2, 1), dt.date(2016, 3, 1)), every=1)
    {0: '01/02/2016', 1: '01/03/2016'}
    """
    return {i: fmt_date(m) for i, m in enumerate(months) if i % every == 0
            or i == len(months) - 1}
