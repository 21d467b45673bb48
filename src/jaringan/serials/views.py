"""Pages of the serials app: the list of serials, a serial's page (coverage timeline, who holds),
and a library's holdings upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog.permissions import staff_library_page
from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404
from jaringan.network import selectors as network_selectors
from jaringan.network.permissions import principal_of

from . import selectors, services
from .forms import HoldingsUploadForm, WhoHoldsForm


def serial_list(request):
    q = request.GET.get("q", "")[:200]
    p = principal_of(request)
    mine = list(network_selectors.libraries_staffed_by(p)) if p.staff_of else []
    return render(request, "serials/serial_list.html", {"q": q, "serials": selectors.serial_search(q), "mine": mine})


def serial_detail(request, pk):
    serial = or_404(selectors.serial_get(pk))
    detail = selectors.serial_detail(serial, this_year=timezone.localdate().year)
    form = WhoHoldsForm(request.GET or None)
    holders = None
    if form.is_bound and form.is_valid() and (form.cleaned_data["volume"] is not None
                                              or form.cleaned_data["year"] is not None):
        holders = selectors.holders_of(serial=serial, volume=form.cleaned_data["volume"],
                                       year=form.cleaned_data["year"])
    detail.update({"form": form, "holders": holders, "asked": form.cleaned_data if form.is_bound and form.is_valid() else {}})
    return render(request, "serials/serial_detail.html", detail)


@login_required
def holdings_upload(request, code):
    library = staff_library_page(request, code)
    p = principal_of(request)
    form = HoldingsUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.holdings_import(actor=p, library=library, data=upload.read(), name=upload.name,
                                              format=form.cleaned_data["format"] or None)
            messages.success(request, _("%(name)s was read.") % {"name": upload.name})
        except JaringanError as exc:
            form.add_error("file", exc.message)
    return render(request, "serials/holdings_upload.html", {
        "library": library, "form": form, "report": report, "batches": selectors.library_batches(library)})
