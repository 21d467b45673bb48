"""The `jaringan` command: a thin shell over the services.

    jaringan demo         create, fill and serve a demo network (SQLite)
    jaringan serve        serve the web application
    jaringan migrate      create or upgrade the database
    jaringan createuser   create an account with its role
    jaringan token        issue an API token for an account
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _setup(home: str | None = None) -> None:
    if home:
        os.environ["JARINGAN_HOME"] = str(Path(home).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate(cli_language())


def cli_language() -> str:
    """The terminal's language if Jaringan speaks it (LANGUAGE, LC_ALL, LANG), else the site's default."""
    from django.conf import settings

    spoken = {code for code, _name in settings.LANGUAGES}
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        for part in value.split(":"):
            code = part.split("_")[0].split(".")[0].lower()
            if code in spoken:
                return code
    return settings.LANGUAGE_CODE


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from jaringan.wsgi import application

    serve(application, host=host, port=port, threads=threads, ident="jaringan")


def cmd_demo(args) -> int:
    _setup(args.home)
    from django.conf import settings

    from jaringan.network import demo

    if args.reset and "sqlite3" in settings.DATABASES["default"]["ENGINE"]:
        db = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    _migrate()
    created = demo.load_demo()
    url = f"http://{args.host}:{args.port}/"
    print(demo.banner(url=url, created=created, database=settings.DATABASES["default"]["NAME"]), flush=True)
    if args.no_serve:
        return 0
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_serve(args) -> int:
    _setup(args.home)
    if args.migrate:
        _migrate()
    print(f"Jaringan: http://{args.host}:{args.port}/", flush=True)  # an address, in any language
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_migrate(args) -> int:
    _setup(args.home)
    _migrate(verbosity=1)
    return 0


def cmd_createuser(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.errors import DomainError
    from jaringan.network import services

    password = args.password or os.environ.get("JARINGAN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print(_("error: give --password or set JARINGAN_PASSWORD (no terminal to ask on)"), file=sys.stderr)
            return 2
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            print(_("error: the passwords differ"), file=sys.stderr)
            return 2
    try:
        user = services.user_create(
            username=args.username,
            password=password,
            full_name=args.name or "",
            email=args.email or "",
            role=args.role,
            networks=args.network or [],
            library=args.library,
            superuser=args.superuser,
        )
    except DomainError as exc:
        print(_("error: %(message)s") % {"message": exc.message}, file=sys.stderr)
        return 1
    print(_("created %(username)s") % {"username": user.username} + (f" ({args.role})" if args.role else ""))
    if args.token:
        print(_("API token (shown once): %(token)s") % {"token": services.token_create(user=user, name="cli")})
    return 0


def cmd_token(args) -> int:
    _setup(args.home)
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    from jaringan.network import services

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        print(_("error: no account named %(username)s") % {"username": args.username}, file=sys.stderr)
        return 1
    print(services.token_create(user=user, name=args.name or ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaringan", description="Jaringan: the network between libraries."
    )
    parser.add_argument("--version", action="version", version=f"jaringan {__import__('jaringan').__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--home", help="data folder (database, uploads, index); default $JARINGAN_HOME or ./var")
        p.set_defaults(func=func)
        return p

    def add_server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
        p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
        p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")

    p = add("demo", cmd_demo, "Create the database, load the demo network (real Indonesian libraries), "
            "print the address and the demo logins, and serve it.")
    add_server_options(p)
    p.add_argument("--reset", action="store_true", help="start again from an empty SQLite database")
    p.add_argument("--no-serve", action="store_true", help="load the demo and exit without serving")

    p = add("serve", cmd_serve, "Serve the web application, the JSON API (/api) and the admin (/admin).")
    add_server_options(p)
    p.add_argument("--migrate", action="store_true", help="create or upgrade the database first")

    add("migrate", cmd_migrate, "Create the database, or upgrade it to this version.")

    p = add("createuser", cmd_createuser, "Create an account: a network coordinator, library staff or a reader.")
    p.add_argument("username", help="the new account's username")
    p.add_argument("--role", choices=["coordinator", "staff", "reader"], help="what the account does")
    p.add_argument("--network", action="append", metavar="CODE", help="network a coordinator coordinates (repeatable)")
    p.add_argument("--library", metavar="CODE", help="library of a staff member or reader")
    p.add_argument("--name", help="full name")
    p.add_argument("--email", help="e-mail address for notices")
    p.add_argument("--password", help="password (or set JARINGAN_PASSWORD; asked for when neither is given)")
    p.add_argument("--superuser", action="store_true", help="may do everything")
    p.add_argument("--token", action="store_true", help="also issue an API token and print it")

    p = add("token", cmd_token, "Issue a new API token for an account and print it (shown once).")
    p.add_argument("username", help="the account the token acts for")
    p.add_argument("--name", help="what the token is for")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
