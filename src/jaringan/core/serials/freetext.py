"""Holdings as people type them, read into ranges: "Vol. 1 (1990) - vol. 12 (2001)",
"1995-2003; 2007-", "v.3 no.2 missing", "Th. 5 No. 1 (2010) s.d. sekarang".

A statement is cut at semicolons (and at commas that start a new volume or year, not
an issue: "v.1, no.2" stays one place). Each part is read as labelled numbers
(volume: ``v.``, ``vol.``, ``jil.``, ``Bd.``, ``Th.``/``Tahun`` under 1500; issue:
``no.``, ``nr.``, ``iss.``, ``nomor``, ``edisi``; a year of four digits, ``1990/91``
too) around one range mark (``-``, ``to``, ``s.d.``, ``s/d``, ``sampai``, ``hingga``).
A part that ends on the range mark, or says "present", "to date", "sekarang", is held
to date; a part saying "missing", "lacking", "hilang", "tidak ada" is lacking. A part
with anything else left over is kept word for word in ``unparsed``: nothing is dropped.
"""

from __future__ import annotations

import re

from .coverage import Point, Range, Statement, merge_ranges

__all__ = ["parse", "parse_point"]

_VOLUME = r"(?P<vlabel>volumes?|vols?|v|jil(?:id)?|bd|band|tahun|thn|th|tome|tom|anno|jaargang|jg|année)"
_ISSUE = r"(?P<ilabel>numbers?|nos?|nr|num|issues?|iss|nomor|edisi|heft|fasc|#)"
_TOKEN = re.compile(
    rf"\b{_VOLUME}\b\.?\s*(?P<vnum>\d+)(?:/(?P<vnum2>\d+))?"
    rf"|(?:\b|(?=#)){_ISSUE}\.?\s*(?P<inum>\d+)(?:/(?P<inum2>\d+))?"
    r"|\b(?P<year>1[5-9]\d\d|20\d\d)(?:/(?P<year2>\d{2,4}))?\b"
    r"|(?P<dash>\s-\s|-|–|—|\bto\b|\bs\.\s?d\.?|\bs/d\b|\bsampai(?:\s+dengan)?\b|\bhingga\b|\buntil\b|\bthrough\b)"
    r"|(?P<open>\bpresent\b|\bcurrent\b|\bto\s+date\b|\bdate\b|\bsekarang\b|\bkini\b|\bnow\b|\bongoing\b)"
    r"|(?P<num>\d+)",
    re.I,
)
_MISSING = re.compile(r"\b(missing|lacking|lacks|wanting|lost|hilang|tidak\s+ada|tdk\s+ada|kurang)\b:?", re.I)
#: Months and seasons (English, Indonesian, French) are read past: coverage is by volume, issue and year.
_PART_OF_YEAR = (r"jan(?:uary|uari)?|feb(?:ruary|ruari)?|mar(?:ch|et)?|apr(?:il)?|may|mei|june?|juni|july?|juli"
                 r"|aug(?:ust)?|agu(?:stus)?|ags|sept?(?:ember)?|oct(?:ober)?|okt(?:ober)?|nov(?:ember)?"
                 r"|dec(?:ember)?|des(?:ember)?|spring|summer|autumn|fall|winter|printemps|été|automne|hiver"
                 r"|semester|quarter")
_FILLER = re.compile(rf"[\s().,:/\[\]*+]+|\b(?:and|dan|issues?|{_PART_OF_YEAR})\b", re.I)
_NEW_PLACE = re.compile(rf"^\s*(?:{_VOLUME}\b\.?\s*\d|(?:1[5-9]\d\d|20\d\d)\b)", re.I)


def _year(first: str, second: str | None) -> tuple[int, int]:
    a = int(first)
    if not second:
        return a, a
    b = int(second)
    if b < 100:  # 1990/91
        b = a - a % 100 + b if a % 100 < b else a - a % 100 + 100 + b
    return a, b


