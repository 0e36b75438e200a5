"""E-mail to approvers and requesters, sent only after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail

from cuadra.core.events import publish_on_commit
from cuadra.core.money import round_money


def describe(request) -> str:
    return (f"{request.document_type} #{request.document_id} "
            f"for {round_money(request.amount)}")


def notify_users(*, user_ids, subject: str, body: str) -> int:
    """Queue one message per user with an e-mail address; returns how many were queued.
    Nothing leaves before commit, and nothing at all if the transaction rolls back."""
    emails = list(get_user_model().objects
                  .filter(pk__in=list(user_ids), is_active=True).exclude(email="")
                  .order_by("pk").values_list("email", flat=True))
    if emails:
        messages = tuple((subject, body, settings.DEFAULT_FROM_EMAIL, [email])
                         for email in emails)
        publish_on_commit(_send, messages)
    return len(emails)


def _send(messages) -> None:
    send_mass_mail(messages, fail_silently=False)


def approval_needed(*, request, step, user_ids) -> int:
    return notify_users(
        user_ids=user_ids,
        subject=f"[Cuadra] Approval needed: {describe(request)}",
        body=(f"{describe(request)} awaits your approval (level {step.level}, "
              f"{step.get_approval_mode_display().lower()})."))


def approval_escalated(*, request, step, user_id) -> int:
    return notify_users(
        user_ids=[user_id],
        subject=f"[Cuadra] Escalated approval: {describe(request)}",
        body=(f"Level {step.level} of {describe(request)} has waited more than "
              f"{step.escalation_after_hours} hours. You may approve or reject it."))


def request_approved(*, request) -> int:
    return notify_users(user_ids=[request.requester_id] if request.requester_id else [],
                        subject=f"[Cuadra] Approved: {describe(request)}",
                        body=f"{describe(request)} is approved.")


def request_rejected(*, request) -> int:
    return notify_users(user_ids=[request.requester_id] if request.requester_id else [],
                        subject=f"[Cuadra] Rejected: {describe(request)}",
                        body=f"{describe(request)} was rejected: {request.reason}")
