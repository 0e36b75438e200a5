"""Issuing many drafts at once gives exactly what issuing them one by one gives: the
same drafts are issued one by one in DEMO and in one batch in OTRA, and every figure
(numbers, entries and their lines, stock moves and FIFO draws, payment state, registry
rows, history) is compared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.errors import InvalidTransition, ValidationError
from cuadra.core.models import AuditLog
from cuadra.documents.models import DocumentHistory, DocumentRecord
from cuadra.inventory.models import CostLayer, StockMove
from cuadra.inventory.selectors import inventory_verify
from cuadra.inventory.services import InsufficientStock
from cuadra.ledger.models import JournalEntry
from cuadra.sales import services
from cuadra.sales.batch import sales_invoices_issue
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.models import SalesInvoice
from tests.conftest import row_counts
from tests.sales.conftest import D, opening_stock

DAYS = [dt.date(2025, 3, 3), dt.date(2025, 3, 3), dt.date(2025, 3, 10), dt.date(2025, 4, 1),
        dt.date(2025, 4, 1), dt.date(2025, 4, 2)]


def _setup(company, actor):
    """Two goods (two FIFO layers each, so issues cross layers), a service, two clients,
    and six drafts over three dates (one a cash sale, one with a service line)."""
    tax7 = Tax.objects.get(company=company, code="01")
    tax10 = Tax.objects.get(company=company, code="02")
    gal = catalog.item_create(company=company, actor=actor, sku="B-GAL", name="Galletas",
                              default_tax=tax7, base_price="1.25")
    ron = catalog.item_create(company=company, actor=actor, sku="B-RON", name="Ron",
                              default_tax=tax10, base_price="12.99")
    flete = catalog.item_create(company=company, actor=actor, sku="B-FLE", name="Flete",
                                kind="service", default_tax=tax7, base_price="10")
    opening_stock(company, actor, [(gal, 10, "0.80"), (ron, 4, "7.50")])
    opening_stock(company, actor, [(gal, 50, "0.83"), (ron, 30, "7.77")],
                  date=dt.date(2025, 2, 1))
    clients = [contacts.client_create(company=company, actor=actor, code=f"C-B{k}",
                                      legal_name=f"Cliente {k}", payment_terms_days=30)
               for k in range(2)]
    lines = [
        [{"item": gal, "quantity": "7"}, {"item": ron, "quantity": "3"}],
        [{"item": gal, "quantity": "6", "discount_percent": "10"}, {"item": flete,
                                                                    "quantity": "1"}],
        [{"item": ron, "quantity": "5", "unit_price": "13.105"}],
        [{"item": gal, "quantity": "4"}, {"item": gal, "quantity": "2"},
         {"item": ron, "quantity": "1"}],
        [{"item": flete, "quantity": "2"}],
        [{"item": ron, "quantity": "2"}, {"item": gal, "quantity": "3"}],
    ]
    drafts = []
    for k, (day, rows) in enumerate(zip(DAYS, lines, strict=True)):
        kind = InvoiceKind.RECEIPT_TAX_INVOICE if k == 2 else InvoiceKind.INVOICE
        drafts.append(services.sales_invoice_create(
            company=company, actor=actor, client=clients[k % 2], date=day, kind=kind,
            lines=rows))
    return drafts


def _figures(company, drafts) -> dict:
    """Everything issuing wrote, with ids replaced by positions (the companies differ)."""
    pos = {str(d.pk): k for k, d in enumerate(drafts)}
    invoices = [SalesInvoice.objects.get(pk=d.pk) for d in drafts]
    entries = JournalEntry.objects.filter(company=company, source_type="SALES_INVOICE")
    moves = StockMove.objects.filter(company=company, source_type="SALES_INVOICE")
    records = {r.object_id: r for r in DocumentRecord.objects.filter(
        company=company, document_type="SALES_INVOICE")}
    return {
        "invoices": [(i.number, i.status, i.total, i.amount_paid, i.amount_credited,
                      i.payment_state, i.journal_entry.number) for i in invoices],
        "entries": [(e.number, e.journal.code, e.date, e.reference.replace(
            f"#{e.source_id}", f"#p{pos[e.source_id]}"), e.memo.replace(
            f"#{e.source_id}", f"#p{pos[e.source_id]}"), pos[e.source_id],
            e.idempotency_key.replace(f":{e.source_id}:", f":#{pos[e.source_id]}:"),
            e.chain_seq, [(li.account.code, li.debit, li.credit, li.partner,
                           li.label.replace(f"#{e.source_id}", f"#p{pos[e.source_id]}"),
                           li.due_date) for li in e.lines.order_by("line_no")])
                    for e in entries.order_by("chain_seq")],
        "moves": [(pos[m.source_id], m.item.sku, m.date, m.kind, m.quantity, m.value,
                   m.unit_cost, [(c.layer.date, c.layer.unit_cost, c.quantity, c.value)
                                 for c in m.consumptions.order_by("layer__date", "id")])
                  for m in moves.order_by("id")],
        "layers": [(la.item.sku, la.date, la.remaining, la.remaining_value)
                   for la in CostLayer.objects.filter(company=company).order_by(
                       "item__sku", "date")],
        "records": [(records[i.pk].number, records[i.pk].kind, records[i.pk].status,
                     records[i.pk].amount, records[i.pk].tax, records[i.pk].paid_amount,
                     records[i.pk].payment_state, records[i.pk].party_code)
                    for i in invoices],
        "history": [(pos[str(h.object_id)], h.action, h.from_state, h.to_state)
                    for h in DocumentHistory.objects.filter(
                        company=company, document_type="SALES_INVOICE").order_by(
                        "object_id", "id")],
        "stock_audit": AuditLog.objects.filter(company_id=company.pk,
                                               operation="stock_issue").count(),
        "transition_audit": AuditLog.objects.filter(
            company_id=company.pk, operation="SALES_INVOICE.issue").count(),
    }


def test_batch_issue_equals_one_by_one(demo, otra, owner):
    other = get_user_model().objects.get(username="otra")
    singles = _setup(demo, owner)
    batched = _setup(otra, other)
    warned = [services.sales_invoice_issue(company=demo, actor=owner, invoice=inv).warnings
              for inv in singles]
    results = sales_invoices_issue(company=otra, actor=other, invoices=batched)
    assert [r.warnings for r in results] == warned
    one_by_one, batch = _figures(demo, singles), _figures(otra, batched)
    assert batch == one_by_one
    # exact anchors, so equality is not two empty lists
    assert [row[0] for row in batch["invoices"]] == [
        f"FAC-2025-{k:06d}" for k in range(1, 7)]
    assert [row[5] for row in batch["invoices"]] == [
        "UNPAID", "UNPAID", "PAID", "UNPAID", "UNPAID", "UNPAID"]
    assert len(batch["entries"]) == 11  # five cost entries (one invoice is a service)
    assert batch["moves"][0][1:7] == ("B-GAL", DAYS[0], "issue", D("-7"), D("-5.60"),
                                      D("0.80"))
    assert batch["layers"][0][1:] == (dt.date(2025, 1, 2), D("0"), D("0.00"))
    assert batch["stock_audit"] == 9 and batch["transition_audit"] == 6
    assert inventory_verify(company=otra).ok and inventory_verify(company=demo).ok


def test_batch_refusal_names_the_invoice_and_writes_nothing(otra):
    other = get_user_model().objects.get(username="otra")
    drafts = _setup(otra, other)
    services.sales_document_update(company=otra, actor=other, document=drafts[3],
                                   lines=[{"item": drafts[3].lines.first().item_id,
                                           "quantity": "999"}])
    before = row_counts()
    with pytest.raises(InsufficientStock) as refused:
        sales_invoices_issue(company=otra, actor=other, invoices=drafts)
    assert refused.value.field == "ids[3].lines.0.quantity"
    assert row_counts() == before
    assert set(SalesInvoice.objects.filter(pk__in=[d.pk for d in drafts])
               .values_list("status", flat=True)) == {"draft"}


def test_batch_refuses_an_issued_invoice_and_twice_named_ids(otra):
    other = get_user_model().objects.get(username="otra")
    drafts = _setup(otra, other)
    services.sales_invoice_issue(company=otra, actor=other, invoice=drafts[0])
    before = row_counts()
    with pytest.raises(InvalidTransition):
        sales_invoices_issue(company=otra, actor=other, invoices=drafts)
    with pytest.raises(ValidationError):
        sales_invoices_issue(company=otra, actor=other, invoices=[drafts[1], drafts[1]])
    assert row_counts() == before


def test_batch_retry_with_the_same_key_returns_the_first_result(otra):
    other = get_user_model().objects.get(username="otra")
    drafts = _setup(otra, other)[:2]
    first = sales_invoices_issue(company=otra, actor=other, invoices=drafts,
                                 idempotency_key="lote-1")
    before = row_counts()
    again = sales_invoices_issue(company=otra, actor=other, invoices=drafts,
                                 idempotency_key="lote-1")
    assert [r.document.pk for r in again] == [r.document.pk for r in first]
    assert [r.document.number for r in again] == ["FAC-2025-000001", "FAC-2025-000002"]
    assert row_counts() == before
