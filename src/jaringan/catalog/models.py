"""The union catalogue: members' source records, merged editions, works, and what went wrong.

A member's record is kept as it was sent (`SourceRecord.raw`, byte for byte)
beside its canonical form (`data`). Records describing one manifestation are
grouped into an `Edition` (one record per library at most); editions of one
work into a `Work`. Every grouping keeps the comparisons that made it
(`MatchLink`), and a cataloguer's own merge or split (`StaffDecision`) is
keyed by the members' identifiers, so it survives re-import and re-harvest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.core.catalog import codec
from jaringan.network.models import Library


class ImportBatch(models.Model):
    """One file, upload, harvest page run or push: what was read and what became of it."""

    class Source(models.TextChoices):
        FILE = "file", _("File")
        UPLOAD = "upload", _("Upload")
        OAI = "oai", _("OAI-PMH harvest")
        SLIMS = "slims", _("SLiMS push")
        API = "api", _("API")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        #: Its process died (killed, the machine restarted) while it ran: what it committed is kept.
        INTERRUPTED = "interrupted", _("Interrupted")

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="import_batches")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.FILE)
    name = models.CharField(_("file or source"), max_length=255, blank=True)
    format = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    #: Deletions kept back: the library committed to keep the copy, and confirms its withdrawal by hand.
    held = models.PositiveIntegerField(default=0)
    quarantined = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    #: The process running the batch (host and process id) and when it last committed a chunk: a running
    #: batch whose process is gone, or silent longer than `core.liveness.LEASE`, is marked interrupted.
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="running") | Q(read=models.F("created") + models.F("updated")
                                                  + models.F("unchanged") + models.F("withdrawn")
                                                  + models.F("held") + models.F("quarantined")),
                name="batch_counts_reconcile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library.code} {self.name} {self.started:%Y-%m-%d %H:%M}"


class Work(models.Model):
    key = models.CharField(max_length=255, db_index=True)
    title = models.CharField(max_length=500)

    def __str__(self) -> str:
        return self.title


class Edition(models.Model):
    """One manifestation, with a record from every member that holds it."""

    work = models.ForeignKey(Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="editions")
    preferred = models.ForeignKey("SourceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=500)
    year = models.IntegerField(null=True, blank=True)
    format = models.CharField(max_length=16, default="book")
    language = models.CharField(max_length=3, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["updated"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.year or '?'})"


class SourceRecord(models.Model):
    """A member library's record, as sent and as understood."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="source_records")
    source_id = models.CharField(max_length=255)
    format = models.CharField(max_length=16)
    raw = models.BinaryField()
    checksum = models.CharField(max_length=40)
    data = models.JSONField()
    # Indexed with the columns matching reads (see Meta), so finding an edition's members reads no record.
    edition = models.ForeignKey(Edition, null=True, blank=True, on_delete=models.SET_NULL, related_name="records",
                                db_index=False)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    # What `data` says of the book, its identifier and holdings aside, as a number
    # (`codec.description_number`): kept by `save`, and the same for copies of one record.
    description = models.BigIntegerField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "source_id"], name="one_record_per_member_id"),
            # At most one record of a library in one edition: loose chains cannot snowball.
            models.UniqueConstraint(fields=["edition", "library"], condition=Q(edition__isnull=False),
                                    name="one_record_per_library_per_edition"),
        ]
        indexes = [models.Index(fields=["edition", "withdrawn", "library", "description"],
                                name="record_edition_members")]
        # A record's edition and withdrawal are copied to its block keys by triggers (migration 0009).

    def __str__(self) -> str:
        return f"{self.library_id}:{self.source_id}"

    def save(self, *args, **kwargs) -> None:
        self.description = codec.description_number(self.data) if isinstance(self.data, dict) else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "data" in update_fields:
            kwargs["update_fields"] = {*update_fields, "description"}
        super().save(*args, **kwargs)


