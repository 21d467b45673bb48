"""The rota of a request: gather the candidates from the catalogue and the network, let the core rank them.

The pure routing core (`jaringan.core.ill.routing`) decides; this module only
reads what it needs from the database:

* who holds the edition (or, when the reader accepts any edition, any edition
  of its work) and how many items — or, for a typed citation with an ISBN,
  the edition that ISBN finds; staff may also name lenders themselves;
* every agreement of the networks each candidate shares with the requester,
  and which libraries are admitted (not suspended) members of those networks;
* each candidate's recent figures (a year): requests received and supplied,
  lending and borrowing, open lending requests, days to ship;
* the network's lending over the same year (loans and copies its members
  supplied, and how many members are able to lend), for each lender's fair share;
* the weights: those of the requester's first network (by name) that set its
  own (`RoutingWeights`), else the core's defaults (see docs/routing.md).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import median

from django.db.models import Count, Q
from django.utils import timezone

from jaringan.catalog.models import Edition, EditionKey, SourceRecord
from jaringan.core.agreements import Service as AgreementService
from jaringan.core.catalog.identifiers import normalise_isbn
from jaringan.core.catalog.matching import key_number
from jaringan.core.ill import fees, lifecycle
from jaringan.core.ill import routing as core
from jaringan.core.ill.geography import Place, leg
from jaringan.network.models import Agreement, Library, Membership
from jaringan.network.selectors import admitted_members, agreement_terms, agreements_between, border_rules
from jaringan.network.selectors import sites as site_of
from jaringan.serials.selectors import holders_of

from .models import IllRequest, RotaEntry, RoutingWeights, Service

#: The window of the figures routing weighs.
FIGURES_WINDOW = timedelta(days=365)
_OPEN_EXCLUDED = [str(s) for s in lifecycle.FINAL] + [str(lifecycle.Step.AwaitingApproval),
                                                      str(lifecycle.Step.Validated)]


def place_of(library: Library) -> Place:
    return Place(province=library.province, latitude=library.latitude, longitude=library.longitude)


def weights_for(requester: Library) -> tuple[core.Weights, str | None]:
    """The weights routing uses for ``requester``'s requests, and the network they come from."""
    row = (RoutingWeights.objects.filter(network__memberships__library=requester,
                                         network__memberships__state=Membership.State.ADMITTED)
           .select_related("network").order_by("network__name").first())
    if row is None:
        return core.DEFAULT, None
    return core.Weights.from_mapping(row.weights), row.network.code


def current_entry(req: IllRequest) -> RotaEntry | None:
    """The rota entry of the lender the request is with now (None before it is sent)."""
    if not req.rota_position:
        return None
    return req.rota.select_related("agreement", "library").filter(position=req.rota_position).first()


def edition_for_citation(req: IllRequest) -> Edition | None:
    """The edition a typed citation's ISBN finds in the union catalogue, if any."""
    isbn = normalise_isbn(req.isbn) if req.isbn else None
    if not isbn:
        return None
    under_key = EditionKey.objects.filter(key=key_number(f"isbn:{isbn}")).values("edition_id")
    return Edition.objects.filter(pk__in=under_key, records__withdrawn=False).order_by("pk").first()  # one query


def holdings(req: IllRequest) -> dict[int, tuple[int, bool]]:
    """Library id → (items held, whether it is the edition asked for)."""
    return held_at(req)[0]


def held_at(req: IllRequest) -> tuple[dict[int, tuple[int, bool]], dict[int, list[tuple[str | None, int]]]]:
    """`holdings`, and library id → the shelf locations of the items counted (location, items)."""
    out: dict[int, tuple[int, bool]] = {}
    where: dict[int, list[tuple[str | None, int]]] = defaultdict(list)
    edition = req.edition
    if edition is None:
        return out, where
    editions = [edition.pk]
    if req.any_edition and edition.work_id:
        editions += list(Edition.objects.filter(work_id=edition.work_id).exclude(pk=edition.pk)
                         .values_list("pk", flat=True)[:200])
    rows = SourceRecord.objects.filter(edition_id__in=editions, withdrawn=False).values_list(
        "library_id", "edition_id", "data")
    for library_id, edition_id, data in rows:
        lines = [(line.get("location"), _items(line)) for line in (data or {}).get("holdings") or [{}]]
        items = sum(n for _loc, n in lines)
        exact = edition_id == edition.pk
        have, was_exact = out.get(library_id, (0, False))
        if exact and not was_exact:
            out[library_id] = (items, True)
            where[library_id] = lines
        elif exact == was_exact:
            out[library_id] = (have + items, exact)
            where[library_id] += lines
    return out, where


def _items(line: dict) -> int:
    try:
        return max(int(line.get("items") or 1), 0)
    except (TypeError, ValueError):
        return 1


