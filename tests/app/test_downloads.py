"""The format chosen beside a download button: Italian CSV (default), research CSV, XLSX."""

from __future__ import annotations

import base64
import csv
import io
import re
import sys

import openpyxl


def _overview():
    return sys.modules["dash_app.pages.overview"]


def test_every_download_button_offers_the_three_formats(ctx):
    from dash_app.downloads import FORMATS, format_id

    layout = str(_overview().layout())
    assert f"'{format_id('ov-download-btn')}'" in layout or format_id("ov-download-btn") in layout
    for value in FORMATS:
        assert f"'value': '{value}'" in layout
    assert "CSV per Excel in italiano" in layout and "Scarica" in layout


def test_a_download_in_each_format(ctx):
    download = _overview().download
    italian = download(1, "all", "it", "italian")
    assert italian["content"].startswith("\ufeffMese;")       # headers as the page shows them
    research = download(1, "all", "it", "research")
    rows = list(csv.reader(io.StringIO(research["content"])))
    assert rows[0][0] == "month" and re.match(r"^\d{4}-\d{2}-\d{2}$", rows[1][0])
    assert research["filename"] == italian["filename"] and not research["base64"]
    xlsx = download(1, "all", "it", "xlsx")
    assert xlsx["filename"].endswith(".xlsx") and xlsx["base64"]
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active
    assert sheet["A1"].value == "Mese" and sheet["A2"].is_date
    assert sheet.max_row == len(rows)                          # the same rows in every format
    # an old call without a format, or a forged one, gets the default (Italian CSV)
    assert download(1, "all", "it")["content"] == italian["content"]
    assert download(1, "all", "it", "<script>")["content"] == italian["content"]
