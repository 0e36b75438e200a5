"""ITBMS taxes seeded for Panama companies; any rate definable; refusals write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.catalog import services
from cuadra.catalog.models import Tax
from cuadra.core.errors import ValidationError
from cuadra.core.models import AuditLog
from cuadra.tenancy import services as tenancy
from cuadra.tenancy.models import Organization


def test_panama_companies_start_with_the_four_itbms_codes(demo, otra):
    for company in (demo, otra):
        rates = dict(Tax.objects.filter(company=company).values_list("code", "rate"))
        assert rates == {"00": Decimal("0"), "01": Decimal("0.07"), "02": Decimal("0.10"),
                         "03": Decimal("0.15")}
        assert all(type(r) is Decimal for r in rates.values())


def test_taxes_setup_is_idempotent(demo, owner):
    assert services.taxes_setup(company=demo, actor=owner) == []
    assert Tax.objects.filter(company=demo).count() == 4


def test_a_company_outside_panama_gets_no_itbms(db, owner):
    org = Organization.objects.create(name="Gulf")
    company = tenancy.company_create(organization=org, code="GULF", name="Gulf LLC",
                                     country="AE", base_currency="AED", actor=owner)
    assert not Tax.objects.filter(company=company).exists()
    vat = services.tax_create(company=company, actor=owner, code="VAT5", name="VAT 5%",
                              rate="0.05", kind="OTHER")
    assert vat.rate == Decimal("0.05")


def test_any_rate_is_definable_and_audited(demo, owner):
    tax = services.tax_create(company=demo, actor=owner, code="ISC", name="ISC 32.5%",
                              rate="0.325", kind="OTHER")
    tax.refresh_from_db()
    assert tax.rate == Decimal("0.325")
    assert AuditLog.objects.filter(company_id=demo.pk, operation="tax_create",
                                   object_id=str(tax.pk)).exists()
    services.tax_update(company=demo, actor=owner, tax=tax, rate=Decimal("0.35"))
    tax.refresh_from_db()
    assert tax.rate == Decimal("0.35")


def test_bad_tax_lists_every_field_and_writes_nothing(demo, owner, counts):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.tax_create(company=demo, actor=owner, code="01", name="", rate=0.07,
                            kind="VAT")
    assert {e.field for e in exc.value.errors} == {"code", "name", "rate", "kind"}
    with pytest.raises(ValidationError) as exc:
        services.tax_create(company=demo, actor=owner, code="X", name="x", rate="7")
    assert [e.field for e in exc.value.errors] == ["rate"]  # a fraction: 7 is not 7%
    assert counts() == before
