"""company_create / company_update / branch_create: validation, head office, hooks."""

import pytest

from cuadra.core.errors import ValidationError
from cuadra.core.models import AuditLog
from cuadra.tenancy import hooks, services
from cuadra.tenancy.models import Branch, Company, Organization
from tests.conftest import row_counts


@pytest.fixture
def org(db):
    return services.organization_create(name="Acme")


def _fields(error: ValidationError) -> list[str]:
    return [e.field for e in error.errors]


def test_company_create_stores_the_company_and_its_head_office(org):
    company = services.company_create(organization=org, code="acme", name=" Acme, S.A. ",
                                      legal_id="155596713-2-2015", legal_id_dv="59",
                                      fiscal_year_start_month=4)
    company.refresh_from_db()
    assert (company.code, company.name, company.legal_id, company.legal_id_dv) == (
        "ACME", "Acme, S.A.", "155596713-2-2015", "59")
    assert (company.country, company.base_currency, company.language,
            company.fiscal_year_start_month, company.time_zone) == (
        "PA", "USD", "es", 4, "America/Panama")
    branches = list(Branch.objects.filter(company=company).values_list("code", "name"))
    assert branches == [("0000", "Casa matriz")]
    audited = set(AuditLog.objects.filter(company_id=company.pk)
                  .values_list("operation", "object_type"))
    assert {("company_create", "tenancy.Company"),
            ("branch_create", "tenancy.Branch")} <= audited


def test_a_company_outside_panama_defaults_to_english(org):
    company = services.company_create(organization=org, code="GULF", name="Gulf LLC",
                                      country="AE", base_currency="aed")
    assert (company.language, company.base_currency, company.country) == ("en", "AED", "AE")


def test_a_single_digit_dv_is_stored_padded(org):
    company = services.company_create(organization=org, code="C9", name="Nine",
                                      legal_id="155587169-2-2014", legal_id_dv="9")
    assert company.legal_id_dv == "09"


def test_bad_dv_is_refused_naming_the_field_and_writes_nothing(org):
    before = row_counts(exclude=())
    with pytest.raises(ValidationError) as exc:
        services.company_create(organization=org, code="BAD", name="Bad",
                                legal_id="155596713-2-2015", legal_id_dv="58")
    assert exc.value.code == "VALIDATION"
    assert _fields(exc.value) == ["legalIdDv"]
    assert "59" in exc.value.errors[0].message
    assert row_counts(exclude=()) == before


def test_malformed_ruc_is_refused_on_legal_id(org):
    with pytest.raises(ValidationError) as exc:
        services.company_create(organization=org, code="BAD", name="Bad",
                                legal_id="not-a-ruc", legal_id_dv="00")
    assert _fields(exc.value) == ["legalId"]
    assert not Company.objects.filter(code="BAD").exists()


def test_every_bad_field_is_listed_at_once(org):
    services.company_create(organization=org, code="TAKEN", name="First")
    before = row_counts(exclude=())
    with pytest.raises(ValidationError) as exc:
        services.company_create(organization=org, code="taken", name="  ",
                                legal_id="155596713-2-2015", legal_id_dv="00",
                                fiscal_year_start_month=13, base_currency="US")
    assert _fields(exc.value) == ["code", "name", "fiscalYearStartMonth", "baseCurrency",
                                  "legalIdDv"]
    assert exc.value.as_extensions()["code"] == "VALIDATION"
    assert [e["field"] for e in exc.value.as_extensions()["errors"]] == _fields(exc.value)
    assert row_counts(exclude=()) == before


def test_duplicate_code_is_refused(org):
    services.company_create(organization=org, code="DUP", name="First")
    with pytest.raises(ValidationError) as exc:
        services.company_create(organization=org, code="dup", name="Second")
    assert _fields(exc.value) == ["code"]
    assert Company.objects.filter(code="DUP").count() == 1


@pytest.mark.parametrize("month", [0, 13, -1])
def test_fiscal_month_out_of_range_is_refused(org, month):
    with pytest.raises(ValidationError) as exc:
        services.company_create(organization=org, code="M", name="Month",
                                fiscal_year_start_month=month)
    assert _fields(exc.value) == ["fiscalYearStartMonth"]
    assert not Company.objects.filter(code="M").exists()


@pytest.mark.parametrize("code", ["", "a b", "x!"])
def test_bad_code_is_refused(org, code):
    with pytest.raises(ValidationError) as exc:
        services.company_create(organization=org, code=code, name="Name")
    assert _fields(exc.value) == ["code"]
    assert Company.objects.count() == 0


def test_company_created_hooks_run_in_order_inside_the_transaction(org, monkeypatch):
    monkeypatch.setattr(hooks, "_company_created", list(hooks._company_created))
    seen = []
    hooks.on_company_created("test.first", lambda company, actor: seen.append(
        ("first", company.code, Branch.objects.filter(company=company).count())))
    hooks.on_company_created("test.second", lambda company, actor: seen.append(
        ("second", company.code, actor)))
    hooks.on_company_created("test.first", lambda company, actor: seen.append("duplicate"))
    services.company_create(organization=org, code="HOOK", name="Hooked")
    assert seen == [("first", "HOOK", 1), ("second", "HOOK", None)]


def test_a_failing_hook_rolls_the_company_back(org, monkeypatch):
    monkeypatch.setattr(hooks, "_company_created", list(hooks._company_created))

    def boom(company, actor):
        raise ValidationError("hook refused", field="code")

    hooks.on_company_created("test.boom", boom)
    before = row_counts(exclude=())
    with pytest.raises(ValidationError):
        services.company_create(organization=org, code="BOOM", name="Boom")
    assert row_counts(exclude=()) == before


