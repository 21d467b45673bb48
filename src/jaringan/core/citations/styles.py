"""The citation styles shipped with Jaringan (CSL 1.0 files in ``styles/``) and the locales they speak.

Each style is a real Citation Style Language file, unchanged (see ``styles/README.md``
for where they come from and their licence). ``numeric`` styles (IEEE) number their
references; the number is the entry's place in the list, written by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jaringan.core.errors import Invalid

__all__ = ["DEFAULT_STYLE", "LOCALES", "STYLES", "Style", "UnknownStyle", "style_for", "csl_locale"]

STYLES_FOLDER = Path(__file__).resolve().parent / "styles"


@dataclass(frozen=True)
class Style:
    key: str
    file: str
    title: str
    numeric: bool = False

    @property
    def path(self) -> Path:
        return STYLES_FOLDER / self.file


#: Every style a bibliography can be written in, by its key (as used in addresses and the API).
STYLES: dict[str, Style] = {s.key: s for s in (
    Style("apa", "apa.csl", "APA 7th edition"),
    Style("chicago", "chicago-author-date.csl", "Chicago author-date"),
    Style("ieee", "ieee.csl", "IEEE", numeric=True),
    Style("itb", "institut-teknologi-bandung-sekolah-pascasarjana.csl",
          "Institut Teknologi Bandung, Sekolah Pascasarjana"),
)}
DEFAULT_STYLE = "apa"
#: Interface language → CSL locale (citeproc-py ships both).
LOCALES = {"id": "id-ID", "en": "en-US"}
DEFAULT_LOCALE = "id-ID"


class UnknownStyle(Invalid):
    """A style key that is not one of ``STYLES``."""


def style_for(key: str) -> Style:
    """The style of ``key``; raises :class:`UnknownStyle` naming the keys there are."""
    try:
        return STYLES[key]
    except KeyError:
        raise UnknownStyle(f"no citation style {key!r}; there are {', '.join(STYLES)}") from None


def csl_locale(language: str | None) -> str:
    """The CSL locale for an interface language ("id", "en", "en-us"), Indonesian when unknown."""
    return LOCALES.get((language or "").split("-")[0].lower(), DEFAULT_LOCALE)
