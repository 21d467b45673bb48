"""Blocking keys are stored as 64-bit numbers (a hash of the key's text) instead of their text.

The keys already stored are numbered here with the same hash as
``jaringan.core.catalog.matching.key_number`` (kept in this file as it is today).
"""

import hashlib

from django.db import migrations, models

BATCH = 5000


def _number(key: str) -> int:
    digest = hashlib.blake2b(key[:120].encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def number_the_keys(apps, schema_editor):
    BlockKey = apps.get_model("catalog", "BlockKey")
    last = 0
    while True:
        rows = list(BlockKey.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "key")[:BATCH])
        if not rows:
            break
        last = rows[-1][0]
        BlockKey.objects.bulk_update([BlockKey(pk=pk, number=_number(key)) for pk, key in rows], ["number"],
                                     batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0002_outbox_and_retired"),
    ]

    operations = [
        migrations.AddField(model_name="blockkey", name="number", field=models.BigIntegerField(null=True)),
        migrations.RunPython(number_the_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="blockkey", name="key"),
        migrations.RenameField(model_name="blockkey", old_name="number", new_name="key"),
        migrations.AlterField(model_name="blockkey", name="key", field=models.BigIntegerField(db_index=True)),
    ]
