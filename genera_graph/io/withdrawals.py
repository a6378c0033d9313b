"""The withdrawal ledger: records withdrawn in the explorer stay withdrawn.

:func:`genera_graph.io.records.withdraw_record` takes a record out of its data table and
writes its key here (table ``withdrawals``: the table and the natural key's cells, ids and the
key's date only, no other value), so that an import of an old register that still holds the
row does not bring it back: the importer leaves such rows out, each reported as a warning
naming the file, the spreadsheet row and the key column (:data:`RULE`), and counts them
(``FileOutcome.rows_withdrawn``: rows read = accepted + quarantined + erased + withdrawn).
Recording the same key again in the explorer (a deliberate new record) lifts the withdrawal.

Examples
--------
>>> import pandas as pd
>>> keys = WithdrawnKeys({"interactions": {("X1",)}})
>>> rows = pd.DataFrame({"interaction_id": ["X0", "X1"]}, index=[2, 3])
>>> keys.mask("interactions", rows).tolist(), keys.mask("relations", rows).tolist()
([False, True], [False, False])
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from genera_graph.io.registers import DATE_FORMAT
from genera_graph.io.schema import METADATA, TABLE_KEYS

__all__ = ["RULE", "WithdrawnKeys", "forget_withdrawal", "key_text", "remember_withdrawal"]

#: the warning an imported row of a withdrawn record carries
RULE = "withdrawn in the explorer: not imported again"


def key_text(key: Mapping[str, str]) -> str:
    """A natural key's register cells as the ledger (and ``record_history``) keep them."""
    return json.dumps(list(key.values()), ensure_ascii=False)


def remember_withdrawal(conn: sa.Connection, table: str, key: Mapping[str, str],
                        at: datetime) -> None:
    """Write a withdrawn record's key to the ledger (inside the withdrawal's transaction)."""
    ledger = METADATA.tables["withdrawals"]
    text = key_text(key)
    if conn.execute(sa.select(ledger.c.table_name).where(
            ledger.c.table_name == table, ledger.c.record_key == text)).first() is None:
        conn.execute(sa.insert(ledger).values(table_name=table, record_key=text, at=at))


def forget_withdrawal(conn: sa.Connection, table: str, key: Mapping[str, str]) -> None:
    """Lift a withdrawal: the same key is being recorded again, on purpose, in the explorer."""
    ledger = METADATA.tables["withdrawals"]
    conn.execute(sa.delete(ledger).where(ledger.c.table_name == table,
                                         ledger.c.record_key == key_text(key)))


class WithdrawnKeys:
    """The ledger's keys, table by table, to look an import's rows up in (one import; a store
    without withdrawals costs one query)."""

    def __init__(self, keys: Mapping[str, set[tuple[str, ...]]]) -> None:
        self._keys = {t: set(k) for t, k in keys.items() if k}

    @classmethod
    def from_conn(cls, conn: sa.Connection) -> WithdrawnKeys:
        ledger = METADATA.tables["withdrawals"]
        keys: dict[str, set[tuple[str, ...]]] = {}
        for table, text in conn.execute(sa.select(ledger.c.table_name, ledger.c.record_key)):
            keys.setdefault(table, set()).add(tuple(json.loads(text)))
        return cls(keys)

    @property
    def empty(self) -> bool:
        return not self._keys

    def mask(self, table: str, typed: pd.DataFrame) -> np.ndarray:
        """Which rows of a typed register frame are withdrawn records."""
        keys = self._keys.get(table)
        columns = list(TABLE_KEYS.get(table, ()))
        if not keys or not len(typed) or not all(c in typed for c in columns):
            return np.zeros(len(typed), dtype=bool)
        cells = [_cells(typed[c]) for c in columns]
        return np.fromiter((k in keys for k in zip(*cells, strict=True)), dtype=bool,
                           count=len(typed))


def _cells(values: pd.Series) -> list[str]:
    """Typed key values as register text (dates dd/mm/yyyy)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return ["" if pd.isna(v) else v.strftime(DATE_FORMAT) for v in values]
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()
            for v in values]
