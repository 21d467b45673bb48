"""Messages out wait in an outbox: tried by a sender off the staff's request, again with backoff, claimed once.

Messages kept before waited as ``pending``, or ``failed`` to be tried again by
``jaringan ill-tick``: the first are due at once, and so are the second while
the old rule would still have tried them (fewer than 12 attempts, in the last
7 days), now ``retrying``.
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def due_now(apps, schema_editor):
    IllMessage = apps.get_model("ill", "IllMessage")
    now = timezone.now()
    IllMessage.objects.filter(direction="out", status="pending").update(next_attempt=now)
    IllMessage.objects.filter(direction="out", status="failed", attempts__lt=12,
                              at__gte=now - timedelta(days=7)).update(status="retrying", next_attempt=now)


class Migration(migrations.Migration):

    dependencies = [
        ('ill', '0003_iso18626_edge'),
    ]

    operations = [
        migrations.AddField(
            model_name='illmessage',
            name='delivered_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='illmessage',
            name='error_kind',
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AddField(
            model_name='illmessage',
            name='next_attempt',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='illmessage',
            name='status',
            field=models.CharField(choices=[('pending', 'waiting to be sent'), ('sending', 'being sent'), ('retrying', 'to be tried again'), ('sent', 'sent and confirmed'), ('refused', 'refused by the other system'), ('failed', 'could not be delivered'), ('accepted', 'accepted'), ('kept', 'kept')], max_length=16),
        ),
        migrations.AddIndex(
            model_name='illmessage',
            index=models.Index(condition=models.Q(('status__in', ['pending', 'sending', 'retrying'])), fields=['status', 'next_attempt'], name='illmessage_due'),
        ),
        migrations.RunPython(due_now, migrations.RunPython.noop),
    ]
