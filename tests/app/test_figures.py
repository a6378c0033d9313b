"""Figures are pure functions, checked through ``to_dict()``; names are escaped for plotly."""

from __future__ import annotations

import pandas as pd

from dash_app import figures
from dash_app.i18n import TRANSLATIONS, fmt_date, t

XSS = "<img src=x onerror=alert(1)>"


def _ego():
    nodes = pd.DataFrame({"name": [XSS, "Anna"], "kind": ["household", "association"],
                          "community_point_id": ["CP01", None], "ego": [True, False]},
                         index=["H1", "A1"])
    edges = pd.DataFrame({"a": ["H1"], "b": ["A1"], "weight": [2.0], "nature": ["peer"]})
    return nodes, edges


def test_ego_figure_escapes_names_and_colours_ties_by_nature():
    fig = figures.ego_figure(*_ego(), "it").to_dict()
    markers = fig["data"][-1]
    # escaped, then broken on two lines by the figure's own tag only
    assert markers["text"][0] == "&lt;img src=x<br>onerror=alert(1)&gt;"
    assert markers["text"][0].replace("<br>", " ") == "&lt;img src=x onerror=alert(1)&gt;"
    assert all("<img" not in h for h in markers["hovertext"])
    assert fig["data"][0]["line"]["color"] == figures.NATURE_COLOURS["peer"]
    assert fig["data"][0]["name"] == "tra pari"


def test_network_figure_is_webgl():
    nodes, edges = _ego()
    nodes = nodes.assign(degree=[1, 1], strength=[2.0, 2.0], x=[0.0, 1.0], y=[0.0, 1.0])
    fig = figures.network_figure(nodes, edges, "en").to_dict()
    assert {d["type"] for d in fig["data"]} == {"scattergl"}


def _empty_inputs():
    """Every chart builder of dash_app/figures.py with an input that has nothing to draw."""
    none = pd.DataFrame
    ego_alone = pd.DataFrame({"name": ["Anna"], "kind": ["household"],
                              "community_point_id": ["CP01"], "ego": [True]}, index=["H1"])
    no_edges = pd.DataFrame({"a": [], "b": [], "weight": [], "nature": []})
    no_nodes = pd.DataFrame({"name": [], "kind": [], "community_point_id": [], "degree": [],
                             "strength": [], "x": [], "y": []})
    zero = pd.DataFrame({"month": pd.to_datetime(["2016-03-01"] * 3),
                         "nature": ["peer", "professional", "institutional"], "partners": 0})
    months = pd.to_datetime(["2016-03-01", "2016-04-01"])
    return {
        "growth_figure": lambda lang: figures.growth_figure(
            none(columns=["month", "reach", "active_ties", "new_ties", "lost_ties"]), lang),
        "peer_share_figure": lambda lang: figures.peer_share_figure(
            pd.DataFrame({"month": months, "peer_share": [float("nan")] * 2}), lang),
        "ties_by_nature_figure": lambda lang: figures.ties_by_nature_figure(zero, lang),
        "ego_figure": lambda lang: figures.ego_figure(ego_alone, no_edges, lang),
        "network_figure": lambda lang: figures.network_figure(no_nodes, no_edges, lang),
        "brokerage_figure": lambda lang: figures.brokerage_figure(
            none(columns=["group", "role", "count"]), lang),
        "community_events_figure": lambda lang: figures.community_events_figure(
            none(columns=["window_start", "event"]), lang),
    }


