"""Pseudonymised research exports: nothing personal survives, in any byte of any file."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat

import pandas as pd
import pytest

from genera_graph.exports.research import (
    Pseudonymiser,
    TableSpec,
    coarsen_dates,
    load_or_create_secret,
    pseudonymise_dataset,
    shift_dates,
    suppress_small_cells,
    write_research_export,
)

STUDY = "codici-evaluation-2019"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")


@pytest.fixture
def dataset(hostile) -> dict[str, pd.DataFrame]:
    """Three register-like tables and a table of counts. No date is the 1st of a month."""
    actors = pd.DataFrame(
        {
            "actor_id": ["H-0042", "H-0107", "IND-00017", "ASS-0009", "H-0999"],
            "name": ["Famiglia Rossi", "Famiglia Bianchi-Forlà", "Giulia Bianchi",
                     "Circolo Acli Zoë", hostile],
            "kind": ["household", "household", "individual", "association", "household"],
            "household_id": ["H-0042", "H-0107", "H-0107", None, "H-0999"],
            "community_point": ["CP1", "CP1", "CP1", "CP2", "CP2"],
            "phone": ["+39 030 1234567", "333 9876543", None, "030-555123", None],
            "notes": ["sfratto in corso, vedi assistente sociale Dott.ssa Verdi", None,
                      "Giulia cerca lavoro", None, "=HYPERLINK(\"http://evil\")"],
            "first_met": pd.to_datetime(["2016-05-18", "2016-06-14", "2016-06-14",
                                         "2016-02-09", "2017-03-09"]),
        }
    )
    participations = pd.DataFrame(
        {
            "activity_id": ["ACT-2016-031", "ACT-2016-031", "ACT-2016-077"],
            "activity_title": ["Laboratorio da Giulia Bianchi", "Laboratorio da Giulia Bianchi",
                               "World café lavoro"],
            "actor_id": ["H-0042", "IND-00017", "H-0999"],
            "date": pd.to_datetime(["2016-06-23", "2016-06-23", "2016-10-12"]),
            "role": ["participant", "organiser", "participant"],
        }
    )
    relations = pd.DataFrame(
        {
            "relation_id": ["REL-LEASE-14", "REL-MEMB-03"],
            "source": ["H-0042", "IND-00017"],
            "target": ["H-0107", "ASS-0009"],
            "kind": ["lease", "membership"],
            "start": pd.to_datetime(["2016-07-19", "2016-11-05"]),
            "end": pd.to_datetime(["2017-07-18", None]),
        }
    )
    counts = pd.DataFrame(
        {
            "community_point": ["CP1", "CP1", "CP2"],
            "programme": ["housing", "work", "housing"],
            "households": [14, 3, 0],
            "share_peer": [0.4, 0.25, 0.0],
        }
    )
    for frame in (actors, participations, relations):
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                assert (frame[column].dropna().dt.day != 1).all(), "fixture dates avoid the 1st"
    return {"actors": actors, "participations": participations, "relations": relations,
            "counts": counts}


@pytest.fixture
def spec() -> dict[str, TableSpec]:
    return {
        "actors": TableSpec(ids=("actor_id", "household_id"), drop=("name", "phone", "notes"),
                            dates=("first_met",), keep=("kind", "community_point"),
                            person="actor_id",
                            descriptions={"actor_id": "pseudonym of the actor"}),
        "participations": TableSpec(ids=("activity_id", "actor_id"), drop=("activity_title",),
                                    dates=("date",), keep=("role",), person="actor_id"),
        "relations": TableSpec(ids=("relation_id", "source", "target"), dates=("start", "end"),
                               keep=("kind",), person="source"),
        "counts": TableSpec(keep=("community_point", "programme", "share_peer"),
                            counts=("households",)),
    }


def _personal(dataset, spec) -> tuple[set[str], set[pd.Timestamp]]:
    texts: set[str] = set()
    stamps: set[pd.Timestamp] = set()
    for name, frame in dataset.items():
        for column in (*spec[name].ids, *spec[name].drop):
            texts.update(str(v) for v in frame[column].dropna())
        for column in spec[name].dates:
            stamps.update(frame[column].dropna())
    return texts, stamps


def _needles(dataset: dict[str, pd.DataFrame], spec: dict[str, TableSpec]) -> list[bytes]:
    """Every personal value of the input, in every text and binary form we could write."""
    texts, stamps = _personal(dataset, spec)
    needles = [t.encode("utf-8") for t in texts]
    for stamp in stamps:
        needles += [stamp.strftime(f).encode("ascii") for f in DATE_FORMATS]
        ns = stamp.as_unit("ns").value
        for value in (ns, ns // 10**3, ns // 10**6, ns // 10**9):  # ns, us, ms, s since epoch
            needles.append(int(value).to_bytes(8, "little", signed=True))
        needles.append(int(ns // (86_400 * 10**9)).to_bytes(4, "little", signed=True))  # days
    return needles


def _export(dataset, spec, tmp_path, **options):
    secret_path = tmp_path / "controller" / "study.key"
    out_dir = tmp_path / "export"
    secret = load_or_create_secret(secret_path, export_dir=out_dir)
    pseudonymiser = Pseudonymiser(secret, STUDY)
    tables, manifest = pseudonymise_dataset(dataset, spec, pseudonymiser, **options)
    files = write_research_export(tables, manifest, out_dir, spec, secret_path=secret_path)
    return tables, manifest, files, secret, out_dir


@pytest.mark.parametrize("date_method", ["month", "quarter"])
def test_no_name_id_or_exact_date_survives_in_any_byte(dataset, spec, tmp_path, date_method):
    tables, _, files, secret, out_dir = _export(dataset, spec, tmp_path, date_method=date_method)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(p.name for p in files)
    needles = _needles(dataset, spec)
    needles += [secret, secret.hex().encode(), base64.b64encode(secret),
                base64.b32encode(secret)]
    assert len(needles) > 100
    for path in out_dir.rglob("*"):
        raw = path.read_bytes()
        for needle in needles:
            assert needle not in raw, f"{path.name} leaks a personal value"
    # the decoded contents too (a compressed or encoded file could hide a value from bytes)
    texts, stamps = _personal(dataset, spec)
    for path in out_dir.glob("*.parquet"):
        frame = pd.read_parquet(path)
        for column in frame.columns:
            for cell in frame[column].dropna():
                if isinstance(cell, pd.Timestamp):
                    assert cell not in stamps and cell.day == 1
                else:
                    assert str(cell) not in texts
    # what is left is still useful: same number of rows, joins preserved
    assert len(tables["participations"]) == len(dataset["participations"])


def test_exported_structure_and_manifest(dataset, spec, tmp_path):
    tables, manifest, _, _, out_dir = _export(dataset, spec, tmp_path)
    actors = tables["actors"]
    assert list(actors.columns) == ["actor_id", "kind", "household_id", "community_point",
                                    "first_met"]
    assert actors["first_met"].dt.strftime("%Y-%m-%d").tolist() == [
        "2016-05-01", "2016-06-01", "2016-06-01", "2016-02-01", "2017-03-01"]
    # the same id gets the same pseudonym in every table: joins survive
    pseudonym = dict(zip(dataset["actors"]["actor_id"], actors["actor_id"], strict=True))
    assert tables["participations"]["actor_id"].tolist() == [
        pseudonym[a] for a in dataset["participations"]["actor_id"]]
    assert actors.loc[2, "household_id"] == actors.loc[1, "actor_id"]  # H-0107 twice
    assert pd.isna(actors.loc[3, "household_id"])
    written = json.loads((out_dir / "MANIFEST.json").read_text(encoding="utf-8"))
    assert written == manifest
    assert manifest["tables"]["actors"]["removed"] == ["name", "phone", "notes"]
    assert manifest["tables"]["relations"]["pseudonymised"] == ["relation_id", "source",
                                                                "target"]
    assert manifest["tables"]["counts"]["suppressed"] == {"households": 2}
    assert manifest["dates"]["method"] == "month"
    assert "study.key" not in json.dumps(manifest)
    readme = (out_dir / "README.md").read_text(encoding="utf-8")
    assert STUDY in readme and "| actors | 5 |" in readme
    dictionary = pd.read_csv(out_dir / "actors.dictionary.csv", sep=";", dtype=str)
    dictionary = dictionary[dictionary["dtype"] != "file"]  # then a row per file: how to load
    assert dictionary["column"].tolist() == list(actors.columns)
    conventions = pd.read_csv(out_dir / "counts.dictionary.csv", sep=";", dtype=str,
                              keep_default_na=False).set_index("column")["convention"]
    # the dictionaries are in Italian by default (the catalogs' translations)
    assert conventions["households"].startswith("conteggio; mancante dove soppresso")
    assert conventions["households_suppressed"] == "vero/falso"


def test_pseudonyms_follow_the_published_recipe(dataset):
    """Independent recomputation of HMAC-SHA256(secret, study + 0x1F + id) -> base32[:16]."""
    secret = bytes(range(32))
    for identifier in dataset["actors"]["actor_id"]:
        digest = hmac.new(secret, f"{STUDY}\x1f{identifier}".encode(), hashlib.sha256).digest()
        want = "P" + base64.b32encode(digest).decode()[:16]
        assert Pseudonymiser(secret, STUDY)(identifier) == want


def test_pseudonyms_stable_within_and_different_across_studies(dataset):
    ids = dataset["actors"]["actor_id"]
    secret, other_secret = os.urandom(32), os.urandom(32)
    first = Pseudonymiser(secret, STUDY).series(ids)
    again = Pseudonymiser(secret, STUDY).series(ids)
    other_study = Pseudonymiser(secret, STUDY + "-b").series(ids)
    other_key = Pseudonymiser(other_secret, STUDY).series(ids)
    assert first.tolist() == again.tolist()
    assert first.nunique() == len(ids)
    assert set(first).isdisjoint(other_study) and set(first).isdisjoint(other_key)
    assert "secret" not in repr(Pseudonymiser(secret, STUDY))
    with pytest.raises(ValueError):
        Pseudonymiser(b"short", STUDY)


def test_secret_is_private_and_outside_the_export(tmp_path):
    export = tmp_path / "export"
    with pytest.raises(ValueError, match="outside"):
        load_or_create_secret(export / "study.key", export_dir=export)
    with pytest.raises(ValueError, match="outside"):
        load_or_create_secret(export / "sub" / "study.key", export_dir=export)
    key_path = tmp_path / "keys" / "study.key"
    secret = load_or_create_secret(key_path, export_dir=export)
    assert len(secret) == 32
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert load_or_create_secret(key_path) == secret  # read back, not recreated
    assert load_or_create_secret(tmp_path / "keys" / "other.key") != secret
    os.chmod(key_path, 0o644)
    with pytest.raises(PermissionError):
        load_or_create_secret(key_path)
    with pytest.raises(ValueError, match="outside"):
        write_research_export({}, {"tables": {}}, export, secret_path=export / "k" / "s.key")


def test_coarsen_dates_keeps_dtype_and_missing():
    days = pd.Series(pd.to_datetime(["2016-06-14", None, "2018-12-31"]))
    out = coarsen_dates(days, how="year")
    assert out.dtype == days.dtype
    assert out.dt.strftime("%Y-%m-%d").tolist()[::2] == ["2016-01-01", "2018-01-01"]
    assert pd.isna(out[1])
    with pytest.raises(ValueError):
        coarsen_dates(days, how="week")


def test_shift_dates_per_person_keyed_and_deterministic():
    persons = pd.Series([f"IND-{i:05d}" for i in range(40) for _ in range(2)])
    days = pd.Series(pd.to_datetime(["2016-06-14", "2016-09-02"] * 40))
    key = os.urandom(32)
    shifted = shift_dates(days, persons, key, max_days=10, study="a")
    offsets = (shifted - days).dt.days
    assert offsets.abs().between(1, 10).all()  # never zero, never past max_days
    assert (offsets[::2].to_numpy() == offsets[1::2].to_numpy()).all()  # one offset per person
    assert offsets.nunique() > 1  # not one global offset
    assert shift_dates(days, persons, key, max_days=10, study="a").equals(shifted)
    assert not shift_dates(days, persons, key, max_days=10, study="b").equals(shifted)


def test_shift_method_moves_every_date(dataset, spec, tmp_path):
    tables, manifest, _, _, _ = _export(dataset, spec, tmp_path, date_method="shift",
                                        max_shift_days=20)
    before, after = dataset["relations"], tables["relations"]
    moved = (after["start"] - before["start"]).dt.days
    assert moved.abs().between(1, 20).all()
    # interval within a person kept: the lease lasts as long as before
    assert (after.loc[0, "end"] - after.loc[0, "start"]) == (
        before.loc[0, "end"] - before.loc[0, "start"])
    assert pd.isna(after.loc[1, "end"])
    assert manifest["dates"]["max_shift_days"] == 20


def test_suppress_small_cells_keeps_numeric_types():
    table = pd.DataFrame({"cp": ["CP1", "CP2", "CP3"], "n": [12, 3, 0], "x": [7.5, 4.9, 0.0]})
    out = suppress_small_cells(table, ["n", "x"], k=5)
    assert list(out.columns) == ["cp", "n", "n_suppressed", "x", "x_suppressed"]
    assert str(out["n"].dtype) == "Int64" and str(out["x"].dtype) == "Float64"
    assert out["n"].isna().tolist() == [False, True, True]
    assert out["n_suppressed"].tolist() == [False, True, True]
    assert out.loc[0, "n"] == 12 and out.loc[0, "x"] == 7.5
    zeros = suppress_small_cells(table, ["n"], k=5, keep_zeros=True)
    assert zeros["n"].isna().tolist() == [False, True, False]
    with pytest.raises(TypeError):
        suppress_small_cells(table, ["cp"])


def test_spec_fails_closed(dataset, spec):
    pseudonymiser = Pseudonymiser(os.urandom(32), STUDY)
    loose = dict(spec, actors=TableSpec(ids=("actor_id", "household_id"), drop=("name",),
                                        dates=("first_met",), keep=("kind", "community_point")))
    with pytest.raises(ValueError, match="unclassified columns \\['phone', 'notes'\\]"):
        pseudonymise_dataset(dataset, loose, pseudonymiser)
    leaky = dict(spec, actors=TableSpec(ids=("actor_id", "household_id"), drop=("name",),
                                        dates=("first_met",),
                                        keep=("kind", "community_point", "phone", "notes")))
    with pytest.raises(ValueError, match="repeats an id or a removed personal value") as error:
        pseudonymise_dataset(dataset, leaky, pseudonymiser)
    assert "Giulia" not in str(error.value)  # the error names the column, never the value
    dated = dict(spec, relations=TableSpec(ids=("relation_id", "source", "target"),
                                           dates=("start",), keep=("kind", "end")))
    with pytest.raises(ValueError, match="holds dates"):
        pseudonymise_dataset(dataset, dated, pseudonymiser)
    with pytest.raises(ValueError, match="without spec"):
        pseudonymise_dataset(dataset, {k: v for k, v in spec.items() if k != "counts"},
                             pseudonymiser)
    no_person = dict(spec, relations=TableSpec(ids=("relation_id", "source", "target"),
                                               dates=("start", "end"), keep=("kind",)))
    with pytest.raises(ValueError, match="person"):
        pseudonymise_dataset(dataset, no_person, pseudonymiser, date_method="shift")


def test_the_byte_scan_can_fail(dataset, spec, tmp_path):
    """Negative control: the same scan finds names, ids and dates in an unprotected export."""
    from genera_graph.exports.tables import write_table

    actors = dataset["actors"]
    entries = [(c, "", "", "") for c in actors.columns]
    paths = write_table(actors, tmp_path / "raw", "actors", entries, compression=None)
    csv_bytes, parquet_bytes = paths["csv"].read_bytes(), paths["parquet"].read_bytes()
    assert b"Giulia Bianchi" in csv_bytes and b"14/06/2016" in csv_bytes
    assert b"IND-00017" in parquet_bytes
    day = pd.Timestamp("2016-06-14").as_unit("ns").value // 10**3
    assert day.to_bytes(8, "little", signed=True) in parquet_bytes  # datetime64[us] values
    needles = _needles(dataset, spec)
    assert sum(n in parquet_bytes for n in needles) > 10
