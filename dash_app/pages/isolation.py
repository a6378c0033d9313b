"""Isolation worklist: households to follow, with their reasons in plain words and dates.

The grid pages server-side (AG Grid's infinite row model): the scope's lines for the page's
controls are built once (:func:`worklist_lines`, kept per scope and write generation) and
each page the grid asks for (:func:`page`) is filtered and sorted by the grid's columns on
the server (:mod:`dash_app.data.rows`), only its rows worded and sent, with the count the
grid's filters leave; changing a control empties the grid's pages (a clientside callback)
so that it asks again. A region's 39,000 flagged families are 20 rows a page, not 23 MB.
A line's details and suggestions are read on the server for the clicked row's id, for a
line of the viewer's own list only; the download is the whole filtered list.
"""

from __future__ import annotations

import json
import threading

import dash
import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dash_app import ids, state
from dash_app.components import download_button, dropdown, grid, grid_payload, message, options
from dash_app.data import DataAccess, current
from dash_app.data.access import PAGE_WARMERS
from dash_app.data.memo import per_scope, remembered
from dash_app.data.rows import filtered_order, page_bounds, valid_request
from dash_app.downloads import table_download
from dash_app.i18n import fmt_date, fmt_number, page_title, register, request_lang, t
from genera_graph.l10n import N_, NN_

__all__ = ["ISO_MODES", "columns", "count_text", "details", "download", "download_frame",
           "empty_text", "introductions", "layout", "main_reasons", "overview", "page",
           "phone_lines", "plain_reasons", "warm_worklist", "worklist_frame",
           "worklist_lines"]

register({
    "iso.count.none": N_("No household matches the table's column filters: clear them to "
                         "see the whole list."),
    "iso.phone.first": NN_("(the first {n} listed, by priority; the whole list in the "
                           "download or on a wider screen)",
                           "(the first {n} listed, by priority; the whole list in the "
                           "download or on a wider screen)"),
    # a family never seen with a peer: the grid's empty cell said nothing
    "iso.cell.never": N_("never"),
    "iso.cell.no_follow_up": N_("none yet"),
})

dash.register_page(__name__, path="/isolation", name="nav.isolation",
                   title=page_title("nav.isolation"), order=2)


def layout(**query: object) -> html.Div:
    lang = request_lang()
    access = current()
    dates = access.worklist_dates()
    table = grid(ids.ISO_GRID, lang, height=520, paged_by="actor_id")
    table.columnDefs = columns(lang)
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
        html.Div(id=ids.ISO_COUNT, className="text-muted mb-1 d-none d-md-block"),
        dcc.Store(id=ids.ISO_PURGE),
        # the grid asks the server for each page (its filters and sort applied there)
        html.Div(table, className="d-none d-md-block"),
        # on a phone: one short line per family instead of the wide grid
        html.Div(id=ids.ISO_LIST_COUNT, className="d-md-none text-muted mb-1"),
        html.Ol(id=ids.ISO_LIST, className="d-md-none ps-3 worklist-lines"),
        html.Div(t("iso.details.hint", lang), id=ids.ISO_DETAILS,
                 className="small text-muted mt-2 d-none d-md-block"),
        # the clicked family's suggested introductions, in their own callback: at region
        # scale they take seconds, the details above do not wait for them
        html.Div(id=ids.ISO_INTRO, className="d-none d-md-block"),
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



