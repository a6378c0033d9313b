"""The in-memory dataset: the six tables of the data model, together.

Examples
--------
>>> ds = Dataset.empty()
>>> sorted(ds.tables())
['activities', 'actors', 'household_members', 'interactions', 'participations', 'relations']
>>> len(ds.actors)
0
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from genera_graph.model.schemas import TABLE_SCHEMAS

__all__ = ["Dataset"]


@dataclass(frozen=True)
class Dataset:
    """The six tables of the data model (see :mod:`genera_graph.model.schemas`).

    Frames are expected to be valid against their schema; :meth:`validated` returns a copy that
    is (columns coerced, unknown columns dropped) or raises ``pandera`` errors.
    """

    actors: pd.DataFrame
    household_members: pd.DataFrame
    activities: pd.DataFrame
    participations: pd.DataFrame
    interactions: pd.DataFrame
    relations: pd.DataFrame

    @classmethod
    def empty(cls) -> Dataset:
        """A dataset with every table present and no rows."""
        return cls(**{name: _empty_frame(name) for name in TABLE_SCHEMAS})

    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name -> frame, in dependency order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def validated(self) -> Dataset:
        """Every table validated (lazily: all errors at once) against its schema."""
        return Dataset(
            **{
                name: TABLE_SCHEMAS[name].validate(frame, lazy=True)
                for name, frame in self.tables().items()
            }
        )


def _empty_frame(name: str) -> pd.DataFrame:
    schema = TABLE_SCHEMAS[name].to_schema()
    data = {}
    for col, column in schema.columns.items():
        dtype = str(column.dtype)
        if "datetime" in dtype:
            data[col] = pd.Series([], dtype="datetime64[ns]")
        elif "float" in dtype:
            data[col] = pd.Series([], dtype="float64")
        else:
            data[col] = pd.Series([], dtype=object)
    return pd.DataFrame(data)
