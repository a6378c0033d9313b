"""The bad-input corpus: every case gives its expected problem, located as the user sees it.

Small cases are files under ``tests/io/corpus/<case>/``, their expected problems in
``corpus/expected.csv``; binary or large cases (XLSX, 100k blank lines) are generated here.
Every case is imported into a store that already holds ``corpus/base`` (actors, activities).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from genera_graph.io.registers import SHOWN_CHARS, ImportLimits
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


#: UTF-8 read as Windows-1252 or Latin-1: "Ã" then a continuation byte's character
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")


def assert_no_mojibake(store: Store) -> None:
    """No text cell of the store holds UTF-8 decoded as a one-byte encoding."""
    for name, frame in store.load().tables().items():
        for col in frame.columns:
            if frame[col].dtype.kind in "Mf":
                continue
            bad = frame[col].dropna().astype(str).str.contains(_MOJIBAKE)
            assert not bad.any(), (name, col, frame.loc[bad[bad].index, col].tolist())


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
    assert_no_mojibake(base_store)


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


# -- dates -----------------------------------------------------------------------------------

def _contacts_with_dates(path: Path, days: list[str]) -> Path:
    rows = [f"C{i:04d};{d};AS001;F01;support;professional;housing;CP01;survey"
            for i, d in enumerate(days)]
    path.write_text(CONTACTS_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_dates_at_the_edges_of_the_pandas_range_never_wrap(base_store: Store, tmp_path: Path):
    """Even with no plausibility limit, a day that nanoseconds cannot hold is a problem."""
    days = ["21/09/1677", "22/09/1677", "11/04/2262", "12/04/2262", "01/01/0001",
            "31/12/9999", "01/01/1500"]
    path = _contacts_with_dates(tmp_path / "contacts.csv", days)
    wide = ImportLimits(first_date=date(1, 1, 1), last_date=date(9999, 12, 31))
    result = base_store.import_paths(path, partial=True, limits=wide)
    assert {p.row: p.value for p in result.errors} == {
        2: "21/09/1677", 5: "12/04/2262", 6: "01/01/0001", 7: "31/12/9999", 8: "01/01/1500"}
    assert {p.rule for p in result.errors} == {
        "date outside the plausible range 22/09/1677–11/04/2262"}
    stored = base_store.load().interactions.set_index("interaction_id")["date"]
    assert {k: v.strftime("%d/%m/%Y") for k, v in stored.items()} == {
        "C0001": "22/09/1677", "C0002": "11/04/2262"}


def test_default_range_is_1900_to_a_year_after_today(base_store: Store, tmp_path: Path):
    today = date.today()
    last = today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) \
        else today + timedelta(days=365)
    days = [d.strftime("%d/%m/%Y") for d in
            (date(1899, 12, 31), date(1900, 1, 1), last, last + timedelta(days=1))]
    path = _contacts_with_dates(tmp_path / "contacts.csv", days)
    result = base_store.import_paths(path, partial=True)
    assert [(p.row, p.value) for p in result.errors] == [(2, days[0]), (5, days[3])]
    stored = base_store.load().interactions["date"].dt.strftime("%d/%m/%Y")
    assert sorted(stored) == sorted(days[1:3])  # stored exactly as read


def test_date_range_is_configurable(base_store: Store, tmp_path: Path):
    path = _contacts_with_dates(tmp_path / "contacts.csv", ["31/12/2015", "01/01/2016"])
    limits = ImportLimits(first_date=date(2016, 1, 1), last_date=date(2020, 12, 31))
    result = base_store.import_paths(path, partial=True, limits=limits)
    (problem,) = result.errors
    assert problem.row == 2 and "01/01/2016–31/12/2020" in problem.rule


# -- XLSX to the real end of the sheet --------------------------------------------------------

def _contact_rows(n: int) -> list[list]:
    return [[f"C{i:04d}", "03/04/2017", "I0001", "F01", "support", "professional", "housing",
             "CP01", "survey"] for i in range(n)]


def _rewrite_sheet(path: Path, edit) -> Path:
    """Rewrite the first sheet's XML of a workbook (as another tool would have written it)."""
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            zout.writestr(item, data)
    final = path.with_name(path.name)
    out.replace(final)
    return final


