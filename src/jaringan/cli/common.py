"""What every command shares: how it is declared (`Command`), Django set up in the terminal's
language, and the helpers of the commands that read a member's file."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jaringan.core.errors import NotFound


@dataclass(frozen=True)
class Command:
    """A command as its group declares it: its name, what it does (its help), the function that runs it
    (the parsed arguments in, the exit code out) and the options it takes besides ``--home``."""

    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    options: Callable[[argparse.ArgumentParser], None] | None = None

    def add_to(self, sub) -> argparse.ArgumentParser:
        p = sub.add_parser(self.name, help=self.help, description=self.help)
        p.add_argument("--home", help="data folder (database, uploads, index); default $JARINGAN_HOME or ./var")
        p.set_defaults(func=self.run)
        if self.options:
            self.options(p)
        return p


def setup(home: str | None = None) -> None:
    """Django set up for a command (``--home``: the data folder), speaking the terminal's language."""
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


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def library_and_file(args):
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
def file_progress(path: Path, describe):
    """A progress line on the terminal while ``path`` is read: yields the function a batch's progress is
    given to; ``describe(batch)`` says what the line shows."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=False, disable=not console.is_terminal) as progress:
        task = progress.add_task(path.name, total=None)
        yield lambda batch: progress.update(task, description=describe(batch))
