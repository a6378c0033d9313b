"""``genera serve``: loopback by default, sign-in always, no role flags, --debug on loopback only."""

from __future__ import annotations

from dash_app import cli as cmd_serve
from genera_graph.cli import build_parser


def test_serve_defaults_to_loopback_and_has_no_role_flags():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.debug, args.idle_timeout) == ("127.0.0.1", 8050,
                                                                     False, 30.0)
    assert args.func is cmd_serve.run
    assert not hasattr(args, "role") and not hasattr(args, "community_point")


def test_debug_is_refused_beyond_loopback(capsys):
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--debug"])
    assert cmd_serve.run(args) == 2
    assert "--debug" in capsys.readouterr().err


def test_missing_store_is_reported(tmp_path, capsys):
    args = build_parser().parse_args(["--store", str(tmp_path / "none.sqlite"), "serve"])
    assert cmd_serve.run(args) == 2
    assert "no store" in capsys.readouterr().err


def test_loopback_names():
    assert cmd_serve.is_loopback("127.0.0.1") and cmd_serve.is_loopback("::1")
    assert not cmd_serve.is_loopback("0.0.0.0") and not cmd_serve.is_loopback("192.0.2.1")


def test_secret_key_file_is_private(tmp_path, monkeypatch):
    import stat

    monkeypatch.delenv("GENERA_SECRET_KEY", raising=False)
    path = tmp_path / "keys" / "session.key"
    key = cmd_serve.secret_key(str(path))
    assert len(key) == 32 and cmd_serve.secret_key(str(path)) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
