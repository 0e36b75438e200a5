"""The printed invoice and credit note: the PDF's text carries what the client must read."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cuadra.contacts import services as contacts
from cuadra.core.errors import NotFound
from cuadra.sales import services
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.pdf import money, pdf_filename, plain, sales_invoice_pdf
from cuadra.tenancy.models import Branch
from tests.sales.conftest import DAY, D


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Words as one line (extraction breaks long lines where the layout wraps)."""
    return " ".join(text.split())


@pytest.fixture
def ruc_client(demo, owner):
    client = contacts.client_create(company=demo, actor=owner, code="C-PDF",
                                    legal_name="Distribuidora Azuero, S.A.",
                                    tax_id_type="RUC", tax_id="155596713-2-2015",
                                    tax_dv="59", receiver_type="01", payment_terms_days=30)
    contacts.address_add(company=demo, actor=owner, owner=client, kind="BILLING",
                            line1="Calle 50, Edificio Global, piso 3", location_code="8-8-7",
                            province="PANAMA", district="PANAMA",
                            corregimiento="BELLA VISTA", is_default=True)
    return client


@pytest.fixture
def issued(demo, owner, ruc_client, galletas, ron):
    invoice = services.sales_invoice_create(
        company=demo, actor=owner, client=ruc_client, date=DAY, notes="Entregar en bodega 2",
        lines=[{"item": galletas, "quantity": "3", "unit_price": "1.255"},
               {"item": ron, "quantity": "7", "discount_percent": "15"},
               {"description": "Flete", "quantity": "1", "unit_price": "10", "tax": None}])
    services.sales_invoice_issue(company=demo, actor=owner, invoice=invoice)
    invoice.refresh_from_db()
    return invoice


def test_issued_invoice_pdf_shows_number_client_totals_and_words(demo, issued):
    Branch.objects.update_or_create(company=demo, code="0000",
                                    defaults={"name": "Casa matriz",
                                              "address": "Vía España 120, Bella Vista"})
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=issued)))
    assert issued.number == "FAC-2025-000001"
    assert "Factura" in text and "FAC-2025-000001" in text
    assert "Demo PYME, S.A." in text and "155596713-2-2015 DV 59" in text
    assert "Vía España 120, Bella Vista" in text
    assert "Distribuidora Azuero, S.A." in text
    assert "Calle 50, Edificio Global, piso 3" in text
    assert "BELLA VISTA, PANAMA, PANAMA" in text
    assert "14/03/2025" in text and "13/04/2025" in text  # date and due date
    # subtotal, ITBMS by rate, total (99.05) and the total in words
    assert "91.06" in text and "0.26" in text and "7.73" in text and "7.99" in text
    assert "99.05" in text
    assert "NOVENTA Y NUEVE CON 05/100 DÓLARES" in text
    assert "ITBMS 7 %" in text and "ITBMS 10 %" in text and "Exento" in text
    assert "Crédito a 30 días" in text
    assert "Entregar en bodega 2" in text
    assert "BORRADOR" not in text and "ANULADA" not in text


def test_lines_show_quantity_unit_price_discount_rate_and_amount(demo, issued):
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=issued)))
    assert "Galletas 3" in text and "1.255" in text and "3.77" in text
    assert "Ron 7" in text and "12.99 15 % 10 % 77.29" in text
    assert "Flete 1" in text and "10.00" in text


def test_a_draft_carries_borrador_and_no_number(demo, owner, ruc_client, galletas):
    draft = services.sales_invoice_create(company=demo, actor=owner, client=ruc_client,
                                          date=DAY, lines=[{"item": galletas,
                                                            "quantity": "2"}])
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=draft)))
    assert "BORRADOR" in text and "sin número" in text
    assert pdf_filename(draft) == f"draft-{draft.pk}.pdf"


def test_a_voided_invoice_carries_anulada(demo, owner, issued):
    services.sales_document_void(company=demo, actor=owner, document=issued,
                                 reason="error de precio")
    issued.refresh_from_db()
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=issued)))
    assert "ANULADA" in text and "FAC-2025-000001" in text


def test_cash_sale_is_a_factura_de_contado(demo, owner, ruc_client, galletas):
    sale = services.sales_invoice_create(company=demo, actor=owner, client=ruc_client,
                                         date=DAY, kind=InvoiceKind.RECEIPT_TAX_INVOICE,
                                         lines=[{"item": galletas, "quantity": "100",
                                                 "unit_price": "10"}])
    services.sales_invoice_issue(company=demo, actor=owner, invoice=sale)
    sale.refresh_from_db()
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=sale)))
    assert "Factura de contado" in text and sale.number in text
    assert "1,070.00" in text  # 1,000.00 + 7% ITBMS
    assert "MIL SETENTA CON 00/100 DÓLARES" in text
    assert "Contado" in text


def test_credit_note_pdf(demo, owner, issued):
    line = issued.lines.get(line_no=2)
    note = services.sales_credit_note_create(company=demo, actor=owner, invoice=issued,
                                             reason="Devolución de 2 botellas", date=DAY,
                                             lines=[{"line_id": line.pk, "quantity": "2"}])
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    note.refresh_from_db()
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=note)))
    # 2 x 12.99 less 15% = 22.08, ITBMS 10% 2.21, total 24.29
    assert (note.subtotal, note.tax_total, note.total) == (D("22.08"), D("2.21"), D("24.29"))
    assert "Nota de crédito" in text and note.number in text
    assert "FAC-2025-000001" in text and "Devolución de 2 botellas" in text
    assert "24.29" in text and "VEINTICUATRO CON 29/100 DÓLARES" in text
    assert pdf_filename(note) == f"{note.number}.pdf"


def test_balboa_currency_in_words(demo, owner, ruc_client, galletas):
    invoice = services.sales_invoice_create(company=demo, actor=owner, client=ruc_client,
                                            date=DAY, currency="PAB",
                                            lines=[{"item": galletas, "quantity": "1",
                                                    "unit_price": "100", "tax": None}])
    text = flat(pdf_text(sales_invoice_pdf(company=demo, invoice=invoice)))
    assert "CIEN CON 00/100 BALBOAS" in text


def test_another_companys_invoice_is_not_found(otra, issued):
    with pytest.raises(NotFound):
        sales_invoice_pdf(company=otra, invoice=issued)


def test_number_formats():
    assert money(D("1234.5")) == "1,234.50"
    assert money(D("0.005")) == "0.01"
    assert plain(D("3.000000000000")) == "3"
    assert plain(D("1.255"), 2) == "1.255"
    assert plain(D("12.9"), 2) == "12.90"
    assert plain(D("1200"), 2) == "1,200.00"
    assert plain(D("-0.5")) == "-0.5"


def test_pdf_header_carries_the_company_profile_and_logo(demo, owner, issued):
    from cuadra.tenancy import services as tenancy
    from tests.tenancy.test_services import PNG

    tenancy.company_update(company=demo, actor=owner, trade_name="Demo Store",
                           address="Calle 50, Obarrio", phone="+507 223-0000",
                           email="hola@demo.pa")
    tenancy.company_logo_set(company=demo, actor=owner, content=PNG, content_type="image/png")
    demo.refresh_from_db()
    data = sales_invoice_pdf(company=demo, invoice=issued)
    text = flat(pdf_text(data))
    assert "Demo Store" in text and "Calle 50, Obarrio" in text
    assert "+507 223-0000 · hola@demo.pa" in text
    images = [image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]
    assert len(images) == 1
