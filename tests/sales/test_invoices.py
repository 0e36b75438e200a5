"""Invoices: exact totals, numbering at issue, refusals that write nothing, posting."""

from __future__ import annotations

import pytest

from cuadra.contacts import services as contacts
from cuadra.contacts.enums import ClientStatus
from cuadra.contacts.models import Client
from cuadra.core.errors import DomainError, InvalidTransition, NotFound, ValidationError
from cuadra.documents.services import workflow_setting_set
from cuadra.ledger.models import JournalEntry
from cuadra.sales import services
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.totals import totals_by_rate
from tests.conftest import row_counts
from tests.sales.conftest import DAY, D, entry_lines


@pytest.fixture
def make_invoice(demo, owner, client, galletas, ron):
    def make(**extra):
        lines = extra.pop("lines", None) or [
            {"item": galletas, "quantity": "3", "unit_price": "1.255"},
            {"item": ron, "quantity": "7", "discount_percent": "15"},
            {"description": "Flete", "quantity": "1", "unit_price": "10", "tax": None},
        ]
        return services.sales_invoice_create(company=demo, actor=owner,
                                             client=extra.pop("client", client), date=DAY,
                                             lines=lines, **extra)
    return make


def test_totals_by_rate_are_sums_of_rounded_lines(make_invoice):
    inv = make_invoice()
    lines = list(inv.lines.order_by("line_no"))
    assert [(li.base_amount, li.tax_amount, li.total_amount) for li in lines] == [
        (D("3.77"), D("0.26"), D("4.03")), (D("77.29"), D("7.73"), D("85.02")),
        (D("10.00"), D("0.00"), D("10.00"))]
    assert lines[1].unit_price == D("12.99")  # resolved from the catalog
    assert (inv.subtotal, inv.tax_total, inv.total) == (D("91.06"), D("7.99"), D("99.05"))
    rows = [(r.tax_code, r.rate, r.base, r.tax) for r in totals_by_rate(lines)]
    assert rows == [("01", D("0.07"), D("3.77"), D("0.26")),
                    ("02", D("0.10"), D("77.29"), D("7.73")), ("", D("0"), D("10.00"), D("0"))]
    assert inv.number == "" and inv.status == "draft"
    assert inv.due_date.isoformat() == "2025-04-13"


def test_issue_numbers_and_posts_exact_figures(demo, owner, make_invoice):
    inv = make_invoice()
    result = services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    inv.refresh_from_db()
    assert inv.status == "issued" and inv.number == "FAC-2025-000001"
    assert result.warnings == []
    assert entry_lines(inv.journal_entry) == [
        ("110201", D("99.05"), D("0")), ("4101", D("0"), D("91.06")),
        ("210201", D("0"), D("0.26")), ("210201", D("0"), D("7.73"))]
    assert inv.journal_entry.lines.first().partner == "C-T1"


def test_numbers_are_gapless_and_a_refused_issue_takes_none(demo, owner, make_invoice,
                                                            client):
    first = make_invoice()
    second = make_invoice()
    contacts.client_update(company=demo, actor=owner, client=client, credit_limit="100")
    contacts.contacts_settings_update(company=demo, actor=owner, credit_limit_policy="BLOCK")
    services.sales_invoice_issue(company=demo, actor=owner, invoice=first)
    with pytest.raises(ValidationError):  # 99.05 + 99.05 > 100
        services.sales_invoice_issue(company=demo, actor=owner, invoice=second)
    contacts.client_update(company=demo, actor=owner, client=client, credit_limit="1000")
    services.sales_invoice_issue(company=demo, actor=owner, invoice=second)
    second.refresh_from_db()
    assert second.number == "FAC-2025-000002"


def test_credit_limit_under_warn_issues_with_a_warning(demo, owner, make_invoice, client):
    contacts.client_update(company=demo, actor=owner, client=client, credit_limit="50")
    inv = make_invoice()
    result = services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    assert result.document.status == "issued"
    # (the limit's text comes from contacts' client_credit_check)
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("Client C-T1 would owe 99.05, over its credit limit")


def test_idempotent_issue_returns_the_first_result(demo, owner, make_invoice):
    inv = make_invoice()
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv,
                                 idempotency_key="k-1")
    before = row_counts()
    again = services.sales_invoice_issue(company=demo, actor=owner, invoice=inv,
                                         idempotency_key="k-1")
    assert again.document.pk == inv.pk and row_counts() == before


