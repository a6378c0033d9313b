"""Upload a register in the browser (``/upload``): checked first, then committed or cancelled.

The file (CSV with ``;`` or XLSX, named after its register, at most :data:`MAX_MB` MB) is
imported as a dry run (:func:`genera_graph.io.importer.import_paths` with ``dry_run=True``):
every problem is shown in a grid (file, spreadsheet row, column, rule, value) with the counts.
The user then imports strictly (only if there is no problem), imports the valid rows (the
others are set aside in the store's quarantine, and downloadable), or cancels. The same file
twice is reported as already imported. A facilitator's rows must be of their own Community
Point (the records' scope check, :func:`genera_graph.io.records.scope_check`): others are
problems.

The uploaded file waits on the server under a random token (the browser holds only the token)
until it is committed or cancelled.
"""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import grid, grid_payload, message
from dash_app.data import current
from dash_app.downloads import csv_download, download_output
from dash_app.i18n import page_title, request_lang
from dash_app.workbench import after_write, author_of, frame_of_problems, store_of, wt

__all__ = ["MAX_MB", "check", "commit", "layout", "quarantine_download"]

dash.register_page(__name__, path="/upload", name="nav.upload",
                   title=page_title("nav.upload"), order=8)

#: the largest file accepted, in MB
MAX_MB = 5
UP_FILE, UP_TOKEN, UP_STATUS, UP_GRID = "up-file", "up-token", "up-status", "up-grid"
UP_GRID_BOX = "up-grid-box"
UP_STRICT, UP_PARTIAL, UP_CANCEL = "up-strict", "up-partial", "up-cancel"
UP_QUARANTINE_BTN, UP_QUARANTINE = "up-quarantine-btn", "up-quarantine"
UP_ACTIONS = "up-actions"

#: token -> (folder holding the waiting file, its path); rejected rows of the last commit
_PENDING: dict[str, Path] = {}
_REJECTED: dict[str, Any] = {}
_LOCK = threading.Lock()


def layout(**_: object) -> html.Div:
    lang = request_lang()
    return html.Div([
        html.H3(wt("up.title", lang)),
        html.P(wt("up.intro", lang, mb=MAX_MB), className="text-muted"),
        dcc.Upload(id=UP_FILE, children=html.Div(wt("up.drop", lang)),
                   max_size=MAX_MB * 1024 * 1024, multiple=False, accept=".csv,.xlsx",
                   className="border border-2 rounded p-4 text-center mb-3",
                   style={"borderStyle": "dashed"}),
        dcc.Store(id=UP_TOKEN),
        html.Div(id=UP_STATUS),
        html.Div([
            dbc.Button(wt("up.strict", lang), id=UP_STRICT, color="primary", className="me-2"),
            dbc.Button(wt("up.partial", lang), id=UP_PARTIAL, color="warning",
                       className="me-2"),
            dbc.Button(wt("up.cancel", lang), id=UP_CANCEL, color="secondary", outline=True),
        ], id=UP_ACTIONS, className="my-2", style={"display": "none"}),
        # the problems' grid only once a file has some ("No Rows To Show" under the drop
        # zone said nothing)
        html.Div(grid(UP_GRID, lang, height=360), id=UP_GRID_BOX, style={"display": "none"}),
        html.Div([dbc.Button(wt("up.quarantine", lang), id=UP_QUARANTINE_BTN, size="sm",
                             color="secondary", outline=True, className="mt-2"),
                  dcc.Download(id=UP_QUARANTINE)]),
    ])


def _safe_name(name: str | None) -> str:
    base = Path(str(name or "")).name
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", base)[:80] or "register.csv"


def _import(path: Path, access: Any, *, partial: bool, dry_run: bool) -> Any:
    from genera_graph.io.importer import import_paths
    from genera_graph.io.records import scope_check

    author = author_of(access.viewer)
    return import_paths(store_of(access), [path], partial=partial, dry_run=dry_run,
                        row_check=scope_check(author))


def _summary(result: Any, lang: str) -> list:
    lines = []
    for f in result.files:
        if f.status == "unchanged":
            lines.append(html.Div(wt("up.unchanged", lang, file=f.file)))
        else:
            lines.append(html.Div(wt("up.counts", lang, file=f.file, read=f.rows_read,
                                     ok=f.rows_accepted, bad=f.rows_quarantined)))
            if getattr(f, "rows_withdrawn", 0):
                lines.append(html.Div(wt("up.withdrawn", lang, n=f.rows_withdrawn)))
    files = {f.file for f in result.files}
    for p in result.problems:
        if p.severity == "error" and p.file not in files and p.row is None:
            from dash_app.workbench import rule_text

            lines.append(html.Div(f"{p.file}: {rule_text(p.rule, lang)}"))
    return lines


