"""Error pages in the site's own frame and language.

Django renders ``404.html``, ``403.html`` and ``500.html`` (in ``templates/``) by
itself; a refusal (``PermissionDenied``) raised by a view is answered here with
the 403 page instead, so that an ordinary "you may not" is a one-line warning
in the log, not an error with its traceback.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render


class PermissionDeniedPage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"exception": str(exception)}, status=403)
        return None
