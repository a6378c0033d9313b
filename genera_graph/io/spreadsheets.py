"""Spreadsheet files as Italian offices export them, read safely and in chunks.

A register arrives as a CSV file (``;`` or ``,``, sniffed from the header row; UTF-8 with or
without a byte-order mark, or Windows-1252 with a warning) or as an XLSX workbook (first sheet).
Every cell is read as text, so ids keep their leading zeros; dates stay ``dd/mm/yyyy`` text for
:func:`~genera_graph.io.registers.parse_register_frame` to check.

Rows are numbered as the user sees them in a spreadsheet (the header is row 1); blank rows are
skipped but still counted, so the numbers stay true after them. A cell holding a formula
(``=...``) is never evaluated: it is reported as a problem.

XLSX files are checked with :mod:`zipfile` *before* :mod:`openpyxl` opens them (file size,
uncompressed size, compression ratio, number of members: zip bombs), and openpyxl parses XML
through ``defusedxml``.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = folder / "attendance.csv"
>>> _ = path.write_bytes("activity_id,actor_id,date,role,source\\nA1,007,03/04/2017,"
...     "participant,survey\\n".encode("utf-8-sig"))
>>> sheet = open_spreadsheet(path)
>>> sheet.delimiter, sheet.encoding
(',', 'utf-8-sig')
>>> chunk, problems = next(sheet.chunks())
>>> chunk.loc[2, "actor_id"], problems
('007', [])
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from genera_graph.io.formulas import restore_series
from genera_graph.io.registers import DATE_FORMAT, FIRST_DATA_ROW, ImportLimits, Problem

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "SPREADSHEET_SUFFIXES",
    "XlsxLimits",
    "Spreadsheet",
    "open_spreadsheet",
]

#: rows per chunk when streaming a file
DEFAULT_CHUNK_ROWS = 100_000
#: file suffixes read as spreadsheets
SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
_DELIMITERS = (";", ",", "\t")
_BLOCK = 1 << 20
_SKIPPED_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


@dataclass(frozen=True)
class XlsxLimits:
    """Limits an XLSX file must respect before it is opened (defence against zip bombs).

    Attributes
    ----------
    max_file_bytes : int
        Size of the file on disk.
    max_uncompressed_bytes : int
        Sum of the uncompressed sizes of its members.
    max_ratio : float
        Largest uncompressed/compressed ratio of a member larger than ``ratio_floor_bytes``
        (Apache POI refuses beyond 100).
    ratio_floor_bytes : int
        Members smaller than this are not ratio-checked (tiny XML parts compress very well).
    max_members : int
        Number of members of the archive.
    """

    max_file_bytes: int = 50 * 2**20
    max_uncompressed_bytes: int = 500 * 2**20
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 2**20
    max_members: int = 1_000


@dataclass
class Spreadsheet:
    """One register file, inspected: its hash, encoding, delimiter, header and file problems.

    Create it with :func:`open_spreadsheet`; stream its rows with :meth:`chunks`.

    Attributes
    ----------
    path : Path
    name : str
        The file name used in problems.
    sha256 : str
        Hash of the file's bytes (an import of the same content is a no-op).
    fmt : str
        ``"csv"`` or ``"xlsx"``.
    encoding, delimiter : str or None
        For CSV files.
    header : list of str
        The column names of row 1, stripped.
    problems : list of Problem
        Whole-file problems: errors (the file cannot be read) and warnings.
    """

    path: Path
    name: str
    sha256: str
    fmt: str
    encoding: str | None = None
    delimiter: str | None = None
    header: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: cell size and rows per file
    import_limits: ImportLimits = field(default_factory=ImportLimits)

    @property
    def readable(self) -> bool:
        """Whether the rows can be read (no whole-file error)."""
        return not any(p.severity == "error" for p in self.problems)

    def chunks(self, chunk_rows: int = DEFAULT_CHUNK_ROWS
               ) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
        """Stream the data rows as text frames indexed by spreadsheet row.

        Blank rows are dropped; a formula cell is reported (rule ``"formula in a cell"``) and
        blanked, and so is a cell longer than ``import_limits.max_cell_chars``. A CSV cell
        that genera neutralised against formulas (``'=x``) gets its text back
        (:func:`~genera_graph.io.formulas.restore_text`). Cells are
        ``str`` with missing cells as ``""``. Rows past ``import_limits.max_rows`` are not
        read (a whole-file error says so). A damaged XLSX sheet ends the rows with a
        whole-file error.

        Yields
        ------
        frame : DataFrame
            Up to ``chunk_rows`` non-blank rows, columns as in the header.
        problems : list of Problem
            Row problems found while reading the chunk (rows too long, formulas).
        """
        if not self.readable:
            return
        reader = self._csv_chunks if self.fmt == "csv" else self._xlsx_chunks
        for frame, problems in reader(chunk_rows):
            frame, problems = _finish_chunk(frame, problems, self.name,
                                            self.import_limits.max_cell_chars)
            if self.fmt == "csv":  # undo the formula guard of the CSVs genera writes
                frame = pd.DataFrame({c: restore_series(frame[c]) for c in frame.columns},
                                     index=frame.index, columns=frame.columns)
            yield frame, problems

    def _csv_chunks(self, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
        skipped: dict[int, str] = {}
        next_line = FIRST_DATA_ROW
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            # cells as Arrow strings: pandas' C parser then builds no Python string objects
            # (7-10x faster than dtype=str on a large register); cast to "str" per chunk
            reader = pd.read_csv(
                self.path, sep=self.delimiter, header=0, names=self.header,
                dtype=pd.ArrowDtype(pa.string()),
                keep_default_na=False, na_filter=False, skip_blank_lines=False,
                on_bad_lines="warn", chunksize=chunk_rows, index_col=False,
                encoding=self.encoding, engine="c", quoting=csv.QUOTE_MINIMAL,
            )
            with reader:
                for frame in reader:
                    problems = []
                    for warning in caught:
                        for m in _SKIPPED_LINE.finditer(str(warning.message)):
                            line = int(m.group(1))
                            skipped[line] = f"expected {m.group(2)} cells, found {m.group(3)}"
                            problems.append(Problem(
                                self.name, line, None,
                                f"more cells than columns in the header ({skipped[line]})"))
                    caught.clear()
                    # spreadsheet rows: the next physical lines that were not skipped
                    lines = np.arange(next_line, next_line + len(frame) + len(skipped) + 1)
                    if skipped:
                        lines = lines[~np.isin(lines, np.fromiter(skipped, dtype=np.int64))]
                    lines = lines[: len(frame)]
                    next_line = int(lines[-1]) + 1 if len(lines) else next_line
                    frame = frame.astype("str")
                    frame.index = pd.Index(lines, dtype=np.int64)
                    yield frame, problems

    def _xlsx_chunks(self, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, list[Problem]]]:
        import openpyxl

        book = openpyxl.load_workbook(self.path, read_only=True, data_only=False,
                                      keep_links=False)
        try:
            sheet = book.worksheets[0]
            # the rows to the real end of the sheet: a read-only sheet otherwise stops where its
            # <dimension> says, which many tools leave stale
            sheet.reset_dimensions()
            rows = sheet.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)
            width = len(self.header)
            last = self.import_limits.max_rows + 1  # the header is row 1
            buffer: list[list[str]] = []
            numbers: list[int] = []
            number = FIRST_DATA_ROW - 1
            while True:
                try:
                    values = next(rows, None)
                except Exception as exc:  # noqa: BLE001 - any parser error: a damaged file
                    if buffer:
                        yield _frame(buffer, numbers, self.header), []
                        buffer, numbers = [], []
                    yield _frame([], [], self.header), [Problem(
                        self.name, None, None,
                        f"{_xlsx_error(exc)}: rows after row {number} were not read")]
                    return
                if values is None:
                    break
                number += 1
                if number > last:
                    if buffer:
                        yield _frame(buffer, numbers, self.header), []
                        buffer, numbers = [], []
                    yield _frame([], [], self.header), [_too_many_rows(self)]
                    return
                cells = [_cell_text(v) for v in values[:width]]
                if len(cells) < width:
                    cells.extend([""] * (width - len(cells)))
                buffer.append(cells)
                numbers.append(number)
                if len(buffer) >= chunk_rows:
                    yield _frame(buffer, numbers, self.header), []
                    buffer, numbers = [], []
            if buffer:
                yield _frame(buffer, numbers, self.header), []
        finally:
            book.close()


def _too_many_rows(sheet: Spreadsheet) -> Problem:
    limit = sheet.import_limits.max_rows
    return Problem(sheet.name, None, None,
                   f"more than {limit} rows (the limit per file): split the file")


def _xlsx_error(exc: BaseException) -> str:
    """One line for an exception raised while parsing a workbook's XML."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    for item in chain:
        if type(item).__module__.startswith("defusedxml"):
            return ("not a readable XLSX workbook: its XML declares entities (refused: that is "
                    "how XXE and 'billion laughs' attacks work)")
    for item in chain:
        if type(item).__name__ in ("ParseError", "XMLSyntaxError", "ExpatError"):
            detail = str(item).splitlines()[0][:80] if str(item) else ""
            return f"not a readable XLSX workbook: its XML is damaged or cut short ({detail})"
    first = str(chain[-1]).splitlines()[0][:80] if str(chain[-1]) else ""
    return f"not a readable XLSX workbook ({type(chain[-1]).__name__}: {first})"


def _frame(rows: list[list[str]], numbers: list[int], header: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    frame.index = pd.Index(numbers, dtype=np.int64)
    return frame


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):  # a number cell: written the Italian way, as registers are
        return np.format_float_positional(value, unique=True, trim="-").replace(".", ",")
    return str(value)


def _finish_chunk(frame: pd.DataFrame, problems: list[Problem], name: str,
                  max_cell_chars: int) -> tuple[pd.DataFrame, list[Problem]]:
    stripped = {c: frame[c].str.strip() for c in frame.columns}
    blank = np.ones(len(frame), dtype=bool)
    for cells in stripped.values():
        blank &= (cells == "").to_numpy(dtype=bool, na_value=True)
    if blank.any():
        frame = frame.loc[~blank]
    for col in frame.columns:
        lengths = frame[col].str.len().to_numpy(dtype=np.int64, na_value=0)
        long = lengths > max_cell_chars
        if long.any():
            rows = frame.index[long]
            limit = (f"{max_cell_chars // 1024} kB ({max_cell_chars} characters)"
                     if max_cell_chars % 1024 == 0 else f"{max_cell_chars} characters")
            problems.extend(Problem(
                name, int(r), col, f"cell longer than the limit of {limit}: {n} characters",
                frame.at[r, col]) for r, n in zip(rows, lengths[long],
                                                                     strict=True))
            frame.loc[rows, col] = ""
        formula = frame[col].str.lstrip().str.startswith("=").to_numpy(dtype=bool,
                                                                          na_value=False)
        if formula.any():
            rows = frame.index[formula]
            problems.extend(Problem(name, int(r), col, "formula in a cell (never evaluated)",
                                    frame.at[r, col]) for r in rows)
            frame.loc[rows, col] = ""
    return frame, problems


def open_spreadsheet(path: str | os.PathLike, *, limits: XlsxLimits = XlsxLimits(),
                     import_limits: ImportLimits | None = None) -> Spreadsheet:
    """Inspect a register file: hash its bytes, find its format, encoding, delimiter, header.

    Nothing is raised for a bad file: whole-file problems are in ``Spreadsheet.problems`` (an
    empty file, an undecidable delimiter, a duplicate column, a zip bomb, ...).

    Parameters
    ----------
    path : path-like
        A ``.csv`` or ``.xlsx`` file.
    limits : XlsxLimits
        Limits checked before an XLSX file is opened.
    import_limits : ImportLimits, optional
        Cell size and rows per file (default :class:`~genera_graph.io.registers.ImportLimits`).

    Returns
    -------
    Spreadsheet

    Notes
    -----
    The file is read once to hash it and to decide its encoding with evidence, line by line:
    UTF-8 (with or without a byte-order mark) when every line decodes as UTF-8; Windows-1252
    (the encoding Excel uses on Italian Windows), with a warning, when no line with accents
    does; a file mixing both is refused, naming the first row that differs (reading it
    either way would store mojibake such as ``NiccolÃ²``). O(size) time, O(1) memory.
    """
    path = Path(path)
    name = path.name
    fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    digest = hashlib.sha256()
    evidence = _Encoding()
    size = 0
    carry = b""
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            size += len(block)
            digest.update(block)
            if fmt != "csv":
                continue
            data = carry + block
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            carry = data[cut + 1:]
            evidence.scan(data[:cut + 1])
    if fmt == "csv" and carry:
        evidence.scan(carry + b"\n")
    lines = evidence.lines
    sheet = Spreadsheet(path=path, name=name, sha256=digest.hexdigest(), fmt=fmt,
                        import_limits=import_limits or ImportLimits())
    if fmt == "csv" and lines > sheet.import_limits.max_rows + 1:  # + 1: the header
        sheet.problems.append(_too_many_rows(sheet))
        return sheet
    if fmt == "csv" and evidence.first_utf8 and evidence.first_other:
        sheet.problems.append(evidence.mixed_problem(name))
        return sheet
    utf8 = not evidence.first_other
    if size == 0:
        sheet.problems.append(Problem(name, None, None, "the file is empty"))
        return sheet
    if fmt == "xlsx":
        _inspect_xlsx(sheet, size, limits)
    else:
        _inspect_csv(sheet, utf8)
    if sheet.readable:
        _check_header(sheet)
    return sheet


class _Encoding:
    """Evidence of a CSV file's encoding, line by line: which lines are UTF-8, which are not.

    Pure-ASCII blocks are skipped at C speed; the lines of other blocks are decoded one by one.
    """

    def __init__(self) -> None:
        self.lines = 0  # whole lines scanned so far
        self.first_utf8: int | None = None  # first line with non-ASCII text valid as UTF-8
        self.first_other: int | None = None  # first line that is not valid UTF-8

    def scan(self, data: bytes) -> None:
        """Scan whole lines (``data`` ends with a newline)."""
        if not data.isascii() and not (self.first_utf8 and self.first_other):
            for offset, line in enumerate(data.split(b"\n")[:-1], start=self.lines + 1):
                if line.isascii():
                    continue
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    self.first_other = self.first_other or offset
                else:
                    self.first_utf8 = self.first_utf8 or offset
        self.lines += data.count(b"\n")

    def mixed_problem(self, name: str) -> Problem:
        if self.first_utf8 < self.first_other:
            row, rule = self.first_other, (
                f"the file mixes encodings: row {self.first_utf8} is UTF-8, this row is not "
                "(Windows-1252?): nothing read; save the whole file as 'CSV UTF-8'")
        else:
            row, rule = self.first_utf8, (
                f"the file mixes encodings: row {self.first_other} is not UTF-8 "
                "(Windows-1252?), this row is: nothing read; save the whole file as "
                "'CSV UTF-8'")
        return Problem(name, row, None, rule)


def _inspect_csv(sheet: Spreadsheet, utf8: bool) -> None:
    if utf8:
        sheet.encoding = "utf-8-sig"
    else:
        sheet.encoding = "cp1252"
        sheet.problems.append(Problem(
            sheet.name, None, None,
            "not UTF-8: read as Windows-1252 (cp1252); check accented letters, or save the file "
            "as 'CSV UTF-8'", severity="warning"))
    first, number = "", 0
    with sheet.path.open(encoding=sheet.encoding, newline="") as handle:
        for number, line in enumerate(handle, start=1):  # noqa: B007 - number used below
            if line.strip():
                first = line
                break
    if not first.strip():
        sheet.problems.append(Problem(sheet.name, None, None, "the file is empty"))
        return
    if number != 1:
        sheet.problems.append(Problem(sheet.name, number, None,
                                      "the header must be on row 1 (blank rows above it)"))
        return
    counts = {d: first.count(d) for d in _DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        sheet.problems.append(Problem(
            sheet.name, 1, None,
            "cannot tell the column separator: the header row has no ';' or ',' (save the file "
            "as CSV separated by ';' or ',')"))
        return
    sheet.delimiter = delimiter
    sheet.header = next(csv.reader(io.StringIO(first), delimiter=delimiter))


def _inspect_xlsx(sheet: Spreadsheet, size: int, limits: XlsxLimits) -> None:
    def refuse(rule: str) -> None:
        sheet.problems.append(Problem(sheet.name, None, None, rule))

    if size > limits.max_file_bytes:
        refuse(f"XLSX file larger than {limits.max_file_bytes // 2**20} MB: not opened")
        return
    if not zipfile.is_zipfile(sheet.path):
        refuse("not a valid XLSX file (not a zip archive)")
        return
    try:
        with zipfile.ZipFile(sheet.path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        refuse("not a valid XLSX file (damaged zip archive)")
        return
    if len(infos) > limits.max_members:
        refuse(f"XLSX archive with {len(infos)} parts (limit {limits.max_members}): not opened")
        return
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        refuse(f"XLSX expands to {total // 2**20} MB (limit "
               f"{limits.max_uncompressed_bytes // 2**20} MB): possible zip bomb, not opened")
        return
    for info in infos:
        if info.file_size < limits.ratio_floor_bytes:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            refuse(f"XLSX part compressed {ratio:.0f} times (limit {limits.max_ratio:.0f}): "
                   "possible zip bomb, not opened")
            return
    try:
        import openpyxl
        import openpyxl.xml
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        refuse("reading XLSX needs openpyxl and defusedxml: pip install openpyxl defusedxml")
        return
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        refuse("reading XLSX safely needs defusedxml: pip install defusedxml")
        return
    try:
        book = openpyxl.load_workbook(sheet.path, read_only=True, data_only=False,
                                      keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        refuse(_xlsx_error(exc))
        return
    try:
        if not book.worksheets:
            refuse("the workbook has no sheet")
            return
        book.worksheets[0].reset_dimensions()
        first = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), None)
    except Exception as exc:  # noqa: BLE001 - a damaged sheet
        refuse(_xlsx_error(exc))
        return
    finally:
        book.close()
    if first is None or all(v is None for v in first):
        refuse("the file is empty")
        return
    header = [_cell_text(v) for v in first]
    while header and not header[-1].strip():
        header.pop()
    sheet.header = header


def _check_header(sheet: Spreadsheet) -> None:
    header = [h.strip().lstrip("\ufeff").strip() for h in sheet.header]
    for i, name in enumerate(header):
        if not name:
            header[i] = f"_unnamed_{i + 1}"
            sheet.problems.append(Problem(sheet.name, 1, None, f"column {i + 1} has no name: "
                                          "ignored", severity="warning"))
    sheet.header = header
    seen: set[str] = set()
    for name in header:
        if name in seen:
            sheet.problems.append(Problem(sheet.name, 1, name, "duplicate column in the header"))
        seen.add(name)