def _figures(ids: list[int]) -> dict[int, dict]:
    since = timezone.now() - FIGURES_WINDOW
    figures: dict[int, dict] = defaultdict(lambda: {"asked": 0, "filled": 0, "lent": 0, "borrowed": 0,
                                                    "open": 0, "days": []})
    for row in (RotaEntry.objects.filter(library_id__in=ids, sent_at__gte=since).values("library_id")
                .annotate(asked=Count("id"), filled=Count("id", filter=Q(outcome=RotaEntry.Outcome.SUPPLIED)))):
        figures[row["library_id"]]["asked"] = row["asked"]
        figures[row["library_id"]]["filled"] = row["filled"]
        figures[row["library_id"]]["lent"] = row["filled"]
    for row in (RotaEntry.objects.filter(request__requester_id__in=ids, outcome=RotaEntry.Outcome.SUPPLIED,
                                         supplied_at__gte=since)
                .values("request__requester_id").annotate(n=Count("id"))):
        figures[row["request__requester_id"]]["borrowed"] = row["n"]
    for row in (IllRequest.objects.filter(supplier_id__in=ids).exclude(state__in=_OPEN_EXCLUDED)
                .values("supplier_id").annotate(n=Count("id"))):
        figures[row["supplier_id"]]["open"] = row["n"]
    shipped = RotaEntry.objects.filter(library_id__in=ids, supplied_at__gte=since, sent_at__isnull=False).values_list(
        "library_id", "sent_at", "supplied_at")
    for library_id, sent, supplied in shipped:
        figures[library_id]["days"].append(max((supplied - sent).total_seconds() / 86400, 0))
    return figures


def _agreements_by_candidate(requester: Library, ids: list[int]):
    networks: dict[int, set[int]] = defaultdict(set)
    for network_id, library_id in Membership.objects.filter(library_id__in=[*ids, requester.pk]).values_list(
            "network_id", "library_id"):
        networks[library_id].add(network_id)
    mine = networks[requester.pk]
    terms_by_network: dict[int, list] = defaultdict(list)
    found = border_rules(mine)
    for agreement in Agreement.objects.filter(network_id__in=mine).prefetch_related("parties"):
        terms_by_network[agreement.network_id].append(agreement_terms(agreement, found))
    out = {}
    for library_id in ids:
        shared = mine & networks[library_id]
        out[library_id] = tuple(t for n in sorted(shared) for t in terms_by_network[n])
    return out, mine


def candidates(req: IllRequest, *, named: list[Library] | None = None) -> tuple[list[core.Candidate], dict]:
    """The candidates for ``req`` and the libraries they are, by id.

    A copy of an article from a serial the union catalogue of serials knows goes only to the members
    whose holdings cover its volume and year (``serials.selectors.holders_of``).
    """
    held, where = held_at(req)
    if req.service != Service.LOAN and (req.issn or req.container) and (req.volume or req.year):
        covering = holders_of(issn=req.issn or None, title=req.container or None, volume=req.volume or None,
                              year=req.year or None)
        if covering is not None:
            held = {h.library_id: held.get(h.library_id, (1, True)) for h in covering}
    if named:
        for library in named:
            held.setdefault(library.pk, (1, True))  # staff say it is held there
    ids = sorted(held)
    libraries = {lib.pk: lib for lib in Library.objects.filter(pk__in=ids)}
    if not ids:
        return [], libraries
    agreements, _ = _agreements_by_candidate(req.requester, ids)
    figures = _figures(ids)
    sites = site_of(ids)
    out = []
    for library_id in ids:
        library = libraries[library_id]
        items, exact = held[library_id]
        f = figures[library_id]
        offers = set()
        if library.offers_loan:
            offers.add(AgreementService.LOAN)
        if library.offers_copy:
            offers.add(AgreementService.COPY)
        out.append(core.Candidate(
            library_id=library_id, place=place_of(library), items=items, agreements=agreements[library_id],
            offers=frozenset(offers), delivers_digital="digital" in (library.delivery_methods or []),
            collection_size=library.collection_size, open_lending=f["open"], lent=f["lent"],
            borrowed=f["borrowed"], asked=f["asked"], filled=f["filled"],
            median_days_to_ship=median(f["days"]) if f["days"] else None, shipments=len(f["days"]),
            exact_edition=exact, site=sites.get(library_id),
            local_items=sum(n for location, n in where.get(library_id, ()) if library.holds_local_content_at(location)),
        ))
    return out, libraries


def used_this_year(requester_id: int) -> dict[int, int]:
    """Agreement id → supplies the requester had under it this year (for free quotas)."""
    year = timezone.localdate().year
    return dict(RotaEntry.objects.filter(request__requester_id=requester_id, outcome=RotaEntry.Outcome.SUPPLIED,
                                         supplied_at__year=year, agreement__isnull=False)
                .values("agreement_id").annotate(n=Count("id")).values_list("agreement_id", "n"))


