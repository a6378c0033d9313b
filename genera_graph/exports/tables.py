"""Tidy tables for people who open them in a spreadsheet, and for people who load them in code.

Every exported table is written with its data dictionary beside it, in one of two CSV
*dialects* (:data:`DIALECTS`) and optionally as Parquet and Excel:

- ``NAME.csv`` in the **Italian** dialect (the default, for people): ``;`` separator, decimal
  comma, UTF-8 with byte-order mark (so Excel reads the accents), dates ``dd/mm/yyyy``,
  booleans ``sì``/``no``; what Italian Excel and R's ``read.csv2`` read without settings;
- ``NAME.csv`` in the **research** dialect (for code): ``,``, decimal point, UTF-8, ISO dates,
  ``true``/``false``; what R's ``read.csv`` and pandas read with their defaults;
- in both: integers as integers (``530``, never ``530.0``), floats with the digits that read
  back to the same value, missing values as empty cells, and every text cell neutralised
  against formula injection (:func:`neutralise_formulas`);
- ``NAME.parquet``: the same frame with its pandas types preserved, for code;
- ``NAME.xlsx``: an Excel workbook with real number, boolean and date cells;
- ``NAME.dictionary.csv``: one row per column (column, definition, convention, reference,
  dtype), in the dialect's language, then one row per file saying how to load it in R, pandas
  and Excel (``docs/exports.md`` says the same at length).

:func:`read_csv` reverses :func:`write_csv` given the dtypes (which the data dictionary records),
so that a CSV export can be read back with the types it was written with; :func:`to_csv_bytes`
and :func:`to_xlsx_bytes` give a download's bytes.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"actor_id": ["007"], "note": ["=1+1"], "ties": [3]})
>>> neutralise_formulas(frame)["note"].tolist()
["'=1+1"]
>>> neutralise_formulas(frame)["ties"].dtype
dtype('int64')
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from genera_graph.io.formulas import (
    FORMULA_TRIGGERS,
    neutralise_series,
    neutralise_text,
    restore_text,
)
from genera_graph.l10n import N_, check_lang, expand_codes, gettext

__all__ = [
    "CSV_DATE_FORMAT",
    "CSV_SEPARATOR",
    "DEFAULT_DIALECT",
    "DIALECTS",
    "DICTIONARY_COLUMNS",
    "FILE_ROW",
    "FORMULA_TRIGGERS",
    "ITALIAN",
    "RESEARCH",
    "TABLE_FORMATS",
    "CsvDialect",
    "column_dtypes",
    "csv_dialect",
    "loading_text",
    "neutralise_formulas",
    "read_csv",
    "read_table_csv",
    "restore_formulas",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "write_csv",
    "write_data_dictionary",
    "write_parquet",
    "write_table",
    "write_xlsx",
]

#: the Italian dialect's separator and date format (kept for older imports)
CSV_SEPARATOR = ";"
CSV_DATE_FORMAT = "%d/%m/%Y"
_QUOTE = "'"
#: The columns of a data dictionary, in file order.
DICTIONARY_COLUMNS = ("column", "definition", "convention", "reference", "dtype")


# the neutraliser and its exact inverse live in genera_graph.io.formulas (genera import
# undoes them on the way back)
_neutralise_text = neutralise_text
_restore_text = restore_text


def _is_text_column(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) or series.dtype == object


def _map_text(frame: pd.DataFrame, func: Any) -> pd.DataFrame:
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = column.cat.categories
            if pd.api.types.is_string_dtype(categories.dtype) or categories.dtype == object:
                renamed = [func(c) if isinstance(c, str) else c for c in categories]
                if len(set(renamed)) == len(renamed):
                    out[name] = column.cat.rename_categories(renamed)
                else:  # two categories become one: fall back to text
                    out[name] = column.astype(object).map(func, na_action="ignore")
            continue
        if not _is_text_column(column):
            continue
        mask = column.map(lambda v: isinstance(v, str), na_action="ignore")
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            continue
        if column.dtype == object:
            values = column.to_numpy(copy=True)
            values[mask.to_numpy()] = [func(v) for v in column[mask]]
            out[name] = pd.Series(values, index=column.index, name=name, dtype=object)
        else:
            out[name] = column.map(func, na_action="ignore").astype(column.dtype)
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralise every text cell that a spreadsheet would run as a formula.

    Parameters
    ----------
    frame : DataFrame
        Any table.

    Returns
    -------
    DataFrame
        A copy in which every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return is prefixed with a single quote ``'``, except a plain number (``-3``).
        A text cell that starts with quotes then a trigger (``'=x``) gets one more quote, so that
        :func:`restore_formulas` undoes the change exactly; other leading quotes are left alone
        (:mod:`genera_graph.io.formulas`). Numeric, boolean and date columns are untouched
        (same values, same dtype).

    Notes
    -----
    This is the recommendation of the OWASP "CSV Injection" page: prefix the cell with a single
    quote so that Excel, LibreOffice and Google Sheets show it as text instead of evaluating it
    (``=HYPERLINK(...)``, ``=cmd|...``, ``@SUM(...)``). Display names and free text are personal
    data typed by facilitators or imported from third parties, so they are untrusted.
    A side effect: text such as ``+39 030 ...`` in a *text* column is shown with the quote;
    numbers (in numeric columns, or plain numbers in text ones) are not affected.

    Complexity: O(cells of text columns).

    References
    ----------
    OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["@SUM(A1)", "Anna", "'quoted'", "'=x", None],
    ...                       "n": [-1, 2, 3, 4, 5]})
    >>> out = neutralise_formulas(frame)
    >>> out["name"].tolist()[:4]
    ["'@SUM(A1)", 'Anna', "'quoted'", "''=x"]
    >>> out["n"].tolist()
    [-1, 2, 3, 4, 5]
    """
    return _map_text(frame, _neutralise_text)


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas`: remove the quote it added from every text cell.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["=1+2", "'x", "'=3", "plain"]})
    >>> restore_formulas(neutralise_formulas(frame)).equals(frame)
    True
    """
    return _map_text(frame, _restore_text)


def column_dtypes(frame: pd.DataFrame) -> dict[str, str]:
    """The pandas dtype of every column, as text (what a data dictionary records).

    Examples
    --------
    >>> import pandas as pd
    >>> column_dtypes(pd.DataFrame({"n": [1], "x": [0.5], "ok": [True]}))
    {'n': 'int64', 'x': 'float64', 'ok': 'bool'}
    """
    return {str(name): str(frame[name].dtype) for name in frame.columns}


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV is written: who reads it decides the separator, decimals, dates and booleans.

    Attributes
    ----------
    name : str
        ``"italian"`` or ``"research"``.
    separator, decimal : str
        Field separator and decimal mark (never a thousands separator: R and pandas read
        ``1234,5`` / ``1234.5`` as numbers, not ``1.234,5``).
    encoding : str
        ``"utf-8-sig"`` writes a byte-order mark, which Excel needs to read UTF-8 accents.
    date_format : str
        ``strftime`` format of a day.
    true, false : str
        The two booleans.
    lang : str
        The language of the data dictionary written with a table.
    """

    name: str
    separator: str
    decimal: str
    encoding: str
    date_format: str
    true: str
    false: str
    lang: str


#: for people: what Italian Excel, LibreOffice and R's ``read.csv2`` read without settings
ITALIAN = CsvDialect("italian", ";", ",", "utf-8-sig", "%d/%m/%Y", "sì", "no", "it")
#: for code: what R's ``read.csv``, pandas' defaults and most tools read
RESEARCH = CsvDialect("research", ",", ".", "utf-8", "%Y-%m-%d", "true", "false", "en")
#: the dialects by name (the ``--dialect`` choices of ``genera analyze`` / ``genera export``)
DIALECTS: dict[str, CsvDialect] = {d.name: d for d in (ITALIAN, RESEARCH)}
DEFAULT_DIALECT = "italian"


def csv_dialect(name: str | CsvDialect = DEFAULT_DIALECT) -> CsvDialect:
    """The dialect called ``name`` (a :class:`CsvDialect` is returned as it is).

    >>> csv_dialect("research").separator, csv_dialect().decimal
    (',', ',')
    >>> csv_dialect("excel")
    Traceback (most recent call last):
    ...
    ValueError: unknown CSV dialect 'excel': choose italian or research
    """
    if isinstance(name, CsvDialect):
        return name
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown CSV dialect {name!r}: choose {' or '.join(DIALECTS)}") from None


def _format_float(value: float, decimal: str = ".") -> str:
    # the shortest text that reads back to the same float, never in exponent notation (a
    # spreadsheet in Italian reads 2,5e-07 as text); a whole value has no decimals (530, not
    # 530.0), so counts that pandas holds as floats are written as the integers they are.
    text = np.format_float_positional(float(value), trim="-", unique=True)
    return text.replace(".", decimal) if decimal != "." else text


def _cell_text(value: Any, style: CsvDialect) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return style.true if value else style.false
    if isinstance(value, datetime.date):  # a date or datetime in an object column
        return value.strftime(style.date_format)
    if isinstance(value, float | np.floating):
        return _format_float(value, style.decimal)
    return str(value)


def _csv_text_frame(frame: pd.DataFrame, style: CsvDialect = ITALIAN) -> pd.DataFrame:
    """Every column as text cells (None for missing), in the dialect's conventions."""
    out: dict[str, list[str | None]] = {}
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        missing = column.isna().to_numpy()
        if pd.api.types.is_datetime64_any_dtype(dtype):
            if getattr(dtype, "tz", None) is not None:
                raise ValueError(f"column {name!r}: timezone-aware dates are not supported")
            present = column[~missing]
            if (present != present.dt.normalize()).any():
                raise ValueError(
                    f"column {name!r}: dates must be at midnight (a day has no time)"
                )
            cells = column.dt.strftime(style.date_format).tolist()
        elif pd.api.types.is_bool_dtype(dtype):
            cells = [style.true if v else style.false for v in column.fillna(False)]
        elif pd.api.types.is_integer_dtype(dtype):
            # numpy writes int64 as text in C (a nullable column iterated in Python cost
            # 0.1 s per 39,000 cells)
            cells = column.fillna(0).to_numpy(dtype=np.int64).astype(str).tolist()
        elif pd.api.types.is_float_dtype(dtype):
            cells = [_format_float(v, style.decimal) for v in column.fillna(0.0)]
        else:
            values = column.astype(object).to_numpy()
            present = values[~missing]
            if all(isinstance(v, str) for v in present):
                # a column of text (the common case): only the cells that start with a
                # trigger are looked at one by one (a region's worklist: 390,000 cells)
                text = pd.Series(values, dtype="string")  # known text: no look per cell
                cells = neutralise_series(text).astype(object).tolist()
            else:
                cells = [_neutralise_text(_cell_text(v, style)) for v in values]
        if missing.any():
            cells = [None if m else c for c, m in zip(cells, missing, strict=True)]
        out[str(name)] = cells
    return pd.DataFrame(out, columns=[str(c) for c in frame.columns], dtype=object)


def to_csv_bytes(frame: pd.DataFrame, dialect: str | CsvDialect = DEFAULT_DIALECT) -> bytes:
    """The bytes of :func:`write_csv` (for a download button): same dialects, same guard.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"n": [530.0], "x": [0.128], "ok": [True]})
    >>> to_csv_bytes(frame)
    b'\\xef\\xbb\\xbfn;x;ok\\r\\n530;0,128;s\\xc3\\xac\\r\\n'
    >>> to_csv_bytes(frame, "research")
    b'n,x,ok\\r\\n530,0.128,true\\r\\n'
    """
    style = csv_dialect(dialect)
    text = _csv_text_frame(frame, style)
    buffer = io.StringIO()
    # RFC 4180: CRLF line ends, and so a cell holding a CR or a LF (either is a line end to
    # some reader) is quoted: Python's csv quotes only for the line end's own characters
    text.to_csv(buffer, sep=style.separator, index=False, lineterminator="\r\n",
                quoting=csv.QUOTE_MINIMAL, na_rep="")
    return buffer.getvalue().encode(style.encoding)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike | BinaryIO,
              dialect: str | CsvDialect = DEFAULT_DIALECT) -> Path | BinaryIO:
    """Write a table as a spreadsheet-safe CSV in a named dialect.

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : path-like or binary file
        The file to write (overwritten), or an open binary buffer.
    dialect : {"italian", "research"} or CsvDialect
        ``"italian"`` (default, for people): ``;``, decimal comma, UTF-8 with byte-order mark,
        dates ``dd/mm/yyyy``, booleans ``sì``/``no``. ``"research"`` (for code): ``,``,
        decimal point, UTF-8, ISO dates ``yyyy-mm-dd``, ``true``/``false``.

    Returns
    -------
    Path or the buffer
        What was written to.

    Raises
    ------
    ValueError
        If a date column holds a time of day or a timezone (a day cannot say it), or the
        dialect is unknown.

    Notes
    -----
    In both dialects: CRLF line ends (RFC 4180; a cell holding a CR or LF is quoted, so it
    never splits its row), no thousands separator, integers as integers (a float
    column's whole values too: ``530``, never ``530.0``), other floats with the shortest digits
    that read back to the same value and never in exponent notation, missing values as empty
    cells (an empty text is therefore read back as missing), and every text cell neutralised
    against formula injection (:func:`neutralise_formulas`). Ids are written as they are, so
    ``007`` keeps its zeros in the file; :func:`read_csv` with the dtypes reads them back as
    text. How to load each dialect in R, pandas and Excel: ``docs/exports.md``.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> frame = pd.DataFrame({"id": ["007"], "day": pd.to_datetime(["2016-06-14"]), "x": [0.1]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> print(write_csv(frame, path).read_text(encoding="utf-8-sig"), end="")
    id;day;x
    007;14/06/2016;0,1
    >>> print(write_csv(frame, path, "research").read_text(encoding="utf-8"), end="")
    id,day,x
    007,2016-06-14,0.1
    """
    data = to_csv_bytes(frame, dialect)
    if hasattr(path, "write"):
        path.write(data)
        return path
    path = Path(path)
    path.write_bytes(data)
    return path


def read_csv(path: str | os.PathLike | BinaryIO, dtypes: Mapping[str, str] | None = None,
             dialect: str | CsvDialect = DEFAULT_DIALECT) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` back with its types.

    Parameters
    ----------
    path : path-like or binary file
        The CSV file.
    dtypes : mapping of str to str, optional
        The pandas dtype of each column, as :func:`column_dtypes` gives it (a data dictionary
        records them). Columns not named are read as text.
    dialect : {"italian", "research"} or CsvDialect
        The dialect it was written in.

    Returns
    -------
    DataFrame
        The table, with the formula neutralisation undone in text columns.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> frame = pd.DataFrame({"id": ["007"], "n": [3], "day": pd.to_datetime(["2016-06-14"])})
    >>> path = write_csv(frame, pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> back = read_csv(path, column_dtypes(frame))
    >>> back.equals(frame)
    True
    """
    style = csv_dialect(dialect)
    dtypes = dict(dtypes or {})
    raw = pd.read_csv(path, sep=style.separator, dtype=str, keep_default_na=False,
                      na_values=[""], encoding=style.encoding)
    out: dict[str, pd.Series] = {}
    for name in raw.columns:
        cells = raw[name]
        dtype = pd.api.types.pandas_dtype(dtypes.get(name, "str"))
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = pd.to_datetime(cells, format=style.date_format).astype(dtype)
        elif pd.api.types.is_bool_dtype(dtype):
            mapped = cells.map({style.true: True, style.false: False}, na_action="ignore")
            out[name] = mapped.astype("boolean" if cells.isna().any() else dtype)
        elif pd.api.types.is_integer_dtype(dtype):
            numbers = pd.to_numeric(cells).astype("Int64")
            out[name] = numbers if numbers.isna().any() else numbers.astype(dtype)
        elif pd.api.types.is_float_dtype(dtype):
            if style.decimal != ".":
                cells = cells.str.replace(style.decimal, ".", regex=False)
            out[name] = pd.to_numeric(cells).astype(dtype)
        else:
            out[name] = cells.map(_restore_text, na_action="ignore").astype(dtype)
    return pd.DataFrame(out, columns=list(raw.columns))


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike, *,
                  compression: str | None = "snappy") -> Path:
    """Write a table as Parquet with its pandas types preserved.

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : path-like
        The file to write (overwritten).
    compression : str or None
        Parquet compression codec; ``None`` writes the values uncompressed, so that the file
        can be audited byte by byte (the research export does so).

    Returns
    -------
    Path
        The path written.

    Notes
    -----
    No formula neutralisation: Parquet is read by code, never evaluated by a spreadsheet, and
    the values must stay exactly what they are. Dates stay ``datetime64``, nullable integers and
    booleans stay nullable, text stays text (ids keep their leading zeros).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> frame = pd.DataFrame({"id": ["007"], "n": pd.array([1], dtype="Int64")})
    >>> path = write_parquet(frame, pathlib.Path(tempfile.mkdtemp()) / "t.parquet")
    >>> pd.read_parquet(path).dtypes.astype(str).tolist()
    ['str', 'Int64']
    """
    path = Path(path)
    frame.to_parquet(path, index=False, engine="pyarrow", compression=compression)
    return path


def _dictionary_frame(entries: Iterable[Any] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(entries, pd.DataFrame):
        table = entries.copy()
    else:
        rows = []
        for entry in entries:
            if isinstance(entry, Mapping):
                rows.append(dict(entry))
            else:
                rows.append(dict(zip(DICTIONARY_COLUMNS, entry, strict=False)))
        table = pd.DataFrame(rows)
    if "column" not in table.columns or "definition" not in table.columns:
        raise ValueError("a data dictionary needs at least the columns 'column' and 'definition'")
    for name in DICTIONARY_COLUMNS:
        if name not in table.columns:
            table[name] = ""
    table = table[list(DICTIONARY_COLUMNS)].astype(object).where(table.notna(), "")
    return table.astype(str)


#: how each file of a table is loaded, per dialect: R, pandas, Excel (``{name}``: the stem)
_LOADING: dict[str, dict[str, str]] = {
    "italian": {
        "csv": N_("R: read.csv2(\"{name}.csv\", fileEncoding = \"UTF-8-BOM\"), dates "
                  "as.Date(x, \"%d/%m/%Y\"); pandas: pd.read_csv(\"{name}.csv\", sep=\";\", "
                  "decimal=\",\", encoding=\"utf-8-sig\", dtype=str) then the dtype column, or "
                  "genera_graph.exports.read_table_csv; Excel: open the file (Italian settings "
                  "read ; and the decimal comma)"),
    },
    "research": {
        "csv": N_("R: read.csv(\"{name}.csv\", encoding = \"UTF-8\"), dates as.Date(x); "
                  "pandas: pd.read_csv(\"{name}.csv\", dtype=str) then the dtype column, or "
                  "genera_graph.exports.read_table_csv(..., dialect=\"research\"); Excel: Data, "
                  "From Text/CSV, comma separator, UTF-8"),
    },
    "any": {
        "parquet": N_("R: arrow::read_parquet(\"{name}.parquet\"); pandas: "
                      "pd.read_parquet(\"{name}.parquet\"); the types (dates, integers, "
                      "booleans, text ids) are kept; not for Excel"),
        "xlsx": N_("R: readxl::read_excel(\"{name}.xlsx\"); pandas: "
                   "pd.read_excel(\"{name}.xlsx\", dtype={{...}}); Excel: open the file "
                   "(numbers and dates are real cells)"),
    },
}
_DIALECT_NAMES = {"italian": N_("Italian"), "research": N_("research")}
#: the ``dtype`` of a dictionary row that describes a file, not a column
FILE_ROW = "file"


def loading_text(fmt: str, dialect: str | CsvDialect, lang: str, name: str) -> str:
    """How to load the file ``name.fmt`` (a table written in ``dialect``) in R, pandas and
    Excel, in ``lang`` (the data dictionaries' file rows, the research export's README).

    >>> loading_text("parquet", "italian", "en", "ties")[:35]
    'R: arrow::read_parquet("ties.parque'
    """
    style = csv_dialect(dialect)
    text = _LOADING[style.name if fmt == "csv" else "any"][fmt]
    return gettext(text, lang).format(name=name)


def _file_rows(name: str, formats: Iterable[str], style: CsvDialect, lang: str) -> list[dict]:
    what = {"csv": N_("the table, CSV ({dialect} dialect)"),
            "parquet": N_("the table, Parquet (for code)"),
            "xlsx": N_("the table, Excel workbook")}
    return [{"column": f"{name}.{fmt}",
             "definition": gettext(what[fmt], lang).format(
                 dialect=gettext(_DIALECT_NAMES[style.name], lang)),
             "convention": loading_text(fmt, style, lang, name),
             "reference": "docs/exports.md", "dtype": FILE_ROW} for fmt in formats]


def _translated(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    # the catalogs hold the dictionaries' texts (make messages collects them); a text that is
    # not there (a free description) is written as given; {codes:FIELD} becomes the legend
    out = table.copy()
    for col in ("definition", "convention"):
        out[col] = [expand_codes(gettext(text, lang), lang) if text else text
                    for text in out[col]]
    return out


def write_data_dictionary(entries: Iterable[Any] | pd.DataFrame,
                          path: str | os.PathLike | BinaryIO,
                          dialect: str | CsvDialect = DEFAULT_DIALECT,
                          lang: str | None = None) -> Path | BinaryIO:
    """Write a data dictionary: what each column means and by which convention it is written.

    Parameters
    ----------
    entries : iterable of rows, or DataFrame
        One row per column: ``(column, definition, convention, reference)`` tuples, mappings
        with those keys, or a DataFrame with those columns; an optional fifth field ``dtype``
        records the pandas dtype (:func:`write_table` fills it in, and adds one row per file
        of the table, ``dtype`` ``file``, saying how to load it).
    path : path-like or binary file
        The CSV file to write (same conventions as :func:`write_csv`).
    dialect : {"italian", "research"} or CsvDialect
        The CSV dialect (see :func:`write_csv`).
    lang : {"it", "en"}, optional
        The language of the definitions and conventions (default: the dialect's, Italian
        for ``italian`` and English for ``research``); texts the catalogs hold are
        translated, others (free descriptions) are written as given.

    Returns
    -------
    Path or the buffer
        What was written to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = write_data_dictionary([("ties", "active ties", "count in the window", "")], path,
    ...                           "research")
    >>> print(path.read_text(encoding="utf-8"), end="")
    column,definition,convention,reference,dtype
    ties,active ties,count in the window,,
    """
    style = csv_dialect(dialect)
    table = _translated(_dictionary_frame(entries), lang or style.lang)
    return write_csv(table, path, style)


def _xlsx_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "table") -> bytes:
    """An Excel workbook of a table (for a download button); see :func:`write_xlsx`."""
    buffer = io.BytesIO()
    write_xlsx(frame, buffer, sheet)
    return buffer.getvalue()


def write_xlsx(frame: pd.DataFrame, path: str | os.PathLike | BinaryIO,
               sheet: str = "table") -> Path | BinaryIO:
    """Write a table as an Excel workbook: numbers, booleans and dates as real cells.

    Dates are date cells shown ``dd/mm/yyyy``; integers and floats are number cells (the
    value, not a text); booleans are Excel booleans (shown ``VERO``/``FALSO`` by an Italian
    Excel); missing values are empty cells. Text cells are written as text (never a formula)
    and neutralised like the CSV (:func:`neutralise_formulas`), so a cell copied elsewhere
    is still safe.

    Examples
    --------
    >>> import pandas as pd, io
    >>> from openpyxl import load_workbook
    >>> frame = pd.DataFrame({"id": ["007"], "n": [3], "day": pd.to_datetime(["2016-06-14"]),
    ...                       "note": ["=1+1"]})
    >>> book = load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    >>> [c.value for c in book.active[2]][:2], book.active["C2"].value.date(), book.active["D2"].value
    (['007', 3], datetime.date(2016, 6, 14), "'=1+1")
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    for name in frame.columns:
        column = frame[name]
        if (pd.api.types.is_datetime64_any_dtype(column.dtype)
                and getattr(column.dtype, "tz", None) is not None):
            raise ValueError(f"column {name!r}: timezone-aware dates are not supported")
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(ws, value=_neutralise_text(str(name)))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    kinds = []
    for name in frame.columns:
        dtype = frame[name].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            kinds.append("date")
        elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
            kinds.append("value")
        else:
            kinds.append("text")
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for value, kind in zip(row, kinds, strict=True):
            value = _xlsx_value(value)
            if value is None:
                cells.append(None)
                continue
            if kind == "date" or isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "DD/MM/YYYY"
            elif kind == "value" and not isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
            else:
                cell = WriteOnlyCell(ws, value=_neutralise_text(str(value)))
                cell.data_type = "s"  # a text, even when it starts with '='
            cells.append(cell)
        ws.append(cells)
    if hasattr(path, "write"):
        book.save(path)
        return path
    path = Path(path)
    book.save(path)
    return path


#: the files :func:`write_table` can write besides the dictionary
TABLE_FORMATS = ("csv", "parquet", "xlsx")


def write_table(frame: pd.DataFrame, out_dir: str | os.PathLike, name: str,
                dictionary: Iterable[Any] | pd.DataFrame, *,
                compression: str | None = "snappy",
                dialect: str | CsvDialect = DEFAULT_DIALECT,
                formats: Iterable[str] = ("csv", "parquet"),
                lang: str | None = None) -> dict[str, Path]:
    """Write ``NAME.csv``, ``NAME.parquet`` (and ``NAME.xlsx``) and ``NAME.dictionary.csv``.

    Parameters
    ----------
    frame : DataFrame
        The table.
    out_dir : path-like
        The folder (created if missing).
    name : str
        The file stem: letters, digits, ``_``, ``-`` and ``.`` only.
    dictionary : iterable of rows, or DataFrame
        The data dictionary (see :func:`write_data_dictionary`); it must describe every column of
        ``frame`` and no other. The ``dtype`` field is filled in from the frame, and one row
        per file written says how to load it in R, pandas and Excel.
    compression : str or None
        Parquet compression (see :func:`write_parquet`).
    dialect : {"italian", "research"} or CsvDialect
        The CSV dialect of the table and its dictionary (see :func:`write_csv`).
    formats : iterable of {"csv", "parquet", "xlsx"}
        The files of the table (the dictionary is always written).
    lang : {"it", "en"}, optional
        The dictionary's language (default: the dialect's).

    Returns
    -------
    dict
        ``{"csv": path, "parquet": path, ..., "dictionary": path}``.

    Raises
    ------
    ValueError
        If the name is unsafe, a format or dialect unknown, or the dictionary misses or
        invents a column.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> frame = pd.DataFrame({"actor_id": ["H01"], "ties": [2]})
    >>> paths = write_table(frame, tempfile.mkdtemp(), "ties",
    ...     [("actor_id", "household id", "text", ""), ("ties", "active ties", "count", "")])
    >>> sorted(p.name for p in paths.values())
    ['ties.csv', 'ties.dictionary.csv', 'ties.parquet']
    >>> read_table_csv(paths["csv"], paths["dictionary"]).equals(frame)
    True
    """
    if not name or not all(c.isalnum() or c in "_-." for c in name) or name.startswith("."):
        raise ValueError(f"unsafe table name {name!r}")
    style = csv_dialect(dialect)
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in TABLE_FORMATS]
    if unknown:
        raise ValueError(f"unknown table format {unknown}: choose from {', '.join(TABLE_FORMATS)}")
    lang = check_lang(lang or style.lang)
    table = _dictionary_frame(dictionary)
    described = table["column"].tolist()
    missing = [c for c in frame.columns if c not in described]
    extra = [c for c in described if c not in frame.columns]
    if missing or extra or len(set(described)) != len(described):
        raise ValueError(
            f"data dictionary of {name!r} does not match the table: "
            f"undescribed {missing}, unknown {extra}"
        )
    dtypes = column_dtypes(frame)
    table["dtype"] = table["column"].map(dtypes)
    table = table.set_index("column").loc[[str(c) for c in frame.columns]].reset_index()
    table = _translated(table, lang)
    table = pd.concat([table, pd.DataFrame(_file_rows(name, formats, style, lang))],
                      ignore_index=True)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    if "csv" in formats:
        written["csv"] = write_csv(frame, out / f"{name}.csv", style)
    if "parquet" in formats:
        written["parquet"] = write_parquet(frame, out / f"{name}.parquet",
                                           compression=compression)
    if "xlsx" in formats:
        written["xlsx"] = write_xlsx(frame, out / f"{name}.xlsx", name)
    written["dictionary"] = write_csv(table, out / f"{name}.dictionary.csv", style)
    return written


def read_table_csv(csv_path: str | os.PathLike, dictionary_path: str | os.PathLike,
                   dialect: str | CsvDialect = DEFAULT_DIALECT) -> pd.DataFrame:
    """Read a CSV written by :func:`write_table`, typed by its data dictionary.

    See :func:`write_table` for an example.
    """
    dictionary = read_csv(dictionary_path, dialect=dialect)
    dtypes = {
        row["column"]: row["dtype"]
        for _, row in dictionary.iterrows()
        if isinstance(row["dtype"], str) and row["dtype"] and row["dtype"] != FILE_ROW
    }
    return read_csv(csv_path, dtypes, dialect)
