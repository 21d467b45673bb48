"""Members' records in and the catalogue out: `jaringan import`, `jaringan holdings`, `jaringan harvest`,
`jaringan export`."""

from __future__ import annotations

import argparse
import sys

from .common import Command, file_progress, library_and_file, setup


def cmd_import(args) -> int:
    setup(args.home)
    from django.utils.translation import gettext as _, ngettext

    from jaringan.catalog.pipeline import ImportPipeline
    from jaringan.catalog.texts import batch_message
    from jaringan.network.permissions import SYSTEM

    library, path = library_and_file(args)
    with file_progress(path, lambda batch: _("%(name)s: %(read)s read, %(quarantined)s quarantined") % {
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
    if batch.held:
        print(ngettext("%(count)s record the file withdraws is a copy its library committed to keep: it stays until "
                       "staff confirm its withdrawal on the library's retention page",
                       "%(count)s records the file withdraws are copies their library committed to keep: they stay "
                       "until staff confirm their withdrawal on the library's retention page",
                       batch.held) % {"count": batch.held}, file=sys.stderr)
    return 0


def cmd_holdings(args) -> int:
    setup(args.home)
    from django.utils.translation import gettext as _

    from jaringan.network.permissions import SYSTEM
    from jaringan.serials import services
    from jaringan.serials.texts import reason_display

    if args.action == "refresh":
        counts = services.serials_refresh()
        print(_("%(serials)s serials grouped (%(created)s new); %(linked)s waiting holdings linked.") % {
            "serials": counts["serials"], "created": counts["created"], "linked": counts["holdings_linked"]})
        return 0
    library, path = library_and_file(args)
    with file_progress(path, lambda batch: _("%(name)s: %(read)s read, %(refused)s refused") % {
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
    setup(args.home)
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
    setup(args.home)
    from jaringan.catalog import selectors

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for line in selectors.export_editions():
            out.write(line + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="the file to read")
    p.add_argument("--library", required=True, metavar="CODE", help="the member library the records belong to")
    p.add_argument("--format", choices=["marc21", "marcxml", "dc", "mods", "csv", "ris", "bibtex"],
                   help="the file's format (recognised from its content when not given)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes decoding MARC 21 (default: every core for files over 20 MB, else 1)")


def _holdings_options(p: argparse.ArgumentParser) -> None:
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


def _harvest_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--library", metavar="CODE", help="only this library's sources")
    p.add_argument("--source", type=int, metavar="ID", help="run this source now, due or not")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--full", action="store_true", help="ask for every record (a re-harvest)")
    how.add_argument("--incremental", action="store_true", help="ask only for what changed since the last run")


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["editions"], help="what to export")
    p.add_argument("--output", metavar="FILE", help="write to this file instead of standard output")


COMMANDS = (
    Command("import", "Read a file of a member's records (MARC 21, MARCXML, Dublin Core, MODS, CSV) into the union "
            "catalogue; broken records go to quarantine, the rest goes on.", cmd_import, _import_options),
    Command("holdings", "Read a file of a member's serial holdings (MARC holdings records in MARCXML or MARC 21, "
            "KBART title lists, a CSV of typed holdings) with a progress line; lines that cannot be taken are "
            "refused with their line numbers while the rest goes on. 'refresh' groups the catalogue's serial "
            "records into serials again.", cmd_holdings, _holdings_options),
    Command("harvest", "Harvest every OAI-PMH source that is due (and resume unfinished runs); with --source, "
            "--full or --incremental, run the sources named now, due or not.", cmd_harvest, _harvest_options),
    Command("export", "Write the union catalogue's editions as JSON Lines: each edition's id and its member "
            "records with their identifiers and libraries.", cmd_export, _export_options),
)
