"""Reads of payments: lists with their allocated and refunded sums in one query, one
payment, an invoice's allocations, a client's unapplied credit, and seed 004's
"Moved" / "Did Not Pass" sets of invoices."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from cuadra.core.errors import NotFound
from cuadra.core.money import DecimalSum
from cuadra.sales.enums import PaymentStatus
from cuadra.sales.models import Payment, PaymentAllocation, PaymentRefund, SalesInvoice

ZERO = Decimal(0)


def _sum_of(qs, field: str = "amount") -> Subquery:
    return Subquery(qs.filter(payment_id=OuterRef("pk")).order_by().values("payment_id")
                    .annotate(s=DecimalSum(field)).values("s")[:1],
                    output_field=Payment._meta.get_field("amount"))


def with_sums(qs: QuerySet) -> QuerySet:
    """Annotate ``allocated_sum`` (live allocations) and ``refunded_sum``: the payment's
    ``amount_allocated``, ``amount_refunded`` and ``unapplied`` then cost no query."""
    return qs.annotate(allocated_sum=_sum_of(PaymentAllocation.objects.filter(reversed=False)),
                       refunded_sum=_sum_of(PaymentRefund.objects.all()))


def payments_list(*, company, client_id=None, status=None) -> QuerySet:
    qs = Payment.objects.filter(company=company).select_related("client", "account")
    if client_id:
        qs = qs.filter(client_id=client_id)
    if status:
        qs = qs.filter(status=str(status).upper())
    return with_sums(qs).order_by("-date", "-id")


def payment_get(*, company, payment_id) -> Payment:
    text = str(payment_id)
    row = (with_sums(Payment.objects.filter(company=company, pk=int(text))).first()
           if text.isdigit() else None)
    if row is None:
        raise NotFound("No such payment.", field="id")
    return row


def invoice_allocations(*, invoice) -> QuerySet:
    """Every allocation of the invoice, live and reversed, oldest first."""
    return (PaymentAllocation.objects.filter(company_id=invoice.company_id, invoice=invoice)
            .select_related("payment").order_by("date", "id"))


def payment_allocations(*, payment) -> QuerySet:
    return (PaymentAllocation.objects.filter(company_id=payment.company_id, payment=payment)
            .select_related("invoice").order_by("date", "id"))


def client_unapplied_credit(*, company, client) -> Decimal:
    """Σ over the client's succeeded payments of amount - live allocations - refunds."""
    client_id = getattr(client, "pk", client)
    succeeded = Payment.objects.filter(company=company, client_id=client_id,
                                       status=PaymentStatus.SUCCEEDED)
    received = succeeded.aggregate(s=DecimalSum("amount"))["s"] or ZERO
    allocated = (PaymentAllocation.objects.filter(company=company, payment__in=succeeded,
                                                  reversed=False)
                 .aggregate(s=DecimalSum("amount"))["s"] or ZERO)
    refunded = (PaymentRefund.objects.filter(company=company, payment__in=succeeded)
                .aggregate(s=DecimalSum("amount"))["s"] or ZERO)
    return received - allocated - refunded


def invoices_moved(*, company) -> QuerySet:
    """Seed 004 "Moved": invoices linked to a succeeded payment by a live allocation (and
    cash sales, paid at issue)."""
    paid = PaymentAllocation.objects.filter(company=company, reversed=False,
                                            payment__status=PaymentStatus.SUCCEEDED)
    return (SalesInvoice.objects.filter(company=company, pk__in=paid.values("invoice_id"))
            | SalesInvoice.objects.filter(company=company, kind="RECEIPT_TAX_INVOICE",
                                          payment_state="PAID")).distinct()


def invoices_did_not_pass(*, company) -> QuerySet:
    """Seed 004 "Did Not Pass": invoices once allocated a payment that failed."""
    failed = PaymentAllocation.objects.filter(company=company,
                                              payment__status=PaymentStatus.FAILED)
    return SalesInvoice.objects.filter(company=company, pk__in=failed.values("invoice_id"))
