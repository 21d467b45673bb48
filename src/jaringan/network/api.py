"""JSON endpoints for libraries, networks, memberships and agreements (thin over the services)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from jaringan.core import membership as ms
from jaringan.core.errors import Forbidden, NotFound

from . import permissions as perm
from .auth import WRITE_AUTH
from .auth import api_principal as _principal
from . import selectors, services
from .models import Agreement, Library, Membership, Network
from .schemas import (
    AgreementIn, AgreementOut, ApplyIn, CheckOut, Kind, LibraryIn, LibraryOut, LibraryPatch, MembershipActionIn,
    MembershipDetail, MembershipOut, NetworkIn, NetworkOut, NetworkPatch, ServiceName,
)

router = Router()


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
