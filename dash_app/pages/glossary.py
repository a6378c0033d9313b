"""Glossary: every metric, status, reason and role in plain words, with its reference."""

from __future__ import annotations

import dash
from dash import html

from dash_app.glossary import SECTIONS, explain, reference
from dash_app.i18n import TRANSLATIONS, page_title, request_lang, t

__all__ = ["layout"]

dash.register_page(__name__, path="/glossary", name="nav.glossary",
                   title=page_title("nav.glossary"), order=6)


def _term(key: str, lang: str) -> str:
    return t(key, lang) if key in TRANSLATIONS else key


def layout(**_: object) -> html.Div:
    lang = request_lang()
    blocks = []
    for title, keys in SECTIONS:
        items = []
        for key in keys:
            ref = reference(key, lang)
            items += [html.Dt(_term(key, lang).capitalize(), id=f"glo-{key}"),
                      html.Dd([explain(key, lang),
                               html.Div(f"{t('glo.ref', lang)}: {ref}",
                                        className="small text-muted") if ref else None])]
        blocks.append(html.Section([html.H5(t(title, lang), className="mt-3"),
                                    html.Dl(items)]))
    return html.Div([html.H3(t("glo.title", lang)),
                     html.P(t("glo.intro", lang), className="text-muted"), *blocks],
                    className="glossary", style={"maxWidth": "60rem"})
