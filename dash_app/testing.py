"""Drive the explorer's callbacks over HTTP, as the browser does (for tests and benchmarks).

:func:`post_callback` posts to ``/_dash-update-component`` with the Flask test client, in the
body the Dash renderer sends: the callback's outputs, its inputs and states with values.

Examples
--------
>>> from genera_graph.model import Dataset
>>> from dash_app import create_app
>>> app = create_app(Dataset.empty())  # doctest: +SKIP
>>> post_callback(app, app.server.test_client(), "report", "update", ["years"], ["it"])  # doctest: +SKIP
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["callback_spec", "post_callback", "post_output"]


def callback_spec(app: Any, module: str, function: str) -> tuple[str, dict]:
    """``(output key, callback_map entry)`` of the page callback ``module.function``."""
    client = app.server.test_client()
    client.get("/_dash-dependencies")  # builds the callback map on first use
    for key, entry in app.callback_map.items():
        func = entry.get("callback")
        wrapped = getattr(func, "__wrapped__", func)
        if (getattr(wrapped, "__name__", "") == function
                and getattr(wrapped, "__module__", "").endswith(f".{module}")):
            return key, entry
    raise KeyError(f"no callback {module}.{function}")


def _targets(key: str) -> list[dict]:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        # a pattern-matching (dict) id is written as JSON in the output key
        out.append({"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop})
    return out


def post_callback(app: Any, client: Any, module: str, function: str, inputs: list,
                  states: list | None = None) -> Any:
    """POST one callback to ``/_dash-update-component``; returns the Flask response.

    ``inputs`` and ``states`` are the values, in the order the callback declares them.
    """
    key, _ = callback_spec(app, module, function)
    return post_output(client, key, inputs, states)


def post_output(client: Any, key: str, inputs: list, states: list | None = None,
                deps: list | None = None) -> Any:
    """POST the callback whose output key (as in ``/_dash-dependencies``) is ``key``."""
    if deps is None:
        deps = json.loads(client.get("/_dash-dependencies").data)
    dep = next(d for d in deps if d["output"] == key)
    body = {
        "output": key,
        "outputs": _targets(key) if key.startswith("..") else _targets(key)[0],
        "inputs": [{**i, "value": v} for i, v in zip(dep["inputs"], inputs, strict=True)],
        "state": [{**s, "value": v} for s, v in zip(dep["state"], states or [], strict=True)],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    # the page's own origin, as the browser sends it (the server refuses cross-site POSTs)
    return client.post("/_dash-update-component", json=body,
                       headers={"Origin": "http://localhost"})
