"""Ventas pages for quotes, orders, invoices and credit notes: lists and filters, the draft
form and its htmx fragments (lines, live totals priced by the domain), issue and void,
conversions (quote → order → invoice in part → credit note), permissions, refusals that
write nothing, and another company's ids (404)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.core.models import AuditLog
from cuadra.sales import services as sales
from cuadra.sales.models import SalesCreditNote, SalesInvoice, SalesOrder, SalesQuote
from tests.conftest import row_counts
from tests.sales.conftest import opening_stock

DAY = "2026-03-10"
D = Decimal


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def counts():
    """Rows of every model but the audit log and the sessions a sign-in writes."""
    return lambda: row_counts(exclude=("core.AuditLog", "sessions.Session"))


@pytest.fixture
def owner(platform) -> Client:
    return _client("demo")


@pytest.fixture
def buyer(demo, platform):
    return contacts.client_create(company=demo, actor=platform.owner, code="C-W1",
                                  legal_name="Abarrotes La Esquina, S.A.",
                                  payment_terms_days=30)


@pytest.fixture
def galletas(demo, platform):
    item = catalog.item_create(company=demo, actor=platform.owner, sku="W-GAL",
                               name="Galletas", default_tax=Tax.objects.get(company=demo,
                                                                            code="01"),
                               base_price="1.25")
    opening_stock(demo, platform.owner, [(item, 1000, "0.90")])
    return item


@pytest.fixture
def ron(demo, platform):
    item = catalog.item_create(company=demo, actor=platform.owner, sku="W-RON", name="Ron",
                               default_tax=Tax.objects.get(company=demo, code="02"),
                               base_price="12.99")
    opening_stock(demo, platform.owner, [(item, 1000, "9.00")])
    return item


def form_data(client, lines, *, date=DAY, **extra) -> dict:
    """lines: (item id, quantity, unit price) rows; blank fields left blank."""
    data = {"client": str(client.pk) if client else "", "date": date, "notes": "",
            "kind": "INVOICE", "due_date": "",
            "line_item": [str(li[0]) for li in lines], "line_unit": ["" for _ in lines],
            "line_description": ["" for _ in lines],
            "line_quantity": [li[1] for li in lines], "line_unit_price": [li[2] for li in lines],
            "line_discount": ["" for _ in lines], "line_tax": ["" for _ in lines]}
    data.update(extra)
    return data


def rates(html: str) -> dict[str, str]:
    return {code: amount for code, amount in re.findall(
        r'<tr data-rate="(\w+)">.*?<td class="num tax-amount">([^<]*)</td>', html, re.S)}


def detail_totals(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))


def draft_invoice(demo, platform, buyer, lines):
    return sales.sales_invoice_create(company=demo, actor=platform.owner, client=buyer,
                                      date=DAY, lines=lines)


def issued_invoice(demo, platform, buyer, lines):
    invoice = draft_invoice(demo, platform, buyer, lines)
    return sales.sales_invoice_issue(company=demo, actor=platform.owner,
                                     invoice=invoice).document


# --- access --------------------------------------------------------------------------------

LISTS = ["/sales/invoices/", "/sales/quotes/", "/sales/orders/", "/sales/credit-notes/"]


@pytest.mark.parametrize("username", ["demo", "ventas", "contador", "auditor"])
@pytest.mark.parametrize("url", LISTS)
def test_lists_open_for_roles_that_read_sales(platform, username, url):
    response = _client(username).get(url)
    assert response.status_code == 200
    assert '<a href="/sales/invoices/" aria-current="page">Ventas</a>' in text(response)


def test_sales_section_leads_to_invoices(owner):
    response = owner.get("/sales/")
    assert (response.status_code, response["Location"]) == (302, "/sales/invoices/")


@pytest.mark.parametrize("url", [*LISTS, "/sales/invoices/new/"])
def test_warehouse_may_not_open_sales(platform, url):
    assert _client("bodega").get(url).status_code == 403


def test_warehouse_may_not_create_an_invoice(platform, buyer, galletas, counts):
    before = counts()
    response = _client("bodega").post("/sales/invoices/new/",
                                      form_data(buyer, [(galletas.pk, "2", "")]))
    assert response.status_code == 403
    assert counts() == before


def test_accountant_reads_but_may_not_create(platform, buyer, galletas, counts):
    contador = _client("contador")
    assert 'id="new-document"' not in text(contador.get("/sales/invoices/"))
    before = counts()
    response = contador.post("/sales/invoices/new/", form_data(buyer, [(galletas.pk, "2", "")]))
    assert response.status_code == 403
    assert counts() == before


def test_another_companys_document_is_not_found(platform, demo, otra, buyer, galletas):
    other = contacts.client_create(company=otra, actor=_otra_user(), code="C-O1",
                                   legal_name="Cliente de Otra")
    invoice = sales.sales_invoice_create(
        company=otra, actor=_otra_user(), client=other, date=DAY,
        lines=[{"description": "Servicio", "quantity": "1", "unit_price": "10"}])
    owner = _client("demo")
    assert owner.get(f"/sales/invoices/{invoice.pk}/").status_code == 404
    assert owner.get(f"/sales/invoices/{invoice.pk}/edit/").status_code == 404
    response = owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "issue"})
    assert response.status_code == 404
    invoice.refresh_from_db()
    assert (invoice.status, invoice.number) == ("draft", "")
    # nor through the fragments: OTRA's client prices nothing on DEMO's form
    html = text(owner.post("/sales/invoices/form/totals/",
                           form_data(other, [(galletas.pk, "2", "")])))
    assert '<td class="num" id="total-total">2.68</td>' in html


def _otra_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="otra")


# --- the draft form and its fragments ------------------------------------------------------

def test_totals_fragment_prices_lines_like_the_domain(owner, buyer, galletas, ron):
    html = text(owner.post("/sales/invoices/form/totals/",
                           form_data(buyer, [(galletas.pk, "3", ""), (ron.pk, "2", "")])))
    assert '<td class="num" id="total-subtotal">29.73</td>' in html
    assert rates(html) == {"01": "0.26", "02": "2.60"}
    assert '<td class="num" id="total-total">32.59</td>' in html
    # each line's amount goes out of band into its row
    assert '<span id="line-amount-0" class="line-amount" hx-swap-oob="true">4.01</span>' in html
    assert '<span id="line-amount-1" class="line-amount" hx-swap-oob="true">28.58</span>' in html


def test_totals_fragment_uses_a_typed_price_and_counts_incomplete_lines(owner, buyer,
                                                                        galletas):
    html = text(owner.post("/sales/invoices/form/totals/", form_data(
        buyer, [(galletas.pk, "10", "1,000.00"), (galletas.pk, "", "")])))
    assert '<td class="num" id="total-subtotal">10,000.00</td>' in html
    assert rates(html) == {"01": "700.00"}
    assert '<td class="num" id="total-total">10,700.00</td>' in html
    assert "1 línea todavía no está completa." in html


def test_lines_fragment_adds_removes_and_offers_the_items_units(owner, buyer, galletas, ron,
                                                                demo, platform):
    catalog.unit_level_create(company=demo, actor=platform.owner, item=galletas, code="paq",
                              factor="6")
    html = text(owner.post("/sales/invoices/form/lines/", form_data(
        buyer, [(galletas.pk, "3", ""), (ron.pk, "2", "")], op="add")))
    assert len(re.findall(r'<tr class="doc-line', html)) == 3
    assert 'value="3"' in html and 'placeholder="1.25"' in html
    assert re.search(r'<option value="\d+">paq</option>', html)
    assert '<td class="num" id="total-total">32.59</td>' in html
    html = text(owner.post("/sales/invoices/form/lines/", form_data(
        buyer, [(galletas.pk, "3", ""), (ron.pk, "2", "")], op="remove", index="0")))
    assert len(re.findall(r'<tr class="doc-line', html)) == 1
    assert f'<option value="{ron.pk}" selected>' in html
    assert '<td class="num" id="total-total">28.58</td>' in html


def test_new_invoice_form_preselects_the_client(owner, buyer):
    html = text(owner.get(f"/sales/invoices/new/?client={buyer.pk}"))
    assert f'<option value="{buyer.pk}" selected>C-W1 · Abarrotes La Esquina, S.A.</option>' \
        in html
    assert len(re.findall(r'<tr class="doc-line', html)) == 2


# --- create, edit, issue, void -------------------------------------------------------------

def test_create_invoice_then_issue_it(owner, demo, buyer, galletas, ron):
    response = owner.post("/sales/invoices/new/", form_data(
        buyer, [(galletas.pk, "3", ""), ("", "", ""), (ron.pk, "2", "")]))
    assert response.status_code == 302
    invoice = SalesInvoice.objects.get(company=demo)
    assert response["Location"] == f"/sales/invoices/{invoice.pk}/"
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (D("29.73"), D("2.86"),
                                                                   D("32.59"))
    assert invoice.lines.count() == 2
    assert str(invoice.due_date) == "2026-04-09"  # the client's 30 days
    html = text(owner.get(response["Location"]))
    assert detail_totals(html) == {"subtotal": "29.73", "total": "32.59"}
    assert rates(html) == {"01": "0.26", "02": "2.60"}
    assert 'id="action-issue"' in html and 'id="edit-document"' in html
    key = re.search(r'name="issue_key" value="(\w+)"', html).group(1)

    response = owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "issue",
                                                                  "issue_key": key})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "issued" and invoice.number
    assert invoice.journal_entry_id is not None
    html = text(owner.get(response["Location"]))
    assert f"Factura {invoice.number}: Emitida." in html
    assert 'id="edit-document"' not in html and 'id="action-void"' in html
    # a second click with the same key returns the first result and numbers nothing new
    number = invoice.number
    response = owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "issue",
                                                                  "issue_key": key})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.number == number


def test_a_bad_line_is_shown_on_its_row_and_nothing_is_written(owner, buyer, galletas, ron,
                                                              counts):
    before = counts()
    response = owner.post("/sales/invoices/new/", form_data(
        buyer, [(galletas.pk, "3", ""), ("", "", ""), (ron.pk, "0", "")]))
    assert response.status_code == 400
    html = text(response)
    assert counts() == before
    rows = re.findall(r'<tr class="doc-line( has-error)?" data-line="(\d)"', html)
    assert rows == [("", "0"), ("", "1"), (" has-error", "2")]
    assert "The quantity must be greater than zero." in html
    assert 'value="3"' in html  # what was typed comes back
    assert AuditLog.objects.filter(operation="web_sales_invoice_create",
                                   error_code="VALIDATION").count() == 1


def test_a_missing_client_is_a_field_error(owner, galletas, counts):
    before = counts()
    response = owner.post("/sales/invoices/new/", form_data(None, [(galletas.pk, "1", "")]))
    assert response.status_code == 400
    assert '<span class="field-error" data-error="client">' in text(response)
    assert counts() == before


def test_edit_a_draft_replaces_its_lines(owner, demo, platform, buyer, galletas, ron):
    invoice = draft_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "3"}])
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/edit/"))
    assert 'value="3"' in html and 'value="1.25"' in html
    response = owner.post(f"/sales/invoices/{invoice.pk}/edit/", form_data(
        buyer, [(galletas.pk, "4", "1.25"), (ron.pk, "1", "")], notes="Pedido telefónico"))
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (D("17.99"), D("1.65"),
                                                                   D("19.64"))
    assert invoice.notes == "Pedido telefónico"


def test_an_issued_invoice_is_not_edited(owner, demo, platform, buyer, galletas):
    invoice = issued_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "1"}])
    response = owner.get(f"/sales/invoices/{invoice.pk}/edit/")
    assert response.status_code == 302


def test_void_needs_a_reason(owner, demo, platform, buyer, galletas, counts):
    invoice = issued_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "1"}])
    before = counts()
    response = owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "void",
                                                                  "reason": ""})
    assert response.status_code == 400
    assert '<div class="refusal-message" data-error="reason">Say why the document is ' \
           'voided.</div>' in text(response)
    assert counts() == before
    response = owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "void",
                                                                  "reason": "Precio errado"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "voided"
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    assert 'id="action-void"' not in html
    assert '<dd data-field="kind">Factura</dd>' in html
    assert "· Anular · Dueña Demo · Precio errado</li>" in html


def test_issuing_twice_is_refused_with_the_state_named(owner, demo, platform, buyer,
                                                       galletas):
    invoice = issued_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "1"}])
    response = owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "issue"})
    assert response.status_code == 400
    assert 'data-code="INVALID_TRANSITION"' in text(response)


def test_auditor_sees_no_actions_and_is_refused(platform, demo, buyer, galletas):
    invoice = draft_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "1"}])
    auditor = _client("auditor")
    html = text(auditor.get(f"/sales/invoices/{invoice.pk}/"))
    assert 'id="action-issue"' not in html and 'id="edit-document"' not in html
    response = auditor.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "issue"})
    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == "draft"
    assert AuditLog.objects.filter(operation="web_sales_invoice_issue",
                                   error_code="PERMISSION_DENIED").count() == 1


# --- lists ---------------------------------------------------------------------------------

def test_invoice_list_filters_by_status_client_and_date(owner, demo, platform, buyer,
                                                        galletas):
    other = contacts.client_create(company=demo, actor=platform.owner, code="C-W2",
                                   legal_name="Otro Cliente")
    a = issued_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "1"}])
    b = draft_invoice(demo, platform, other, [{"item": galletas.pk, "quantity": "2"}])
    c = sales.sales_invoice_create(company=demo, actor=platform.owner, client=buyer,
                                   date="2026-05-01",
                                   lines=[{"item": galletas.pk, "quantity": "3"}])

    def listed(query):
        return [int(pk) for pk in re.findall(r'data-document="(\d+)"',
                                             text(owner.get(f"/sales/invoices/?{query}")))]

    assert listed("") == [c.pk, b.pk, a.pk]
    assert listed("status=issued") == [a.pk]
    assert listed(f"client={other.pk}") == [b.pk]
    assert listed("date_from=2026-04-01") == [c.pk]
    assert listed("date_to=2026-03-31&status=draft") == [b.pk]
    assert listed(f"q={a.number}") == [a.pk]


# --- conversions ---------------------------------------------------------------------------

def test_quote_to_order_to_part_invoice_to_credit_note(owner, demo, platform, buyer,
                                                       galletas, ron):
    response = owner.post("/sales/quotes/new/", form_data(
        buyer, [(galletas.pk, "10", ""), (ron.pk, "2", "")], valid_until="2026-03-31"))
    assert response.status_code == 302
    quote = SalesQuote.objects.get(company=demo)
    assert str(quote.valid_until) == "2026-03-31"
    owner.post(f"/sales/quotes/{quote.pk}/move/", {"action": "issue"})
    html = text(owner.get(f"/sales/quotes/{quote.pk}/"))
    assert 'id="convert-quote"' in html

    response = owner.post(f"/sales/quotes/{quote.pk}/convert/")
    order = SalesOrder.objects.get(company=demo)
    assert response["Location"] == f"/sales/orders/{order.pk}/"
    assert order.quote_id == quote.pk and order.total == quote.total
    assert 'id="convert-quote"' not in text(owner.get(f"/sales/quotes/{quote.pk}/"))
    owner.post(f"/sales/orders/{order.pk}/move/", {"action": "issue"})

    lines = list(order.lines.order_by("line_no"))
    html = text(owner.get(f"/sales/orders/{order.pk}/"))
    assert f'name="qty_{lines[0].pk}" value="10"' in html
    response = owner.post(f"/sales/orders/{order.pk}/invoice/",
                          {f"qty_{lines[0].pk}": "4", f"qty_{lines[1].pk}": "0"})
    invoice = SalesInvoice.objects.get(company=demo)
    assert response["Location"] == f"/sales/invoices/{invoice.pk}/"
    assert [(li.quantity, li.total_amount) for li in invoice.lines.all()] == [
        (D("4"), D("5.35"))]
    # over-invoicing is refused on the form, nothing written
    response = owner.post(f"/sales/orders/{order.pk}/invoice/", {f"qty_{lines[0].pk}": "7"})
    assert response.status_code == 400
    assert "Only 6 of line 1 remains to be invoiced." in text(response)
    assert SalesInvoice.objects.filter(company=demo).count() == 1
    html = text(owner.get(f"/sales/orders/{order.pk}/"))
    assert f'name="qty_{lines[0].pk}" value="6"' in html

    owner.post(f"/sales/invoices/{invoice.pk}/move/", {"action": "issue"})
    invoice.refresh_from_db()
    line = invoice.lines.get()
    response = owner.post(f"/sales/invoices/{invoice.pk}/credit/",
                          {f"qty_{line.pk}": "1", "reason": "Un paquete roto"})
    note = SalesCreditNote.objects.get(company=demo)
    assert response["Location"] == f"/sales/credit-notes/{note.pk}/"
    assert (note.total, note.reason) == (D("1.34"), "Un paquete roto")
    owner.post(f"/sales/credit-notes/{note.pk}/move/", {"action": "issue"})
    note.refresh_from_db()
    assert note.status == "issued" and note.number
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    assert f'name="qty_{line.pk}" value="3"' in html
    assert f"Nota de crédito {note.number}" in html
    # an issued credit note links to its own PDF, an invoice to its own
    assert f'href="/sales/credit-notes/{note.pk}/pdf/"' in text(
        owner.get(f"/sales/credit-notes/{note.pk}/"))
    assert f'href="/sales/invoices/{invoice.pk}/pdf/"' in html


def test_a_credit_note_needs_a_reason(owner, demo, platform, buyer, galletas, counts):
    invoice = issued_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "2"}])
    line = invoice.lines.get()
    before = counts()
    response = owner.post(f"/sales/invoices/{invoice.pk}/credit/",
                          {f"qty_{line.pk}": "1", "reason": " "})
    assert response.status_code == 400
    assert "A credit note states its reason." in text(response)
    assert counts() == before


def test_sales_role_may_not_convert_without_create_on_the_target(platform, demo, buyer,
                                                                 galletas, counts):
    """The auditor reads quotes but may not make an order of one."""
    quote = sales.sales_quote_create(company=demo, actor=platform.owner, client=buyer,
                                     date=DAY, lines=[{"item": galletas.pk, "quantity": "1"}])
    sales.sales_document_transition(company=demo, actor=platform.owner, document=quote,
                                    action="issue")
    before = counts()
    response = _client("auditor").post(f"/sales/quotes/{quote.pk}/convert/")
    assert response.status_code == 403
    assert counts() == before


def test_pages_speak_english_when_asked(owner, demo, platform, buyer, galletas):
    invoice = issued_invoice(demo, platform, buyer, [{"item": galletas.pk, "quantity": "1"}])
    owner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = text(owner.get(f"/sales/invoices/{invoice.pk}/"))
    assert f"<h1>Invoice {invoice.number}</h1>" in html
    assert 'data-state="issued">Issued</span>' in html
    assert "Credit note" in html


def test_create_an_order_with_a_free_text_line_and_no_tax(owner, demo, buyer, galletas):
    response = owner.post("/sales/orders/new/", form_data(
        buyer, [(galletas.pk, "2", ""), ("", "1", "15.00")],
        line_description=["", "Flete a Colón"], line_tax=["", "none"]))
    assert response.status_code == 302
    order = SalesOrder.objects.get(company=demo)
    assert [(li.description, li.tax_id, li.total_amount) for li in order.lines.all()] == [
        ("Galletas", galletas.default_tax_id, D("2.68")), ("Flete a Colón", None, D("15.00"))]
    html = text(owner.get(response["Location"]))
    assert rates(html) == {"01": "0.18", "none": "0.00"}
    assert detail_totals(html) == {"subtotal": "17.50", "total": "17.68"}
    listed = text(owner.get("/sales/orders/?status=draft"))
    assert f'data-document="{order.pk}"' in listed
