"""The back office view of purchasing: read-only, since documents change only through
the purchasing services and their lifecycle transitions."""

from django.contrib import admin

from cuadra.purchasing import models as m


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.PurchaseRequisition, m.PurchaseOrder, m.GoodsReceipt, m.SupplierInvoice,
                m.SupplierCredit, m.Expense)
class DocumentAdmin(_ReadOnly):
    list_display = ("company", "number", "status", "date")
    list_filter = ("status",)
    search_fields = ("number",)


@admin.register(m.SupplierPayment)
class PaymentAdmin(_ReadOnly):
    list_display = ("company", "number", "status", "date", "supplier", "method", "amount",
                    "allocated")
    list_filter = ("status", "method")


@admin.register(m.SupplierPrice, m.PurchasingSettings, m.StoredFile)
class ReferenceAdmin(_ReadOnly):
    pass
