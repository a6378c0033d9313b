"""The formatting layer against the conventions people read, and the catalogs against the code."""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from genera_graph import l10n
from genera_graph.l10n import (
    LANGS,
    code_label,
    format_currency,
    format_date,
    format_decimal,
    format_integer,
    format_number,
    format_percent,
    gettext,
    ngettext,
    pgettext,
)

ROOT = Path(__file__).resolve().parents[2]

# ---- formatting: the expected texts are the conventions of Italian and British writing ------


@pytest.mark.parametrize(("value", "lang", "digits", "text"), [
    (1234567.891, "it", 2, "1.234.567,89"),
    (1234567.891, "en", 2, "1,234,567.89"),
    (530.0, "it", None, "530"),          # counts are integers, never 530.0
    (np.int64(12000), "it", None, "12.000"),
    (0.1282051282051282, "it", None, "0,1282051282051282"),   # nothing rounded away
    (-0.5, "it", 1, "-0,5"),
    (0.4197896, "en", 3, "0.420"),
    (7, "en", 2, "7.00"),
])
def test_numbers(value, lang, digits, text):
    assert format_number(value, lang, digits) == text
    assert format_decimal(value, lang, digits) == text


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_are_a_dash_everywhere(missing):
    for func in (format_number, format_integer, format_currency, format_percent, format_date):
        assert func(missing) == "–"
        assert func(missing, "en", missing="") == ""


def test_integers_currency_percent():
    assert format_integer(1234.6) == "1.235" and format_integer(1234, "en") == "1,234"
    assert format_currency(9500) == "9.500 €"
    assert format_currency(9500, "en") == "€9,500"
    assert format_currency(1234.5) == "1.234,50 €"
    assert format_currency(3500, digits=2) == "3.500,00 €"
    assert format_percent(0.128) == "13%" and format_percent(0.1284, "it", 1) == "12,8%"
    assert format_percent(1) == "100%"


@pytest.mark.parametrize("value", [dt.date(2016, 2, 1), dt.datetime(2016, 2, 1, 23, 59),
                                   pd.Timestamp("2016-02-01"), np.datetime64("2016-02-01"),
                                   "2016-02-01"])
def test_dates_are_day_first_in_both_languages(value):
    assert format_date(value) == "01/02/2016"
    assert format_date(value, "en") == "01/02/2016"


def test_unknown_language_is_a_clear_error():
    for call in (lambda: format_number(1, "fr"), lambda: gettext("Community Point", "fr")):
        with pytest.raises(ValueError, match="language must be one of it, en"):
            call()


def test_registers_format_number_delegates():
    from genera_graph.io.registers import format_number as old

    assert old(12345.5) == "12.345,5" and old(None) == "–" and old(3.0, "en") == "3"


# ---- translations ------------------------------------------------------------------------------


def test_italian_plurals_and_gender():
    forms = [ngettext("{n} household flagged", "{n} households flagged", n, "it").format(n=n)
             for n in (0, 1, 2)]
    assert forms == ["0 famiglie segnalate", "1 famiglia segnalata", "2 famiglie segnalate"]
    assert ngettext("{n} household flagged", "{n} households flagged", 1, "en") == \
        "{n} household flagged"
    # a status is said of a household (la famiglia): feminine
    assert pgettext("status", "isolated", "it") == "isolata"
    assert pgettext("status", "connected", "it") == "collegata"
    assert code_label("status", "new", "it").startswith("nuova")
    assert code_label("kind", "household", "it") == "Famiglia"
    assert code_label("reason", "few_peer_partners;single_bridge", "en") == \
        "few peer partners; one actor holds every path"