@pytest.mark.parametrize("lines, field", [
    ([{"description": "x", "quantity": "0", "unit_price": "1"}], "lines[0].quantity"),
    ([{"description": "x", "quantity": "-2", "unit_price": "1"}], "lines[0].quantity"),
    ([{"description": "x", "quantity": "1", "unit_price": "1", "tax": 999999}],
     "lines[0].tax"),
])
def test_bad_lines_write_nothing(demo, owner, client, lines, field):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                      lines=lines)
    assert field in [e.field for e in exc.value.errors]
    assert row_counts() == before


def test_float_quantity_is_refused(demo, owner, client):
    with pytest.raises(ValidationError):
        services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                      lines=[{"description": "x", "quantity": 1.5,
                                              "unit_price": "1"}])


def test_a_client_of_another_company_is_not_found(demo, otra, owner, platform):
    foreign = Client.objects.create(company=otra, code="C-O", legal_name="Otra")
    before = row_counts()
    with pytest.raises(NotFound):
        services.sales_invoice_create(company=demo, actor=owner, client=foreign, date=DAY,
                                      lines=[{"description": "x", "quantity": "1",
                                              "unit_price": "1"}])
    assert row_counts() == before


def test_a_blocked_client_is_refused(demo, owner, client):
    contacts.client_update(company=demo, actor=owner, client=client,
                           status=ClientStatus.BLOCKED)
    before = row_counts()
    with pytest.raises(ValidationError):
        services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                      lines=[{"description": "x", "quantity": "1",
                                              "unit_price": "1"}])
    assert row_counts() == before


def test_issue_without_lines_writes_nothing(demo, owner, client):
    inv = services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                        lines=[])
    before = row_counts()
    with pytest.raises(ValidationError):
        services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    assert row_counts() == before
    inv.refresh_from_db()
    assert inv.number == "" and inv.status == "draft"


def test_void_reverses_the_entry(demo, owner, make_invoice):
    inv = make_invoice()
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    inv.refresh_from_db()
    posted = inv.journal_entry
    services.sales_document_void(company=demo, actor=owner, document=inv, reason="error")
    inv.refresh_from_db()
    assert inv.status == "voided" and inv.number == "FAC-2025-000001"
    reversal = JournalEntry.objects.get(reversal_of=posted)
    assert entry_lines(reversal) == [
        ("110201", D("0"), D("99.05")), ("4101", D("91.06"), D("0")),
        ("210201", D("0.26"), D("0")), ("210201", D("7.73"), D("0"))]
    with pytest.raises(InvalidTransition):
        services.sales_document_void(company=demo, actor=owner, document=inv, reason="again")


def test_cash_sale_debits_cash(demo, owner, make_invoice):
    inv = make_invoice(kind=InvoiceKind.RECEIPT_TAX_INVOICE)
    services.sales_invoice_issue(company=demo, actor=owner, invoice=inv)
    inv.refresh_from_db()
    assert entry_lines(inv.journal_entry)[0] == ("110101", D("99.05"), D("0"))


def test_cash_sale_refuses_a_non_cash_account(demo, owner, make_invoice, acct):
    with pytest.raises(DomainError):
        make_invoice(kind=InvoiceKind.RECEIPT_TAX_INVOICE, payment_account=acct("4101"))


def test_five_stage_posts_only_at_entry_audit_and_reverses_going_back(demo, owner,
                                                                       make_invoice):
    workflow_setting_set(company=demo, document_type="SALES_INVOICE",
                         workflow_key="five_stage", actor=owner)
    inv = make_invoice()
    for action in ("audit", "confirm", "storage_audit"):
        services.sales_document_transition(company=demo, actor=owner, document=inv,
                                           action=action)
        inv.refresh_from_db()
        assert inv.number == "" and inv.journal_entry_id is None
    services.sales_document_transition(company=demo, actor=owner, document=inv,
                                       action="entry_audit")
    inv.refresh_from_db()
    first = inv.journal_entry
    assert inv.number == "FAC-2025-000001" and first.lines.count() == 4
    services.sales_document_transition(company=demo, actor=owner, document=inv,
                                       action="reverse")
    inv.refresh_from_db()
    assert inv.status == "storage_audit" and inv.journal_entry_id is None
    assert JournalEntry.objects.filter(reversal_of=first).exists()
    services.sales_document_transition(company=demo, actor=owner, document=inv,
                                       action="entry_audit")
    inv.refresh_from_db()
    assert inv.number == "FAC-2025-000001"  # the number is kept, never taken twice
    assert inv.journal_entry_id not in (None, first.pk)
