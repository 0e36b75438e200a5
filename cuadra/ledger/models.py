"""The books: chart of accounts, journals, entries and lines, periods, the hash chain and
the balance rollups.

Only ``cuadra.ledger.services`` writes these rows (DESIGN.md invariant 2). Posted entries,
their lines and chain rows refuse change at three levels: ``save()``/``delete()``, queryset
``update()``/``delete()``, and a database trigger (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cuadra.core.errors import ImmutableRecord
from cuadra.core.models import AppendOnlyModel, BaseModel
from cuadra.core.money import MoneyField
from cuadra.ledger.enums import (
    AccountRole,
    AccountType,
    EntryState,
    JournalKind,
    PeriodState,
)
from cuadra.tenancy.models import Branch, Company, TenantModel, TenantQuerySet

RATE_DIGITS = 38
RATE_PLACES = 18


class Account(TenantModel):
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    code = models.CharField(_("code"), max_length=32)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=16, choices=AccountType.choices)
    role = models.CharField(_("role"), max_length=24, choices=AccountRole.choices, blank=True)
    is_group = models.BooleanField(_("group"), default=False,
                                   help_text="Groups sum their children; nothing posts to them")
    currency = models.CharField(_("currency lock"), max_length=3, blank=True,
                                help_text="If set, lines on this account use only this currency")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="account_company_code"),
        ]
        indexes = [models.Index(fields=["company", "role"], name="account_company_role")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_es}"

    def delete(self, *args, **kwargs):
        # an account that carries lines is history: deactivate it instead
        if JournalLine.objects.filter(account=self).exists():
            raise ImmutableRecord(f"Account {self.code} has journal lines; deactivate it.")
        return super().delete(*args, **kwargs)


class Journal(TenantModel):
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=JournalKind.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="journal_company_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ExchangeRate(TenantModel):
    """Units of company currency per one unit of ``currency`` on ``date``."""

    currency = models.CharField(max_length=3)
    date = models.DateField()
    rate = MoneyField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES)

    class Meta:
        ordering = ["company", "currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "currency", "date"],
                                    name="fxrate_company_currency_date"),
        ]


class FiscalYear(TenantModel):
    name = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["company", "start"]
        constraints = [
            models.UniqueConstraint(fields=["company", "start"], name="fiscalyear_company_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Period(TenantModel):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="periods")
    name = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    state = models.CharField(max_length=8, choices=PeriodState.choices,
                             default=PeriodState.OPEN)

    class Meta:
        ordering = ["company", "start"]
        constraints = [
            models.UniqueConstraint(fields=["company", "start"], name="period_company_start"),
        ]

    def __str__(self) -> str:
        return self.name


class _PostedGuard:
    """Refuses queryset writes that would touch a posted row (filter ``posted_q``)."""

    posted_q: Q

    def update(self, **kwargs):
        if self.filter(self.posted_q).exists():
            raise ImmutableRecord(f"Posted {self.model.__name__} rows are never updated.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(self.posted_q).exists():
            raise ImmutableRecord(f"Posted {self.model.__name__} rows are never deleted.")
        return super().delete()


class JournalEntryQuerySet(_PostedGuard, TenantQuerySet):
    posted_q = Q(state=EntryState.POSTED)


class JournalLineQuerySet(_PostedGuard, TenantQuerySet):
    posted_q = Q(entry__state=EntryState.POSTED)


class JournalEntry(TenantModel):
    # company leads entry_company_state_date and the unique keys: no index of its own
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    number = models.CharField(_("number"), max_length=64, blank=True,
                              help_text="Legal number, taken when posted; blank in draft")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    memo = models.TextField(_("memo"), blank=True)
    source_type = models.CharField(max_length=40, blank=True,
                                   help_text="document type that produced the entry")
    source_id = models.CharField(max_length=64, blank=True)
    currency = models.CharField(max_length=3)
    exchange_rate = MoneyField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, default=1)
    state = models.CharField(max_length=8, choices=EntryState.choices,
                             default=EntryState.DRAFT)
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    reversal_of = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="reversed_by")
    chain_seq = models.BigIntegerField(null=True, blank=True,
                                       help_text="position in the company's hash chain")

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["company", "-date", "-id"]
        verbose_name_plural = "journal entries"
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], condition=~Q(number=""),
                                    name="entry_company_number"),
            models.UniqueConstraint(fields=["company", "idempotency_key"],
                                    condition=~Q(idempotency_key=""),
                                    name="entry_company_idem"),
            models.UniqueConstraint(fields=["company", "chain_seq"],
                                    condition=Q(chain_seq__isnull=False),
                                    name="entry_company_chain_seq"),
            models.CheckConstraint(
                condition=Q(state=EntryState.DRAFT, number="")
                | Q(state=EntryState.POSTED) & ~Q(number=""),
                name="entry_number_iff_posted"),
        ]
        indexes = [
            models.Index(fields=["company", "state", "date"], name="entry_company_state_date"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_state = instance.__dict__.get("state")
        return instance

    def _is_stored_posted(self) -> bool:
        return not self._state.adding and getattr(self, "_stored_state", None) == \
            EntryState.POSTED

    def save(self, *args, **kwargs):
        if self._is_stored_posted():
            raise ImmutableRecord(f"Entry {self.number} is posted; reverse it instead.")
        super().save(*args, **kwargs)
        self._stored_state = self.state

    def delete(self, *args, **kwargs):
        if self._is_stored_posted() or self.state == EntryState.POSTED:
            raise ImmutableRecord(f"Entry {self.number} is posted; reverse it instead.")
        return super().delete(*args, **kwargs)


class JournalLine(TenantModel):
    """``debit``/``credit`` are in company currency (what balances and reports use);
    ``amount_currency`` is the signed amount in the line's ``currency`` and
    ``exchange_rate`` the company-currency units per unit of it."""

    # no single-column index on company: line_company_account starts with it (every
    # index is written by each posted line)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField()
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    label = models.CharField(max_length=200, blank=True)
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)
    currency = models.CharField(max_length=3)
    amount_currency = MoneyField(default=0)
    exchange_rate = MoneyField(max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, default=1)
    partner = models.CharField(max_length=64, blank=True,
                               help_text="client/supplier reference (free until contacts land)")
    due_date = models.DateField(null=True, blank=True)
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    cost_center = models.CharField(max_length=32, blank=True)
    project = models.CharField(max_length=32, blank=True)

    objects = JournalLineQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line_no"], name="line_entry_no"),
        ]
        indexes = [
            models.Index(fields=["company", "account"], name="line_company_account"),
        ]

    def _entry_posted(self) -> bool:
        return JournalEntry.objects.filter(pk=self.entry_id, state=EntryState.POSTED).exists()

    def save(self, *args, **kwargs):
        if not self._state.adding and self._entry_posted():
            raise ImmutableRecord("Lines of a posted entry are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._entry_posted():
            raise ImmutableRecord("Lines of a posted entry are never deleted.")
        return super().delete(*args, **kwargs)


class LedgerChainHead(models.Model):
    """The company's chain tip. Posting locks this row, so posts serialise per company
    and never across companies."""

    company = models.OneToOneField(Company, on_delete=models.PROTECT, related_name="+",
                                   primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.company_id}: {self.seq} {self.hash[:12]}"


class LedgerAuditLog(AppendOnlyModel):
    """One link per posted entry: ``hash = sha256(prev_hash + canonical)``. ``canonical``
    keeps the serialised entry so ``verify`` can name the field that changed."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    seq = models.BigIntegerField()
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="link")
    entry_number = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    canonical = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.seq} {self.entry_number} {self.hash[:12]}"

    class Meta:
        db_table = "ledger_audit_log"
        ordering = ["company", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["company", "seq"], name="chain_company_seq"),
        ]


