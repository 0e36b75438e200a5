from django.urls import path
from django.views.generic import RedirectView

from cuadra.web.sales import documents, payments
from cuadra.web.sales.kinds import KINDS


def _kind_patterns(kind):
    slug, key = kind.slug, kind.key
    patterns = [
        path(f"sales/{slug}/", documents.document_list, {"slug": slug}, name=f"{key}s"),
        path(f"sales/{slug}/<int:pk>/", documents.document_detail, {"slug": slug}, name=key),
        path(f"sales/{slug}/<int:pk>/move/", documents.document_move, {"slug": slug},
             name=f"{key}_move"),
    ]
    if kind.create is not None:
        patterns += [
            path(f"sales/{slug}/new/", documents.document_new, {"slug": slug},
                 name=f"{key}_new"),
            path(f"sales/{slug}/<int:pk>/edit/", documents.document_edit, {"slug": slug},
                 name=f"{key}_edit"),
            path(f"sales/{slug}/form/lines/", documents.form_lines, {"slug": slug},
                 name=f"{key}_form_lines"),
            path(f"sales/{slug}/form/totals/", documents.form_totals, {"slug": slug},
                 name=f"{key}_form_totals"),
        ]
    return patterns


urlpatterns = [
    path("sales/", RedirectView.as_view(pattern_name="web:sales_invoices")),
    *(p for kind in KINDS.values() for p in _kind_patterns(kind)),
    path("sales/quotes/<int:pk>/convert/", documents.quote_convert, name="sales_quote_convert"),
    path("sales/orders/<int:pk>/invoice/", documents.order_invoice, name="sales_order_invoice"),
    path("sales/invoices/<int:pk>/credit/", documents.invoice_credit,
         name="sales_invoice_credit"),
    path("sales/invoices/<int:pk>/payment/", payments.invoice_payment,
         name="sales_invoice_payment"),
]
