"""How each column of a research table is treated (:class:`TableSpec`): shared by the
pseudonymisation (:mod:`genera_graph.exports.research`) and the writer of the files
(:mod:`genera_graph.exports.research_files`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["TableSpec"]


@dataclass(frozen=True)
class TableSpec:
    """How each column of one table is treated; every column must be named exactly once.

    Attributes
    ----------
    ids : tuple of str
        Id columns (actors, households, activities): replaced by pseudonyms.
    drop : tuple of str
        Personal or free-text columns (names, titles that can name people, notes, phone,
        e-mail, address): removed.
    dates : tuple of str
        Date columns: coarsened to the month or shifted (see :func:`pseudonymise_dataset`).
    keep : tuple of str
        Columns kept as they are (kinds, programmes, Community Points, flags, measures).
    counts : tuple of str
        Count columns: kept, with cells below ``k`` suppressed.
    person : str, optional
        The id column whose person keys the date shift (before pseudonymisation).
    descriptions : mapping of str to str
        Definitions of the exported columns, for the data dictionary.
    """

    ids: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    person: str | None = None
    descriptions: Mapping[str, str] = field(default_factory=dict)

    def roles(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for role in ("ids", "drop", "dates", "keep", "counts"):
            for column in getattr(self, role):
                if column in out:
                    raise ValueError(f"column {column!r} is both {out[column]} and {role}")
                out[column] = role
        return out
