"""``cuadra ledger verify | checkpoint | rebuild-balances [--company CODE]``."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from cuadra.ledger import selectors
from cuadra.ledger.services import balances_rebuild
from cuadra.tenancy.models import Company


class Command(BaseCommand):
    help = ("verify: recompute each company's hash chain (exit 1 at the first broken link); "
            "checkpoint: print the chain head to keep and compare later; "
            "rebuild-balances: recompute the balance rollups from the lines.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "rebuild-balances"])
        parser.add_argument("--company", help="company code (default: every company)")

    def _companies(self, code):
        if code:
            company = Company.objects.filter(code=code.strip().upper()).first()
            if company is None:
                raise CommandError(f"No company {code}.")
            return [company]
        return list(Company.objects.order_by("code"))

    def handle(self, *args, action, company=None, **options):
        companies = self._companies(company)
        prefix = (lambda c: "") if company else (lambda c: f"{c.code}: ")
        if action == "verify":
            self._verify(companies, prefix)
        elif action == "checkpoint":
            for c in companies:
                cp = selectors.ledger_checkpoint(company=c)
                self.stdout.write(f"company {cp.company} entries {cp.entries} "
                                  f"head {cp.head_hash} at {cp.at.isoformat()}")
        else:
            for c in companies:
                rows = balances_rebuild(company=c)
                self.stdout.write(f"{prefix(c)}rebuilt {rows} balance rows")

    def _verify(self, companies, prefix):
        broken = False
        for c in companies:
            result = selectors.ledger_verify(company=c)
            if result.ok:
                self.stdout.write(f"{prefix(c)}OK {result.entries} entries, "
                                  f"head {result.head_hash}")
            else:
                broken = True
                self.stdout.write(f"{prefix(c)}BROKEN at entry {result.broken_entry_number}: "
                                  f"field {result.field} ({result.message}); "
                                  f"{result.entries} entries verified before it")
        if broken:
            sys.exit(1)