def test_xlsx_rows_written_by_openpyxl_are_all_read(base_store: Store, tmp_path: Path):
    path = _workbook(tmp_path / "contacts.xlsx", [CONTACTS_HEADER.split(";"), *_contact_rows(6)])
    result = base_store.import_paths(path)
    assert result.ok and result.files[0].rows_read == 6


def test_xlsx_with_a_stale_dimension_is_read_to_the_end(base_store: Store, tmp_path: Path):
    """LibreOffice and others leave <dimension ref> as it was: the rows after it still count."""
    path = _workbook(tmp_path / "contacts.xlsx", [CONTACTS_HEADER.split(";"), *_contact_rows(6)])
    path = _rewrite_sheet(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>',
                                                   b'<dimension ref="A1:I3"/>', xml))
    with zipfile.ZipFile(path) as zf:
        assert b'<dimension ref="A1:I3"/>' in zf.read("xl/worksheets/sheet1.xml")
    result = base_store.import_paths(path)
    assert result.ok and result.files[0].rows_read == 6
    assert len(base_store.load().interactions) == 6


def test_xlsx_trailing_empty_rows_are_not_rows(base_store: Store, tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [CONTACTS_HEADER.split(";"), *_contact_rows(4)]:
        sheet.append(row)
    for r in range(6, 40):  # formatted but empty cells below the data, as offices leave them
        sheet.cell(row=r, column=1).font = openpyxl.styles.Font(bold=True)
    book.save(tmp_path / "contacts.xlsx")
    result = base_store.import_paths(tmp_path / "contacts.xlsx")
    assert result.ok and result.files[0].rows_read == 4


# -- damaged and hostile XLSX: one line naming the file ----------------------------------------

def _good_xlsx(tmp_path: Path) -> Path:
    return _workbook(tmp_path / "contacts.xlsx", [CONTACTS_HEADER.split(";"), *_contact_rows(3)])


@pytest.mark.parametrize(("edit", "message"), [
    (lambda xml: xml[: len(xml) // 2], "its XML is damaged or cut short"),
    (lambda xml: b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     + xml.replace(b"<t>C0001</t>", b"<t>&e;</t>"), "its XML declares entities"),
    (lambda xml: b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     + xml.replace(b"<t>C0001</t>", b"<t>&b;</t>"), "its XML declares entities"),
], ids=["truncated", "xxe", "billion_laughs"])
def test_damaged_or_hostile_xlsx_is_one_clear_line(base_store: Store, tmp_path: Path, edit,
                                                   message: str, capsys):
    from genera_graph.cli import main

    path = _rewrite_sheet(_good_xlsx(tmp_path), edit)
    before = base_store.counts()
    result = base_store.import_paths(path)
    assert not result.committed and base_store.counts() == before
    (problem,) = result.errors
    assert problem.file == "contacts.xlsx" and message in problem.rule
    assert "\n" not in str(problem) and "root:" not in str(problem)
    code = main(["--store", str(base_store.url.database), "import", str(path),
                 "--report", str(tmp_path / "r.csv")])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert f"contacts.xlsx: {problem.rule}" in out


# -- limits ----------------------------------------------------------------------------------

def test_a_huge_cell_is_refused_and_echoed_cut(base_store: Store, tmp_path: Path):
    huge = "x" * (10 * 2**20)
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS_HEADER + "\n"
                    f"C0001;03/04/2017;I0001;F01;{huge};professional;housing;CP01;survey\n",
                    encoding="utf-8")
    result = base_store.import_paths(path)
    assert not result.committed
    (problem,) = result.errors
    assert (problem.row, problem.column) == (2, "kind")
    assert "limit of 10 kB (10240 characters): 10485760 characters" in problem.rule
    assert len(problem.value) < SHOWN_CHARS + 20 and len(str(problem)) < 300
    assert result.report_frame()["value"].str.len().max() < SHOWN_CHARS + 20


def test_long_values_are_cut_to_80_characters_when_echoed(base_store: Store, tmp_path: Path):
    long = "z" * 500  # under the cell limit, but not a valid kind
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS_HEADER + "\n"
                    f"C0001;03/04/2017;I0001;F01;{long};professional;housing;CP01;survey\n",
                    encoding="utf-8")
    (problem,) = base_store.import_paths(path).errors
    assert problem.value == "z" * SHOWN_CHARS + "… (500 ch)"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused(base_store: Store, tmp_path: Path, fmt: str):
    if fmt == "csv":
        path = _contacts_with_dates(tmp_path / "contacts.csv", ["03/04/2017"] * 6)
    else:
        path = _workbook(tmp_path / "contacts.xlsx",
                         [CONTACTS_HEADER.split(";"), *_contact_rows(6)])
    result = base_store.import_paths(path, limits=ImportLimits(max_rows=5))
    assert not result.committed
    assert [p.rule for p in result.errors] == [
        "more than 5 rows (the limit per file): split the file"]
    assert base_store.import_paths(path, limits=ImportLimits(max_rows=6)).ok


# -- Italian numbers (Babel, strict) ---------------------------------------------------------

def test_italian_amounts_are_read_by_babel(base_store: Store, tmp_path: Path):
    header = ("activity_id;kind;programme;community_point_id;title;start_date;end_date;"
              "funding_eur;partner_id\n")
    rows = [("A003", "2.000"), ("A004", "1.500"), ("A005", "1.234,50"), ("A006", "9.500"),
            ("A007", "1500,5"), ("A008", "12.5"), ("A009", "1.2.3"), ("A010", "12 euro")]
    lines = [f"{a};idea_project;ideas;CP01;Idea {a};01/03/2017;;{v};" for a, v in rows]
    path = tmp_path / "activities.csv"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    result = base_store.import_paths(path, partial=True)
    assert {p.row: p.value for p in result.errors} == {7: "12.5", 8: "1.2.3", 9: "12 euro"}
    assert {p.row: p.rule.split(" (")[0] for p in result.errors} == {
        7: "not a number written the Italian way", 8: "not a number written the Italian way",
        9: "not a number"}
    funding = base_store.load().activities.set_index("activity_id")["funding_eur"]
    assert funding[["A003", "A004", "A005", "A006", "A007"]].tolist() == [
        2000.0, 1500.0, 1234.5, 9500.0, 1500.5]


def test_xlsx_number_cells_are_read_as_numbers(base_store: Store, tmp_path: Path):
    header = ["activity_id", "kind", "programme", "community_point_id", "title", "start_date",
              "end_date", "funding_eur", "partner_id"]
    path = _workbook(tmp_path / "activities.xlsx", [
        header,
        ["A003", "idea_project", "ideas", "CP01", "Uno", "01/03/2017", None, 1500.5, None],
        ["A004", "idea_project", "ideas", "CP01", "Due", "01/03/2017", None, 9500, None],
        ["A005", "idea_project", "ideas", "CP01", "Tre", "01/03/2017", None, "1.234,50", None],
    ])
    assert base_store.import_paths(path).ok
    funding = base_store.load().activities.set_index("activity_id")["funding_eur"]
    assert funding[["A003", "A004", "A005"]].tolist() == [1500.5, 9500.0, 1234.5]


def test_nothing_is_dated_before_a_persons_programme_start(base_store: Store):
    """Only the rows before ``first_met`` are problems (the day itself is fine), naming the
    event's row and the actor's; with ``partial=True`` the others are written."""
    result = base_store.import_paths(CORPUS / "before_programme_start", partial=True)
    early = {(p.file, p.row) for p in result.errors}
    assert early == {("contacts.csv", 2), ("contacts.csv", 4), ("attendance.csv", 2),
                     ("housing.csv", 2)}
    dataset = base_store.load()
    assert dataset.interactions["interaction_id"].tolist() == ["C0002"]
    assert "I0002" in set(dataset.actors["actor_id"])
    assert dataset.participations.empty
    # an association's membership may be older than the programme: not a problem
    assert dataset.relations["relation_id"].tolist() == ["R0002"]
    # the same rule for a record written one at a time (the workbench's path)
    from genera_graph.io.importer import validate_rows
    from genera_graph.io.registers import register_for

    raw = pd.DataFrame([["C0009", "31/08/2016", "I0002", "F01", "support", "professional",
                         "housing", "CP01", "facilitator_record"]],
                       columns=CONTACTS_HEADER.split(";"), index=[2])
    with base_store.read_transaction() as conn:
        typed, problems = validate_rows(conn, register_for("contacts.csv"), raw, file="form")
    assert typed.empty and [p.rule for p in problems] == [
        "dated before the programme met individual I0002 (first_met 01/09/2016: in the store)"]
