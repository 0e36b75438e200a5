"""Quote -> order -> invoice (full or partial) and invoice -> credit note, with bounds."""

from __future__ import annotations

import pytest

from cuadra.core.errors import InvalidTransition, ValidationError
from cuadra.sales import services
from tests.conftest import row_counts
from tests.sales.conftest import DAY, D, entry_lines


def issue(demo, owner, doc):
    services.sales_document_transition(company=demo, actor=owner, document=doc,
                                       action="issue")
    doc.refresh_from_db()
    return doc


@pytest.fixture
def order(demo, owner, client, galletas, ron):
    quote = services.sales_quote_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=[{"item": galletas, "quantity": "10"},
                                               {"item": ron, "quantity": "4"}])
    issue(demo, owner, quote)
    assert quote.number == "COT-2025-000001"
    order = services.sales_quote_convert_to_order(company=demo, actor=owner, quote=quote,
                                                  date=DAY)
    with pytest.raises(InvalidTransition):  # one live order per quote
        services.sales_quote_convert_to_order(company=demo, actor=owner, quote=quote)
    return issue(demo, owner, order)


def test_quote_to_order_copies_lines_and_numbers_at_issue(order):
    assert order.number == "PED-2025-000001"
    assert [(li.quantity, li.total_amount) for li in order.lines.order_by("line_no")] == [
        (D("10"), D("13.38")), (D("4"), D("57.16"))]  # 12.50+0.88, 51.96+5.20
    assert order.total == D("70.54")


def test_partial_invoicing_and_over_invoicing_refused(demo, owner, order):
    l1, l2 = order.lines.order_by("line_no")
    inv = services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY,
                                       lines=[{"line_id": l1.pk, "quantity": "6"}])
    assert [(li.quantity, li.base_amount, li.tax_amount) for li in inv.lines.all()] == [
        (D("6"), D("7.50"), D("0.53"))]
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY,
                                     lines=[{"line_id": l1.pk, "quantity": "5"}])
    assert exc.value.errors[0].field == "lines[0].quantity"
    assert row_counts() == before
    rest = services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY)
    assert [(li.order_line_id, li.quantity) for li in rest.lines.order_by("line_no")] == [
        (l1.pk, D("4")), (l2.pk, D("4"))]
    with pytest.raises(ValidationError):  # nothing remains
        services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY)
    issue(demo, owner, inv)
    issue(demo, owner, rest)
    assert (inv.number, rest.number) == ("FAC-2025-000001", "FAC-2025-000002")
    assert inv.total + rest.total == order.total


def test_cancelled_invoice_frees_its_quantity(demo, owner, order):
    inv = services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY)
    services.sales_document_transition(company=demo, actor=owner, document=inv,
                                       action="cancel")
    again = services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY)
    assert again.total == order.total


def test_credit_notes_are_bounded_per_line(demo, owner, order, acct):
    inv = issue(demo, owner, services.sales_order_invoice(company=demo, actor=owner,
                                                          order=order, date=DAY))
    _, l2 = inv.lines.order_by("line_no")
    note = services.sales_credit_note_create(
        company=demo, actor=owner, invoice=inv, reason="devolución", date=DAY,
        lines=[{"line_id": l2.pk, "quantity": "1"}])
    issue(demo, owner, note)
    assert note.number == "NC-2025-000001"
    assert (note.subtotal, note.tax_total, note.total) == (D("12.99"), D("1.30"), D("14.29"))
    assert entry_lines(note.journal_entry) == [
        ("110201", D("0"), D("14.29")), ("4101", D("12.99"), D("0")),
        ("210201", D("1.30"), D("0"))]
    before = row_counts()
    with pytest.raises(ValidationError):
        services.sales_credit_note_create(company=demo, actor=owner, invoice=inv,
                                          reason="x", date=DAY,
                                          lines=[{"line_id": l2.pk, "quantity": "3.5"}])
    assert row_counts() == before
    rest = issue(demo, owner, services.sales_credit_note_create(
        company=demo, actor=owner, invoice=inv, reason="todo", date=DAY))
    assert note.total + rest.total == inv.total
    with pytest.raises(ValidationError):
        services.sales_credit_note_create(company=demo, actor=owner, invoice=inv,
                                          reason="x", date=DAY)


def test_partial_credits_never_exceed_the_line_by_rounding(demo, owner, client):
    inv = issue(demo, owner, services.sales_invoice_create(
        company=demo, actor=owner, client=client, date=DAY,
        lines=[{"description": "x", "quantity": "3", "unit_price": "0.335", "tax": None}]))
    assert inv.total == D("1.01")  # 1.005 -> 1.01
    line = inv.lines.get()
    totals = []
    for _ in range(3):  # 0.335 -> 0.34 each time would add up to 1.02
        note = issue(demo, owner, services.sales_credit_note_create(
            company=demo, actor=owner, invoice=inv, reason="x", date=DAY,
            lines=[{"line_id": line.pk, "quantity": "1"}]))
        totals.append(note.total)
    assert totals == [D("0.34"), D("0.34"), D("0.33")]


def test_a_draft_invoice_is_not_credited(demo, owner, client):
    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=[{"description": "x", "quantity": "1",
                                                "unit_price": "1"}])
    with pytest.raises(InvalidTransition):
        services.sales_credit_note_create(company=demo, actor=owner, invoice=inv,
                                          reason="x")


def test_a_credited_invoice_is_not_voided(demo, owner, client):
    inv = issue(demo, owner, services.sales_invoice_create(
        company=demo, actor=owner, client=client, date=DAY,
        lines=[{"description": "x", "quantity": "2", "unit_price": "5"}]))
    services.sales_credit_note_create(company=demo, actor=owner, invoice=inv, reason="x",
                                      date=DAY)
    with pytest.raises(InvalidTransition):
        services.sales_document_void(company=demo, actor=owner, document=inv, reason="x")
