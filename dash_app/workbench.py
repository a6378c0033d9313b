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

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from genera_graph.io.records import Author

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

#: the labels of the workbench pages, Italian first
TEXT: dict[str, dict[str, str]] = {
    "nav.record": {"it": "Registra", "en": "Record"},
    "nav.upload": {"it": "Carica registro", "en": "Upload register"},
    "rec.title": {"it": "Registra un'attività", "en": "Record an activity"},
    "rec.intro": {"it": "Ogni registrazione è controllata come un'importazione: se c'è un "
                        "problema, è scritto accanto al campo e non si salva nulla.",
                  "en": "Every record is checked as an import is: a problem is shown next to "
                        "its field and nothing is saved."},
    "rec.tab.contact": {"it": "Contatto", "en": "Contact"},
    "rec.tab.attendance": {"it": "Presenze", "en": "Attendance"},
    "rec.tab.person": {"it": "Persona o famiglia", "en": "Person or family"},
    "rec.tab.organisation": {"it": "Associazione o gruppo", "en": "Association or group"},
    "rec.tab.relation": {"it": "Relazione", "en": "Relation"},
    "rec.tab.followup": {"it": "Follow-up", "en": "Follow-up"},
    "rec.save": {"it": "Salva", "en": "Save"},
    "rec.saved": {"it": "Salvato ({n} registrazioni).", "en": "Saved ({n} records)."},
    "rec.not_saved": {"it": "Non salvato: correggi i campi segnati.",
                      "en": "Not saved: correct the fields marked."},
    "rec.readonly": {"it": "Questo esploratore legge un insieme di dati, non un archivio: "
                           "non si può registrare.",
                     "en": "This explorer reads a dataset, not a store: nothing can be "
                           "recorded."},
    "rec.search": {"it": "Cerca per nome…", "en": "Search by name…"},
    "rec.date_hint": {"it": "gg/mm/aaaa", "en": "dd/mm/yyyy"},
    "rec.new_activity": {"it": "oppure una nuova attività:", "en": "or a new activity:"},
    "rec.new_person": {"it": "Aggiungi una persona nuova (nome):", "en": "Add a new person "
                                                                       "(name):"},
    "rec.household_of": {"it": "Famiglia", "en": "Family"},
    "rec.end_later": {"it": "Registra la fine di una relazione", "en": "Record a relation's end"},
    "rec.history": {"it": "Ultime registrazioni", "en": "Latest records"},
    "rec.withdraw": {"it": "Ritira", "en": "Withdraw"},
    "rec.withdrawn": {"it": "Ritirato: resta nello storico.", "en": "Withdrawn: kept in the "
                                                                    "history."},
    "rec.history.intro": {"it": "Scegli una tua registrazione per ritirarla: esce dai dati "
                                "(le analisi non la vedono più) e resta nello storico con "
                                "chi e quando.",
                          "en": "Choose one of your records to withdraw it: it leaves the data "
                                "(the analytics no longer see it) and stays in the history "
                                "with who and when."},
    "rec.table.interactions": {"it": "Contatto", "en": "Contact"},
    "rec.table.participations": {"it": "Presenza", "en": "Attendance"},
    "rec.table.actors": {"it": "Persona o gruppo", "en": "Person or group"},
    "rec.table.household_members": {"it": "In famiglia", "en": "Family member"},
    "rec.table.activities": {"it": "Attività", "en": "Activity"},
    "rec.table.relations": {"it": "Relazione", "en": "Relation"},
    "rec.table.followups": {"it": "Follow-up", "en": "Follow-up"},
    "field.date": {"it": "Data", "en": "Date"},
    "field.source_actor_id": {"it": "Famiglia o persona", "en": "Family or person"},
    "field.target_actor_id": {"it": "Con chi", "en": "With whom"},
    "field.kind": {"it": "Tipo", "en": "Kind"},
    "field.nature": {"it": "Natura", "en": "Nature"},
    "field.programme": {"it": "Programma", "en": "Programme"},
    "field.community_point_id": {"it": "Punto di Comunità", "en": "Community Point"},
    "field.activity_id": {"it": "Attività", "en": "Activity"},
    "field.title": {"it": "Titolo della nuova attività", "en": "New activity's title"},
    "field.participants": {"it": "Partecipanti", "en": "Participants"},
    "field.name": {"it": "Nome", "en": "Name"},
    "field.household_id": {"it": "Famiglia", "en": "Family"},
    "field.role": {"it": "Ruolo in famiglia", "en": "Role in the family"},
    "field.municipality": {"it": "Comune", "en": "Municipality"},
    "field.first_met": {"it": "Primo incontro", "en": "First met"},
    "field.actor_id": {"it": "Chi", "en": "Who"},
    "field.partner_id": {"it": "Con chi (controparte)", "en": "With whom (counterpart)"},
    "field.start_date": {"it": "Dal", "en": "From"},
    "field.end_date": {"it": "Al (se è finita)", "en": "To (if it ended)"},
    "field.relation_id": {"it": "Relazione", "en": "Relation"},
    "field.action": {"it": "Che cosa è stato fatto", "en": "What was done"},
    "field.outcome": {"it": "Esito", "en": "Outcome"},
    "action.contacted": {"it": "contattata", "en": "contacted"},
    "action.home_visit": {"it": "visita a casa", "en": "home visit"},
    "action.referred_to_service": {"it": "inviata a un servizio", "en": "referred to a service"},
    "action.introduced": {"it": "presentata a qualcuno", "en": "introduced to someone"},
    "action.nothing_needed": {"it": "nessun intervento necessario", "en": "nothing needed"},
    "outcome.reached": {"it": "raggiunta", "en": "reached"},
    "outcome.not_reached": {"it": "non raggiunta", "en": "not reached"},
    "outcome.declined": {"it": "ha rifiutato", "en": "declined"},
    "outcome.engaged": {"it": "si è attivata", "en": "engaged"},
    "outcome.to_recontact": {"it": "da ricontattare", "en": "to contact again"},
    "outcome.resolved": {"it": "situazione risolta", "en": "resolved"},
    "kind.mutual_help": {"it": "aiuto reciproco", "en": "mutual help"},
    "kind.meeting": {"it": "incontro", "en": "meeting"},
    "kind.referral": {"it": "invio", "en": "referral"},
    "kind.support": {"it": "sostegno", "en": "support"},
    "kind.cognitive_interview": {"it": "colloquio", "en": "interview"},
    "role.head": {"it": "capofamiglia", "en": "head of household"},
    "role.partner": {"it": "partner", "en": "partner"},
    "role.child": {"it": "figlio/a", "en": "child"},
    "role.relative": {"it": "parente", "en": "relative"},
    "role.other": {"it": "altro", "en": "other"},
    "col.last_followup": {"it": "Ultimo follow-up", "en": "Last follow-up"},
    "col.last_action": {"it": "Azione", "en": "Action"},
    "col.days_without_followup": {"it": "Giorni senza follow-up",
                                  "en": "Days without follow-up"},
    "col.followed_up": {"it": "Con follow-up entro 14 giorni",
                        "en": "With a follow-up within 14 days"},
    "col.flagged": {"it": "Famiglie segnalate", "en": "Households flagged"},
    "col.share": {"it": "Quota", "en": "Share"},
    "col.facilitator_id": {"it": "Facilitatore", "en": "Facilitator"},
    "fu.record": {"it": "Registra un follow-up", "en": "Record a follow-up"},
    "up.title": {"it": "Carica un registro", "en": "Upload a register"},
    "up.intro": {"it": "File CSV (;) o XLSX chiamato come il suo registro (contacts.csv, "
                       "attendance.xlsx, …), al massimo {mb} MB. Prima si controlla senza "
                       "scrivere nulla; poi scegli.",
                 "en": "A CSV (;) or XLSX file named after its register (contacts.csv, "
                       "attendance.xlsx, …), at most {mb} MB. It is first checked without "
                       "writing anything; then you choose."},
    "up.drop": {"it": "Trascina qui il file o clicca per sceglierlo",
                "en": "Drop the file here or click to choose it"},
    "up.too_big": {"it": "Il file supera {mb} MB.", "en": "The file is over {mb} MB."},
    "up.counts": {"it": "{file}: {read} righe lette, {ok} valide, {bad} con problemi.",
                  "en": "{file}: {read} rows read, {ok} valid, {bad} with problems."},
    "up.unchanged": {"it": "{file}: già importato con questo contenuto, nulla da fare.",
                     "en": "{file}: already imported with this content, nothing to do."},
    "up.strict": {"it": "Importa tutto (solo se nessun problema)",
                  "en": "Import all (only if no problem)"},
    "up.partial": {"it": "Importa le righe valide", "en": "Import the valid rows"},
    "up.withdrawn": {"it": "{n} righe sono registrazioni ritirate nell'esploratore: non si "
                           "importano di nuovo (sono nella tabella dei problemi).",
                     "en": "{n} rows are records withdrawn in the explorer: they are not "
                           "imported again (they are in the problems table)."},
    "up.cancel": {"it": "Annulla", "en": "Cancel"},
    "up.cancelled": {"it": "Annullato: nulla è stato scritto.",
                     "en": "Cancelled: nothing was written."},
    "up.committed": {"it": "Importato: {ok} righe scritte, {bad} messe da parte.",
                     "en": "Imported: {ok} rows written, {bad} set aside."},
    "up.rejected": {"it": "Non importato: ci sono problemi (nulla è stato scritto).",
                    "en": "Not imported: there are problems (nothing was written)."},
    "up.quarantine": {"it": "Scarica le righe messe da parte", "en": "Download the rows set "
                                                                   "aside"},
    "col.file": {"it": "File", "en": "File"},
    "col.row": {"it": "Riga", "en": "Row"},
    "col.column": {"it": "Colonna", "en": "Column"},
    "col.rule": {"it": "Problema", "en": "Problem"},
    "col.value": {"it": "Valore", "en": "Value"},
    "rep.followups": {"it": "Follow-up delle famiglie segnalate al {date}",
                      "en": "Follow-up of the households flagged on {date}"},
}

