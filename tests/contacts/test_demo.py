"""The contacts demo: valid Panamanian parties, loaded once however often it runs."""

from __future__ import annotations

from cuadra.contacts.models import Address, Client, ContactPerson, Factory, Salesperson, Supplier
from cuadra.core.models import AuditLog
from cuadra.demo import contacts as demo_contacts
from cuadra.tenancy.ruc import is_valid
from tests.conftest import row_counts


def test_demo_contacts_load_once(demo, platform):
    demo_contacts.load(company=demo, actor=platform.owner)
    counts = row_counts()
    audits = AuditLog.objects.count()
    demo_contacts.load(company=demo, actor=platform.owner)
    assert row_counts() == counts
    assert AuditLog.objects.count() == audits

    clients = Client.objects.filter(company=demo)
    assert clients.count() == 15
    assert Supplier.objects.filter(company=demo).count() == 8
    assert Factory.objects.filter(company=demo).count() == 2
    assert Salesperson.objects.filter(company=demo).count() == 3
    assert sorted(set(clients.values_list("receiver_type", flat=True))) == \
        ["01", "02", "03", "04"]
    for c in clients.exclude(tax_dv=""):
        assert is_valid(c.tax_id, c.tax_dv), c.code
    assert Address.objects.filter(company=demo, location_code="8-8-7",
                                  corregimiento="BELLA VISTA").count() >= 10
    for kind in ("BILLING", "SHIPPING"):
        for client in clients:
            assert client.addresses.filter(kind=kind, is_default=True).count() == \
                min(1, client.addresses.filter(kind=kind).count())
    assert ContactPerson.objects.filter(company=demo).count() == 10 + 8  # 01/03 clients, suppliers
    assert Salesperson.objects.get(company=demo, code="V-01").user.username == "ventas"
