"""Disclosure control of the research export (#17), measured independently of the enforcing code.

The quasi-identifiers, entities and counts below are written here from the issue, not imported
from :mod:`genera_graph.exports.dataset`, and every measure is a plain pandas groupby: the
code that enforced k-anonymity is not the code that checks it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from genera_graph.cli import main
from genera_graph.exports.dataset import DATASET_SPEC, _source_tables, research_export
from genera_graph.exports.disclosure import (
    DATES,
    HOUSEHOLD_SIZE,
    POINT,
    QuasiIdentifier,
    aggregate_table,
    anonymise_table,
)
from genera_graph.exports.pseudonyms import Pseudonymiser
from genera_graph.exports.research import pseudonymise_dataset, suppress_small_cells

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
K = 5

#: record tables: (entity, quasi-identifiers the issue names for them)
RECORD_QIS = {
    "actors": ("actor_id", ["kind", "community_point_id", "facilitator_id", "first_met",
                            "left_on", "household_size", "household_role"]),
    "activities": ("activity_id", ["kind", "community_point_id", "start_date", "end_date",
                                   "funding_eur", "partner_id"]),
    "participations": ("actor_id", ["activity_id", "date", "role"]),
    "interactions": ("source_actor_id", ["date", "kind", "nature", "programme",
                                         "community_point_id"]),
    "relations": ("actor_id", ["start_date", "end_date", "community_point_id", "partner_id"]),
}
#: sensitive attributes (l-diversity, l = 2): housing and work relations
RECORD_SENSITIVE = {"relations": "kind"}
#: aggregates: (source record table, entity count column, dimension columns)
AGGREGATES = {
    "ties_by_period": ("interactions", "actors", ["date", "community_point_id", "nature"]),
    "households": ("actors", "households", ["community_point_id", "first_met",
                                            "household_size"]),
    "individuals": (None, "individuals", ["community_point_id", "role"]),
    "relations_by_kind": ("relations", "actors", ["community_point_id", "start_date", "kind"]),
    "activities_by_kind": ("activities", "activities", ["community_point_id", "start_date",
                                                        "programme", "kind", "funding_eur"]),
    "participations_by_period": ("participations", "participants", ["date", "programme",
                                                                    "role"]),
}


def _sample():
    if not (SAMPLE / "actors.csv").exists():
        pytest.skip("sample_data/ is not generated")
    from genera_graph.io.registers import read_registers

    return read_registers(SAMPLE)


@pytest.fixture(scope="module")
def sample():
    return _sample()


@pytest.fixture(scope="module")
def exports(sample, tmp_path_factory):
    """The sample district exported in both tiers (one study key)."""
    base = tmp_path_factory.mktemp("research")
    out = {}
    for tier in ("aggregate", "records"):
        with pytest.warns(UserWarning) if tier == "records" else _nothing():
            _, manifest = research_export(sample, base / tier, study="studio", tier=tier,
                                          secret_path=base / "keys" / "studio.key")
        out[tier] = (base / tier, manifest)
    return out


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}


def _k(frame: pd.DataFrame, qis: list[str], entity: str) -> int:
    return int(frame.groupby(qis, dropna=False)[entity].nunique().min())


@pytest.mark.slow
@pytest.mark.parametrize("tier", ["aggregate", "records"])
def test_every_released_table_is_k_anonymous_and_l_diverse(exports, tier):
    folder, manifest = exports[tier]
    tables = _tables(folder)
    assert set(tables) <= set(RECORD_QIS) | set(AGGREGATES)  # nothing escapes the checks
    if tier == "aggregate":
        assert not set(tables) & set(RECORD_QIS)  # no record-level table by default
    else:
        assert set(RECORD_QIS) <= set(tables)
    declared = manifest["disclosure"]["tables"]
    for name, frame in tables.items():
        assert declared[name]["released"]
        declared_qis = {q["column"] for q in declared[name]["quasi_identifiers"]}
        if name in RECORD_QIS:
            entity, qis = RECORD_QIS[name]
            assert set(qis) <= declared_qis, name
            assert frame[entity].notna().all()
            assert _k(frame, sorted(declared_qis), entity) >= K, name
            assert _k(frame, qis, entity) >= K, name  # a subset can only have larger groups
            if name in RECORD_SENSITIVE:
                diversity = frame.groupby(sorted(declared_qis), dropna=False)[
                    RECORD_SENSITIVE[name]].nunique()
                assert diversity.min() >= 2
            assert not any(pd.api.types.is_datetime64_any_dtype(frame[c]) for c in frame)
        else:
            _, count, dims = AGGREGATES[name]
            assert set(dims) <= set(frame.columns)
            shown = frame.loc[~frame["suppressed"]]
            assert (shown[count] >= K).all(), name
            assert frame.loc[frame["suppressed"], count].isna().all()
            assert "total" not in " ".join(frame.columns)
        assert declared[name]["after"]["k"] >= K
    # the suppressed records are said, not lost silently
    if tier == "records":
        actors = declared["actors"]
        assert actors["after"]["records"] + actors["information_loss"]["records_removed"] == \
            actors["before"]["records"]


@pytest.mark.slow
def test_risk_before_is_measured_right(exports, sample):
    """The manifest's 'before' figures against an independent count on the source records."""
    _, manifest = exports["aggregate"]
    households = sample.actors.loc[sample.actors["kind"] == "household"].copy()
    households["met"] = households["first_met"].dt.strftime("%Y-%m")
    size = sample.household_members.groupby("household_id")["individual_id"].nunique()
    households["size"] = households["actor_id"].map(size)
    group = households.groupby(["community_point_id", "met", "size"], dropna=False)[
        "actor_id"].transform("nunique")
    entry = manifest["disclosure"]["tables"]["households"]
    assert entry["at_finest_released"]["unique_share"] == pytest.approx(
        (group == 1).mean())
    assert entry["at_finest_released"]["at_risk_share"] == pytest.approx((group < K).mean())
    assert entry["before"]["at_risk_share"] >= entry["at_finest_released"]["at_risk_share"]
    # the figure: 63 of 371 households unique on (point, month first met)
    alone = households.groupby(["community_point_id", "met"])["actor_id"].transform("size")
    assert (len(households), int((alone == 1).sum())) == (371, 63)