def _register_labels() -> None:
    """Make the workbench's labels known to the app's ``t`` (navigation, grid headers)."""
    from dash_app import i18n

    table = getattr(i18n, "TRANSLATIONS", None)
    if isinstance(table, dict):
        for key, value in TEXT.items():
            table.setdefault(key, value)


_register_labels()

#: importer and records rules in Italian (the beginning of the English rule -> Italian)
_RULES_IT: list[tuple[str, str]] = [
    ("not a valid date dd/mm/yyyy", "data non valida: scrivere gg/mm/aaaa"),
    ("required value missing", "campo obbligatorio"),
    ("required text missing", "campo obbligatorio"),
    ("value not allowed", "valore non ammesso"),
    ("unknown actor id", "attore sconosciuto"),
    ("unknown activity id", "attività sconosciuta"),
    ("unknown household id", "famiglia sconosciuta"),
    ("not a household", "non è una famiglia"),
    ("an actor cannot interact with itself", "un contatto richiede due attori diversi"),
    ("an actor cannot be related to itself", "una relazione richiede due attori diversi"),
    ("end_date before start_date", "la fine è prima dell'inizio"),
    ("left_on before first_met", "l'uscita è prima del primo incontro"),
    ("duplicate", "ripetuto in questa registrazione"),
    ("withdrawn in the explorer", "ritirato nell'esploratore: non si importa di nuovo"),
    ("already recorded", "già registrato: correggilo invece"),
    ("no such record", "registrazione non trovata"),
    ("only its author or a coordinator", "solo chi l'ha registrato o il coordinamento può "
                                         "modificarlo"),
    ("not your Community Point", "non è il tuo Punto di Comunità"),
    ("not a family or person of your Community Point",
     "non è una famiglia o una persona del tuo Punto di Comunità"),
    ("only a coordinator records points", "solo il coordinamento registra punti e "
                                          "facilitatori"),
    ("still named by", "ancora citato da altre registrazioni: ritirale prima"),
    ("must not be negative", "non può essere negativo"),
    ("not a number", "non è un numero"),
    ("id must be letters", "codice non valido"),
    ("kind not kept in this register", "tipo non ammesso in questo registro"),
    ("required column missing from the header", "colonna obbligatoria mancante"),
    ("unknown column", "colonna sconosciuta: ignorata"),
    ("not a CSV or XLSX file", "non è un file CSV o XLSX"),
    ("not a known register", "il nome del file non è quello di un registro"),
    ("a NUL character", "carattere NUL: file danneggiato"),
]


