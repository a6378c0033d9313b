"""The bad-input corpus: every case gives its expected problem, located as the user sees it.

Small cases are files under ``tests/io/corpus/<case>/``, their expected problems in
``corpus/expected.csv``; binary or large cases (XLSX, 100k blank lines) are generated here.
Every case is imported into a store that already holds ``corpus/base`` (actors, activities).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from genera_graph.io.spreadsheets import XlsxLimits, open_spreadsheet
from genera_graph.io.store import Store

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = pd.read_csv(CORPUS / "expected.csv", sep=";", dtype=str, keep_default_na=False)
CONTACTS_HEADER = ("interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
                   "community_point_id;source")


@pytest.fixture
def base_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "genera.sqlite")
    result = store.import_paths(CORPUS / "base")
    assert result.ok, result.summary()
    yield store
    store.close()


def _problem_keys(result) -> set[tuple]:
    return {(p.file, p.row, p.column, p.severity) for p in result.problems}


@pytest.mark.parametrize("case", sorted(set(EXPECTED["case"])))
def test_corpus_case_reports_its_expected_problem(base_store: Store, case: str):
    before = base_store.counts()
    result = base_store.import_paths(CORPUS / case)
    for exp in EXPECTED[EXPECTED["case"] == case].itertuples():
        row = int(exp.row) if exp.row else None
        column = exp.column or None
        matching = [p for p in result.problems
                    if (p.file, p.row, p.column, p.severity) == (exp.file, row, column,
                                                                 exp.severity)]
        assert matching, f"{case}: expected {exp} among {[str(p) for p in result.problems]}"
        assert any(exp.message in p.rule for p in matching), [p.rule for p in matching]
    if (EXPECTED[EXPECTED["case"] == case]["severity"] == "error").any():
        assert not result.committed
        assert base_store.counts() == before  # strict: nothing written
    else:
        assert result.committed


def test_bom_and_comma_separated_file_imports(base_store: Store):
    result = base_store.import_paths(CORPUS / "bom" / "contacts.csv")
    assert result.ok and not result.problems
    contacts = base_store.load().interactions
    assert contacts["interaction_id"].tolist() == ["C0001"]  # the BOM is not in the header


def test_cp1252_accents_survive(base_store: Store):
    result = base_store.import_paths(CORPUS / "cp1252")
    assert result.committed and [p.severity for p in result.problems] == ["warning"]
    names = base_store.load().actors.set_index("actor_id")["name"]
    assert names["I0002"] == "Niccol\u00f2 Fittizio"


def test_day_first_dates(base_store: Store):
    assert base_store.import_paths(CORPUS / "day_first").ok
    dates = base_store.load().participations["date"]
    assert dates.tolist() == [pd.Timestamp(2017, 4, 3)]  # 03/04/2017 is 3 April, not 4 March


def test_impossible_date_shows_the_value(base_store: Store):
    result = base_store.import_paths(CORPUS / "impossible_date")
    (problem,) = result.errors
    assert problem.value == "31/02/2017"
    assert "attendance.csv, row 3, column 'date'" in str(problem)


def test_empty_file_and_header_only_file(base_store: Store, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "contacts.csv").write_text(CONTACTS_HEADER + "\n", encoding="utf-8")
    result = base_store.import_paths(folder)
    assert result.ok and result.files[0].rows_read == 0  # a header alone is a valid register


def test_100k_blank_lines_are_skipped_and_rows_keep_their_numbers(base_store: Store,
                                                                  tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = "C{0};03/04/2017;I0001;F01;support;professional;housing;CP01;facilitator_record\n"
    bad = "C{0};03/04/2017;I0001;F01;alien;professional;housing;CP01;facilitator_record\n"
    blank_lines = 100_000
    text = (CONTACTS_HEADER + "\n" + good.format(1) + "\n" * blank_lines + ";;;;;;;;\n"
            + bad.format(2) + good.format(3))
    (folder / "contacts.csv").write_text(text, encoding="utf-8")
    result = base_store.import_paths(folder, partial=True)
    bad_row = 1 + 1 + blank_lines + 1 + 1  # header, first row, blanks, the ';;;' row, then it
    assert [(p.row, p.column) for p in result.errors] == [(bad_row, "kind")]
    (outcome,) = result.files
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_quarantined) == (3, 2, 1)


def test_row_with_too_many_cells_is_reported_and_later_rows_keep_numbers(base_store: Store,
                                                                         tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    row = "C{0};03/04/2017;I0001;F01;support;professional;housing;CP01;facilitator_record"
    lines = [CONTACTS_HEADER, row.format(1), row.format(2) + ";extra", row.format(3),
             row.format(4).replace("support", "alien")]
    (folder / "contacts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = base_store.import_paths(folder, partial=True)
    assert sorted((p.row, p.column) for p in result.errors) == [(3, None), (5, "kind")]
    (outcome,) = result.files
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_quarantined) == (4, 2, 2)
    assert sorted(base_store.quarantine()["row_number"]) == [3, 5]


# -- XLSX ------------------------------------------------------------------------------------

def _workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_register_imports_with_text_ids_and_date_cells(base_store: Store, tmp_path: Path):
    header = CONTACTS_HEADER.split(";")
    path = _workbook(tmp_path / "contacts.xlsx", [
        header,
        ["C0001", pd.Timestamp(2017, 4, 3).to_pydatetime(), "I0001", "F01", "support",
         "professional", "housing", "CP01", "facilitator_record"],
        ["000123", "04/04/2017", "I0001", "F01", "support", "professional", "housing", None,
         "facilitator_record"],
    ])
    result = base_store.import_paths(path)
    assert result.ok, [str(p) for p in result.problems]
    contacts = base_store.load().interactions.set_index("interaction_id")
    assert contacts.loc["C0001", "date"] == pd.Timestamp(2017, 4, 3)
    assert contacts.loc["000123", "date"] == pd.Timestamp(2017, 4, 4)  # leading zeros kept


def test_xlsx_formula_is_rejected_never_evaluated(base_store: Store, tmp_path: Path):
    header = CONTACTS_HEADER.split(";")
    path = _workbook(tmp_path / "contacts.xlsx", [
        header,
        ["C0001", "03/04/2017", "I0001", "F01", "=CONCATENATE(\"sup\",\"port\")",
         "professional", "housing", "CP01", "facilitator_record"],
    ])
    result = base_store.import_paths(path)
    (problem,) = result.errors
    assert (problem.row, problem.column, problem.rule) == (2, "kind",
                                                           "formula in a cell (never evaluated)")
    assert problem.value.startswith("=CONCATENATE")
    assert not result.committed


def _zip_bomb(path: Path, expanded_mb: int) -> Path:
    """An XLSX-looking archive whose sheet expands from a few KB to ``expanded_mb`` MB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"0" * 2**20
            for _ in range(expanded_mb):
                member.write(block)
    return path


