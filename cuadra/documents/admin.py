from django.contrib import admin

from cuadra.documents.models import DocumentHistory, WorkflowSetting


@admin.register(DocumentHistory)
class DocumentHistoryAdmin(admin.ModelAdmin):
    """Read-only: history is append-only."""

    list_display = ("at", "company", "document_type", "object_id", "action", "from_state",
                    "to_state", "actor")
    list_filter = ("document_type", "action")
    search_fields = ("object_id", "comment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkflowSetting)
class WorkflowSettingAdmin(admin.ModelAdmin):
    list_display = ("company", "document_type", "workflow_key")
    list_filter = ("document_type",)
