"""No code of the data (kind, programme, nature, status, reason, role) reaches a person:
the report, the HTML map and the data dictionaries show labels, in Italian and in English."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from genera_graph.analytics.report import monitoring_report, report_text
from genera_graph.exports.html import write_html_map
from genera_graph.exports.network import view_tables
from genera_graph.l10n import code_label
from genera_graph.l10n.labels import VOCABULARIES
from genera_graph.temporal import TemporalGraph
from genera_graph.temporal.testing import toy_dataset


def _raw_codes(lang: str) -> dict[str, str]:
    """Every code whose label differs from it (a code equal to its label reads as a word)."""
    out, words = {}, set()
    for field, codes in VOCABULARIES.items():
        for code in codes:
            if code_label(field, code, lang).lower() != code.lower():
                out[code] = field
            else:  # the language uses the code as a word ("partner" in Italian too)
                words.add(code)
    return {code: field for code, field in out.items() if code not in words}


def _shown_codes(texts, lang: str, allowed: set[str] = frozenset()) -> list[tuple[str, str]]:
    codes = _raw_codes(lang)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, codes)) + r")(?![\w])")
    # a code's own label may hold the code as a word ("head of household"): not a raw code
    labels = sorted({code_label(field, code, lang) for field, vocabulary in VOCABULARIES.items()
                     for code in vocabulary} - set(codes), key=len, reverse=True)
    own_label = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, labels)) + r")(?![\w])")
    found = []
    for text in texts:
        # "code = label" explains a code (a dictionary's legend): that is not a raw code
        stripped = re.sub(r"(?<![\w])\w+ = [^;]+", "", str(text))
        stripped = own_label.sub("", stripped)
        for match in pattern.finditer(stripped):
            if match.group(1) not in allowed:
                found.append((match.group(1), str(text)))
    return found


@pytest.fixture(scope="module")
def toy():
    ds = toy_dataset()
    return ds, TemporalGraph.from_dataset(ds)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_html_map_shows_labels_not_codes(toy, tmp_path, lang):
    ds, tg = toy
    nodes, edges = view_tables(tg.cumulative("2016-12-31"), ds.actors, dynamic=False)
    path = write_html_map(nodes, edges, tmp_path / "map.html", title="t", color_by="kind",
                          lang=lang)
    page = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="graph-data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))
    legend = re.findall(r'<li><span class="swatch"[^>]*></span>([^<]*)</li>', page)
    texts = [n["title"] for n in data["nodes"]] + [e["title"] for e in data["edges"]] + legend
    assert legend and all(texts)
    assert _shown_codes(texts, lang) == []
    if lang == "it":
        assert "Famiglia" in legend and any("Tipo: Famiglia" in t for t in texts)
        assert re.search(r"\d+ attori, \d+ legami", page)
    # the test can fail: a map with codes shown is caught
    assert _shown_codes(["kind: household", "status: at_risk"], lang)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_report_shows_labels_not_codes(toy, lang):
    ds, _ = toy
    text = report_text(monitoring_report(ds), lang=lang)
    cells = [*text.columns, *text.to_numpy().ravel().tolist()]
    assert _shown_codes(cells, lang) == []
    indicator_keys = set(monitoring_report(ds)["indicator"])
    assert not indicator_keys & set(map(str, cells))


@pytest.mark.parametrize("lang", ["it", "en"])
def test_data_dictionaries_explain_codes_with_labels(toy, tmp_path, lang):
    from genera_graph.analytics.tables import analysis_tables
    from genera_graph.exports.tables import read_csv, write_table

    _, tg = toy
    dialect = "italian" if lang == "it" else "research"
    for name, (frame, dictionary) in analysis_tables(tg, "2016-12-31").items():
        paths = write_table(frame, tmp_path, name, dictionary, dialect=dialect, lang=lang)
        table = read_csv(paths["dictionary"], dialect=dialect)
        texts = [t for t in pd.concat([table["definition"], table["convention"]]).dropna()]
        columns = set(frame.columns)
        assert _shown_codes(texts, lang, allowed=columns) == [], name
        if lang == "it":  # in Italian, and with the codes explained
            status = table.set_index("column")["definition"].get("status", "")
            assert not status or "at_risk = a rischio" in status


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_explorers_labels_show_no_codes(lang):
    """Every label of the explorer (and its words for kinds, natures, programmes) is free of
    the data's codes; the checker itself catches a code shown."""
    from dash_app import i18n, workbench
    from dash_app.glossary import ENTRIES, explain

    texts = [i18n.t(key, lang) for key in i18n.TRANSLATIONS]
    texts += [explain(key, lang) for key in ENTRIES]  # (a reference may cite the literature's
    # English term in brackets: "Legami tra pari (peer ties)")
    if lang != "en":  # (English shows the importer's rule as written)
        texts += [workbench.rule_text(message[1], lang)
                  for _, message in workbench._RULE_PATTERNS]
    texts += [*i18n.grid_locale(lang).values(), *i18n.dropdown_labels(lang).values()]
    for field, label in (("kind", i18n.kind_label), ("nature", i18n.nature_label),
                         ("programme", i18n.programme_label)):
        texts += [label(code, lang) for code in VOCABULARIES[field]]
    texts = [re.sub(r"\{\w*\}", "", text) for text in texts]  # a placeholder is not shown
    # "new" is the English word of the status "new (not judged yet)"
    assert _shown_codes(texts, lang, allowed={"new"} if lang == "en" else set()) == []
    assert _shown_codes([i18n.t("iso.reason_dates", lang, reason="few_peer_partners",
                                start="", end="")], lang)
