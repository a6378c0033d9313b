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
from dash_app.i18n import TRANSLATIONS, page_title, request_lang, t

__all__ = ["action_label", "audit_rows", "chain_status", "layout"]

dash.register_page(__name__, path="/audit", name="nav.audit",
                   title=page_title("auth.audit"), order=8)


def _t(key: str, lang: str, **kw: object) -> str:
    return t(f"audit.{key}", lang, **kw)


def action_label(action: str, lang: str) -> str:
    """An entry's action in words (``view_actor`` -> *ha visto una famiglia o una persona*);
    an action without a label yet is shown as recorded."""
    key = f"audit.action.{action}"
    return t(key, lang) if key in TRANSLATIONS else action


def chain_status(check, lang: str) -> str:  # noqa: ANN001 - a ChainCheck
    """What :meth:`~genera_graph.io.audit.AuditLog.verify` found, in words."""
    if check.ok:
        return _t("ok", lang, n=check.entries, seq=check.head_seq, hash=check.head_hash[:12])
    return _t(f"bad.{check.problem}", lang, seq=check.bad_seq, first=check.head_seq + 1,
              last=check.bad_seq - 1, previous=check.bad_seq - 1)


def audit_rows(log, limit: int = 1000, lang: str = "it") -> list[dict]:  # noqa: ANN001
    """The newest ``limit`` entries of an :class:`~genera_graph.io.audit.AuditLog` as grid
    rows (dd/mm/yyyy hh:mm:ss, the action in words)."""
    entries = log.entries().tail(limit).iloc[::-1]
    return [{"seq": int(r.seq), "at": r.at.strftime("%d/%m/%Y %H:%M:%S"),
             "username": r.username, "action": action_label(r.action, lang),
             "target": r.target}
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
    status = message(chain_status(check, lang), "success" if check.ok else "danger")
    columns = [{"field": c, "headerName": _t(c, lang)}
               for c in ("seq", "at", "username", "action", "target")]
    return html.Div([
        html.H3(_t("title", lang)),
        status,
        dag.AgGrid(id="audit-grid", columnDefs=columns, rowData=audit_rows(log, lang=lang),
                   columnSize="responsiveSizeToFit",
                   defaultColDef={"sortable": True, "filter": True, "resizable": True},
                   dashGridOptions={"pagination": True, "paginationPageSize": 25},
                   style={"height": "640px"}),
    ])
