"""An edition's derived state: its preferred record, work and display fields, taken from its members;
the outbox that tells the search index it changed; the tombstone left when it holds no record any more."""

from __future__ import annotations

from django.utils import timezone

from jaringan.core.catalog import codec
from jaringan.core.catalog.matching import record_quality, same_work_key
from jaringan.core.catalog.record import CanonicalRecord

from .. import bulk, signals
from ..models import Edition, EditionChange, RetiredEdition, SourceRecord, Work


def editions_refresh(edition_ids: set[int], *, successor: int | None = None) -> None:
    """Refresh many editions set-wise: preferred record, work and display fields; retire the empty ones.

    `successor`: the edition their records went to, when a merge emptied them.
    """
    by_edition: dict[int, list[tuple[int, CanonicalRecord]]] = {pk: [] for pk in edition_ids if pk}
    for pk, edition_id, data in SourceRecord.objects.filter(
            edition_id__in=list(by_edition), withdrawn=False).values_list("id", "edition_id", "data"):
        by_edition[edition_id].append((pk, codec.from_data(data)))
    empty = [pk for pk, members in by_edition.items() if not members]
    if empty:
        editions_retire(empty, successor=successor)
    editions_changed(by_edition)
    chosen: dict[int, tuple[int, CanonicalRecord, str]] = {}
    for edition_id, members in by_edition.items():
        if members:
            pk, canonical = max(members, key=lambda m: (record_quality(m[1]), -m[0]))
            chosen[edition_id] = (pk, canonical, same_work_key(canonical)[:255])
    editions_write(chosen, created=set(), at=bulk.db_datetime(timezone.now()))


def edition_refresh(edition: Edition, *, successor: int | None = None) -> None:
    """`editions_refresh` for one edition, whose object is brought up to date (when it still exists)."""
    editions_refresh({edition.pk}, successor=successor)
    try:
        edition.refresh_from_db()
    except Edition.DoesNotExist:
        pass


def editions_changed(edition_ids) -> None:
    """Put editions in the outbox, in the caller's transaction (see `EditionChange`)."""
    now = timezone.now()
    ids = sorted({pk for pk in edition_ids if pk})
    EditionChange.objects.bulk_create([EditionChange(edition_id=pk, at=now) for pk in ids])
    if ids:
        signals.editions_changed.send(sender=Edition, edition_ids=ids)


def editions_retire(edition_ids, *, successor: int | None = None) -> None:
    """Delete editions that hold no record any more, keeping a tombstone of each."""
    editions = list(Edition.objects.filter(pk__in=list(edition_ids)).only("id", "title"))
    if not editions:
        return
    now = timezone.now()
    RetiredEdition.objects.filter(edition_id__in=[e.pk for e in editions]).delete()
    RetiredEdition.objects.bulk_create([
        RetiredEdition(edition_id=e.pk, title=e.title, retired=now, successor_id=successor) for e in editions
    ])
    Edition.objects.filter(pk__in=[e.pk for e in editions]).delete()


def editions_write(chosen: dict[int, tuple[int, CanonicalRecord, str]], *, created: set[int], at) -> None:
    """Write editions' display fields, preferred record and work: `chosen` maps an edition id to
    (preferred record id, its canonical record, same-work key); ids in `created` are new rows."""
    work_ids = _works_for({key: canonical.title for _pk, canonical, key in chosen.values()})
    new_rows, changed_rows = [], []
    for edition_id, (pk, c, key) in chosen.items():
        values = (work_ids[key], pk, c.full_title[:500], c.year, c.format, c.language or "")
        if edition_id in created:
            new_rows.append((edition_id, *values, at, at))
        else:
            changed_rows.append((*values, at, edition_id))
    bulk.insert_rows(Edition, ["id", "work_id", "preferred_id", "title", "year", "format", "language", "created",
                               "updated"], new_rows)
    bulk.update_rows(Edition, ["work_id", "preferred_id", "title", "year", "format", "language", "updated"],
                     changed_rows)


def _works_for(titles: dict[str, str]) -> dict[str, int]:
    """Work ids for same-work keys, creating the works that do not exist yet."""
    found = dict(bulk.rows_where(Work, ["key", "id"], "key", list(titles)))
    missing = sorted(k for k in titles if k not in found)
    for key, pk in zip(missing, bulk.allocate_ids(Work, len(missing))):
        found[key] = pk
    bulk.insert_rows(Work, ["id", "key", "title"], [(found[k], k, titles[k][:500]) for k in missing])
    return found
