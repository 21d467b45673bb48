"""Writes of the serials app: grouping the catalogue's serial editions into serials, and reading a
member's holdings file (every write in one transaction, taking the acting person)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.catalog.permissions import can_catalogue
from jaringan.catalog.services.editions import editions_changed
from jaringan.core.catalog.export.marc import MARC_SOURCE_FORMATS, _parse_source
from jaringan.core.catalog.readers.errors import UnreadableFile
from jaringan.core.errors import Forbidden, Invalid
from jaringan.core.serials import identity, reader
from jaringan.core.serials.coverage import Statement
from jaringan.core.serials.lines import HoldingsLine, Problem
from jaringan.network.models import Library
from jaringan.network.permissions import Principal

from .models import Holding, HoldingRange, HoldingsBatch, Serial, SerialEdition, SerialIssn, SerialRelation
from .selectors import editions_of_serials

#: Refused or warned lines a batch keeps one by one; the rest are counted.
PROBLEMS_KEPT = 1000
#: Lines stored per transaction-free progress report.
PROGRESS_EVERY = 200
MAX_FILE_BYTES = 50 * 1024 * 1024


def _facts(edition_id: int, fmt: str | None, raw, data: dict | None) -> identity.SerialFacts:
    if raw is not None and fmt in MARC_SOURCE_FORMATS:
        marc = _parse_source(bytes(raw), fmt)
        if marc is not None:
            facts = identity.facts_from_marc(marc, id=edition_id)
            if facts.title:
                return facts
    data = data or {}
    issns, _bad = identity.issn_candidates(data.get("issns") or [])
    return identity.SerialFacts(id=edition_id, title=data.get("title") or "", issns=tuple(issns))


def _serial_facts() -> list[identity.SerialFacts]:
    rows = (Edition.objects.filter(format="serial").order_by("pk")
            .values_list("pk", "title", "preferred__format", "preferred__raw", "preferred__data"))
    out = []
    for pk, title, fmt, raw, data in rows:
        facts = _facts(pk, fmt, raw, data)
        if not facts.title:
            facts = identity.SerialFacts(id=pk, title=title, issns=facts.issns)
        out.append(facts)
    return out


@transaction.atomic
def serials_refresh() -> dict:
    """Group every serial edition of the catalogue into serials (by ISSN, ISSN-L, 776 and title) and
    link the runs 780/785 name; then link holdings that wait for their serial. Serials keep their
    numbers across runs (found again by an ISSN or an edition they had)."""
    facts = _serial_facts()
    groups = identity.group(facts)
    by_issn = dict(SerialIssn.objects.values_list("issn", "serial_id"))
    by_edition = dict(SerialEdition.objects.values_list("edition_id", "serial_id"))
    facts_by_id = {f.id: f for f in facts}
    serial_of_group: list[int] = []
    created = 0
    moved: set[int] = set()  # serials that gained an edition
    for g in groups:
        known = [by_issn[i] for i in sorted(g.issns) if i in by_issn] + [by_edition[i] for i in g.ids if i in by_edition]
        if not known and not g.issns:
            known = list(Serial.objects.filter(key=g.key, issns__isnull=True).values_list("pk", flat=True)[:1])
        first = facts_by_id[g.ids[0]]
        fields = {"title": g.title[:500], "key": g.key, "issn_l": g.issn_l or "", "frequency": first.frequency[:300],
                  "dates": first.dates[:300], "updated": timezone.now()}
        if known:
            serial_id = known[0]
            Serial.objects.filter(pk=serial_id).update(**fields)
        else:
            serial_id = Serial.objects.create(**fields).pk
            created += 1
        serial_of_group.append(serial_id)
        for issn in g.issns:
            if by_issn.get(issn) != serial_id:
                SerialIssn.objects.update_or_create(issn=issn, defaults={"serial_id": serial_id})
                by_issn[issn] = serial_id
        for edition_id in g.ids:
            if by_edition.get(edition_id) != serial_id:
                SerialEdition.objects.update_or_create(edition_id=edition_id, defaults={"serial_id": serial_id})
                moved.add(serial_id)
    SerialEdition.objects.exclude(edition_id__in=[f.id for f in facts]).delete()
    for earlier, later in identity.links(facts, groups):
        a, b = serial_of_group[earlier], serial_of_group[later]
        if a != b:
            SerialRelation.objects.get_or_create(earlier_id=a, later_id=b)
    linked = _link_waiting_holdings()
    holders_changed(moved | set(linked))
    return {"serials": len(groups), "created": created, "holdings_linked": len(linked)}


def holders_changed(serial_ids) -> int:
    """The editions whose holders follow these serials' holdings go through the search index again (its
    ``holds`` facet), in the caller's transaction; returns how many."""
    ids = editions_of_serials(serial_ids)
    editions_changed(ids)
    return len(ids)


