"""A synthetic region-scale event log (default 100k actors, 4M interactions over 36 months).

Used by ``benchmarks/bench_temporal.py``. The log is shaped like the data model's tables so that
:meth:`genera_graph.temporal.TemporalGraph.from_dataset` builds it, but built for size: actor ids
on the event side are categoricals (codes into the actors table) and text columns are
pyarrow-backed, so that 4M events cost tens of megabytes, not gigabytes. It is not validated
against the pandera schemas (that would dominate the run time).

Structure: each event joins an actor (uniform) to a neighbour at a geometric distance on a ring
of actors (mean about 20), so that partners repeat as in a real district; days are uniform over
the programme (1 Feb 2016 - 31 Jan 2019); natures are 70% peer, 25% professional, 5%
institutional. No personal data.

Examples
--------
>>> ds = region_log(n_actors=1_000, n_events=5_000, seed=1)
>>> len(ds.actors), len(ds.interactions)
(1000, 5000)

Run ``python benchmarks/region_log.py`` to print the sizes and the generation time.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from genera_graph.model import Dataset

__all__ = ["region_log"]

_DAY0 = np.datetime64("2016-02-01", "D")
_DAYS = 1096  # 1 Feb 2016 - 31 Jan 2019 inclusive


def _ids(prefix: str, n: int) -> pd.Series:
    numbers = pc.cast(pa.array(np.arange(n, dtype=np.int64)), pa.string())
    text = pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, 6, "0"), "")
    return pd.Series(pd.arrays.ArrowStringArray(text))


def region_log(
    n_actors: int = 100_000,
    n_events: int = 4_000_000,
    *,
    seed: int = 0,
    mean_distance: float = 20.0,
) -> Dataset:
    """Generate the synthetic region log as a :class:`~genera_graph.model.Dataset`.

    Parameters
    ----------
    n_actors, n_events
        Sizes (every actor is an individual; every event an interaction).
    seed
        Seed of ``numpy.random.default_rng``.
    mean_distance
        Mean ring distance between the two sides of an event (locality of partners).
    """
    rng = np.random.default_rng(seed)
    actor_ids = _ids("R", n_actors)
    actors = pd.DataFrame(
        {
            "actor_id": actor_ids,
            "kind": pd.Categorical.from_codes(np.zeros(n_actors, np.int8), ["individual"]),
            "name": pd.Categorical.from_codes(np.zeros(n_actors, np.int8), ["synthetic"]),
            "community_point_id": pd.Categorical.from_codes(
                rng.integers(0, 6, n_actors).astype(np.int8), [f"CP{i}" for i in range(1, 7)]
            ),
            "first_met": pd.Series(
                (_DAY0 + rng.integers(0, _DAYS, n_actors)).astype("datetime64[ns]")
            ),
        }
    )
    source = rng.integers(0, n_actors, n_events)
    distance = rng.geometric(1.0 / mean_distance, n_events)
    sign = np.where(rng.random(n_events) < 0.5, -1, 1)
    target = (source + sign * distance) % n_actors
    target = np.where(target == source, (source + 1) % n_actors, target)
    categories = pd.Index(actor_ids)
    natures = rng.choice(np.array([0, 1, 2], np.int8), n_events, p=[0.70, 0.25, 0.05])
    interactions = pd.DataFrame(
        {
            "interaction_id": _ids("X", n_events),
            "date": pd.Series((_DAY0 + rng.integers(0, _DAYS, n_events)).astype("datetime64[ns]")),
            "source_actor_id": pd.Categorical.from_codes(source, categories),
            "target_actor_id": pd.Categorical.from_codes(target, categories),
            "kind": pd.Categorical.from_codes(np.zeros(n_events, np.int8), ["meeting"]),
            "nature": pd.Categorical.from_codes(natures, ["peer", "professional", "institutional"]),
            "programme": pd.Categorical.from_codes(np.zeros(n_events, np.int8), ["community"]),
            "source": pd.Categorical.from_codes(np.zeros(n_events, np.int8), ["import_file"]),
        }
    )
    empty = Dataset.empty()
    return Dataset(
        actors=actors,
        household_members=empty.household_members,
        activities=empty.activities,
        participations=empty.participations,
        interactions=interactions,
        relations=empty.relations,
    )


if __name__ == "__main__":
    t0 = time.perf_counter()
    ds = region_log()
    print(
        f"region log: {len(ds.actors):,} actors, {len(ds.interactions):,} interactions "
        f"generated in {time.perf_counter() - t0:.2f} s"
    )
