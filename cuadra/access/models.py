"""Roles, role assignments per company, and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cuadra.core.models import BaseModel
from cuadra.tenancy.models import Organization, TenantModel


class Role(BaseModel):
    """A set of (path, action) permissions, kept per organization and editable there."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="roles")
    key = models.SlugField(max_length=40, help_text="stable key, e.g. owner, accountant")
    name = models.CharField(_("name"), max_length=100)
    is_builtin = models.BooleanField(default=False)
    permissions = models.JSONField(default=list, help_text='["PATH:action", ...]')
    hidden_fields = models.JSONField(
        default=list, help_text='fields this role must not see: ["PATH.field", "*.cost"]')

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="role_org_key"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(TenantModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user", "role"],
                                    name="role_assignment_unique"),
        ]
        indexes = [models.Index(fields=["user", "company"], name="role_assignment_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} @ {self.company_id}"


class ApiToken(BaseModel):
    """A bearer token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, default="api")
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
