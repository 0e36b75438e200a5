"""GraphQL for payments and the receivables aging. Thin: input -> one service or selector
call -> payload.

Permissions: everything under PAYMENTS (view; create to register; update to allocate and
unallocate; post to succeed, fail and refund - the lifecycle checks post again for succeed
and fail); the receipt a succeeded payment carries is read with the payment. The aging is a
report over invoices and payments: REPORTS view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
import strawberry_django
from django.utils import timezone
from strawberry_django.pagination import OffsetPaginated

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.ledger.types import Amount
from cuadra.sales import aging, payment_selectors, payment_services
from cuadra.sales import models as m

P_ = Path.PAYMENTS


@strawberry_django.type(m.PaymentAllocation, name="PaymentAllocation")
class AllocationType:
    id: strawberry.ID
    amount: Amount
    date: dt.date
    reversed: bool
    reversed_on: dt.date | None

    @strawberry.field
    def payment_id(self) -> strawberry.ID:
        return self.payment_id

    @strawberry.field
    def invoice_id(self) -> strawberry.ID:
        return self.invoice_id


@strawberry_django.type(m.PaymentRefund, name="PaymentRefund")
class RefundType:
    id: strawberry.ID
    amount: Amount
    date: dt.date

    @strawberry.field
    def account_id(self) -> strawberry.ID:
        return self.account_id

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID:
        return self.journal_entry_id


@strawberry_django.type(m.Payment, name="Payment")
class PaymentType:
    id: strawberry.ID
    status: str
    number: str
    method: str
    date: dt.date
    amount: Amount
    currency: str
    reference: str
    failure_reason: str
    failed_on: dt.date | None
    allocations: list[AllocationType]
    refunds: list[RefundType]

    @strawberry.field
    def client_id(self) -> strawberry.ID:
        return self.client_id

    @strawberry.field
    def account_id(self) -> strawberry.ID:
        return self.account_id

    @strawberry.field
    def journal_entry_id(self) -> strawberry.ID | None:
        return self.journal_entry_id

    @strawberry.field
    def reversal_entry_id(self) -> strawberry.ID | None:
        return self.reversal_entry_id

    @strawberry.field
    def amount_allocated(self) -> Amount:
        return self.amount_allocated

    @strawberry.field
    def amount_refunded(self) -> Amount:
        return self.amount_refunded

    @strawberry.field
    def unapplied(self) -> Amount:
        return self.unapplied


@strawberry.type(name="AgingBuckets")
class AgingRowType:
    client_id: strawberry.ID | None
    client_code: str
    client_name: str
    current: Amount
    days_1_30: Amount = strawberry.field(name="days1To30")
    days_31_60: Amount = strawberry.field(name="days31To60")
    days_61_90: Amount = strawberry.field(name="days61To90")
    over_90: Amount = strawberry.field(name="over90")
    total: Amount = strawberry.field()

    @classmethod
    def of(cls, row: aging.AgingRow) -> AgingRowType:
        return cls(client_id=row.client_id, client_code=row.client_code,
                   client_name=row.client_name, current=row.current, days_1_30=row.days_1_30,
                   days_31_60=row.days_31_60, days_61_90=row.days_61_90, over_90=row.over_90,
                   total=row.total)


@strawberry.type(name="AgingItem")
class AgingItemType:
    kind: str
    id: strawberry.ID
    number: str
    client_id: strawberry.ID
    date: dt.date
    due_date: dt.date
    days_overdue: int
    bucket: str
    amount: Amount


@strawberry.type(name="ReceivablesAging")
class AgingType:
    as_of: dt.date
    rows: list[AgingRowType]
    items: list[AgingItemType]
    totals: AgingRowType


@strawberry.input(name="PaymentAllocationInput")
class AllocationInput:
    invoice_id: strawberry.ID
    amount: Decimal

    def as_data(self) -> dict:
        return {"invoice": self.invoice_id, "amount": self.amount}


@strawberry.input(name="RegisterPaymentInput")
class RegisterPaymentInput:
    client_id: strawberry.ID
    amount: Decimal
    method: str
    date: dt.date
    account_id: strawberry.ID | None = None
    reference: str = ""
    status: str = "SUCCEEDED"
    allocations: list[AllocationInput] | None = None
    idempotency_key: str | None = None
    currency: str | None = None


@strawberry.input(name="PaymentFilter")
class PaymentFilter:
    client_id: strawberry.ID | None = None
    status: str | None = None


def _payment(info, payment_id):
    return payment_selectors.payment_get(company=company(info), payment_id=payment_id)


@strawberry.type
class PaymentsQuery:
    @strawberry_django.offset_paginated(OffsetPaginated[PaymentType],
                                        extensions=requires(P_, Action.VIEW))
    def payments(self, info: strawberry.Info, filters: PaymentFilter | None = None):
        f = filters or PaymentFilter()
        return payment_selectors.payments_list(company=company(info), client_id=f.client_id,
                                               status=f.status)

    @strawberry_django.field(extensions=requires(P_, Action.VIEW))
    def payment(self, info: strawberry.Info, id: strawberry.ID) -> PaymentType:
        return _payment(info, id)

    @strawberry.field(extensions=requires(Path.REPORTS, Action.VIEW))
    def receivables_aging(self, info: strawberry.Info, as_of: dt.date | None = None,
                          client_id: strawberry.ID | None = None) -> AgingType:
        report = aging.receivables_aging_get(company=company(info),
                                             as_of=as_of or timezone.localdate(),
                                             client_id=client_id)
        return AgingType(as_of=report.as_of, rows=[AgingRowType.of(r) for r in report.rows],
                         items=[AgingItemType(**vars(i)) for i in report.items],
                         totals=AgingRowType.of(report.totals))


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation(extensions=requires(P_, Action.CREATE))
    def register_payment(self, info: strawberry.Info, input: RegisterPaymentInput
                         ) -> PaymentType:
        payment = payment_services.payment_register(
            company=company(info), actor=actor(info), client=input.client_id,
            amount=input.amount, method=input.method, date=input.date,
            account=input.account_id, reference=input.reference, status=input.status,
            allocations=[a.as_data() for a in input.allocations or ()],
            idempotency_key=input.idempotency_key, currency=input.currency)
        return _payment(info, payment.pk)

    @strawberry.mutation(extensions=requires(P_, Action.UPDATE))
    def allocate_payment(self, info: strawberry.Info, id: strawberry.ID,
                         allocations: list[AllocationInput]) -> PaymentType:
        payment_services.payment_allocate(company=company(info), actor=actor(info),
                                          payment=id,
                                          allocations=[a.as_data() for a in allocations])
        return _payment(info, id)

    @strawberry.mutation(extensions=requires(P_, Action.UPDATE))
    def unallocate_payment(self, info: strawberry.Info, allocation_id: strawberry.ID,
                           date: dt.date | None = None) -> PaymentType:
        allocation = payment_services.payment_unallocate(
            company=company(info), actor=actor(info), allocation=allocation_id, date=date)
        return _payment(info, allocation.payment_id)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def mark_payment_succeeded(self, info: strawberry.Info, id: strawberry.ID) -> PaymentType:
        payment_services.payment_succeed(company=company(info), actor=actor(info), payment=id)
        return _payment(info, id)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def mark_payment_failed(self, info: strawberry.Info, id: strawberry.ID, reason: str,
                            date: dt.date | None = None) -> PaymentType:
        payment_services.payment_fail(company=company(info), actor=actor(info), payment=id,
                                      reason=reason, date=date)
        return _payment(info, id)

    @strawberry.mutation(extensions=requires(P_, Action.POST))
    def refund_payment(self, info: strawberry.Info, id: strawberry.ID, amount: Decimal,
                       date: dt.date | None = None, account_id: strawberry.ID | None = None,
                       idempotency_key: str | None = None) -> PaymentType:
        payment_services.payment_refund(company=company(info), actor=actor(info), payment=id,
                                        amount=amount, date=date, account=account_id,
                                        idempotency_key=idempotency_key)
        return _payment(info, id)
