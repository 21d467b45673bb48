"""Members' OAI-PMH sources and each run over them, with the checkpoint a broken run resumes from."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.catalog.models import ImportBatch
from jaringan.network.models import Library


class HarvestSource(models.Model):
    class Prefix(models.TextChoices):
        OAI_DC = "oai_dc", "oai_dc (Dublin Core)"
        MARC21 = "marc21", "marc21 (MARCXML)"
        MARCXML = "marcxml", "marcxml"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="harvest_sources")
    name = models.CharField(_("name"), max_length=120, blank=True)
    endpoint = models.URLField(_("OAI-PMH base URL"), max_length=500)
    metadata_prefix = models.CharField(_("metadata format"), max_length=16, choices=Prefix.choices,
                                       default=Prefix.OAI_DC)
    set_spec = models.CharField(_("set"), max_length=200, blank=True)
    every_hours = models.PositiveIntegerField(_("harvest every (hours)"), default=24)

    class Mode(models.TextChoices):
        AUTO = "auto", _("Automatic: in full for providers whose dates never move (SLiMS), else only changes")
        FULL = "full", _("Always in full")
        INCREMENTAL = "incremental", _("Only what changed since the last run")

    #: How scheduled runs ask: every record, or only those whose datestamp moved since the last run.
    harvest_mode = models.CharField(_("harvest mode"), max_length=16, choices=Mode.choices, default=Mode.AUTO)
    #: What the provider's Identify said when the source was saved (empty: not asked or not said).
    repository_name = models.CharField(max_length=200, blank=True)
    #: ``no``, ``transient`` or ``persistent``: whether the provider reports deletions.
    deleted_record = models.CharField(max_length=16, blank=True)
    #: ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``.
    granularity = models.CharField(max_length=24, blank=True)
    active = models.BooleanField(_("active"), default=True)
    #: Where the next incremental run starts (`from`); empty for a full harvest.
    next_from = models.CharField(max_length=40, blank=True)
    #: The checkpoint of an unfinished run (`Checkpoint` as a dict); a new run resumes from it.
    checkpoint = models.JSONField(null=True, blank=True)
    last_success = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["library__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "endpoint", "metadata_prefix", "set_spec"],
                                    name="one_source_per_endpoint_format_set"),
        ]

    def __str__(self) -> str:
        return self.name or self.endpoint

    @property
    def slims_like(self) -> bool:
        """SLiMS's ``oai2.php`` dates each record by its creation: its datestamps never move."""
        return "oai2.php" in self.endpoint.lower() or "slims" in self.repository_name.lower()

    @property
    def harvests_in_full(self) -> bool:
        """Whether a scheduled run asks for every record (and not only those changed since the last run)."""
        if self.harvest_mode == self.Mode.AUTO:
            return self.slims_like
        return self.harvest_mode == self.Mode.FULL

    @property
    def keeps_no_deletions(self) -> bool:
        """The provider said (``deletedRecord`` ``no`` or ``transient``) that it may never report a deletion."""
        return self.deleted_record in ("no", "transient")

    def is_due(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.active:
            return False
        if self.checkpoint:
            return True  # an unfinished run is always due
        return self.last_success is None or now - self.last_success >= timedelta(hours=self.every_hours)


class HarvestRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        #: Its process died while it ran (see its batch); the next run resumes from the last committed page.
        INTERRUPTED = "interrupted", _("Interrupted")

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    batch = models.OneToOneField(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="harvest_run")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    resumed = models.BooleanField(default=False)
    #: Asked for every record (no ``from``), not only those changed since the last run.
    full = models.BooleanField(default=False)
    #: Records of the source withdrawn because a complete full run no longer listed them (providers that
    #: keep no deleted records never say a record is gone).
    withdrawn = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    #: What staff should know about the run besides an error (that the previous one was interrupted).
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started"]
