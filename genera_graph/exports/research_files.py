"""Writing a research export: tables, data dictionaries, ``MANIFEST.json`` and ``README.md``.

``MANIFEST.json`` is for programs: English, as :mod:`.research` and :mod:`.dataset` write it.
``README.md`` is for the people who receive the export: the same facts in Italian first, then
in English, in the one file, with how to load each file in R, pandas and Excel. Every
sentence of the manifest is one of the gettext messages of :data:`MANIFEST_TEXTS`, formatted;
the README reads its values back from the English (:func:`manifest_words`) and writes the
message in each language.

Examples
--------
>>> manifest_words("counts below 5 replaced by missing; the column {name}_suppressed flags "
...                "them (primary suppression only)", "it")
'conteggi sotto 5 sostituiti da un valore mancante; la colonna {name}_suppressed li segnala (solo soppressione primaria)'
>>> manifest_words("1 suppressed cell could be recomputed from visits", "it")
'1 cella soppressa si potrebbe ricalcolare da visits'
>>> manifest_words("a sentence no message declares", "it")
'a sentence no message declares'
"""

from __future__ import annotations

import functools
import json
import os
import re
import string
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports.pseudonyms import StudyKeyError
from genera_graph.exports.table_spec import TableSpec
from genera_graph.exports.tables import loading_text, write_table
from genera_graph.l10n import (
    DEFAULT_LANG,
    LANGS,
    N_,
    NN_,
    NP_,
    PluralMessage,
    format_integer,
    format_percent,
    gettext,
    pgettext,
)

__all__ = ["MANIFEST_TEXTS", "PSEUDONYM_CONVENTION", "manifest_text", "manifest_words",
           "write_research_export"]

#: the convention of a pseudonymised id column (a gettext message)
PSEUDONYM_CONVENTION = N_("pseudonym: P + 16 base32 characters, stable within the study")

_CONVENTIONS = {
    "ids": PSEUDONYM_CONVENTION,
    "dates": N_("date, dd/mm/yyyy in CSV (see MANIFEST.json for the coarsening or shift)"),
    "keep": "",
    "counts": N_("count; missing where suppressed (see the _suppressed column)"),
}

#: the sentences of ``MANIFEST.json`` (English message ids, written with ``.format``): what
#: the pseudonyms, dates and small cells are, the disclosure control and why a table was
#: withheld
MANIFEST_TEXTS: dict[str, str | PluralMessage] = {
    "pseudonyms.method": N_("HMAC-SHA256(key, study + 0x1F + id), base32, first {length} "
                            "characters, prefix '{prefix}'"),
    "pseudonyms.scope": N_("stable within this study; unlinkable to other studies"),
    "pseudonyms.key": N_("kept by the data controller outside this export; not included"),
    "dates.month": N_("coarsened to the first day of the month"),
    "dates.quarter": N_("coarsened to the first day of the quarter"),
    "dates.year": N_("coarsened to 1 January of the year"),
    "dates.shift": NN_("shifted by a keyed per-person offset of 1 to {n} day, earlier or "
                       "later (intervals within a person are kept)",
                       "shifted by a keyed per-person offset of 1 to {n} days, earlier or "
                       "later (intervals within a person are kept)"),
    "small_cells.counts": N_("counts below {k} replaced by missing; the column "
                             "{{name}}_suppressed flags them (primary suppression only)"),
    "small_cells.cells": N_("cells of fewer than {k} entities replaced by missing; the column "
                            "suppressed flags them"),
    "disclosure.method": N_(
        "declared quasi-identifiers generalised along their hierarchies (greedy full-domain, "
        "fewest persons at risk first), then local suppression (*) of the records still at "
        "risk, most varied column first; records still at risk with every quasi-identifier "
        "suppressed are removed. Aggregates: cells of fewer than k entities, or groups "
        "showing fewer than l values of a sensitive attribute, suppressed; no totals "
        "released. Risk: share of entities unique, or in a group of fewer than k, on the "
        "quasi-identifiers (sdcMicro's sample uniques and k-anonymity violations)."),
    "disclosure.warning": N_(
        "record-level tables: each is k-anonymous on its own declared quasi-identifiers, but "
        "pseudonyms link the tables, so facts about one person known from several tables (or "
        "the shape of the network) may narrow a group below k; handle as personal data, "
        "under a data-sharing agreement"),
    "withheld.cell": N_("a released cell has {n} < k = {k}"),
    "withheld.diversity": N_("a group shows fewer than l = {l} values of {column}"),
    "withheld.k": N_("k = {found} < {k}"),
    "withheld.l": N_("l = {found} < {l}"),
    "withheld.recomputed": NN_("{n} suppressed cell could be recomputed from {table}",
                               "{n} suppressed cells could be recomputed from {table}"),
}

#: the files of each table of a research export
_FORMATS = ("csv", "parquet")

