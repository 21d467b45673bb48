"""What a print batch holds: the requests on a library's pull slips and shipping labels, where the lender
keeps each item, who sends the parcel to whom, and a Code 39 barcode of the request's number."""

from __future__ import annotations

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.network.models import Library

from ..models import IllRequest
from ..selectors import borrowing_queue, lending_queue

#: Requests one print batch holds at most.
PRINT_MAX = 100


def print_batch(library: Library, *, side: str, ids: list[int] | None = None,
                state: str | None = None) -> list[IllRequest]:
    """Requests of ``library``'s lending (or borrowing) side to print: the ids named, or those in ``state``."""
    qs = lending_queue(library) if side == "lending" else borrowing_queue(library)
    if ids:
        qs = qs.filter(pk__in=ids)
    elif state:
        qs = qs.filter(state=state)
    else:
        return []
    return list(qs.order_by("pk")[:PRINT_MAX])


def shelf_marks(req: IllRequest) -> list[dict]:
    """Where the lender keeps the item: call numbers and locations of its records of the edition (or work)."""
    if req.supplier_id is None or req.edition_id is None:
        return []
    editions = [req.edition_id]
    if req.any_edition and req.edition.work_id:
        editions += list(Edition.objects.filter(work_id=req.edition.work_id).values_list("pk", flat=True)[:200])
    out = []
    for record in SourceRecord.objects.filter(library_id=req.supplier_id, edition_id__in=editions, withdrawn=False):
        for line in (record.data or {}).get("holdings") or [{}]:
            out.append({"call_number": line.get("call_number") or "", "location": line.get("location") or "",
                        "record": record.source_id, "exact": record.edition_id == req.edition_id})
    return out


def label_parties(req: IllRequest, side: str) -> tuple[Library | None, Library | None]:
    """(sender, recipient) of a parcel: the lender ships to the requester; a return goes back."""
    if side == "lending":
        return req.supplier, req.requester
    return req.requester, req.supplier


#: Code 39: each character's nine elements (bar, space, bar …), n narrow and w wide.
_CODE39 = {
    "0": "nnnwwnwnn", "1": "wnnwnnnnw", "2": "nnwwnnnnw", "3": "wnwwnnnnn", "4": "nnnwwnnnw",
    "5": "wnnwwnnnn", "6": "nnwwwnnnn", "7": "nnnwnnwnw", "8": "wnnwnnwnn", "9": "nnwwnnwnn",
    "-": "nwnnnnwnw", "*": "nwnnwnwnn",
}
#: Width of a wide element in narrow ones.
WIDE = 3


def code39(text: str) -> dict:
    """The bars of ``*text*`` in Code 39 (digits and '-'), as x offsets and widths in narrow units."""
    bars, x = [], 0
    for char in f"*{text}*":
        pattern = _CODE39[char]
        for i, element in enumerate(pattern):
            width = WIDE if element == "w" else 1
            if i % 2 == 0:
                bars.append((x, width))
            x += width
        x += 1  # the narrow gap between characters
    return {"bars": bars, "width": x - 1}


def label_number(req: IllRequest) -> str:
    """The number on a request's label and slip: its id, zero-padded to read and scan well."""
    return f"{req.pk:08d}"
