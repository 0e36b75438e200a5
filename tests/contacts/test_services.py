"""Contacts services: tax identity and receiver rules, addresses, tags, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.contacts import services
from cuadra.contacts.models import Address, Client, ContactPerson, Tag
from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.models import AuditAction, AuditLog
from tests.conftest import row_counts


def _fields(exc: ValidationError) -> list[str]:
    return sorted(e.field for e in exc.errors)


# --- tax identity --------------------------------------------------------------------------

@pytest.mark.parametrize("ruc,dv", [("155596713-2-2015", "59"), ("521-136-113133", "02"),
                                    ("25046169-3-2021", "40"), ("637793-1-457490", "00")])
def test_legal_ruc_with_the_dgi_dv_is_accepted(make_client, ruc, dv):
    client = make_client(tax_id=ruc, tax_dv=dv)
    client.refresh_from_db()
    assert (client.tax_id_type, client.tax_id, client.tax_dv, client.taxpayer_kind) == \
        ("RUC", ruc, dv, "2")


def test_a_wrong_dv_is_refused_and_writes_nothing(make_client):
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        make_client(tax_id="155596713-2-2015", tax_dv="58")
    assert _fields(err.value) == ["tax_dv"]
    assert "gives 59" in err.value.errors[0].message
    assert row_counts() == before


def test_a_ruc_without_dv_or_with_a_bad_shape_is_refused(make_client):
    with pytest.raises(ValidationError) as err:
        make_client(tax_id="155596713-2-2015", tax_dv="")
    assert _fields(err.value) == ["tax_dv"]
    with pytest.raises(ValidationError) as err:
        make_client(tax_id="ABC", tax_dv="12")
    assert _fields(err.value) == ["tax_id"]


def test_natural_person_cedula_dv_is_checked_where_the_algorithm_applies(make_client):
    ok = make_client(code="N1", receiver_type="02", tax_id_type="CEDULA",
                     tax_id="8-769-1080", tax_dv="56")
    assert (ok.taxpayer_kind, ok.tax_dv) == ("1", "56")
    no_dv = make_client(code="N2", receiver_type="02", tax_id_type="CEDULA",
                        tax_id="5-257-218", tax_dv="")
    assert no_dv.tax_dv == ""
    variant = make_client(code="N3", receiver_type="02", tax_id_type="CEDULA",
                          tax_id="pe-12-345", tax_dv="")
    assert variant.tax_id == "PE-12-345"
    with pytest.raises(ValidationError) as err:
        make_client(code="N4", receiver_type="02", tax_id_type="CEDULA",
                    tax_id="8-769-1080", tax_dv="55")
    assert _fields(err.value) == ["tax_dv"]
    natural_ruc = make_client(code="N5", receiver_type="01", tax_id="8-28-1284", tax_dv="33")
    assert natural_ruc.taxpayer_kind == "1"


def test_passport_and_foreign_id_take_no_dv(make_client):
    client = make_client(code="X1", receiver_type="04", tax_id_type="PASSPORT",
                         tax_id="x1234567", tax_dv="", country="US")
    assert (client.tax_id, client.taxpayer_kind) == ("X1234567", "")
    with pytest.raises(ValidationError) as err:
        make_client(code="X2", receiver_type="04", tax_id_type="FOREIGN_ID",
                    tax_id="DE123456789", tax_dv="12")
    assert _fields(err.value) == ["tax_dv"]


# --- receiver type (gDatRec iTipoRec) ------------------------------------------------------

def test_consumidor_final_with_a_juridical_ruc_is_refused_rule_1621(make_client):
    with pytest.raises(ValidationError) as err:
        make_client(receiver_type="02")
    assert _fields(err.value) == ["receiver_type"]
    assert "1621" in err.value.errors[0].message


def test_consumidor_final_may_have_no_tax_id(make_client):
    client = make_client(code="CF", receiver_type="02", tax_id_type="", tax_id="", tax_dv="")
    assert (client.receiver_type, client.tax_id_type) == ("02", "")


def test_contribuyente_and_gobierno_need_a_ruc(make_client):
    for receiver in ("01", "03"):
        with pytest.raises(ValidationError) as err:
            make_client(receiver_type=receiver, tax_id_type="CEDULA", tax_id="8-769-1080",
                        tax_dv="56")
        assert _fields(err.value) == ["tax_id_type"]
    gov = make_client(code="GOB", receiver_type="03", tax_id="25046169-3-2021", tax_dv="40")
    assert gov.receiver_type == "03"


def test_extranjero_needs_a_passport_or_foreign_id(make_client):
    with pytest.raises(ValidationError) as err:
        make_client(receiver_type="04")
    assert _fields(err.value) == ["tax_id_type"]


def test_every_bad_field_is_listed_at_once(make_client, demo):
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        make_client(code="", legal_name=" ", receiver_type="99", status="GONE",
                    tax_dv="11", email="not-mail", country="Panama", currency="dollars",
                    payment_terms_days=-1, credit_limit="-5")
    assert _fields(err.value) == ["code", "country", "credit_limit", "currency", "email",
                                  "legal_name", "payment_terms_days", "receiver_type",
                                  "status", "tax_dv"]
    assert row_counts() == before


def test_float_credit_limit_is_refused(make_client):
    with pytest.raises(ValidationError) as err:
        make_client(credit_limit=100.5)
    assert _fields(err.value) == ["credit_limit"]


def test_code_unique_per_company_but_free_across_companies(make_client, otra):
    make_client(code="C-1")
    with pytest.raises(ValidationError) as err:
        make_client(code="C-1")
    assert _fields(err.value) == ["code"]
    other = make_client(code="C-1", company=otra)
    assert other.company_id == otra.pk


# --- create, update, deactivate, audit -----------------------------------------------------

def test_create_update_deactivate_are_audited(make_client, demo, owner):
    client = make_client(code="C-7", credit_limit="1500.50", payment_terms_days=30)
    assert client.currency == "USD"
    assert client.credit_limit == Decimal("1500.50")
    updated = services.client_update(company=demo, actor=owner, client=client,
                                     trade_name="El Tornillo", status="ON_HOLD")
    assert (updated.trade_name, updated.status) == ("El Tornillo", "ON_HOLD")
    services.client_deactivate(company=demo, actor=owner, client=client)
    client.refresh_from_db()
    assert client.is_active is False
    rows = list(AuditLog.objects.filter(object_type="contacts.Client", object_id=str(client.pk))
                .order_by("pk").values_list("action", "operation"))
    assert rows == [(AuditAction.CREATE, "client_create"), (AuditAction.UPDATE, "client_update"),
                    (AuditAction.UPDATE, "client_deactivate")]
    change = AuditLog.objects.filter(operation="client_update").get().changes
    assert change == {"status": ["ACTIVE", "ON_HOLD"], "trade_name": ["", "El Tornillo"]}


def test_update_checks_the_combined_state(make_client, demo, owner):
    client = make_client()
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        services.client_update(company=demo, actor=owner, client=client, receiver_type="02")
    assert _fields(err.value) == ["receiver_type"]
    client.refresh_from_db()
    assert client.receiver_type == "01"
    assert row_counts() == before


def test_another_companys_rows_are_not_found(make_client, demo, otra, owner):
    client = make_client()
    before = row_counts()
    with pytest.raises(NotFound):
        services.client_update(company=otra, actor=owner, client=client, trade_name="x")
    with pytest.raises(NotFound):
        services.address_add(company=otra, actor=owner, owner=client, line1="Calle 50")
    foreign_sp = services.salesperson_create(company=otra, actor=owner, code="S1", name="Ana")
    after_sp = row_counts()
    with pytest.raises(NotFound) as err:
        make_client(code="C-2", salesperson=foreign_sp.pk)
    assert err.value.field == "salesperson"
    assert row_counts() == after_sp
    assert after_sp["contacts.Client"] == before["contacts.Client"]


def test_tags_set_and_deleted(make_client, demo, owner):
    vip = services.tag_create(company=demo, actor=owner, name="VIP", color="#ff0000")
    mayorista = services.tag_create(company=demo, actor=owner, name="Mayorista")
    client = make_client(tags=[vip, mayorista.pk])
    assert sorted(client.tags.values_list("name", flat=True)) == ["Mayorista", "VIP"]
    with pytest.raises(ValidationError):
        services.tag_create(company=demo, actor=owner, name="VIP")
    services.client_update(company=demo, actor=owner, client=client, tags=[vip])
    assert list(client.tags.values_list("name", flat=True)) == ["VIP"]
    services.tag_delete(company=demo, actor=owner, tag=vip)
    assert client.tags.count() == 0
    assert Tag.objects.filter(company=demo).count() == 1


# --- addresses: one default per kind -------------------------------------------------------

def _defaults(client) -> dict:
    return {a.kind: a.line1 for a in Address.objects.filter(client=client, is_default=True)}


def test_first_address_of_a_kind_becomes_default_and_a_new_default_replaces_it(
        make_client, demo, owner):
    client = make_client()
    add = lambda **kw: services.address_add(company=demo, actor=owner, owner=client, **kw)  # noqa: E731
    a = add(line1="Calle 50", location_code="8-8-7", district="Panamá",
            corregimiento="Bella Vista")
    assert (a.kind, a.is_default, a.province, a.district) == ("BILLING", True, "PANAMA",
                                                              "PANAMÁ")
    add(line1="Vía España")
    add(kind="SHIPPING", line1="Bodega Juan Díaz")
    assert _defaults(client) == {"BILLING": "Calle 50", "SHIPPING": "Bodega Juan Díaz"}
    c = add(line1="Costa del Este", is_default=True)
    assert _defaults(client) == {"BILLING": "Costa del Este", "SHIPPING": "Bodega Juan Díaz"}
    services.address_remove(company=demo, actor=owner, address=c)
    assert _defaults(client) == {"BILLING": "Calle 50", "SHIPPING": "Bodega Juan Díaz"}
    # moving the billing default to shipping: billing promotes its oldest, shipping keeps its
    services.address_update(company=demo, actor=owner, address=a, kind="SHIPPING")
    assert _defaults(client) == {"BILLING": "Vía España", "SHIPPING": "Bodega Juan Díaz"}
    a.refresh_from_db()
    assert a.is_default is False


def test_a_default_cannot_just_be_unset(make_client, demo, owner):
    client = make_client()
    a = services.address_add(company=demo, actor=owner, owner=client, line1="Calle 50")
    with pytest.raises(ValidationError) as err:
        services.address_update(company=demo, actor=owner, address=a, is_default=False)
    assert err.value.field == "is_default"


def test_bad_address_lists_every_field_and_writes_nothing(make_client, demo, owner):
    client = make_client()
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        services.address_add(company=demo, actor=owner, owner=client, kind="HOME", line1="",
                             location_code="99-1-1", country="pa")
    assert _fields(err.value) == ["kind", "line1", "location_code"]
    with pytest.raises(ValidationError) as err:
        services.address_add(company=demo, actor=owner, owner=client, line1="x",
                             location_code="8-8-7", country="CR")
    assert _fields(err.value) == ["corregimiento", "district", "location_code"]
    assert row_counts() == before


def test_contact_persons(make_client, demo, owner):
    client = make_client()
    person = services.contact_person_add(company=demo, actor=owner, owner=client,
                                         name="María Pérez", role="Compras",
                                         phone="6612-3456", email="maria@tornillo.com.pa")
    assert list(client.contact_persons.values_list("name", flat=True)) == ["María Pérez"]
    with pytest.raises(ValidationError) as err:
        services.contact_person_update(company=demo, actor=owner, person=person, name="",
                                       email="x")
    assert _fields(err.value) == ["email", "name"]
    services.contact_person_remove(company=demo, actor=owner, person=person)
    assert ContactPerson.objects.count() == 0


def test_supplier_factory_salesperson(demo, owner):
    sup = services.supplier_create(company=demo, actor=owner, code="P-1",
                                   legal_name="Distribuidora Istmo, S.A.", tax_id_type="RUC",
                                   tax_id="155646463-2-2017", tax_dv="86",
                                   payment_terms_days=45)
    fac = services.factory_create(company=demo, actor=owner, code="F-1",
                                  legal_name="Fábrica Uno", country="CN", supplier=sup)
    assert fac.supplier_id == sup.pk
    sp = services.salesperson_create(company=demo, actor=owner, code="V1", name="Luis",
                                     commission_percent="2.5")
    assert sp.commission_percent == Decimal("2.5")
    with pytest.raises(ValidationError) as err:
        services.salesperson_update(company=demo, actor=owner, salesperson=sp,
                                    commission_percent="101")
    assert _fields(err.value) == ["commission_percent"]
    services.supplier_deactivate(company=demo, actor=owner, supplier=sup)
    sup.refresh_from_db()
    assert sup.is_active is False
    assert Client.objects.count() == 0
