"""What collection analysis keeps: each edition's holding pattern and subject placement, and the
counts of editions per pattern that every overlap figure is computed from.

Kept current by `services.profiles_refresh` from a queue (`ProfileChange`) that the catalogue's
``editions_changed`` signal fills in the catalogue's own transaction: an import only adds one
row per changed edition; the profiles and counts are brought up to date when figures are next
read (or by ``jaringan analysis-refresh``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.catalog.models import Edition
from jaringan.network.models import Library


class EditionProfile(models.Model):
    """An edition as analysis sees it: who holds it (non-withdrawn records), its work, year, language
    and place in each classification scheme (``core.analysis.subjects.Placement``)."""

    edition_id = models.BigIntegerField(primary_key=True)
    work_id = models.BigIntegerField(null=True, db_index=True)
    #: ``core.analysis.overlap.holders_text``: ",3,7,12,"
    holders = models.TextField()
    holder_count = models.PositiveIntegerField()
    year = models.IntegerField(null=True)
    language = models.CharField(max_length=3, blank=True)
    ddc = models.FloatField(null=True)
    ddc_group = models.CharField(max_length=2, blank=True)
    lcc = models.CharField(max_length=3, blank=True)
    lcc_number = models.FloatField(null=True)
    udc = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["holders"], name="analysis_profile_holders"),
            models.Index(fields=["ddc"], name="analysis_profile_ddc"),
            models.Index(fields=["lcc", "lcc_number"], name="analysis_profile_lcc"),
            models.Index(fields=["udc"], name="analysis_profile_udc"),
        ]


class WorkProfile(models.Model):
    """A work's holders: every library holding any of its editions."""

    work_id = models.BigIntegerField(primary_key=True)
    holders = models.TextField()


class HoldingCount(models.Model):
    """How many editions (or works, dimension ``work``) have exactly these holders and this value of a
    dimension: the cells of ``core.analysis.overlap``."""

    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=24, blank=True)
    holders = models.TextField()
    editions = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value", "holders"], name="analysis_cell_once"),
        ]


class ProfileChange(models.Model):
    """An edition whose holdings or description changed since the last refresh."""

    edition_id = models.BigIntegerField()


class AnalysisState(models.Model):
    """One row: whether the profiles were ever built, and the version of the counts (raised by every
    refresh that changed them, so processes know when their cached counts are stale)."""

    built = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    refreshed = models.DateTimeField(null=True)


class RetentionCommitment(models.Model):
    """A member commits to keep its copy of an edition until the end of a year."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="retention_commitments",
                                verbose_name=_("library"))
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="retention_commitments",
                                verbose_name=_("edition"))
    until = models.PositiveSmallIntegerField(_("keep until (year)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    created = models.DateTimeField(default=timezone.now)
    #: When a file, harvest or push of the library said the copy is gone; it stays until staff confirm.
    withdrawal_asked = models.DateTimeField(_("withdrawal asked"), null=True, blank=True)
    withdrawal_batch = models.ForeignKey("catalog.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("asked by the batch"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "edition"], name="retention_once_per_holding"),
        ]
        verbose_name = _("retention commitment")
        verbose_name_plural = _("retention commitments")


class DigestSubscription(models.Model):
    """A reader follows new acquisitions in chosen subjects (main classes: ``ddc:5``, ``lcc:Q``) and/or at
    chosen libraries, by e-mail; no subject means every subject, no library every library."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every week")
        MONTHLY = "monthly", _("every month")

    reader = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest",
                                  verbose_name=_("reader"))
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices,
                                 default=Frequency.WEEKLY)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    libraries = models.ManyToManyField(Library, blank=True, related_name="+", verbose_name=_("libraries"))
    language = models.CharField(_("language"), max_length=8, default="id")
    active = models.BooleanField(_("sending"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("digest of new acquisitions")
        verbose_name_plural = _("digests of new acquisitions")


class DigestSent(models.Model):
    """A digest made for one period: written in the transaction that sends it, once per period."""

    subscription = models.ForeignKey(DigestSubscription, on_delete=models.CASCADE, related_name="sent")
    frequency = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    editions = models.PositiveIntegerField(default=0)
    #: False when the period had nothing new for the reader (no e-mail was sent).
    mailed = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "frequency", "period_start"],
                                    name="digest_once_per_period"),
        ]
