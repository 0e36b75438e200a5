"""TestDocument: a concrete LifecycleDocument with the simple, five-stage and a
requisition-like workflow, and TestEffectLog, where its effects write down each call."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from cuadra.access.permissions import Action, Path
from cuadra.core.money import MoneyField
from cuadra.documents.lifecycle import Transition, Workflow
from cuadra.documents.models import LifecycleDocument
from cuadra.documents.presets import (
    five_stage_workflow,
    review_workflow,
    simple_workflow,
    status_choices,
)
from cuadra.tenancy.models import TenantModel

DOCUMENT_TYPE = "TEST_DOCUMENT"
TEST_PATH = Path.SALES_INVOICES

# A requisition-like flow for the approvals guard: submit, then convert (guarded), or
# reject back to draft. "convert" binds an effect stage of the same name.
TEST_WORKFLOW = Workflow(
    key="requisition", initial="draft", states=("draft", "submitted", "converted"),
    transitions=(
        Transition("submit", ("draft",), "submitted", Path.PURCHASE_REQUISITIONS,
                   Action.CREATE),
        Transition("convert", ("submitted",), "converted", Path.PURCHASE_ORDERS,
                   Action.CREATE, effects=("convert",)),
        Transition("reject", ("submitted",), "draft", Path.PURCHASE_REQUISITIONS,
                   Action.APPROVE),
    ))
SIMPLE = simple_workflow(TEST_PATH)
FIVE_STAGE = five_stage_workflow(TEST_PATH)
REVIEW = review_workflow(TEST_PATH)
WORKFLOWS = {"requisition": TEST_WORKFLOW, "simple": SIMPLE, "five_stage": FIVE_STAGE,
             "review": REVIEW}
DEFAULT_WORKFLOW = "requisition"


class TestDocument(LifecycleDocument):
    __test__ = False  # not a pytest class

    document_type = DOCUMENT_TYPE

    status = models.CharField(max_length=32, db_index=True,
                              choices=status_choices(TEST_WORKFLOW, SIMPLE, FIVE_STAGE,
                                                     REVIEW))
    title = models.CharField(max_length=100, blank=True)
    amount = MoneyField(null=True, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        app_label = "docapp"

    def lifecycle_amount(self) -> Decimal | None:
        return self.amount

    def lifecycle_requester_id(self) -> int | None:
        return self.requester_id


class TestEffectLog(TenantModel):
    __test__ = False

    document = models.ForeignKey(TestDocument, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=32)
    kind = models.CharField(max_length=12)  # "apply" or "compensate"
    action = models.CharField(max_length=32)
    name = models.CharField(max_length=40)

    class Meta:
        app_label = "docapp"
        ordering = ["id"]