def test_zip_bomb_is_refused_before_openpyxl_opens_it(base_store: Store, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    path = _zip_bomb(tmp_path / "contacts.xlsx", expanded_mb=20)
    assert path.stat().st_size < 200_000

    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)
    result = base_store.import_paths(path)
    (problem,) = result.errors
    assert "possible zip bomb" in problem.rule and not result.committed


def test_xlsx_uncompressed_size_limit(tmp_path: Path):
    path = _zip_bomb(tmp_path / "contacts.xlsx", expanded_mb=3)
    sheet = open_spreadsheet(path, limits=XlsxLimits(max_uncompressed_bytes=2 * 2**20,
                                                     max_ratio=1e9))
    assert "expands to 3 MB" in sheet.problems[0].rule


def test_not_a_zip_is_not_an_xlsx(tmp_path: Path):
    path = tmp_path / "actors.xlsx"
    shutil.copy(CORPUS / "base" / "actors.csv", path)
    assert "not a valid XLSX file" in open_spreadsheet(path).problems[0].rule


def test_ids_keep_leading_zeros(base_store: Store, tmp_path: Path):
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS_HEADER + "\n"
                    "000042;03/04/2017;I0001;F01;support;professional;housing;;survey\n",
                    encoding="utf-8")
    assert base_store.import_paths(path).ok
    assert base_store.load().interactions["interaction_id"].tolist() == ["000042"]
