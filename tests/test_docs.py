"""The documents the data dictionaries cite are in the repository, with the sections cited."""

from __future__ import annotations

import re
from pathlib import Path

from genera_graph.analytics import bridging, isolation
from genera_graph.analytics.tables import _KIND

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"docs/(\w+\.md)((?:,? ?§\d+)*)")


def _references():
    for conventions in (isolation.CONVENTIONS, bridging.CONVENTIONS, _KIND):
        for column, entry in conventions.items():
            yield column, entry.get("reference", "")


def test_every_cited_document_and_section_exists():
    cited = 0
    for column, reference in _references():
        assert "DESIGN.md section" not in reference, column
        for name, sections in CITE.findall(reference):
            text = (ROOT / "docs" / name).read_text(encoding="utf-8")
            for number in re.findall(r"§(\d+)", sections):
                assert re.search(rf"^## {number}\. ", text, re.M), (column, name, number)
                cited += 1
    assert cited >= 8  # the dictionaries do cite the documents


def test_no_test_reads_outside_the_repository():
    outside = ('"shared"', "/work/shared")
    for path in (ROOT / "tests").rglob("*.py"):
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        assert not any(word in text for word in outside), path
