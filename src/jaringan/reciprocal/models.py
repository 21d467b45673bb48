"""Reciprocal borrowing's records: an agreement's terms, passes, visits, loans, blocks, NCIP servers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jaringan.core.reciprocal import terms as core_terms
from jaringan.network.models import Agreement, Library


class Category(models.TextChoices):
    STUDENT = core_terms.Category.STUDENT, _("students")
    LECTURER = core_terms.Category.LECTURER, _("lecturers")
    STAFF = core_terms.Category.STAFF, pgettext_lazy("reader category", "staff")
    PUBLIC = core_terms.Category.PUBLIC, _("general public")


class Collection(models.TextChoices):
    GENERAL = core_terms.Collection.GENERAL, _("general collection")
    REFERENCE = core_terms.Collection.REFERENCE, _("reference collection")
    LOCAL_CONTENT = core_terms.Collection.LOCAL_CONTENT, _("local content")
    RARE = core_terms.Collection.RARE, _("rare books")


class BorrowingTerms(models.Model):
    """What an agreement allows readers of one member who borrow in person at another."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="borrowing_terms",
                                     verbose_name=_("agreement"))
    #: Whose readers: empty means every library the agreement covers.
    home_libraries = models.ManyToManyField(Library, blank=True, related_name="+",
                                            verbose_name=_("readers of these libraries only"))
    categories = models.JSONField(_("reader categories"), default=list)
    items_at_a_time = models.PositiveSmallIntegerField(_("items per visitor at a time"), default=3)
    loan_days = models.PositiveSmallIntegerField(_("loan period (days)"), default=14)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=1)
    deposit = models.DecimalField(_("deposit (IDR)"), max_digits=12, decimal_places=0, default=0)
    fee = models.DecimalField(_("fee per loan (IDR)"), max_digits=12, decimal_places=0, default=0)
    excluded = models.JSONField(_("excluded collections"), default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reciprocal borrowing terms")
        verbose_name_plural = _("reciprocal borrowing terms")
        constraints = [
            models.CheckConstraint(condition=Q(items_at_a_time__gte=1), name="terms_at_least_one_item"),
            models.CheckConstraint(condition=Q(loan_days__gte=1), name="terms_at_least_one_day"),
            models.CheckConstraint(condition=Q(deposit__gte=0) & Q(fee__gte=0), name="terms_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.code}"


class Pass(models.Model):
    """A reader's network pass: shown at any member the agreements covering the reader's library admit."""

    class State(models.TextChoices):
        APPLIED = "applied", _("applied")
        ACTIVE = "active", _("valid")
        REFUSED = "refused", _("refused")
        REVOKED = "revoked", _("withdrawn")

    code = models.CharField(_("pass code"), max_length=32, unique=True)
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="network_passes", verbose_name=_("reader"))
    #: For a reader known only to the home library's own system (enrolled there, standing over NCIP).
    reader_name = models.CharField(_("reader's name"), max_length=200)
    reader_email = models.EmailField(_("reader's e-mail"), blank=True)
    reader_phone = models.CharField(_("reader's telephone"), max_length=40, blank=True)
    reader_language = models.CharField(_("reader's language"), max_length=8, blank=True)
    #: The reader's number in the home library's system (its NCIP UserIdentifierValue).
    home_user_id = models.CharField(_("reader's number at the home library"), max_length=100, blank=True)
    home = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="network_passes",
                             verbose_name=_("home library"))
    category = models.CharField(_("reader category"), max_length=16, choices=Category.choices)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.APPLIED)
    expires = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("network pass")
        verbose_name_plural = _("network passes")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["reader"], condition=Q(state__in=["applied", "active"]),
                                    name="one_live_pass_per_reader"),
            models.UniqueConstraint(fields=["home", "home_user_id"],
                                    condition=Q(state__in=["applied", "active"]) & ~Q(home_user_id=""),
                                    name="one_live_pass_per_home_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.reader_name}, {self.home.code})"


class Block(models.Model):
    """A member stops a pass holder borrowing, network-wide, until a day or until lifted."""

    holder = models.ForeignKey(Pass, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("pass"))
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("blocked by"))
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateField(_("until"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    class Meta:
        ordering = ["-created"]


class Visit(models.Model):
    """A pass checked at a host desk, with the decision shown (kept: it is the record of reciprocal use)."""

    holder = models.ForeignKey(Pass, on_delete=models.CASCADE, related_name="visits")
    host = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="reciprocal_visits")
    agreement = models.ForeignKey(Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    on = models.DateField(default=timezone.localdate)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    allowed = models.BooleanField()
    decision = models.JSONField(default=dict)
    standing_source = models.CharField(max_length=8, default="hub")

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["host", "on"]), models.Index(fields=["holder", "on"])]


class Loan(models.Model):
    """An item a visitor borrowed at a host library."""

    holder = models.ForeignKey(Pass, on_delete=models.PROTECT, related_name="loans")
    host = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="reciprocal_loans")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="loans")
    item_barcode = models.CharField(_("item barcode"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    collection = models.CharField(_("collection"), max_length=16, choices=Collection.choices,
                                  default=Collection.GENERAL)
    lent_at = models.DateTimeField(default=timezone.now)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    due = models.DateField(_("due"))
    renewals = models.PositiveSmallIntegerField(default=0)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    overdue_noticed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-lent_at"]
        constraints = [
            models.UniqueConstraint(fields=["host", "item_barcode"], condition=Q(returned_at__isnull=True),
                                    name="item_lent_once_at_a_time"),
        ]
        indexes = [models.Index(fields=["holder", "returned_at"]), models.Index(fields=["due", "returned_at"])]

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class NcipServer(models.Model):
    """A member's own library system speaking NCIP: where its readers' standing is asked."""

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="ncip_server",
                                   verbose_name=_("library"))
    url = models.URLField(_("NCIP address"), max_length=500)
    #: The library's agency id in NCIP messages (ToAgencyId when asking it; FromAgencyId when it asks).
    agency_id = models.CharField(_("agency id"), max_length=100)
    #: Agreed between the two systems: sent as ``Authorization: Bearer …`` when asking, and required of
    #: the library's system when it asks Jaringan.
    shared_secret = models.CharField(_("shared secret"), max_length=200, blank=True)
    timeout = models.FloatField(_("seconds to wait for an answer"), default=5)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("NCIP server")
        verbose_name_plural = _("NCIP servers")
        constraints = [models.UniqueConstraint(fields=["agency_id"], name="ncip_agency_once")]

    def __str__(self) -> str:
        return f"{self.library.code} → {self.url}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from jaringan import outbound
        from jaringan.core.errors import Invalid

        try:
            outbound.address_check(self.url, field="url")
        except Invalid as exc:
            raise ValidationError(exc.errors) from None
