"""Libraries, networks, memberships, agreements, and who may act for them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.core import agreements as rules
from jaringan.core import borders
from jaringan.core import geo
from jaringan.core import membership as ms

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,15}$",
    _("Use 2 to 16 capital letters, digits or hyphens, starting with a letter or digit."),
)


class LibraryKind(models.TextChoices):
    NATIONAL = "national", _("National library")
    PUBLIC = "public", _("Public library")
    ACADEMIC = "academic", _("Academic library")
    SCHOOL = "school", _("School library")
    SPECIAL = "special", _("Special library")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("Post")
    COURIER = "courier", _("Courier")
    DIGITAL = "digital", _("Digital (scan by e-mail or download)")
    PICKUP = "pickup", _("Pick-up at the counter")


PROVINCE_CHOICES = [(p, p) for p in geo.PROVINCES]
country_validator = RegexValidator(r"^[A-Z]{2}$", _("Use the country's two-letter ISO 3166 code, e.g. ID, MY, TL."))


class Library(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=LibraryKind.choices)
    address = models.TextField(_("address"), blank=True)
    city = models.CharField(_("city"), max_length=100)
    province = models.CharField(_("province"), max_length=40, choices=PROVINCE_CHOICES, blank=True,
                                help_text=_("Required in Indonesia; left empty for a library abroad."))
    country = models.CharField(_("country"), max_length=2, default=borders.HOME_COUNTRY,
                               validators=[country_validator], help_text=_("Two-letter ISO 3166 code: ID, MY, TL …"))
    #: Shelf locations (as the library's records name them) that hold its local-content collection.
    local_content_locations = models.JSONField(_("local-content locations"), default=list, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    collection_size = models.PositiveIntegerField(_("collection size (volumes)"), default=0)
    open_to_outsiders = models.BooleanField(_("collection open to outside users"), default=False)
    annual_budget = models.DecimalField(
        _("annual budget (IDR)"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_fixed = models.BooleanField(_("fixed budget"), default=False)
    staff_count = models.PositiveIntegerField(_("staff"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    offers_loan = models.BooleanField(_("lends returnables"), default=False)
    offers_copy = models.BooleanField(_("supplies copies"), default=False)
    offers_reciprocal = models.BooleanField(_("welcomes readers of other members"), default=False)
    delivery_methods = models.JSONField(_("delivery methods"), default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="library_both_coordinates_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.country == borders.HOME_COUNTRY and not self.province:
            raise ValidationError({"province": _("A library in Indonesia names its province.")})
        if self.country != borders.HOME_COUNTRY and self.province:
            raise ValidationError({"province": _("Only a library in Indonesia has one of its provinces.")})
        locations = self.local_content_locations
        if not isinstance(locations, list) or not all(isinstance(x, str) and x.strip() for x in locations):
            raise ValidationError({"local_content_locations": _("A list of shelf locations, as the records name "
                                                                "them.")})

    @property
    def site(self) -> borders.Site:
        """Where the library is, as the border rules see it."""
        return borders.Site(self.province, self.country, self.kind == LibraryKind.NATIONAL)

    def holds_local_content_at(self, location: str | None) -> bool:
        """Whether a holding at this shelf location is local content (locations compared without case)."""
        wanted = {x.strip().casefold() for x in self.local_content_locations or []}
        return bool(location) and location.strip().casefold() in wanted

    @property
    def island(self) -> geo.Island:
        return geo.island_of(self.province)

    def services_offered(self) -> list[str]:
        out = []
        if self.offers_loan:
            out.append(rules.Service.LOAN)
        if self.offers_copy:
            out.append(rules.Service.COPY)
        if self.offers_reciprocal:
            out.append(rules.Service.RECIPROCAL)
        return out


class Structure(models.TextChoices):
    SINGLE_TYPE = "single_type", _("Single-type (one kind of library)")
    MULTI_TYPE = "multi_type", _("Multi-type (several kinds of library)")


class Scope(models.TextChoices):
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class Jurisdiction(models.TextChoices):
    SINGLE = "single", _("Single jurisdiction")
    MULTIPLE = "multiple", _("Multiple jurisdictions")


class Funding(models.TextChoices):
    NON_PROFIT = "non_profit", _("Non-profit")
    COMMERCIAL = "commercial", _("Commercial (fee-charging)")


class Network(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    structure = models.CharField(_("structure"), max_length=16, choices=Structure.choices)
    library_kind = models.CharField(
        _("kind of library (single-type networks)"), max_length=16, choices=LibraryKind.choices, blank=True
    )
    scope = models.CharField(_("geographic scope"), max_length=16, choices=Scope.choices)
    area = models.CharField(_("area"), max_length=120, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=16, choices=Jurisdiction.choices)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices)
    min_collection_size = models.PositiveIntegerField(_("least collection size to join"), default=1)
    min_staff = models.PositiveIntegerField(_("least staff to join"), default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(
                condition=Q(structure="multi_type", library_kind="")
                | (Q(structure="single_type") & ~Q(library_kind="")),
                name="network_kind_iff_single_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Membership(models.Model):
    class State(models.TextChoices):
        APPLIED = ms.State.APPLIED.value, _("Applied")
        ADMITTED = ms.State.ADMITTED.value, _("Admitted")
        REJECTED = ms.State.REJECTED.value, _("Rejected")
        SUSPENDED = ms.State.SUSPENDED.value, _("Suspended")
        WITHDRAWN = ms.State.WITHDRAWN.value, _("Withdrawn")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="memberships")
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    #: The last evaluation of the four requirements, as `Eligibility.as_list()`.
    eligibility = models.JSONField(default=list)
    applied = models.DateTimeField(default=timezone.now)
    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network__name", "library__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "library"], name="membership_once_per_network"),
        ]

    def __str__(self) -> str:
        return f"{self.library.code} in {self.network.code}: {self.state}"

    @property
    def eligible(self) -> bool:
        return bool(self.eligibility) and all(v["passed"] for v in self.eligibility)


class MembershipEvent(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    eligibility = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class Agreement(models.Model):
    class Form(models.TextChoices):
        WRITTEN = "written", _("Written")
        UNWRITTEN = "unwritten", _("Unwritten")

    class Coverage(models.TextChoices):
        NETWORK = "network", _("Every admitted member of the network")
        NAMED = "named", _("Only the named libraries")

    class Relation(models.TextChoices):
        RECIPROCAL = "reciprocal", _("Reciprocal: every party asks and supplies")
        ONE_WAY = "one_way", _("One-way: suppliers supply, recipients ask")

    class ShippingPayer(models.TextChoices):
        REQUESTER = "requester", _("The requesting library")
        SUPPLIER = "supplier", _("The supplying library")
        SHARED = "shared", _("Shared equally")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="agreements")
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    document_ref = models.CharField(_("document reference"), max_length=120, blank=True)
    services = models.JSONField(_("services"), default=list)
    coverage = models.CharField(_("coverage"), max_length=16, choices=Coverage.choices)
    relation = models.CharField(_("relation between members"), max_length=16, choices=Relation.choices)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"), null=True, blank=True)
    fee_per_loan = models.DecimalField(
        _("fee per loan (IDR)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    fee_per_page = models.DecimalField(
        _("fee per copied page (IDR)"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )
    shipping_paid_by = models.CharField(
        _("shipping paid by"), max_length=16, choices=ShippingPayer.choices, default="requester"
    )
    free_loans_per_year = models.PositiveIntegerField(_("free requests per library per year"), default=0)
    shipping_bands = models.JSONField(
        _("shipping price by distance"), default=list, blank=True,
        help_text=_('Nearest first, e.g. [{"up_to_km": 50, "fee": 10000}, {"fee": 60000}]; '
                    "the last band may leave the distance open."),
    )
    technology = models.TextField(_("technology"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts", "code"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(fee_per_loan__gte=0) & Q(fee_per_page__gte=0), name="agreement_fees_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def clean(self):
        from django.core.exceptions import ValidationError

        valid = {s.value for s in rules.Service}
        if not self.services or not isinstance(self.services, list) or set(self.services) - valid:
            from .texts import service_labels

            raise ValidationError({"services": _("Choose one or more of: %(services)s.") % {
                "services": ", ".join(service_labels(sorted(valid)))}})
        if not isinstance(self.shipping_bands, list):
            raise ValidationError({"shipping_bands": _("A list of bands, nearest first.")})
        try:
            rules.shipping_bands_from(self.shipping_bands)
        except (rules.BadShippingBands, AttributeError) as exc:
            raise ValidationError({"shipping_bands": _("Shipping bands: %(reason)s") % {"reason": exc}}) from None

    def status_on(self, day=None) -> rules.Status:
        return rules.status_on(self.starts, self.ends, day or timezone.localdate())

    @property
    def status(self) -> rules.Status:
        return self.status_on()


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        BOTH = "both", _("asks and supplies")
        SUPPLIER = "supplier", _("supplies")
        RECIPIENT = "recipient", _("asks")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="agreement_parts")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default="both")

    class Meta:
        ordering = ["library__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "library"], name="party_once_per_agreement"),
        ]

    def clean(self):
        _refuse_non_member(self)


def _refuse_non_member(row: AgreementParty | Responsibility) -> None:
    """A party or a share of an agreement names a member of the agreement's network (`ms.NAMED_IN_AGREEMENTS`).

    On the admin's page for a new agreement, the agreement is not saved yet: it is the row's cached
    (unsaved) agreement, not one found by its id, and it is checked all the same.
    """
    from django.core.exceptions import ObjectDoesNotExist, ValidationError

    try:
        agreement = row.agreement
    except ObjectDoesNotExist:
        return  # no agreement at all: the form names the missing field
    if row.library_id and not Membership.objects.filter(
        network_id=agreement.network_id, library_id=row.library_id, state__in=ms.NAMED_IN_AGREEMENTS,
    ).exists():
        raise ValidationError({"library": _("This library is not a member of the agreement's network.")})


class Responsibility(models.Model):
    """Division of labour: a library answers for a class range (e.g. DDC 630–639.99)."""

    class Scheme(models.TextChoices):
        DDC = "DDC", "DDC"
        UDC = "UDC", "UDC"
        LCC = "LCC", "LCC"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="responsibilities")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="responsibilities")
    scheme = models.CharField(_("classification"), max_length=3, choices=Scheme.choices, default="DDC")
    start = models.CharField(_("from class"), max_length=20)
    end = models.CharField(_("to class"), max_length=20)
    subject = models.CharField(_("subject"), max_length=120, blank=True)

    class Meta:
        ordering = ["scheme", "start"]

    def clean(self):
        from django.core.exceptions import ValidationError

        _refuse_non_member(self)

        try:
            if rules.class_key(self.scheme, self.start) > rules.class_key(self.scheme, self.end):
                raise ValidationError({"end": _("The range runs backwards.")})
        except rules.BadClassNumber:
            raise ValidationError({"start": _("Not a class number in this scheme.")}) from None


class BorderRule(models.Model):
    """Who may lend to whom beyond membership (`core.borders`): a rule of a network, or of one agreement."""

    class Kind(models.TextChoices):
        SAME_PROVINCE = borders.Kind.SAME_PROVINCE, _("Lend only within one province")
        SAME_COUNTRY = borders.Kind.SAME_COUNTRY, _("Never lend across a national border")
        LOCAL_CONTENT_STAYS = borders.Kind.LOCAL_CONTENT_STAYS, _("Local content never leaves its region")
        LAST_RESORT = borders.Kind.LAST_RESORT, _("Ask a library only as the last resort")

    class Region(models.TextChoices):
        PROVINCE = borders.Region.PROVINCE, _("its province")
        ISLAND = borders.Region.ISLAND, _("its island group")
        COUNTRY = borders.Region.COUNTRY, _("its country")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="border_rules")
    #: None: the rule binds every agreement of the network.
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="border_rules", verbose_name=_("agreement"))
    kind = models.CharField(_("rule"), max_length=40, choices=Kind.choices)
    region = models.CharField(_("region"), max_length=16, choices=Region.choices, blank=True)
    #: For a last resort: the library; None means every national library.
    library = models.ForeignKey(Library, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name=_("library"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["network_id", "agreement_id", "kind", "id"]
        verbose_name = _("border rule")
        verbose_name_plural = _("border rules")

    def __str__(self) -> str:
        return f"{self.network_id}/{self.agreement_id or '*'}: {self.kind}"

    def as_core(self) -> borders.Rule:
        return borders.checked(self.kind, region=self.region or None, library_id=self.library_id,
                               agreement_id=self.agreement_id, id=self.pk)


class Role(models.Model):
    """What a person may do: coordinate a network, staff a library, or read at one."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("Network coordinator")
        STAFF = "staff", _("Library staff")
        READER = "reader", _("Reader")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    library = models.ForeignKey(Library, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="coordinator", network__isnull=False, library__isnull=True))
                | (Q(kind__in=["staff", "reader"], library__isnull=False, network__isnull=True)),
                name="role_target_matches_kind",
            ),
            models.UniqueConstraint(fields=["user", "kind", "network", "library"], name="role_once"),
            models.UniqueConstraint(fields=["user"], condition=Q(kind="reader"), name="reader_of_one_library"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.network or self.library}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash of the key is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)


class UnionCatalogNode(models.Model):
    """A member's SLiMS Union Catalog client: it pushes the library's records with a node id and password.

    Only a hash of the password is kept (Django's password hashers); the member
    types the password itself into SLiMS's union-catalogue settings.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="ucs_nodes",
                                verbose_name=_("library"))
    node_id = models.CharField(_("node ID"), max_length=100, unique=True)
    password = models.CharField(_("password hash"), max_length=128)
    name = models.CharField(_("name"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(default=timezone.now)
    last_push = models.DateTimeField(_("last push"), null=True, blank=True)

    class Meta:
        ordering = ["node_id"]
        verbose_name = _("union catalogue node")
        verbose_name_plural = _("union catalogue nodes")

    def __str__(self) -> str:
        return f"{self.node_id} ({self.library.code})"
