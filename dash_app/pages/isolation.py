"""Isolation worklist: households to follow, with their reasons in plain words and dates."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dash_app import ids, state
from dash_app.components import download_button, dropdown, grid, grid_payload, message, options
from dash_app.data import DataAccess, current
from dash_app.data.memo import per_scope
from dash_app.downloads import table_download
from dash_app.i18n import fmt_date, fmt_number, page_title, request_lang, t

__all__ = ["ISO_MODES", "details", "download", "empty_text", "layout", "main_reasons",
           "plain_reasons", "update", "worklist_frame"]

dash.register_page(__name__, path="/isolation", name="nav.isolation",
                   title=page_title("nav.isolation"), order=2)


def layout(**query: object) -> html.Div:
    lang = request_lang()
    access = current()
    dates = access.worklist_dates()
    return html.Div([
        html.H3(t("iso.title", lang)),
        html.P(t("iso.intro", lang), className="text-muted"),
        dbc.Row([
            dbc.Col([dbc.Label(t("iso.as_of", lang)),
                     dropdown(ids.ISO_AS_OF, lang, clearable=False,
                              value=state.as_of_value(access, query),
                                  options=[{"label": fmt_date(d), "value": d.isoformat()}
                                           for d in reversed(dates)])], md=2),
            dbc.Col([dbc.Label(t("iso.mode", lang)),
                     dcc.RadioItems(id=ids.ISO_MODE, value="flagged",
                                    options=options((m, t(f"iso.mode.{m}", lang))
                                                    for m in ISO_MODES),
                                    inputClassName="me-1", labelClassName="me-3")], md=4),
            dbc.Col([dbc.Label(t("common.cp", lang)),
                     dropdown(ids.ISO_CP, lang, multi=True, placeholder=t("common.all", lang),
                              value=state.codes(query, "cp",
                                                {cp for cp, _ in access.community_points()}),
                                  options=options(access.community_points()))], md=3),
            dbc.Col([dbc.Label(t("common.facilitator", lang)),
                     dropdown(ids.ISO_FACILITATOR, lang, multi=True,
                              placeholder=t("common.all", lang),
                                  options=options(access.facilitators()))], md=3),
        ], className="mb-2 g-2"),
        html.Div(id=ids.ISO_STATUS),
        html.Div(id=ids.ISO_COUNT, className="text-muted mb-1"),
        dcc.Store(id=ids.ISO_COUNT_TEXT, data=count_texts(lang)),
        html.Div(grid(ids.ISO_GRID, lang, height=520), className="d-none d-md-block"),
        # on a phone: one short line per family instead of the wide grid
        html.Ol(id=ids.ISO_LIST, className="d-md-none ps-3 worklist-lines"),
        html.Div(t("iso.details.hint", lang), id=ids.ISO_DETAILS,
                 className="small text-muted mt-2 d-none d-md-block"),
        download_button(ids.ISO_DOWNLOAD_BTN, ids.ISO_DOWNLOAD, lang),
    ])



dash.clientside_callback(
    ClientsideFunction("genera", "fromWorklist"),
    Output(ids.SHARED, "data", allow_duplicate=True),
    Input(ids.ISO_AS_OF, "value"),
    Input(ids.ISO_CP, "value"),
    State(ids.SHARED, "data"),
    prevent_initial_call="initial_duplicate",
)



def plain_reasons(access: DataAccess, as_of, lang: str) -> pd.Series:
    """Household id -> its reasons in plain words with their dates, ``;``-separated."""
    reasons = access.isolation_reasons(as_of)
    if not len(reasons):
        return pd.Series(dtype=object)
    # each distinct (reason, from, to) is worded once: a region's worklist has tens of
    # thousands of reasons over a few dozen dates (Babel formats a date in tens of µs)
    worded: dict[tuple, str] = {}
    for row in reasons[["reason", "date_from", "date_to"]].drop_duplicates().itertuples(
            index=False):
        worded[(row.reason, row.date_from, row.date_to)] = t(
            "iso.reason_dates", lang, reason=t(f"reason.{row.reason}", lang),
            start=fmt_date(row.date_from), end=fmt_date(row.date_to))
    texts = [worded[key] for key in zip(reasons["reason"], reasons["date_from"],
                                        reasons["date_to"], strict=True)]
    partners = (reasons["partner_id"] if "partner_id" in reasons
                else pd.Series(None, index=reasons.index, dtype=object))
    bridges = (reasons["reason"].eq("single_bridge") | partners.map(
        lambda p: isinstance(p, str) and bool(p))).to_numpy(dtype=bool)
    for i in bridges.nonzero()[0]:
        partner = partners.iat[i]
        if isinstance(partner, str) and partner:
            texts[i] += " " + t("iso.bridge", lang, name=access.name_of(partner))
        else:  # the bridge belongs to a point the viewer can't see
            texts[i] += " " + t("iso.bridge.hidden", lang)
    return pd.Series(texts, index=reasons["actor_id"].to_numpy()).groupby(level=0).agg("; ".join)


def count_texts(lang: str) -> dict[str, str]:
    """The worklist count's texts for the browser (singular, plural, "of the total"), the
    plurals from the library's gettext catalogs (``1 famiglia segnalata``)."""
    from genera_graph.l10n import ngettext

    return {"one": ngettext("{n} household flagged", "{n} households flagged", 1, lang=lang),
            "other": ngettext("{n} household flagged", "{n} households flagged", 2, lang=lang),
            "of": t("iso.count.of", lang)}


