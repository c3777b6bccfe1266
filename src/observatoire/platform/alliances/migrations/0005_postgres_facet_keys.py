"""PostgreSQL: every fiche's facet rows as one `facet_keys` array ("facet:code") with a GIN index.

The search then finds the fiches of a territory, and flags those having a selected facet, from
index bitmaps combined with the full-text one, without reading the heap rows of text matches that
lie elsewhere. The `search.postgres` backend keeps the column in step with the facet rows; the
models do not know it (nothing else writes it), like the FTS5 table on SQLite. Nothing on SQLite.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE alliances_alliance ADD COLUMN IF NOT EXISTS facet_keys text[] NOT NULL "
    "DEFAULT '{}'",
    """UPDATE alliances_alliance a SET facet_keys = k.keys FROM (
        SELECT alliance_id, array_agg(facet || ':' || code ORDER BY facet, code) AS keys
        FROM alliances_facetvalue GROUP BY alliance_id
    ) k WHERE k.alliance_id = a.id""",
    "CREATE INDEX IF NOT EXISTS alliances_facet_keys_gin "
    "ON alliances_alliance USING gin (facet_keys)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS alliances_facet_keys_gin",
    "ALTER TABLE alliances_alliance DROP COLUMN IF EXISTS facet_keys",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = (("alliances", "0004_facet_alliance_no_extra_index"),)

    operations = (migrations.RunPython(forward, backward),)
