"""Block keys per edition (`EditionKey`), filled from the live records' keys of a catalogue already there."""

import django.db.models.deletion
from django.db import migrations, models

FILL = ("INSERT INTO catalog_editionkey (key, edition_id) "
        "SELECT DISTINCT k.key, r.edition_id FROM catalog_blockkey k "
        "JOIN catalog_sourcerecord r ON r.id = k.record_id "
        "WHERE r.edition_id IS NOT NULL AND r.withdrawn = %s")


def fill(apps, schema_editor):
    schema_editor.execute(FILL, [False])


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_batch_held'),
    ]

    operations = [
        migrations.CreateModel(
            name='EditionKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.BigIntegerField()),
                ('edition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.edition')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('key', 'edition'), name='editionkey_key_edition')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
