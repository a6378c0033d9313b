"""Translations through gettext, one catalog per language kept inside the package.

Message ids are the English texts, marked in the source with :func:`gettext` /
:func:`ngettext` / :func:`pgettext` (or :data:`N_` where a text is only *declared*, e.g. in a
module-level table, and translated where it is shown). Every call takes the language
explicitly (``lang="it"`` by default): the explorer serves several people at once, so there
is no process-wide "current language".

The catalogs
------------
``genera_graph/l10n/locale/<lang>/LC_MESSAGES/genera_graph.po`` are the sources, in the
repository. ``make messages`` extracts the ids from the code (``pybabel extract`` with
``babel.cfg``) and merges them into both catalogs; translators edit the ``.po``;
``make install`` (and ``make compile-messages``) compiles them into ``.mo`` files beside them.
The ``.mo`` files are build products and are not committed (``.gitignore``): when one is
missing or older than its ``.po`` (a fresh clone, an editable install before ``make``), the
``.po`` is compiled in memory with Babel on first use, so the result is the same.

Examples
--------
>>> gettext("Community Point", lang="it")
'Punto di Comunità'
>>> [ngettext("{n} household flagged", "{n} households flagged", n, lang="it").format(n=n)
...  for n in (1, 2)]
['1 famiglia segnalata', '2 famiglie segnalate']
>>> pgettext("status", "isolated", lang="it")  # a household: feminine (la famiglia)
'isolata'
>>> pgettext("status", "isolated", lang="en")
'isolated'

"""

from __future__ import annotations

import dataclasses
import functools
import gettext as _gettext
import io
from pathlib import Path

from genera_graph.l10n.formatting import DEFAULT_LANG, check_lang

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "KEYWORDS",
    "NNP_",
    "NN_",
    "NP_",
    "N_",
    "PluralMessage",
    "catalog_path",
    "gettext",
    "ngettext",
    "npgettext",
    "pgettext",
    "translations",
]

#: the extraction keywords: Babel's defaults plus the declaring markers :func:`NP_`,
#: :func:`NN_` and :func:`NNP_` (``make messages`` passes the same)
KEYWORDS = ("NP_:1c,2", "NN_:1,2", "NNP_:1c,2,3")
#: the gettext domain (the catalogs' file name)
DOMAIN = "genera_graph"
#: where the catalogs are: ``LOCALE_DIR/<lang>/LC_MESSAGES/genera_graph.po``
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for extraction without translating it (it is translated where shown).

    >>> N_("Individuals reached")
    'Individuals reached'
    """
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """Mark ``message`` with a ``context`` for extraction (``pybabel -k NP_:1c,2``); returns
    the pair for :func:`pgettext` where it is shown.

    >>> NP_("status", "at risk")
    ('status', 'at risk')
    """
    return context, message


@dataclasses.dataclass(frozen=True)
class PluralMessage:
    """A declared message with a count: its English singular and plural (the message ids),
    an optional gettext ``context`` and the name of the placeholder that holds the count
    (``n`` unless :meth:`counting` says otherwise). Shown through :func:`npgettext` /
    :func:`ngettext` where it is used (see :meth:`text`).

    >>> m = NN_("{n} day without peer contact", "{n} days without peer contact")
    >>> m.text(1, "it"), m.text(3, "it")
    ('{n} giorno senza contatti tra pari', '{n} giorni senza contatti tra pari')
    """

    singular: str
    plural: str
    context: str | None = None
    count: str = "n"

    def counting(self, name: str) -> PluralMessage:
        """The same message, counted by the placeholder ``name`` (``{days}``)."""
        return dataclasses.replace(self, count=name)

    def text(self, n: int, lang: str = DEFAULT_LANG) -> str:
        """The form ``n`` takes in ``lang`` (not yet formatted)."""
        if self.context is None:
            return ngettext(self.singular, self.plural, n, lang)
        return npgettext(self.context, self.singular, self.plural, n, lang)


def NN_(singular: str, plural: str) -> PluralMessage:  # noqa: N802
    """Declare a message with a count for extraction (``pybabel -k NN_:1,2``); it is shown
    through :meth:`PluralMessage.text` (``ngettext``) where it is used."""
    return PluralMessage(singular, plural)


def NNP_(context: str, singular: str, plural: str) -> PluralMessage:  # noqa: N802
    """:func:`NN_` with a gettext ``context`` (``pybabel -k NNP_:1c,2,3``)."""
    return PluralMessage(singular, plural, context)


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    """The catalog file of ``lang`` (``.po`` source or ``.mo`` compiled)."""
    return LOCALE_DIR / check_lang(lang) / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _compile_in_memory(po: Path) -> io.BytesIO:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as pybabel compile does
    buffer.seek(0)
    return buffer


@functools.cache
def translations(lang: str = DEFAULT_LANG) -> _gettext.GNUTranslations:
    """The compiled catalog of ``lang`` (the ``.mo`` if up to date, else the ``.po`` compiled
    in memory). Cached: a catalog is read once per process.

    Raises
    ------
    ValueError
        If ``lang`` is not a supported language.
    FileNotFoundError
        If the package has no catalog for it (a broken install).
    """
    po, mo = catalog_path(lang, ".po"), catalog_path(lang, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if not po.exists():
        raise FileNotFoundError(f"no catalog for language {lang!r}: {po} is missing")
    return _gettext.GNUTranslations(_compile_in_memory(po))


def gettext(message: str, lang: str = DEFAULT_LANG) -> str:
    """``message`` (an English text) in ``lang``.

    >>> gettext("Community Point", lang="en")
    'Community Point'
    """
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str = DEFAULT_LANG) -> str:
    """The form of ``singular``/``plural`` that ``n`` takes in ``lang`` (not yet formatted:
    call ``.format(n=...)`` on the result, with ``n`` written by
    :func:`~genera_graph.l10n.format_integer` if it can exceed 999).
    """
    return translations(lang).ngettext(singular, plural, int(n))


def pgettext(context: str, message: str, lang: str = DEFAULT_LANG) -> str:
    """``message`` in ``lang`` where the same English word needs another translation by
    context (Italian gender: ``pgettext("status", "isolated")``, said of a household, is
    ``isolata``)."""
    return translations(lang).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int,
              lang: str = DEFAULT_LANG) -> str:
    """:func:`ngettext` with a context, as :func:`pgettext`."""
    return translations(lang).npgettext(context, singular, plural, int(n))
