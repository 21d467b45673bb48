"""Readers' e-mail digests of new acquisitions: a reader subscribes (subjects, libraries, how often), and
`digests_send` (run by ``jaringan digests``) mails each subscriber what was newly taken into holdings in
the last whole period, through Django's e-mail backend.

Nothing is sent twice for the same period: a digest's `DigestSent` row is written in the transaction that
sends it (one per subscription, frequency and period, a unique constraint), so a second run, or a run at
the same time, finds it and skips; a mail server that refuses rolls the row back and the next run tries
again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core.analysis import digests as rules
from jaringan.core.catalog import codec
from jaringan.core.errors import Invalid
from jaringan.ill import conf
from jaringan.network.models import Library
from jaringan.network.permissions import Principal

from . import services
from .models import DigestSent, DigestSubscription, EditionProfile

log = logging.getLogger(__name__)

#: Titles listed in one digest; the rest are counted.
LISTED = 50


def digest_libraries() -> list[Library]:
    """The libraries a reader may follow, by name."""
    return list(Library.objects.order_by("name").only("code", "name"))


def digest_of(user) -> DigestSubscription | None:
    return DigestSubscription.objects.filter(reader=user).prefetch_related("libraries").first()


@transaction.atomic
def digest_subscribe(*, actor: Principal, user, frequency: str, subjects: list[str], library_codes: list[str],
                     language: str) -> DigestSubscription:
    """Start or change the reader's own digest."""
    if actor.user_id is None or actor.user_id != user.pk:
        raise Invalid(_("A reader subscribes only for themselves."))
    if not user.email:
        raise Invalid(_("Your account has no e-mail address; ask your library to add one first."))
    if frequency not in rules.FREQUENCIES:
        raise Invalid(_("How often: every week or every month."))
    wrong = [s for s in subjects if rules.subject(s) is None]
    if wrong:
        raise Invalid(_("Not a subject: %(keys)s.") % {"keys": ", ".join(wrong)})
    libraries = list(Library.objects.filter(code__in=library_codes))
    unknown = sorted(set(library_codes) - {lib.code for lib in libraries})
    if unknown:
        raise Invalid(_("No such library: %(codes)s.") % {"codes": ", ".join(unknown)})
    digest, _created = DigestSubscription.objects.update_or_create(reader=user, defaults={
        "frequency": frequency, "subjects": sorted(set(subjects)), "language": language, "active": True})
    digest.libraries.set(libraries)
    return digest


def digest_stop(*, actor: Principal, user) -> None:
    if actor.user_id is None or actor.user_id != user.pk:
        raise Invalid(_("A reader subscribes only for themselves."))
    DigestSubscription.objects.filter(reader=user).update(active=False)


@dataclass
class NewTitle:
    edition: Edition
    title: str
    year: int | None
    holders: list[str]
    added: datetime


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def new_titles(digest: DigestSubscription, start: date, end: date) -> tuple[int, list[NewTitle]]:
    """Editions newly taken into holdings in the period (at the digest's libraries, in its subjects): how many,
    and the first `LISTED`, newest first."""
    held = SourceRecord.objects.filter(withdrawn=False, edition__isnull=False, created__range=_bounds(start, end))
    library_ids = [lib.pk for lib in digest.libraries.all()]
    if library_ids:
        held = held.filter(library_id__in=library_ids)
    rows = held.values("edition_id").annotate(added=Max("created"))
    if digest.subjects:
        services.profiles_refresh()
        wanted = Q()
        for scheme, value in filter(None, map(rules.subject, digest.subjects)):
            wanted |= Q(ddc_group__startswith=value) if scheme == "ddc" else Q(lcc__startswith=value)
        rows = rows.filter(edition_id__in=EditionProfile.objects.filter(wanted).values("edition_id"))
    total = rows.count()
    first = list(rows.order_by("-added", "-edition_id")[:LISTED])
    editions = Edition.objects.in_bulk([r["edition_id"] for r in first])
    holders: dict[int, list[str]] = {}
    data: dict[int, dict] = {}
    for edition_id, pk, name, record in (SourceRecord.objects.filter(edition_id__in=editions, withdrawn=False)
                                         .order_by("library__name")
                                         .values_list("edition_id", "pk", "library__name", "data")):
        holders.setdefault(edition_id, []).append(name)
        if edition_id not in data or pk == editions[edition_id].preferred_id:
            data[edition_id] = record
    out = []
    for row in first:
        record = codec.from_data(data[row["edition_id"]]) if row["edition_id"] in data else None
        if record is not None:
            out.append(NewTitle(editions[row["edition_id"]], record.full_title, record.year,
                                holders[row["edition_id"]], row["added"]))
    return total, out


def render(digest: DigestSubscription, start: date, end: date, total: int, titles: list[NewTitle]) -> tuple[str, str]:
    """The digest's subject and plain-text body, in the reader's language."""
    base = conf.base_url()
    with translation.override(digest.language):
        period = _("%(start)s to %(end)s") % {"start": date_format(start), "end": date_format(end)}
        subject = _("New in the union catalogue: %(period)s") % {"period": period}
        lines = [_("New acquisitions you follow, %(period)s: %(n)s titles.") % {"period": period, "n": total}, ""]
        for t in titles:
            lines.append(f"- {t.title}" + (f" ({t.year})" if t.year else ""))
            lines.append("  " + _("Held by: %(libraries)s") % {"libraries": ", ".join(t.holders)})
            if base:
                lines.append("  " + base + reverse("edition_detail", args=[t.edition.pk]))
        if total > len(titles):
            lines += ["", _("… and %(n)s more.") % {"n": total - len(titles)}]
        lines += ["", _("To change or stop this digest: %(link)s") % {
            "link": (base or "") + reverse("analysis_digest")}]
    return subject, "\n".join(lines)


def _send_one(digest: DigestSubscription, start: date, end: date) -> bool:
    """Make and send one digest, once: True if it was mailed now."""
    try:
        with transaction.atomic():
            sent = DigestSent.objects.create(subscription=digest, frequency=digest.frequency, period_start=start,
                                             period_end=end)
            total, titles = new_titles(digest, start, end)
            sent.editions, sent.mailed = total, total > 0
            sent.save(update_fields=["editions", "mailed"])
            if total:
                subject, body = render(digest, start, end, total, titles)
                send_mail(subject, body, None, [digest.reader.email])
            return total > 0
    except IntegrityError:  # made already for this period (by an earlier run, or one running now)
        return False


def digests_send(today: date | None = None, frequency: str | None = None) -> dict[str, int]:
    """Send every active subscriber's digest for the last whole period that has not had it yet.

    Returns counts: ``mailed``, ``empty`` (nothing new: recorded, no e-mail), ``failed`` (the mail server
    refused; tried again next run)."""
    today = today or timezone.localdate()
    counts = {"mailed": 0, "empty": 0, "failed": 0}
    digests = (DigestSubscription.objects.filter(active=True).exclude(reader__email="")
               .select_related("reader").prefetch_related("libraries").order_by("pk"))
    if frequency:
        digests = digests.filter(frequency=frequency)
    for digest in digests:
        start, end = rules.last_period(digest.frequency, today)
        if DigestSent.objects.filter(subscription=digest, frequency=digest.frequency, period_start=start).exists():
            continue
        try:
            mailed = _send_one(digest, start, end)
        except Exception as exc:  # noqa: BLE001 - one reader's mail refused never stops the others
            log.warning("digest %s for %s not sent: %s", digest.pk, digest.reader.email, exc)
            counts["failed"] += 1
            continue
        counts["mailed" if mailed else "empty"] += 1
    return counts
