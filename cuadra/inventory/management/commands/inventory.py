"""``cuadra inventory verify [--company CODE]`` and
``cuadra inventory snapshot --period-end YYYY-MM-DD [--company CODE]``."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from cuadra.inventory import selectors, services
from cuadra.tenancy.models import Company


class Command(BaseCommand):
    help = ("verify: remaining layers = stock value per (item, warehouse) = the inventory "
            "accounts, quantities = the sum of moves (exit 1 naming what differs); "
            "snapshot: store balances at the end of --period-end.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "snapshot"])
        parser.add_argument("--company", help="company code (default: every company)")
        parser.add_argument("--period-end", help="YYYY-MM-DD (snapshot)")

    def _companies(self, code):
        if code:
            company = Company.objects.filter(code=code.strip().upper()).first()
            if company is None:
                raise CommandError(f"No company {code}.")
            return [company]
        return list(Company.objects.order_by("code"))

    def handle(self, *args, action, company=None, period_end=None, **options):
        companies = self._companies(company)
        if action == "snapshot":
            if not period_end:
                raise CommandError("snapshot needs --period-end YYYY-MM-DD.")
            end = dt.date.fromisoformat(period_end)
            for c in companies:
                rows = services.stock_snapshots_close(company=c, period_end=end)
                self.stdout.write(f"{c.code}: {rows} snapshot rows at {end.isoformat()}")
            return
        broken = False
        for c in companies:
            result = selectors.inventory_verify(company=c)
            if result.ok:
                self.stdout.write(f"{c.code}: OK stock value "
                                  f"{selectors.valuation_total(company=c)}")
            else:
                broken = True
                for problem in result.problems:
                    self.stdout.write(f"{c.code}: {problem}")
        if broken:
            sys.exit(1)
