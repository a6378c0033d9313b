"""Fill a gettext catalog from a Python mapping: ``python scripts/fill_catalog.py LANG FILE``.

FILE defines ``IT`` (or ``EN``): ``{(context, msgid): msgstr}``, a ``(singular, plural)`` pair
for plural messages. ``en`` with no FILE copies every message id into its English
translation (the ids are English). Entries already translated are kept unless FILE names them.
"""

from __future__ import annotations

import runpy
import sys

from babel.messages.pofile import read_po, write_po

from genera_graph.l10n import catalog_path


def main(lang: str, source: str | None = None) -> int:
    path = catalog_path(lang)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    table = runpy.run_path(source)[lang.upper()] if source else {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        key = (message.context, msgid)
        if key in table:
            message.string = table[key]
        elif lang == "en" and not source and not any(
                message.string if isinstance(message.string, tuple) else [message.string]):
            message.string = message.id
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
