"""Base models shared by every domain, and the audit log (DESIGN.md invariant 8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cuadra.core.errors import ImmutableRecord


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk update and delete: rows of an append-only table are never changed."""

    def update(self, **kwargs):
        raise ImmutableRecord(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise ImmutableRecord(f"{self.model.__name__} rows are append-only")

    _raw_delete = delete


class AppendOnlyModel(models.Model):
    """Inserted once, then never updated or deleted, through the model or its queryset."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecord(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{type(self).__name__} rows are append-only")


class AuditAction(models.TextChoices):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    TRANSITION = "transition"
    REFUSED = "refused"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"


class AuditLog(AppendOnlyModel):
    """One row per create, update, transition or refused attempt on a business record.

    ``company_id`` is a plain column rather than a foreign key: core sits below tenancy,
    and an audit row must outlive anything it describes.
    """

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    company_id = models.BigIntegerField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    source = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    operation = models.CharField(max_length=100, blank=True,
                                 help_text="service or mutation that acted")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True,
                               help_text="field -> [before, after]")
    error_code = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["company_id", "-at"], name="audit_company_at"),
            models.Index(fields=["company_id", "object_type", "object_id"],
                         name="audit_company_object"),
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
