"""JSON endpoints of bibliographies: lists, their entries and sections, publishing on a network's page.

Reads of public lists are open; a private list is answered only to its owner
(by session or bearer token) and is otherwise a 404, as if it did not exist.
Files of a list (BibTeX, RIS, CSL-JSON, MARC 21, MARCXML, text in a style)
are at ``export`` in each list's answer.
"""

from __future__ import annotations

from ninja import Router, Schema, Status

from jaringan.api_errors import ErrorOut
from jaringan.core.errors import NotFound
from jaringan.network.auth import WRITE_AUTH, reader_principal
from jaringan.network.models import Network
from jaringan.network.permissions import principal_for

from . import exports, selectors, services
from .models import Bibliography, Entry, Section

router = Router()


class SectionOut(Schema):
    id: int
    title: str
    position: int


class EntryOut(Schema):
    id: int
    edition: int | None
    title: str
    section: int | None
    note: str
    position: int
    reference: str | None


class BibliographyOut(Schema):
    id: int
    title: str
    compiler: str
    scope_note: str
    public: bool
    style: str
    network: str | None
    updated: str
    entry_count: int
    url: str
    export: dict[str, str]


class BibliographyDetailOut(BibliographyOut):
    share_url: str | None
    sections: list[SectionOut]
    entries: list[EntryOut]


class BibliographyIn(Schema):
    title: str
    compiler: str | None = None
    scope_note: str = ""
    public: bool = False
    style: str | None = None


class BibliographyPatch(Schema):
    title: str | None = None
    compiler: str | None = None
    scope_note: str | None = None
    public: bool | None = None
    style: str | None = None


class EntryIn(Schema):
    edition: int
    section: int | None = None
    note: str = ""


class EntryPatch(Schema):
    note: str | None = None
    section: int | None = None


class SectionIn(Schema):
    title: str


class OrderIn(Schema):
    entries: list[int]


class PublishIn(Schema):
    network: str


def _summary(request, b: Bibliography, count: int | None = None) -> dict:
    base = request.build_absolute_uri(f"/bibliographies/{b.pk}/")
    return {
        "id": b.pk, "title": b.title, "compiler": b.compiler, "scope_note": b.scope_note, "public": b.public,
        "style": b.style, "network": b.network.code if b.network_id else None, "updated": b.updated.isoformat(),
        "entry_count": count if count is not None else getattr(b, "entry_count", b.entries.count()),
        "url": base, "export": {fmt: f"{base}export/{fmt}/" for fmt in exports.FORMATS},
    }


def _detail(request, b: Bibliography, p) -> dict:
    from django.utils.translation import get_language

    from jaringan.core import citations

    data = selectors.resolved(b)
    references = iter(selectors.references(data["exportable"], b.style, citations.csl_locale(get_language())))
    entries = [{"id": r["entry"].pk, "edition": r["edition_id"], "title": r["entry"].title,
                "section": r["entry"].section_id, "note": r["entry"].note, "position": r["entry"].position,
                "reference": citations.html_to_text(next(references)) if r["export"] else None}
               for r in data["rows"]]
    owner = b.owner_id == p.user_id
    return {**_summary(request, b, len(entries)),
            "share_url": request.build_absolute_uri(f"/bibliographies/shared/{b.share_token}/") if owner else None,
            "sections": data["sections"], "entries": entries}


def _owned_entry(p, bibliography_id: int, entry_id: int) -> Entry:
    bibliography = selectors.bibliography_get(p, bibliography_id)
    entry = Entry.objects.select_related("bibliography").filter(pk=entry_id, bibliography=bibliography).first()
    if entry is None:
        raise NotFound(f"No entry {entry_id} in bibliography {bibliography_id}.", code="not_found")
    return entry


@router.get("/bibliographies", response={200: list[BibliographyOut], 401: ErrorOut}, tags=["bibliographies"])
def bibliography_list(request, mine: bool = False):
    """Public bibliographies and, signed in, your own (``mine=true``: only your own). A bearer token that is
    not valid is refused (401), not taken for an anonymous visitor."""
    p = reader_principal(request)
    qs = selectors.bibliographies_of(p) if mine else selectors.bibliographies_visible(p)
    return [_summary(request, b) for b in qs[:500]]


@router.post("/bibliographies", response={201: BibliographyDetailOut}, auth=WRITE_AUTH, tags=["bibliographies"])
def bibliography_create(request, body: BibliographyIn):
    p = principal_for(request.auth)
    b = services.bibliography_create(actor=p, data=body.dict())
    return Status(201, _detail(request, b, p))


@router.get("/bibliographies/{bibliography_id}", response={200: BibliographyDetailOut, 401: ErrorOut},
            tags=["bibliographies"])
def bibliography_detail(request, bibliography_id: int):
    """One list with its sections and entries in order, each entry's reference in the list's style."""
    p = reader_principal(request)
    return _detail(request, selectors.bibliography_get(p, bibliography_id), p)


@router.patch("/bibliographies/{bibliography_id}", response=BibliographyDetailOut, auth=WRITE_AUTH,
              tags=["bibliographies"])
