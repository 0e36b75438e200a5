from django.urls import path

from cuadra.web.reports import views

urlpatterns = [
    path("reports/", views.index, name="reports_index"),
    path("reports/sales/<slug:kind>/export/<slug:fmt>/", views.sales_report_download,
         name="reports_sales_export"),
    path("reports/customer-statement/", views.customer_statement_download,
         name="reports_customer_statement"),
    path("sales/invoices/<int:pk>/pdf/", views.invoice_pdf, name="sales_invoice_pdf"),
    path("sales/credit-notes/<int:pk>/pdf/", views.credit_note_pdf,
         name="sales_credit_note_pdf"),
]
