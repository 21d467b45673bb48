"""What matching reads, read from indexes, and records that describe a book identically read once.

* ``SourceRecord.description``: a number for what the record's canonical data says of the book,
  holdings aside (``jaringan.core.catalog.codec.description_number``, kept in this file as it is
  today). The records already stored are numbered here.
* Indexes that answer matching's two questions without reading records: which records carry these
  blocking keys, (key, record); which records are in these editions, from which libraries and with
  which description, (edition, withdrawn, library, description). They replace the single-column
  indexes on the key and on the edition, which they begin with.
"""

import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def _description(data) -> int | None:
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, dict):
        return None
    described = {key: value for key, value in data.items() if key not in ("holdings", "source_id", "library")}
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def number_the_descriptions(apps, schema_editor):
    SourceRecord = apps.get_model("catalog", "SourceRecord")
    last = 0
    while True:
        rows = list(SourceRecord.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "data")[:BATCH])
        if not rows:
            break
        last = rows[-1][0]
        SourceRecord.objects.bulk_update([SourceRecord(pk=pk, description=_description(data)) for pk, data in rows],
                                         ["description"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_blockkey_numbers'),
        ('network', '0003_agreement_shipping_bands'),
    ]

    operations = [
        migrations.AddField(
            model_name='sourcerecord',
            name='description',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(number_the_descriptions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='blockkey',
            name='key',
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name='sourcerecord',
            name='edition',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='records', to='catalog.edition'),
        ),
        migrations.AddIndex(
            model_name='blockkey',
            index=models.Index(fields=['key', 'record'], name='blockkey_key_record'),
        ),
        migrations.AddIndex(
            model_name='sourcerecord',
            index=models.Index(fields=['edition', 'withdrawn', 'library', 'description'], name='record_edition_members'),
        ),
    ]
