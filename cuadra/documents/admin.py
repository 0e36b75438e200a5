from django.contrib import admin

from cuadra.documents.models import (
    ColumnConfig,
    CustomFieldDefinition,
    DocumentHistory,
    DocumentRecord,
    ExportJob,
    WorkflowSetting,
)


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


@admin.register(DocumentRecord)
class DocumentRecordAdmin(admin.ModelAdmin):
    """Read-only: the lifecycle writes these rows; tags, folder, sharing and custom values
    are edited through the registry's services (audited)."""

    list_display = ("company", "document_type", "number", "kind", "document_date", "party_name",
                    "amount", "payment_state", "status")
    list_filter = ("document_type", "kind", "payment_state")
    search_fields = ("number", "party_name", "party_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ("company", "key", "label", "field_type")


@admin.register(ColumnConfig)
class ColumnConfigAdmin(admin.ModelAdmin):
    list_display = ("company", "user", "view")


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("company", "user", "file_format", "state", "rows_done", "total_rows")
    readonly_fields = ("params", "file_path", "error")
