"""Writing a research export: tables, data dictionaries, ``MANIFEST.json`` and ``README.md``."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from genera_graph.exports.pseudonyms import StudyKeyError
from genera_graph.exports.table_spec import TableSpec
from genera_graph.exports.tables import write_table
from genera_graph.l10n import DEFAULT_LANG, N_, gettext

__all__ = ["PSEUDONYM_CONVENTION", "write_research_export"]

#: the convention of a pseudonymised id column (a gettext message)
PSEUDONYM_CONVENTION = N_("pseudonym: P + 16 base32 characters, stable within the study")

_CONVENTIONS = {
    "ids": PSEUDONYM_CONVENTION,
    "dates": N_("date, dd/mm/yyyy in CSV (see MANIFEST.json for the coarsening or shift)"),
    "keep": "",
    "counts": N_("count; missing where suppressed (see the _suppressed column)"),
}


def _readme(manifest: Mapping[str, Any]) -> str:
    lines = [
        f"# Research export: study {manifest['study']}",
        "",
        "Pseudonymised data: still personal data under the GDPR. Use only for the study named",
        "above, do not try to re-identify anyone, do not join with other exports.",
        "",
        f"- Ids: {manifest['pseudonyms']['method']}; {manifest['pseudonyms']['scope']}.",
        f"- Key: {manifest['pseudonyms']['key']}.",
        f"- Dates: {manifest['dates']['detail']}.",
        f"- Small cells: {manifest['small_cells']['rule']}.",
        "- Every table comes as NAME.csv (`;`, UTF-8, dd/mm/yyyy, text cells starting with",
        "  = + - @ prefixed with ' against formula injection), NAME.parquet (typed) and",
        "  NAME.dictionary.csv (what each column means).",
        "",
        "| table | rows | pseudonymised | removed | dates | suppressed cells |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, notes in manifest["tables"].items():
        suppressed = ", ".join(f"{c}: {n}" for c, n in notes["suppressed"].items()) or "-"
        lines.append(
            f"| {name} | {notes['rows']} | {', '.join(notes['pseudonymised']) or '-'} | "
            f"{', '.join(notes['removed']) or '-'} | {', '.join(notes['dates']) or '-'} | "
            f"{suppressed} |"
        )
    disclosure = manifest.get("disclosure")
    if disclosure:
        lines += _disclosure_readme(disclosure)
    return "\n".join(lines) + "\n"


def _share(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _disclosure_readme(disclosure: Mapping[str, Any]) -> list[str]:
    lines = [
        "",
        f"## Disclosure control: tier {disclosure['tier']}, k = {disclosure['k']}, "
        f"l = {disclosure['l']}",
        "",
        disclosure["method"],
        "",
    ]
    if disclosure.get("warning"):
        lines += [f"**Warning**: {disclosure['warning']}.", ""]
    lines += [
        "| table | quasi-identifiers (level) | k | l | unique before | at risk before | "
        "unique after | at risk after | cells suppressed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, entry in disclosure["tables"].items():
        qis = ", ".join(f"{q['column']} ({entry['levels'][q['column']]})"
                        for q in entry["quasi_identifiers"])
        before, after = entry["before"], entry["after"]
        status = "" if entry.get("released", True) else " (withheld)"
        lines.append(
            f"| {name}{status} | {qis} | {after.get('k')} | {after.get('l') or '-'} | "
            f"{_share(before['unique_share'])} | {_share(before['at_risk_share'])} | "
            f"{_share(after['unique_share'])} | {_share(after['at_risk_share'])} | "
            f"{entry.get('cells_suppressed', '-')} |")
    for name, reason in disclosure.get("withheld", {}).items():
        lines.append(f"- {name} withheld: {reason}")
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
    """Write pseudonymised tables, ``MANIFEST.json`` and ``README.md`` into ``out_dir``.

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
            paths = write_table(frame, out, name, entries[name], compression=None, lang=lang)
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
        paths = write_table(frame, out, name, rows, compression=None, lang=lang)
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
