"""Reads of interlibrary loan, for the staff, reader and coordinator screens, the API and reports.

Queues (querysets, newest change first unless said):

* ``borrowing_queue(library, state=None)`` — what ``library`` asked for
* ``lending_queue(library, state=None)`` — what ``library`` is asked for now
  (and was, when it is the last lender a finished request reached)
* ``state_counts(library, side)`` — {state: count} of one of those queues
* ``reader_requests(user)`` — a reader's own requests
* ``visible_requests(principal)`` — every request a person may open

One request:

* ``request_detail(request, principal)`` — the request, its rota with reasons,
  history, messages, deliveries, ledger lines, and the actions the person may
  take now (with the version to send back)
* ``request_history(request)`` — its events, oldest first, with their messages
* ``available_actions(principal, request)`` — action names, for buttons

Figures:

* ``library_balance(library)`` — what it is owed and owes over the whole ledger
* ``network_balance(network, period)`` — per member: lent, borrowed, asked,
  filled, fill rates, days to ship and turnaround, ledger credit and debit;
  the network's totals and the settlement transfers for the period
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from statistics import median

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from jaringan.core.ill import fees, lifecycle
from jaringan.core.ill.fees import Period
from jaringan.network.models import Library, Membership, Network
from jaringan.network.permissions import Principal

from .iso18626.agencies import peer_of
from .iso18626.messages import service_type_of
from .ledger import as_core_entries
from .models import IllEvent, IllRequest, LedgerEntry, RotaEntry
from .permissions import can_see, roles_on, served_elsewhere
from .rota import current_entry

#: States in which a request is not (yet, or any longer) with a lender.
_NOT_AT_LENDER = [str(lifecycle.Step.AwaitingApproval), str(lifecycle.Step.Validated), str(lifecycle.Step.Rejected)]


def _queue(qs: QuerySet, state: str | list[str] | None) -> QuerySet[IllRequest]:
    if state:
        qs = qs.filter(state__in=[state] if isinstance(state, str) else state)
    return qs.select_related("requester", "supplier", "reader", "edition").order_by("-updated", "-id")


def borrowing_queue(library: Library, state: str | list[str] | None = None) -> QuerySet[IllRequest]:
    """Requests ``library`` made, optionally in one state (or several)."""
    return _queue(IllRequest.objects.filter(requester=library), state)


def lending_queue(library: Library, state: str | list[str] | None = None) -> QuerySet[IllRequest]:
    """Requests ``library`` is the lender of now (or was last, for a finished one)."""
    return _queue(IllRequest.objects.filter(supplier=library).exclude(state__in=_NOT_AT_LENDER), state)


def state_counts(library: Library, side: str = "borrowing") -> dict[str, int]:
    """{state: number of requests} of the borrowing or lending queue."""
    qs = borrowing_queue(library) if side == "borrowing" else lending_queue(library)
    return dict(qs.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))


def reader_requests(user) -> QuerySet[IllRequest]:
    """A reader's own requests, newest first."""
    return _queue(IllRequest.objects.filter(reader=user), None)


def visible_requests(principal: Principal) -> QuerySet[IllRequest]:
    """Every request ``principal`` may open."""
    if principal.is_superuser:
        return IllRequest.objects.all()
    if not principal.authenticated:
        return IllRequest.objects.none()
    asked = RotaEntry.objects.filter(library_id__in=principal.staff_of).exclude(
        outcome=RotaEntry.Outcome.WAITING).values("request_id")
    return IllRequest.objects.filter(
        Q(requester_id__in=principal.staff_of) | Q(supplier_id__in=principal.staff_of)
        | Q(reader_id=principal.user_id) | Q(pk__in=asked)
    ).distinct()


def request_history(request: IllRequest) -> list[IllEvent]:
    """The request's events, oldest first, each with its actor, lender and message."""
    return list(request.events.select_related("actor", "lender", "message").order_by("at", "id"))


