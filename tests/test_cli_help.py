"""The command line as a new user meets it: help with a summary and examples, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from genera_graph.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def toy_registers(tmp_path_factory):
    from genera_graph.io.registers import write_registers
    from genera_graph.temporal.testing import toy_dataset

    folder = tmp_path_factory.mktemp("registers")
    write_registers(toy_dataset(), folder)
    return folder


def _commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_help_has_a_summary_and_an_example(name):
    parser = _commands()[name]
    text = parser.format_help()
    summary = parser.description.splitlines()[0]
    assert summary.strip() and len(summary) <= 100, summary
    assert summary in text
    examples = text.split("examples:", 1)
    assert len(examples) == 2, f"genera {name} --help shows no example"
    assert f"genera {name}" in examples[1] or "serve" in examples[1]


@pytest.mark.parametrize("argv", [
    ["analyze", "--at", "31/02/2016", "--out", "x"],          # not a date
    ["export", "--format", "csv", "--out", "x", "--programme", "gardening"],
    ["export", "--format", "nope", "--out", "x"],
    ["report", "--from", "yesterday"],
])
def test_argparse_errors_are_one_line_and_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "usage:" not in err and "Traceback" not in err
    assert err.startswith(f"genera {argv[0]}: ")


@pytest.mark.parametrize(("argv", "says"), [
    (["export", "--format", "csv", "--out", "{tmp}", "--community-point", "CP99"],
     "unknown Community Point 'CP99'"),
    (["report", "--from", "01/02/2017", "--to", "01/02/2016"], "--from must be before --to"),
    (["export", "--format", "csv", "--out", "{tmp}", "--from", "01/02/2017"], "--from needs --to"),
])
def test_unusable_values_are_one_line_and_exit_2(argv, says, toy_registers, tmp_path, capsys):
    out = tmp_path / "out"
    argv = [a.replace("{tmp}", str(out)) for a in argv] + ["--registers", str(toy_registers)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"genera {argv[0]}: " + err.split(": ", 1)[1].strip()]
    assert says in err and "Traceback" not in err
    assert not out.exists()  # nothing written


def test_missing_registers_folder(tmp_path, capsys):
    assert main(["report", "--registers", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_python_m_genera_graph():
    done = subprocess.run([sys.executable, "-m", "genera_graph", "--version"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.startswith("genera_graph ")
