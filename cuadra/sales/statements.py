"""The customer statement (estado de cuenta), read from the books.

``customer_statement_get(company=, client=, date_from=, date_to=)`` takes the posted lines
of RECEIVABLE-role accounts whose ``partner`` is the client's code: sales posting writes
the client's code there (``cuadra.sales.posting``), and so do payments and any manual
entry that names the client. The opening balance is what those lines add up to before
``date_from`` (debit - credit), each movement in the range follows with its running
balance, and the closing balance is the opening plus the range's debits less its
credits. Sums run in SQL with :class:`DecimalSum` (exact on both databases); the running
balance adds Decimals. The figures are in company currency (the ledger's debit/credit).

Renderers: :func:`customer_statement_pdf` (WeasyPrint) and :func:`customer_statement_xlsx`
(openpyxl; money cells are numbers with a number format, never text)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from cuadra.contacts.models import Client
from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.money import DecimalSum
from cuadra.ledger.enums import AccountRole, EntryState
from cuadra.ledger.models import JournalLine
from cuadra.sales.pdf import issuer_block, money, receiver_block, render_pdf

ZERO = Decimal(0)
MONEY_FORMAT = "#,##0.00;-#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class StatementMovement:
    date: dt.date
    entry_number: str
    reference: str
    label: str
    due_date: dt.date | None
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass
class CustomerStatement:
    company: object
    client: Client
    date_from: dt.date
    date_to: dt.date
    opening: Decimal
    movements: list[StatementMovement] = field(default_factory=list)
    total_debit: Decimal = ZERO
    total_credit: Decimal = ZERO
    closing: Decimal = ZERO


def _client(company, client) -> Client:
    if isinstance(client, Client):
        if client.company_id != company.pk:
            raise NotFound("No such client in this company.", field="clientId")
        return client
    text = str(client)
    found = (Client.objects.filter(company=company, pk=int(text)).first()
             if text.isdigit() else None)
    if found is None:
        raise NotFound("No such client in this company.", field="clientId")
    return found


def _lines(company, client: Client):
    return JournalLine.objects.filter(company=company, entry__state=EntryState.POSTED,
                                      account__role=AccountRole.RECEIVABLE,
                                      partner=client.code)


def _net(rows) -> tuple[Decimal, Decimal]:
    sums = rows.aggregate(debit=DecimalSum("debit"), credit=DecimalSum("credit"))
    return sums["debit"] or ZERO, sums["credit"] or ZERO


def customer_statement_get(*, company, client, date_from: dt.date,
                           date_to: dt.date) -> CustomerStatement:
    """The client's receivable movements from ``date_from`` to ``date_to`` (both
    included) with the opening and closing balances."""
    client = _client(company, client)
    if date_from is None or date_to is None:
        raise ValidationError("Choose both dates.", field="dateFrom" if date_from is None
                              else "dateTo")
    if date_from > date_to:
        raise ValidationError("The start date is after the end date.", field="dateFrom")
    lines = _lines(company, client)
    debit_before, credit_before = _net(lines.filter(entry__date__lt=date_from))
    statement = CustomerStatement(company=company, client=client, date_from=date_from,
                                  date_to=date_to, opening=debit_before - credit_before)
    in_range = lines.filter(Q(entry__date__gte=date_from) & Q(entry__date__lte=date_to))
    statement.total_debit, statement.total_credit = _net(in_range)
    balance = statement.opening
    for row in _movement_rows(in_range):
        balance += row["debit"] - row["credit"]
        statement.movements.append(StatementMovement(
            date=row["entry__date"], entry_number=row["entry__number"],
            reference=row["entry__reference"], label=row["label"] or row["entry__memo"],
            due_date=row["due_date"], debit=row["debit"], credit=row["credit"],
            balance=balance))
    statement.closing = statement.opening + statement.total_debit - statement.total_credit
    return statement


def _movement_rows(rows) -> Iterator[dict]:
    return (rows.order_by("entry__date", "entry__chain_seq", "entry_id", "line_no")
            .values("entry__date", "entry__number", "entry__reference", "entry__memo",
                    "label", "due_date", "debit", "credit").iterator(chunk_size=2000))


# --- renderers -----------------------------------------------------------------------------

def _title() -> str:
    return pgettext("sales statement", "Customer statement")


def statement_filename(statement: CustomerStatement, fmt: str) -> str:
    code = "".join(c if c.isalnum() or c in "-_" else "-" for c in statement.client.code)
    return f"estado-de-cuenta_{code}_{statement.date_from}_{statement.date_to}.{fmt}"


def customer_statement_pdf(statement: CustomerStatement) -> bytes:
    company = statement.company
    with translation.override(company.language or "es"):
        html = render_to_string("sales/pdf/statement.html", {
            "title": _title(), "statement": statement, "issuer": issuer_block(company),
            "receiver": receiver_block(company, statement.client),
            "opening": money(statement.opening), "closing": money(statement.closing),
            "total_debit": money(statement.total_debit),
            "total_credit": money(statement.total_credit),
            "rows": [{"m": m, "debit": money(m.debit) if m.debit else "",
                      "credit": money(m.credit) if m.credit else "",
                      "balance": money(m.balance)} for m in statement.movements]})
    return render_pdf(html)


def compact(value: Decimal) -> Decimal:
    """The same number without the stored 25 places of trailing zeros (89.05, not
    89.0500000000000000000000000); whole amounts stay plain (100, not 1E+2)."""
    return Decimal(format(value.normalize(), "f"))


def _headers() -> list[str]:
    return [pgettext("sales statement", "Date"), pgettext("sales statement", "Entry"),
            pgettext("sales statement", "Reference"), pgettext("sales statement", "Detail"),
            pgettext("sales statement", "Due date"), pgettext("sales statement", "Debit"),
            pgettext("sales statement", "Credit"), pgettext("sales statement", "Balance")]


def customer_statement_xlsx(statement: CustomerStatement) -> bytes:
    """One sheet: a heading block, then the table (opening row, movements, totals row).
    Money cells hold the exact Decimal as a number with a two-place number format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    company, client = statement.company, statement.client
    with translation.override(company.language or "es"):
        wb = Workbook()
        ws = wb.active
        ws.title = _title()[:31]
        ws.append([company.name])
        ws.append([_title(), client.code, client.legal_name])
        ws.append([pgettext("sales statement", "From"), statement.date_from,
                   pgettext("sales statement", "To"), statement.date_to])
        ws.append([])
        ws.append(_headers())
        for cell in ws[5]:
            cell.font = Font(bold=True)
        ws.append([statement.date_from, "", "", pgettext("sales statement", "Opening balance"),
                   None, None, None, statement.opening])
        for m in statement.movements:
            ws.append([m.date, m.entry_number, m.reference, m.label, m.due_date,
                       m.debit, m.credit, m.balance])
        ws.append([statement.date_to, "", "", pgettext("sales statement", "Closing balance"),
                   None, statement.total_debit, statement.total_credit, statement.closing])
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.value = compact(cell.value)
                    cell.number_format = MONEY_FORMAT
                elif isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for letter, width in zip("ABCDEFGH", (12, 16, 18, 40, 12, 14, 14, 14), strict=True):
            ws.column_dimensions[letter].width = width
        buffer = io.BytesIO()
        wb.save(buffer)
    return buffer.getvalue()
