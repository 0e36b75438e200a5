"""Scope (no leaks in rows, counts or totals), views, filters and the URL round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict

from cuadra.access import services as access
from cuadra.access.models import Role
from cuadra.core.errors import ValidationError
from cuadra.documents.filters import DocumentFilters, documents_query
from cuadra.documents.models import DocumentLink
from cuadra.documents.registry_selectors import documents_page
from tests.documents.registry_helpers import make_record
from tests.sales.conftest import D

pytestmark = pytest.mark.usefixtures("english")
User = get_user_model()


def numbers(user, view="everything", **filters):
    qs = documents_query(user=user, view=view, filters=DocumentFilters.parse(filters))
    return list(qs.values_list("number", flat=True))


@pytest.fixture
def rows(demo, otra, owner):
    ventas = User.objects.get(username="ventas")
    return {
        "a": make_record(demo, number="F-1", document_date=dt.date(2025, 1, 5),
                         amount=D("100.00"), payment_state="PAID", creator=owner,
                         customer_status="ACTIVE", manager_id=7, tags=",vip,norte,",
                         party_name="Abarrotes Luna", kind="TAX_INVOICE"),
        "b": make_record(demo, number="F-2", document_date=dt.date(2025, 2, 10),
                         amount=D("250.50"), payment_state="PARTIAL", owner=ventas,
                         customer_status="ON_HOLD", manager_id=8, tags=",norte,",
                         party_name="Bodega Sol"),
        "c": make_record(demo, number="F-3", document_date=dt.date(2025, 3, 15),
                         amount=D("5.25"), payment_state="UNPAID", status="voided",
                         party_name="Café Río", shared_with=f",{ventas.pk},"),
        "q": make_record(demo, number="COT-1", document_type="SALES_QUOTE",
                         path="SALES_QUOTES", kind="QUOTE", payment_state="",
                         document_date=dt.date(2025, 3, 20), amount=D("40.00")),
        "x": make_record(otra, number="X-1", amount=D("999.00")),
    }


def test_owner_sees_own_company_newest_first(rows, owner):
    assert numbers(owner) == ["COT-1", "F-3", "F-2", "F-1"]


def test_other_company_sees_nothing_of_demo(rows):
    assert numbers(User.objects.get(username="otra")) == ["X-1"]


def test_purchasing_sees_no_sales_types_not_even_in_totals(rows, demo):
    compras = User.objects.get(username="compras")
    page = documents_page(company=demo, user=compras, view="everything",
                          filters=DocumentFilters(), with_totals=True)
    assert (page.total_count, page.rows, page.totals) == (0, [], [])


def test_shared_with_opens_one_record(rows, demo):
    compras = User.objects.get(username="compras")
    rows["c"].shared_with = f",{compras.pk},"
    rows["c"].save()
    assert numbers(compras) == ["F-3"]


def test_user_without_documents_view_sees_nothing(rows, demo):
    bodega = User.objects.get(username="bodega")  # warehouse: DOCUMENTS view but no sales
    assert numbers(bodega) == []


def test_several_companies_together_and_the_company_filter(rows, demo, otra, owner):
    contador = User.objects.get(username="contador")
    role = Role.objects.get(organization=otra.organization, key="accountant")
    access.role_assign(company=otra, user=contador, role=role,
                       actor=User.objects.get(username="otra"))
    assert numbers(contador) == ["COT-1", "F-3", "X-1", "F-2", "F-1"]
    assert numbers(contador, company="OTRA") == ["X-1"]
    page = documents_page(company=demo, user=contador, view="everything",
                          filters=DocumentFilters.parse({"company": "DEMO,OTRA"}),
                          with_totals=True)
    assert [(t.currency, t.amount, t.count) for t in page.totals] == [
        ("USD", D("1394.75"), 5)]


def test_each_filter(rows, owner):
    ventas = User.objects.get(username="ventas")
    assert numbers(owner, date_from="2025-02-01", date_to="2025-03-15") == ["F-3", "F-2"]
    assert numbers(owner, amount_min="40", amount_max="250.50") == ["COT-1", "F-2", "F-1"]
    assert numbers(owner, team_member=str(owner.pk)) == ["F-1"]
    assert numbers(owner, team_member=str(ventas.pk)) == ["F-2"]
    assert numbers(owner, customer_status="on_hold") == ["F-2"]
    assert numbers(owner, manager="7") == ["F-1"]
    assert numbers(owner, tags="norte") == ["F-2", "F-1"]
    assert numbers(owner, tags=["norte", "vip"]) == ["F-1"]
    assert numbers(owner, shared_with=str(ventas.pk)) == ["F-3"]
    assert numbers(owner, kind="quote,tax_invoice") == ["COT-1", "F-1"]
    assert numbers(owner, payment_state="PAID,PARTIAL") == ["F-2", "F-1"]
    assert numbers(owner, payment_state="none") == ["COT-1"]
    assert numbers(owner, status="voided") == ["F-3"]
    assert numbers(owner, q="sol") == ["F-2"]
    assert numbers(owner, q="F-1") == ["F-1"]
    # combined
    assert numbers(owner, tags="norte", payment_state="PARTIAL",
                   date_from="2025-02-01") == ["F-2"]


def test_filters_round_trip_through_the_url():
    qd = QueryDict("date_from=2025-01-01&payment_state=PAID&payment_state=PARTIAL"
                   "&tags=vip&q=luna&amount_min=10.50")
    f = DocumentFilters.parse(qd)
    assert (f.date_from, f.payment_state, f.tags, f.q, f.amount_min) == (
        dt.date(2025, 1, 1), ["PAID", "PARTIAL"], ["vip"], "luna", D("10.50"))
    assert f.urlencode() == ("date_from=2025-01-01&amount_min=10.50&tags=vip"
                             "&payment_state=PAID&payment_state=PARTIAL&q=luna")
    assert DocumentFilters.parse(QueryDict(f.urlencode())) == f


def test_bad_filters_are_refused_not_dropped():
    with pytest.raises(ValidationError) as err:
        DocumentFilters.parse({"date_from": "ayer", "amount_max": "mucho",
                               "manager": "x"})
    assert [e.field for e in err.value.errors] == ["date_from", "amount_max", "manager"]


def test_moved_and_did_not_pass_views(rows, demo, owner):
    ok = make_record(demo, number="R-1", document_type="SALES_PAYMENT", path="PAYMENTS",
                     kind="RECEIPT", payment_state="", payment_result="SUCCEEDED",
                     status="SUCCEEDED", document_date=dt.date(2025, 1, 6))
    bad = make_record(demo, number="R-2", document_type="SALES_PAYMENT", path="PAYMENTS",
                      kind="RECEIPT", payment_state="", payment_result="FAILED",
                      status="FAILED", document_date=dt.date(2025, 2, 11))

    def link(inv, pay, role="INVOICE_PAYMENT"):
        DocumentLink.objects.create(company=demo, owner=inv, from_type=inv.document_type,
                                    from_id=inv.object_id, to_type=pay.document_type,
                                    to_id=pay.object_id, role=role)
    link(rows["a"], ok)
    link(rows["b"], bad, "INVOICE_PAYMENT_REVERSED")
    link(rows["c"], ok, "INVOICE_PAYMENT_REVERSED")  # undone: not moved
    assert numbers(owner, "moved") == ["R-1", "F-1"]
    assert numbers(owner, "did_not_pass") == ["R-2", "F-2"]
    with pytest.raises(ValidationError):
        numbers(owner, "archived")


def test_page_rows_cells_and_colours(rows, demo, owner):
    page = documents_page(company=demo, user=owner, view="everything",
                          filters=DocumentFilters(), offset=1, limit=2)
    assert [c.key for c in page.columns] == ["number", "kind", "date", "party", "company",
                                             "amount", "payment_state", "status"]
    assert [r.cells for r in page.rows] == [
        ["F-3", "Invoice", dt.date(2025, 3, 15), "Café Río", "DEMO", D("5.25"), "UNPAID",
         "voided"],
        ["F-2", "Invoice", dt.date(2025, 2, 10), "Bodega Sol", "DEMO", D("250.50"),
         "PARTIAL", "issued"]]
    assert [r.colour for r in page.rows] == ["red", "yellow"]
    assert (page.total_count, page.has_next, page.has_previous) == (4, True, True)
