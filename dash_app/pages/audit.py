"""Audit log (``/audit``): who did what, when, for a coordinator or an admin; the chain's state.

Entries hold ids only (never names or values); the newest first, the last 1,000 shown, with
the hash chain checked on every visit (:meth:`genera_graph.io.audit.AuditLog.verify`).
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import html

from dash_app.components import message
from dash_app.data import current
from dash_app.i18n import request_lang

__all__ = ["audit_rows", "layout"]

dash.register_page(__name__, path="/audit", name="nav.audit",
                   title="genera_azioni · registro accessi", order=8)

_TEXT = {
    "title": {"it": "Registro degli accessi", "en": "Audit log"},
    "ok": {"it": "Catena integra: {n} voci, ultima {seq} ({hash}…).",
           "en": "Chain intact: {n} entries, last {seq} ({hash}…)."},
    "bad": {"it": "Catena NON integra alla voce {seq}: {reason}",
            "en": "Chain NOT intact at entry {seq}: {reason}"},
    "none": {"it": "Nessun registro su questo server.", "en": "No audit log on this server."},
    "forbidden": {"it": "Il registro è per il coordinamento e l'amministrazione.",
                  "en": "The audit log is for coordinators and admins."},
    "at": {"it": "Quando (UTC)", "en": "When (UTC)"},
    "username": {"it": "Chi", "en": "Who"},
    "action": {"it": "Azione", "en": "Action"},
    "target": {"it": "Su (id)", "en": "On (ids)"},
    "seq": {"it": "N.", "en": "No."},
}


def _t(key: str, lang: str, **kw: object) -> str:
    text = _TEXT[key].get(lang, _TEXT[key]["it"])
    return text.format(**kw) if kw else text


def audit_rows(log, limit: int = 1000) -> list[dict]:  # noqa: ANN001 - an AuditLog
    """The newest ``limit`` entries as grid rows (dd/mm/yyyy hh:mm:ss)."""
    entries = log.entries().tail(limit).iloc[::-1]
    return [{"seq": int(r.seq), "at": r.at.strftime("%d/%m/%Y %H:%M:%S"),
             "username": r.username, "action": r.action, "target": r.target}
            for r in entries.itertuples()]


def layout(**_: object) -> html.Div:
    import flask

    lang = request_lang()
    if current().viewer.role not in ("coordinator", "admin"):
        return html.Div([html.H3(_t("title", lang)), message(_t("forbidden", lang), "warning")])
    auth = flask.current_app.extensions.get("genera_auth")
    if not auth:
        return html.Div([html.H3(_t("title", lang)), message(_t("none", lang), "secondary")])
    log = auth["audit"]
    check = log.verify()
    status = (message(_t("ok", lang, n=check.entries, seq=check.head_seq,
                         hash=check.head_hash[:12]), "success") if check.ok else
              message(_t("bad", lang, seq=check.bad_seq, reason=check.reason), "danger"))
    columns = [{"field": c, "headerName": _t(c, lang)}
               for c in ("seq", "at", "username", "action", "target")]
    return html.Div([
        html.H3(_t("title", lang)),
        status,
        dag.AgGrid(id="audit-grid", columnDefs=columns, rowData=audit_rows(log),
                   columnSize="responsiveSizeToFit",
                   defaultColDef={"sortable": True, "filter": True, "resizable": True},
                   dashGridOptions={"pagination": True, "paginationPageSize": 25},
                   style={"height": "640px"}),
    ])
