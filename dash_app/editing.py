"""Correct or withdraw a record made in the explorer, in place, and read its history.

On the record page the viewer picks one of their records (a coordinator: any record made in
the explorer) from :func:`my_records`. Its form opens with its current values (dates
``dd/mm/yyyy``, people by name, chosen by searching the people the viewer sees); saving goes
through :func:`genera_graph.io.records.correct_record`, the importer's validation: a problem is
written next to its field, in the user's language, and nothing is written. Below the form,
the record's versions: when (Italian time), who (the account's display name), what was done,
and which fields changed from what to what (a person's name only if the viewer sees them).

Who may change what is decided server-side on every request, never from the page: the
record is opened and saved only if :func:`genera_graph.io.records.change_problems` finds
nothing (its author, or a coordinator; a facilitator's record must name only their point's
families), so a forged request shows nothing of another's record and writes nothing.

Keys: ids are never edited (they are not fields). An attendance (activity, person, day) and
a family membership (family, person, start) are keyed by their data; changing one of those
moves the record to its new key in one transaction, and its history continues (see
:func:`genera_graph.io.records.correct_record`). An actor's kind changes only between
association and formal group: a family is not a person.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dash_app import ids
from dash_app.components import dropdown
from dash_app.data import current
from dash_app.forms import (
    FIELD,
    INTERACTION_KINDS,
    NATURES,
    PROGRAMMES,
    Field,
    activities,
    coded,
    label_of,
    points,
    vocabulary,
    widget,
    wt_prefix,
)
from dash_app.forms import (
    STATUS as SAVED_STATUS,
)
from dash_app.workbench import (
    TEXT,
    after_write,
    author_of,
    day_text,
    problems_by_field,
    store_of,
    wt,
)
from genera_graph.io import records
from genera_graph.l10n import code_label
from genera_graph.model.kinds import (
    ActivityKind,
    MemberRole,
    ParticipationRole,
    RelationKind,
    values,
)

__all__ = ["EDITS", "EDIT_FORMS", "correct", "history_rows", "history_table", "my_records",
           "open_record", "section", "withdraw"]

CHOICE, WITHDRAW_BTN, WITHDRAW_STATUS = "wb-withdraw-choice", "wb-withdraw", "wb-withdraw-status"
#: the open record (the choice it was opened from): a save that moves it updates it
EDIT_KEY, EDIT_PANEL = "wb-edit-key", "wb-edit-panel"
#: the correction form's ids (apart from the record page's forms)
#: the open record's card header (its label changes when a correction changes its date or
#: people)
HEADER = "wb-edit-header"
ERROR, SAVE, STATUS, HISTORY = ("wb-edit-error", "wb-edit-save", "wb-edit-status",
                                "wb-edit-history")
#: the time the history is shown in
TIMEZONE = "Europe/Rome"
_ORGANISATIONS = ("association", "formal_group")

#: the correction form of each table: the columns a person may change, in order (the other
#: columns, such as a record's source, keep their values)
EDIT_FORMS: dict[str, tuple[Field, ...]] = {
    "interactions": (
        Field("date", "date"),
        Field("source_actor_id", "people"),
        Field("target_actor_id", "actors"),
        Field("kind", "select", INTERACTION_KINDS),
        Field("nature", "radio", NATURES),
        Field("programme", "select", PROGRAMMES),
        Field("community_point_id", "select", points),
    ),
    "participations": (
        Field("activity_id", "select", activities),
        Field("actor_id", "actors", label="field.participant"),
        Field("date", "date"),
        Field("role", "select", coded(values(ParticipationRole),
                                      vocabulary("participation_role")),
              label="field.participation_role"),
    ),
    "actors": (
        Field("name", "text"),
        Field("kind", "radio", coded(_ORGANISATIONS, vocabulary("kind"))),
        Field("municipality", "text"),
        Field("first_met", "date"),
        Field("left_on", "date"),
        Field("community_point_id", "select", points),
    ),
    "household_members": (
        Field("household_id", "households"),
        Field("individual_id", "individuals", label="field.member"),
        Field("role", "select", coded(values(MemberRole), wt_prefix("role"))),
        Field("start_date", "date"),
        Field("end_date", "date"),
    ),
    "activities": (
        Field("title", "text", label="field.activity_title"),
        Field("kind", "select", coded(values(ActivityKind), vocabulary("activity_kind"))),
        Field("programme", "select", PROGRAMMES),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("community_point_id", "select", points),
    ),
    "relations": (
        Field("kind", "select", coded(values(RelationKind), vocabulary("relation_kind"))),
        Field("actor_id", "people"),
        Field("partner_id", "actors"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("nature", "radio", NATURES),
        Field("programme", "select", PROGRAMMES),
        Field("community_point_id", "select", points),
    ),
    "followups": (
        Field("household_id", "households"),
        Field("date", "date"),
        Field("action", "radio", coded(records.FOLLOWUP_ACTIONS, wt_prefix("action"))),
        Field("outcome", "radio", coded(records.FOLLOWUP_OUTCOMES, wt_prefix("outcome"))),
    ),
}

#: the vocabulary of each coded column, by table (labels of the history's values)
_VOCABULARY = {("interactions", "kind"): "interaction_kind",
               ("activities", "kind"): "activity_kind",
               ("relations", "kind"): "relation_kind", ("actors", "kind"): "kind",
               ("participations", "role"): "participation_role"}


def _form_id(table: str) -> str:
    return f"edit-{table}"


def _choice(table: str, key: dict[str, str]) -> str:
    """A record's value in the picker: ``[table, {key column: cell}]`` as JSON."""
    return json.dumps([table, key], ensure_ascii=False)


