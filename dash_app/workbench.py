"""What the recording, upload and follow-up pages share: the store to write to, the author of a
write, the people a user may choose, problems in the user's words, and freshness after a write.

Writes go through :mod:`genera_graph.io.records` (the importer's validation); this module only
turns form values into record cells and the answers into words next to the fields.

Examples
--------
>>> rule_text("not a valid date dd/mm/yyyy", "it")
'data non valida: scrivere gg/mm/aaaa'
>>> rule_text("value not allowed; allowed: peer, professional", "en")
'value not allowed (allowed: peer, professional)'
>>> day_text("2026-12-01"), day_text("31/02/2017"), day_text(None)
('01/12/2026', '31/02/2017', '')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from dash_app.i18n import register
from genera_graph.io.records import Author
from genera_graph.l10n import NNP_, NP_, pgettext

_log = logging.getLogger(__name__)

__all__ = [
    "TEXT",
    "after_write",
    "author_of",
    "day_text",
    "people_options",
    "rule_text",
    "store_of",
    "wt",
]

#: the labels of the workbench pages: gettext message ids (English) declared for the catalogs,
#: each in its own context (its key), added to :data:`dash_app.i18n.TRANSLATIONS`
TEXT: dict[str, Any] = {
    "nav.record": NP_("nav.record",
                 "Record"),
    "nav.upload": NP_("nav.upload",
                 "Upload register"),
    "rec.title": NP_("rec.title",
                 "Record an activity"),
    "rec.intro": NP_("rec.intro",
                 "Every record is checked as an import is: a problem is shown next to its "
                 "field and nothing is saved."),
    "rec.tab.contact": NP_("rec.tab.contact",
                 "Contact"),
    "rec.tab.attendance": NP_("rec.tab.attendance",
                 "Attendance"),
    "rec.tab.person": NP_("rec.tab.person",
                 "Person or family"),
    "rec.tab.organisation": NP_("rec.tab.organisation",
                 "Association or group"),
    "rec.tab.relation": NP_("rec.tab.relation",
                 "Relation"),
    "rec.tab.followup": NP_("rec.tab.followup",
                 "Follow-up"),
    "rec.save": NP_("rec.save",
                 "Save"),
    "rec.saved": NNP_(
        "rec.saved",
        "Saved ({n} record).",
        "Saved ({n} records)."),
    "rec.not_saved": NP_("rec.not_saved",
                 "Not saved: correct the fields marked."),
    "rec.readonly": NP_("rec.readonly",
                 "This explorer reads a dataset, not a store: nothing can be recorded."),
    "rec.search": NP_("rec.search",
                 "Search by name…"),
    "rec.date_hint": NP_("rec.date_hint",
                 "dd/mm/yyyy"),
    "rec.new_activity": NP_("rec.new_activity",
                 "or a new activity:"),
    "rec.new_person": NP_("rec.new_person",
                 "Add a new person (name):"),
    "rec.household_of": NP_("rec.household_of",
                 "Family"),
    "rec.end_later": NP_("rec.end_later",
                 "Record a relation's end"),
    "rec.history": NP_("rec.history",
                 "Your records: correct or withdraw"),
    "rec.withdraw": NP_("rec.withdraw",
                 "Withdraw"),
    "rec.withdrawn": NP_("rec.withdrawn",
                 "Withdrawn: kept in the history."),
    "rec.history.intro": NP_("rec.history.intro",
                 "Choose one of your records: its form opens with its current values, to "
                 "correct them, above its history (who, when, what changed). Withdrawing it "
                 "takes it out of the data (the analytics no longer see it); it stays in the "
                 "history."),
    "rec.pick": NP_("rec.pick",
                 "Choose one of your records…"),
    "rec.edit.title": NP_("rec.edit.title",
                 "Correct: {record}"),
    "rec.edit.save": NP_("rec.edit.save",
                 "Save the correction"),
    "rec.edit.saved": NP_("rec.edit.saved",
                 "Correction saved: the previous version is kept in the history."),
    "rec.edit.unchanged": NP_("rec.edit.unchanged",
                 "Nothing to save: no field was changed."),
    "rec.edit.refused": NP_("rec.edit.refused",
                 "This record cannot be opened for a change:"),
    "rec.edit.key_note": NP_("rec.edit.key_note",
                 "Changing {fields} moves the record to the new values in one step; the old "
                 "values stay in its history."),
    "rec.edit.kind_fixed": NP_("rec.edit.kind_fixed",
                 "The kind of a family or a person cannot change: withdraw the record and "
                 "record it again."),
    "rec.edit.history": NP_("rec.edit.history",
                 "History of this record"),
    "rec.col.when": NP_("rec.col.when",
                 "When"),
    "rec.col.who": NP_("rec.col.who",
                 "Who"),
    "rec.col.action": NP_("rec.col.action",
                 "Action"),
    "rec.col.changes": NP_("rec.col.changes",
                 "What changed"),
    "rec.action.created": NP_("rec.action.created",
                 "recorded"),
    "rec.action.corrected": NP_("rec.action.corrected",
                 "corrected"),
    "rec.action.withdrawn": NP_("rec.action.withdrawn",
                 "withdrawn"),
    "rec.hidden": NP_("rec.hidden",
                 "(not visible to you)"),
    "rec.table.interactions": NP_("rec.table.interactions",
                 "Contact"),
    "rec.table.participations": NP_("rec.table.participations",
                 "Attendance"),
    "rec.table.actors": NP_("rec.table.actors",
                 "Person or group"),
    "rec.table.household_members": NP_("rec.table.household_members",
                 "Family member"),
    "rec.table.activities": NP_("rec.table.activities",
                 "Activity"),
    "rec.table.relations": NP_("rec.table.relations",
                 "Relation"),
    "rec.table.followups": NP_("rec.table.followups",
                 "Follow-up"),
    "field.date": NP_("field.date",
                 "Date"),
    "field.source_actor_id": NP_("field.source_actor_id",
                 "Family or person"),
    "field.target_actor_id": NP_("field.target_actor_id",
                 "With whom"),
    "field.kind": NP_("field.kind",
                 "Kind"),
    "field.nature": NP_("field.nature",
                 "Nature"),
    "field.programme": NP_("field.programme",
                 "Programme"),
    "field.community_point_id": NP_("field.community_point_id",
                 "Community Point"),
    "field.activity_id": NP_("field.activity_id",
                 "Activity"),
    "field.title": NP_("field.title",
                 "New activity's title"),
    "field.participants": NP_("field.participants",
                 "Participants"),
    "field.name": NP_("field.name",
                 "Name"),
    "field.household_id": NP_("field.household_id",
                 "Family"),
    "field.role": NP_("field.role",
                 "Role in the family"),
    "field.municipality": NP_("field.municipality",
                 "Municipality"),
    "field.first_met": NP_("field.first_met",
                 "First met"),
    "field.actor_id": NP_("field.actor_id",
                 "Who"),
    "field.partner_id": NP_("field.partner_id",
                 "With whom (counterpart)"),
    "field.start_date": NP_("field.start_date",
                 "From"),
    "field.end_date": NP_("field.end_date",
                 "To (if it ended)"),
    "field.relation_id": NP_("field.relation_id",
                 "Relation"),
    "field.participant": NP_("field.participant",
                 "Participant"),
    "field.participation_role": NP_("field.participation_role",
                 "Role in the activity"),
    "field.member": NP_("field.member",
                 "Person"),
    "field.activity_title": NP_("field.activity_title",
                 "Title"),
    "field.left_on": NP_("field.left_on",
                 "Left the programme on"),
    "field.action": NP_("field.action",
                 "What was done"),
    "field.outcome": NP_("field.outcome",
                 "Outcome"),
    "action.contacted": NP_("action.contacted",
                 "contacted"),
    "action.home_visit": NP_("action.home_visit",
                 "home visit"),
    "action.referred_to_service": NP_("action.referred_to_service",
                 "referred to a service"),
    "action.introduced": NP_("action.introduced",
                 "introduced to someone"),
    "action.nothing_needed": NP_("action.nothing_needed",
                 "nothing needed"),
    "outcome.reached": NP_("outcome.reached",
                 "reached"),
    "outcome.not_reached": NP_("outcome.not_reached",
                 "not reached"),
    "outcome.declined": NP_("outcome.declined",
                 "declined"),
    "outcome.engaged": NP_("outcome.engaged",
                 "engaged"),
    "outcome.to_recontact": NP_("outcome.to_recontact",
                 "to contact again"),
    "outcome.resolved": NP_("outcome.resolved",
                 "resolved"),
    "kind.mutual_help": NP_("kind.mutual_help",
                 "mutual help"),
    "kind.meeting": NP_("kind.meeting",
                 "meeting"),
    "kind.referral": NP_("kind.referral",
                 "referral"),
    "kind.support": NP_("kind.support",
                 "support"),
    "kind.cognitive_interview": NP_("kind.cognitive_interview",
                 "interview"),
    "role.head": NP_("role.head",
                 "head of household"),
    "role.partner": NP_("role.partner",
                 "partner"),
    "role.child": NP_("role.child",
                 "child"),
    "role.relative": NP_("role.relative",
                 "relative"),
    "role.other": NP_("role.other",
                 "other"),
    "col.last_followup": NP_("col.last_followup",
                 "Last follow-up"),
    "col.last_action": NP_("col.last_action",
                 "Action"),
    "col.days_without_followup": NP_("col.days_without_followup",
                 "Days without follow-up"),
    "col.followed_up": NP_("col.followed_up",
                 "With a follow-up within 14 days"),
    "col.flagged": NP_("col.flagged",
                 "Households flagged"),
    "col.share": NP_("col.share",
                 "Share"),
    "col.facilitator_id": NP_("col.facilitator_id",
                 "Facilitator"),
    "fu.record": NP_("fu.record",
                 "Record a follow-up"),
    "up.title": NP_("up.title",
                 "Upload a register"),
    "up.intro": NP_("up.intro",
                 "A CSV (;) or XLSX file named after its register (contacts.csv, "
                 "attendance.xlsx, …), at most {mb} MB. It is first checked without writing "
                 "anything; then you choose."),
    "up.drop": NP_("up.drop",
                 "Drop the file here or click to choose it"),
    "up.too_big": NP_("up.too_big",
                 "The file is over {mb} MB."),
    "up.counts": NP_("up.counts",
                 "{file}: {read} rows read, {ok} valid, {bad} with problems."),
    "up.unchanged": NP_("up.unchanged",
                 "{file}: already imported with this content, nothing to do."),
    "up.strict": NP_("up.strict",
                 "Import all (only if no problem)"),
    "up.partial": NP_("up.partial",
                 "Import the valid rows"),
    "up.withdrawn": NNP_(
        "up.withdrawn",
        "{n} row is a record withdrawn in the explorer: it is not imported again (it is in the "
        "problems table).",
        "{n} rows are records withdrawn in the explorer: they are not imported again (they are "
        "in the problems table)."),
    "up.cancel": NP_("up.cancel",
                 "Cancel"),
    "up.cancelled": NP_("up.cancelled",
                 "Cancelled: nothing was written."),
    "up.committed": NP_("up.committed",
                 "Imported: {ok} rows written, {bad} set aside."),
    "up.rejected": NP_("up.rejected",
                 "Not imported: there are problems (nothing was written)."),
    "up.quarantine": NP_("up.quarantine",
                 "Download the rows set aside"),
    "col.file": NP_("col.file",
                 "File"),
    "col.row": NP_("col.row",
                 "Row"),
    "col.column": NP_("col.column",
                 "Column"),
    "col.rule": NP_("col.rule",
                 "Problem"),
    "col.value": NP_("col.value",
                 "Value"),
    "rep.followups": NP_("rep.followups",
                 "Follow-up of the households flagged on {date}"),
}

register(TEXT)

#: the importer's and the records' rules in the user's words: each message id is the
#: beginning of a rule as :mod:`genera_graph.io` writes it (English, with details after it)
_RULE_HEADS = (
    NP_("rule", "not a valid date dd/mm/yyyy"),
    NP_("rule", "required value missing"),
    NP_("rule", "required text missing"),
    NP_("rule", "value not allowed"),
    NP_("rule", "unknown actor id"),
    NP_("rule", "unknown activity id"),
    NP_("rule", "unknown household id"),
    NP_("rule", "not a household"),
    NP_("rule", "an actor cannot interact with itself"),
    NP_("rule", "an actor cannot be related to itself"),
    NP_("rule", "end_date before start_date"),
    NP_("rule", "left_on before first_met"),
    NP_("rule", "duplicate"),
    NP_("rule", "withdrawn in the explorer"),
    NP_("rule", "already recorded"),
    NP_("rule", "no such record"),
    NP_("rule", "only its author or a coordinator"),
    NP_("rule", "not your Community Point"),
    NP_("rule", "not a family or person of your Community Point"),
    NP_("rule", "only a coordinator records points"),
    NP_("rule", "still named by"),
    NP_("rule", "must not be negative"),
    NP_("rule", "not a number"),
    NP_("rule", "id must be letters"),
    NP_("rule", "kind not kept in this register"),
    NP_("rule", "required column missing from the header"),
    NP_("rule", "unknown column"),
    NP_("rule", "not a CSV or XLSX file"),
    NP_("rule", "not a known register"),
    NP_("rule", "a NUL character"),
)
#: rules whose details the words keep: pattern (its named groups fill the message's
#: placeholders; ``kind``, an actor kind, is shown in words) -> message
_RULE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, str]], ...] = (
    *((re.compile(re.escape(message[1])), message) for message in _RULE_HEADS),
    (re.compile(r"dated before the programme met (?P<kind>\w+) (?P<actor>\S+) "
                r"\(first_met (?P<date>[\d/]+)"),
     NP_("rule", "dated before the programme met {kind} {actor} (first met on {date})")),
    (re.compile(r"a \w+ may not write records"), NP_("rule", "this role may not write records")),
    # marking an introduction (genera_graph.io.introductions)
    (re.compile(r"a date after today"), NP_("rule", "a date after today")),
    (re.compile(r"already (?P<status>\w+): nothing to change"),
     NP_("rule", "already marked so: nothing to change")),
    (re.compile(r"before the introduction's previous status, (?P<date>[\d/]+)"),
     NP_("rule", "before the introduction's previous status, {date}")),
    (re.compile(r"only a declined introduction has a reason"),
     NP_("rule", "only a declined introduction has a reason for it")),
    (re.compile(r"not a peer \("),
     NP_("rule", "not a peer (a family, a person, an association or a group)")),
    (re.compile(r"an actor cannot be introduced to itself"),
     NP_("rule", "an actor cannot be introduced to itself")),
)
#: the allowed values of a choice, listed after the rule
_NOT_ALLOWED = "value not allowed; allowed: "
_NOT_ALLOWED_WORDS = NP_("rule", "value not allowed (allowed: {allowed})")


def wt(key: str, lang: str = "it", **values: Any) -> str:
    """A workbench label in ``lang``, from the catalogs, with ``{values}`` filled in."""
    from dash_app.i18n import t

    return t(key, lang, **values)


def rule_text(rule: str, lang: str = "it") -> str:
    """A problem's rule in the user's language, from the catalogs.

    The importer writes its rules in English, with their details (the ids, the file and row
    an actor was met in). A rule is known by its beginning (:data:`_RULE_HEADS`) or its
    pattern; a language whose catalog keeps the message as it is (English) shows the rule
    whole, as written; any other shows the catalog's words, with the pattern's details. A
    rule the catalogs do not know is shown as written.
    """
    from dash_app.i18n import kind_label

    if rule.startswith(_NOT_ALLOWED):
        return pgettext(*_NOT_ALLOWED_WORDS, lang).format(allowed=rule[len(_NOT_ALLOWED):])
    for pattern, message in _RULE_PATTERNS:
        match = pattern.match(rule)
        if match is None:
            continue
        words = pgettext(*message, lang)
        if words == message[1]:
            return rule
        details = match.groupdict()
        if "kind" in details:
            details["kind"] = kind_label(details["kind"], lang).lower()
        return words.format(**details)
    return rule


def day_text(value: Any) -> str:
    """A date picker's value (ISO ``yyyy-mm-dd``) or typed text as a register cell
    (``dd/mm/yyyy``); typed text is passed on as typed, for the importer to judge."""
    if value is None or value == "":
        return ""
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", text)
    if match:
        return f"{match[3]}/{match[2]}/{match[1]}"
    return text


def store_of(access: Any) -> Any | None:
    """The :class:`~genera_graph.io.store.Store` behind an access object (one per source,
    kept open), or ``None`` when the explorer reads a dataset or register files."""
    from dash_app.data.source import store_for

    return store_for(getattr(access, "source", None))


def author_of(viewer: Any) -> Author:
    """The author of a write: the viewer's user id (before sign-in exists, the configured
    viewer's role and point name it)."""
    points = getattr(viewer, "community_points", None) or (
        (viewer.community_point_id,) if getattr(viewer, "community_point_id", None) else ())
    user = getattr(viewer, "user_id", None) or (
        f"serve:{viewer.role}" + (f":{points[0]}" if points else ""))
    role = viewer.role if viewer.role == "coordinator" or points else "facilitator"
    if viewer.role == "coordinator":
        points = ()
    return Author(str(user), role, tuple(points))