#: the README's words for the manifest's disclosure tier and quasi-identifier levels (the
#: manifest keeps the codes, for programs); a band level (``1,2,3-4,5+``) reads as itself
_TIER_WORDS = {
    "aggregate": NP_("export_tier", "aggregate tables"),
    "records": NP_("export_tier", "record-level tables"),
}
_LEVEL_WORDS = {
    "value": NP_("qi_level", "exact value"),
    "exact": NP_("qi_level", "exact value"),
    "*": NP_("qi_level", "suppressed (*)"),
    "day": NP_("qi_level", "day"),
    "month": NP_("qi_level", "month"),
    "quarter": NP_("qi_level", "quarter"),
    "year": NP_("qi_level", "year"),
    "facilitator": NP_("qi_level", "facilitator"),
    "point": NP_("qi_level", "Community Point"),
    "district": NP_("qi_level", "whole district (*)"),
    "partner": NP_("qi_level", "partner organisation"),
}


def _words(table: Mapping[str, tuple[str, str]], code: Any, lang: str) -> str:
    """A tier's or a level's words in ``lang`` (a code of no entry as it is)."""
    entry = table.get(str(code))
    return pgettext(*entry, lang) if entry else str(code)


def manifest_text(key: str, **values: Any) -> str:
    """The manifest's sentence ``key`` of :data:`MANIFEST_TEXTS` (English) with ``values``."""
    message = MANIFEST_TEXTS[key]
    if isinstance(message, PluralMessage):
        return message.text(int(values[message.count]), "en").format(**values)
    return message.format(**values)


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that matches ``template`` formatted, its fields as groups."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts) + r"\Z", re.S)


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str | PluralMessage]]:
    out = []
    for message in MANIFEST_TEXTS.values():
        forms = ((message.singular, message.plural) if isinstance(message, PluralMessage)
                 else (message,))
        out += [(_pattern(form), message) for form in forms]
    return out


def manifest_words(text: str, lang: str) -> str:
    """A sentence of the manifest in ``lang``: the message of :data:`MANIFEST_TEXTS` it was
    written from, with the same values; a sentence of no message is returned as given."""
    for pattern, message in _patterns():
        match = pattern.match(str(text))
        if match is None:
            continue
        values = match.groupdict()
        if isinstance(message, PluralMessage):
            return message.text(int(values[message.count]), lang).format(**values)
        return gettext(message, lang).format(**values)
    return str(text)


def _tr(lang: str, message: str, **values: Any) -> str:
    """A README message in ``lang``, formatted."""
    return gettext(message, lang).format(**values)


def _cells(values: Iterable[Any]) -> str:
    return ", ".join(map(str, values)) or "-"


def _readme(manifest: Mapping[str, Any]) -> str:
    """``README.md``: a section per language, Italian first."""
    return "\n---\n\n".join(_readme_section(manifest, lang) for lang in LANGS)


