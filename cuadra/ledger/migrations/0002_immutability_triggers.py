"""Posted entries, their lines, chain links and locked periods refuse UPDATE and DELETE in
the database itself (DESIGN.md invariant 2), on PostgreSQL and SQLite alike."""

from django.db import migrations

from cuadra.core.db import AppendOnlyTrigger

LINE_OF_POSTED_ENTRY = (
    "EXISTS (SELECT 1 FROM ledger_journalentry e "
    "WHERE e.id = OLD.entry_id AND e.state = 'posted')"
)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        AppendOnlyTrigger("ledger_journalentry", condition="OLD.state = 'posted'"),
        AppendOnlyTrigger("ledger_journalline", condition=LINE_OF_POSTED_ENTRY),
        AppendOnlyTrigger("ledger_audit_log"),
        AppendOnlyTrigger("ledger_period", condition="OLD.state = 'locked'"),
    ]