def _pieces(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split(";"):
        chunks = part.split(",")
        current = chunks[0]
        for chunk in chunks[1:]:
            if _NEW_PLACE.match(chunk) and _TOKEN.search(current):
                out.append(current)
                current = chunk
            else:
                current += "," + chunk
        out.append(current)
    return [p.strip() for p in out if p.strip()]


#: A number read from a statement: (kind, first, last, side), side 0 before the range mark and 1 after it.
_Token = tuple[str, int, int, int]


def _read(piece: str) -> tuple[Range | None, bool]:
    """The range one piece states and whether it is lacking; (None, _) when it cannot be read."""
    missing = bool(_MISSING.search(piece))
    scanned = _scan(_MISSING.sub(" ", piece))
    if scanned is None:
        return None, missing
    tokens, dashes, opened = scanned
    return _range(tokens, dashes=dashes, opened=opened), missing


def _scan(text: str) -> tuple[list[_Token], int, bool] | None:
    """(numbers read, range marks seen, whether held to date), or None when anything is left unread."""
    tokens: list[_Token] = []
    side, dashes, opened = 0, 0, False
    leftover = []
    pos = 0
    last_kind = None
    after_dash = False
    for m in _TOKEN.finditer(text):
        leftover.append(text[pos:m.start()])
        pos = m.end()
        if m.group("dash"):
            side, dashes, after_dash = 1, dashes + 1, True
            continue
        if m.group("open"):
            opened = True
            continue
        number = _number(m, last_kind=last_kind if after_dash else None)
        if number is None:
            return None
        kind, n, n2 = number
        tokens.append((kind, n, n2, side))
        last_kind, after_dash = kind, False
    leftover.append(text[pos:])
    if _FILLER.sub("", "".join(leftover)) or not tokens:
        return None
    return tokens, dashes, opened or after_dash  # ends on the range mark: "2007-"


def _number(m: re.Match, *, last_kind: str | None) -> tuple[str, int, int] | None:
    """(kind, first, last) of a labelled number or year; a bare number right after a range mark is of the
    kind before it ("v.1-12"); any other bare number: None."""
    if m.group("vnum"):
        label = m.group("vlabel").lower()
        n = int(m.group("vnum"))
        if label in ("tahun", "thn", "th") and n >= 1500:
            return "year", *_year(m.group("vnum"), m.group("vnum2"))
        return "volume", n, int(m.group("vnum2")) if m.group("vnum2") else n
    if m.group("inum"):
        n = int(m.group("inum"))
        return "issue", n, int(m.group("inum2")) if m.group("inum2") else n
    if m.group("year"):
        return "year", *_year(m.group("year"), m.group("year2"))
    if not last_kind:
        return None
    n = int(m.group("num"))
    return last_kind, n, n


def _range(tokens: list[_Token], *, dashes: int, opened: bool) -> Range:
    """The range the numbers state: each kind's first number starts it, its last one ends it."""
    start: dict[str, int] = {}
    end: dict[str, int | None] = {}
    for kind in ("volume", "issue", "year"):
        mine = [t for t in tokens if t[0] == kind]
        if not mine:
            continue
        start[kind] = mine[0][1]
        if len(mine) > 1 or mine[-1][3] == 1 or not dashes:
            end[kind] = mine[-1][2]
        else:
            end[kind] = None  # named only at the start of a range
    first = Point(start.get("volume"), start.get("issue"), start.get("year"))
    if opened:
        return Range(first, None, True)
    second = Point(end.get("volume"), end.get("issue"), end.get("year"))
    if second == first:
        return Range(first)
    return Range(first, second)


def parse_point(text: str) -> Point | None:
    """One place in a run ("vol. 5 no. 2 (2019)"), or None."""
    r, _missing = _read(text)
    return r.start if r is not None and r.end is None and not r.open else None


def parse(text: str) -> Statement:
    """A typed holdings statement read into ranges; what cannot be read is kept in ``unparsed``."""
    ranges, missing, unparsed = [], [], []
    for piece in _pieces(text or ""):
        r, lacking = _read(piece)
        if r is None:
            unparsed.append(piece)
        elif lacking:
            missing.append(r)
        else:
            ranges.append(r)
    return Statement(ranges=merge_ranges(ranges), missing=tuple(missing), unparsed=tuple(unparsed))
