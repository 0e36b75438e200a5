"""Invariant 1: a user of OTRA reaches nothing of DEMO, through any query or mutation.

The operations come from the schema itself (tests/meta/sweep.py), so an operation added
tomorrow is swept without touching this file.
"""

from __future__ import annotations

import pytest

from cuadra.access import services as access_services
from cuadra.api.base import RequirePermission
from cuadra.api.schema import schema
from cuadra.demo import catalog as demo_catalog
from cuadra.demo import contacts as demo_contacts
from tests.conftest import GraphQLClient, error_codes, row_counts
from tests.meta import sweep

GRAPHQL = schema._schema
QUERIES = sorted(GRAPHQL.query_type.fields)
MUTATIONS = sorted(n for n in GRAPHQL.mutation_type.fields if n != "login")
REFUSALS = {"NOT_FOUND", "PERMISSION_DENIED", "VALIDATION"}


def _needs_company(field) -> bool:
    definition = field.extensions["strawberry-definition"]
    return any(isinstance(e, RequirePermission) for e in definition.extensions)


@pytest.fixture
def tenants(platform, django_user_model):
    # a DEMO API token, so tokenId arguments have something of DEMO to aim at
    access_services.token_create(user=django_user_model.objects.get(username="contador"),
                                 actor=None, name="demo-token")
    # DEMO rows of every domain, so id arguments aim at real DEMO objects of their type
    # (without them an id could happen to name one of OTRA's own new rows)
    for domain in (demo_contacts, demo_catalog):
        domain.load(company=platform.demo, actor=platform.owner)
    return sweep.Tenants.load(platform.demo, platform.otra)


@pytest.fixture
def otra_client(tenants):
    return GraphQLClient().login("otra", "otra", company="OTRA")


@pytest.fixture
def models():
    return sweep.typename_models(GRAPHQL)


def _run(client, kind, name, field, args, company):
    text = sweep.operation_text(kind, name, field, args)
    result = client.execute(text, args, company=company)
    codes = error_codes(result)
    assert "GRAPHQL_VALIDATION" not in codes, (text, result)  # the sweep built a bad query
    assert "INTERNAL" not in codes, (text, args, result)
    return text, result, codes


def test_the_sweep_covers_every_operation():
    assert {"me", "companies", "roles", "users", "apiTokens", "auditLog"} <= set(QUERIES)
    assert {"createUser", "assignRole", "removeRole", "createApiToken",
            "revokeApiToken"} <= set(MUTATIONS)


@pytest.mark.parametrize("name", QUERIES)
def test_query_as_otra_reaches_nothing_of_demo(name, tenants, otra_client, models):
    field = GRAPHQL.query_type.fields[name]
    for args in sweep.variations(name, field, tenants):
        text, result, codes = _run(otra_client, "query", name, field, args, "DEMO")
        if _needs_company(field):
            assert codes and set(codes) == {"PERMISSION_DENIED"}, (text, args, result)
        # the refusal message echoes the X-Company the caller sent; only data can leak
        assert sweep.find_leaks(result.get("data"), tenants, models) == [], (text, args)

        text, result, codes = _run(otra_client, "query", name, field, args, "OTRA")
        assert set(codes) <= REFUSALS, (text, args, result)
        assert sweep.find_leaks(result, tenants, models) == [], (text, args)


@pytest.mark.parametrize("name", MUTATIONS)
def test_mutation_as_otra_changes_nothing_of_demo(name, tenants, otra_client, models):
    field = GRAPHQL.mutation_type.fields[name]
    demo_before = sweep.demo_snapshot(tenants)
    for args in sweep.variations(name, field, tenants):
        before = row_counts()
        text, result, codes = _run(otra_client, "mutation", name, field, args, "DEMO")
        assert codes == ["PERMISSION_DENIED"], (text, args, result)
        assert row_counts() == before, (text, args)

        text, result, codes = _run(otra_client, "mutation", name, field, args, "OTRA")
        assert sweep.find_leaks(result, tenants, models) == [], (text, args)
        if sweep.has_demo_id(args, field):
            assert codes and set(codes) <= REFUSALS, (text, args, result)
        if codes:
            assert row_counts() == before, (text, args)
        assert sweep.demo_snapshot(tenants) == demo_before, (text, args)


def test_the_sweep_fails_loudly_on_what_it_cannot_fill(tenants):
    from graphql import GraphQLArgument, GraphQLField, GraphQLNonNull, GraphQLScalarType

    odd = GraphQLScalarType("Odd")
    field = GraphQLField(GRAPHQL.get_type("String"),
                         args={"x": GraphQLArgument(GraphQLNonNull(odd))})
    with pytest.raises(sweep.SweepCannotFill, match="scalar Odd is unknown"):
        sweep.variations("odd", field, tenants)


def test_the_leak_detector_sees_demo(tenants, models):
    demo_user = next(iter(tenants.demo_ids[next(m for m in tenants.demo_ids
                                                if m.__name__ == "User")]))
    assert sweep.find_leaks({"a": "Demo PYME, S.A."}, tenants, models)
    assert sweep.find_leaks({"x": {"__typename": "UserType", "id": demo_user}}, tenants,
                            models)
    assert sweep.find_leaks({"username": "ventas"}, tenants, models)
    assert sweep.find_leaks({"email": "ventas@example.com"}, tenants, models)
    assert sweep.find_leaks({"username": "otra", "code": "OTRA"}, tenants, models) == []