def main_reasons(access: DataAccess, as_of, lang: str) -> pd.Series:
    """Household id -> its main reason in a few words (the first the library lists)."""
    reasons = access.isolation_reasons(as_of)
    if not len(reasons):
        return pd.Series(dtype=object)
    first = reasons.drop_duplicates("actor_id")
    return pd.Series([t(f"reason.short.{r}", lang) for r in first["reason"]],
                     index=first["actor_id"].to_numpy())


#: the worklist's lists (the page's choice): every family isolated or at risk, or those whose
#: status worsened in the last month
ISO_MODES = ("flagged", "warning")


def _offered(as_of: object, mode: object) -> bool:
    """Whether a day and a list are values the page offers (a forged callback sends any)."""
    if not isinstance(mode, str) or mode not in ISO_MODES:
        return False
    if as_of is None:
        return True
    try:
        return isinstance(as_of, str) and not pd.isna(pd.Timestamp(as_of))
    except ValueError:
        return False


def worklist_frame(access: DataAccess, as_of: str | None, mode: str | None,
                   cps: list | None, facilitators: list | None,
                   lang: str) -> pd.DataFrame | None:
    """The rows the worklist shows: one line per family (priority, name, status, the main
    reason, days since the last peer contact, the last follow-up), the full reasons, point,
    facilitator and the previous status beside them for the details and the download;
    ``None`` for a day or list (:data:`ISO_MODES`) the page does not offer."""
    if not _offered(as_of, mode):
        return None
    day = pd.Timestamp(as_of or access.worklist_dates()[-1]).date()
    cps_t, fac_t = tuple(sorted(cps or ())), tuple(sorted(facilitators or ()))
    if mode == "flagged":
        table = access.isolation_report(day)
        table = table[table["status"].isin(("isolated", "at_risk"))]
        if cps_t:
            table = table[table["community_point_id"].isin(cps_t)]
        if fac_t:
            table = table[table["facilitator_id"].isin(fac_t)]
        # isolated first, then the longest without a peer contact (glossary: col.urgency)
        last = pd.to_datetime(table["last_peer_contact"])
        order = pd.DataFrame({"sev": table["status"].ne("isolated").astype(int),
                              "last": last.fillna(pd.Timestamp.min)}, index=table.index)
        table = table.loc[order.sort_values(["sev", "last"]).index]
        earlier = [d for d in access.worklist_dates() if d < day]
        previous = (access.isolation_report(earlier[-1])["status"].reindex(table.index)
                    .astype(object).fillna("new") if earlier
                    else pd.Series("new", index=table.index, dtype=object))
        table = table.assign(urgency=range(1, len(table) + 1),
                             previous_status=previous.to_numpy())
    else:
        table = access.early_warning(day, cps_t, fac_t)
    words = plain_reasons(access, day, lang)
    main = main_reasons(access, day, lang)
    facil = dict(access.facilitators())
    points = dict(access.community_points())
    last_peer = pd.to_datetime(table["last_peer_contact"])
    days = (pd.Timestamp(day) - last_peer).dt.days.astype("Int64")
    follow = access.last_follow_ups(day, lang)
    waited = access.days_without_follow_up(day).reindex(table.index)
    return pd.DataFrame({
        "actor_id": table.index.to_numpy(),
        "urgency": table["urgency"].to_numpy(),
        "name": table["name"].to_numpy(),
        "status": [t(f"status.{s}", lang) for s in table["status"]],
        "main_reason": main.reindex(table.index).fillna("").to_numpy(),
        "days_since_peer_contact": days.to_numpy(),
        "last_follow_up": follow.reindex(table.index).fillna("").to_numpy(),
        "days_without_followup": waited.astype("Int64").to_numpy(),
        "previous_status": [t(f"status.{s}", lang) if s else "" for s in
                            table["previous_status"]],
        "reasons": words.reindex(table.index).fillna("").to_numpy(),
        "community_point_id": table["community_point_id"].to_numpy(),
        "community_point": [points.get(c, c) if isinstance(c, str) else ""
                            for c in table["community_point_id"]],
        "facilitator": [facil.get(f, f) if isinstance(f, str) else "" for f in
                        access.actors["facilitator_id"].reindex(table.index)],
        "peer_partners": table["peer_partners"].to_numpy(),
        "last_peer_contact": last_peer.to_numpy(),
    })


