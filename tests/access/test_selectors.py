"""has_perm, field_visible and the company scoping selectors."""

import pytest
from django.contrib.auth import get_user_model

from cuadra.access import selectors, services
from cuadra.access.models import Role
from cuadra.access.permissions import ALL_PERMISSIONS, BUILTIN_ROLES, Action, Path, perm
from cuadra.core.errors import NotFound, PermissionDenied


def _user(username):
    return get_user_model().objects.get(username=username)


def test_builtin_roles_are_copied_per_organization(demo, otra):
    for company in (demo, otra):
        roles = {r.key: r for r in Role.objects.filter(organization=company.organization)}
        assert sorted(roles) == sorted(BUILTIN_ROLES)
        assert set(roles["owner"].permissions) == ALL_PERMISSIONS
        assert roles["sales"].hidden_fields == ["*.cost", "*.margin"]
    assert Role.objects.filter(key="owner").count() == 2


def test_the_auditor_only_reads():
    granted = set(BUILTIN_ROLES["auditor"]["permissions"])
    assert {perm(p, a) for p in Path for a in (Action.VIEW, Action.EXPORT)} == granted


@pytest.mark.parametrize(("username", "path", "action", "expected"), [
    ("demo", Path.USERS, Action.CREATE, True),
    ("ventas", Path.SALES_INVOICES, Action.POST, True),
    ("ventas", Path.USERS, Action.CREATE, False),
    ("ventas", Path.AUDIT_LOG, Action.VIEW, False),
    ("contador", Path.JOURNAL_ENTRIES, Action.POST, True),
    ("contador", Path.USERS, Action.VIEW, False),
    ("auditor", Path.LEDGER, Action.VIEW, True),
    ("auditor", Path.LEDGER, Action.POST, False),
    ("bodega", Path.STOCK_TRANSFERS, Action.CREATE, True),
    ("compras", Path.PURCHASE_ORDERS, Action.CREATE, True),
    ("compras", Path.SALES_INVOICES, Action.VIEW, False),
])
def test_has_perm_in_demo(demo, username, path, action, expected):
    assert selectors.has_perm(user=_user(username), company=demo, path=path,
                              action=action) is expected


def test_no_perm_in_a_company_without_a_role(demo, otra):
    demo_owner = _user("demo")
    assert selectors.has_perm(user=demo_owner, company=otra, path=Path.USERS,
                              action=Action.VIEW) is False
    with pytest.raises(PermissionDenied):
        selectors.require_perm(user=demo_owner, company=otra, path=Path.USERS,
                               action=Action.VIEW)
    assert selectors.has_perm(user=None, company=demo, path=Path.USERS,
                              action=Action.VIEW) is False


def test_field_visible_hides_cost_and_margin_for_sales(demo):
    ventas, owner, bodega = _user("ventas"), _user("demo"), _user("bodega")
    assert selectors.field_visible(user=ventas, company=demo, path=Path.ITEMS,
                                   field="cost") is False
    assert selectors.field_visible(user=ventas, company=demo, path=Path.SALES_INVOICES,
                                   field="margin") is False
    assert selectors.field_visible(user=ventas, company=demo, path=Path.ITEMS,
                                   field="price") is True
    assert selectors.field_visible(user=owner, company=demo, path=Path.ITEMS,
                                   field="cost") is True
    assert selectors.field_visible(user=bodega, company=demo, path=Path.ITEMS,
                                   field="cost") is True
    assert selectors.field_visible(user=bodega, company=demo, path=Path.ITEMS,
                                   field="margin") is False


def test_role_update_takes_effect_for_the_next_request(demo):
    ventas = _user("ventas")
    role = Role.objects.get(organization=demo.organization, key="sales")
    assert not selectors.has_perm(user=ventas, company=demo, path=Path.USERS,
                                  action=Action.VIEW)
    services.role_update(company=demo, role=role, actor=_user("demo"),
                         permissions=[*role.permissions, "USERS:view"], hidden_fields=[])
    fresh = _user("ventas")  # the grants cache lives on the request's user object
    assert selectors.has_perm(user=fresh, company=demo, path=Path.USERS, action=Action.VIEW)
    assert selectors.field_visible(user=fresh, company=demo, path=Path.ITEMS, field="cost")


def test_companies_for_user(demo, otra):
    assert list(selectors.companies_for_user(user=_user("demo"))) == [demo]
    assert list(selectors.companies_for_user(user=_user("otra"))) == [otra]
    assert list(selectors.companies_for_user(user=None)) == []
    with pytest.raises(PermissionDenied):
        selectors.company_for_user(user=_user("demo"), code="OTRA")


def test_scoped_lookups_do_not_cross_companies(demo, otra):
    otra_owner = _user("otra")
    demo_owner_role = Role.objects.get(organization=demo.organization, key="owner")
    with pytest.raises(NotFound):
        selectors.user_in_company(company=otra, user_id=_user("demo").pk)
    with pytest.raises(NotFound):
        selectors.role_get(company=otra, role_id=demo_owner_role.pk)
    with pytest.raises(NotFound):
        selectors.role_get(company=otra, role_id="not-a-number")
    token, _ = services.token_create(user=_user("demo"), actor=None)
    with pytest.raises(NotFound):
        selectors.token_in_company(company=otra, token_id=token.pk)
    assert selectors.token_in_company(company=demo, token_id=token.pk) == token
    assert list(selectors.users_for_company(company=otra)) == [otra_owner]
    assert [u.username for u in selectors.users_for_company(company=demo)] == [
        "auditor", "bodega", "compras", "contador", "demo", "ventas"]


def test_role_assign_refuses_a_role_of_another_organization(demo, otra):
    role = Role.objects.get(organization=demo.organization, key="owner")
    with pytest.raises(NotFound):
        services.role_assign(company=otra, user=_user("otra"), role=role, actor=None)