def _label_at(values: pd.Series, fmt: str) -> pd.Series:
    """A date label of the records at the format of an aggregate's label (independent)."""
    def one(text):
        if text is None or pd.isna(text) or text == "*":
            return text
        if fmt == "year":
            return text[:4]
        if fmt == "quarter":
            return text if "Q" in text else (
                None if len(text) == 4 else f"{text[:4]}-Q{(int(text[5:7]) - 1) // 3 + 1}")
        if fmt == "month":
            return text[:7] if len(text) >= 7 and "Q" not in text else None
        return text
    return values.map(one)


def _fmt(label: str) -> str:
    return "year" if len(label) == 4 else "quarter" if "Q" in label else (
        "month" if len(label) == 7 else "day")


def _recomputable(agg: pd.DataFrame, records: pd.DataFrame, dims: list[str],
                  where: dict[str, str]) -> int:
    """Suppressed cells of ``agg`` whose value the records give exactly (independent)."""
    if not all(d in records.columns for d in [*dims, *where]):
        return 0
    suppressed = agg.loc[agg["suppressed"].astype(bool)]
    rec = records.copy()
    for column, value in where.items():
        rec = rec.loc[(rec[column] == value) | (rec[column] == "*")]
    found = 0
    for _, cell in suppressed.iterrows():
        exact, maybe = pd.Series(True, index=rec.index), pd.Series(True, index=rec.index)
        for d in dims:
            want = cell[d]
            values = rec[d].astype(object)
            if isinstance(want, str) and re.fullmatch(r"\d{4}(-Q\d|-\d\d)?", want):
                values = _label_at(values, _fmt(want))
            unknown = values.isna() & rec[d].notna() | (values == "*")
            same = values.isna() if pd.isna(want) else (values == want)
            exact &= same.fillna(False) & ~unknown
            maybe &= same.fillna(False) | unknown
        if not (maybe & ~exact).any():
            found += 1
    return found


