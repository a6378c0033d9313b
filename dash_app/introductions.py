"""Suggested introductions in the workbench: the suggestions of a family with their reasons,
a form to mark one *proposed*, *declined* (a coded reason) or *done* (its day), and what was
marked before.

Shown on a family's page and in the worklist's details of a flagged family. Nothing is marked
by itself: a row is written only when a facilitator or a coordinator saves the form. The write
goes through :func:`genera_graph.io.introductions.record_introduction`, which checks the
author's scope server-side (a facilitator acts only for their point's families, and names no
other point's family); the callback also refuses any family or candidate the viewer does not
see, before anything reaches the store, so that a forged request learns nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.components import dropdown
from dash_app.data import current
from dash_app.i18n import fmt_date, kind_label, t
from dash_app.workbench import after_write, author_of, day_text, rule_text, store_of
from genera_graph.model.introductions import DECLINE_REASONS, INTRODUCTION_STATUSES

__all__ = ["declined_by_family", "introductions_table", "mark_introduction", "panel", "problem_words",
           "reason_words", "recorded_block", "suggestion_items"]

#: the roles that mark introductions
_MARKING = ("coordinator", "facilitator")
_FIELDS = {"candidate_id": "intro.mark.candidate", "status": "intro.mark.status",
           "date": "intro.mark.date", "decline_reason": "intro.mark.decline_reason"}


def introductions_table(access: Any) -> pd.DataFrame:
    """The introductions marked for the families the viewer sees (their current status),
    cached on the access object until an introduction is marked; empty without a store."""
    from dash_app.data import generation
    from genera_graph.io.introductions import STORE_COLUMNS, stored_introductions

    key = ("introductions", generation(access.source, "introductions"),
           generation(access.source, "data"))
    cache = access.__dict__.setdefault("_introductions_cache", {})
    if key not in cache:
        store = store_of(access) if access.viewer.role in _MARKING else None
        table = (stored_introductions(store) if store is not None else
                 pd.DataFrame({c: pd.Series([], dtype=object) for c in STORE_COLUMNS}))
        if len(table):  # a family the viewer sees, and a candidate they see too
            seen = access.actors.index
            table = table[table["actor_id"].isin(seen) & table["candidate_id"].isin(seen)]
        cache.clear()
        cache[key] = table.reset_index(drop=True)
    return cache[key]


def _marks_of(access: Any, actor_id: str) -> pd.DataFrame:
    table = introductions_table(access)
    return table[table["actor_id"] == actor_id] if len(table) else table


def declined_by_family(access: Any) -> dict[str, tuple[str, ...]]:
    """Family -> those whose introduction to it was declined, on either side (a family that
    refused another is not suggested to it either), for the families the viewer sees."""
    table = introductions_table(access)
    out: dict[str, set[str]] = {}
    if len(table):
        refused = table[table["status"] == "declined"]
        for x, y in zip(refused["actor_id"], refused["candidate_id"], strict=True):
            out.setdefault(x, set()).add(y)
            out.setdefault(y, set()).add(x)
    return {h: tuple(sorted(v)) for h, v in out.items()}


def _suggestions(access: Any, actor_id: str, top: int | None):
    day = access.worklist_dates()[-1]
    declined = declined_by_family(access).get(actor_id, ())
    table, reasons = access.suggested_introductions(day, actor_id, None, declined)
    if top is not None:
        table = table[table["rank"] <= top]
    return day, table, reasons


def _titles(access: Any) -> pd.Series:
    """Activity id -> its title, kept on the access object per dataset (a family's page
    reads it for every suggestion's reasons)."""
    ds = access.dataset
    kept = access.__dict__.get("_genera_titles")
    if kept is None or kept[0] is not ds:
        kept = (ds, ds.activities.set_index("activity_id")["title"])
        access.__dict__["_genera_titles"] = kept
    return kept[1]


def suggestion_items(access: Any, actor_id: str, lang: str, top: int | None = None
                     ) -> tuple[date, pd.DataFrame, list]:
    """``(day, suggestions, items)``: the list items of the family's suggestions (name, kind,
    what was marked, the reasons in words)."""
    day, table, reasons = _suggestions(access, actor_id, top)
    marks = _marks_of(access, actor_id)
    status = ({} if not len(marks) else
              dict(zip(marks["candidate_id"], zip(marks["status"], marks["date"],
                                                  strict=True), strict=True)))
    titles = _titles(access)
    # each candidate's reasons, in their order (one grouping, not a scan per candidate)
    by_candidate: dict = {}
    for r in reasons.itertuples(index=False):
        by_candidate.setdefault(r.candidate_id, []).append(r)
    items = []
    for row in table.itertuples(index=False):
        words = [reason_words(r, titles, access, lang)
                 for r in by_candidate.get(row.candidate_id, ())]
        badge = None
        if row.candidate_id in status:
            code, when = status[row.candidate_id]
            badge = dbc.Badge(f"{t(f'intro.status.{code}', lang)} · {fmt_date(when)}",
                              color={"done": "success", "declined": "secondary"}.get(
                                  code, "info"), className="ms-2")
        items.append(html.Li([
            dcc.Link(str(row.name), href=f"/actor/{row.candidate_id}"),
            html.Span(f" · {kind_label(row.candidate_kind, lang)}", className="text-muted"),
            badge,
            html.Ul([html.Li(w) for w in words], className="small"),
        ]))
    return day, table, items


def panel(access: Any, actor_id: str, lang: str, *, top: int | None = None) -> list:
    """The suggestions of a family, the marking form and what was marked (read-only text and
    no form without a store, or for a role that does not mark)."""
    day, table, items = suggestion_items(access, actor_id, lang, top)
    out: list = [html.P(t("act.intro.help", lang, date=fmt_date(day)),
                        className="small text-muted")]
    out.append(html.Ol(items, className="small") if items
               else html.P(t("act.intro.none", lang), className="text-muted"))
    if access.viewer.role not in _MARKING:
        return out
    if store_of(access) is None:
        return [*out, html.P(t("intro.mark.readonly", lang), className="small text-muted")]
    marks = _marks_of(access, actor_id)
    choices = list(dict.fromkeys([*table["candidate_id"],
                                  *(marks["candidate_id"] if len(marks) else [])]))
    if choices:
        out.append(_form(access, actor_id, choices, lang))
    out.append(html.Div(recorded_block(access, actor_id, lang), id=ids.INTRO_RECORDED))
    return out


def _form(access: Any, actor_id: str, choices: list[str], lang: str) -> html.Div:
    options = [{"label": access.name_of(c), "value": c} for c in choices]
    return html.Div([
        dcc.Store(id=ids.INTRO_ACTOR, data=actor_id),
        html.H6(t("intro.mark.title", lang), className="mt-2"),
        dbc.Row([
            dbc.Col([dbc.Label(t("intro.mark.candidate", lang), html_for=ids.INTRO_CANDIDATE),
                     dropdown(ids.INTRO_CANDIDATE, lang, options=options,
                              value=choices[0], clearable=False)], md=6),
            dbc.Col([dbc.Label(t("intro.mark.date", lang), html_for=ids.INTRO_DATE),
                     dcc.DatePickerSingle(id=ids.INTRO_DATE, date=date.today(),
                                          display_format="DD/MM/YYYY", first_day_of_week=1,
                                          max_date_allowed=date.today())], md=6),
        ], className="g-2"),
        dbc.Label(t("intro.mark.status", lang), className="mt-2 d-block"),
        # toggle buttons (Bootstrap's btn-check: the input beside its label, the chosen one
        # filled in)
        dbc.RadioItems(id=ids.INTRO_STATUS, value="proposed", inline=True,
                       options=[{"label": t(f"intro.status.{s}", lang), "value": s}
                                for s in INTRODUCTION_STATUSES],
                       input_class_name="btn-check",
                       label_class_name="btn btn-outline-primary btn-sm",
                       label_checked_class_name="active", class_name="btn-group"),
        dbc.Label(t("intro.mark.decline_reason", lang), html_for=ids.INTRO_DECLINE,
                  className="mt-2 d-block"),
        dropdown(ids.INTRO_DECLINE, lang, placeholder="…",
                 options=[{"label": t(f"intro.decline.{c}", lang), "value": c}
                          for c in DECLINE_REASONS]),
        dbc.Button(t("intro.mark.save", lang), id=ids.INTRO_SAVE, color="primary", size="sm",
                   className="mt-2"),
        html.Div(id=ids.INTRO_MESSAGE, className="mt-2"),
    ], className="border rounded p-2 mb-2")


def recorded_block(access: Any, actor_id: str, lang: str) -> list:
    """What was marked for the family, newest first (candidates the viewer sees only)."""
    marks = _marks_of(access, actor_id)
    head = html.H6(t("intro.recorded", lang), className="mt-2")
    if not len(marks):
        return [head, html.P(t("intro.recorded.none", lang), className="small text-muted")]
    items = []
    for row in marks.sort_values(["date", "introduction_id"], ascending=False).itertuples():
        text = t("intro.recorded.item", lang, name=access.name_of(row.candidate_id),
                 status=t(f"intro.status.{row.status}", lang), date=fmt_date(row.date))
        if isinstance(row.decline_reason, str) and row.decline_reason:
            text += " · " + t("intro.recorded.reason", lang,
                              reason=t(f"intro.decline.{row.decline_reason}", lang))
        items.append(html.Li(text))
    return [head, html.Ul(items, className="small")]


def problem_words(problems: Any, lang: str) -> str:
    """A write's problems in the user's words (the library's rules through the catalogs,
    :func:`dash_app.workbench.rule_text`), each after the name of its field."""
    out = []
    for p in problems:
        words = rule_text(p.rule, lang)
        field = _FIELDS.get(p.column or "")
        out.append(f"{t(field, lang)}: {words}" if field else words)
    return "; ".join(dict.fromkeys(out))


@dash.callback(
    Output(ids.INTRO_MESSAGE, "children"),
    Output(ids.INTRO_RECORDED, "children"),
    Input(ids.INTRO_SAVE, "n_clicks"),
    State(ids.INTRO_ACTOR, "data"),
    State(ids.INTRO_CANDIDATE, "value"),
    State(ids.INTRO_STATUS, "value"),
    State(ids.INTRO_DATE, "date"),
    State(ids.INTRO_DECLINE, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def mark_introduction(n_clicks, actor_id, candidate_id, status, day, decline_reason, lang):
    """Save one mark: ``(message, what was marked)``. Nothing is written on any problem, for
    a family or a candidate the viewer does not see, or for a role that does not mark."""
    lang = lang or "it"
    access = current()
    if not n_clicks:
        return dash.no_update, dash.no_update
    if access.viewer.role not in _MARKING:
        return dbc.Alert(t("intro.mark.not_allowed", lang), color="warning"), dash.no_update
    store = store_of(access)
    if store is None:
        return dbc.Alert(t("intro.mark.readonly", lang), color="warning"), dash.no_update
    seen = access.actors.index
    if not (isinstance(actor_id, str) and actor_id in seen
            and access.actors.at[actor_id, "kind"] in ("household", "individual")
            and (not candidate_id or (isinstance(candidate_id, str) and candidate_id in seen))):
        return dbc.Alert(t("intro.mark.not_found", lang), color="danger"), dash.no_update
    reason = None
    if candidate_id:
        _, table, _ = _suggestions(access, actor_id, None)
        mine = table.loc[table["candidate_id"] == candidate_id, "reasons"]
        reason = (mine.iloc[0].split(";")[0] or None) if len(mine) else None
    from genera_graph.io.introductions import record_introduction

    result = record_introduction(store, author_of(access.viewer), actor_id,
                                 candidate_id or "", status or "", day_text(day),
                                 reason=reason,
                                 # the reason field is read only for a decline (its label
                                 # says so): a choice left there for another mark is not one
                                 decline_reason=(decline_reason or None)
                                 if status == "declined" else None)
    if not result.ok:
        return (dbc.Alert(t("intro.mark.not_saved", lang,
                            problems=problem_words(result.problems, lang)),
                          color="danger", className="py-2"), dash.no_update)
    after_write(access, {"introductions"})
    row = result.rows[0][1]
    return (dbc.Alert(t("intro.mark.saved", lang, name=access.name_of(candidate_id),
                        status=t(f"intro.status.{row['status']}", lang), date=row["date"]),
                      color="success", className="py-2"),
            recorded_block(access, actor_id, lang))


def reason_words(r, titles: pd.Series, access: Any, lang: str) -> str:
    """One suggestion's reason in words (activity titles, partners' names in scope)."""
    key = f"intro.reason.{r.reason}"
    if r.reason == "shared_activity":
        return t(key, lang, via=str(titles.get(r.via_id, r.via_id)),
                 start=fmt_date(r.date_from), end=fmt_date(r.date_to))
    if r.reason == "partner_in_common":
        return t(key, lang, via=access.name_of(r.via_id))
    if r.reason == "partners_in_common_hidden":
        return t(key, lang, n=int(r.value))
    if r.reason == "same_municipality":
        return t(key, lang, detail=str(r.detail))
    if r.reason == "newcomer":
        return t(key, lang, start=fmt_date(r.date_from))
    return t(key, lang)
