"""Add the data dictionaries' texts to a gettext template: ``python scripts/dictionary_messages.py POT``.

The dictionaries of the analysis tables are built when their modules are imported, so
``pybabel extract`` cannot see them; ``make messages`` runs this after it.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import read_po, write_po

from genera_graph.analytics.tables import dictionary_texts


def main(pot: str) -> int:
    with open(pot, "rb") as handle:
        catalog = read_po(handle)
    for text in dictionary_texts():
        catalog.add(text, auto_comments=["data dictionary"])
    with open(pot, "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