def _old_layout(sample) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The export before #17: monthly_ties (cells 1-4 suppressed) beside interactions.csv,
    both by month and Community Point (pseudonyms would not change which cells match)."""
    inter = sample.interactions
    records = inter.assign(date=inter["date"].dt.strftime("%Y-%m"))
    ties = (records.groupby(["date", "community_point_id", "nature"])
            .size().rename("interactions").reset_index())
    cells = suppress_small_cells(ties, ["interactions"], k=K)
    return cells.rename(columns={"interactions_suppressed": "suppressed"}), records


@pytest.mark.slow
def test_no_suppressed_cell_can_be_recomputed_from_a_released_table(exports, sample):
    # negative control: the old layout gives back all of its 52 suppressed cells
    cells, records = _old_layout(sample)
    assert int(cells["suppressed"].sum()) == 52
    assert _recomputable(cells, records, ["date", "community_point_id", "nature"], {}) == 52
    checked = 0
    for tier in ("aggregate", "records"):
        folder, manifest = exports[tier]
        tables = _tables(folder)
        for name, (source, _, dims) in AGGREGATES.items():
            if name not in tables or source not in tables:
                continue
            where = manifest["disclosure"]["tables"][name].get("where", {})
            assert _recomputable(tables[name], tables[source], dims, where) == 0, name
            checked += int(tables[name]["suppressed"].sum())
    assert checked > 0  # the records tier does release aggregates with suppressed cells


def _forbidden(ds) -> set[str]:
    values: set[str] = set()
    for name, frame in _source_tables(ds).items():
        spec = DATASET_SPEC[name]
        for col in (*spec.ids, *spec.drop):
            values.update(str(v) for v in frame[col].dropna() if str(v))
    return values


#: any whole date, in the forms a file could hold it (dd/mm/yyyy, ISO, yyyy/mm/dd, yyyymmdd)
_DATE = re.compile(rb"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|"
                   rb"(?<![\d.])(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)")


def _id_pattern(forbidden: set[str]) -> re.Pattern[bytes]:
    """Any id of the registers' formats (a prefix of the sample's ids, then digits)."""
    prefixes = {m.group(1) for v in forbidden if (m := re.fullmatch(r"([A-Z]+)\d+", v))}
    assert prefixes
    alternatives = "|".join(sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})\d{{2,}}(?![A-Za-z0-9])".encode())


def _leaks(folder: Path, forbidden: set[str]) -> list[str]:
    found = []
    ids = _id_pattern(forbidden)
    for path in sorted(folder.iterdir()):
        raw = path.read_bytes()
        # every byte: a register id, or a whole date in a text file. In a binary file three
        # bytes such as b"F02" occur by chance (bit-packed indices), so there only ids of 5+
        # characters are searched byte by byte; the decoded cells are checked below.
        binary = path.suffix == ".parquet"
        found += [f"{path.name}: {m.group()!r}" for m in ids.finditer(raw)
                  if m.group().decode() in forbidden and not (binary and len(m.group()) < 5)]
        if path.suffix != ".parquet" and _DATE.search(raw):
            found.append(f"{path.name}: {_DATE.search(raw).group()!r}")
        tokens = set(re.split(r'[;,"\n\r|{}\[\]:]\s*', raw.decode("utf-8", "replace")))
        found += [f"{path.name}: {t!r}" for t in tokens & forbidden]
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            found += [f"{path.name}: {c} holds dates" for c in frame
                      if pd.api.types.is_datetime64_any_dtype(frame[c])]
            cells = {str(v) for c in frame for v in frame[c].dropna()}
            found += [f"{path.name}: {t!r}" for t in cells & forbidden]
            found += [f"{path.name}: {t!r}" for t in cells if _DATE.search(t.encode())]
    return found


@pytest.mark.slow
def test_no_sample_name_id_or_exact_date_in_any_byte(exports, sample, tmp_path):
    forbidden = _forbidden(sample)
    assert len(forbidden) > 3000
    for tier in ("aggregate", "records"):
        folder, _ = exports[tier]
        assert _leaks(folder, forbidden) == [], tier
    # negative control: the same scan finds names, ids and dates in the registers
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE / "actors.csv", raw / "actors.csv")
    assert len(_leaks(raw, forbidden)) > 3


@pytest.mark.slow
def test_export_is_private_and_check_re_measures_it(exports, tmp_path, capsys):
    folder, _ = exports["aggregate"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}
    assert main(["export", "--research", "--check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "households: ok" in out and "every table passes" in out
    # tamper: publish a suppressed cell as it was (a count below k)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    households = pd.read_parquet(copy / "households.parquet")
    households.loc[households["suppressed"], "households"] = 2
    households["suppressed"] = False
    households.to_parquet(copy / "households.parquet")
    assert main(["export", "--research", "--check", str(copy)]) == 1
    assert "households: FAIL" in capsys.readouterr().out
    # the records tier re-measured from its files
    records, _ = exports["records"]
    assert main(["export", "--research", "--check", str(records)]) == 0


def test_key_problems_are_one_clear_line(tmp_path, capsys):
    key = tmp_path / "keys" / "s.key"
    key.parent.mkdir()
    key.write_bytes(os.urandom(32))
    os.chmod(key, 0o644)
    if not (SAMPLE / "actors.csv").exists():
        pytest.skip("sample_data/ is not generated")
    code = main(["export", "--registers", str(SAMPLE), "--research", "--study", "s",
                 "--out", str(tmp_path / "x"), "--secret", str(key)])
    err = capsys.readouterr().err
    assert code == 2 and "chmod 600" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_shift_is_per_person_and_activities_shift_by_their_own_key():
    from genera_graph.temporal.testing import toy_dataset

    raw = _source_tables(toy_dataset())
    pseudonymiser = Pseudonymiser(b"s" * 32, "shift-study")
    out, manifest = pseudonymise_dataset(raw, DATASET_SPEC, pseudonymiser, date_method="shift")
    assert manifest["dates"]["method"] == "shift"
    offsets: dict[str, set[int]] = {}
    for name, spec in DATASET_SPEC.items():
        for column in spec.dates:
            moved = (out[name][column] - raw[name][column]).dt.days
            for person, days in zip(raw[name][spec.person], moved, strict=True):
                if pd.notna(days):
                    offsets.setdefault(str(person), set()).add(int(days))
    assert offsets and all(len(days) == 1 for days in offsets.values())  # one per person
    for person, days in offsets.items():  # the published keyed recipe, person by person
        assert days == {pseudonymiser.shift_days(person, 30)}
    assert "ACT1" in offsets or any(a in offsets for a in raw["activities"]["activity_id"])


_days = st.dates(min_value=pd.Timestamp("2016-01-01").date(),
                 max_value=pd.Timestamp("2018-12-31").date())


@st.composite
def _records(draw):
    n = draw(st.integers(0, 60))
    persons = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    return pd.DataFrame({
        "person": [f"p{p}" for p in persons],
        "point": draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n)),
        "met": pd.to_datetime(draw(st.lists(_days, min_size=n, max_size=n))),
        "size": draw(st.lists(st.integers(1, 8), min_size=n, max_size=n)),
        "kind": draw(st.lists(st.sampled_from(["lease", "work", "school"]), min_size=n,
                              max_size=n)),
    })


_QIS = (QuasiIdentifier("point", POINT), QuasiIdentifier("met", DATES, start="month"),
        QuasiIdentifier("size", HOUSEHOLD_SIZE))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_records())
def test_generated_tables_are_k_anonymous_and_l_diverse(frame):
    out, report = anonymise_table(frame, _QIS, entity="person", sensitive=["kind"], k=K,
                                  diversity=2)
    assert len(out) + report["information_loss"]["records_removed"] == len(frame)
    if len(out):
        groups = out.groupby(["point", "met", "size"], dropna=False)
        assert groups["person"].nunique().min() >= K
        assert groups["kind"].nunique().min() >= 2
        # the sensitive attribute is released as it was, never generalised
        kept = out["kind"].value_counts()
        assert (kept <= frame["kind"].value_counts().reindex(kept.index)).all()
    table, agg = aggregate_table(frame, _QIS[:2], entity="person", count="persons",
                                 sensitive=["kind"], k=K, diversity=2)
    shown = table.loc[~table["suppressed"]]
    assert (shown["persons"] >= K).all()
    assert table.loc[table["suppressed"], "persons"].isna().all()
    if len(shown):
        assert shown.groupby(["point", "met"], dropna=False)["kind"].nunique().min() >= 2
    assert agg["cells"] == len(table) and agg["cells_suppressed"] == int(
        table["suppressed"].sum())
    # no cell counts more persons than the table has
    assert (shown["persons"] <= frame["person"].nunique()).all()


def test_an_export_from_the_store_is_in_the_audit_log(tmp_path, capsys):
    from genera_graph.io.audit import AuditLog
    from genera_graph.io.store import Store
    from genera_graph.temporal.testing import toy_dataset

    path = tmp_path / "genera.sqlite"
    with Store(path) as store:
        store.import_dataset(toy_dataset())
    code = main(["--store", str(path), "export", "--research", "--study", "s",
                 "--tier", "records", "--k", "2", "--out", str(tmp_path / "x"),
                 "--secret", str(tmp_path / "keys" / "s.key")])
    assert code == 0
    assert "warning: --tier records" in capsys.readouterr().err
    with Store(path) as store:
        log = AuditLog(store)
        entries = log.entries()
        assert log.verify().ok
    last = entries.iloc[-1]
    assert last["action"] == "export" and last["target"] == "research"
    assert '"tier":"records"' in last["detail"] and '"k":2' in last["detail"]


def test_shifted_export_runs_end_to_end_and_generalises_the_shifted_dates(tmp_path):
    from genera_graph.temporal.testing import toy_dataset

    ds = toy_dataset()
    with pytest.warns(UserWarning):
        _, manifest = research_export(ds, tmp_path / "x", study="s", date_method="shift",
                                      tier="records", k=2, secret_path=tmp_path / "k.key")
    assert manifest["dates"]["method"] == "shift"
    levels = manifest["disclosure"]["tables"]["interactions"]["quasi_identifiers"][0]
    assert levels["column"] == "date" and levels["levels"][0] == "day"  # shifted days first
    interactions = pd.read_parquet(tmp_path / "x" / "interactions.parquet")
    exact = {d.strftime("%Y-%m-%d") for d in ds.interactions["date"]}
    assert len(interactions) and not set(interactions["date"].dropna()) & exact


def test_check_refuses_an_export_without_a_risk_report(tmp_path, capsys):
    (tmp_path / "MANIFEST.json").write_text(json.dumps({"study": "old", "tables": {}}))
    assert main(["export", "--research", "--check", str(tmp_path)]) == 1
    assert "no disclosure report" in capsys.readouterr().out
    assert main(["export", "--research", "--check", str(tmp_path / "none")]) == 2


@pytest.mark.parametrize("tier", ["aggregate", "records"])
def test_the_readme_is_in_italian_then_in_english_with_how_to_load(exports, tier):
    """One README.md for the partner's researchers: Italian first, then English; each says
    the manifest's facts in its language and how to open the files in R, pandas and Excel."""
    from genera_graph.exports.research_files import manifest_words

    folder, manifest = exports[tier]
    italian, english = (folder / "README.md").read_text(encoding="utf-8").split("\n---\n")
    assert italian.startswith("# Esportazione per la ricerca: studio studio\n")
    assert english.lstrip().startswith("# Research export: study studio\n")
    assert "## Come aprire i file" in italian and "## How to load the files" in english
    for section in (italian, english):
        for how in ('read.csv2("NAME.csv"', "pd.read_csv(", "Excel", "arrow::read_parquet(",
                    'pd.read_parquet("NAME.parquet")'):
            assert how in section, how
    assert "Excel: aprire il file" in italian and "Excel: open the file" in english
    disclosure = manifest["disclosure"]
    sentences = [manifest["pseudonyms"]["method"], manifest["pseudonyms"]["scope"],
                 manifest["pseudonyms"]["key"], manifest["dates"]["detail"],
                 manifest["small_cells"]["rule"], disclosure["method"],
                 *disclosure.get("withheld", {}).values()]
    if tier == "records":
        sentences.append(disclosure["warning"])
        assert "**Attenzione**: tabelle a livello di record" in italian
    for sentence in sentences:
        assert sentence in english
        assert sentence not in italian and manifest_words(sentence, "it") in italian
    tier_words = {"aggregate": "tabelle aggregate", "records": "tabelle a livello di record"}
    assert f"## Controllo della divulgazione: {tier_words[tier]}, k = " in italian
    # each quasi-identifier's level in words, never the manifest's code ("value", "district")
    words = {"value": "valore esatto", "exact": "valore esatto", "*": "soppresso (*)",
             "day": "giorno", "month": "mese", "quarter": "trimestre", "year": "anno",
             "point": "Punto di Comunità", "district": "tutto il distretto (*)",
             "facilitator": "facilitatore", "partner": "organizzazione partner"}
    levels = [(column, level) for entry in disclosure["tables"].values()
              for column, level in entry["levels"].items()]
    assert {level for _, level in levels} & {"value", "district", "month"}
    for column, level in levels:
        shown = words.get(level, level)  # a band ("1,2,3-4,5+") reads as itself
        assert f"{column} ({shown})" in italian, (column, level)
        if level in words:
            assert f"{column} ({level})" not in italian
    assert re.search(r"\| \d+,\d%", italian) and re.search(r"\| \d+\.\d%", english)


def test_every_manifest_sentence_is_read_back_in_each_language():
    """The README's words for a manifest sentence come from its message with the values read
    back from the English: for every declared sentence, with values that contain spaces."""
    from genera_graph.exports.research_files import (
        MANIFEST_TEXTS,
        manifest_text,
        manifest_words,
    )
    from genera_graph.l10n import PluralMessage, gettext

    values = {"length": 16, "prefix": "P", "k": 5, "l": 2, "n": 3, "found": 4,
              "column": "kind of tie", "table": "ties_by_period"}
    for key, message in MANIFEST_TEXTS.items():
        for n in (1, 3):
            english = manifest_text(key, **{**values, "n": n})
            assert manifest_words(english, "en") == english, key
            if isinstance(message, PluralMessage):
                want = message.text(n, "it").format(**{**values, "n": n})
            else:
                want = gettext(message, "it").format(**{**values, "n": n})
            assert manifest_words(english, "it") == want, key
    assert manifest_words("1 suppressed cell could be recomputed from t", "it").startswith(
        "1 cella soppressa")
