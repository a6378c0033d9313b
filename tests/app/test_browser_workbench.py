"""A facilitator works in headless Chromium: opens an isolated family from the worklist, records
a peer contact with another family and a follow-up, sees the worklist change; uploads a register
with one bad row and sees that row named; opens one of their records, corrects it and sees the
history row. Screenshots: ``test-artefacts/screenshots/wb_*.png``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from genera_graph.io.records import Author, followups, record_history, save_record
from genera_graph.io.store import Store
from tests.app.conftest import add_accounts, browser_sign_in, page_ready, served, small_district

pytestmark = pytest.mark.browser
WAIT = 60_000  # the family page takes seconds to draw on a loaded 2-core machine


@pytest.fixture(scope="module")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """``genera serve`` on a store of the small district with the test accounts, as a user
    runs it: yields the store's path and the server's URL (the tests sign in as fac01, the
    facilitator of CP01)."""
    folder = tmp_path_factory.mktemp("wb-browser")
    path = folder / "genera.sqlite"
    with Store(path) as store:
        assert store.import_dataset(small_district()).ok
        add_accounts(store)
    with served(str(path), folder / "home") as url:
        yield path, url


@pytest.fixture()
def fac01(page: Page, served_store: tuple[Path, str]) -> tuple[Page, Path, str]:
    """A page signed in as the facilitator of CP01, the store and the server's URL."""
    path, url = served_store
    page.set_default_timeout(WAIT)
    browser_sign_in(page, url, "fac01")
    return page, path, url


def _row(page: Page, label: str, within: str = ".tab-pane.active"):
    """The form row whose label is ``label`` (in the visible tab, or ``within``)."""
    return page.locator(f"{within} .row", has=page.get_by_text(label, exact=True)).first


def _choose(page: Page, label: str, text: str, within: str = ".tab-pane.active") -> None:
    """Pick the option of the dropdown beside ``label`` whose label holds ``text``, searching
    by typing part of it (as a user searches a name)."""
    _pick(page, _row(page, label, within).locator("button.dash-dropdown"), text)


def _pick(page: Page, dropdown, text: str) -> None:
    """Open a dropdown, search for ``text`` in its search box (once it is open: typing before
    it is would be lost on a loaded machine) and click the option."""
    dropdown.click()
    search = page.locator("input.dash-dropdown-search")
    expect(search).to_be_visible()
    search.fill(text)
    page.get_by_role("option", name=text).first.click()
    page.keyboard.press("Escape")


def _date(page: Page, label: str, text: str, within: str = ".tab-pane.active") -> None:
    box = _row(page, label, within).locator("input.dash-datepicker-input")
    box.fill(text)
    box.press("Enter")
    page.keyboard.press("Escape")


def test_a_facilitator_records_a_contact_and_a_follow_up(fac01, screenshots):
    page, facilitator_store, live_url = fac01
    page.goto(live_url + "/isolation")
    page_ready(page, "isolation", WAIT)
    page.screenshot(path=str(screenshots / "wb_worklist_before.png"), full_page=True)
    grid = page.locator(".ag-center-cols-container")
    # flagged on the data's last day: no day waited within the data (not the years since)
    cell = grid.locator("[col-id=days_without_followup]").first
    # a loaded machine paints the row before its cells' text: wait for the number
    expect(cell).to_have_text(re.compile(r"\d"))
    assert int(cell.inner_text().replace(".", "")) < 100
    page.get_by_role("link", name="Scheda").first.click()  # the isolated family's page
    expect(page.get_by_text("Registra un follow-up")).to_be_visible()
    page.screenshot(path=str(screenshots / "wb_family.png"), full_page=True)
    family = page.url.split("/actor/")[1].split("?")[0]

    page.get_by_role("link", name="Contatto").click()  # a peer contact with another family
    expect(page.get_by_text("Registra un'attività")).to_be_visible()
    _date(page, "Data", "05/12/2026")
    _choose(page, "Con chi", "Famiglia Bianchi")
    _choose(page, "Tipo", "aiuto reciproco")
    _choose(page, "Programma", "Comunità")
    page.locator(".tab-pane.active").get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Salvato (1 registrazione).")).to_be_visible()
    page.screenshot(path=str(screenshots / "wb_contact_saved.png"), full_page=True)
    with Store(facilitator_store) as store:
        contacts = store.load().interactions
        mine = contacts[contacts["source_actor_id"].eq(family)
                        & contacts["date"].eq("2026-12-05")]
        assert mine["target_actor_id"].tolist() == ["H02"] and \
            mine["nature"].tolist() == ["peer"]

    page.goto(live_url + f"/record?tab=followup&actor={family}")  # from the family page
    expect(page.get_by_text("Che cosa è stato fatto")).to_be_visible()
    today = pd.Timestamp.today()
    _date(page, "Data", today.strftime("%d/%m/%Y"))
    pane = page.locator(".tab-pane.active")
    pane.get_by_text("visita a casa").click()
    pane.get_by_text("raggiunta", exact=True).click()
    pane.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Salvato (1 registrazione).")).to_be_visible()
    with Store(facilitator_store) as store:
        assert followups(store)["household_id"].tolist() == [family]
        assert set(record_history(store)["author"]) == {"fac01"}

    page.goto(live_url + "/isolation")
    page_ready(page, "isolation", WAIT)
    expect(grid.get_by_text(f"visita a casa, {today:%d/%m/%Y}")).to_be_visible()
    assert grid.locator("[col-id=days_without_followup]").first.inner_text() == "0"
    page.screenshot(path=str(screenshots / "wb_worklist_after.png"), full_page=True)


