"""Localisation: numbers and dates through Babel, texts through gettext, Italian first.

One layer for every text a person reads (CLI report, explorer, HTML map, Italian CSV dialect,
data dictionaries)::

    from genera_graph.l10n import (format_number, format_integer, format_decimal,
                                   format_currency, format_percent, format_date,
                                   gettext, ngettext, pgettext, npgettext, N_, LANGS,
                                   code_label, code_legend)

- Formatting (:mod:`genera_graph.l10n.formatting`): ``lang`` is ``"it"`` (default) or
  ``"en"``; whole numbers are written as integers, a missing value as ``–`` (``missing=``
  changes it), dates ``dd/mm/yyyy`` in both languages.
- Translations (:mod:`genera_graph.l10n.catalogs`): message ids are the English texts;
  catalogs are ``locale/<lang>/LC_MESSAGES/genera_graph.po`` in this package, extracted with
  ``make messages`` and compiled by ``make install`` (or in memory when the ``.mo`` is
  missing). Every call takes ``lang=``.
- Labels of the data's codes (:mod:`genera_graph.l10n.labels`): ``code_label("kind",
  "household", lang)`` is ``Famiglia``; every user-facing text shows labels, never codes.

Examples
--------
>>> format_number(1234.5), format_currency(9500), format_date("2016-02-01")
('1.234,5', '9.500 €', '01/02/2016')
>>> ngettext("{n} household flagged", "{n} households flagged", 1, lang="it").format(n=1)
'1 famiglia segnalata'
"""

from genera_graph.l10n.catalogs import (
    DOMAIN,
    KEYWORDS,
    LOCALE_DIR,
    N_,
    NN_,
    NNP_,
    NP_,
    PluralMessage,
    catalog_path,
    gettext,
    ngettext,
    npgettext,
    pgettext,
    translations,
)
from genera_graph.l10n.formatting import (
    DATE_PATTERN,
    DEFAULT_LANG,
    LANGS,
    LOCALES,
    MISSING,
    check_lang,
    format_currency,
    format_date,
    format_decimal,
    format_integer,
    format_number,
    format_percent,
    is_missing,
)
from genera_graph.l10n.labels import code_label, code_legend, expand_codes, field_of_column

__all__ = [
    "DATE_PATTERN",
    "DEFAULT_LANG",
    "DOMAIN",
    "LANGS",
    "LOCALES",
    "LOCALE_DIR",
    "MISSING",
    "KEYWORDS",
    "NNP_",
    "NN_",
    "NP_",
    "N_",
    "PluralMessage",
    "catalog_path",
    "code_label",
    "code_legend",
    "expand_codes",
    "field_of_column",
    "check_lang",
    "format_currency",
    "format_date",
    "format_decimal",
    "format_integer",
    "format_number",
    "format_percent",
    "gettext",
    "is_missing",
    "ngettext",
    "npgettext",
    "pgettext",
    "translations",
]
