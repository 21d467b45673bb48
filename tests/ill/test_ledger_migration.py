"""Migration ill 0002 on a database the repeated-Loaned bug already charged twice: one row per line stays."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jaringan.ill import services
from jaringan.ill.models import LedgerEntry

BEFORE = [("ill", "0001_initial")]
AFTER = [("ill", "0002_ledger_one_line_per_supply")]


@pytest.mark.django_db(transaction=True)
def test_charges_written_twice_before_the_constraint_are_kept_once(held, staff, charged_loans):
    req = services.illrequest_create(actor=staff("staf.itb"), edition=held[0], service="loan", reader_name="X")
    services.illrequest_act(actor=staff("staf.ui"), request=req, action="Loaned")
    charged = sorted(LedgerEntry.objects.filter(request=req).values_list("line", "amount"))
    assert charged, "the agreement charges this loan"
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("ill")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        Old = executor.loader.project_state(BEFORE).apps.get_model("ill", "LedgerEntry")
        for row in list(Old.objects.filter(request_id=req.pk)):  # the second and third Loaned of the old code
            for _ in range(2):
                row.pk = None
                row.save()
        assert Old.objects.filter(request_id=req.pk).count() == 3 * len(charged)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaf)
    assert sorted(LedgerEntry.objects.filter(request=req).values_list("line", "amount")) == charged
