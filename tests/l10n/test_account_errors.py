"""Every refusal of an account operation can be said in Italian (they were English only:
unknown role, user name taken...), with a role said in words, never its code."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles

from genera_graph.io.accounts import AccountError, Accounts
from genera_graph.io.store import Store
from tests.io.helpers import tiny_dataset

PASSWORD = "a long enough password"


def _refusal(call) -> AccountError:
    with pytest.raises(AccountError) as caught:
        call()
    return caught.value


def test_every_account_refusal_has_its_italian_words(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'genera.sqlite'}") as store:
        assert store.import_dataset(tiny_dataset()).ok
        accounts = Accounts(store, PasswordHasher.from_parameters(profiles.CHEAPEST))
        accounts.add("maria.r", "Maria", "coordinator", password=PASSWORD)
        refused = {
            "taken": _refusal(lambda: accounts.add("maria.r", "x", "coordinator",
                                                   password=PASSWORD)),
            "name": _refusal(lambda: accounts.add("Ma ria", "x", "coordinator",
                                                  password=PASSWORD)),
            "role": _refusal(lambda: accounts.add("luca", "Luca", "mayor", password=PASSWORD)),
            "point": _refusal(lambda: accounts.add("luca", "Luca", "facilitator",
                                                   password=PASSWORD)),
            "points": _refusal(lambda: accounts.add("luca", "Luca", "researcher", ["X"],
                                                    password=PASSWORD)),
            "unknown": _refusal(lambda: accounts.add("luca", "Luca", "facilitator", ["A001"],
                                                     password=PASSWORD)),
            "nobody": _refusal(lambda: accounts.set_role("nobody", "coordinator")),
        }
    italian = {key: error.text("it") for key, error in refused.items()}
    assert italian == {
        "taken": "il nome utente 'maria.r' è già usato",
        "name": italian["name"],
        "role": "ruolo sconosciuto 'mayor': uno tra admin, coordinator, facilitator, researcher",
        "point": "un facilitatore ha bisogno di almeno un Punto di Comunità",
        "points": "solo un facilitatore ha Punti di Comunità, non un ricercatore",
        "unknown": "non è un Punto di Comunità dell'archivio: A001",
        "nobody": "nessun account 'nobody'",
    }
    assert italian["name"].startswith("un nome utente ha da 2 a 64 caratteri")
    # English stays the exception's own text (the command line prints it)
    assert str(refused["points"]) == "only a facilitator has Community Points, not a researcher"
    assert str(refused["taken"]) == "the user name 'maria.r' is taken"
    assert all(error.text("en") == str(error) for error in refused.values())
