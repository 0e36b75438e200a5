from django.contrib.auth.views import LogoutView
from django.urls import include, path

from cuadra.web import views
from cuadra.web.accounting import urls as accounting_urls
from cuadra.web.catalog import urls as catalog_urls
from cuadra.web.contacts import urls as contacts_urls
from cuadra.web.documents import urls as documents_urls
from cuadra.web.inventory import urls as inventory_urls
from cuadra.web.purchasing import urls as purchasing_urls
from cuadra.web.reports import urls as reports_urls
from cuadra.web.sales import urls as sales_urls
from cuadra.web.sections import SECTIONS
from cuadra.web.settings import urls as settings_urls

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    # Django's set_language view (POST language + next); it stores the user's choice in a
    # cookie, which then wins over the company's language.
    path("i18n/", include("django.conf.urls.i18n")),
    path("company/", views.company_switch, name="company_switch"),
    *settings_urls.urlpatterns,
    *accounting_urls.urlpatterns,
    *reports_urls.urlpatterns,
    *sales_urls.urlpatterns,
    *contacts_urls.urlpatterns,
    *catalog_urls.urlpatterns,
    *purchasing_urls.urlpatterns,
    *documents_urls.urlpatterns,
    *inventory_urls.urlpatterns,
    *(path(f"{s.key}/", views.unavailable, {"section": s.key}, name=s.key) for s in SECTIONS
      if not s.url_name),
]
