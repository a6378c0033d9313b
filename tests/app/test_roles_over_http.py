"""What each role gets over HTTP, whatever it sends.

- a facilitator of CP02, signed in to ``genera serve`` (a child process reading an SQLite store,
  then a PostgreSQL one), forges ``_dash-update-component`` POSTs naming CP01's households
  (actor page, its ego network and download, the map's panel, the worklist): no answer holds
  any of them, by id or by name;
- a researcher, signed in, loads every page and posts every callback of the app: no answer
  holds a sample name or a raw id (only the research study's pseudonyms).
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from genera_graph.io.store import Store
from tests.app.conftest import PASSWORD, add_accounts, served, small_district
from tests.io.conftest import postgres_server  # noqa: F401 - the PostgreSQL fixture

CP01_HOUSEHOLD = "H01"


def _forbidden_texts(point: str = "CP01") -> tuple[set[str], set[str]]:
    """Ids and names of a point's households and people."""
    actors = small_district().actors
    mine = actors[actors["community_point_id"].eq(point)
                  & actors["kind"].isin(["household", "individual"])]
    return set(mine["actor_id"]), set(mine["name"])


def _found(text: str, ids: set[str], names: set[str]) -> set[str]:
    """The ids (as whole tokens) and names (as written, or JSON-escaped) found in text."""
    hits = {i for i in ids if re.search(rf"(?<![A-Za-z0-9]){re.escape(i)}(?![A-Za-z0-9])",
                                        text)}
    for name in names:
        escaped = json.dumps(name)[1:-1]
        html_safe = escaped.replace("<", "\\u003c").replace(">", "\\u003e")
        if name in text or escaped in text or html_safe in text:
            hits.add(name)
    return hits


def _value(item: dict, overrides: dict) -> object:
    """A plausible value of a callback input: the overrides, else by property."""
    key = item["id"] if isinstance(item["id"], str) else json.dumps(item["id"])
    if (key, item["property"]) in overrides:
        return overrides[(key, item["property"])]
    if key in overrides:
        return overrides[key]
    return {"n_clicks": 1, "pathname": "/", "search": "", "data": None}.get(item["property"])


def _body(dep: dict, overrides: dict) -> dict:
    outputs = dep["output"]
    parts = outputs.strip(".").split("...") if outputs.startswith("..") else [outputs]
    targets = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        targets.append({"id": json.loads(cid) if cid.startswith("{") else cid,
                        "property": prop})
    return {
        "output": outputs,
        "outputs": targets if outputs.startswith("..") else targets[0],
        "inputs": [{**i, "value": _value(i, overrides)} for i in dep["inputs"]],
        "state": [{**s, "value": _value(s, overrides)} for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]
        if dep["inputs"] and isinstance(dep["inputs"][0]["id"], str) else [],
    }


