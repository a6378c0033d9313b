"""Every label of the explorer, through the project's gettext catalogs, and the date format.

How to add an app message (any helper, any page)
-------------------------------------------------
1. Declare it here in :data:`TRANSLATIONS` under a key, with its **English** text as the
   message id: ``"page.title": N_("Text")``; ``NP_("context", "Text")`` where the same English
   word needs another Italian form (gender, a column header); ``NN_("{n} family",
   "{n} families")`` (or ``NNP_`` with a context) for every text with a count, with
   ``.counting("days")`` when the count is not ``{n}``.
2. Use it as before: ``t(key, lang, n=5)`` (the count picks the plural form and is
   written the Italian way).
3. Run ``make messages`` (pybabel extracts it into both ``.po`` catalogs of
   ``genera_graph/l10n/locale``), write its Italian in ``it/.../genera_graph.po`` and its
   English in ``en/.../genera_graph.po`` (``msgstr[0]``/``msgstr[1]`` for plurals), and
   commit the two ``.po``. ``tests/l10n/test_l10n.py`` fails while a message id lacks a
   translation, is fuzzy or has other placeholders. No ``{"it": ..., "en": ...}`` dicts.

Examples
--------
>>> t("nav.map", "it")
'Mappa'
>>> t("nav.map", "en")
'Map'
>>> t("iso.line.days", "it", n=1), t("iso.line.days", "it", n=1234)
('1 giorno senza contatti tra pari', '1.234 giorni senza contatti tra pari')
>>> t("map.stats", "it", nodes=1, edges=2, period="2016")
'1 attore, 2 legami · 2016'
>>> fmt_date("2016-05-18")
'18/05/2016'
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from genera_graph.io.registers import format_number as fmt_number
from genera_graph.l10n import (
    LOCALES,
    N_,
    NN_,
    NNP_,
    NP_,
    PluralMessage,
    code_label,
    format_integer,
    gettext,
    pgettext,
)

__all__ = [
    "DEFAULT_LANG",
    "DROPDOWN_LABELS",
    "GRID_LOCALE_IT",
    "LANGS",
    "LANG_COOKIE",
    "TRANSLATIONS",
    "NUMBER_LOCALES",
    "dropdown_labels",
    "fmt_date",
    "fmt_number",
    "grid_locale",
    "kind_label",
    "nature_label",
    "page_title",
    "programme_label",
    "register",
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


@dataclasses.dataclass(frozen=True)
class _Parts:
    """A message made of counted parts (``{nodes}`` actors, ``{edges}`` ties): each part is
    a plural message counted by the value of the same name."""

    template: str
    parts: dict[str, PluralMessage]

    def __init__(self, template: str, **parts: PluralMessage) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "parts", parts)


#: key -> the declared message (English id; its Italian and English are in the catalogs).
#: A module may declare its own table of messages (``dash_app.workbench.TEXT``) and add it
#: here with :func:`register`.
TRANSLATIONS: dict[str, Any] = {
    "app.title": N_("genera_azioni · relationship explorer"),
    "app.viewer.coordinator": N_("Coordinator"),
    "app.viewer.facilitator": N_("Facilitator · {points}"),
    "nav.overview": N_("Overview"),
    "nav.map": N_("Map"),
    "nav.isolation": N_("Isolation"),
    "nav.bridges": N_("Bridges"),
    "nav.communities": N_("Communities"),
    "nav.report": N_("Report"),
    "nav.actor": N_("Actor"),
    "nav.glossary": N_("Glossary"),
    "glo.title": N_("Glossary: what the figures mean"),
    "glo.intro": N_(
        "Every measure, status and reason of the explorer in a few words, with the reference "
        "for researchers. Hovering a table header marked (i) shows the same explanation."),
    "glo.ref": N_("Reference"),
    "glo.worklist": N_("The worklist"),
    "glo.statuses": N_("Statuses"),
    "glo.reasons": N_("Reasons for a flag"),
    "glo.bridges": N_("Bridges and brokers"),
    "glo.roles": N_("Brokerage roles (between groups)"),
    "glo.growth": N_("Growth of the network"),
    "glo.communities": N_("Communities"),
    "com.modularity": N_("modularity"),
    "col.main_reason": NP_("column", "Main reason"),
    "col.last_follow_up": NP_("column", "Last follow-up"),
    "common.download": N_("Download"),
    "download.format": N_("Format of the file"),
    "download.italian": N_("CSV for Italian Excel"),
    "download.research": N_("CSV for R and pandas"),
    "download.xlsx": N_("Excel workbook (XLSX)"),
    "common.all": NP_("filter", "All"),
    "common.cp": N_("Community Point"),
    "common.programme": N_("Programme"),
    "common.kind": N_("Actor kind"),
    "common.nature": N_("Tie nature"),
    "common.window": N_("Period"),
    "common.from_to": N_("from {start} to {end}"),
    "common.empty": N_("No data for this selection."),
    # why a chart is empty (dash_app/figures.py): each chart says what it would need
    "fig.empty.growth": N_("Nothing to draw: no actor and no tie of this group is recorded "
                           "in the data."),
    "fig.empty.peer": N_("Nothing to draw: no month of this group has an active tie, and the "
                         "peer share is the share of active ties that are between peers."),
    "fig.empty.nature": N_("Nothing to draw: no tie of this actor is recorded in any month."),
    "fig.empty.map": N_("No tie in this period with these filters: choose a longer period "
                        "or fewer filters."),
    "fig.empty.ego": N_("No partner in this period: no tie of this actor is recorded between "
                        "these dates. Choose a longer period."),
    "fig.empty.brokerage": N_("No brokerage in this period: nobody links two actors who have "
                              "no tie between them."),
    "fig.empty.communities": N_("No community history: the period has too few ties for "
                                "communities to form, or a single window. Choose a longer "
                                "period."),
    "common.name": N_("Name"),
    "common.id": N_("Id"),
    "common.month": N_("Month"),
    "common.facilitator": N_("Facilitator"),
    "common.not_found": N_("Actor not found (or not visible to this viewer)."),
    "ov.title": N_("District overview"),
    "ov.kpi.reach": N_("Actors reached"),
    "ov.kpi.active": N_("Active ties in the month"),
    "ov.kpi.month": N_("month from {date}"),
    "ov.kpi.district": N_("whole district"),
    "ov.group": N_("View"),
    "ov.group.all": N_("Whole district"),
    "ov.group.own": N_("My point: {points}"),
    "ov.title.point": N_("Overview: {points}"),
    "scope.point": N_(
        "The figures on this page are about {points}: other points' households are not "
        "counted; the organisations (associations, groups, companies, schools) are the whole "
        "district's, with the ties among them."),
    "scope.point.report": N_(
        "The figures marked \u201cpoint\u201d are about {points} only (other points' households "
        "are not counted); those marked \u201cdistrict\u201d count the organisations and "
        "activities of the whole district."),
    "scope.col.point": NP_("scope", "point"),
    "scope.col.district": NP_("scope", "district"),
    "col.scope": NP_("col.scope", "Scope"),
    "scope.district": N_("The figures on this page are about the whole district."),
    "ov.kpi.peer": N_("Share of peer ties"),
    "ov.growth.axis": N_("number of actors or ties"),
    "br.brokerage.axis": N_("times in the role"),
    "ov.kpi.isolated": N_("Households isolated or at risk"),
    "ov.kpi.at": N_("on {date}"),
    "ov.growth": N_("Growth of the network"),
    "ov.peer": N_("Share of peer ties over time"),
    "ov.table": N_("Monthly series"),
    "ov.lost.note": NN_(
        "A tie is lost if it is not renewed within {days} day of the month's start: for the "
        "months closest to the end of the record this is not yet known, and missing.",
        "A tie is lost if it is not renewed within {days} days of the month's start: for the "
        "months closest to the end of the record this is not yet known, and missing.",
    ).counting("days"),
    "series.reach": N_("Reached (cumulative)"),
    "series.active_ties": N_("Active ties"),
    "series.new_ties": N_("New ties"),
    "series.lost_ties": N_("Lost ties"),
    "series.peer_share": N_("Peer share"),
    "map.title": N_("Relationship map"),
    "map.colour": N_("Colour by"),
    "map.colour.kind": N_("actor kind"),
    "map.colour.community": N_("community"),
    "map.colour.cp": N_("Community Point"),
    "map.size": N_("Size by"),
    "map.size.degree": N_("number of ties"),
    "map.size.strength": N_("strength (events)"),
    "map.size.none": N_("same for all"),
    "map.capped": NN_("the {n} strongest tie drawn", "the {n} strongest ties drawn"),
    "map.play": N_("Growth month by month"),
    "map.play.title": N_(
        "Animate the map from the programme's start, one month at a time (click again to stop)"),
    "map.png": N_("Save as image (PNG)"),
    "ego.list": NN_(
        "{n} partner in the period:",
        "{n} partners in the period, most frequent first:"),
    "col.last_contact": NP_("column", "Last contact"),
    "map.search": N_("Search by name…"),
    "map.stats": _Parts(N_("{nodes}, {edges} · {period}"), nodes=NN_("{n} actor", "{n} actors"),
                        edges=NN_("{n} tie", "{n} ties")),
    "map.aggregated": _Parts(
        N_("{groups} grouping {units}: choose Community Points to see the actors · {period}"),
        groups=NN_("{n} group", "{n} groups"), units=NN_("{n} actor", "{n} actors")),
    "map.panel.hint": N_(
        "Click an actor on the map (or search for a name) to see its personal network."),
    "map.panel.ties": N_("Ties in the period: {n} ({peer} peer)"),
    "map.panel.open": N_("Open the page"),
    "map.panel.ego": N_("Personal network in the period"),
    "iso.title": N_("Households to follow: isolation warnings"),
    "iso.intro": N_("Each flagged household comes with its reasons and supporting dates."),
    "br.whatif.table": N_("Or click a line of the bridging table."),
    "br.whatif.cut": NN_(
        "Would be cut off from the main network ({n}):",
        "Would be cut off from the main network ({n}):"),
    "br.whatif.nobody": N_("Nobody would be cut off from the main network."),
    "br.whatif.more": NNP_("actors", "and {n} more", "and {n} more"),
    "br.brokerage.empty.cp": N_(
        "No brokerage roles: the period needs at least three linked actors of at least two "
        "different Community Points."),
    "br.brokerage.empty.programme": N_(
        "No brokerage roles: the period needs at least three linked actors whose main "
        "activity is in at least two different programmes."),
    "iso.count.of": N_("(of {total}: table filters on)"),
    "iso.details.hint": N_("Click a line to see all the reasons with their dates."),
    "iso.empty.flagged": N_("On {date} no household is isolated or at risk."),
    "iso.empty.warning": N_(
        "On {date} no household got worse than a month earlier: this list only shows those "
        "whose status worsened. To see every flagged household choose “all isolated or at "
        "risk”."),
    "iso.empty.filters": N_("(with the chosen point and facilitator filters)"),
    "col.community_point": NP_("column", "Community Point"),
    "reason.short.no_active_ties": NP_("reason, short", "no ties"),
    "reason.short.only_professional_ties": NP_("reason, short", "professionals only"),
    "reason.short.few_peer_partners": NP_("reason, short", "few peers"),
    "reason.short.shrinking_network": NP_("reason, short", "shrinking network"),
    "reason.short.single_bridge": NP_("reason, short", "a single bridge"),
    "reason.short.outside_main_network": NP_("reason, short", "outside the network"),
    "iso.line.days": NN_("{n} day without peer contact", "{n} days without peer contact"),
    "iso.line.day": NN_("{n} day without peer contact", "{n} days without peer contact"),
    "iso.line.never": N_("no peer contact"),
    "br.title": N_("Bridging actors"),
    "br.groups": N_("Groups for brokerage"),
    "br.groups.cp": N_("Community Points"),
    "br.groups.programme": N_("Programmes"),
    "br.table": N_("Bridging table"),
    "br.brokerage": N_("Brokerage roles"),
    "br.brokerage.reference": N_("Gould and Fernandez 1989"),
    "br.whatif": N_("What if this actor leaves?"),
    "br.whatif.pick": N_("Pick an actor…"),
    "br.whatif.before": N_("Fragmentation before"),
    "br.whatif.after": N_("Fragmentation after"),
    "br.whatif.components": N_("Components: {before} → {after}"),
    "act.title": N_("Page of"),
    "act.ego": N_("Personal network"),
    "act.nature": N_("Ties by nature over time"),
    "act.nature.sub": N_("distinct partners per month"),
    "act.reasons": N_("Isolation warnings"),
    "act.reasons.none": N_("No isolation warning."),
    "act.intro": N_("Suggested introductions"),
    "act.intro.help": N_(
        "Families and groups to introduce the family to, with the reasons, on {date}. Nothing"
        " happens by itself: you decide, and mark below what you did."),
    "act.intro.none": N_("No introduction to suggest."),
    "intro.reason.shared_activity": N_("both at “{via}” ({start} – {end})"),
    "intro.reason.partner_in_common": N_("both know {via}"),
    "intro.reason.partners_in_common_hidden": NN_(
        "{n} partner in common outside your view (not named)",
        "{n} partners in common outside your view (not named)"),
    "intro.reason.same_community_point": N_("same Community Point"),
    "intro.reason.same_municipality": N_("same municipality ({detail})"),
    "intro.reason.programme_match": N_("active in the family's programmes"),
    "intro.reason.similar_situation": N_("was in a similar situation, connected now"),
    "intro.reason.close_in_network": N_("close in the network"),
    "intro.reason.newcomer": N_("new to the programme (since {start})"),
    # marking a suggestion (dash_app.introductions) and following it (pages/introductions)
    "nav.introductions": N_("Introductions"),
    "intro.worklist": N_("Whom to introduce them to"),
    "intro.mark.title": N_("Mark what you did"),
    "intro.mark.candidate": NP_("field", "With whom"),
    "intro.mark.status": NP_("field", "What"),
    "intro.mark.date": NP_("field", "Day"),
    "intro.mark.decline_reason": NP_("field", "Why it was declined"),
    "intro.mark.save": N_("Save the mark"),
    "intro.mark.saved": N_("Saved: {name}, {status} on {date}."),
    "intro.mark.not_saved": N_("Not saved: {problems}"),
    "intro.mark.readonly": N_(
        "This explorer reads a dataset, not a store: nothing can be marked."),
    "intro.mark.not_allowed": N_("Your role does not mark introductions."),
    "intro.mark.not_found": N_(
        "Family or candidate not among those you can see: nothing was saved."),
    "intro.status.proposed": NP_("introduction", "proposed"),
    "intro.status.declined": NP_("introduction", "declined"),
    "intro.status.done": NP_("introduction", "done"),
    "intro.decline.family_refused": N_("the family did not want it"),
    "intro.decline.candidate_refused": N_("the other party did not want it"),
    "intro.decline.not_appropriate": N_("not appropriate"),
    "intro.decline.already_know": N_("they already know each other"),
    "intro.decline.unreachable": N_("could not be reached"),
    "intro.decline.other": N_("another reason"),
    "intro.recorded": N_("Introductions marked"),
    "intro.recorded.none": N_("Nothing marked yet for this family."),
    "intro.recorded.item": N_("{name}: {status} on {date}"),
    "intro.recorded.reason": N_("reason: {reason}"),
    "intro.page.title": N_("Introductions and how they turned out"),
    "intro.page.intro": N_(
        "For each introduction marked done: within 90 days, did the two have a tie between "
        "peers (a contact, an activity together, a relation)? The share of those followed for "
        "90 days that did is the conversion rate."),
    "intro.page.by": N_("Grouped by"),
    "intro.page.by.community_point_id": N_("Community Point"),
    "intro.page.by.facilitator_id": N_("Facilitator"),
    "intro.page.by.reason": N_("Main reason of the suggestion"),
    "intro.page.period": N_("Periods"),
    "intro.page.quarter": N_("by quarter"),
    "intro.page.year": N_("by year"),
    "intro.page.total": N_(
        "In all: {done} introductions done; of the {followed} followed for 90 days, "
        "{converted} were followed by a tie between peers ({rate})."),
    "intro.page.empty": N_(
        "No introduction has been marked yet. They appear here once a facilitator marks a "
        "suggestion proposed, declined or done, on a family's page or in the worklist."),
    "intro.page.no_followed": N_(
        "No introduction done has been followed for 90 days yet: the rate appears once one "
        "has."),
    "intro.page.readonly": N_(
        "This explorer reads a dataset, not a store: there are no marked introductions to "
        "follow."),
    "intro.page.not_allowed": N_("This page is for coordinators and facilitators."),
    "intro.page.scope": N_("Only the introductions of your Community Point's families."),
    "intro.page.chart": N_("Conversion rate over time"),
    "intro.group.none": N_("not given"),
    "intro.kind.shared_activity": NP_("reason kind", "an activity both attended"),
    "intro.kind.partner_in_common": NP_("reason kind", "a partner in common"),
    "intro.kind.partners_in_common_hidden": NP_("reason kind",
                                                "partners in common outside the view"),
    "intro.kind.same_community_point": NP_("reason kind", "same Community Point"),
    "intro.kind.same_municipality": NP_("reason kind", "same municipality"),
    "intro.kind.programme_match": NP_("reason kind", "active in the family's programmes"),
    "intro.kind.similar_situation": NP_("reason kind", "was in a similar situation"),
    "intro.kind.close_in_network": NP_("reason kind", "close in the network"),
    "intro.kind.newcomer": NP_("reason kind", "new to the programme"),
    "col.intro_proposed": NP_("column", "Proposed"),
    "col.intro_declined": NP_("column", "Declined"),
    "col.intro_done": NP_("column", "Done"),
    "col.intro_converted": NP_("column", "Followed by a peer tie"),
    "col.intro_pending": NP_("column", "Still within 90 days"),
    "col.intro_followed": NP_("column", "Followed for 90 days"),
    "col.intro_rate": NP_("column", "Conversion rate"),
    "act.timeline": N_("Recorded ties"),
    "act.details": N_("{kind} · {cp} · first met on {date}"),
    "act.back": N_("← Back to the map"),
    "com.title": N_("Communities of the network"),
    "com.history": N_("How the communities changed"),
    "com.history.sub": N_("quarter by quarter"),
    "com.summary": NN_("{n} community, modularity {q}", "{n} communities, modularity {q}"),
    "rep.xlsx": N_("Download XLSX"),
    "rep.pdf": N_("Print or save as PDF"),
    "rep.pdf.file": N_("Download PDF"),
    "rep.pdf.issued": N_("Issued on {date} by genera_graph, from the data of {start} – {end}."),
    "rep.pdf.title": N_("Opens the browser's print dialog: choose “Save as PDF”"),
    "rep.title": N_("Monitoring report"),
    "rep.period": N_("Period"),
    "rep.years": N_("Each programme year"),
    "rep.whole": N_("Whole programme"),
    "rep.year": N_("Year {n}: {start} – {end}"),
    "rep.indicator": N_("Indicator"),
    "rep.area": N_("Area"),
    "rep.unit": N_("Unit"),
    "reason.no_active_ties": N_("no active tie in the period"),
    "reason.only_professional_ties": N_("only professional or institutional ties"),
    "reason.few_peer_partners": N_("few peer ties"),
    "reason.shrinking_network": N_("personal network shrinking against its own past"),
    "reason.single_bridge": N_("a single bridge to the rest of the network"),
    "reason.outside_main_network": N_("outside the main network"),
    "status.isolated": NP_("status", "isolated"),
    "status.at_risk": NP_("status", "at risk"),
    "status.connected": NP_("status", "connected"),
    "status.new": NP_("status", "new"),
    "iso.as_of": N_("Situation on"),
    "iso.mode": N_("List"),
    "iso.mode.warning": N_("recently worsened"),
    "iso.mode.flagged": N_("all isolated or at risk"),
    "iso.reason_dates": N_("{reason} ({start} – {end})"),
    "map.legend.no_point": N_("no point"),
    "map.legend.community": N_("community {n}"),
    "map.legend.more": NNP_("communities", "and {n} more", "and {n} more"),
    "iso.bridge": N_("through {name}"),
    "iso.bridge.hidden": N_("through an actor of another Community Point"),
    "event.birth": NP_("community event", "birth"),
    "event.death": NP_("community event", "death"),
    "event.merge": NP_("community event", "merge"),
    "event.split": NP_("community event", "split"),
    "event.growth": NP_("community event", "growth"),
    "event.shrink": NP_("community event", "shrink"),
    "event.continue": NP_("community event", "continuation"),
    "role.coordinator": NP_("brokerage role", "coordinator"),
    "role.itinerant": NP_("brokerage role", "itinerant"),
    "role.representative": NP_("brokerage role", "representative"),
    "role.gatekeeper": NP_("brokerage role", "gatekeeper"),
    "role.liaison": NP_("brokerage role", "liaison"),
    "unit.EUR": NP_("unit", "€"),
    "unit.activities": NP_("unit", "activities"),
    "unit.contracts": NP_("unit", "contracts"),
    "unit.households": NP_("unit", "households"),
    "unit.ideas": NP_("unit", "ideas"),
    "unit.interviews": NP_("unit", "interviews"),
    "unit.offers": NP_("unit", "offers"),
    "unit.organisations": NP_("unit", "organisations"),
    "unit.paths": NP_("unit", "paths"),
    "unit.people": NP_("unit", "people"),
    "unit.placements": NP_("unit", "placements"),
    "unit.points": NP_("unit", "points"),
    "unit.share": NP_("unit", "share"),
    "area.reach": NP_("report area", "Reach"),
    "area.community_points": NP_("report area", "Community Points"),
    "area.housing": NP_("report area", "Housing"),
    "area.work": NP_("report area", "Work"),
    "area.youth": NP_("report area", "Youth"),
    "area.ideas": NP_("report area", "Ideas"),
    "col.status": NP_("column", "Status"),
    "col.previous_status": NP_("column", "Previous status"),
    "col.urgency": NP_("column", "Urgency"),
    "col.peer_partners": NP_("column", "Peer partners"),
    "col.ego_size": NP_("column", "Partners"),
    "col.last_peer_contact": NP_("column", "Last peer contact"),
    "col.days_since_peer_contact": NP_("column", "Days since last peer contact"),
    "col.partner_id": NP_("column", "Partner id"),
    "col.area": NP_("column", "Area"),
    "col.label": NP_("column", "Indicator"),
    "col.unit": NP_("column", "Unit"),
    "col.role_count": NP_("column", "Count"),
    "col.main_kind": NP_("column", "Main kind"),
    "col.main_cp": NP_("column", "Main point"),
    "col.examples": NP_("column", "Some members"),
    "col.fragmentation": NP_("column", "Fragmentation"),
    "col.actor_id": NP_("column", "Id"),
    "col.name": NP_("column", "Name"),
    "col.kind": NP_("column", "Kind"),
    "col.community_point_id": NP_("column", "Point"),
    "col.degree": NP_("column", "Ties"),
    "col.strength": NP_("column", "Strength"),
    "col.start": NP_("column", "From"),
    "col.end": NP_("column", "To"),
    "col.partner": NP_("column", "With"),
    "col.nature": NP_("column", "Nature"),
    "col.programme": NP_("column", "Programme"),
    "col.month": NP_("column", "Month"),
    "col.reach": NP_("column", "Reached"),
    "col.active_ties": NP_("column", "Active ties"),
    "col.peer_share": NP_("column", "Peer share"),
    "col.new_ties": NP_("column", "New ties"),
    "col.lost_ties": NP_("column", "Lost ties"),
    "col.components": NP_("column", "Components"),
    "col.giant_share": NP_("column", "Share in the giant component"),
    "col.betweenness": NP_("column", "Betweenness"),
    "col.betweenness_norm": NP_("column", "Betweenness (norm.)"),
    "col.constraint": NP_("column", "Burt constraint"),
    "col.effective_size": NP_("column", "Effective size"),
    "col.cut_vertex": NP_("column", "Cut vertex"),
    "col.community": NP_("column", "Community"),
    "col.size": NP_("column", "Members"),
    "col.reasons": NP_("column", "Reasons"),
    "col.since": NP_("column", "Since"),
    "col.facilitator": NP_("column", "Facilitator"),
    "col.page": NP_("column", "Page"),
    "col.value": NP_("column", "Value"),
    "col.event": NP_("column", "Event"),
    "col.period": NP_("column", "Period"),
    "col.role": NP_("column", "Role"),
    "col.group": NP_("column", "Group"),
    "col.count": NP_("column", "Count"),
    # signing in (dash_app.auth): each key its own context
    "auth.title": NP_("auth.title", "Sign in"),
    "auth.heading": NP_("auth.heading", "genera_azioni · sign in"),
    "auth.username": NP_("auth.username", "User name"),
    "auth.password": NP_("auth.password", "Password"),
    "auth.submit": NP_("auth.submit", "Sign in"),
    "auth.wrong": NP_("auth.wrong", "Wrong user name or password."),
    "auth.locked": NNP_(
        "auth.locked",
        "Too many failed attempts: try again in {minutes} minute.",
        "Too many failed attempts: try again in {minutes} minutes.").counting("minutes"),
    "auth.expired": NP_("auth.expired",
                        "Your session ended after a time without activity: sign in again."),
    "auth.signed_out": NP_("auth.signed_out", "You are signed out."),
    "auth.other": NP_("auth.other", "Italiano"),
    "auth.change_title": NP_("auth.change_title", "New password"),
    "auth.change_intro": NNP_(
        "auth.change_intro",
        "Choose a new password (at least {n} character).",
        "Choose a new password (at least {n} characters)."),
    "auth.current": NP_("auth.current", "Current password"),
    "auth.new": NP_("auth.new", "New password"),
    "auth.again": NP_("auth.again", "New password again"),
    "auth.change": NP_("auth.change", "Change password"),
    "auth.differ": NP_("auth.differ", "The two passwords differ."),
    "auth.bad_host": NP_("auth.bad_host", "Unknown server name."),
    "auth.bad_origin": NP_("auth.bad_origin", "Request from another origin refused."),
    "auth.signout": NP_("auth.signout", "Sign out"),
    "auth.researcher": NP_("auth.researcher", "Research (pseudonymised data)"),
    "auth.admin": NP_("auth.admin", "Administration"),
    "auth.audit": NP_("auth.audit", "Audit log"),
    "auth.forbidden": NP_("auth.forbidden", "Not available for your role."),
    "auth.forbidden_why": NP_("auth.forbidden_why",
                              "This page is not one of the pages of the role “{role}”."),
    "auth.forbidden_home": NP_("auth.forbidden_home", "Go to your pages"),
    "auth.role.coordinator": NP_("auth.role.coordinator", "coordinator"),
    "auth.role.facilitator": NP_("auth.role.facilitator", "facilitator"),
    "auth.role.researcher": NP_("auth.role.researcher", "researcher"),
    "auth.role.admin": NP_("auth.role.admin", "administrator"),
    # the audit log's page (dash_app/pages/audit.py)
    "audit.title": NP_("audit.title", "Audit log"),
    "audit.ok": NNP_("audit.ok",
                     "Chain intact: {n} entry, last {seq} ({hash}…).",
                     "Chain intact: {n} entries, last {seq} ({hash}…)."),
    "audit.bad.removed": NP_("audit.bad.removed",
                             "Chain NOT intact at entry {seq}: the entries before it, from "
                             "{first} to {last}, were removed."),
    "audit.bad.unlinked": NP_("audit.bad.unlinked",
                              "Chain NOT intact at entry {seq}: it does not link to entry "
                              "{previous} (an entry was removed, re-ordered or rewritten)."),
    "audit.bad.edited": NP_("audit.bad.edited",
                            "Chain NOT intact at entry {seq}: it was edited (its hash does not "
                            "match its content)."),
    "audit.none": NP_("audit.none", "No audit log on this server."),
    "audit.forbidden": NP_("audit.forbidden", "The audit log is for coordinators and admins."),
    "audit.at": NP_("audit.at", "When (UTC)"),
    "audit.username": NP_("audit.username", "Who"),
    "audit.action": NP_("audit.action", "Action"),
    "audit.target": NP_("audit.target", "On (ids)"),
    "audit.seq": NP_("audit.seq", "No."),
    # what an entry records (genera_graph.io.audit): the action's code in words
    "audit.action.signin": NP_("audit.action.signin", "signed in"),
    "audit.action.signin_failed": NP_("audit.action.signin_failed", "failed sign-in"),
    "audit.action.signin_locked": NP_("audit.action.signin_locked",
                                      "sign-in refused: user name locked"),
    "audit.action.signin_lockout": NP_("audit.action.signin_lockout",
                                       "user name locked after repeated failures"),
    "audit.action.signout": NP_("audit.action.signout", "signed out"),
    "audit.action.session_expired": NP_("audit.action.session_expired",
                                        "session ended for inactivity"),
    "audit.action.password_change": NP_("audit.action.password_change", "changed password"),
    "audit.action.view_actor": NP_("audit.action.view_actor", "viewed a family or person"),
    "audit.action.view_worklist": NP_("audit.action.view_worklist", "viewed the worklist"),
    "audit.action.download": NP_("audit.action.download", "downloaded a table"),
    "audit.action.export": NP_("audit.action.export", "export"),
    "audit.action.export_store": NP_("audit.action.export_store", "export of the registers"),
    "audit.action.import": NP_("audit.action.import", "import of a register"),
    "audit.action.user_add": NP_("audit.action.user_add", "account created"),
    "audit.action.user_set_role": NP_("audit.action.user_set_role", "account's role changed"),
    "audit.action.user_disable": NP_("audit.action.user_disable", "account disabled"),
    "audit.action.user_enable": NP_("audit.action.user_enable", "account enabled"),
    "audit.action.user_reset_password": NP_("audit.action.user_reset_password",
                                            "account's password reset"),
    "audit.action.erase": NP_("audit.action.erase", "erasure of a person"),
    "audit.action.erase_finish": NP_("audit.action.erase_finish",
                                     "erasure: file cleaned up"),
    "audit.action.introduction_proposed": NP_("audit.action.introduction_proposed",
                                              "introduction marked proposed"),
    "audit.action.introduction_declined": NP_("audit.action.introduction_declined",
                                              "introduction marked declined"),
    "audit.action.introduction_done": NP_("audit.action.introduction_done",
                                          "introduction marked done"),
}

#: keys kept for their call sites that show a count of one without passing it
_COUNT_OF_ONE = frozenset({"iso.line.day"})

#: AG Grid's own texts (pagination, filters); English is AG Grid's default
_GRID = {
    "page": NP_("grid", "Page"), "of": NP_("grid", "of"), "to": NP_("grid", "to"),
    "more": NP_("grid", "more"), "next": NP_("grid", "Next"), "last": NP_("grid", "Last"),
    "first": NP_("grid", "First"), "previous": NP_("grid", "Previous"),
    "pageSizeSelectorLabel": NP_("grid", "Rows per page:"),
    "firstPage": NP_("grid", "First page"), "lastPage": NP_("grid", "Last page"),
    "nextPage": NP_("grid", "Next page"), "previousPage": NP_("grid", "Previous page"),
    "pageLastRowUnknown": NP_("grid", "?"), "noRowsToShow": NP_("grid", "No rows"),
    "loadingOoo": NP_("grid", "Loading…"), "filterOoo": NP_("grid", "Filter…"),
    "searchOoo": NP_("grid", "Search…"), "selectAll": NP_("grid", "Select all"),
    "blanks": NP_("grid", "(Blanks)"), "equals": NP_("grid", "Equals"),
    "notEqual": NP_("grid", "Does not equal"), "contains": NP_("grid", "Contains"),
    "notContains": NP_("grid", "Does not contain"), "startsWith": NP_("grid", "Begins with"),
    "endsWith": NP_("grid", "Ends with"), "blank": NP_("grid", "Blank"),
    "notBlank": NP_("grid", "Not blank"), "lessThan": NP_("grid", "Less than"),
    "greaterThan": NP_("grid", "Greater than"),
    "lessThanOrEqual": NP_("grid", "Less than or equal to"),
    "greaterThanOrEqual": NP_("grid", "Greater than or equal to"),
    "inRange": NP_("grid", "Between"), "inRangeStart": NP_("grid", "from"),
    "inRangeEnd": NP_("grid", "to"), "andCondition": NP_("grid", "AND"),
    "orCondition": NP_("grid", "OR"), "applyFilter": NP_("grid", "Apply"),
    "resetFilter": NP_("grid", "Reset"), "clearFilter": NP_("grid", "Clear"),
    "cancelFilter": NP_("grid", "Cancel"), "empty": NP_("grid", "Choose one"),
    "dateFormatOoo": NP_("grid", "dd/mm/yyyy"), "true": NP_("grid", "True"),
    "false": NP_("grid", "False"), "ariaFilterInput": NP_("grid", "Filter Input"),
    "ariaPageSizeSelectorLabel": NP_("grid", "Page Size"),
}

#: the texts of Dash's dropdowns (search box, selection count)
_DROPDOWN = {
    "select_all": NP_("dropdown", "Select all"),
    "deselect_all": NP_("dropdown", "Deselect all"),
    "selected_count": NP_("dropdown", "{num_selected} selected"),
    "search": NP_("dropdown", "Search"),
    "clear_search": NP_("dropdown", "Clear"),
    "clear_selection": NP_("dropdown", "Clear selection"),
    "no_options_found": NP_("dropdown", "No options found"),
}


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def _count(value: Any, lang: str) -> int:
    """The count a plural form is chosen by: a number, or a number already written."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return int(value)
    from babel.numbers import parse_decimal

    return int(parse_decimal(str(value), locale=LOCALES[lang]))


