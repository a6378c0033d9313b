"""The building blocks of the workbench's forms: a field (the record column it fills, its
widget, its choices), the widgets themselves, and the choices they offer.

The record page's forms (:mod:`dash_app.pages.record`) and the correction form
(:mod:`dash_app.editing`) are made of these. A field is named after its record column, so a
problem the library reports on a column is shown next to that field. People are chosen from
a searchable dropdown of the actors the viewer sees (:func:`dash_app.workbench.people_options`);
ids are never typed. Dates are picked or typed ``dd/mm/yyyy``.

Examples
--------
>>> iso_day("13/06/2016"), iso_day(""), iso_day("31/02/2016")
('2016-06-13', None, None)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

import dash_bootstrap_components as dbc
from dash import dcc

from dash_app.components import dropdown
from dash_app.i18n import nature_label, programme_label
from dash_app.workbench import people_options, wt
from genera_graph.l10n import code_label
from genera_graph.model.kinds import InteractionKind, Programme, TieNature, values

__all__ = ["ERROR", "FIELD", "SAVE", "STATUS", "INTERACTION_KINDS", "NATURES", "PERSONAL", "PROGRAMMES", "Field",
           "activities", "coded", "iso_day", "label_of", "own_point", "points", "vocabulary",
           "widget", "wt_prefix"]

#: the pattern-matching id type of every form field: ``{"type": FIELD, "form": …, "col": …}``
FIELD = "wb-field"
#: the id types of the record page's forms: the error beside a field, the save button, the
#: status line (``{"type": …, "form": …}``)
ERROR, SAVE, STATUS = "wb-error", "wb-save", "wb-status"
PERSONAL = ("household", "individual")


class Field(NamedTuple):
    """One field of a form: the record column it fills, its widget and its choices."""

    name: str
    #: date, people, actors, households, individuals, select, multi_people, radio or text
    widget: str
    choices: Callable[[Any, str], list[dict]] | None = None
    default: Callable[[Any], Any] | None = None
    #: the label's key when it is not ``field.<name>``
    label: str | None = None


def label_of(field: Field, lang: str) -> str:
    """The words a field is labelled with."""
    return wt(field.label or f"field.{field.name}", lang)


def coded(codes: tuple[str, ...] | list[str], label: Callable[[str, str], str]
          ) -> Callable[[Any, str], list[dict]]:
    """Choices of codes, each shown by its label."""
    return lambda _access, lang: [{"label": label(c, lang), "value": c} for c in codes]


def wt_prefix(prefix: str) -> Callable[[str, str], str]:
    """The label of a code among the workbench's messages ``<prefix>.<code>``."""
    return lambda code, lang: wt(f"{prefix}.{code}", lang)


def vocabulary(field: str) -> Callable[[str, str], str]:
    """The label of a code of the library's vocabulary ``field`` (``activity_kind`` …)."""
    return lambda code, lang: code_label(field, code, lang)


def activities(access: Any, lang: str) -> list[dict]:
    """The activities the viewer sees, newest first, by title and kind."""
    acts = access.dataset.activities.sort_values("start_date", ascending=False)
    return [{"label": f"{title} ({code_label('activity_kind', kind, lang)})", "value": aid,
             "search": str(title)}
            for aid, title, kind in zip(acts["activity_id"], acts["title"], acts["kind"],
                                        strict=True)]


def points(access: Any, lang: str) -> list[dict]:
    """The Community Points the viewer sees, by name."""
    return [{"label": name, "value": cp} for cp, name in access.community_points()]


def own_point(access: Any) -> str | None:
    """The viewer's own point (a form's default), when they have exactly one."""
    found = access.community_points()
    if access.viewer.role != "coordinator" or len(found) == 1:
        return getattr(access.viewer, "community_point_id", None) or (
            found[0][0] if found else None)
    return None


INTERACTION_KINDS = coded(values(InteractionKind), wt_prefix("kind"))
NATURES = coded(values(TieNature), nature_label)
PROGRAMMES = coded(values(Programme), programme_label)


def iso_day(text: Any) -> str | None:
    """A register date (``dd/mm/yyyy``) as a date picker holds it (ISO), ``None`` if none."""
    try:
        return datetime.strptime(str(text or ""), "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def widget(form: str, field: Field, access: Any, lang: str, preset: dict, *,
           options: list[dict] | None = None, disabled: bool = False) -> Any:
    """The input of ``field`` in ``form``, holding ``preset[field.name]`` (or its default);
    ``options`` replace the field's choices."""
    wid = {"type": FIELD, "form": form, "col": field.name}
    value = preset.get(field.name, field.default(access) if field.default else None)
    if field.widget == "date":
        return dcc.DatePickerSingle(id=wid, date=iso_day(value) if value else None,
                                    display_format="DD/MM/YYYY",
                                    placeholder=wt("rec.date_hint", lang),
                                    first_day_of_week=1, clearable=True, disabled=disabled)
    if field.widget in ("people", "actors", "households", "individuals", "multi_people"):
        kinds = {"people": PERSONAL, "households": ("household",), "actors": (),
                 "individuals": ("individual",),
                 "multi_people": ("individual", "household")}[field.widget]
        return dropdown(wid, lang, options=people_options(access, kinds, lang), value=value,
                        multi=field.widget == "multi_people", searchable=True,
                        placeholder=wt("rec.search", lang), disabled=disabled)
    if field.widget == "select":
        return dropdown(wid, lang, options=options if options is not None
                        else field.choices(access, lang), value=value,
                        searchable=True, placeholder="…", disabled=disabled)
    if field.widget == "radio":
        return dcc.RadioItems(id=wid, options=options if options is not None
                              else field.choices(access, lang), value=value,
                              inline=True, inputClassName="me-1", labelClassName="me-3")
    return dbc.Input(id=wid, type="text", value=value, debounce=True, maxLength=200,
                     disabled=disabled)
