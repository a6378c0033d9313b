"""Tidy table exports: formula neutralisation and CSV / Parquet round trips."""

from __future__ import annotations

import csv
import datetime

import numpy as np
import pandas as pd
import pytest

from genera_graph.exports.tables import (
    FORMULA_TRIGGERS,
    column_dtypes,
    neutralise_formulas,
    read_csv,
    read_table_csv,
    restore_formulas,
    write_csv,
    write_data_dictionary,
    write_parquet,
    write_table,
)


@pytest.fixture
def typed_frame() -> pd.DataFrame:
    """One column of every type an export holds, with accents, leading zeros and formulas."""
    return pd.DataFrame(
        {
            "actor_id": ["007", "0420", "H-01"],
            "name": ["Nicolò Forlà", "=HYPERLINK(\"http://x\")", "Zoë; \"quoted\"\nnewline"],
            "first_met": pd.to_datetime(["2016-05-18", "2016-06-14", "2019-01-31"]),
            "ties": [0, 12, -3],
            "share": [0.1, 1 / 3, -2.5e-7],
            "peer": [True, False, True],
        }
    )


def test_neutralise_every_trigger_and_only_text():
    """Each OWASP trigger character gets a leading quote; numbers keep value and dtype."""
    texts = [f"{c}cmd" for c in FORMULA_TRIGGERS] + ["plain", "'ok' when", "'=already", "-3"]
    frame = pd.DataFrame({"t": texts, "n": np.arange(len(texts)) - 3,
                          "x": np.linspace(-1, 1, len(texts))})
    out = neutralise_formulas(frame)
    assert restore_formulas(out).equals(frame)
    for before, after in zip(texts, out["t"], strict=True):
        if before in ("plain", "'ok' when", "-3"):  # never a formula: kept as it is
            assert after == before
        else:
            assert after == "'" + before
    assert out["n"].dtype == frame["n"].dtype and out["n"].tolist() == frame["n"].tolist()
    assert out["x"].dtype == frame["x"].dtype and out["x"].tolist() == frame["x"].tolist()
    # the input is not modified
    assert frame["t"].tolist() == texts


def test_neutralise_object_column_with_mixed_values():
    frame = pd.DataFrame({"mixed": pd.Series(["-1", 5, None, "@x", "-1+cmd"], dtype=object)})
    out = neutralise_formulas(frame)
    assert out["mixed"].tolist() == ["-1", 5, None, "'@x", "'-1+cmd"]
    assert restore_formulas(out)["mixed"].tolist() == ["-1", 5, None, "@x", "-1+cmd"]


