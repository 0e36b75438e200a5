"""Contabilidad in a browser: the accountant writes a three-line entry, adding the third
line with htmx and watching the live totals reach a zero difference, posts it, and finds
it in the trial balance."""

from __future__ import annotations

import os

import pytest

from cuadra.ledger.models import JournalEntry
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e]
SHOTS = os.environ.get("CUADRA_SCREENSHOTS")  # a directory: keep screenshots there


def _fill_line(page, number: int, account: str, debit: str = "", credit: str = "") -> None:
    page.select_option(f'select[aria-label="Cuenta {number}"]', account)
    if debit:
        page.fill(f'input[aria-label="Débito {number}"]', debit)
    if credit:
        page.fill(f'input[aria-label="Crédito {number}"]', credit)


def test_accountant_writes_posts_and_sees_an_entry(live_db, platform, live_server,
                                                   browser_page):
    page = browser_page
    login(page, live_server, "contador")
    page.click("nav >> text=Contabilidad")
    page.click(".subnav >> text=Asientos")
    page.click("#new-entry")
    page.wait_for_url(f"{live_server.url}/accounting/entries/new/")
    page.fill("#entry-memo", "Venta al contado con ITBMS")

    _fill_line(page, 1, "110101", debit="1,070.00")
    _fill_line(page, 2, "4101", credit="1000")
    page.wait_for_function(
        "document.querySelector('#total-difference').textContent.trim() === '70.00'")
    page.wait_for_selector("#entry-totals.unbalanced")

    page.click("#add-line")  # htmx re-renders the lines with a third, blank row
    page.wait_for_selector('select[aria-label="Cuenta 3"]')
    assert page.input_value('input[aria-label="Débito 1"]') == "1,070.00"  # typed values kept
    _fill_line(page, 3, "210201", credit="70")
    page.wait_for_function(
        "document.querySelector('#total-difference').textContent.trim() === '0.00'")
    assert page.text_content("#total-debit").strip() == "1,070.00"
    assert page.text_content("#total-credit").strip() == "1,070.00"
    page.wait_for_selector("#entry-totals.balanced")
    assert "Cuadra" in page.text_content("#entry-totals .balance-state")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "entry_form.png"), full_page=True)

    page.click("#save-draft")
    page.wait_for_selector("#post-entry")
    page.click("#post-entry")
    page.wait_for_selector("#reverse-entry")
    entry = JournalEntry.objects.get(company=platform.demo)
    assert entry.state == "posted"
    assert page.text_content(".message").strip() == f"Asiento {entry.number} contabilizado."

    page.click(".subnav >> text=Reportes")
    page.wait_for_selector("#trial-balance")
    row = page.locator('#trial-balance tr[data-account="110101"] td')
    assert [c.strip() for c in row.all_text_contents()] == [
        "110101", "Caja general", "0.00", "1,070.00", "0.00", "1,070.00"]
    assert page.text_content('[data-total="debit"]').strip() == "1,070.00"
    assert page.text_content('[data-total="closing"]').strip() == "0.00"
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "trial_balance.png"), full_page=True)
