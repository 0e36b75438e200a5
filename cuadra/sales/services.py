"""Writes of the sales domain: drafts, issue/void through the lifecycle, conversions.

Every service runs in one transaction; a refusal raises a DomainError before anything is
written (or rolls everything back). Numbers, the ledger posting and the bounds on
invoiced/credited quantities are applied at the issuing transition by the stage effects
in :mod:`cuadra.sales.registry` and :mod:`cuadra.sales.posting`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from cuadra.contacts.models import Client, Salesperson
from cuadra.contacts.selectors import client_credit_check
from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import ErrorCollector, InvalidTransition, NotFound, ValidationError
from cuadra.core.money import to_decimal
from cuadra.documents import lifecycle
from cuadra.inventory.posting import lookups
from cuadra.sales import selectors
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.lines import build_lines, copy_line
from cuadra.sales.models import (
    SalesCreditNote,
    SalesCreditNoteLine,
    SalesInvoice,
    SalesInvoiceLine,
    SalesOrder,
    SalesOrderLine,
    SalesQuote,
    SalesQuoteLine,
)
from cuadra.sales.totals import ZERO
from cuadra.tenancy.models import Branch

LINE_MODELS = {SalesQuote: SalesQuoteLine, SalesOrder: SalesOrderLine,
               SalesInvoice: SalesInvoiceLine, SalesCreditNote: SalesCreditNoteLine}


@dataclass
class Result:
    """A document and the warnings its write raised (credit limit under WARN)."""

    document: object
    warnings: list[str] = field(default_factory=list)


# --- header --------------------------------------------------------------------------------

def _client(company, client) -> Client:
    pk = getattr(client, "pk", client)
    found = (Client.objects.filter(company=company, pk=int(pk)).first()
             if str(pk).isdigit() else None)
    if found is None:
        raise NotFound("No such client in this company.", field="client")
    return found


def _refuse_unusable_client(company, client: Client) -> None:
    """A blocked, on-hold or inactive client takes no new document, whatever the amount."""
    check = client_credit_check(company=company, client=client, additional_amount=ZERO,
                                open_balance=ZERO)
    if not check.allowed:
        raise ValidationError(check.warning, field="client")


def _optional(model, company, value, path, errors):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    row = (model.objects.filter(company=company, pk=int(pk)).first()
           if str(pk).isdigit() else None)
    if row is None:
        errors.add(path, f"No such {model._meta.verbose_name} in this company.")
    return row


def _header(company, client: Client, data: dict, errors: ErrorCollector) -> dict:
    date = data.get("date") or dt.date.today()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            errors.add("date", "Use an ISO date, e.g. 2025-01-31.")
            date = dt.date.today()
    currency = (data.get("currency") or client.currency or company.base_currency).upper()
    if len(currency) != 3 or not currency.isalpha():
        errors.add("currency", "Use a three-letter ISO 4217 code.")
    values = {"date": date, "currency": currency, "notes": data.get("notes") or "",
              "branch": _optional(Branch, company, data.get("branch"), "branch", errors)}
    salesperson = data.get("salesperson")
    values["salesperson"] = (_optional(Salesperson, company, salesperson, "salesperson",
                                       errors) if salesperson else client.salesperson)
    return values


def _invoice_header(company, data: dict, values: dict, client: Client, errors) -> dict:
    from cuadra.ledger.enums import AccountRole
    from cuadra.ledger.models import Account

    kind = data.get("kind") or InvoiceKind.INVOICE
    if kind not in InvoiceKind.values:
        errors.add("kind", f"Choose one of {', '.join(InvoiceKind.values)}.")
    due = data.get("due_date") or values["date"] + dt.timedelta(days=client.payment_terms_days)
    account = _optional(Account, company, data.get("payment_account"), "paymentAccount",
                        errors)
    if account is not None and account.role not in (AccountRole.CASH, AccountRole.BANK):
        errors.add("paymentAccount", "A cash sale is paid into a CASH or BANK account.")
    return {"kind": kind, "due_date": due, "payment_account": account}


# --- drafts --------------------------------------------------------------------------------

def _write_lines(document, built: list[dict]) -> None:
    document.lines.all().delete()
    _insert_lines(document, built)
    _refresh_totals(document)


def _insert_lines(document, built: list[dict]) -> None:
    line_model = LINE_MODELS[type(document)]
    line_model.objects.bulk_create([line_model(company_id=document.company_id,
                                               document=document, **values)
                                    for values in built])


def _totals(lines) -> dict:
    """Header totals of line values (dicts or rows): the sums of the rounded lines."""
    def total(name):
        return sum((li[name] if isinstance(li, dict) else getattr(li, name) for li in lines),
                   ZERO)
    return {"subtotal": total("base_amount"), "tax_total": total("tax_amount"),
            "total": total("total_amount")}


def _refresh_totals(document) -> None:
    for name, value in _totals(list(document.lines.all())).items():
        setattr(document, name, value)
    document.save(update_fields=["subtotal", "tax_total", "total", "updated_at"])


@transaction.atomic
def _draft_create(model, *, company, actor, client, lines, extra=None, **data):
    client = _client(company, client)
    _refuse_unusable_client(company, client)
    errors = ErrorCollector()
    values = _header(company, client, data, errors)
    if model is SalesInvoice:
        values.update(_invoice_header(company, data, values, client, errors))
    if model is SalesQuote:
        values["valid_until"] = data.get("valid_until")
    built = build_lines(company=company, client=client, date=values["date"],
                        lines_data=lines, errors=errors)
    errors.raise_if_any()
    # totals from the built lines: the header is written once (one registry sync)
    document = model.objects.create(company=company, client=client, created_by=actor,
                                    **values, **_totals(built), **(extra or {}))
    _insert_lines(document, built)
    audit_create(actor=actor, company_id=company.pk, obj=document,
                 operation=f"{model.document_type.lower()}_create")
    return document


def sales_quote_create(*, company, actor, client, lines, **data) -> SalesQuote:
    return _draft_create(SalesQuote, company=company, actor=actor, client=client, lines=lines,
                         **data)


def sales_order_create(*, company, actor, client, lines, **data) -> SalesOrder:
    return _draft_create(SalesOrder, company=company, actor=actor, client=client, lines=lines,
                         **data)


def sales_invoice_create(*, company, actor, client, lines, **data) -> SalesInvoice:
    """A draft invoice of ``kind`` INVOICE, TAX_INVOICE or RECEIPT_TAX_INVOICE (cash sale);
    the due date defaults to the date plus the client's payment terms."""
    return _draft_create(SalesInvoice, company=company, actor=actor, client=client,
                         lines=lines, **data)


