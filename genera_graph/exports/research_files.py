"""Writing a research export: tables, data dictionaries, ``MANIFEST.json`` and ``README.md``."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from genera_graph.exports.tables import write_table

if TYPE_CHECKING:
    from genera_graph.exports.research import TableSpec

__all__ = ["write_research_export"]

_CONVENTIONS = {
    "ids": "pseudonym: P + 16 base32 characters, stable within the study",
    "dates": "date, dd/mm/yyyy in CSV (see MANIFEST.json for the coarsening or shift)",
    "keep": "",
    "counts": "count; missing where suppressed (see the _suppressed column)",
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
    return "\n".join(lines) + "\n"


def write_research_export(
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any],
    out_dir: str | os.PathLike,
    spec: Mapping[str, TableSpec] | None = None,
    *,
    secret_path: str | os.PathLike | None = None,
) -> list[Path]:
    """Write pseudonymised tables, ``MANIFEST.json`` and ``README.md`` into ``out_dir``.

    Parameters
    ----------
    tables, manifest
        The output of :func:`pseudonymise_dataset`.
    out_dir : path-like
        The export folder (created if missing).
    spec : mapping of str to TableSpec, optional
        For the column definitions of the data dictionaries.
    secret_path : path-like, optional
        Where the study key is; refused if it is inside ``out_dir``.

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
            raise ValueError("the secret must be kept outside the export folder")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in tables.items():
        notes = manifest["tables"][name]
        descriptions = spec[name].descriptions if spec and name in spec else {}
        role_of = {c: "ids" for c in notes["pseudonymised"]}
        role_of.update({c: "dates" for c in notes["dates"]})
        role_of.update({c: "counts" for c in notes["suppressed"]})
        entries = []
        for column in frame.columns:
            base = column[: -len("_suppressed")] if column.endswith("_suppressed") else None
            if base is not None and base in notes["suppressed"]:
                entries.append((column, f"true where {base} was suppressed (count < k)",
                                "boolean", ""))
                continue
            role = role_of.get(column, "keep")
            entries.append((column, descriptions.get(column, ""), _CONVENTIONS[role], ""))
        paths = write_table(frame, out, name, entries, compression=None)
        written.extend(paths.values())
    manifest_path = out / "MANIFEST.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    readme_path = out / "README.md"
    readme_path.write_text(_readme(manifest), encoding="utf-8")
    return [*written, manifest_path, readme_path]
