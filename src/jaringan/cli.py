"""The `jaringan` command: a thin shell over the services.

    jaringan demo         create, fill and serve a demo network (SQLite)
    jaringan serve        serve the web application
    jaringan migrate      create or upgrade the database
    jaringan createuser   create an account with its role
    jaringan token        issue an API token for an account
    jaringan import       read a file of a member's records into the union catalogue
    jaringan holdings     read a member's serial holdings (MFHD, KBART, CSV); regroup the serials
    jaringan harvest      harvest members' OAI-PMH sources that are due (--source ID [--full]: one, now)
    jaringan export       write the union catalogue's editions as JSON Lines
    jaringan reindex      rebuild the search index from the database (or apply pending changes)
    jaringan analysis-refresh  bring collection analysis's figures up to date (--rebuild: from scratch)
    jaringan z3950        the union catalogue over Z39.50 through Zebra: export, sync, serve
    jaringan ill-tick     interlibrary loan's scheduled work: overdues, deadlines, messages to retry; reciprocal
                          loans' overdues
    jaringan ill-send     a worker sending interlibrary loan's ISO 18626 messages as they come

A command that meets an error of the project's tree (``jaringan.core.errors``) says it on stderr
("error: ...") and exits with its branch's code (``EXIT_CODES``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable, lookup

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


def _serve(host: str, port: int, threads: int | None, server: str = "waitress", workers: int | None = None) -> None:
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
    _setup(args.home)
    from django.conf import settings

    from jaringan import demo
    from jaringan.demo.network import banner

    if args.reset and "sqlite3" in settings.DATABASES["default"]["ENGINE"]:
        db = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    _migrate()
    created = demo.load(records=args.records, say=lambda text: print(text, file=sys.stderr, flush=True))
    url = f"http://{args.host}:{args.port}/"
    print(banner(url=url, created=created, database=settings.DATABASES["default"]["NAME"]), flush=True)
    if args.no_serve:
        return 0
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_serve(args) -> int:
    _setup(args.home)
    from django.conf import settings
    from django.utils.translation import gettext as _

    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        print(_("error: JARINGAN_SECRET_KEY is not set, and the built-in demo key is public: anyone could forge "
                "sessions and signed links. Set JARINGAN_SECRET_KEY to a long random value, the same on every "
                "server of this hub (e.g. python -c \"import secrets; print(secrets.token_urlsafe(50))\"). "
                "`jaringan demo` serves the demo with the built-in key."), file=sys.stderr)
        return 2
    if args.migrate:
        _migrate()
    from jaringan.discovery import services as discovery

    discovery.ensure_index()  # build the search index if there is none, else apply pending changes
    print(f"Jaringan: http://{args.host}:{args.port}/", flush=True)  # an address, in any language
    _serve(args.host, args.port, args.threads, args.server, args.workers)
    return 0


def cmd_migrate(args) -> int:
    _setup(args.home)
    _migrate(verbosity=1)
    return 0


def cmd_createuser(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

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
        raise NotFound(_("no account named %(username)s") % {"username": args.username})
    print(services.token_create(user=user, name=args.name or ""))
    return 0


def _library_and_file(args):
    """(library, path) a command names by ``--library`` and ``file``; ``NotFound`` says which is missing."""
    from django.utils.translation import gettext as _

    from jaringan.network.models import Library

    library = Library.objects.filter(code=args.library).first()
    if library is None:
        raise NotFound(_("no library with code %(code)s") % {"code": args.library})
    path = Path(args.file)
    if not path.is_file():
        raise NotFound(_("no such file: %(path)s") % {"path": path})
    return library, path


@contextmanager
def _file_progress(path: Path, describe):
    """A progress line on the terminal while ``path`` is read: yields the function a batch's progress is
    given to; ``describe(batch)`` says what the line shows."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=False, disable=not console.is_terminal) as progress:
        task = progress.add_task(path.name, total=None)
        yield lambda batch: progress.update(task, description=describe(batch))


