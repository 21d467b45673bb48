"""Catalogue pages: the merged edition, and each library's intake (uploads, batches, quarantine)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaringan.core.catalog.matching.decision import MATCH_THRESHOLD
from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404
from jaringan.network import reach
from jaringan.network import selectors as network_selectors
from jaringan.network.permissions import principal_of

from . import permissions, sections, selectors, why
from .services import corrections, quarantine
from .services.batches import batches_reap
from .forms import UploadForm
from .models import ImportBatch, SourceRecord


_p = principal_of


def catalogue(request):
    return render(request, "catalog/catalogue.html", {"editions": selectors.editions_recent(),
                                                      **selectors.catalogue_counts()})


def edition_detail(request, pk):
    edition = selectors.edition_get(pk)
    if edition is None:
        return _retired(request, pk)
    detail = selectors.edition_detail(edition)
    p = _p(request)
    home = network_selectors.home_library(p)
    correctable = permissions.cataloguable(p, [h["library"] for h in detail["holdings"]]) if p.authenticated else set()
    routes = reach.reach_of(home)
    for h in detail["holdings"]:
        h["distance"] = network_selectors.distance_between(home, h["library"]) if home else None
        h["route"] = route = routes[h["library"].code]
        h["route_text"] = reach.route_sentence(route) if home else ""
        h["route_label"] = reach.route_label(route.kind) if home else ""
        h["can_correct"] = h["library"].pk in correctable
    if home:  # what the reader can get first: their own library, then who may lend as the rota would order them
        detail["holdings"].sort(key=lambda h: h["route"].rank)
    detail["home"] = home
    detail["needed"] = MATCH_THRESHOLD
    detail["points"] = network_selectors.map_points([h["library"] for h in detail["holdings"]])
    # Readers and staff of a member library ask for loans; anyone else signed in is told so, not shown a
    # button that leads nowhere (visitors are asked to sign in by the button).
    detail["can_request_ill"] = not p.authenticated or bool(p.reader_of or p.staff_of or p.is_superuser)
    # The page's parts are kept rendered (catalog_fragments) unless they show something of this person.
    personal = home is not None or correctable
    detail["fingerprint"] = None if personal else f"{detail['fingerprint']}-{int(detail['can_request_ill'])}"
    return render(request, "catalog/edition_detail.html", detail)


def edition_why(request, pk):
    """Why the edition's records are one edition: per record, the decision in words and each comparison, the two
    records' values side by side."""
    edition = selectors.edition_get(pk)
    if edition is None:
        return _retired(request, pk)
    return render(request, "catalog/edition_why.html", {
        "edition": edition, "members": why.edition_why(edition), "needed": MATCH_THRESHOLD})


def _retired(request, pk):
    """An edition that is no more: to its successor if merged, else 410 Gone with a word why."""
    retired = selectors.edition_retired(pk)
    if retired is None:
        raise Http404
    successor = selectors.edition_successor(retired)
    if successor is not None:
        return redirect("edition_detail", pk=successor, permanent=True)
    return render(request, "catalog/edition_retired.html", {"retired": retired}, status=410)


@login_required
@require_POST
def record_split(request, pk):
    record = or_404(selectors.record_get(pk))
    try:
        edition = corrections.record_split(actor=_p(request), record=record, note=request.POST.get("note", "")[:2000])
        messages.success(request, _("The record now stands as an edition of its own."))
        return redirect("edition_detail", pk=edition.pk)
    except JaringanError as exc:
        messages.error(request, exc.message)
    return _back_to(record)


def _back_to(record: SourceRecord):
    """The page of the record's edition, or the catalogue if it has none (withdrawn)."""
    return redirect("edition_detail", pk=record.edition_id) if record.edition_id else redirect("catalogue")


@login_required
@require_POST
def record_merge(request, pk):
    record = or_404(selectors.record_get(pk))
    target = selectors.edition_get(request.POST.get("edition") or 0)
    if target is None or target.preferred_id is None:
        messages.error(request, _("No such edition to merge into."))
        return _back_to(record)
    try:
        edition = corrections.records_merge(actor=_p(request), record=record, into=target.preferred,
                                            note=request.POST.get("note", "")[:2000])
        messages.success(request, _("The record was merged into this edition."))
        return redirect("edition_detail", pk=edition.pk)
    except JaringanError as exc:
        messages.error(request, exc.message)
    return _back_to(record)


