"""Lifecycle documents, their immutable history, and the per-company workflow choice."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q

from cuadra.core.errors import InvalidTransition
from cuadra.core.models import AppendOnlyModel, AppendOnlyQuerySet
from cuadra.core.money import MoneyField
from cuadra.tenancy.models import Company, TenantModel


class LifecycleDocument(TenantModel):
    """Abstract base of every document with a lifecycle.

    ``status`` changes only inside :func:`cuadra.documents.lifecycle.transition`, by a
    queryset update of the locked row. ``save()`` refuses a status that differs from the
    one loaded, so an ``obj.status = ...; obj.save()`` elsewhere fails loudly. Subclasses
    redeclare ``status`` with their choices (the union of their workflows' states)."""

    status = models.CharField(max_length=32, db_index=True)
    document_type: ClassVar[str] = ""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def save(self, *args, **kwargs):
        if self._state.adding:
            self._set_initial_status()
        elif "status" in self.__dict__ and self.status != getattr(self, "_loaded_status",
                                                                   self.status):
            raise InvalidTransition("A document's status changes only through its "
                                    "lifecycle transitions.", field="status")
        from cuadra.documents.registry import document_record_sync

        with transaction.atomic():
            super().save(*args, **kwargs)
            self._loaded_status = self.status
            # the registry row follows every save, in the same transaction
            document_record_sync(self)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._loaded_status = self.__dict__.get("status")

    def _set_initial_status(self) -> None:
        """A new document starts in its company's workflow's initial state, whatever the
        caller put in ``status``: drafts are never born issued."""
        from cuadra.documents.lifecycle import workflow_for

        initial = workflow_for(company=self.company, document_type=self.document_type).initial
        if self.status and self.status != initial:
            raise InvalidTransition(f"A new document starts in '{initial}', "
                                    f"not '{self.status}'.", field="status")
        self.status = initial

    # hooks other domains read (approvals: thresholds and "never approve your own")
    def lifecycle_amount(self) -> Decimal | None:
        return None

    def lifecycle_requester_id(self) -> int | None:
        return None


class HistoryQuerySet(AppendOnlyQuerySet):
    def for_company(self, company) -> HistoryQuerySet:
        return self.filter(company=company)


class DocumentHistory(AppendOnlyModel):
    """One row per transition that happened. Never updated or deleted (model, queryset and
    a database trigger refuse it). Who audited, confirmed or voided a document is read
    from here, not from columns on the document."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "document history"
        indexes = [models.Index(fields=["company", "document_type", "object_id", "id"],
                                name="dochistory_company_doc")]

    def __str__(self) -> str:
        return (f"{self.document_type}:{self.object_id} {self.action} "
                f"{self.from_state}->{self.to_state}")


class WorkflowSetting(TenantModel):
    """The workflow preset a company chose for a document type; absent means the
    type's default."""

    document_type = models.CharField(max_length=40)
    workflow_key = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "document_type"],
                                               name="workflowsetting_company_type")]

    def __str__(self) -> str:
        return f"{self.document_type}: {self.workflow_key}"


# --- the registry (seed 004) -----------------------------------------------------------------

class PaymentState(models.TextChoices):
    """What the owning domain reports (seed 004: paid green, partial yellow, unpaid red);
    blank for a document that asks for no payment (a draft, a quote, a credit note)."""

    PAID = "PAID", "Paid"
    PARTIAL = "PARTIAL", "Partial"
    UNPAID = "UNPAID", "Unpaid"
    NONE = "", "—"


class PaymentResult(models.TextChoices):
    """A payment document's own outcome; the views Moved and Did Not Pass read it."""

    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"
    PENDING = "PENDING", "Pending"
    NONE = "", "—"