#: the columns of one worklist line; the others are in the row's details and the download
_LINE = ("link", "urgency", "name", "status", "main_reason", "days_since_peer_contact",
         "last_follow_up", "days_without_followup")


def empty_text(access: DataAccess, as_of: str | None, mode: str | None, cps, facilitators,
               lang: str) -> str:
    """Why the worklist is empty, in words (the day, the list and the filters)."""
    day = fmt_date(pd.Timestamp(as_of or access.worklist_dates()[-1]).date())
    text = t(f"iso.empty.{mode or 'flagged'}", lang, date=day)
    if cps or facilitators:
        text += " " + t("iso.empty.filters", lang)
    return text


@dash.callback(
    Output(ids.ISO_GRID, "columnDefs"),
    Output(ids.ISO_GRID, "rowData"),
    Output(ids.ISO_STATUS, "children"),
    Output(ids.ISO_LIST, "children"),
    Input(ids.ISO_AS_OF, "value"),
    Input(ids.ISO_MODE, "value"),
    Input(ids.ISO_CP, "value"),
    Input(ids.ISO_FACILITATOR, "value"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def update_all(as_of, mode, cps, facilitators, lang):
    """The worklist grid, its status and the phone's list of lines."""
    cols, rows, status = update(as_of, mode, cps, facilitators, lang)
    return cols, rows, status, phone_lines(rows, lang or "it")


def phone_lines(rows: list[dict], lang: str, limit: int = 60) -> list:
    """The worklist as short lines (a phone's screen): name as a link, status, main reason
    and days without a peer contact."""
    out = []
    for r in rows[:limit]:
        days = r.get("days_since_peer_contact")
        when = (t("iso.line.never", lang) if days is None else t("iso.line.day", lang)
                if days == 1 else t("iso.line.days", lang, n=fmt_number(days, lang)))
        out.append(html.Li([dcc.Link(str(r["name"]), href=f"/actor/{r['actor_id']}",
                                     className="fw-bold text-break"),
                            html.Div(f"{r['status']} · {r['main_reason']} · {when}",
                                     className="small text-muted")], className="mb-2"))
    return out


def update(as_of, mode, cps, facilitators, lang):
    """The worklist for a day, list mode, Community Points and facilitators: one line per
    family (the rest of the row in its details, below the grid, and in the download).
    ``(columnDefs, rowData, status)``; no update (``PreventUpdate``) for a day or list the
    page does not offer."""
    lang = lang or "it"
    access = current()
    frame = worklist_frame(access, as_of, mode, cps, facilitators, lang)
    if frame is None:
        raise PreventUpdate
    cols, rows = grid_payload(frame, lang, link_column="actor_id")
    for col in cols:
        field = col["field"]
        col["hide"] = field not in _LINE
        if field == "main_reason":
            col.update(tooltipField="reasons", minWidth=220)
        elif field == "name":
            col.update(minWidth=180)
        elif field == "urgency":
            col.update(width=110, minWidth=90)
    status = (message(empty_text(access, as_of, mode, cps, facilitators, lang))
              if not rows else "")
    return cols, rows, status


# the count follows what the grid shows (its own column filters included)
dash.clientside_callback(
    """function(shown, all, texts) {
        const n = (shown || []).length, total = (all || []).length;
        if (!texts) { return window.dash_clientside.no_update; }
        let text = (n === 1 ? texts.one : texts.other).replace("{n}", n);
        if (n !== total) { text += " " + texts.of.replace("{total}", total); }
        return text;
    }""",
    Output(ids.ISO_COUNT, "children"),
    Input(ids.ISO_GRID, "virtualRowData"),
    State(ids.ISO_GRID, "rowData"),
    State(ids.ISO_COUNT_TEXT, "data"),
)


@dash.callback(
    Output(ids.ISO_DETAILS, "children"),
    Input(ids.ISO_GRID, "cellClicked"),
    State(ids.ISO_GRID, "rowData"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def details(clicked, rows, lang):
    """The details of the clicked line: all the reasons with their dates, previous status,
    point, facilitator, peer partners and the last peer contact."""
    lang = lang or "it"
    if not clicked or not rows:
        return t("iso.details.hint", lang)
    index = clicked.get("rowIndex")
    actor = (clicked.get("data") or {}).get("actor_id") if isinstance(clicked.get("data"),
                                                                      dict) else None
    row = next((r for r in rows if r.get("actor_id") == actor), None)
    if row is None and isinstance(index, int) and 0 <= index < len(rows):
        row = rows[index]
    if row is None:
        return t("iso.details.hint", lang)
    last = row.get("last_peer_contact")
    facts = [
        (t("col.previous_status", lang), row.get("previous_status") or "–"),
        (t("col.community_point_id", lang), row.get("community_point") or "–"),
        (t("col.facilitator", lang), row.get("facilitator") or "–"),
        (t("col.peer_partners", lang), str(row.get("peer_partners", "–"))),
        (t("col.last_peer_contact", lang), fmt_date(last) if last else "–"),
    ]
    return html.Div([
        html.H6(str(row.get("name", "")), className="text-break"),
        html.Ul([html.Li(r) for r in str(row.get("reasons") or "").split("; ") if r]),
        html.Div([html.Span([html.B(f"{k}: "), v], className="me-3 text-nowrap")
                  for k, v in facts]),
        *_introductions(row.get("actor_id"), lang),
    ], className="border rounded p-2 text-body")


def _introductions(actor_id, lang: str) -> list:
    """The family's top suggested introductions and the form to mark one (issue 13), for a
    family the viewer sees (the row comes from the browser: nothing for any other id)."""
    from dash_app.introductions import panel

    access = current()
    if not isinstance(actor_id, str) or actor_id not in access.actors.index \
            or access.actors.at[actor_id, "kind"] != "household":
        return []
    return [html.H6(t("intro.worklist", lang), className="mt-3"),
            *panel(access, actor_id, lang, top=3)]


download = table_download(
    ids.ISO_DOWNLOAD, ids.ISO_DOWNLOAD_BTN,
    [(ids.ISO_AS_OF, "value"), (ids.ISO_MODE, "value"), (ids.ISO_CP, "value"),
     (ids.ISO_FACILITATOR, "value")],
    worklist_frame, "isolamento.csv")
