"""Customer statement from the books: opening, movements with running balance, closing,
exact to the cent; PDF and XLSX renderings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from cuadra.contacts import services as contacts
from cuadra.core.errors import NotFound, ValidationError
from cuadra.ledger.models import JournalEntry
from cuadra.ledger.services import journal_entry_post
from cuadra.sales import services
from cuadra.sales.statements import (
    compact,
    customer_statement_get,
    customer_statement_pdf,
    customer_statement_xlsx,
    statement_filename,
)
from tests.sales.conftest import D
from tests.sales.test_pdf import flat, pdf_text

MARCH_1, MARCH_31 = dt.date(2025, 3, 1), dt.date(2025, 3, 31)


def _issue(demo, owner, client, date, lines):
    invoice = services.sales_invoice_create(company=demo, actor=owner, client=client,
                                            date=date, lines=lines)
    services.sales_invoice_issue(company=demo, actor=owner, invoice=invoice)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def books(demo, owner, client, galletas, ron):
    """February: 32.10 invoiced. March: 89.05 invoiced, 10.70 invoiced and voided, 24.29
    credited, 50.00 paid (a manual bank entry naming the client). April: 5.35 invoiced.
    Another client's invoice in March must not show."""
    feb = _issue(demo, owner, client, dt.date(2025, 2, 10),
                 [{"item": galletas, "quantity": "3", "unit_price": "10"}])
    march = _issue(demo, owner, client, dt.date(2025, 3, 14),
                   [{"item": galletas, "quantity": "3", "unit_price": "1.255"},
                    {"item": ron, "quantity": "7", "discount_percent": "15"}])
    voided = _issue(demo, owner, client, dt.date(2025, 3, 15),
                    [{"item": galletas, "quantity": "1", "unit_price": "10"}])
    services.sales_document_void(company=demo, actor=owner, document=voided,
                                 reason="duplicada")
    ron_line = march.lines.get(line_no=2)
    note = services.sales_credit_note_create(
        company=demo, actor=owner, invoice=march, reason="Devolución", date=dt.date(2025, 3, 20),
        lines=[{"line_id": ron_line.pk, "quantity": "2"}])
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    note.refresh_from_db()
    payment = journal_entry_post(
        company=demo, actor=owner, journal="GEN", date=dt.date(2025, 3, 25),
        reference="TRF-0001", memo="Pago por transferencia", idempotency_key="pay-1",
        lines=[{"account": "110103", "debit": "50"},
               {"account": "110201", "credit": "50", "partner": client.code,
                "label": "Pago por transferencia"}])
    other = contacts.client_create(company=demo, actor=owner, code="C-OTRO",
                                   legal_name="Otro Cliente")
    _issue(demo, owner, other, dt.date(2025, 3, 28),
           [{"item": galletas, "quantity": "1", "unit_price": "99"}])
    april = _issue(demo, owner, client, dt.date(2025, 4, 2),
                   [{"item": galletas, "quantity": "1", "unit_price": "5"}])
    return {"feb": feb, "march": march, "voided": voided, "note": note, "payment": payment,
            "april": april}


def test_statement_exact_figures(demo, client, books):
    st = customer_statement_get(company=demo, client=client, date_from=MARCH_1,
                                date_to=MARCH_31)
    assert st.opening == D("32.10")
    voided_entry = JournalEntry.objects.exclude(idempotency_key__contains=":cogs:").get(
        company=demo, reference=books["voided"].number)  # its sales entry, not its cost
    rows = [(m.date.isoformat(), m.reference, m.debit, m.credit, m.balance)
            for m in st.movements]
    assert rows == [
        ("2025-03-14", books["march"].number, D("89.05"), D("0"), D("121.15")),
        ("2025-03-15", books["voided"].number, D("10.70"), D("0"), D("131.85")),
        ("2025-03-15", f"REV {voided_entry.number}", D("0"),
         D("10.70"), D("121.15")),
        ("2025-03-20", books["note"].number, D("0"), D("24.29"), D("96.86")),
        ("2025-03-25", "TRF-0001", D("0"), D("50"), D("46.86")),
    ]
    assert (st.total_debit, st.total_credit, st.closing) == (D("99.75"), D("84.99"),
                                                              D("46.86"))
    assert st.movements[0].due_date == dt.date(2025, 4, 13)
    assert st.movements[-1].label == "Pago por transferencia"


def test_statement_chains_periods(demo, client, books):
    """The closing balance of one range is the opening of the next; the whole history
    ends at what the receivable holds for the client."""
    april = customer_statement_get(company=demo, client=client, date_from=dt.date(2025, 4, 1),
                                   date_to=dt.date(2025, 4, 30))
    assert april.opening == D("46.86")
    assert [(m.debit, m.balance) for m in april.movements] == [(D("5.35"), D("52.21"))]
    everything = customer_statement_get(company=demo, client=client,
                                        date_from=dt.date(2000, 1, 1),
                                        date_to=dt.date(2030, 12, 31))
    assert everything.opening == D("0") and everything.closing == D("52.21")
    assert len(everything.movements) == 7


def test_a_client_without_movements_has_an_empty_statement(demo, owner, books):
    quiet = contacts.client_create(company=demo, actor=owner, code="C-QUIET",
                                   legal_name="Sin Movimientos")
    st = customer_statement_get(company=demo, client=quiet.pk, date_from=MARCH_1,
                                date_to=MARCH_31)
    assert (st.opening, st.movements, st.closing) == (D("0"), [], D("0"))


