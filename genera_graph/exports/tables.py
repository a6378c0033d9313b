"""Tidy tables for people who open them in a spreadsheet, and for people who load them in code.

Every exported table is written twice, with its data dictionary beside it:

- ``NAME.csv``: ``;`` separator, UTF-8, one header row, dates ``dd/mm/yyyy``, decimal point
  ``.``, booleans ``true``/``false``, missing values as empty cells, and every text cell
  neutralised against formula injection (:func:`neutralise_formulas`);
- ``NAME.parquet``: the same frame with its pandas types preserved, for code;
- ``NAME.dictionary.csv``: one row per column (column, definition, convention, reference, dtype).

:func:`read_csv` reverses :func:`write_csv` given the dtypes (which the data dictionary records),
so that a CSV export can be read back with the types it was written with.

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
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "CSV_DATE_FORMAT",
    "CSV_SEPARATOR",
    "DICTIONARY_COLUMNS",
    "FORMULA_TRIGGERS",
    "column_dtypes",
    "neutralise_formulas",
    "read_csv",
    "read_table_csv",
    "restore_formulas",
    "write_csv",
    "write_data_dictionary",
    "write_parquet",
    "write_table",
]

CSV_SEPARATOR = ";"
CSV_DATE_FORMAT = "%d/%m/%Y"
#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
#: The columns of a data dictionary, in file order.
DICTIONARY_COLUMNS = ("column", "definition", "convention", "reference", "dtype")


def _neutralise_text(value: str) -> str:
    # A leading quote is escaped too (doubled), so that the transformation can be reversed
    # exactly by removing one leading quote.
    if value.startswith(FORMULA_TRIGGERS) or value.startswith(_QUOTE):
        return _QUOTE + value
    return value


def _restore_text(value: str) -> str:
    return value[1:] if value.startswith(_QUOTE) else value


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
        carriage return is prefixed with a single quote ``'``. A text cell that already starts with
        ``'`` gets a second one, so that :func:`restore_formulas` undoes the change exactly.
        Numeric, boolean and date columns are untouched (same values, same dtype).

    Notes
    -----
    This is the recommendation of the OWASP "CSV Injection" page: prefix the cell with a single
    quote so that Excel, LibreOffice and Google Sheets show it as text instead of evaluating it
    (``=HYPERLINK(...)``, ``=cmd|...``, ``@SUM(...)``). Display names and free text are personal
    data typed by facilitators or imported from third parties, so they are untrusted.
    A side effect: text such as ``-3`` or ``+39 030 ...`` in a *text* column is shown with the
    quote; numbers in numeric columns are not affected.

    Complexity: O(cells of text columns).

    References
    ----------
    OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["@SUM(A1)", "Anna", "'quoted", None], "n": [-1, 2, 3, 4]})
    >>> out = neutralise_formulas(frame)
    >>> out["name"].tolist()[:3]
    ["'@SUM(A1)", 'Anna', "''quoted"]
    >>> out["n"].tolist()
    [-1, 2, 3, 4]
    """
    return _map_text(frame, _neutralise_text)


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas`: remove one leading ``'`` from every text cell.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"name": ["=1+2", "'x", "plain"]})
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


def _format_float(value: float) -> str:
    # repr gives the shortest text that reads back to the same float, always with a '.'.
    return repr(float(value))


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.date):  # a date or datetime in an object column
        return value.strftime(CSV_DATE_FORMAT)
    return str(value)


def _csv_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text cells (None for missing), in the CSV conventions."""
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
                    f"column {name!r}: dates must be at midnight (dd/mm/yyyy has no time)"
                )
            cells = column.dt.strftime(CSV_DATE_FORMAT).tolist()
        elif pd.api.types.is_bool_dtype(dtype):
            cells = ["true" if v else "false" for v in column.fillna(False)]
        elif pd.api.types.is_integer_dtype(dtype):
            cells = [str(int(v)) for v in column.fillna(0)]
        elif pd.api.types.is_float_dtype(dtype):
            cells = [_format_float(v) for v in column.fillna(0.0)]
        else:
            cells = [_neutralise_text(_cell_text(v)) for v in column]
        out[str(name)] = [None if m else c for c, m in zip(cells, missing, strict=True)]
    return pd.DataFrame(out, columns=[str(c) for c in frame.columns], dtype=object)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as a spreadsheet-safe CSV.

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not written.
    path : path-like
        The file to write (overwritten).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ValueError
        If a date column holds a time of day or a timezone (``dd/mm/yyyy`` cannot say it).

    Notes
    -----
    Conventions: ``;`` separator, UTF-8 without byte-order mark, ``\\n`` line ends, dates
    ``dd/mm/yyyy``, floats with a decimal point ``.`` and enough digits to read back the same
    value, booleans ``true``/``false``, missing values as empty cells (an empty text is therefore
    read back as missing), text cells neutralised against formula injection
    (:func:`neutralise_formulas`). Ids are written as they are, so ``007`` keeps its zeros in the
    file; :func:`read_csv` with the dtypes reads them back as text.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> frame = pd.DataFrame({"id": ["007"], "day": pd.to_datetime(["2016-06-14"]), "x": [0.1]})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> print(write_csv(frame, path).read_text(encoding="utf-8"), end="")
    id;day;x
    007;14/06/2016;0.1
    """
    path = Path(path)
    text = _csv_text_frame(frame)
    buffer = io.StringIO()
    text.to_csv(buffer, sep=CSV_SEPARATOR, index=False, lineterminator="\n",
                quoting=csv.QUOTE_MINIMAL, na_rep="")
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def read_csv(path: str | os.PathLike, dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` back with its types.

    Parameters
    ----------
    path : path-like
        The CSV file.
    dtypes : mapping of str to str, optional
        The pandas dtype of each column, as :func:`column_dtypes` gives it (a data dictionary
        records them). Columns not named are read as text.

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
    dtypes = dict(dtypes or {})
    raw = pd.read_csv(path, sep=CSV_SEPARATOR, dtype=str, keep_default_na=False,
                      na_values=[""], encoding="utf-8")
    out: dict[str, pd.Series] = {}
    for name in raw.columns:
        cells = raw[name]
        dtype = pd.api.types.pandas_dtype(dtypes.get(name, "str"))
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = pd.to_datetime(cells, format=CSV_DATE_FORMAT).astype(dtype)
        elif pd.api.types.is_bool_dtype(dtype):
            mapped = cells.map({"true": True, "false": False}, na_action="ignore")
            out[name] = mapped.astype("boolean" if cells.isna().any() else dtype)
        elif pd.api.types.is_integer_dtype(dtype):
            numbers = pd.to_numeric(cells).astype("Int64")
            out[name] = numbers if numbers.isna().any() else numbers.astype(dtype)
        elif pd.api.types.is_float_dtype(dtype):
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