class BlockKey(models.Model):
    """Cheap keys (ISBN, title words and year, ...) of a record, stored as numbers
    (``core.catalog.matching.key_number``: a 64-bit hash of the key's text): the record's own list, from
    which its edition's keys (`EditionKey`) are kept. Read by record, never by key."""

    key = models.BigIntegerField()
    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="block_keys")
    #: The record's edition while the record is live (None once it is withdrawn), and its library. Written
    #: with the key; kept by the database whenever a record's edition or withdrawal changes, on every path
    #: (triggers made by migration 0009), and the edition's keys with it (migration 0010).
    edition_id = models.BigIntegerField(null=True, blank=True)
    library_id = models.BigIntegerField(null=True, blank=True)


class EditionKey(models.Model):
    """A block key some live record of an edition has: each (key, edition) once, however many of the
    edition's records have it. Candidate editions are found here (``bulk.editions_by_key``).

    Kept by the database alone, from `BlockKey` (triggers made by migration 0010): a record's keys
    written with its edition add the pairs its edition lacks, and a pair goes when the last live record
    of the edition having the key leaves it (withdrawn, moved, deleted or re-keyed). A record joining an
    edition that other libraries hold writes next to nothing here: its copies share almost every key.
    On SQLite the table is its own index (``WITHOUT ROWID``); on PostgreSQL the triggers lock the editions
    they touch, so that two transactions moving records of one edition at once leave the pairs exact
    (migration 0011)."""

    pk = models.CompositePrimaryKey("key", "edition_id")
    key = models.BigIntegerField()
    edition_id = models.BigIntegerField()


class MatchLink(models.Model):
    """Why a record is in its edition: the comparisons with the edition's records."""

    class Decided(models.TextChoices):
        NEW = "new", _("started a new edition")
        MATCHED = "matched", _("matched by the catalogue")
        STAFF = "staff", _("merged by staff")

    record = models.OneToOneField(SourceRecord, on_delete=models.CASCADE, related_name="link")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="links")
    decided = models.CharField(max_length=16, choices=Decided.choices)
    score = models.IntegerField(default=0)
    #: [{"with": record id, "score": n, "comparisons": [[field, verdict, points], ...]}]
    comparisons = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)


class StaffDecision(models.Model):
    """A cataloguer's merge or split, by the members' own identifiers (survives re-import)."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("same edition")
        SPLIT = "split", _("different editions")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    library_a = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    source_id_a = models.CharField(max_length=255)
    library_b = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    source_id_b = models.CharField(max_length=255)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)


class Quarantine(models.Model):
    """A record that could not be taken in, with where it was and why; kept to retry."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="quarantine")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="quarantine")
    position = models.PositiveIntegerField()
    offset = models.BigIntegerField(null=True, blank=True)
    source_id = models.CharField(max_length=255, blank=True)
    reason = models.TextField()
    raw = models.BinaryField()
    resolved = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    #: Times it was read: the first import, then each retry that failed again (the reason is the last one's).
    attempts = models.PositiveIntegerField(default=1)
    last_tried = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]


class EditionChange(models.Model):
    """The outbox: an edition whose record, holdings or existence changed.

    Written in the same transaction as the change, so whatever is derived from
    the catalogue (the search index, harvesters' datestamps) catches up after a
    crash instead of missing the change. Consumers read rows in id order and
    delete what they have applied.
    """

    edition_id = models.BigIntegerField(db_index=True)
    at = models.DateTimeField(default=timezone.now)


class RetiredEdition(models.Model):
    """An edition that is no more: its last holding was withdrawn, or it was merged.

    Kept so that old links and harvesters learn what happened: OAI-PMH reports
    it as deleted, its page points to the ``successor`` when there is one.
    """

    edition_id = models.BigIntegerField(primary_key=True)
    title = models.CharField(max_length=500, blank=True)
    retired = models.DateTimeField(default=timezone.now, db_index=True)
    successor_id = models.BigIntegerField(null=True, blank=True)