def plain_reasons(access: DataAccess, as_of, lang: str, actors=None) -> pd.Series:
    """Household id -> its reasons in plain words with their dates, ``;``-separated; only
    for ``actors`` when given (the rows of one page)."""
    reasons = access.isolation_reasons(as_of)
    if actors is not None:
        reasons = reasons[reasons["actor_id"].isin(list(actors))].reset_index(drop=True)
    if not len(reasons):
        return pd.Series(dtype=object)
    # each distinct (reason, from, to) is worded once: a region's worklist has tens of
    # thousands of reasons over a few dozen dates (Babel formats a date in tens of µs)
    # (days as integers: a missing day is one value, where NaT never equals itself)
    keys = list(zip(reasons["reason"].to_numpy(dtype=object),
                    pd.to_datetime(reasons["date_from"]).to_numpy("datetime64[ns]").view("i8"),
                    pd.to_datetime(reasons["date_to"]).to_numpy("datetime64[ns]").view("i8"),
                    strict=True))

    def day(ns: int) -> pd.Timestamp:
        return pd.NaT if ns == np.iinfo(np.int64).min else pd.Timestamp(ns)

    worded = {key: t("iso.reason_dates", lang, reason=t(f"reason.{key[0]}", lang),
                     start=fmt_date(day(key[1])), end=fmt_date(day(key[2])))
              for key in dict.fromkeys(keys)}
    texts = [worded[key] for key in keys]
    partners = (reasons["partner_id"] if "partner_id" in reasons
                else pd.Series(None, index=reasons.index, dtype=object))
    partner_ids = partners.to_numpy(dtype=object)
    bridges = (reasons["reason"].eq("single_bridge").to_numpy(dtype=bool)
               | np.fromiter((isinstance(p, str) and bool(p) for p in partner_ids),
                             dtype=bool, count=len(partner_ids)))
    shown = partners[bridges].dropna().unique()
    # the bridges' names looked up at once (one name_of per bridge: 1.2 s at region scale)
    names = access.actors["name"].reindex(shown)
    name_of = dict(zip(shown, [str(n) if isinstance(n, str) else p
                               for n, p in zip(names, shown, strict=True)], strict=True))
    for i in bridges.nonzero()[0]:
        partner = partner_ids[i]
        if isinstance(partner, str) and partner:
            texts[i] += " " + t("iso.bridge", lang, name=name_of[partner])
        else:  # the bridge belongs to a point the viewer can't see
            texts[i] += " " + t("iso.bridge.hidden", lang)
    # joined per household in one pass (a pandas groupby-join of 39,000 households runs a
    # Python function per group: 2.3 s at region scale), households in id order as before
    joined: dict[str, list[str]] = {}
    for actor, text in zip(reasons["actor_id"].to_numpy(), texts, strict=True):
        joined.setdefault(actor, []).append(text)
    order = sorted(joined)
    return pd.Series(["; ".join(joined[a]) for a in order], index=pd.Index(order))


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


def _codes(values: object) -> tuple[str, ...] | None:
    """A multi-choice's values as a sorted tuple (``None`` for a value the page never sends)."""
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    return tuple(sorted(values))


def _day(access: DataAccess, as_of: str | None):
    return pd.Timestamp(as_of or access.worklist_dates()[-1]).date()


#: severity of a status, for sorting the status column (isolated first when ascending)
_SEVERITY = {"isolated": 0, "at_risk": 1}


def worklist_lines(access: DataAccess, as_of: str | None, mode: str | None,
                   cps: list | None, facilitators: list | None,
                   lang: str) -> pd.DataFrame | None:
    """The worklist's lines without their full reasons (worded only for the rows sent, see
    :func:`worklist_frame`): one per family in priority order, kept per scope (the access
    object) and write generation (:func:`dash_app.data.memo.remembered`), so that each page
    of the grid, its count and the phone's list read it instead of judging the day again.
    ``None`` for a day, list or choice the page does not offer."""
    cps_t, fac_t = _codes(cps), _codes(facilitators)
    if not _offered(as_of, mode) or cps_t is None or fac_t is None:
        return None
    key = ("isolation.lines", as_of, mode, cps_t, fac_t, lang)
    # the controls' callback and the grid's first page ask for the same lines at once:
    # one builds them, the other waits and reads them
    with _building(access, key):
        return remembered(access, key, lambda: _lines(access, as_of, mode, cps_t, fac_t,
                                                      lang))


