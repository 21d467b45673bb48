"""What every holdings reader yields: a :class:`HoldingsLine` per holding, a :class:`Problem` per line
that could not be taken (with its line or record number, so a person can find it)."""

from __future__ import annotations

from dataclasses import dataclass

from jaringan.core.catalog.readers.errors import UnreadableFile

from .coverage import Statement

__all__ = ["HoldingsLine", "Problem", "HoldingsError"]


class HoldingsError(UnreadableFile):
    """A holdings file that cannot be read at all (no known format, no header): nothing was taken.

    One of the readers' ``UnreadableFile``: the XML a holdings reader shares with them refuses a file
    the same way (``NotXml``, ``ForbiddenDtd``), and whoever reads holdings catches ``UnreadableFile``."""


@dataclass(frozen=True, slots=True)
class HoldingsLine:
    """One library's holding of one serial, as a file states it.

    ``line`` is the line (text files) or record (MARC) it came from; ``text`` the
    statement as written, kept beside the parsed ``statement``; ``bib_ids`` the
    control numbers an MFHD record names for its bibliographic record (004, 001).
    """

    line: int
    title: str
    issns: tuple[str, ...]
    statement: Statement
    text: str
    electronic: bool = False
    bib_ids: tuple[str, ...] = ()
    note: str = ""
    location: str = ""
    url: str = ""
    #: Something worth telling about a line that was still taken (a bad ISSN check digit).
    warning: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """A line or record that was not taken, and why."""

    line: int
    reason: str
    text: str = ""
