"""Back office for the books: every ledger model is read-only here; changes go through the
services (a posted row could not be changed anyway: see models and migration 0002)."""

from django.contrib import admin

from cuadra.core.admin import ReadOnlyAdmin
from cuadra.ledger.models import (
    Account,
    AccountBalance,
    ExchangeRate,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    LedgerAuditLog,
    LedgerChainHead,
    Period,
)


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("company", "code", "name_es", "type", "role", "is_group", "is_active")
    list_filter = ("company", "type", "role", "is_group", "is_active")
    search_fields = ("code", "name_es", "name_en")


class JournalLineInline(admin.TabularInline):
    model = JournalLine
    fields = ("line_no", "account", "label", "debit", "credit", "currency",
              "amount_currency", "branch", "partner")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ("company", "number", "date", "journal", "state", "reference", "posted_at")
    list_filter = ("company", "state", "journal__kind")
    search_fields = ("number", "reference", "memo")
    inlines = [JournalLineInline]


@admin.register(LedgerAuditLog)
class LedgerAuditLogAdmin(ReadOnlyAdmin):
    list_display = ("company", "seq", "entry_number", "version", "hash", "created_at")
    list_filter = ("company",)


for model in (Journal, ExchangeRate, FiscalYear, Period, AccountBalance, LedgerChainHead):
    admin.site.register(model, ReadOnlyAdmin)