def _written(value: Any, lang: str) -> Any:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return format_integer(value, lang)
    return value


def _plural(message: PluralMessage, values: dict[str, Any], lang: str) -> str:
    n = _count(values[message.count], lang)
    values[message.count] = _written(values[message.count], lang)
    return message.text(n, lang)


def t(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    """The label ``key`` in ``lang`` (Italian if unknown), formatted with ``values``.

    A message with a count takes its plural form from the count's value (``n`` unless the
    message counts another placeholder) and writes it the language's way (``1.234``).
    Raises ``KeyError`` for an unknown key, so a missing translation fails a test.
    """
    entry = TRANSLATIONS[key]
    lang = _lang(lang)
    if isinstance(entry, PluralMessage):
        if entry.count not in values:
            if key not in _COUNT_OF_ONE:
                return entry.text(2, lang)  # the template, as an unformatted label
            values[entry.count] = 1
        text = _plural(entry, values, lang)
    elif isinstance(entry, _Parts):
        if not set(entry.parts) <= set(values):
            return gettext(entry.template, lang)  # the template, as an unformatted label
        for name, part in entry.parts.items():
            one = {"n": values[name]}
            values[name] = _plural(part, one, lang).format(**one)
        text = gettext(entry.template, lang)
    elif isinstance(entry, tuple):
        text = pgettext(*entry, lang)
    else:
        text = gettext(entry, lang)
    return text.format(**values) if values else text


def register(table: dict[str, Any]) -> None:
    """Add a module's own declared messages (``N_``/``NP_``/``NN_``, as in
    :data:`TRANSLATIONS`) to the labels :func:`t` knows; a key already there keeps its
    message."""
    for key, message in table.items():
        TRANSLATIONS.setdefault(key, message)


def grid_locale(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """AG Grid's ``localeText`` in ``lang``."""
    return {key: pgettext(*message, _lang(lang)) for key, message in _GRID.items()}


def dropdown_labels(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The ``labels`` of a Dash dropdown in ``lang``."""
    return {key: pgettext(*message, _lang(lang)) for key, message in _DROPDOWN.items()}


#: AG Grid's texts in Italian (English is AG Grid's default)
GRID_LOCALE_IT = grid_locale("it")
#: the texts of Dash's dropdowns in each language
DROPDOWN_LABELS = {lang: dropdown_labels(lang) for lang in LANGS}


def kind_label(kind: Any, lang: str = DEFAULT_LANG) -> str:
    """An actor kind in words (``household`` -> ``Famiglia``)."""
    return code_label("kind", kind, _lang(lang))


def nature_label(nature: Any, lang: str = DEFAULT_LANG) -> str:
    """A tie nature in words (``peer`` -> ``tra pari``)."""
    return code_label("nature", nature, _lang(lang))


def programme_label(programme: Any, lang: str = DEFAULT_LANG) -> str:
    """A programme in words (``housing`` -> ``Abitare``)."""
    return code_label("programme", programme, _lang(lang))


def fmt_date(value: date | str | pd.Timestamp | None) -> str:
    """A day as ``dd/mm/yyyy`` (empty text for a missing date)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    from genera_graph.l10n import format_date

    return format_date(pd.Timestamp(value).date())


def page_title(key: str) -> Callable[..., str]:
    """A page's browser title (``dash.register_page(title=...)``) in the language of the
    request that asks for it: ``genera_azioni · Mappa``, ``genera_azioni · Map``. Dash calls
    it for the first page's HTML and on every move between pages (the language switch
    reloads the page).

    >>> page_title("nav.map")()
    'genera_azioni · Mappa'
    """

    def title(**_: Any) -> str:
        return f"genera_azioni · {t(key, request_lang())}"

    title.__name__ = f"title_{key.replace('.', '_')}"
    return title


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
