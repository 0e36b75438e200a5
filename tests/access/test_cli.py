"""The token and createuser commands."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cuadra.access.models import ApiToken, RoleAssignment
from tests.conftest import error_codes

ME = "{ me { user { username } } }"


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_token_create_prints_a_token_that_works(gql, platform):
    raw = _call("token", "create", "--user", "demo", "--name", "ci")
    assert raw.startswith("cdr_")
    assert gql.execute(ME, token=raw)["data"]["me"]["user"]["username"] == "demo"
    row = ApiToken.objects.get(prefix=raw[:10])
    assert (row.name, row.user.username, row.revoked_at) == ("ci", "demo", None)


def test_token_create_for_an_unknown_user_fails(platform):
    with pytest.raises(CommandError):
        _call("token", "create", "--user", "nadie")


def test_token_revoke_by_prefix(gql, platform):
    raw = _call("token", "create", "--user", "contador")
    assert "Revoked" in _call("token", "revoke", "--prefix", raw[:10])
    assert error_codes(gql.execute(ME, token=raw)) == ["PERMISSION_DENIED"]
    with pytest.raises(CommandError):
        _call("token", "revoke", "--prefix", raw[:10])  # already revoked: nothing matches


def test_token_revoke_by_id_and_needs_a_selector(platform):
    raw = _call("token", "create", "--user", "demo")
    row = ApiToken.objects.get(prefix=raw[:10])
    with pytest.raises(CommandError):
        _call("token", "revoke")
    _call("token", "revoke", "--id", str(row.pk))
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_createuser_with_a_role_in_a_company(gql, demo):
    out = _call("createuser", "nueva", "--password", "clave1", "--company", "demo",
                "--role", "accountant")
    user = get_user_model().objects.get(username="nueva")
    assert out == f"Created user nueva (id {user.pk})"
    assert list(RoleAssignment.objects.filter(user=user).values_list(
        "company__code", "role__key")) == [("DEMO", "accountant")]
    assert "errors" not in gql.execute(
        'mutation { login(username: "nueva", password: "clave1") { token } }')


def test_createuser_refusals(demo):
    with pytest.raises(CommandError):
        _call("createuser", "demo", "--password", "clave1")  # taken
    with pytest.raises(CommandError):
        _call("createuser", "x2", "--password", "clave1", "--company", "NOPE")
    with pytest.raises(CommandError):
        _call("createuser", "x3", "--password", "clave1", "--company", "DEMO",
              "--role", "king")
    assert not get_user_model().objects.filter(username__in=["x2", "x3"]).exists()


def test_createuser_superuser(db):
    _call("createuser", "admin2", "--password", "clave1", "--superuser")
    user = get_user_model().objects.get(username="admin2")
    assert (user.is_staff, user.is_superuser) == (True, True)
