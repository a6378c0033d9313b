"""Formula injection: every CSV genera writes is safe to open, and reads back exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.cli import main
from genera_graph.io.formulas import (
    _NUMBER,
    FORMULA_TRIGGERS,
    neutralise_series,
    neutralise_text,
    restore_series,
    restore_text,
)
from genera_graph.io.store import Store
from tests.io.helpers import tiny_dataset

#: text made mostly of what attacks and spreadsheets care about
_hostile = st.text(st.sampled_from(list("=+-@\t\r'\";,.|!0123456789 aZé€\n")) | st.characters(
    exclude_categories=["Cs"], exclude_characters="\x00"), max_size=24)


@given(_hostile)
def test_neutralise_then_restore_is_the_identity(text: str):
    safe = neutralise_text(text)
    assert restore_text(safe) == text
    if not (text.lstrip("+-")[:1].isdigit() and set(text[1:]) <= set("0123456789.,")):
        assert not safe.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize("number", ["-3", "-1.234,50", "+39", "-0,5", "12"])
def test_plain_numbers_are_never_changed(number: str):
    assert neutralise_text(number) == number


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.none() | _hostile, max_size=30), dtype=st.sampled_from(["str", object]))
def test_series_functions_change_each_text_cell_as_the_cell_functions_do(cells, dtype):
    # text columns of both kinds (pandas' string dtype, read from CSVs, and object); the
    # string dtype's path never looks at the cells one by one
    series = pd.Series(cells, dtype=dtype)
    for on_series, on_cell in ((neutralise_series, neutralise_text),
                               (restore_series, restore_text)):
        out = on_series(series)
        assert out.dtype == series.dtype
        assert out.isna().tolist() == series.isna().tolist()
        assert out.dropna().tolist() == [on_cell(c) for c in series.dropna()]


def _names_dataset(names: list[str]):
    ds = tiny_dataset()
    actors = ds.actors.copy()
    actors.loc[: len(names) - 1, "name"] = names
    return type(ds)(**{**ds.tables(), "actors": actors})


_stored_text = _hostile.filter(lambda s: s and s.strip() == s)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(_stored_text, min_size=1, max_size=7))
def test_export_store_then_import_restores_hostile_text_exactly(
        tmp_path_factory: pytest.TempPathFactory, names: list[str]):
    folder = tmp_path_factory.mktemp("formulas")
    ds = _names_dataset(names)
    with Store(folder / "a.sqlite") as first:
        assert first.import_dataset(ds).ok
        stored = first.load().actors.set_index("actor_id")["name"]
        first.export(folder / "out")
    cells = pd.read_csv(folder / "out" / "actors.csv", sep=";", dtype=str,
                        keep_default_na=False)["name"]
    # safe to open in a spreadsheet: no cell it would run as a formula (a plain number such
    # as "-0" starts with a trigger but is a number, never neutralised: see formulas._NUMBER)
    assert [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(c)] == []
    with Store(folder / "b.sqlite") as second:
        result = second.import_paths(folder / "out")
        assert result.ok, [str(p) for p in result.problems]
        back = second.load().actors.set_index("actor_id")["name"]
    pd.testing.assert_series_equal(back, stored)
    assert back[ds.actors["actor_id"][: len(names)]].tolist() == names


def test_problem_report_and_quarantine_files_are_neutralised(tmp_path: Path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "actor_id;kind;name;first_met\n"
        "CP01;community_point;Punto;18/05/2016\n"
        "X1;@SUM(1+1);+cmd|' /C calc'!A0;01/01/2016\n", encoding="utf-8")
    report, quarantine = tmp_path / "report.csv", tmp_path / "q"
    assert main(["--store", str(tmp_path / "g.sqlite"), "import", str(folder), "--partial",
                 "--report", str(report), "--quarantine", str(quarantine)]) == 0
    capsys.readouterr()
    for path in [report, quarantine / "actors.quarantine.csv"]:
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
        for column in frame.columns:
            assert not frame[column].str.startswith(FORMULA_TRIGGERS).any(), (path, column)
    values = pd.read_csv(report, sep=";", dtype=str)["value"].tolist()
    assert "'@SUM(1+1)" in values
