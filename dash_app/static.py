"""Responses made light for the browser: gzip, and fingerprinted files cached for a year.

:func:`install` puts one ``after_request`` hook on the Flask server:

- **gzip** (the standard library's zlib) for every text answer the browser accepts it for:
  pages, Dash's layout, dependencies and callback answers (JSON), scripts and style sheets.
  Scripts are most of a first visit (about 3.4 MB for the overview: the component libraries,
  plotly.js, AG Grid's chunk) and shrink to about a quarter; a Community Point's line is a
  few Mbit/s, not the benchmark's loopback. Static files are compressed once, at the highest
  level, and kept (keyed by address and ETag, at most :data:`CACHE_BYTES`); answers are
  compressed at a fast level (:data:`ANSWER_LEVEL`), above :data:`MIN_BYTES`.
- **caching**: an asset whose address carries Dash's fingerprint (``/assets/x.js?m=<mtime>``)
  is ``public, max-age=31536000, immutable``, as Dash already serves its component suites:
  a page load then asks nothing again for them (else every script is revalidated on every
  navigation, one round trip each).

Why not Flask-Compress: it compresses a streamed file (Dash's assets are sent as files) again
on every request, and its cache keeps every answer it compresses, callbacks included, unless
the key says otherwise; this hook is 60 lines with no dependency. Compression of answers that
mix a secret with text an attacker chooses can leak the secret (BREACH): the explorer's pages
and answers carry no token (sessions are in a cookie, CSRF is refused by the origin check).

Set ``server.config["GENERA_COMPRESS"] = False`` to turn compression off (benchmarks compare).
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from typing import Any

__all__ = ["ANSWER_LEVEL", "CACHE_BYTES", "MIN_BYTES", "install"]

#: compressed static files kept in memory (bytes)
CACHE_BYTES = 64 * 1024 * 1024
#: zlib level of answers (callbacks, layout): fast; static files take 9, once
ANSWER_LEVEL = 4
#: smaller bodies are sent as they are
MIN_BYTES = 1024
_STATIC = ("/_dash-component-suites/", "/assets/")
_TEXT = {"text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
         "application/json", "image/svg+xml"}
_YEAR = "public, max-age=31536000, immutable"


def _gzip(data: bytes, level: int) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing
    return packer.compress(data) + packer.flush()


def install(server: Any) -> None:
    """Compress and cache the server's answers (see the module docstring)."""
    import flask

    kept: OrderedDict[tuple, bytes] = OrderedDict()
    size = [0]
    lock = threading.Lock()

    @server.after_request
    def _light(response: flask.Response) -> flask.Response:
        request = flask.request
        static = request.method == "GET" and request.path.startswith(_STATIC)
        if static and request.path.startswith("/assets/") and request.args.get("m") \
                and response.status_code in (200, 304):
            response.headers["Cache-Control"] = _YEAR
        if not server.config.get("GENERA_COMPRESS", True) or response.status_code != 200 \
                or response.mimetype not in _TEXT or "Content-Encoding" in response.headers:
            return response
        response.vary.add("Accept-Encoding")
        if "gzip" not in request.headers.get("Accept-Encoding", "").lower():
            return response
        if static:
            etag, _ = response.get_etag()
            key = (request.full_path, etag)
            with lock:
                body = kept.get(key)
                if body is not None:
                    kept.move_to_end(key)
            if body is None:
                response.direct_passthrough = False
                data = response.get_data()
                if len(data) < MIN_BYTES:
                    return response
                body = _gzip(data, 9)
                with lock:
                    if key not in kept:
                        kept[key] = body
                        size[0] += len(body)
                    while size[0] > CACHE_BYTES and kept:
                        size[0] -= len(kept.popitem(last=False)[1])
        else:
            if response.is_streamed:
                return response
            data = response.get_data()
            if len(data) < MIN_BYTES:
                return response
            body = _gzip(data, ANSWER_LEVEL)
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        return response
