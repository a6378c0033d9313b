"""The report downloads as a generated PDF: it parses, and holds the report's figures written
the Italian way (read back with pypdf, an independent PDF reader)."""

from __future__ import annotations

import base64
import io
import re
import sys

import pypdf
import pytest
from babel.numbers import format_decimal

from dash_app.pdf import cell_text


def pg(name: str):
    return sys.modules[f"dash_app.pages.{name}"]


def _pdf_text(payload: dict) -> tuple[int, str]:
    assert payload["filename"] == "rapporto.pdf" and payload["type"] == "application/pdf"
    data = base64.b64decode(payload["content"])
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_report_pdf_parses_and_holds_the_figures(ctx, lang):
    from dash_app.data import current
    from dash_app.i18n import t

    report = pg("report")
    pages, text = _pdf_text(report.download_pdf(1, "years", lang))
    assert pages >= 1
    assert t("rep.title", lang) in text
    assert t("scope.district", lang) in text  # the coordinator's scope, said
    frame = report.report_frame(current(), "years", lang)
    periods = [c for c in frame.columns if c not in ("area", "label", "unit")]
    assert len(periods) == 3 and all(p in text for p in periods)  # dd/mm/yyyy headers
    for label in frame["label"]:
        assert label in text, label
    values = [v for p in periods for v in frame[p].dropna()]
    assert values
    locale = "it_IT" if lang == "it" else "en_US"
    for value in values:
        # written as Babel writes the number in the language (an independent formatter)
        expected = format_decimal(round(float(value), 2), format="#,##0.##", locale=locale)
        assert expected in text, value
        assert cell_text(value, lang) == expected


def test_pdf_numbers_and_dates_are_italian():
    import pandas as pd

    from dash_app.pdf import tables_pdf

    frame = pd.DataFrame({"label": ["Contributi", "Quota tra pari", "Aperto il"],
                          "value": [9500.0, 0.2345, 3.0],
                          "day": pd.to_datetime(["2016-05-18", "2017-01-02", None])})
    reader = pypdf.PdfReader(io.BytesIO(tables_pdf("Prova € – città", ["Nota"],
                                                   [("Tabella", frame)], "it")))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    for cell in ("Prova € – città", "9.500", "0,23", "18/05/2016", "02/01/2017", "–"):
        assert cell in text, cell
    assert "9500" not in text and "0.23" not in text and "2016-05-18" not in text


def test_a_facilitators_pdf_says_its_point(app, district):
    import flask

    from dash_app import Viewer
    from dash_app.data.registry import VIEWER_KEY
    from dash_app.i18n import t

    with app.server.test_request_context("/"):
        setattr(flask.g, VIEWER_KEY, Viewer(role="facilitator", community_point_ids=("CP01",)))
        _, text = _pdf_text(pg("report").download_pdf(1, "whole", "it"))
    # the scope by the point's name (a PDF line may break anywhere in the sentence)
    assert " ".join(t("scope.point.report", "it", points="Punto Nord").split()) in " ".join(
        text.split())
    assert t("rep.whole", "it") in text