class DocumentRecord(TenantModel):
    """One row per financial document of every type, upserted by
    :func:`cuadra.documents.registry.document_record_sync` inside the transaction that
    changed the document (its lifecycle transition, or the domain's write). What the
    document says is copied from its describer; ``tags``, ``folder``, ``shared_with`` and
    ``custom`` belong to the registry and are never overwritten by a sync.

    ``tags`` and ``shared_with`` are stored comma-wrapped (",a,b,") so that "has tag a" is
    a plain ``LIKE '%,a,%'`` on SQLite and PostgreSQL alike."""

    branch = models.ForeignKey("tenancy.Branch", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    path = models.CharField(max_length=40, help_text="The RBAC path that guards the type")
    number = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=32)
    document_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    document_created_at = models.DateTimeField(null=True, blank=True)
    party_type = models.CharField(max_length=16, blank=True)
    party_id = models.BigIntegerField(null=True, blank=True)
    party_code = models.CharField(max_length=64, blank=True)
    party_name = models.CharField(max_length=255, blank=True)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    customer_status = models.CharField(max_length=32, blank=True)
    manager_id = models.BigIntegerField(null=True, blank=True)
    manager_name = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount = MoneyField(default=0)
    tax = MoneyField(default=0)
    paid_amount = MoneyField(default=0)
    payment_state = models.CharField(max_length=8, blank=True, choices=PaymentState.choices)
    payment_result = models.CharField(max_length=10, blank=True,
                                      choices=PaymentResult.choices)
    status = models.CharField(max_length=32)
    notes = models.TextField(blank=True)
    tags = models.CharField(max_length=1000, blank=True, default="")
    folder = models.CharField(max_length=255, blank=True)
    shared_with = models.CharField(max_length=1000, blank=True, default="")
    custom = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-document_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["document_type", "object_id"],
                                               name="docrecord_type_object")]
        indexes = [
            models.Index(fields=["company", "path", "document_date", "id"],
                         name="docrecord_company_path_date"),
            # one (company, filter column, page order) index per equality filter that
            # is common and not selective (state, type, customer status, manager): a
            # one-company page reads it in order, and the capped count of a page is an
            # index-only scan (no heap visit per counted row); amount rides along on the
            # payment state for the usual "unpaid over X in a period" question
            models.Index(fields=["company", "payment_state", "-document_date", "-id",
                                 "amount"], name="docrecord_paystate_date"),
            models.Index(fields=["company", "kind", "-document_date", "-id"],
                         name="docrecord_kind_date"),
            models.Index(fields=["company", "customer_status", "-document_date", "-id"],
                         name="docrecord_custstatus_date"),
            models.Index(fields=["company", "manager_id", "-document_date", "-id"],
                         name="docrecord_manager_date"),
            models.Index(fields=["company", "amount"], name="docrecord_amount"),
            models.Index(fields=["company", "party_name"], name="docrecord_party"),
            models.Index(fields=["company", "number"], name="docrecord_number"),
            # the page order (date desc, id desc): across every company the user sees,
            # and within one (the company filter); pages read 50 rows, not all matches
            models.Index(fields=["-document_date", "-id"], name="docrecord_date_id"),
            models.Index(fields=["company", "-document_date", "-id"],
                         name="docrecord_company_date_id"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type}:{self.object_id} {self.number or '(draft)'}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def shared_with_ids(self) -> list[int]:
        return [int(u) for u in self.shared_with.split(",") if u]


class DocumentLink(TenantModel):
    """A relation between two documents (order → invoice, invoice → payment, credit →
    invoice), declared by the describer of ``owner`` and rewritten with it."""

    owner = models.ForeignKey(DocumentRecord, on_delete=models.CASCADE, related_name="links")
    from_type = models.CharField(max_length=40)
    from_id = models.BigIntegerField()
    to_type = models.CharField(max_length=40)
    to_id = models.BigIntegerField()
    role = models.CharField(max_length=32)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["from_type", "from_id"], name="doclink_from"),
                   models.Index(fields=["to_type", "to_id"], name="doclink_to")]

    def __str__(self) -> str:
        return f"{self.from_type}:{self.from_id} -{self.role}-> {self.to_type}:{self.to_id}"


class CustomFieldType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    MONEY = "money", "Money"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"
    USER = "user", "User"


class CustomFieldDefinition(TenantModel):
    """A company's own document column; values live in ``DocumentRecord.custom[key]``."""

    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    field_type = models.CharField(max_length=8, choices=CustomFieldType.choices)
    choices = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["company", "key"]
        constraints = [models.UniqueConstraint(fields=["company", "key"],
                                               name="customfield_company_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.field_type})"


class DocumentView(models.TextChoices):
    EVERYTHING = "everything", "Everything"
    MOVED = "moved", "Moved"
    DID_NOT_PASS = "did_not_pass", "Did not pass"


class ColumnConfig(TenantModel):
    """The columns of one view: per user, or (``user`` null) the company default a
    company admin published. ``columns`` is the ordered list of
    ``{"key": ..., "label": "" | renamed, "pinned": bool}``; absent keys are hidden."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    view = models.CharField(max_length=16, choices=DocumentView.choices)
    columns = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user", "view"],
                                    condition=Q(user__isnull=False),
                                    name="columnconfig_user_view"),
            models.UniqueConstraint(fields=["company", "view"], condition=Q(user__isnull=True),
                                    name="columnconfig_default_view"),
        ]

    def __str__(self) -> str:
        return f"{self.view} ({self.user_id or 'default'})"


class ExportState(models.TextChoices):
    QUEUED = "QUEUED", "Queued"
    RUNNING = "RUNNING", "Running"
    DONE = "DONE", "Done"
    FAILED = "FAILED", "Failed"


class ExportJob(TenantModel):
    """A large export run in the background: its request (view, filters, columns as
    resolved when asked), progress and the file it wrote."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    view = models.CharField(max_length=16, choices=DocumentView.choices)
    file_format = models.CharField(max_length=4)
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=ExportState.choices,
                             default=ExportState.QUEUED)
    total_rows = models.BigIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"export {self.pk} {self.state}"
