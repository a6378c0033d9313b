"""Record from the explorer (``/record``): a contact, an attendance sheet, a new person or
family, an association or group, a relation (and its end, later), a follow-up of a family.

Every form saves through :mod:`genera_graph.io.records` (the importer's validation, one
transaction, the author and time). A problem is written next to its field, in the user's
language, and nothing is saved. People are chosen by searching their names among those the
user may see; ids are never typed. ``/record?tab=followup&actor=H01`` opens a form on a family.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dash_app import ids
from dash_app.data import current
from dash_app.i18n import kind_label, nature_label, programme_label, request_lang
from dash_app.workbench import (
    after_write,
    author_of,
    day_text,
    people_options,
    problems_by_field,
    store_of,
    wt,
)
from genera_graph.io import records
from genera_graph.model.kinds import (
    ActivityKind,
    InteractionKind,
    MemberRole,
    Programme,
    RelationKind,
    TieNature,
    values,
)

__all__ = ["FORMS", "layout", "save_form"]

dash.register_page(__name__, path="/record", name="nav.record",
                   title="genera_azioni · registra", order=7)

FIELD, ERROR, SAVE, STATUS = "wb-field", "wb-error", "wb-save", "wb-status"


class Field(NamedTuple):
    """One field of a form: the record column it fills, its widget and its choices."""

    name: str
    #: date, people, actors, households, select, multi_people, radio or text
    widget: str
    choices: Callable[[Any, str], list[dict]] | None = None
    default: Callable[[Any], Any] | None = None


def _coded(codes: tuple[str, ...], label: Callable[[str, str], str]
           ) -> Callable[[Any, str], list[dict]]:
    return lambda _access, lang: [{"label": label(c, lang), "value": c} for c in codes]


def _wt_prefix(prefix: str) -> Callable[[str, str], str]:
    return lambda code, lang: wt(f"{prefix}.{code}", lang)


def _points(access: Any, lang: str) -> list[dict]:
    return [{"label": f"{name} ({cp})", "value": cp} for cp, name in access.community_points()]


def _own_point(access: Any) -> str | None:
    points = access.community_points()
    if access.viewer.role != "coordinator" or len(points) == 1:
        return getattr(access.viewer, "community_point_id", None) or (
            points[0][0] if points else None)
    return None


def _activities(access: Any, lang: str) -> list[dict]:
    acts = access.dataset.activities.sort_values("start_date", ascending=False)
    return [{"label": f"{title} ({kind_label(kind, lang)})", "value": aid,
             "search": str(title)}
            for aid, title, kind in zip(acts["activity_id"], acts["title"], acts["kind"],
                                        strict=True)]


def _open_relations(access: Any, lang: str) -> list[dict]:
    rel = access.dataset.relations
    rel = rel[rel["end_date"].isna()]
    return [{"label": f"{r.kind}: {access.name_of(r.actor_id)} – {access.name_of(r.partner_id)}",
             "value": r.relation_id, "search": f"{access.name_of(r.actor_id)} "
                                               f"{access.name_of(r.partner_id)}"}
            for r in rel.itertuples(index=False)]


_PERSONAL = ("household", "individual")
_KIND = _coded(values(InteractionKind), _wt_prefix("kind"))
_NATURE = _coded(values(TieNature), nature_label)
_PROGRAMME = _coded(values(Programme), programme_label)

#: the forms, by tab: their fields in order
FORMS: dict[str, tuple[Field, ...]] = {
    "contact": (
        Field("date", "date"),
        Field("source_actor_id", "people"),
        Field("target_actor_id", "actors"),
        Field("kind", "select", _KIND),
        Field("nature", "radio", _NATURE, lambda _a: "peer"),
        Field("programme", "select", _PROGRAMME),
        Field("community_point_id", "select", _points, _own_point),
    ),
    "attendance": (
        Field("activity_id", "select", _activities),
        Field("title", "text"),
        Field("kind", "select", _coded(values(ActivityKind), kind_label)),
        Field("programme", "select", _PROGRAMME),
        Field("date", "date"),
        Field("participants", "multi_people"),
        Field("name", "text"),
        Field("household_id", "households"),
        Field("community_point_id", "select", _points, _own_point),
    ),
    "person": (
        Field("name", "text"),
        Field("kind", "radio", _coded(_PERSONAL, kind_label), lambda _a: "household"),
        Field("household_id", "households"),
        Field("role", "select", _coded(values(MemberRole), _wt_prefix("role"))),
        Field("municipality", "text"),
        Field("first_met", "date"),
        Field("community_point_id", "select", _points, _own_point),
    ),
    "organisation": (
        Field("name", "text"),
        Field("kind", "radio", _coded(("association", "formal_group"), kind_label),
              lambda _a: "association"),
        Field("municipality", "text"),
        Field("first_met", "date"),
        Field("community_point_id", "select", _points, _own_point),
    ),
    "relation": (
        Field("kind", "select", _coded(values(RelationKind), kind_label)),
        Field("actor_id", "people"),
        Field("partner_id", "actors"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("nature", "radio", _NATURE, lambda _a: "institutional"),
        Field("programme", "select", _PROGRAMME),
        Field("community_point_id", "select", _points, _own_point),
    ),
    "relation_end": (
        Field("relation_id", "select", _open_relations),
        Field("end_date", "date"),
    ),
    "followup": (
        Field("household_id", "households"),
        Field("date", "date"),
        Field("action", "radio", _coded(records.FOLLOWUP_ACTIONS, _wt_prefix("action"))),
        Field("outcome", "radio", _coded(records.FOLLOWUP_OUTCOMES, _wt_prefix("outcome"))),
    ),
}
_TABS = ("contact", "attendance", "person", "organisation", "relation", "followup")


# -- layout ------------------------------------------------------------------------------------

def _widget(form: str, field: Field, access: Any, lang: str, preset: dict) -> Any:
    wid = {"type": FIELD, "form": form, "col": field.name}
    value = preset.get(field.name, field.default(access) if field.default else None)
    if field.widget == "date":
        return dcc.DatePickerSingle(id=wid, date=None, display_format="DD/MM/YYYY",
                                    placeholder=wt("rec.date_hint", lang),
                                    first_day_of_week=1, clearable=True)
    if field.widget in ("people", "actors", "households", "multi_people"):
        kinds = {"people": _PERSONAL, "households": ("household",), "actors": (),
                 "multi_people": ("individual", "household")}[field.widget]
        return dcc.Dropdown(id=wid, options=people_options(access, kinds, lang), value=value,
                            multi=field.widget == "multi_people", searchable=True,
                            placeholder=wt("rec.search", lang))
    if field.widget == "select":
        return dcc.Dropdown(id=wid, options=field.choices(access, lang), value=value,
                            searchable=True, placeholder="…")
    if field.widget == "radio":
        return dcc.RadioItems(id=wid, options=field.choices(access, lang), value=value,
                              inline=True, inputClassName="me-1", labelClassName="me-3")
    return dbc.Input(id=wid, type="text", value=value, debounce=True, maxLength=200)


def _form(form: str, access: Any, lang: str, preset: dict) -> html.Div:
    rows = []
    for field in FORMS[form]:
        rows.append(dbc.Row([
            dbc.Label(wt(f"field.{field.name}", lang), width=3),
            dbc.Col([_widget(form, field, access, lang, preset),
                     html.Div(id={"type": ERROR, "form": form, "col": field.name},
                              className="text-danger small mt-1")], width=9),
        ], className="mb-2"))
    rows.append(dbc.Button(wt("rec.save", lang), id={"type": SAVE, "form": form},
                           color="primary", className="mt-2"))
    rows.append(html.Div(id={"type": STATUS, "form": form}, className="mt-2"))
    return html.Div(rows, className="p-3")


def layout(tab: str | None = None, actor: str | None = None, **_: object) -> html.Div:
    lang = request_lang()
    access = current()
    preset: dict[str, Any] = {}
    if actor and actor in access.actors.index:  # opened on one of the viewer's families
        preset = {"household_id": actor, "source_actor_id": actor, "actor_id": actor}
    tabs = []
    for name in _TABS:
        body = [_form(name, access, lang, preset)]
        if name == "relation":
            body += [html.H6(wt("rec.end_later", lang), className="ms-3"),
                     _form("relation_end", access, lang, preset)]
        tabs.append(dbc.Tab(body, label=wt(f"rec.tab.{name}", lang), tab_id=name))
    readonly = store_of(access) is None
    return html.Div([
        html.H3(wt("rec.title", lang)),
        html.P(wt("rec.intro", lang), className="text-muted"),
        dbc.Alert(wt("rec.readonly", lang), color="warning") if readonly else None,
        dbc.Tabs(tabs, active_tab=tab if tab in _TABS else "contact", id="wb-tabs"),
        html.H5(wt("rec.history", lang), className="mt-4"),
        html.P(wt("rec.history.intro", lang), className="text-muted small"),
        dbc.Row([
            dbc.Col(dcc.Dropdown(id=WITHDRAW_CHOICE, options=[] if readonly else
                                 my_records(access, lang), searchable=True,
                                 placeholder="…"), md=9),
            dbc.Col(dbc.Button(wt("rec.withdraw", lang), id=WITHDRAW_BTN, color="danger",
                               outline=True), md=3),
        ], className="g-2"),
        html.Div(id=WITHDRAW_STATUS, className="mt-2"),
    ])


WITHDRAW_CHOICE, WITHDRAW_BTN, WITHDRAW_STATUS = "wb-withdraw-choice", "wb-withdraw", \
    "wb-withdraw-status"


def my_records(access: Any, lang: str, limit: int = 50) -> list[dict]:
    """The current records the viewer may withdraw, newest first: their own (a coordinator:
    every record made in the explorer), among the people they see."""
    import json

    store = store_of(access)
    history = records.record_history(store)
    if not len(history):
        return []
    last = history.groupby(["table_name", "record_key"], sort=False).tail(1)
    last = last[last["action"] != "withdrawn"].iloc[::-1]
    author = author_of(access.viewer)
    created = history[history["action"] == "created"].set_index(
        ["table_name", "record_key"])["author"]
    out = []
    for row in last.itertuples(index=False):
        owner = created.get((row.table_name, row.record_key))
        if author.limited and owner != author.user_id:
            continue
        cells = json.loads(row.cells)
        names = [access.name_of(cells[c]) for c in records._ACTOR_COLUMNS[row.table_name]
                 if cells.get(c) and cells[c] in access.actors.index]
        if author.limited and not names:
            continue
        day = next((cells[c] for c in ("date", "start_date", "first_met") if cells.get(c)), "")
        label = f"{wt('rec.table.' + row.table_name, lang)} · {day} · {' – '.join(names)}"
        key = json.loads(row.record_key)
        columns = records._key_columns(row.table_name)
        out.append({"label": label, "value": json.dumps(
            [row.table_name, dict(zip(columns, key, strict=True))])})
        if len(out) >= limit:
            break
    return out


@dash.callback(
    Output(WITHDRAW_STATUS, "children"),
    Output(WITHDRAW_CHOICE, "options"),
    Input(WITHDRAW_BTN, "n_clicks"),
    State(WITHDRAW_CHOICE, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def withdraw(_clicks, choice, lang):
    """Withdraw the chosen record: it leaves the data (the analytics no longer see it) and its
    versions stay in the history. Only its author or a coordinator may."""
    import json

    lang = lang or "it"
    access = current()
    store = store_of(access)
    if store is None or not choice:
        return "", dash.no_update
    table, key = json.loads(choice)
    result = records.withdraw_record(store, author_of(access.viewer), table, key)
    if not result.ok:
        words = "; ".join(problems_by_field(result.problems, lang).values())
        return dbc.Alert(f"{wt('rec.not_saved', lang)} {words}", color="danger"), \
            dash.no_update
    after_write(access, {"followups"} if table == "followups" else {"data"}, result,
                "withdraw")
    return dbc.Alert(wt("rec.withdrawn", lang), color="success"), my_records(access, lang)


# -- saving ------------------------------------------------------------------------------------

def _rows(form: str, cells: dict[str, Any], author: records.Author
          ) -> tuple[str, list[tuple[str, dict]] | dict, dict[tuple[str, str], str]]:
    """``(action, rows, where)``: what a form writes, and which field each record column's
    problems go next to (``(table, column) -> field``)."""
    c = {k: (day_text(v) if any(f.name == k and f.widget == "date" for f in FORMS[form])
             else v) for k, v in cells.items()}
    if form == "contact":
        return "save", [("interactions", {
            "date": c["date"], "source_actor_id": c["source_actor_id"],
            "target_actor_id": c["target_actor_id"], "kind": c["kind"], "nature": c["nature"],
            "programme": c["programme"], "community_point_id": c["community_point_id"]})], {}
    if form == "attendance":
        rows: list[tuple[str, dict]] = []
        where: dict[tuple[str, str], str] = {
            ("participations", "actor_id"): "participants",
            ("participations", "activity_id"): "activity_id",
            ("participations", "date"): "date", ("activities", "start_date"): "date",
            ("actors", "first_met"): "date", ("household_members", "start_date"): "date",
            ("actors", "kind"): "name", ("household_members", "individual_id"): "name",
            ("activities", "kind"): "kind", ("activities", "activity_id"): "activity_id"}
        activity = c.get("activity_id")
        if not activity and (c.get("title") or "").strip():
            activity = records.new_id("activities")
            rows.append(("activities", {
                "activity_id": activity, "kind": c.get("kind"), "programme": c.get("programme"),
                "community_point_id": c.get("community_point_id"), "title": c["title"],
                "start_date": c["date"]}))
        people = list(c.get("participants") or [])
        if (c.get("name") or "").strip():
            person = records.new_id("actors", "individual")
            rows.append(("actors", {"actor_id": person, "kind": "individual",
                                    "name": c["name"], "first_met": c["date"],
                                    "community_point_id": c.get("community_point_id")}))
            if c.get("household_id"):
                rows.append(("household_members", {
                    "household_id": c["household_id"], "individual_id": person,
                    "role": "relative", "start_date": c["date"]}))
            people.append(person)
        if not people:
            people = [""]  # "required value missing" next to the participants
        rows += [("participations", {"activity_id": activity or "", "actor_id": p,
                                     "date": c["date"], "role": "participant"})
                 for p in people]
        return "save", rows, where
    if form in ("person", "organisation"):
        kind = c.get("kind")
        actor = records.new_id("actors", kind)
        rows = [("actors", {"actor_id": actor, "kind": kind, "name": c.get("name"),
                            "community_point_id": c.get("community_point_id"),
                            "municipality": c.get("municipality"),
                            "first_met": c.get("first_met")})]
        if form == "person" and kind == "individual" and c.get("household_id"):
            rows.append(("household_members", {
                "household_id": c["household_id"], "individual_id": actor,
                "role": c.get("role"), "start_date": c.get("first_met")}))
        return "save", rows, {("household_members", "start_date"): "first_met",
                              ("household_members", "individual_id"): "household_id"}
    if form == "relation":
        return "save", [("relations", {
            "kind": c["kind"], "actor_id": c["actor_id"], "partner_id": c["partner_id"],
            "start_date": c["start_date"], "end_date": c["end_date"], "nature": c["nature"],
            "programme": c["programme"], "community_point_id": c["community_point_id"]})], {}
    if form == "relation_end":
        return "end", {"relation_id": c.get("relation_id") or "",
                       "end_date": c.get("end_date")}, {}
    if form == "followup":
        return "followup", {k: c.get(k) or "" for k in ("household_id", "date", "action",
                                                        "outcome")}, {}
    raise KeyError(form)


def save_form(form: str, field_values: list, lang: str | None) -> tuple[list[str], Any]:
    """Save a form's values (in its fields' order): ``(error per field, status)``.

    Nothing is written when any field has a problem; every problem is placed next to the
    field it is about (problems of no field go in the status line).
    """
    lang = lang or "it"
    access = current()
    fields = FORMS[form]
    blank = [""] * len(fields)
    store = store_of(access)
    if store is None:
        return blank, dbc.Alert(wt("rec.readonly", lang), color="warning")
    cells = {f.name: v for f, v in zip(fields, field_values, strict=True)}
    author = author_of(access.viewer)
    action, rows, where = _rows(form, cells, author)
    if action == "save":
        result = records.save_records(store, author, rows)
        touched = {"data"}
    elif action == "followup":
        result = records.record_followup(store, author, rows["household_id"], rows["date"],
                                         rows["action"], rows["outcome"])
        touched = {"followups"}
    else:
        result = _end_relation(store, author, rows)
        touched = {"data"}
    by_field: dict[str, list[str]] = {}
    names = {f.name for f in fields}
    for p in result.problems:
        if p.severity != "error":
            continue
        table = rows[p.row - 2][0] if isinstance(rows, list) and p.row and \
            0 <= p.row - 2 < len(rows) else ""
        target = where.get((table, p.column or ""), p.column or "")
        by_field.setdefault(target if target in names else "", []).append(p)
    errors = [problems_by_field(by_field.get(f.name, []), lang).get(f.name, "")
              or "; ".join(problems_by_field(by_field.get(f.name, []), lang).values())
              for f in fields]
    if not result.ok:
        other = "; ".join(problems_by_field(by_field.get("", []), lang).values())
        text = wt("rec.not_saved", lang) + (f" {other}" if other else "")
        return errors, dbc.Alert(text, color="danger", className="py-2")
    after_write(access, touched, result)
    return errors, dbc.Alert(wt("rec.saved", lang, n=len(result.rows)), color="success",
                             className="py-2")


def _end_relation(store: Any, author: records.Author, cells: dict) -> records.RecordResult:
    """Record the end of a relation: a correction of its current version."""
    from genera_graph.io.registers import Problem

    row = None
    if cells["relation_id"]:  # its current version only (not the whole store)
        with store.read_transaction() as conn:
            row = records._current(conn, "relations", {"relation_id": cells["relation_id"]})
    if row is None:
        return records.RecordResult(False, (Problem(records.FORM_FILE, 2, "relation_id",
                                                    "no such record"),))
    row["end_date"] = day_text(cells["end_date"]) or None
    if row["end_date"] is None:
        return records.RecordResult(False, (Problem(records.FORM_FILE, 2, "end_date",
                                                    "required value missing"),))
    return records.correct_record(store, author, "relations", row)


def _make_callback(form: str) -> Callable:
    fields = FORMS[form]

    def save(_clicks, field_values, lang):
        return save_form(form, list(field_values), lang)

    save.__name__ = save.__qualname__ = f"save_{form}"
    save.__doc__ = f"Save the {form} form (fields: {', '.join(f.name for f in fields)})."
    props = ["date" if f.widget == "date" else "value" for f in fields]
    # pattern-matching states come in layout order: one State per field keeps them in the
    # form's own order
    states = [State({"type": FIELD, "form": form, "col": f.name}, p)
              for f, p in zip(fields, props, strict=True)]

    def wrapper(clicks, *args):
        *field_values, lang = args
        return save(clicks, field_values, lang)

    wrapper.__name__ = f"save_{form}"
    wrapper.__doc__ = save.__doc__
    flat = _flatten(wrapper)
    flat.__doc__ = save.__doc__
    dash.callback(
        *[Output({"type": ERROR, "form": form, "col": f.name}, "children") for f in fields],
        Output({"type": STATUS, "form": form}, "children"),
        Input({"type": SAVE, "form": form}, "n_clicks"),
        *states,
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )(flat)
    return flat


def _flatten(function: Callable) -> Callable:
    """Return the errors as separate outputs (Dash wants one value per output)."""

    def callback(clicks, *args):
        errors, status = function(clicks, *args)
        return [*errors, status]

    callback.__name__ = function.__name__
    return callback


#: the save callbacks, by form: ``save_contact(n_clicks, *field values, lang)`` returns the
#: error next to each field, then the status line
SAVES: dict[str, Callable] = {form: _make_callback(form) for form in FORMS}
