"""A harvest run whose process died is marked interrupted; the next run says so in its note."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("harvesting", "0001_initial"), ("catalog", "0007_batch_worker")]

    operations = [
        migrations.AddField(model_name="harvestrun", name="note", field=models.TextField(blank=True)),
        migrations.AlterField(
            model_name="harvestrun", name="status",
            field=models.CharField(choices=[("running", "Running"), ("done", "Done"), ("failed", "Failed"),
                                            ("interrupted", "Interrupted")], default="running", max_length=16),
        ),
    ]