class AccountBalance(BaseModel):
    """Posted debit and credit per (account, period, branch, cost centre, project), kept
    by the posting service so reports read a row per key instead of every line. The report
    dimensions are part of the key so a filtered report is still a rollup read;
    ``cost_center``/``project`` are the line's short codes, '' for none."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Branch, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    # NULL never equals NULL in a unique index; 0 stands for "no branch" so the key is unique
    branch_key = models.BigIntegerField(default=0)
    cost_center = models.CharField(max_length=32, blank=True, default="")
    project = models.CharField(max_length=32, blank=True, default="")
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "account", "period", "branch_key",
                                            "cost_center", "project"],
                                    name="balance_key"),
        ]
        indexes = [models.Index(fields=["company", "period"], name="balance_company_period")]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}: {self.debit} / {self.credit}"


class AccountPeriodTotal(BaseModel):
    """Posted debit and credit per (account, period) over every branch, cost centre and
    project: the sum of the account's ``AccountBalance`` rows of the period, kept by the
    posting service with them. A report without filters reads one row per account and
    month (a year of a ~100-account chart: ~1,200 rows however many dimension values the
    lines carry); a filtered one reads ``AccountBalance``."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                db_index=False)  # leads the unique key
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    debit = MoneyField(default=0)
    credit = MoneyField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "account", "period"],
                                    name="total_company_account_period"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}: {self.debit} / {self.credit}"