_LOCKS: dict[tuple, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _building(access: DataAccess, key: tuple) -> threading.Lock:
    """The lock of one scope's lines (a few dozen at most are ever asked for)."""
    with _LOCKS_LOCK:
        if len(_LOCKS) > 256:
            _LOCKS.clear()
        return _LOCKS.setdefault((id(access), *key), threading.Lock())


def _lines(access: DataAccess, as_of: str | None, mode: str, cps_t: tuple, fac_t: tuple,
           lang: str) -> pd.DataFrame:
    day = _day(access, as_of)
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
        table = table.loc[order.sort_values(["sev", "last"], kind="stable").index]
        earlier = [d for d in access.worklist_dates() if d < day]
        previous = (access.isolation_report(earlier[-1])["status"].reindex(table.index)
                    .astype(object).fillna("new") if earlier
                    else pd.Series("new", index=table.index, dtype=object))
        table = table.assign(urgency=range(1, len(table) + 1),
                             previous_status=previous.to_numpy())
    else:
        table = access.early_warning(day, cps_t, fac_t)
    main = main_reasons(access, day, lang)
    facil = dict(access.facilitators())
    points = dict(access.community_points())
    last_peer = pd.to_datetime(table["last_peer_contact"])
    days = (pd.Timestamp(day) - last_peer).dt.days.astype("Int64")
    follow = access.last_follow_ups(day, lang).reindex(table.index).fillna("")
    waited = access.days_without_follow_up(day).reindex(table.index)
    status_words = {s: t(f"status.{s}", lang) for s in set(table["status"])}
    previous_words = {s: t(f"status.{s}", lang) for s in set(table["previous_status"]) if s}
    return pd.DataFrame({
        "actor_id": table.index.to_numpy(),
        "urgency": table["urgency"].to_numpy(),
        "name": table["name"].to_numpy(),
        "status": [status_words[s] for s in table["status"]],
        "main_reason": main.reindex(table.index).fillna("").to_numpy(),
        "days_since_peer_contact": days.to_numpy(),
        "last_follow_up": follow.to_numpy(),
        "days_without_followup": waited.astype("Int64").to_numpy(),
        "previous_status": [previous_words.get(s, "") if s else "" for s in
                            table["previous_status"]],
        "community_point_id": table["community_point_id"].to_numpy(),
        "community_point": [points.get(c, c) if isinstance(c, str) else ""
                            for c in table["community_point_id"]],
        "facilitator": [facil.get(f, f) if isinstance(f, str) else "" for f in
                        access.actors["facilitator_id"].reindex(table.index)],
        "peer_partners": table["peer_partners"].to_numpy(),
        "last_peer_contact": last_peer.to_numpy(),
        # what two columns sort by (not shown): a status by its severity, a follow-up by
        # its day (the words end with it, dd/mm/yyyy)
        "_severity": table["status"].map(_SEVERITY).fillna(len(_SEVERITY)).to_numpy(),
        "_follow_up_day": pd.to_datetime(follow.str[-10:], format="%d/%m/%Y",
                                         errors="coerce").to_numpy(),
    })


def worklist_frame(access: DataAccess, as_of: str | None, mode: str | None,
                   cps: list | None, facilitators: list | None,
                   lang: str) -> pd.DataFrame | None:
    """The whole worklist (the download): one line per family (priority, name, status, the
    main reason, days since the last peer contact, the last follow-up), the full reasons,
    point, facilitator and the previous status beside them; ``None`` for a day or list
    (:data:`ISO_MODES`) the page does not offer."""
    lines = worklist_lines(access, as_of, mode, cps, facilitators, lang)
    if lines is None:
        return None
    words = plain_reasons(access, _day(access, as_of), lang)
    frame = lines.drop(columns=["_severity", "_follow_up_day"])
    frame.insert(frame.columns.get_loc("community_point_id"), "reasons",
                 words.reindex(frame["actor_id"]).fillna("").to_numpy())
    return frame


#: the columns of one worklist line; the others are in the row's details and the download
_LINE = ("link", "urgency", "name", "status", "main_reason", "days_since_peer_contact",
         "last_follow_up", "days_without_followup")
#: what each row sent to the grid holds: the line, its id and its reasons (the tooltip)
_SENT = {"actor_id": object, "urgency": "Int64", "name": object, "status": object,
         "main_reason": object, "days_since_peer_contact": "Int64", "last_follow_up": object,
         "days_without_followup": "Int64", "reasons": object}
#: columns a request may filter and sort by (those the grid shows), and what sorts two
_OFFERED = frozenset(_LINE) - {"link"}
_SORT_KEYS = {"status": "_severity", "last_follow_up": "_follow_up_day"}


def columns(lang: str) -> list[dict]:
    """The worklist grid's columns: one line per family, the main reason's tooltip its
    full reasons; the id and the reasons sent with each row, hidden."""
    empty = pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in _SENT.items()})
    cols, _ = grid_payload(empty, lang, link_column="actor_id")
    for col in cols:
        field = col["field"]
        col["hide"] = field not in _LINE
        if field == "main_reason":
            col.update(tooltipField="reasons", minWidth=220)
        elif field == "name":
            col.update(minWidth=180)
        elif field == "urgency":
            col.update(width=110, minWidth=90)
        elif field == "days_since_peer_contact":
            never = json.dumps(t("iso.cell.never", lang))
            formatter = col["valueFormatter"]["function"]
            col["valueFormatter"] = {"function": formatter.replace(
                "params.value == null ? ''", f"params.value == null ? {never}", 1)}
        elif field == "last_follow_up":
            none = json.dumps(t("iso.cell.no_follow_up", lang))
            col["valueFormatter"] = {"function": f"params.value ? params.value : {none}"}
    return cols


