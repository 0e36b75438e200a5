"""Request context, bearer-token authentication and the active company.

* Every request gets a request id (``X-Request-ID`` or a new one) and its client IP in the
  audit context.
* ``Authorization: Bearer <token>`` authenticates API requests; a bad or revoked token is
  remembered on the request and refused by the API rather than silently ignored.
* The active company comes from ``X-Company`` (API) or the session (web); the API checks
  that the user holds a role there before any resolver runs.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser

from cuadra.access.services import token_authenticate
from cuadra.core.context import request_context

SESSION_COMPANY_KEY = "cuadra_company"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request.auth_error = None
        request.auth_token_used = False
        self._authenticate_bearer(request)
        request.company_code = (request.headers.get("X-Company")
                                or (request.session.get(SESSION_COMPANY_KEY)
                                    if hasattr(request, "session") else None))
        request.company_code_from_header = "X-Company" in request.headers
        source = "api" if request.path.startswith("/graphql") else "web"
        with request_context(request_id=request_id[:64], ip=client_ip(request), source=source):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id[:64]
        return response

    @staticmethod
    def _authenticate_bearer(request) -> None:
        header = request.headers.get("Authorization", "")
        if not header:
            return
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            request.auth_error = "Malformed Authorization header; use 'Bearer <token>'."
            request.user = AnonymousUser()
            return
        user = token_authenticate(raw=raw)
        request.auth_token_used = True
        if user is None:
            request.auth_error = "Invalid or revoked API token."
            request.user = AnonymousUser()
        else:
            request.user = user
            # A token request is stateless: CSRF protects cookies, not bearer tokens.
            request._dont_enforce_csrf_checks = True
