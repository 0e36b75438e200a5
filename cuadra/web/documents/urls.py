from django.urls import path

from cuadra.web.documents import views

urlpatterns = [
    path("documents/", views.index, name="documents_index"),
    path("documents/count/", views.count, name="documents_count"),
    path("documents/<int:record_id>/timeline/", views.timeline, name="documents_timeline"),
    path("documents/columns/", views.columns_save, name="documents_columns"),
    path("documents/export.<slug:fmt>", views.export, name="documents_export"),
    path("documents/exports/<int:job_id>/", views.export_job, name="documents_export_job"),
    path("documents/exports/<int:job_id>/download", views.export_download,
         name="documents_export_download"),
]