def wt(key: str, lang: str = "it", **values: Any) -> str:
    """A workbench label in ``lang`` (Italian when missing), with ``{values}`` filled in."""
    entry = TEXT.get(key)
    if entry is None:
        from dash_app.i18n import t

        return t(key, lang, **values)
    text = entry.get(lang) or entry["it"]
    return text.format(**values) if values else text


def rule_text(rule: str, lang: str = "it") -> str:
    """A problem's rule in the user's language (the importer writes English)."""
    if lang != "it":
        if rule.startswith("value not allowed; allowed: "):
            return "value not allowed (allowed: " + rule.split(": ", 1)[1] + ")"
        return rule
    for head, italian in _RULES_IT:
        if rule.startswith(head):
            if head == "a NUL character" or not rule.startswith("value not allowed"):
                return italian
            return italian + " (ammessi: " + rule.split(": ", 1)[1] + ")"
    if re.match(r"a \w+ may not write records", rule):
        return "questo profilo non può registrare"
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
    alone = wrote(access.source, getattr(result, "data_versions", None)) if result else False
    delta = (_delta(result, action) if result is not None and "data" in touched and alone
             else None)
    if result is not None and not alone:  # another process wrote too: read it all again
        touched |= {"data"}
    invalidate(access.source, touched, delta)


def _delta(result: Any, action: str) -> Any:
    """The rows a record write changed, typed as the store loads them, with the earliest
    day they can change (:func:`dash_app.data.delta.record_delta`)."""
    from dash_app.data.delta import record_delta

    previous = list(result.previous) or [None] * len(result.rows)
    return record_delta(result.rows, previous, withdrawn=action == "withdraw")


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
