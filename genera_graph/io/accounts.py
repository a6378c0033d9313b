"""Accounts of the shared workplace, kept in the store: who may sign in, with which role.

An account has a user name (lower-case, no spaces), a display name, a role, the Community
Points of a facilitator, an argon2id password hash (``argon2-cffi``), an active flag, and its
creation and last sign-in times. A store starts with no account and no default password:
accounts are made with ``genera users add`` (the password typed at a prompt, read from
standard input, or generated once and printed once).

Roles (see DESIGN.md, section 6):

- ``coordinator``: the whole district;
- ``facilitator``: the families of their Community Point(s) (at least one);
- ``researcher``: pseudonymised aggregates only;
- ``admin``: manages accounts and reads the audit log.

Examples
--------
>>> import tempfile, pathlib
>>> from argon2 import PasswordHasher, profiles
>>> from genera_graph.io.store import Store
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "genera.sqlite")
>>> accounts = Accounts(store, hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
>>> account, _ = accounts.add("anna", "Anna", "coordinator", password="correct horse battery")
>>> account.role, account.community_points
('coordinator', ())
>>> accounts.authenticate("anna", "wrong password!").account is None
True
>>> accounts.authenticate("anna", "correct horse battery").account.username
'anna'
>>> store.close()
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from genera_graph.io.auth_schema import define_auth_tables
from genera_graph.l10n import N_, NN_, NP_, PluralMessage, gettext, pgettext

__all__ = ["MIN_PASSWORD_LENGTH", "ROLES", "Account", "AccountError", "Accounts",
           "SignIn", "generate_password"]

_META = sa.MetaData()
define_auth_tables(_META)
_USERS = _META.tables["users"]

#: the roles an account may have
ROLES = ("admin", "coordinator", "facilitator", "researcher")

#: the shortest password accepted (NIST SP 800-63B asks for at least 8; we ask for more)
MIN_PASSWORD_LENGTH = 12

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """An account operation that cannot be done (unknown user, bad role, weak password...).

    ``str(error)`` is the English text; :meth:`text` is the same in another language when
    the message is one of the catalogs' (the password rules the sign-in pages show).

    >>> error = AccountError(_TOO_SHORT, n=12)
    >>> str(error), error.text("it")
    ('a password has at least 12 characters', 'una password ha almeno 12 caratteri')
    """

    def __init__(self, message: str | PluralMessage, **values: object) -> None:
        self.message, self.values = message, values
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (as written, where the catalogs do not hold it); an
        account's ``kind`` (its role, as the sentence says it) in that language's words."""
        message = self.message
        values = dict(self.values)
        if "kind" in values and values["kind"] in _ROLE_WORDS:
            values["kind"] = pgettext(*_ROLE_WORDS[values["kind"]], lang)
        if isinstance(message, PluralMessage):
            return message.text(int(values[message.count]), lang).format(**values)
        return gettext(message, lang).format(**values) if values else gettext(message, lang)


#: the password rules, as the sign-in pages show them (gettext messages)
_TOO_SHORT = NN_("a password has at least {n} character", "a password has at least {n} characters")
_TOO_LONG = N_("a password has at most 1024 characters")
_HOLDS_NAME = N_("a password must not contain the user name")
_NOT_CURRENT = N_("the current password is not right")
_SAME_AS_CURRENT = N_("the new password must differ from the current one")
#: the other refusals (the command line's words; ``{role}``, ``{roles}`` are what one types)
_BAD_NAME = N_("a user name has 2 to 64 characters: lower-case letters, digits, '.', '_' or "
               "'-', starting with a letter or digit")