def test_refusals(demo, otra, client, books):
    with pytest.raises(NotFound):
        customer_statement_get(company=otra, client=client, date_from=MARCH_1,
                               date_to=MARCH_31)
    with pytest.raises(NotFound):
        customer_statement_get(company=otra, client=str(client.pk), date_from=MARCH_1,
                               date_to=MARCH_31)
    with pytest.raises(NotFound):
        customer_statement_get(company=demo, client="x1", date_from=MARCH_1,
                               date_to=MARCH_31)
    with pytest.raises(ValidationError) as exc:
        customer_statement_get(company=demo, client=client, date_from=MARCH_31,
                               date_to=MARCH_1)
    assert exc.value.errors[0].field == "dateFrom"


def test_statement_pdf(demo, client, books):
    st = customer_statement_get(company=demo, client=client, date_from=MARCH_1,
                                date_to=MARCH_31)
    text = flat(pdf_text(customer_statement_pdf(st)))
    assert "Estado de cuenta" in text and "Cliente Prueba" in text and "C-T1" in text
    assert "01/03/2025" in text and "31/03/2025" in text
    assert "Saldo inicial" in text and "32.10" in text
    assert books["march"].number in text and "89.05" in text and "121.15" in text
    assert "TRF-0001" in text and "46.86" in text and "Saldo final" in text
    assert "99.75" in text and "84.99" in text
    assert "Otro Cliente" not in text


def test_statement_xlsx_money_cells_are_numbers(demo, client, books):
    st = customer_statement_get(company=demo, client=client, date_from=MARCH_1,
                                date_to=MARCH_31)
    wb = load_workbook(io.BytesIO(customer_statement_xlsx(st)))
    ws = wb.active
    assert ws["A1"].value == "Demo PYME, S.A."
    assert [c.value for c in ws[5]] == ["Fecha", "Asiento", "Referencia", "Detalle",
                                        "Vencimiento", "Débito", "Crédito", "Saldo"]
    opening = ws[6]
    assert opening[3].value == "Saldo inicial"
    assert opening[7].data_type == "n" and D(str(opening[7].value)) == D("32.10")
    first = ws[7]
    assert first[2].value == books["march"].number
    assert first[5].data_type == "n" and first[5].number_format == "#,##0.00;-#,##0.00"
    assert D(str(first[5].value)) == D("89.05") and D(str(first[7].value)) == D("121.15")
    assert first[0].is_date
    closing = ws[ws.max_row]
    assert closing[3].value == "Saldo final"
    assert [D(str(closing[i].value)) for i in (5, 6, 7)] == [D("99.75"), D("84.99"),
                                                             D("46.86")]
    assert statement_filename(st, "xlsx") == "estado-de-cuenta_C-T1_2025-03-01_2025-03-31.xlsx"


def test_compact_keeps_the_exact_value():
    assert str(compact(D("89.0500000000000000000000000"))) == "89.05"
    assert str(compact(D("100.0000"))) == "100"
    tiny = D("0.0000000000000000000000001")
    assert compact(tiny) == tiny


# --- GraphQL -------------------------------------------------------------------------------

STATEMENT = """query($client: ID!, $from: Date!, $to: Date!) {
  customerStatement(clientId: $client, dateFrom: $from, dateTo: $to) {
    client { code legalName } dateFrom dateTo opening totalDebit totalCredit closing
    movements { date entryNumber reference label dueDate debit credit balance } } }"""


def test_api_customer_statement(as_demo, client, books):
    result = as_demo.execute(STATEMENT, {"client": str(client.pk), "from": "2025-03-01",
                                         "to": "2025-03-31"})
    assert "errors" not in result, result
    st = result["data"]["customerStatement"]
    assert st["client"] == {"code": "C-T1", "legalName": "Cliente Prueba"}
    assert (st["opening"], st["totalDebit"], st["totalCredit"], st["closing"]) == (
        "32.1", "99.75", "84.99", "46.86")
    assert [(m["date"], m["reference"], m["debit"], m["credit"], m["balance"])
            for m in st["movements"]][::4] == [
        ("2025-03-14", books["march"].number, "89.05", "0", "121.15"),
        ("2025-03-25", "TRF-0001", "0", "50", "46.86")]
    assert st["movements"][0]["dueDate"] == "2025-04-13"
    assert st["movements"][0]["entryNumber"] == books["march"].journal_entry.number


def test_api_customer_statement_refusals(gql, as_otra, as_demo, client, books):
    from tests.conftest import error_codes

    args = {"client": str(client.pk), "from": "2025-03-01", "to": "2025-03-31"}
    # OTRA cannot read DEMO's client, and nothing of it leaks
    foreign = as_otra.execute(STATEMENT, args)
    assert error_codes(foreign) == ["NOT_FOUND"] and foreign["data"] is None
    bodega = gql.login("bodega", company="DEMO")
    assert error_codes(bodega.execute(STATEMENT, args)) == ["PERMISSION_DENIED"]
    assert error_codes(as_demo.execute(STATEMENT, {**args, "client": "nope"})) == [
        "NOT_FOUND"]
    backwards = as_demo.execute(STATEMENT, {**args, "from": "2025-04-01"})
    assert error_codes(backwards) == ["VALIDATION"]
