"""Test-only models: a tenant row with a MoneyField and a QuantityField."""

from django.db import models

from cuadra.core.money import MoneyField, QuantityField
from cuadra.tenancy.models import TenantModel


class Sample(TenantModel):
    label = models.CharField(max_length=40, blank=True)
    amount = MoneyField(null=True, blank=True)
    quantity = QuantityField(null=True, blank=True)

    class Meta:
        app_label = "testapp"
        indexes = [models.Index(fields=["company", "amount"], name="testapp_sample_amount")]
