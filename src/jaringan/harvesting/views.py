"""A library's OAI-PMH sources on its records page: add or change one, harvest it now, see its runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaringan.catalog.permissions import staff_library_page
from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404
from jaringan.network.permissions import principal_of

from . import selectors, services
from .forms import SourceForm


def intake_sources(request, library) -> dict:
    """The section of the library's records page: its sources, their latest runs, the form to add one.
    Runs and batches whose process died show as interrupted."""
    services.runs_reap(library=library)
    return {"sources": selectors.library_sources(library), "runs": selectors.library_runs(library),
            "form": SourceForm()}


@login_required
@require_POST
def source_add(request, code):
    library = staff_library_page(request, code)
    form = SourceForm(request.POST)
    if form.is_valid():
        try:  # the same address, format and set again: that source's settings (its harvest mode…) change
            services.source_save(actor=principal_of(request), library=library, data=form.cleaned_data,
                                 source=selectors.source_find(library=library, data=form.cleaned_data))
            messages.success(request, _("The source was saved; it is harvested when due."))
        except JaringanError as exc:
            messages.error(request, exc.message)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("catalog_intake", code=code)


@login_required
@require_POST
def source_harvest(request, pk):
    source = or_404(selectors.source_get(pk))
    staff_library_page(request, source.library.code)
    run = services.source_harvest(source=source, actor=principal_of(request))
    if run.note:  # the previous run was interrupted
        messages.warning(request, run.note)
    if run.status == "failed":
        messages.error(request, run.error)
    else:
        messages.success(request, _("Harvested %(read)s records in %(pages)s pages.") % {
            "read": run.batch.read, "pages": run.pages})
    return redirect("catalog_intake", code=source.library.code)
