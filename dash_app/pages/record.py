"""Record from the explorer (``/record``): a contact, an attendance sheet, a new person or
family, an association or group, a relation (and its end, later), a follow-up of a family.

Every form saves through :mod:`genera_graph.io.records` (the importer's validation, one
transaction, the author and time). A problem is written next to its field, in the user's
language, and nothing is saved. People are chosen by searching their names among those the
user may see; ids are never typed. ``/record?tab=followup&actor=H01`` opens a form on a family.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dash_app import editing, ids
from dash_app.data import current
from dash_app.forms import (
    ERROR,
    FIELD,
    INTERACTION_KINDS,
    NATURES,
    PERSONAL,
    PROGRAMMES,
    SAVE,
    STATUS,
    Field,
    activities,
    coded,
    label_of,
    own_point,
    points,
    vocabulary,
    widget,
    wt_prefix,
)
from dash_app.i18n import kind_label, page_title, request_lang
from dash_app.workbench import (
    after_write,
    author_of,
    day_text,
    problems_by_field,
    store_of,
    wt,
)
from genera_graph.io import records
from genera_graph.model.kinds import ActivityKind, MemberRole, RelationKind, values

__all__ = ["FORMS", "layout", "my_records", "save_form", "withdraw"]

#: one's records, to correct or withdraw (:mod:`dash_app.editing`)
my_records, withdraw = editing.my_records, editing.withdraw

dash.register_page(__name__, path="/record", name="nav.record",
                   title=page_title("nav.record"), order=7)



def _open_relations(access: Any, lang: str) -> list[dict]:
    rel = access.dataset.relations
    rel = rel[rel["end_date"].isna()]
    kind = vocabulary("relation_kind")
    return [{"label": f"{kind(r.kind, lang)}: {access.name_of(r.actor_id)} – "
                      f"{access.name_of(r.partner_id)}",
             "value": r.relation_id, "search": f"{access.name_of(r.actor_id)} "
                                               f"{access.name_of(r.partner_id)}"}
            for r in rel.itertuples(index=False)]



#: the forms, by tab: their fields in order
FORMS: dict[str, tuple[Field, ...]] = {
    "contact": (
        Field("date", "date"),
        Field("source_actor_id", "people"),
        Field("target_actor_id", "actors"),
        Field("kind", "select", INTERACTION_KINDS),
        Field("nature", "radio", NATURES, lambda _a: "peer"),
        Field("programme", "select", PROGRAMMES),
        Field("community_point_id", "select", points, own_point),
    ),
    "attendance": (
        Field("activity_id", "select", activities),
        Field("title", "text"),
        Field("kind", "select", coded(values(ActivityKind), vocabulary("activity_kind"))),
        Field("programme", "select", PROGRAMMES),
        Field("date", "date"),
        Field("participants", "multi_people"),
        Field("name", "text"),
        Field("household_id", "households"),
        Field("community_point_id", "select", points, own_point),
    ),
    "person": (
        Field("name", "text"),
        Field("kind", "radio", coded(PERSONAL, kind_label), lambda _a: "household"),
        Field("household_id", "households"),
        Field("role", "select", coded(values(MemberRole), wt_prefix("role"))),
        Field("municipality", "text"),
        Field("first_met", "date"),
        Field("community_point_id", "select", points, own_point),
    ),
    "organisation": (
        Field("name", "text"),
        Field("kind", "radio", coded(("association", "formal_group"), kind_label),
              lambda _a: "association"),
        Field("municipality", "text"),
        Field("first_met", "date"),
        Field("community_point_id", "select", points, own_point),
    ),
    "relation": (
        Field("kind", "select", coded(values(RelationKind), vocabulary("relation_kind"))),
        Field("actor_id", "people"),
        Field("partner_id", "actors"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("nature", "radio", NATURES, lambda _a: "institutional"),
        Field("programme", "select", PROGRAMMES),
        Field("community_point_id", "select", points, own_point),
    ),
    "relation_end": (
        Field("relation_id", "select", _open_relations),
        Field("end_date", "date"),
    ),
    "followup": (
        Field("household_id", "households"),
        Field("date", "date"),
        Field("action", "radio", coded(records.FOLLOWUP_ACTIONS, wt_prefix("action"))),
        Field("outcome", "radio", coded(records.FOLLOWUP_OUTCOMES, wt_prefix("outcome"))),
    ),
}
_TABS = ("contact", "attendance", "person", "organisation", "relation", "followup")


# -- layout ------------------------------------------------------------------------------------

def _form(form: str, access: Any, lang: str, preset: dict) -> html.Div:
    rows = []
    for field in FORMS[form]:
        rows.append(dbc.Row([
            dbc.Label(label_of(field, lang), width=12, md=3),
            dbc.Col([widget(form, field, access, lang, preset),
                     html.Div(id={"type": ERROR, "form": form, "col": field.name},
                              className="text-danger small mt-1")], width=12, md=9),
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
        *editing.section(access, lang, readonly),
    ])


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
