"""GraphQL for the sales reports and the customer statement: salesByItem, salesByClient,
salesBySalesperson, customerStatement. Thin: arguments -> one selector of
``cuadra.sales.reports`` / ``cuadra.sales.statements`` -> plain types. Every field needs
REPORTS:view in the ``X-Company`` company, and every selector is scoped to it.

``cost`` and ``margin`` (salesByItem) are null for a role that may not see them
(``field_visible`` on REPORTS.cost / REPORTS.margin; the built-in Sales role)."""

from __future__ import annotations

import datetime as dt

import strawberry

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.api.contacts.types import ClientType
from cuadra.api.ledger.types import Amount
from cuadra.sales import reports, statements


@strawberry.type
class SalesReportRow:
    id: strawberry.ID | None = strawberry.field(
        description="The item, client or salesperson; null for lines without an item or "
                    "documents without a salesperson")
    key: str = strawberry.field(description="SKU, client code or salesperson code")
    name: str
    currency: str
    quantity: Amount | None = strawberry.field(
        description="Base units sold less credited (salesByItem only)")
    net: Amount
    tax: Amount
    total: Amount
    invoice_count: int
    credit_note_count: int
    cost: Amount | None = strawberry.field(
        description="Standard cost of the base quantity; null when hidden or unknown")
    margin: Amount | None


@strawberry.type
class SalesReportTotal:
    currency: str
    net: Amount
    tax: Amount
    total: Amount


@strawberry.type
class SalesReport:
    date_from: dt.date
    date_to: dt.date
    branch_id: strawberry.ID | None
    show_cost: bool = strawberry.field(description="Whether cost and margin are visible")
    rows: list[SalesReportRow]
    totals: list[SalesReportTotal]


@strawberry.type
class StatementMovementType:
    date: dt.date
    entry_number: str
    reference: str
    label: str
    due_date: dt.date | None
    debit: Amount
    credit: Amount
    balance: Amount


@strawberry.type
class CustomerStatementType:
    client: ClientType
    date_from: dt.date
    date_to: dt.date
    opening: Amount
    total_debit: Amount
    total_credit: Amount
    closing: Amount
    movements: list[StatementMovementType]


def _report(report: reports.SalesReport) -> SalesReport:
    return SalesReport(
        date_from=report.date_from, date_to=report.date_to,
        branch_id=None if report.branch_id is None else str(report.branch_id),
        show_cost=report.show_cost,
        rows=[SalesReportRow(
            id=None if row.id is None else str(row.id), key=row.key,
            name=reports.row_name(report, row), currency=row.currency, quantity=row.quantity,
            net=row.net, tax=row.tax, total=row.total, invoice_count=row.invoice_count,
            credit_note_count=row.credit_note_count, cost=row.cost, margin=row.margin)
            for row in report.rows],
        totals=[SalesReportTotal(currency=currency, **sums)
                for currency, sums in sorted(report.totals().items())])


_VIEW = Action.VIEW


@strawberry.type
class SalesReportsQuery:
    @strawberry.field(extensions=requires(Path.REPORTS, _VIEW),
                      description="Sales by item: issued invoices less issued credit notes")
    def sales_by_item(self, info: strawberry.Info, date_from: dt.date, date_to: dt.date,
                      branch_id: strawberry.ID | None = None) -> SalesReport:
        return _report(reports.sales_by_item_get(company=company(info), date_from=date_from,
                                                 date_to=date_to, branch_id=branch_id,
                                                 user=actor(info)))

    @strawberry.field(extensions=requires(Path.REPORTS, _VIEW),
                      description="Sales by client: issued invoices less issued credit notes")
    def sales_by_client(self, info: strawberry.Info, date_from: dt.date, date_to: dt.date,
                        branch_id: strawberry.ID | None = None) -> SalesReport:
        return _report(reports.sales_by_client_get(company=company(info), date_from=date_from,
                                                   date_to=date_to, branch_id=branch_id))

    @strawberry.field(extensions=requires(Path.REPORTS, _VIEW),
                      description="Sales by the documents' salesperson")
    def sales_by_salesperson(self, info: strawberry.Info, date_from: dt.date,
                             date_to: dt.date,
                             branch_id: strawberry.ID | None = None) -> SalesReport:
        return _report(reports.sales_by_salesperson_get(
            company=company(info), date_from=date_from, date_to=date_to, branch_id=branch_id))

    @strawberry.field(extensions=requires(Path.REPORTS, _VIEW),
                      description="A client's receivable movements with running balance")
    def customer_statement(self, info: strawberry.Info, client_id: strawberry.ID,
                           date_from: dt.date, date_to: dt.date) -> CustomerStatementType:
        st = statements.customer_statement_get(company=company(info), client=client_id,
                                               date_from=date_from, date_to=date_to)
        return CustomerStatementType(
            client=st.client, date_from=st.date_from, date_to=st.date_to, opening=st.opening,
            total_debit=st.total_debit, total_credit=st.total_credit, closing=st.closing,
            movements=[StatementMovementType(
                date=m.date, entry_number=m.entry_number, reference=m.reference,
                label=m.label, due_date=m.due_date, debit=m.debit, credit=m.credit,
                balance=m.balance) for m in st.movements])
