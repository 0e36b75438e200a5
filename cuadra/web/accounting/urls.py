from django.urls import path

from cuadra.web.accounting import entries, reports, views

urlpatterns = [
    path("accounting/", views.index, name="accounting_index"),
    path("accounting/accounts/", views.chart, name="accounting_accounts"),
    path("accounting/integrity/", views.integrity, name="accounting_integrity"),
    path("accounting/entries/", entries.entry_list, name="accounting_entries"),
    path("accounting/entries/new/", entries.entry_new, name="accounting_entry_new"),
    path("accounting/entries/form/lines/", entries.entry_form_lines,
         name="accounting_entry_form_lines"),
    path("accounting/entries/form/totals/", entries.entry_form_totals,
         name="accounting_entry_form_totals"),
    path("accounting/entries/<int:entry_id>/", entries.entry_detail, name="accounting_entry"),
    path("accounting/entries/<int:entry_id>/edit/", entries.entry_edit,
         name="accounting_entry_edit"),
    path("accounting/entries/<int:entry_id>/delete/", entries.entry_delete,
         name="accounting_entry_delete"),
    path("accounting/entries/<int:entry_id>/post/", entries.entry_post,
         name="accounting_entry_post"),
    path("accounting/entries/<int:entry_id>/reverse/", entries.entry_reverse,
         name="accounting_entry_reverse"),
    path("accounting/reports/trial-balance/", reports.trial_balance,
         name="accounting_trial_balance"),
]
