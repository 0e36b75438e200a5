from django.db import migrations

from cuadra.core.db import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [AppendOnlyTrigger("core_auditlog")]
