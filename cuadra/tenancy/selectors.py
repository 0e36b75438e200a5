"""Reads for tenancy. Which companies a *user* may see is decided in access."""

from __future__ import annotations

import base64

from cuadra.core.errors import NotFound
from cuadra.tenancy.models import Branch, Company


def company_get_by_code(*, code: str) -> Company:
    try:
        return Company.objects.select_related("organization").get(code=code.strip().upper(),
                                                                  is_active=True)
    except Company.DoesNotExist as exc:
        raise NotFound(f"No company with code {code}.", field="X-Company") from exc


def branch_list(*, company: Company):
    return Branch.objects.filter(company=company).order_by("code")


def branch_get(*, company: Company, code: str) -> Branch:
    try:
        return Branch.objects.get(company=company, code=code)
    except Branch.DoesNotExist as exc:
        raise NotFound(f"No branch {code} in {company.code}.", field="branchCode") from exc


def company_logo_data_uri(*, company: Company) -> str:
    """The logo as a data: URI, so a PDF renders it without a file server; '' if none."""
    logo = bytes(company.logo or b"")
    if not logo:
        return ""
    return f"data:{company.logo_content_type};base64,{base64.b64encode(logo).decode()}"