@functools.cache
def _extracted() -> dict[tuple[str | None, str], str | None]:
    """Every message id marked in the library's and the app's code (the babel.cfg mapping)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map,
            keywords={**DEFAULT_KEYWORDS, **parse_keywords(l10n.KEYWORDS)}):
        if isinstance(message, tuple):
            found[(context, message[0])] = message[1]
        else:
            found[(context, message)] = None
        assert message, filename
    from genera_graph.analytics.tables import dictionary_texts

    for text in dictionary_texts():  # built at import: make messages adds them the same way
        found.setdefault((None, text), None)
    return found


def _fields(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)[^}]*\}", text))


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_of_the_code_is_translated(lang):
    with l10n.catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle)
    missing, fuzzy, fields = [], [], []
    for (context, msgid), plural in _extracted().items():
        entry = catalog.get(msgid, context=context)
        strings = None if entry is None else (
            list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string])
        if entry is None or not all(strings):
            missing.append((context, msgid))
            continue
        if entry.fuzzy:
            fuzzy.append(msgid)
        wanted = _fields(msgid) | (_fields(plural) if plural else set())
        if plural and len(strings) != catalog.num_plurals:
            missing.append((context, msgid, "plural forms"))
        for text in strings:
            if _fields(text) - wanted or (not plural and _fields(text) != wanted):
                fields.append((msgid, text))
    assert not missing, f"{lang}: not in the catalog (run make messages): {missing}"
    assert not fuzzy, f"{lang}: fuzzy (not used until reviewed): {fuzzy}"
    assert not fields, f"{lang}: placeholders differ from the message id: {fields}"


def test_the_apps_messages_are_gettext_messages_of_the_catalogs():
    """Every label of the explorer is declared as a message id (``N_``/``NP_``/``NN_``) and
    found in both catalogs; plurals and gender are right in Italian."""
    from dash_app import i18n, workbench
    from dash_app.glossary import ENTRIES

    extracted = _extracted()
    entries = [*i18n.TRANSLATIONS.items(), *i18n._GRID.items(), *i18n._DROPDOWN.items()]
    # the glossary's explanations and references (a reference naming a library function is
    # the same in every language), the importer's rules in the user's words
    entries += [(key, message) for key, (text, ref) in ENTRIES.items()
                for message in (text, ref) if isinstance(message, tuple)]
    assert all(isinstance(ref, tuple) or re.fullmatch(r"genera_graph(\.\w+)+", ref)
               for _, ref in ENTRIES.values() if ref)
    entries += [(pattern.pattern, message) for pattern, message in workbench._RULE_PATTERNS]
    entries += [("rule.not_allowed", workbench._NOT_ALLOWED_WORDS)]
    undeclared, absent = [], []
    for key, entry in entries:
        if isinstance(entry, dict):  # a hand-written {"it": ..., "en": ...}: not allowed here
            undeclared.append(key)
            continue
        if isinstance(entry, i18n._Parts):
            ids = [(None, entry.template)] + [(p.context, p.singular) for p in entry.parts.values()]
        elif isinstance(entry, l10n.PluralMessage):
            ids = [(entry.context, entry.singular)]
        else:
            ids = [entry if isinstance(entry, tuple) else (None, entry)]
        absent += [(key, i) for i in ids if i not in extracted]
    assert not undeclared, f"texts kept outside the catalogs: {undeclared}"
    assert not absent, f"not extracted by make messages (declare with N_/NP_/NN_): {absent}"
    t = i18n.t
    assert [t("iso.line.days", "it", n=n) for n in (1, 2, 1500)] == [
        "1 giorno senza contatti tra pari", "2 giorni senza contatti tra pari",
        "1.500 giorni senza contatti tra pari"]
    assert t("iso.line.days", "it", n="1.500") == "1.500 giorni senza contatti tra pari"
    assert t("iso.line.day", "it") == "1 giorno senza contatti tra pari"
    assert t("map.legend.more", "it", n=1) == "e un'altra"       # comunità: feminine
    assert t("br.whatif.more", "it", n=1) == "e un altro"        # attori: masculine
    assert t("br.whatif.more", "it", n=3) == "e altri 3"
    assert t("br.whatif.cut", "it", n=1).startswith("Resterebbe fuori")
    assert t("map.stats", "it", nodes=1, edges=1, period="p") == "1 attore, 1 legame · p"
    assert t("map.stats", "en", nodes=2, edges=1, period="p") == "2 actors, 1 tie · p"
    assert t("ov.lost.note", "it", days=90).startswith("Un legame è perso se non si rinnova "
                                                      "entro 90 giorni")
    assert t("status.isolated", "it") == "isolata" and t("status.new", "it") == "nuova"
    assert i18n.GRID_LOCALE_IT["noRowsToShow"] == "Nessuna riga"
    assert i18n.DROPDOWN_LABELS["it"]["search"] == "Cerca"
    assert i18n.kind_label("household", "it") == "Famiglia"
    assert t("auth.locked", "it", minutes=1) == ("Troppi tentativi non riusciti: riprova tra "
                                                "1 minuto.")
    assert t("auth.locked", "it", minutes=15).endswith("tra 15 minuti.")
    assert t("audit.ok", "it", n=1, seq=1, hash="ab").startswith("Catena integra: 1 voce,")
    assert t("audit.ok", "en", n=1200, seq=1200, hash="ab").startswith(
        "Chain intact: 1,200 entries,")


def _translation_dicts(path: Path) -> list[str]:
    """The ``{"it": ..., "en": ...}`` dicts of a module that hold words (not a locale's name
    or a separator): texts kept outside the catalogs."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Dict):
            continue
        values = {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                  if isinstance(k, ast.Constant)}
        if {"it", "en"} <= set(values) and any(
                isinstance(v, ast.Constant) and isinstance(v.value, str)
                and not re.fullmatch(r"[a-z]{2}([-_][A-Z]{2})?|[^A-Za-z]*", v.value)
                for v in (values["it"], values["en"])):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_text_is_translated_by_hand_outside_the_catalogs(tmp_path):
    """No module of the library or the app keeps its own Italian and English texts: every
    user-facing text is a message of the catalogs (the check itself finds such a dict)."""
    modules = sorted([*(ROOT / "genera_graph").rglob("*.py"), *(ROOT / "dash_app").rglob("*.py")])
    assert len(modules) > 50
    assert [hit for path in modules for hit in _translation_dicts(path)] == []
    sample = tmp_path / "sample.py"
    sample.write_text('LOCALES = {"it": "it_IT", "en": "en_GB"}\n'
                      'SEPARATORS = {"it": ",.", "en": ".,"}\n'
                      'TEXT = {"title": {"it": "Accesso", "en": "Sign in"}}\n', encoding="utf-8")
    assert _translation_dicts(sample) == ["sample.py:3"]


def test_catalog_without_mo_is_compiled_in_memory_and_equals_pybabel_compile(tmp_path,
                                                                             monkeypatch):
    from babel.messages.mofile import write_mo

    for lang in LANGS:
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(l10n.catalog_path(lang), target)
    monkeypatch.setattr("genera_graph.l10n.catalogs.LOCALE_DIR", tmp_path)
    l10n.translations.cache_clear()
    try:
        in_memory = gettext("Community Point", "it")
        assert not list(tmp_path.rglob("*.mo"))
        po = tmp_path / "it" / "LC_MESSAGES" / "genera_graph.po"
        with po.open("rb") as src:
            catalog = read_po(src)
        catalog["Community Point"].string = "Punto (compilato)"
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)
        l10n.translations.cache_clear()
        assert in_memory == "Punto di Comunità"
        assert gettext("Community Point", "it") == "Punto (compilato)"   # an up-to-date .mo wins
    finally:
        l10n.translations.cache_clear()
