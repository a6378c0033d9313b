"""Tables as a generated PDF file (fpdf2): the report page's download.

:func:`tables_pdf` writes a title, a few lines that say what the figures are (scope, period,
day of issue) and one table per section, on A4 pages (landscape when a table is wide), with
numbers as the language writes them (``9.500``, ``0,23``), dates ``dd/mm/yyyy`` and the header
row repeated on every page. Text is set in DejaVu Sans (shipped in ``dash_app/fonts``, the
Bitstream Vera licence beside it), so that every name prints, whatever its alphabet, and
``€`` too (the PDF core fonts have neither).

Examples
--------
>>> import pandas as pd
>>> data = tables_pdf("Rapporto", ["Tutto il distretto"],
...                   [("Indicatori", pd.DataFrame({"label": ["Famiglie"], "n": [9500]}))], "it")
>>> data[:5]
b'%PDF-'
"""

from __future__ import annotations

import math
import numbers
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dash_app.i18n import TRANSLATIONS, fmt_date, fmt_number, t

__all__ = ["cell_text", "tables_pdf"]

_FONTS = Path(__file__).resolve().parent / "fonts"
_FONT = "DejaVu"


def cell_text(value: object, lang: str) -> str:
    """A table cell as the PDF writes it: numbers the language's way (integers without
    decimals, others with up to 2), dates ``dd/mm/yyyy``, a missing value ``–``.

    >>> cell_text(9500, "it"), cell_text(0.2345, "it"), cell_text(0.2345, "en")
    ('9.500', '0,23', '0.23')
    >>> cell_text(pd.Timestamp("2016-05-18"), "it"), cell_text(None, "it")
    ('18/05/2016', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "–"
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return fmt_date(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return fmt_number(int(value), lang, 0)
    if isinstance(value, numbers.Real):
        v = float(value)
        return fmt_number(v, lang, 0) if v.is_integer() else fmt_number(round(v, 2), lang)
    return str(value)


def _header(name: str, lang: str) -> str:
    key = f"col.{name}"
    return t(key, lang) if key in TRANSLATIONS else str(name)


def tables_pdf(title: str, notes: list[str], sections: list[tuple[str, pd.DataFrame]],
               lang: str) -> bytes:
    """A PDF file (bytes) with ``title``, the lines ``notes`` under it and one table per
    ``(heading, frame)`` of ``sections`` (column headers from the ``col.<name>`` labels).

    Each column is as wide as its longest text (within bounds); a page turns landscape when
    a table has more than five columns.
    """
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(12, 12, 12)
    pdf.add_font(_FONT, "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("genera_graph")
    wide = any(len(frame.columns) > 5 for _, frame in sections)
    pdf.add_page(orientation="landscape" if wide else "portrait")
    pdf.set_font(_FONT, "B", 15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, "", 9)
    for line in notes:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    heading_style = FontFace(emphasis="BOLD", fill_color=(233, 236, 239))
    for heading, frame in sections:
        pdf.ln(4)
        pdf.set_font(_FONT, "B", 11)
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_FONT, "", 8)
        if not len(frame):
            pdf.multi_cell(0, 5, t("common.empty", lang), new_x="LMARGIN", new_y="NEXT")
            continue
        headers = [_header(c, lang) for c in frame.columns]
        cells = [[cell_text(v, lang) for v in values]
                 for values in frame.itertuples(index=False)]
        # each column as wide as its longest text (a header's longest word), within bounds
        widths = [min(40, max(6, max(len(w) for w in h.split()) if h.split() else 6,
                               *(len(row[k]) for row in cells)))
                  for k, h in enumerate(headers)]
        numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
        align = ["RIGHT" if is_num else "LEFT" for is_num in numeric]
        with pdf.table(col_widths=widths, text_align=align, headings_style=heading_style,
                       line_height=4.6, repeat_headings=1, padding=1) as table:
            table.row(headers)
            for row in cells:
                table.row(row)
    pdf.set_font(_FONT, "", 7)
    return bytes(pdf.output())
