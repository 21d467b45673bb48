"""Subject groups from class numbers: DDC tens, LCC subclasses, UDC main classes.

An edition is placed by the class numbers its records carry (MARC 082 DDC, 050/090 LCC, 080 UDC;
see ``catalog.record.Classification``). Each scheme keeps its own groups, as the network's
agreements divide labour in one scheme at a time:

* DDC: the tens ("63" for 630–639), main class its first digit ("6": 600–699);
* LCC: the letters of the class ("QA"), main class the first letter ("Q");
* UDC: the first digit ("6"), which is also its main class.

Numbers that cannot be read in their scheme ("[Fic]", "B", "E") place the edition in no group of
that scheme.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["SCHEMES", "Placement", "place", "main_class", "ddc_range_of", "lcc_group", "lcc_outline", "lcc_sort_number"]

#: The schemes, in the order an edition's records are read for them.
SCHEMES = ("ddc", "lcc", "udc")

_DDC = re.compile(r"^\s*\[?\s*(\d{3})(?:\.(\d+))?")
_LCC = re.compile(r"^\s*([A-Z]{1,3})\s*(\d+(?:\.\d+)?)?")
_UDC = re.compile(r"^\s*\[?\s*(\d+(?:\.\d+)*)")
#: The LC Classification Outline's classes and subclasses with captions (see data/SOURCES.md).
OUTLINE = Path(__file__).with_name("data") / "lcc_outline.json"


@lru_cache(maxsize=1)
def lcc_outline() -> dict[str, str]:
    """LCC class letters → caption, for every class and subclass of the outline."""
    return {row["class"]: row["caption"] for row in json.loads(OUTLINE.read_text(encoding="utf-8"))}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an edition falls in each scheme (None: no readable number in that scheme).

    ``ddc`` is the number as a decimal (for ranges such as 630–639.99), ``ddc_group`` its tens;
    ``lcc`` the class letters and ``lcc_number`` the number after them (the group is `lcc_group`); ``udc`` the digits of the
    number without dots ("631.4" → "6314"), ordered as decimal fractions, ``udc_group`` the first.
    """

    ddc: float | None = None
    ddc_group: str | None = None
    lcc: str | None = None
    lcc_number: float | None = None
    udc: str | None = None
    udc_group: str | None = None

    def group(self, scheme: str) -> str | None:
        return {"ddc": self.ddc_group, "lcc": lcc_group(self.lcc or ""), "udc": self.udc_group}[scheme]


def _ddc(number: str) -> tuple[float, str] | None:
    m = _DDC.match(number.replace("/", "").replace("'", ""))
    if not m:
        return None
    whole = m.group(1) + ("." + m.group(2) if m.group(2) else "")
    return float(whole), m.group(1)[:2]


def _lcc(number: str) -> tuple[str, float | None] | None:
    m = _LCC.match(number.upper())
    if not m or (len(m.group(1)) > 1 and not m.group(2)):
        return None
    letters = m.group(1)
    # Letters that are no class of the outline are shelf marks, not classes ("MLCSE 2000/00106",
    # "Microfiche 00/50041").
    if lcc_group(letters) is None:
        return None
    return letters, float(m.group(2)) if m.group(2) else None


def lcc_group(letters: str) -> str | None:
    """The outline's class or subclass for LCC letters: itself, or for law's jurisdictions, which the
    outline gives as ranges (KNC–KNX), its first two letters (KNW → KN); None for letters of no class."""
    if not letters:
        return None
    if letters in lcc_outline():
        return letters
    if letters[0] == "K" and letters[:2] in lcc_outline():
        return letters[:2]
    return None


def _udc(number: str) -> str | None:
    m = _UDC.match(number)
    if not m:
        return None
    return m.group(1).replace(".", "")


def place(classifications: Iterable) -> Placement:
    """The placement of an edition from its classifications: each an object or mapping with
    ``scheme`` (``ddc``, ``lcc``, ``udc``) and ``number``; the first readable number of a scheme wins."""
    ddc = lcc = udc = None
    for item in classifications or ():
        scheme = item["scheme"] if isinstance(item, dict) else item.scheme
        number = (item["number"] if isinstance(item, dict) else item.number) or ""
        scheme = (scheme or "").lower()
        if scheme == "ddc" and ddc is None:
            ddc = _ddc(number)
        elif scheme == "lcc" and lcc is None:
            lcc = _lcc(number)
        elif scheme == "udc" and udc is None:
            udc = _udc(number)
    return Placement(
        ddc=ddc[0] if ddc else None, ddc_group=ddc[1] if ddc else None,
        lcc=lcc[0] if lcc else None, lcc_number=lcc[1] if lcc else None,
        udc=udc, udc_group=udc[0] if udc else None,
    )


def main_class(scheme: str, group: str) -> str:
    """The main class a group belongs to: DDC "63" → "6", LCC "QA" → "Q", UDC "6" → "6"."""
    return group[:1]


def ddc_range_of(group: str) -> tuple[int, int]:
    """The hundreds a DDC group spans, for captions: "63" → (630, 639), "6" → (600, 699)."""
    if len(group) == 1:
        return int(group) * 100, int(group) * 100 + 99
    return int(group) * 10, int(group) * 10 + 9


def lcc_sort_number(number: float | None) -> float:
    """An LCC number for range comparison: a class without a number sorts before its first number."""
    return -1.0 if number is None else number
