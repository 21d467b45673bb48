"""Interlibrary loan requests for the demo network, in varied states, made through the services.

`load_ill` runs after the demo network and its catalogue are loaded. It
asks for real books of the demo catalogue the way the demo's people would:
the reader ``pembaca`` at Pattimura University (Ambon) asks from record pages,
the Pattimura staff approve and ask the eastern network's libraries, other
West Java members ask ITB, and ITB asks in turn. Lenders without a demo
account answer as the hub itself. Each step goes through `services`, so the
rota, history, ISO 18626 messages and ledger are what real use would leave.

Besides the requests under way, a year of requests played to their end (loans returned, copies sent, a
lender that could not supply) is dated back over the past twelve months by `history`, so the month charts of
the statistics and of the yearly report show a year.
"""

from __future__ import annotations

import logging
import random
from functools import partial
from itertools import cycle

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q

from jaringan.catalog.models import Edition
from jaringan.core.errors import JaringanError
from jaringan.ill import services
from jaringan.ill.models import IllRequest
from jaringan.network.models import Library, Role
from jaringan.network.permissions import SYSTEM, Principal, principal_for

from . import history

log = logging.getLogger(__name__)

#: The demo's requesting libraries and the lenders an agreement lets each ask.
EASTERN = ("UNPATTI", ("UNHAS", "UNUD"))  # JPIT: the named-parties agreement
WEST_JAVA_LENDER = "ITB"
WEST_JAVA_ASKERS = ("UI", "DISPUSIPDA-JABAR")
#: Requests of the past, played to their end, each month of the year.
PAST_PER_MONTH = 5
#: For whom staff asked, in the past year's requests.
PAST_READERS = ("Mahasiswa S2 Biologi Laut", "Dosen Fakultas Hukum", "Peneliti tamu", "Pustakawan referensi",
                "Mahasiswa S1 Sejarah", "Kelompok riset geodesi")


def _person(username: str) -> Principal | None:
    user = get_user_model().objects.filter(username=username).first()
    return principal_for(user) if user else None


def _staff_of(library: Library) -> Principal:
    """A staff member of ``library`` with a demo account, else the hub itself."""
    user_id = Role.objects.filter(kind=Role.Kind.STAFF, library=library).order_by("user_id") \
        .values_list("user_id", flat=True).first()
    if user_id is None:
        return SYSTEM
    return principal_for(get_user_model().objects.get(pk=user_id))


def _editions(lenders: list[Library], requester: Library, limit: int = 12) -> list[Edition]:
    """Editions some of ``lenders`` hold and ``requester`` does not, most widely held first."""
    return list(
        Edition.objects.filter(records__library__in=lenders, records__withdrawn=False)
        .exclude(records__library=requester)
        .annotate(n=Count("records", filter=Q(records__library__in=lenders), distinct=True))
        .order_by("-n", "pk")[:limit]
    )


def _act(actor, req: IllRequest, action: str, **params) -> IllRequest:
    req.refresh_from_db()
    return services.illrequest_act(actor=actor, request=req, action=action, expected_version=req.version,
                                   **params)


def _ask(actor, *, edition, requester, lender: str, **kw) -> IllRequest:
    """Staff ask for a reader (or their own use) and send it to the lender named."""
    req = services.illrequest_create(actor=actor, edition=edition, requester=requester, send=False, **kw)
    return services.illrequest_send(actor=actor, request=req, lender=lender, expected_version=req.version)


def _reader_asks(reader, desk, *, edition, lender: str | None, **kw) -> IllRequest:
    req = services.illrequest_create(actor=reader, edition=edition, **kw)
    if lender is None:
        return req
    req = services.illrequest_approve(actor=desk, request=req, expected_version=req.version, send=False,
                                      note="Disetujui")
    req = services.illrequest_route(actor=desk, request=req, expected_version=req.version)
    return services.illrequest_send(actor=desk, request=req, lender=lender, expected_version=req.version)


