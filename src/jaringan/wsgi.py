"""WSGI entry point (`jaringan serve` runs it under waitress; any WSGI server will do, e.g.
`gunicorn jaringan.wsgi -w 2 -k gthread --threads 2`).

``/sru`` is answered through a shorter stack of the same request handling (no
session, login, language or CSRF middleware: see ``interop.sru.wsgi``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
application = get_wsgi_application()

from jaringan.interop.sru.wsgi import with_sru  # noqa: E402  (after Django is set up)

application = with_sru(application)
