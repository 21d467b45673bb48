"""Error pages in the site's own frame and language, and the site's icon.

Django renders ``404.html``, ``403.html`` and ``500.html`` (in ``templates/``) by
itself; a refusal (``PermissionDenied``) raised by a view is answered here with
the 403 page instead, so that an ordinary "you may not" is a one-line warning
in the log, not an error with its traceback. So is any error of the project's
tree (:mod:`jaringan.core.errors`) a view lets through: its branch's status
(``jaringan.errors.HTTP_STATUS``) with the 403 or 404 page, or ``error.html``
saying the branch's title and the error's message. Browsers ask for
``/favicon.ico`` whatever the page says: it is answered here, from the static files.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from jaringan.core.errors import JaringanError
from jaringan.errors import status_of, title_of

FAVICON = (Path(__file__).resolve().parent / "static" / "jaringan" / "favicon.ico").read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    return HttpResponse(FAVICON, content_type="image/x-icon")


class PermissionDeniedPage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"exception": str(exception)}, status=403)
        if isinstance(exception, JaringanError):
            return error_page(request, exception)
        return None


def or_404(found):
    """What a selector found, else the site's 404 page (selectors answer None for what is not there)."""
    if found is None:
        raise Http404
    return found


#: The page of a status that has its own (the others take ``error.html``).
PAGES = {403: "403.html", 404: "404.html"}


def error_page(request, error: JaringanError) -> HttpResponse:
    """The page that answers ``error``, with its branch's status."""
    status = status_of(error)
    context = {"exception": error.message, "title": title_of(error), "request_path": request.path}
    return render(request, PAGES.get(status, "error.html"), context, status=status)
