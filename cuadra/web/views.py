"""The web shell: sign-in, company switcher, home page and the section placeholders.

Views stay thin: they read through selectors and render; the only state they change is
the session's active company."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cuadra.access.middleware import SESSION_COMPANY_KEY, client_ip
from cuadra.access.permissions import BUILTIN_ROLES
from cuadra.access.selectors import assignments_for_company, company_for_user
from cuadra.access.services import login_failure_record, login_success_record, login_throttle_check
from cuadra.approvals.selectors import pending_approvals_for
from cuadra.core.audit import audit_refusal
from cuadra.core.errors import NotFound, PermissionDenied, RateLimited
from cuadra.tenancy.selectors import branch_get
from cuadra.web.sections import SECTIONS_BY_KEY

HEAD_OFFICE = "0000"

# Built-in role names are stored in English; show them in the page's language unless the
# organization renamed them.
BUILTIN_ROLE_LABELS = {
    "owner": gettext_lazy("Owner"),
    "accountant": gettext_lazy("Accountant"),
    "sales": gettext_lazy("Sales"),
    "purchasing": gettext_lazy("Purchasing"),
    "warehouse": gettext_lazy("Warehouse"),
    "auditor": gettext_lazy("Auditor"),
}


class ThrottledAuthenticationForm(AuthenticationForm):
    """The web sign-in shares the GraphQL login's throttle: failures per (username, IP)
    are counted, and past the limit the form refuses before checking the password."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        try:
            login_throttle_check(username=username, ip=ip)
        except RateLimited:
            raise ValidationError(
                _("Too many failed sign-in attempts. Try again in a few minutes."),
                code=RateLimited.code) from None
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(username=username, ip=ip)
            raise
        login_success_record(user=self.get_user(), username=username, ip=ip)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm


def role_label(role) -> str:
    builtin = BUILTIN_ROLES.get(role.key)
    if role.is_builtin and builtin and role.name == builtin["name"]:
        return str(BUILTIN_ROLE_LABELS.get(role.key, role.name))
    return role.name


def _head_office(company):
    try:
        return branch_get(company=company, code=HEAD_OFFICE)
    except NotFound:
        return None


@login_required
def home(request):
    company = request.active_company
    roles = []
    if company is not None:
        assignments = assignments_for_company(company=company).filter(user=request.user)
        roles = sorted(role_label(a.role) for a in assignments)
    return render(request, "web/home.html", {
        "company": company,
        "branch": _head_office(company) if company else None,
        "roles": roles,
        # seed 002: approval-pending counts surface on the home page of every approver
        "pending_approvals": (pending_approvals_for(company=company, user=request.user).count()
                              if company else 0),
    })


@login_required
def unavailable(request, section: str):
    """One honest page for every section whose issue has not shipped yet."""
    if section not in SECTIONS_BY_KEY:
        raise Http404(section)
    return render(request, "web/unavailable.html", {"section": SECTIONS_BY_KEY[section]})


@login_required
@require_POST
def company_switch(request):
    code = request.POST.get("code", "")
    try:
        company = company_for_user(user=request.user, code=code)
    except PermissionDenied as exc:
        audit_refusal(actor=request.user, company_id=None, operation="web_company_switch",
                      error_code=exc.code, message=str(exc), attempted={"code": code[:20]})
        return render(request, "web/forbidden.html",
                      {"message": _("You hold no role in that company.")}, status=403)
    request.session[SESSION_COMPANY_KEY] = company.code
    messages.success(request, _("Active company: %(name)s") % {"name": company.name})
    return redirect(_safe_next(request))


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return "web:home"
