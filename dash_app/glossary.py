"""What every metric, status, reason and role means, in a few plain words (Italian first), with
the reference a researcher would look up. The grids show it as the header's tooltip; the
glossary page (``/glossary``) lists it all.

Examples
--------
>>> explain("col.constraint", "it").startswith("Quanto")
True
>>> explain("col.name", "it")
''
"""

from __future__ import annotations

__all__ = ["ENTRIES", "SECTIONS", "explain", "reference"]

#: key -> {"it": text, "en": text, "ref": reference}; the key is the translation key of the
#: word explained (``col.<column>``, ``status.<code>``, ``reason.<code>``, ``role.<code>``)
ENTRIES: dict[str, dict[str, str]] = {
    # --- the worklist
    "col.urgency": {
        "it": "Ordine in cui conviene contattare le famiglie: 1 è la prima. Viene prima chi è "
              "isolato, poi chi è a rischio; a parità, chi non ha contatti tra pari da più tempo.",
        "en": "The order in which to contact families: 1 first. Isolated families come first, "
              "then those at risk; among equals, the longest without a peer contact.",
        "ref": "Regole di isolamento del progetto (docs/, sezione isolamento)."},
    "col.status": {
        "it": "Come sta la rete della famiglia alla data scelta: isolata, a rischio, "
              "collegata o nuova (conosciuta da poco, non ancora giudicabile).",
        "en": "How the family's network is on the chosen day: isolated, at risk, connected or "
              "new (met recently, not judged yet).",
        "ref": "genera_graph.analytics.isolation.isolation_report"},
    "col.previous_status": {
        "it": "Lo stato al trimestre precedente: dice se la situazione è peggiorata.",
        "en": "The status one quarter earlier: shows whether things got worse.",
        "ref": "genera_graph.analytics.isolation.early_warning"},
    "col.reasons": {
        "it": "Perché la famiglia è segnalata, con le date dei fatti che lo mostrano.",
        "en": "Why the family is flagged, with the dates of the facts that show it.",
        "ref": "genera_graph.analytics.isolation.isolation_reasons"},
    "col.main_reason": {
        "it": "La ragione principale della segnalazione (le altre nel dettaglio della riga).",
        "en": "The main reason for the flag (the others in the row's details).",
        "ref": "genera_graph.analytics.isolation.isolation_reasons"},
    "col.peer_partners": {
        "it": "Quante persone o famiglie diverse, non operatori, la famiglia ha incontrato "
              "negli ultimi mesi.",
        "en": "How many different people or families, not professionals, the family met in "
              "recent months.",
        "ref": "Legami tra pari (peer ties), finestra di osservazione del progetto."},
    "col.last_peer_contact": {
        "it": "L'ultimo giorno in cui la famiglia ha avuto un contatto tra pari registrato.",
        "en": "The last day the family had a recorded peer contact.",
        "ref": ""},
    "col.days_since_peer_contact": {
        "it": "Giorni passati dall'ultimo contatto tra pari alla data scelta.",
        "en": "Days from the last peer contact to the chosen day.",
        "ref": ""},
    "col.last_follow_up": {
        "it": "L'ultima azione registrata dal facilitatore per questa famiglia (contatto, "
              "visita, invio a un servizio...), con la data.",
        "en": "The facilitator's last recorded action for this family (contact, visit, "
              "referral...), with its date.",
        "ref": ""},
    "col.days_without_followup": {
        "it": "Giorni passati dall'ultima azione registrata per la famiglia (o dal giorno "
              "della segnalazione, se non ne ha) fino a oggi, o fino all'ultimo giorno dei "
              "dati se i registri finiscono prima: le famiglie che aspettano da più tempo "
              "vengono prima ordinando questa colonna.",
        "en": "Days since the family's last recorded action (or since the day it was "
              "flagged, if it has none) to today, or to the data's last day when the "
              "registers end earlier: sort by this column to see who has waited longest.",
        "ref": ""},
    # --- statuses
    "status.isolated": {
        "it": "Nessun legame tra pari attivo, o fuori dalla rete principale.",
        "en": "No active peer tie, or outside the main network.", "ref": ""},
    "status.at_risk": {
        "it": "Pochi legami tra pari, solo legami con operatori, o una rete che si restringe.",
        "en": "Few peer ties, only ties with professionals, or a shrinking network.", "ref": ""},
    "status.connected": {"it": "Una rete tra pari sufficiente.", "en": "Enough peer ties.",
                         "ref": ""},
    "status.new": {"it": "Conosciuta da poco: non ancora giudicata.",
                   "en": "Met recently: not judged yet.", "ref": ""},
    # --- reasons
    "reason.no_active_ties": {"it": "Nel periodo non risulta nessun contatto.",
                              "en": "No contact at all in the period.", "ref": ""},
    "reason.only_professional_ties": {
        "it": "La famiglia vede solo operatori o servizi, nessun'altra famiglia o persona.",
        "en": "The family only sees professionals or services, no other family or person.",
        "ref": ""},
    "reason.few_peer_partners": {
        "it": "Meno contatti tra pari della soglia del progetto.",
        "en": "Fewer peer contacts than the project's threshold.", "ref": ""},
    "reason.shrinking_network": {
        "it": "La famiglia vede meno persone di quante ne vedeva prima.",
        "en": "The family sees fewer people than it used to.", "ref": ""},
    "reason.single_bridge": {
        "it": "Tutti i legami della famiglia con gli altri passano da una sola persona: se "
              "questa si allontana, la famiglia resta sola.",
        "en": "All the family's ties to others go through one person: if they leave, the "
              "family is alone.", "ref": "Punto di articolazione (cut vertex)."},
    "reason.outside_main_network": {
        "it": "La famiglia non è collegata, nemmeno indirettamente, alla rete principale.",
        "en": "The family is not linked, even indirectly, to the main network.",
        "ref": "Componente gigante (giant component)."},
    # --- bridges
    "col.degree": {"it": "Con quanti attori diversi ha avuto legami nel periodo.",
                   "en": "How many different actors it had ties with in the period.",
                   "ref": "Grado (degree)."},
    "col.strength": {"it": "Quanti contatti in tutto, contando le ripetizioni.",
                     "en": "How many contacts in all, repeats counted.",
                     "ref": "Forza (strength), Barrat et al. 2004."},
    "col.betweenness": {
        "it": "Quante volte l'attore sta sulla strada più breve tra altri due: chi ha un valore "
              "alto mette in contatto persone che altrimenti non si incontrerebbero.",
        "en": "How often the actor lies on the shortest path between two others: a high value "
              "connects people who would otherwise not meet.",
        "ref": "Intermediazione (betweenness), Freeman 1977."},
    "col.betweenness_norm": {
        "it": "L'intermediazione divisa per il massimo possibile con questi attori (tra 0 e 1): "
              "confrontabile tra periodi.",
        "en": "Betweenness divided by its maximum for these actors (0 to 1): comparable across "
              "periods.", "ref": "Freeman 1977."},
    "col.constraint": {
        "it": "Quanto i contatti dell'attore si conoscono già tra loro (da 0 a 1): basso vuol "
              "dire che l'attore unisce gruppi diversi, alto che sta in un gruppo chiuso.",
        "en": "How much the actor's contacts already know each other (0 to 1): low means the "
              "actor joins different groups, high a closed group.",
        "ref": "Vincolo (constraint), Burt 1992, Structural Holes."},
    "col.effective_size": {
        "it": "Quanti contatti dell'attore portano davvero a persone diverse (i contatti che si "
              "conoscono tra loro contano meno).",
        "en": "How many of the actor's contacts really lead to different people (contacts who "
              "know each other count less).", "ref": "Dimensione efficace, Burt 1992."},
    "col.cut_vertex": {
        "it": "Sì se, togliendo l'attore, qualcuno resta separato dal resto della rete.",
        "en": "Yes if, without the actor, someone is cut off from the rest of the network.",
        "ref": "Punto di articolazione (articulation point)."},
    "col.fragmentation": {
        "it": "Quota di coppie di attori che non possono raggiungersi (0 tutti collegati, 1 "
              "nessuno): 'cosa succede se l'attore se ne va' la confronta prima e dopo.",
        "en": "Share of pairs of actors who cannot reach each other (0 all linked, 1 none): "
              "'what if this actor leaves' compares it before and after.",
        "ref": "Frammentazione, Borgatti 2006, key player."},
    "role.coordinator": {"it": "Collega due persone del suo stesso gruppo.",
                         "en": "Links two people of their own group.",
                         "ref": "Gould e Fernandez 1989."},
    "role.itinerant": {"it": "Collega due persone di uno stesso gruppo, che non è il suo.",
                       "en": "Links two people of one group that is not theirs.",
                       "ref": "Gould e Fernandez 1989 (consultant)."},
    "role.representative": {"it": "Porta il proprio gruppo verso un altro gruppo.",
                            "en": "Carries their own group towards another group.",
                            "ref": "Gould e Fernandez 1989."},
    "role.gatekeeper": {"it": "Fa entrare nel proprio gruppo chi viene da fuori.",
                        "en": "Lets people from outside into their own group.",
                        "ref": "Gould e Fernandez 1989."},
    "role.liaison": {"it": "Collega due gruppi diversi, nessuno dei quali è il suo.",
                     "en": "Links two different groups, neither of them theirs.",
                     "ref": "Gould e Fernandez 1989."},
    # --- overview and communities
    "col.reach": {"it": "Quanti nuclei e attori il progetto ha raggiunto finora (cumulato).",
                  "en": "How many households and actors the project has reached so far.",
                  "ref": ""},
    "col.active_ties": {"it": "Legami con almeno un contatto nel mese.",
                        "en": "Ties with at least one contact in the month.", "ref": ""},
    "col.new_ties": {"it": "Legami comparsi per la prima volta nel mese.",
                     "en": "Ties seen for the first time in the month.", "ref": ""},
    "col.lost_ties": {"it": "Legami senza contatti da più dell'orizzonte del progetto.",
                      "en": "Ties without contact for longer than the project's horizon.",
                      "ref": ""},
    "col.peer_share": {"it": "Percentuale dei legami attivi che sono tra pari.",
                       "en": "Percentage of active ties that are between peers.", "ref": ""},
    "col.components": {"it": "In quanti pezzi separati è divisa la rete.",
                       "en": "How many separate pieces the network is in.",
                       "ref": "Componenti connesse."},
    "col.giant_share": {"it": "Percentuale degli attori nel pezzo più grande della rete.",
                        "en": "Percentage of actors in the network's largest piece.",
                        "ref": "Componente gigante."},
    "col.community": {
        "it": "Gruppo di attori che hanno molti più legami tra loro che con gli altri.",
        "en": "A group of actors with many more ties among themselves than with others.",
        "ref": "Leiden, Traag et al. 2019."},
    "com.modularity": {
        "it": "Quanto i gruppi trovati sono netti (da 0 a 1; sopra 0,3 i gruppi sono chiari).",
        "en": "How clear-cut the groups found are (0 to 1; above 0.3 the groups are clear).",
        "ref": "Modularità, Newman 2006."},
}

