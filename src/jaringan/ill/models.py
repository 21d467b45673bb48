"""Interlibrary loan and document delivery: requests, their rota, history, messages, deliveries and ledger.

One `IllRequest` is one reader's (or one library's) need: a loan, a copy, or
whichever the lender prefers. Its `state` is an ISO 18626 status of the
current lender's transaction, or one of the requesting side's own steps
(`core.ill.lifecycle.Step`). Only `services.illrequest_act` changes it; every
change is an `IllEvent` with its actor and, where one was exchanged, the ISO
18626 message (`IllMessage`, kept byte for byte with its schema check).

A library served by another system is a `Peer`: requests to it and answers
from it travel as ISO 18626 messages over HTTP. `AgencyId` gives a library
further names in those messages (an ISIL, a ReShare symbol).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.catalog.models import Edition
from jaringan.core.ill import lifecycle
from jaringan.network.models import Agreement, Library, Network

STATE_MAX = 24


class Service(models.TextChoices):
    LOAN = "loan", _("Loan")
    COPY = "copy", _("Copy")
    EITHER = "either", _("Loan or copy")


class Origin(models.TextChoices):
    LOCAL = "local", _("Asked here")
    REMOTE = "remote", _("Received from another system")


STATE_CHOICES = [(s, s) for s in lifecycle.all_states()]


class IllRequest(models.Model):
    """One request, from the reader's need to its end, across the lenders of its rota."""

    requester = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="ill_borrowing",
                                  verbose_name=_("requesting library"))
    supplier = models.ForeignKey(Library, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="ill_lending", verbose_name=_("supplying library"))
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="ill_requests", verbose_name=_("reader"))
    reader_name = models.CharField(_("reader's name"), max_length=200, blank=True)
    reader_email = models.EmailField(_("reader's e-mail"), blank=True)
    reader_phone = models.CharField(_("reader's telephone"), max_length=40, blank=True)
    reader_language = models.CharField(_("reader's language"), max_length=8, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # What is asked for: an edition of the union catalogue, a typed citation, or both (the citation is
    # always filled, so the request still says what it was for if the edition is merged away).
    edition = models.ForeignKey(Edition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    year = models.CharField(_("year"), max_length=16, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    container = models.CharField(_("journal or book (for an article or chapter)"), max_length=500, blank=True)
    volume = models.CharField(_("volume"), max_length=40, blank=True)
    issue = models.CharField(_("issue"), max_length=40, blank=True)
    pages_requested = models.CharField(_("pages"), max_length=60, blank=True)
    page_count = models.PositiveIntegerField(_("number of pages to copy"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    issn = models.CharField(_("ISSN"), max_length=12, blank=True)
    service = models.CharField(_("service"), max_length=8, choices=Service.choices, default=Service.LOAN)
    need_by = models.DateField(_("needed by"), null=True, blank=True)
    max_cost = models.DecimalField(_("most the reader's library will pay (IDR)"), max_digits=12, decimal_places=0,
                                   null=True, blank=True)
    any_edition = models.BooleanField(_("any edition will do"), default=True)
    accepts_digital = models.BooleanField(_("a scan will do (for copies)"), default=True)
    note = models.TextField(_("note"), blank=True)

    state = models.CharField(_("state"), max_length=STATE_MAX, choices=STATE_CHOICES, db_index=True)
    #: Bumped by every change: a screen sends back the version it showed, a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    #: Position in the rota of the lender asked now (1-based); 0 before any lender is asked.
    rota_position = models.PositiveSmallIntegerField(default=0)
    routing = models.JSONField(default=dict, blank=True)

    due_date = models.DateField(_("due date"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(default=0)
    renewal_pending = models.BooleanField(default=False)
    cancel_pending = models.BooleanField(default=False)
    received_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The current lender's conditional offer (RetryPossible).
    offered_cost = models.DecimalField(max_digits=12, decimal_places=0, null=True, blank=True)
    offered_after = models.DateTimeField(null=True, blank=True)
    offered_before = models.DateTimeField(null=True, blank=True)
    offer_note = models.TextField(blank=True)

    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.LOCAL)
    #: ``requestingAgencyRequestId`` of a request received from another system.
    peer_request_id = models.CharField(max_length=100, blank=True)
    #: ``supplyingAgencyRequestId`` a lender on another system gave our request.
    supplier_request_id = models.CharField(max_length=100, blank=True)
    #: For a request received from another system, the agency ids its header used:
    #: {"requesting": [type, value], "supplying": [type, value]}; answers name them the same way.
    agency_ids = models.JSONField(default=dict, blank=True)

    created = models.DateTimeField(default=timezone.now, db_index=True)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("interlibrary loan request")
        verbose_name_plural = _("interlibrary loan requests")
        indexes = [
            models.Index(fields=["requester", "state"]),
            models.Index(fields=["supplier", "state"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=lifecycle.all_states()), name="illrequest_known_state"),
            models.CheckConstraint(condition=Q(service__in=[s.value for s in Service]),
                                   name="illrequest_known_service"),
            models.CheckConstraint(condition=Q(supplier__isnull=True) | ~Q(supplier=F("requester")),
                                   name="illrequest_not_from_itself"),
            models.CheckConstraint(condition=~Q(title=""), name="illrequest_says_what"),
            models.CheckConstraint(condition=Q(max_cost__isnull=True) | Q(max_cost__gte=0),
                                   name="illrequest_max_cost_not_negative"),
            models.UniqueConstraint(fields=["requester", "peer_request_id"], condition=Q(origin="remote"),
                                    name="illrequest_peer_id_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title[:60]} ({self.state})"

    @property
    def final(self) -> bool:
        return lifecycle.is_final(self.state)

    @property
    def reader_display(self) -> str:
        if self.reader_id:
            return self.reader.get_full_name() or self.reader.get_username()
        return self.reader_name

    def flags(self) -> lifecycle.Flags:
        from .conf import max_renewals

        return lifecycle.Flags(
            received=self.received_at is not None,
            returned=self.returned_at is not None,
            renewal_pending=self.renewal_pending,
            cancel_pending=self.cancel_pending,
            renewals=self.renewals,
            max_renewals=max_renewals(),
        )


class RotaEntry(models.Model):
    """A lender of the rota, in order, with why it stands there and what came of asking it."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("not asked yet")
        ASKED = "asked", _("asked")
        SUPPLIED = "supplied", _("supplied")
        UNFILLED = "unfilled", _("could not supply")
        DECLINED = "declined", _("its conditions were declined")
        TIMEOUT = "timeout", _("did not answer in time")
        REFUSED = "refused", _("its system refused the request")
        CANCELLED = "cancelled", _("cancelled")

    request = models.ForeignKey(IllRequest, on_delete=models.CASCADE, related_name="rota")
    position = models.PositiveSmallIntegerField()
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=8, choices=Service.choices)
    score = models.FloatField(default=0)
    #: The routing core's reasons: [{"code", "params", "points"}].
    reasons = models.JSONField(default=list, blank=True)
    #: The quote's lines: [{"code", "params", "amount", "requester_share"}].
    quote = models.JSONField(default=list, blank=True)
    delivery = models.CharField(max_length=16, blank=True)
    km = models.FloatField(null=True, blank=True)
    crossings = models.PositiveSmallIntegerField(default=0)
    agreement = models.ForeignKey(Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cost = models.IntegerField(default=0)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.WAITING)
    note = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answer_by = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    supplied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="rota_position_once"),
            models.UniqueConstraint(fields=["request", "library"], name="rota_lender_once"),
        ]


class Peer(models.Model):
    """A library served by another system: ISO 18626 messages for it go to `url`."""

    library = models.OneToOneField(Library, on_delete=models.PROTECT, related_name="iso18626_peer",
                                   verbose_name=_("library"))
    url = models.URLField(_("ISO 18626 address"), max_length=500)
    agency_id_type = models.CharField(_("agency id type"), max_length=64)
    agency_id_value = models.CharField(_("agency id"), max_length=128)
    active = models.BooleanField(_("active"), default=True)
    timeout = models.FloatField(_("seconds to wait for an answer"), default=20)
    #: Agreed between the two systems: sent in ``requestingAgencyAuthentication/securityCode`` and
    #: required of every message claiming to come from this peer. Empty: not checked.
    security_code = models.CharField(_("security code"), max_length=128, blank=True)
    #: Agreed between the two systems for HTTP: sent as ``Authorization: Bearer …`` with every message to the
    #: peer, and required of every message claiming to come from it (refused and not kept without it). Empty: not
    #: checked.
    shared_secret = models.CharField(_("shared secret (HTTP)"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("ISO 18626 peer")
        verbose_name_plural = _("ISO 18626 peers")
        constraints = [
            models.UniqueConstraint(fields=["agency_id_type", "agency_id_value"], name="peer_agency_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id_type}:{self.agency_id_value} → {self.url}"

    def clean(self) -> None:
        """The address must be one outbound requests may reach (``JARINGAN_OUTBOUND_ALLOW``)."""
        from django.core.exceptions import ValidationError

        from jaringan import outbound
        from jaringan.core.errors import Invalid

        try:
            outbound.address_check(self.url, field="url")
        except Invalid as exc:
            raise ValidationError(exc.errors) from None


class AgencyId(models.Model):
    """A further name of a library in ISO 18626 messages (an ISIL, a ReShare symbol …)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="agency_ids")
    id_type = models.CharField(_("agency id type"), max_length=64)
    id_value = models.CharField(_("agency id"), max_length=128)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["id_type", "id_value"], name="agency_id_once")]

    def __str__(self) -> str:
        return f"{self.id_type}:{self.id_value}"


class IllMessage(models.Model):
    """An ISO 18626 message in, out, or kept for a request between two libraries served here."""

    class Direction(models.TextChoices):
        IN = "in", _("received")
        OUT = "out", _("sent")
        LOCAL = "local", _("between libraries served here")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        RETRYING = "retrying", _("to be tried again")
        SENT = "sent", _("sent and confirmed")
        REFUSED = "refused", _("refused by the other system")
        FAILED = "failed", _("could not be delivered")
        ACCEPTED = "accepted", _("accepted")
        KEPT = "kept", _("kept")

    request = models.ForeignKey(IllRequest, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="messages")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    kind = models.CharField(max_length=48)
    peer = models.ForeignKey(Peer, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    #: The message as it came; of one refused and about no request, only its first bytes
    #: (``JARINGAN_ISO18626_KEEP_KB``), with its whole length in `size` and its digest.
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64, db_index=True)
    #: The address a message received came from (what the rate limit counts).
    address = models.GenericIPAddressField(null=True, blank=True)
    #: The schema's verdict: True valid, False with `errors`, None when the schema could not be read.
    valid = models.BooleanField(null=True)
    errors = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    #: Of a message out: why its last attempt failed (``transport.TransportError.kind``), shown in words.
    error_kind = models.CharField(max_length=24, blank=True)
    #: Of a message out waiting (pending, retrying): when it is next tried; being sent: when its sender's
    #: claim lapses (a sender that died leaves it to be tried again then, with the same bytes).
    next_attempt = models.DateTimeField(null=True, blank=True)
    #: When the peer confirmed it (or refused it).
    delivered_at = models.DateTimeField(null=True, blank=True)
    #: The confirmation that answered this message (or that this one got back).
    answer = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="answered")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["direction", "status"]), models.Index(fields=["address", "at"]),
                   models.Index(fields=["status", "next_attempt"], name="illmessage_due",
                                condition=Q(status__in=["pending", "sending", "retrying"]))]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} ({self.status})"

    @property
    def text(self) -> str:
        return bytes(self.raw).decode("utf-8", errors="replace")


class IllEvent(models.Model):
    """One change of a request: who, what, from which state to which, and the message exchanged."""

    class ActorKind(models.TextChoices):
        USER = "user", _("person")
        SYSTEM = "system", _("this system")
        REMOTE = "remote", _("another system")

    request = models.ForeignKey(IllRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=STATE_MAX, blank=True)
    to_state = models.CharField(max_length=STATE_MAX)
    #: The lender this event concerned.
    lender = models.ForeignKey(Library, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    message = models.ForeignKey(IllMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        ordering = ["at", "id"]


class LedgerEntry(models.Model):
    """`debtor` owes `creditor` an amount for one line of a supply (a fee or shipping) or of a reciprocal loan.

    One ledger for everything the members owe one another: each line comes either from an interlibrary
    loan (``request``) or from an item lent in person to a visiting reader under an agreement
    (``reciprocal_loan``: its fee, and the deposit held while it is out and paid back when it returns)."""

    class Kind(models.TextChoices):
        LOAN_FEE = "loan_fee", _("loan fee")
        COPY_FEE = "copy_fee", _("copy fee")
        SHIPPING = "shipping", _("shipping")
        RECIPROCAL_FEE = "reciprocal_fee", _("reciprocal loan fee")
        DEPOSIT = "deposit", _("deposit")

    debtor = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="ledger_debits")
    creditor = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="ledger_credits")
    request = models.ForeignKey(IllRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger")
    reciprocal_loan = models.ForeignKey("reciprocal.Loan", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="ledger")
    network = models.ForeignKey(Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    #: The line it comes from (``loan_fee``, ``shipping_out`` …, ``reciprocal_fee``, ``deposit``,
    #: ``deposit_refund``) and its parameters.
    line = models.CharField(max_length=32)
    params = models.JSONField(default=dict, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (IDR)"))
    on = models.DateField(db_index=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(debtor=F("creditor")), name="ledger_not_to_itself"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            # Each line comes from one thing: an interlibrary loan or a reciprocal loan.
            models.CheckConstraint(condition=Q(request__isnull=False, reciprocal_loan__isnull=True)
                                   | Q(request__isnull=True, reciprocal_loan__isnull=False),
                                   name="ledger_from_one_source"),
            # A request is supplied once: each line of its quote (fee, parcel out, parcel back) is charged once.
            models.UniqueConstraint(fields=["request", "line"], name="ledger_one_line_per_supply"),
            # A reciprocal loan's fee, deposit and deposit returned are each written once.
            models.UniqueConstraint(fields=["reciprocal_loan", "line"], name="ledger_one_line_per_reciprocal_loan",
                                    condition=Q(reciprocal_loan__isnull=False)),
        ]

    @property
    def is_reciprocal(self) -> bool:
        return self.reciprocal_loan_id is not None


class Delivery(models.Model):
    """A copy delivered: a scan to download (until it expires) or a photocopy sent by post."""

    class Method(models.TextChoices):
        FILE = "file", _("scan to download")
        POST = "post", _("photocopy by post")
        LINK = "link", _("scan on the lender's system")

    request = models.ForeignKey(IllRequest, on_delete=models.CASCADE, related_name="deliveries")
    method = models.CharField(max_length=8, choices=Method.choices)
    #: Where the scan is kept, relative to the deliveries folder under JARINGAN_HOME.
    path = models.CharField(max_length=255, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    #: Of a scan the lender's system holds (``link``): its address, as the lender's ISO 18626 message gave it.
    url = models.URLField(max_length=1000, blank=True)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)
    purged = models.BooleanField(default=False)
    downloads = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="post") | (Q(method="file") & Q(token__isnull=False) & Q(expires__isnull=False)
                                               & ~Q(path="")) | (Q(method="link") & Q(token__isnull=False)
                                                                 & Q(expires__isnull=False) & ~Q(url="")),
                name="delivery_file_has_token",
            ),
        ]


class RoutingWeights(models.Model):
    """A network's own weights for lender routing (`core.ill.routing.Weights`); missing names keep defaults."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="routing_weights")
    weights = models.JSONField(default=dict)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("routing weights")
        verbose_name_plural = _("routing weights")


class NoticeSettings(models.Model):
    """How a person wants interlibrary loan notices: language, e-mail, SMS."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ill_notices")
    language = models.CharField(_("language"), max_length=8, blank=True)
    phone = models.CharField(_("mobile telephone"), max_length=40, blank=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
