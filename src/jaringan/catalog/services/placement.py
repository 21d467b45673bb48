"""The edition a member's record belongs to, one record at a time: the edition a cataloguer put it in,
else the best candidate the placement rule (``core.catalog.matching.placement``) lets it join, else an
edition of its own; and the edition it leaves when its library withdraws it. Each placement is recorded
with why (`MatchLink`)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils import timezone

from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import MatchDecision, key_numbers
from jaringan.core.catalog.matching.placement import Member, judge
from jaringan.core.catalog.record import CanonicalRecord

from .. import bulk
from ..models import Edition, MatchLink, SourceRecord, StaffDecision
from .editions import edition_refresh

#: Candidate editions compared for one record at the most.
MAX_CANDIDATE_EDITIONS = 40
#: A candidate edition sharing fewer keys than this share of the best candidate's is not compared: another
#: work met through one common title-word pair with the year, or a word with the year and the author
#: (with a million records, 35 % of the preferred records a record was compared with were such works, and
#: a title that is not the same is the costliest comparison).  An edition of the record's work shares its
#: title and author keys and stays; so do all candidates when the best shares few keys (a brief record).
CANDIDATE_SHARE_OF_BEST = 1 / 3


def record_match(*, record: SourceRecord, canonical: CanonicalRecord, decided: bool = True) -> Edition:
    """Put a record into the edition it belongs to (or a new one), recording why.

    `decided=False` says no cataloguer merged or split this record by hand (saves two queries).
    """
    merged_with = [r for r in _decisions(record, StaffDecision.Kind.MERGE) if r.edition_id and not r.withdrawn] \
        if decided else []
    if merged_with:
        target = merged_with[0]
        clash = SourceRecord.objects.filter(edition_id=target.edition_id, library_id=record.library_id).exclude(
            pk=record.pk).exists()
        if not clash:
            return link(record, target.edition, MatchLink.Decided.STAFF, 0, [])
    split_from = {r.edition_id for r in _decisions(record, StaffDecision.Kind.SPLIT) if r.edition_id} \
        if decided else set()
    best = _best_edition(record, canonical, split_from=split_from)
    if best:
        return link(record, best[1], MatchLink.Decided.MATCHED, best[0], best[2])
    if record.edition_id and not SourceRecord.objects.filter(edition_id=record.edition_id).exclude(pk=record.pk).exists():
        edition = record.edition  # alone in its edition already: keep the edition (and its id)
    else:
        edition = Edition.objects.create(title=canonical.full_title[:500], year=canonical.year,
                                         format=canonical.format, language=canonical.language or "")
    return link(record, edition, MatchLink.Decided.NEW, 0, [])


def _best_edition(record: SourceRecord, canonical: CanonicalRecord, *,
                  split_from: set[int]) -> tuple[int, Edition, list] | None:
    """(score, edition, evidence) of the best candidate edition the record may join, or None."""
    candidate_ids = candidate_editions([key_numbers(canonical)])[0]
    best: tuple[int, Edition, list] | None = None
    members_by_edition: dict[int, list[SourceRecord]] = {}
    for member in SourceRecord.objects.filter(edition_id__in=candidate_ids, withdrawn=False).exclude(
            pk=record.pk).select_related("edition").order_by("pk"):
        members_by_edition.setdefault(member.edition_id, []).append(member)
    for edition_id, members in members_by_edition.items():
        if edition_id in split_from or any(m.library_id == record.library_id for m in members):
            continue
        members.sort(key=lambda m: (m.pk != m.edition.preferred_id, m.pk))  # the preferred record first
        agreed = matches_all(canonical, [(m.pk, codec.from_data(m.data), m.description) for m in members])
        if agreed and (best is None or agreed[0] > best[0]):
            best = (agreed[0], members[0].edition, agreed[1])
    return best


def candidate_editions(keys_of: list[list[int]]) -> list[list[int]]:
    """For each record's block keys, the editions sharing most keys with it (at most
    ``MAX_CANDIDATE_EDITIONS``, the most keys first, then the oldest edition, and none sharing fewer than
    ``CANDIDATE_SHARE_OF_BEST`` of the first's), in one query for all: the same candidates whether a
    record arrives new, as an update or alone. An edition already holding a record of the record's own
    library is among them; the caller leaves it out (a library holds one record of an edition)."""
    all_keys: set[int] = set()
    for keys in keys_of:
        all_keys.update(keys)
    editions_of_key: dict[int, set[int]] = {}
    for key, edition_id in bulk.editions_by_key(sorted(all_keys)):
        editions_of_key.setdefault(key, set()).add(edition_id)
    if not editions_of_key:
        return [[] for _keys in keys_of]
    candidates_of: list[list[int]] = []
    for keys in keys_of:
        shared: Counter[int] = Counter()  # edition → keys shared with the record (counted in C, not one by one)
        for key in set(keys):
            shared.update(editions_of_key.get(key, ()))
        least = max(shared.values(), default=0) * CANDIDATE_SHARE_OF_BEST
        kept = [e for e, n in shared.items() if n >= least]
        candidates_of.append(sorted(kept, key=lambda e: (-shared[e], e))[:MAX_CANDIDATE_EDITIONS])
    return candidates_of


def _decisions(record: SourceRecord, kind: str) -> list[SourceRecord]:
    """Records a cataloguer said are (merge) or are not (split) the same edition as this one."""
    rows = StaffDecision.objects.filter(kind=kind).filter(
        Q(library_a=record.library_id, source_id_a=record.source_id)
        | Q(library_b=record.library_id, source_id_b=record.source_id)
    )
    partners = Q(pk__in=[])
    for d in rows:
        if d.library_a_id == record.library_id and d.source_id_a == record.source_id:
            partners |= Q(library_id=d.library_b_id, source_id=d.source_id_b)
        else:
            partners |= Q(library_id=d.library_a_id, source_id=d.source_id_a)
    return list(SourceRecord.objects.filter(partners).exclude(pk=record.pk))


def matches_all(canonical: CanonicalRecord, members: list[tuple[int, CanonicalRecord, int | None]], *,
                known: dict[int, MatchDecision] | None = None) -> tuple[int, list] | None:
    """(score, evidence) when the placement rule puts the record into the edition of these members, else None.

    `members` are (record id, canonical form, description number or None), the edition's preferred
    record first; `known` holds decisions already made for `canonical`, by id of the other canonical form.
    Members that describe the book identically (copy cataloguing: one record copied by many libraries)
    share a description number (``codec.description_number``) and are compared once.
    """
    judgement = judge(canonical, [Member(pk, other, description) for pk, other, description in members], known=known)
    return (judgement.score, list(judgement.evidence)) if judgement else None


def link(record: SourceRecord, edition: Edition, decided: str, score: int, evidence: list) -> Edition:
    """Put the record into the edition, recording why (`MatchLink`)."""
    record.edition = edition
    record.save(update_fields=["edition"])
    MatchLink.objects.update_or_create(
        record=record,
        defaults={"edition": edition, "decided": decided, "score": score, "comparisons": evidence,
                  "at": timezone.now()},
    )
    return edition


def withdrawal_held(*, record: SourceRecord, batch=None) -> str:
    """Why the record must not be withdrawn without its library's confirmation ("" when nothing holds it):
    the first reason a receiver of `signals.withdrawal_requested` gives."""
    from ..signals import withdrawal_requested

    for _receiver, reason in withdrawal_requested.send(sender=SourceRecord, record=record, batch=batch):
        if reason:
            return str(reason)
    return ""


def record_withdraw(*, record: SourceRecord, touched: set[int] | None = None) -> None:
    """The member withdrew the record: its holding leaves the edition; the record is kept, marked."""
    old = record.edition_id
    record.withdrawn = True
    record.edition = None
    record.updated = timezone.now()
    record.save(update_fields=["withdrawn", "edition", "updated"])
    MatchLink.objects.filter(record=record).delete()
    if old:
        if touched is not None:
            touched.add(old)
        else:
            edition_refresh(Edition.objects.get(pk=old))
