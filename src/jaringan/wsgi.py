"""WSGI entry point (`jaringan serve` runs it under waitress; any WSGI server will do)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
application = get_wsgi_application()
