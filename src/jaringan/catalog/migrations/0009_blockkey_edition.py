"""Each block key carries its record's edition (while the record is live) and library.

Candidate editions were found by joining every record under a key to its row
(``record_key_lookup``, migration 0005): a key without a year gathers every
record of every edition of a work and every holding of each, so that join
read several record rows for each edition found, more with each library that
joins. With the edition and library beside the key, the editions under a key
are read from the key's own index.

The copies are kept by the database itself: a trigger on the records table
writes a record's edition (none once withdrawn) into its keys whenever the
record's edition or withdrawal changes, whatever the path (placing, merging,
splitting, withdrawing, an edition deleted). New keys are written with them.
The records' ``record_key_lookup`` index has no other reader and goes.
"""

from django.db import migrations, models

RECORDS, KEYS = "catalog_sourcerecord", "catalog_blockkey"

FILL = {
    "sqlite": (f"UPDATE {KEYS} SET (edition_id, library_id) = (SELECT CASE WHEN r.withdrawn THEN NULL "
               f"ELSE r.edition_id END, r.library_id FROM {RECORDS} r WHERE r.id = {KEYS}.record_id)"),
    "postgresql": (f"UPDATE {KEYS} k SET edition_id = CASE WHEN r.withdrawn THEN NULL ELSE r.edition_id END, "
                   f"library_id = r.library_id FROM {RECORDS} r WHERE r.id = k.record_id"),
}

TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER blockkey_follows_record AFTER UPDATE OF edition_id, withdrawn ON {RECORDS}
        WHEN OLD.edition_id IS NOT NEW.edition_id OR OLD.withdrawn IS NOT NEW.withdrawn
        BEGIN
            UPDATE {KEYS} SET edition_id = CASE WHEN NEW.withdrawn THEN NULL ELSE NEW.edition_id END
            WHERE record_id = NEW.id;
        END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION blockkey_follows_record() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {KEYS} SET edition_id = CASE WHEN NEW.withdrawn THEN NULL ELSE NEW.edition_id END
            WHERE record_id = NEW.id;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER blockkey_follows_record AFTER UPDATE OF edition_id, withdrawn ON {RECORDS}
        FOR EACH ROW WHEN (OLD.edition_id IS DISTINCT FROM NEW.edition_id OR OLD.withdrawn IS DISTINCT FROM NEW.withdrawn)
        EXECUTE FUNCTION blockkey_follows_record()""",
    ],
}

UNDO = {
    "sqlite": ["DROP TRIGGER IF EXISTS blockkey_follows_record"],
    "postgresql": [f"DROP TRIGGER IF EXISTS blockkey_follows_record ON {RECORDS}",
                   "DROP FUNCTION IF EXISTS blockkey_follows_record()"],
}

LOOKUP = ("CREATE INDEX IF NOT EXISTS record_key_lookup "
          f"ON {RECORDS} (id, withdrawn, library_id, edition_id)")


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in TRIGGERS:
        raise NotImplementedError(f"block keys follow their records on SQLite and PostgreSQL, not {vendor}")
    return vendor


def forwards(apps, schema_editor):
    vendor = _vendor(schema_editor)
    schema_editor.execute(FILL[vendor])
    for statement in TRIGGERS[vendor]:
        schema_editor.execute(statement)
    if vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS record_key_lookup")


def backwards(apps, schema_editor):
    vendor = _vendor(schema_editor)
    for statement in UNDO[vendor]:
        schema_editor.execute(statement)
    if vendor == "sqlite":
        schema_editor.execute(LOOKUP)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0008_batch_held"),
    ]

    operations = [
        migrations.AddField(model_name="blockkey", name="edition_id", field=models.BigIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="blockkey", name="library_id", field=models.BigIntegerField(blank=True, null=True)),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveIndex(model_name="blockkey", name="blockkey_key_record"),
        migrations.AddIndex(model_name="blockkey", index=models.Index(
            fields=["key", "edition_id", "library_id", "record"], name="blockkey_candidates")),
    ]