def empty_text(access: DataAccess, as_of: str | None, mode: str | None, cps, facilitators,
               lang: str) -> str:
    """Why the worklist is empty, in words (the day, the list and the filters)."""
    day = fmt_date(_day(access, as_of))
    text = t(f"iso.empty.{mode or 'flagged'}", lang, date=day)
    if cps or facilitators:
        text += " " + t("iso.empty.filters", lang)
    return text


def count_text(shown: int, total: int, lang: str) -> str:
    """The count above the grid: the families the grid's filters let through, and of how
    many when they hide some (``3 famiglie segnalate (su 35: filtri della tabella
    attivi)``); when they hide all, how to see them again."""
    from genera_graph.l10n import ngettext

    text = ngettext("{n} household flagged", "{n} households flagged", shown,
                    lang=lang).format(n=fmt_number(shown, lang))
    if shown != total:
        text += " " + t("iso.count.of", lang, total=fmt_number(total, lang))
    if shown == 0 and total:
        text += " " + t("iso.count.none", lang)
    return text


def _order(access: DataAccess, lines: pd.DataFrame, key: tuple, request: dict) -> np.ndarray:
    """Positions of the lines the grid's filters let through, in its sort's order, kept
    per scope (paging through a filtered list reads it)."""
    filters, sorts = request.get("filterModel") or {}, request.get("sortModel") or []
    spec = json.dumps([filters, sorts], sort_keys=True, default=str)
    return remembered(access, ("isolation.order", *key, spec), lambda: filtered_order(
        lines, filters, sorts, _OFFERED, {c: lines[k] for c, k in _SORT_KEYS.items()}))


def rows_of(access: DataAccess, lines: pd.DataFrame, day, lang: str) -> list[dict]:
    """The grid's rows of some lines: only their reasons are worded."""
    words = plain_reasons(access, day, lang, actors=lines["actor_id"])
    frame = lines[[c for c in _SENT if c != "reasons"]].assign(
        reasons=words.reindex(lines["actor_id"]).fillna("").to_numpy())
    return grid_payload(frame, lang, link_column="actor_id")[1]


@dash.callback(
    Output(ids.ISO_GRID, "getRowsResponse"),
    Output(ids.ISO_COUNT, "children"),
    Input(ids.ISO_GRID, "getRowsRequest"),
    State(ids.ISO_AS_OF, "value"),
    State(ids.ISO_MODE, "value"),
    State(ids.ISO_CP, "value"),
    State(ids.ISO_FACILITATOR, "value"),
    State(ids.LANG, "data"),
    prevent_initial_call=True,
)
def page(request, as_of, mode, cps, facilitators, lang):
    """One page of the worklist grid (AG Grid's infinite row model): the scope's lines for
    the page's controls, the grid's column filters and sort applied here, only the rows of
    ``[startRow, endRow)`` worded and sent, with the filtered count (``rowCount``) and the
    count in words. No update for a request or control the page never sends."""
    lang = lang or "it"
    if not valid_request(request):
        raise PreventUpdate
    access = current()
    lines = worklist_lines(access, as_of, mode, cps, facilitators, lang)
    if lines is None:
        raise PreventUpdate
    key = (as_of, mode, _codes(cps), _codes(facilitators), lang)
    order = _order(access, lines, key, request)
    start, end = page_bounds(request, len(order))
    rows = rows_of(access, lines.iloc[order[start:end]], _day(access, as_of), lang)
    return ({"rowData": rows, "rowCount": int(len(order))},
            count_text(len(order), len(lines), lang))


