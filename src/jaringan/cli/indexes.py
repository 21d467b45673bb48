"""What is derived from the catalogue and kept up to date beside it: `jaringan reindex` (the search
index), `jaringan analysis-refresh` (collection analysis's figures), `jaringan digests` (readers' e-mail digests
of new acquisitions), `jaringan z3950` (Zebra's register)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import Command, setup


def cmd_reindex(args) -> int:
    setup(args.home)
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
    setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.analysis import services

    def show(done: int) -> None:
        print(f"\r{done:,}", end="", file=sys.stderr, flush=True)

    done = services.profiles_refresh(rebuild=args.rebuild, progress=show if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("%(n)s editions counted again for collection analysis.") % {"n": f"{done:,}"})
    return 0


def cmd_digests(args) -> int:
    setup(args.home)
    from datetime import date

    from django.utils.translation import gettext as _

    from jaringan.analysis import digests
    from jaringan.core.errors import Invalid

    try:
        today = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise Invalid(_("--date: %(value)s is not a date (YYYY-MM-DD).") % {"value": args.date}) from None
    counts = digests.digests_send(today=today, frequency=args.frequency)
    print(_("Digests: %(mailed)s sent, %(empty)s with nothing new (not sent), %(failed)s refused by the mail "
            "server (tried again next run).") % counts)
    return 0 if not counts["failed"] else 75


def cmd_z3950(args) -> int:
    setup(args.home)
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


def _reindex_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--drain-only", action="store_true", help="only apply pending changes (the outbox)")


def _analysis_refresh_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rebuild", action="store_true", help="count every edition again, from scratch")


def _digests_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", help="make the digests as on this day (YYYY-MM-DD; default today)")
    p.add_argument("--frequency", choices=["weekly", "monthly"], help="only these digests (default both)")


def _z3950_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["export", "sync", "serve"], help="what to do")
    p.add_argument("--listen", default="127.0.0.1:2100", help="Zebra's address (default 127.0.0.1:2100)")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between syncs while serving (default 5)")
    p.add_argument("--folder", help="Zebra's folder (default JARINGAN_HOME/z3950)")


COMMANDS = (
    Command("reindex", "Rebuild the search index from the database into a fresh folder and swap it in (searches "
            "go on meanwhile); with --drain-only, only apply the catalogue's pending changes.", cmd_reindex,
            _reindex_options),
    Command("analysis-refresh", "Bring collection analysis's figures (overlap, subjects, last copies) up to date "
            "with the catalogue's changes (run it from cron; pages do it themselves when few editions changed); "
            "with --rebuild, count every edition again.", cmd_analysis_refresh, _analysis_refresh_options),
    Command("digests", "Send readers their e-mail digests of new acquisitions for the last whole week or month "
            "(run it from cron daily): each period once, nothing sent twice; a digest the mail server refuses "
            "is tried again next run.", cmd_digests, _digests_options),
    Command("z3950", "Serve the union catalogue over Z39.50 through Zebra (idzebra-2.0) beside the hub: export "
            "writes Zebra's configuration into JARINGAN_HOME/z3950 and loads every edition; sync applies what "
            "changed since; serve runs zebrasrv and syncs every few seconds.", cmd_z3950, _z3950_options),
)
