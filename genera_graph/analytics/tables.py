"""The analysis tables of a date, together with their data dictionaries.

:func:`analysis_tables` is what ``genera analyze --at DATE`` writes: isolation, its reasons, the
early-warning worklist, the bridging table and Gould–Fernandez brokerage by Community Point or
programme. Each table comes with its data dictionary rows (column, definition, convention,
reference), so that exports can document every figure.

Examples
--------
>>> from genera_graph.temporal import TemporalGraph
>>> from genera_graph.temporal.testing import toy_dataset
>>> tables = analysis_tables(TemporalGraph.from_dataset(toy_dataset()), "2016-12-31")
>>> sorted(tables)
['bridging', 'brokerage', 'early_warning', 'isolation', 'isolation_reasons']
>>> frame, dictionary = tables["bridging"]
>>> set(frame.columns) <= {row["column"] for row in dictionary}
True
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd

from genera_graph.analytics import bridging, isolation
from genera_graph.temporal import TemporalGraph

__all__ = ["analysis_tables", "bridging_tables", "dictionary_for", "dictionary_texts", "graph_for"]

ViewKind = Literal["at", "cumulative"]


def graph_for(tg: TemporalGraph, at: date | str, view: ViewKind = "at",
              level: Literal["household", "individual"] = "individual", *,
              coparticipation: bool = False):
    """The view the bridging tables are computed on.

    ``"at"``: ties active on the day (interval ties covering it, contacts within the horizon);
    ``"cumulative"``: every tie up to the day. Vertices are every actor met by the day, so that
    isolated actors are reported as such.

    Notes
    -----
    By default the graph holds direct ties only (interactions and interval relations) between
    individual actors. Co-participation ties are left out: projecting an activity makes a
    clique of its participants, and betweenness on projected cliques measures attendance
    rather than brokerage (on the sample district, with them, facilitators and big-event
    regulars fill the top of the ranking and the planted bridges fall out of the top 250;
    Borgatti & Everett 1997, "Network analysis of 2-mode data", Social Networks 19:243-269).
    ``coparticipation=True`` puts them back.
    """
    opts = dict(include_coparticipation=coparticipation, vertices="met", level=level)
    if view == "at":
        return tg.at(at, **opts)
    if view == "cumulative":
        return tg.cumulative(at, **opts)
    raise ValueError(f"view must be 'at' or 'cumulative', got {view!r}")


def dictionary_for(frame: pd.DataFrame, conventions: dict[str, dict[str, str]],
                   extra: dict[str, dict[str, str]] | None = None) -> list[dict[str, str]]:
    """Data dictionary rows for the columns of ``frame`` (and its index, if named)."""
    known = {**conventions, **(extra or {})}
    columns = ([frame.index.name] if frame.index.name else []) + list(frame.columns)
    rows = []
    for col in columns:
        entry = known.get(col)
        if entry is None:
            raise KeyError(f"no data dictionary entry for column {col!r}")
        rows.append({"column": col, **entry})
    return rows


def analysis_tables(
    tg: TemporalGraph,
    at: date | str,
    *,
    groups: Literal["community_point", "programme"] = "community_point",
    view: ViewKind = "at",
    level: Literal["household", "individual"] = "individual",
    weight: str | None = None,
) -> dict[str, tuple[pd.DataFrame, list[dict[str, str]]]]:
    """Every analysis table of a date, with its data dictionary.

    Parameters
    ----------
    tg : TemporalGraph
    at : date-like
        The day of the analysis.
    groups : {"community_point", "programme"}
        Groups for brokerage: each actor's Community Point (actors without one, such as
        district-wide associations, form the group ``"district"``), or the programme in which
        the actor has most ties in the view.
    view : {"at", "cumulative"}, level : {"household", "individual"}
        The graph of the bridging tables (see :func:`graph_for`).
    weight : {None, "weight"}
        ``"weight"``: interaction counts as strengths (distance ``1 / count``) in betweenness;
        default unweighted.

    Returns
    -------
    dict
        name -> (table with ``actor_id`` as a column, data dictionary rows).
    """
    g = graph_for(tg, at, view, level).igraph()
    out: dict[str, tuple[pd.DataFrame, list[dict[str, str]]]] = {}
    for name, frame in (
        ("isolation", isolation.isolation_report(tg, at)),
        ("early_warning", isolation.early_warning(tg, at)),
    ):
        out[name] = (frame.reset_index(),
                     dictionary_for(frame.reset_index(), isolation.CONVENTIONS))
    reasons = isolation.isolation_reasons(tg, at)
    out["isolation_reasons"] = (reasons, dictionary_for(reasons, isolation.CONVENTIONS))

    out["bridging"] = bridging_tables(g, weight=weight)

    membership = _groups(tg, g, groups)
    if g.vcount() >= 3:
        broker = bridging.brokerage(g, membership).to_frame().reset_index()
    else:  # brokerage needs an open two-path: fewer than three actors have none
        broker = pd.DataFrame(columns=["actor_id", "group", *bridging.ROLES, "total",
                                       *[f"z_{r}" for r in (*bridging.ROLES, "total")]])
    out["brokerage"] = (broker, dictionary_for(broker, bridging.CONVENTIONS,
                                               {"group": _GROUPS[groups]}))
    return out


#: the ``group`` column of the brokerage table, by the groups chosen
_GROUPS = {
    "community_point": {"definition": "the actor's Community Point (its brokerage group)",
                        "convention": "actors without a Community Point form the group "
                        "'district'", "reference": "docs/metrics.md §5"},
    "programme": {"definition": "the actor's programme (its brokerage group)",
                  "convention": "the programme of most of its ties",
                  "reference": "docs/metrics.md §5"},
}
_KIND = {"kind": {"definition": "actor kind: {codes:kind}", "convention": "",
                  "reference": "docs/DESIGN.md §2"}}


def dictionary_texts() -> list[str]:
    """Every definition and convention of the analysis tables' dictionaries: the message ids
    that ``make messages`` adds to the catalogs (they are built at import, so ``pybabel
    extract`` cannot see them) and that the catalog test checks.

    >>> "the household's id" in dictionary_texts()
    True
    """
    texts = []
    for conventions in (isolation.CONVENTIONS, bridging.CONVENTIONS, _KIND, _GROUPS):
        for entry in conventions.values():
            texts += [entry[k] for k in ("definition", "convention") if entry.get(k)]
    return list(dict.fromkeys(texts))


#: above this many actors an unweighted bridging table estimates betweenness with KADABRA
#: (epsilon 0.01, delta 0.1) unless exact betweenness is asked: exact Brandes is O(n m) and took
#: 2,248 s on a 100k-actor region
EXACT_BETWEENNESS_LIMIT = 20_000


def bridging_tables(g, *, weight: str | None = None, exact: bool | None = None,
                    exact_limit: int = EXACT_BETWEENNESS_LIMIT
                    ) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """The bridging table of a view's igraph graph with each actor's kind, and its dictionary.

    ``actor_id`` is a column (ready to write); see
    :func:`~genera_graph.analytics.bridging.bridging_table` for the measures. Betweenness is
    exact up to ``exact_limit`` actors (or with ``exact=True``: opt-in at scale); above it, on
    an unweighted graph, KADABRA with its stated bound (``attrs`` of the table say which).

    Examples
    --------
    >>> import igraph as ig
    >>> g = ig.Graph.Famous("Zachary")
    >>> g.vs["name"] = [str(v) for v in range(g.vcount())]
    >>> g.vs["kind"] = ["individual"] * g.vcount()
    >>> bridging_tables(g)[0].attrs["betweenness_method"]
    'brandes'
    >>> bridging_tables(g, exact_limit=10)[0].attrs["betweenness_method"]
    'kadabra'
    """
    estimate = exact is False or (exact is None and weight is None and g.vcount() > exact_limit)
    table = bridging.bridging_table(g, weight=weight,
                                    betweenness_epsilon=0.01 if estimate else None, seed=1)
    kinds = pd.Series(g.vs["kind"], index=g.vs["name"]) if g.vcount() else pd.Series(dtype=object)
    table.insert(0, "kind", kinds.reindex(table.index).to_numpy())
    frame = table.reset_index()
    return frame, dictionary_for(frame, bridging.CONVENTIONS, _KIND)


def _groups(tg: TemporalGraph, g, groups: str) -> dict[str, str]:
    names = g.vs["name"] if g.vcount() else []
    if groups == "community_point":
        cps = g.vs["community_point_id"] if g.vcount() else []
        return {n: (cp if isinstance(cp, str) and cp else "district")
                for n, cp in zip(names, cps, strict=True)}
    if groups == "programme":
        events = tg.events()
        events = events[events["event_kind"] != "participation"]
        both = pd.concat([events[["source", "programme"]].rename(columns={"source": "actor"}),
                          events[["target", "programme"]].rename(columns={"target": "actor"})])
        top = both.groupby(["actor", "programme"]).size().reset_index(name="n")
        top = top.sort_values(["actor", "n", "programme"], ascending=[True, False, True])
        main = top.drop_duplicates("actor").set_index("actor")["programme"]
        return {n: str(main.get(n, "community")) for n in names}
    raise ValueError(f"groups must be 'community_point' or 'programme', got {groups!r}")
