"""Contabilidad → Asientos: list, detail, the entry form (lines added and removed with htmx,
live totals), and the writes: save a draft, edit it, delete it, post it, reverse a posted
entry. Every write is one ``perform`` call (permission, transaction, audited refusal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cuadra.access.permissions import Action, Path
from cuadra.core.errors import DomainError, ErrorCode, NotFound
from cuadra.core.errors import PermissionDenied as DomainPermissionDenied
from cuadra.core.money import ZERO, DecimalSum
from cuadra.ledger import selectors
from cuadra.ledger import services as ledger
from cuadra.ledger.enums import EntryState
from cuadra.ledger.models import Journal, JournalEntry, JournalLine
from cuadra.ledger.services import review
from cuadra.web.accounting.common import account_name, can, page, parse_amount, parse_date
from cuadra.web.actions import field_errors, perform, require

PAGE_SIZE = 25
NEW_FORM_LINES = 2

# A refusal's headline in the page's language; the service's own message follows it.
REFUSAL_TITLES = {
    ErrorCode.UNBALANCED_ENTRY: gettext_lazy("The entry does not balance."),
    ErrorCode.PERIOD_CLOSED: gettext_lazy("The period is closed."),
    ErrorCode.VALIDATION: gettext_lazy("Please correct the marked fields."),
    ErrorCode.NOT_FOUND: gettext_lazy("Something the entry names does not exist."),
    ErrorCode.INVALID_TRANSITION: gettext_lazy("That is not possible in the entry's state."),
    ErrorCode.PERMISSION_DENIED: gettext_lazy("You may not do that here."),
}


def _entry(request, entry_id) -> JournalEntry:
    """The active company's entry, or 404 (another company's id is never found)."""
    try:
        return selectors.journal_entry_get(company=request.active_company, entry_id=entry_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def money(value: Decimal) -> str:
    return number_format(value, 2, force_grouping=True)


def _refusal(error: DomainError | None, *, debit=None, credit=None) -> dict | None:
    """The refusal as the page shows it. An unbalanced entry is told in the page's language
    and money format (the service's message carries every stored decimal place)."""
    if error is None:
        return None
    message = error.message
    if error.code == ErrorCode.UNBALANCED_ENTRY and debit is not None:
        message = _("Debits %(debit)s and credits %(credit)s differ by %(difference)s.") % {
            "debit": money(debit), "credit": money(credit), "difference": money(debit - credit)}
    return {"code": error.code, "title": REFUSAL_TITLES.get(error.code, _("Refused.")),
            "message": message, "fields": field_errors(error)}


def _forbidden(request, error: DomainError):
    return render(request, "web/forbidden.html", {"message": error.message}, status=403)


# --- list ----------------------------------------------------------------------------------

def _filtered(request, company):
    get = request.GET
    journal = get.get("journal", "")
    qs = selectors.journal_entries_list(
        company=company, state=get.get("state") if get.get("state") in EntryState.values
        else None, date_from=parse_date(get.get("date_from")),
        date_to=parse_date(get.get("date_to")),
        journal_id=int(journal) if journal.isdigit() else None)
    text = get.get("q", "").strip()
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(reference__icontains=text)
                       | Q(memo__icontains=text))
    return qs.select_related("journal")


def _totals_by_entry(entries) -> dict[int, Decimal]:
    sums = (JournalLine.objects.filter(entry_id__in=[e.pk for e in entries])
            .values("entry_id").annotate(d=DecimalSum("debit")).order_by())
    return {s["entry_id"]: s["d"] or ZERO for s in sums}


