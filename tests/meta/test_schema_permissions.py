"""Every query and mutation declares exactly one access extension (DESIGN.md convention 4);
every mutation but ``login`` requires a permission path."""

import pytest

from cuadra.access.permissions import Action, Path
from cuadra.api.base import AccessExtension, Public, RequirePermission
from cuadra.api.schema import schema

PUBLIC_MUTATIONS = {"login"}


def _fields(type_name: str) -> dict:
    definition = schema.get_type_by_name(type_name)
    return {schema.config.name_converter.get_graphql_name(f): f for f in definition.fields}


QUERY_FIELDS = _fields("Query")
MUTATION_FIELDS = _fields("Mutation")


def _access(field) -> list[AccessExtension]:
    return [e for e in field.extensions if isinstance(e, AccessExtension)]


@pytest.mark.parametrize("name", sorted(QUERY_FIELDS))
def test_every_query_declares_exactly_one_access_extension(name):
    found = _access(QUERY_FIELDS[name])
    assert len(found) == 1, f"query {name} declares {len(found)} access extensions"
    assert not isinstance(found[0], Public), f"query {name} is public"


@pytest.mark.parametrize("name", sorted(MUTATION_FIELDS))
def test_every_mutation_declares_exactly_one_access_extension(name):
    found = _access(MUTATION_FIELDS[name])
    assert len(found) == 1, f"mutation {name} declares {len(found)} access extensions"
    if name in PUBLIC_MUTATIONS:
        assert isinstance(found[0], Public)
    else:
        assert _declares_permission(found[0]), (
            f"mutation {name} must declare requires(Path.X, Action.Y); it declares "
            f"{found[0].label!r}")


def _declares_permission(ext: AccessExtension) -> bool:
    """requires(Path, Action), or an extension whose path comes from an argument (label
    ``<documentType>:approve``, the approvals' RequireDocumentPermission) and whose action
    is fixed."""
    if isinstance(ext, RequirePermission):
        return ext.path in set(Path) and ext.action in set(Action)
    path, _, action = ext.label.partition(":")
    return (path.startswith("<") and path.endswith(">") and action in {a.value for a in Action}
            and isinstance(getattr(ext, "action", None), Action))


def test_the_schema_is_not_empty():
    assert {"me", "companies", "roles", "users", "auditLog"} <= set(QUERY_FIELDS)
    assert {"login", "createUser", "assignRole", "removeRole", "createApiToken",
            "revokeApiToken"} <= set(MUTATION_FIELDS)


def test_the_foundation_declares_the_expected_permissions():
    labels = {name: _access(f)[0].label for name, f in {**QUERY_FIELDS,
                                                         **MUTATION_FIELDS}.items()}
    assert {k: labels[k] for k in ("me", "companies", "roles", "users", "apiTokens",
                                   "auditLog", "login", "createUser", "assignRole",
                                   "removeRole", "updateRole", "createApiToken",
                                   "revokeApiToken")} == {
        "me": "authenticated", "companies": "authenticated", "roles": "ROLES:view",
        "users": "USERS:view", "apiTokens": "API_TOKENS:view", "auditLog": "AUDIT_LOG:view",
        "login": "public", "createUser": "USERS:create", "assignRole": "USERS:update",
        "removeRole": "USERS:update", "updateRole": "ROLES:update",
        "createApiToken": "API_TOKENS:create", "revokeApiToken": "API_TOKENS:delete"}
