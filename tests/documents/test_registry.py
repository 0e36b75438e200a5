"""The registry row follows every sales document in the same transaction: draft create,
update, issue, void, conversions, credit notes; links; refusals write no row."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError
from cuadra.documents.lifecycle import registered_document_types
from cuadra.documents.models import DocumentLink, DocumentRecord
from cuadra.documents.registry import record_matches, registered_record_types
from cuadra.sales import services
from cuadra.sales.enums import InvoiceKind
from tests.conftest import row_counts
from tests.sales.conftest import DAY, D


@pytest.fixture
def lines(galletas, ron):
    return [{"item": galletas, "quantity": "3", "unit_price": "1.255"},
            {"item": ron, "quantity": "7", "discount_percent": "15"}]


def record_of(document) -> DocumentRecord:
    return DocumentRecord.objects.get(document_type=document.document_type,
                                      object_id=document.pk)


# a journal entry is the books' own record, not a document of seed 004's registry; stock
# documents move goods, not money owed (their value reaches the registry through the
# invoices and receipts that caused them); the test app's document is a fixture of the
# lifecycle tests
NOT_DOCUMENTS = {"JOURNAL_ENTRY", "STOCK_ADJUSTMENT", "STOCK_TRANSFER", "INVENTORY_COUNT",
                 "TEST_DOCUMENT"}


def test_every_lifecycle_type_has_a_describer():
    missing = sorted(set(registered_document_types()) - set(registered_record_types())
                     - NOT_DOCUMENTS)
    assert missing == []


def test_draft_invoice_is_registered_with_its_totals(demo, owner, client, lines):
    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines, kind=InvoiceKind.TAX_INVOICE,
                                        notes="urgente")
    rec = record_of(inv)
    assert (rec.company_id, rec.path, rec.kind, rec.number, rec.status) == (
        demo.pk, "SALES_INVOICES", "TAX_INVOICE", "", "draft")
    assert (rec.amount, rec.tax, rec.paid_amount, rec.payment_state) == (
        D("89.05"), D("7.99"), D("0"), "")
    assert (rec.party_type, rec.party_code, rec.party_name, rec.customer_status) == (
        "CLIENT", "C-T1", "Cliente Prueba", "ACTIVE")
    assert (rec.document_date, rec.due_date, rec.creator_id, rec.owner_id, rec.notes) == (
        DAY, DAY + __import__("datetime").timedelta(days=30), owner.pk, owner.pk, "urgente")
    assert record_matches(inv) == []


def test_update_issue_void_keep_the_record_in_step(demo, owner, client, lines, galletas):
    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines)
    services.sales_document_update(company=demo, actor=owner, document=inv,
                                   lines=[{"item": galletas, "quantity": "2",
                                           "unit_price": "10"}])
    inv.refresh_from_db()
    assert record_of(inv).amount == D("21.40") and record_matches(inv) == []
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    inv.refresh_from_db()
    rec = record_of(inv)
    assert (rec.status, rec.number, rec.payment_state, rec.paid_amount) == (
        "issued", inv.number, "UNPAID", D("0"))
    assert inv.number != "" and record_matches(inv) == []
    services.sales_document_void(company=demo, actor=owner, document=inv, reason="error")
    inv.refresh_from_db()
    assert (record_of(inv).status, record_of(inv).payment_state) == ("voided", "")
    assert record_matches(inv) == []
    assert DocumentRecord.objects.filter(object_id=inv.pk,
                                         document_type=inv.document_type).count() == 1


def test_cash_sale_is_paid_at_issue(demo, owner, client, lines):
    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines, kind=InvoiceKind.RECEIPT_TAX_INVOICE)
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    inv.refresh_from_db()
    rec = record_of(inv)
    assert (rec.kind, rec.payment_state, rec.paid_amount) == (
        "RECEIPT_TAX_INVOICE", "PAID", D("89.05"))
    assert record_matches(inv) == []


def test_quote_order_invoice_credit_links(demo, owner, client, lines):
    quote = services.sales_quote_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines)
    services.sales_document_transition(company=demo, actor=owner, document=quote,
                                       action="issue")
    order = services.sales_quote_convert_to_order(company=demo, actor=owner, quote=quote,
                                                  date=DAY)
    services.sales_document_transition(company=demo, actor=owner, document=order,
                                       action="issue")
    inv = services.sales_order_invoice(company=demo, actor=owner, order=order, date=DAY)
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    inv.refresh_from_db()
    note = services.sales_credit_note_create(company=demo, actor=owner, invoice=inv,
                                             reason="devolución", date=DAY)
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    for doc in (quote, order, inv, note):
        doc.refresh_from_db()
        assert record_matches(doc) == [], doc
    assert [(k.from_type, k.from_id, k.to_type, k.to_id, k.role)
            for k in DocumentLink.objects.order_by("id")] == [
        ("SALES_QUOTE", quote.pk, "SALES_ORDER", order.pk, "QUOTE_ORDER"),
        ("SALES_ORDER", order.pk, "SALES_INVOICE", inv.pk, "ORDER_INVOICE"),
        ("SALES_CREDIT", note.pk, "SALES_INVOICE", inv.pk, "CREDIT_INVOICE")]
    assert [(r.kind, r.status) for r in DocumentRecord.objects.order_by("id")] == [
        ("QUOTE", "issued"), ("SALES_ORDER", "issued"), ("INVOICE", "issued"),
        ("CREDIT_INVOICE", "issued")]
    services.sales_document_void(company=demo, actor=owner, document=note, reason="error")
    note.refresh_from_db()
    inv.refresh_from_db()  # the void rewrote what the invoice still owes
    assert record_of(note).status == "voided" and record_matches(inv) == []


def test_refused_issue_leaves_the_record_as_it_was(demo, owner, client):
    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=[{"description": "x", "quantity": "1",
                                                "unit_price": "5", "tax": None}])
    inv.lines.all().delete()
    before = row_counts()
    with pytest.raises(DomainError):
        services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    assert row_counts() == before
    assert (record_of(inv).status, record_of(inv).number) == ("draft", "")


def test_a_sync_keeps_tags_folder_sharing_and_custom_values(demo, owner, client, lines):
    from cuadra.documents.custom_fields import (
        custom_field_definition_create,
        document_custom_fields_set,
        document_record_annotate,
    )

    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines)
    custom_field_definition_create(company=demo, actor=owner, key="obra", label="Obra",
                                   field_type="text")
    rec = record_of(inv)
    document_record_annotate(company=demo, actor=owner, record_id=rec.pk, tags=["vip"],
                             folder="2025", shared_with=[owner.pk])
    document_custom_fields_set(company=demo, actor=owner, record_id=rec.pk,
                               values={"obra": "Canal"})
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    rec.refresh_from_db()
    assert (rec.status, rec.tag_list, rec.folder, rec.shared_with_ids, rec.custom) == (
        "issued", ["vip"], "2025", [owner.pk], {"obra": "Canal"})


def test_timeline_merges_history_and_audit(demo, owner, client, lines):
    from cuadra.documents.registry_selectors import document_timeline

    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines)
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    services.sales_document_void(company=demo, actor=owner, document=inv, reason="duplicada")
    timeline = document_timeline(company=demo, user=owner, record_id=record_of(inv).pk)
    assert [(e.actor, e.action, e.detail) for e in timeline] == [
        ("demo", "create", "sales_invoice_create"),
        ("demo", "issue", "draft → issued"),
        ("demo", "void", "issued → voided: duplicada")]
    from django.contrib.auth import get_user_model

    compras = get_user_model().objects.get(username="compras")
    with pytest.raises(DomainError):
        document_timeline(company=demo, user=compras, record_id=record_of(inv).pk)


@pytest.mark.postgres
def test_annotations_open_their_own_transaction(transactional_db, demo, owner, client, lines):
    """Called outside any transaction (a script, a live-server test), the row lock these
    writes take must still sit inside one: PostgreSQL refuses a bare SELECT ... FOR UPDATE."""
    from cuadra.documents.custom_fields import (
        custom_field_definition_create,
        document_custom_fields_set,
        document_record_annotate,
    )

    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=lines)
    custom_field_definition_create(company=demo, actor=owner, key="obra", label="Obra",
                                   field_type="text")
    rec = record_of(inv)
    document_record_annotate(company=demo, actor=owner, record_id=rec.pk, tags=["vip"])
    document_custom_fields_set(company=demo, actor=owner, record_id=rec.pk,
                               values={"obra": "Canal"})
    rec.refresh_from_db()
    assert (rec.tag_list, rec.custom) == (["vip"], {"obra": "Canal"})
