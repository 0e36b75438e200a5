"""``{% load purchasing_labels %}``: ``{{ doc.status|state_label }}`` (or
``|state_label:"expense"``, ``"payment"``, ``"method"``, ``"approval"``,
``"payment_state"``) and ``{{ doc.payment_state|payment_css }}`` for the badges the sales
pages use."""

from __future__ import annotations

from django import template

from cuadra.web.purchasing.labels import PAYMENT_CSS, label

register = template.Library()


@register.filter
def state_label(code, kind: str = "document") -> str:
    return label(str(code), kind)


@register.filter
def payment_css(code) -> str:
    return PAYMENT_CSS.get(str(code), "")
