"""Fresh at once, and right: after any sequence of writes through the explorer, the access
objects that patched themselves (dataset patched with each write's rows, isolation tables
dated before the write kept, temporal graphs extended with the new events) hold exactly what a
full recompute from the store gives, for a coordinator and for a facilitator."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dash_app.data import DataAccess, Viewer
from dash_app.data.registry import AccessRegistry
from dash_app.workbench import after_write
from genera_graph.io import records
from genera_graph.io.schema import TABLE_KEYS
from genera_graph.io.store import Store

COORD = records.Author("u-coord", "coordinator")
VIEWERS = (Viewer(), Viewer(role="facilitator", community_point_id="CP01"))
PEOPLE = ("H01", "H02", "H03", "I010", "I020", "H04", "A01", "C01", "F01")
START = date(2016, 3, 1)


def _day(n: int) -> str:
    return (START + timedelta(days=n)).strftime("%d/%m/%Y")


# one write: (kind, day offset from 01/03/2016, two people); days reach past the programme's
# end (31/01/2019), which moves the day open relations are resolved to
WRITES = st.tuples(
    st.sampled_from(["contact", "contact", "attendance", "relation", "end_R1", "withdraw",
                     "redate", "person"]),
    st.integers(0, 1400),
    st.sampled_from(PEOPLE), st.sampled_from(PEOPLE))


def _met(store: Store, n: int, *people: str) -> int:
    """The day offset ``n``, moved to the day the programme met the last of ``people`` when
    it falls before it: the importer refuses an event dated before a person was met."""
    first_met = store.load().actors.set_index("actor_id")["first_met"]
    return max(n, *((pd.Timestamp(first_met[p]).date() - START).days for p in people))


def _write(store: Store, kind: str, n: int, a: str, b: str, written: list) -> tuple:
    """Make one write; ``(result, action)`` or ``None`` when it does not apply."""
    if kind in ("contact", "attendance", "relation"):
        n = _met(store, n, a, b)
    if kind == "contact" and a != b:
        return records.save_record(store, COORD, "interactions", {
            "date": _day(n), "source_actor_id": a, "target_actor_id": b, "kind": "meeting",
            "nature": "peer", "programme": "community", "community_point_id": "CP01"}), "save"
    if kind == "attendance" and a.startswith("I"):
        return records.save_record(store, COORD, "participations", {
            "activity_id": "ACT1", "actor_id": a, "date": _day(n), "role": "participant"}), \
            "save"
    if kind == "relation" and a != b:
        return records.save_record(store, COORD, "relations", {
            "kind": "membership", "actor_id": a, "partner_id": b, "start_date": _day(n),
            "nature": "peer", "programme": "community", "community_point_id": "CP01"}), "save"
    if kind == "end_R1" and n > 130:
        row = next(r for r in store.load().relations.to_dict("records")
                   if r["relation_id"] == "R1")
        return records.correct_record(store, COORD, "relations",
                                      {**row, "end_date": _day(n)}), "save"
    if kind in ("withdraw", "redate") and written:
        cells = written.pop(0)
        if kind == "withdraw":
            key = {"interaction_id": cells["interaction_id"]}
            return records.withdraw_record(store, COORD, "interactions", key), "withdraw"
        n = _met(store, n, cells["source_actor_id"], cells["target_actor_id"])
        return records.correct_record(store, COORD, "interactions",
                                      {**cells, "date": _day(n)}), "save"
    if kind == "person":
        person = records.new_id("actors", "individual")
        return records.save_records(store, COORD, [
            ("actors", {"actor_id": person, "kind": "individual", "name": "Persona nuova",
                        "community_point_id": "CP01", "first_met": _day(n)}),
            ("household_members", {"household_id": "H01", "individual_id": person,
                                   "role": "relative", "start_date": _day(n)})]), "save"
    return None


def _same_table(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> None:
    a = a.sort_values(key).reset_index(drop=True).astype(object)
    b = b.sort_values(key).reset_index(drop=True)[list(a.columns)].astype(object)
    pd.testing.assert_frame_equal(a.where(a.notna(), None), b.where(b.notna(), None))


def _same(patched: DataAccess, fresh: DataAccess) -> None:
    for name, frame in fresh.dataset.tables().items():
        _same_table(getattr(patched.dataset, name), frame, list(TABLE_KEYS[name]))
    for graph in ("temporal", "district_temporal"):
        events = [getattr(x, graph)().events() for x in (patched, fresh)]
        cols = list(events[0].columns)
        _same_table(events[0], events[1], cols)
    for day in _days(patched):
        pd.testing.assert_frame_equal(patched.isolation_report(day).sort_index(),
                                      fresh.isolation_report(day).sort_index())
        pd.testing.assert_frame_equal(patched.isolation_reasons(day),
                                      fresh.isolation_reasons(day))
    last = _days(patched)[-1]
    pd.testing.assert_frame_equal(patched.early_warning(last), fresh.early_warning(last))


def _days(access: DataAccess) -> tuple[date, ...]:
    """Four worklist days across the programme, the last one included (the writes fall
    between them, before the first and after the last)."""
    dates = access.worklist_dates()
    return dates[1], dates[4], dates[7], dates[-1]


@settings(max_examples=5, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(writes=st.lists(WRITES, min_size=1, max_size=3))
def test_patched_access_equals_a_full_recompute(template, tmp_path_factory, writes):
    path = tmp_path_factory.mktemp("fresh") / "genera.sqlite"
    shutil.copy(template, path)
    # as genera serve does: one registry, the facilitator's isolation judged on the
    # coordinator's (shared) district graph
    registry = AccessRegistry(str(path))
    accesses = [registry.for_viewer(v) for v in VIEWERS]
    days = _days(accesses[0])
    for access in accesses:  # the caches a user's pages have made before the writes
        access.temporal()
        for day in days:
            access.isolation_report(day)
    written: list[dict] = []
    with Store(path) as store:
        for k, (kind, n, a, b) in enumerate(writes):
            done = _write(store, kind, n, a, b, written)
            if done is None:
                continue
            result, action = done
            assert result.ok, result.problems
            if kind == "contact":
                written.append(result.rows[0][1])
            after_write(accesses[0], {"data"}, result, action)
            for access in accesses:  # a page opened between two writes
                access.isolation_report(days[(n + k) % len(days)])
    fresh = AccessRegistry(str(path))
    for viewer, access in zip(VIEWERS, accesses, strict=True):
        _same(access, fresh.for_viewer(viewer))


def test_an_import_by_another_process_shows_on_the_next_request(app, template, tmp_path):
    """``genera import`` (here: another Store on the same file, as another process has) while
    the server runs: the next request reads the store's data version, sees it moved and
    reads the data again; the request that was under way is left alone."""
    path = tmp_path / "genera.sqlite"
    shutil.copy(template, path)
    access = AccessRegistry(str(path)).for_viewer(VIEWERS[1])
    with app.server.test_request_context("/"):
        before = len(access.dataset.interactions)
        report = access.isolation_report(_days(access)[-1])
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
        "community_point_id;source\n"
        "XNEW1;20/12/2018;H01;H02;mutual_help;peer;community;CP01;facilitator_record\n",
        encoding="utf-8")
    with app.server.test_request_context("/"):
        assert len(access.dataset.interactions) == before
        with Store(path) as other:
            assert other.import_paths([contacts]).committed
        assert len(access.dataset.interactions) == before  # the same request: unchanged
    with app.server.test_request_context("/"):
        assert "XNEW1" in set(access.dataset.interactions["interaction_id"])
        fresh = AccessRegistry(str(path)).for_viewer(VIEWERS[1])
        day = _days(access)[-1]
        pd.testing.assert_frame_equal(access.isolation_report(day), fresh.isolation_report(day))
        assert not report.equals(access.isolation_report(day))