def available_actions(principal, request: IllRequest, *, entry: RotaEntry | None | bool = False,
                      elsewhere: frozenset[int] | None = None) -> list[str]:
    """The actions ``principal`` may take on ``request`` now (action names of the lifecycle table).
    ``entry`` (the lender's rota entry now) and ``elsewhere`` (see `served_elsewhere`) when already read."""
    roles = roles_on(principal, request, elsewhere=elsewhere)
    service = service_type_of(request, current_entry(request) if entry is False else entry)
    out: list[str] = []
    for role in roles:
        remote = False
        if role == lifecycle.Role.requester and request.state == lifecycle.Step.Validated:
            waiting = request.rota.filter(outcome=RotaEntry.Outcome.WAITING).select_related("library") \
                .order_by("position").first()
            remote = waiting is not None and peer_of(waiting.library) is not None
        for action in lifecycle.available(request.state, role=role, service=service, flags=request.flags(),
                                          remote_supplier=remote):
            if action not in out:
                out.append(action)
    return out


def page_actions(principal, requests: list[IllRequest]) -> dict[int, list[str]]:
    """`available_actions` of each request of a page, with the lenders' rota entries now and the libraries
    another system serves read once for the whole page, not once a request."""
    now = Q()
    for req in requests:
        if req.rota_position:
            now |= Q(request_id=req.pk, position=req.rota_position)
    entries = {e.request_id: e for e in RotaEntry.objects.filter(now)} if now else {}
    elsewhere = served_elsewhere({x for req in requests for x in (req.requester_id, req.supplier_id)})
    return {req.pk: available_actions(principal, req, entry=entries.get(req.pk), elsewhere=elsewhere)
            for req in requests}


def request_detail(request: IllRequest, principal: Principal) -> dict:
    """Everything one request's page shows, for a person who may see it (else None)."""
    elsewhere = served_elsewhere({request.requester_id, request.supplier_id})
    if not can_see(principal, request, elsewhere=elsewhere):
        return None
    rota = list(request.rota.select_related("library", "agreement").order_by("position"))
    now = next((e for e in rota if e.position == request.rota_position), None) if request.rota_position else None
    return {
        "request": request,
        "version": request.version,
        "rota": rota,
        "excluded": request.routing.get("excluded", []),
        "history": request_history(request),
        "messages": list(request.messages.select_related("peer__library").order_by("at", "id")),
        "deliveries": list(request.deliveries.all()),
        "ledger": list(request.ledger.select_related("debtor", "creditor")),
        "actions": available_actions(principal, request, entry=now, elsewhere=elsewhere),
    }


# --- figures -----------------------------------------------------------------------------------

def library_balance(library: Library) -> dict:
    """Over the whole ledger: what ``library`` is owed, owes, and the difference (rupiah)."""
    owed = LedgerEntry.objects.filter(creditor=library).aggregate(s=Sum("amount"))["s"] or 0
    owes = LedgerEntry.objects.filter(debtor=library).aggregate(s=Sum("amount"))["s"] or 0
    return {"owed": int(owed), "owes": int(owes), "net": int(owed) - int(owes)}


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=tz)
    end = datetime.combine(period.end, time.max, tzinfo=tz)
    return start, end


