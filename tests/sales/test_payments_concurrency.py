"""PostgreSQL only (SQLite ignores row locks, DESIGN.md convention 5): two payments
allocating to one invoice at the same moment never over-allocate it (the invoice row is
locked and its amount due re-read under the lock), and allocations naming the same
invoices in opposite orders do not deadlock (invoices are locked in primary-key order)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection

from cuadra.core.errors import ValidationError
from cuadra.sales import payment_services as pay
from cuadra.sales import services
from cuadra.sales.models import PaymentAllocation, SalesInvoice

DAY = dt.date(2025, 3, 14)


@pytest.fixture
def setup(platform):
    from cuadra.catalog.models import Tax
    from cuadra.contacts import services as contacts

    demo, owner = platform.demo, platform.owner
    client = contacts.client_create(company=demo, actor=owner, code="C-PG",
                                    legal_name="Cliente Concurrente")
    tax = Tax.objects.get(company=demo, code="01")

    def invoice():
        inv = services.sales_invoice_create(
            company=demo, actor=owner, client=client, date=DAY,
            lines=[{"description": "Servicio", "quantity": "1", "unit_price": "100",
                    "tax": tax}])
        services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
        return inv

    def payment(amount):
        return pay.payment_register(company=demo, actor=owner, client=client, amount=amount,
                                    method="BANK_TRANSFER", date=DAY)
    return demo, owner, invoice, payment


def _race(jobs) -> list:
    """Run each job in its own thread and connection, started together."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = []

    def run(job):
        try:
            barrier.wait()
            job()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.field)
        except BaseException as exc:  # a deadlock or anything else fails the test
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_payments_never_over_allocate_one_invoice(setup, monkeypatch):
    demo, owner, invoice, payment = setup
    inv = invoice()  # 107.00
    first, second = payment("100"), payment("100")
    checked = pay._check_invoice

    def slow_check(*args, **kwargs):  # hold the invoice lock while the other one queues
        checked(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(pay, "_check_invoice", slow_check)

    def allocate(p):
        return lambda: pay.payment_allocate(company=demo, actor=owner, payment=p.pk,
                                            allocations=[{"invoice": inv.pk, "amount": "70"}])

    outcomes = _race([allocate(first), allocate(second)])
    assert sorted(outcomes) == ["allocations[0].amount", "ok"]
    inv = SalesInvoice.objects.get(pk=inv.pk)
    assert (inv.amount_paid, inv.amount_due, inv.payment_state) == (D("70"), D("37.00"),
                                                                     "PARTIAL")
    assert [a.amount for a in PaymentAllocation.objects.filter(invoice=inv)] == [D("70")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_allocations_in_opposite_orders_do_not_deadlock(setup):
    demo, owner, invoice, payment = setup
    a, b = invoice(), invoice()
    first, second = payment("100"), payment("100")

    def allocate(p, invoices):
        return lambda: pay.payment_allocate(company=demo, actor=owner, payment=p.pk,
                                            allocations=[{"invoice": i.pk, "amount": "20"}
                                                         for i in invoices])

    for _ in range(2):
        assert _race([allocate(first, [a, b]), allocate(second, [b, a])]) == ["ok", "ok"]
    a, b = SalesInvoice.objects.get(pk=a.pk), SalesInvoice.objects.get(pk=b.pk)
    assert (a.amount_paid, b.amount_paid) == (D("80"), D("80"))
