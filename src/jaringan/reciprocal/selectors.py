"""Reads: terms, passes, the desk's decision, loans, and the reciprocal side of each member's balance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jaringan.core import agreements as rules
from jaringan.core import membership as ms
from jaringan.core.reciprocal import desk, passcode
from jaringan.core.reciprocal import terms as core_terms
from jaringan.ill.models import IllRequest, LedgerEntry
from jaringan.network.models import Agreement, AgreementParty, Library, Membership, Network
from jaringan.network.selectors import agreement_terms, border_rules
from jaringan.network.selectors import sites as sites_of

from .models import Block, BorrowingTerms, Loan, NcipServer, Pass, Visit

#: ILL states in which a loan is out with the reader (overdue when past its due date).
ILL_OUT = ("Loaned", "Overdue", "Recalled")


def terms_of(row: BorrowingTerms, home_ids=None) -> core_terms.BorrowTerms:
    """The terms as the rule reads them (``home_ids``: the row's home libraries, when already read)."""
    return core_terms.checked(
        agreement_id=row.agreement_id,
        home_libraries=list(home_ids) if home_ids is not None else [lib.pk for lib in row.home_libraries.all()],
        categories=row.categories, items_at_a_time=row.items_at_a_time, loan_days=row.loan_days,
        renewals=row.renewals, deposit=row.deposit, fee=row.fee, excluded=row.excluded,
    )


#: What the rule reads of an agreement (``network.selectors.agreement_terms``) and the desk names (its code
#: and title): the rest is not fetched.
_TERMS_FIELDS = ("id", "network_id", "code", "title", "services", "coverage", "relation", "starts", "ends",
                 "fee_per_loan", "fee_per_page", "shipping_paid_by", "free_loans_per_year", "shipping_bands",
                 *(f"borrowing_terms__{f}" for f in ("id", "agreement_id", "categories", "items_at_a_time", "loan_days",
                                                     "renewals", "deposit", "fee", "excluded")))


def _reciprocal_agreements(network_ids) -> list[Agreement]:
    if not network_ids:
        return []
    return [a for a in Agreement.objects.filter(network_id__in=network_ids).order_by().only(*_TERMS_FIELDS)
            .select_related("borrowing_terms")
            .prefetch_related(Prefetch("parties", AgreementParty.objects.order_by()
                                       .only("agreement_id", "library_id", "role")))
            if rules.Service.RECIPROCAL in a.services]


def _terms_row(agreement: Agreement) -> BorrowingTerms | None:
    try:
        return agreement.borrowing_terms
    except BorrowingTerms.DoesNotExist:
        return None


def _with_terms(agreements) -> list[tuple[rules.Terms, core_terms.BorrowTerms | None]]:
    rows = [row for row in map(_terms_row, agreements) if row is not None]
    homes: dict[int, list[int]] = {row.pk: [] for row in rows}
    if rows:  # whose readers each terms admit, read for all the terms at once
        through = BorrowingTerms.home_libraries.through
        for terms_id, library_id in through.objects.filter(borrowingterms_id__in=list(homes)).values_list(
                "borrowingterms_id", "library_id"):
            homes[terms_id].append(library_id)
    out = []
    found = border_rules({a.network_id for a in agreements})
    for a in agreements:
        row = _terms_row(a)
        out.append((agreement_terms(a, found), terms_of(row, homes[row.pk]) if row else None))
    return out


def agreements_for(home: Library, host: Library | None = None, *, with_rows: bool = False):
    """Reciprocal agreements (with their terms) of the networks ``home`` (and ``host``) belong to, and members.

    One read of the memberships of ``home``'s networks gives both the networks the two share and who is
    admitted to them. With ``with_rows`` the agreements as read are returned too (id → ``Agreement``)."""
    rows = list(Membership.objects.filter(network_id__in=Membership.objects.filter(library_id=home.pk)
                                          .order_by().values("network_id"))
                .order_by().values_list("network_id", "library_id", "state"))
    networks = {n for n, library_id, _state in rows if library_id == home.pk}
    if host is not None:
        networks &= {n for n, library_id, _state in rows if library_id == host.pk}
    read = _reciprocal_agreements(networks)
    agreements = _with_terms(read)
    wanted = {t.network_id for t, _b in agreements}
    members: dict[int, set[int]] = defaultdict(set)
    for network_id, library_id, state in rows:
        if network_id in wanted and state in ms.ACTIVE_STATES:
            members[network_id].add(library_id)
    admitted = {n: frozenset(ids) for n, ids in members.items()}
    if with_rows:
        return agreements, admitted, {a.pk: a for a in read}
    return agreements, admitted


def pass_by_code(code: str) -> Pass | None:
    """The pass with this (normalised) code, with its home library and that library's NCIP server."""
    return next(iter(Pass.objects.select_related("home", "home__ncip_server").filter(code=code).order_by()[:1]),
                None)


def active_blocks(holder: Pass, on: date) -> list[Block]:
    return list(Block.objects.filter(holder=holder, lifted_at__isnull=True)
                .filter(Q(until__isnull=True) | Q(until__gte=on)).select_related("library"))


def hub_standing(holder: Pass, on: date, blocks: list[Block] | None = None,
                 open_loans: list[Loan] | None = None) -> desk.Standing:
    """The standing the hub itself knows: blocks at any member, overdue ILL and reciprocal loans.

    ``blocks`` and ``open_loans`` (the reader's reciprocal loans not yet returned, at every host), when the
    caller has read them already, are not read again."""
    blocks = active_blocks(holder, on) if blocks is None else blocks
    overdue_ill = 0
    if holder.reader_id:
        overdue_ill = IllRequest.objects.filter(
            reader_id=holder.reader_id, returned_at__isnull=True).filter(
            Q(state="Overdue") | Q(state__in=ILL_OUT, due_date__lt=on)).order_by().count()
    if open_loans is None:
        overdue_reciprocal = Loan.objects.filter(holder__in=_same_reader(holder), returned_at__isnull=True,
                                                 due__lt=on).order_by().count()
    else:
        overdue_reciprocal = sum(1 for loan in open_loans if loan.due < on)
    return desk.Standing("hub", True, "", tuple(desk.Block(b.library_id, b.until, b.reason) for b in blocks),
                         overdue_ill, overdue_reciprocal)


def _same_reader(holder: Pass) -> QuerySet[Pass]:
    """The reader's passes, old ones too: an overdue loan on a withdrawn pass still counts."""
    if holder.reader_id:
        return Pass.objects.filter(reader_id=holder.reader_id)
    if holder.home_user_id:
        return Pass.objects.filter(home_id=holder.home_id, home_user_id=holder.home_user_id)
    return Pass.objects.filter(pk=holder.pk)


def ncip_server_of(library_id: int) -> NcipServer | None:
    return NcipServer.objects.filter(library_id=library_id, active=True).first()


def _home_ncip_server(holder: Pass) -> NcipServer | None:
    """The home library's switched-on NCIP server: as read with the pass (``pass_by_code``), else asked."""
    if not Library.ncip_server.is_cached(holder.home):
        return ncip_server_of(holder.home_id)
    try:
        server = holder.home.ncip_server
    except NcipServer.DoesNotExist:
        return None
    return server if server.active else None


def ncip_server_asking(agency: str) -> NcipServer | None:
    """The switched-on NCIP server of this agency that has a shared secret (one that may ask the hub)."""
    return NcipServer.objects.filter(agency_id=agency, active=True).exclude(shared_secret="").first()


def pass_named(user_id: str, agency: str) -> Pass | None:
    """The pass an NCIP request names: by its pass code, else by the reader's id at their home library
    (the agency's library, or the library of the NCIP server with that agency id); an active pass first."""
    try:
        return Pass.objects.select_related("home").filter(code=passcode.normalise(user_id)).first()
    except passcode.BadPassCode:
        pass
    home = Library.objects.filter(code=agency).first() if agency else None
    if home is None and agency:
        server = NcipServer.objects.filter(agency_id=agency).select_related("library").first()
        home = server.library if server else None
    if home is None:
        return None
    return (Pass.objects.select_related("home").filter(home=home, home_user_id=user_id)
            .order_by("state").first())  # "active" before "applied", "refused", "revoked"


def open_loans_of(holder: Pass) -> QuerySet[Loan]:
    """The pass's reciprocal loans not yet returned, the soonest due first."""
    return Loan.objects.filter(holder=holder, returned_at__isnull=True).order_by("due")


def ncip_server_setting(library: Library) -> NcipServer | None:
    """The library's NCIP server as saved, switched on or not (the page that edits it)."""
    return NcipServer.objects.filter(library=library).first()


def pass_issued(library: Library, pk) -> Pass | None:
    """An active pass the library issued, if it issued one with this id."""
    return Pass.objects.filter(pk=pk, home=library, state=Pass.State.ACTIVE).first()


def borrowing_terms(agreement: Agreement) -> BorrowingTerms | None:
    """The agreement's reciprocal borrowing terms (with their home libraries), if it has any."""
    return BorrowingTerms.objects.filter(agreement=agreement).prefetch_related("home_libraries").first()


def standing(holder: Pass, on: date, blocks: list[Block] | None = None,
             open_loans: list[Loan] | None = None) -> desk.Standing:
    """The hub's standing, joined with the home library's own over NCIP when it runs an NCIP server."""
    own = hub_standing(holder, on, blocks, open_loans)
    server = _home_ncip_server(holder) if holder.home_user_id else None
    if server is None:
        return own
    from jaringan.interop.ncip import client

    remote = client.standing_of(server, holder.home_user_id, on)
    if remote.error:
        return desk.Standing("ncip", True, remote.error, own.blocks, own.overdue_ill, own.overdue_reciprocal)
    if not remote.found:
        return desk.Standing("ncip", False, "", own.blocks, own.overdue_ill, own.overdue_reciprocal)
    blocks = own.blocks + tuple(desk.Block(None, until, kind) for _agency, kind, until in remote.blocks)
    return desk.Standing("ncip", True, "", blocks, own.overdue_ill, own.overdue_reciprocal, remote.overdue)


def open_loans_of_reader(holder: Pass) -> list[Loan]:
    """The reader's reciprocal loans not yet returned, at every host (old passes too), the soonest due first."""
    return list(Loan.objects.filter(holder__in=_same_reader(holder), returned_at__isnull=True).order_by("due"))


def visitor_of(holder: Pass) -> desk.Visitor:
    return desk.Visitor(holder.home_id, holder.category, holder.state, holder.expires)


@dataclass
class DeskView:
    """What the desk shows of a visitor: the decision, the standing it read, the blocks and their loans here."""

    decision: desk.DeskDecision
    standing: desk.Standing
    blocks: list[Block]
    loans_here: list[Loan]
    #: What was read on the way, by id, for the words of the decision: agreements and libraries.
    agreements: dict[int, Agreement]
    libraries: dict[int, Library]


def desk_view(holder: Pass, host: Library, on: date | None = None) -> DeskView:
    """May the pass holder borrow at ``host`` on ``on``? Everything the desk shows with the answer.

    Each thing is read once: the reader's open loans give both the overdue count and the loans here."""
    on = on or timezone.localdate()
    agreements, members, read = agreements_for(holder.home, host, with_rows=True)
    blocks = active_blocks(holder, on)
    open_loans = open_loans_of_reader(holder)
    the_standing = standing(holder, on, blocks, open_loans)
    loans_here = [loan for loan in open_loans if loan.host_id == host.pk]
    decision = desk.decide(visitor=visitor_of(holder), host_id=host.pk, on=on, agreements=agreements,
                           members=members, standing=the_standing, items_out=len(loans_here),
                           sites={holder.home_id: holder.home.site, host.pk: host.site})
    libraries = {host.pk: host, holder.home_id: holder.home, **{b.library_id: b.library for b in blocks}}
    return DeskView(decision, the_standing, blocks, loans_here, read, libraries)


def desk_decision(holder: Pass, host: Library, on: date | None = None) -> tuple[desk.DeskDecision, desk.Standing]:
    """The decision alone, and the standing it read."""
    view = desk_view(holder, host, on)
    return view.decision, view.standing


def hosts_for(holder: Pass, on: date | None = None) -> list[tuple[Library, Agreement]]:
    """Where the pass is good today, and under which agreement."""
    on = on or timezone.localdate()
    agreements, members = agreements_for(holder.home)
    hosts = {lib for t, _b in agreements for lib in members.get(t.network_id, ())} | {holder.home_id}
    valid = desk.passes_valid_at(home_id=holder.home_id, category=holder.category, on=on,
                                 agreements=agreements, members=members, sites=sites_of(hosts))
    libraries = Library.objects.in_bulk(list(valid))
    by_id = Agreement.objects.in_bulk(set(valid.values()))
    return sorted(((libraries[h], by_id[a]) for h, a in valid.items()), key=lambda la: la[0].name)


def live_pass_of(user) -> Pass | None:
    return (Pass.objects.select_related("home").filter(reader=user, state__in=["applied", "active"]).first()
            or Pass.objects.select_related("home").filter(reader=user).first())


def loans_of(holder: Pass) -> QuerySet[Loan]:
    return Loan.objects.filter(holder__in=_same_reader(holder)).select_related("host").order_by(
        "returned_at", "due")


def passes_of_library(library: Library) -> QuerySet[Pass]:
    return Pass.objects.filter(home=library).select_related("reader").order_by("state", "-created")


def host_loans(host: Library) -> QuerySet[Loan]:
    return (Loan.objects.filter(host=host, returned_at__isnull=True).select_related("holder", "holder__home")
            .only("title", "due", "holder__code", "holder__reader_name", "holder__home__name").order_by("due"))


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end, time.max), tz))


