"""The navigation frame: one entry per business area of the app.

A section whose issue is not done yet is served by ``views.unavailable``; when a domain
ships its pages it sets ``url_name`` here to its own view and the frame links there."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str            # URL segment of the placeholder page
    label: Promise
    url_name: str = ""  # a domain's own page once it ships; else the placeholder

    @property
    def url(self) -> str:
        return self.url_name or f"web:{self.key}"


SECTIONS: tuple[Section, ...] = (
    Section("documents", _("Documents"), url_name="web:documents_index"),
    Section("sales", _("Sales"), url_name="web:sales_invoices"),
    Section("purchasing", _("Purchasing"), url_name="web:purchasing_requisitions"),
    Section("inventory", _("Inventory"), url_name="web:inventory_index"),
    Section("accounting", _("Accounting"), url_name="web:accounting_index"),
    Section("reports", _("Reports"), url_name="web:reports_index"),
    Section("settings", _("Settings"), url_name="web:settings_documents"),
)

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
