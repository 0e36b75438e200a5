"""Catalog fixtures: the demo owner and a box > pack > unit item of DEMO."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.catalog import services
from cuadra.catalog.models import Tax


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def itbms7(demo):
    return Tax.objects.get(company=demo, code="01")


@pytest.fixture
def make_item(demo, owner, itbms7):
    """An item whose base unit 'und' costs ``unit_price``, with 'paq' = 6 und and
    'caja' = 4 paq (24 und); only the base level has its own price unless told."""
    counter = iter(range(1, 10_000))

    def make(unit_price="1.25", *, pack_price=None, box_price=None, category=None,
             includes_tax=False, sku=None):
        return services.item_create(
            company=demo, actor=owner, sku=sku or f"T-{next(counter):04d}", name="Galletas",
            default_tax=itbms7, category=category, price_includes_tax=includes_tax,
            base_price=unit_price,
            units=[{"code": "paq", "name": "Paquete", "factor": "6", "price": pack_price},
                   {"code": "caja", "name": "Caja", "factor": 4, "price": box_price}])
    return make


def unit(item, code):
    return item.units.get(code=code)


D = Decimal


@pytest.fixture(autouse=True)
def _no_client_checker():
    """Catalog tests use made-up client ids: run them without the checker sales registers
    (restored afterwards, so a test that clears it leaves other suites untouched)."""
    from cuadra.catalog import clients

    saved = list(clients._checker)
    clients._checker.clear()
    yield
    clients._checker[:] = saved
