"""Indexes that answer matching's two questions without reading records.

Which records carry these blocking keys: (key, record). Which records are in these editions, from
which libraries: (edition, withdrawn, library). They replace the single-column indexes on the key
and on the edition, which they begin with.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_blockkey_numbers'),
        ('network', '0003_agreement_shipping_bands'),
    ]

    operations = [
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
            index=models.Index(fields=['edition', 'withdrawn', 'library'], name='record_edition_members'),
        ),
    ]