def test_builtin_roles_hook_makes_the_creator_owner(org, django_user_model):
    creator = django_user_model.objects.create_user(username="founder", password="x")
    company = services.company_create(organization=org, code="OWN", name="Owned",
                                      actor=creator)
    roles = list(company.organization.roles.order_by("key").values_list("key", flat=True))
    assert roles == ["accountant", "auditor", "owner", "purchasing", "sales", "warehouse"]
    from cuadra.access.models import RoleAssignment
    held = list(RoleAssignment.objects.filter(company=company)
                .values_list("user__username", "role__key"))
    assert held == [("founder", "owner")]


def test_organization_name_is_required_and_unique(db):
    with pytest.raises(ValidationError) as exc:
        services.organization_create(name=" ")
    assert _fields(exc.value) == ["name"]
    services.organization_create(name="Uno")
    with pytest.raises(ValidationError):
        services.organization_create(name="Uno")
    assert Organization.objects.count() == 1


def test_company_update_validates_and_audits(org, django_user_model):
    actor = django_user_model.objects.create_user(username="ed", password="x")
    company = services.company_create(organization=org, code="UPD", name="Before")
    with pytest.raises(ValidationError) as exc:
        services.company_update(company=company, actor=actor, fiscal_year_start_month=0)
    assert _fields(exc.value) == ["fiscalYearStartMonth"]
    company.refresh_from_db()
    assert company.fiscal_year_start_month == 1
    services.company_update(company=company, actor=actor, name="After")
    company.refresh_from_db()
    assert company.name == "After"
    row = AuditLog.objects.get(operation="company_update")
    assert (row.action, row.actor_id, row.changes["name"]) == ("update", actor.pk,
                                                               ["Before", "After"])


def test_branch_codes_are_four_characters_and_unique_per_company(org):
    company = services.company_create(organization=org, code="BR", name="Branches")
    other = services.company_create(organization=org, code="BR2", name="Other")
    with pytest.raises(ValidationError) as exc:
        services.branch_create(company=company, code="0000", name="Again")
    assert _fields(exc.value) == ["code"]
    with pytest.raises(ValidationError) as exc:
        services.branch_create(company=company, code="12345", name="")
    assert _fields(exc.value) == ["code", "name"]
    services.branch_create(company=company, code="0001", name="Colón")
    assert list(Branch.objects.filter(company=company).values_list("code", flat=True)) == [
        "0000", "0001"]
    assert list(Branch.objects.filter(company=other).values_list("code", flat=True)) == [
        "0000"]


# --- what the company prints on its documents ----------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00"
       b"\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def acme(org):
    return services.company_create(organization=org, code="ACME", name="Acme, S.A.")


def test_company_update_stores_the_profile_trimmed_and_audited(acme):
    services.company_update(company=acme, actor=None, trade_name=" Acme Store ",
                            address="Calle 50, Obarrio", phone="+507 264-0000",
                            email="ventas@acme.pa", website="acme.pa")
    acme.refresh_from_db()
    assert (acme.trade_name, acme.address, acme.phone, acme.email, acme.website) == (
        "Acme Store", "Calle 50, Obarrio", "+507 264-0000", "ventas@acme.pa", "acme.pa")
    row = AuditLog.objects.filter(operation="company_update", company_id=acme.pk).get()
    assert row.changes["trade_name"] == ["", "Acme Store"]


def test_company_update_refuses_a_bad_email_and_writes_nothing(acme):
    before = row_counts(exclude=())
    with pytest.raises(ValidationError) as exc:
        services.company_update(company=acme, actor=None, email="no-at-sign",
                                phone="1" * 41)
    assert sorted(_fields(exc.value)) == ["email", "phone"]
    assert row_counts(exclude=()) == before
    acme.refresh_from_db()
    assert (acme.email, acme.phone) == ("", "")


def test_company_logo_is_kept_in_the_row_and_audited_by_digest(acme):
    import hashlib

    from cuadra.tenancy.selectors import company_logo_data_uri

    services.company_logo_set(company=acme, actor=None, content=PNG, content_type="image/png")
    acme.refresh_from_db()
    assert bytes(acme.logo) == PNG and acme.logo_content_type == "image/png"
    assert company_logo_data_uri(company=acme).startswith("data:image/png;base64,iVBORw0KGgo")
    row = AuditLog.objects.filter(operation="company_logo_set").get()
    assert row.changes["logo"] == ["", f"sha256:{hashlib.sha256(PNG).hexdigest()}"]
    services.company_logo_set(company=acme, actor=None, content=b"", content_type="")
    acme.refresh_from_db()
    assert bytes(acme.logo) == b"" and company_logo_data_uri(company=acme) == ""


@pytest.mark.parametrize(("content", "content_type", "message"), [
    (b"GIF89a....", "image/gif", "The logo must be a PNG or JPEG image."),
    (b"<svg/>", "image/png", "The file is not a PNG image."),
    (b"\xff\xd8\xff" + b"0" * (512 * 1024), "image/jpeg", "The logo must be at most 512 KB."),
])
def test_company_logo_refuses_what_is_not_a_small_png_or_jpeg(acme, content, content_type,
                                                              message):
    with pytest.raises(ValidationError) as exc:
        services.company_logo_set(company=acme, actor=None, content=content,
                                  content_type=content_type)
    assert [(e.field, e.message) for e in exc.value.errors] == [("logo", message)]
    acme.refresh_from_db()
    assert bytes(acme.logo) == b"" and acme.logo_content_type == ""