class Browser:
    """A signed-in HTTP client (cookies kept; the page's own Origin on every POST)."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD}).encode()
        request = urllib.request.Request(base + "/login", data=data,
                                         headers={"Origin": base})
        with self.opener.open(request, timeout=60) as response:
            assert "/login" not in response.url, "sign-in failed"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def post(self, body: dict) -> tuple[int, str]:
        request = urllib.request.Request(
            self.base + "/_dash-update-component", data=json.dumps(body).encode(),
            headers={"Origin": self.base, "Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")


#: forged answers a facilitator of CP02 asks for: output -> values naming CP01's household
_FORGED = {
    "_pages_content": {("_pages_location", "pathname"): f"/actor/{CP01_HOUSEHOLD}"},
    "act-ego.figure": {"act-id": CP01_HOUSEHOLD, "act-range": [0, 40]},
    "act-download.data": {"act-id": CP01_HOUSEHOLD},
    "map-panel.children": {"map-panel-key": [CP01_HOUSEHOLD, [0, 40]]},
    "map-tables.data": {"map-nature": ["peer", "professional", "institutional"]},
}
#: the worklist's pages, phone lines and a line's details, forged to name CP01: its point in
#: the controls, its family's name in the grid's filter, its family's id as the clicked row
#: (the coordinator's answers to the same requests hold CP01's families: see _forge)
_EVERY_ROW = {"startRow": 0, "endRow": 500, "sortModel": [], "filterModel": {}}
_FORGED_WORKLIST = {
    "iso-grid.getRowsResponse": {("iso-grid", "getRowsRequest"): _EVERY_ROW,
                                 "iso-mode": "flagged", "iso-cp": ["CP01"]},
    "iso-list.children": {"iso-mode": "flagged", "iso-cp": ["CP01", "CP02"]},
    "iso-details.children": {("iso-grid", "cellClicked"): {"rowId": CP01_HOUSEHOLD},
                             "iso-mode": "flagged"},
}
#: forged, but with nothing to compare a coordinator's answer to (the suggestions name
#: peers, not necessarily of CP01)
_FORGED["iso-intro.children"] = {("iso-grid", "cellClicked"): {"rowId": CP01_HOUSEHOLD},
                                 "iso-mode": "flagged"}
_FORGED.update(_FORGED_WORKLIST)


def _forge(base: str) -> None:
    client = Browser(base, "fac02")
    status, text = client.get("/_dash-dependencies")
    assert status == 200
    deps = json.loads(text)
    ids, names = _forbidden_texts("CP01")
    answered, asked = 0, set()
    for key, overrides in _FORGED.items():
        for dep in [d for d in deps if key in d["output"]]:
            asked.add(key)
            status, text = client.post(_body(dep, {**overrides, "lang-store": "it"}))
            # a download's file name repeats the id asked for: its content must not
            text = re.sub(r'"filename":"[^"]*"', "", text)
            assert not _found(text, ids, names), (key, _found(text, ids, names))
            answered += status == 200
    assert len(asked) >= 4, asked  # the pages' callbacks were found
    assert set(_FORGED_WORKLIST) <= asked
    assert answered >= 3  # not only errors: the server answered, without them
    # the same worklist requests from a coordinator do name CP01's families: the
    # facilitator's answers hold none because the server scopes them, not by chance
    coordinator = Browser(base, "coord")
    for key, overrides in _FORGED_WORKLIST.items():
        dep = next(d for d in deps if key in d["output"])
        status, text = coordinator.post(_body(dep, {**overrides, "lang-store": "it"}))
        assert status == 200 and _found(text, ids, names), key
    # a forged page request naming CP01's family in the grid's own filter: nothing of it
    named = {**_EVERY_ROW, "filterModel": {"name": {"filterType": "text", "type": "contains",
                                                    "filter": "Rossi"}}}
    dep = next(d for d in deps if "iso-grid.getRowsResponse" in d["output"])
    status, text = client.post(_body(dep, {("iso-grid", "getRowsRequest"): named,
                                           "iso-mode": "flagged", "lang-store": "it"}))
    assert status == 200 and '"rowCount":0' in text.replace(" ", "")
    assert not _found(text, ids, names)
    status, text = client.get(f"/actor/{CP01_HOUSEHOLD}")
    # the index page repeats the address typed in its meta tags: nothing else of them
    assert not _found(text, ids, names) - {CP01_HOUSEHOLD}


def _store_with_accounts(url: str) -> None:
    with Store(url) as store:
        assert store.import_dataset(small_district()).ok
        add_accounts(store)


@pytest.mark.slow
def test_forged_callbacks_of_a_facilitator_on_sqlite(tmp_path: Path):
    path = str(tmp_path / "genera.sqlite")
    _store_with_accounts(path)
    with served(path, tmp_path / "home") as url:
        _forge(url)


@pytest.mark.slow
@pytest.mark.postgres
def test_forged_callbacks_of_a_facilitator_on_postgresql(tmp_path: Path, postgres_server):  # noqa: F811
    import psycopg

    name = f"genera_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = f"{postgres_server.rsplit('/', 1)[0]}/{name}"
    try:
        _store_with_accounts(url)
        with served(url, tmp_path / "home") as base:
            _forge(base)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_researcher_sees_no_name_and_no_raw_id(app, live_url):
    """Every page and every callback of the app, as a researcher: zero hits."""
    district = small_district()
    names = set(district.actors["name"]) | set(district.activities["title"])
    ids = (set(district.actors["actor_id"]) | set(district.activities["activity_id"])
           | set(district.interactions["interaction_id"]) | set(district.relations["relation_id"]))
    client = Browser(live_url, "res")
    pages = ["/", "/map", "/isolation", "/bridges", "/communities", "/report", "/glossary",
             "/audit", "/actor/H01", "/_dash-layout", "/_dash-dependencies"]
    seen = []
    for path in pages:
        status, text = client.get(path)
        echoed = {path.rsplit("/", 1)[-1]}  # the address typed, repeated in the page's meta
        assert not _found(text, ids, names) - echoed, (path, _found(text, ids, names))
        seen.append(status)
    deps = json.loads(client.get("/_dash-dependencies")[1])
    statuses = {}
    for route in ("/", "/map", "/isolation", "/bridges", "/communities", "/report",
                  "/actor/H01"):
        overrides = {("_pages_location", "pathname"): route, "lang-store": "it",
                     "act-id": "H01", "map-selected": "H01",
                     "map-panel-key": ["H01", [0, 36]]}
        for dep in deps:
            if dep.get("clientside_function") or not dep["inputs"]:
                continue
            status, text = client.post(_body(dep, overrides))
            assert not _found(text, ids, names), (dep["output"], _found(text, ids, names))
            statuses[(route, dep["output"])] = status
    # the aggregates answered (not everything refused), the identified detail was refused
    assert any(s == 200 and "ov-" in out for (_, out), s in statuses.items())
    assert any(s == 403 for s in statuses.values())
