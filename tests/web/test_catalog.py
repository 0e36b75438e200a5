"""Ventas → Artículos pages: list and filters, the item form (SKU, barcode, category, tax,
price, tax-inclusive) with field errors shown without writing, edit (base price through the
unit-level service), detail with unit levels and their own or derived prices, the cost
hidden from the Sales role, permissions and another company's ids."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Item, Tax
from tests.conftest import row_counts

NEW = "/sales/items/new/"


def _http(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def counts():
    return lambda: row_counts(exclude=("core.AuditLog", "sessions.Session"))


@pytest.fixture
def owner(platform) -> Client:
    return _http("demo")


@pytest.fixture
def itbms7(demo):
    return Tax.objects.get(company=demo, code="01")


def item_data(**extra) -> dict:
    data = {"sku": "W-100", "name": "Café molido 500 g", "kind": "goods",
            "barcode": "7451234500017", "description": "", "category": "", "default_tax": "",
            "base_price": "4.50", "base_unit_code": "und", "base_unit_name": "Unidad"}
    data.update(extra)
    return data


def skus(html: str) -> list[str]:
    return re.findall(r'<tr data-item="([^"]+)"', html)


def cells(html: str, row_attr: str) -> list[str]:
    row = re.search(rf"<tr {re.escape(row_attr)}[^>]*>(.*?)</tr>", html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                  row, re.S)]


def test_list_searches_and_filters_by_category(owner, demo, platform, itbms7):
    bebidas = catalog.category_create(company=demo, actor=platform.owner, name="W-Bebidas")
    catalog.item_create(company=demo, actor=platform.owner, sku="W-AGUA", name="Agua 1 L",
                        category=bebidas, default_tax=itbms7, base_price="0.75")
    catalog.item_create(company=demo, actor=platform.owner, sku="W-ARROZ", name="Arroz 5 lb",
                        base_price="3.10", barcode="7450000000001")
    assert skus(text(owner.get(f"/sales/items/?category={bebidas.pk}"))) == ["W-AGUA"]
    assert skus(text(owner.get("/sales/items/?q=arroz"))) == ["W-ARROZ"]
    html = text(owner.get("/sales/items/?q=7450000000001"))
    assert skus(html) == ["W-ARROZ"]
    assert cells(html, 'data-item="W-ARROZ"') == ["W-ARROZ", "Arroz 5 lb", "", "", "3.10",
                                                  "und"]


def test_create_an_item(owner, demo, itbms7):
    response = owner.post(NEW, item_data(default_tax=str(itbms7.pk),
                                         price_includes_tax="on"))
    assert response.status_code == 302
    item = Item.objects.get(company=demo, sku="W-100")
    assert response["Location"] == f"/sales/items/{item.pk}/"
    assert (item.default_tax, item.price_includes_tax, item.barcode) == (
        itbms7, True, "7451234500017")
    base = item.units.get()
    assert (base.code, base.price) == ("und", Decimal("4.50"))
    html = text(owner.get(response["Location"]))
    assert "Artículo W-100 guardado." in html
    assert '<dd data-field="tax_inclusive">incluyen impuesto</dd>' in html


def test_field_errors_are_shown_and_nothing_is_written(owner, demo, platform, counts):
    catalog.item_create(company=demo, actor=platform.owner, sku="W-100", name="Existente",
                        base_price="1")
    before = counts()
    response = owner.post(NEW, item_data(base_price="-2", name=""))
    assert response.status_code == 400
    html = text(response)
    assert ('<span class="field-error" data-error="sku">This SKU exists in the company.'
            '</span>') in html
    assert '<span class="field-error" data-error="name">A value is required.</span>' in html
    assert '<span class="field-error" data-error="base_price">Must not be negative.</span>' \
        in html
    assert 'value="7451234500017"' in html
    assert counts() == before


def test_edit_changes_fields_and_the_base_price(owner, demo, platform, itbms7):
    item = catalog.item_create(company=demo, actor=platform.owner, sku="W-200", name="Té",
                               base_price="2.00")
    html = text(owner.get(f"/sales/items/{item.pk}/edit/"))
    assert 'name="base_price" id="item-price" value="2.00"' in html
    response = owner.post(f"/sales/items/{item.pk}/edit/", item_data(
        sku="W-200", name="Té verde", barcode="", default_tax=str(itbms7.pk),
        base_price="2.35"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.default_tax, item.units.get().price) == ("Té verde", itbms7,
                                                                     Decimal("2.35"))


def test_a_refused_edit_changes_nothing(owner, demo, platform, counts):
    item = catalog.item_create(company=demo, actor=platform.owner, sku="W-300", name="Sal",
                               base_price="0.50")
    catalog.item_create(company=demo, actor=platform.owner, sku="W-301", name="Azúcar",
                        base_price="0.90")
    before = counts()
    response = owner.post(f"/sales/items/{item.pk}/edit/", item_data(
        sku="W-301", name="Sal", barcode="", base_price="0.60"))
    assert response.status_code == 400
    assert counts() == before
    item.refresh_from_db()
    assert (item.sku, item.units.get().price) == ("W-300", Decimal("0.50"))


def test_detail_shows_unit_levels_with_own_and_derived_prices(owner, demo, platform, itbms7):
    item = catalog.item_create(
        company=demo, actor=platform.owner, sku="W-GAL", name="Galletas", default_tax=itbms7,
        base_price="1.25", cost="0.80",
        units=[{"code": "paq", "name": "Paquete", "factor": "6", "price": "7.20"},
               {"code": "caja", "name": "Caja", "factor": "4"}])
    html = text(owner.get(f"/sales/items/{item.pk}/"))
    assert cells(html, 'data-unit="und"') == ["und", "Unidad", "", "1", "", "1.25", ""]
    assert cells(html, 'data-unit="paq"') == ["paq", "Paquete", "6 und", "6", "", "7.20", ""]
    assert cells(html, 'data-unit="caja"') == ["caja", "Caja", "4 paq", "24", "", "28.80",
                                               "derivado"]
    assert '<dd data-field="cost">0.80</dd>' in html
    # the Sales role sees prices, not what the goods cost
    assert 'data-field="cost"' not in text(_http("ventas").get(f"/sales/items/{item.pk}/"))


def test_sales_role_reads_items_but_may_not_create(platform, counts):
    ventas = _http("ventas")
    assert ventas.get("/sales/items/").status_code == 200
    assert 'id="new-item"' not in text(ventas.get("/sales/items/"))
    before = counts()
    assert ventas.post(NEW, item_data()).status_code == 403
    assert counts() == before


def test_another_companys_item_is_not_found(owner, otra, counts):
    from django.contrib.auth import get_user_model

    other = catalog.item_create(company=otra, actor=get_user_model().objects.get(
        username="otra"), sku="O-1", name="Ajeno", base_price="1")
    assert owner.get(f"/sales/items/{other.pk}/").status_code == 404
    before = counts()
    assert owner.post(f"/sales/items/{other.pk}/edit/",
                      item_data(sku="O-1", name="Robado")).status_code == 404
    assert counts() == before


def test_item_pages_in_english(owner, demo, platform):
    item = catalog.item_create(company=demo, actor=platform.owner, sku="W-EN", name="Tea",
                               base_price="1")
    owner.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = text(owner.get(f"/sales/items/{item.pk}/"))
    assert "<h2>Unit levels</h2>" in html and '<dd data-field="tax_inclusive">exclude tax' in html