def _locked_draft(document):
    locked = type(document)._base_manager.select_for_update().get(pk=document.pk)
    if locked.status != "draft":
        raise InvalidTransition("Only a draft is edited.", field="id")
    return locked


@transaction.atomic
def sales_document_update(*, company, actor, document, lines=None, **data):
    """Change a draft's header and, when ``lines`` is given, replace its lines. Lines that
    came from a conversion (order or invoice lines) are not replaced here."""
    if document.company_id != company.pk:
        raise NotFound("No such document.", field="id")
    locked = _locked_draft(document)
    before = snapshot(locked)
    client = _client(company, data.pop("client", None) or locked.client_id)
    _refuse_unusable_client(company, client)
    errors = ErrorCollector()
    merged = {"date": locked.date, "currency": locked.currency, "notes": locked.notes,
              "branch": locked.branch_id, "salesperson": locked.salesperson_id, **data}
    values = _header(company, client, merged, errors)
    if isinstance(locked, SalesInvoice):
        values.update(_invoice_header(company, {
            "kind": locked.kind, "due_date": locked.due_date,
            "payment_account": locked.payment_account_id, **data}, values, client, errors))
    converted = _is_converted(locked)
    if lines is not None and converted:
        errors.add("lines", "Lines of a converted document follow their source; "
                            "cancel it and convert again.")
    built = build_lines(company=company, client=client, date=values["date"],
                        lines_data=lines, errors=errors) if lines is not None else None
    errors.raise_if_any()
    for name, value in {**values, "client": client}.items():
        setattr(locked, name, value)
    locked.save()
    if built is not None:
        _write_lines(locked, built)
    audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                 operation=f"{locked.document_type.lower()}_update")
    document.refresh_from_db()
    return document


def _is_converted(document) -> bool:
    if isinstance(document, SalesCreditNote):
        return True
    return isinstance(document, SalesInvoice) and document.order_id is not None


# --- transitions ---------------------------------------------------------------------------

def _credit_warnings(invoice) -> list[str]:
    if isinstance(invoice, SalesInvoice) and invoice.kind != InvoiceKind.RECEIPT_TAX_INVOICE:
        check = invoice_credit_check(invoice)
        return [check.warning] if check.warning else []
    return []


