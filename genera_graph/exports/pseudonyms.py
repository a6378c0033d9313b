"""Keyed study pseudonyms and the study key that makes them.

Ids become keyed pseudonyms, stable within one study and unlinkable across studies
(:class:`Pseudonymiser`); the key stays with the data controller, outside the export
(:func:`load_or_create_secret`).

Examples
--------
>>> p = Pseudonymiser(b"k" * 32, study="evaluation-2019")
>>> p("H001") == p("H001"), p("H001") == Pseudonymiser(b"k" * 32, study="other")("H001")
(True, False)
>>> len(p("H001")), p("H001")[0]
(17, 'P')
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import stat
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "PSEUDONYM_LENGTH",
    "PSEUDONYM_PREFIX",
    "SECRET_BYTES",
    "Pseudonymiser",
    "StudyKeyError",
    "load_or_create_secret",
]

PSEUDONYM_PREFIX = "P"
#: base32 characters kept from the HMAC (80 bits: collisions are negligible below 10^9 ids).
PSEUDONYM_LENGTH = 16
SECRET_BYTES = 32
_MIN_SECRET = 16
_SEP = "\x1f"  # ASCII unit separator: cannot occur in a study name or an id typed in a register


class StudyKeyError(ValueError):
    """The study key cannot be used: inside the export, not a key, or not private.

    The message says what to do; it never holds the key.
    """


class StudyKeyPermissionError(StudyKeyError, PermissionError):
    """The study key file is readable or writable by group or others."""


def _check_secret(secret: bytes) -> bytes:
    if not isinstance(secret, bytes | bytearray) or len(secret) < _MIN_SECRET:
        raise ValueError(f"the secret must be at least {_MIN_SECRET} bytes")
    return bytes(secret)


def _digest(secret: bytes, *parts: str) -> bytes:
    message = _SEP.join(parts).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).digest()


class Pseudonymiser:
    """Keyed pseudonyms: ``P`` + 16 base32 characters of HMAC-SHA256(secret, study + 0x1F + id).

    Parameters
    ----------
    secret : bytes
        At least 16 random bytes (:func:`load_or_create_secret` makes 32), kept by the data
        controller and never exported.
    study : str
        The study's name. The same id gets the same pseudonym within a study, and unrelated
        pseudonyms in another study (or with another secret), so that two exports cannot be
        joined on pseudonyms.

    Notes
    -----
    Without the secret, a pseudonym cannot be recomputed from a guessed id (unlike a plain
    hash of the id, which anyone can recompute for every id of the register's format). With
    the secret, the controller can re-identify (look-up), as GDPR pseudonymisation requires.
    The secret never appears in ``repr``. Cost: one HMAC per distinct id.

    Examples
    --------
    >>> import pandas as pd
    >>> p = Pseudonymiser(bytes(range(32)), study="s1")
    >>> out = p.series(pd.Series(["H001", None, "H001"]))
    >>> out.isna().tolist(), out[0] == out[2] == p("H001")
    ([False, True, False], True)
    >>> "secret" in repr(p), "\\\\x00" in repr(p)
    (False, False)
    """

    def __init__(self, secret: bytes, study: str):
        if not isinstance(study, str) or not study or _SEP in study:
            raise ValueError("the study name must be a non-empty text without \\x1f")
        self._secret = _check_secret(secret)
        self._study = study

    @property
    def study(self) -> str:
        return self._study

    def __repr__(self) -> str:
        return f"Pseudonymiser(study={self._study!r})"

    def __call__(self, identifier: Any) -> str:
        return self.pseudonym(identifier)

    def pseudonym(self, identifier: Any) -> str:
        """The pseudonym of one id (its text form)."""
        digest = _digest(self._secret, self._study, str(identifier))
        code = base64.b32encode(digest).decode("ascii")[:PSEUDONYM_LENGTH]
        return PSEUDONYM_PREFIX + code

    def series(self, values: pd.Series) -> pd.Series:
        """Pseudonymise a column; missing values stay missing. One HMAC per distinct id."""
        present = values.dropna().astype(str)
        lookup = {v: self.pseudonym(v) for v in pd.unique(present)}
        out = pd.Series(pd.NA, index=values.index, dtype="str", name=values.name)
        out.loc[present.index] = present.map(lookup)
        return out

    def shift_days(self, person: Any, max_days: int) -> int:
        """The keyed date offset of one person: non-zero, in ``[-max_days, max_days]``."""
        return _shift_days(self._secret, self._study, person, max_days)


def _shift_days(secret: bytes, study: str, person: Any, max_days: int) -> int:
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    draw = int.from_bytes(_digest(secret, "date-shift", study, str(person))[:8], "big")
    draw %= 2 * max_days
    return draw - max_days if draw < max_days else draw - max_days + 1


def load_or_create_secret(path: str | os.PathLike,
                          export_dir: str | os.PathLike | None = None) -> bytes:
    """Read the study key, or create it (32 random bytes, file mode 0600) the first time.

    Parameters
    ----------
    path : path-like
        Where the key lives: a private folder of the data controller.
    export_dir : path-like, optional
        The export folder; the key is refused inside it (it would leave with the data).

    Returns
    -------
    bytes
        The secret.

    Raises
    ------
    StudyKeyError
        (a ValueError) If the key would be inside the export folder, the file is not a key
        or cannot be read or written.
    StudyKeyPermissionError
        (a StudyKeyError and a PermissionError) If an existing key file is readable or
        writable by group or others.

    Examples
    --------
    >>> import tempfile, pathlib, stat
    >>> home = pathlib.Path(tempfile.mkdtemp())
    >>> key = load_or_create_secret(home / "keys" / "study.key", export_dir=home / "export")
    >>> len(key), stat.S_IMODE((home / "keys" / "study.key").stat().st_mode) == 0o600
    (32, True)
    >>> load_or_create_secret(home / "keys" / "study.key") == key
    True
    """
    path = Path(path).absolute()
    if export_dir is not None:
        export = Path(export_dir).absolute().resolve()
        if path.resolve() == export or export in path.resolve().parents:
            raise StudyKeyError(f"the study key {path} is inside the export folder {export}: "
                                "the secret must be kept outside the export folder")
    try:
        if path.exists():
            if not path.is_file():
                raise StudyKeyError(f"the study key {path} is not a file")
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                raise StudyKeyPermissionError(
                    f"the study key {path} is accessible by group or others (mode {mode:o}): "
                    f"make it private with chmod 600")
            secret = path.read_bytes()
            if len(secret) != SECRET_BYTES:
                raise StudyKeyError(f"{path} is not a study key ({SECRET_BYTES} bytes)")
            return secret
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = os.urandom(SECRET_BYTES)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(handle, 0o600)
            os.write(handle, secret)
        finally:
            os.close(handle)
    except StudyKeyError:
        raise
    except OSError as error:
        raise StudyKeyError(f"the study key {path} cannot be used: {error.strerror}") from None
    return secret