def after_write(access: Any, touched: Iterable[str], result: Any = None,
                action: str = "save") -> None:
    """Make every page reflect a write at once: the access objects of the same source drop
    the caches the write touched (``"data"``: the dataset and everything derived from it;
    ``"followups"``: the follow-up tables). With the write's ``result`` (a
    :class:`~genera_graph.io.records.RecordResult`), they patch the dataset they hold with
    its rows instead of reading the whole store again."""
    from dash_app.data import invalidate
    from dash_app.data.source import wrote

    touched = frozenset(touched)
    _audit_write(access, touched, result, action)
    alone = wrote(access.source, getattr(result, "data_versions", None)) if result else False
    delta = (_delta(result, action) if result is not None and "data" in touched and alone
             else None)
    if result is not None and not alone:  # another process wrote too: read it all again
        touched |= {"data"}
    invalidate(access.source, touched, delta)


def _audit_write(access: Any, touched: frozenset[str], result: Any, action: str) -> None:
    """Append the write to the audit log: who, what (``record_save``, ``record_correct``,
    ``record_withdraw``, ``upload``, ``introduction``), the tables and the ids of the people
    named, never a value. A store-less explorer (a dataset in memory) has no log."""
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.records import ACTOR_COLUMNS

    store = store_of(access)
    if store is None:
        return
    viewer = access.viewer
    user = getattr(viewer, "username", None) or author_of(viewer).user_id
    rows = list(getattr(result, "rows", None) or [])
    if rows:
        tables = sorted({table for table, _ in rows})
        ids = sorted({str(cells[c]) for table, cells in rows
                      for c in ACTOR_COLUMNS.get(table, ()) if cells.get(c)})
        what = f"record_{action}"
    else:  # an upload (its counts are the import's) or an introduction's mark
        tables = sorted(touched)
        ids = []
        what = "introduction" if touched == {"introductions"} else "upload"
    try:
        AuditLog(store).record(user, what, [*tables, *ids], rows=len(rows))
    except ValueError:  # an id that is not id-like: say so without it, never drop the entry
        _log.warning("a write's audit entry named an id that is not id-like")
        AuditLog(store).record(user, what, tables, rows=len(rows), ids_refused=True)


