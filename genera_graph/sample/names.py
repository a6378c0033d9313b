"""Obviously fake names for the sample district.

Names of people are built from a fixed list of invented syllables rich in letters that Italian
does not use (k, w, x, y), so that no generated name can be mistaken for a real person's.
Names are a pure function of an index: they do not consume random draws, and the same id always
gets the same name.

Examples
--------
>>> person_name(0, 0)
'Kwokwo Zyxkwokwo'
>>> household_name(17)
'Famiglia Fittizia 017'
>>> person_name(5, 3) != person_name(6, 3)
True
"""

from __future__ import annotations

__all__ = [
    "SYLLABLES",
    "household_name",
    "organisation_name",
    "person_name",
]

#: invented syllables (no real Italian or common first name can come out of two of them)
SYLLABLES: tuple[str, ...] = (
    "kwo", "xa", "yul", "zyx", "wim", "qok", "brix", "vaxy",
    "klu", "oxo", "jek", "wub", "yax", "kiz", "xol", "dwy",
)


def _word(index: int, length: int) -> str:
    n = len(SYLLABLES)
    parts = []
    for _ in range(length):
        parts.append(SYLLABLES[index % n])
        index //= n
    return "".join(parts).capitalize()


def person_name(person_index: int, family_index: int) -> str:
    """A fake personal name: an invented given name and the family's invented surname.

    Parameters
    ----------
    person_index : int
        Index of the person (any non-negative integer).
    family_index : int
        Index of the family; members of a family share the surname.

    Returns
    -------
    str
        Two capitalised words made of :data:`SYLLABLES`.
    """
    return f"{_word(person_index, 2)} {_word(family_index * 7 + 3, 3)}"


def household_name(index: int) -> str:
    """A household's display name, ``Famiglia Fittizia NNN``."""
    return f"Famiglia Fittizia {index:03d}"


def organisation_name(label: str, index: int) -> str:
    """An organisation's display name: its kind label, ``fittizia`` and an invented word.

    >>> organisation_name("Associazione", 3)
    'Associazione fittizia Zyxkwo 003'
    """
    return f"{label} fittizia {_word(index, 2)} {index:03d}"
