"""``genera serve``: loopback by default, viewer options checked."""

from __future__ import annotations

import argparse

from dash_app import cli as cmd_serve
from genera_graph.cli import build_parser


def test_serve_defaults_to_loopback():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.debug, args.role) == ("127.0.0.1", 8050, False,
                                                               "coordinator")
    assert args.func is cmd_serve.run


def test_facilitator_needs_a_point(capsys):
    args = argparse.Namespace(role="facilitator", community_point=None, registers=None,
                              store="x.sqlite", host="127.0.0.1", port=8050, debug=False)
    assert cmd_serve.run(args) == 2
    assert "community_point_id" in capsys.readouterr().err


def test_missing_store_is_reported(tmp_path, capsys):
    args = argparse.Namespace(role="coordinator", community_point=None, registers=None,
                              store=str(tmp_path / "none.sqlite"), host="127.0.0.1",
                              port=8050, debug=False)
    assert cmd_serve.run(args) == 2
    assert "no store" in capsys.readouterr().err
