"""Back office: read-only, because every change must pass the services' checks."""

from django.contrib import admin

from cuadra.sequences.models import AutoSequence, IssuedNumber, SequenceCounter


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AutoSequence)
class AutoSequenceAdmin(ReadOnlyAdmin):
    list_display = ("company", "document_type", "branch_code", "prefix", "padding",
                    "reset_strategy", "enforce_chronology")
    list_filter = ("company", "document_type", "reset_strategy")


@admin.register(SequenceCounter)
class SequenceCounterAdmin(ReadOnlyAdmin):
    list_display = ("company", "sequence", "period_key", "last_value", "last_date")
    list_filter = ("company",)


@admin.register(IssuedNumber)
class IssuedNumberAdmin(ReadOnlyAdmin):
    list_display = ("company", "document_type", "number", "date", "issued_at", "object_type",
                    "object_id")
    list_filter = ("company", "document_type")
    search_fields = ("number",)
