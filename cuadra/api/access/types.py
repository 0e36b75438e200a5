from __future__ import annotations

import datetime as dt

import strawberry
import strawberry_django
from django.contrib.auth import get_user_model

from cuadra.access import models as m
from cuadra.access import selectors
from cuadra.api.base import company_if_any
from cuadra.tenancy import models as tm


@strawberry_django.type(tm.Branch)
class BranchType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    address: strawberry.auto
    is_active: strawberry.auto


@strawberry_django.type(tm.Company)
class CompanyType:
    id: strawberry.auto
    code: strawberry.auto
    name: strawberry.auto
    legal_id: strawberry.auto
    legal_id_dv: strawberry.auto
    country: strawberry.auto
    base_currency: strawberry.auto
    fiscal_year_start_month: strawberry.auto
    time_zone: strawberry.auto
    language: strawberry.auto
    trade_name: strawberry.auto
    address: strawberry.auto
    phone: strawberry.auto
    email: strawberry.auto
    website: strawberry.auto

    @strawberry_django.field(only=["logo_content_type"])
    def has_logo(self) -> bool:
        return bool(self.logo_content_type)

    @strawberry_django.field(only=["id"])
    def branches(self) -> list[BranchType]:
        return list(tm.Branch.objects.filter(company_id=self.pk).order_by("code"))


@strawberry_django.type(m.Role)
class RoleType:
    id: strawberry.auto
    key: strawberry.auto
    name: strawberry.auto
    is_builtin: strawberry.auto
    permissions: list[str]
    hidden_fields: list[str]


@strawberry_django.type(get_user_model())
class UserType:
    id: strawberry.auto
    username: strawberry.auto
    email: strawberry.auto
    first_name: strawberry.auto
    last_name: strawberry.auto
    is_active: strawberry.auto

    @strawberry_django.field(only=["id"])
    def roles(self, info: strawberry.Info) -> list[RoleType]:
        """Roles the user holds in the active company (empty without X-Company)."""
        company = company_if_any(info)
        if company is None:
            return []
        return list(m.Role.objects.filter(assignments__user_id=self.pk,
                                          assignments__company=company).order_by("name"))


@strawberry_django.type(m.ApiToken)
class ApiTokenType:
    id: strawberry.auto
    name: strawberry.auto
    prefix: strawberry.auto
    created_at: strawberry.auto
    last_used_at: strawberry.auto
    revoked_at: strawberry.auto


@strawberry.type
class Me:
    user: UserType
    company: CompanyType | None
    roles: list[RoleType]
    permissions: list[str]


@strawberry.type
class LoginPayload:
    token: str
    user: UserType


@strawberry.type
class NewTokenPayload:
    token: str = strawberry.field(description="Shown once; only its hash is kept.")
    api_token: ApiTokenType


@strawberry.type
class OkPayload:
    ok: bool


def me_for(user, company) -> Me:
    roles, perms = [], []
    if company is not None:
        roles = list(m.Role.objects.filter(assignments__user=user,
                                           assignments__company=company).order_by("name"))
        perms = sorted(selectors._grants(user, company)[0])
    return Me(user=user, company=company, roles=roles, permissions=perms)


__all__ = ["ApiTokenType", "BranchType", "CompanyType", "LoginPayload", "Me",
           "NewTokenPayload", "OkPayload", "RoleType", "UserType", "dt", "me_for"]