def network_balance(network: Network, start: date, end: date) -> dict:
    """Reciprocal visits and loans under ``network``'s agreements in the period, per member.

    ``visits_hosted``/``loans_given``: readers of other members served at this library;
    ``visits_made``/``loans_taken``: this library's readers served elsewhere; ``net`` loans given minus taken;
    ``owed``/``owes``/``money_net``: the reciprocal loans' fees and deposits in the members' ledger (rupiah).
    """
    members = list(Membership.objects.filter(network=network).exclude(state__in=["applied", "rejected"])
                   .select_related("library").order_by("library__name"))
    rows = {m.library_id: {"library": m.library, "visits_hosted": 0, "visits_made": 0, "loans_given": 0,
                           "loans_taken": 0, "owed": 0, "owes": 0} for m in members}
    lo, hi = _bounds(start, end)
    loans = (Loan.objects.filter(agreement__network=network, lent_at__range=(lo, hi))
             .values_list("host_id", "holder__home_id").annotate(n=Count("id")))
    for host_id, home_id, n in loans:
        if host_id in rows:
            rows[host_id]["loans_given"] += n
        if home_id in rows:
            rows[home_id]["loans_taken"] += n
    # A visit is one reader at one host on one day: checked twice that day, it counts once.
    seen = set(Visit.objects.filter(agreement__network=network, allowed=True, on__range=(start, end))
               .values_list("host_id", "holder__home_id", "holder_id", "on"))
    for host_id, home_id, _holder, _on in seen:
        if host_id in rows:
            rows[host_id]["visits_hosted"] += 1
        if home_id in rows:
            rows[home_id]["visits_made"] += 1
    amount = _ledger_of_reciprocal_loans(rows, network, start, end)
    out = []
    for row in rows.values():
        row["net"] = row["loans_given"] - row["loans_taken"]
        row["money_net"] = row["owed"] - row["owes"]
        out.append(row)
    return {"members": out, "totals": {"visits": len(seen), "loans": sum(r["loans_given"] for r in out),
                                       "amount": amount}}


def _ledger_of_reciprocal_loans(rows: dict, network: Network, start: date, end: date) -> int:
    """Each member's reciprocal fees and deposits owed to it and by it in the period (the members' ledger, the
    one interlibrary loans write into); the period's total."""
    lines = (LedgerEntry.objects.filter(network=network, reciprocal_loan__isnull=False, on__range=(start, end))
             .order_by().values_list("creditor_id", "debtor_id", "amount"))
    total = 0
    for creditor_id, debtor_id, amount in lines:
        total += int(amount)
        if creditor_id in rows:
            rows[creditor_id]["owed"] += int(amount)
        if debtor_id in rows:
            rows[debtor_id]["owes"] += int(amount)
    return total