def _delta(result: Any, action: str) -> Any:
    """The rows a record write changed, typed as the store loads them, with the earliest
    day they can change (:func:`dash_app.data.delta.record_delta`). A correction that moved
    a record to another key (an attendance's day) also removes the old key's row."""
    from dash_app.data.delta import Delta, record_delta
    from genera_graph.io.schema import TABLE_KEYS

    previous = list(result.previous) or [None] * len(result.rows)
    withdrawn = action == "withdraw"
    delta = record_delta(result.rows, previous, withdrawn=withdrawn)
    moved = [(table, old) for (table, cells), old in zip(result.rows, previous, strict=True)
             if not withdrawn and old is not None and table in TABLE_KEYS
             and any(old.get(c) != cells.get(c) for c in TABLE_KEYS[table])]
    if delta is None or not moved:
        return delta
    gone = record_delta(moved, [old for _, old in moved], withdrawn=True)
    if gone is None:
        return None
    since = None if delta.since is None or gone.since is None else min(delta.since, gone.since)
    return Delta(delta.upserts, (*gone.removals, *delta.removals), since, False)


def people_options(access: Any, kinds: Iterable[str] = ("household", "individual"),
                   lang: str = "it") -> list[dict]:
    """Dropdown options of the actors the viewer sees, searchable by name: the label is the
    name with its kind and point; the value (the id) is never typed."""
    from dash_app.i18n import kind_label

    a = access.actors
    kinds = tuple(kinds)
    chosen = a[a["kind"].isin(kinds)] if kinds else a
    chosen = chosen.sort_values(["name", "actor_id"])
    out = []
    for actor_id, name, kind, cp in zip(chosen["actor_id"], chosen["name"], chosen["kind"],
                                        chosen["community_point_id"], strict=True):
        where = f" · {cp}" if isinstance(cp, str) and cp else ""
        out.append({"label": f"{name} ({kind_label(kind, lang)}{where})", "value": actor_id,
                    "search": str(name)})
    return out