@login_required
def intake(request, code):
    """A library's sources of records: upload a file, see every batch and the quarantine."""
    library = permissions.staff_library_page(request, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        from .pipeline import upload_submit

        try:  # saved and read in the background: the batch's page shows how far it has gone
            batch = upload_submit(actor=_p(request), library=library, upload=upload, name=upload.name,
                                  format=form.cleaned_data["format"] or None, source=ImportBatch.Source.UPLOAD)
            return redirect("catalog_batch", pk=batch.pk)
        except JaringanError as exc:
            form.add_error("file", exc.message)
    batches_reap(library=library)  # batches whose process died show as interrupted
    return render(request, "catalog/intake.html", {
        "library": library, "form": form, "report": report,
        "sections": sections.intake_sections(request, library),
        "batches": selectors.library_batches(library),
        "quarantine": selectors.library_quarantine(library)[:200],
    })


@login_required
def quarantine_download(request, pk):
    q = or_404(selectors.quarantine_get(pk))
    if not permissions.can_catalogue(_p(request), q.library):
        raise PermissionDenied
    response = HttpResponse(bytes(q.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="quarantine-{q.pk}.{q.batch.format or "dat"}"'
    return response


@login_required
@require_POST
def quarantine_retry(request, pk):
    q = or_404(selectors.quarantine_get(pk))
    try:
        outcome = quarantine.quarantine_retry(actor=_p(request), quarantine=q)
        if outcome == "quarantined":
            messages.error(request, _("The record still cannot be read; it stays in quarantine."))
        else:
            messages.success(request, _("The record was taken in."))
    except JaringanError as exc:
        messages.error(request, exc.message)
    return redirect("catalog_intake", code=q.library.code)


#: Export formats of the record page: URL name → (content type, file extension).
EXPORT_FORMATS = {
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": ("application/x-bibtex; charset=utf-8", "bib"),
    "marc": ("application/marc", "mrc"),
    "marcxml": ("application/marcxml+xml; charset=utf-8", "marc.xml"),
    "mods": ("application/mods+xml; charset=utf-8", "mods.xml"),
    "dc": ("application/xml; charset=utf-8", "dc.xml"),
    "csl": ("application/vnd.citationstyles.csl+json; charset=utf-8", "csl.json"),
}


def _export_body(fmt: str, source: dict, *, pk: int, url: str) -> bytes:
    import json

    from lxml import etree

    from jaringan.core.catalog import export

    record = source["record"]
    marc_options = {"raw": source["raw"], "source_format": source["format"], "holdings": source["holdings"],
                    "control_number": str(pk)}
    if fmt == "ris":
        return export.to_ris(record, url=url).encode()
    if fmt == "bib":
        return export.to_bibtex(record, key=f"jaringan{pk}", url=url).encode()
    if fmt == "marc":
        return export.marc_bytes(record, **marc_options)
    if fmt == "marcxml":
        return export.marcxml_bytes(record, **marc_options)
    if fmt == "csl":
        return json.dumps([export.to_csl(record, id=str(pk), url=url)], ensure_ascii=False, indent=2).encode()
    element = (export.to_mods(record, identifier=str(pk), url=url, holdings=source["holdings"]) if fmt == "mods"
               else export.to_dc(record, identifier=url))
    return etree.tostring(element, encoding="utf-8", xml_declaration=True, pretty_print=True)


def edition_export(request, pk, fmt):
    """The edition's record as a file: RIS, BibTeX, MARC 21, MARCXML, MODS, Dublin Core or CSL-JSON."""
    from django.urls import reverse

    from jaringan.core.catalog.export import RecordTooLong

    if fmt not in EXPORT_FORMATS:
        raise Http404
    edition = or_404(selectors.edition_get(pk))
    source = selectors.edition_export_source(edition)
    if source is None:
        raise Http404
    url = request.build_absolute_uri(reverse("edition_detail", args=[edition.pk]))
    try:
        body = _export_body(fmt, source, pk=edition.pk, url=url)
    except RecordTooLong:
        return HttpResponse(_("This record is too long for ISO 2709; download it as MARCXML."),
                            status=422, content_type="text/plain; charset=utf-8")
    content_type, extension = EXPORT_FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="edition-{edition.pk}.{extension}"'
    return response