def _resolve(line_issns, title: str, bib_ids, library: Library, bib_map: dict | None) -> int | None:
    """The serial a holding is of: by the library's bibliographic record it names, then ISSN, then title."""
    if bib_ids and bib_map is not None:
        for bib in bib_ids:
            if bib in bib_map:
                return bib_map[bib]
    for issn in line_issns:
        found = SerialIssn.objects.filter(issn=issn).values_list("serial_id", flat=True).first()
        if found:
            return found
    if title:
        key = identity.title_key(title)
        found = list(Serial.objects.filter(key=key).values_list("pk", flat=True)[:2])
        if len(found) == 1:
            return found[0]
    return None


def _bib_map(library: Library) -> dict[str, int]:
    """This library's serial records by every control number they carry (001, 035, 901 $a) → serial."""
    out: dict[str, int] = {}
    rows = (SourceRecord.objects.filter(library=library, withdrawn=False, edition__serial_link__isnull=False)
            .values_list("source_id", "format", "raw", "edition__serial_link__serial_id"))
    for source_id, fmt, raw, serial_id in rows:
        out.setdefault(source_id, serial_id)
        marc = _parse_source(bytes(raw), fmt) if fmt in MARC_SOURCE_FORMATS else None
        if marc is None:
            continue
        for f in marc.get_fields("001"):
            if f.data:
                out.setdefault(f.data.strip(), serial_id)
        for f in marc.get_fields("035", "901"):
            for value in f.get_subfields("a"):
                value = value.strip()
                out.setdefault(value, serial_id)
                if value.startswith("(") and ")" in value:
                    out.setdefault(value.split(")", 1)[1].strip(), serial_id)
    return out


def _link_waiting_holdings() -> list[int]:
    """Link holdings that wait for their serial; returns the serial of each holding linked."""
    linked = []
    maps: dict[int, dict] = {}
    for h in Holding.objects.filter(serial__isnull=True).select_related("library"):
        if h.library_id not in maps:
            maps[h.library_id] = _bib_map(h.library)
        serial_id = _resolve(h.issns.split(), h.title, h.bib_ids.split(), h.library, maps[h.library_id])
        if serial_id:
            Holding.objects.filter(pk=h.pk).update(serial_id=serial_id)
            HoldingRange.objects.filter(holding=h).update(serial_id=serial_id)
            linked.append(serial_id)
    return linked


def _ranges(holding: Holding, statement: Statement) -> list[HoldingRange]:
    out = []
    for missing, ranges in ((False, statement.ranges), (True, [m for m in statement.missing if m.start.issue is None])):
        for r in ranges:
            fv, lv = r.bounds("volume")
            fy, ly = r.bounds("year")
            if fv is None and fy is None:
                continue
            out.append(HoldingRange(holding=holding, serial_id=holding.serial_id, library_id=holding.library_id,
                                    missing=missing, first_volume=fv, last_volume=lv, first_year=fy, last_year=ly))
    return out


def _problem(batch: HoldingsBatch, line: int, reason: str, text: str = "") -> None:
    if len(batch.problems) < PROBLEMS_KEPT:
        batch.problems.append({"line": line, "reason": reason, "text": text[:300]})


