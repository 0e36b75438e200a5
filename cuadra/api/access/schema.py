"""GraphQL for access: me, companies, roles, users, tokens, login."""

from __future__ import annotations

import base64
import binascii

import strawberry
import strawberry_django
from strawberry_django.pagination import OffsetPaginated

from cuadra.access import selectors, services
from cuadra.access.middleware import client_ip
from cuadra.access.permissions import Action, Path
from cuadra.api.access.types import (
    ApiTokenType,
    CompanyType,
    LoginPayload,
    Me,
    NewTokenPayload,
    OkPayload,
    RoleType,
    UserType,
    me_for,
)
from cuadra.api.base import (
    actor,
    authenticated,
    company,
    public,
    request_of,
    requires,
)
from cuadra.core.errors import ValidationError as DomainValidationError
from cuadra.tenancy import services as tenancy


@strawberry.type
class AccessQuery:
    @strawberry_django.field(extensions=authenticated())
    def me(self, info: strawberry.Info) -> Me:
        user = actor(info)
        active = company(info) if getattr(request_of(info), "company_code", None) else None
        return me_for(user, active)

    @strawberry_django.field(extensions=authenticated())
    def companies(self, info: strawberry.Info) -> list[CompanyType]:
        return list(selectors.companies_for_user(user=actor(info)))

    @strawberry_django.field(extensions=requires(Path.ROLES, Action.VIEW))
    def roles(self, info: strawberry.Info) -> list[RoleType]:
        return list(selectors.roles_for_company(company=company(info)))

    @strawberry_django.offset_paginated(OffsetPaginated[UserType],
                                        extensions=requires(Path.USERS, Action.VIEW))
    def users(self, info: strawberry.Info):
        return selectors.users_for_company(company=company(info))

    @strawberry_django.field(extensions=requires(Path.API_TOKENS, Action.VIEW))
    def api_tokens(self, info: strawberry.Info, user_id: strawberry.ID) -> list[ApiTokenType]:
        user = selectors.user_in_company(company=company(info), user_id=user_id)
        return list(selectors.tokens_for_user(user=user))


def _role_list(info, role_ids) -> list:
    return [selectors.role_get(company=company(info), role_id=r) for r in role_ids]


@strawberry.type
class AccessMutation:
    @strawberry.mutation(extensions=public())
    def login(self, info: strawberry.Info, username: str, password: str) -> LoginPayload:
        user, raw = services.login_with_password(username=username, password=password,
                                                 ip=client_ip(request_of(info)))
        return LoginPayload(token=raw, user=user)

    @strawberry.mutation(extensions=requires(Path.USERS, Action.CREATE))
    def create_user(self, info: strawberry.Info, username: str, password: str,
                    role_ids: list[strawberry.ID], email: str = "", first_name: str = "",
                    last_name: str = "") -> UserType:
        return services.user_create(company=company(info), actor=actor(info),
                                    username=username, password=password, email=email,
                                    first_name=first_name, last_name=last_name,
                                    roles=_role_list(info, role_ids))

    @strawberry.mutation(extensions=requires(Path.USERS, Action.UPDATE))
    def assign_role(self, info: strawberry.Info, user_id: strawberry.ID,
                    role_id: strawberry.ID) -> UserType:
        target = selectors.user_get_active(user_id=user_id)
        services.role_assign(company=company(info), user=target,
                             role=selectors.role_get(company=company(info), role_id=role_id),
                             actor=actor(info))
        return target

    @strawberry.mutation(extensions=requires(Path.USERS, Action.UPDATE))
    def remove_role(self, info: strawberry.Info, user_id: strawberry.ID,
                    role_id: strawberry.ID) -> UserType:
        target = selectors.user_in_company(company=company(info), user_id=user_id)
        services.role_unassign(company=company(info), user=target,
                               role=selectors.role_get(company=company(info), role_id=role_id),
                               actor=actor(info))
        return target

    @strawberry.mutation(extensions=requires(Path.ROLES, Action.UPDATE))
    def update_role(self, info: strawberry.Info, role_id: strawberry.ID,
                    name: str | None = None, permissions: list[str] | None = None,
                    hidden_fields: list[str] | None = None) -> RoleType:
        role = selectors.role_get(company=company(info), role_id=role_id)
        return services.role_update(company=company(info), role=role, actor=actor(info),
                                    name=name, permissions=permissions,
                                    hidden_fields=hidden_fields)

    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def update_company_profile(self, info: strawberry.Info, trade_name: str | None = None,
                               address: str | None = None, phone: str | None = None,
                               email: str | None = None,
                               website: str | None = None) -> CompanyType:
        """What the active company prints on its documents (name, address, contact)."""
        changes = {k: v for k, v in {"trade_name": trade_name, "address": address,
                                     "phone": phone, "email": email,
                                     "website": website}.items() if v is not None}
        return tenancy.company_update(company=company(info), actor=actor(info), **changes)

    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def set_company_logo(self, info: strawberry.Info, content_base64: str,
                         content_type: str) -> CompanyType:
        """The logo on the company's documents: PNG or JPEG, base64; "" removes it."""
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise DomainValidationError("The logo is not valid base64.",
                                        field="contentBase64") from None
        return tenancy.company_logo_set(company=company(info), actor=actor(info),
                                        content=content, content_type=content_type)

    @strawberry.mutation(extensions=requires(Path.API_TOKENS, Action.CREATE))
    def create_api_token(self, info: strawberry.Info, user_id: strawberry.ID,
                         name: str = "api") -> NewTokenPayload:
        target = selectors.user_in_company(company=company(info), user_id=user_id)
        token, raw = services.token_create(user=target, actor=actor(info), name=name)
        return NewTokenPayload(token=raw, api_token=token)

    @strawberry.mutation(extensions=requires(Path.API_TOKENS, Action.DELETE))
    def revoke_api_token(self, info: strawberry.Info, token_id: strawberry.ID) -> OkPayload:
        token = selectors.token_in_company(company=company(info), token_id=token_id)
        services.token_revoke(token=token, actor=actor(info))
        return OkPayload(ok=True)


__all__ = ["AccessMutation", "AccessQuery"]
