"""Each export format read back the way other tools read it, compared value by value.

The Italian dialect is read as R's ``read.csv2(file, fileEncoding = "UTF-8-BOM")`` reads it
(``sep=";"``, ``dec=","``, BOM stripped), the research dialect as ``read.csv`` and pandas'
defaults read it (``,``, ``.``), the workbook with ``pandas.read_excel`` (openpyxl) and the
Parquet file with ``pandas.read_parquet`` (what ``arrow::read_parquet`` reads too).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from genera_graph.exports.tables import (
    read_table_csv,
    to_csv_bytes,
    to_xlsx_bytes,
    write_table,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "actor_id": ["007", "0420", "H-01"],
        "name": ["Nicolò; \"Forlà\"", "=HYPERLINK(\"http://x\")", "'ok' when\nnew line"],
        "ties": [530, 0, -3],
        "count_as_float": [530.0, 12.0, np.nan],      # a count pandas holds as float
        "share": [0.1282051282051282, 1 / 3, -2.5e-7],
        "amount": [9500.0, 1234567.891, 0.5],
        "peer": [True, False, True],
        "first_met": pd.to_datetime(["2016-05-18", "2016-06-14", None]),
    })


def _numbers_equal(back: pd.Series, original: pd.Series) -> None:
    np.testing.assert_array_equal(back.to_numpy(dtype=float), original.to_numpy(dtype=float))


def test_italian_dialect_read_as_read_csv2_does(frame):
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")          # BOM: Excel reads UTF-8 accents
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                       dtype={"actor_id": str})
    assert list(back.columns) == list(frame.columns)
    assert back["actor_id"].tolist() == ["007", "0420", "H-01"]
    assert back["name"].tolist() == ["Nicolò; \"Forlà\"", "'=HYPERLINK(\"http://x\")",
                                     "'ok' when\nnew line"]
    assert back["ties"].dtype == np.int64 and back["ties"].tolist() == [530, 0, -3]
    for col in ("count_as_float", "share", "amount"):
        assert back[col].dtype == np.float64, col   # numbers, not text: no 1282051282051282
        _numbers_equal(back[col], frame[col])
    text = data.decode("utf-8-sig")
    assert ";530;0,1282051282051282;9500;" in text and "530.0" not in text and "530,0" not in text
    assert back["peer"].tolist() == ["sì", "no", "sì"]
    days = pd.to_datetime(back["first_met"], format="%d/%m/%Y")
    pd.testing.assert_series_equal(days, frame["first_met"], check_names=False,
                                   check_dtype=False)


def test_research_dialect_read_with_pandas_defaults(frame):
    data = to_csv_bytes(frame, "research")
    assert not data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), dtype={"actor_id": str}, parse_dates=["first_met"])
    assert back["actor_id"].tolist() == ["007", "0420", "H-01"]
    assert back["name"].tolist()[0] == "Nicolò; \"Forlà\""
    assert back["ties"].tolist() == [530, 0, -3]
    for col in ("count_as_float", "share", "amount"):
        _numbers_equal(back[col], frame[col])
    assert back["peer"].dtype == bool and back["peer"].tolist() == [True, False, True]
    pd.testing.assert_series_equal(back["first_met"], frame["first_met"], check_dtype=False)


@pytest.mark.parametrize("dialect", ["italian", "research"])
def test_write_table_round_trips_with_the_dictionary(frame, tmp_path, dialect):
    paths = write_table(frame, tmp_path, "t", [(c, c, "", "") for c in frame.columns],
                        dialect=dialect, formats=("csv", "parquet", "xlsx"))
    back = read_table_csv(paths["csv"], paths["dictionary"], dialect)
    pd.testing.assert_frame_equal(back, frame)
    # Parquet keeps the types: dates stay dates, integers integers, booleans booleans
    parquet = pd.read_parquet(paths["parquet"])
    pd.testing.assert_frame_equal(parquet, frame)
    assert paths["xlsx"].exists()


def test_workbook_has_real_number_date_and_boolean_cells(frame):
    data = to_xlsx_bytes(frame)
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, (c for c in sheet[2]), strict=True))
    assert row["ties"].data_type == "n" and row["ties"].value == 530
    assert row["share"].value == 0.1282051282051282
    assert row["peer"].data_type == "b" and row["peer"].value is True
    assert row["first_met"].is_date and row["first_met"].number_format == "DD/MM/YYYY"
    assert row["actor_id"].value == "007" and row["actor_id"].data_type == "s"
    formula = dict(zip(header, sheet[3], strict=True))["name"]
    assert formula.data_type == "s" and formula.value.startswith("'=")
    assert [c.value for c in sheet[4]][header.index("first_met")] is None
    back = pd.read_excel(io.BytesIO(data), dtype={"actor_id": str})
    assert back["ties"].tolist() == [530, 0, -3]
    _numbers_equal(back["share"], frame["share"])
    pd.testing.assert_series_equal(back["first_met"], frame["first_met"], check_dtype=False)