def invoice_credit_check(invoice):
    return client_credit_check(
        company=invoice.company, client=invoice.client, additional_amount=invoice.total,
        open_balance=selectors.client_open_balance(company=invoice.company,
                                                   client=invoice.client))


@transaction.atomic
def sales_document_transition(*, company, actor, document, action: str,
                              comment: str = "", idempotency_key: str | None = None
                              ) -> Result:
    """Move a sales document by ``action`` (issue, void, cancel; five_stage: audit,
    confirm, storage_audit, entry_audit, finalize, reverse, reopen). With an
    ``idempotency_key`` (invoices and credit notes), a retry returns the first result."""
    if document.company_id != company.pk:
        raise NotFound("No such document.", field="id")
    model = type(document)
    if idempotency_key:
        if not hasattr(model, "issue_key"):
            raise ValidationError("This document takes no idempotency key.",
                                  field="idempotencyKey")
        seen = model.objects.filter(company=company, issue_key=idempotency_key).first()
        if seen is not None:
            return Result(seen)
        locked = _locked_draft(document) if document.status == "draft" else document
        locked.issue_key = idempotency_key
        locked.save(update_fields=["issue_key", "updated_at"])
    warnings = _credit_warnings(document) if action in ("issue", "audit") else []
    with lookups():  # role accounts and journals read once per call
        lifecycle.transition(document=document, action=action, actor=actor, comment=comment)
    return Result(document, warnings)


def sales_invoice_issue(*, company, actor, invoice, idempotency_key=None) -> Result:
    return sales_document_transition(company=company, actor=actor, document=invoice,
                                     action="issue", idempotency_key=idempotency_key)


def sales_document_void(*, company, actor, document, reason: str) -> Result:
    if not (reason or "").strip():
        raise ValidationError("Say why the document is voided.", field="reason")
    return sales_document_transition(company=company, actor=actor, document=document,
                                     action="void", comment=reason.strip())


# --- conversions ---------------------------------------------------------------------------

def _issued_source(document, path: str):
    locked = type(document)._base_manager.select_for_update().get(pk=document.pk)
    if locked.status not in selectors.POSTED_STATES:
        raise InvalidTransition(f"Only an issued {locked._meta.verbose_name} is converted "
                                f"(it is {locked.status}).", field=path)
    return locked


def _copy_header(source, **extra) -> dict:
    return {"client_id": source.client_id, "branch_id": source.branch_id,
            "currency": source.currency, "salesperson_id": source.salesperson_id,
            "notes": source.notes, **extra}


@transaction.atomic
def sales_quote_convert_to_order(*, company, actor, quote, date=None) -> SalesOrder:
    """A draft order with the quote's lines; one live order per quote."""
    if quote.company_id != company.pk:
        raise NotFound("No such quote.", field="quoteId")
    locked = _issued_source(quote, "quoteId")
    _refuse_unusable_client(company, locked.client)
    if locked.orders.exclude(status__in=selectors.DEAD_STATES).exists():
        raise InvalidTransition("This quote already has an order.", field="quoteId")
    order = SalesOrder.objects.create(company=company, created_by=actor, quote=locked,
                                      date=date or dt.date.today(), **_copy_header(locked))
    SalesOrderLine.objects.bulk_create([
        SalesOrderLine(company=company, document=order, line_no=li.line_no, **copy_line(li))
        for li in locked.lines.order_by("line_no")])
    _refresh_totals(order)
    audit_create(actor=actor, company_id=company.pk, obj=order, operation="quote_convert")
    return order


def _quantities(requested, by_id: dict, path: str, errors) -> dict:
    """{line id: quantity} from [{line id, quantity}] (None: every line in full)."""
    if requested is None:
        return {pk: None for pk in by_id}
    wanted: dict = {}
    for i, row in enumerate(requested):
        pk = int(row["line_id"]) if str(row.get("line_id", "")).isdigit() else None
        if pk not in by_id or pk in wanted:
            errors.add(f"lines[{i}].{path}", "No such line of the source document "
                                             "(or named twice).")
            continue
        try:
            qty = to_decimal(row.get("quantity"))
        except (TypeError, ValueError):
            errors.add(f"lines[{i}].quantity", "Not a decimal number (never a float).")
            continue
        if not qty.is_finite() or qty <= 0:
            errors.add(f"lines[{i}].quantity", "The quantity must be greater than zero.")
            continue
        wanted[pk] = qty
    if not wanted and not errors.errors:
        errors.add("lines", "Choose at least one line.")
    return wanted


