"""Supplier invoices: three-way match (MATCH_FAILED with per-line differences), the
audited override, the supplier's number unique per supplier, posting, five stages, and
credit notes related (bounded) or free."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError, PermissionDenied, ValidationError
from cuadra.core.models import AuditLog
from cuadra.documents.services import workflow_setting_set
from cuadra.purchasing import services
from tests.conftest import row_counts
from tests.purchasing.conftest import (
    DAY,
    EXPENSE,
    GRNI,
    ITBMS_IN,
    PAYABLE,
    D,
    entry_lines,
)


@pytest.fixture
def received_4(demo, owner, issued_order):
    line = issued_order.lines.get()
    return services.goods_receipt_receive(company=demo, actor=owner, order=issued_order,
                                          date=DAY, lines=[{"line_id": line.pk,
                                                            "quantity": "4"}])


def _issue(demo, actor, invoice, **kw):
    services.supplier_invoice_issue(company=demo, actor=actor, invoice=invoice, **kw)
    invoice.refresh_from_db()
    return invoice


def test_invoice_from_receipt_matches_and_posts_to_grni(demo, owner, received_4):
    invoice = services.supplier_invoice_from_receipt(company=demo, actor=owner,
                                                     receipt=received_4, date=DAY,
                                                     supplier_number="A-1")
    assert (invoice.total, invoice.supplier_number) == (D("34.24"), "A-1")
    _issue(demo, owner, invoice)
    assert (invoice.status, invoice.number) == ("issued", "FP-2025-000001")
    assert entry_lines(invoice.journal_entry) == [
        (GRNI, D("32.00"), D("0")), (ITBMS_IN, D("2.24"), D("0")),
        (PAYABLE, D("0"), D("34.24"))]
    payable = invoice.journal_entry.lines.get(account__code=PAYABLE)
    assert (payable.partner, payable.due_date.isoformat()) == ("PRV-1", "2025-04-13")


def test_mismatch_blocks_posting_with_the_differences(demo, owner, compras, issued_order,
                                                     received_4):
    line = issued_order.lines.get()
    invoice = services.supplier_invoice_from_order(
        company=demo, actor=compras, order=issued_order, date=DAY, supplier_number="A-2",
        lines=[{"line_id": line.pk, "quantity": "6", "unit_price": "8.50"}])
    before = row_counts()
    with pytest.raises(DomainError) as exc:
        _issue(demo, compras, invoice)
    assert exc.value.code == "MATCH_FAILED"
    details = exc.value.as_extensions()["errors"]
    assert [(d["field"], d["code"]) for d in details] == [
        ("lines[0].quantity", "MATCH_FAILED"), ("lines[0].unitPrice", "MATCH_FAILED")]
    assert details[0]["message"] == "Line 1: invoiced 6 but received 4."
    assert row_counts() == before
    # compras may not override; the owner may, with a reason, and it is audited
    with pytest.raises(PermissionDenied):
        services.supplier_invoice_match_override(company=demo, actor=compras,
                                                 invoice=invoice, reason="ok")
    with pytest.raises(ValidationError):
        services.supplier_invoice_match_override(company=demo, actor=owner,
                                                 invoice=invoice, reason=" ")
    services.supplier_invoice_match_override(company=demo, actor=owner, invoice=invoice,
                                             reason="rest arrives tomorrow; price agreed")
    assert AuditLog.objects.filter(company_id=demo.pk,
                                   operation="supplier_invoice_match_override").count() == 1
    _issue(demo, compras, invoice)
    assert invoice.status == "issued" and invoice.match_override_by == owner
    assert invoice.total == D("54.57")  # 51.00 + 3.57


def test_price_within_tolerance_matches(demo, owner, issued_order, received_4):
    services.purchasing_settings_update(company=demo, actor=owner,
                                        price_tolerance_percent="5")
    line = issued_order.lines.get()
    invoice = services.supplier_invoice_from_order(
        company=demo, actor=owner, order=issued_order, date=DAY,
        lines=[{"line_id": line.pk, "quantity": "4", "unit_price": "8.40"}])
    assert _issue(demo, owner, invoice).status == "issued"


def test_supplier_number_is_unique_per_supplier(demo, owner, supplier, other_supplier):
    lines = [{"description": "Servicio", "quantity": "1", "unit_price": "10", "tax": None}]
    services.supplier_invoice_create(company=demo, actor=owner, supplier=supplier,
                                     lines=lines, supplier_number="F-1")
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.supplier_invoice_create(company=demo, actor=owner, supplier=supplier,
                                         lines=lines, supplier_number="F-1")
    assert exc.value.errors[0].field == "supplierNumber"
    assert row_counts() == before
    services.supplier_invoice_create(company=demo, actor=owner, supplier=other_supplier,
                                     lines=lines, supplier_number="F-1")


def test_standalone_invoice_posts_to_expense_and_voids(demo, owner, supplier, limpieza):
    invoice = services.supplier_invoice_create(
        company=demo, actor=owner, supplier=supplier, date=DAY, supplier_number="S-9",
        lines=[{"item": limpieza, "quantity": "1", "unit_price": "150"}])
    _issue(demo, owner, invoice)
    assert entry_lines(invoice.journal_entry) == [
        (EXPENSE, D("150.00"), D("0")), (ITBMS_IN, D("10.50"), D("0")),
        (PAYABLE, D("0"), D("160.50"))]
    services.supplier_document_void(company=demo, actor=owner, document=invoice,
                                    reason="duplicated")
    invoice.refresh_from_db()
    assert invoice.status == "voided" and invoice.journal_entry is None


def test_five_stage_posts_at_entry_audit(demo, owner, supplier, limpieza):
    workflow_setting_set(company=demo, actor=owner, document_type="SUPPLIER_INVOICE",
                         workflow_key="five_stage")
    invoice = services.supplier_invoice_create(
        company=demo, actor=owner, supplier=supplier, date=DAY,
        lines=[{"item": limpieza, "quantity": "2", "unit_price": "10"}])
    for action in ("audit", "confirm", "storage_audit"):
        services.document_transition(company=demo, actor=owner, document=invoice,
                                     action=action)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number, invoice.journal_entry_id) == (
        "storage_audit", "", None)
    services.document_transition(company=demo, actor=owner, document=invoice,
                                 action="entry_audit", idempotency_key="ea-1")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number) == ("entry_audit", "FP-2025-000001")
    assert invoice.journal_entry.lines.count() == 3


def test_related_credit_is_bounded_and_reduces_what_is_due(demo, owner, supplier, limpieza):
    invoice = services.supplier_invoice_create(
        company=demo, actor=owner, supplier=supplier, date=DAY,
        lines=[{"item": limpieza, "quantity": "3", "unit_price": "10"}])
    _issue(demo, owner, invoice)
    line = invoice.lines.get()
    note = services.supplier_credit_create(
        company=demo, actor=owner, kind="related", invoice=invoice, reason="mal servicio",
        date=DAY, lines=[{"line_id": line.pk, "quantity": "1"}])
    services.document_transition(company=demo, actor=owner, document=note, action="issue")
    note.refresh_from_db()
    assert note.number == "NCP-2025-000001"
    assert entry_lines(note.journal_entry) == [
        (EXPENSE, D("0"), D("10.00")), (ITBMS_IN, D("0"), D("0.70")),
        (PAYABLE, D("10.70"), D("0"))]
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.amount_due, invoice.payment_state) == (
        D("10.70"), D("21.40"), "PARTIAL")
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.supplier_credit_create(company=demo, actor=owner, kind="related",
                                        invoice=invoice, reason="x",
                                        lines=[{"line_id": line.pk, "quantity": "2.5"}])
    assert exc.value.errors[0].field == "lines[0].quantity"
    with pytest.raises(ValidationError) as exc:
        services.supplier_credit_create(company=demo, actor=owner, kind="related",
                                        invoice=invoice, reason="x", date="2025-02-30",
                                        lines=[{"line_id": line.pk, "quantity": "1"}])
    assert [e.field for e in exc.value.errors] == ["date"]
    assert row_counts() == before
    # voiding the note gives the amount back to the invoice
    services.supplier_document_void(company=demo, actor=owner, document=note, reason="x")
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.amount_due) == (D("0.00"), D("32.10"))


def test_free_credit_posts_the_reverse(demo, owner, supplier):
    note = services.supplier_credit_create(
        company=demo, actor=owner, kind="free", supplier=supplier, reason="bonificación",
        date=DAY, lines=[{"description": "Bonificación", "quantity": "1",
                          "unit_price": "25", "tax": None}])
    services.document_transition(company=demo, actor=owner, document=note, action="issue")
    note.refresh_from_db()
    assert entry_lines(note.journal_entry) == [
        (EXPENSE, D("0"), D("25.00")), (PAYABLE, D("25.00"), D("0"))]


def test_unposted_invoice_is_not_credited(demo, owner, supplier):
    invoice = services.supplier_invoice_create(
        company=demo, actor=owner, supplier=supplier,
        lines=[{"description": "x", "quantity": "1", "unit_price": "5"}])
    with pytest.raises(DomainError) as exc:
        services.supplier_credit_create(company=demo, actor=owner, kind="related",
                                        invoice=invoice, reason="x")
    assert exc.value.code == "INVALID_TRANSITION"