@dash.callback(
    Output(ids.ISO_STATUS, "children"),
    Output(ids.ISO_LIST, "children"),
    Output(ids.ISO_LIST_COUNT, "children"),
    Input(ids.ISO_AS_OF, "value"),
    Input(ids.ISO_MODE, "value"),
    Input(ids.ISO_CP, "value"),
    Input(ids.ISO_FACILITATOR, "value"),
    State(ids.LANG, "data"),
)
@per_scope  # the same controls in one scope: one answer (dash_app.data.memo)
def overview(as_of, mode, cps, facilitators, lang):
    """What the page's controls decide beside the grid's pages: why the list is empty, and
    a phone's short lines (the first :data:`PHONE_LINES` families) with their count."""
    lang = lang or "it"
    access = current()
    lines = worklist_lines(access, as_of, mode, cps, facilitators, lang)
    if lines is None:
        raise PreventUpdate
    status = (message(empty_text(access, as_of, mode, cps, facilitators, lang))
              if not len(lines) else "")
    return status, phone_lines(lines.head(PHONE_LINES), lang), phone_count(len(lines), lang)


# the page's controls choose another list: the grid forgets the pages it holds and asks
# for its first page again (its filters and sort stay)
dash.clientside_callback(
    """function(asOf, mode, cps, facilitators) {
        const grids = window.dash_ag_grid;
        if (grids && grids.getApiAsync) {
            grids.getApiAsync("GRID").then(function (api) {
                api.paginationGoToFirstPage();
                api.purgeInfiniteCache();
            }).catch(function () {});
        }
        return Date.now();
    }""".replace("GRID", ids.ISO_GRID),
    Output(ids.ISO_PURGE, "data"),
    Input(ids.ISO_AS_OF, "value"),
    Input(ids.ISO_MODE, "value"),
    Input(ids.ISO_CP, "value"),
    Input(ids.ISO_FACILITATOR, "value"),
    prevent_initial_call=True,
)

#: lines a phone shows (the grid's pages are for wider screens; the download has them all)
PHONE_LINES = 60


def phone_count(total: int, lang: str) -> str:
    """A phone's count: the families flagged, and that only the first ones are listed."""
    from genera_graph.l10n import ngettext

    text = ngettext("{n} household flagged", "{n} households flagged", total,
                    lang=lang).format(n=fmt_number(total, lang))
    if total > PHONE_LINES:
        text += " " + t("iso.phone.first", lang, n=fmt_number(PHONE_LINES, lang))
    return text


def phone_lines(lines: pd.DataFrame, lang: str) -> list:
    """The worklist as short lines (a phone's screen): name as a link, status, main reason
    and days without a peer contact."""
    out = []
    for r in lines.itertuples(index=False):
        days = r.days_since_peer_contact
        when = (t("iso.line.never", lang) if pd.isna(days) else t("iso.line.day", lang)
                if days == 1 else t("iso.line.days", lang, n=fmt_number(int(days), lang)))
        out.append(html.Li([dcc.Link(str(r.name), href=f"/actor/{r.actor_id}",
                                     className="fw-bold text-break"),
                            html.Div(f"{r.status} · {r.main_reason} · {when}",
                                     className="small text-muted")], className="mb-2"))
    return out


#: the page's controls a clicked line is looked up with (the list it belongs to)
_LINE_CONTROLS = (State(ids.ISO_AS_OF, "value"), State(ids.ISO_MODE, "value"),
                  State(ids.ISO_CP, "value"), State(ids.ISO_FACILITATOR, "value"),
                  State(ids.LANG, "data"))


