"""Interlibrary loan's workers: `jaringan ill-tick` (its scheduled work, run from cron) and
`jaringan ill-send` (a worker sending its ISO 18626 messages)."""

from __future__ import annotations

import argparse
import sys

from .common import Command, setup


def cmd_ill_tick(args) -> int:
    setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.catalog.services.batches import batches_reap
    from jaringan.harvesting.services import runs_reap
    from jaringan.ill.tick import tick

    report = tick()
    for batch in batches_reap():  # imports and harvests whose process died are marked interrupted
        print(f"{batch.library.code} {batch.name}: {batch.message}", file=sys.stderr)
    runs_reap()
    print(_("%(overdue)s loans overdue, %(late)s lenders passed over, %(lapsed)s offers lapsed, "
            "%(delivered)s messages delivered (%(undelivered)s still waiting), %(purged)s expired scans deleted")
          % {"overdue": len(report.overdue), "late": len(report.timed_out), "lapsed": len(report.lapsed),
             "delivered": report.delivered, "undelivered": report.undelivered, "purged": report.purged})
    if report.refused_deleted:
        print(_("%(n)s refused ISO 18626 messages deleted after their retention") % {"n": report.refused_deleted})
    from jaringan.reciprocal.services import overdue_tick

    print(_("%(n)s reciprocal loans newly overdue (reader and home library told)") % {"n": len(overdue_tick())})
    return 0


def cmd_ill_send(args) -> int:
    setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.ill.iso18626.sender import work

    def said(report) -> None:
        print(_("%(sent)s messages delivered, %(refused)s refused, %(waiting)s to be tried again, %(failed)s given "
                "up") % report, flush=True)

    return work(once=args.once, interval=args.interval, report=said)


def _ill_send_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help="one pass over what is due, then exit")
    p.add_argument("--interval", type=float, default=2.0,
                   help="seconds between looks at the outbox while nothing is due sooner (default 2)")


COMMANDS = (
    Command("ill-tick", "Interlibrary loan's scheduled work (run it from cron every few minutes): mark overdue "
            "loans, pass over lenders that did not answer in time, retry undelivered ISO 18626 messages, delete "
            "expired scans.", cmd_ill_tick),
    Command("ill-send", "Send the ISO 18626 messages waiting in the outbox, and keep sending them as they come "
            "(until stopped): a worker beside the web servers, whose own sender it complements or replaces "
            "(JARINGAN_ISO18626_SEND=worker).", cmd_ill_send, _ill_send_options),
)
