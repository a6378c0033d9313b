"""The store's schema: its tables, their keys and references, and the numbered migrations.

The six tables of the data model live in tables of the same names and columns (ids as text,
dates as SQL ``DATE``), keyed by the registers' natural keys
(:attr:`~genera_graph.io.registers.Register.key`, here :data:`TABLE_KEYS`), with deferred
foreign keys from every actor or activity reference (:data:`REFERENCES`). Two more tables
record the imports: ``import_runs`` (one row per imported file: content hash, file name, time,
counts, status) and ``quarantine`` (the rows a partial import set aside, with their problems).

Every table is declared once, on :data:`METADATA`. The schema is versioned (table
``genera_schema``): :data:`MIGRATIONS` maps each step number to the function that upgrades a
store from ``step - 1`` to ``step``; :data:`SCHEMA_VERSION` is the last step.

Adding a step
-------------
Append, just above the ``SCHEMA_VERSION`` line at the end of this module, one block::

    # -- step 3: what it adds (who) --
    sa.Table("users", METADATA, sa.Column("user_id", sa.Text, primary_key=True), ...)
    MIGRATIONS[3] = create_tables("users")

(a step that is not only new tables is any function ``(connection) -> None``, run inside the
upgrade's transaction). Never change a table of an earlier step in place: add a step. Take the
next free number when you land; steps must run on SQLite and on PostgreSQL.

Examples
--------
>>> SCHEMA_VERSION == max(MIGRATIONS)
True
>>> TABLE_KEYS["participations"]
('activity_id', 'actor_id', 'date')
>>> columns("household_members")
['household_id', 'individual_id', 'role', 'start_date', 'end_date']
>>> date_columns("relations")
['start_date', 'end_date']
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from genera_graph.io.auth_schema import AUTH_TABLES, define_auth_tables
from genera_graph.io.districts import DISTRICT_TABLES, define_district_tables
from genera_graph.io.registers import REGISTERS
from genera_graph.model import TABLE_SCHEMAS

__all__ = [
    "BUMP_DATA_VERSION",
    "DATA_TABLES",
    "DATA_VERSION_TABLES",
    "METADATA",
    "MIGRATIONS",
    "PRIMARY_KEYS",
    "REFERENCES",
    "SCHEMA_VERSION",
    "TABLE_KEYS",
    "Migration",
    "columns",
    "create_tables",
    "data_version",
    "date_columns",
    "float_columns",
    "schema_version",
    "upgrade_connection",
]

#: the data model's tables, in the model's order
DATA_TABLES: list[str] = list(TABLE_SCHEMAS)

#: table -> natural key (the primary key of its store table)
TABLE_KEYS: dict[str, tuple[str, ...]] = {}
for _reg in REGISTERS:
    TABLE_KEYS.setdefault(_reg.table, _reg.key)

#: table -> {column: referenced table}: every id that must name an actor or an activity
REFERENCES: dict[str, dict[str, str]] = {
    "actors": {"community_point_id": "actors", "facilitator_id": "actors"},
    "household_members": {"household_id": "actors", "individual_id": "actors"},
    "activities": {"community_point_id": "actors", "partner_id": "actors"},
    "participations": {"activity_id": "activities", "actor_id": "actors"},
    "interactions": {"source_actor_id": "actors", "target_actor_id": "actors",
                     "community_point_id": "actors"},
    "relations": {"actor_id": "actors", "partner_id": "actors", "activity_id": "activities",
                  "community_point_id": "actors"},
}

#: referenced table -> its one-column primary key
PRIMARY_KEYS: dict[str, str] = {"actors": "actor_id", "activities": "activity_id"}

#: a migration step: upgrades an open transaction's store by one version
Migration = Callable[[sa.Connection], None]


def _version_1_tables(metadata: sa.MetaData) -> None:
    """The six data tables and ``import_runs``, as of schema version 1 (frozen: change them by
    a new step)."""
    t, d, f = sa.Text, sa.Date, sa.Float

    def ref(table: str) -> sa.ForeignKey:
        return sa.ForeignKey(f"{table}.{PRIMARY_KEYS[table]}", deferrable=True,
                             initially="DEFERRED")

    sa.Table(
        "actors", metadata,
        sa.Column("actor_id", t, primary_key=True),
        sa.Column("kind", t, nullable=False),
        sa.Column("name", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("municipality", t),
        sa.Column("facilitator_id", t, ref("actors")),
        sa.Column("first_met", d, nullable=False),
        sa.Column("left_on", d),
    )
    sa.Table(
        "household_members", metadata,
        sa.Column("household_id", t, ref("actors"), primary_key=True),
        sa.Column("individual_id", t, ref("actors"), primary_key=True),
        sa.Column("role", t, nullable=False),
        sa.Column("start_date", d, primary_key=True),
        sa.Column("end_date", d),
    )
    sa.Table(
        "activities", metadata,
        sa.Column("activity_id", t, primary_key=True),
        sa.Column("kind", t, nullable=False),
        sa.Column("programme", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("title", t, nullable=False),
        sa.Column("start_date", d, nullable=False),
        sa.Column("end_date", d),
        sa.Column("funding_eur", f),
        sa.Column("partner_id", t, ref("actors")),
    )
    sa.Table(
        "participations", metadata,
        sa.Column("activity_id", t, ref("activities"), primary_key=True),
        sa.Column("actor_id", t, ref("actors"), primary_key=True),
        sa.Column("date", d, primary_key=True),
        sa.Column("role", t, nullable=False),
        sa.Column("source", t, nullable=False),
    )
    sa.Table(
        "interactions", metadata,
        sa.Column("interaction_id", t, primary_key=True),
        sa.Column("date", d, nullable=False),
        sa.Column("source_actor_id", t, ref("actors"), nullable=False),
        sa.Column("target_actor_id", t, ref("actors"), nullable=False),
        sa.Column("kind", t, nullable=False),
        sa.Column("nature", t, nullable=False),
        sa.Column("programme", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("source", t, nullable=False),
    )
    sa.Table(
        "relations", metadata,
        sa.Column("relation_id", t, primary_key=True),
        sa.Column("kind", t, nullable=False),
        sa.Column("actor_id", t, ref("actors"), nullable=False),
        sa.Column("partner_id", t, ref("actors"), nullable=False),
        sa.Column("activity_id", t, ref("activities")),
        sa.Column("start_date", d, nullable=False),
        sa.Column("end_date", d),
        sa.Column("nature", t, nullable=False),
        sa.Column("programme", t, nullable=False),
        sa.Column("community_point_id", t, ref("actors")),
        sa.Column("source", t, nullable=False),
    )
    sa.Table(
        "import_runs", metadata,
        sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("register", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_accepted", sa.Integer, nullable=False),
        sa.Column("rows_quarantined", sa.Integer, nullable=False),
        sa.Column("rows_new", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
    )


def _version_2_tables(metadata: sa.MetaData) -> None:
    """Schema version 2: ``quarantine``, the rows set aside by partial imports."""
    sa.Table(
        "quarantine", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("import_runs.run_id"), nullable=False,
                  index=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("row_number", sa.Integer),
        sa.Column("problems", sa.Text, nullable=False),
        #: the row's cells as they were read, as a JSON object
        sa.Column("cells", sa.Text, nullable=False),
    )


#: every table of every step, declared once
METADATA = sa.MetaData()
sa.Table("genera_schema", METADATA, sa.Column("version", sa.Integer, nullable=False))


def create_tables(*names: str) -> Migration:
    """A migration step that creates the named tables of :data:`METADATA` (and their indexes)."""

    def step(conn: sa.Connection) -> None:
        METADATA.create_all(conn, tables=[METADATA.tables[n] for n in names])

    step.__doc__ = f"Create {', '.join(names)}."
    return step


#: step number -> function that upgrades a store from ``step - 1`` to ``step``
MIGRATIONS: dict[int, Migration] = {}

# -- step 1: the data model and the import runs --
_version_1_tables(METADATA)
MIGRATIONS[1] = create_tables(*DATA_TABLES, "import_runs")

# -- step 2: quarantine --
_version_2_tables(METADATA)
MIGRATIONS[2] = create_tables("quarantine")

# -- step 3: records made in the explorer: every version of each, and follow-ups (workbench) --
sa.Table(
    "record_history", METADATA,
    sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
    #: the data table of the record (or "followups")
    sa.Column("table_name", sa.Text, nullable=False),
    #: the natural key's cells, as a JSON list of register text
    sa.Column("record_key", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    #: created, corrected or withdrawn
    sa.Column("action", sa.Text, nullable=False),
    #: the user id of the author of this version
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    #: the whole row of this version (for a withdrawal: the last one), a JSON object of cells
    sa.Column("cells", sa.Text, nullable=False),
    #: for a correction: JSON object column -> [old, new]
    sa.Column("changes", sa.Text),
    sa.Index("ix_record_history_key", "table_name", "record_key"),
)
sa.Table(
    "followups", METADATA,
    sa.Column("followup_id", sa.Text, primary_key=True),
    sa.Column("household_id", sa.Text, sa.ForeignKey("actors.actor_id", deferrable=True,
                                                     initially="DEFERRED"),
              nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),
    #: a code of genera_graph.io.records.FOLLOWUP_ACTIONS
    sa.Column("action", sa.Text, nullable=False),
    #: a code of genera_graph.io.records.FOLLOWUP_OUTCOMES
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("community_point_id", sa.Text),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
)
MIGRATIONS[3] = create_tables("record_history", "followups")

# -- step 4: accounts, the audit log, the erasure ledger (genera_graph.io.auth_schema) --
define_auth_tables(METADATA)
MIGRATIONS[4] = create_tables(*AUTH_TABLES)

# -- step 5: introductions acted upon in the explorer, current status (intro; history in
# record_history, see genera_graph.io.introductions) --
sa.Table(
    "introductions", METADATA,
    sa.Column("introduction_id", sa.Text, primary_key=True),
    #: the family (or person) introduced
    sa.Column("actor_id", sa.Text, sa.ForeignKey("actors.actor_id", deferrable=True,
                                                 initially="DEFERRED"), nullable=False),
    #: whom they are introduced to (a peer: household, person, association, formal group)
    sa.Column("candidate_id", sa.Text, sa.ForeignKey("actors.actor_id", deferrable=True,
                                                     initially="DEFERRED"), nullable=False),
    #: proposed, declined or done
    sa.Column("status", sa.Text, nullable=False),
    #: the day of the status (proposed, declined, or the introduction made)
    sa.Column("date", sa.Date, nullable=False),
    #: the suggestion's main reason: a code of model.introductions.INTRODUCTION_REASONS
    sa.Column("reason", sa.Text),
    #: why it was declined: a code of model.introductions.DECLINE_REASONS
    sa.Column("decline_reason", sa.Text),
    #: the family's Community Point and facilitator when it was recorded
    sa.Column("community_point_id", sa.Text),
    sa.Column("facilitator_id", sa.Text),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("actor_id", "candidate_id", name="uq_introductions_pair"),
)
MIGRATIONS[5] = create_tables("introductions")

# -- step 6: districts owning Community Points, coordinators scoped to one (region;
# genera_graph.io.districts) --
define_district_tables(METADATA)
MIGRATIONS[6] = create_tables(*DISTRICT_TABLES)

# -- step 7: the data version (workbench): a counter that every write to the data bumps in
# its own transaction (triggers, so that every writer counts: imports, the explorer,
# erasure), read by a server on each request to see another process's writes --
sa.Table(
    "data_version", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
)
#: the tables whose writes bump the data version
DATA_VERSION_TABLES: tuple[str, ...] = (*DATA_TABLES, "followups")


#: the statement that bumps the data version
BUMP_DATA_VERSION = "UPDATE data_version SET version = version + 1 WHERE id = 1"


def _data_version_step(conn: sa.Connection) -> None:
    """Create data_version (one row) and the triggers that bump it."""
    METADATA.tables["data_version"].create(conn, checkfirst=True)
    conn.execute(sa.insert(METADATA.tables["data_version"]).values(id=1, version=0))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION genera_bump_data_version() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {BUMP_DATA_VERSION}; RETURN NULL; END $$")
        for table in DATA_VERSION_TABLES:  # once per statement, whatever its rows
            conn.exec_driver_sql(
                f"CREATE TRIGGER genera_data_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION genera_bump_data_version()")
        return
    for table in DATA_VERSION_TABLES:  # SQLite triggers run per row
        for op in ("INSERT", "UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS genera_data_version_{table}_{op.lower()} "
                f"AFTER {op} ON {table} BEGIN {BUMP_DATA_VERSION}; END")


MIGRATIONS[7] = _data_version_step

# -- step 8: the withdrawal ledger (workbench; genera_graph.io.withdrawals): the keys of the
# records withdrawn in the explorer, so that an old register cannot bring them back --
sa.Table(
    "withdrawals", METADATA,
    #: the data table of the record
    sa.Column("table_name", sa.Text, primary_key=True),
    #: the natural key's cells (ids, and the date of an attendance), a JSON list
    sa.Column("record_key", sa.Text, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
)
MIGRATIONS[8] = create_tables("withdrawals")

# -- new steps go above this line (see the module docstring) --

#: the schema version this code writes (the last step)
SCHEMA_VERSION: int = max(MIGRATIONS)
if sorted(MIGRATIONS) != list(range(1, SCHEMA_VERSION + 1)):  # pragma: no cover - a typo
    raise RuntimeError(f"migration steps must be numbered 1..n, found {sorted(MIGRATIONS)}")


def schema_version(conn: sa.Connection) -> int:
    """The schema version of the store behind a connection (0: no genera_graph store yet)."""
    if not sa.inspect(conn).has_table("genera_schema"):
        return 0
    return int(conn.exec_driver_sql("SELECT max(version) FROM genera_schema").scalar() or 0)


def upgrade_connection(conn: sa.Connection, current: int, target: int = SCHEMA_VERSION) -> None:
    """Run the migration steps ``current + 1 .. target`` on an open transaction.

    Tests build a store of an older version with it: ``upgrade_connection(conn, 0, 2)``.
    """
    if current == 0:
        METADATA.tables["genera_schema"].create(conn, checkfirst=True)
    for step in range(current + 1, target + 1):
        MIGRATIONS[step](conn)
    conn.execute(sa.delete(METADATA.tables["genera_schema"]))
    conn.execute(sa.insert(METADATA.tables["genera_schema"]).values(version=target))


def data_version(conn: sa.Connection) -> int | None:
    """The store's data version (bumped by every write to the data; see step 6), or ``None``
    for a store without one."""
    try:
        value = conn.exec_driver_sql("SELECT version FROM data_version WHERE id = 1").scalar()
    except sa.exc.DBAPIError:
        return None
    return None if value is None else int(value)


def columns(table: str) -> list[str]:
    """The columns of a store table, in order."""
    return list(METADATA.tables[table].c.keys())


def date_columns(table: str) -> list[str]:
    """The ``DATE`` columns of a store table."""
    return [c.name for c in METADATA.tables[table].c if isinstance(c.type, sa.Date)]


def float_columns(table: str) -> list[str]:
    """The floating-point columns of a store table."""
    return [c.name for c in METADATA.tables[table].c if isinstance(c.type, sa.Float)]
