"""Tiny hand-made node and edge tables for the export tests, with a hostile display name."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

#: A display name that tries to break out of a <script>, an attribute and a spreadsheet.
HOSTILE = "</script><img src=x onerror=alert(1)>\"' & =cmd|' /C calc'!A0"

REPO_ROOT = Path(__file__).resolve().parents[2]
#: the GEXF 1.3 XML Schema, kept in the repository (tests/data/schemas/README.md)
GEXF_SCHEMA = REPO_ROOT / "tests" / "data" / "schemas" / "gexf-1.3" / "gexf.xsd"


@pytest.fixture
def hostile() -> str:
    return HOSTILE


@pytest.fixture
def gexf_schema() -> Path:
    assert GEXF_SCHEMA.exists(), f"the GEXF 1.3 schema is missing from the repository: {GEXF_SCHEMA}"
    return GEXF_SCHEMA


@pytest.fixture
def nodes() -> pd.DataFrame:
    """Five actors: two households, an association, a facilitator, a hostile name."""
    return pd.DataFrame(
        {
            "id": ["H001", "H002", "A010", "F003", "X999"],
            "label": ["Famiglia Rossi", "Famiglia Bianchi-Forlà", "Circolo Acli Zoë",
                      "Facilitatrice Nicolò", HOSTILE],
            "kind": ["household", "household", "association", "facilitator", "household"],
            "community_point": ["CP1", "CP1", "CP2", "CP1", "CP2"],
            "members": [4, 2, 35, 1, 3],
            "score": [0.25, 1.5, -0.75, 0.0, 2.0],
            "isolated": [False, True, False, False, True],
            "start": pd.to_datetime(["2016-05-18", "2016-06-14", "2016-02-01", "2016-02-01",
                                     "2017-03-09"]),
            "end": pd.to_datetime([None, "2018-10-31", None, "2019-01-31", None]),
        }
    )


@pytest.fixture
def spell_edges() -> pd.DataFrame:
    """Interval ties: a lease (two spells of one edge), an open membership, a placement."""
    return pd.DataFrame(
        {
            "id": ["lease1", "lease1", "mem1", "pl1"],
            "source": ["H001", "H001", "H002", "X999"],
            "target": ["F003", "F003", "A010", "A010"],
            "weight": [1.0, 1.0, 2.5, 1.0],
            "nature": ["institutional", "institutional", "institutional", "institutional"],
            "programme": ["housing", "housing", "community", "work"],
            "start": pd.to_datetime(["2016-06-20", "2017-09-01", "2016-11-05", "2017-04-03"]),
            "end": pd.to_datetime(["2017-06-19", None, None, "2017-10-02"]),
        }
    )


@pytest.fixture
def event_edges() -> pd.DataFrame:
    """Instantaneous ties, one row per event (grouped by pair and attributes)."""
    return pd.DataFrame(
        {
            "source": ["H001", "H001", "H001", "H002", "X999"],
            "target": ["H002", "H002", "F003", "F003", "H001"],
            "date": pd.to_datetime(["2016-06-14", "2016-07-02", "2016-06-15", "2016-09-30",
                                    "2017-03-10"]),
            "nature": ["peer", "peer", "professional", "professional", "peer"],
            "programme": ["community", "community", "housing", "work", "community"],
        }
    )