def holdings_import(*, actor: Principal, library: Library, data: bytes, name: str, format: str | None = None,
                    progress: Callable[[HoldingsBatch], None] | None = None) -> HoldingsBatch:
    """Read a holdings file (MFHD as MARCXML or ISO 2709, KBART, a title list or a CSV of typed
    holdings; recognised when ``format`` is not given) into ``library``'s holdings.

    The file's earlier holdings (same library, same file name) are replaced in the same transaction:
    reading a file twice never doubles it. A line that cannot be taken is refused and named with its
    line (or record) number in the batch's problems while the rest goes on; a holding whose serial is
    not yet known is kept and linked when its serial arrives.
    """
    if not can_catalogue(actor, library):
        raise Forbidden(_("You may not add holdings for %(library)s.") % {"library": library.name})
    if format is not None and format not in reader.FORMATS:
        raise Invalid(_("Unknown holdings format %(format)s.") % {"format": format}, errors={"format": [format]})
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(_("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // 2**20},
                      errors={"file": [name]})
    user_id = getattr(actor, "user_id", None)
    try:
        fmt = format or reader.sniff(data[:4096])
        lines = reader.read(data, format=fmt)
    except UnreadableFile as exc:
        raise Invalid(_("%(name)s could not be read: %(reason)s") % {"name": name, "reason": str(exc)},
                      errors={"file": [str(exc)]}) from None
    serials_refresh()
    with transaction.atomic():
        batch = HoldingsBatch.objects.create(library=library, name=name[:255], format=fmt, created_by_id=user_id)
        replaced = Holding.objects.filter(library=library, origin=name[:255])
        serial_ids = set(replaced.values_list("serial_id", flat=True))
        replaced.delete()
        bib_map = _bib_map(library) if fmt == "mfhd" else None
        try:
            for item in lines:
                batch.read += 1
                if isinstance(item, Problem):
                    batch.refused += 1
                    _problem(batch, item.line, item.reason, item.text)
                else:
                    _store(batch, library, item, bib_map)
                    batch.stored += 1
                if progress and batch.read % PROGRESS_EVERY == 0:
                    progress(batch)
        except UnreadableFile as exc:
            batch.message = str(exc)[:2000]
        batch.status = HoldingsBatch.Status.DONE
        batch.finished = timezone.now()
        batch.save()
        holders_changed(serial_ids | set(batch.holdings.values_list("serial_id", flat=True)))
    if progress:
        progress(batch)
    return batch


def _store(batch: HoldingsBatch, library: Library, item: HoldingsLine, bib_map) -> None:
    serial_id = _resolve(item.issns, item.title, item.bib_ids, library, bib_map)
    if serial_id is None and item.title and not item.bib_ids:
        # A journal no member has catalogued (a KBART line, a typed list): known from its holdings.
        serial = Serial.objects.create(title=item.title[:500], key=identity.title_key(item.title),
                                       issn_l=(item.issns[0] if item.issns else ""))
        for issn in item.issns:
            SerialIssn.objects.get_or_create(issn=issn, defaults={"serial": serial})
        serial_id = serial.pk
    statement = item.statement
    first, last = statement.years()
    holding = Holding.objects.create(
        library=library, serial_id=serial_id, batch=batch, origin=batch.name, line=item.line,
        title=item.title[:500], issns=" ".join(item.issns)[:100], bib_ids=" ".join(item.bib_ids)[:500],
        text=item.text, display=statement.display(), unparsed=list(statement.unparsed),
        notes=[n for n in (*statement.notes, item.note) if n], electronic=item.electronic,
        location=item.location[:300], url=item.url[:1000] if item.url.startswith(("http://", "https://")) else "",
        first_year=first, last_year=last,
    )
    HoldingRange.objects.bulk_create(_ranges(holding, statement))
    if serial_id is None:
        _problem(batch, item.line, "no bibliographic record %s of this library in the catalogue yet: the holding "
                 "is kept and linked when the record arrives" % " / ".join(item.bib_ids), item.text)
    if item.warning:
        _problem(batch, item.line, item.warning, item.title)
    if statement.unparsed:
        _problem(batch, item.line, "kept as written, not read as ranges: " + "; ".join(statement.unparsed)[:200],
                 item.title)
