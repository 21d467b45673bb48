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
    jaringan digests      send readers their e-mail digests of new acquisitions (each period once)
    jaringan z3950        the union catalogue over Z39.50 through Zebra: export, sync, serve
    jaringan ill-tick     interlibrary loan's scheduled work: overdues, deadlines, messages to retry; reciprocal
                          loans' overdues
    jaringan ill-send     a worker sending interlibrary loan's ISO 18626 messages as they come

A command that meets an error of the project's tree (``jaringan.core.errors``) says it on stderr
("error: ...") and exits with its branch's code (``EXIT_CODES``).

Each group of commands declares its commands, their help and their options in a module of its own
(`serving`, `accounts`, `records`, `indexes`, `ill`); the parser is built from those declarations.
"""

from __future__ import annotations

import argparse
import sys

from jaringan.core.errors import Conflict, Forbidden, Invalid, JaringanError, NotFound, Unavailable, lookup

from . import accounts, ill, indexes, records, serving
from .common import Command

__all__ = ["EXIT_CODES", "build_parser", "main"]

GROUPS = (serving, accounts, records, indexes, ill)
#: The order in which `jaringan --help` lists the commands.
LISTED = ("demo", "serve", "migrate", "createuser", "import", "holdings", "harvest", "export", "reindex",
          "analysis-refresh", "digests", "z3950", "ill-tick", "ill-send", "token")


def commands() -> list[Command]:
    """Every command the groups declare, in the order `jaringan --help` lists them."""
    declared = {command.name: command for group in GROUPS for command in group.COMMANDS}
    if set(declared) != set(LISTED):
        raise RuntimeError(f"commands declared and listed differ: {sorted(set(declared) ^ set(LISTED))}")
    return [declared[name] for name in LISTED]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaringan", description="Jaringan: the network between libraries."
    )
    parser.add_argument("--version", action="version", version=f"jaringan {__import__('jaringan').__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in commands():
        command.add_to(sub)
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
