"""A request is supplied once: each line of its quote is charged once (the database holds to it too)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ill", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(fields=("request", "line"), name="ledger_one_line_per_supply"),
        ),
    ]
