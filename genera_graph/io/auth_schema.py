"""The store tables of the shared workplace: accounts, the audit log and the erasure ledger.

These are the tables of one schema migration step (see the store's numbered migrations):

- ``users``: one row per account (user name, display name, role, Community Points, argon2id
  password hash, active flag, created, last sign-in);
- ``audit_log``: append-only, hash-chained record of who did what, when (ids, never names or
  field values);
- ``erasures``: the erasure ledger: when, by whom, a keyed digest of each erased id (never the
  id's values in clear) and counts, so that an old register cannot bring a person back;
- ``store_secrets``: per-store random values (the salt of the ledger's digests).

They are defined here, apart from the data model, so that the accounts, audit and erasure
modules can use them without importing the import machinery.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["AUTH_TABLES", "define_auth_tables"]

#: the tables this step creates, in creation order
AUTH_TABLES = ("users", "audit_log", "erasures", "store_secrets")


def define_auth_tables(metadata: sa.MetaData) -> None:
    """Add the account, audit, erasure and secret tables to ``metadata`` (frozen once landed:
    change them by a new migration step)."""
    t = sa.Text
    sa.Table(
        "users", metadata,
        sa.Column("user_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", t, nullable=False, unique=True),
        sa.Column("display_name", t, nullable=False),
        sa.Column("role", t, nullable=False),
        #: a facilitator's Community Point ids, comma-separated, sorted ("" for none)
        sa.Column("community_points", t, nullable=False, default=""),
        sa.Column("password_hash", t, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, default=True),
        #: a one-time password must be changed at the next sign-in
        sa.Column("must_change_password", sa.Boolean, nullable=False, default=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_login", sa.DateTime),
    )
    sa.Table(
        "audit_log", metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        #: UTC time, ISO 8601 text (hashed as written)
        sa.Column("at", t, nullable=False),
        sa.Column("username", t, nullable=False),
        sa.Column("action", t, nullable=False),
        #: the ids acted on, comma-separated ("" for none)
        sa.Column("target", t, nullable=False),
        #: non-personal detail as a JSON object (counts, page, outcome)
        sa.Column("detail", t, nullable=False),
        sa.Column("prev_hash", t, nullable=False),
        sa.Column("hash", t, nullable=False),
    )
    sa.Table(
        "erasures", metadata,
        sa.Column("erasure_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("erased_at", t, nullable=False),
        sa.Column("username", t, nullable=False),
        #: HMAC-SHA256 of the erased id with the store's erasure salt (hex)
        sa.Column("id_digest", t, nullable=False, index=True),
        #: rows removed per table, as a JSON object
        sa.Column("counts", t, nullable=False),
    )
    sa.Table(
        "store_secrets", metadata,
        sa.Column("name", t, primary_key=True),
        sa.Column("value", t, nullable=False),
    )
