from django.db import migrations

from cuadra.core.db import AppendOnlyTrigger


class Migration(migrations.Migration):
    """An issued number is never changed or removed, whatever code runs."""

    dependencies = [("sequences", "0001_initial")]

    operations = [AppendOnlyTrigger("sequences_issuednumber")]
