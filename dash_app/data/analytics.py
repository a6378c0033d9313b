"""The analytics tables of the access object: growth, the monitoring report, bridging and
brokerage, "what if this actor leaves", communities and their history, isolation worklists.

Each is the library's pure function (``genera_graph.analytics``) applied to the viewer's graph,
cached per arguments; :class:`AnalyticsTables` is a part of :class:`dash_app.data.DataAccess`.

Examples
--------
>>> from genera_graph.model import Dataset
>>> from dash_app.data import DataAccess
>>> DataAccess(Dataset.empty()).worklist_dates()[-1]
datetime.date(2019, 1, 31)
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dash_app.data.cache import cached
from genera_graph.analytics.bridging import ROLES, bridging_table, brokerage, key_player_impact
from genera_graph.analytics.communities import community_history, leiden
from genera_graph.analytics.growth import growth
from genera_graph.analytics.isolation import early_warning, isolation_reasons, isolation_report
from genera_graph.analytics.report import monitoring_report
from genera_graph.temporal import View

__all__ = ["AnalyticsTables"]


def _main(graph: Any) -> set[str]:
    """The names in a graph's main network: its largest component (of two as large, the one
    holding the smallest id)."""
    if not len(graph.vs):
        return set()
    parts = [set(graph.vs[c]["name"]) for c in graph.connected_components()]
    return min(parts, key=lambda p: (-len(p), min(p)))


class AnalyticsTables:
    """The analytics the pages show, for the viewer (cached per arguments)."""

    # ----------------------------------------------------------------- overview
    @cached
    def growth(self, by: str | None = None) -> pd.DataFrame:
        """Monthly growth of the household-level network (``genera_graph.analytics.growth``),
        for the district or split ``by`` ``"community_point"`` or ``"programme"``: reach,
        active, new and lost ties, structure and the peer share, one row per month (and
        group)."""
        return growth(self.temporal(), by=by, level="household")

    @cached
    def report(self, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """The monitoring table (``genera_graph.analytics.report``) for a period, or per
        programme year when no period is given."""
        periods = [(start, end)] if start and end else None
        return monitoring_report(self.dataset, periods)

    def bridge_view(self, start: date, end: date) -> View:
        """The graph of the bridging analytics: recorded ties between actors in ``[start, end)``.

        The convention of ``genera analyze`` (``genera_graph.analytics.tables.graph_for``):
        individual actors, interactions and relations only; co-participation cliques would
        rank attendance at big events, not brokerage.
        """
        return self.temporal().window(start, end)

    @cached
    def bridging(self, start: date, end: date) -> pd.DataFrame:
        """The bridging table of the window's graph (:meth:`bridge_view`), with names and kinds.

        ``genera_graph.analytics.bridging.bridging_table`` (unweighted betweenness),
        normalised by the actors present in the window.
        """
        graph = self.bridge_view(start, end).igraph()
        if graph.vcount() == 0:
            return pd.DataFrame()
        table = bridging_table(graph)
        a = self.actors
        table.insert(0, "name", [self.name_of(i) for i in table.index])
        table.insert(1, "kind", a["kind"].reindex(table.index).to_numpy())
        table.insert(2, "community_point_id", a["community_point_id"].reindex(table.index)
                     .to_numpy())
        return table.sort_values("betweenness", ascending=False)

    @cached
    def brokerage_roles(self, start: date, end: date, by: str = "cp") -> pd.DataFrame:
        """Gould-Fernandez brokerage counts summed by group (tidy ``group``, ``role``,
        ``count``); groups are Community Points (``by="cp"``) or each actor's main programme
        in the window (``by="programme"``). Actors without a group are left out."""
        graph = self.bridge_view(start, end).igraph()
        groups = self._groups(start, end, by)
        keep = [v.index for v in graph.vs if v["name"] in groups.index]
        sub = graph.induced_subgraph(keep)
        if sub.vcount() < 3 or groups.reindex(sub.vs["name"]).nunique() < 2:
            return pd.DataFrame({"group": [], "role": [], "count": []})
        result = brokerage(sub, groups.reindex(sub.vs["name"]).to_dict())
        raw = result.raw[list(ROLES)].copy()
        raw["group"] = pd.Series(result.group).reindex(raw.index).to_numpy()
        tidy = raw.groupby("group").sum().reset_index().melt(
            id_vars="group", var_name="role", value_name="count")
        tidy["role"] = tidy["role"].map(ROLES)
        return tidy

    def _groups(self, start: date, end: date, by: str) -> pd.Series:
        """Actor id -> its group: its Community Point, or (``by="programme"``) the programme
        of most of its recorded interactions and relations in ``[start, end)``, at the actors'
        own level (the bridging graph's individuals, not households)."""
        a = self.actors
        if by == "programme":
            lo, hi = pd.Timestamp(start), pd.Timestamp(end)
            inter = self.dataset.interactions
            inter = inter[(inter["date"] >= lo) & (inter["date"] < hi)]
            rel = self.dataset.relations
            rel = rel[(rel["start_date"] < hi) & (rel["end_date"].isna()
                                                   | (rel["end_date"] >= lo))]
            long = pd.concat([
                inter[["source_actor_id", "programme"]].set_axis(["id", "programme"], axis=1),
                inter[["target_actor_id", "programme"]].set_axis(["id", "programme"], axis=1),
                rel[["actor_id", "programme"]].set_axis(["id", "programme"], axis=1),
                rel[["partner_id", "programme"]].set_axis(["id", "programme"], axis=1),
            ]).dropna()
            long = long[long["programme"].astype(str) != ""]
            if not len(long):
                return pd.Series(dtype=object)
            counts = long.groupby(["id", "programme"], observed=True).size().reset_index(name="n")
            counts = counts.sort_values(["id", "n", "programme"], ascending=[True, False, True])
            main = counts.drop_duplicates("id")
            return pd.Series(main["programme"].astype(str).to_numpy(), index=main["id"].to_numpy())
        cp = a["community_point_id"].dropna()
        return cp[cp.astype(str) != ""]

    @cached
    def what_if(self, actor_id: str, start: date, end: date) -> dict[str, Any]:
        """Fragmentation and components of the window's graph before and after ``actor_id``
        leaves (``key_player_impact``; Borgatti's F), and ``cut_off``: the actors of the main
        network (the largest component) that are no longer in it once the actor has gone,
        by name (the actor's own household members included)."""
        graph = self.bridge_view(start, end).igraph()
        if actor_id not in set(graph.vs["name"]):
            return {}
        impact = key_player_impact(graph, [actor_id], distance=False).iloc[0]
        after = graph.copy()
        after.delete_vertices([graph.vs.find(name=actor_id).index])
        main_before = _main(graph)
        main_before.discard(actor_id)
        main_after = _main(after)
        cut = sorted(main_before - main_after, key=lambda i: self.name_of(i).lower())
        return {"cut_off": tuple(cut),
                "before": float(impact["fragmentation_before"]),
                "after": float(impact["fragmentation_after"]),
                "delta": float(impact["fragmentation_delta"]),
                "components_before": len(graph.connected_components()),
                "components_after": len(after.connected_components())}

    @cached
    def communities(self, start: date, end: date) -> dict[str, Any]:
        """Leiden communities of the window's household-level graph
        (``genera_graph.analytics.communities.leiden``, modularity, the config's seed and
        resolution): ``membership`` (Series unit id -> community, 0 the largest),
        ``modularity`` and ``parameters``."""
        result = leiden(self.view(start, end), resolution=self.config.leiden_resolution,
                        seed=self.config.seed)
        membership = result.membership.set_index("actor_id")["community"]
        return {"membership": membership, "modularity": float(result.modularity),
                "parameters": dict(result.parameters)}

    @cached
    def community_history(self) -> pd.DataFrame:
        """Life-cycle events of the communities across the programme's quarters
        (``community_history``: births, deaths, merges, splits, growth...): its ``events``."""
        months = self.months()
        windows = [(months[k], months[min(k + 3, len(months) - 1)])
                   for k in range(0, len(months) - 1, 3)]
        history = community_history(self.temporal(), windows,
                                    resolution=self.config.leiden_resolution,
                                    seed=self.config.seed, level="household",
                                    include_coparticipation=True)
        return history.events

    def as_of_dates(self) -> tuple[date, ...]:
        """The days a worklist can be made on: the last day of each programme month."""
        return tuple(m - pd.Timedelta(days=1).to_pytimedelta() for m in self.months()[1:])

    def worklist_dates(self) -> tuple[date, ...]:
        """The days the worklist is offered on: each quarter's last day (the facilitators'
        quarterly follow-up rhythm), the programme's last day included."""
        return self.as_of_dates()[2::3]

    @cached
    def isolation_report(self, as_of: date) -> pd.DataFrame:
        """Isolation status of every visible household on ``as_of``, with names
        (``genera_graph.analytics.isolation.isolation_report``)."""
        report = isolation_report(self.district_temporal(), as_of, config=self.config)
        report = self._for_viewer(report, report.index)
        report.insert(0, "name", [self.name_of(i) for i in report.index])
        return report

    @cached
    def isolation_reasons(self, as_of: date) -> pd.DataFrame:
        """One row per (household, reason) on ``as_of``, with the supporting dates; a bridge
        (``partner_id``) the viewer may not see is left missing."""
        reasons = isolation_reasons(self.district_temporal(), as_of, config=self.config)
        return self._for_viewer(reasons, reasons["actor_id"]).reset_index(drop=True)

    @cached
    def suggested_introductions(self, as_of: date, actor_id: str, top: int | None = None,
                                declined: tuple[str, ...] = ()
                                ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The peers to introduce a family to on ``as_of`` and the reasons of each
        (``genera_graph.analytics.introductions``), in the viewer's scope: scored on the whole
        district (as isolation is), but only candidates the viewer sees, and a partner in
        common the viewer may not see is counted, never named. Nothing is acted upon.
        ``declined``: candidates whose introduction to this family was declined (marked in
        the store, whatever its day): never suggested again.

        Returns ``(suggestions, reasons)``; suggestions carry the candidate's ``name``.

        The first family asked for on a day has every family of the scope computed with it
        (:meth:`warm_introductions`, one pass: about the cost of one family alone), so that
        the next family's page reads them; the others wait for that pass instead of
        computing the same indices again.
        """
        # at region scale the one pass over every family needs a families x actors matrix
        # (39,000 x 141,244 floats: 41 GiB): each family is computed alone there
        if top is None and not self.region_scale() and self._introductions_batch(as_of):
            kept = self._cache.get(("suggested_introductions",
                                    (as_of, actor_id, None, declined), ()))
            if kept is not None:
                return kept
        return self.suggested_introductions_alone(as_of, actor_id, top, declined)

    def suggested_introductions_alone(self, as_of: date, actor_id: str, top: int | None = None,
                                      declined: tuple[str, ...] = ()
                                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`suggested_introductions` computed for this one family alone (not kept):
        what a family the one pass could not keep gets, and what the pass is checked
        against."""
        from genera_graph.analytics.introductions import (
            introduction_reasons,
            suggest_introductions,
        )

        # the viewer's ids made once (DataAccess._visible_ids): the library keeps what
        # it derives from one such set for the day
        visible = self._visible_ids()
        tg = self.district_temporal()
        refused = (pd.DataFrame({"actor_id": actor_id, "candidate_id": list(declined),
                                 "status": "declined", "date": pd.Timestamp(as_of)})
                   if declined else None)
        table = suggest_introductions(tg, as_of, actors=[actor_id], top=top, visible=visible,
                                      config=self.config, introductions=refused)
        reasons = introduction_reasons(tg, as_of, table, visible=visible, config=self.config)
        table.insert(3, "name", [self.name_of(c) for c in table["candidate_id"]])
        return table, reasons

    def _introductions_batch(self, as_of: date) -> bool:
        """Whether every family's suggestions on ``as_of`` have been computed (in one pass,
        by the first caller; the others wait for it). The mark is a cache entry, so that a
        write that empties the cache makes the pass run again."""
        from dash_app.introductions import declined_by_family

        mark = ("_introductions_batch", (as_of,), ())
        if mark in self._cache:
            return True
        with self._batch_lock:
            if mark not in self._cache:
                self.warm_introductions(as_of, declined_by_family(self))
        return True

    def warm_introductions(self, as_of: date,
                           declined: dict[str, tuple[str, ...]] | None = None) -> int:
        """Compute the suggested introductions of every household the viewer sees on
        ``as_of`` in one pass of the library (its indices are computed for many families at
        once) and keep each family's as :meth:`suggested_introductions` ``(as_of, family,
        None, declined[family])`` returns it, so that a family's page opens without waiting
        for them. Returns the number of families kept."""
        from genera_graph.analytics.introductions import (
            introduction_reasons,
            suggest_introductions,
        )

        declined = declined or {}
        a = self.actors
        families = list(a.index[a["kind"].eq("household")])
        # once kept (or found not possible), a day's pass is not made again: see
        # _introductions_batch
        mark = ("_introductions_batch", (as_of,), ())
        if not families:
            self._cache[mark] = True
            return 0
        # the viewer's ids made once (DataAccess._visible_ids): the library keeps what
        # it derives from one such set for the day
        visible = self._visible_ids()
        tg = self.district_temporal()
        pairs = [(h, c) for h, cs in declined.items() for c in cs]
        refused = (pd.DataFrame({"actor_id": [h for h, _ in pairs],
                                 "candidate_id": [c for _, c in pairs], "status": "declined",
                                 "date": pd.Timestamp(as_of)}) if pairs else None)
        try:
            table = suggest_introductions(tg, as_of, actors=families, visible=visible,
                                          config=self.config, introductions=refused)
        except ValueError:  # a family the library cannot score on that day: one by one
            self._cache[mark] = True
            return 0
        reasons = introduction_reasons(tg, as_of, table, visible=visible, config=self.config)
        table.insert(3, "name", [self.name_of(c) for c in table["candidate_id"]])
        by_family = dict(tuple(table.groupby("actor_id", sort=False)))
        reasons_of = dict(tuple(reasons.groupby("actor_id", sort=False)))
        with self._lock:
            for h in families:
                mine = by_family.get(h, table.iloc[:0]).reset_index(drop=True)
                why = reasons_of.get(h, reasons.iloc[:0]).reset_index(drop=True)
                key = ("suggested_introductions", (as_of, h, None, declined.get(h, ())), ())
                self._cache[key] = (mine, why)
            self._cache[mark] = True
        return len(families)

    @cached
    def early_warning(self, as_of: date, cps: tuple[str, ...] = (),
                      facilitators: tuple[str, ...] = ()) -> pd.DataFrame:
        """The early-warning worklist on ``as_of`` (households whose status worsened), with
        names, for some Community Points and facilitators (all when empty)."""
        table = early_warning(self.district_temporal(), as_of, config=self.config,
                              community_point=list(cps) or None,
                              facilitator=list(facilitators) or None)
        table = self._for_viewer(table, table.index)
        table.insert(0, "name", [self.name_of(i) for i in table.index])
        return table

    def last_follow_ups(self, as_of: date, lang: str = "it") -> pd.Series:
        """Household id -> its last follow-up on or before ``as_of``, in words with its date
        (``"visita a domicilio, 12/01/2019"``): the worklist's "last follow-up" column.

        Follow-ups are recorded in the explorer (:mod:`genera_graph.io.records`); one recorded
        after ``as_of`` (today, for a family flagged on the data's last day) counts too, up to
        today. Empty without a store.
        """
        from dash_app.workbench import followup_table, wt
        from genera_graph.analytics.followups import followup_summary

        table = followup_table(self)
        if not len(table):
            return pd.Series(dtype=object)
        summary = followup_summary(table, table["household_id"].unique(), date.today())
        summary = summary.dropna(subset=["last_followup"])
        return pd.Series([f"{wt(f'action.{a}', lang)}, {d:%d/%m/%Y}" for a, d in
                          zip(summary["last_action"], summary["last_followup"], strict=True)],
                         index=summary.index, dtype=object)

    def days_without_follow_up(self, as_of: date) -> pd.Series:
        """Household id -> days it has waited without a follow-up, to
        :meth:`follow_up_count_day` (today for current data): since its last follow-up, or
        since ``as_of`` (the day it was flagged) if it has none."""
        from dash_app.workbench import followup_table
        from genera_graph.analytics.followups import followup_summary

        households = self.actors.index[self.actors["kind"] == "household"]
        summary = followup_summary(followup_table(self), households, date.today(),
                                   flag_day=as_of, count_to=self.follow_up_count_day(as_of))
        return summary["days_without_followup"]

    def follow_up_count_day(self, as_of: date) -> date:
        """The day "days without follow-up" are counted to: today, or the data's last day
        when the records end earlier (a historical register: counting to today would say how
        old the data are), and never before the worklist's day ``as_of``."""
        last = self.district_temporal().last_day or date.today()
        return min(date.today(), max(pd.Timestamp(as_of).date(), last))

    def isolation(self) -> pd.DataFrame:
        """Households isolated or at risk at the programme's last day."""
        report = self.isolation_report(self.as_of_dates()[-1])
        return report[report["status"].isin(("isolated", "at_risk"))]
