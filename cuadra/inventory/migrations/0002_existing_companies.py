"""Companies created before the inventory app get what the company-created hook gives a
new one: the settings row and the PRINCIPAL warehouse (on the head office branch)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Company = apps.get_model("tenancy", "Company")
    Branch = apps.get_model("tenancy", "Branch")
    Warehouse = apps.get_model("inventory", "Warehouse")
    Settings = apps.get_model("inventory", "InventorySettings")
    for company in Company.objects.all():
        Settings.objects.get_or_create(company=company)
        if not Warehouse.objects.filter(company=company, code="PRINCIPAL").exists():
            branch = Branch.objects.filter(company=company).order_by("code").first()
            Warehouse.objects.create(company=company, code="PRINCIPAL",
                                     name="Bodega principal", branch=branch)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial"), ("tenancy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
