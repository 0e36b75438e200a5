"""Two payments allocating the whole of one invoice at the same instant: the invoice row
lock (taken in primary-key order) lets exactly one through (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cuadra.core.errors import ValidationError
from cuadra.purchasing import services
from cuadra.purchasing.models import SupplierInvoice, SupplierPayment
from tests.purchasing.conftest import DAY, D


def pay_together(company, actor, supplier, invoice_ids, amount) -> list[BaseException]:
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def pay(order):
        try:
            barrier.wait()
            services.supplier_payment_register(
                company=company, actor=actor, supplier=supplier, amount=amount,
                method="BANK_TRANSFER", date=DAY,
                allocations=[{"invoice": pk, "amount": amount / len(invoice_ids)}
                             for pk in order])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    # opposite orders of the same invoices: locks in pk order never deadlock
    threads = [threading.Thread(target=pay, args=(ids,))
               for ids in (invoice_ids, list(reversed(invoice_ids)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_overpay(demo, owner, supplier):
    invoices = []
    for n in (1, 2):
        invoice = services.supplier_invoice_create(
            company=demo, actor=owner, supplier=supplier, date=DAY, supplier_number=f"C-{n}",
            lines=[{"description": "x", "quantity": "1", "unit_price": "50", "tax": None}])
        services.supplier_invoice_issue(company=demo, actor=owner, invoice=invoice)
        invoices.append(invoice.pk)
    errors = pay_together(demo, owner, supplier, invoices, D("100"))
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert SupplierPayment.objects.filter(company=demo).count() == 1
    assert sorted(SupplierInvoice.objects.filter(pk__in=invoices)
                  .values_list("amount_paid", "payment_state")) == [
        (D("50.00"), "PAID"), (D("50.00"), "PAID")]
