"""JSON endpoints for libraries, networks, memberships and agreements (thin over the services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from jaringan.core import membership as ms
from jaringan.core.errors import Forbidden, NotFound

from . import permissions as perm
from .auth import WRITE_AUTH
from .auth import api_principal as _principal
from . import selectors, services
from .models import Agreement, Library, Membership, Network

router = Router()

Kind = Literal["national", "public", "academic", "school", "special"]
Delivery = Literal["post", "courier", "digital", "pickup"]
ServiceName = Literal["loan", "copy", "reciprocal", "cataloguing", "acquisition"]




# --- schemas -------------------------------------------------------------------

class LibraryPatch(Schema):
    name: str | None = None
    kind: Kind | None = None
    address: str | None = None
    city: str | None = None
    province: str | None = None
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


# --- helpers --------------------------------------------------------------------

def _library(code: str) -> Library:
    library = Library.objects.filter(code=code).first()
    if library is None:
        raise NotFound(f"No library with code {code}.")
    return library


def _network(code: str) -> Network:
    network = Network.objects.filter(code=code).first()
    if network is None:
        raise NotFound(f"No network with code {code}.")
    return network


def _agreement(code: str) -> Agreement:
    found = (
        Agreement.objects.select_related("network")
        .prefetch_related("parties__library", "responsibilities__library")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise NotFound(f"No agreement with code {code}.")
    return found


def _agreement_args(payload: AgreementIn) -> tuple[dict, list, list]:
    data = payload.dict()
    parties = data.pop("parties")
    responsibilities = data.pop("responsibilities")
    return data, parties, responsibilities


# --- libraries ------------------------------------------------------------------

@router.get("/libraries", response=list[LibraryOut], tags=["libraries"])
def library_list(request, kind: Kind | None = None, province: str | None = None, network: str | None = None):
    qs = Library.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if province:
        qs = qs.filter(province=province)
    if network:
        qs = qs.filter(memberships__network__code=network, memberships__state=ms.State.ADMITTED)
    return qs.order_by("code")


@router.get("/libraries/{code}", response=LibraryOut, tags=["libraries"])
def library_detail(request, code: str):
    return _library(code)


@router.post("/libraries", response={201: LibraryOut}, auth=WRITE_AUTH, tags=["libraries"])
def library_create(request, payload: LibraryIn):
    data = payload.dict(exclude_unset=True)
    return Status(201, services.library_create(actor=_principal(request), data=data))


@router.patch("/libraries/{code}", response=LibraryOut, auth=WRITE_AUTH, tags=["libraries"])
def library_update(request, code: str, payload: LibraryPatch):
    return services.library_update(
        actor=_principal(request), library=_library(code), data=payload.dict(exclude_unset=True)
    )


# --- networks -------------------------------------------------------------------

@router.get("/networks", response=list[NetworkOut], tags=["networks"])
def network_list(request):
    return Network.objects.order_by("code")


@router.get("/networks/{code}", response=NetworkOut, tags=["networks"])
def network_detail(request, code: str):
    return _network(code)


@router.post("/networks", response={201: NetworkOut}, auth=WRITE_AUTH, tags=["networks"])
def network_create(request, payload: NetworkIn):
    return Status(201, services.network_create(actor=_principal(request), data=payload.dict(exclude_unset=True)))


@router.patch("/networks/{code}", response=NetworkOut, auth=WRITE_AUTH, tags=["networks"])
def network_update(request, code: str, payload: NetworkPatch):
    return services.network_update(
        actor=_principal(request), network=_network(code), data=payload.dict(exclude_unset=True)
    )


# --- memberships ----------------------------------------------------------------

@router.get("/networks/{code}/memberships", response=list[MembershipOut], tags=["memberships"])
def membership_list(request, code: str):
    """Admitted and suspended members for everyone; every application for the network's coordinator."""
    network = _network(code)
    qs = network.memberships.select_related("network", "library")
    p = perm.principal_for(request.user)
    if not perm.coordinates(p, network):
        qs = qs.filter(state__in=[ms.State.ADMITTED, ms.State.SUSPENDED])
    return qs.order_by("library__code")


