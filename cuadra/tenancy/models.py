"""Organization (the subscriber) > Company (legal entity) > Branch."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cuadra.core.models import BaseModel


class Organization(BaseModel):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Company(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="companies")
    code = models.SlugField(_("code"), max_length=20, unique=True,
                            help_text="Short code chosen with the X-Company header, e.g. DEMO")
    name = models.CharField(_("name"), max_length=200)
    legal_id = models.CharField(_("legal id"), max_length=40, blank=True,
                                help_text="Panama: the RUC, without its DV")
    legal_id_dv = models.CharField(_("DV"), max_length=2, blank=True,
                                   help_text="Panama: the RUC check digits")
    country = models.CharField(_("country"), max_length=2, default="PA")
    base_currency = models.CharField(_("base currency"), max_length=3, default="USD")
    fiscal_year_start_month = models.PositiveSmallIntegerField(_("fiscal year start month"),
                                                               default=1)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Panama")
    language = models.CharField(_("language"), max_length=8, default="es")
    is_active = models.BooleanField(default=True)
    # What the company prints on its documents (invoice PDF, statements); the head office
    # branch's address is the fallback when ``address`` is blank.
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    # The logo is kept in the row, not on a disk: it is small (capped at upload), it
    # follows the company through backups and every worker renders PDFs from it.
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=True)
    logo_content_type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1,
                                   fiscal_year_start_month__lte=12),
                name="company_fiscal_month_1_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class TenantQuerySet(models.QuerySet):
    def for_company(self, company) -> TenantQuerySet:
        return self.filter(company=company)


class TenantModel(BaseModel):
    """Every business row carries its company; constraints and indexes start with it."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class Branch(TenantModel):
    code = models.CharField(_("code"), max_length=4,
                            help_text="DGI branch code, e.g. 0000 for the head office")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name_plural = "branches"
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="branch_company_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