def test_every_empty_chart_says_why_in_both_languages():
    import inspect

    builders = _empty_inputs()
    # every figure builder of the module is here (a new chart must say why it is empty too)
    public = {n for n in figures.__all__ if n.endswith("_figure") and n != "empty_figure"}
    assert public == set(builders)
    generic = {t("common.empty", lang) for lang in ("it", "en")}
    said = {}
    for name, build in builders.items():
        for lang in ("it", "en"):
            fig = build(lang).to_dict()
            assert fig["data"] == [], name  # nothing drawn
            notes = fig["layout"].get("annotations") or []
            assert len(notes) == 1, (name, lang)
            text = notes[0]["text"].replace("<br>", " ")
            assert len(text) > 40 and text not in generic, (name, lang, text)  # why, not "no data"
            assert ":" in text and "fig.empty" not in text, (name, lang, text)
            said[(name, lang)] = text
        assert said[(name, "it")] != said[(name, "en")], name  # translated
        assert inspect.signature(figures.__dict__[name]).parameters.get("lang"), name
    # each chart gives its own reason
    assert len({said[(n, "it")] for n in builders}) == len(builders)


def test_an_empty_chart_message_is_escaped_and_fits_a_phone():
    fig = figures.empty_figure(XSS + " " + "parola " * 20).to_dict()
    text = fig["layout"]["annotations"][0]["text"]
    assert "<img" not in text and "&lt;img" in text
    assert all(len(line) <= 70 for line in text.split("<br>"))


def test_ties_by_nature_is_stacked_with_day_first_hovers():
    frame = pd.DataFrame({"month": pd.to_datetime(["2016-03-01"] * 3),
                          "nature": ["peer", "professional", "institutional"],
                          "partners": [2, 1, 0]})
    fig = figures.ties_by_nature_figure(frame, "it").to_dict()
    assert fig["layout"]["barmode"] == "stack"
    assert all("%d/%m/%Y" in d["hovertemplate"] for d in fig["data"])


def test_charts_write_numbers_as_the_language_does():
    frame = pd.DataFrame({"month": pd.to_datetime(["2016-03-01"]), "nature": ["peer"],
                          "partners": [1234.5]})
    italian = figures.ties_by_nature_figure(frame, "it").to_dict()["layout"]
    english = figures.ties_by_nature_figure(frame, "en").to_dict()["layout"]
    assert (italian["separators"], english["separators"]) == (",.", ".,")


def test_slider_marks_are_day_first():
    import datetime as dt

    months = tuple(dt.date(2016, m, 1) for m in range(2, 13))
    marks = figures.slider_marks(months)
    assert marks[0] == "01/02/2016" and marks[10] == "01/12/2016"


def test_every_label_has_both_languages():
    # declared once in English (a gettext message id), shown in each language from the catalogs
    # (tests/l10n/test_l10n.py fails on an id missing from a catalog)
    for key in TRANSLATIONS:
        assert t(key, "it") and t(key, "en"), key
    assert t("nav.map", "it") != t("nav.map", "en")
    assert fmt_date(pd.Timestamp("2016-05-18")) == "18/05/2016"


def test_every_label_key_used_in_the_app_exists():
    """Scan the app's sources for literal ``t("...")`` keys: a typo fails here, not in a page."""
    import re
    from pathlib import Path

    root = Path(figures.__file__).parent
    keys, declared = set(), set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\bt\(\"([a-z_.]+)\"", text))
        # a page declares its own labels (``"key": N_(...)``) when it is imported, which
        # needs an app: read from its source (alone, this test saw only the pages' labels
        # that other tests of its worker had imported)
        declared |= set(re.findall(r"\"([a-z_.]+)\": N[NP]*_\(", text))
    assert keys and not keys - set(TRANSLATIONS) - declared


def test_the_peer_share_axis_reads_percentages():
    """The peer share's axis lost its "%" (plotly drops a ticksuffix once tickvals are given)
    when room was made under 0 %: its labels are written out."""
    frame = pd.DataFrame({"month": pd.to_datetime(["2016-03-01", "2016-04-01"]),
                          "peer_share": [0.0, 0.25]})
    axis = figures.peer_share_figure(frame, "it").to_dict()["layout"]["yaxis"]
    assert axis["ticktext"] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert axis["range"][0] < 0 < 100 < axis["range"][1]  # a share of 0 clear of the dates
