"""The active company of a web request, and the language its pages speak.

The company is the one stored in the session by the switcher, else the user's first
company; a code the user no longer holds a role in is ignored, never trusted. The API
chooses its company with ``X-Company`` instead, so ``/graphql`` is left alone."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from cuadra.access.middleware import SESSION_COMPANY_KEY
from cuadra.access.selectors import companies_for_user


class ActiveCompanyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.active_company = None
        request.user_companies = []
        if request.path.startswith("/graphql"):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._resolve_company(request, user)
        self._activate_language(request)
        return self.get_response(request)

    @staticmethod
    def _resolve_company(request, user) -> None:
        companies = list(companies_for_user(user=user))
        wanted = request.session.get(SESSION_COMPANY_KEY)
        chosen = next((c for c in companies if c.code == wanted), None)
        request.user_companies = companies
        request.active_company = chosen or (companies[0] if companies else None)

    @staticmethod
    def _activate_language(request) -> None:
        """A language the user picked (the set_language cookie) wins; otherwise the pages
        speak the active company's language, and before sign-in the site default
        (Spanish), not whatever the browser asks for."""
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return
        company = request.active_company
        language = company.language if company is not None else settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