def _parse(choice: Any) -> tuple[str, dict[str, str]] | None:
    """``(table, key)`` of a picker value, or ``None`` for anything else (a forged value
    names at most a table of :data:`EDIT_FORMS` and its key columns)."""
    try:
        table, key = json.loads(choice)
    except (TypeError, ValueError):
        return None
    if table not in EDIT_FORMS or not isinstance(key, dict):
        return None
    columns = records.key_columns(table)
    if set(key) != set(columns) or not all(isinstance(key[c], str) for c in columns):
        return None
    return table, {c: key[c] for c in columns}


# -- the picker ---------------------------------------------------------------------------------

def my_records(access: Any, lang: str, limit: int = 50) -> list[dict]:
    """The current records the viewer may correct or withdraw, newest first: their own (a
    coordinator: every record made in the explorer), among the people they see."""
    store = store_of(access)
    listed = records.explorer_records(store)
    if not len(listed):
        return []
    author = author_of(access.viewer)
    out = []
    for row in listed.itertuples(index=False):
        if row.table_name not in EDIT_FORMS:  # introductions have their own panel
            continue
        if author.limited and row.owner != author.user_id:
            continue
        cells = json.loads(row.cells)
        names = [access.name_of(cells[c]) for c in records.ACTOR_COLUMNS[row.table_name]
                 if cells.get(c) and cells[c] in access.actors.index]
        if author.limited and not names:
            continue
        day = next((cells[c] for c in ("date", "start_date", "first_met") if cells.get(c)), "")
        label = f"{wt('rec.table.' + row.table_name, lang)} · {day} · {' – '.join(names)}"
        key = dict(zip(records.key_columns(row.table_name), json.loads(row.record_key),
                       strict=True))
        out.append({"label": label, "value": _choice(row.table_name, key)})
        if len(out) >= limit:
            break
    return out


def section(access: Any, lang: str, readonly: bool) -> list:
    """The record page's part for one's records: the picker, withdraw, the open record."""
    return [
        html.H5(wt("rec.history", lang), className="mt-4"),
        html.P(wt("rec.history.intro", lang), className="text-muted small"),
        dbc.Row([
            dbc.Col(dropdown(CHOICE, lang, options=[] if readonly else
                             my_records(access, lang), searchable=True,
                             placeholder=wt("rec.pick", lang)), md=9),
            dbc.Col(dbc.Button(wt("rec.withdraw", lang), id=WITHDRAW_BTN, color="danger",
                               outline=True), md=3),
        ], className="g-2"),
        html.Div(id=WITHDRAW_STATUS, className="mt-2"),
        dcc.Store(id=EDIT_KEY, data=""),
        html.Div(id=EDIT_PANEL, className="mt-3"),
    ]


