"""MARC 21 holdings (MFHD): captions and patterns (853-855) paired with enumeration and
chronology (863-865), and textual holdings (866-868), into a :class:`~.coverage.Statement`.

The holdings fields may come in a holdings record of their own (leader/06 ``x``, ``y``,
``v`` or ``u``, linked to its bibliographic record by 004) or embedded in the
bibliographic record itself; either way they reach this module as :class:`Field` rows.

An 863 is paired with the 853 whose link number is the part of its ``$8`` before the
dot (``$8 1.3`` is the third item of caption ``1``). Each value subfield carries the
value of the caption in the same subfield: ``$a`` volume, ``$b`` issue, ``$i`` year,
``$j`` month or season, ``$k`` day. A value with a hyphen is a range (``$b6-8``), one
ending in a hyphen is held to date (``$a1-``). A caption in parentheses (``(year)``,
``(month)``, ``(season)``) names a chronology, shown without its caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .coverage import Point, Range, Statement, merge_ranges
from .freetext import parse as parse_text

__all__ = ["Field", "Item", "items", "statement", "parse_vector_line", "MONTHS", "SEASONS"]

CAPTION_TAGS = {"863": "853", "864": "854", "865": "855"}
TEXT_TAGS = ("866", "867", "868")
ENUMERATION = "abcdef"
CHRONOLOGY = "ijkl"
#: Months and seasons as ANSI/NISO Z39.71 abbreviates them in English.
MONTHS = {1: "Jan.", 2: "Feb.", 3: "Mar.", 4: "Apr.", 5: "May", 6: "June", 7: "July", 8: "Aug.",
          9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}
SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
_INT = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Field:
    """One MARC field as the holdings parser needs it."""

    tag: str
    ind1: str = " "
    ind2: str = " "
    subfields: tuple[tuple[str, str], ...] = ()

    def get(self, code: str) -> str | None:
        return next((v for c, v in self.subfields if c == code), None)


@dataclass(frozen=True, slots=True)
class Item:
    """One 863/864/865 read against its caption: what it says and how it displays."""

    tag: str
    link: str
    range: Range | None
    text: str
    #: The field as received, for a line that could not be read.
    raw: str = ""


def parse_vector_line(line: str) -> Field | None:
    """A field written as ``863 41 $81.1$a1$b6`` (Evergreen's MFHD test files, MARC breaker style)."""
    m = re.match(r"^(\d{3}) (.)(.) (.*)$", line.rstrip("\n"))
    if not m:
        return None
    body = m.group(4)
    subfields = tuple((part[0], part[1:]) for part in body.split("$")[1:] if part)
    return Field(m.group(1), m.group(2), m.group(3), subfields)


def _chron_label(caption: str, value: str) -> str | None:
    kind = caption.strip("()").lower()
    if kind in ("year",):
        return None
    def one(v: str) -> str:
        v = v.strip()
        bracket = v.startswith("[") and v.endswith("]")
        core = v.strip("[]")
        n = int(core) if core.isdigit() else None
        if n is not None and kind == "month" and n in MONTHS:
            word = MONTHS[n]
        elif n is not None and n in SEASONS and kind in ("season", "month"):
            word = SEASONS[n]
        elif n is not None and kind == "day":
            word = str(n)
        else:
            word = core
        return f"[{word}]" if bracket else word
    return "/".join(one(v) for v in value.split("/"))


def _number(value: str, last: bool) -> int | None:
    found = _INT.findall(value)
    if not found:
        return None
    return int(found[-1] if last else found[0])


def _point(captions: dict[str, str], values: dict[str, str], last: bool) -> Point:
    volume = issue = year = None
    labels = []
    vcap, icap = "v.", "no."
    enum_levels = [c for c in ENUMERATION if c in captions and c in values]
    level = 0
    for code in enum_levels + [c for c in CHRONOLOGY if c in captions and c in values]:
        caption, value = captions[code], values[code]
        if caption.startswith("("):
            kind = caption.strip("()").lower()
            if kind == "year":
                year = _number(value, last)
            else:
                part = _chron_label(caption, value.split("/")[-1] if last and "/" in value and kind != "month"
                                    else value)
                if code in CHRONOLOGY or kind in ("season", "month", "day"):
                    labels.append(part)
            continue
        if code in ENUMERATION:
            if level == 0:
                volume, vcap = _number(value, last), caption
            elif level == 1:
                issue, icap = _number(value, last), caption
            level += 1
    if year is None and volume is None and issue is None and labels:
        return Point(label=":".join(labels), captions=(vcap, icap))
    # Day after month: "1990:June:15" is written "1990:June 15".
    label = " ".join(labels) if labels else None
    return Point(volume, issue, year, label, (vcap, icap))


def _sides(values: dict[str, str]) -> tuple[dict[str, str], dict[str, str], bool, bool]:
    """The start and end of a compressed item, whether it is held to date, and whether it is a range."""
    start, end = {}, {}
    open_end = is_range = False
    for code, value in values.items():
        v = value.strip()
        if v.endswith("-") and "-" not in v[:-1]:
            start[code] = v[:-1]
            open_end = True
            continue
        if "-" in v:
            a, b = v.split("-", 1)
            start[code], end[code] = a, b
            is_range = True
        else:
            start[code] = end[code] = v
    return start, end, open_end, is_range


def _item(field: Field, captions: dict[str, dict[str, str]]) -> Item:
    link_seq = field.get("8") or ""
    link = link_seq.split(".")[0]
    caption = captions.get(f"{CAPTION_TAGS[field.tag]}:{link}")
    raw = " ".join(f"${c}{v}" for c, v in field.subfields)
    values = {c: v for c, v in field.subfields if c in ENUMERATION + CHRONOLOGY and v.strip()}
    if caption is None or not values:
        return Item(field.tag, link, None, raw, raw)
    start, end, open_end, is_range = _sides(values)
    first = _point(caption, start, last=False)
    if first.is_empty() and not first.label:
        return Item(field.tag, link, None, raw, raw)
    if open_end:
        r = Range(first, None, True)
    else:
        second = _point(caption, end, last=True)
        if not is_range and second.volume == first.volume:
            # a combined issue ("no.1/2") is one item; "v.10/11 no.2/1" and a year "2004/2005" span two
            second = replace(second, issue=first.issue)
        r = Range(first, second if (is_range or second != first) else None)
    return Item(field.tag, link, r, r.display(), raw)


def items(fields) -> list[Item]:
    """Every 863-865 of ``fields`` paired with its caption, in the order given."""
    captions: dict[str, dict[str, str]] = {}
    for f in fields:
        if f.tag in CAPTION_TAGS.values():
            captions[f"{f.tag}:{f.get('8') or ''}"] = {c: v for c, v in f.subfields
                                                        if c in ENUMERATION + CHRONOLOGY}
    return [_item(f, captions) for f in fields if f.tag in CAPTION_TAGS]


def statement(fields) -> Statement:
    """The holdings these fields state: 863 ranges compressed, 866 text read, 867/868 and 864/865 noted.

    A field that cannot be read is kept as its text in ``unparsed``.
    """
    fields = list(fields)
    ranges, unparsed, notes, missing = [], [], [], []
    for it in items(fields):
        if it.range is None:
            unparsed.append(it.raw)
        elif it.tag == "863":
            ranges.append(it.range)
        else:
            notes.append(("Supplements: " if it.tag == "864" else "Indexes: ") + it.text)
    for f in fields:
        if f.tag not in TEXT_TAGS:
            continue
        text = " ".join(v for c, v in f.subfields if c == "a").strip()
        note = " ".join(v for c, v in f.subfields if c == "z").strip()
        if f.tag == "866":
            if text:
                parsed = parse_text(text)
                ranges.extend(parsed.ranges)
                missing.extend(parsed.missing)
                unparsed.extend(parsed.unparsed)
            if note:
                notes.append(note)
        elif text or note:
            label = "Supplements: " if f.tag == "867" else "Indexes: "
            notes.append(label + "; ".join(p for p in (text, note) if p))
    return Statement(ranges=merge_ranges(ranges), missing=tuple(missing), unparsed=tuple(unparsed),
                     notes=tuple(notes))