def _keep(made: list[IllRequest], scenario) -> None:
    """Play one scenario in a savepoint; one the network cannot play (no agreement, no copy) is left out."""
    try:
        with transaction.atomic():
            req = scenario()
    except JaringanError as exc:
        log.warning("demo interlibrary loan request left out: %s", exc.message)
        return
    if req is not None:
        made.append(req)


def _eastern(made: list[IllRequest]) -> None:
    requester = Library.objects.filter(code=EASTERN[0]).first()
    lenders = list(Library.objects.filter(code__in=EASTERN[1]).order_by("code"))
    if requester is None or not lenders:
        return
    editions = _editions(lenders, requester)
    if not editions:
        return
    books = cycle(editions)
    desk = _staff_of(requester)
    reader = _person("pembaca")

    def holder(edition) -> Library:
        held = set(edition.records.values_list("library__code", flat=True))
        return next(lib for lib in lenders if lib.code in held)

    def waiting_for_approval():
        return _reader_asks(reader, desk, edition=next(books), lender=None, service="loan",
                            note="Untuk skripsi saya tentang sejarah Maluku.")

    def arrived():
        book = next(books)
        lib = holder(book)
        req = _reader_asks(reader, desk, edition=book, lender=lib.code, service="loan")
        _act(_staff_of(lib), req, "WillSupply")
        _act(_staff_of(lib), req, "Loaned", sent_via="Pos Indonesia kilat")
        return _act(desk, req, "Received")

    def renewal_asked():
        book = next(books)
        lib = holder(book)
        req = _reader_asks(reader, desk, edition=book, lender=lib.code, service="loan")
        _act(_staff_of(lib), req, "Loaned")
        _act(desk, req, "Received")
        return _act(desk, req, "Renew", note="Pembaca masih memerlukannya untuk penelitian.")

    def copy_on_conditions():
        book = next(books)
        lib = holder(book)
        req = _ask(desk, edition=book, requester=requester, lender=lib.code, service="copy",
                   citation={"pages_requested": "15-32"}, reader_name="Dr. Maria Latuheru", max_cost=10000)
        return _act(_staff_of(lib), req, "RetryPossible", offered_cost=25000,
                    note="Naskah rapuh; dipindai dengan hati-hati.")

    def not_on_shelf():
        book = next(books)
        lib = holder(book)
        req = _ask(desk, edition=book, requester=requester, lender=lib.code, service="loan",
                   reader_name="Ruang baca Fakultas Perikanan")
        return _act(_staff_of(lib), req, "Unfilled", reason="NotOnShelf")

    scenarios = [copy_on_conditions, not_on_shelf]
    if reader is not None:
        scenarios = [waiting_for_approval, arrived, renewal_asked, *scenarios]
    for scenario in scenarios:
        _keep(made, scenario)


def _west_java(made: list[IllRequest]) -> None:
    lender = Library.objects.filter(code=WEST_JAVA_LENDER).first()
    askers = list(Library.objects.filter(code__in=WEST_JAVA_ASKERS).order_by("code"))
    if lender is None or not askers:
        return
    itb = _staff_of(lender)
    for n, asker in enumerate(askers):
        editions = _editions([lender], asker, limit=4)
        if len(editions) < 2:
            continue
        desk = _staff_of(asker)

        def new_at_lender():
            return _ask(desk, edition=editions[0], requester=asker, lender=lender.code, service="loan",
                        reader_name="Mahasiswa pascasarjana")

        def will_supply():
            req = _ask(desk, edition=editions[1], requester=asker, lender=lender.code, service="loan",
                       reader_name="Dosen Fakultas Teknik")
            return _act(itb, req, "WillSupply")

        def completed():
            req = _ask(desk, edition=editions[0], requester=asker, lender=lender.code, service="loan",
                       reader_name="Pustakawan referensi")
            _act(itb, req, "Loaned")
            _act(desk, req, "Received")
            _act(desk, req, "ShippedReturn", note="JNE REG 0123456789")
            return _act(itb, req, "LoanCompleted")

        def borrowed_by_lender():
            back = _editions([asker], lender, limit=1)
            if not back:
                return None
            req = _ask(itb, edition=back[0], requester=lender, lender=asker.code, service="loan",
                       reader_name="Kelompok riset geodesi")
            return _act(desk, req, "Loaned")

        for scenario in ([new_at_lender, will_supply] if n == 0 else [completed, borrowed_by_lender]):
            _keep(made, scenario)


