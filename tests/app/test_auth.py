"""Sign-in, the gate, roles per request, request checks, headers and audit of the explorer.

Over the session app (sign-in on, accounts of ``conftest.ACCOUNTS``) with Flask's test client,
and over HTTP against the same app served by waitress on 127.0.0.1 (``live_url``).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from dash_app.auth import AUTHENTICATED_ENDPOINTS, PUBLIC_ENDPOINTS
from dash_app.testing import post_output
from tests.app.conftest import PASSWORD, XSS_NAME, sign_in, small_district

ORIGIN = {"Origin": "http://localhost"}


def _sample(rule) -> str:  # noqa: ANN001 - a werkzeug Rule
    """A concrete URL of a rule (each converter given a plausible value)."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: {
        "package_name": "dash", "fingerprinted_path": "dash-renderer/build/dash_renderer.min.js",
        "filename": "bootstrap.min.css"}.get(m.group(1), "H01"), rule.rule)


def _names_and_ids() -> tuple[set[str], set[str]]:
    actors = small_district().actors
    return set(actors["name"]), set(actors["actor_id"])


def test_every_route_is_classified(app):
    """A route nobody classified fails here: it would be served behind the gate, but somebody
    must decide whether it may be public."""
    endpoints = {rule.endpoint for rule in app.server.url_map.iter_rules()}
    unknown = endpoints - PUBLIC_ENDPOINTS - AUTHENTICATED_ENDPOINTS
    assert not unknown, f"routes neither public nor authenticated: {sorted(unknown)}"
    assert "/_dash-update-component" in endpoints and "genera_login" in endpoints