@router.post("/networks/{code}/memberships", response={201: MembershipOut}, auth=WRITE_AUTH, tags=["memberships"])
def membership_apply(request, code: str, payload: ApplyIn):
    """The library applies to join the network, or applies again after a rejection or a withdrawal.

    Only the library's own staff (or a superuser) apply for it: anyone else, a coordinator included,
    gets 403. Until the network admits it, its coordinator may not act for the library.
    """
    membership = services.membership_apply(
        actor=_principal(request), network=_network(code), library=_library(payload.library), note=payload.note
    )
    return Status(201, membership)


@router.get("/memberships/{membership_id}", response=MembershipDetail, auth=WRITE_AUTH, tags=["memberships"])
def membership_detail(request, membership_id: int):
    membership = get_object_or_404(Membership.objects.select_related("network", "library"), pk=membership_id)
    p = _principal(request)
    if not perm.membership_sides(p, membership):
        raise Forbidden("Only the network's coordinator and the library's staff see an application's history.")
    return membership


@router.post("/memberships/{membership_id}/actions", response=MembershipOut, auth=WRITE_AUTH, tags=["memberships"])
def membership_act(request, membership_id: int, payload: MembershipActionIn):
    return services.membership_act(
        actor=_principal(request),
        membership_id=membership_id,
        action=payload.action,
        note=payload.note,
        expected_state=payload.expected_state,
    )


# --- agreements -----------------------------------------------------------------

@router.get("/networks/{code}/agreements", response=list[AgreementOut], tags=["agreements"])
def agreement_list(request, code: str):
    return _network(code).agreements.select_related("network").prefetch_related(
        "parties__library", "responsibilities__library"
    )


@router.get("/agreements/check", response=CheckOut, tags=["agreements"])
def agreement_check(
    request, requester: str, supplier: str, service: ServiceName, on: date | None = None, pages: int | None = None
):
    """May `requester` ask `supplier` for `service` on day `on` (default today), and at what cost?"""
    priced = None
    if service in ("loan", "copy"):  # the rule and figures of a real request's rota (as the check page)
        from jaringan.ill.rota import offer_between

        priced = offer_between(_library(requester), _library(supplier), service, on=on, pages=pages)
        decision = priced.decision
    else:
        decision = selectors.agreement_check(
            requester=_library(requester), supplier=_library(supplier), service=service, on=on, pages=pages
        )
    codes = dict(Agreement.objects.filter(
        pk__in=[a for a, _r in decision.refusals if a] + [decision.agreement_id]
    ).values_list("pk", "code"))
    return {
        "allowed": decision.allowed,
        "agreement": codes.get(decision.agreement_id),
        "fee": decision.fee,
        "fee_per_loan": decision.fee_per_loan,
        "fee_per_page": decision.fee_per_page,
        "shipping_paid_by": decision.shipping_paid_by,
        "free_of_charge": decision.free_of_charge,
        "refusals": [{"agreement": codes.get(a), "reason": r} for a, r in decision.refusals],
        "cost": priced.quote.requester_cost if priced and priced.quote else None,
        "shipping_agreed": priced.quote.shipping_agreed if priced and priced.quote else None,
    }


@router.get("/agreements/{code}", response=AgreementOut, tags=["agreements"])
def agreement_detail(request, code: str):
    return _agreement(code)


@router.post("/networks/{code}/agreements", response={201: AgreementOut}, auth=WRITE_AUTH, tags=["agreements"])
def agreement_create(request, code: str, payload: AgreementIn):
    data, parties, responsibilities = _agreement_args(payload)
    agreement = services.agreement_save(
        actor=_principal(request), network=_network(code), data=data, parties=parties,
        responsibilities=responsibilities,
    )
    return Status(201, _agreement(agreement.code))


@router.put("/agreements/{code}", response=AgreementOut, auth=WRITE_AUTH, tags=["agreements"])
def agreement_replace(request, code: str, payload: AgreementIn):
    existing = _agreement(code)
    data, parties, responsibilities = _agreement_args(payload)
    agreement = services.agreement_save(
        actor=_principal(request), network=existing.network, data=data, parties=parties,
        responsibilities=responsibilities, agreement=existing,
    )
    return _agreement(agreement.code)
