"""The interlibrary loan lists as CSV: a library's queues and ledger, a network's figures and settlement.

Each is the list of its page with the page's filters (the queue's state, the
network's period), read after the page's own permission check, every row and
not only the page's first ones, streamed as it is read (`jaringan.csvdownload`).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jaringan.csvdownload import csv_download
from jaringan.network.models import Library, Membership

from .. import selectors
from ..models import LedgerEntry
from . import screens

#: Rows fetched from the database at a time.
BATCH = 500


def queue_csv(library: Library, side: str, state: str | None):
    lending = side == "lending"
    qs = (selectors.lending_queue if lending else selectors.borrowing_queue)(library, state)
    header = [_("No."), _("Title"), _("Author"), _("Year"), _("What is needed"), _("Reader"),
              _("Asked by") if lending else _("Lender"), _("Library code"), _("State"), _("Needed by"),
              _("Due date"), _("Most the library will pay (Rp)"), _("Asked on"), _("Last change")]

    def rows():
        for req in qs.iterator(chunk_size=BATCH):
            other = req.requester if lending else req.supplier
            yield [req.pk, req.title, req.author, req.year, req.get_service_display(), req.reader_display,
                   other.name if other else None, other.code if other else None,
                   screens.request_badge(req)["label"], req.need_by, req.due_date, req.max_cost, req.created,
                   req.updated]

    name = f"{'lending' if lending else 'borrowing'}-{library.code}" + (f"-{state}" if state else "")
    return csv_download(name, header, rows())


def ledger_csv(library: Library):
    qs = (LedgerEntry.objects.filter(Q(debtor=library) | Q(creditor=library))
          .select_related("debtor", "creditor", "request", "reciprocal_loan").order_by("-on", "-id"))
    header = [_("Date"), _("Request"), _("Title"), _("Other library"), _("Library code"), _("For"),
              _("Owed to us"), _("We owe")]

    def rows():
        for e in qs.iterator(chunk_size=BATCH):
            owed = e.creditor_id == library.pk
            other = e.debtor if owed else e.creditor
            # A reciprocal loan's line has no request: its item's title says what it is for.
            title = e.request.title if e.request_id else e.reciprocal_loan.title
            yield [e.on, e.request_id or "", title, other.name, other.code, screens.ledger_line_label(e.line),
                   int(e.amount) if owed else None, None if owed else int(e.amount)]

    return csv_download(f"ledger-{library.code}", header, rows())


def network_csv(report: dict, which: str):
    """``which``: ``members`` (each member's figures) or ``settlement`` (the period's payments)."""
    period, code = report["period"], report["network"].code
    stem = f"{code}-{period.start.isoformat()}-{period.end.isoformat()}"
    if which == "settlement":
        header = [_("Pays"), _("Library code"), pgettext("the library paid", "To"), _("Library code"), _("Amount"), _("Ledger lines netted")]
        rows = ([t["payer"].name, t["payer"].code, t["payee"].name, t["payee"].code, int(t["amount"]), t["entries"]]
                for t in report["transfers"])
        return csv_download(f"settlement-{stem}", header, rows)
    header = [_("Member"), _("Library code"), _("Membership"), _("Lent"), _("Borrowed"), _("Asked"), _("Filled"),
              _("Fill rate"), _("Its requests"), _("Supplied"), _("Days to ship"), _("Turnaround (days)"),
              _("Owed to it"), _("It owes"), _("Net")]
    rows = ([m["library"].name, m["library"].code, Membership.State(m["membership"]).label, m["lent"], m["borrowed"],
             m["asked"], m["filled"], m["fill_rate"], m["requests"], m["supplied"], m["days_to_ship"],
             m["turnaround"], m["credit"], m["debit"], m["net"]] for m in report["members"])
    return csv_download(f"ill-{stem}", header, rows)
