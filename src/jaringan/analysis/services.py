"""Writes of collection analysis: keeping the profiles and counts current, retention commitments.

How figures are kept current: the catalogue's ``editions_changed`` signal queues the changed
editions (`editions_queue`, one row each, in the import's own transaction). `profiles_refresh`
takes the queue in chunks: for each edition it reads its holders (non-withdrawn records), year,
language, work and the class numbers of its preferred record, writes its `EditionProfile`, and
moves its counts from the old cells to the new ones (`HoldingCount`), then does the same for the
works those editions belong to. Figures are read from the counts alone; a read first applies what
is queued when the queue is short (`REFRESH_INLINE`), else the figures say how old they are and
``jaringan analysis-refresh`` (from cron) brings them up to date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog import bulk
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core.analysis import subjects
from jaringan.core.analysis.overlap import holders_text

from .models import AnalysisState, EditionProfile, HoldingCount, ProfileChange, WorkProfile

#: Dimensions counted per holding library, not per holding pattern: a member's own figures need no more.
PER_LIBRARY = frozenset({"ddc_decade", "lcc_decade", "udc_decade"})
#: Editions refreshed in one transaction.
CHUNK = 5_000
#: A read brings the figures up to date itself when at most this many editions are queued.
REFRESH_INLINE = 20_000


def editions_queue(edition_ids: Iterable[int]) -> None:
    """Queue editions for the next refresh (in the caller's transaction), as plain rows: an import queues
    every edition it makes, and model instances for them cost more than the rows' writing."""
    ids = sorted({pk for pk in edition_ids if pk})
    if ids:
        bulk.insert_rows(ProfileChange, ["edition_id"], [(pk,) for pk in ids])


def state() -> AnalysisState:
    found = AnalysisState.objects.order_by("pk").first()
    return found or AnalysisState.objects.create()


def pending() -> int:
    """Editions waiting for a refresh (every edition when the profiles were never built)."""
    if not state().built:
        return Edition.objects.count()
    return ProfileChange.objects.count()


def dimensions_of(profile: dict) -> list[tuple[str, str]]:
    """The (dimension, value) cells an edition profile counts in: always ("all", ""), and each dimension it has
    a value of (editions without one are the rest of "all", found by subtraction). Subjects are main classes;
    "<scheme>_decade" ("6|1990") is counted per holding library (`PER_LIBRARY`), for recency."""
    decade = str(profile["year"] // 10 * 10) if profile["year"] else ""
    ddc_main = profile["ddc_group"][:1]
    lcc_main = (subjects.lcc_group(profile["lcc"]) or "")[:1]
    udc_main = profile["udc"][:1]
    out = [("all", "")] + [(dimension, value) for dimension, value in (
        ("ddc", ddc_main), ("lcc", lcc_main), ("udc", udc_main), ("decade", decade),
        ("language", profile["language"])) if value]
    if decade:
        out += [(f"{scheme}_decade", f"{main}|{decade}")
                for scheme, main in (("ddc", ddc_main), ("lcc", lcc_main), ("udc", udc_main)) if main]
    return out


def _profiles_of(edition_ids: list[int]) -> dict[int, dict]:
    """The current profile of each edition that still has a holder."""
    holders: dict[int, list[int]] = defaultdict(list)
    for edition_id, library_id in SourceRecord.objects.filter(
            edition_id__in=edition_ids, withdrawn=False).values_list("edition_id", "library_id"):
        holders[edition_id].append(library_id)
    editions = list(Edition.objects.filter(pk__in=list(holders)).values_list(
        "id", "work_id", "year", "language", "preferred_id"))
    classes = dict(SourceRecord.objects.filter(pk__in=[e[4] for e in editions if e[4]])
                   .values_list("id", "data__classifications"))
    out = {}
    for edition_id, work_id, year, language, preferred in editions:
        placed = subjects.place(classes.get(preferred) or ())
        out[edition_id] = {
            "edition_id": edition_id, "work_id": work_id, "holders": holders_text(holders[edition_id]),
            "holder_count": len(set(holders[edition_id])), "year": year, "language": (language or "")[:3],
            "ddc": placed.ddc, "ddc_group": placed.ddc_group or "", "lcc": placed.lcc or "",
            "lcc_number": placed.lcc_number, "udc": (placed.udc or "")[:40],
        }
    return out


_PROFILE_FIELDS = ("edition_id", "work_id", "holders", "holder_count", "year", "language", "ddc", "ddc_group",
                   "lcc", "lcc_number", "udc")


def _apply(delta: Counter) -> None:
    """Add `delta` ((dimension, value, holders) → editions) to the cells; drop cells that reach zero.

    Cells that change are deleted and written again with their new count, in bulk.
    """
    delta = Counter({k: v for k, v in delta.items() if v})
    if not delta:
        return
    patterns = sorted({key[2] for key in delta})
    existing: dict[tuple, tuple[int, int]] = {}
    for start in range(0, len(patterns), 500):
        for pk, dimension, value, holders, editions in HoldingCount.objects.filter(
                holders__in=patterns[start:start + 500]).values_list("pk", "dimension", "value", "holders", "editions"):
            existing[(dimension, value, holders)] = (pk, editions)
    gone, rows = [], []
    for key, change in delta.items():
        pk, editions = existing.get(key, (None, 0))
        if editions + change < 0:
            raise ValueError(f"analysis counts out of step at {key}: run jaringan analysis-refresh --rebuild")
        if pk is not None:
            gone.append(pk)
        if editions + change:
            rows.append((*key, editions + change))
    for start in range(0, len(gone), 900):
        HoldingCount.objects.filter(pk__in=gone[start:start + 900]).delete()
    bulk.insert_rows(HoldingCount, ["dimension", "value", "holders", "editions"], rows)


def _refresh_chunk(edition_ids: list[int]) -> None:
    delta: Counter = Counter()
    old = {row[0]: dict(zip(_PROFILE_FIELDS, row)) for row in
           EditionProfile.objects.filter(edition_id__in=edition_ids).values_list(*_PROFILE_FIELDS)}
    new = _profiles_of(edition_ids)
    for sign, profiles in ((-1, old), (1, new)):
        for profile in profiles.values():
            for dimension, value in dimensions_of(profile):
                if dimension in PER_LIBRARY:
                    for library in profile["holders"].strip(",").split(","):
                        delta[(dimension, value, f",{library},")] += sign
                else:
                    delta[(dimension, value, profile["holders"])] += sign
    works = {p["work_id"] for p in (*old.values(), *new.values()) if p["work_id"]}
    if old:
        EditionProfile.objects.filter(edition_id__in=list(old)).delete()
    bulk.insert_rows(EditionProfile, _PROFILE_FIELDS, [tuple(p[f] for f in _PROFILE_FIELDS) for p in new.values()])
    old_works = dict(WorkProfile.objects.filter(work_id__in=works).values_list("work_id", "holders"))
    union: dict[int, set[int]] = defaultdict(set)
    for work_id, text in EditionProfile.objects.filter(work_id__in=works).values_list("work_id", "holders"):
        union[work_id].update(int(x) for x in text.strip(",").split(","))
    new_works = {w: holders_text(ids) for w, ids in union.items()}
    for work_id, text in old_works.items():
        delta[("work", "", text)] -= 1
    for work_id, text in new_works.items():
        delta[("work", "", text)] += 1
    if old_works:
        WorkProfile.objects.filter(work_id__in=list(old_works)).delete()
    bulk.insert_rows(WorkProfile, ["work_id", "holders"], list(new_works.items()))
    _apply(delta)


def profiles_refresh(*, limit: int | None = None, rebuild: bool = False, progress=None) -> int:
    """Apply the queue (every edition on the first run, or with `rebuild`); return editions refreshed.

    `limit`: stop after about this many (a read refreshing inline). `progress(done)` is called per chunk.
    """
    with transaction.atomic():
        current = AnalysisState.objects.select_for_update().order_by("pk").first() or AnalysisState.objects.create()
        if rebuild or not current.built:
            for model in (EditionProfile, WorkProfile, HoldingCount, ProfileChange):
                model.objects.all().delete()
            table = ProfileChange._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {table} (edition_id) SELECT id FROM {Edition._meta.db_table}")
            current.built = True
            current.save(update_fields=["built"])
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            AnalysisState.objects.select_for_update().order_by("pk").first()  # one refresher at a time
            rows = list(ProfileChange.objects.order_by("pk").values_list("pk", "edition_id")[:CHUNK])
            if not rows:
                break
            ids = sorted({e for _pk, e in rows})
            _refresh_chunk(ids)
            ProfileChange.objects.filter(pk__lte=rows[-1][0]).delete()
            AnalysisState.objects.update(version=F("version") + 1, refreshed=timezone.now())
        done += len(ids)
        if progress:
            progress(done)
    return done


# --- retention commitments -----------------------------------------------------------------------

def commitments_make(*, actor, library, edition_ids: Iterable[int], until: int, note: str = "") -> int:
    """`library` commits to keep its copy of each edition until the end of `until`; returns how many it holds
    and now commits (a commitment made again takes the new year). Editions it does not hold are refused."""
    from jaringan.catalog.models import SourceRecord
    from jaringan.core.errors import Forbidden, Invalid

    from . import permissions as can
    from .models import RetentionCommitment

    if not can.sees_library(actor, library):
        raise Forbidden(_("Only the library's staff and its coordinators make its commitments."))
    this_year = timezone.localdate().year
    if not this_year <= until <= this_year + 100:
        raise Invalid(_("Keep until a year from %(first)s to %(last)s.") % {"first": this_year, "last": this_year + 100},
                      errors={"until": [_("out of range")]})
    ids = sorted(set(edition_ids))
    held = set(SourceRecord.objects.filter(library=library, edition_id__in=ids, withdrawn=False)
               .values_list("edition_id", flat=True))
    missing = [pk for pk in ids if pk not in held]
    if missing:
        raise Invalid(_("%(library)s holds no copy of edition %(editions)s.") % {
            "library": library.name, "editions": ", ".join(map(str, missing[:10]))},
            errors={"editions": [str(pk) for pk in missing[:10]]})
    with transaction.atomic():
        for pk in ids:
            RetentionCommitment.objects.update_or_create(
                library=library, edition_id=pk,
                defaults={"until": until, "note": note[:200], "by_id": actor.user_id, "created": timezone.now()})
    return len(ids)


def commitment_hold(*, record, batch=None) -> str:
    """Hold back the withdrawal of a copy its library committed to keep (a commitment still running): mark the
    commitment as asked, for staff to confirm or refuse on the retention page; the reason ("" if not held)."""
    from .models import RetentionCommitment

    if not record.edition_id:
        return ""
    commitment = (RetentionCommitment.objects.filter(library_id=record.library_id, edition_id=record.edition_id,
                                                     until__gte=timezone.localdate().year).first())
    if commitment is None:
        return ""
    commitment.withdrawal_asked, commitment.withdrawal_batch = timezone.now(), batch
    commitment.save(update_fields=["withdrawal_asked", "withdrawal_batch"])
    return _("The library committed to keep this copy until %(until)s: it stays until staff confirm its "
             "withdrawal.") % {"until": commitment.until}


def commitment_keep(*, actor, commitment) -> None:
    """Staff refuse a withdrawal their file asked for: the copy stays committed and the request is forgotten."""
    from jaringan.core.errors import Forbidden

    from . import permissions as can

    if not can.sees_library(actor, commitment.library):
        raise Forbidden(_("Only the library's staff and its coordinators decide on its commitments."))
    commitment.withdrawal_asked, commitment.withdrawal_batch = None, None
    commitment.save(update_fields=["withdrawal_asked", "withdrawal_batch"])


def commitment_withdraw_holding(*, actor, commitment, confirmed: bool) -> int:
    """Withdraw the library's holding of a committed edition: only when `confirmed`; the commitment ends and the
    coordinators of the library's networks are told by e-mail. Returns the e-mails sent."""
    from django.core.mail import send_mail
    from django.db.models import Q

    from jaringan.catalog import bulk
    from jaringan.catalog.services.placement import record_withdraw
    from jaringan.catalog.models import SourceRecord
    from jaringan.core import membership as ms
    from jaringan.core.errors import Forbidden, Invalid
    from jaringan.network.models import Membership, Role

    from . import permissions as can

    library, edition = commitment.library, commitment.edition
    if not can.sees_library(actor, library):
        raise Forbidden(_("Only the library's staff and its coordinators withdraw its holdings."))
    if not confirmed:
        raise Invalid(_("Confirm the withdrawal: the library committed to keep this copy."),
                      errors={"confirm": [_("required")]})
    with transaction.atomic():
        bulk.placing_alone()
        for record in SourceRecord.objects.filter(library=library, edition=edition, withdrawn=False):
            record_withdraw(record=record)
        commitment.delete()
    networks = Membership.objects.filter(library=library, state__in=ms.ACTIVE_STATES).values_list("network_id")
    emails = sorted(set(Role.objects.filter(Q(kind=Role.Kind.COORDINATOR), network_id__in=networks)
                        .exclude(user__email="").values_list("user__email", flat=True)))
    if emails:
        subject = _("%(library)s withdrew a copy it committed to keep: %(title)s") % {
            "library": library.name, "title": edition.title}
        body = _("%(library)s had committed to keep its copy of \"%(title)s\" (edition %(edition)s) until "
                 "%(until)s, and has withdrawn it (%(who)s).") % {
            "library": library.name, "title": edition.title, "edition": edition.pk, "until": commitment.until,
            "who": actor.username}
        try:
            send_mail(subject[:200], body, None, emails)
        except Exception as exc:  # a mail server down never undoes the withdrawal
            import logging

            logging.getLogger(__name__).warning("notice of a withdrawn committed copy not sent: %s", exc)
    return len(emails)
