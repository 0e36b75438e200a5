"""Writes for users, roles, role assignments and API tokens; the login service."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cuadra.access.models import ApiToken, Role, RoleAssignment
from cuadra.access.permissions import ALL_PERMISSIONS, BUILTIN_ROLES
from cuadra.access.selectors import clear_grants_cache
from cuadra.core.audit import audit_create, audit_delete, audit_record, audit_update, snapshot
from cuadra.core.errors import ErrorCollector, NotFound, PermissionDenied, RateLimited
from cuadra.core.models import AuditAction

TOKEN_PREFIX = "cdr_"
_LAST_USED_RESOLUTION_SECONDS = 60


# --- roles ---------------------------------------------------------------------------------

def organization_roles_setup(*, organization) -> dict[str, Role]:
    """Copy the built-in roles into an organization (idempotent)."""
    roles = {}
    for key, spec in BUILTIN_ROLES.items():
        roles[key], _ = Role.objects.get_or_create(
            organization=organization, key=key,
            defaults={"name": spec["name"], "is_builtin": True,
                      "permissions": sorted(spec["permissions"]),
                      "hidden_fields": list(spec["hidden_fields"])},
        )
    return roles


def company_roles_setup(*, company, actor) -> None:
    """Company-created hook: built-in roles exist, and whoever created it owns it."""
    roles = organization_roles_setup(organization=company.organization)
    if actor is not None and getattr(actor, "pk", None):
        role_assign(company=company, user=actor, role=roles["owner"], actor=actor)


def role_update(*, company, role: Role, actor, name: str | None = None,
                permissions: list[str] | None = None,
                hidden_fields: list[str] | None = None) -> Role:
    errors = ErrorCollector()
    unknown = sorted(set(permissions or []) - ALL_PERMISSIONS)
    if unknown:
        errors.add("permissions", f"Unknown permissions: {', '.join(unknown)}")
    if name is not None and not name.strip():
        errors.add("name", "A role needs a name.")
    errors.raise_if_any()
    with transaction.atomic():
        locked = Role.objects.select_for_update().get(pk=role.pk)
        before = snapshot(locked)
        if name is not None:
            locked.name = name.strip()
        if permissions is not None:
            locked.permissions = sorted(set(permissions))
        if hidden_fields is not None:
            locked.hidden_fields = list(hidden_fields)
        locked.save()
        audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                     operation="role_update")
    return locked


def role_assign(*, company, user, role: Role, actor) -> RoleAssignment:
    if role.organization_id != company.organization_id:
        raise NotFound("No such role.", field="roleId")
    assignment, created = RoleAssignment.objects.get_or_create(company=company, user=user,
                                                               role=role)
    if created:
        audit_create(actor=actor, company_id=company.pk, obj=assignment,
                     operation="role_assign")
    clear_grants_cache(user)
    return assignment


def role_unassign(*, company, user, role: Role, actor) -> None:
    assignment = RoleAssignment.objects.filter(company=company, user=user, role=role).first()
    if assignment is None:
        raise NotFound("The user does not hold this role here.", field="roleId")
    if role.key == "owner" and not RoleAssignment.objects.filter(
            company=company, role__key="owner").exclude(user=user).exists():
        raise PermissionDenied("A company keeps at least one Owner.", field="roleId")
    audit_delete(actor=actor, company_id=company.pk, obj=assignment, operation="role_unassign")
    assignment.delete()
    clear_grants_cache(user)


# --- users ---------------------------------------------------------------------------------

def user_create(*, company, actor, username: str, password: str, email: str = "",
                first_name: str = "", last_name: str = "", roles: list[Role] = ()):
    User = get_user_model()
    errors = ErrorCollector()
    username = username.strip()
    if not username:
        errors.add("username", "A user needs a username.")
    elif User.objects.filter(username=username).exists():
        errors.add("username", "This username is taken.")
    if len(password) < 4:
        errors.add("password", "Use at least 4 characters.")
    for role in roles:
        if role.organization_id != company.organization_id:
            errors.add("roleIds", "No such role.")
    errors.raise_if_any()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, email=email,
                                        first_name=first_name, last_name=last_name)
        audit_create(actor=actor, company_id=company.pk if company else None, obj=user,
                     operation="user_create")
        for role in roles:
            role_assign(company=company, user=user, role=role, actor=actor)
    return user


# --- tokens --------------------------------------------------------------------------------

def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user, actor, name: str = "api") -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored or shown again."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip() or "api", prefix=raw[:10],
                                    key_hash=_hash(raw))
    audit_create(actor=actor, company_id=None, obj=token, operation="token_create")
    return token, raw


def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_update(actor=actor, company_id=None, obj=token, before=before,
                     operation="token_revoke")
    return token


def token_authenticate(*, raw: str):
    """The user a bearer token stands for, or None if it is unknown or revoked."""
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=_hash(raw.strip()), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    stale = (token.last_used_at is None or
             (now - token.last_used_at).total_seconds() > _LAST_USED_RESOLUTION_SECONDS)
    if stale:
        # An UPDATE without read-modify-write; at most one a minute per token.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- login ---------------------------------------------------------------------------------

def _throttle_key(username: str, ip: str | None) -> str:
    return f"login-fail:{username.lower()}:{ip or '-'}"


def login_throttle_check(*, username: str, ip: str | None) -> None:
    """Refuse a sign-in attempt once (username, IP) has failed too often in the window.
    Shared by the GraphQL login and the web form, so neither is a way around the other."""
    if cache.get(_throttle_key(username, ip), 0) >= settings.LOGIN_RATE_LIMIT:
        audit_record(action=AuditAction.LOGIN_FAILED, object_type="auth.User",
                     object_id=username[:64], error_code=RateLimited.code,
                     message="rate limited")
        raise RateLimited("Too many failed logins. Try again later.")


def login_failure_record(*, username: str, ip: str | None) -> None:
    key = _throttle_key(username, ip)
    cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW_SECONDS)
    cache.incr(key)
    audit_record(action=AuditAction.LOGIN_FAILED, object_type="auth.User",
                 object_id=username[:64], error_code=PermissionDenied.code,
                 message="bad credentials")


def login_success_record(*, user, username: str, ip: str | None) -> None:
    cache.delete(_throttle_key(username, ip))
    audit_record(action=AuditAction.LOGIN, actor=user, obj=user)


def login_with_password(*, username: str, password: str, ip: str | None,
                        token_name: str = "login") -> tuple[object, str]:
    """Check a password and mint a token. Repeated failures are rate-limited per
    (username, IP); the refusal never says whether the user exists."""
    login_throttle_check(username=username, ip=ip)
    user = authenticate(username=username, password=password)
    if user is None:
        login_failure_record(username=username, ip=ip)
        raise PermissionDenied("Wrong username or password.")
    _, raw = token_create(user=user, actor=user, name=token_name)
    login_success_record(user=user, username=username, ip=ip)
    return user, raw
