"""PlainTable: a short table as one Dash component, drawn by ``assets/plain_table.js``.

The same table written as ``html.Table``/``Tr``/``Td`` is one Dash component per cell (some
340 for the overview's 36 months), and Dash's renderer wraps, registers and tracks each of
them: on the sample district that was a fifth of the first page's time in Chromium
(``benchmarks/bench_app.py``, "first page, cold"). This component carries only texts (the
server writes them in the person's language: :func:`dash_app.components.plain_table`) and the
script draws the ``<table>`` with React, which escapes every text: no cell is ever HTML.

It has no properties a callback can read back (no ``n_clicks``, no selection): it shows.
"""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component

__all__ = ["PlainTable"]

_PROPS = ["id", "head", "rows", "right", "height", "label"]


class PlainTable(Component):
    """``head``: one ``{"text", "note", "href"}`` per column (``note``: the plain explanation
    shown by the header's ⓘ, which links to ``href``, the glossary's entry; both may be
    empty); ``rows``: lists of texts, one per column; ``right``: per column, whether it is
    aligned right (numbers); ``height``: the box's height in pixels, the table scrolls inside
    it under its header; ``label``: the region's accessible name."""

    _children_props: list[str] = []
    _base_nodes: list[str] = []
    _namespace = "genera_components"
    _type = "PlainTable"

    def __init__(self, id: str | None = None, head: list[dict] | None = None,
                 rows: list[list[str]] | None = None, right: list[bool] | None = None,
                 height: int | None = None, label: str | None = None) -> None:
        self._prop_names = list(_PROPS)
        self._valid_wildcard_attributes: list[str] = []
        self.available_properties = list(_PROPS)
        self.available_wildcard_properties: list[str] = []
        given: dict[str, Any] = {"id": id, "head": head, "rows": rows, "right": right,
                                 "height": height, "label": label}
        super().__init__(**{k: v for k, v in given.items() if v is not None})