def problems_by_field(problems: Iterable[Any], lang: str) -> dict[str, str]:
    """Column -> its problems in words; whole-record problems under ``""``."""
    out: dict[str, list[str]] = {}
    for p in problems:
        if getattr(p, "severity", "error") != "error":
            continue
        out.setdefault(p.column or "", []).append(rule_text(p.rule, lang))
    return {k: "; ".join(dict.fromkeys(v)) for k, v in out.items()}


def frame_of_problems(result: Any, lang: str) -> pd.DataFrame:
    """An import's problems as the grid shows them: file, spreadsheet row, column, rule,
    value (values cut to 80 characters); errors, and the rows of withdrawn records left out."""
    from genera_graph.io.withdrawals import RULE as WITHDRAWN

    rows = [(p.file, p.row, p.column or "", rule_text(p.rule, lang),
             "" if p.value is None else str(p.value)[:80]) for p in result.problems
            if p.severity == "error" or p.rule == WITHDRAWN]
    frame = pd.DataFrame(rows, columns=["file", "row", "column", "rule", "value"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


def followup_table(access: Any) -> pd.DataFrame:
    """The follow-ups of the households the viewer sees (empty without a store), cached on the
    access object until a follow-up is written (:func:`after_write`)."""
    from dash_app.data import generation
    from genera_graph.io.records import followups

    key = ("workbench.followups", generation(access.source, "followups"),
           generation(access.source, "data"))
    cache = access.__dict__.setdefault("_workbench_cache", {})
    if key not in cache:
        store = store_of(access)
        table = followups(store) if store is not None else pd.DataFrame(
            {c: pd.Series([], dtype=object) for c in ("followup_id", "household_id", "date",
                                                     "action", "outcome")})
        if len(table):
            table = table[table["household_id"].isin(access.actors.index)]
        cache.clear()
        cache[key] = table.reset_index(drop=True)
    return cache[key]
