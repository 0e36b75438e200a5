"""Demo organizations, companies and users. Idempotent: a second run adds nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from cuadra.access import services as access
from cuadra.access.models import Role
from cuadra.tenancy import services as tenancy
from cuadra.tenancy.models import Company, Organization

# user name -> built-in role key; each password equals the user name
ROLE_USERS = {"contador": "accountant", "ventas": "sales", "compras": "purchasing",
              "bodega": "warehouse", "auditor": "auditor"}


@dataclass
class DemoPlatform:
    demo: Company
    otra: Company
    owner: object


def _user(username: str, password: str, **extra):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=password, **extra)
    return user


def _organization(name: str) -> Organization:
    return Organization.objects.filter(name=name).first() or tenancy.organization_create(name=name)


def _company(org: Organization, owner, **fields) -> Company:
    existing = Company.objects.filter(code=fields["code"]).first()
    return existing or tenancy.company_create(organization=org, actor=owner, **fields)


def load() -> DemoPlatform:
    owner = _user("demo", "demo", first_name="Dueña", last_name="Demo",
                  email="demo@example.com", is_staff=True, is_superuser=True)
    org = _organization("Demo")
    demo = _company(org, owner, code="DEMO", name="Demo PYME, S.A.",
                    legal_id="155596713-2-2015", legal_id_dv="59", country="PA",
                    base_currency="USD", fiscal_year_start_month=1,
                    time_zone="America/Panama", language="es")
    for username, role_key in ROLE_USERS.items():
        user = _user(username, username, email=f"{username}@example.com")
        role = Role.objects.get(organization=org, key=role_key)
        access.role_assign(company=demo, user=user, role=role, actor=owner)

    other_owner = _user("otra", "otra", email="otra@example.com")
    other_org = _organization("Otra")
    otra = _company(other_org, other_owner, code="OTRA", name="Otra Empresa, S.A.",
                    legal_id="155646463-2-2017", legal_id_dv="86", country="PA",
                    base_currency="USD", language="es")
    return DemoPlatform(demo=demo, otra=otra, owner=owner)