def test_csv_cells_are_neutralised_in_the_file(typed_frame, tmp_path):
    path = write_csv(typed_frame, tmp_path / "t.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    name = header.index("name")
    assert body[1][name].startswith("'=HYPERLINK")
    # negative numbers in numeric columns are numbers, not text
    assert body[2][header.index("ties")] == "-3"
    assert body[0][header.index("first_met")] == "18/05/2016"
    assert body[0][header.index("peer")] == "sì"
    assert body[0][header.index("actor_id")] == "007"
    for row in body:
        for column in ("actor_id", "name"):
            assert not row[header.index(column)].startswith(FORMULA_TRIGGERS)


def test_csv_round_trip_same_types(typed_frame, tmp_path):
    path = write_csv(typed_frame, tmp_path / "t.csv")
    back = read_csv(path, column_dtypes(typed_frame))
    pd.testing.assert_frame_equal(back, typed_frame)


def test_csv_round_trip_with_missing_values(tmp_path):
    frame = pd.DataFrame(
        {
            "id": pd.Series(["01", None], dtype="str"),
            "n": pd.array([4, None], dtype="Int64"),
            "x": [np.nan, 2.5],
            "ok": pd.array([True, None], dtype="boolean"),
            "day": pd.to_datetime(["2016-06-14", None]),
        }
    )
    back = read_csv(write_csv(frame, tmp_path / "m.csv"), column_dtypes(frame))
    pd.testing.assert_frame_equal(back, frame)


def test_csv_dialects_italian_and_research(tmp_path):
    frame = pd.DataFrame({"città": ["Brescia"], "x": [1234.5], "n": [530.0], "ok": [False],
                          "day": pd.to_datetime(["2016-02-01"])})
    raw = write_csv(frame, tmp_path / "a.csv").read_bytes()
    assert raw == "\ufeffcittà;x;n;ok;day\r\nBrescia;1234,5;530;no;01/02/2016\r\n".encode()
    raw = write_csv(frame, tmp_path / "b.csv", "research").read_bytes()
    assert raw == "città,x,n,ok,day\r\nBrescia,1234.5,530,false,2016-02-01\r\n".encode()
    with pytest.raises(ValueError, match="unknown CSV dialect"):
        write_csv(frame, tmp_path / "c.csv", "excel")


def test_csv_refuses_time_of_day(tmp_path):
    frame = pd.DataFrame({"at": pd.to_datetime(["2016-06-14 10:30"])})
    with pytest.raises(ValueError, match="midnight"):
        write_csv(frame, tmp_path / "t.csv")


def test_parquet_round_trip_same_types(typed_frame, tmp_path):
    frame = typed_frame.assign(n=pd.array([1, None, 3], dtype="Int64"))
    back = pd.read_parquet(write_parquet(frame, tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(back, frame)
    # Parquet is for code: no neutralisation
    assert back.loc[1, "name"].startswith("=")


def test_write_table_writes_three_files_and_reads_back(typed_frame, tmp_path):
    entries = [(c, f"definition of {c}", "", "") for c in typed_frame.columns]
    paths = write_table(typed_frame, tmp_path / "out", "actors", entries)
    assert {p.name for p in paths.values()} == {
        "actors.csv", "actors.parquet", "actors.dictionary.csv"
    }
    pd.testing.assert_frame_equal(read_table_csv(paths["csv"], paths["dictionary"]), typed_frame)
    dictionary = read_csv(paths["dictionary"])
    files = dictionary[dictionary["dtype"] == "file"]
    assert files["column"].tolist() == ["actors.csv", "actors.parquet"]
    assert "read.csv2" in files["convention"].iloc[0]
    assert "arrow::read_parquet" in files["convention"].iloc[1]
    dictionary = dictionary[dictionary["dtype"] != "file"]
    assert dictionary["column"].tolist() == list(typed_frame.columns)
    assert dictionary.set_index("column").loc["first_met", "dtype"] == "datetime64[us]"


def test_write_table_requires_a_complete_dictionary(typed_frame, tmp_path):
    entries = [(c, "d", "", "") for c in typed_frame.columns[:-1]]
    with pytest.raises(ValueError, match="undescribed"):
        write_table(typed_frame, tmp_path, "t", entries)
    with pytest.raises(ValueError, match="unsafe"):
        write_table(typed_frame, tmp_path, "../escape", entries)


def test_data_dictionary_is_neutralised(tmp_path):
    path = write_data_dictionary(
        [{"column": "x", "definition": "=2+2", "convention": "-", "reference": "@ref"}],
        tmp_path / "d.csv",
    )
    text = path.read_text(encoding="utf-8-sig")
    assert "x;'=2+2;'-;'@ref;" in text


def test_categorical_and_python_dates(tmp_path):
    frame = pd.DataFrame({
        "kind": pd.Categorical(["=evil", "household", "=evil"]),
        "day": pd.Series([datetime.date(2016, 6, 14), None, datetime.date(2017, 1, 2)],
                         dtype=object),
    })
    out = neutralise_formulas(frame)
    assert out["kind"].tolist() == ["'=evil", "household", "'=evil"]
    assert isinstance(out["kind"].dtype, pd.CategoricalDtype)
    text = write_csv(frame, tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    assert text == "kind;day\n'=evil;14/06/2016\nhousehold;\n'=evil;02/01/2017\n"


@pytest.mark.parametrize("dialect", ["italian", "research"])
def test_line_breaks_inside_cells_never_split_a_row(tmp_path, dialect):
    """RFC 4180: CRLF line ends, and a cell holding a lone CR, a LF or a CRLF is quoted, so
    every reader (pandas, Python's csv as R's read.csv does, a text editor) keeps the rows."""
    cells = ["a\rb", "a\nb", "a\r\nb", "end\r", "\rstart", "plain", "x\r\ry"]
    frame = pd.DataFrame({"id": [f"{i:03d}" for i in range(len(cells))], "text": cells,
                          "n": range(len(cells))})
    path = write_csv(frame, tmp_path / "t.csv", dialect)
    data = path.read_bytes()
    body = data.removeprefix(b"\xef\xbb\xbf")
    assert body.startswith(b"id") and body.count(b"\r\n") >= len(cells) + 1
    pd.testing.assert_frame_equal(read_csv(path, column_dtypes(frame), dialect), frame)
    sep = ";" if dialect == "italian" else ","
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=sep))
    assert len(rows) == len(cells) + 1 and all(len(r) == 3 for r in rows)
    assert [r[1] for r in rows[1:]][:4] == cells[:4]