def _days(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return max((b - a).total_seconds() / 86400, 0.0)


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def network_balance(network: Network, period: Period | tuple[date, date]) -> dict:
    """Lending and borrowing of each member of ``network`` under its agreements, in ``period``.

    Per member (``members``, by library name): ``lent`` and ``borrowed``
    (supplies made and received), ``asked`` and ``filled`` (lending requests
    received and supplied; ``fill_rate`` their ratio), ``requests`` and
    ``supplied`` (its own requests and how many were supplied;
    ``borrow_fill_rate``), ``days_to_ship`` (median days from being asked to
    supplying), ``turnaround`` (median days from its request to the supply),
    ``credit``/``debit``/``net`` (the members' ledger, rupiah: interlibrary
    loans' lines and reciprocal loans' fees and deposits). Also ``totals`` and
    the period's ``transfers`` (the settlement: one payment per pair).
    """
    if not isinstance(period, Period):
        period = Period(*period)
    start, end = _bounds(period)
    members = list(Membership.objects.filter(network=network).exclude(state__in=["applied", "rejected"])
                   .select_related("library").order_by("library__name"))
    rows = {m.library_id: {
        "library": m.library, "membership": m.state, "lent": 0, "borrowed": 0, "asked": 0, "filled": 0,
        "requests": 0, "supplied": 0, "credit": 0, "debit": 0, "ship": [], "turn": [],
    } for m in members}
    entries = RotaEntry.objects.filter(agreement__network=network).select_related("request")
    _count_lending(rows, entries, start, end)
    _count_borrowing(rows, entries, start, end)
    ledger = list(LedgerEntry.objects.filter(network=network, on__range=(period.start, period.end)))
    for entry in ledger:
        if entry.creditor_id in rows:
            rows[entry.creditor_id]["credit"] += int(entry.amount)
        if entry.debtor_id in rows:
            rows[entry.debtor_id]["debit"] += int(entry.amount)
    out = [_with_rates(row) for row in rows.values()]
    asked = sum(r["asked"] for r in out)
    filled = sum(r["filled"] for r in out)
    return {
        "network": network, "period": period, "members": out, "transfers": _transfers(out, ledger, period),
        "totals": {"asked": asked, "filled": filled, "fill_rate": round(filled / asked, 3) if asked else None,
                   "lent": sum(r["lent"] for r in out), "amount": sum(int(e.amount) for e in ledger)},
    }


def _count_lending(rows: dict, entries, start: datetime, end: datetime) -> None:
    """Each lender's requests received (``asked``) and supplied (``filled``, ``lent``, with the days to ship);
    each requester's supplies received (``borrowed``, with the turnaround)."""
    for e in entries.filter(sent_at__range=(start, end)):
        if e.library_id in rows:
            rows[e.library_id]["asked"] += 1
            rows[e.library_id]["filled"] += e.outcome == RotaEntry.Outcome.SUPPLIED
    for e in entries.filter(supplied_at__range=(start, end), outcome=RotaEntry.Outcome.SUPPLIED):
        if e.library_id in rows:
            rows[e.library_id]["lent"] += 1
            days = _days(e.sent_at, e.supplied_at)
            if days is not None:
                rows[e.library_id]["ship"].append(days)
        if e.request.requester_id in rows:
            rows[e.request.requester_id]["borrowed"] += 1
            rows[e.request.requester_id]["turn"].append(_days(e.request.created, e.supplied_at))


def _count_borrowing(rows: dict, entries, start: datetime, end: datetime) -> None:
    """Each member's own requests made in the period (``requests``) and how many of them were supplied."""
    requests_made = defaultdict(set)
    supplied_to = defaultdict(set)
    for e in entries.filter(request__created__range=(start, end)):
        requests_made[e.request.requester_id].add(e.request_id)
        if e.outcome == RotaEntry.Outcome.SUPPLIED:
            supplied_to[e.request.requester_id].add(e.request_id)
    for library_id, ids in requests_made.items():
        if library_id in rows:
            rows[library_id]["requests"] = len(ids)
            rows[library_id]["supplied"] = len(supplied_to[library_id])


def _with_rates(row: dict) -> dict:
    """A member's row with its fill rates, median days and net, in place of the days counted."""
    ship, turn = row.pop("ship"), [d for d in row.pop("turn") if d is not None]
    row.update(
        fill_rate=round(row["filled"] / row["asked"], 3) if row["asked"] else None,
        borrow_fill_rate=round(row["supplied"] / row["requests"], 3) if row["requests"] else None,
        days_to_ship=_median(ship), turnaround=_median(turn), net=row["credit"] - row["debit"],
    )
    return row


def _transfers(members: list[dict], ledger: list[LedgerEntry], period: Period) -> list[dict]:
    """The period's settlement: one payment per pair of libraries, with the libraries themselves."""
    libraries = {row["library"].pk: row["library"] for row in members}
    missing = {x for e in ledger for x in (e.debtor_id, e.creditor_id)} - set(libraries)
    libraries.update({lib.pk: lib for lib in Library.objects.filter(pk__in=missing)})
    return [
        {"payer": libraries[t.payer], "payee": libraries[t.payee], "amount": t.amount, "entries": t.entries}
        for t in fees.settlement(as_core_entries(ledger), period)
    ]
