"""Purchase orders (supplier prices, issue numbering, cancel until received) and goods
receipts (partial, over-receipt beyond the tolerance refused, the stock hook)."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError, InvalidTransition, ValidationError
from cuadra.ledger.models import JournalEntry
from cuadra.purchasing import selectors, services
from cuadra.purchasing.posting import receipt_stock_effect
from tests.conftest import row_counts
from tests.purchasing.conftest import DAY, D


def test_order_prices_from_the_supplier_list(demo, owner, supplier, papel):
    order = services.purchase_order_create(
        company=demo, actor=owner, supplier=supplier, date=DAY, expected_date="2025-03-20",
        terms="30 días", lines=[{"item": papel, "quantity": "49"},
                                {"item": papel, "quantity": "50"},
                                {"item": papel, "quantity": "2", "unit_price": "9.10"}])
    assert [li.unit_price for li in order.lines.order_by("line_no")] == [
        D("8.00"), D("7.50"), D("9.10")]
    assert (order.subtotal, order.tax_total, order.total) == (
        D("785.20"), D("54.96"), D("840.16"))  # 27.44 + 26.25 + 1.27
    assert order.number == "" and order.expected_date.isoformat() == "2025-03-20"


def test_item_without_price_or_cost_needs_a_price(demo, owner, other_supplier, papel):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.purchase_order_create(company=demo, actor=owner, supplier=other_supplier,
                                       lines=[{"item": papel, "quantity": "1"}])
    assert exc.value.errors[0].field == "lines[0].unitPrice"
    assert row_counts() == before


def test_issue_numbers_once_with_idempotency(demo, owner, supplier, papel):
    order = services.purchase_order_create(company=demo, actor=owner, supplier=supplier,
                                           date=DAY, lines=[{"item": papel, "quantity": "1"}])
    services.purchase_order_issue(company=demo, actor=owner, order=order, idempotency_key="k")
    before = row_counts()
    again = services.purchase_order_issue(company=demo, actor=owner, order=order,
                                          idempotency_key="k").document
    assert (again.status, again.number) == ("issued", "OC-2025-000001")
    assert row_counts() == before


def test_partial_receipts_and_over_receipt(demo, owner, issued_order):
    line = issued_order.lines.get()
    first = services.goods_receipt_receive(company=demo, actor=owner, order=issued_order,
                                           date=DAY, lines=[{"line_id": line.pk,
                                                             "quantity": "4"}])
    assert (first.status, first.number) == ("issued", "ENT-2025-000001")
    # the receipt brought 4 reams in at 8.00: Dr inventory / Cr GRNI 32.00, once
    [entry] = JournalEntry.objects.filter(company=demo, source_type="GOODS_RECEIPT")
    assert sorted((li.account.role, li.debit, li.credit) for li in entry.lines.all()) == [
        ("GRNI", D("0"), D("32.00")), ("INVENTORY", D("32.00"), D("0"))]
    before = row_counts()
    assert receipt_stock_effect(first) == {line.pk: D("4")}
    assert row_counts() == before
    [open_line] = selectors.open_purchase_orders(company=demo)
    assert (open_line.ordered, open_line.received, open_line.remaining) == (
        D("10"), D("4"), D("6"))
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.goods_receipt_create(company=demo, actor=owner, order=issued_order,
                                      lines=[{"line_id": line.pk, "quantity": "6.5"}])
    assert exc.value.errors[0].field == "lines[0].quantity"
    assert row_counts() == before
    # with a 10% tolerance, 6.5 more (10.5 of 10) is accepted; 11.5 of 10 is not
    services.purchasing_settings_update(company=demo, actor=owner,
                                        receipt_tolerance_percent="10")
    with pytest.raises(ValidationError):
        services.goods_receipt_create(company=demo, actor=owner, order=issued_order,
                                      lines=[{"line_id": line.pk, "quantity": "7.5"}])
    services.goods_receipt_receive(company=demo, actor=owner, order=issued_order,
                                   lines=[{"line_id": line.pk, "quantity": "6.5"}])
    assert selectors.received_quantities(order=issued_order) == {line.pk: D("10.5")}


def test_two_drafts_cannot_together_over_receive(demo, owner, issued_order):
    line = issued_order.lines.get()
    a = services.goods_receipt_create(company=demo, actor=owner, order=issued_order,
                                      lines=[{"line_id": line.pk, "quantity": "6"}])
    b = services.goods_receipt_create(company=demo, actor=owner, order=issued_order,
                                      lines=[{"line_id": line.pk, "quantity": "6"}])
    services.goods_receipt_issue(company=demo, actor=owner, receipt=a)
    before = row_counts()
    with pytest.raises(ValidationError):
        services.goods_receipt_issue(company=demo, actor=owner, receipt=b)
    assert row_counts() == before
    b.refresh_from_db()
    assert (b.status, b.number) == ("draft", "")


def test_cancel_until_something_is_received(demo, owner, issued_order, supplier, papel):
    services.goods_receipt_receive(company=demo, actor=owner, order=issued_order,
                                   lines=[{"line_id": issued_order.lines.get().pk,
                                           "quantity": "1"}])
    with pytest.raises(InvalidTransition):
        services.purchase_order_cancel(company=demo, actor=owner, order=issued_order,
                                       reason="no")
    other = services.purchase_order_create(company=demo, actor=owner, supplier=supplier,
                                           lines=[{"item": papel, "quantity": "1"}])
    services.purchase_order_issue(company=demo, actor=owner, order=other)
    services.purchase_order_cancel(company=demo, actor=owner, order=other, reason="dup")
    other.refresh_from_db()
    assert other.status == "cancelled"
    with pytest.raises(DomainError) as exc:
        services.goods_receipt_create(company=demo, actor=owner, order=other)
    assert exc.value.code == "INVALID_TRANSITION"


def test_tolerance_out_of_range_is_refused(demo, owner):
    with pytest.raises(ValidationError) as exc:
        services.purchasing_settings_update(company=demo, actor=owner,
                                            price_tolerance_percent="101")
    assert exc.value.errors[0].field == "priceTolerancePercent"
