"""A cataloguer's corrections: two records are one edition (merge), or a record is not of its edition
(split). Each is kept as a `StaffDecision` that placement follows whenever the records come in again."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jaringan.core.errors import Forbidden, Invalid, NotFound
from jaringan.network.permissions import Principal

from .. import bulk
from ..models import Edition, MatchLink, SourceRecord, StaffDecision
from ..permissions import can_catalogue
from .editions import edition_refresh
from .placement import link


def _check_staff(actor: Principal, *records: SourceRecord) -> None:
    if not actor.authenticated:
        raise Forbidden(_("Sign in to correct the catalogue."))
    if actor.is_superuser:
        return
    if not any(can_catalogue(actor, r.library) for r in records):
        raise Forbidden(_("Only staff of a holding library or the network's coordinator may do this."))


@transaction.atomic
def records_merge(*, actor: Principal, record: SourceRecord, into: SourceRecord, note: str = "") -> Edition:
    """A cataloguer says `record` is the same edition as `into`; kept across re-imports."""
    _check_staff(actor, record, into)
    bulk.placing_alone()
    if record.library_id == into.library_id:
        raise Invalid(_("Two records of one library are never merged into one edition."))
    if into.edition_id is None:
        raise NotFound(_("That record is withdrawn."))
    if SourceRecord.objects.filter(edition_id=into.edition_id, library_id=record.library_id).exclude(
            pk=record.pk).exists():
        raise Invalid(_("That edition already has a record from %(library)s.") % {"library": record.library.name})
    StaffDecision.objects.filter(kind=StaffDecision.Kind.SPLIT).filter(
        Q(library_a=record.library, source_id_a=record.source_id, library_b=into.library, source_id_b=into.source_id)
        | Q(library_b=record.library, source_id_b=record.source_id, library_a=into.library, source_id_a=into.source_id)
    ).delete()
    StaffDecision.objects.create(kind=StaffDecision.Kind.MERGE, library_a=record.library, source_id_a=record.source_id,
                                 library_b=into.library, source_id_b=into.source_id, by_id=actor.user_id, note=note)
    old = record.edition_id
    edition = link(record, into.edition, MatchLink.Decided.STAFF, 0, [])
    for pk in {old, edition.pk} - {None}:
        found = Edition.objects.filter(pk=pk).first()
        if found:
            edition_refresh(found, successor=edition.pk)
    return edition


@transaction.atomic
def record_split(*, actor: Principal, record: SourceRecord, note: str = "") -> Edition:
    """A cataloguer takes a record out of its edition; it will not be matched back to those records."""
    _check_staff(actor, record)
    bulk.placing_alone()
    if record.edition_id is None:
        raise NotFound(_("That record is withdrawn."))
    others = list(SourceRecord.objects.filter(edition_id=record.edition_id).exclude(pk=record.pk))
    if not others:
        raise Invalid(_("This record is alone in its edition already."))
    for other in others:
        StaffDecision.objects.create(kind=StaffDecision.Kind.SPLIT, library_a=record.library,
                                     source_id_a=record.source_id, library_b=other.library,
                                     source_id_b=other.source_id, by_id=actor.user_id, note=note)
    old = record.edition
    edition = Edition.objects.create(title=old.title, year=old.year, format=old.format, language=old.language)
    link(record, edition, MatchLink.Decided.STAFF, 0, [])
    edition_refresh(edition)
    edition_refresh(old)
    return edition
