"""SQLite: the FTS5 table also indexes each document's kind, so that the few streets, stories
and events are ranked apart from the 100,000 shops (see ``search.BULK_KINDS``)."""

from django.db import migrations

COLUMNS = "title_text, body_text, romaji, kind"
UP = [
    "DROP TRIGGER IF EXISTS portal_search_au",
    "DROP TRIGGER IF EXISTS portal_search_ad",
    "DROP TRIGGER IF EXISTS portal_search_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
    f"""CREATE VIRTUAL TABLE portal_search_fts USING fts5(
        {COLUMNS}, content='portal_searchentry', content_rowid='id', tokenize='trigram'
    )""",
    f"""CREATE TRIGGER portal_search_ai AFTER INSERT ON portal_searchentry BEGIN
        INSERT INTO portal_search_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title_text, new.body_text, new.romaji, new.kind);
    END""",
    f"""CREATE TRIGGER portal_search_ad AFTER DELETE ON portal_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title_text, old.body_text, old.romaji, old.kind);
    END""",
    f"""CREATE TRIGGER portal_search_au AFTER UPDATE ON portal_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, old.title_text, old.body_text, old.romaji, old.kind);
        INSERT INTO portal_search_fts(rowid, {COLUMNS})
        VALUES (new.id, new.title_text, new.body_text, new.romaji, new.kind);
    END""",
    "INSERT INTO portal_search_fts(portal_search_fts) VALUES ('rebuild')",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in UP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_search_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