@dash.callback(
    Output(UP_TOKEN, "data"),
    Output(UP_STATUS, "children"),
    Output(UP_GRID, "columnDefs"),
    Output(UP_GRID, "rowData"),
    Output(UP_ACTIONS, "style"),
    Input(UP_FILE, "contents"),
    State(UP_FILE, "filename"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def check(contents, filename, lang):
    """Dry run of an uploaded file: its problems and counts; nothing is written."""
    lang = lang or "it"
    hidden = {"display": "none"}
    access = current()
    if store_of(access) is None:
        return None, message(wt("rec.readonly", lang), "warning"), [], [], hidden
    if not contents:
        return None, "", [], [], hidden
    data = base64.b64decode(contents.split(",", 1)[-1])
    if len(data) > MAX_MB * 1024 * 1024:
        return None, message(wt("up.too_big", lang, mb=MAX_MB), "danger"), [], [], hidden
    token = uuid.uuid4().hex
    folder = Path(tempfile.mkdtemp(prefix="genera-upload-"))
    path = folder / _safe_name(filename)
    path.write_bytes(data)
    result = _import(path, access, partial=True, dry_run=True)
    cols, rows = grid_payload(frame_of_problems(result, lang), lang)
    waiting = any(f.status not in ("unchanged", "rejected") for f in result.files)
    if waiting:
        with _LOCK:
            _PENDING[token] = path
    else:
        shutil.rmtree(folder, ignore_errors=True)
        token = None
    return (token, html.Div(_summary(result, lang), className="mb-2"), cols, rows,
            {} if waiting else hidden)


dash.clientside_callback(
    "function(rows) { return rows && rows.length ? {} : {display: 'none'}; }",
    Output(UP_GRID_BOX, "style"),
    Input(UP_GRID, "rowData"),
)


@dash.callback(
    Output(UP_TOKEN, "data", allow_duplicate=True),
    Output(UP_STATUS, "children", allow_duplicate=True),
    Output(UP_ACTIONS, "style", allow_duplicate=True),
    Input(UP_STRICT, "n_clicks"),
    Input(UP_PARTIAL, "n_clicks"),
    Input(UP_CANCEL, "n_clicks"),
    State(UP_TOKEN, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def commit(strict, partial, cancel, token, lang, choice: str | None = None):
    """Import the waiting file strictly, its valid rows only, or cancel (``choice``: the
    button, when called as a function; in the app, the button clicked)."""
    lang = lang or "it"
    hidden = {"display": "none"}
    if choice is None:
        choice = {UP_STRICT: "strict", UP_PARTIAL: "partial", UP_CANCEL: "cancel"}.get(
            dash.ctx.triggered_id, "cancel")
    with _LOCK:
        path = _PENDING.pop(token, None) if token else None
    if path is None:
        return None, message(wt("up.cancelled", lang), "secondary"), hidden
    try:
        if choice == "cancel":
            return None, message(wt("up.cancelled", lang), "secondary"), hidden
        access = current()
        result = _import(path, access, partial=choice == "partial", dry_run=False)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    if not result.committed:
        return None, message(wt("up.rejected", lang), "danger"), hidden
    after_write(access, {"data"})
    ok = sum(f.rows_accepted for f in result.files)
    bad = sum(f.rows_quarantined for f in result.files)
    with _LOCK:
        _REJECTED[author_of(access.viewer).user_id] = result.rejected_rows
    return None, message(wt("up.committed", lang, ok=ok, bad=bad), "success"), hidden


@dash.callback(
    download_output(UP_QUARANTINE),
    Input(UP_QUARANTINE_BTN, "n_clicks"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def quarantine_download(_, lang):
    """The rows the user's last partial import set aside, as CSV (with their problems)."""
    import pandas as pd

    lang = lang or "it"
    with _LOCK:
        rejected = _REJECTED.get(author_of(current().viewer).user_id) or {}
    if not rejected:
        return dash.no_update
    frames = []
    for name, frame in rejected.items():
        part = frame.reset_index(names="row")
        part.insert(0, "file", name)
        frames.append(part)
    return csv_download(pd.concat(frames, ignore_index=True), "righe_messe_da_parte.csv", lang)
