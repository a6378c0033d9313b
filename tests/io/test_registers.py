"""Register files: read, write, and row-precise problems."""

from __future__ import annotations

import pandas as pd
import pytest

from genera_graph.io.registers import (
    REGISTERS,
    RegisterError,
    read_register,
    read_registers,
    register_for,
    write_registers,
)
from genera_graph.model import Dataset


def _tiny() -> Dataset:
    ds = Dataset.empty()
    d = pd.to_datetime
    actors = pd.DataFrame({
        "actor_id": ["CP01", "F01", "H001", "I0001", "I0002", "AS001"],
        "kind": ["community_point", "facilitator", "household", "individual", "individual",
                 "association"],
        "name": ["Punto Uno", "Facilitatore Finto", "Famiglia Finta", "Zorba Fittizio",
                 "Élodie Fittizia", "Associazione Finta"],
        "community_point_id": ["CP01", "CP01", "CP01", "CP01", "CP01", None],
        "municipality": ["Rezzato"] * 6,
        "facilitator_id": [None, None, "F01", None, None, None],
        "first_met": d(["2016-05-18", "2016-02-01", "2016-06-01", "2016-06-01", "2016-06-01",
                        "2016-07-03"]),
        "left_on": d([None, None, None, None, "2018-01-31", None]),
    })
    members = pd.DataFrame({
        "household_id": ["H001", "H001"], "individual_id": ["I0001", "I0002"],
        "role": ["head", "child"], "start_date": d(["2016-06-01"] * 2),
        "end_date": d([None, None]),
    })
    relations = pd.DataFrame({
        "relation_id": ["R1", "R2"], "kind": ["lease", "membership"],
        "actor_id": ["H001", "I0001"], "partner_id": ["AS001", "AS001"],
        "activity_id": [None, None], "start_date": d(["2016-09-01", "2016-10-01"]),
        "end_date": d(["2017-08-31", None]), "nature": ["institutional"] * 2,
        "programme": ["housing", "community"], "community_point_id": ["CP01", None],
        "source": ["register"] * 2,
    })
    return Dataset(**{**ds.tables(), "actors": actors, "household_members": members,
                      "relations": relations}).validated()


def test_round_trip_keeps_every_value(tmp_path):
    ds = _tiny()
    write_registers(ds, tmp_path)
    back = read_registers(tmp_path)
    for name, frame in ds.tables().items():
        got = back.tables()[name]
        assert len(got) == len(frame), name
        if len(frame):
            pd.testing.assert_frame_equal(
                got.reset_index(drop=True)[frame.columns], frame.reset_index(drop=True),
                check_dtype=False)


def test_files_use_italian_office_conventions(tmp_path):
    write_registers(_tiny(), tmp_path)
    text = (tmp_path / "actors.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("actor_id;kind;name")
    assert "18/05/2016" in text and "2016-05-18" not in text
    assert "Élodie" in text
    housing = (tmp_path / "housing.csv").read_text(encoding="utf-8")
    assert "R1" in housing and "R2" not in housing  # membership goes to memberships.csv
    assert "R2" in (tmp_path / "memberships.csv").read_text(encoding="utf-8")


def test_broken_row_is_named_by_file_row_and_column(tmp_path):
    write_registers(_tiny(), tmp_path)
    path = tmp_path / "actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # spreadsheet row 4 is the third data row: give it an unknown kind and an impossible date
    fields = lines[3].split(";")
    fields[1] = "alien"
    fields[6] = "31/02/2017"
    lines[3] = ";".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RegisterError) as info:
        read_registers(tmp_path)
    found = {(p.file, p.row, p.column) for p in info.value.problems}
    assert ("actors.csv", 4, "kind") in found
    assert ("actors.csv", 4, "first_met") in found
    message = str(info.value)
    assert "actors.csv, row 4, column 'kind'" in message
    assert "31/02/2017" in message


def test_day_first_dates(tmp_path):
    write_registers(_tiny(), tmp_path)
    frame, problems = read_register(tmp_path / "households.csv")
    assert not problems
    assert frame["start_date"].iloc[0] == pd.Timestamp("2016-06-01")  # 01/06 is 1 June


def test_missing_header_column(tmp_path):
    path = tmp_path / "attendance.csv"
    path.write_text("activity_id;actor_id;role;source\nA1;I1;participant;survey\n",
                    encoding="utf-8")
    _, problems = read_register(path)
    assert [(p.row, p.column) for p in problems] == [(1, "date")]


def test_register_names_are_unique_and_cover_every_table():
    assert len({r.file for r in REGISTERS}) == len(REGISTERS)
    assert {r.table for r in REGISTERS} == set(Dataset.empty().tables())
    with pytest.raises(KeyError, match="not a known register"):
        register_for("payroll.csv")
