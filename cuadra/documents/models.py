"""Lifecycle documents, their immutable history, and the per-company workflow choice."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models

from cuadra.core.errors import InvalidTransition
from cuadra.core.models import AppendOnlyModel, AppendOnlyQuerySet
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
        super().save(*args, **kwargs)
        self._loaded_status = self.status

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