_TAKEN = N_("the user name '{username}' is taken")
_NO_ACCOUNT = N_("no account '{username}'")
_BAD_ROLE = N_("unknown role '{role}': one of {roles}")
_POINT_NEEDED = N_("a facilitator needs at least one Community Point")
_ONLY_FACILITATOR = N_("only a facilitator has Community Points, not {kind}")
_UNKNOWN_POINTS = N_("not a Community Point of the store: {points}")
_ONLY_COORDINATOR = N_("only a coordinator is scoped to a district, not {kind}")
#: a role as those sentences say it, with its article ("not a researcher")
_ROLE_WORDS = {
    "admin": NP_("account_role", "an administrator"),
    "coordinator": NP_("account_role", "a coordinator"),
    "facilitator": NP_("account_role", "a facilitator"),
    "researcher": NP_("account_role", "a researcher"),
}


@dataclass(frozen=True)
class Account:
    """One account, without its password hash.

    Attributes
    ----------
    user_id : int
    username : str
    display_name : str
    role : str
        One of :data:`ROLES`.
    community_points : tuple of str
        A facilitator's Community Point ids; for a coordinator scoped to a district, the
        points that district owns now (empty for the other roles).
    active : bool
    must_change_password : bool
        Signed in with a one-time password: must choose a new one.
    created_at, last_login : datetime
    """

    user_id: int
    username: str
    display_name: str
    role: str
    community_points: tuple[str, ...]
    active: bool
    must_change_password: bool
    created_at: datetime
    last_login: datetime | None
    #: the district a coordinator is scoped to (genera_graph.io.districts), or None
    district_id: str | None = None


@dataclass(frozen=True)
class SignIn:
    """The outcome of :meth:`Accounts.authenticate`: the account, or why not (for the log
    and the audit only: the person signing in is told the same thing whatever the reason)."""

    account: Account | None
    reason: str  # "ok", "unknown", "password", "inactive"


def generate_password() -> str:
    """A random one-time password (about 96 bits, URL-safe characters)."""
    return secrets.token_urlsafe(12)


