"""Reading spreadsheet files: encodings, separators, headers, row numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from genera_graph.io.spreadsheets import _BLOCK, open_spreadsheet

HEADER = ["actor_id", "kind", "name", "first_met"]


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_separator_is_sniffed_from_the_header(tmp_path: Path, sep: str):
    path = tmp_path / "actors.csv"
    path.write_text(sep.join(HEADER) + "\n" + sep.join(["I1", "individual", "Anna", "01/06/2016"])
                    + "\n", encoding="utf-8")
    sheet = open_spreadsheet(path)
    assert (sheet.delimiter, sheet.header) == (sep, HEADER)
    chunk, problems = next(sheet.chunks())
    assert chunk.loc[2].tolist() == ["I1", "individual", "Anna", "01/06/2016"] and not problems


def test_utf8_character_split_across_read_blocks_is_still_utf8(tmp_path: Path):
    head = (";".join(HEADER) + "\n").encode()
    filler = b"I1;individual;" + b"a" * (_BLOCK - len(head) - len(b"I1;individual;") - 1)
    path = tmp_path / "actors.csv"
    path.write_bytes(head + filler + "è;01/06/2016\n".encode())  # 'è' straddles the block end
    sheet = open_spreadsheet(path)
    assert sheet.encoding == "utf-8-sig" and not sheet.problems


def test_quoted_cells_keep_separators_and_quotes(tmp_path: Path):
    path = tmp_path / "actors.csv"
    path.write_text(";".join(HEADER) + '\nI1;individual;"Rossi; ""Bianchi""";01/06/2016\n',
                    encoding="utf-8")
    chunk, _ = next(open_spreadsheet(path).chunks())
    assert chunk.loc[2, "name"] == 'Rossi; "Bianchi"'


def test_trailing_separator_in_the_header_is_a_warning(tmp_path: Path):
    path = tmp_path / "actors.csv"
    path.write_text(";".join(HEADER) + ";\nI1;individual;Anna;01/06/2016;\n", encoding="utf-8")
    sheet = open_spreadsheet(path)
    assert [(p.severity, p.rule) for p in sheet.problems] == [
        ("warning", "column 5 has no name: ignored")]


def test_header_must_be_on_row_1(tmp_path: Path):
    path = tmp_path / "actors.csv"
    path.write_text("\n\n" + ";".join(HEADER) + "\n", encoding="utf-8")
    (problem,) = open_spreadsheet(path).problems
    assert (problem.row, problem.severity) == (3, "error")


def test_chunks_number_rows_across_chunk_boundaries(tmp_path: Path):
    path = tmp_path / "actors.csv"
    rows = [f"I{i};individual;Nome {i};01/06/2016" for i in range(7)]
    rows.insert(3, "")  # a blank line: skipped, but counted
    path.write_text(";".join(HEADER) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    chunks = list(open_spreadsheet(path).chunks(chunk_rows=3))
    numbers = [int(n) for chunk, _ in chunks for n in chunk.index]
    assert numbers == [2, 3, 4, 6, 7, 8, 9]
    ids = [v for chunk, _ in chunks for v in chunk["actor_id"]]
    assert ids == [f"I{i}" for i in range(7)]
