"""An import batch's page: progress while it runs (refreshing with or without JavaScript), then its report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404
from jaringan.network.permissions import principal_of

from . import permissions, pipeline, selectors
from .models import ImportBatch

#: Seconds between refreshes of a running batch's page.
REFRESH = 2


def _batch_for_staff(request, pk) -> ImportBatch:
    batch = or_404(selectors.batch_get(pk))
    if not permissions.can_catalogue(principal_of(request), batch.library):
        raise PermissionDenied
    return batch


@login_required
def batch_detail(request, pk):
    progress = pipeline.batch_progress(_batch_for_staff(request, pk))
    running = progress.batch.status == ImportBatch.Status.RUNNING
    return render(request, "catalog/batch.html", {
        "progress": progress, "batch": progress.batch, "library": progress.batch.library,
        "running": running, "refresh": REFRESH if running else None,
        "quarantine": selectors.batch_quarantine(progress.batch)[:50] if not running else [],
    })


@login_required
def batch_progress(request, pk):
    return JsonResponse(pipeline.batch_progress(_batch_for_staff(request, pk)).as_dict())


@login_required
@require_POST
def batch_retry(request, pk):
    batch = _batch_for_staff(request, pk)
    try:
        again = pipeline.batch_retry(actor=principal_of(request), batch=batch)
    except JaringanError as exc:
        messages.error(request, exc.message)
        return redirect("catalog_batch", pk=batch.pk)
    messages.success(request, _("The file is read again; what was stored before is recognised."))
    return redirect("catalog_batch", pk=again.pk)
