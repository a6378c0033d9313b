"""``genera import`` and ``genera export-store`` through the console entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from genera_graph.cli import main
from genera_graph.io.registers import REGISTERS, write_registers
from genera_graph.io.store import Store
from tests.io.helpers import assert_same_dataset, tiny_dataset


@pytest.fixture
def registers(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    write_registers(tiny_dataset(), folder)
    return folder


def _spoil(path: Path) -> None:
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    frame.loc[1, "nature"] = "friendly"
    frame.to_csv(path, sep=";", index=False)


def test_import_then_export_store(tmp_path: Path, registers: Path,
                                  capsys: pytest.CaptureFixture):
    store = str(tmp_path / "g.sqlite")
    assert main(["--store", store, "import", str(registers), "--no-progress"]) == 0
    assert "committed; 0 error(s)" in capsys.readouterr().out
    assert main(["--store", store, "import", str(registers)]) == 0
    assert "unchanged (this content was already imported)" in capsys.readouterr().out
    assert main(["--store", store, "export-store", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in printed) == sorted(r.file for r in REGISTERS)
    with Store(tmp_path / "out.sqlite") as back:
        assert back.import_paths(tmp_path / "out").ok
        assert_same_dataset(back.load(), tiny_dataset())


def test_strict_import_error_exits_1_with_a_report(tmp_path: Path, registers: Path,
                                                   capsys: pytest.CaptureFixture):
    _spoil(registers / "contacts.csv")
    report = tmp_path / "report.csv"
    store = str(tmp_path / "g.sqlite")
    code = main(["--store", store, "import", str(registers), "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    assert "contacts.csv, row 3, column 'nature'" in out and "'friendly'" in out
    assert "nothing written" in out
    frame = pd.read_csv(report, sep=";", dtype=str)
    assert frame.columns.tolist() == ["file", "row", "column", "rule", "value", "severity"]
    assert frame[["file", "row", "column", "value"]].values.tolist() == [
        ["contacts.csv", "3", "nature", "friendly"]]
    with Store(store) as opened:
        assert sum(opened.counts().values()) == 0


def test_partial_import_writes_quarantine_files(tmp_path: Path, registers: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture):
    _spoil(registers / "contacts.csv")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")  # the default report lands beside the store
    code = main(["--store", str(tmp_path / "g.sqlite"), "import", str(registers), "--partial",
                 "--quarantine", str(tmp_path / "q")])
    assert code == 0
    quarantined = pd.read_csv(tmp_path / "q" / "contacts.quarantine.csv", sep=";", dtype=str)
    assert quarantined["row"].tolist() == ["3"]
    assert quarantined["problems"].str.contains("nature").all()
    assert len(list(tmp_path.glob("import-problems-*.csv"))) == 1
    assert not list((tmp_path / "cwd").iterdir())
    assert "1 quarantined" in capsys.readouterr().out


def test_export_store_without_a_store_is_an_error(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture):
    code = main(["--store", str(tmp_path / "missing.sqlite"), "export-store",
                 str(tmp_path / "out")])
    assert code == 2 and "no store" in capsys.readouterr().err


def test_import_of_a_missing_path_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  registers: Path,
                                                  capsys: pytest.CaptureFixture):
    monkeypatch.chdir(tmp_path)
    code = main(["--store", "g.sqlite", "import", str(registers), "nothere"])
    err = capsys.readouterr().err
    assert code == 2 and "no such file or folder: nothere" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # no store, no report
