"""Answers made light (dash_app/static.py): gzip when the browser accepts it, the same bytes
once unpacked, fingerprinted assets cached for a year, revalidation still answered 304."""

from __future__ import annotations

import gzip
import re

GZIP = {"Accept-Encoding": "gzip, deflate"}


def test_scripts_and_answers_are_gzipped_when_accepted(app, signed_in):
    client = signed_in("coord")
    index = client.get("/").get_data(as_text=True)
    suite = re.search(r'src="(/_dash-component-suites/dash_ag_grid/[^"]+)"', index).group(1)
    plain = client.get(suite)
    packed = client.get(suite, headers=GZIP)
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
    again = client.get(suite, headers=GZIP)  # from the kept copy: the same bytes
    assert again.data == packed.data
    layout = client.get("/_dash-layout", headers=GZIP)
    assert layout.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(layout.data) == client.get("/_dash-layout").data
    assert layout.headers["Cache-Control"] == "no-store"  # answers are never kept


def test_fingerprinted_assets_are_cached_for_a_year(app, signed_in):
    client = signed_in("coord")
    index = client.get("/").get_data(as_text=True)
    asset = re.search(r'src="(/assets/map\.js\?m=[^"]+)"', index).group(1)
    response = client.get(asset, headers=GZIP)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"generaMap" in gzip.decompress(response.data)
    # plotly.js's address comes with its fingerprint too (assets/plotly_bundle.js reads it)
    plotly = re.search(r'<meta name="genera-plotly" content="([^"]+)"', index).group(1)
    assert "?m=" in plotly
    assert client.get(plotly).headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # without a fingerprint: revalidated (ETag), and a revalidation is still a 304
    bare = client.get("/assets/map.js", headers=GZIP)
    assert "immutable" not in bare.headers.get("Cache-Control", "")
    etag = bare.headers["ETag"]
    assert client.get("/assets/map.js", headers={**GZIP, "If-None-Match": etag}).status_code \
        == 304


def test_compression_can_be_turned_off(app, signed_in):
    client = signed_in("coord")
    app.server.config["GENERA_COMPRESS"] = False
    try:
        assert client.get("/_dash-layout", headers=GZIP).headers.get("Content-Encoding") is None
    finally:
        app.server.config["GENERA_COMPRESS"] = True


def test_the_date_pickers_italian_names_are_cldrs():
    """assets/date_locale.js gives the date pickers' calendar Italian month and day names
    (they were English): its names are checked against Babel's CLDR data, a second source."""
    import json
    import re
    from pathlib import Path

    from babel.dates import get_day_names, get_month_names

    import dash_app

    js = (Path(dash_app.__file__).parent / "assets" / "date_locale.js").read_text("utf-8")

    def names(block: str, width: str) -> list[str]:
        part = js[js.index(f"{block}: {{"):]
        found = re.search(width + r": (\[[^\]]*\])", part)
        return json.loads(found[1])

    for width in ("wide", "abbreviated", "narrow"):
        cldr = get_month_names(width, locale="it")
        assert names("months", width) == [cldr[m] for m in range(1, 13)], width
    for width in ("wide", "abbreviated", "short", "narrow"):
        cldr = get_day_names(width, locale="it")  # 0 = Monday; date-fns: 0 = Sunday
        assert names("days", width) == [cldr[(d + 6) % 7] for d in range(7)], width
