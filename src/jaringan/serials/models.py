"""The union catalogue of serials: each journal once, the catalogue's editions that describe it, and
every member's holdings of it as a statement and as ranges of volume and year.

A :class:`Serial` gathers editions (``SerialEdition``) that share an ISSN (print, electronic, ISSN-L)
or, without one, a title; it may also be known only from a member's holdings (a KBART line of a
journal no member catalogued). ``SerialRelation`` links the runs of one journal under its earlier and
later titles (780/785). A :class:`Holding` is one line of a member's holdings file, kept as written
(``text``) beside its compressed statement (``display``) and whatever could not be read
(``unparsed``); its :class:`HoldingRange` rows are what "who holds vol. X / year Y" queries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.catalog.models import Edition
from jaringan.network.models import Library


class Serial(models.Model):
    title = models.CharField(_("title"), max_length=500)
    #: The title folded for matching (``core.serials.identity.title_key``).
    key = models.CharField(max_length=200, db_index=True)
    issn_l = models.CharField("ISSN-L", max_length=9, blank=True, db_index=True)
    frequency = models.CharField(_("frequency"), max_length=300, blank=True)
    dates = models.CharField(_("dates of publication"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "id"]

    def __str__(self) -> str:
        return self.title


class SerialIssn(models.Model):
    """An ISSN of a serial (each ISSN names one serial)."""

    issn = models.CharField(max_length=9, unique=True)
    serial = models.ForeignKey(Serial, on_delete=models.CASCADE, related_name="issns")

    def __str__(self) -> str:
        return self.issn


class SerialEdition(models.Model):
    """An edition of the union catalogue that describes the serial."""

    edition = models.OneToOneField(Edition, on_delete=models.CASCADE, primary_key=True, related_name="serial_link")
    serial = models.ForeignKey(Serial, on_delete=models.CASCADE, related_name="editions")


class SerialRelation(models.Model):
    """``earlier`` was continued by ``later`` (780/785): one journal's runs under two titles."""

    earlier = models.ForeignKey(Serial, on_delete=models.CASCADE, related_name="later_links")
    later = models.ForeignKey(Serial, on_delete=models.CASCADE, related_name="earlier_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="serial_relation_once"),
            models.CheckConstraint(condition=~Q(earlier=F("later")), name="serial_relation_not_itself"),
        ]


class HoldingsBatch(models.Model):
    """One holdings file read for a library: what was read, stored and refused (with line numbers)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="holdings_batches")
    name = models.CharField(_("file"), max_length=255)
    format = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    read = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    #: [{"line": n, "reason": "...", "text": "..."}] for lines refused or stored with a warning (first 1,000).
    problems = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-started", "-id"]
        constraints = [models.CheckConstraint(condition=Q(status="running") | Q(read=F("stored") + F("refused")),
                                              name="holdings_batch_counts_reconcile")]


class Holding(models.Model):
    """A member's holding of a serial, as one line of its file states it."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="serial_holdings")
    serial = models.ForeignKey(Serial, null=True, blank=True, on_delete=models.SET_NULL, related_name="holdings")
    batch = models.ForeignKey(HoldingsBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="holdings")
    #: The file it came from: reading the same file again replaces its holdings, never doubles them.
    origin = models.CharField(max_length=255)
    line = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=500, blank=True)
    issns = models.CharField(max_length=100, blank=True)
    #: The control numbers an MFHD record names for its bibliographic record (004, 001), space-separated.
    bib_ids = models.CharField(max_length=500, blank=True)
    text = models.TextField(_("as written"), blank=True)
    display = models.TextField(_("holdings"), blank=True)
    unparsed = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    electronic = models.BooleanField(default=False)
    location = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    first_year = models.IntegerField(null=True, blank=True)
    last_year = models.IntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["serial", "library"]), models.Index(fields=["library", "origin"])]

    def __str__(self) -> str:
        return f"{self.library_id}: {self.display or self.text}"


class HoldingRange(models.Model):
    """A range a holding covers (or, ``missing``, a whole volume or year it lacks).

    Unknown ends are null; a range held to date ends at ``core.serials.coverage.OPEN``.
    ``serial`` and ``library`` repeat the holding's, so "who holds" reads this table alone.
    """

    holding = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="ranges")
    serial = models.ForeignKey(Serial, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    missing = models.BooleanField(default=False)
    first_volume = models.IntegerField(null=True, blank=True)
    last_volume = models.IntegerField(null=True, blank=True)
    first_year = models.IntegerField(null=True, blank=True)
    last_year = models.IntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["serial", "first_volume", "last_volume"], name="holdingrange_volume"),
                   models.Index(fields=["serial", "first_year", "last_year"], name="holdingrange_year")]
