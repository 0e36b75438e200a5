from django.db import migrations

from cuadra.core.db import AppendOnlyTrigger


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [AppendOnlyTrigger("documents_documenthistory")]
