"""The shapes of the network API's requests and answers: libraries, networks, memberships and agreements
(their fields, types and limits are what the OpenAPI document publishes)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

Kind = Literal["national", "public", "academic", "school", "special"]
Delivery = Literal["post", "courier", "digital", "pickup"]
ServiceName = Literal["loan", "copy", "reciprocal", "cataloguing", "acquisition"]


class LibraryPatch(Schema):
    name: str | None = None
    kind: Kind | None = None
    address: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code; ID when not given")
    local_content_locations: list[str] | None = None
    latitude: float | None = None
    longitude: float | None = None
    languages: list[str] | None = None
    collection_size: int | None = Field(None, ge=0)
    open_to_outsiders: bool | None = None
    annual_budget: Decimal | None = Field(None, ge=0)
    budget_fixed: bool | None = None
    staff_count: int | None = Field(None, ge=0)
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    offers_loan: bool | None = None
    offers_copy: bool | None = None
    offers_reciprocal: bool | None = None
    delivery_methods: list[Delivery] | None = None


class LibraryIn(LibraryPatch):
    code: str
    name: str
    kind: Kind
    city: str
    province: str


class LibraryOut(Schema):
    code: str
    name: str
    kind: str
    address: str
    city: str
    province: str
    country: str
    local_content_locations: list[str]
    island: str
    latitude: float | None
    longitude: float | None
    languages: list[str]
    collection_size: int
    open_to_outsiders: bool
    annual_budget: Decimal | None
    budget_fixed: bool
    staff_count: int
    contact_name: str
    email: str
    phone: str
    website: str
    offers_loan: bool
    offers_copy: bool
    offers_reciprocal: bool
    delivery_methods: list[str]

    @staticmethod
    def resolve_island(obj) -> str:
        return str(obj.island)


class NetworkPatch(Schema):
    name: str | None = None
    description: str | None = None
    description_en: str | None = None
    structure: Literal["single_type", "multi_type"] | None = None
    library_kind: Literal["", "national", "public", "academic", "school", "special"] | None = None
    scope: Literal["city", "province", "region", "national", "international"] | None = None
    area: str | None = None
    jurisdiction: Literal["single", "multiple"] | None = None
    funding: Literal["non_profit", "commercial"] | None = None
    min_collection_size: int | None = Field(None, ge=0)
    min_staff: int | None = Field(None, ge=0)


class NetworkIn(NetworkPatch):
    code: str
    name: str
    structure: Literal["single_type", "multi_type"]
    scope: Literal["city", "province", "region", "national", "international"]
    jurisdiction: Literal["single", "multiple"]
    funding: Literal["non_profit", "commercial"]


class NetworkOut(Schema):
    code: str
    name: str
    description: str
    description_en: str
    structure: str
    library_kind: str
    scope: str
    area: str
    jurisdiction: str
    funding: str
    min_collection_size: int
    min_staff: int


class Verdict(Schema):
    requirement: str
    passed: bool
    reason: str
    params: dict


class MembershipEventOut(Schema):
    """One step of a membership's history (named apart from interlibrary loan's events, whose shape differs)."""

    action: str
    from_state: str
    to_state: str
    actor: str | None = Field(..., description="the username of the person who acted; null when the system "
                                               "recorded the step (a loaded demo, a deleted account)")
    actor_kind: Literal["person", "system"]
    note: str
    at: str

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_actor_kind(obj) -> str:
        return "person" if obj.actor_id else "system"

    @staticmethod
    def resolve_at(obj) -> str:
        return obj.at.isoformat()


class MembershipOut(Schema):
    id: int
    network: str
    library: str
    state: str
    eligible: bool
    eligibility: list[Verdict]
    applied: str
    changed: str

    @staticmethod
    def resolve_network(obj) -> str:
        return obj.network.code

    @staticmethod
    def resolve_library(obj) -> str:
        return obj.library.code

    @staticmethod
    def resolve_applied(obj) -> str:
        return obj.applied.isoformat()

    @staticmethod
    def resolve_changed(obj) -> str:
        return obj.changed.isoformat()


class MembershipDetail(MembershipOut):
    events: list[MembershipEventOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.select_related("actor"))


class ApplyIn(Schema):
    library: str
    note: str = ""


class MembershipActionIn(Schema):
    action: Literal["admit", "reject", "suspend", "reinstate", "withdraw", "reapply"]
    note: str = ""
    expected_state: Literal["applied", "admitted", "rejected", "suspended", "withdrawn"] | None = None


class PartyIO(Schema):
    library: str
    role: Literal["both", "supplier", "recipient"] = "both"


class ResponsibilityIO(Schema):
    library: str
    scheme: Literal["DDC", "UDC", "LCC"] = "DDC"
    start: str
    end: str
    subject: str = ""


class ShippingBandIO(Schema):
    """A shipping price: parcels up to ``up_to_km`` kilometres (open-ended when null) cost ``fee`` rupiah."""

    up_to_km: int | None = Field(None, gt=0)
    fee: Decimal = Field(..., ge=0)


class AgreementIn(Schema):
    code: str
    title: str
    purpose: str
    form: Literal["written", "unwritten"]
    document_ref: str = ""
    services: list[ServiceName]
    coverage: Literal["network", "named"]
    relation: Literal["reciprocal", "one_way"]
    starts: date
    ends: date | None = None
    fee_per_loan: Decimal = Field(Decimal("0"), ge=0)
    fee_per_page: Decimal = Field(Decimal("0"), ge=0)
    shipping_paid_by: Literal["requester", "supplier", "shared"] = "requester"
    free_loans_per_year: int = Field(0, ge=0)
    shipping_bands: list[ShippingBandIO] = []
    technology: str = ""
    parties: list[PartyIO] = []
    responsibilities: list[ResponsibilityIO] = []

    @field_validator("services")
    @classmethod
    def some_service(cls, v):
        if not v:
            raise ValueError("choose at least one service")
        return v


class AgreementOut(Schema):
    code: str
    network: str
    title: str
    purpose: str
    form: str
    document_ref: str
    services: list[str]
    coverage: str
    relation: str
    starts: date
    ends: date | None
    status: str
    fee_per_loan: Decimal
    fee_per_page: Decimal
    shipping_paid_by: str
    free_loans_per_year: int
    shipping_bands: list[ShippingBandIO]
    technology: str
    parties: list[PartyIO]
    responsibilities: list[ResponsibilityIO]

    @staticmethod
    def resolve_network(obj) -> str:
        return obj.network.code

    @staticmethod
    def resolve_status(obj) -> str:
        return str(obj.status)

    @staticmethod
    def resolve_parties(obj):
        return [{"library": p.library.code, "role": p.role} for p in obj.parties.all()]

    @staticmethod
    def resolve_responsibilities(obj):
        return [
            {"library": r.library.code, "scheme": r.scheme, "start": r.start, "end": r.end, "subject": r.subject}
            for r in obj.responsibilities.all()
        ]


class CheckOut(Schema):
    allowed: bool
    agreement: str | None
    fee: Decimal
    fee_per_loan: Decimal
    fee_per_page: Decimal
    shipping_paid_by: str | None
    free_of_charge: bool
    refusals: list[dict]
    #: For a loan or a copy: what the requester pays in all (fee and its share of shipping over the
    #: distance, in whole rupiah), as a request sent now would be charged; and whether the agreement
    #: prices the shipping (when not, shipping is paid at cost, outside this figure).
    cost: int | None = None
    shipping_agreed: bool | None = None


BorderKind = Literal["same_province", "same_country", "local_content_stays_in_region", "last_resort"]
BorderRegion = Literal["province", "island", "country"]


class BorderRuleIn(Schema):
    """A rule across borders to state (`core.borders`): ``region`` only for the local-content rule (its
    province when not given), ``library`` (a member's code) only for the last resort (every national
    library when not given)."""

    kind: BorderKind
    region: BorderRegion | None = None
    library: str | None = Field(None, description="Code of a member library; only for last_resort")
    note: str = Field("", max_length=300)


class BorderRuleOut(Schema):
    id: int
    network: str
    agreement: str | None = Field(description="The agreement the rule belongs to; null for the network's own")
    kind: str
    region: str | None
    library: str | None
    note: str
    sentence: str = Field(description="The rule in words, in the caller's language")
    created: datetime