@dash.callback(
    Output(ids.ISO_DETAILS, "children"),
    Input(ids.ISO_GRID, "cellClicked"),
    *_LINE_CONTROLS,
    prevent_initial_call=True,
)
def details(clicked, as_of, mode, cps, facilitators, lang):
    """The details of the clicked line (its row id: the family's), read from the scope's
    worklist on the server, never from the browser: all the reasons with their dates,
    previous status, point, facilitator, peer partners and the last peer contact (its
    suggested introductions: :func:`introductions`). A family not in the viewer's list gets
    the hint."""
    lang = lang or "it"
    actor = _line_of(clicked, as_of, mode, cps, facilitators, lang)
    if actor is None:
        return t("iso.details.hint", lang)
    access = current()
    lines = worklist_lines(access, as_of, mode, cps, facilitators, lang)
    row = lines[lines["actor_id"].eq(actor)].iloc[0]
    reasons = plain_reasons(access, _day(access, as_of), lang, actors=[actor])
    last = row["last_peer_contact"]
    facts = [
        (t("col.previous_status", lang), row["previous_status"] or "–"),
        (t("col.community_point_id", lang), row["community_point"] or "–"),
        (t("col.facilitator", lang), row["facilitator"] or "–"),
        (t("col.peer_partners", lang), fmt_number(row["peer_partners"], lang)
         if pd.notna(row["peer_partners"]) else "–"),
        (t("col.last_peer_contact", lang), fmt_date(last) if pd.notna(last) else "–"),
    ]
    text = str(reasons.get(actor, "") or "")
    return html.Div([
        html.H6(str(row["name"]), className="text-break"),
        html.Ul([html.Li(r) for r in text.split("; ") if r]),
        html.Div([html.Span([html.B(f"{k}: "), v], className="me-3 text-nowrap")
                  for k, v in facts]),
    ], className="border rounded p-2 text-body")


def _line_of(clicked, as_of, mode, cps, facilitators, lang: str) -> str | None:
    """The id of the clicked line's family if it is a line of the viewer's list (the row id
    comes from the browser: any other id is nobody)."""
    actor = clicked.get("rowId") if isinstance(clicked, dict) else None
    if not isinstance(actor, str):
        return None
    lines = worklist_lines(current(), as_of, mode, cps, facilitators, lang)
    return actor if lines is not None and lines["actor_id"].eq(actor).any() else None


@dash.callback(
    Output(ids.ISO_INTRO, "children"),
    Input(ids.ISO_GRID, "cellClicked"),
    *_LINE_CONTROLS,
    prevent_initial_call=True,
)
def introductions(clicked, as_of, mode, cps, facilitators, lang):
    """The clicked family's top suggested introductions and the form to mark one (issue
    13), for a line of the viewer's own list only."""
    from dash_app.introductions import panel

    lang = lang or "it"
    actor = _line_of(clicked, as_of, mode, cps, facilitators, lang)
    access = current()
    if actor is None or actor not in access.actors.index \
            or access.actors.at[actor, "kind"] != "household":
        return []
    return html.Div([html.H6(t("intro.worklist", lang), className="mt-3"),
                     *panel(access, actor, lang, top=3)], className="border rounded p-2 mt-2")


def warm_worklist(access: DataAccess) -> None:
    """The worklist's lines the page opens with (its default day, every flagged family, in
    Italian), made by the warm-up before anyone asks (:data:`PAGE_WARMERS`)."""
    from dash_app.state import as_of_value

    if access.worklist_dates():
        worklist_lines(access, as_of_value(access, {}), "flagged", None, None, "it")


PAGE_WARMERS.append(warm_worklist)


def download_frame(access: DataAccess, as_of: str | None, mode: str | None, cps,
                   facilitators, filter_model, lang: str) -> pd.DataFrame | None:
    """The download: the whole list the page's controls and the grid's column filters let
    through (every page of it, every column), in priority order."""
    frame = worklist_frame(access, as_of, mode, cps, facilitators, lang)
    if frame is None or not filter_model:
        return frame
    if not isinstance(filter_model, dict):
        return None
    lines = worklist_lines(access, as_of, mode, cps, facilitators, lang)
    return frame.iloc[filtered_order(lines, filter_model, [], _OFFERED)].reset_index(drop=True)


download = table_download(
    ids.ISO_DOWNLOAD, ids.ISO_DOWNLOAD_BTN,
    [(ids.ISO_AS_OF, "value"), (ids.ISO_MODE, "value"), (ids.ISO_CP, "value"),
     (ids.ISO_FACILITATOR, "value"), (ids.ISO_GRID, "filterModel")],
    download_frame, "isolamento.csv")
