"""Contacts over GraphQL: CRUD, refusals with every bad field, tenant isolation, and a
constant number of queries whatever the page size."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cuadra.contacts import services
from cuadra.contacts.models import Address, Client
from cuadra.core.models import AuditAction, AuditLog
from tests.conftest import GraphQLClient, error_codes, row_counts

CREATE = """mutation($input: ClientInput!) { createClient(input: $input) {
  id code legalName taxIdType taxId taxDv taxpayerKind receiverType status creditLimit
  currency paymentTermsDays salesperson { code } tags { name } } }"""

CLIENTS = """query($filter: ClientFilter, $pagination: OffsetPaginationInput) {
  clients(filter: $filter, pagination: $pagination) {
    totalCount
    results { code legalName status salesperson { code name }
              tags { name } addresses { kind line1 locationCode corregimiento isDefault }
              contactPersons { name email } } } }"""

TORNILLO = {"code": "C-100", "legalName": "Ferretería El Tornillo, S.A.",
            "taxIdType": "RUC", "taxId": "155596713-2-2015", "taxDv": "59",
            "receiverType": "01", "creditLimit": "2500.00", "paymentTermsDays": 30}


def test_create_read_update_deactivate_client(as_demo, demo, platform):
    sp = services.salesperson_create(company=demo, actor=platform.owner, code="V1",
                                     name="Luis Batista")
    tag = services.tag_create(company=demo, actor=platform.owner, name="VIP")
    result = as_demo.execute(CREATE, {"input": {**TORNILLO, "salespersonId": str(sp.pk),
                                                "tagIds": [str(tag.pk)]}})
    assert "errors" not in result, result
    created = result["data"]["createClient"]
    assert {k: v for k, v in created.items() if k != "id"} == {
        "code": "C-100", "legalName": "Ferretería El Tornillo, S.A.", "taxIdType": "RUC",
        "taxId": "155596713-2-2015", "taxDv": "59", "taxpayerKind": "2",
        "receiverType": "01", "status": "ACTIVE", "creditLimit": "2500", "currency": "USD",
        "paymentTermsDays": 30, "salesperson": {"code": "V1"}, "tags": [{"name": "VIP"}]}
    cid = created["id"]

    result = as_demo.execute("""mutation($id: ID!, $a: AddressInput!) {
        createClientAddress(clientId: $id, input: $a) { kind isDefault province } }""",
        {"id": cid, "a": {"line1": "Calle 50, Torre Global", "locationCode": "8-8-7",
                          "district": "Panamá", "corregimiento": "Bella Vista"}})
    assert result["data"]["createClientAddress"] == {"kind": "BILLING", "isDefault": True,
                                                     "province": "PANAMA"}

    result = as_demo.execute("""mutation($id: ID!) { updateClient(id: $id,
        input: {status: "ON_HOLD", tagIds: [], salespersonId: null}) {
        status tags { name } salesperson { code } } }""", {"id": cid})
    assert result["data"]["updateClient"] == {"status": "ON_HOLD", "tags": [],
                                              "salesperson": None}

    result = as_demo.execute("mutation($id: ID!) { deactivateClient(id: $id) { isActive } }",
                             {"id": cid})
    assert result["data"]["deactivateClient"] == {"isActive": False}

    result = as_demo.execute("query($id: ID!) { client(id: $id) { code isActive "
                             "addresses { line1 } } }", {"id": cid})
    assert result["data"]["client"] == {"code": "C-100", "isActive": False,
                                        "addresses": [{"line1": "Calle 50, Torre Global"}]}


def test_a_refusal_lists_every_bad_field_writes_nothing_but_its_audit_row(as_demo):
    before = row_counts()
    audits = AuditLog.objects.count()
    result = as_demo.execute(CREATE, {"input": {**TORNILLO, "taxDv": "58",
                                                "receiverType": "02", "email": "nope"}})
    assert error_codes(result) == ["VALIDATION"]
    fields = sorted(e["field"] for e in result["errors"][0]["extensions"]["errors"])
    assert fields == ["email", "receiver_type", "tax_dv"]
    assert row_counts() == before
    assert AuditLog.objects.count() == audits + 1
    assert AuditLog.objects.latest("pk").action == AuditAction.REFUSED


def test_filters(as_demo, demo, platform):
    owner = platform.owner
    vip = services.tag_create(company=demo, actor=owner, name="VIP")
    sp = services.salesperson_create(company=demo, actor=owner, code="V1", name="Ana")
    services.client_create(company=demo, actor=owner, code="C-1", legal_name="Alfa",
                           tags=[vip], salesperson=sp)
    services.client_create(company=demo, actor=owner, code="C-2", legal_name="Beta",
                           status="PROSPECT")
    services.client_create(company=demo, actor=owner, code="C-3", legal_name="Gamma Alfa")

    def codes(flt, pagination=None):
        r = as_demo.execute(CLIENTS, {"filter": flt, "pagination": pagination})
        page = r["data"]["clients"]
        return page["totalCount"], [c["code"] for c in page["results"]]

    assert codes({"text": "alfa"}) == (2, ["C-1", "C-3"])
    assert codes({"status": "PROSPECT"}) == (1, ["C-2"])
    assert codes({"tag": "VIP"}) == (1, ["C-1"])
    assert codes({"tagId": str(vip.pk)}) == (1, ["C-1"])
    assert codes({"salespersonId": str(sp.pk)}) == (1, ["C-1"])
    assert codes(None, {"offset": 1, "limit": 1}) == (3, ["C-2"])


def test_suppliers_factories_salespersons(as_demo):
    r = as_demo.execute("""mutation { createSupplier(input: {code: "P-1",
        legalName: "Distribuidora Istmo, S.A.", taxIdType: "RUC", taxId: "155646463-2-2017",
        taxDv: "86", paymentTermsDays: 45}) { id code taxpayerKind paymentTermsDays } }""")
    sup = r["data"]["createSupplier"]
    assert sup["taxpayerKind"] == "2"
    r = as_demo.execute("""mutation($s: ID!) { createFactory(input: {code: "F-1",
        legalName: "Shenzhen Tools Co.", country: "CN", supplierId: $s}) {
        code country supplier { code } } }""", {"s": sup["id"]})
    assert r["data"]["createFactory"] == {"code": "F-1", "country": "CN",
                                          "supplier": {"code": "P-1"}}
    r = as_demo.execute("""mutation($s: ID!) { createSupplierContact(supplierId: $s,
        input: {name: "Rosa Díaz", role: "Ventas"}) { id name } }""", {"s": sup["id"]})
    person = r["data"]["createSupplierContact"]
    # a supplier's contact is not reachable through a client mutation
    r = as_demo.execute("mutation($id: ID!) { deleteClientContact(id: $id) { ok } }",
                        {"id": person["id"]})
    assert error_codes(r) == ["NOT_FOUND"]
    r = as_demo.execute("""mutation { createSalesperson(input: {code: "V9", name: "Eva",
        commissionPercent: "3.5"}) { code commissionPercent } }""")
    assert r["data"]["createSalesperson"] == {"code": "V9", "commissionPercent": "3.5"}
    r = as_demo.execute("{ suppliers { totalCount results { code contactPersons { name } } }"
                        " factories { results { code } } salespersons { totalCount } }")
    assert r["data"] == {"suppliers": {"totalCount": 1, "results": [
        {"code": "P-1", "contactPersons": [{"name": "Rosa Díaz"}]}]},
        "factories": {"results": [{"code": "F-1"}]}, "salespersons": {"totalCount": 1}}


def test_permissions_follow_the_paths(platform, demo):
    ventas = GraphQLClient().login("ventas", company="DEMO")
    compras = GraphQLClient().login("compras", company="DEMO")
    r = ventas.execute(CREATE, {"input": {**TORNILLO}})
    assert "errors" not in r, r
    r = ventas.execute('mutation { createSupplier(input: {code: "P", legalName: "X"}) '
                       '{ id } }')
    assert error_codes(r) == ["PERMISSION_DENIED"]
    r = compras.execute("{ clients { totalCount } }")
    assert error_codes(r) == ["PERMISSION_DENIED"]
    r = compras.execute('mutation { createFactory(input: {code: "F", legalName: "X"}) '
                        '{ code } }')
    assert r["data"] == {"createFactory": {"code": "F"}}


def test_otra_sees_and_changes_nothing_of_demo(as_demo, as_otra, demo, platform):
    client = services.client_create(company=demo, actor=platform.owner, code="C-1",
                                    legal_name="Alfa")
    address = services.address_add(company=demo, actor=platform.owner, owner=client,
                                   line1="Calle 50")
    r = as_otra.execute(CLIENTS, {})
    assert r["data"]["clients"] == {"totalCount": 0, "results": []}
    r = as_otra.execute("query($id: ID!) { client(id: $id) { code } }", {"id": str(client.pk)})
    assert error_codes(r) == ["NOT_FOUND"]
    before = row_counts()
    for text, args in [
        ("mutation($id: ID!) { updateClient(id: $id, input: {legalName: \"Hack\"}) { id } }",
         {"id": str(client.pk)}),
        ("mutation($id: ID!) { deactivateClient(id: $id) { id } }", {"id": str(client.pk)}),
        ("mutation($id: ID!) { deleteClientAddress(id: $id) { ok } }", {"id": str(address.pk)}),
        ("mutation($id: ID!) { createClientAddress(clientId: $id, input: {line1: \"x\"}) "
         "{ id } }", {"id": str(client.pk)}),
    ]:
        assert error_codes(as_otra.execute(text, args)) == ["NOT_FOUND"], text
    # OTRA's user pointing X-Company at DEMO is refused outright
    r = as_otra.execute(CLIENTS, {}, company="DEMO")
    assert error_codes(r) == ["PERMISSION_DENIED"]
    assert row_counts() == before
    client.refresh_from_db()
    assert (client.legal_name, client.is_active) == ("Alfa", True)
    assert Address.objects.filter(pk=address.pk).exists()


def _make_clients(demo, owner, n: int) -> None:
    sp = services.salesperson_create(company=demo, actor=owner, code=f"V{n}", name="Ana")
    tags = [services.tag_create(company=demo, actor=owner, name=f"T{n}-{i}") for i in range(2)]
    for i in range(n):
        c = services.client_create(company=demo, actor=owner, code=f"Q{n}-{i:02}",
                                   legal_name=f"Cliente {i}", salesperson=sp, tags=tags)
        for kind in ("BILLING", "SHIPPING"):
            services.address_add(company=demo, actor=owner, owner=c, kind=kind, line1="Calle")
        services.contact_person_add(company=demo, actor=owner, owner=c, name="Pat")


def _queries_for_page(as_demo, text: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        r = as_demo.execute(CLIENTS, {"filter": {"text": text}})
    assert "errors" not in r, r
    return len(ctx.captured_queries), r["data"]["clients"]["totalCount"]


def test_query_count_does_not_grow_with_the_page(as_demo, demo, platform):
    _make_clients(demo, platform.owner, 1)
    _make_clients(demo, platform.owner, 20)
    as_demo.execute(CLIENTS, {})  # the token's first use of the minute writes last_used_at
    one, n1 = _queries_for_page(as_demo, "Q1-")
    twenty, n20 = _queries_for_page(as_demo, "Q20-")
    assert (n1, n20) == (1, 20)
    assert one == twenty == 8  # token, company, roles; count, page, tags, addresses, persons
    assert Client.objects.filter(company=demo).count() == 21
