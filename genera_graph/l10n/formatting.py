"""Numbers, amounts, shares and dates as each language writes them, through Babel (CLDR).

Every text a person reads (the CLI report, the explorer, the HTML map, the Italian CSV dialect)
goes through these functions, so a number is written the same way everywhere:

- Italian (the default): ``1.234,5``, ``9.500 €``, ``13%``;
- English: ``1,234.5``, ``€9,500``, ``13%``;
- dates ``dd/mm/yyyy`` in both languages (the programme's convention);
- amounts use a plain space before ``€`` (CLDR's no-break space replaced);
- a whole number is written without decimals (``530``, never ``530.0``);
- a missing value (``None``, ``NaN``, ``NaT``, ``pd.NA``) is ``–`` unless ``missing`` says
  otherwise.

Examples
--------
>>> format_number(12345.5), format_number(12345.5, "en"), format_number(None)
('12.345,5', '12,345.5', '–')
>>> format_currency(9500), format_currency(9500, "en")
('9.500 €', '€9,500')
>>> format_percent(0.128), format_date("2016-05-18")
('13%', '18/05/2016')
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Any

from babel import dates as _dates
from babel import numbers as _numbers

__all__ = [
    "DATE_PATTERN",
    "DEFAULT_LANG",
    "LANGS",
    "LOCALES",
    "MISSING",
    "check_lang",
    "format_currency",
    "format_date",
    "format_decimal",
    "format_integer",
    "format_number",
    "format_percent",
    "is_missing",
]

#: the languages of every user-facing text, the default first
LANGS: tuple[str, ...] = ("it", "en")
DEFAULT_LANG = "it"
#: the CLDR locale behind each language (British English: day-first, like the programme)
LOCALES: dict[str, str] = {"it": "it_IT", "en": "en_GB"}
#: what a missing value is written as
MISSING = "–"
#: dates are day-first in every language (CLDR pattern: ``dd/MM/yyyy``)
DATE_PATTERN = "dd/MM/yyyy"


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else a ``ValueError`` naming the choices.

    >>> check_lang("en")
    'en'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: language must be one of it, en; got 'fr'
    """
    if lang not in LOCALES:
        raise ValueError(f"language must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang


def _locale(lang: str) -> str:
    return LOCALES[check_lang(lang)]


def is_missing(value: Any) -> bool:
    """Whether ``value`` is a missing value (``None``, ``NaN``, ``NaT``, ``pd.NA``).

    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("")
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like
        return False


def _is_whole(value: Any) -> bool:
    if isinstance(value, numbers.Integral):
        return True
    try:
        return float(value).is_integer()
    except (TypeError, ValueError, OverflowError):
        return False


def format_integer(value: Any, lang: str = DEFAULT_LANG, *, missing: str = MISSING) -> str:
    """A count: rounded to a whole number, with the language's thousands separator.

    >>> format_integer(1234), format_integer(1234, "en"), format_integer(530.0)
    ('1.234', '1,234', '530')
    """
    if is_missing(value):
        return missing
    return _numbers.format_decimal(round(float(value)) if not isinstance(value, numbers.Integral)
                                   else int(value), format="#,##0", locale=_locale(lang))


def format_decimal(value: Any, lang: str = DEFAULT_LANG, digits: int | None = None, *,
                   missing: str = MISSING) -> str:
    """A number with exactly ``digits`` decimals (``None``: as many as it needs).

    A whole number with ``digits=None`` is written as an integer.

    Parameters
    ----------
    value : number or None
    lang : {"it", "en"}
    digits : int, optional
        Decimals to show, rounded half to even as Babel (and Python's ``round``) do.
    missing : str
        The text of a missing value.

    Examples
    --------
    >>> format_decimal(0.4197896, "it", 3), format_decimal(0.4197896, "en", 3)
    ('0,420', '0.420')
    >>> format_decimal(0.1282051282051282)
    '0,1282051282051282'
    """
    if is_missing(value):
        return missing
    locale = _locale(lang)
    if digits is None:
        if _is_whole(value):
            return format_integer(value, lang)
        return _numbers.format_decimal(float(value), locale=locale, decimal_quantization=False)
    pattern = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return _numbers.format_decimal(float(value), format=pattern, locale=locale)


def format_number(value: Any, lang: str = DEFAULT_LANG, digits: int | None = None, *,
                  missing: str = MISSING) -> str:
    """Any number as the language writes it: whole numbers as integers, others as decimals.

    The same as :func:`format_decimal`; the name the explorer and the CLI have always used.

    >>> format_number(12345.5, "it"), format_number(12345.5, "en"), format_number(None)
    ('12.345,5', '12,345.5', '–')
    >>> format_number(530.0), format_number(None, missing="")
    ('530', '')
    """
    return format_decimal(value, lang, digits, missing=missing)


def format_currency(value: Any, lang: str = DEFAULT_LANG, currency: str = "EUR",
                    digits: int | None = None, *, missing: str = MISSING) -> str:
    """An amount with its currency sign where the language puts it (``9.500 €``, ``€9,500``).

    ``digits=None``: whole amounts without cents, others with two decimals.

    >>> format_currency(9500.5), format_currency(9500.5, "en")
    ('9.500,50 €', '€9,500.50')
    >>> format_currency(1200, "it", digits=2)
    '1.200,00 €'
    """
    if is_missing(value):
        return missing
    if digits is None:
        digits = 0 if _is_whole(value) else 2
    locale = _locale(lang)
    # the locale's own pattern (where the sign goes, the space before it), with our decimals
    pattern = _numbers.Locale.parse(locale).currency_formats["standard"].pattern
    pattern = pattern.split(";")[0]
    body = "#,##0." + "0" * digits if digits > 0 else "#,##0"
    pattern = pattern.replace("#,##0.00", body)
    text = _numbers.format_currency(float(value), currency, format=pattern, locale=locale,
                                    currency_digits=False)
    # CLDR puts a no-break space before the sign; a plain space reads and copies the same
    return text.replace("\xa0", " ").replace("\u202f", " ")


def format_percent(value: Any, lang: str = DEFAULT_LANG, digits: int = 0, *,
                   missing: str = MISSING) -> str:
    """A share (``0.128``) as a percentage (``13%``), with ``digits`` decimals.

    >>> format_percent(0.128), format_percent(0.1284, "it", 1), format_percent(0.1284, "en", 1)
    ('13%', '12,8%', '12.8%')
    """
    if is_missing(value):
        return missing
    pattern = "#,##0." + "0" * digits + "%" if digits > 0 else "#,##0%"
    return _numbers.format_percent(float(value), format=pattern, locale=_locale(lang))


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        return _dt.date.fromisoformat(value[:10])
    to_pydatetime = getattr(value, "to_pydatetime", None)  # pandas Timestamp
    if to_pydatetime is not None:
        return to_pydatetime().date()
    import numpy as np  # numpy datetime64

    if isinstance(value, np.datetime64):
        return _dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    raise TypeError(f"not a date: {value!r}")


def format_date(value: Any, lang: str = DEFAULT_LANG, *, missing: str = MISSING) -> str:
    """A day as ``dd/mm/yyyy`` (both languages); accepts dates, datetimes, Timestamps, ISO text.

    >>> import pandas as pd
    >>> format_date(pd.Timestamp("2016-02-01 13:00")), format_date("2016-05-18", "en")
    ('01/02/2016', '18/05/2016')
    >>> format_date(pd.NaT)
    '–'
    """
    if is_missing(value):
        return missing
    return _dates.format_date(_as_date(value), format=DATE_PATTERN, locale=_locale(lang))
