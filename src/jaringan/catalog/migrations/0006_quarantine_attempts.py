"""A quarantined record counts its attempts: a retry that fails again updates its row."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("catalog", "0005_record_key_lookup")]

    operations = [
        migrations.AddField(model_name="quarantine", name="attempts", field=models.PositiveIntegerField(default=1)),
        migrations.AddField(model_name="quarantine", name="last_tried",
                            field=models.DateTimeField(blank=True, null=True)),
    ]
