"""Who may do what, where. Every user-reachable query is scoped through here."""

from __future__ import annotations

from fnmatch import fnmatch

from django.contrib.auth import get_user_model

from cuadra.access.models import ApiToken, Role, RoleAssignment
from cuadra.access.permissions import Action, Path, perm
from cuadra.core.errors import NotFound, PermissionDenied
from cuadra.tenancy.models import Company


def _grants(user, company) -> tuple[frozenset[str], frozenset[str]]:
    """(permissions, hidden fields) of a user in a company, memoised on the user object
    for the life of the request."""
    cache = user.__dict__.setdefault("_cuadra_grants", {})
    if company.pk not in cache:
        perms: set[str] = set()
        hidden: set[str] = set()
        roles = Role.objects.filter(assignments__user=user, assignments__company=company)
        for role in roles:
            perms.update(role.permissions)
            hidden.update(role.hidden_fields)
        cache[company.pk] = (frozenset(perms), frozenset(hidden))
    return cache[company.pk]


def grants_prefetch(*, user, company_ids) -> None:
    """Fill the per-request grants memo of ``user`` for many companies in one query
    (e.g. a field's visibility asked in each of twenty companies)."""
    if user is None or not user.is_authenticated:
        return
    cache = user.__dict__.get("_cuadra_grants", {})
    missing = [pk for pk in company_ids if pk not in cache]
    if not missing:
        return
    grants: dict[int, set[str]] = {pk: set() for pk in missing}
    hidden: dict[int, set[str]] = {pk: set() for pk in missing}
    for company_id, permissions, hidden_fields in (
            RoleAssignment.objects.filter(user=user, company_id__in=missing)
            .values_list("company_id", "role__permissions", "role__hidden_fields")):
        grants[company_id].update(permissions or ())
        hidden[company_id].update(hidden_fields or ())
    grants_remember(user=user, grants=grants, hidden=hidden)


def grants_remember(*, user, grants: dict[int, set[str]], hidden: dict[int, set[str]]
                    ) -> None:
    """Memoise for the request what a caller read anyway: the union of the permissions
    and of the hidden fields of every role ``user`` holds, per company id (every role
    of the user there, as :func:`_grants` reads them)."""
    cache = user.__dict__.setdefault("_cuadra_grants", {})
    for pk, perms in grants.items():
        cache.setdefault(pk, (frozenset(perms), frozenset(hidden.get(pk, ()))))


def clear_grants_cache(user) -> None:
    user.__dict__.pop("_cuadra_grants", None)


def has_perm(*, user, company, path: Path | str, action: Action | str) -> bool:
    if user is None or not user.is_authenticated or company is None:
        return False
    return perm(path, action) in _grants(user, company)[0]


def require_perm(*, user, company, path: Path | str, action: Action | str) -> None:
    if not has_perm(user=user, company=company, path=path, action=action):
        raise PermissionDenied(f"You may not {Action(action).value} {Path(path).value} "
                               f"in this company.")


def field_visible(*, user, company, path: Path | str, field: str) -> bool:
    """The field-visibility hook: a role may hide e.g. cost and margin columns."""
    hidden = _grants(user, company)[1] if user and user.is_authenticated else frozenset()
    target = f"{Path(path).value}.{field}"
    return not any(fnmatch(target, pattern) for pattern in hidden)


def is_member(*, user, company) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return RoleAssignment.objects.filter(user=user, company=company).exists()


def companies_for_user(*, user):
    if user is None or not user.is_authenticated:
        return Company.objects.none()
    return (Company.objects.filter(is_active=True, pk__in=RoleAssignment.objects
                                   .filter(user=user).values("company_id"))
            .order_by("code"))


def company_for_user(*, user, code: str) -> Company:
    """The company an ``X-Company`` header names, if the user holds a role there.

    An unknown code and a foreign one are refused alike, so the answer does not reveal
    which companies exist."""
    company = companies_for_user(user=user).filter(code=code.strip().upper()).first()
    if company is None:
        raise PermissionDenied(f"You hold no role in company {code}.", field="X-Company")
    return company


def roles_for_company(*, company):
    return Role.objects.filter(organization_id=company.organization_id).order_by("name")


def role_get(*, company, role_id) -> Role:
    try:
        return roles_for_company(company=company).get(pk=role_id)
    except (Role.DoesNotExist, ValueError) as exc:
        raise NotFound("No such role.", field="roleId") from exc


def assignments_for_company(*, company):
    return RoleAssignment.objects.filter(company=company).select_related("role", "user")


def users_for_company(*, company):
    return (get_user_model().objects
            .filter(role_assignments__company=company).distinct().order_by("username"))


def user_in_company(*, company, user_id):
    try:
        return users_for_company(company=company).get(pk=user_id)
    except (get_user_model().DoesNotExist, ValueError) as exc:
        raise NotFound("No such user in this company.", field="userId") from exc


def tokens_for_user(*, user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_in_company(*, company, token_id) -> ApiToken:
    """A token whose user holds a role in the company; others are not found."""
    token = (ApiToken.objects.filter(pk=token_id, user__in=users_for_company(company=company))
             .first() if str(token_id).isdigit() else None)
    if token is None:
        raise NotFound("No such token.", field="tokenId")
    return token


def user_get_active(*, user_id):
    """Any active user by id: an Owner may give a role to someone who already works for
    another company (an outside accountant). Nothing about them is returned but the id."""
    try:
        return get_user_model().objects.get(pk=user_id, is_active=True)
    except (get_user_model().DoesNotExist, ValueError) as exc:
        raise NotFound("No such user.", field="userId") from exc