def test_no_route_gives_data_without_a_session(app):
    client = app.server.test_client()
    names, _ = _names_and_ids()
    for rule in app.server.url_map.iter_rules():
        url = _sample(rule)
        for method in sorted(rule.methods - {"OPTIONS", "HEAD"}):
            response = client.open(url, method=method, headers=ORIGIN, json={})
            body = response.get_data().decode("utf-8", errors="replace")
            if rule.endpoint in PUBLIC_ENDPOINTS:
                assert not any(n in body for n in names), url
                continue
            assert response.status_code in (302, 401), (method, url, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login"), url
            assert not any(n in body for n in names), (method, url)
    for path in ("/_dash-layout", "/_dash-dependencies", "/map", "/actor/H01"):
        assert client.get(path).status_code in (302, 401)


def test_same_message_for_wrong_user_and_wrong_password(app):
    client = app.server.test_client()
    wrong_user = sign_in(client, "nobody-here")
    wrong_password = sign_in(client, "coord", "not the password at all")
    assert wrong_user.status_code == wrong_password.status_code == 401

    def alert(r):
        return re.search(r'role="alert">([^<]*)<', r.get_data(as_text=True)).group(1)

    assert alert(wrong_user) == alert(wrong_password) == "Nome utente o password non validi."
    assert "Set-Cookie" not in wrong_user.headers or "genera_session" not in wrong_user.headers[
        "Set-Cookie"] or "_user_id" not in wrong_user.headers["Set-Cookie"]


def test_sign_in_page_in_italian_and_english(app):
    client = app.server.test_client()
    italian = client.get("/login").get_data(as_text=True)
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert "Nome utente" in italian and "Accedi" in italian
    assert "User name" in english and "Sign in" in english


def test_cookie_flags_and_session_fixation(app):
    client = app.server.test_client()
    with client.session_transaction() as session:  # a session planted before the sign-in
        session["planted"] = "by someone else"
    planted = client.get_cookie("genera_session").value
    response = sign_in(client, "coord")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    after = client.get_cookie("genera_session").value
    assert after != planted
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing of the session before survives
    assert client.get("/_dash-layout").status_code == 200
    stranger = app.server.test_client()  # the planted cookie is worth nothing
    stranger.set_cookie("genera_session", planted)
    assert stranger.get("/_dash-layout").status_code == 401


def test_sign_out_ends_the_session_on_the_server(app):
    client = app.server.test_client()
    sign_in(client, "coord")
    cookie = client.get_cookie("genera_session").value
    assert client.post("/logout", headers=ORIGIN).status_code == 302
    replay = app.server.test_client()
    replay.set_cookie("genera_session", cookie)  # the cookie of before the sign-out
    assert replay.get("/_dash-layout").status_code == 401


def test_idle_timeout(app):
    sessions = app.server.extensions["genera_auth"]["sessions"]
    client = app.server.test_client()
    sign_in(client, "coord")
    assert client.get("/_dash-layout").status_code == 200
    now = sessions._clock()
    sessions._clock = lambda: now + 31 * 60  # 31 minutes later
    try:
        assert client.get("/map").headers["Location"] == "/login?expired=1"
        assert client.get("/_dash-layout").status_code == 401
    finally:
        sessions._clock = __import__("time").monotonic
    audit = app.server.extensions["genera_auth"]["audit"]
    assert "session_expired" in set(audit.entries()["action"])


def test_lock_out_after_five_failures(app):
    audit = app.server.extensions["genera_auth"]["audit"]
    client = app.server.test_client()
    for _ in range(5):
        assert sign_in(client, "fac02", "wrong password, again").status_code == 401
    locked = sign_in(client, "fac02")  # even the right password, now
    assert locked.status_code == 429 and "Troppi tentativi" in locked.get_data(as_text=True)
    actions = audit.entries(user="-")
    assert (actions["action"] == "signin_lockout").sum() >= 1
    assert "fac02" in set(actions.loc[actions["action"] == "signin_failed", "target"])
    app.server.extensions["genera_auth"]["throttle"]._locked_until.clear()
    assert sign_in(client, "fac02").status_code == 302


def test_host_and_origin_checks(app):
    client = app.server.test_client()
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "127.0.0.1:8050"}).status_code == 200
    forged = client.post("/login", data={"username": "coord", "password": PASSWORD},
                         headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403
    no_origin = client.post("/login", data={"username": "coord", "password": PASSWORD})
    assert no_origin.status_code == 403


def test_security_headers(signed_in):
    client = signed_in("coord")
    for path in ("/", "/_dash-layout", "/login"):
        h = client.get(path).headers
        csp = h["Content-Security-Policy"]
        assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self' 'sha256-" in csp
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"
        assert h["Cache-Control"] == "no-store"


def test_roles_come_from_the_session_and_caches_do_not_leak(app, signed_in):
    """A coordinator and a facilitator of CP02 alternate on one server: each gets their own
    view, whatever the other asked before."""
    from dash_app.testing import callback_spec

    key, _ = callback_spec(app, "isolation", "page")
    every = {"startRow": 0, "endRow": 100, "filterModel": {}, "sortModel": []}
    coordinator, facilitator = signed_in("coord"), signed_in("fac02")
    actors = small_district().actors
    cp01 = set(actors.loc[actors["community_point_id"].eq("CP01")
                          & actors["kind"].eq("household"), "actor_id"])
    for _ in range(2):
        for client, sees_cp01 in ((coordinator, True), (facilitator, False),
                                  (coordinator, True)):
            deps = json.loads(client.get("/_dash-dependencies").data)
            answer = post_output(client, key, [every], [None, "flagged", [], [], "it"],
                                 deps=deps)
            assert answer.status_code == 200
            text = answer.get_data(as_text=True)
            assert any(h in text for h in cp01) == sees_cp01


def test_a_forbidden_page_for_a_researcher_answers_403(app, signed_in):
    from dash_app.testing import callback_spec

    client = signed_in("res")
    key, _ = callback_spec(app, "actor", "update_ego")
    deps = json.loads(client.get("/_dash-dependencies").data)
    answer = post_output(client, key, [[0, 12]], ["H01", "it"], deps=deps)
    assert answer.status_code == 403 and "H01" not in answer.get_data(as_text=True)


def _open_page(client, path: str) -> tuple[int, str]:
    """The page router's answer for ``path``, as the browser asks for it."""
    deps = json.loads(client.get("/_dash-dependencies").data)
    page = next(d for d in deps if "_pages_content" in d["output"])
    inputs = [(path if i["property"] == "pathname" else "") for i in page["inputs"]]
    answer = post_output(client, page["output"], inputs, [None] * len(page["state"]),
                         deps=deps)
    text = answer.get_data(as_text=True)
    if answer.status_code == 200:  # the answer's JSON escapes "/" and "<": read it back
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return answer.status_code, text


def test_a_page_not_for_the_role_says_so_in_italian_and_english(signed_in):
    """A researcher typing /map or /actor/H01, an admin on /: a plain "not available for
    your role" page with a link to their own pages, never a broken callback; the pages a role
    has are untouched."""
    researcher = signed_in("res")
    for path in ("/map", "/actor/H01", "/isolation"):
        status, text = _open_page(researcher, path)
        assert status == 200 and "Non disponibile per il tuo ruolo" in text, path
        assert "map-graph" not in text and "H01" not in text
    status, text = _open_page(researcher, "/report")
    assert status == 200 and "not-for-role" not in text
    researcher.set_cookie("genera_lang", "en")
    assert "Not available for your role" in _open_page(researcher, "/bridges")[1]
    admin = signed_in("admin")
    status, text = _open_page(admin, "/")
    assert status == 200 and "Non disponibile" in text and '"href": "/audit"' in text
    assert sign_in(admin.application.test_client(), "admin").headers["Location"] == "/audit"
    assert "not-for-role" not in _open_page(signed_in("coord"), "/map")[1]


def test_views_and_downloads_are_audited_with_ids_only(app, signed_in):
    audit = app.server.extensions["genera_auth"]["audit"]
    before = len(audit.entries())
    client = signed_in("coord")
    deps = json.loads(client.get("/_dash-dependencies").data)
    page = next(d for d in deps if d["output"].startswith("..") and "_pages_content" in
                d["output"] or d["output"].startswith("_pages_content"))
    inputs = [("/actor/H02" if i["property"] == "pathname" else None) for i in page["inputs"]]
    post_output(client, page["output"], inputs, [None] * len(page["state"]), deps=deps)
    entries = audit.entries().iloc[before:]
    viewed = entries[entries["action"] == "view_actor"]
    assert list(viewed["target"]) == ["H02"] and set(viewed["username"]) == {"coord"}
    names, _ = _names_and_ids()
    dump = entries.to_string()
    assert not any(n in dump for n in names if len(n) > 3)
    assert audit.verify().ok


def test_the_maps_panel_of_an_actor_is_audited(app, signed_in):
    """The map's side panel shows an actor's detail: audited with the actor it showed (the
    browser asks for it as [actor, period])."""
    from dash_app.testing import post_callback

    audit = app.server.extensions["genera_auth"]["audit"]
    before = len(audit.entries())
    client = signed_in("coord")
    assert post_callback(app, client, "map", "panel_of", [["H02", [0, 36]]],
                         ["it"]).status_code == 200
    assert post_callback(app, client, "map", "panel_of", [[None, [0, 36]]],
                         ["it"]).status_code == 200  # the hint: nobody shown, nothing audited
    entries = audit.entries().iloc[before:]
    viewed = entries[entries["action"] == "view_actor"]
    assert list(viewed["target"]) == ["H02"] and set(viewed["username"]) == {"coord"}


def test_the_worklists_pages_and_a_lines_details_are_audited(app, signed_in):
    """Each page of the worklist the grid asks for and a phone's lines (identified rows) are
    audited as worklist views; a line's details and suggestions with the family shown."""
    from dash_app.testing import post_callback

    audit = app.server.extensions["genera_auth"]["audit"]
    before = len(audit.entries())
    client = signed_in("coord")
    every = {"startRow": 0, "endRow": 20, "filterModel": {}, "sortModel": []}
    controls = [None, "flagged", [], [], "it"]
    assert post_callback(app, client, "isolation", "page", [every],
                         controls).status_code == 200
    assert post_callback(app, client, "isolation", "overview", controls[:4],
                         ["it"]).status_code == 200
    for name in ("details", "introductions"):
        assert post_callback(app, client, "isolation", name, [{"rowId": "H01"}],
                             controls).status_code == 200
    entries = audit.entries().iloc[before:]
    entries = entries[entries["action"] != "signin"]
    assert [(e.action, e.target) for e in entries.itertuples()] == [
        ("view_worklist", ""), ("view_worklist", ""), ("view_actor", "H01"),
        ("view_actor", "H01")]
    assert set(entries["username"]) == {"coord"}


def test_every_download_component_of_the_app_is_audited(ctx):
    """Each page's ``dcc.Download`` (as a coordinator, who has every page) sends its files
    through a callback declared with :func:`dash_app.downloads.download_output`: a new
    download that is not would leave files unaudited."""
    import dash
    from dash import dcc

    from dash_app.downloads import DOWNLOADS

    found = set()
    for page in dash.page_registry.values():
        template = page.get("path_template") or ""
        values = {name: "H01" for name in re.findall(r"<(\w+)>", template)}
        layout = page["layout"](**values) if callable(page["layout"]) else page["layout"]
        found |= {c.id for c in layout._traverse() if isinstance(c, dcc.Download)}
    assert {"rep-xlsx", "rep-pdf-download", "up-quarantine", "iso-download"} <= found
    assert found - DOWNLOADS == set()


def test_the_reports_xlsx_download_is_audited(app, signed_in):
    audit = app.server.extensions["genera_auth"]["audit"]
    before = len(audit.entries())
    response = post_output(signed_in("coord"), "rep-xlsx.data", [1], ["years", "it"])
    answer = response.get_json()["response"]["rep-xlsx"]["data"]
    assert answer["filename"] == "rapporto.xlsx" and answer["base64"]
    entries = audit.entries().iloc[before:]
    assert [(e.username, e.action, e.target) for e in entries.itertuples()
            if e.action == "download"] == [("coord", "download", "rep-xlsx")]


@pytest.mark.parametrize(("mode", "as_of"), [("all", None), (None, None), (["flagged"], None),
                                             ("flagged", "not a day"), ("flagged", 7)])
def test_a_forged_worklist_choice_is_no_update_not_a_server_error(signed_in, mode, as_of):
    """The worklist and its download, posted with a list or a day the page never offers:
    no update, neither a server error nor data."""
    client = signed_in("coord")
    deps = json.loads(client.get("/_dash-dependencies").data)
    every = {"startRow": 0, "endRow": 100, "filterModel": {}, "sortModel": []}
    values = {"iso-as-of": as_of, "iso-mode": mode, "iso-cp": None, "iso-facilitator": None,
              "iso-download-btn": 1, "lang-store": "it", "iso-download-btn-format": "italian",
              "iso-grid": every}
    grid = next(d["output"] for d in deps if "iso-grid.getRowsResponse" in d["output"])
    lines = next(d["output"] for d in deps if "iso-list.children" in d["output"])
    for key in (grid, lines, "iso-download.data"):
        dep = next(d for d in deps if d["output"] == key)
        response = post_output(client, key, [values[i["id"]] for i in dep["inputs"]],
                               [values[i["id"]] for i in dep["state"]], deps=deps)
        nothing = response.status_code == 204 or (  # PreventUpdate, or no_update
            response.status_code == 200 and response.get_json()["response"] == {})
        assert nothing, (key, response.status_code)
    values["iso-mode"], values["iso-as-of"] = "flagged", None  # the page's own values: data
    dep = next(d for d in deps if d["output"] == grid)
    response = post_output(client, grid, [values[i["id"]] for i in dep["inputs"]],
                           [values[i["id"]] for i in dep["state"]], deps=deps)
    assert response.status_code == 200 and "rowData" in response.get_data(as_text=True)


def test_audit_page_for_a_coordinator_not_a_facilitator(signed_in):
    coordinator = signed_in("coord").get("/_dash-layout").get_data(as_text=True)
    assert '"page":"audit"' in coordinator
    facilitator = signed_in("fac01").get("/_dash-layout").get_data(as_text=True)
    assert '"page":"audit"' not in facilitator and '"page":"map"' in facilitator


def test_the_audit_page_says_actions_and_the_chain_in_words(app, tmp_path):
    """The audit page shows each entry's action and the chain's state in the reader's
    language (the catalogs'), never the recorded code or the library's English reason."""
    import sys

    from genera_graph.io.audit import AuditLog
    from genera_graph.io.store import Store

    audit = sys.modules["dash_app.pages.audit"]
    with Store(tmp_path / "g.sqlite") as store:
        log = AuditLog(store)
        for action in ("signin", "view_actor", "download", "erase"):
            log.record("anna", action, ["H01"] if action == "view_actor" else [])
        rows = audit.audit_rows(log, lang="it")
        assert [r["action"] for r in rows] == [
            "cancellazione di una persona", "ha scaricato una tabella",
            "ha visto una famiglia o una persona", "accesso"]
        assert audit.action_label("view_actor", "en") == "viewed a family or person"
        assert audit.action_label("some_new_action", "it") == "some_new_action"
        assert audit.chain_status(log.verify(), "it").startswith("Catena integra: 4 voci,")
        with store.write_transaction() as conn:
            conn.exec_driver_sql("UPDATE audit_log SET target = 'H02' WHERE seq = 2")
        assert audit.chain_status(log.verify(), "it") == (
            "Catena NON integra alla voce 2: è stata modificata (il suo hash non corrisponde "
            "al contenuto).")
        with store.write_transaction() as conn:
            conn.exec_driver_sql("DELETE FROM audit_log WHERE seq IN (2, 3)")
        assert audit.chain_status(log.verify(), "en") == (
            "Chain NOT intact at entry 4: the entries before it, from 2 to 3, were removed.")


def test_a_password_rule_is_shown_in_the_readers_language(signed_in):
    client = signed_in("coord")
    page = client.post("/password", data={"current": PASSWORD, "new": "short",
                                          "again": "short"}, headers=ORIGIN)
    assert page.status_code == 400
    assert "una password ha almeno 12 caratteri" in page.get_data(as_text=True)


def test_over_http_sign_in_and_gate(live_url):
    """The waitress server on 127.0.0.1: no data without a session, the sign-in page served."""
    request = urllib.request.Request(live_url + "/_dash-layout")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)
    assert refused.value.code == 401
    with urllib.request.urlopen(live_url + "/login", timeout=20) as page:
        assert page.status == 200 and b"Accedi" in page.read()
    assert XSS_NAME  # the hostile name is in the district the server holds


def test_a_familys_page_kept_for_one_scope_is_never_another_scopes(signed_in):
    """The page router's layouts are kept per scope (dash_app.data.memo.per_scope_page): a
    coordinator, a facilitator of the other point and the coordinator again open the page
    of a CP01 family, in Italian and in English, each getting their own."""
    from dash_app.data import memo
    from dash_app.i18n import t

    memo.clear()
    coordinator, facilitator = signed_in("coord"), signed_in("fac02")
    for _ in range(2):
        for client, sees in ((coordinator, True), (facilitator, False), (coordinator, True)):
            status, text = _open_page(client, "/actor/H01")
            assert status == 200 and ("Famiglia Rossi" in text) == sees
            assert (t("common.not_found", "it") in text) != sees
    coordinator.set_cookie("genera_lang", "en")
    english = _open_page(coordinator, "/actor/H01")[1]
    coordinator.set_cookie("genera_lang", "it")
    italian = _open_page(coordinator, "/actor/H01")[1]
    assert english != italian and "Famiglia Rossi" in english
