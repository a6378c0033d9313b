"""The register files: the spreadsheets a coordinator keeps, read and written.

One file per register, CSV with ``;``, UTF-8, dates ``dd/mm/yyyy``, ids as text. Each register
feeds one table of the :class:`~genera_graph.model.Dataset`; the relations table is kept in three
registers by kind (housing, placements, memberships).

Every problem found while reading is reported with the file, the row number as the user sees it
in a spreadsheet (the header is row 1), the column, the rule and the offending value.

Examples
--------
>>> [r.file for r in REGISTERS][:3]
['actors.csv', 'households.csv', 'activities.csv']
>>> register_for("contacts.csv").table
'interactions'
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa

from genera_graph.io.formulas import neutralise_series, restore_series
from genera_graph.model import TABLE_SCHEMAS, Dataset, RelationKind

__all__ = [
    "DATE_FORMAT",
    "FIRST_DATA_ROW",
    "ImportLimits",
    "NANOSECOND_DAYS",
    "NUL_RULE",
    "SHOWN_CHARS",
    "format_number",
    "REGISTERS",
    "Problem",
    "Register",
    "RegisterError",
    "format_register_frame",
    "parse_dates",
    "parse_register_frame",
    "read_register",
    "read_registers",
    "register_for",
    "write_registers",
]

DATE_FORMAT = "%d/%m/%Y"
_DATE_RE = r"^\d{1,2}/\d{1,2}/\d{4}$"
#: spreadsheet row of the first data row (the header is row 1)
FIRST_DATA_ROW = 2

#: the problem of a cell holding a NUL character (a damaged file, or not a text export)
NUL_RULE = "a NUL character in the cell: the file is damaged or not a text export"

#: a value echoed in a problem (terminal, report) is cut to this many characters
SHOWN_CHARS = 80
#: the first and last days a ``datetime64[ns]`` column can hold (pandas' Timestamp range)
NANOSECOND_DAYS = (date(1677, 9, 22), date(2262, 4, 11))


@dataclass(frozen=True)
class ImportLimits:
    """What an import accepts: plausible dates, cell size, rows per file.

    Attributes
    ----------
    first_date : date
        The earliest plausible date (default 01/01/1900).
    last_date : date, optional
        The latest plausible date; ``None`` (default): one year after today. Either bound is
        kept within :data:`NANOSECOND_DAYS`, the days the tables can hold.
    max_cell_chars : int
        The longest cell, in characters (default 10 kB: 10240).
    max_rows : int
        The most rows one file may have (lines of a CSV, rows of a sheet).

    Examples
    --------
    >>> limits = ImportLimits(last_date=date(2030, 12, 31))
    >>> limits.date_range_text()
    '01/01/1900–31/12/2030'
    >>> ImportLimits(first_date=date(1, 1, 1), last_date=date(9999, 12, 31)).date_range_text()
    '22/09/1677–11/04/2262'
    """

    first_date: date = date(1900, 1, 1)
    last_date: date | None = None
    max_cell_chars: int = 10 * 1024
    max_rows: int = 5_000_000

    def date_bounds(self) -> tuple[date, date]:
        """(first, last) plausible dates, ``last`` resolved against today."""
        last = self.last_date
        if last is None:
            today = date.today()
            try:
                last = today.replace(year=today.year + 1)
            except ValueError:  # 29 February
                last = today + timedelta(days=365)
        return max(self.first_date, NANOSECOND_DAYS[0]), min(last, NANOSECOND_DAYS[1])

    def date_range_text(self) -> str:
        first, last = self.date_bounds()
        return f"{first.strftime(DATE_FORMAT)}–{last.strftime(DATE_FORMAT)}"


def shown(value: str | None) -> str | None:
    """A value as echoed in a problem: cut to :data:`SHOWN_CHARS` characters.

    >>> shown("x" * 100)[-12:], len(shown("x" * 100))
    ('xx… (100 ch)', 90)
    """
    if value is None or len(value) <= SHOWN_CHARS:
        return value
    return f"{value[:SHOWN_CHARS]}… ({len(value)} ch)"


@dataclass(frozen=True)
class Register:
    """One register file and the table it feeds.

    Attributes
    ----------
    file : str
        File name inside a register folder.
    table : str
        The :class:`~genera_graph.model.Dataset` table it feeds.
    key : tuple of str
        The natural key: rows with the same key are the same record (used to upsert).
    kinds : tuple of str, optional
        For the relations registers, the relation kinds the register holds.
    locale : str
        The locale its amounts and counts are written in (read by Babel: ``it_IT`` reads
        ``9.500`` as 9500 and ``1.234,50`` as 1234.5).
    """

    file: str
    table: str
    key: tuple[str, ...]
    kinds: tuple[str, ...] | None = None
    locale: str = "it_IT"

    @property
    def stem(self) -> str:
        return self.file.rsplit(".", 1)[0]

    @property
    def columns(self) -> list[str]:
        """The columns, in file order (the schema's declaration order)."""
        return list(TABLE_SCHEMAS[self.table].to_schema().columns)

    @property
    def required_columns(self) -> list[str]:
        schema = TABLE_SCHEMAS[self.table].to_schema()
        return [name for name, col in schema.columns.items() if col.required]

    @property
    def date_columns(self) -> list[str]:
        schema = TABLE_SCHEMAS[self.table].to_schema()
        return [n for n, c in schema.columns.items() if "datetime" in str(c.dtype)]

    @property
    def float_columns(self) -> list[str]:
        schema = TABLE_SCHEMAS[self.table].to_schema()
        return [n for n, c in schema.columns.items() if "float" in str(c.dtype)]


REGISTERS: tuple[Register, ...] = (
    Register("actors.csv", "actors", ("actor_id",)),
    Register("households.csv", "household_members", ("household_id", "individual_id", "start_date")),
    Register("activities.csv", "activities", ("activity_id",)),
    Register("attendance.csv", "participations", ("activity_id", "actor_id", "date")),
    Register("contacts.csv", "interactions", ("interaction_id",)),
    Register(
        "housing.csv",
        "relations",
        ("relation_id",),
        (RelationKind.LEASE.value, RelationKind.COHABITATION.value,
         RelationKind.CONDOMINIUM_RESIDENCE.value),
    ),
    Register(
        "placements.csv",
        "relations",
        ("relation_id",),
        (RelationKind.APPRENTICESHIP.value, RelationKind.SCHOOL_WORK_PLACEMENT.value),
    ),
    Register("memberships.csv", "relations", ("relation_id",), (RelationKind.MEMBERSHIP.value,)),
)


def register_for(file_name: str | os.PathLike) -> Register:
    """The register a file name belongs to (by its stem, any extension).

    Raises
    ------
    KeyError
        If the name is not a known register.
    """
    stem = Path(file_name).name.rsplit(".", 1)[0].lower()
    for reg in REGISTERS:
        if reg.stem == stem:
            return reg
    known = ", ".join(r.file for r in REGISTERS)
    raise KeyError(f"{Path(file_name).name}: not a known register (expected one of {known})")


@dataclass(frozen=True)
class Problem:
    """One problem in a register file, located as the user sees it."""

    file: str
    row: int | None  # spreadsheet row (header = 1); None for a whole-file problem
    column: str | None
    rule: str
    value: str | None = None
    #: ``"error"`` (the row or file is not imported) or ``"warning"`` (imported, but look)
    severity: str = "error"

    def __post_init__(self) -> None:
        # a value is echoed to the terminal and the report: never whole when it is long
        object.__setattr__(self, "value", shown(self.value))

    def __str__(self) -> str:
        where = self.file if self.severity == "error" else f"warning: {self.file}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.rule}"
        if self.value is not None:
            text += f" (value: {self.value!r})"
        return text


class RegisterError(ValueError):
    """Raised when register files have problems; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        head = "\n".join(f"  - {p}" for p in self.problems[:20])
        more = len(self.problems) - 20
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the registers:\n{head}{tail}")

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table (file, row, column, rule, value), e.g. for a CSV report."""
        return pd.DataFrame(
            [(p.file, p.row, p.column, p.rule, p.value, p.severity) for p in self.problems],
            columns=["file", "row", "column", "rule", "value", "severity"],
        )


def parse_register_frame(
    raw: pd.DataFrame, register: Register, *, file: str | None = None,
    first_row: int | None = FIRST_DATA_ROW, check_unique: bool = True,
    limits: ImportLimits | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn the text cells of a register into a typed, validated table.

    Parameters
    ----------
    raw : DataFrame
        Every cell as text (missing cells as empty strings or missing), columns as in the file.
    register : Register
        The register the frame comes from.
    file : str, optional
        The file name used in problems (default: the register's file).
    first_row : int or None
        Spreadsheet row number of ``raw``'s first row (2 when the header is row 1); ``None``
        keeps ``raw``'s own index as the row numbers (e.g. a chunk of a streamed file).
    check_unique : bool
        Check the schema's unique columns (off when the caller checks duplicates across the
        chunks of a streamed file).
    limits : ImportLimits, optional
        The plausible dates (default :class:`ImportLimits`).

    Returns
    -------
    frame : DataFrame
        The valid rows, typed (dates as ``datetime64``), indexed by their spreadsheet row.
    problems : list of Problem
        Every problem found; rows with a problem are left out of ``frame``.

    Examples
    --------
    >>> raw = pd.DataFrame({"activity_id": ["A1", "A2"], "actor_id": ["I01", "I02"],
    ...     "date": ["01/06/2016", "31/02/2017"], "role": ["participant"] * 2,
    ...     "source": ["attendance_sheet"] * 2})
    >>> frame, problems = parse_register_frame(raw, register_for("attendance.csv"))
    >>> len(frame), str(problems[0])
    (1, "attendance.csv, row 3, column 'date': not a valid date dd/mm/yyyy (value: '31/02/2017')")
    """
    file = file or register.file
    problems: list[Problem] = []
    raw = raw.copy()
    raw.columns = [str(c).strip() for c in raw.columns]
    dup = raw.columns[raw.columns.duplicated()].unique()
    for col in dup:
        problems.append(Problem(file, 1, col, "duplicate column in the header"))
    missing = [c for c in register.required_columns if c not in raw.columns]
    for col in missing:
        problems.append(Problem(file, 1, col, "required column missing from the header"))
    if problems:
        return _empty_typed(register), problems

    raw = raw[[c for c in register.columns if c in raw.columns]]
    if first_row is not None:
        raw.index = pd.RangeIndex(first_row, first_row + len(raw))
    text = pd.DataFrame({col: _clean_text(raw[col]) for col in raw.columns}, index=raw.index)

    typed = text.copy()
    bad_rows: set[int] = set()
    for col in text.columns:  # no text store keeps a NUL intact (SQLite's JSON cuts at it)
        nul = text[col].str.contains("\x00", regex=False, na=False).to_numpy(dtype=bool)
        for row in text.index[nul]:
            problems.append(Problem(file, int(row), col, NUL_RULE,
                                    text.at[row, col].replace("\x00", "\\x00")))
            bad_rows.add(int(row))
    limits = limits or ImportLimits()
    bounds = limits.date_bounds()
    for col in register.date_columns:
        if col not in text:
            continue
        cells = text[col]
        present = cells.notna()
        parsed, implausible = _parse_dates(cells, bounds)
        outside = f"date outside the plausible range {limits.date_range_text()}"
        for row in cells.index[present & parsed.isna()]:
            rule = outside if implausible[row] else "not a valid date dd/mm/yyyy"
            problems.append(Problem(file, int(row), col, rule, cells[row]))
            bad_rows.add(int(row))
        typed[col] = parsed
    for col in register.float_columns:
        if col not in text:
            continue
        cells = text[col]
        numbers, rules = _parse_numbers(cells, register.locale)
        for row in cells.index[cells.notna() & numbers.isna()]:
            problems.append(Problem(file, int(row), col, rules[row], cells[row]))
            bad_rows.add(int(row))
        typed[col] = numbers
    if register.kinds is not None and "kind" in typed:
        wrong = typed["kind"].notna() & ~typed["kind"].isin(register.kinds)
        for row in typed.index[wrong]:
            problems.append(Problem(file, int(row), "kind",
                                    f"kind not kept in this register (expected one of "
                                    f"{', '.join(register.kinds)})", typed.at[row, "kind"]))
            bad_rows.add(int(row))

    schema = _schema(register.table, check_unique)
    try:
        valid = schema.validate(typed, lazy=True)
    except pa_errors.SchemaErrors as exc:
        # a cell that could not be parsed is already reported: not again as "missing"
        parsed_bad = {(p.row, p.column) for p in problems}
        for prob in _pandera_problems(exc.failure_cases, file, typed):
            if (prob.row, prob.column) in parsed_bad:
                continue
            problems.append(prob)
            if prob.row is not None:
                bad_rows.add(prob.row)
        valid = typed.drop(index=sorted(bad_rows & set(typed.index)))
        valid = schema.validate(valid) if len(valid) else _empty_typed(register)
    else:
        if bad_rows:
            valid = valid.drop(index=sorted(bad_rows & set(valid.index)))
    if not len(valid):
        empty = _empty_typed(register)
        valid = schema.validate(empty) if len(empty.columns) else empty
    return valid, problems


def format_number(value: float | None, lang: str = "it", digits: int | None = None) -> str:
    """A number as the language writes it: :func:`genera_graph.l10n.format_number` (Babel).

    Kept here so that older imports keep working; new code imports it from
    :mod:`genera_graph.l10n`. A missing value is ``–``.

    >>> format_number(0.4197896, "it", 3), format_number(0.4197896, "en", 3)
    ('0,420', '0.420')
    >>> format_number(12345.5, "it"), format_number(12345.5, "en"), format_number(None)
    ('12.345,5', '12,345.5', '–')
    """
    from genera_graph.l10n import format_number as _l10n_format_number

    return _l10n_format_number(value, lang, digits)


def parse_dates(cells: pd.Series, limits: ImportLimits | None = None
                ) -> tuple[pd.Series, pd.Series]:
    """``dd/mm/yyyy`` text to ``datetime64[ns]`` within the plausible range of ``limits``.

    Returns the days (``NaT`` where missing, not a real date, or implausible) and which cells
    are real dates outside the range (see :class:`ImportLimits`).

    >>> days, implausible = parse_dates(pd.Series(["03/04/2017", "01/01/1500", "31/02/2017"]))
    >>> days.dt.strftime("%d/%m/%Y").tolist(), implausible.tolist()
    (['03/04/2017', nan, nan], [False, True, False])
    """
    return _parse_dates(cells, (limits or ImportLimits()).date_bounds())


def _parse_dates(cells: pd.Series, bounds: tuple[date, date]
                 ) -> tuple[pd.Series, pd.Series]:
    """``dd/mm/yyyy`` text to ``datetime64[ns]``, and where a real date is implausible.

    A date is kept only if it is real and within ``bounds`` (inclusive): every other cell is
    ``NaT``, and the second series says which of them are real dates outside the bounds. The
    bounds are checked on the parsed day before any conversion to nanoseconds, so no date
    (01/01/1500, 31/12/9999) can overflow and wrap into another one.

    A register holds few distinct days: each distinct text is parsed once (O(n) factorize,
    then O(distinct) parsing), several times faster than parsing every cell.
    """
    codes, uniques = pd.factorize(cells)  # missing cells get code -1
    texts = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    shaped = texts.str.match(_DATE_RE, na=False).astype(bool)
    # parsed at the resolution of seconds: every year 1..9999 fits (nanoseconds stop at 2262)
    days = pd.to_datetime(texts.where(shaped), format=DATE_FORMAT, errors="coerce"
                          ).astype("datetime64[s]")
    first, last = (np.datetime64(d.isoformat(), "s") for d in bounds)
    values = days.to_numpy(dtype="datetime64[s]")
    real = ~np.isnat(values)
    inside = real & (values >= first) & (values <= last)
    kept = np.where(inside, values, np.datetime64("NaT", "s")).astype("datetime64[ns]")
    kept = np.append(kept, np.datetime64("NaT", "ns"))
    implausible = np.append(real & ~inside, False)
    return (pd.Series(kept[codes], index=cells.index, dtype="datetime64[ns]"),
            pd.Series(implausible[codes], index=cells.index, dtype=bool))


def _clean_text(cells: pd.Series) -> pd.Series:
    """Cells as stripped text (``str`` dtype), blank cells missing, vectorised."""
    text = cells.astype("str").str.strip()
    return text.where(text != "")


@functools.cache
def _schema(table: str, check_unique: bool) -> pa.DataFrameSchema:
    schema = TABLE_SCHEMAS[table].to_schema()
    if check_unique:
        return schema
    unique = [name for name, col in schema.columns.items() if col.unique]
    return schema.update_columns({name: {"unique": False} for name in unique})


_NUMBER_RE = r"^[+-]?[0-9.,]*[0-9][0-9.,]*$"


def _parse_numbers(cells: pd.Series, locale: str) -> tuple[pd.Series, pd.Series]:
    """Amounts as the register's locale writes them, parsed by Babel (strict).

    ``it_IT``: ``9.500`` is 9500, ``1.234,50`` is 1234.5, ``1500,50`` is 1500.5; a text whose
    separators do not fit the locale (``1500.50``, ``12.5``: a decimal point, or a thousands
    separator in the wrong place) is a problem, never a guess. Each distinct text is parsed
    once. Returns the numbers (``NaN`` where missing or not readable) and, per cell, the rule
    of its problem.

    Examples
    --------
    >>> numbers, rules = _parse_numbers(pd.Series(["9.500", "1.234,50", "1500.50"]), "it_IT")
    >>> numbers.tolist()[:2], rules[2]
    ([9500.0, 1234.5], "not a number written the Italian way (1.234,50 or 1234,50: '.' \
separates thousands, ',' decimals)")
    """
    from babel.numbers import NumberFormatError, parse_decimal

    language = locale.split("_")[0]
    rule_bad = "not a number"
    rule_locale = (("not a number written the Italian way (1.234,50 or 1234,50: '.' separates "
                    "thousands, ',' decimals)") if language == "it"
                   else f"not a number written the {locale} way")
    codes, uniques = pd.factorize(cells)
    values = np.full(len(uniques) + 1, np.nan)
    rules = np.full(len(uniques) + 1, "", dtype=object)
    for i, text in enumerate(uniques):
        if not re.match(_NUMBER_RE, text):
            rules[i] = rule_bad
            continue
        try:
            values[i] = float(parse_decimal(text, locale=locale, strict=True))
        except NumberFormatError:
            rules[i] = rule_locale
    return (pd.Series(values[codes], index=cells.index, dtype="float64"),
            pd.Series(rules[codes], index=cells.index, dtype=object))


def _pandera_problems(failures: pd.DataFrame, file: str, typed: pd.DataFrame) -> list[Problem]:
    problems = []
    whole_rows: set[tuple[int, str]] = set()
    for rec in failures.itertuples(index=False):
        column = rec.column if isinstance(rec.column, str) else None
        index = rec.index
        row = int(index) if index is not None and not pd.isna(index) else None
        check = str(rec.check)
        value = None if pd.isna(rec.failure_case) else str(rec.failure_case)
        if rec.schema_context == "DataFrameSchema" and row is not None:
            # a whole-row check, reported by pandera once per cell: report it once, at the
            # column its message starts with ("end_date before start_date" -> end_date)
            if (row, check) in whole_rows:
                continue
            whole_rows.add((row, check))
            first = check.split(" ", 1)[0]
            column = first if first in typed.columns else None
            value = None
            if column is not None and row in typed.index:
                value = _cell_text(typed.at[row, column])
        elif column and row is not None and column in typed and value is not None:
            value = _cell_text(typed.at[row, column]) if row in typed.index else value
        problems.append(Problem(file, row, column, _rule_text(check), value))
    problems.sort(key=lambda p: (p.row if p.row is not None else 0, p.column or ""))
    return problems


def _cell_text(cell: object) -> str | None:
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return None
    if isinstance(cell, pd.Timestamp):
        return cell.strftime(DATE_FORMAT)
    return str(cell)


def _rule_text(check: str) -> str:
    if check.startswith("isin("):
        return "value not allowed; allowed: " + check[len("isin("):-1].strip("[]").replace("'", "")
    if check == "field_uniqueness" or check.startswith("unique"):
        return "duplicate id"
    if check.startswith("str_matches"):
        return "id must be letters, digits, '_', '-' or '.'"
    if check == "not_nullable":
        return "required value missing"
    if check.startswith("str_length"):
        return "required text missing"
    if check.startswith("greater_than_or_equal_to"):
        return "must not be negative"
    return check


def _empty_typed(register: Register) -> pd.DataFrame:
    return Dataset.empty().tables()[register.table].copy()


def read_register(path: str | os.PathLike, register: Register | None = None
                  ) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one register CSV file (``;``, UTF-8 with or without BOM) into a typed table.

    Returns the valid rows and every problem found (see :func:`parse_register_frame`).
    """
    path = Path(path)
    register = register or register_for(path)
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False,
                          encoding="utf-8-sig", skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        return _empty_typed(register), [Problem(path.name, None, None, "the file is empty")]
    raw = pd.DataFrame({c: restore_series(raw[c]) for c in raw.columns}, index=raw.index,
                       columns=raw.columns)
    return parse_register_frame(raw, register, file=path.name)


def read_registers(folder: str | os.PathLike) -> Dataset:
    """Read every register file of a folder into a :class:`Dataset`, or raise.

    Raises
    ------
    RegisterError
        With every problem of every file (nothing is returned half-read).
    FileNotFoundError
        If the folder holds none of the register files.
    """
    folder = Path(folder)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_SCHEMAS}
    problems: list[Problem] = []
    found = 0
    for register in REGISTERS:
        path = folder / register.file
        if not path.exists():
            continue
        found += 1
        frame, probs = read_register(path, register)
        problems.extend(probs)
        parts[register.table].append(frame)
    if not found:
        raise FileNotFoundError(f"{folder}: no register files found")
    if problems:
        raise RegisterError(problems)
    tables = {}
    empty = Dataset.empty().tables()
    for name, frames in parts.items():
        frames = [f for f in frames if len(f)]
        tables[name] = (pd.concat(frames, ignore_index=True) if frames
                        else empty[name])
    return Dataset(**tables)


def format_register_frame(frame: pd.DataFrame, register: Register) -> pd.DataFrame:
    """A typed table as the text cells of its register file (dates dd/mm/yyyy)."""
    out = pd.DataFrame(index=frame.index)
    for col in register.columns:
        if col not in frame:
            out[col] = ""
            continue
        series = frame[col]
        if col in register.date_columns:
            series = pd.to_datetime(series)
            out[col] = series.dt.strftime(DATE_FORMAT).fillna("")
        elif col in register.float_columns:
            out[col] = series.map(_format_number)
        else:
            out[col] = series.astype(object).where(series.notna(), "").astype(str)
    return out


def _format_number(value: float) -> str:
    """An amount as an Italian register writes it: decimal comma, no thousands separator.

    The shortest digits that read back as the same float (``1500,5``, ``0,1``), never an
    exponent.

    >>> _format_number(1500.5), _format_number(9500.0), _format_number(1e-7)
    ('1500,5', '9500', '0,0000001')
    """
    if value is None or pd.isna(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return np.format_float_positional(float(value), unique=True, trim="-").replace(".", ",")


def _line_end(text: pd.DataFrame) -> str:
    """``\n``, or CRLF when a cell holds a carriage return.

    Python's csv quotes a cell only for the characters of the line end: with ``\n`` alone, a
    cell holding a lone CR would be written bare and split its row when read back.
    """
    for col in text.columns:
        cells = text[col]
        if not (cells.dtype == object or pd.api.types.is_string_dtype(cells.dtype)):
            continue  # an empty table's columns
        if cells.astype(str).str.contains("\r", regex=False).any():
            return "\r\n"
    return "\n"


def write_registers(ds: Dataset, folder: str | os.PathLike,
                    registers: Iterable[Register] = REGISTERS) -> list[Path]:
    """Write a dataset as register files (``;``, UTF-8, dd/mm/yyyy) into ``folder``.

    Cells a spreadsheet would run as formulas are neutralised
    (:func:`~genera_graph.io.formulas.neutralise_text`); reading the files back (``genera
    import``, :func:`read_register`) restores them exactly.

    Each file is written to a temporary file and moved into place, so a reader never sees a
    half-written register. Returns the paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = ds.tables()
    written = []
    for register in registers:
        frame = tables[register.table]
        if register.kinds is not None:
            frame = frame[frame["kind"].isin(register.kinds)]
        text = format_register_frame(frame, register)
        text = pd.DataFrame({c: neutralise_series(text[c]) for c in text.columns},
                            index=text.index, columns=text.columns)
        path = folder / register.file
        fd, tmp = tempfile.mkstemp(prefix=f".{register.stem}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                text.to_csv(handle, sep=";", index=False, lineterminator=_line_end(text))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written