def check_remaining(wanted: dict, lines_by_id: dict, used: dict, path: str, verb: str,
                    errors) -> dict:
    """Fill None (the rest) and refuse any quantity over what remains of its line."""
    out = {}
    for i, (pk, qty) in enumerate(wanted.items()):
        remaining = lines_by_id[pk].quantity - used.get(pk, ZERO)
        qty = remaining if qty is None else qty
        if qty > remaining or remaining <= 0:
            if wanted[pk] is not None or remaining < 0:
                errors.add(f"lines[{i}].quantity", f"Only {remaining.normalize():f} of line "
                                                   f"{lines_by_id[pk].line_no} remains "
                                                   f"to be {verb}.")
            continue
        out[pk] = qty
    if not out and not errors.errors:
        errors.add("lines", f"Nothing remains to be {verb}.")
    return out


@transaction.atomic
def sales_order_invoice(*, company, actor, order, lines=None, date=None,
                        kind: str = InvoiceKind.INVOICE) -> SalesInvoice:
    """A draft invoice for ``lines=[{line_id (order line), quantity}]`` of an issued order
    (None: whatever remains of every line). Drafts reserve their quantity; the bound is
    checked again when the invoice is issued."""
    if order.company_id != company.pk:
        raise NotFound("No such order.", field="orderId")
    locked = _issued_source(order, "orderId")
    _refuse_unusable_client(company, locked.client)
    by_id = {li.pk: li for li in locked.lines.order_by("line_no")}
    errors = ErrorCollector()
    wanted = _quantities(lines, by_id, "orderLineId", errors)
    used = selectors.invoiced_quantities(order=locked)
    take = check_remaining(wanted, by_id, used, "orderLineId", "invoiced", errors)
    errors.raise_if_any()
    date = date or dt.date.today()
    invoice = SalesInvoice.objects.create(
        company=company, created_by=actor, order=locked, date=date, kind=kind,
        due_date=date + dt.timedelta(days=locked.client.payment_terms_days),
        **_copy_header(locked))
    SalesInvoiceLine.objects.bulk_create([
        SalesInvoiceLine(company=company, document=invoice, line_no=n,
                         **copy_line(by_id[pk], qty, order_line_id=pk))
        for n, (pk, qty) in enumerate(take.items(), start=1)])
    _refresh_totals(invoice)
    audit_create(actor=actor, company_id=company.pk, obj=invoice, operation="order_invoice")
    return invoice


@transaction.atomic
def sales_credit_note_create(*, company, actor, invoice, reason: str, lines=None,
                             date=None) -> SalesCreditNote:
    """A draft credit note for ``lines=[{line_id (invoice line), quantity}]`` of a posted
    invoice (None: whatever remains creditable of every line)."""
    if invoice.company_id != company.pk:
        raise NotFound("No such invoice.", field="invoiceId")
    if not (reason or "").strip():
        raise ValidationError("A credit note states its reason.", field="reason")
    locked = _issued_source(invoice, "invoiceId")
    by_id = {li.pk: li for li in locked.lines.order_by("line_no")}
    errors = ErrorCollector()
    wanted = _quantities(lines, by_id, "invoiceLineId", errors)
    used = selectors.credited_quantities(invoice=locked)
    take = check_remaining(wanted, by_id, used, "invoiceLineId", "credited", errors)
    errors.raise_if_any()
    note = SalesCreditNote.objects.create(
        company=company, created_by=actor, invoice=locked, reason=reason.strip()[:500],
        date=date or dt.date.today(), **_copy_header(locked))
    SalesCreditNoteLine.objects.bulk_create([
        SalesCreditNoteLine(company=company, document=note, line_no=n,
                            **_credit_values(locked, by_id[pk], qty, used))
        for n, (pk, qty) in enumerate(take.items(), start=1)])
    _refresh_totals(note)
    audit_create(actor=actor, company_id=company.pk, obj=note,
                 operation="credit_note_create")
    return note


def _credit_values(invoice, line, qty, used: dict) -> dict:
    """A credit line's values; crediting what remains of a line credits exactly what
    remains of its amounts, so partial credits never add up to more than the line by a
    rounding cent."""
    values = copy_line(line, qty, invoice_line_id=line.pk)
    if used.get(line.pk, ZERO) and qty == line.quantity - used[line.pk]:
        base, tax = selectors.credited_amounts(invoice=invoice).get(line.pk, (ZERO, ZERO))
        values.update(base_amount=line.base_amount - base, tax_amount=line.tax_amount - tax,
                      total_amount=line.total_amount - base - tax)
    return values
