"""Running a hub: `jaringan demo`, `jaringan serve`, `jaringan migrate`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common import Command, migrate, setup

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def run_server(host: str, port: int, threads: int | None, server: str = "waitress", workers: int | None = None) -> None:
    if server == "granian":
        from django.db import connections
        from granian import Granian
        from granian.constants import Interfaces

        connections.close_all()  # the worker processes open their own
        Granian("jaringan.wsgi:application", address=host, port=port, interface=Interfaces.WSGI,
                workers=workers or os.cpu_count() or 1, blocking_threads=threads or 1, websockets=False,
                respawn_failed_workers=True, log_level="warning").serve()
        return
    from waitress import serve

    from jaringan.ill.iso18626.sender import start_background
    from jaringan.wsgi import application

    start_background()  # ISO 18626 messages go out from a thread of their own (and those left from before)
    serve(application, host=host, port=port, threads=threads or 8, ident="jaringan")


def cmd_demo(args) -> int:
    setup(args.home)
    from django.conf import settings

    from jaringan import demo
    from jaringan.demo.network import banner

    if args.reset and "sqlite3" in settings.DATABASES["default"]["ENGINE"]:
        db = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    migrate()
    created = demo.load(records=args.records, say=lambda text: print(text, file=sys.stderr, flush=True))
    url = f"http://{args.host}:{args.port}/"
    print(banner(url=url, created=created, database=settings.DATABASES["default"]["NAME"]), flush=True)
    if args.no_serve:
        return 0
    run_server(args.host, args.port, args.threads)
    return 0


def cmd_serve(args) -> int:
    setup(args.home)
    from django.conf import settings
    from django.utils.translation import gettext as _

    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        print(_("error: JARINGAN_SECRET_KEY is not set, and the built-in demo key is public: anyone could forge "
                "sessions and signed links. Set JARINGAN_SECRET_KEY to a long random value, the same on every "
                "server of this hub (e.g. python -c \"import secrets; print(secrets.token_urlsafe(50))\"). "
                "`jaringan demo` serves the demo with the built-in key."), file=sys.stderr)
        return 2
    if args.migrate:
        migrate()
    from jaringan.discovery import services as discovery

    discovery.ensure_index()  # build the search index if there is none, else apply pending changes
    print(f"Jaringan: http://{args.host}:{args.port}/", flush=True)  # an address, in any language
    run_server(args.host, args.port, args.threads, args.server, args.workers)
    return 0


def cmd_migrate(args) -> int:
    setup(args.home)
    migrate(verbosity=1)
    return 0


def _server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--threads", type=int,
                   help="threads per server process (default 8 under waitress, 1 under granian)")


def _demo_options(p: argparse.ArgumentParser) -> None:
    _server_options(p)
    p.add_argument("--reset", action="store_true", help="start again from an empty SQLite database")
    p.add_argument("--no-serve", action="store_true", help="load the demo and exit without serving")
    from jaringan.demo import RECORDS  # a number only: the package's loaders need Django, set up later

    p.add_argument("--records", type=int, default=RECORDS, metavar="N",
                   help=f"how many of the 3,148 real Indonesian records to spread over the demo libraries "
                        f"(default {RECORDS}; 0 for none)")


def _serve_options(p: argparse.ArgumentParser) -> None:
    _server_options(p)
    p.add_argument("--server", choices=("waitress", "granian"), default="waitress",
                   help="waitress (one process, threads; the default) or granian (a Rust HTTP server with "
                        "several processes: for a busy network)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="server processes under granian (default: one per CPU core)")
    p.add_argument("--migrate", action="store_true", help="create or upgrade the database first")


COMMANDS = (
    Command("demo", "Create the database, load the demo network (real Indonesian libraries), print the address "
            "and the demo logins, and serve it.", cmd_demo, _demo_options),
    Command("serve", "Serve the web application, the JSON API (/api) and the admin (/admin).", cmd_serve,
            _serve_options),
    Command("migrate", "Create the database, or upgrade it to this version.", cmd_migrate),
)
