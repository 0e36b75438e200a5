"""Hypothesis: random sequences of payments (succeeded and pending), allocations,
unallocations, failures, refunds, credit notes and voids on three invoices. After every
step each invoice's stored figures equal a fresh recomputation from its allocations and
credit notes, nothing is over-allocated, and the client's receivable balance in the ledger
equals Σ amount due - unapplied credit, which is also the aging's total."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cuadra.core.errors import DomainError
from cuadra.ledger.enums import AccountRole
from cuadra.ledger.models import JournalLine
from cuadra.sales import payment_services as pay
from cuadra.sales import services
from cuadra.sales.aging import receivables_aging_get
from cuadra.sales.models import Payment, PaymentAllocation, SalesCreditNote
from tests.sales.conftest import DAY

CENTS = st.integers(min_value=1, max_value=15000).map(lambda c: D(c) / 100)
IDX = st.integers(min_value=0, max_value=5)
# a share of what may be allocated or refunded; above 1 the service must refuse
SHARE = st.sampled_from([D("0.3"), D("0.5"), D("1"), D("1.01")])
STEP = st.one_of(
    st.tuples(st.just("pay"), CENTS, IDX, SHARE),
    st.tuples(st.just("pay"), CENTS, IDX, SHARE),
    st.tuples(st.just("pending"), CENTS),
    st.tuples(st.just("succeed"), IDX),
    st.tuples(st.just("allocate"), IDX, IDX, SHARE),
    st.tuples(st.just("allocate"), IDX, IDX, SHARE),
    st.tuples(st.just("unallocate"), IDX),
    st.tuples(st.just("fail"), IDX),
    st.tuples(st.just("refund"), IDX, SHARE),
    st.tuples(st.just("credit"), IDX, st.sampled_from(["0.5", "1", "4"])),
    st.tuples(st.just("void_credit"), IDX),
    st.tuples(st.just("void_invoice"), IDX),
)


def share(amount: D, part: D) -> D:
    return max((amount * part).quantize(D("0.01")), D("0.01"))


class World:
    def __init__(self, demo, owner, client, tax):
        self.demo, self.owner, self.client = demo, owner, client
        self.invoices = []
        for _ in range(3):  # 4 x 25 + 7% = 107.00 each
            inv = services.sales_invoice_create(
                company=demo, actor=owner, client=client, date=DAY,
                lines=[{"description": "Caja", "quantity": "4", "unit_price": "25",
                        "tax": tax}])
            services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
            self.invoices.append(inv)
        self.payments, self.notes = [], []

    def pick(self, rows, i):
        if not rows:
            raise DomainError("nothing to pick yet")  # skipped like a refusal
        return rows[i % len(rows)]

    def run(self, step) -> None:
        kind, *args = step
        kw = {"company": self.demo, "actor": self.owner}
        if kind in ("pay", "pending"):
            allocations = ()
            if kind == "pay":
                inv = self.pick(self.invoices, args[1])
                inv.refresh_from_db()
                allocations = [{"invoice": inv, "amount": share(
                    min(args[0], inv.amount_due) or D(1), args[2])}]
            self.payments.append(pay.payment_register(
                **kw, client=self.client, amount=args[0], method="CHEQUE", date=DAY,
                status="SUCCEEDED" if kind == "pay" else "PENDING", allocations=allocations))
        elif kind == "succeed":
            pending = [p for p in self.payments if p.status == "PENDING"]
            pay.payment_succeed(**kw, payment=self.pick(pending, args[0]))
        elif kind == "allocate":
            p, inv = self.pick(self.payments, args[0]), self.pick(self.invoices, args[1])
            p.refresh_from_db()
            inv.refresh_from_db()
            room = min(p.unapplied, inv.amount_due) or D(1)
            pay.payment_allocate(**kw, payment=p, allocations=[
                {"invoice": inv, "amount": share(room, args[2])}])
        elif kind == "unallocate":
            live = list(PaymentAllocation.objects.filter(
                company=self.demo, reversed=False).order_by("id"))
            pay.payment_unallocate(**kw, allocation=self.pick(live, args[0]), date=DAY)
        elif kind == "fail":
            pay.payment_fail(**kw, payment=self.pick(self.payments, args[0]), reason="rebote",
                             date=DAY)
        elif kind == "refund":
            p = self.pick(self.payments, args[0])
            p.refresh_from_db()
            pay.payment_refund(**kw, payment=p, amount=share(p.unapplied or D(1), args[1]),
                               date=DAY)
        elif kind == "credit":
            inv = self.pick(self.invoices, args[0])
            inv.refresh_from_db()
            note = services.sales_credit_note_create(
                **kw, invoice=inv, reason="nc", date=DAY,
                lines=[{"line_id": inv.lines.get().pk, "quantity": args[1]}])
            self.notes.append(note)
            services.sales_document_transition(**kw, document=note, action="issue")
        elif kind == "void_credit":
            services.sales_document_void(**kw, document=self.pick(self.notes, args[0]),
                                         reason="x")
        elif kind == "void_invoice":
            services.sales_document_void(**kw, document=self.pick(self.invoices, args[0]),
                                         reason="x")

    def check(self) -> None:
        due_total = D(0)
        for inv in self.invoices:
            inv.refresh_from_db()
            credited = sum((n.total for n in SalesCreditNote.objects.filter(
                invoice=inv, status="issued")), D(0))
            paid = sum((a.amount for a in PaymentAllocation.objects.filter(
                invoice=inv, reversed=False)), D(0))
            posted = inv.status == "issued"
            due = inv.total - credited - paid
            state = ("PAID" if posted and due <= 0 else "PARTIAL" if paid > 0 else "UNPAID")
            assert (inv.amount_credited, inv.amount_paid, inv.payment_state) == (
                credited, paid, state), inv
            if posted:
                assert inv.amount_due == due >= 0, inv
                due_total += due
            else:
                assert paid == 0 and inv.amount_due == 0
        unapplied = D(0)
        for p in Payment.objects.filter(company=self.demo, client=self.client):
            allocated = sum((a.amount for a in p.allocations.filter(reversed=False)), D(0))
            refunded = sum((r.amount for r in p.refunds.all()), D(0))
            if p.status == "SUCCEEDED":
                assert p.unapplied == p.amount - allocated - refunded >= 0
                unapplied += p.unapplied
            else:
                assert allocated == 0
        lines = JournalLine.objects.filter(company=self.demo, partner=self.client.code,
                                           account__role=AccountRole.RECEIVABLE)
        balance = sum((d - c for d, c in lines.values_list("debit", "credit")), D(0))
        assert balance == due_total - unapplied
        aging = receivables_aging_get(company=self.demo, as_of=DAY + dt.timedelta(days=365),
                                      client_id=self.client.pk)
        assert aging.total == balance


class _Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_stored_payment_state_always_equals_a_fresh_recomputation(demo, owner, client,
                                                                  itbms7, steps):
    try:
        with transaction.atomic():
            world = World(demo, owner, client, itbms7)
            for step in steps:
                # a refusal wrote nothing: the invariants must hold all the same
                with contextlib.suppress(DomainError):
                    world.run(step)
                world.check()
            raise _Rollback
    except _Rollback:
        pass
