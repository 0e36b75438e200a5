"""Issuing the drafts a user selected, all at once ("issue all selected drafts").

``sales_invoices_issue`` gives exactly what issuing the invoices one by one, in the order
given, gives: the same legal numbers, stock moves and FIFO costs, cost-of-sales and sales
entries (same lines, idempotency keys, journal numbers and chain order: cost entry then
sales entry, invoice after invoice), payment state and registry rows. What differs is
how it is written: one transaction, one lock read of the drafts, one number request per
(series, branch) (``sequence_next_many``), one ``journal_entries_post`` for every entry,
bulk history and audit rows. The ledger audits the batch as one row listing its entries
(``journal_entries_post``), where single issues write one row per entry.

Only the ``simple`` preset's ``issue`` with the effects sales registers itself is done
in bulk; anything else (``five_stage``, an effect another app bound to the stage) runs
each invoice's registered effects in turn, in the same one transaction."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cuadra.catalog.enums import ItemKind
from cuadra.contacts.models import Client
from cuadra.contacts.selectors import client_credit_check
from cuadra.core.errors import DomainError, InvalidTransition, ValidationError
from cuadra.core.money import ZERO, DecimalSum
from cuadra.documents import lifecycle
from cuadra.documents.presets import LEDGER, SIMPLE, STOCK
from cuadra.inventory.posting import lookups
from cuadra.inventory.selectors import warehouse_default
from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services import journal_entries_post
from cuadra.sales import posting, selectors, stock
from cuadra.sales.enums import INVOICE_TYPE, InvoiceKind
from cuadra.sales.models import PaymentAllocation, SalesCreditNote, SalesInvoice, SalesInvoiceLine
from cuadra.sales.payment_services import payment_figures_of
from cuadra.sales.registry import SERIES, check_order_bounds
from cuadra.sales.services import Result
from cuadra.sequences.services import sequence_next_many

# the effects this module performs in bulk, per stage, in their registration order
BULK_EFFECTS = {STOCK: ("sales.stock",),
                LEDGER: ("sales.number", "sales.ledger", "sales.payment_state")}
MAX_KEY = 90  # the per-invoice key is "<key>:<position>" in a 100-character column


@transaction.atomic
def sales_invoices_issue(*, company, actor, invoices: list,
                         idempotency_key: str | None = None) -> list[Result]:
    """Issue the draft invoices (instances or ids), in the order given, in one
    transaction: all or nothing; a refusal names the invoice (``ids[i]...``). With an
    ``idempotency_key``, a retry returns the first results and writes nothing."""
    invoices = list(invoices)
    keys = _keys(idempotency_key, len(invoices))
    if keys:
        seen = {k: inv for inv in SalesInvoice.objects.filter(company=company,
                                                               issue_key__in=keys)
                for k in [inv.issue_key]}
        if seen:
            return [Result(seen[k]) for k in keys if k in seen]
    warnings: dict[int, list[str]] = {}
    with lookups():
        workflow = lifecycle.workflow_for(company=company, document_type=INVOICE_TYPE)
        bulk = workflow.key == SIMPLE and _only_our_effects()
        if not bulk:  # as the single path warns: before the transition
            _warn_before(company, invoices, warnings)
        locked = lifecycle.transition_many(
            model=SalesInvoice, company=company, documents=invoices, action="issue",
            actor=actor, effects=_IssueEffects(company, actor, warnings) if bulk else None)
    if keys:
        for invoice, key in zip(locked, keys, strict=True):
            invoice.issue_key = key
        SalesInvoice._base_manager.bulk_update(locked, ["issue_key"])
    return [Result(invoice, warnings.get(invoice.pk, [])) for invoice in locked]


def _warn_before(company, invoices: list, warnings: dict) -> None:
    pks = [int(getattr(inv, "pk", inv)) for inv in invoices]
    found = SalesInvoice.objects.filter(company=company, pk__in=pks).select_related(
        "company", "client").in_bulk()
    balances: dict = {}
    running: dict = {}
    for pk in pks:
        if pk in found and found[pk].status == "draft":
            warnings[pk] = _warnings(_check_one(found[pk], balances, running))


def _keys(key: str | None, n: int) -> list[str]:
    if not key:
        return []
    if len(key) > MAX_KEY:
        raise ValidationError(f"An idempotency key has at most {MAX_KEY} characters.",
                              field="idempotencyKey")
    return [f"{key}:{i}" for i in range(n)]


def _only_our_effects() -> bool:
    return all(tuple(e.name for e in lifecycle.effects_for(INVOICE_TYPE, stage)) == names
               for stage, names in BULK_EFFECTS.items())


def _prefixed(exc: DomainError, i: int) -> DomainError:
    exc.field = f"ids[{i}].{exc.field}" if exc.field else f"ids[{i}]"
    for error in getattr(exc, "errors", None) or []:
        if hasattr(error, "field"):
            error.field = f"ids[{i}].{error.field}" if error.field else f"ids[{i}]"
    return exc


# --- checks ----------------------------------------------------------------------------------

def _check_one(invoice, balances: dict, running: dict):
    """The credit check issuing one by one would make: the client's open balance grows
    with the invoices issued before this one in the batch."""
    if invoice.kind == InvoiceKind.RECEIPT_TAX_INVOICE:
        return None
    client = invoice.client
    if client.pk not in balances:
        balances[client.pk] = selectors.client_open_balance(company=invoice.company,
                                                            client=client)
    check = client_credit_check(company=invoice.company, client=client,
                                additional_amount=invoice.total,
                                open_balance=balances[client.pk] + running.get(client.pk, ZERO))
    running[client.pk] = running.get(client.pk, ZERO) + invoice.total
    return check


def _warnings(check) -> list[str]:
    return [check.warning] if check is not None and check.warning else []


class _IssueEffects:
    """The STOCK then LEDGER effects of ``issue`` for many invoices (see the module)."""

    def __init__(self, company, actor, warnings: dict):
        self.company, self.actor, self.warnings = company, actor, warnings

    def __call__(self, locked: list, transition, workflow) -> None:
        if transition.effects != (STOCK, LEDGER) or transition.compensates:
            raise InvalidTransition("Only issuing is done in bulk.", field="action")
        company = self.company
        _attach_clients(locked)
        lines = _lines_of(locked)
        self._check(locked, lines)
        _number(company, locked)  # first: the cost entries are labelled with the number
        costs = self._stock(locked, lines)
        done = _entry_counts(company, locked)
        entries, sales_at = [], []
        for invoice in locked:
            cost = costs.get(invoice.pk)
            if cost is not None:
                entries.append(cost)
            sales_at.append(len(entries))
            entries.append(posting.entry_data(
                company, invoice, done[invoice.pk] + (cost is not None),
                lines=lines[invoice.pk]))
        posted = journal_entries_post(company=company, actor=self.actor, entries=entries)
        for invoice, at in zip(locked, sales_at, strict=True):
            invoice.journal_entry = posted[at]
        _payment_state(locked)
        now = timezone.now()
        for invoice in locked:
            invoice.updated_at = now
        SalesInvoice._base_manager.bulk_update(
            locked, ["number", "journal_entry", "amount_credited", "amount_paid",
                     "payment_state", "updated_at"])

    def _check(self, locked: list, lines: dict) -> None:
        balances: dict = {}
        running: dict = {}
        for i, invoice in enumerate(locked):
            try:
                if not lines[invoice.pk]:
                    raise ValidationError("A document with no lines is not issued.",
                                          field="lines")
                check_order_bounds(invoice)
                check = _check_one(invoice, balances, running)
                if check is not None and not check.allowed:
                    raise ValidationError(check.warning, field="client")
            except DomainError as exc:
                raise _prefixed(exc, i) from None
            self.warnings[invoice.pk] = _warnings(check)

    def _stock(self, locked: list, lines: dict) -> dict[int, dict]:
        """Each invoice's goods out, in order (FIFO across the batch as one by one), and
        its cost entry (dated and labelled with the invoice's number, as the single issue
        labels it)."""
        warehouse = None
        costs = {}
        counts = _cost_counts(self.company, locked)
        for i, invoice in enumerate(locked):
            goods = [li for li in lines[invoice.pk]
                     if li.item_id and li.item.kind == ItemKind.GOODS]
            if not goods:
                continue
            warehouse = warehouse or warehouse_default(company=self.company)
            try:
                moves = stock.issue_lines(self.company, self.actor, warehouse, invoice, goods)
            except DomainError as exc:
                raise _prefixed(exc, i) from None
            cost = stock.cost_entry(self.company, invoice, goods, moves, counts[invoice.pk])
            if cost is not None:
                costs[invoice.pk] = cost
        return costs


def _attach_clients(locked: list) -> None:
    clients = Client.objects.in_bulk({inv.client_id for inv in locked})
    for invoice in locked:
        invoice.client = clients[invoice.client_id]


def _lines_of(locked: list) -> dict[int, list]:
    out: dict[int, list] = {inv.pk: [] for inv in locked}
    for line in (SalesInvoiceLine.objects.filter(document_id__in=list(out))
                 .select_related("item", "unit", "tax").order_by("document_id", "line_no")):
        out[line.document_id].append(line)
    return out


def _number(company, locked: list) -> None:
    """Numbers in the order given, one request per branch series."""
    by_branch: dict = defaultdict(list)
    for invoice in locked:
        if not invoice.number:
            by_branch[invoice.branch_id].append(invoice)
    for group in by_branch.values():
        numbers = sequence_next_many(
            company=company, document_type=SERIES[INVOICE_TYPE],
            dates=[inv.date for inv in group], branch=group[0].branch,
            object_type=SalesInvoice._meta.label, object_ids=[inv.pk for inv in group])
        for invoice, number in zip(group, numbers, strict=True):
            invoice.number = number


def _counts(queryset) -> Counter:
    return Counter({int(r["source_id"]): r["n"]
                    for r in queryset.values("source_id").annotate(n=Count("id"))})


def _cost_counts(company, locked: list) -> Counter:
    """Cost entries of each invoice so far (the next one's key counts them)."""
    return _counts(_entries(company, locked).filter(idempotency_key__contains=":cogs:"))


def _entry_counts(company, locked: list) -> Counter:
    """Entries of each invoice before this batch posts (as ``sales.posting`` counts)."""
    return _counts(_entries(company, locked))


def _entries(company, locked: list):
    return JournalEntry.objects.filter(company=company, source_type=INVOICE_TYPE,
                                       source_id__in=[str(inv.pk) for inv in locked])


def _sums(queryset, key: str, amount: str) -> dict[int, Decimal]:
    return {row[key]: row["s"] or ZERO
            for row in queryset.values(key).annotate(s=DecimalSum(amount))}


def _payment_state(locked: list) -> None:
    pks = [inv.pk for inv in locked]
    credited = _sums(SalesCreditNote.objects.filter(
        invoice_id__in=pks, status__in=selectors.POSTED_STATES), "invoice_id", "total")
    allocated = _sums(PaymentAllocation.objects.filter(
        Q(invoice_id__in=pks) & Q(reversed=False)), "invoice_id", "amount")
    for invoice in locked:
        invoice.amount_credited, invoice.amount_paid, invoice.payment_state = \
            payment_figures_of(invoice, posted=True,
                               credited=credited.get(invoice.pk, ZERO),
                               allocated=allocated.get(invoice.pk, ZERO))
