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


def test_the_warmer_gives_way_to_requests_then_warms_every_scope(app, auth_store):
    """``genera serve`` listens first and warms in the background: the warmer waits while
    a request is in progress (at most its patience), counts the requests through the WSGI
    application, and makes the first pages' tables of the district and of each
    facilitator's scope."""
    import time

    from dash_app.data import CONFIG_KEY, Viewer
    from dash_app.server import Warmer

    warmer = Warmer(app, auth_store)
    warmer.busy = 1  # a request in progress
    started = time.monotonic()
    warmer._give_way()
    assert time.monotonic() - started >= 0.9 * warmer.patience_s
    warmer.busy = 0
    assert app.server.test_client().get("/login").status_code == 200
    assert warmer.busy == 0  # counted in and out
    warmer.run()  # in this thread: what serve() starts once listening
    assert warmer.seconds is not None and warmer.steps_done > 10
    registry = app.server.config[CONFIG_KEY]
    for viewer in (Viewer(), Viewer(role="facilitator", community_point_id="CP01"),
                   Viewer(role="facilitator", community_point_id="CP02")):
        access = registry.for_viewer(viewer)
        last = access.worklist_dates()[-1]
        assert ("growth", (), ()) in access._cache, viewer
        assert ("_introductions_batch", (last,), ()) in access._cache, viewer


def test_serve_warms_in_the_background_by_default():
    args = build_parser().parse_args(["serve"])
    assert args.warm == "background"
    assert build_parser().parse_args(["serve", "--no-warm"]).warm == "off"
    assert build_parser().parse_args(["serve", "--warm", "before"]).warm == "before"