# --- operations: recurring entries, opening balances, entry review -------------------------
# (year-end closing and chart import/export need no tables of their own)

class RecurringFrequency(models.TextChoices):
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"


class RecurringEntry(TenantModel):
    """A template the beat task posts once per period. ``lines`` holds
    ``[{account: id, debit: "10.00", credit: null, label, partner, branch: id,
    cost_center, project}]`` with amounts as decimal strings (exact; never floats)."""

    name = models.CharField(max_length=100)
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+")
    memo = models.TextField(blank=True)
    reference = models.CharField(max_length=100, blank=True)
    lines = models.JSONField(default=list)
    frequency = models.CharField(max_length=8, choices=RecurringFrequency.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        help_text="1-31; a shorter month posts on its last day")
    is_active = models.BooleanField(default=True)
    last_error = models.TextField(blank=True, help_text="why the last due post was refused")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["company", "name", "id"]
        verbose_name_plural = "recurring entries"
        indexes = [models.Index(fields=["company", "is_active"], name="recurring_company_active")]

    def __str__(self) -> str:
        return self.name


class RecurringEntryRun(TenantModel):
    """One row per (template, period) posted: the unique key is what makes the beat task
    post each occurrence once however often it runs."""

    template = models.ForeignKey(RecurringEntry, on_delete=models.PROTECT, related_name="runs")
    period_key = models.CharField(max_length=7, help_text="YYYY-MM, or YYYY when yearly")
    date = models.DateField()
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["company", "template", "date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "template", "period_key"],
                                    name="recurring_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.template_id}@{self.period_key}"


class ImportStatus(models.TextChoices):
    """Seed 001 ``process_status`` of an opening balance import."""

    NEW = "new"
    PROCESSING = "processing"
    FINAL = "final"
    ERROR = "error"


class OpeningBalanceImport(TenantModel):
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(help_text="the uploaded file, processed by a task")
    date = models.DateField(help_text="date of the opening entry")
    process_status = models.CharField(max_length=12, choices=ImportStatus.choices,
                                      default=ImportStatus.NEW)
    rows = models.PositiveIntegerField(default=0)
    total_debit = MoneyField(default=0)
    total_credit = MoneyField(default=0)
    entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["company", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "idempotency_key"],
                                    condition=~Q(idempotency_key=""),
                                    name="opening_import_company_idem"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.process_status})"


class OpeningBalanceRowError(TenantModel):
    """What is wrong with the file: ``row`` is the spreadsheet row (header = 1); null for
    the file as a whole (e.g. totals that do not balance)."""

    opening_import = models.ForeignKey(OpeningBalanceImport, on_delete=models.CASCADE,
                                       related_name="errors")
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["opening_import", "id"]

    def __str__(self) -> str:
        return f"row {self.row} {self.column}: {self.message}"


# documents is a lower layer (DESIGN.md layout); imported here to keep the new
# classes in one appended block
from cuadra.documents.models import LifecycleDocument  # noqa: E402


class JournalEntryReview(LifecycleDocument):
    """The seed's general-journal review (new → audit → confirm) of one manual draft.
    It is a lifecycle document of its own, so ``JournalEntry.state`` (draft/posted, which
    the immutability triggers key on) stays untouched; the ledger posts the draft at the
    ``entry_audit`` stage (``confirm`` in the review preset). Who audited and confirmed is
    read from the document history."""

    document_type = "JOURNAL_ENTRY"
    status = models.CharField(max_length=32, db_index=True, choices=[
        ("draft", "Draft"), ("issued", "Issued"), ("voided", "Voided"),
        ("cancelled", "Cancelled"), ("audited", "Audited"), ("confirmed", "Confirmed")])
    entry = models.OneToOneField(JournalEntry, on_delete=models.CASCADE,
                                 related_name="review")

    class Meta:
        ordering = ["company", "-id"]

    def __str__(self) -> str:
        return f"review of entry {self.entry_id}: {self.status}"

    def lifecycle_requester_id(self) -> int | None:
        return self.entry.created_by_id if self.entry_id else None
