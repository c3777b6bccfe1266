"""Full-text search structures, per database.

SQLite: the FTS5 table that `search.sqlite_fts5` feeds with stemmed text.
PostgreSQL: the unaccent extension, the `french_unaccent` text search configuration (unaccent,
then the French Snowball stemmer) and a GIN index on the weighted `search_vector` column.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS alliances_fts "
    "USING fts5(title, summary, description, partners, tokenize='unicode61')"
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$""",
    "CREATE INDEX IF NOT EXISTS alliances_search_gin "
    "ON alliances_alliance USING gin (search_vector)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS alliances_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS alliances_search_gin")


class Migration(migrations.Migration):
    dependencies = (("alliances", "0001_initial"),)

    operations = (migrations.RunPython(forward, backward),)
