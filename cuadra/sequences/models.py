"""Number series, their per-period counter rows, and the register of issued numbers."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cuadra.core.models import AppendOnlyModel
from cuadra.sequences.enums import MAX_NUMBER_LENGTH, DocumentType, ResetStrategy
from cuadra.tenancy.models import TenantModel


class AutoSequence(TenantModel):
    """The configuration of one series: (company, document type, branch).

    The counters live in ``SequenceCounter`` rows, one per period, so issuing a number
    never writes (or locks) this row: editing a series and issuing from it do not contend
    beyond the one counter row involved.
    """

    document_type = models.CharField(_("document type"), max_length=32,
                                     choices=DocumentType.choices)
    prefix = models.CharField(_("prefix"), max_length=40, blank=True,
                              help_text="Literal text with optional {YYYY} {YY} {MM} tokens "
                                        "taken from the document date, e.g. FAC-{YYYY}-")
    padding = models.PositiveSmallIntegerField(_("padding"), default=6,
                                               help_text="Zero-pad the counter to N digits")
    reset_strategy = models.CharField(_("reset strategy"), max_length=8,
                                      choices=ResetStrategy.choices,
                                      default=ResetStrategy.YEARLY)
    branch_code = models.CharField(_("branch code"), max_length=4, blank=True, default="",
                                   help_text="Empty: the company-wide series; a branch code: "
                                             "that branch's own sub-series")
    enforce_chronology = models.BooleanField(
        _("enforce chronology"), default=True,
        help_text="Refuse a document dated before the last one numbered in the same period")

    class Meta:
        ordering = ["company_id", "document_type", "branch_code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "document_type", "branch_code"],
                                    name="autosequence_company_type_branch"),
            models.CheckConstraint(condition=models.Q(padding__gte=1, padding__lte=12),
                                   name="autosequence_padding_1_12"),
        ]

    def __str__(self) -> str:
        branch = f" [{self.branch_code}]" if self.branch_code else ""
        return f"{self.document_type}{branch} {self.prefix}"


class SequenceCounter(TenantModel):
    """The last value issued by one series in one period ('' for NEVER, 'YYYY', 'YYYY-MM').

    ``sequence_next`` locks this row for the issuing transaction: only issuers of the same
    series and period ever wait on each other.
    """

    sequence = models.ForeignKey(AutoSequence, on_delete=models.CASCADE,
                                 related_name="counters")
    period_key = models.CharField(max_length=7, blank=True)
    last_value = models.PositiveBigIntegerField(default=0)
    last_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["sequence_id", "period_key"]
        constraints = [
            models.UniqueConstraint(fields=["company", "sequence", "period_key"],
                                    name="seqcounter_company_seq_period"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence_id}/{self.period_key or '-'}: {self.last_value}"


class IssuedNumber(AppendOnlyModel):
    """Every legal number ever issued. Append-only (model, queryset and a trigger); the
    unique constraint makes a second issue of the same number impossible even if a series
    is reconfigured, and the rows are the high-water marks that outlive any counter."""

    company = models.ForeignKey("tenancy.Company", on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(max_length=32, choices=DocumentType.choices)
    number = models.CharField(max_length=MAX_NUMBER_LENGTH)
    sequence = models.ForeignKey(AutoSequence, on_delete=models.PROTECT,
                                 related_name="issued_numbers")
    period_key = models.CharField(max_length=7, blank=True)
    value = models.PositiveBigIntegerField()
    date = models.DateField(help_text="The document date the number was issued for")
    issued_at = models.DateTimeField(default=timezone.now)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["company_id", "document_type", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "document_type", "number"],
                                    name="issuednumber_company_type_number"),
            models.UniqueConstraint(fields=["company", "sequence", "period_key", "value"],
                                    name="issuednumber_company_seq_period_value"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.number}"
