"""ISO 18626 edge: a shared secret per peer, the address and whole size of each message received."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ill', '0002_ledger_one_line_per_supply'),
    ]

    operations = [
        migrations.AddField(
            model_name='illmessage',
            name='address',
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='illmessage',
            name='size',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='peer',
            name='shared_secret',
            field=models.CharField(blank=True, max_length=200, verbose_name='shared secret (HTTP)'),
        ),
        migrations.AddIndex(
            model_name='illmessage',
            index=models.Index(fields=['address', 'at'], name='ill_illmess_address_493238_idx'),
        ),
    ]
