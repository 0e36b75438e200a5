"""Database-level guards that hold even against code that bypasses the ORM."""

from __future__ import annotations

from django.db import migrations


def _pg_sql(table: str, condition: str) -> str:
    fn = f"{table}_append_only"
    return f"""
CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger AS $$
BEGIN
    IF {condition} THEN
        RAISE EXCEPTION 'IMMUTABLE: % on {table} is refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {fn}_trg ON {table};
CREATE TRIGGER {fn}_trg BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {fn}();
"""


def _sqlite_sql(table: str, condition: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
            FOR EACH ROW WHEN {condition}
            BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: {op} on {table} is refused'); END;"""
        for op in ("UPDATE", "DELETE")
    ]


class AppendOnlyTrigger(migrations.RunPython):
    """Refuse UPDATE and DELETE of rows (optionally only rows matching a condition on OLD,
    e.g. ``OLD.status = 'posted'``) with a trigger, on PostgreSQL and SQLite alike."""

    reversible = True

    def __init__(self, table: str, condition: str = "TRUE"):
        self.table = table
        self.condition = condition
        super().__init__(self._apply, self._revert)

    def _apply(self, apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            # params=None: the function body holds a literal '%' that must not be read as
            # a query placeholder
            schema_editor.execute(_pg_sql(self.table, self.condition), params=None)
        elif vendor == "sqlite":
            cond = "1" if self.condition == "TRUE" else self.condition
            for sql in _sqlite_sql(self.table, cond):
                schema_editor.execute(sql)

    def _revert(self, apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            fn = f"{self.table}_append_only"
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fn}_trg ON {self.table}; "
                                  f"DROP FUNCTION IF EXISTS {fn}();")
        elif vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.table}_no_{op}")

    def describe(self):
        return f"Append-only trigger on {self.table}"
