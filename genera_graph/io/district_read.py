"""A district's part of the store, read without the rest of it (what a distributed task reads).

Apart from :mod:`genera_graph.io.districts`, whose table definitions the schema imports: this
reader sits above the schema and the bulk reader, so the import graph keeps one direction.
"""

from __future__ import annotations

from collections.abc import Sequence

from genera_graph.io.bulk import read_table
from genera_graph.io.districts import DistrictError, district_points
from genera_graph.io.schema import DATA_TABLES
from genera_graph.model import Dataset

__all__ = ["read_district"]


#: the actors a district's part holds, as common table expressions on ``:points`` (the
#: district's Community Points): ``own`` its points' actors, ``k1`` with the other end of
#: every contact and relation touching them, ``k2`` with the households of those
#: individuals, ``kept`` with the facilitators of all of them
_DISTRICT_CTES = """own(id) AS (SELECT actor_id FROM actors WHERE community_point_id IN :points),
k1(id) AS (SELECT id FROM own
  UNION SELECT source_actor_id FROM interactions WHERE target_actor_id IN (SELECT id FROM own)
  UNION SELECT target_actor_id FROM interactions WHERE source_actor_id IN (SELECT id FROM own)
  UNION SELECT actor_id FROM relations WHERE partner_id IN (SELECT id FROM own)
  UNION SELECT partner_id FROM relations WHERE actor_id IN (SELECT id FROM own)),
k2(id) AS (SELECT id FROM k1 UNION SELECT household_id FROM household_members
  WHERE individual_id IN (SELECT id FROM k1)),
kept(id) AS (SELECT id FROM k2 UNION SELECT facilitator_id FROM actors
  WHERE facilitator_id IS NOT NULL AND actor_id IN (SELECT id FROM k2))"""
_OWN = "(SELECT id FROM own)"
#: table -> the condition on its rows of a district's part
_DISTRICT_ROWS = {
    "actors": "actor_id IN (SELECT id FROM kept)",
    "household_members": "individual_id IN (SELECT id FROM k1)",
    "activities": f"activity_id IN (SELECT activity_id FROM participations WHERE actor_id IN "
                  f"{_OWN})",
    "participations": f"actor_id IN {_OWN}",
    "interactions": f"source_actor_id IN {_OWN} OR target_actor_id IN {_OWN}",
    "relations": f"actor_id IN {_OWN} OR partner_id IN {_OWN}",
}


def read_district(store, district_id: str | None = None, *,  # noqa: ANN001
                  points: Sequence[str] | None = None):  # noqa: ANN201 - a Dataset
    """A district's part of the store, read without the rest of it.

    The rows :func:`~genera_graph.analytics.districts.district_dataset` cuts from the whole
    store (``district_dataset(store.load(), read_districts(store), district_id)``), read by
    the store's query instead: the actors of the district's Community Points, every contact
    and relation touching them, their attendances and the activities attended, the actors
    at the other end of those ties (a cross-district tie is in both districts), the
    households of the individuals kept, the facilitators of every actor kept, and the
    memberships of the individuals kept. Tables sorted and typed as
    :meth:`~genera_graph.io.database.Database.load`'s, from one consistent snapshot.

    Parameters
    ----------
    store : Store
    district_id : str, optional
        A district of the store (:func:`~genera_graph.io.districts.district_points`).
    points : sequence of str, optional
        Instead of ``district_id``: the Community Points of the part.

    Returns
    -------
    Dataset

    Raises
    ------
    DistrictError
        No such district, or neither ``district_id`` nor ``points``.

    Notes
    -----
    Found through the indexes of :data:`~genera_graph.io.districts.DISTRICT_READ_INDEXES`
    (see :func:`~genera_graph.io.districts.set_districts`): the cost is the part's rows, not the store's.
    """
    if points is None:
        if district_id is None:
            raise DistrictError("read_district needs a district or its Community Points")
        points = district_points(store, district_id)
    params = {"points": [str(p) for p in points]}
    if not params["points"]:
        raise DistrictError(f"district {district_id} has no Community Point")
    with store.read_transaction() as conn:
        return Dataset(**{name: read_table(conn, name, with_=_DISTRICT_CTES,
                                           where=_DISTRICT_ROWS[name], params=params)
                          for name in DATA_TABLES})
