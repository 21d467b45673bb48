"""Records new to the catalogue (the bulk of any first import), matched and stored set-at-a-time.

The same placement rule as one record at a time (``core.catalog.matching.placement``, see `placement`),
in steps that each read or write for the whole chunk at once:

1. the candidate editions of every record, from their shared block keys, in one query;
2. the members of those editions, without their canonical forms, in one query;
3. each record compared with each open edition's preferred record (most candidates share a title and
   author but not a year or edition, and drop out here);
4. of the editions still in the running, the members the rule may compare read, and each record
   placed in the best edition that takes it, else a new one; an edition takes one record of a library,
   the one that agrees with it best, whatever the order of the file (``placement.claim``);
5. records, block keys, placements and editions written in bulk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import MatchDecision, key_numbers, record_quality, same_work_key
from jaringan.core.catalog.matching.decision import match_unless_vetoed
from jaringan.core.catalog.matching.placement import MAX_DESCRIPTIONS_COMPARED, Member, claim, judge, may_join
from jaringan.core.catalog.readers.item import SourceItem
from jaringan.core.catalog.record import CanonicalRecord
from jaringan.lru import LRU, PairSet

from .. import bulk, signals
from ..models import BlockKey, Edition, EditionChange, ImportBatch, MatchLink, SourceRecord
from .editions import editions_write
from .placement import candidate_editions

#: Canonical forms kept by a process for matching, by description (about 2 KB each): while members'
#: files go in one after another, the same editions come up as candidates again and again.
DESCRIBED_KEPT = 100_000
_DESCRIBED = LRU(lambda: DESCRIBED_KEPT)
#: Pairs of descriptions (a new record's, a candidate edition's preferred record's) found apart, kept by a
#: process: a record copied by many libraries meets the same candidates in each library's file, and a
#: decision depends on the two descriptions alone.
APART_KEPT = 1_000_000
_APART = PairSet(lambda: APART_KEPT)

#: A member of a candidate edition before its canonical form is read: (record id, library id, description).
_MemberRow = tuple[int, int, int | None]
#: A member with its canonical form: (record id, canonical form, description number or None).
_Member = tuple[int, CanonicalRecord, int | None]
#: Where a record goes: (score, edition id, evidence), or None for an edition of its own.
_Best = tuple[int, int, list] | None


@dataclass
class _New:
    """A record new to the catalogue: the item read, its identifier in its library, its block keys, and
    the record as stored: its canonical data as JSON text and its description number (`SourceItem.stored`)."""

    item: SourceItem
    source_id: str
    keys: list[int]
    text: str
    description: int


def new_records_ingest(batch: ImportBatch, items: list[tuple[SourceItem, str]]) -> set[int]:
    """Match and store new records together: candidates in one query, rows written set-wise.

    `items` are (item, source identifier). Returns the editions it touched; they are complete
    (preferred record, work, display fields, outbox), so the caller need not refresh them again.
    """
    library_id = batch.library.pk
    new = [_New(item, sid, list(item.keys) if item.keys is not None else key_numbers(item.record), *_as_stored(item))
           for item, sid in items]
    candidates_of = _candidate_editions(new, library_id=library_id)
    member_rows, preferred, held = _members(candidates_of, library_id=library_id)
    # Editions each record could join: none of this library's records in them yet.
    open_of = [[e for e in candidates if e in member_rows and e not in held] for candidates in candidates_of]
    open_of, known, canonicals = _ask_preferred(new, open_of, member_rows)
    members = _comparable_members(open_of, member_rows, preferred, canonicals)
    return _store(batch, _plans(new, open_of, known, members), members, preferred)


def _candidate_editions(new: list[_New], *, library_id: int) -> list[list[int]]:
    """For each record, the editions sharing most block keys with it (the placement's one candidate rule,
    `placement.candidate_editions`), in one query for all; none when no other library has a record (the
    first library's import into a new catalogue). Those the library holds already are left out later
    (`_members`)."""
    if not bulk.others_hold_records(library_id):
        return [[] for _record in new]
    return candidate_editions([record.keys for record in new])


def _members(candidates_of: list[list[int]], *, library_id: int
             ) -> tuple[dict[int, list[_MemberRow]], dict[int, int | None], set[int]]:
    """The members of the candidate editions, first without their canonical form, each edition's
    preferred record first, then as they joined; each edition's preferred record; and the editions
    that hold a record of the given library already (read from the same rows)."""
    rows = bulk.members_of(sorted({e for c in candidates_of for e in c}))
    member_rows: dict[int, list[_MemberRow]] = {}
    for pk, library, edition_id, description in rows:
        member_rows.setdefault(edition_id, []).append((pk, library, description))
    held = {edition_id for _pk, library, edition_id, _d in rows if library == library_id}
    preferred = bulk.preferred_of(sorted(member_rows))
    for edition_id, group in member_rows.items():
        group.sort(key=lambda m, first=preferred.get(edition_id): (m[0] != first, m[0]))
    return member_rows, preferred, held


def _ask_preferred(new: list[_New], open_of: list[list[int]], member_rows: dict[int, list[_MemberRow]]
                   ) -> tuple[list[list[int]], list[dict[int, MatchDecision]], dict[int, CanonicalRecord]]:
    """The placement rule first asks each edition's preferred record: compare with it, and keep in the
    running only the editions the record may join. Returns those editions for each record, the decisions
    made for each record (by id of the other canonical form) and the canonical forms read, by record id."""
    first = {e: member_rows[e][0] for candidates in open_of for e in candidates}
    # Candidates a copy of the record (the same description) was found apart from before are not asked again.
    asked = [[e for e in candidates if first[e][2] is None or (record.description, first[e][2]) not in _APART]
             for record, candidates in zip(new, open_of)]
    canonicals = _canonicals({(first[e][0], first[e][2]) for candidates in asked for e in candidates})
    still_open: list[list[int]] = []
    known: list[dict[int, MatchDecision]] = []
    for record, candidates in zip(new, asked):
        decisions: dict[int, MatchDecision] = {}
        kept = []
        for e in candidates:
            pk, _lib, description = first[e]
            other = canonicals[pk]
            decision = decisions[id(other)] = match_unless_vetoed(record.item.record, other)
            if may_join(decision):
                kept.append(e)
            elif description is not None:
                _APART.add((record.description, description))
        still_open.append(kept)
        known.append(decisions)
    return still_open, known, canonicals


def _comparable_members(open_of: list[list[int]], member_rows: dict[int, list[_MemberRow]],
                        preferred: dict[int, int | None], canonicals: dict[int, CanonicalRecord]
                        ) -> dict[int, list[_Member]]:
    """Of the editions still in the running, only the members the rule may compare are read: the preferred
    record and the first of each other description, up to ``MAX_DESCRIPTIONS_COMPARED`` descriptions (the
    rest share those descriptions or are never compared), so an edition held by a hundred libraries costs
    what one held by eight does. Returns, by edition, the compared members and those described like one
    of them (they share its canonical form); adds the forms it reads to `canonicals`."""
    compared = {e: _compared_members(member_rows[e], has_preferred=preferred.get(e) is not None)
                for candidates in open_of for e in candidates}
    canonicals.update(_canonicals({(pk, description) for group in compared.values()
                                   for pk, _lib, description in group if pk not in canonicals}))
    members = {}
    for e, group in compared.items():
        shown = {description: canonicals[pk] for pk, _lib, description in group if description is not None}
        members[e] = [(pk, canonicals[pk] if pk in canonicals else shown[description], description)
                      for pk, _lib, description in member_rows[e] if pk in canonicals or description in shown]
    return members


def _plans(new: list[_New], open_of: list[list[int]], known: list[dict[int, MatchDecision]],
           members: dict[int, list[_Member]]) -> list[tuple[_New, _Best]]:
    """Each record with the best edition that takes it, None for an edition of its own; an edition takes
    one record of the chunk's library at the most, the one that agrees with it best, whatever the order of
    the records in the file (``placement.claim``)."""
    options = []
    for record, candidates, decisions in zip(new, open_of, known):
        found = []
        for edition_id in candidates:
            judgement = judge(record.item.record, [Member(pk, other, description) for pk, other, description
                                                   in members[edition_id]], known=decisions)
            if judgement is not None:
                found.append((edition_id, judgement))
        options.append(found)
    chosen = claim(options, [record.source_id for record in new])
    return [(record, (found[1].score, found[0], list(found[1].evidence)) if found else None)
            for record, found in zip(new, chosen)]


def _store(batch: ImportBatch, plans: list[tuple[_New, _Best]], members: dict[int, list[_Member]],
           preferred: dict[int, int | None]) -> set[int]:
    """Write the records, their block keys and placements, and the editions they made or joined; the editions."""
    record_ids = bulk.allocate_ids(SourceRecord, len(plans))
    new_edition_ids = iter(bulk.allocate_ids(Edition, sum(1 for _r, best in plans if best is None)))
    at = bulk.db_datetime(timezone.now())
    no_evidence = bulk.db_json([])  # a new edition's (the same for each)
    library_id = batch.library.pk
    records, keys_rows, links = [], [], []
    # Each touched edition's members after this chunk: (quality, -record id, record id, canonical). A new
    # edition's one record is its best without being weighed (its quality left at 0).
    standing: dict[int, list[tuple]] = {}
    created: set[int] = set()
    for record_id, (record, best) in zip(record_ids, plans):
        if best:
            edition_id = best[1]
            if edition_id not in standing:
                standing[edition_id] = _standing(members[edition_id], has_preferred=preferred.get(edition_id)
                                                 is not None)
            standing[edition_id].append((record_quality(record.item.record), -record_id, record_id,
                                         record.item.record))
            links.append((record_id, edition_id, MatchLink.Decided.MATCHED, best[0], bulk.db_evidence(best[2]), at))
        else:
            edition_id = next(new_edition_ids)
            created.add(edition_id)
            standing[edition_id] = [(0, -record_id, record_id, record.item.record)]
            links.append((record_id, edition_id, MatchLink.Decided.NEW, 0, no_evidence, at))
        records.append(_record_row(record_id, record, library_id=library_id, batch_id=batch.pk,
                                   edition_id=edition_id, at=at))
        keys_rows += [(k, record_id, edition_id, library_id) for k in record.keys]
    # The editions: display fields from each one's best record, and its work (its key made by the reading
    # processes for the records read there).
    works = {record_id: record.item.work for record_id, (record, _best) in zip(record_ids, plans)
             if record.item.work is not None}
    chosen = {}
    for edition_id, group in standing.items():
        _q, _neg, pk, canonical = max(group, key=lambda t: (t[0], t[1]))
        work = works.get(pk)
        chosen[edition_id] = (pk, canonical, (same_work_key(canonical) if work is None else work)[:255])
    editions_write(chosen, created=created, at=at)
    bulk.insert_rows(SourceRecord, ["id", "library_id", "source_id", "format", "raw", "checksum", "data",
                                    "description", "edition_id", "batch_id", "withdrawn", "created", "updated"], records)
    bulk.insert_rows(BlockKey, ["key", "record_id", "edition_id", "library_id"], keys_rows)
    bulk.insert_rows(MatchLink, ["record_id", "edition_id", "decided", "score", "comparisons", "at"], links)
    bulk.insert_rows(EditionChange, ["edition_id", "at"], [(pk, at) for pk in sorted(chosen)])
    signals.editions_changed.send(sender=Edition, edition_ids=sorted(chosen))
    return set(chosen)


def _standing(members: list[_Member], *, has_preferred: bool) -> list[tuple]:
    """An edition's members so far, for choosing its best record: its preferred record alone (the best of
    its members), or every member read when it has none yet."""
    if has_preferred:
        first_pk, first, _d = members[0]
        return [(record_quality(first), -first_pk, first_pk, first)]
    return [(record_quality(c), -pk, pk, c) for pk, c, _d in members]


def _record_row(record_id: int, record: _New, *, library_id: int, batch_id: int, edition_id: int, at) -> tuple:
    """A new `SourceRecord` row; its description is remembered for the next libraries' copies."""
    item = record.item
    _DESCRIBED.put(record.description, item.record)  # the next libraries' copies are compared with it
    checksum = hashlib.sha1(item.raw).hexdigest()
    return (record_id, library_id, record.source_id, item.format, item.raw, checksum, record.text, record.description,
            edition_id, batch_id, False, at, at)