def _readme_section(manifest: Mapping[str, Any], lang: str) -> str:
    def said(text: str) -> str:
        return manifest_words(text, lang)

    pseudonyms = manifest["pseudonyms"]
    lines = [
        _tr(lang, N_("# Research export: study {study}"), study=manifest["study"]),
        "",
        _tr(lang, N_("Pseudonymised data: still personal data under the GDPR. Use only for the "
                     "study named above, do not try to re-identify anyone, do not join with "
                     "other exports.")),
        "",
        _tr(lang, N_("- Ids: {method}; {scope}."), method=said(pseudonyms["method"]),
            scope=said(pseudonyms["scope"])),
        _tr(lang, N_("- Key: {key}."), key=said(pseudonyms["key"])),
        _tr(lang, N_("- Dates: {dates}."), dates=said(manifest["dates"]["detail"])),
        _tr(lang, N_("- Small cells: {rule}."), rule=said(manifest["small_cells"]["rule"])),
        _tr(lang, N_("- Every table comes as NAME.csv (`;`, UTF-8, dd/mm/yyyy, text cells "
                     "starting with = + - @ prefixed with ' against formula injection), "
                     "NAME.parquet (typed) and NAME.dictionary.csv (what each column means).")),
        "",
        _tr(lang, N_("## How to load the files")),
        "",
        *(f"- NAME.{fmt}: {loading_text(fmt, 'italian', lang, 'NAME')}" for fmt in _FORMATS),
        "",
        _tr(lang, N_("| table | rows | pseudonymised | removed | dates | suppressed cells |")),
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, notes in manifest["tables"].items():
        suppressed = _cells(f"{c}: {format_integer(n, lang)}"
                            for c, n in notes["suppressed"].items())
        lines.append(
            f"| {name} | {format_integer(notes['rows'], lang)} | "
            f"{_cells(notes['pseudonymised'])} | {_cells(notes['removed'])} | "
            f"{_cells(notes['dates'])} | {suppressed} |")
    disclosure = manifest.get("disclosure")
    if disclosure:
        lines += _disclosure_readme(disclosure, lang)
    return "\n".join(lines) + "\n"


def _share(value: Any, lang: str) -> str:
    return format_percent(value, lang, 1, missing="-")


def _disclosure_readme(disclosure: Mapping[str, Any], lang: str) -> list[str]:
    lines = [
        "",
        _tr(lang, N_("## Disclosure control: {tier}, k = {k}, l = {l}"),
            tier=_words(_TIER_WORDS, disclosure["tier"], lang), k=disclosure["k"],
            l=disclosure["l"]),
        "",
        manifest_words(disclosure["method"], lang),
        "",
    ]
    if disclosure.get("warning"):
        lines += [_tr(lang, N_("**Warning**: {warning}."),
                      warning=manifest_words(disclosure["warning"], lang)), ""]
    lines += [
        _tr(lang, N_("| table | quasi-identifiers (level) | k | l | unique before | at risk "
                     "before | unique after | at risk after | cells suppressed |")),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in disclosure["tables"].items():
        qis = ", ".join(f"{q['column']} ({_words(_LEVEL_WORDS, entry['levels'][q['column']], lang)})"
                        for q in entry["quasi_identifiers"])
        before, after = entry["before"], entry["after"]
        status = "" if entry.get("released", True) else _tr(lang, N_(" (withheld)"))
        suppressed = entry.get("cells_suppressed")
        lines.append(
            f"| {name}{status} | {qis} | {after.get('k')} | {after.get('l') or '-'} | "
            f"{_share(before['unique_share'], lang)} | {_share(before['at_risk_share'], lang)} | "
            f"{_share(after['unique_share'], lang)} | {_share(after['at_risk_share'], lang)} | "
            f"{'-' if suppressed is None else format_integer(suppressed, lang)} |")
    for name, reason in disclosure.get("withheld", {}).items():
        lines.append(_tr(lang, N_("- {table} withheld: {reason}"), table=name,
                         reason=manifest_words(reason, lang)))
    return lines


def write_research_export(
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    out_dir: str | os.PathLike,
    spec: Mapping[str, TableSpec] | None = None,
    *,
    secret_path: str | os.PathLike | None = None,
    entries: Mapping[str, list[tuple[str, str, str, str]]] | None = None,
    lang: str | None = None,
) -> list[Path]:
    """Write pseudonymised tables, ``MANIFEST.json`` and ``README.md`` (Italian, then
    English) into ``out_dir``.

    Parameters
    ----------
    tables, manifest
        The output of :func:`pseudonymise_dataset`.
    out_dir : path-like
        The export folder (created if missing), left private: mode 0700, every file 0600.
    spec : mapping of str to TableSpec, optional
        For the column definitions of the data dictionaries.
    secret_path : path-like, optional
        Where the study key is; refused if it is inside ``out_dir``.
    entries : mapping, optional
        Data dictionary rows (column, definition, convention, unit) per table, instead of
        those made from ``spec`` and the manifest.
    lang : {"it", "en"}, optional
        The language of the data dictionaries (default: the CSV dialect's, Italian).

    Returns
    -------
    list of Path
        Every file written.

    Notes
    -----
    Parquet files are written uncompressed so that the whole export can be audited byte by
    byte (for instance, searched for a name or a date) before it leaves.
    """
    out = Path(out_dir)
    if secret_path is not None:
        secret = Path(secret_path).absolute().resolve()
        if out.absolute().resolve() in secret.parents:
            raise StudyKeyError("the study key must be kept outside the export folder "
                                f"({out}): give a key path elsewhere")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out, 0o700)
    written: list[Path] = []
    for name, frame in tables.items():
        if entries is not None and name in entries:
            paths = write_table(frame, out, name, entries[name], compression=None,
                                formats=_FORMATS, lang=lang)
            written.extend(paths.values())
            continue
        notes = manifest["tables"][name]
        descriptions = spec[name].descriptions if spec and name in spec else {}
        role_of = {c: "ids" for c in notes["pseudonymised"]}
        role_of.update({c: "dates" for c in notes["dates"]})
        role_of.update({c: "counts" for c in notes["suppressed"]})
        rows = []
        for column in frame.columns:
            base = column[: -len("_suppressed")] if column.endswith("_suppressed") else None
            if base is not None and base in notes["suppressed"]:
                rows.append((column, gettext(N_("true where {base} was suppressed (count < k)"),
                                             lang or DEFAULT_LANG).format(base=base),
                             N_("boolean"), ""))
                continue
            role = role_of.get(column, "keep")
            rows.append((column, descriptions.get(column, ""), _CONVENTIONS[role], ""))
        paths = write_table(frame, out, name, rows, compression=None, formats=_FORMATS,
                            lang=lang)
        written.extend(paths.values())
    manifest_path = out / "MANIFEST.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    readme_path = out / "README.md"
    readme_path.write_text(_readme(manifest), encoding="utf-8")
    written = [*written, manifest_path, readme_path]
    for path in written:
        os.chmod(path, 0o600)
    return written
