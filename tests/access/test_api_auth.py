"""Authentication, the active company and permissions over HTTP GraphQL."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from cuadra.access import services
from cuadra.access.models import ApiToken, RoleAssignment
from cuadra.core.models import AuditLog
from tests.conftest import GraphQLClient, error_codes, row_counts

ME = "{ me { user { username } company { code name } roles { key name } permissions } }"
ROLES = "{ roles { key } }"
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token
  user { username } } }"""


def _user(username):
    return get_user_model().objects.get(username=username)


# --- tokens --------------------------------------------------------------------------------

def test_login_returns_a_token_and_me_returns_user_and_roles(gql, platform):
    result = gql.execute(LOGIN, {"u": "demo", "p": "demo"})
    assert "errors" not in result, result
    token = result["data"]["login"]["token"]
    assert token.startswith("cdr_")
    assert result["data"]["login"]["user"]["username"] == "demo"
    me = gql.execute(ME, token=token, company="DEMO")["data"]["me"]
    assert me["user"]["username"] == "demo"
    assert me["company"] == {"code": "DEMO", "name": "Demo PYME, S.A."}
    assert me["roles"] == [{"key": "owner", "name": "Owner"}]
    assert "USERS:create" in me["permissions"]


def test_me_without_x_company_has_no_company(as_demo):
    me = as_demo.execute(ME, company="")["data"]["me"]  # "" sends no X-Company header
    assert me == {"user": {"username": "demo"}, "company": None, "roles": [],
                  "permissions": []}


def test_only_the_token_hash_is_stored(gql, platform):
    token = gql.execute(LOGIN, {"u": "demo", "p": "demo"})["data"]["login"]["token"]
    row = ApiToken.objects.get(prefix=token[:10])
    assert token not in (row.key_hash, row.prefix, row.name)
    assert len(row.key_hash) == 64


def test_token_use_sets_last_used_at(gql, platform):
    token = services.token_create(user=_user("contador"), actor=None)
    row, raw = token
    assert row.last_used_at is None
    assert gql.execute(ME, token=raw)["data"]["me"]["user"]["username"] == "contador"
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer cdr_not-a-real-token", "Bearer ", "Token abc",
                                    "cdr_bare"])
def test_a_bad_token_is_refused(gql, platform, header):
    result = gql.execute(ME, headers={"Authorization": header})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert result["data"] is None


def test_no_token_is_refused(gql, platform):
    assert error_codes(gql.execute(ME)) == ["PERMISSION_DENIED"]
    assert error_codes(gql.execute(ROLES, company="DEMO")) == ["PERMISSION_DENIED"]


def test_a_revoked_token_is_refused(gql, platform):
    row, raw = services.token_create(user=_user("demo"), actor=None)
    assert "errors" not in gql.execute(ME, token=raw)
    services.token_revoke(token=row, actor=None)
    result = gql.execute(ROLES, token=raw, company="DEMO")
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert result["errors"][0]["extensions"]["field"] == "Authorization"


def test_a_bad_token_is_not_rescued_by_a_session(platform):
    client = GraphQLClient()
    client.client.login(username="demo", password="demo")
    assert client.execute(ME)["data"]["me"]["user"]["username"] == "demo"
    result = client.execute(ME, headers={"Authorization": "Bearer cdr_wrong"})
    assert error_codes(result) == ["PERMISSION_DENIED"]


def test_a_token_of_an_inactive_user_is_refused(gql, platform):
    _, raw = services.token_create(user=_user("bodega"), actor=None)
    get_user_model().objects.filter(username="bodega").update(is_active=False)
    assert error_codes(gql.execute(ME, token=raw)) == ["PERMISSION_DENIED"]


# --- the active company --------------------------------------------------------------------

def test_missing_x_company_on_a_company_query_is_refused(as_demo):
    result = as_demo.execute(ROLES, company="")
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert result["errors"][0]["extensions"]["field"] == "X-Company"


@pytest.mark.parametrize("code", ["OTRA", "otra", "NOPE"])
def test_a_foreign_or_unknown_company_is_refused_alike(as_demo, code):
    result = as_demo.execute(ROLES, company=code)
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert result["errors"][0]["extensions"]["field"] == "X-Company"
    assert result["errors"][0]["message"] == f"You hold no role in company {code}."


def test_x_company_is_case_insensitive(as_demo):
    assert "errors" not in as_demo.execute(ROLES, company="demo")


def test_companies_lists_only_the_users_companies(as_demo, as_otra, demo, otra):
    query = "{ companies { code branches { code } } }"
    assert as_demo.execute(query)["data"]["companies"] == [
        {"code": "DEMO", "branches": [{"code": "0000"}]}]
    assert as_otra.execute(query)["data"]["companies"] == [
        {"code": "OTRA", "branches": [{"code": "0000"}]}]