def _row_account(row: sa.Row) -> Account:
    points = tuple(p for p in (row.community_points or "").split(",") if p)
    return Account(int(row.user_id), row.username, row.display_name, row.role, points,
                   bool(row.active), bool(row.must_change_password), row.created_at,
                   row.last_login)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Accounts:
    """The accounts of a store.

    Parameters
    ----------
    store : genera_graph.io.store.Store
        An open store (schema with the ``users`` table).
    hasher : argon2.PasswordHasher, optional
        The password hasher (default: argon2-cffi's defaults, argon2id with RFC 9106's
        low-memory parameters). A hash made with other parameters still verifies, and is
        rehashed with these at the next successful sign-in.
    """

    def __init__(self, store, hasher: PasswordHasher | None = None) -> None:  # noqa: ANN001
        self.store = store
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None
        self._lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------

    def get(self, username: str) -> Account | None:
        """The account of a user name (``None`` if there is none)."""
        with self.store.read_transaction() as conn:
            row = conn.execute(sa.select(_USERS).where(
                _USERS.c.username == str(username).strip().lower())).first()
        return self._scoped(_row_account(row)) if row else None

    def by_id(self, user_id: int) -> Account | None:
        """The account with this id (``None`` if there is none)."""
        with self.store.read_transaction() as conn:
            row = conn.execute(sa.select(_USERS).where(_USERS.c.user_id == int(user_id))
                               ).first()
        return self._scoped(_row_account(row)) if row else None

    def _scoped(self, account: Account) -> Account:
        """A coordinator scoped to a district sees that district's points, read per call so
        that a change of the district's points applies at the next request."""
        from dataclasses import replace

        from genera_graph.io.districts import district_of_user, district_points

        with self.store.read_transaction() as conn:
            district = district_of_user(conn, account.user_id)
        if district is None:
            return account
        return replace(account, district_id=district,
                       community_points=district_points(self.store, district))

    def list(self) -> pd.DataFrame:
        """Every account, by user name: ``username``, ``display_name``, ``role``,
        ``community_points``, ``active``, ``created_at``, ``last_login`` (no hashes)."""
        with self.store.read_transaction() as conn:
            rows = conn.execute(sa.select(_USERS).order_by(_USERS.c.username)).all()
        columns = ["username", "display_name", "role", "community_points", "active",
                   "created_at", "last_login"]
        return pd.DataFrame([{c: getattr(r, c) for c in columns} for r in rows],
                            columns=columns)

    def count(self) -> int:
        """How many accounts the store has."""
        with self.store.read_transaction() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(_USERS)).scalar())

    # -- writing ---------------------------------------------------------------------------

    def add(self, username: str, display_name: str, role: str,
            community_points: Iterable[str] = (), password: str | None = None,
            district: str | None = None) -> tuple[Account, str | None]:
        """Create an account.

        Parameters
        ----------
        username : str
            2 to 64 characters: lower-case letters, digits, ``.``, ``_``, ``-``.
        display_name : str
        role : str
            One of :data:`ROLES`.
        community_points : iterable of str
            A facilitator's Community Point ids (required for a facilitator, refused for the
            other roles); each must be a Community Point of the store.
        password : str, optional
            The password (at least :data:`MIN_PASSWORD_LENGTH` characters). Without it, a
            one-time password is generated and returned: it must be changed at the first
            sign-in.
        district : str, optional
            Scope a coordinator to one district of the store (:mod:`genera_graph.io.districts`):
            they see only the families of its Community Points.

        Returns
        -------
        (Account, str or None)
            The account and the generated one-time password (``None`` if one was given).

        Raises
        ------
        AccountError
            The user name is taken or malformed, the role unknown, the points wrong, the
            password too weak.
        """
        username = str(username).strip().lower()
        if not _USERNAME.match(username):
            raise AccountError(_BAD_NAME)
        points = self._check_role(role, community_points)
        self._check_district(role, district)
        one_time = password is None
        if one_time:
            password = generate_password()
        self._check_password(username, password)
        digest = self.hasher.hash(password)
        try:
            with self.store.write_transaction() as conn:
                conn.execute(sa.insert(_USERS).values(
                    username=username, display_name=str(display_name).strip() or username,
                    role=role, community_points=",".join(points), password_hash=digest,
                    active=True, must_change_password=one_time, created_at=_now(),
                    last_login=None))
                if district is not None:
                    from genera_graph.io.districts import set_user_district

                    user_id = conn.execute(sa.select(_USERS.c.user_id).where(
                        _USERS.c.username == username)).scalar_one()
                    set_user_district(conn, user_id, district)
        except sa.exc.IntegrityError as exc:
            raise AccountError(_TAKEN, username=username) from exc
        account = self.get(username)
        assert account is not None
        return account, password if one_time else None

    def set_role(self, username: str, role: str,
                 community_points: Iterable[str] = (), district: str | None = None) -> Account:
        """Change an account's role (and a facilitator's Community Points, or the district a
        coordinator is scoped to: ``None`` for none)."""
        from genera_graph.io.districts import set_user_district

        points = self._check_role(role, community_points)
        self._check_district(role, district)
        account = self._must_get(username)
        self._update(username, role=role, community_points=",".join(points))
        with self.store.write_transaction() as conn:
            set_user_district(conn, account.user_id, district)
        return self._must_get(username)

    def set_active(self, username: str, active: bool) -> Account:
        """Disable (or enable again) an account; a disabled account's sessions end at their
        next request."""
        self._update(username, active=bool(active))
        return self._must_get(username)

    def reset_password(self, username: str, password: str | None = None) -> str | None:
        """Set a new password; without one, generate a one-time password (returned), to be
        changed at the next sign-in."""
        one_time = password is None
        if one_time:
            password = generate_password()
        self._check_password(str(username).strip().lower(), password)
        self._update(username, password_hash=self.hasher.hash(password),
                     must_change_password=one_time)
        return password if one_time else None

    def change_password(self, username: str, old: str, new: str) -> Account:
        """The account holder's own change: the old password, then the new one."""
        if self.authenticate(username, old, record_login=False).account is None:
            raise AccountError(_NOT_CURRENT)
        if old == new:
            raise AccountError(_SAME_AS_CURRENT)
        self._check_password(str(username).strip().lower(), new)
        self._update(username, password_hash=self.hasher.hash(new),
                     must_change_password=False)
        return self._must_get(username)

    # -- signing in ------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, *,
                     record_login: bool = True) -> SignIn:
        """Check a user name and password.

        The same work is done for an unknown user name as for a wrong password (a hash is
        verified either way), so that timing does not tell which accounts exist. A right
        password whose hash was made with older parameters is rehashed.
        """
        name = str(username or "").strip().lower()
        with self.store.read_transaction() as conn:
            row = conn.execute(sa.select(_USERS).where(_USERS.c.username == name)).first()
        if row is None:
            self._verify(self._dummy(), password)
            return SignIn(None, "unknown")
        if not self._verify(row.password_hash, password):
            return SignIn(None, "password")
        if not row.active:
            return SignIn(None, "inactive")
        values: dict[str, object] = {}
        if record_login:
            values["last_login"] = _now()
        try:
            if self.hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = self.hasher.hash(password)
        except InvalidHashError:  # pragma: no cover - a hash this module did not write
            pass
        if values:
            with self.store.write_transaction() as conn:
                conn.execute(sa.update(_USERS).where(_USERS.c.user_id == row.user_id)
                             .values(**values))
        return SignIn(self.by_id(row.user_id), "ok")

    # -- helpers ---------------------------------------------------------------------------

    def _verify(self, digest: str, password: str) -> bool:
        try:
            return self.hasher.verify(digest, str(password or ""))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        with self._lock:
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
            return self._dummy_hash

    def _must_get(self, username: str) -> Account:
        account = self.get(username)
        if account is None:
            raise AccountError(_NO_ACCOUNT, username=str(username).strip().lower())
        return account

    def _update(self, username: str, **values: object) -> None:
        name = str(username).strip().lower()
        with self.store.write_transaction() as conn:
            done = conn.execute(sa.update(_USERS).where(_USERS.c.username == name)
                                .values(**values)).rowcount
        if not done:
            raise AccountError(_NO_ACCOUNT, username=name)

    def _check_role(self, role: str, community_points: Iterable[str]) -> tuple[str, ...]:
        if role not in ROLES:
            raise AccountError(_BAD_ROLE, role=role, roles=", ".join(ROLES))
        points = tuple(sorted({str(p).strip() for p in community_points if str(p).strip()}))
        if role == "facilitator" and not points:
            raise AccountError(_POINT_NEEDED)
        if role != "facilitator" and points:
            raise AccountError(_ONLY_FACILITATOR, kind=role)
        if points:
            with self.store.read_transaction() as conn:
                known = {r[0] for r in conn.exec_driver_sql(
                    "SELECT actor_id FROM actors WHERE kind = 'community_point'")}
            unknown = [p for p in points if p not in known]
            if unknown:
                raise AccountError(_UNKNOWN_POINTS, points=", ".join(unknown))
        return points

    def _check_district(self, role: str, district: str | None) -> None:
        if district is None:
            return
        if role != "coordinator":
            raise AccountError(_ONLY_COORDINATOR, kind=role)
        from genera_graph.io.districts import DistrictError, district_points

        try:
            district_points(self.store, district)
        except DistrictError as exc:
            raise AccountError(str(exc)) from exc

    @staticmethod
    def _check_password(username: str, password: str) -> None:
        if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(_TOO_SHORT, n=MIN_PASSWORD_LENGTH)
        if len(password) > 1024:
            raise AccountError(_TOO_LONG)
        if username and username in password.lower():
            raise AccountError(_HOLDS_NAME)