#: the glossary page's sections: (title key, entry keys)
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("glo.worklist", ("col.urgency", "col.status", "col.previous_status", "col.main_reason",
                      "col.reasons", "col.peer_partners", "col.last_peer_contact",
                      "col.days_since_peer_contact", "col.last_follow_up",
                      "col.days_without_followup")),
    ("glo.statuses", ("status.isolated", "status.at_risk", "status.connected", "status.new")),
    ("glo.reasons", tuple(k for k in ENTRIES if k.startswith("reason."))),
    ("glo.bridges", ("col.degree", "col.strength", "col.betweenness", "col.betweenness_norm",
                     "col.constraint", "col.effective_size", "col.cut_vertex",
                     "col.fragmentation")),
    ("glo.roles", tuple(k for k in ENTRIES if k.startswith("role."))),
    ("glo.growth", ("col.reach", "col.active_ties", "col.new_ties", "col.lost_ties",
                    "col.peer_share", "col.components", "col.giant_share")),
    ("glo.communities", ("col.community", "com.modularity")),
)


def explain(key: str, lang: str) -> str:
    """The plain explanation of a translation key (``''`` when there is none)."""
    entry = ENTRIES.get(key)
    return entry.get(lang, entry["it"]) if entry else ""


def reference(key: str) -> str:
    """The reference a researcher would look up for a key (``''`` when there is none)."""
    return ENTRIES.get(key, {}).get("ref", "")
