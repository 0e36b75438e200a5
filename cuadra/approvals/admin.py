from django.contrib import admin

from cuadra.approvals.models import (
    ApprovalConfig,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalStep,
)


@admin.register(ApprovalConfig)
class ApprovalConfigAdmin(admin.ModelAdmin):
    list_display = ("company", "document_type", "threshold", "approval_mode",
                    "escalation_after_hours")
    list_filter = ("document_type", "approval_mode")


class _ReadOnly(admin.ModelAdmin):
    """Requests and decisions change only through the approval services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    can_delete = False
    fields = ("level", "threshold", "approval_mode", "status", "activated_at",
              "escalated_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(_ReadOnly):
    list_display = ("company", "document_type", "document_id", "amount", "status",
                    "created_at")
    list_filter = ("status", "document_type")
    inlines = [StepInline]


@admin.register(ApprovalDecision)
class ApprovalDecisionAdmin(_ReadOnly):
    list_display = ("company", "step", "approver", "status", "via_escalation", "decided_at")
    list_filter = ("status",)
