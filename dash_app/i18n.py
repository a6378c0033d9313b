"""Every label of the explorer, in Italian (the default) and English, and the date format.

Examples
--------
>>> t("nav.map", "it")
'Mappa'
>>> t("nav.map", "en")
'Map'
>>> fmt_date("2016-05-18")
'18/05/2016'
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from genera_graph.io.registers import format_number as fmt_number

__all__ = [
    "DEFAULT_LANG",
    "DROPDOWN_LABELS",
    "GRID_LOCALE_IT",
    "LANGS",
    "LANG_COOKIE",
    "TRANSLATIONS",
    "NUMBER_LOCALES",
    "fmt_date",
    "fmt_number",
    "kind_label",
    "nature_label",
    "programme_label",
    "request_lang",
    "t",
]

DEFAULT_LANG = "it"
LANGS = ("it", "en")
#: the cookie that carries the chosen language to server-rendered layouts
LANG_COOKIE = "genera_lang"
#: day-first dates everywhere (tables, slider marks, hovers, downloads)
DATE_FORMAT = "%d/%m/%Y"
#: the browser locale that writes numbers as each language does (grids: ``Intl.NumberFormat``)
NUMBER_LOCALES = {"it": "it-IT", "en": "en-GB"}
#: the same format for plotly (axes and hovers)
PLOTLY_DATE = "%d/%m/%Y"

TRANSLATIONS: dict[str, dict[str, str]] = {
    # shell
    "app.title": {"it": "genera_azioni · esploratore delle relazioni",
                  "en": "genera_azioni · relationship explorer"},
    "app.viewer.coordinator": {"it": "Coordinamento", "en": "Coordinator"},
    "app.viewer.facilitator": {"it": "Facilitatore · punto {cp}", "en": "Facilitator · point {cp}"},
    "nav.overview": {"it": "Panoramica", "en": "Overview"},
    "nav.map": {"it": "Mappa", "en": "Map"},
    "nav.isolation": {"it": "Isolamento", "en": "Isolation"},
    "nav.bridges": {"it": "Ponti", "en": "Bridges"},
    "nav.communities": {"it": "Comunità", "en": "Communities"},
    "nav.report": {"it": "Rapporto", "en": "Report"},
    "nav.actor": {"it": "Scheda attore", "en": "Actor"},
    "nav.glossary": {"it": "Glossario", "en": "Glossary"},
    "glo.title": {"it": "Glossario: cosa vogliono dire i numeri", "en": "Glossary: what the figures mean"},
    "glo.intro": {"it": "Ogni misura, stato e ragione dell'esploratore in poche parole, con il "
                        "riferimento per chi fa ricerca. Passando il mouse su un'intestazione "
                        "di tabella con (i) compare la stessa spiegazione.",
                  "en": "Every measure, status and reason of the explorer in a few words, with "
                        "the reference for researchers. Hovering a table header marked (i) shows "
                        "the same explanation."},
    "glo.ref": {"it": "Riferimento", "en": "Reference"},
    "glo.worklist": {"it": "Elenco delle famiglie da seguire", "en": "The worklist"},
    "glo.statuses": {"it": "Stati", "en": "Statuses"},
    "glo.reasons": {"it": "Ragioni di una segnalazione", "en": "Reasons for a flag"},
    "glo.bridges": {"it": "Ponti e intermediari", "en": "Bridges and brokers"},
    "glo.roles": {"it": "Ruoli di intermediazione (tra gruppi)",
                  "en": "Brokerage roles (between groups)"},
    "glo.growth": {"it": "Crescita della rete", "en": "Growth of the network"},
    "glo.communities": {"it": "Comunità", "en": "Communities"},
    "com.modularity": {"it": "modularità", "en": "modularity"},
    "col.main_reason": {"it": "Ragione principale", "en": "Main reason"},
    "col.last_follow_up": {"it": "Ultima azione", "en": "Last follow-up"},
    "common.download": {"it": "Scarica CSV", "en": "Download CSV"},
    "common.all": {"it": "Tutti", "en": "All"},
    "common.cp": {"it": "Punto di Comunità", "en": "Community Point"},
    "common.programme": {"it": "Programma", "en": "Programme"},
    "common.kind": {"it": "Tipo di attore", "en": "Actor kind"},
    "common.nature": {"it": "Natura del legame", "en": "Tie nature"},
    "common.window": {"it": "Periodo", "en": "Period"},
    "common.from_to": {"it": "dal {start} al {end}", "en": "from {start} to {end}"},
    "common.empty": {"it": "Nessun dato per questa selezione.",
                     "en": "No data for this selection."},
    "common.name": {"it": "Nome", "en": "Name"},
    "common.id": {"it": "Codice", "en": "Id"},
    "common.month": {"it": "Mese", "en": "Month"},
    "common.facilitator": {"it": "Facilitatore", "en": "Facilitator"},
    "common.not_found": {"it": "Attore non trovato (o non visibile per questo profilo).",
                         "en": "Actor not found (or not visible to this viewer)."},
    # overview
    "ov.title": {"it": "Panoramica del distretto", "en": "District overview"},
    "ov.kpi.reach": {"it": "Attori raggiunti", "en": "Actors reached"},
    "ov.kpi.active": {"it": "Legami attivi nel mese", "en": "Active ties in the month"},
    "ov.kpi.month": {"it": "mese dal {date}", "en": "month from {date}"},
    "ov.kpi.district": {"it": "tutto il distretto", "en": "whole district"},
    "ov.group": {"it": "Vista", "en": "View"},
    "ov.group.all": {"it": "Tutto il distretto", "en": "Whole district"},
    "ov.group.own": {"it": "Il mio Punto di Comunità ({cp})", "en": "My Community Point ({cp})"},
    "ov.title.point": {"it": "Panoramica del Punto di Comunità {cp}",
                       "en": "Overview of Community Point {cp}"},
    "scope.point": {"it": "Le cifre di questa pagina riguardano solo il Punto di Comunità {cp}: "
                          "le famiglie degli altri punti non sono contate.",
                    "en": "The figures on this page are about Community Point {cp} only: other "
                          "points' households are not counted."},
    "scope.district": {"it": "Le cifre di questa pagina riguardano tutto il distretto.",
                       "en": "The figures on this page are about the whole district."},
    "ov.kpi.peer": {"it": "Quota di legami tra pari", "en": "Share of peer ties"},
    "ov.kpi.isolated": {"it": "Famiglie isolate o a rischio", "en": "Households isolated or at risk"},
    "ov.kpi.at": {"it": "al {date}", "en": "on {date}"},
    "ov.growth": {"it": "Crescita della rete", "en": "Growth of the network"},
    "ov.peer": {"it": "Quota di legami tra pari nel tempo", "en": "Share of peer ties over time"},
    "ov.table": {"it": "Serie mensile", "en": "Monthly series"},
    "ov.lost.note": {
        "it": "Un legame è perso se non si rinnova nei {days} giorni dall'inizio del mese: "
              "per i mesi più vicini alla fine del registro non è ancora noto e manca.",
        "en": "A tie is lost if it is not renewed within {days} days of the month's start: for "
              "the months closest to the end of the record this is not yet known, and missing."},
    "series.reach": {"it": "Raggiunti (cumulato)", "en": "Reached (cumulative)"},
    "series.active_ties": {"it": "Legami attivi", "en": "Active ties"},
    "series.new_ties": {"it": "Legami nuovi", "en": "New ties"},
    "series.lost_ties": {"it": "Legami persi", "en": "Lost ties"},
    "series.peer_share": {"it": "Quota tra pari", "en": "Peer share"},
    # map
    "map.title": {"it": "Mappa delle relazioni", "en": "Relationship map"},
    "map.colour": {"it": "Colore per", "en": "Colour by"},
    "map.colour.kind": {"it": "tipo di attore", "en": "actor kind"},
    "map.colour.community": {"it": "comunità", "en": "community"},
    "map.colour.cp": {"it": "Punto di Comunità", "en": "Community Point"},
    "map.size": {"it": "Dimensione per", "en": "Size by"},
    "map.size.degree": {"it": "numero di legami", "en": "number of ties"},
    "map.size.strength": {"it": "intensità (eventi)", "en": "strength (events)"},
    "map.size.none": {"it": "uguale per tutti", "en": "same for all"},
    "map.capped": {"it": "disegnati i {n} legami più intensi", "en": "the {n} strongest ties drawn"},
    "map.play": {"it": "Crescita mese per mese", "en": "Growth month by month"},
    "map.play.title": {"it": "Anima la mappa dall'inizio del programma, un mese alla volta "
                             "(clicca di nuovo per fermare)",
                       "en": "Animate the map from the programme's start, one month at a time "
                             "(click again to stop)"},
    "map.png": {"it": "Salva come immagine (PNG)", "en": "Save as image (PNG)"},
    "ego.list": {"it": "{n} partner nel periodo, dal più frequente:",
                 "en": "{n} partners in the period, most frequent first:"},
    "col.last_contact": {"it": "Ultimo contatto", "en": "Last contact"},
    "map.search": {"it": "Cerca per nome…", "en": "Search by name…"},
    "map.stats": {"it": "{nodes} attori, {edges} legami · {period}",
                  "en": "{nodes} actors, {edges} ties · {period}"},
    "map.panel.hint": {"it": "Clicca un attore sulla mappa (o cercalo per nome) per vedere la "
                             "sua rete personale.",
                       "en": "Click an actor on the map (or search for a name) to see its "
                             "personal network."},
    "map.panel.ties": {"it": "Legami nel periodo: {n} ({peer} tra pari)",
                       "en": "Ties in the period: {n} ({peer} peer)"},
    "map.panel.open": {"it": "Apri la scheda", "en": "Open the page"},
    "map.panel.ego": {"it": "Rete personale nel periodo", "en": "Personal network in the period"},
    # isolation
    "iso.title": {"it": "Famiglie da seguire: segnali di isolamento",
                  "en": "Households to follow: isolation warnings"},
    "iso.intro": {"it": "Ogni famiglia segnalata ha le sue ragioni e le date che le sostengono.",
                  "en": "Each flagged household comes with its reasons and supporting dates."},
    "br.whatif.table": {"it": "Oppure clicca una riga della tabella dei ponti.",
                        "en": "Or click a line of the bridging table."},
    "br.whatif.cut": {"it": "Resterebbero fuori dalla rete principale ({n}):",
                      "en": "Would be cut off from the main network ({n}):"},
    "br.whatif.nobody": {"it": "Nessuno resterebbe fuori dalla rete principale.",
                         "en": "Nobody would be cut off from the main network."},
    "br.whatif.more": {"it": "e altri {n}", "en": "and {n} more"},
    "br.brokerage.empty.cp": {
        "it": "Nessun ruolo di intermediazione: nel periodo servono almeno tre attori legati "
              "di almeno due Punti di Comunità diversi.",
        "en": "No brokerage roles: the period needs at least three linked actors of at least "
              "two different Community Points."},
    "br.brokerage.empty.programme": {
        "it": "Nessun ruolo di intermediazione: nel periodo servono almeno tre attori legati, "
              "con attività prevalenti in almeno due programmi diversi.",
        "en": "No brokerage roles: the period needs at least three linked actors whose main "
              "activity is in at least two different programmes."},
    "iso.count.of": {"it": "(su {total}: filtri della tabella attivi)",
                     "en": "(of {total}: table filters on)"},
    "iso.details.hint": {"it": "Clicca una riga per vedere tutte le ragioni con le date.",
                         "en": "Click a line to see all the reasons with their dates."},
    "iso.empty.flagged": {"it": "Al {date} nessuna famiglia è isolata o a rischio.",
                          "en": "On {date} no household is isolated or at risk."},
    "iso.empty.warning": {"it": "Al {date} nessuna famiglia è peggiorata rispetto a un mese "
                                "prima: l'elenco mostra solo chi è passato a uno stato peggiore. "
                                "Per vedere tutte le famiglie segnalate scegli «tutte le isolate o "
                                "a rischio».",
                          "en": "On {date} no household got worse than a month earlier: this "
                                "list only shows those whose status worsened. To see every "
                                "flagged household choose “all isolated or at risk”."},
    "iso.empty.filters": {"it": "(con i filtri scelti per punto e facilitatore)",
                          "en": "(with the chosen point and facilitator filters)"},
    "col.community_point": {"it": "Punto di Comunità", "en": "Community Point"},
    "reason.short.no_active_ties": {"it": "nessun legame", "en": "no ties"},
    "reason.short.only_professional_ties": {"it": "solo operatori", "en": "professionals only"},
    "reason.short.few_peer_partners": {"it": "pochi pari", "en": "few peers"},
    "reason.short.shrinking_network": {"it": "rete in calo", "en": "shrinking network"},
    "reason.short.single_bridge": {"it": "un solo ponte", "en": "a single bridge"},
    "reason.short.outside_main_network": {"it": "fuori dalla rete", "en": "outside the network"},
    "iso.line.days": {"it": "{n} giorni senza contatti tra pari",
                      "en": "{n} days without peer contact"},
    "iso.line.day": {"it": "1 giorno senza contatti tra pari",
                     "en": "1 day without peer contact"},
    "iso.line.never": {"it": "nessun contatto tra pari", "en": "no peer contact"},
    # bridges
    "br.title": {"it": "Attori ponte", "en": "Bridging actors"},
    "br.groups": {"it": "Gruppi per l'intermediazione", "en": "Groups for brokerage"},
    "br.groups.cp": {"it": "Punti di Comunità", "en": "Community Points"},
    "br.groups.programme": {"it": "Programmi", "en": "Programmes"},
    "br.table": {"it": "Tabella dei ponti", "en": "Bridging table"},
    "br.brokerage": {"it": "Ruoli di intermediazione (Gould–Fernandez)",
                     "en": "Brokerage roles (Gould–Fernandez)"},
    "br.whatif": {"it": "E se questo attore lasciasse?", "en": "What if this actor leaves?"},
    "br.whatif.pick": {"it": "Scegli un attore…", "en": "Pick an actor…"},
    "br.whatif.before": {"it": "Frammentazione prima", "en": "Fragmentation before"},
    "br.whatif.after": {"it": "Frammentazione dopo", "en": "Fragmentation after"},
    "br.whatif.components": {"it": "Componenti: {before} → {after}",
                             "en": "Components: {before} → {after}"},
    # actor
    "act.title": {"it": "Scheda", "en": "Page of"},
    "act.ego": {"it": "Rete personale", "en": "Personal network"},
    "act.nature": {"it": "Legami per natura nel tempo (partner distinti al mese)",
                   "en": "Ties by nature over time (distinct partners per month)"},
    "act.reasons": {"it": "Segnali di isolamento", "en": "Isolation warnings"},
    "act.reasons.none": {"it": "Nessun segnale di isolamento.", "en": "No isolation warning."},
    "act.intro": {"it": "Presentazioni suggerite", "en": "Suggested introductions"},
    "act.intro.help": {"it": "Famiglie e gruppi a cui far conoscere la famiglia, con i motivi, "
                              "al {date}. Nulla avviene da solo: decidi tu, e registri la "
                              "presentazione come seguito.",
                       "en": "Families and groups to introduce the family to, with the "
                             "reasons, on {date}. Nothing happens by itself: you decide, and "
                             "record the introduction as a follow-up."},
    "act.intro.none": {"it": "Nessuna presentazione da suggerire.",
                       "en": "No introduction to suggest."},
    "intro.reason.shared_activity": {"it": "entrambi a «{via}» ({start} – {end})",
                                     "en": "both at “{via}” ({start} – {end})"},
    "intro.reason.partner_in_common": {"it": "conoscono entrambi {via}",
                                       "en": "both know {via}"},
    "intro.reason.partners_in_common_hidden": {
        "it": "{n} conoscenze in comune fuori dal tuo ambito (non nominate)",
        "en": "{n} partners in common outside your view (not named)"},
    "intro.reason.same_community_point": {"it": "stesso Punto di Comunità",
                                          "en": "same Community Point"},
    "intro.reason.same_municipality": {"it": "stesso comune ({detail})",
                                       "en": "same municipality ({detail})"},
    "intro.reason.programme_match": {"it": "attiva nei programmi della famiglia",
                                     "en": "active in the family's programmes"},
    "intro.reason.similar_situation": {"it": "era in una situazione simile, ora è collegata",
                                       "en": "was in a similar situation, connected now"},
    "intro.reason.close_in_network": {"it": "vicini nella rete", "en": "close in the network"},
    "intro.reason.newcomer": {"it": "nuova nel programma (dal {start})",
                              "en": "new to the programme (since {start})"},
    "act.timeline": {"it": "Legami registrati", "en": "Recorded ties"},
    "act.details": {"it": "{kind} · {cp} · conosciuto il {date}",
                    "en": "{kind} · {cp} · first met on {date}"},
    "act.back": {"it": "← Torna alla mappa", "en": "← Back to the map"},
    # communities
    "com.title": {"it": "Comunità della rete", "en": "Communities of the network"},
    "com.history": {"it": "Storia delle comunità (nascite, fusioni, scissioni)",
                    "en": "History of the communities (births, merges, splits)"},
    "com.summary": {"it": "{n} comunità, modularità {q}", "en": "{n} communities, modularity {q}"},
    # report
    "rep.xlsx": {"it": "Scarica XLSX", "en": "Download XLSX"},
    "rep.pdf": {"it": "Stampa o salva PDF", "en": "Print or save as PDF"},
    "rep.pdf.title": {"it": "Apre la stampa del browser: scegli «Salva come PDF»",
                      "en": "Opens the browser's print dialog: choose “Save as PDF”"},
    "rep.title": {"it": "Rapporto di monitoraggio", "en": "Monitoring report"},
    "rep.period": {"it": "Periodo", "en": "Period"},
    "rep.years": {"it": "Ogni anno di programma", "en": "Each programme year"},
    "rep.whole": {"it": "Tutto il programma", "en": "Whole programme"},
    "rep.year": {"it": "Anno {n}: {start} – {end}", "en": "Year {n}: {start} – {end}"},
    "rep.indicator": {"it": "Indicatore", "en": "Indicator"},
    "rep.area": {"it": "Area", "en": "Area"},
    "rep.unit": {"it": "Unità", "en": "Unit"},
    # isolation reasons and statuses
    "reason.no_active_ties": {"it": "nessun legame attivo nel periodo",
                              "en": "no active tie in the period"},
    "reason.only_professional_ties": {"it": "solo legami professionali o istituzionali",
                                      "en": "only professional or institutional ties"},
    "reason.few_peer_partners": {"it": "pochi legami tra pari", "en": "few peer ties"},
    "reason.shrinking_network": {"it": "rete personale in calo rispetto al proprio passato",
                                 "en": "personal network shrinking against its own past"},
    "reason.single_bridge": {"it": "un solo ponte verso il resto della rete",
                             "en": "a single bridge to the rest of the network"},
    "reason.outside_main_network": {"it": "fuori dalla rete principale",
                                    "en": "outside the main network"},
    "status.isolated": {"it": "isolata", "en": "isolated"},
    "status.at_risk": {"it": "a rischio", "en": "at risk"},
    "status.connected": {"it": "collegata", "en": "connected"},
    "status.new": {"it": "nuova", "en": "new"},
    "iso.as_of": {"it": "Situazione al", "en": "Situation on"},
    "iso.mode": {"it": "Elenco", "en": "List"},
    "iso.mode.warning": {"it": "peggiorate di recente", "en": "recently worsened"},
    "iso.mode.flagged": {"it": "tutte le isolate o a rischio", "en": "all isolated or at risk"},
    "iso.reason_dates": {"it": "{reason} ({start} – {end})", "en": "{reason} ({start} – {end})"},
    "map.legend.no_point": {"it": "senza Punto", "en": "no point"},
    "map.legend.community": {"it": "comunità {n}", "en": "community {n}"},
    "map.legend.more": {"it": "e altre {n}", "en": "and {n} more"},
    "iso.bridge": {"it": "tramite {name}", "en": "through {name}"},
    "iso.bridge.hidden": {"it": "tramite un attore di un altro Punto di Comunità",
                          "en": "through an actor of another Community Point"},
    # community life cycle
    "event.birth": {"it": "nascita", "en": "birth"},
    "event.death": {"it": "scomparsa", "en": "death"},
    "event.merge": {"it": "fusione", "en": "merge"},
    "event.split": {"it": "scissione", "en": "split"},
    "event.growth": {"it": "crescita", "en": "growth"},
    "event.shrink": {"it": "calo", "en": "shrink"},
    "event.continue": {"it": "continuità", "en": "continuation"},
    # brokerage roles (Gould-Fernandez)
    "role.coordinator": {"it": "coordinatore", "en": "coordinator"},
    "role.itinerant": {"it": "itinerante", "en": "itinerant"},
    "role.representative": {"it": "rappresentante", "en": "representative"},
    "role.gatekeeper": {"it": "custode", "en": "gatekeeper"},
    "role.liaison": {"it": "collegamento", "en": "liaison"},
    # report units
    "unit.EUR": {"it": "€", "en": "€"},
    "unit.activities": {"it": "attività", "en": "activities"},
    "unit.contracts": {"it": "contratti", "en": "contracts"},
    "unit.households": {"it": "nuclei", "en": "households"},
    "unit.ideas": {"it": "idee", "en": "ideas"},
    "unit.interviews": {"it": "colloqui", "en": "interviews"},
    "unit.offers": {"it": "offerte", "en": "offers"},
    "unit.organisations": {"it": "organizzazioni", "en": "organisations"},
    "unit.paths": {"it": "percorsi", "en": "paths"},
    "unit.people": {"it": "persone", "en": "people"},
    "unit.placements": {"it": "inserimenti", "en": "placements"},
    "unit.points": {"it": "punti", "en": "points"},
    "unit.share": {"it": "quota", "en": "share"},
    # report areas
    "area.reach": {"it": "Aggancio", "en": "Reach"},
    "area.community_points": {"it": "Punti di Comunità", "en": "Community Points"},
    "area.housing": {"it": "Abitare", "en": "Housing"},
    "area.work": {"it": "Lavoro", "en": "Work"},
    "area.youth": {"it": "Giovani", "en": "Youth"},
    "area.ideas": {"it": "Idee", "en": "Ideas"},
    # columns
    "col.status": {"it": "Stato", "en": "Status"},
    "col.previous_status": {"it": "Stato precedente", "en": "Previous status"},
    "col.urgency": {"it": "Priorità", "en": "Urgency"},
    "col.peer_partners": {"it": "Partner tra pari", "en": "Peer partners"},
    "col.ego_size": {"it": "Partner", "en": "Partners"},
    "col.last_peer_contact": {"it": "Ultimo contatto tra pari", "en": "Last peer contact"},
    "col.days_since_peer_contact": {"it": "Giorni dall'ultimo contatto tra pari",
                                    "en": "Days since last peer contact"},
    "col.partner_id": {"it": "Codice partner", "en": "Partner id"},
    "col.area": {"it": "Area", "en": "Area"},
    "col.label": {"it": "Indicatore", "en": "Indicator"},
    "col.unit": {"it": "Unità", "en": "Unit"},
    "col.role_count": {"it": "Conteggio", "en": "Count"},
    "col.main_kind": {"it": "Tipo prevalente", "en": "Main kind"},
    "col.main_cp": {"it": "Punto prevalente", "en": "Main point"},
    "col.examples": {"it": "Alcuni membri", "en": "Some members"},
    "col.fragmentation": {"it": "Frammentazione", "en": "Fragmentation"},
    "col.actor_id": {"it": "Codice", "en": "Id"},
    "col.name": {"it": "Nome", "en": "Name"},
    "col.kind": {"it": "Tipo", "en": "Kind"},
    "col.community_point_id": {"it": "Punto", "en": "Point"},
    "col.degree": {"it": "Legami", "en": "Ties"},
    "col.strength": {"it": "Intensità", "en": "Strength"},
    "col.start": {"it": "Dal", "en": "From"},
    "col.end": {"it": "Al", "en": "To"},
    "col.partner": {"it": "Con", "en": "With"},
    "col.nature": {"it": "Natura", "en": "Nature"},
    "col.programme": {"it": "Programma", "en": "Programme"},
    "col.month": {"it": "Mese", "en": "Month"},
    "col.reach": {"it": "Raggiunti", "en": "Reached"},
    "col.active_ties": {"it": "Legami attivi", "en": "Active ties"},
    "col.peer_share": {"it": "Quota tra pari", "en": "Peer share"},
    "col.new_ties": {"it": "Legami nuovi", "en": "New ties"},
    "col.lost_ties": {"it": "Legami persi", "en": "Lost ties"},
    "col.components": {"it": "Componenti", "en": "Components"},
    "col.giant_share": {"it": "Quota nella componente principale",
                        "en": "Share in the giant component"},
    "col.betweenness": {"it": "Intermediazione", "en": "Betweenness"},
    "col.betweenness_norm": {"it": "Intermediazione (norm.)", "en": "Betweenness (norm.)"},
    "col.constraint": {"it": "Vincolo di Burt", "en": "Burt constraint"},
    "col.effective_size": {"it": "Dimensione efficace", "en": "Effective size"},
    "col.cut_vertex": {"it": "Punto di articolazione", "en": "Cut vertex"},
    "col.community": {"it": "Comunità", "en": "Community"},
    "col.size": {"it": "Membri", "en": "Members"},
    "col.reasons": {"it": "Ragioni", "en": "Reasons"},
    "col.since": {"it": "Dal", "en": "Since"},
    "col.facilitator": {"it": "Facilitatore", "en": "Facilitator"},
    "col.page": {"it": "Scheda", "en": "Page"},
    "col.value": {"it": "Valore", "en": "Value"},
    "col.event": {"it": "Evento", "en": "Event"},
    "col.period": {"it": "Periodo", "en": "Period"},
    "col.role": {"it": "Ruolo", "en": "Role"},
    "col.group": {"it": "Gruppo", "en": "Group"},
    "col.count": {"it": "Conteggio", "en": "Count"},
}

#: AG Grid's own texts (pagination, filters) in Italian; English is AG Grid's default
GRID_LOCALE_IT = {
    "page": "Pagina", "of": "di", "to": "a", "more": "altri", "next": "Successiva",
    "last": "Ultima", "first": "Prima", "previous": "Precedente",
    "pageSizeSelectorLabel": "Righe per pagina:", "firstPage": "Prima pagina",
    "lastPage": "Ultima pagina", "nextPage": "Pagina successiva",
    "previousPage": "Pagina precedente", "pageLastRowUnknown": "?",
    "noRowsToShow": "Nessuna riga", "loadingOoo": "Caricamento…", "filterOoo": "Filtra…",
    "searchOoo": "Cerca…", "selectAll": "Seleziona tutto", "blanks": "(Vuoti)",
    "equals": "Uguale a", "notEqual": "Diverso da", "contains": "Contiene",
    "notContains": "Non contiene", "startsWith": "Inizia con", "endsWith": "Finisce con",
    "blank": "Vuoto", "notBlank": "Non vuoto", "lessThan": "Minore di",
    "greaterThan": "Maggiore di", "lessThanOrEqual": "Minore o uguale a",
    "greaterThanOrEqual": "Maggiore o uguale a", "inRange": "Tra", "inRangeStart": "da",
    "inRangeEnd": "a", "andCondition": "E", "orCondition": "O", "applyFilter": "Applica",
    "resetFilter": "Azzera", "clearFilter": "Pulisci", "cancelFilter": "Annulla",
    "empty": "Scegli…", "dateFormatOoo": "gg/mm/aaaa", "true": "Sì", "false": "No",
    "ariaFilterInput": "Filtro", "ariaPageSizeSelectorLabel": "Righe per pagina",
}

#: the texts of Dash's dropdowns (search box, selection count) in each language
DROPDOWN_LABELS = {
    "it": {"select_all": "Seleziona tutto", "deselect_all": "Deseleziona tutto",
           "selected_count": "{num_selected} selezionati", "search": "Cerca",
           "clear_search": "Pulisci", "clear_selection": "Togli la selezione",
           "no_options_found": "Nessun risultato"},
    "en": {"select_all": "Select all", "deselect_all": "Deselect all",
           "selected_count": "{num_selected} selected", "search": "Search",
           "clear_search": "Clear", "clear_selection": "Clear selection",
           "no_options_found": "No options found"},
}

_KINDS = {
    "individual": ("Persona", "Individual"), "household": ("Famiglia", "Household"),
    "association": ("Associazione", "Association"), "formal_group": ("Gruppo formale",
                                                                    "Formal group"),
    "company": ("Impresa", "Company"), "school": ("Scuola", "School"),
    "public_entity": ("Ente pubblico", "Public entity"),
    "community_point": ("Punto di Comunità", "Community Point"),
    "facilitator": ("Facilitatore", "Facilitator"),
}
_NATURES = {"peer": ("tra pari", "peer"), "professional": ("professionale", "professional"),
            "institutional": ("istituzionale", "institutional")}
_PROGRAMMES = {"housing": ("Abitare", "Housing"), "work": ("Lavoro", "Work"),
               "youth": ("Giovani", "Youth"), "ideas": ("Idee", "Ideas"),
               "community": ("Comunità", "Community")}


def _pick(table: dict[str, tuple[str, str]], key: Any, lang: str) -> str:
    pair = table.get(str(key))
    if pair is None:
        return str(key)
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    """The label ``key`` in ``lang`` (Italian if unknown), formatted with ``values``.

    Raises ``KeyError`` for an unknown key, so a missing translation fails a test.
    """
    entry = TRANSLATIONS[key]
    text = entry.get(lang, entry[DEFAULT_LANG])
    return text.format(**values) if values else text


def kind_label(kind: Any, lang: str = DEFAULT_LANG) -> str:
    """An actor kind in words (``household`` -> ``Famiglia``)."""
    return _pick(_KINDS, kind, lang)


def nature_label(nature: Any, lang: str = DEFAULT_LANG) -> str:
    """A tie nature in words (``peer`` -> ``tra pari``)."""
    return _pick(_NATURES, nature, lang)


def programme_label(programme: Any, lang: str = DEFAULT_LANG) -> str:
    """A programme in words (``housing`` -> ``Abitare``)."""
    return _pick(_PROGRAMMES, programme, lang)


def fmt_date(value: date | str | pd.Timestamp | None) -> str:
    """A day as ``dd/mm/yyyy`` (empty text for a missing date)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    from genera_graph.l10n import format_date

    return format_date(pd.Timestamp(value).date())


def request_lang() -> str:
    """The language of the current HTTP request (its cookie), Italian outside a request."""
    try:
        import flask

        if flask.has_request_context():
            lang = flask.request.cookies.get(LANG_COOKIE, DEFAULT_LANG)
            return lang if lang in LANGS else DEFAULT_LANG
    except ImportError:  # pragma: no cover - flask comes with dash
        pass
    return DEFAULT_LANG
