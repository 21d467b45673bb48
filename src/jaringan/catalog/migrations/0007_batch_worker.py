"""An import batch records the process running it, so that one whose process died is marked interrupted."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("catalog", "0006_quarantine_attempts")]

    operations = [
        migrations.AddField(model_name="importbatch", name="worker_host",
                            field=models.CharField(blank=True, max_length=255)),
        migrations.AddField(model_name="importbatch", name="worker_pid",
                            field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="importbatch", name="heartbeat",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AlterField(
            model_name="importbatch", name="status",
            field=models.CharField(choices=[("running", "Running"), ("done", "Done"), ("failed", "Failed"),
                                            ("interrupted", "Interrupted")], default="running", max_length=16),
        ),
    ]
