"""The serials API: serials and their members' holdings, "who holds vol. X / year Y", and a library's
holdings file sent by its staff."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from jaringan.catalog.permissions import can_catalogue
from jaringan.core.errors import Forbidden, NotFound
from jaringan.network.auth import WRITE_AUTH
from jaringan.network.models import Library
from jaringan.network.permissions import principal_for

from . import selectors, services
from .models import Serial
from .texts import reason_display

router = Router(tags=["serials"])


class SerialOut(Schema):
    id: int
    title: str
    issn_l: str
    members: int = 0


class SerialHoldingOut(Schema):
    library: str
    statement: str
    as_written: str
    unparsed: list[str]
    notes: list[str]
    electronic: bool
    first_year: int | None
    last_year: int | None


class SerialDetailOut(Schema):
    id: int
    title: str
    issn_l: str
    issns: list[str]
    frequency: str
    dates: str
    editions: list[int]
    earlier: list[int]
    later: list[int]
    holdings: list[SerialHoldingOut]
    gaps: list[list[int]]


class HolderOut(Schema):
    library: str
    name: str
    statement: str
    electronic: bool


class HoldersOut(Schema):
    serial: int
    title: str
    volume: int | None
    year: int | None
    holders: list[HolderOut]


class HoldersQuery(Schema):
    issn: str | None = Field(None, max_length=20, description="the serial's ISSN (print, electronic or ISSN-L)")
    title: str | None = Field(None, max_length=500, description="its title, when the ISSN is not known")
    serial: int | None = Field(None, ge=1, description="its number in the union catalogue of serials")
    volume: int | None = Field(None, ge=0, le=1_000_000)
    year: int | None = Field(None, ge=1000, le=3000)


class ProblemOut(Schema):
    line: int
    reason: str
    text: str


class HoldingsBatchOut(Schema):
    id: int
    name: str
    format: str
    status: str
    read: int
    stored: int
    refused: int
    problems: list[ProblemOut]


@router.get("/serials", response=list[SerialOut])
def serial_list(request, q: str = Query("", max_length=200)):
    """Serials by title words or ISSN, with how many members hold each (at most 50)."""
    return [SerialOut(id=s.pk, title=s.title, issn_l=s.issn_l, members=s.members) for s in selectors.serial_search(q)]


@router.get("/serials/holders", response=HoldersOut)
def serial_holders(request, filters: Query[HoldersQuery]):
    """Who holds vol. X / year Y of a serial named by ISSN, title or number: the members whose holdings cover it."""
    serial = (Serial.objects.filter(pk=filters.serial).first() if filters.serial
              else selectors.serial_for(issn=filters.issn, title=filters.title))
    if serial is None:
        raise NotFound("No serial with this ISSN, title or number.")
    holders = selectors.holders_of(serial=serial, volume=filters.volume, year=filters.year) or []
    return HoldersOut(serial=serial.pk, title=serial.title, volume=filters.volume, year=filters.year,
                      holders=[HolderOut(library=h.code, name=h.name, statement=h.statement, electronic=h.electronic)
                               for h in holders])


@router.get("/serials/{serial_id}", response=SerialDetailOut)
def serial_detail(request, serial_id: int):
    """A serial: its ISSNs, editions, earlier and later titles, every member's holdings and the years nobody holds."""
    serial = get_object_or_404(Serial, pk=serial_id)
    d = selectors.serial_detail(serial, this_year=timezone.localdate().year)
    holdings = [SerialHoldingOut(library=m["library"].code, statement=h.display, as_written=h.text, unparsed=h.unparsed,
                           notes=h.notes, electronic=h.electronic, first_year=h.first_year,
                           last_year=h.last_year if h.last_year != 999_999 else None)
                for m in d["members"] for h in m["holdings"]]
    return SerialDetailOut(id=serial.pk, title=serial.title, issn_l=serial.issn_l, issns=d["issns"],
                           frequency=serial.frequency, dates=serial.dates, editions=[pk for pk, _t in d["editions"]],
                           earlier=[s.pk for s in d["earlier"]], later=[s.pk for s in d["later"]], holdings=holdings,
                           gaps=[[g.first, g.last] for g in d["timeline"].gaps])


@router.post("/libraries/{code}/holdings", response={201: HoldingsBatchOut}, auth=WRITE_AUTH)
def holdings_upload(request, code: str, file: File[UploadedFile], format: Form[str | None] = None):
    """Send the library's serial holdings: MFHD (MARCXML or MARC 21), KBART or a CSV of typed holdings
    (``format`` ``mfhd`` or ``table``, recognised when not given). Lines refused come back with their numbers."""
    library = Library.objects.filter(code=code).first()
    if library is None:
        raise NotFound("No library with this code.")
    actor = principal_for(request.auth)
    if not can_catalogue(actor, library):
        raise Forbidden("Only the library's staff or its network's coordinator may do this.")
    batch = services.holdings_import(actor=actor, library=library, data=file.read(), name=file.name or "holdings",
                                     format=format or None)
    return Status(201, HoldingsBatchOut(
        id=batch.pk, name=batch.name, format=batch.format, status=batch.status, read=batch.read, stored=batch.stored,
        refused=batch.refused, problems=[ProblemOut(line=p["line"], reason=reason_display(p["reason"]),
                                                    text=p.get("text", "")) for p in batch.problems]))