def offer_between(requester: Library, supplier: Library, service: str, *, on=None, pages: int | None = None,
                  digital: bool | None = None, local_content: bool = False) -> fees.Offer:
    """What the agreement check says of a loan or a copy: the rule, figures and distance a request's rota uses.

    ``digital`` (a copy as a scan) defaults to whether the supplier delivers scans, as a request
    accepting a scan would be sent. ``local_content``: the item is of the supplier's local content (a loan
    of it is held back by the border rules keeping local content in its region).
    """
    service = AgreementService(service)
    if digital is None:
        digital = service is AgreementService.COPY and "digital" in (supplier.delivery_methods or [])
    agreements = list(agreements_between(requester, supplier))
    found = border_rules({a.network_id for a in agreements})
    return fees.offer(
        requester=requester.pk, supplier=supplier.pk, service=service, on=on or timezone.localdate(),
        agreements=[agreement_terms(a, found) for a in agreements],
        members=admitted_members({a.network_id for a in agreements}),
        km=leg(place_of(requester), place_of(supplier)).km, pages=pages, used_this_year=used_this_year(requester.pk),
        digital=digital, sites={requester.pk: requester.site, supplier.pk: supplier.site},
        local_content=local_content and service is AgreementService.LOAN,
    )


def network_figures(members) -> core.Network:
    """The lending of the admitted members of a request's networks (network id → member ids) over the window
    of the candidates' figures, and how many of them offer loans or copies to other members."""
    ids = set().union(*members.values()) if members else set()
    since = timezone.now() - FIGURES_WINDOW
    lent = RotaEntry.objects.filter(library_id__in=ids, sent_at__gte=since, outcome=RotaEntry.Outcome.SUPPLIED).count()
    lenders = Library.objects.filter(Q(offers_loan=True) | Q(offers_copy=True), pk__in=ids).count()
    return core.Network(lent=lent, lenders=lenders)


def need_for(req: IllRequest, service: AgreementService, *, tried: frozenset[int], network_ids,
             members=None, network: core.Network | None = None) -> core.Need:
    used = used_this_year(req.requester_id)
    members = admitted_members(network_ids) if members is None else members
    return core.Need(
        requester_id=req.requester_id, service=service, place=place_of(req.requester), on=timezone.localdate(),
        members=members, pages=req.page_count if service is AgreementService.COPY else None,
        max_cost=int(req.max_cost) if req.max_cost is not None else None, used_this_year=used, tried=tried,
        accepts_digital=req.accepts_digital, site=req.requester.site,
        network=network_figures(members) if network is None else network,
    )


def rank(req: IllRequest, *, named: list[Library] | None = None) -> tuple[list[tuple[core.Lender, str]], list,
                                                                          dict, core.Weights, str | None]:
    """Rank the candidates for ``req``: [(lender, service asked)], excluded, libraries, weights, network code."""
    cands, libraries = candidates(req, named=named)
    tried = frozenset(RotaEntry.objects.filter(request=req).exclude(outcome=RotaEntry.Outcome.WAITING)
                      .values_list("library_id", flat=True))
    weights, network = weights_for(req.requester)
    if not cands:
        return [], [], libraries, weights, network
    network_ids = {t.network_id for c in cands for t in c.agreements}
    members = admitted_members(network_ids)
    figures = network_figures(members)
    services = {Service.LOAN: [AgreementService.LOAN], Service.COPY: [AgreementService.COPY],
                Service.EITHER: [AgreementService.LOAN, AgreementService.COPY]}[Service(req.service)]
    best: dict[int, tuple[core.Lender, str]] = {}
    both: dict[int, int] = defaultdict(int)
    excluded: dict[int, core.Excluded] = {}
    for service in services:
        need = need_for(req, service, tried=tried, network_ids=network_ids, members=members, network=figures)
        ranking = core.rank(need, cands, weights=weights)
        for lender in ranking.lenders:
            both[lender.library_id] += 1
            if lender.library_id not in best or lender.score > best[lender.library_id][0].score:
                best[lender.library_id] = (lender, str(service))
        for out in ranking.excluded:
            excluded.setdefault(out.library_id, out)
    chosen = []
    for library_id, (lender, service) in best.items():
        asked = Service.EITHER if both[library_id] > 1 else Service(service)
        chosen.append((lender, str(asked)))
    chosen.sort(key=lambda pair: core.order_key(pair[0]))
    left_out = [x for library_id, x in sorted(excluded.items()) if library_id not in best]
    return chosen, left_out, libraries, weights, network