def cmd_import(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.catalog.pipeline import ImportPipeline
    from jaringan.catalog.texts import batch_message
    from jaringan.network.permissions import SYSTEM

    library, path = _library_and_file(args)
    with _file_progress(path, lambda batch: _("%(name)s: %(read)s read, %(quarantined)s quarantined") % {
            "name": path.name, "read": f"{batch.read:,}", "quarantined": f"{batch.quarantined:,}"}) as show:
        # The one import pipeline (the records page and the API run it too): a large file is decoded on
        # every core and the search index follows on another while records are matched and stored.
        pipeline = ImportPipeline(workers=args.workers)
        with path.open("rb") as stream:
            batch = pipeline.import_file(actor=SYSTEM, library=library, stream=stream, name=path.name,
                                         format=args.format, size=path.stat().st_size, progress=show)
    note = batch_message(batch)  # an interrupted previous run; records past the quarantine's cap
    if note:
        print(note, file=sys.stderr)
    print(_("%(name)s into %(library)s: read %(read)s = %(created)s new + %(updated)s updated + "
            "%(unchanged)s unchanged + %(withdrawn)s withdrawn + %(quarantined)s quarantined") % {
        "name": path.name, "library": library.code, "read": batch.read, "created": batch.created,
        "updated": batch.updated, "unchanged": batch.unchanged, "withdrawn": batch.withdrawn,
        "quarantined": batch.quarantined})
    return 0


def cmd_holdings(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.network.permissions import SYSTEM
    from jaringan.serials import services
    from jaringan.serials.texts import reason_display

    if args.action == "refresh":
        counts = services.serials_refresh()
        print(_("%(serials)s serials grouped (%(created)s new); %(linked)s waiting holdings linked.") % {
            "serials": counts["serials"], "created": counts["created"], "linked": counts["holdings_linked"]})
        return 0
    library, path = _library_and_file(args)
    with _file_progress(path, lambda batch: _("%(name)s: %(read)s read, %(refused)s refused") % {
            "name": path.name, "read": f"{batch.read:,}", "refused": f"{batch.refused:,}"}) as show:
        batch = services.holdings_import(actor=SYSTEM, library=library, data=path.read_bytes(), name=path.name,
                                         format=args.format, progress=show)
    for problem in batch.problems[:args.show_problems]:
        print(_("line %(line)s: %(reason)s") % {"line": problem["line"], "reason": reason_display(problem["reason"])},
              file=sys.stderr)
    if len(batch.problems) > args.show_problems:
        print(_("... and %(n)s more on the library's holdings page") % {"n": len(batch.problems) - args.show_problems},
              file=sys.stderr)
    print(_("%(name)s into %(library)s: read %(read)s = %(stored)s holdings stored + %(refused)s lines refused") % {
        "name": path.name, "library": library.code, "read": batch.read, "stored": batch.stored,
        "refused": batch.refused})
    return 0


def cmd_harvest(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.harvesting import services

    if args.source is None and not args.full and not args.incremental:
        runs = services.harvest_due(library_code=args.library)
    elif args.source is None and not args.library:
        print(_("Say which source (--source ID) or library (--library CODE) to harvest now."), file=sys.stderr)
        return 2
    else:
        runs = services.harvest_now(source_id=args.source, library_code=args.library,
                                    full=True if args.full else False if args.incremental else None)
    failed = 0
    for run in runs:
        b = run.batch
        if run.note:  # the previous run of this source was interrupted
            print(f"{run.source.endpoint}: {run.note}", file=sys.stderr)
        if run.status == "failed":
            failed += 1
            print(_("%(source)s: failed after %(pages)s pages: %(error)s") % {
                "source": run.source.endpoint, "pages": run.pages, "error": run.error}, file=sys.stderr)
        else:
            print(_("%(source)s (%(library)s): %(pages)s pages, read %(read)s = %(created)s new + %(updated)s "
                    "updated + %(unchanged)s unchanged + %(withdrawn)s withdrawn + %(quarantined)s quarantined") % {
                "source": run.source.endpoint, "library": run.source.library.code, "pages": run.pages,
                "read": b.read, "created": b.created, "updated": b.updated, "unchanged": b.unchanged,
                "withdrawn": b.withdrawn, "quarantined": b.quarantined})
            if run.withdrawn:
                print(_("%(source)s: %(count)s records the provider no longer lists were withdrawn") % {
                    "source": run.source.endpoint, "count": run.withdrawn})
    if not runs:
        print(_("No source is due."))
    return 1 if failed else 0


def cmd_export(args) -> int:
    _setup(args.home)
    from jaringan.catalog import selectors

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for line in selectors.export_editions():
            out.write(line + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def cmd_reindex(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.discovery import services

    if args.drain_only:
        print(_("%(n)s pending changes applied to the search index.") % {"n": services.outbox_drain()})
        return 0

    def show(done: int, total: int) -> None:
        print(f"\r{done:,}/{total:,}", end="", file=sys.stderr, flush=True)

    indexed = services.reindex(progress=show if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("%(n)s editions indexed.") % {"n": f"{indexed:,}"})
    return 0


def cmd_analysis_refresh(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.analysis import services

    def show(done: int) -> None:
        print(f"\r{done:,}", end="", file=sys.stderr, flush=True)

    done = services.profiles_refresh(rebuild=args.rebuild, progress=show if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("%(n)s editions counted again for collection analysis.") % {"n": f"{done:,}"})
    return 0


def cmd_z3950(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.interop import z3950

    where = z3950.layout(Path(args.folder) if args.folder else None)
    z3950.configure(where, listen=args.listen)
    if args.action == "export":
        count = z3950.export(where)
        print(_("%(n)s editions written to Zebra's register in %(folder)s.") % {"n": f"{count:,}",
                                                                               "folder": where.folder})
    elif args.action == "sync":
        print(_("%(n)s changed editions written to Zebra.") % {"n": f"{z3950.sync(where):,}"})
    else:
        def ready() -> None:
            print(_("Z39.50 (Zebra) on %(listen)s, database Default; the catalogue's changes followed every "
                    "%(s)s s. Stop with Ctrl+C.") % {"listen": args.listen, "s": args.interval}, flush=True)

        return z3950.serve(where, listen=args.listen, interval=args.interval, ready=ready)
    return 0


def cmd_ill_tick(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.catalog.services.batches import batches_reap
    from jaringan.harvesting.services import runs_reap
    from jaringan.ill.tick import tick

    report = tick()
    for batch in batches_reap():  # imports and harvests whose process died are marked interrupted
        print(f"{batch.library.code} {batch.name}: {batch.message}", file=sys.stderr)
    runs_reap()
    print(_("%(overdue)s loans overdue, %(late)s lenders passed over, %(lapsed)s offers lapsed, "
            "%(delivered)s messages delivered (%(undelivered)s still waiting), %(purged)s expired scans deleted")
          % {"overdue": len(report.overdue), "late": len(report.timed_out), "lapsed": len(report.lapsed),
             "delivered": report.delivered, "undelivered": report.undelivered, "purged": report.purged})
    if report.refused_deleted:
        print(_("%(n)s refused ISO 18626 messages deleted after their retention") % {"n": report.refused_deleted})
    from jaringan.reciprocal.services import overdue_tick

    print(_("%(n)s reciprocal loans newly overdue (reader and home library told)") % {"n": len(overdue_tick())})
    return 0


def cmd_ill_send(args) -> int:
    _setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.ill.iso18626.sender import work

    def said(report) -> None:
        print(_("%(sent)s messages delivered, %(refused)s refused, %(waiting)s to be tried again, %(failed)s given "
                "up") % report, flush=True)

    return work(once=args.once, interval=args.interval, report=said)


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
        p.add_argument("--threads", type=int,
                       help="threads per server process (default 8 under waitress, 1 under granian)")

    p = add("demo", cmd_demo, "Create the database, load the demo network (real Indonesian libraries), "
            "print the address and the demo logins, and serve it.")
    add_server_options(p)
    p.add_argument("--reset", action="store_true", help="start again from an empty SQLite database")
    p.add_argument("--no-serve", action="store_true", help="load the demo and exit without serving")
    from jaringan.demo import RECORDS  # a number only: the package's loaders need Django, set up later

    p.add_argument("--records", type=int, default=RECORDS, metavar="N",
                   help=f"how many of the 3,148 real Indonesian records to spread over the demo libraries "
                        f"(default {RECORDS}; 0 for none)")

    p = add("serve", cmd_serve, "Serve the web application, the JSON API (/api) and the admin (/admin).")
    add_server_options(p)
    p.add_argument("--server", choices=("waitress", "granian"), default="waitress",
                   help="waitress (one process, threads; the default) or granian (a Rust HTTP server with "
                        "several processes: for a busy network)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="server processes under granian (default: one per CPU core)")
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

    p = add("import", cmd_import, "Read a file of a member's records (MARC 21, MARCXML, Dublin Core, MODS, CSV) "
            "into the union catalogue; broken records go to quarantine, the rest goes on.")
    p.add_argument("file", help="the file to read")
    p.add_argument("--library", required=True, metavar="CODE", help="the member library the records belong to")
    p.add_argument("--format", choices=["marc21", "marcxml", "dc", "mods", "csv", "ris", "bibtex"],
                   help="the file's format (recognised from its content when not given)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes decoding MARC 21 (default: every core for files over 20 MB, else 1)")

    p = add("holdings", cmd_holdings, "Read a file of a member's serial holdings (MARC holdings records in MARCXML "
            "or MARC 21, KBART title lists, a CSV of typed holdings) with a progress line; lines that cannot be "
            "taken are refused with their line numbers while the rest goes on. 'refresh' groups the catalogue's "
            "serial records into serials again.")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    q = actions.add_parser("import", help="read a holdings file for a library",
                           description="Read a holdings file for a library: MFHD, KBART or a CSV of typed holdings.")
    q.add_argument("--home", default=argparse.SUPPRESS, help="data folder (as for every command)")
    q.add_argument("file", help="the holdings file")
    q.add_argument("--library", required=True, metavar="CODE", help="the member library the holdings belong to")
    q.add_argument("--format", choices=["mfhd", "table"],
                   help="mfhd (MARC holdings) or table (KBART, title list, CSV); recognised when not given")
    q.add_argument("--show-problems", type=int, default=20, metavar="N",
                   help="how many refused or warned lines to print (default 20; all are on the holdings page)")
    q = actions.add_parser("refresh", help="group the catalogue's serial records into serials again",
                           description="Group the catalogue's serial records into serials again and link the "
                                       "holdings that wait for their serial.")
    q.add_argument("--home", default=argparse.SUPPRESS, help="data folder (as for every command)")

    p = add("harvest", cmd_harvest, "Harvest every OAI-PMH source that is due (and resume unfinished runs); "
            "with --source, --full or --incremental, run the sources named now, due or not.")
    p.add_argument("--library", metavar="CODE", help="only this library's sources")
    p.add_argument("--source", type=int, metavar="ID", help="run this source now, due or not")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--full", action="store_true", help="ask for every record (a re-harvest)")
    how.add_argument("--incremental", action="store_true", help="ask only for what changed since the last run")

    p = add("export", cmd_export, "Write the union catalogue's editions as JSON Lines: each edition's id and "
            "its member records with their identifiers and libraries.")
    p.add_argument("what", choices=["editions"], help="what to export")
    p.add_argument("--output", metavar="FILE", help="write to this file instead of standard output")

    p = add("reindex", cmd_reindex, "Rebuild the search index from the database into a fresh folder and swap it "
            "in (searches go on meanwhile); with --drain-only, only apply the catalogue's pending changes.")
    p.add_argument("--drain-only", action="store_true", help="only apply pending changes (the outbox)")

    p = add("analysis-refresh", cmd_analysis_refresh, "Bring collection analysis's figures (overlap, subjects, "
            "last copies) up to date with the catalogue's changes (run it from cron; pages do it themselves when "
            "few editions changed); with --rebuild, count every edition again.")
    p.add_argument("--rebuild", action="store_true", help="count every edition again, from scratch")

    p = add("z3950", cmd_z3950, "Serve the union catalogue over Z39.50 through Zebra (idzebra-2.0) beside the hub: "
            "export writes Zebra's configuration into JARINGAN_HOME/z3950 and loads every edition; sync applies "
            "what changed since; serve runs zebrasrv and syncs every few seconds.")
    p.add_argument("action", choices=["export", "sync", "serve"], help="what to do")
    p.add_argument("--listen", default="127.0.0.1:2100", help="Zebra's address (default 127.0.0.1:2100)")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between syncs while serving (default 5)")
    p.add_argument("--folder", help="Zebra's folder (default JARINGAN_HOME/z3950)")

    add("ill-tick", cmd_ill_tick, "Interlibrary loan's scheduled work (run it from cron every few minutes): "
        "mark overdue loans, pass over lenders that did not answer in time, retry undelivered ISO 18626 messages, "
        "delete expired scans.")

    p = add("ill-send", cmd_ill_send, "Send the ISO 18626 messages waiting in the outbox, and keep sending them "
            "as they come (until stopped): a worker beside the web servers, whose own sender it complements or "
            "replaces (JARINGAN_ISO18626_SEND=worker).")
    p.add_argument("--once", action="store_true", help="one pass over what is due, then exit")
    p.add_argument("--interval", type=float, default=2.0,
                   help="seconds between looks at the outbox while nothing is due sooner (default 2)")

    p = add("token", cmd_token, "Issue a new API token for an account and print it (shown once).")
    p.add_argument("username", help="the account the token acts for")
    p.add_argument("--name", help="what the token is for")
    return parser


#: The exit code of each branch of the project's errors that a command lets through (the numbers of
#: sysexits.h; 1 for a state that does not allow the command, 70 for an error of no branch).
EXIT_CODES = {
    Invalid: 65,  # EX_DATAERR: the input (a file, a value) was refused
    NotFound: 66,  # EX_NOINPUT: no such library, account, file or source
    Forbidden: 77,  # EX_NOPERM
    Conflict: 1,  # the thing's state does not allow this now
    Unavailable: 75,  # EX_TEMPFAIL: try again later
    JaringanError: 70,  # EX_SOFTWARE
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except JaringanError as error:  # the command's answer: the error's words and its branch's exit code
        from django.utils.translation import gettext as _

        from jaringan.errors import title_of

        print(_("error: %(message)s") % {"message": error.message or title_of(error)}, file=sys.stderr)
        return lookup(EXIT_CODES, error, EXIT_CODES[JaringanError])


if __name__ == "__main__":
    raise SystemExit(main())
