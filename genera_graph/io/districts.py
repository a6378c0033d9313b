"""Districts in the store: a district owns Community Points; a coordinator may be scoped to one.

A region adopting the programme runs many districts (each the size of District 10: a handful
of Community Points). The store keeps them in the tables of one schema migration step:

- ``districts``: ``district_id``, ``name``;
- ``district_points``: ``community_point_id`` -> ``district_id``, each point in at most one
  district (the point must be an actor of kind ``community_point``);
- ``user_districts``: ``user_id`` -> ``district_id``: a coordinator account scoped to one
  district sees only the families of that district's points (see
  :class:`~genera_graph.io.accounts.Accounts`).

The districts table of a region is written by :func:`set_districts` from a frame with the
columns of :data:`DISTRICT_COLUMNS` (the ``districts.csv`` the region sample writes, see
:func:`read_districts_file`); it replaces the whole assignment in one transaction, and refuses
(writing nothing) a table with an unknown point, a point in two districts, or a district with
two names. A district still named by an account cannot be removed.

Examples
--------
>>> import tempfile, pathlib
>>> from genera_graph.io.store import Store
>>> from genera_graph.sample.region import generate_region
>>> region = generate_region(districts=1, households_per_district=100, seed=2)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with Store(folder / "g.sqlite") as store:
...     _ = store.import_dataset(region.dataset)
...     set_districts(store, region.districts)
...     read_districts(store)["district_id"].unique().tolist(), district_points(store, "D01")[:2]
(1, 6)
(['D01'], ('D01CP01', 'D01CP02'))
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

__all__ = [
    "DISTRICTS_FILE",
    "DISTRICT_COLUMNS",
    "DISTRICT_TABLES",
    "DISTRICT_READ_INDEXES",
    "DistrictError",
    "create_district_indexes",
    "define_district_tables",
    "district_of_user",
    "district_points",
    "read_districts",
    "read_districts_file",
    "set_districts",
    "set_user_district",
]

#: the tables of the districts' migration step, in creation order
DISTRICT_TABLES = ("districts", "district_points", "user_districts")
#: columns of a districts table (and of ``districts.csv``)
DISTRICT_COLUMNS = ["district_id", "community_point_id", "name"]
#: the file name of a region's districts table beside its registers
DISTRICTS_FILE = "districts.csv"
#: (table, column): the indexes :func:`read_district` finds a district's rows by (created by
#: :func:`set_districts`; without them the read is the same, by whole-table scans)
DISTRICT_READ_INDEXES = (
    ("actors", "community_point_id"),
    ("interactions", "source_actor_id"),
    ("interactions", "target_actor_id"),
    ("relations", "actor_id"),
    ("relations", "partner_id"),
    ("participations", "actor_id"),
    ("household_members", "individual_id"),
)


class DistrictError(ValueError):
    """A districts table or assignment that cannot be stored (one line, nothing written)."""


def define_district_tables(metadata: sa.MetaData) -> None:
    """Add the district tables to ``metadata`` (frozen once landed: change them by a new
    migration step)."""
    _DEFINED_IN.append(metadata)
    deferred = {"deferrable": True, "initially": "DEFERRED"}
    sa.Table(
        "districts", metadata,
        sa.Column("district_id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    sa.Table(
        "district_points", metadata,
        sa.Column("community_point_id", sa.Text,
                  sa.ForeignKey("actors.actor_id", **deferred), primary_key=True),
        sa.Column("district_id", sa.Text, sa.ForeignKey("districts.district_id", **deferred),
                  nullable=False, index=True),
    )
    sa.Table(
        "user_districts", metadata,
        sa.Column("user_id", sa.Integer,
                  sa.ForeignKey("users.user_id", ondelete="CASCADE", **deferred),
                  primary_key=True),
        sa.Column("district_id", sa.Text, sa.ForeignKey("districts.district_id", **deferred),
                  nullable=False),
    )


#: the metadata the district tables were added to (genera_graph.io.schema's, when it is
#: imported: every Store imports it), so that this module need not import the schema back
_DEFINED_IN: list[sa.MetaData] = []


def _tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    metadata = _DEFINED_IN[-1]
    return tuple(metadata.tables[name] for name in DISTRICT_TABLES)  # type: ignore[return-value]


def read_districts_file(path: str | os.PathLike) -> pd.DataFrame:
    """A districts table from ``districts.csv`` (``;``-separated, UTF-8, a header of
    :data:`DISTRICT_COLUMNS`), or from a folder holding one."""
    path = Path(path)
    if path.is_dir():
        path = path / DISTRICTS_FILE
    if not path.is_file():
        raise DistrictError(f"{path.name}: no such file")
    table = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in DISTRICT_COLUMNS if c not in table.columns]
    if missing:
        raise DistrictError(f"{path.name}: missing column(s) {', '.join(missing)}")
    return table[DISTRICT_COLUMNS]


def set_districts(store, table: pd.DataFrame) -> tuple[int, int]:  # noqa: ANN001
    """Replace the store's districts with ``table`` (columns :data:`DISTRICT_COLUMNS`).

    Returns
    -------
    (districts, points) : tuple of int
        How many districts and Community Points were stored.

    Raises
    ------
    DistrictError
        A point that is not a Community Point of the store, a point in two districts, a
        district with two names, an empty id, or the removal of a district an account is
        scoped to. Nothing is written.

    Notes
    -----
    The same transaction creates the indexes of :data:`DISTRICT_READ_INDEXES` if the store
    lacks them (:func:`create_district_indexes`: a store with districts is read a district
    at a time by :func:`read_district`); on a region of 4.3M contacts that is about 30 s,
    once.
    """
    frame = pd.DataFrame({c: table[c].astype(str).str.strip() for c in DISTRICT_COLUMNS})
    if frame.empty:
        raise DistrictError("the districts table is empty")
    if (frame["district_id"] == "").any() or (frame["community_point_id"] == "").any():
        row = int(((frame["district_id"] == "") | (frame["community_point_id"] == ""))
                  .to_numpy().argmax()) + 2
        raise DistrictError(f"row {row}: empty district_id or community_point_id")
    twice = frame[frame.duplicated("community_point_id", keep=False)]
    if len(twice):
        point = twice["community_point_id"].iloc[0]
        owners = " and ".join(sorted(set(
            twice.loc[twice["community_point_id"] == point, "district_id"])))
        raise DistrictError(f"Community Point {point} is listed twice (in {owners})")
    names = frame.groupby("district_id")["name"].nunique()
    if (names > 1).any():
        raise DistrictError(f"district {names[names > 1].index[0]} has more than one name")
    districts, points, users = _tables()
    with store.write_transaction() as conn:
        known = {r[0] for r in conn.exec_driver_sql(
            "SELECT actor_id FROM actors WHERE kind = 'community_point'")}
        unknown = sorted(set(frame["community_point_id"]) - known)
        if unknown:
            raise DistrictError(f"not a Community Point of the store: {', '.join(unknown[:5])}")
        wanted = set(frame["district_id"])
        held = {r[0] for r in conn.execute(sa.select(users.c.district_id))}
        if held - wanted:
            raise DistrictError("an account is scoped to district "
                                f"{sorted(held - wanted)[0]}: keep it or change the account")
        conn.execute(sa.delete(points))
        conn.execute(sa.delete(districts).where(districts.c.district_id.not_in(held)))
        first = frame.drop_duplicates("district_id")
        existing = {r[0] for r in conn.execute(sa.select(districts.c.district_id))}
        for row in first.itertuples(index=False):
            if row.district_id in existing:
                conn.execute(sa.update(districts).where(
                    districts.c.district_id == row.district_id).values(name=row.name))
            else:
                conn.execute(sa.insert(districts).values(district_id=row.district_id,
                                                         name=row.name))
        conn.execute(sa.insert(points), [
            {"community_point_id": p, "district_id": d}
            for p, d in zip(frame["community_point_id"], frame["district_id"], strict=True)])
        create_district_indexes(conn)
    return len(first), len(frame)


def create_district_indexes(conn: sa.Connection) -> None:
    """Create the indexes of :data:`DISTRICT_READ_INDEXES` that are missing, on an open write
    transaction (SQLite and PostgreSQL). They change no result, only how fast a district's
    rows are found; imports keep them up to date."""
    for table, column in DISTRICT_READ_INDEXES:
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{column} ON {table} ({column})")


def read_districts(store) -> pd.DataFrame:  # noqa: ANN001
    """The store's districts: ``district_id``, ``community_point_id``, ``name``, sorted (a
    district without points has one row with a missing point)."""
    districts, points, _ = _tables()
    query = (sa.select(districts.c.district_id, points.c.community_point_id, districts.c.name)
             .select_from(districts.outerjoin(points,
                                              points.c.district_id == districts.c.district_id))
             .order_by(districts.c.district_id, points.c.community_point_id))
    with store.read_transaction() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=DISTRICT_COLUMNS).astype(object)


def district_points(store, district_id: str) -> tuple[str, ...]:  # noqa: ANN001
    """The Community Points a district owns, sorted (``DistrictError`` if no such district)."""
    districts, points, _ = _tables()
    with store.read_transaction() as conn:
        if conn.execute(sa.select(districts.c.district_id).where(
                districts.c.district_id == district_id)).first() is None:
            raise DistrictError(f"no district {district_id}")
        rows = conn.execute(sa.select(points.c.community_point_id).where(
            points.c.district_id == district_id).order_by(points.c.community_point_id)).all()
    return tuple(r[0] for r in rows)


def district_of_user(conn: sa.Connection, user_id: int) -> str | None:
    """The district an account is scoped to (``None``: none), on an open connection."""
    _, _, users = _tables()
    row = conn.execute(sa.select(users.c.district_id).where(users.c.user_id == int(user_id))
                       ).first()
    return row[0] if row else None


def set_user_district(conn: sa.Connection, user_id: int, district_id: str | None) -> None:
    """Scope an account to a district, or (``None``) to none, on an open write transaction."""
    districts, _, users = _tables()
    conn.execute(sa.delete(users).where(users.c.user_id == int(user_id)))
    if district_id is None:
        return
    if conn.execute(sa.select(districts.c.district_id).where(
            districts.c.district_id == district_id)).first() is None:
        raise DistrictError(f"no district {district_id}")
    conn.execute(sa.insert(users).values(user_id=int(user_id), district_id=district_id))