def test_an_upload_with_one_bad_row_names_that_row(fac01, screenshots, tmp_path: Path):
    page, facilitator_store, live_url = fac01
    header = ("interaction_id;date;source_actor_id;target_actor_id;kind;nature;programme;"
              "community_point_id;source")
    file = tmp_path / "contacts.csv"
    file.write_text("\n".join([
        header, "B1;01/03/2018;H01;H02;mutual_help;peer;community;CP01;facilitator_record",
        "B2;01/03/2018;H01;H02;chiacchiera;peer;community;CP01;facilitator_record",
        "B3;02/03/2018;H02;H01;meeting;peer;community;CP01;facilitator_record"]) + "\n",
        encoding="utf-8")
    page.goto(live_url + "/upload")
    expect(page.get_by_text("al massimo 5 MB")).to_be_visible()
    expect(page.locator("#up-grid-box")).to_be_hidden()  # no empty grid before a file
    page.locator("#up-file input[type=file]").set_input_files(str(file))
    expect(page.get_by_text("contacts.csv: 3 righe lette, 2 valide, 1 con problemi.")
           ).to_be_visible()
    rows = page.locator("#up-grid .ag-center-cols-container .ag-row")
    expect(rows).to_have_count(1)
    text = rows.first.inner_text()
    assert "3" in text and "kind" in text and "chiacchiera" in text
    page.screenshot(path=str(screenshots / "wb_upload_check.png"), full_page=True)
    page.get_by_role("button", name="Importa le righe valide").click()
    expect(page.get_by_text("Importato: 2 righe scritte, 1 messe da parte.")).to_be_visible()
    with Store(facilitator_store) as store:
        assert {"B1", "B3"} <= set(store.load().interactions["interaction_id"])


def test_a_facilitator_corrects_their_record_and_sees_its_history(fac01, screenshots):
    page, facilitator_store, live_url = fac01
    with Store(facilitator_store) as store:  # written by another process: the server sees it
        made = save_record(store, Author("fac01", "facilitator", ("CP01",)), "interactions", {
            "date": "07/12/2026", "source_actor_id": "H01", "target_actor_id": "H02",
            "kind": "mutual_help", "nature": "peer", "programme": "community"})
        assert made.ok, made.problems
    key = made.keys[0]["interaction_id"]
    page.goto(live_url + "/record")
    _pick(page, page.locator("button#wb-withdraw-choice"),  # the picker of one's records
          "Contatto · 07/12/2026 · Famiglia Rossi – Famiglia Bianchi")
    card = page.locator(".wb-edit")
    expect(card.get_by_text("Correggi: Contatto · 07/12/2026")).to_be_visible()
    # prefilled with the record's values: the day as dd/mm/yyyy, the people by name
    expect(_row(page, "Data", ".wb-edit").locator("input.dash-datepicker-input")
           ).to_have_value("07/12/2026")
    expect(_row(page, "Con chi", ".wb-edit")).to_contain_text("Famiglia Bianchi")
    expect(_row(page, "Tipo", ".wb-edit")).to_contain_text("aiuto reciproco")
    expect(card.locator(".wb-history tbody tr")).to_have_count(1)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        card.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"wb_edit_form_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    _date(page, "Data", "08/12/2026", ".wb-edit")
    _choose(page, "Tipo", "incontro", ".wb-edit")
    card.get_by_role("button", name="Salva la correzione").click()
    expect(card.get_by_text("Correzione salvata")).to_be_visible()
    rows = card.locator(".wb-history tbody tr")
    expect(rows).to_have_count(2)
    newest = rows.first
    expect(newest).to_contain_text("corretta")
    expect(newest).to_contain_text("Utente fac01")
    expect(newest).to_contain_text("Data: 07/12/2026 → 08/12/2026")
    expect(newest).to_contain_text("Tipo: aiuto reciproco → incontro")
    page.screenshot(path=str(screenshots / "wb_edit_saved.png"), full_page=True)
    with Store(facilitator_store) as store:
        row = store.load().interactions.set_index("interaction_id").loc[key]
        assert (row["date"], row["kind"]) == (pd.Timestamp("2026-12-08"), "meeting")
        assert record_history(store)["action"].tolist()[-2:] == ["created", "corrected"]
