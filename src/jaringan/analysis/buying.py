"""Buy-warning: before ordering, which lines of an order list the network already holds, who holds them
nearest, and whether an agreement lets the ordering library borrow them — and at what cost.

Whether and at what cost is asked of the one rule a real request uses (`ill.rota.offer_between`:
`core.ill.fees.offer` with the agreements, the members and the distance over land and sea), once
per holding library, not per line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from jaringan.catalog.models import EditionKey, SourceRecord
from jaringan.core.analysis.orders import OrderLine
from jaringan.core.catalog.matching.blocking import key_number
from jaringan.core.ill.geography import leg
from jaringan.ill.rota import offer_between, place_of
from jaringan.network.models import Library

#: Verdicts, from the ordering library's side.
OWN = "own"          # it holds the title already
BORROW = "borrow"    # another member holds it and an agreement lets it borrow: borrow, don't buy
HELD = "held"        # held in the network, but no agreement lets it borrow from a holder
BUY = "buy"          # nobody holds it
INVALID = "invalid"  # the line has no ISBN that can be read


@dataclass
class Lender:
    library: Library
    km: float | None
    allowed: bool
    cost: int | None
    agreement_id: int | None


@dataclass
class Warning:
    line: OrderLine
    verdict: str
    holders: int = 0
    edition_ids: list[int] = field(default_factory=list)
    nearest: Lender | None = None
    borrow_from: Lender | None = None


def _holdings(isbns: set[str]) -> dict[str, tuple[set[int], set[int]]]:
    """ISBN → (editions, libraries holding them), through the catalogue's ISBN keys."""
    numbers = {key_number(f"isbn:{isbn}"): isbn for isbn in isbns}
    edition_isbns: dict[int, set[str]] = defaultdict(set)
    keys = list(numbers)
    for start in range(0, len(keys), 900):
        for key, edition_id in EditionKey.objects.filter(key__in=keys[start:start + 900]).values_list("key",
                                                                                                      "edition_id"):
            edition_isbns[edition_id].add(numbers[key])
    out: dict[str, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    ids = list(edition_isbns)
    for start in range(0, len(ids), 900):
        rows = SourceRecord.objects.filter(edition_id__in=ids[start:start + 900], withdrawn=False)
        for edition_id, library_id, found in rows.values_list("edition_id", "library_id", "data__isbns"):
            # Two keys may share a number: the record must carry the ISBN.
            for isbn in edition_isbns[edition_id] & set(found or ()):
                out[isbn][0].add(edition_id)
                out[isbn][1].add(library_id)
    return out


def buy_warning(library: Library, lines: list[OrderLine]) -> list[Warning]:
    """Each line's verdict for `library`, in the list's order."""
    held = _holdings({line.isbn for line in lines if line.isbn})
    others = {lib for _e, libs in held.values() for lib in libs if lib != library.pk}
    libraries = Library.objects.in_bulk(others)
    here = place_of(library)
    lenders: dict[int, Lender] = {}
    for pk, other in libraries.items():
        offer = offer_between(library, other, "loan")
        km = leg(here, place_of(other)).km
        allowed = offer.decision.allowed
        lenders[pk] = Lender(other, km, allowed, offer.quote.requester_cost if allowed and offer.quote else None,
                             offer.decision.agreement_id if allowed else None)

    def distance(lender: Lender) -> tuple:
        return (lender.km is None, lender.km or 0, lender.library.name)

    out = []
    for line in lines:
        if not line.isbn:
            out.append(Warning(line, INVALID))
            continue
        editions, holders = held.get(line.isbn, (set(), set()))
        candidates = sorted((lenders[h] for h in holders if h in lenders), key=distance)
        allowed = sorted((c for c in candidates if c.allowed), key=lambda c: (c.cost or 0, *distance(c)))
        if library.pk in holders:
            verdict = OWN
        elif allowed:
            verdict = BORROW
        elif holders:
            verdict = HELD
        else:
            verdict = BUY
        out.append(Warning(line, verdict, len(holders), sorted(editions), candidates[0] if candidates else None,
                           allowed[0] if allowed else None))
    return out
