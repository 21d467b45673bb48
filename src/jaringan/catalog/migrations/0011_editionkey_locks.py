"""The editions' keys stay exact with two writers at once on PostgreSQL.

Whether another record of an edition still has a key is read by the transaction a record leaves in,
which does not see what another transaction has not committed. So, without this, two transactions
could leave the pairs wrong once both committed: a record joining an edition while its last other
holder of a key leaves (the pair gone, though the joining record has the key), or the two last
holders leaving at once (the pair kept, though no live record has it).

The triggers now lock the editions they touch before they read: a statement adding keys to editions
takes a share of each edition's row (``FOR KEY SHARE``: any number of adders at once, and the
catalogue's own updates of an edition are not held up), and a statement taking keys away takes the
rows whole (``FOR UPDATE``), so it waits for every open transaction adding to or taking from those
editions, and reads what they committed. The rows are locked in the order of their ids.

SQLite has one writer at a time: nothing changes there.
"""

from importlib import import_module

from django.db import migrations

#: The triggers' statements as migration 0010 wrote them: what they add and take away is unchanged.
_KEPT = import_module("jaringan.catalog.migrations.0010_editionkey")
_GONE, _ADDED = _KEPT._PG_GONE, _KEPT._PG_ADDED
EDITIONS = "catalog_edition"


def _lock(rows: str, mode: str) -> str:
    return (f"PERFORM 1 FROM {EDITIONS} WHERE id IN (SELECT edition_id FROM {rows} WHERE edition_id IS NOT NULL) "
            f"ORDER BY id FOR {mode};")


def _function(name: str, body: list[str]) -> str:
    lines = "\n            ".join(body)
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {lines}
            RETURN NULL;
        END $$"""


LOCKING = [
    _function("editionkey_added", [_lock("added", "KEY SHARE"), _ADDED]),
    _function("editionkey_changed", [_lock("gone", "UPDATE"), _lock("added", "KEY SHARE"), _ADDED, _GONE]),
    _function("editionkey_removed", [_lock("gone", "UPDATE"), _GONE]),
]

#: The functions as migration 0010 made them.
WITHOUT_LOCKS = [
    _function("editionkey_added", [_ADDED]),
    _function("editionkey_changed", [_ADDED, _GONE]),
    _function("editionkey_removed", [_GONE]),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in LOCKING:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in WITHOUT_LOCKS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0010_editionkey"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