def bibliography_update(request, bibliography_id: int, body: BibliographyPatch):
    p = principal_for(request.auth)
    b = services.bibliography_update(actor=p, bibliography=selectors.bibliography_get(p, bibliography_id),
                                     data=body.dict(exclude_unset=True))
    return _detail(request, b, p)


@router.delete("/bibliographies/{bibliography_id}", response={204: None}, auth=WRITE_AUTH, tags=["bibliographies"])
def bibliography_delete(request, bibliography_id: int):
    p = principal_for(request.auth)
    services.bibliography_delete(actor=p, bibliography=selectors.bibliography_get(p, bibliography_id))
    return Status(204, None)


@router.post("/bibliographies/{bibliography_id}/entries", response={201: EntryOut}, auth=WRITE_AUTH,
             tags=["bibliographies"])
def entry_add(request, bibliography_id: int, body: EntryIn):
    """Add an edition or an article (by its edition number) at the end of the list or of a section."""
    p = principal_for(request.auth)
    entry = services.entry_add(actor=p, bibliography=selectors.bibliography_get(p, bibliography_id),
                               edition_id=body.edition, section_id=body.section, note=body.note)
    services.references_warm(exports=selectors.exports_of([entry.edition_id]))  # its pages and files read them
    return Status(201, {"id": entry.pk, "edition": entry.edition_id, "title": entry.title,
                        "section": entry.section_id, "note": entry.note, "position": entry.position,
                        "reference": None})


@router.patch("/bibliographies/{bibliography_id}/entries/{entry_id}", response=EntryOut, auth=WRITE_AUTH,
              tags=["bibliographies"])
def entry_update(request, bibliography_id: int, entry_id: int, body: EntryPatch):
    p = principal_for(request.auth)
    entry = services.entry_update(actor=p, entry=_owned_entry(p, bibliography_id, entry_id),
                                  data=body.dict(exclude_unset=True))
    return {"id": entry.pk, "edition": entry.edition_id, "title": entry.title, "section": entry.section_id,
            "note": entry.note, "position": entry.position, "reference": None}


@router.delete("/bibliographies/{bibliography_id}/entries/{entry_id}", response={204: None}, auth=WRITE_AUTH,
               tags=["bibliographies"])
def entry_remove(request, bibliography_id: int, entry_id: int):
    p = principal_for(request.auth)
    services.entry_remove(actor=p, entry=_owned_entry(p, bibliography_id, entry_id))
    return Status(204, None)


@router.put("/bibliographies/{bibliography_id}/order", response=BibliographyDetailOut, auth=WRITE_AUTH,
            tags=["bibliographies"])
def entries_reorder(request, bibliography_id: int, body: OrderIn):
    """Put the entries in this order (every entry id of the list, each once)."""
    p = principal_for(request.auth)
    b = selectors.bibliography_get(p, bibliography_id)
    services.entries_reorder(actor=p, bibliography=b, entry_ids=body.entries)
    return _detail(request, b, p)


@router.post("/bibliographies/{bibliography_id}/sections", response={201: SectionOut}, auth=WRITE_AUTH,
             tags=["bibliographies"])
def section_add(request, bibliography_id: int, body: SectionIn):
    p = principal_for(request.auth)
    section = services.section_add(actor=p, bibliography=selectors.bibliography_get(p, bibliography_id),
                                   title=body.title)
    return Status(201, section)


@router.delete("/bibliographies/{bibliography_id}/sections/{section_id}", response={204: None}, auth=WRITE_AUTH,
               tags=["bibliographies"])
def section_delete(request, bibliography_id: int, section_id: int):
    p = principal_for(request.auth)
    b = selectors.bibliography_get(p, bibliography_id)
    section = Section.objects.filter(pk=section_id, bibliography=b).select_related("bibliography").first()
    if section is None:
        raise NotFound(f"No section {section_id} in bibliography {bibliography_id}.", code="not_found")
    services.section_delete(actor=p, section=section)
    return Status(204, None)


@router.post("/bibliographies/{bibliography_id}/publish", response=BibliographyOut, auth=WRITE_AUTH,
             tags=["bibliographies"])
def bibliography_publish(request, bibliography_id: int, body: PublishIn):
    """Show a public list on a network's page (that network's coordinator only)."""
    p = principal_for(request.auth)
    b = selectors.bibliography_get(p, bibliography_id)
    network = Network.objects.filter(code=body.network).first()
    if network is None:
        raise NotFound(f"No network with code {body.network}.", code="not_found", errors={"network": ["No such network."]})
    return _summary(request, services.bibliography_publish(actor=p, bibliography=b, network=network))


@router.delete("/bibliographies/{bibliography_id}/publish", response=BibliographyOut, auth=WRITE_AUTH,
               tags=["bibliographies"])
def bibliography_unpublish(request, bibliography_id: int):
    p = principal_for(request.auth)
    b = selectors.bibliography_get(p, bibliography_id)
    return _summary(request, services.bibliography_unpublish(actor=p, bibliography=b))