@dash.callback(
    Output(CHOICE, "options", allow_duplicate=True),
    Input({"type": SAVED_STATUS, "form": ALL}, "children"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def refresh_records(_statuses, lang):
    """After a record is saved on one of the page's forms, it is among one's records."""
    access = current()
    if store_of(access) is None:
        raise PreventUpdate
    return my_records(access, lang or "it")


# -- the history ---------------------------------------------------------------------------------

def _account_names() -> dict[str, str]:
    """User name -> display name of the accounts (empty without sign-in)."""
    import flask

    try:
        auth = flask.current_app.extensions.get("genera_auth")
    except RuntimeError:  # outside a request (a script)
        return {}
    if not auth:
        return {}
    frame = auth["accounts"].list()
    return dict(zip(frame["username"], frame["display_name"], strict=True))


def _when(at: Any) -> str:
    """A history time (UTC) as the user's clock shows it: ``dd/mm/yyyy HH:MM``."""
    stamp = pd.Timestamp(at)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(TIMEZONE).strftime("%d/%m/%Y %H:%M")


def _column_label(table: str, column: str, lang: str) -> str:
    field = next((f for f in EDIT_FORMS.get(table, ()) if f.name == column), None)
    if field is not None:
        return label_of(field, lang)
    return wt(f"field.{column}", lang) if f"field.{column}" in TEXT else column


def _value_text(access: Any, table: str, column: str, value: str, lang: str) -> str:
    """A history cell in words: names of the actors the viewer sees (others are not named),
    activity titles, codes by their labels."""
    if value in (None, ""):
        return "–"
    if column in records.ACTOR_COLUMNS.get(table, ()) or column in (
            "community_point_id", "partner_id", "facilitator_id"):
        if value in access.actors.index:
            return access.name_of(value)
        return wt("rec.hidden", lang)
    if column == "activity_id":
        acts = access.dataset.activities
        title = acts.loc[acts["activity_id"] == value, "title"]
        return str(title.iloc[0]) if len(title) else wt("rec.hidden", lang)
    if table == "followups" and column in ("action", "outcome"):
        return wt(f"{column}.{value}", lang)
    if table == "household_members" and column == "role":
        return wt(f"role.{value}", lang)
    field = _VOCABULARY.get((table, column)) or (column if column in ("nature", "programme")
                                                  else None)
    return code_label(field, value, lang) if field else str(value)


class HistoryRow(NamedTuple):
    """One version of a record as the history table shows it."""

    when: str
    who: str
    action: str
    #: "field: old → new", one per field changed
    changes: tuple[str, ...]


def history_rows(access: Any, store: Any, table: str, key: dict[str, str], lang: str
                 ) -> list[HistoryRow]:
    """The versions of a record, newest first, in words (see :class:`HistoryRow`)."""
    versions = records.record_versions(store, table, key)
    names = _account_names() if len(versions) else {}
    out = []
    for v in versions.iloc[::-1].itertuples(index=False):
        changes = json.loads(v.changes) if isinstance(v.changes, str) else {}
        what = tuple(
            f"{_column_label(table, col, lang)}: "
            f"{_value_text(access, table, col, old, lang)} → "
            f"{_value_text(access, table, col, new, lang)}"
            for col, (old, new) in changes.items())
        out.append(HistoryRow(_when(v.at), names.get(v.author, v.author),
                              wt(f"rec.action.{v.action}", lang), what))
    return out


def history_table(access: Any, store: Any, table: str, key: dict[str, str], lang: str
                  ) -> Any:
    """The versions of a record as a small table."""
    head = html.Thead(html.Tr([html.Th(wt(f"rec.col.{c}", lang))
                               for c in ("when", "who", "action", "changes")]))
    body = html.Tbody([
        html.Tr([html.Td(r.when, className="text-nowrap"), html.Td(r.who),
                 html.Td(r.action),
                 html.Td([html.Div(c) for c in r.changes] or "–")])
        for r in history_rows(access, store, table, key, lang)])
    return dbc.Table([head, body], size="sm", striped=True, responsive=True,
                     className="small mb-0 wb-history")


# -- the form -------------------------------------------------------------------------------------

def _kinds_allowed(kind: str) -> tuple[str, ...]:
    """The kinds an actor of ``kind`` may be corrected to."""
    return _ORGANISATIONS if kind in _ORGANISATIONS else (kind,)


def _panel(access: Any, store: Any, table: str, key: dict[str, str], choice: str,
           lang: str) -> Any:
    old = records.current_record(store, table, key) or {}
    form = _form_id(table)
    preset = {f.name: old.get(f.name) or None for f in EDIT_FORMS[table]}
    rows = []
    for field in EDIT_FORMS[table]:
        options = None
        if table == "actors" and field.name == "kind":
            options = [{"label": code_label("kind", k, lang), "value": k}
                       for k in _kinds_allowed(old.get("kind", ""))]
        rows.append(dbc.Row([
            dbc.Label(label_of(field, lang), width=12, md=3),
            dbc.Col([widget(form, field, access, lang, preset, options=options),
                     html.Div(id={"type": ERROR, "form": form, "col": field.name},
                              className="text-danger small mt-1")], width=12, md=9),
        ], className="mb-2"))
    moving = [c for c in records.key_columns(table) if any(
        f.name == c for f in EDIT_FORMS[table])]
    note = (html.P(wt("rec.edit.key_note", lang, fields=", ".join(
        _column_label(table, c, lang) for c in moving)), className="text-muted small")
        if moving else None)
    return dbc.Card([
        dbc.CardHeader(_header(my_records(access, lang), choice, table, lang),
                       id={"type": HEADER, "form": form}),
        dbc.CardBody([
            note, *rows,
            dbc.Button(wt("rec.edit.save", lang), id={"type": SAVE, "form": form},
                       color="primary", className="mt-2"),
            html.Div(id={"type": STATUS, "form": form}, className="mt-2"),
            html.H6(wt("rec.edit.history", lang), className="mt-4"),
            html.Div(history_table(access, store, table, key, lang),
                     id={"type": HISTORY, "form": form}),
        ]),
    ], className="wb-edit")


def _header(options: list[dict], choice: str, table: str, lang: str) -> str:
    """The open record's card header: its label in the picker (``Correggi: Contatto ·
    05/04/2017 · ...``)."""
    label = next((o["label"] for o in options if o["value"] == choice),
                 wt(f"rec.table.{table}", lang))
    return wt("rec.edit.title", lang, record=label)


def _refusal(problems: Iterable[Any], lang: str) -> Any:
    words = "; ".join(problems_by_field(problems, lang).values())
    return dbc.Alert(f"{wt('rec.edit.refused', lang)} {words}".strip(), color="danger",
                     className="py-2")


@dash.callback(
    Output(EDIT_PANEL, "children"),
    Output(EDIT_KEY, "data"),
    Input(CHOICE, "value"),
    State(EDIT_KEY, "data"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def open_record(choice, opened, lang):
    """Open the chosen record's correction form, prefilled, and its history; only a record
    the viewer may change (checked here, whatever the page sent)."""
    lang = lang or "it"
    if choice and choice == opened:  # a save moved the record: its panel is already shown
        raise PreventUpdate
    if not choice:
        if str(opened or "").startswith("withdrawn:"):  # the withdrawal's history stays
            raise PreventUpdate
        return [], ""
    access = current()
    store = store_of(access)
    parsed = _parse(choice)
    if store is None or parsed is None:
        return _refusal([], lang), ""
    table, key = parsed
    refused = records.change_problems(store, author_of(access.viewer), table, key)
    if refused:
        return _refusal(refused, lang), ""
    return _panel(access, store, table, key, choice, lang), choice


@dash.callback(
    Output(WITHDRAW_STATUS, "children"),
    Output(CHOICE, "options"),
    Output(CHOICE, "value"),
    Output(EDIT_PANEL, "children", allow_duplicate=True),
    Output(EDIT_KEY, "data", allow_duplicate=True),
    Input(WITHDRAW_BTN, "n_clicks"),
    State(CHOICE, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def withdraw(_clicks, choice, lang):
    """Withdraw the chosen record: it leaves the data (the analytics no longer see it) and its
    versions stay in the history, shown below. Only its author or a coordinator may."""
    lang = lang or "it"
    access = current()
    store = store_of(access)
    parsed = _parse(choice)
    if store is None or parsed is None:
        return "", dash.no_update, dash.no_update, dash.no_update, dash.no_update
    table, key = parsed
    result = records.withdraw_record(store, author_of(access.viewer), table, key)
    if not result.ok:
        words = "; ".join(problems_by_field(result.problems, lang).values())
        return (dbc.Alert(f"{wt('rec.not_saved', lang)} {words}", color="danger"),
                dash.no_update, dash.no_update, dash.no_update, dash.no_update)
    after_write(access, {"followups"} if table == "followups" else {"data"}, result,
                "withdraw")
    history = html.Div([html.H6(wt("rec.edit.history", lang)),
                        history_table(access, store, table, key, lang)], className="wb-edit")
    return (dbc.Alert(wt("rec.withdrawn", lang), color="success"), my_records(access, lang),
            None, history, f"withdrawn:{choice}")


# -- saving a correction ----------------------------------------------------------------------------

class Outcome(NamedTuple):
    """What saving a correction answers: the error next to each field (by column), the
    status line, and, when saved, the history, the picker's options, the record's new
    picker value and the card's header with the record's new label (``None``: left as they
    were)."""

    errors: dict[str, str]
    status: Any
    history: Any = None
    options: list[dict] | None = None
    choice: str | None = None
    header: str | None = None


def correct(choice: Any, field_values: dict[str, Any], lang: str | None) -> Outcome:
    """Save a correction of the record ``choice`` (a picker value) with the form's values
    (by column; dates as the picker gives them). Nothing is written when any field has a
    problem, or when the viewer may not change the record."""
    lang = lang or "it"
    access = current()
    store = store_of(access)
    if store is None:
        return Outcome({}, dbc.Alert(wt("rec.readonly", lang), color="warning"))
    parsed = _parse(choice)
    if parsed is None:
        return Outcome({}, _refusal([], lang))
    table, key = parsed
    author = author_of(access.viewer)
    refused = records.change_problems(store, author, table, key)
    if refused:
        return Outcome({}, _refusal(refused, lang))
    old = records.current_record(store, table, key) or {}
    cells = dict(old)
    for field in EDIT_FORMS[table]:
        value = field_values.get(field.name)
        cells[field.name] = (day_text(value) if field.widget == "date"
                             else "" if value is None else str(value).strip())
    if table == "followups" and cells["household_id"] != old.get("household_id"):
        cells["community_point_id"] = ""  # the new family's point, found when it is written
    if table == "actors" and cells["kind"] not in _kinds_allowed(old.get("kind", "")):
        return Outcome({"kind": wt("rec.edit.kind_fixed", lang)},
                       dbc.Alert(wt("rec.not_saved", lang), color="danger", className="py-2"))
    if cells == old:
        return Outcome({}, dbc.Alert(wt("rec.edit.unchanged", lang), color="info",
                                     className="py-2"))
    result = records.correct_record(store, author, table, cells, key=key)
    names = {f.name for f in EDIT_FORMS[table]}
    placed: dict[str, list[Any]] = {}
    for p in result.problems:
        placed.setdefault(p.column if p.column in names else "", []).append(p)
    errors = {col: "; ".join(problems_by_field(found, lang).values())
              for col, found in placed.items() if col}
    errors = {c: e for c, e in errors.items() if e}
    if not result.ok:
        other = "; ".join(problems_by_field(placed.get("", []), lang).values())
        text = wt("rec.not_saved", lang) + (f" {other}" if other else "")
        return Outcome(errors, dbc.Alert(text, color="danger", className="py-2"))
    after_write(access, {"followups"} if table == "followups" else {"data"}, result,
                "correct")
    new_key = result.keys[0]
    options, new_choice = my_records(access, lang), _choice(table, new_key)
    return Outcome(errors, dbc.Alert(wt("rec.edit.saved", lang), color="success",
                                     className="py-2"),
                   history_table(access, store, table, new_key, lang),
                   options, new_choice, _header(options, new_choice, table, lang))


def _make_callback(table: str) -> Callable:
    fields = EDIT_FORMS[table]
    form = _form_id(table)

    def save(clicks, choice, *args):
        if not clicks:  # the form was just drawn, nobody clicked
            raise PreventUpdate
        *field_values, lang = args
        out = correct(choice, {f.name: v for f, v in zip(fields, field_values, strict=True)},
                      lang)
        keep = dash.no_update
        saved = out.choice is not None
        return [*(out.errors.get(f.name, "") for f in fields), out.status,
                out.history if saved else keep, out.header if saved else keep,
                out.options if saved else keep,
                out.choice if saved else keep, out.choice if saved else keep]

    save.__name__ = save.__qualname__ = f"save_edit_{table}"
    save.__doc__ = (f"Save a correction of a {table} record (fields: "
                    f"{', '.join(f.name for f in fields)}).")
    dash.callback(
        *[Output({"type": ERROR, "form": form, "col": f.name}, "children") for f in fields],
        Output({"type": STATUS, "form": form}, "children"),
        Output({"type": HISTORY, "form": form}, "children"),
        Output({"type": HEADER, "form": form}, "children"),
        Output(CHOICE, "options", allow_duplicate=True),
        Output(EDIT_KEY, "data", allow_duplicate=True),
        Output(CHOICE, "value", allow_duplicate=True),
        Input({"type": SAVE, "form": form}, "n_clicks"),
        State(EDIT_KEY, "data"),
        *[State({"type": FIELD, "form": form, "col": f.name},
                "date" if f.widget == "date" else "value") for f in fields],
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )(save)
    return save


#: the correction callbacks, by table: ``save_edit_<table>(n_clicks, record, *field values,
#: lang)`` returns the error next to each field, the status line, the history, the card's
#: header, the picker's options, the open record and the picker's value
EDITS: dict[str, Callable] = {table: _make_callback(table) for table in EDIT_FORMS}