def _routes() -> list[tuple[Library, list[Library], list[Edition]]]:
    """Who asked whom in the past year (the requesting library, the lenders it may ask, books they hold)."""
    routes = []
    pairs = [(EASTERN[0], EASTERN[1])] + [(asker, (WEST_JAVA_LENDER,)) for asker in WEST_JAVA_ASKERS]
    for code, lender_codes in pairs:
        requester = Library.objects.filter(code=code).first()
        lenders = list(Library.objects.filter(code__in=lender_codes).order_by("code"))
        editions = _editions(lenders, requester, limit=40) if requester and lenders else []
        if editions:
            routes.append((requester, lenders, editions))
    return routes


def _played_to_the_end(rng: random.Random, requester, lenders, book) -> IllRequest:
    """One request of the past, from asking to its end: mostly a loan returned, some copies, a few that the
    first lender could not supply (then the next one did, or nobody)."""
    desk = _staff_of(requester)
    held = set(book.records.values_list("library__code", flat=True))
    lender = next(lib for lib in lenders if lib.code in held)
    kind = rng.choices(("loan", "copy", "unfilled"), weights=(6, 3, 1))[0]
    service = "copy" if kind == "copy" else "loan"
    citation = {"pages_requested": f"{rng.randrange(1, 40)}-{rng.randrange(45, 90)}"} if kind == "copy" else None
    req = _ask(desk, edition=book, requester=requester, lender=lender.code, service=service, citation=citation,
               reader_name=rng.choice(PAST_READERS))
    if kind == "unfilled":
        req = _act(_staff_of(lender), req, "Unfilled", reason=rng.choice(("NotOnShelf", "InUse")))
        req.refresh_from_db()
        if req.final or req.supplier is None:
            return req
        lender = req.supplier  # the next lender of the rota was asked, and lends it
    if kind == "copy":
        return _act(_staff_of(lender), req, "CopyCompleted", posted=True)
    _act(_staff_of(lender), req, "WillSupply")
    _act(_staff_of(lender), req, "Loaned", sent_via="Pos Indonesia kilat")
    _act(desk, req, "Received")
    _act(desk, req, "ShippedReturn")
    return _act(_staff_of(lender), req, "LoanCompleted")


def _past(made: list[IllRequest]) -> None:
    """The past year's requests, `PAST_PER_MONTH` a month, each dated back to its month (`history`)."""
    rng = random.Random(history.SEED)
    routes = _routes()
    if not routes:
        return
    books = {requester.code: cycle(editions) for requester, _lenders, editions in routes}
    for months_back in range(history.MONTHS - 1, -1, -1):
        for _n in range(PAST_PER_MONTH):
            requester, lenders, _editions_held = rng.choice(routes)
            book = next(books[requester.code])
            before = len(made)
            _keep(made, partial(_played_to_the_end, rng, requester, lenders, book))
            if len(made) > before:
                days = history.days_back(rng, months_back)
                history.age_request(made[-1], days)
                history.stretch_request(made[-1], rng, within_days=days)


def load_ill(*, notices: bool = False, past: bool = False) -> int:
    """Make the demo's interlibrary loan requests once; how many were made (0 if there were already some).

    ``past``: a year of requests played to their end too, dated back over the past twelve months. The notices
    the steps send go nowhere unless ``notices`` (the demo's people have no real addresses).
    """
    if notices:
        return _load(past)
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load(past)  # the notices leave when the transaction commits, still inside


@transaction.atomic
def _load(past: bool) -> int:
    if IllRequest.objects.exists():
        return 0
    made: list[IllRequest] = []
    if past:
        _past(made)
    _eastern(made)
    _west_java(made)
    return len(made)