# --- permissions ---------------------------------------------------------------------------

CREATE_USER = """mutation($u: String!, $r: [ID!]!) {
  createUser(username: $u, password: "secret1", roleIds: $r) { id username
  roles { key } } }"""


def test_a_role_without_the_action_is_refused_and_audited(platform, demo):
    ventas = GraphQLClient().login("ventas", company="DEMO")
    before = row_counts()
    result = ventas.execute(CREATE_USER, {"u": "intruso", "r": []})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert row_counts() == before
    refusal = AuditLog.objects.get(action="refused", operation="createUser")
    assert (refusal.actor.username, refusal.company_id, refusal.error_code) == (
        "ventas", demo.pk, "PERMISSION_DENIED")
    assert refusal.changes["attempted"]["username"] == "intruso"


def test_a_role_without_view_cannot_read_the_audit_log(platform, demo):
    ventas = GraphQLClient().login("ventas", company="DEMO")
    result = ventas.execute("{ auditLog { totalCount results { id } } }")
    assert error_codes(result) == ["PERMISSION_DENIED"]
    refusal = AuditLog.objects.get(action="refused", operation="auditLog")
    assert (refusal.actor.username, refusal.company_id) == ("ventas", demo.pk)


@pytest.mark.parametrize("username", ["demo", "auditor"])
def test_owner_and_auditor_read_the_audit_log(platform, demo, username):
    client = GraphQLClient().login(username, company="DEMO")
    result = client.execute("""{ auditLog(filter: {objectType: "tenancy.Company"},
        pagination: {limit: 5}) { totalCount results { action operation objectType } } }""")
    assert "errors" not in result, result
    assert result["data"]["auditLog"]["totalCount"] == 1
    assert result["data"]["auditLog"]["results"] == [
        {"action": "create", "operation": "company_create", "objectType": "tenancy.Company"}]


def test_the_auditor_cannot_write(platform):
    auditor = GraphQLClient().login("auditor", company="DEMO")
    result = auditor.execute(CREATE_USER, {"u": "x1", "r": []})
    assert error_codes(result) == ["PERMISSION_DENIED"]


# --- login ---------------------------------------------------------------------------------

def test_wrong_password_is_refused_then_rate_limited(gql, platform):
    for _ in range(settings.LOGIN_RATE_LIMIT):
        result = gql.execute(LOGIN, {"u": "demo", "p": "wrong"})
        assert error_codes(result) == ["PERMISSION_DENIED"]
    tokens = ApiToken.objects.count()
    result = gql.execute(LOGIN, {"u": "demo", "p": "demo"})
    assert error_codes(result) == ["RATE_LIMITED"]
    assert ApiToken.objects.count() == tokens
    # another user from the same address is not locked out
    assert "errors" not in gql.execute(LOGIN, {"u": "contador", "p": "contador"})


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(gql, platform):
    unknown = gql.execute(LOGIN, {"u": "nadie", "p": "x"})
    wrong = gql.execute(LOGIN, {"u": "demo", "p": "x"})
    assert unknown["errors"][0]["message"] == wrong["errors"][0]["message"]
    assert error_codes(unknown) == error_codes(wrong) == ["PERMISSION_DENIED"]


def test_failed_logins_are_audited_without_the_password(gql, platform):
    gql.execute(LOGIN, {"u": "demo", "p": "s3cret-guess"})
    rows = AuditLog.objects.filter(error_code="PERMISSION_DENIED", company_id=None)
    assert rows.count() >= 1
    assert all("s3cret-guess" not in str(r.changes) + r.message for r in rows)


def test_a_successful_login_resets_the_failure_count(gql, platform):
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        gql.execute(LOGIN, {"u": "demo", "p": "wrong"})
    assert "errors" not in gql.execute(LOGIN, {"u": "demo", "p": "demo"})
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        gql.execute(LOGIN, {"u": "demo", "p": "wrong"})
    assert "errors" not in gql.execute(LOGIN, {"u": "demo", "p": "demo"})


# --- the owner manages users, roles and tokens ---------------------------------------------

def _role_id(company, key) -> str:
    return str(company.organization.roles.get(key=key).pk)


def test_owner_creates_a_user_who_can_log_in(as_demo, demo):
    result = as_demo.execute(CREATE_USER, {"u": "nuevo", "r": [_role_id(demo, "accountant")]})
    assert "errors" not in result, result
    assert result["data"]["createUser"]["username"] == "nuevo"
    assert result["data"]["createUser"]["roles"] == [{"key": "accountant"}]
    nuevo = GraphQLClient().login("nuevo", "secret1", company="DEMO")
    assert nuevo.execute(ME)["data"]["me"]["roles"] == [{"key": "accountant",
                                                         "name": "Accountant"}]