def _as_stored(item: SourceItem) -> tuple[str, int]:
    """An item's record as stored (``SourceItem.stored``): made by the reading processes when there are
    several, else here."""
    if item.stored is not None:
        return item.stored
    data = codec.to_data(item.record)
    return codec.data_text(data), codec.description_number(data)


def _compared_members(group: list[_MemberRow], *, has_preferred: bool) -> list[_MemberRow]:
    """The members of an edition (preferred first) the placement rule may compare: one per description,
    at most ``MAX_DESCRIPTIONS_COMPARED``; every member when the edition has no preferred record yet."""
    if not has_preferred:
        return group
    seen: set = set()
    kept = []
    for pk, library_id, description in group:
        alike = description if description is not None else pk
        if alike in seen:
            continue
        seen.add(alike)
        kept.append((pk, library_id, description))
        if len(kept) >= MAX_DESCRIPTIONS_COMPARED:
            break
    return kept


def _canonicals(records: set[tuple[int, int | None]]) -> dict[int, CanonicalRecord]:
    """The canonical form, holdings aside, of these (record id, description number) by record id.

    Records with the same description share one canonical form (`codec.description_number`), found in
    `_DESCRIBED` when it was read or stored lately, else read from the database.
    """
    found: dict[int, CanonicalRecord] = {}
    shared: dict[int, CanonicalRecord] = {}
    wanted: list[int] = []
    for pk, description in records:
        canonical = None
        if description is not None:
            canonical = shared.get(description) or _DESCRIBED.get(description)
        if canonical is None:
            wanted.append(pk)
        else:
            found[pk] = shared[description] = canonical
    if wanted:
        described = dict(records)
        for pk, data in bulk.record_data(sorted(wanted)):
            description = described[pk]
            canonical = shared.get(description) if description is not None else None
            if canonical is None:
                canonical = codec.from_data(data, holdings=False)
                if description is not None:
                    shared[description] = canonical
                    _DESCRIBED.put(description, canonical)
            found[pk] = canonical
    return found