@login_required
@require_GET
def entry_list(request):
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    company = request.active_company
    paginator = Paginator(_filtered(request, company), PAGE_SIZE)
    current = paginator.get_page(request.GET.get("page"))
    totals = _totals_by_entry(current.object_list)
    rows = [{"entry": e, "total": totals.get(e.pk, ZERO)} for e in current.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return page(request, "entries.html", "entries", {
        "rows": rows, "page_obj": current, "query": query.urlencode(),
        "journals": Journal.objects.filter(company=company).order_by("code"),
        "states": EntryState.choices, "filters": request.GET,
        "can_create": can(request, Path.JOURNAL_ENTRIES, Action.CREATE),
    })


# --- detail and state changes --------------------------------------------------------------

def _detail(request, entry, *, refusal=None, status=200):
    lines = list(entry.lines.select_related("account", "branch").order_by("line_no"))
    for line in lines:
        line.account_label = account_name(line.account)
    link = getattr(entry, "link", None) if entry.state == EntryState.POSTED else None
    reversed_by = JournalEntry.objects.filter(reversal_of=entry).first()
    source = None
    if entry.source_type == "ledger.JournalEntry" and entry.source_id.isdigit():
        source = JournalEntry.objects.filter(company=entry.company,
                                             pk=int(entry.source_id)).first()
    draft = entry.state == EntryState.DRAFT
    return page(request, "entry_detail.html", "entries", {
        "entry": entry, "lines": lines, "link": link, "reversed_by": reversed_by,
        "source_entry": source, "refusal": refusal,
        "total_debit": sum((li.debit for li in lines), ZERO),
        "total_credit": sum((li.credit for li in lines), ZERO),
        "today": timezone.localdate().isoformat(),
        "can": {
            "update": draft and can(request, Path.JOURNAL_ENTRIES, Action.UPDATE),
            "delete": draft and can(request, Path.JOURNAL_ENTRIES, Action.DELETE),
            "post": draft and can(request, Path.JOURNAL_ENTRIES, Action.POST),
            "reverse": (not draft and reversed_by is None and entry.reversal_of_id is None
                        and can(request, Path.JOURNAL_ENTRIES, Action.POST)),
        },
    }, status=status)


@login_required
@require_GET
def entry_detail(request, entry_id: int):
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    return _detail(request, _entry(request, entry_id))


def _post_draft(request, entry):
    review.review_refuse_direct_post(company=request.active_company, entry=entry)
    return ledger.journal_entry_post(company=request.active_company, actor=request.user,
                                     entry=entry)


def _update_draft(request, entry, form):
    review.review_refuse_edit(company=request.active_company, entry=entry)
    return ledger.journal_entry_update(company=request.active_company, actor=request.user,
                                       entry=entry, **form.service_data())


def _post_new(company, actor, form):
    review.review_refuse_direct_post(company=company)
    return ledger.journal_entry_post(company=company, actor=actor, **form.service_data())


@login_required
@require_POST
def entry_post(request, entry_id: int):
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    entry = _entry(request, entry_id)
    posted, error = perform(
        request, operation="web_journal_entry_post", path=Path.JOURNAL_ENTRIES,
        action=Action.POST, write=lambda: _post_draft(request, entry))
    if isinstance(error, DomainPermissionDenied):
        return _forbidden(request, error)
    if error:
        entry = _entry(request, entry_id)
        sums = entry.lines.aggregate(d=DecimalSum("debit"), c=DecimalSum("credit"))
        return _detail(request, entry, status=400, refusal=_refusal(
            error, debit=sums["d"] or ZERO, credit=sums["c"] or ZERO))
    messages.success(request, _("Entry %(number)s posted.") % {"number": posted.number})
    return redirect("web:accounting_entry", entry_id=posted.pk)


@login_required
@require_POST
def entry_reverse(request, entry_id: int):
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    entry = _entry(request, entry_id)
    date = parse_date(request.POST.get("date"), timezone.localdate())
    reversal, error = perform(
        request, operation="web_journal_entry_reverse", path=Path.JOURNAL_ENTRIES,
        action=Action.POST, write=lambda: ledger.journal_entry_reverse(
            company=request.active_company, actor=request.user, entry=entry, date=date))
    if isinstance(error, DomainPermissionDenied):
        return _forbidden(request, error)
    if error:
        return _detail(request, entry, refusal=_refusal(error), status=400)
    messages.success(request, _("Entry %(number)s reverses %(original)s.") % {
        "number": reversal.number, "original": entry.number})
    return redirect("web:accounting_entry", entry_id=reversal.pk)


@login_required
@require_POST
def entry_delete(request, entry_id: int):
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    entry = _entry(request, entry_id)
    _result, error = perform(
        request, operation="web_journal_entry_delete", path=Path.JOURNAL_ENTRIES,
        action=Action.DELETE, write=lambda: ledger.journal_entry_delete(
            company=request.active_company, actor=request.user, entry=entry))
    if isinstance(error, DomainPermissionDenied):
        return _forbidden(request, error)
    if error:
        return _detail(request, entry, refusal=_refusal(error), status=400)
    messages.success(request, _("Draft deleted."))
    return redirect("web:accounting_entries")


# --- the entry form ------------------------------------------------------------------------

@dataclass
class FormLine:
    account: str = ""
    label: str = ""
    debit: str = ""
    credit: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not (self.account or self.label or self.debit.strip() or self.credit.strip())


@dataclass
class EntryForm:
    journal: str = "GEN"
    date: str = ""
    reference: str = ""
    memo: str = ""
    lines: list[FormLine] = field(default_factory=list)

    @classmethod
    def from_post(cls, post) -> EntryForm:
        columns = [post.getlist(f"line_{name}") for name in ("account", "label", "debit",
                                                             "credit")]
        rows = max((len(c) for c in columns), default=0)
        lines = [FormLine(*(c[i] if i < len(c) else "" for c in columns)) for i in range(rows)]
        return cls(journal=post.get("journal", ""), date=post.get("date", ""),
                   reference=post.get("reference", ""), memo=post.get("memo", ""),
                   lines=lines)

    @classmethod
    def from_entry(cls, entry: JournalEntry) -> EntryForm:
        lines = [FormLine(account=li.account.code, label=li.label,
                          debit=_plain(li.amount_currency) if li.amount_currency > 0 else "",
                          credit=_plain(-li.amount_currency) if li.amount_currency < 0 else "")
                 for li in entry.lines.select_related("account").order_by("line_no")]
        return cls(journal=entry.journal.code, date=entry.date.isoformat(),
                   reference=entry.reference, memo=entry.memo, lines=lines)

    def used_lines(self) -> list[tuple[int, FormLine]]:
        """(row on the form, line) of every row the user filled in; blank rows are ignored."""
        return [(i, line) for i, line in enumerate(self.lines) if not line.blank]

    def service_data(self) -> dict:
        return {"journal": self.journal, "date": self.date or None,
                "reference": self.reference.strip(), "memo": self.memo.strip(),
                "lines": [{"account": line.account or None, "label": line.label.strip(),
                           "debit": _clean(line.debit), "credit": _clean(line.credit)}
                          for _row, line in self.used_lines()]}

    def totals(self) -> dict:
        debit = sum((parse_amount(li.debit) or ZERO for li in self.lines), ZERO)
        credit = sum((parse_amount(li.credit) or ZERO for li in self.lines), ZERO)
        return {"debit": debit, "credit": credit, "difference": debit - credit,
                "balanced": debit == credit and debit != 0}

    def attach_errors(self, fields: dict[str, str]) -> dict[str, str]:
        """Put line errors on their rows (service indexes count filled rows only); return
        the rest (header fields, the entry as a whole)."""
        rows = [row for row, _line in self.used_lines()]
        rest = {}
        for name, message in fields.items():
            index = _line_index(name)
            if index is not None and index < len(rows):
                self.lines[rows[index]].errors.append(message)
            else:
                rest[name] = message
        return rest


def _line_index(name: str) -> int | None:
    if name.startswith("lines[") and "]" in name:
        number = name[len("lines["):name.index("]")]
        return int(number) if number.isdigit() else None
    return None


def _plain(amount: Decimal) -> str:
    """An amount as the form shows it: no exponent, no trailing zeros past the cents."""
    text = format(amount.normalize(), "f")
    whole, _dot, cents = text.partition(".")
    return f"{whole}.{cents.ljust(2, '0')}"


def _clean(text: str) -> str | None:
    text = (text or "").strip().replace(",", "")
    return text or None


def _form_context(request, form: EntryForm, *, entry=None, refusal=None) -> dict:
    company = request.active_company
    accounts = [(a.code, f"{a.code} · {account_name(a)}") for a in
                selectors.accounts_list(company=company, postable_only=True, active_only=True)]
    header_errors = form.attach_errors(refusal["fields"]) if refusal else {}
    return {"form": form, "entry": entry, "accounts": accounts, "refusal": refusal,
            "errors": header_errors, "totals": form.totals(),
            "journals": Journal.objects.filter(company=company, is_active=True).order_by("code"),
            "can_post": can(request, Path.JOURNAL_ENTRIES, Action.POST)}


def _render_form(request, form, *, entry=None, refusal=None, status=200):
    return page(request, "entry_form.html", "entries",
                _form_context(request, form, entry=entry, refusal=refusal), status=status)


def _new_form() -> EntryForm:
    return EntryForm(date=timezone.localdate().isoformat(),
                     lines=[FormLine() for _ in range(NEW_FORM_LINES)])


@login_required
def entry_new(request):
    require(request, Path.JOURNAL_ENTRIES, Action.CREATE)
    if request.method != "POST":
        return _render_form(request, _new_form())
    form = EntryForm.from_post(request.POST)
    company, actor = request.active_company, request.user
    if "post_now" in request.POST:
        # Save and post in one use case: a refusal leaves no draft behind either.
        result, error = perform(
            request, operation="web_journal_entry_post", path=Path.JOURNAL_ENTRIES,
            action=Action.POST, write=lambda: _post_new(company, actor, form))
    else:
        result, error = perform(
            request, operation="web_journal_entry_create", path=Path.JOURNAL_ENTRIES,
            action=Action.CREATE, write=lambda: ledger.journal_entry_create(
                company=company, actor=actor, **form.service_data()))
    if isinstance(error, DomainPermissionDenied):
        return _forbidden(request, error)
    if error:
        sums = form.totals()
        return _render_form(request, form, status=400, refusal=_refusal(
            error, debit=sums["debit"], credit=sums["credit"]))
    if result.state == EntryState.POSTED:
        messages.success(request, _("Entry %(number)s posted.") % {"number": result.number})
    else:
        messages.success(request, _("Draft saved."))
    return redirect("web:accounting_entry", entry_id=result.pk)


@login_required
def entry_edit(request, entry_id: int):
    require(request, Path.JOURNAL_ENTRIES, Action.UPDATE)
    entry = _entry(request, entry_id)
    if entry.state != EntryState.DRAFT:
        messages.error(request, _("A posted entry is never edited; reverse it instead."))
        return redirect("web:accounting_entry", entry_id=entry.pk)
    if request.method != "POST":
        return _render_form(request, EntryForm.from_entry(entry), entry=entry)
    form = EntryForm.from_post(request.POST)
    _result, error = perform(
        request, operation="web_journal_entry_update", path=Path.JOURNAL_ENTRIES,
        action=Action.UPDATE, write=lambda: _update_draft(request, entry, form))
    if isinstance(error, DomainPermissionDenied):
        return _forbidden(request, error)
    if error:
        return _render_form(request, form, entry=entry, refusal=_refusal(error), status=400)
    messages.success(request, _("Draft saved."))
    return redirect("web:accounting_entry", entry_id=entry.pk)


# --- htmx fragments ------------------------------------------------------------------------

@login_required
@require_POST
def entry_form_lines(request):
    """Add a line (``op=add``) or remove one (``op=remove``, ``index``): the lines table is
    re-rendered from what the form holds, so typed values survive."""
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    form = EntryForm.from_post(request.POST)
    op, index = request.POST.get("op"), request.POST.get("index", "")
    if op == "add":
        form.lines.append(FormLine())
    elif op == "remove" and index.isdigit() and int(index) < len(form.lines):
        del form.lines[int(index)]
        if not form.lines:
            form.lines.append(FormLine())
    return render(request, "web/accounting/_entry_lines.html",
                  _form_context(request, form))


@login_required
@require_POST
def entry_form_totals(request):
    """The debit and credit totals and their difference, for what the form holds now."""
    require(request, Path.JOURNAL_ENTRIES, Action.VIEW)
    form = EntryForm.from_post(request.POST)
    return render(request, "web/accounting/_entry_totals.html", {"totals": form.totals()})
