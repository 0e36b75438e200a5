from django.core.management.base import BaseCommand
from django.db import transaction

from cuadra.demo import (
    approvals,
    catalog,
    contacts,
    inventory,
    ledger,
    platform,
    purchasing,
    sales,
)


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it twice adds nothing twice)."

    def handle(self, *args, **options):
        with transaction.atomic():
            result = platform.load()
            ledger.load(company=result.demo, actor=result.owner)
            contacts.load(company=result.demo, actor=result.owner)
            approvals.load(company=result.demo, actor=result.owner)
            catalog.load(company=result.demo, actor=result.owner,
                         other_companies=[result.otra])
            sales.load(company=result.demo, actor=result.owner)
            purchasing.load(company=result.demo, actor=result.owner)
            inventory.load(company=result.demo, actor=result.owner)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: companies {result.demo.code} and {result.otra.code}; "
            "log in as demo / demo"))