def write_data_dictionary(entries: Iterable[Any] | pd.DataFrame,
                          path: str | os.PathLike) -> Path:
    """Write a data dictionary: what each column means and by which convention it is written.

    Parameters
    ----------
    entries : iterable of rows, or DataFrame
        One row per column: ``(column, definition, convention, reference)`` tuples, mappings
        with those keys, or a DataFrame with those columns; an optional fifth field ``dtype``
        records the pandas dtype (:func:`write_table` fills it in).
    path : path-like
        The CSV file to write (same conventions as :func:`write_csv`).

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
    >>> _ = write_data_dictionary([("ties", "active ties", "count in the window", "")], path)
    >>> print(path.read_text(encoding="utf-8"), end="")
    column;definition;convention;reference;dtype
    ties;active ties;count in the window;;
    """
    return write_csv(_dictionary_frame(entries), path)


def write_table(frame: pd.DataFrame, out_dir: str | os.PathLike, name: str,
                dictionary: Iterable[Any] | pd.DataFrame, *,
                compression: str | None = "snappy") -> dict[str, Path]:
    """Write ``NAME.csv``, ``NAME.parquet`` and ``NAME.dictionary.csv`` into ``out_dir``.

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
        ``frame`` and no other. The ``dtype`` field is filled in from the frame.
    compression : str or None
        Parquet compression (see :func:`write_parquet`).

    Returns
    -------
    dict
        ``{"csv": path, "parquet": path, "dictionary": path}``.

    Raises
    ------
    ValueError
        If the name is unsafe, or the dictionary misses or invents a column.

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
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {
        "csv": write_csv(frame, out / f"{name}.csv"),
        "parquet": write_parquet(frame, out / f"{name}.parquet", compression=compression),
        "dictionary": write_data_dictionary(table, out / f"{name}.dictionary.csv"),
    }


def read_table_csv(csv_path: str | os.PathLike,
                   dictionary_path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV written by :func:`write_table`, typed by its data dictionary.

    See :func:`write_table` for an example.
    """
    dictionary = read_csv(dictionary_path)
    dtypes = {
        row["column"]: row["dtype"]
        for _, row in dictionary.iterrows()
        if isinstance(row["dtype"], str) and row["dtype"]
    }
    return read_csv(csv_path, dtypes)
