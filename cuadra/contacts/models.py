"""Clients, suppliers, factories and salespersons (seed 000 "Contacts"), their contact
persons and addresses, client tags and the company's credit policy.

Addresses and contact persons belong to exactly one party: a client, a supplier or a
factory, through three nullable foreign keys and a check constraint. Plain foreign keys
(rather than a generic relation) let the GraphQL optimizer prefetch them in one query.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cuadra.contacts.enums import (
    AddressKind,
    ClientStatus,
    CreditLimitPolicy,
    ReceiverType,
    TaxIdType,
    TaxpayerKind,
)
from cuadra.core.money import ExactDecimalField, MoneyField
from cuadra.tenancy.models import TenantModel


class ContactsSettings(TenantModel):
    """One row per company; a company without one uses the defaults below."""

    credit_limit_policy = models.CharField(_("credit limit policy"), max_length=8,
                                           choices=CreditLimitPolicy.choices,
                                           default=CreditLimitPolicy.WARN)

    class Meta:
        verbose_name_plural = "contacts settings"
        constraints = [
            models.UniqueConstraint(fields=["company"], name="contacts_settings_company"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.credit_limit_policy}"


class Tag(TenantModel):
    name = models.CharField(_("name"), max_length=50)
    color = models.CharField(_("color"), max_length=7, blank=True, help_text="e.g. #1f77b4")

    class Meta:
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="contacts_tag_company_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Salesperson(TenantModel):
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    commission_percent = ExactDecimalField(_("commission %"), max_digits=7, decimal_places=4,
                                           default=Decimal(0))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"],
                                    name="contacts_salesperson_company_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Party(TenantModel):
    """What clients, suppliers and factories share: code, names, tax identity, terms."""

    code = models.CharField(_("code"), max_length=20)
    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    tax_id_type = models.CharField(_("tax id type"), max_length=10, choices=TaxIdType.choices,
                                   blank=True)
    tax_id = models.CharField(_("tax id"), max_length=40, blank=True)
    tax_dv = models.CharField(_("DV"), max_length=2, blank=True)
    taxpayer_kind = models.CharField(_("taxpayer kind"), max_length=1,
                                     choices=TaxpayerKind.choices, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PA")
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    payment_terms_days = models.PositiveIntegerField(_("payment terms (days)"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.trade_name or self.legal_name}"

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name


class Client(Party):
    receiver_type = models.CharField(_("receiver type"), max_length=2,
                                     choices=ReceiverType.choices,
                                     default=ReceiverType.CONSUMIDOR_FINAL)
    status = models.CharField(_("status"), max_length=10, choices=ClientStatus.choices,
                              default=ClientStatus.ACTIVE)
    credit_limit = MoneyField(_("credit limit"), null=True, blank=True,
                              help_text="Empty: no limit")
    price_list_code = models.CharField(_("price list"), max_length=30, blank=True,
                                       help_text="Code of a catalog price list")
    salesperson = models.ForeignKey(Salesperson, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="clients")
    tags = models.ManyToManyField(Tag, blank=True, related_name="clients")

    class Meta:
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"],
                                    name="contacts_client_company_code"),
        ]
        indexes = [
            models.Index(fields=["company", "status"], name="contacts_client_status"),
            models.Index(fields=["company", "tax_id"], name="contacts_client_tax_id"),
            models.Index(fields=["company", "salesperson"], name="contacts_client_salesp"),
        ]


class Supplier(Party):
    class Meta:
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"],
                                    name="contacts_supplier_company_code"),
        ]
        indexes = [
            models.Index(fields=["company", "tax_id"], name="contacts_supplier_tax_id"),
        ]


class Factory(Party):
    """A manufacturer whose goods we buy, often through a supplier (its distributor)."""

    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="factories")

    class Meta:
        ordering = ["company", "code"]
        verbose_name_plural = "factories"
        constraints = [
            models.UniqueConstraint(fields=["company", "code"],
                                    name="contacts_factory_company_code"),
        ]


OWNER_FIELDS = ("client", "supplier", "factory")


def _one_owner(prefix: str) -> models.CheckConstraint:
    exactly_one = (Q(client__isnull=False, supplier__isnull=True, factory__isnull=True)
                   | Q(client__isnull=True, supplier__isnull=False, factory__isnull=True)
                   | Q(client__isnull=True, supplier__isnull=True, factory__isnull=False))
    return models.CheckConstraint(condition=exactly_one, name=f"{prefix}_one_owner")


def _owner_fk(model, related_name: str) -> models.ForeignKey:
    return models.ForeignKey(model, null=True, blank=True, on_delete=models.CASCADE,
                             related_name=related_name)


class OwnedByParty(TenantModel):
    class Meta:
        abstract = True

    @property
    def owner(self):
        return self.client or self.supplier or self.factory


class ContactPerson(OwnedByParty):
    client = _owner_fk(Client, "contact_persons")
    supplier = _owner_fk(Supplier, "contact_persons")
    factory = _owner_fk(Factory, "contact_persons")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)

    class Meta:
        ordering = ["company", "id"]
        constraints = [_one_owner("contacts_person")]
        indexes = [
            models.Index(fields=["company", "client"], name="contacts_person_client"),
            models.Index(fields=["company", "supplier"], name="contacts_person_supplier"),
            models.Index(fields=["company", "factory"], name="contacts_person_factory"),
        ]

    def __str__(self) -> str:
        return self.name


class Address(OwnedByParty):
    client = _owner_fk(Client, "addresses")
    supplier = _owner_fk(Supplier, "addresses")
    factory = _owner_fk(Factory, "addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=AddressKind.choices,
                            default=AddressKind.BILLING)
    line1 = models.CharField(_("address line 1"), max_length=100)
    line2 = models.CharField(_("address line 2"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # DGI dCodUbi 'province-district-corregimiento' and its three names (≤ 50 each)
    location_code = models.CharField(_("location code"), max_length=10, blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True)
    corregimiento = models.CharField(_("corregimiento"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PA")
    is_default = models.BooleanField(_("default of its kind"), default=False)

    class Meta:
        ordering = ["company", "kind", "-is_default", "id"]
        verbose_name_plural = "addresses"
        constraints = [
            _one_owner("contacts_address"),
            # one default per (party, kind)
            *(models.UniqueConstraint(fields=["company", owner, "kind"],
                                      condition=Q(is_default=True, **{f"{owner}__isnull": False}),
                                      name=f"contacts_address_default_{owner}")
              for owner in OWNER_FIELDS),
        ]
        indexes = [
            models.Index(fields=["company", "client"], name="contacts_address_client"),
            models.Index(fields=["company", "supplier"], name="contacts_address_supplier"),
            models.Index(fields=["company", "factory"], name="contacts_address_factory"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.line1}"
