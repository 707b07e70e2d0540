"""On PostgreSQL, trigram (pg_trgm) GIN indexes make the staff search's LIKE '%word%' an index
scan instead of a scan of every row; SQLite has no such index and keeps the plain scan."""

from django.db import migrations

TABLES = ("directory_shop", "directory_business", "directory_shoppingstreet")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "  # noqa: S608 — fixed names
            f"ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_list_ordering_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
