from django.contrib import admin

from cuadra.core.models import AuditLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Back-office view of rows nobody may change from the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "company_id", "actor", "action", "operation", "object_type",
                    "object_id", "error_code")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "request_id", "operation")