def test_create_user_with_a_foreign_role_is_refused(as_demo, otra):
    before = row_counts()
    result = as_demo.execute(CREATE_USER, {"u": "nuevo", "r": [_role_id(otra, "owner")]})
    assert error_codes(result) == ["NOT_FOUND"]
    assert row_counts() == before


ASSIGN = """mutation($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) {
  username roles { key } } }"""
REMOVE = """mutation($u: ID!, $r: ID!) { removeRole(userId: $u, roleId: $r) {
  username roles { key } } }"""


def test_owner_assigns_and_removes_a_role(as_demo, demo):
    ventas = str(_user("ventas").pk)
    last_audit = AuditLog.objects.order_by("-id").first().pk
    result = as_demo.execute(ASSIGN, {"u": ventas, "r": _role_id(demo, "accountant")})
    assert result["data"]["assignRole"]["roles"] == [{"key": "accountant"}, {"key": "sales"}]
    result = as_demo.execute(REMOVE, {"u": ventas, "r": _role_id(demo, "sales")})
    assert result["data"]["removeRole"]["roles"] == [{"key": "accountant"}]
    assert list(RoleAssignment.objects.filter(company=demo, user__username="ventas")
                .values_list("role__key", flat=True)) == ["accountant"]
    ops = list(AuditLog.objects.filter(company_id=demo.pk, operation__in=[
        "role_assign", "role_unassign"], id__gt=last_audit)
        .order_by("id").values_list("operation", "action"))
    assert ops == [("role_assign", "create"), ("role_unassign", "delete")]


def test_the_last_owner_cannot_be_removed(as_demo, demo):
    before = row_counts()
    result = as_demo.execute(REMOVE, {"u": str(_user("demo").pk),
                                      "r": _role_id(demo, "owner")})
    assert error_codes(result) == ["PERMISSION_DENIED"]
    assert result["errors"][0]["extensions"]["field"] == "roleId"
    assert row_counts() == before
    # with a second owner the first may go
    as_demo.execute(ASSIGN, {"u": str(_user("contador").pk), "r": _role_id(demo, "owner")})
    result = as_demo.execute(REMOVE, {"u": str(_user("demo").pk),
                                      "r": _role_id(demo, "owner")})
    assert "errors" not in result, result


def test_removing_a_role_the_user_does_not_hold_is_not_found(as_demo, demo):
    result = as_demo.execute(REMOVE, {"u": str(_user("ventas").pk),
                                      "r": _role_id(demo, "auditor")})
    assert error_codes(result) == ["NOT_FOUND"]


CREATE_TOKEN = """mutation($u: ID!) { createApiToken(userId: $u, name: "ci") { token
  apiToken { id name prefix revokedAt } } }"""
REVOKE_TOKEN = "mutation($t: ID!) { revokeApiToken(tokenId: $t) { ok } }"


def test_owner_creates_and_revokes_a_token(as_demo, gql):
    result = as_demo.execute(CREATE_TOKEN, {"u": str(_user("contador").pk)})
    assert "errors" not in result, result
    raw = result["data"]["createApiToken"]["token"]
    api_token = result["data"]["createApiToken"]["apiToken"]
    assert (api_token["name"], api_token["prefix"], api_token["revokedAt"]) == (
        "ci", raw[:10], None)
    assert gql.execute(ME, token=raw)["data"]["me"]["user"]["username"] == "contador"
    listed = as_demo.execute("query($u: ID!) { apiTokens(userId: $u) { id name } }",
                             {"u": str(_user("contador").pk)})
    assert listed["data"]["apiTokens"] == [{"id": api_token["id"], "name": "ci"}]
    result = as_demo.execute(REVOKE_TOKEN, {"t": api_token["id"]})
    assert result["data"]["revokeApiToken"] == {"ok": True}
    assert error_codes(gql.execute(ME, token=raw)) == ["PERMISSION_DENIED"]


def test_update_role_changes_permissions_and_rejects_unknown_ones(as_demo, demo):
    query = """mutation($r: ID!, $p: [String!]) { updateRole(roleId: $r, permissions: $p)
      { key permissions } }"""
    role = _role_id(demo, "sales")
    result = as_demo.execute(query, {"r": role, "p": ["USERS:view", "NOPE:view"]})
    assert error_codes(result) == ["VALIDATION"]
    assert result["errors"][0]["extensions"]["field"] == "permissions"
    result = as_demo.execute(query, {"r": role, "p": ["USERS:view"]})
    assert result["data"]["updateRole"] == {"key": "sales", "permissions": ["USERS:view"]}
    ventas = GraphQLClient().login("ventas", company="DEMO")
    assert "errors" not in ventas.execute("{ users { totalCount } }")
