"""Analytics: pure functions on the temporal graph that return tidy pandas tables.

- :mod:`~genera_graph.analytics.report`: the programme's monitoring table;
- :mod:`~genera_graph.analytics.growth`: the relationship map over time, one row per window;
- :mod:`~genera_graph.analytics.communities`: Leiden communities and their history;
- :mod:`~genera_graph.analytics.isolation`: households' isolation status, reasons, worklist;
- :mod:`~genera_graph.analytics.introductions`: suggested introductions, their evaluation and
  outcomes;
- :mod:`~genera_graph.analytics.followups`: the follow-ups of flagged households (waiting,
  coverage within 14 days);
- :mod:`~genera_graph.analytics.bridging`: betweenness, structural holes, brokerage, key players;
- :mod:`~genera_graph.analytics.tables`: the analysis tables of a date with data dictionaries.
"""

from genera_graph.analytics import (
    bridging,
    communities,
    followups,
    growth,
    introductions,
    isolation,
    report,
    tables,
)
from genera_graph.analytics.bridging import (
    approximate_betweenness,
    bridging_table,
    brokerage,
    distance_fragmentation,
    fragmentation,
    greedy_key_players,
    key_player_impact,
    local_bridges,
    participation_coefficient,
)
from genera_graph.analytics.communities import community_history, leiden
from genera_graph.analytics.followups import followup_coverage, followup_summary
from genera_graph.analytics.growth import growth as growth_table
from genera_graph.analytics.introductions import (
    evaluate_link_prediction,
    introduction_outcomes,
    link_scores,
    suggest_introductions,
)
from genera_graph.analytics.isolation import early_warning, isolation_reasons, isolation_report
from genera_graph.analytics.report import monitoring_report, report_wide
from genera_graph.analytics.tables import analysis_tables

__all__ = [
    "analysis_tables",
    "approximate_betweenness",
    "bridging",
    "bridging_table",
    "brokerage",
    "communities",
    "community_history",
    "distance_fragmentation",
    "early_warning",
    "evaluate_link_prediction",
    "followup_coverage",
    "followup_summary",
    "followups",
    "fragmentation",
    "greedy_key_players",
    "growth",
    "growth_table",
    "introduction_outcomes",
    "introductions",
    "isolation",
    "isolation_reasons",
    "isolation_report",
    "key_player_impact",
    "leiden",
    "link_scores",
    "local_bridges",
    "monitoring_report",
    "participation_coefficient",
    "report",
    "report_wide",
    "suggest_introductions",
    "tables",
]
