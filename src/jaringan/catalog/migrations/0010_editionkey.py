"""Candidate editions are found from each edition's keys, each (key, edition) pair once.

Until now the key index held one row for every record's key, with the record's edition beside it
(migration 0009). At a million records, four records in five of a late library's file join an
edition others hold, and 96-99 % of the rows each writes repeat a (key, edition) pair an earlier
record wrote: every one is written on its own random page of the index, and read again by every
later candidate query (1.96 rows for each pair it returns).

The record's keys stay (`BlockKey`, now read by record only: its index on the key goes), and the
database keeps the editions' keys from them, whatever the path:

- a key written with an edition adds the pair if the edition lacks it;
- a key whose record leaves the edition (moved, withdrawn, deleted, re-keyed, the edition deleted)
  takes the pair away unless another record of that edition still has it.

On SQLite the pairs are a table without row ids (the table is its own index) kept by row triggers;
on PostgreSQL by statement triggers that see the statement's rows at once (``COPY`` included).
"""

from django.db import migrations, models

RECORDS, KEYS, PAIRS = "catalog_sourcerecord", "catalog_blockkey", "catalog_editionkey"

#: A record of the edition other than the one leaving still has the key (its row still names the edition).
_HELD = (f"EXISTS (SELECT 1 FROM {RECORDS} r JOIN {KEYS} b ON b.record_id = r.id "
         "WHERE r.edition_id = {edition} AND b.edition_id = {edition} AND b.key = {key})")

SQLITE_TABLE = [
    f"DROP TABLE {PAIRS}",
    f'CREATE TABLE {PAIRS} ("key" bigint NOT NULL, "edition_id" bigint NOT NULL, '
    'PRIMARY KEY ("key", "edition_id")) WITHOUT ROWID',
]

FILL = (f"INSERT INTO {PAIRS} (key, edition_id) SELECT DISTINCT key, edition_id FROM {KEYS} "
        "WHERE edition_id IS NOT NULL ORDER BY key, edition_id")

_SQLITE_GONE = (f"DELETE FROM {PAIRS} WHERE key = OLD.key AND edition_id = OLD.edition_id "
                f"AND NOT {_HELD.format(edition='OLD.edition_id', key='OLD.key')};")

_PG_GONE = (f"DELETE FROM {PAIRS} e USING (SELECT DISTINCT key, edition_id FROM gone WHERE edition_id IS NOT NULL) g "
            f"WHERE e.key = g.key AND e.edition_id = g.edition_id "
            f"AND NOT {_HELD.format(edition='g.edition_id', key='g.key')};")

_PG_ADDED = (f"INSERT INTO {PAIRS} (key, edition_id) SELECT DISTINCT key, edition_id FROM added "
             "WHERE edition_id IS NOT NULL ON CONFLICT DO NOTHING;")

TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER editionkey_added AFTER INSERT ON {KEYS} WHEN NEW.edition_id IS NOT NULL
        BEGIN
            INSERT OR IGNORE INTO {PAIRS} (key, edition_id) VALUES (NEW.key, NEW.edition_id);
        END""",
        f"""CREATE TRIGGER editionkey_changed AFTER UPDATE OF edition_id, key ON {KEYS}
        WHEN OLD.edition_id IS NOT NEW.edition_id OR OLD.key IS NOT NEW.key
        BEGIN
            INSERT OR IGNORE INTO {PAIRS} (key, edition_id) SELECT NEW.key, NEW.edition_id
            WHERE NEW.edition_id IS NOT NULL;
            {_SQLITE_GONE}
        END""",
        f"""CREATE TRIGGER editionkey_removed AFTER DELETE ON {KEYS} WHEN OLD.edition_id IS NOT NULL
        BEGIN
            {_SQLITE_GONE}
        END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION editionkey_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_PG_ADDED}
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION editionkey_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_PG_ADDED}
            {_PG_GONE}
            RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION editionkey_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_PG_GONE}
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER editionkey_added AFTER INSERT ON {KEYS} REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION editionkey_added()""",
        f"""CREATE TRIGGER editionkey_changed AFTER UPDATE ON {KEYS} REFERENCING OLD TABLE AS gone NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION editionkey_changed()""",
        f"""CREATE TRIGGER editionkey_removed AFTER DELETE ON {KEYS} REFERENCING OLD TABLE AS gone
        FOR EACH STATEMENT EXECUTE FUNCTION editionkey_removed()""",
    ],
}

UNDO = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {name}" for name in ("editionkey_added", "editionkey_changed",
                                                            "editionkey_removed")],
    "postgresql": [statement for name in ("editionkey_added", "editionkey_changed", "editionkey_removed")
                   for statement in (f"DROP TRIGGER IF EXISTS {name} ON {KEYS}", f"DROP FUNCTION IF EXISTS {name}()")],
}


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in TRIGGERS:
        raise NotImplementedError(f"editions' keys are kept on SQLite and PostgreSQL, not {vendor}")
    return vendor


def forwards(apps, schema_editor):
    vendor = _vendor(schema_editor)
    if vendor == "sqlite":
        for statement in SQLITE_TABLE:
            schema_editor.execute(statement)
    schema_editor.execute(FILL)
    for statement in TRIGGERS[vendor]:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in UNDO[_vendor(schema_editor)]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0009_blockkey_edition"),
    ]

    operations = [
        migrations.CreateModel(
            name="EditionKey",
            fields=[
                ("pk", models.CompositePrimaryKey("key", "edition_id", blank=True, editable=False, primary_key=True,
                                                  serialize=False)),
                ("key", models.BigIntegerField()),
                ("edition_id", models.BigIntegerField()),
            ],
        ),
        migrations.RemoveIndex(model_name="blockkey", name="blockkey_candidates"),
        migrations.RunPython(forwards, backwards),
    ]
