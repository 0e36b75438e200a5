"""Ventas → Clientes pages: list and filters, the client form (DGI check digit and other
field errors shown without writing), edit, detail with addresses and open balance,
permissions and another company's ids."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client as HttpClient

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.contacts.models import Client, Salesperson, Tag
from cuadra.sales import services as sales
from tests.conftest import row_counts
from tests.sales.conftest import opening_stock

NEW = "/sales/clients/new/"


def _http(username: str) -> HttpClient:
    client = HttpClient()
    assert client.login(username=username, password=username)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def counts():
    return lambda: row_counts(exclude=("core.AuditLog", "sessions.Session"))


@pytest.fixture
def owner(platform) -> HttpClient:
    return _http("demo")


def client_data(**extra) -> dict:
    data = {"code": "C-500", "legal_name": "Ferretería El Tornillo, S.A.", "trade_name": "",
            "tax_id_type": "RUC", "tax_id": "155596713-2-2015", "tax_dv": "59",
            "receiver_type": "01", "email": "", "phone": "", "payment_terms_days": "30",
            "credit_limit": "5,000.00", "price_list_code": "", "salesperson": "",
            "status": "ACTIVE", "notes": ""}
    data.update(extra)
    return data


def codes(html: str) -> list[str]:
    return re.findall(r'<tr data-client="([^"]+)"', html)


def test_list_searches_and_filters_by_status(owner, demo, platform):
    for code, name, status in (("C-A1", "Alfa Comercial", "ACTIVE"),
                               ("C-A2", "Beta Distribuidora", "ON_HOLD"),
                               ("C-A3", "Alfa Prospecto", "PROSPECT")):
        contacts.client_create(company=demo, actor=platform.owner, code=code,
                               legal_name=name, status=status)
    assert codes(text(owner.get("/sales/clients/"))) == ["C-A1", "C-A2", "C-A3"]
    assert codes(text(owner.get("/sales/clients/?q=alfa"))) == ["C-A1", "C-A3"]
    assert codes(text(owner.get("/sales/clients/?status=ON_HOLD"))) == ["C-A2"]
    html = text(owner.get("/sales/clients/?q=alfa&status=PROSPECT"))
    assert codes(html) == ["C-A3"]
    assert '<span class="tag status-prospect">Prospecto</span>' in html


def test_create_a_client_with_every_field(owner, demo, platform):
    seller = contacts.salesperson_create(company=demo, actor=platform.owner, code="V-9",
                                         name="Ana Ventas")
    tag = contacts.tag_create(company=demo, actor=platform.owner, name="Mayorista")
    catalog.price_list_create(company=demo, actor=platform.owner, code="MAY", name="Mayoreo",
                              currency="USD")
    response = owner.post(NEW, client_data(salesperson=str(seller.pk), tags=[str(tag.pk)],
                                           price_list_code="MAY", email="compras@tornillo.pa"))
    assert response.status_code == 302
    client = Client.objects.get(company=demo, code="C-500")
    assert response["Location"] == f"/sales/clients/{client.pk}/"
    assert (client.tax_id, client.tax_dv, client.taxpayer_kind) == ("155596713-2-2015", "59",
                                                                    "2")
    assert (client.receiver_type, client.payment_terms_days, client.credit_limit) == (
        "01", 30, Decimal("5000.00"))
    assert (client.salesperson, client.price_list_code) == (seller, "MAY")
    assert list(client.tags.all()) == [tag]
    html = text(owner.get(response["Location"]))
    assert "Cliente C-500 guardado." in html
    assert '<dd data-field="tax_id">RUC 155596713-2-2015 DV 59</dd>' in html
    assert '<dd data-field="receiver_type">Contribuyente</dd>' in html
    assert '<dd data-field="credit_limit">5,000.00</dd>' in html
    assert '<dd data-field="salesperson">Ana Ventas</dd>' in html


def test_a_wrong_check_digit_is_shown_on_its_field_and_nothing_is_written(owner, counts):
    before = counts()
    response = owner.post(NEW, client_data(tax_dv="58", credit_limit="-1",
                                           payment_terms_days="treinta"))
    assert response.status_code == 400
    html = text(response)
    assert ('<span class="field-error" data-error="tax_dv">Wrong DV for 155596713-2-2015: '
            'the DGI algorithm gives 59.</span>') in html
    assert '<span class="field-error" data-error="credit_limit">' in html
    assert '<span class="field-error" data-error="payment_terms_days">' in html
    assert 'value="Ferretería El Tornillo, S.A."' in html  # what was typed comes back
    assert counts() == before


def test_a_contribuyente_needs_a_ruc(owner, counts):
    before = counts()
    response = owner.post(NEW, client_data(tax_id_type="", tax_id="", tax_dv=""))
    assert response.status_code == 400
    assert ('<span class="field-error" data-error="tax_id_type">A contribuyente or '
            'government receiver needs a RUC with its DV.</span>') in text(response)
    assert counts() == before


def test_edit_changes_status_and_terms(owner, demo, platform):
    client = contacts.client_create(company=demo, actor=platform.owner, code="C-E1",
                                    legal_name="Cliente Editable", payment_terms_days=15)
    html = text(owner.get(f"/sales/clients/{client.pk}/edit/"))
    assert 'name="payment_terms_days" id="client-terms" value="15"' in html
    response = owner.post(f"/sales/clients/{client.pk}/edit/", client_data(
        code="C-E1", legal_name="Cliente Editable", tax_id_type="", tax_id="", tax_dv="",
        receiver_type="02", status="BLOCKED", payment_terms_days="45", credit_limit=""))
    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.status, client.payment_terms_days, client.credit_limit) == ("BLOCKED", 45,
                                                                              None)


def test_detail_shows_addresses_and_open_balance(owner, demo, platform):
    client = contacts.client_create(company=demo, actor=platform.owner, code="C-D1",
                                    legal_name="Cliente Deudor")
    item = catalog.item_create(company=demo, actor=platform.owner, sku="C-IT", name="Arroz",
                               default_tax=Tax.objects.get(company=demo, code="01"),
                               base_price="10")
    opening_stock(demo, platform.owner, [(item, 1000, "7.00")])
    invoice = sales.sales_invoice_create(company=demo, actor=platform.owner, client=client,
                                         date="2026-03-10",
                                         lines=[{"item": item.pk, "quantity": "3"}])
    sales.sales_invoice_issue(company=demo, actor=platform.owner, invoice=invoice)
    response = owner.post(f"/sales/clients/{client.pk}/addresses/", {
        "kind": "BILLING", "line1": "Calle 50, Edificio Global", "city": "Panamá",
        "location_code": "8-8-7", "district": "Panamá", "corregimiento": "Bella Vista"})
    assert response.status_code == 302
    html = text(owner.get(f"/sales/clients/{client.pk}/"))
    assert '<dd data-field="open_balance">32.10</dd>' in html
    assert "Calle 50, Edificio Global, Panamá" in html
    assert "8-8-7 · PANAMA / PANAMÁ / BELLA VISTA" in html
    assert '<span class="tag">predeterminada</span>' in html


def test_a_bad_location_code_is_refused_on_its_field(owner, demo, platform, counts):
    client = contacts.client_create(company=demo, actor=platform.owner, code="C-L1",
                                    legal_name="Cliente Lejano")
    before = counts()
    response = owner.post(f"/sales/clients/{client.pk}/addresses/", {
        "kind": "BILLING", "line1": "Calle 1", "location_code": "99-1-1"})
    assert response.status_code == 400
    assert '<span class="field-error" data-error="location_code">' in text(response)
    assert counts() == before


def test_warehouse_may_not_open_or_write_clients(platform, counts):
    bodega = _http("bodega")
    assert bodega.get("/sales/clients/").status_code == 403
    before = counts()
    assert bodega.post(NEW, client_data()).status_code == 403
    assert counts() == before


def test_accountant_reads_clients_but_may_not_create(platform, counts):
    contador = _http("contador")
    html = text(contador.get("/sales/clients/"))
    assert 'id="new-client"' not in html
    before = counts()
    assert contador.post(NEW, client_data()).status_code == 403
    assert counts() == before


def test_sales_role_creates_clients(platform, demo):
    response = _http("ventas").post(NEW, client_data(code="C-V1"))
    assert response.status_code == 302
    assert Client.objects.filter(company=demo, code="C-V1").exists()


def test_another_companys_client_is_not_found(owner, otra, counts):
    from django.contrib.auth import get_user_model

    other = contacts.client_create(company=otra, actor=get_user_model().objects.get(
        username="otra"), code="C-O1", legal_name="Cliente de Otra")
    assert owner.get(f"/sales/clients/{other.pk}/").status_code == 404
    assert owner.get(f"/sales/clients/{other.pk}/edit/").status_code == 404
    before = counts()
    response = owner.post(f"/sales/clients/{other.pk}/edit/",
                          client_data(code="C-O1", legal_name="Robado"))
    assert response.status_code == 404
    assert owner.post(f"/sales/clients/{other.pk}/addresses/",
                      {"kind": "BILLING", "line1": "X"}).status_code == 404
    assert counts() == before
    other.refresh_from_db()
    assert other.legal_name == "Cliente de Otra"


def test_client_pages_in_english(owner, demo, platform):
    client = contacts.client_create(company=demo, actor=platform.owner, code="C-EN",
                                    legal_name="English Client", status="ON_HOLD")
    owner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = text(owner.get(f"/sales/clients/{client.pk}/"))
    assert 'id="client-status">On hold</span>' in html
    assert "<dt>Open balance</dt>" in html


def test_tags_and_salespersons_of_the_company_only_are_offered(owner, demo, otra, platform):
    from django.contrib.auth import get_user_model

    otra_owner = get_user_model().objects.get(username="otra")
    contacts.tag_create(company=otra, actor=otra_owner, name="Ajena")
    contacts.salesperson_create(company=otra, actor=otra_owner, code="V-O", name="Vendedor Otra")
    html = text(owner.get(NEW))
    assert "Ajena" not in html and "Vendedor Otra" not in html
    assert Tag.objects.filter(name="Ajena").exists()
    assert Salesperson.objects.filter(code="V-O").exists()
