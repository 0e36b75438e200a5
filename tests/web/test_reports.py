"""Reportes page: sales reports with filters and downloads, the customer statement, and the
invoice / credit-note PDF downloads; permissions and tenancy."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.ledger.services import journal_entry_post
from cuadra.sales import services
from tests.sales.conftest import D, opening_stock
from tests.sales.test_pdf import flat, pdf_text

INDEX = "/reports/"
MARCH = "date_from=2025-03-01&date_to=2025-03-31"


def _client(username: str) -> Client:
    web = Client()
    assert web.login(username=username, password=username)
    return web


@pytest.fixture
def owner_web(platform) -> Client:
    return _client("demo")


@pytest.fixture
def docs(demo, platform):
    """March 2025 in DEMO: an invoice of 99.05 (cookies 4.03 + rum 85.02 + freight 10.00),
    a credit note of 24.29 against it and a payment of 50.00."""
    owner = platform.owner
    galletas = catalog.item_create(company=demo, actor=owner, sku="T-GAL", name="Galletas",
                                   default_tax=Tax.objects.get(company=demo, code="01"),
                                   base_price="1.25")
    ron = catalog.item_create(company=demo, actor=owner, sku="T-RON", name="Ron",
                              default_tax=Tax.objects.get(company=demo, code="02"),
                              base_price="12.99")
    opening_stock(demo, owner, [(galletas, 1000, "0.90"), (ron, 1000, "9.00")])
    buyer = contacts.client_create(company=demo, actor=owner, code="C-WEB",
                                   legal_name="Cliente Web, S.A.", payment_terms_days=30)
    invoice = services.sales_invoice_create(
        company=demo, actor=owner, client=buyer, date=dt.date(2025, 3, 14),
        lines=[{"item": galletas, "quantity": "3", "unit_price": "1.255"},
               {"item": ron, "quantity": "7", "discount_percent": "15"},
               {"description": "Flete", "quantity": "1", "unit_price": "10", "tax": None}])
    services.sales_invoice_issue(company=demo, actor=owner, invoice=invoice)
    invoice.refresh_from_db()
    note = services.sales_credit_note_create(
        company=demo, actor=owner, invoice=invoice, reason="Devolución",
        date=dt.date(2025, 3, 20),
        lines=[{"line_id": invoice.lines.get(line_no=2).pk, "quantity": "2"}])
    services.sales_document_transition(company=demo, actor=owner, document=note,
                                       action="issue")
    note.refresh_from_db()
    journal_entry_post(company=demo, actor=owner, journal="GEN", date=dt.date(2025, 3, 25),
                       reference="TRF-9", idempotency_key="web-pay",
                       lines=[{"account": "110103", "debit": "50"},
                              {"account": "110201", "credit": "50", "partner": "C-WEB"}])
    return {"invoice": invoice, "note": note, "client": buyer}


def test_reports_section_links_to_the_page(owner_web):
    body = owner_web.get("/").content.decode()
    assert f'<a href="{INDEX}">Reportes</a>' in body


def test_index_shows_sales_by_item_with_downloads(owner_web, docs):
    response = owner_web.get(f"{INDEX}?report=item&{MARCH}")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1>Reportes</h1>' in body and 'data-report="item"' in body
    # galletas 3 / 3.77 / 0.26 / 4.03; ron 7 - 2 = 5 / 77.29 - 22.08 = 55.21 / 7.73 - 2.21
    assert "<td>T-GAL</td><td>Galletas</td><td>USD</td><td class=\"num\">3</td>" in body
    assert ('<td>T-RON</td><td>Ron</td><td>USD</td><td class="num">5</td>'
            '<td class="num">55.21</td><td class="num">5.52</td>'
            '<td class="num">60.73</td><td class="num">1</td><td class="num">1</td>') in body
    assert '<span data-total="total">74.76</span>' in body  # 99.05 - 24.29
    export = reverse("web:reports_sales_export", args=["item", "csv"])
    assert f'href="{export}?date_from=2025-03-01&amp;date_to=2025-03-31"' in body
    assert "Costo" in body  # the owner sees cost and margin columns


def test_index_by_client_and_salesperson(owner_web, docs):
    body = owner_web.get(f"{INDEX}?report=client&{MARCH}").content.decode()
    assert '<td>C-WEB</td><td>Cliente Web, S.A.</td>' in body
    body = owner_web.get(f"{INDEX}?report=salesperson&{MARCH}").content.decode()
    assert "(sin vendedor)" in body and "74.76" in body


def test_bad_range_shows_the_error(owner_web, platform):
    response = owner_web.get(f"{INDEX}?date_from=2025-04-01&date_to=2025-03-01")
    assert response.status_code == 400
    assert 'id="report-error"' in response.content.decode()


def test_sales_role_sees_no_cost(platform, docs):
    body = _client("ventas").get(f"{INDEX}?report=item&{MARCH}").content.decode()
    assert "Costo" not in body and "Margen" not in body and "60.73" in body


def test_csv_and_xlsx_downloads(owner_web, docs):
    url = reverse("web:reports_sales_export", args=["client", "csv"])
    response = owner_web.get(f"{url}?{MARCH}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="sales_by_client_DEMO_2025-03-01_2025-03-31.csv"')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content)
                                       .decode("utf-8-sig"))))
    assert rows[1][:6] == ["C-WEB", "Cliente Web, S.A.", "USD", "68.98", "5.78", "74.76"]
    url = reverse("web:reports_sales_export", args=["item", "xlsx"])
    response = owner_web.get(f"{url}?{MARCH}")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert ws["A2"].value == "T-RON" and D(str(ws["G2"].value)) == D("60.73")


def test_download_refusals(platform, owner_web, docs):
    url = reverse("web:reports_sales_export", args=["item", "pdf"])
    assert owner_web.get(f"{url}?{MARCH}").status_code == 400
    assert owner_web.get("/reports/sales/nope/export/csv/").status_code == 404
    assert owner_web.get(f"{url.replace('pdf', 'csv')}?{MARCH}&branch=ZZZZ").status_code == 404
    bodega = _client("bodega")
    assert bodega.get(INDEX).status_code == 403
    assert bodega.get(reverse("web:reports_sales_export",
                              args=["item", "csv"])).status_code == 403


def test_customer_statement_on_the_page(owner_web, docs):
    response = owner_web.get(f"{INDEX}?client=C-WEB&st_from=2025-03-01&st_to=2025-03-31")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="statement-table"' in body
    assert '<td class="num total" data-total="closing">24.76</td>' in body  # 99.05-24.29-50
    statement = reverse("web:reports_customer_statement")
    assert f'href="{statement}?client=C-WEB&amp;st_from=2025-03-01&amp;st_to=2025-03-31' \
           f'&amp;format=pdf"' in body
    unknown = owner_web.get(f"{INDEX}?client=NOPE")
    assert unknown.status_code == 400 and 'id="statement-error"' in unknown.content.decode()


def test_customer_statement_downloads(owner_web, docs):
    url = reverse("web:reports_customer_statement")
    query = "client=C-WEB&st_from=2025-03-01&st_to=2025-03-31"
    pdf = owner_web.get(f"{url}?{query}&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="estado-de-cuenta_C-WEB_2025-03-01_2025-03-31.pdf"')
    text = flat(pdf_text(pdf.content))
    assert "Estado de cuenta" in text and "24.76" in text and "TRF-9" in text
    xlsx = owner_web.get(f"{url}?{query}&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws[ws.max_row][3].value == "Saldo final"
    assert D(str(ws[ws.max_row][7].value)) == D("24.76")
    assert owner_web.get(f"{url}?{query}&format=doc").status_code == 400
    assert owner_web.get(f"{url}?{query.replace('2025-03-01', '2025-05-01')}"
                         "&format=pdf").status_code == 400


def test_customer_statement_of_another_company_is_404(platform, otra, docs):
    contacts.client_create(company=otra, actor=otra_owner(), code="C-OTRA",
                           legal_name="Cliente de Otra")
    url = reverse("web:reports_customer_statement")
    otra_web = _client("otra")
    # DEMO's client code does not exist in OTRA
    assert otra_web.get(f"{url}?client=C-WEB&format=pdf").status_code == 404
    demo_web = _client("demo")
    assert demo_web.get(f"{url}?client=C-OTRA&format=pdf").status_code == 404


def otra_owner():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="otra")


def test_invoice_pdf_download(owner_web, docs):
    invoice = docs["invoice"]
    url = reverse("web:sales_invoice_pdf", args=[invoice.pk])
    assert url == f"/sales/invoices/{invoice.pk}/pdf/"
    response = owner_web.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="FAC-2025-000001.pdf"'
    text = flat(pdf_text(response.content))
    assert "FAC-2025-000001" in text and "Cliente Web, S.A." in text and "99.05" in text
    assert "NOVENTA Y NUEVE CON 05/100 DÓLARES" in text


def test_credit_note_pdf_download(owner_web, docs):
    note = docs["note"]
    response = owner_web.get(reverse("web:sales_credit_note_pdf", args=[note.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{note.number}.pdf"'
    text = flat(pdf_text(response.content))
    assert "Nota de crédito" in text and "24.29" in text


def test_pdf_permissions_and_tenancy(platform, docs):
    invoice, note = docs["invoice"], docs["note"]
    invoice_url = reverse("web:sales_invoice_pdf", args=[invoice.pk])
    note_url = reverse("web:sales_credit_note_pdf", args=[note.pk])
    # OTRA's owner may read OTRA's invoices, not DEMO's: a 404, not a 403
    otra_web = _client("otra")
    assert otra_web.get(invoice_url).status_code == 404
    assert otra_web.get(note_url).status_code == 404
    # a role without SALES_INVOICES / CREDIT_NOTES view is refused
    bodega = _client("bodega")
    assert bodega.get(invoice_url).status_code == 403
    assert bodega.get(note_url).status_code == 403
    # the accountant reads them; an id that does not exist is a 404
    contador = _client("contador")
    assert contador.get(invoice_url).status_code == 200
    assert contador.get(reverse("web:sales_invoice_pdf", args=[999999])).status_code == 404
    # an invoice id is not a credit note id
    assert contador.get(reverse("web:sales_credit_note_pdf",
                                args=[invoice.pk + 1000])).status_code == 404


def test_anonymous_is_sent_to_login(platform, docs):
    response = Client().get(reverse("web:sales_invoice_pdf", args=[docs["invoice"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
