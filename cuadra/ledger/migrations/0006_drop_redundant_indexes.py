"""Drop two single-column indexes on company_id that a composite index already starts
with (journal lines: line_company_account; entries: entry_company_state_date). Every
posted line writes each index of its table, so they cost posting time and bought no
query. (The lines' entry_id index stays: with only line_entry_no, SQLite's planner picks
line_company_account for ``company_id = ? AND entry_id = ?`` and scans the company.)

The database side is plain DROP INDEX: an AlterField would make SQLite rebuild the tables
and lose their immutability triggers (migration 0002)."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = (
    ("ledger_journalline_company_id_519c90f8", "ledger_journalline", "company_id"),
    ("ledger_journalentry_company_id_c3d68b22", "ledger_journalentry", "company_id"),
)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_account_roles_purchasing_inventory'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {name}",
                                  f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='journalentry',
                    name='company',
                    field=models.ForeignKey(db_index=False,
                                            on_delete=django.db.models.deletion.PROTECT,
                                            related_name='+', to='tenancy.company'),
                ),
                migrations.AlterField(
                    model_name='journalline',
                    name='company',
                    field=models.ForeignKey(db_index=False,
                                            on_delete=django.db.models.deletion.PROTECT,
                                            related_name='+', to='tenancy.company'),
                ),
            ],
        ),
    ]
