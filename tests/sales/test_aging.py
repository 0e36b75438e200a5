"""Receivables aging as of any date: exact buckets, and the total equals the RECEIVABLE
balance in the ledger as of that date, through invoices, partial payments, a failed
payment, a refund and a credit note."""

from __future__ import annotations

import datetime as dt

import pytest

from cuadra.contacts import services as contacts
from cuadra.ledger.enums import AccountRole, EntryState
from cuadra.ledger.models import JournalLine
from cuadra.sales import payment_services as pay
from cuadra.sales import services
from cuadra.sales.aging import receivables_aging_get
from tests.sales.conftest import D

JAN = dt.date(2025, 1, 10)


def receivable(company, as_of, partner=None) -> D:
    """Debit minus credit on every RECEIVABLE-role account, entries dated up to as_of."""
    lines = JournalLine.objects.filter(company=company, account__role=AccountRole.RECEIVABLE,
                                       entry__state=EntryState.POSTED, entry__date__lte=as_of)
    if partner is not None:
        lines = lines.filter(partner=partner)
    return sum((d - c for d, c in lines.values_list("debit", "credit")), D(0))


def day(n: int) -> dt.date:
    return JAN + dt.timedelta(days=n)


@pytest.fixture
def books(demo, owner, client, itbms7):
    """Invoices of Jan 10 (due Feb 9) for 107 and 53.50 and of Mar 1 (due Mar 31) for
    214; a partial payment, an overpayment partly refunded, a bounced cheque, a credit
    note; each dated so the aging as of several dates tells them apart."""
    def invoice(base, date):
        inv = services.sales_invoice_create(
            company=demo, actor=owner, client=client, date=date,
            lines=[{"description": "Servicio", "quantity": "1", "unit_price": base,
                    "tax": itbms7}])
        services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
        inv.refresh_from_db()
        return inv

    a, b, c = invoice("100", day(0)), invoice("50", day(0)), invoice("200", day(50))
    pay.payment_register(company=demo, actor=owner, client=client, amount="40",
                         method="CASH", date=day(20), allocations=[{"invoice": a,
                                                                    "amount": "40"}])
    cheque = pay.payment_register(company=demo, actor=owner, client=client, amount="53.50",
                                  method="CHEQUE", date=day(25),
                                  allocations=[{"invoice": b, "amount": "53.50"}])
    pay.payment_fail(company=demo, actor=owner, payment=cheque, reason="rebotado",
                     date=day(35))
    over = pay.payment_register(company=demo, actor=owner, client=client, amount="100",
                                method="BANK_TRANSFER", date=day(60),
                                allocations=[{"invoice": a, "amount": "67"}])
    pay.payment_refund(company=demo, actor=owner, payment=over, amount="20", date=day(70))
    note = services.sales_credit_note_create(
        company=demo, actor=owner, invoice=c, reason="devolución", date=day(80),
        lines=[{"line_id": c.lines.get().pk, "quantity": "0.25"}])
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    return {"a": a, "b": b, "c": c}


def buckets(row) -> tuple:
    return (row.current, row.days_1_30, row.days_31_60, row.days_61_90, row.over_90)


@pytest.mark.parametrize("n,expected", [
    # Jan 10: both invoices current
    (0, (D("160.50"), 0, 0, 0, 0)),
    # Feb 4: 40 paid on a, cheque 53.50 clears b -> 67 open on a, current
    (25, (D("67.00"), 0, 0, 0, 0)),
    # Feb 19 (cheque bounced Feb 14): a 67 and b 53.50, 10 days late
    (40, (0, D("120.50"), 0, 0, 0)),
    # Mar 21 (day 70): a paid, b 53.50 is 40 days late, c 214 current; 13 of the Mar 11
    # payment (100 - 67 - 20) unapplied, 10 days old
    (70, (D("214.00"), D("-13"), D("53.50"), 0, 0)),
    # Mar 31 (day 80): credit note 53.50 on c; c 160.50 due today -> current
    (80, (D("160.50"), D("-13"), D("53.50"), 0, 0)),
    # Jul 9 (day 180): b 140 days late, c 100 days late, the 13 credit 120 days old
    (180, (0, 0, 0, 0, D("201.00"))),
])
def test_aging_buckets_and_total_equal_the_ledger(demo, client, books, n, expected):
    as_of = day(n)
    report = receivables_aging_get(company=demo, as_of=as_of, client_id=client.pk)
    (row,) = report.rows
    assert (row.client_code, buckets(row)) == ("C-T1", expected)
    assert row.total == report.total == receivable(demo, as_of, partner="C-T1")


def test_items_as_of_a_date_name_each_open_document(demo, client, books):
    report = receivables_aging_get(company=demo, as_of=day(70))
    mine = [(i.kind, i.number, i.amount, i.days_overdue, i.bucket) for i in report.items
            if i.client_id == client.pk]
    assert mine == [("invoice", "FAC-2025-000002", D("53.50"), 40, "days_31_60"),
                    ("payment", "REC-2025-000003", D("-13"), 10, "days_1_30"),
                    ("invoice", "FAC-2025-000003", D("214.00"), -10, "current")]
    # the company-wide total is the whole receivable balance of the ledger too
    assert report.total == receivable(demo, day(70))


def test_another_client_and_company_see_nothing_of_it(demo, otra, owner, books):
    other = contacts.client_create(company=demo, actor=owner, code="C-T9", legal_name="Nadie")
    assert receivables_aging_get(company=demo, as_of=day(70), client_id=other.pk).rows == []
    assert receivables_aging_get(company=otra, as_of=day(70)).items == []
    assert receivables_aging_get(company=demo, as_of=day(70), client_id="x").items == []
