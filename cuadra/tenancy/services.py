"""Writes for organizations, companies and branches."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from cuadra.core.audit import audit_create, audit_update, snapshot
from cuadra.core.errors import ErrorCollector
from cuadra.tenancy import hooks, ruc
from cuadra.tenancy.models import Branch, Company, Organization

HEAD_OFFICE = "0000"


def organization_create(*, name: str, actor=None) -> Organization:
    errors = ErrorCollector()
    if not name.strip():
        errors.add("name", "An organization needs a name.")
    elif Organization.objects.filter(name=name.strip()).exists():
        errors.add("name", "An organization with this name exists.")
    errors.raise_if_any()
    org = Organization.objects.create(name=name.strip())
    audit_create(actor=actor, company_id=None, obj=org, operation="organization_create")
    return org


def _validate_company(errors: ErrorCollector, *, code: str, name: str, country: str,
                      legal_id: str, legal_id_dv: str, fiscal_year_start_month: int,
                      base_currency: str, exclude_pk=None) -> None:
    if not code or not code.replace("-", "").replace("_", "").isalnum():
        errors.add("code", "Use letters, digits, '-' or '_'.")
    elif Company.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        errors.add("code", "This code is taken.")
    if not name.strip():
        errors.add("name", "A company needs a name.")
    if not 1 <= fiscal_year_start_month <= 12:
        errors.add("fiscalYearStartMonth", "Choose a month from 1 to 12.")
    if len(base_currency) != 3 or not base_currency.isalpha():
        errors.add("baseCurrency", "Use a three-letter ISO 4217 code.")
    if country == "PA" and legal_id:
        try:
            expected = ruc.compute_dv(legal_id)
        except ruc.InvalidRuc as exc:
            errors.add("legalId", str(exc))
        else:
            if legal_id_dv.strip().zfill(2) != expected:
                errors.add("legalIdDv", f"The DV of RUC {legal_id} is {expected}.")


@transaction.atomic
def company_create(*, organization: Organization, code: str, name: str, actor=None,
                   legal_id: str = "", legal_id_dv: str = "", country: str = "PA",
                   base_currency: str = "USD", fiscal_year_start_month: int = 1,
                   time_zone: str = "America/Panama", language: str | None = None) -> Company:
    code = code.strip().upper()
    errors = ErrorCollector()
    _validate_company(errors, code=code, name=name, country=country, legal_id=legal_id,
                      legal_id_dv=legal_id_dv, base_currency=base_currency,
                      fiscal_year_start_month=fiscal_year_start_month)
    errors.raise_if_any()
    company = Company.objects.create(
        organization=organization, code=code, name=name.strip(), legal_id=legal_id.strip(),
        legal_id_dv=legal_id_dv.strip().zfill(2) if legal_id_dv else "",
        country=country.upper(), base_currency=base_currency.upper(),
        fiscal_year_start_month=fiscal_year_start_month, time_zone=time_zone,
        language=language or ("es" if country.upper() == "PA" else "en"),
    )
    audit_create(actor=actor, company_id=company.pk, obj=company, operation="company_create")
    branch_create(company=company, code=HEAD_OFFICE, name="Casa matriz", actor=actor)
    hooks.run_company_created(company=company, actor=actor)
    return company


PROFILE_FIELDS = ("trade_name", "address", "phone", "email", "website")
LOGO_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
LOGO_MAX_BYTES = 512 * 1024


def _validate_profile(errors: ErrorCollector, changes: dict) -> None:
    email = (changes.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", "Enter a valid e-mail address.")
    for field in PROFILE_FIELDS:
        limit = Company._meta.get_field(field).max_length
        if len(changes.get(field) or "") > limit:
            errors.add(_camel(field), f"At most {limit} characters.")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@transaction.atomic
def company_update(*, company: Company, actor, **changes) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    before = snapshot(locked)
    values = {f: changes.get(f, getattr(locked, f)) for f in (
        "code", "name", "country", "legal_id", "legal_id_dv", "fiscal_year_start_month",
        "base_currency")}
    errors = ErrorCollector()
    _validate_company(errors, exclude_pk=locked.pk, **values)
    _validate_profile(errors, changes)
    errors.raise_if_any()
    changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.save()
    audit_update(actor=actor, company_id=locked.pk, obj=locked, before=before,
                 operation="company_update")
    return locked


@transaction.atomic
def company_logo_set(*, company: Company, actor, content: bytes, content_type: str) -> Company:
    """Store the logo printed on the company's documents. PNG or JPEG up to 512 KB; the
    type is checked against the file's own signature, not only the name it came with.
    Empty ``content`` removes the logo."""
    errors = ErrorCollector()
    if content:
        signature = LOGO_TYPES.get(content_type)
        if signature is None:
            errors.add("logo", "The logo must be a PNG or JPEG image.")
        elif not content.startswith(signature):
            errors.add("logo", f"The file is not a {content_type.split('/')[1].upper()} "
                               "image.")
        elif len(content) > LOGO_MAX_BYTES:
            errors.add("logo", "The logo must be at most 512 KB.")
    errors.raise_if_any()
    locked = Company.objects.select_for_update().get(pk=company.pk)
    before = snapshot(locked)
    locked.logo = content or b""
    locked.logo_content_type = content_type if content else ""
    locked.save(update_fields=["logo", "logo_content_type", "updated_at"])
    audit_update(actor=actor, company_id=locked.pk, obj=locked, before=before,
                 operation="company_logo_set")
    return locked


def branch_create(*, company: Company, code: str, name: str, actor=None,
                  address: str = "") -> Branch:
    errors = ErrorCollector()
    if len(code) != 4 or not code.isalnum():
        errors.add("code", "A branch code is four letters or digits, e.g. 0000.")
    elif Branch.objects.filter(company=company, code=code).exists():
        errors.add("code", "This branch code exists in the company.")
    if not name.strip():
        errors.add("name", "A branch needs a name.")
    errors.raise_if_any()
    branch = Branch.objects.create(company=company, code=code, name=name.strip(),
                                   address=address)
    audit_create(actor=actor, company_id=company.pk, obj=branch, operation="branch_create")
    return branch
