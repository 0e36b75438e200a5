from django.urls import path

from cuadra.web.settings import inventory, views

urlpatterns = [
    path("settings/company/", views.company_profile, name="settings_company"),
    path("settings/company/logo/", views.company_logo, name="settings_company_logo"),
    path("settings/documents/", views.documents, name="settings_documents"),
    path("settings/documents/approvals/", views.approval_config_create,
         name="settings_approval_create"),
    path("settings/documents/approvals/<int:config_id>/delete/", views.approval_config_delete,
         name="settings_approval_delete"),
    path("settings/documents/sequences/<int:sequence_id>/", views.sequence_update,
         name="settings_sequence_update"),
    path("settings/documents/workflows/", views.workflow_preset_set,
         name="settings_workflow_set"),
    path("settings/inventory/", inventory.inventory_settings, name="settings_inventory"),
    path("settings/inventory/save/", inventory.inventory_settings_save,
         name="settings_inventory_save"),
    path("settings/inventory/recost/<int:job_id>/retry/", inventory.recost_job_retry,
         name="settings_recost_retry"),
]
