"""On SQLite, an index of the records' (id, withdrawn, library, edition) for ``bulk.editions_by_key``.

SQLite finds a record by its rowid in the table itself, whose rows hold the
raw record and its canonical form: reading a few columns of tens of
thousands of them per chunk of an import touched as many pages. This index
holds those columns alone, and the query names it. PostgreSQL is left
without it: there it only slowed writing (measured with ``bench/ingest.py``).
"""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS record_key_lookup "
          "ON catalog_sourcerecord (id, withdrawn, library_id, edition_id)")
DROP = "DROP INDEX IF EXISTS record_key_lookup"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_matching_indexes"),
        ("network", "0003_agreement_shipping_bands"),
    ]

    operations = [migrations.RunPython(create, drop)]
