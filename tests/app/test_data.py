"""The data-access module: scoping by viewer in one place, caching, loading sources."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dash_app.data import DataAccess, Viewer, load_source
from genera_graph.analytics.isolation import isolation_report

START, END = dt.date(2016, 2, 1), dt.date(2019, 2, 1)


def test_facilitator_sees_only_their_points_households(district):
    access = DataAccess(district, Viewer(role="facilitator", community_point_id="CP02"))
    actors = access.actors
    households = set(actors.index[actors["kind"] == "household"])
    assert households == {"H04", "H05", "H06"}
    # members of other points' households are gone too
    assert not {"I010", "I020", "I030"} & set(actors.index)
    # no tie touches a hidden household, in the map or in the analytics
    _, edges = access.nodes(START, END)
    hidden = {"H01", "H02", "H03", "I010", "I020", "I030"}
    assert not hidden & (set(edges["a"]) | set(edges["b"]))
    assert not hidden & set(access.bridging(START, END).index)
    assert access.community_points() == (("CP02", "Punto Sud"),)


def test_a_facilitator_gets_the_districts_isolation_verdicts_for_their_households(district):
    """Scoping hides other points' families; it must not change how one's own are judged
    (a family tied to the district only through another point's families is not cut off)."""
    coordinator = DataAccess(district, Viewer())
    facilitator = DataAccess(district, Viewer(role="facilitator", community_point_id="CP02"))
    own = ["H04", "H05", "H06"]
    differs = 0
    for day in coordinator.worklist_dates():
        mine = facilitator.isolation_report(day)
        whole = coordinator.isolation_report(day)
        whole = whole[whole.index.isin(own)]
        assert list(mine.index) == list(whole.index) and len(mine), day
        assert mine["status"].tolist() == whole["status"].tolist(), day
        reasons = facilitator.isolation_reasons(day)
        expected = coordinator.isolation_reasons(day)
        expected = expected[expected["actor_id"].isin(own)].reset_index(drop=True)
        assert reasons[["actor_id", "reason"]].equals(expected[["actor_id", "reason"]]), day
        bridges = set(reasons["partner_id"].dropna()) | set(mine["bridge_id"].dropna())
        bridges |= set(facilitator.early_warning(day)["bridge_id"].dropna())
        assert bridges <= set(facilitator.actors.index), "a hidden bridge is named"
        # what the scoped dataset alone would have said (the mistake this guards against)
        scoped = isolation_report(facilitator.temporal(), day, config=facilitator.config)
        differs += int((scoped.loc[whole.index, "status"] != whole["status"]).sum())
    assert differs, "the small district should show why scoping the analysis is wrong"


def test_a_bridge_of_another_point_is_not_named(app, district):  # app: pages need one
    from dash_app.pages.isolation import plain_reasons

    day = dt.date(2019, 1, 31)
    coordinator = DataAccess(district, Viewer())
    reasons = coordinator.isolation_reasons(day)
    bridge = reasons.loc[reasons["actor_id"].eq("H03") & reasons["reason"].eq("single_bridge"),
                         "partner_id"].item()
    assert coordinator.actors.at[bridge, "community_point_id"] == "CP02"
    facilitator = DataAccess(district, Viewer(role="facilitator", community_point_id="CP01"))
    assert pd.isna(facilitator.isolation_report(day).at["H03", "bridge_id"])
    text = plain_reasons(facilitator, day, "it")["H03"]
    assert "tramite un attore di un altro Punto di Comunità" in text
    assert coordinator.name_of(bridge) not in text and bridge not in text
    assert coordinator.name_of(bridge) in plain_reasons(coordinator, day, "it")["H03"]


def _reasons_row_by_row(access, day, lang):
    """plain_reasons as it was written before it worded each distinct reason once: the
    oracle of the faster one."""
    from dash_app.i18n import fmt_date, t

    reasons = access.isolation_reasons(day)
    texts = []
    for row in reasons.itertuples(index=False):
        text = t("iso.reason_dates", lang, reason=t(f"reason.{row.reason}", lang),
                 start=fmt_date(row.date_from), end=fmt_date(row.date_to))
        if isinstance(getattr(row, "partner_id", None), str) and row.partner_id:
            text += " " + t("iso.bridge", lang, name=access.name_of(row.partner_id))
        elif row.reason == "single_bridge":
            text += " " + t("iso.bridge.hidden", lang)
        texts.append(text)
    return pd.Series(texts, index=reasons["actor_id"].to_numpy()).groupby(level=0).agg("; ".join)


@pytest.mark.parametrize("viewer", [Viewer(), Viewer(role="facilitator",
                                                     community_point_id="CP01")])
def test_reasons_in_words_are_those_of_each_row(app, district, viewer):
    from dash_app.pages.isolation import plain_reasons

    access = DataAccess(district, viewer)
    worded = 0
    for day in (*access.worklist_dates(), dt.date(2019, 1, 31)):
        for lang in ("it", "en"):
            got = plain_reasons(access, day, lang)
            worded += len(got)
            if len(got):
                pd.testing.assert_series_equal(got, _reasons_row_by_row(access, day, lang))
    assert worded


def test_coordinator_sees_everything(district):
    access = DataAccess(district, Viewer())
    assert set(district.actors["actor_id"]) == set(access.actors.index)


def test_viewer_validation():
    with pytest.raises(ValueError, match="community_point_id"):
        Viewer(role="facilitator")
    with pytest.raises(ValueError, match="role"):
        Viewer(role="mayor")


def test_nothing_is_loaded_before_first_use(district):
    calls = []

    def source():
        calls.append(1)
        return district

    access = DataAccess(source, Viewer())
    assert calls == []
    access.actors  # noqa: B018 - first use loads
    access.months()
    assert calls == [1]


def test_results_are_cached(district):
    access = DataAccess(district, Viewer())
    assert access.nodes(START, END) is access.nodes(START, END)


def test_edges_match_an_independent_count(district):
    """Household-level ties of the whole programme from the temporal layer against a direct
    count of the recorded interactions between two households (no individuals involved)."""
    access = DataAccess(district, Viewer())
    edges = access.edges(START, END).set_index(["a", "b"])
    inter = district.interactions
    hh = set(district.actors.loc[district.actors["kind"] == "household", "actor_id"])
    both = inter[inter["source_actor_id"].isin(hh) & inter["target_actor_id"].isin(hh)]
    for (s, t), n in both.groupby(["source_actor_id", "target_actor_id"]).size().items():
        key = (s, t) if (s, t) in edges.index else (t, s)
        assert edges.loc[key, "weight"] >= n


def test_load_source_reads_register_folders(district, tmp_path):
    import dataclasses

    from genera_graph.io.registers import write_registers

    # every activity funded: an empty amount cell is not what this test is about
    funded = dataclasses.replace(district, activities=district.activities.assign(
        funding_eur=100.0))
    write_registers(funded, tmp_path)
    loaded = load_source(tmp_path)
    assert len(loaded.actors) == len(district.actors)


def test_ties_by_nature_matches_a_month_by_month_count(district):
    """The vectorised monthly partner count against a plain loop over months."""
    import numpy as np
    import pandas as pd

    access = DataAccess(district, Viewer())
    events = access.tie_events()
    months = access.months()
    for actor in ("H01", "H03", "I040", "C01"):
        got = access.ties_by_nature(actor).set_index(["month", "nature"])["partners"]
        mine = events[(events["a"] == actor) | (events["b"] == actor)]
        for m0, m1 in zip(months[:-1], months[1:], strict=True):
            lo, hi = pd.Timestamp(m0), pd.Timestamp(m1)
            active = mine[(mine["start"] < hi) & (mine["end"] >= lo)]
            partner = np.where(active["a"] == actor, active["b"], active["a"])
            for nature in ("peer", "professional", "institutional"):
                expected = len(set(partner[(active["nature"] == nature).to_numpy()]))
                assert got[(lo, nature)] == expected, (actor, m0, nature)


def test_load_source_reads_a_store(district, tmp_path):
    from genera_graph.io.store import Store

    path = tmp_path / "store.sqlite"
    store = Store(str(path))
    store.import_dataset(district)
    store.close()
    access = DataAccess(str(path), Viewer(role="facilitator", community_point_id="CP01"))
    assert set(access.actors.index[access.actors["kind"] == "household"]) == {"H01", "H02",
                                                                            "H03"}


def test_a_scope_of_the_registry_cuts_the_districts_isolation_tables(district):
    """A facilitator's access object of a server (the registry's) takes the isolation
    tables from the district's, made once, and cuts them: the same frames as a scoped
    access object judging on its own copy of the district's graph."""
    from dash_app.data.registry import AccessRegistry

    registry = AccessRegistry(district)
    viewer = Viewer(role="facilitator", community_point_id="CP02")
    served, alone = registry.for_viewer(viewer), DataAccess(district, viewer)
    for day in alone.worklist_dates():
        pd.testing.assert_frame_equal(served.isolation_report(day), alone.isolation_report(day))
        pd.testing.assert_frame_equal(served.isolation_reasons(day),
                                      alone.isolation_reasons(day))
        pd.testing.assert_frame_equal(served.early_warning(day, ("CP02",)),
                                      alone.early_warning(day, ("CP02",)))
    # judged once, on the district's access object
    assert ("isolation_report", (day,), ()) in registry.coordinator._cache


def test_the_first_familys_suggestions_compute_the_whole_scope_in_one_pass(district,
                                                                           monkeypatch):
    """Asking for one family's suggestions computes every family of the scope at once
    (the library called once); the next family reads them; each equals the family's own
    computation."""
    import genera_graph.analytics.introductions as lib

    calls = []
    real = lib.suggest_introductions

    def counted(*args, **kwargs):
        calls.append(len(kwargs.get("actors") or []))
        return real(*args, **kwargs)

    access = DataAccess(district, Viewer(role="facilitator", community_point_id="CP02"))
    day = access.worklist_dates()[-1]
    monkeypatch.setattr(lib, "suggest_introductions", counted)
    families = ["H04", "H05", "H06"]
    kept = {h: access.suggested_introductions(day, h) for h in families}
    assert calls == [3], calls  # one pass, for the scope's three families
    monkeypatch.setattr(lib, "suggest_introductions", real)
    compared = 0
    for h in families:
        alone = access.suggested_introductions_alone(day, h)
        if len(alone[0]):
            compared += 1
            pd.testing.assert_frame_equal(kept[h][0], alone[0])
            pd.testing.assert_frame_equal(kept[h][1], alone[1])
        else:  # nobody to suggest (the one pass's empty table has its own dtypes)
            assert kept[h][0].empty
    assert compared


def test_a_table_asked_for_by_several_threads_at_once_is_made_once():
    import threading
    import time

    from dash_app.data.cache import cached

    class Tables:
        def __init__(self):
            self._cache, self._lock, self.calls = {}, threading.Lock(), 0

        @cached
        def slow(self, n):
            self.calls += 1
            time.sleep(0.2)
            return n * 2

    tables = Tables()
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(tables.slow(4)))
               for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [8] * 5 and tables.calls == 1


def test_a_full_cache_drops_its_oldest_tables_with_arguments_and_keeps_the_base_ones(
        monkeypatch):
    import threading

    from dash_app.data import cache

    monkeypatch.setattr(cache, "MAX_ENTRIES", 8)

    class Tables:
        def __init__(self):
            self._cache, self._lock = {}, threading.Lock()

        @cache.cached
        def base(self):
            return "graph"

        @cache.cached
        def window(self, k):
            return k

    tables = Tables()
    tables.base()
    for k in range(12):
        tables.window(k)
    assert ("base", (), ()) in tables._cache
    assert len(tables._cache) <= 8
    assert ("window", (11,), ()) in tables._cache and ("window", (0,), ()) not in tables._cache


def test_an_actors_events_are_those_of_a_scan_of_the_whole_log(district):
    """The per-actor index of the tie events (one pass) gives every unit's rows in the
    log's order, as a scan of the whole log does."""
    access = DataAccess(district, Viewer())
    ev = access.tie_events()
    units = set(ev["a"]) | set(ev["b"])
    assert units
    for unit in sorted(units) + ["NOBODY"]:
        scanned = ev[(ev["a"] == unit) | (ev["b"] == unit)]
        pd.testing.assert_frame_equal(access._events_of(unit), scanned)
