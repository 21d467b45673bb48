"""Django settings for Jaringan.

Everything that differs between a laptop demo and a deployment comes from the
environment:

- `JARINGAN_HOME`: folder for the SQLite database, uploads and the search index
  (default `./var`).
- `JARINGAN_INDEX`: folder of the search index (default `JARINGAN_HOME/index`).
- `DATABASE_URL`: e.g. `postgresql://user@host:5432/name`; default an SQLite file
  in `JARINGAN_HOME` (WAL mode).
- `JARINGAN_TEST_DATABASE`: name of the PostgreSQL test database (default
  `test_<name>`), so that parallel test runs do not share one.
- `JARINGAN_SECRET_KEY`, `JARINGAN_DEBUG`, `JARINGAN_ALLOWED_HOSTS` (comma-separated).
  `jaringan serve` refuses to run with the built-in demo key (only `jaringan demo` uses it).

Deployment over HTTPS (all off by default, for a demo on plain HTTP):

- `JARINGAN_SECURE_COOKIES=1`: session and CSRF cookies sent over HTTPS only.
- `JARINGAN_HSTS_SECONDS` (e.g. 31536000), `JARINGAN_HSTS_SUBDOMAINS=1`, `JARINGAN_HSTS_PRELOAD=1`:
  the Strict-Transport-Security header.
- `JARINGAN_SSL_REDIRECT=1`: plain HTTP requests are redirected to HTTPS.
- `JARINGAN_BEHIND_PROXY=1`: behind a reverse proxy that sets `X-Forwarded-Proto: https` on HTTPS
  requests (and `X-Forwarded-For`, whose last address login throttling counts). Only with a proxy that
  overwrites those headers: a client could otherwise pass itself off as secure.
- `JARINGAN_CSP`: the Content-Security-Policy header (default: this site's own scripts and styles only,
  images also from the map tile server; empty for none).
- `JARINGAN_LOGIN_FAILURES_PER_USER` (5), `JARINGAN_LOGIN_FAILURES_PER_ADDRESS` (20),
  `JARINGAN_LOGIN_FAILURE_WINDOW` (900 seconds): failed logins (pages, admin, UCS node passwords)
  allowed within the window before further attempts are refused.

The production settings `python -m django check --deploy` finds clean:
`JARINGAN_SECRET_KEY=<50 random characters> JARINGAN_ALLOWED_HOSTS=jaringan.example.id
JARINGAN_SECURE_COOKIES=1 JARINGAN_HSTS_SECONDS=31536000 JARINGAN_HSTS_SUBDOMAINS=1
JARINGAN_HSTS_PRELOAD=1 JARINGAN_SSL_REDIRECT=1` (and `JARINGAN_BEHIND_PROXY=1` behind a proxy).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("JARINGAN_HOME", "var")).resolve()

DEBUG = os.environ.get("JARINGAN_DEBUG", "0") == "1"
#: The key the demo runs with when `JARINGAN_SECRET_KEY` is not set (`jaringan serve` refuses it).
DEMO_SECRET_KEY = "insecure-demo-key-set-JARINGAN_SECRET_KEY"
SECRET_KEY = os.environ.get("JARINGAN_SECRET_KEY") or DEMO_SECRET_KEY
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("JARINGAN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JARINGAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API docs' scripts served from here, not a CDN (the Content-Security-Policy allows no other)
    "jaringan.security",
    "jaringan.network",
    "jaringan.catalog",
    "jaringan.harvesting",
    "jaringan.discovery",
    "jaringan.interop",
    "jaringan.ill",
    "jaringan.bibliographies",
    "jaringan.analysis",
    "jaringan.reciprocal",
    "jaringan.serials",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jaringan.security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jaringan.security.middleware.PublicGZipMiddleware",  # pages only: static files are served above
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jaringan.errorpages.PermissionDeniedPage",  # a refusal is the site's 403 page, not a traceback in the log
]

ROOT_URLCONF = "jaringan.urls"
WSGI_APPLICATION = "jaringan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jaringan.network.context.principal",
            ],
        },
    },
]


(HOME / "static").mkdir(parents=True, exist_ok=True)


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        # Parallel test runs on one server each need their own test database.
        if os.environ.get("JARINGAN_TEST_DATABASE"):
            config["TEST"] = {"NAME": os.environ["JARINGAN_TEST_DATABASE"]}
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(HOME / "jaringan.sqlite3"),
        "OPTIONS": {
            # WAL: readers never wait for the writer; IMMEDIATE: a writing
            # transaction takes the lock at its start, so two writers queue
            # instead of failing half-way with "database is locked".  A 32 MiB page
            # cache per connection (SQLite's default is 2 MiB) keeps the indexes an
            # import writes into in memory: inserts of 400,000 keys take a quarter less.
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                             "PRAGMA cache_size=-32768;"),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Connections kept for a minute: opening one (and its PRAGMAs) costs as much as an SRU
        # request that returns records.
        "CONN_MAX_AGE": 60,
        # Tests use a file too, so that threads and the live server see one
        # database with SQLite's real locking.
        "TEST": {"NAME": str(HOME / "test.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "media"
#: The search index (derived from the database; `jaringan reindex` rebuilds it).
SEARCH_INDEX_DIR = Path(os.environ.get("JARINGAN_INDEX") or HOME / "index").resolve()
#: Unreadable records an import batch keeps in quarantine one by one; the rest are counted and summed up
#: in the batch's message (10 KB of MARC record terminators would otherwise make 10,000 rows).
QUARANTINE_ROWS_PER_BATCH = int(os.environ.get("JARINGAN_QUARANTINE_ROWS_PER_BATCH") or 1000)

#: Each process keeps its own caches: the site's (the menu's links) and the rendered parts of pages, each
#: under a key naming its content (``catalog/templatetags/catalog_fragments.py``), a day at most; past
#: ``MAX_ENTRIES`` (a few kilobytes each) a third is culled, the least recently used first.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                  "OPTIONS": {"MAX_ENTRIES": 4000}},
}
FRAGMENT_SECONDS = 86400

#: Map tiles for the network and library pages; empty for the plain map only
#: (what tests use: they never reach outside this machine).
MAP_TILES_URL = os.environ.get("JARINGAN_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")


def _flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() in ("1", "true", "yes", "on")


# HTTPS (see the docstring): all off by default, for the demo on plain HTTP.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("JARINGAN_SECURE_COOKIES")
SECURE_HSTS_SECONDS = int(os.environ.get("JARINGAN_HSTS_SECONDS") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("JARINGAN_HSTS_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("JARINGAN_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = _flag("JARINGAN_SSL_REDIRECT")
BEHIND_PROXY = _flag("JARINGAN_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None


def _tile_origin(url: str) -> str:
    """The origin map tiles come from, as a CSP source ("{s}" subdomains as a wildcard)."""
    if "://" not in url:
        return ""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"


#: No inline script or style anywhere: scripts, styles, fonts and forms of this site only; images also
#: from the map tiles' server; no plugins, no framing.
CONTENT_SECURITY_POLICY = os.environ.get("JARINGAN_CSP", " ".join(
    f"default-src 'self'; img-src 'self' data: {_tile_origin(MAP_TILES_URL)}; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'".split()))

#: Login throttling (see `jaringan.security.throttle`).
LOGIN_FAILURES_PER_USER = int(os.environ.get("JARINGAN_LOGIN_FAILURES_PER_USER") or 5)
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("JARINGAN_LOGIN_FAILURES_PER_ADDRESS") or 20)
LOGIN_FAILURE_WINDOW = int(os.environ.get("JARINGAN_LOGIN_FAILURE_WINDOW") or 900)

#: Private networks outbound requests (harvests, ISO 18626 peers, the SMS gateway) may reach, as CIDRs
#: separated by commas (e.g. "10.20.0.0/16,127.0.0.1"); public addresses are always allowed.
JARINGAN_OUTBOUND_ALLOW = os.environ.get("JARINGAN_OUTBOUND_ALLOW", "")

EMAIL_BACKEND = os.environ.get("JARINGAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

#: OAI-PMH: the repository identifier in record identifiers (`oai:<id>:edition/N`), a domain name
#: of the network's hub, and the address harvesters write to.
OAI_REPOSITORY_ID = os.environ.get("JARINGAN_OAI_REPOSITORY_ID", "jaringan.local")
OAI_ADMIN_EMAIL = os.environ.get("JARINGAN_OAI_ADMIN_EMAIL", "admin@jaringan.local")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JARINGAN_LOG_LEVEL", "WARNING")},
}
