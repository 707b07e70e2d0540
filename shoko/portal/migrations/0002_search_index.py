"""The search index's engine, chosen by the database vendor.

SQLite: an FTS5 table with the trigram tokenizer over the folded text of ``portal_searchentry``
(external content), kept in step by triggers. PostgreSQL: the pg_trgm extension and a GIN
trigram index on the same text, which LIKE '%…%' uses.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE portal_search_fts USING fts5(
        title_text, body_text, romaji,
        content='portal_searchentry', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchentry BEGIN
        INSERT INTO portal_search_fts(rowid, title_text, body_text, romaji)
        VALUES (new.id, new.title_text, new.body_text, new.romaji);
    END""",
    """CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, title_text, body_text, romaji)
        VALUES ('delete', old.id, old.title_text, old.body_text, old.romaji);
    END""",
    """CREATE TRIGGER portal_search_au AFTER UPDATE ON portal_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, title_text, body_text, romaji)
        VALUES ('delete', old.id, old.title_text, old.body_text, old.romaji);
        INSERT INTO portal_search_fts(rowid, title_text, body_text, romaji)
        VALUES (new.id, new.title_text, new.body_text, new.romaji);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS portal_search_au",
    "DROP TRIGGER IF EXISTS portal_search_ad",
    "DROP TRIGGER IF EXISTS portal_search_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
]
POSTGRESQL_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS portal_search_trgm ON portal_searchentry USING gin
        ((title_text || ' ' || body_text || ' ' || romaji) gin_trgm_ops)""",
    "CREATE INDEX IF NOT EXISTS portal_search_title_trgm ON portal_searchentry USING gin "
    "(title_text gin_trgm_ops)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS portal_search_title_trgm",
    "DROP INDEX IF EXISTS portal_search_trgm",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}),
        )
    ]
