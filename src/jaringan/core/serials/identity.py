"""Which records are one serial: grouped by ISSN (print, electronic and ISSN-L linked), by title
when no ISSN is given, and runs of one journal linked by their earlier and later titles (780/785).

:func:`group` takes every serial record's :class:`SerialFacts` and returns :class:`Group` s:
records sharing an ISSN (022 $a, $l ISSN-L, $y/$z earlier or cancelled ones are not used;
776 $x the other medium's ISSN) are one serial, transitively; a record without an ISSN joins
the serial whose title key it shares when that title is not shared by two different ISSN
groups, else starts its own. :func:`links` then finds, for each 780/785 entry, the group it
names (by its $x ISSN, else its $t title), so that the runs of a journal under its successive
titles point at one another.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["SerialFacts", "Group", "group", "links", "title_key", "normalise_issn", "issn_candidates"]

_ISSN = re.compile(r"(\d{4})\s*-?\s*(\d{3}[\dXx])")
_LEADING_ARTICLES = ("the ", "a ", "an ", "le ", "la ", "les ", "l'", "der ", "die ", "das ")


def _check_digit(first_seven: str) -> str:
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalise_issn(raw: str | None) -> str | None:
    """``NNNN-NNNC`` when ``raw`` holds an ISSN with a right check digit, else None."""
    found = _ISSN.search(raw or "")
    if not found:
        return None
    digits = (found.group(1) + found.group(2)).upper()
    return f"{digits[:4]}-{digits[4:]}" if _check_digit(digits[:7]) == digits[7] else None


def issn_candidates(written: Iterable[str]) -> tuple[list[str], list[str]]:
    """The valid ISSNs among ``written`` (normalised) and the ISSN-shaped ones whose check digit is wrong."""
    good, bad = [], []
    for w in written:
        found = _ISSN.search(w or "")
        if not found:
            continue
        issn = normalise_issn(w)
        if issn:
            if issn not in good:
                good.append(issn)
        else:
            bad.append(found.group(0))
    return good, bad


def title_key(title: str) -> str:
    """A title folded for comparison: no accents, case, punctuation, leading article or trailing GMD."""
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\[[^\]]*\]", " ", text)  # [electronic resource]
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for article in _LEADING_ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
            break
    return text[:200]


@dataclass(frozen=True, slots=True)
class SerialFacts:
    """What a serial record says of its identity (any id: an edition's number)."""

    id: int
    title: str
    issns: tuple[str, ...] = ()
    issn_l: str | None = None
    #: ISSNs of the same serial in another medium (776 $x).
    other_issns: tuple[str, ...] = ()
    #: 780 and 785 entries: (ISSN or None, title or None).
    earlier: tuple[tuple[str | None, str | None], ...] = ()
    later: tuple[tuple[str | None, str | None], ...] = ()
    frequency: str = ""
    dates: str = ""


@dataclass
class Group:
    """One serial: the records in it, its ISSNs and its ISSN-L."""

    ids: list[int] = field(default_factory=list)
    issns: set[str] = field(default_factory=set)
    issn_l: str | None = None
    title: str = ""
    key: str = ""


class _Sets:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)


def group(records: Iterable[SerialFacts]) -> list[Group]:
    """The serials ``records`` make, each record in exactly one, in order of their first record."""
    records = list(records)
    sets = _Sets()
    for r in records:
        node = ("r", r.id)
        sets.find(node)
        for issn in (*r.issns, *r.other_issns, *((r.issn_l,) if r.issn_l else ())):
            sets.join(node, ("i", issn))
    # Records without an ISSN join by title when exactly one ISSN group has that title.
    groups_by_title: dict[str, set] = defaultdict(set)
    for r in records:
        if r.issns or r.issn_l:
            groups_by_title[title_key(r.title)].add(sets.find(("r", r.id)))
    for r in records:
        if r.issns or r.issn_l or r.other_issns:
            continue
        key = title_key(r.title)
        found = groups_by_title.get(key)
        if found and len(found) == 1:
            sets.join(("r", r.id), next(iter(found)))
        else:
            sets.join(("r", r.id), ("t", key))
    out: dict = {}
    for r in records:
        root = sets.find(("r", r.id))
        g = out.setdefault(root, Group())
        g.ids.append(r.id)
        g.issns.update(r.issns)
        g.issns.update(r.other_issns)
        if r.issn_l:
            g.issns.add(r.issn_l)
            g.issn_l = g.issn_l or r.issn_l
        if not g.title or (r.issns and not g.key):
            g.title, g.key = r.title, title_key(r.title)
    for g in out.values():
        if g.issn_l is None and g.issns:
            g.issn_l = min(g.issns)  # without an ISSN-L, the lowest ISSN stands for the serial
    return list(out.values())


def links(records: Iterable[SerialFacts], groups: list[Group]) -> set[tuple[int, int]]:
    """(earlier group index, later group index) for every 780/785 that names another serial found."""
    by_issn, by_title, of_record = {}, defaultdict(set), {}
    for index, g in enumerate(groups):
        for issn in g.issns:
            by_issn[issn] = index
        by_title[g.key].add(index)
        for i in g.ids:
            of_record[i] = index
    def find(issn: str | None, title: str | None) -> int | None:
        if issn and normalise_issn(issn) in by_issn:
            return by_issn[normalise_issn(issn)]
        found = by_title.get(title_key(title or ""), set()) if title else set()
        return next(iter(found)) if len(found) == 1 else None
    out = set()
    for r in records:
        me = of_record[r.id]
        for issn, title in r.earlier:
            other = find(issn, title)
            if other is not None and other != me:
                out.add((other, me))
        for issn, title in r.later:
            other = find(issn, title)
            if other is not None and other != me:
                out.add((me, other))
    return out


def facts_from_marc(record, *, id: int) -> SerialFacts:
    """The identity facts of a pymarc ``Record`` (022, 245, 310, 362, 776, 780, 785)."""
    def subs(tag: str, code: str) -> list[str]:
        return [v for f in record.get_fields(tag) for v in f.get_subfields(code)]
    issns, _bad = issn_candidates(subs("022", "a"))
    issn_l = next(iter(issn_candidates(subs("022", "l"))[0]), None)
    other, _ = issn_candidates(subs("776", "x"))
    title_field = record.get("245")
    title = " ".join(title_field.get_subfields("a", "b", "n", "p")) if title_field else ""
    title = re.sub(r"\s*[/:;=.,]\s*$", "", title.strip())

    def entries(tag: str):
        out = []
        for f in record.get_fields(tag):
            issn = next(iter(issn_candidates(f.get_subfields("x"))[0]), None)
            t = " ".join(f.get_subfields("t")) or " ".join(f.get_subfields("a"))
            out.append((issn, re.sub(r"[\s,.]*\d{4}-\d{3}[\dXx][\s.]*$", "", t).strip(" .") or None))
        return tuple(out)
    frequency = " ".join(subs("310", "a")).strip(" ,")
    dates = " ".join(subs("362", "a")).strip()
    return SerialFacts(id=id, title=title, issns=tuple(issns), issn_l=issn_l, other_issns=tuple(other),
                       earlier=entries("780"), later=entries("785"), frequency=frequency, dates=dates)
