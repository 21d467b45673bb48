"""A request is supplied once: each line of its quote is charged once (the database holds to it too).

Before the constraint, the charges a repeated ``Loaned`` or ``CopyCompleted`` wrote again are
dropped: of the rows of one request with the same quote line, the first written stays.
"""

from django.db import migrations, models
from django.db.models import Count, Min


def drop_repeated_charges(apps, schema_editor):
    LedgerEntry = apps.get_model("ill", "LedgerEntry")
    repeated = (LedgerEntry.objects.values("request_id", "line").annotate(n=Count("id"), first=Min("id"))
                .filter(n__gt=1))
    for group in repeated:
        LedgerEntry.objects.filter(request_id=group["request_id"], line=group["line"]).exclude(
            pk=group["first"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("ill", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_repeated_charges, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(fields=("request", "line"), name="ledger_one_line_per_supply"),
        ),
    ]
