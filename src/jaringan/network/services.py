"""Every write to libraries, networks, memberships, agreements and roles.

Plain functions with keyword-only arguments, each in one transaction, each
taking the acting `Principal` and checking it before anything is written. A
failure raises a `jaringan.errors` exception and leaves the database as it was.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan import plaintext
from jaringan.core import agreements as rules
from jaringan.core import eligibility as elig
from jaringan.core import membership as ms
from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.errors import invalid_from

from . import permissions as perm
from .auth import hash_token
from . import signals
from .models import (
    Agreement,
    AgreementParty,
    ApiToken,
    Library,
    Membership,
    MembershipEvent,
    Network,
    Responsibility,
    Role,
)
from .permissions import Principal
from .texts import action_label

LIBRARY_FIELDS = (
    "code", "name", "kind", "address", "city", "province", "country", "latitude", "longitude", "languages",
    "collection_size", "open_to_outsiders", "annual_budget", "budget_fixed", "staff_count",
    "contact_name", "email", "phone", "website", "offers_loan", "offers_copy", "offers_reciprocal",
    "delivery_methods", "local_content_locations",
)
NETWORK_FIELDS = (
    "code", "name", "description", "description_en", "structure", "library_kind", "scope", "area",
    "jurisdiction", "funding", "min_collection_size", "min_staff",
)
AGREEMENT_FIELDS = (
    "code", "title", "purpose", "form", "document_ref", "services", "coverage", "relation", "starts",
    "ends", "fee_per_loan", "fee_per_page", "shipping_paid_by", "free_loans_per_year", "shipping_bands",
    "technology",
)


def _bands_as_json(bands) -> list:
    """Shipping bands as stored: fees as decimal strings, open distance as null."""
    if not isinstance(bands, list):
        return bands  # full_clean names the field
    out = []
    for band in bands:
        if not isinstance(band, Mapping):
            return bands
        fee = band.get("fee")
        out.append({"up_to_km": band.get("up_to_km"), "fee": str(fee) if fee is not None else None})
    return out


def _assign(obj, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise Invalid(
            _("Unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            errors={f: [_("Unknown field.")] for f in sorted(unknown)},
        )
    for key, value in data.items():
        setattr(obj, key, value)


def _save_valid(obj, *, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise invalid_from(exc) from None
    plaintext.raise_for(plaintext.model_control_errors(obj))  # codes, names, notes: no control characters
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a race past full_clean's unique check
        raise Conflict(_("This conflicts with an existing record: %(detail)s") % {"detail": exc}) from None


# --- libraries ------------------------------------------------------------------

@transaction.atomic
def library_create(*, actor: Principal, data: Mapping[str, Any]) -> Library:
    if not perm.can_register_library(actor):
        raise Forbidden(_("Only a network coordinator may register a library."))
    library = Library()
    _assign(library, data, LIBRARY_FIELDS)
    _save_valid(library)
    signals.libraries_changed.send(sender=Library, library_ids=[library.pk])
    return library


@transaction.atomic
def library_update(*, actor: Principal, library: Library, data: Mapping[str, Any]) -> Library:
    if not perm.can_edit_library(actor, library):
        raise Forbidden(_("You may not edit %(library)s.") % {"library": library.name})
    library = Library.objects.select_for_update().get(pk=library.pk)
    before = {name: getattr(library, name) for name in LIBRARY_FIELDS}
    _assign(library, data, LIBRARY_FIELDS)
    _save_valid(library)
    changed = sorted(name for name in LIBRARY_FIELDS if getattr(library, name) != before[name])
    if changed:  # what is derived from the library (its kind in the search index…) follows
        signals.libraries_changed.send(sender=Library, library_ids=[library.pk], fields=changed)
    return library


# --- networks -------------------------------------------------------------------

@transaction.atomic
def network_create(*, actor: Principal, data: Mapping[str, Any]) -> Network:
    """Create a network; its creator becomes its coordinator."""
    if not perm.can_create_network(actor):
        raise Forbidden(_("Only a network coordinator may create a network."))
    network = Network()
    _assign(network, data, NETWORK_FIELDS)
    _save_valid(network)
    if actor.user_id is not None:
        Role.objects.create(user_id=actor.user_id, kind=Role.Kind.COORDINATOR, network=network)
    return network


@transaction.atomic
def network_update(*, actor: Principal, network: Network, data: Mapping[str, Any]) -> Network:
    if not perm.can_edit_network(actor, network):
        raise Forbidden(_("You do not coordinate %(network)s.") % {"network": network.name})
    network = Network.objects.select_for_update().get(pk=network.pk)
    _assign(network, data, NETWORK_FIELDS)
    _save_valid(network)
    return network


# --- membership -----------------------------------------------------------------

def eligibility_of(library: Library, network: Network) -> elig.Eligibility:
    applicant = elig.Applicant(
        collection_size=library.collection_size,
        open_to_outsiders=library.open_to_outsiders,
        budget_fixed=library.budget_fixed,
        annual_budget=library.annual_budget,
        staff_count=library.staff_count,
    )
    thresholds = elig.Thresholds(
        min_collection_size=max(network.min_collection_size, elig.MIN_COLLECTION_SIZE),
        min_staff=max(network.min_staff, elig.MIN_STAFF),
    )
    return elig.evaluate(applicant, thresholds)


def _record(membership: Membership, *, action: str, from_state: str, actor: Principal, note: str,
            eligibility: list) -> MembershipEvent:
    return MembershipEvent.objects.create(
        membership=membership,
        action=action,
        from_state=from_state,
        to_state=membership.state,
        actor_id=actor.user_id,
        note=note,
        eligibility=eligibility,
        at=membership.changed,
    )


@transaction.atomic
def membership_apply(*, actor: Principal, network: Network, library: Library, note: str = "") -> Membership:
    """A library applies to join a network; the four requirements are checked and kept.

    An application that fails a requirement is still recorded (the coordinator
    sees why); it cannot be admitted until the library meets them.
    """
    if not perm.can_apply(actor, library):
        raise Forbidden(_("You may not apply for %(library)s.") % {"library": library.name})
    if network.structure == "single_type" and library.kind != network.library_kind:
        raise Invalid(
            _("%(network)s is a single-type network for %(kind)s libraries only; %(library)s is not one.")
            % {"network": network.name, "kind": network.get_library_kind_display().lower(), "library": library.name},
            errors={"library": [_("This kind of library cannot join this network.")]},
        )
    result = eligibility_of(library, network).as_list()
    now = timezone.now()
    existing = Membership.objects.select_for_update().filter(network=network, library=library).first()
    if existing is None:
        membership = Membership.objects.create(
            network=network, library=library, state=ms.State.APPLIED, eligibility=result, applied=now, changed=now
        )
        _record(membership, action="apply", from_state="", actor=actor, note=note, eligibility=result)
        return membership
    if ms.Action.REAPPLY not in ms.actions_for(existing.state, set(ms.Actor)):
        raise Conflict(
            _("%(library)s already has a membership in %(network)s (%(state)s).")
            % {"library": library.name, "network": network.name, "state": existing.get_state_display()},
            code="already_member",
        )
    from_state = existing.state
    existing.state, existing.eligibility, existing.applied, existing.changed = ms.State.APPLIED, result, now, now
    existing.save()
    _record(existing, action=ms.Action.REAPPLY, from_state=from_state, actor=actor, note=note, eligibility=result)
    return existing


@transaction.atomic
def membership_act(
    *, actor: Principal, membership_id: int, action: str, note: str = "", expected_state: str | None = None
) -> Membership:
    """Admit, reject, suspend, reinstate or withdraw a membership.

    The row is locked; `expected_state` (what the person saw on screen) guards
    against two people acting at once: the second is told what happened.
    """
    try:
        membership = (
            Membership.objects.select_for_update().select_related("network", "library").get(pk=membership_id)
        )
    except Membership.DoesNotExist:
        raise NotFound(_("No such membership.")) from None
    actors = perm.membership_sides(actor, membership)
    if not actors:
        raise Forbidden(_("You may not act on this membership."))
    try:
        action = ms.Action(action)
    except ValueError:
        raise Invalid(_("Unknown action: %(action)s") % {"action": action}, errors={"action": [_("Unknown action.")]}) from None
    if expected_state and expected_state != membership.state:
        raise Conflict(
            _("This membership is now %(state)s: someone else acted on it first. Nothing was changed.")
            % {"state": membership.get_state_display()},
            code="stale",
        )
    try:
        transition = ms.transition_for(membership.state, action, actors)
    except ms.TransitionRefused as exc:
        if exc.code == "not_permitted":
            raise Forbidden(_("Only the network's coordinator may do this.")) from None
        raise Conflict(
            _("A membership that is %(state)s cannot be %(action)s.")
            % {"state": membership.get_state_display(), "action": action_label(action)},
            code="illegal_transition",
        ) from None
    result = membership.eligibility
    if transition.needs_eligibility:
        evaluation = eligibility_of(membership.library, membership.network)
        result = evaluation.as_list()
        if not evaluation.passed:
            from .texts import verdict_sentence

            failed = "; ".join(verdict_sentence(v.as_dict()) for v in evaluation.failed)
            raise Invalid(
                _("%(library)s does not meet the requirements: %(failed)s")
                % {"library": membership.library.name, "failed": failed},
                code="not_eligible",
                errors={"__all__": [verdict_sentence(v.as_dict()) for v in evaluation.failed]},
            )
    from_state = membership.state
    membership.state = transition.to
    membership.eligibility = result
    membership.changed = timezone.now()
    membership.save(update_fields=["state", "eligibility", "changed"])
    _record(membership, action=action, from_state=from_state, actor=actor, note=note, eligibility=result)
    signals.libraries_changed.send(sender=Membership, library_ids=[membership.library_id])
    return membership


# --- agreements -----------------------------------------------------------------

def _agreement_members(network: Network) -> dict[str, Library]:
    """The libraries an agreement of the network may name, by code (`ms.NAMED_IN_AGREEMENTS`)."""
    return {
        m.library.code: m.library
        for m in Membership.objects.filter(network=network, state__in=ms.NAMED_IN_AGREEMENTS).select_related("library")
    }


def _clean_parties(network: Network, coverage: str, relation: str, parties: list[dict]) -> list[tuple[Library, str]]:
    errors: list[str] = []
    out: list[tuple[Library, str]] = []
    seen = set()
    members = _agreement_members(network)
    for party in parties:
        code = party.get("library")
        role = party.get("role") or rules.PartyRole.BOTH
        if role not in {r.value for r in rules.PartyRole}:
            errors.append(_("%(library)s: unknown role %(role)s.") % {"library": code, "role": role})
            continue
        if code not in members:
            errors.append(_("%(library)s is not a member of %(network)s.") % {"library": code, "network": network.name})
            continue
        if code in seen:
            errors.append(_("%(library)s is named twice.") % {"library": code})
            continue
        seen.add(code)
        if relation == rules.Relation.RECIPROCAL:
            role = rules.PartyRole.BOTH
        out.append((members[code], role))
    if coverage == rules.Coverage.NAMED and len(out) < 2:
        errors.append(_("An agreement between named libraries needs at least two parties."))
    if relation == rules.Relation.ONE_WAY:
        roles = {r for _lib, r in out}
        if not (roles & {rules.PartyRole.SUPPLIER, rules.PartyRole.BOTH}) or not (
            roles & {rules.PartyRole.RECIPIENT, rules.PartyRole.BOTH}
        ):
            errors.append(_("A one-way agreement names at least one supplying and one asking library."))
    if errors:
        raise Invalid(" ".join(errors), errors={"parties": errors})
    return out


def _clean_responsibilities(network: Network, items: list[dict], party_codes: set[str] | None) -> list[dict]:
    errors: list[str] = []
    cleaned = []
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=[i.get("library") for i in items])}
    members = _agreement_members(network)
    for n, item in enumerate(items, start=1):
        code, scheme = item.get("library"), item.get("scheme") or "DDC"
        start, end = (item.get("start") or "").strip(), (item.get("end") or "").strip()
        label = _("Responsibility %(n)s") % {"n": n}
        if code not in libraries:
            errors.append(_("%(label)s: unknown library %(library)s.") % {"label": label, "library": code})
            continue
        if code not in members:  # a share of the network's work is for its members, as a party is
            errors.append(_("%(label)s: %(library)s is not a member of %(network)s.")
                          % {"label": label, "library": code, "network": network.name})
            continue
        if party_codes is not None and code not in party_codes:
            errors.append(_("%(label)s: %(library)s is not a party.") % {"label": label, "library": code})
            continue
        try:
            if rules.class_key(scheme, start) > rules.class_key(scheme, end):
                errors.append(_("%(label)s: the range %(start)s–%(end)s runs backwards.") % {"label": label, "start": start, "end": end})
                continue
        except (rules.BadClassNumber, ValueError):
            errors.append(
                _("%(label)s: %(start)s–%(end)s is not a %(scheme)s class range.")
                % {"label": label, "start": start, "end": end, "scheme": scheme}
            )
            continue
        cleaned.append({"library": libraries[code], "scheme": scheme, "start": start, "end": end,
                        "subject": (item.get("subject") or "").strip()})
    if not errors:
        spans = [rules.Responsibility(r["library"].pk, r["scheme"], r["start"], r["end"]) for r in cleaned]
        for a, b in rules.overlapping(spans):
            errors.append(
                _("%(scheme)s %(a0)s–%(a1)s and %(b0)s–%(b1)s overlap: two libraries would do the same work.")
                % {"scheme": a.scheme, "a0": a.start, "a1": a.end, "b0": b.start, "b1": b.end}
            )
    if errors:
        raise Invalid(" ".join(errors), errors={"responsibilities": errors})
    return cleaned


def _clean_services(services) -> list[str]:
    valid = [s.value for s in rules.Service]
    if not services:
        raise Invalid(_("Choose at least one service."), errors={"services": [_("Choose at least one service.")]})
    bad = [s for s in services if s not in valid]
    if bad:
        raise Invalid(
            _("Unknown service(s): %(services)s") % {"services": ", ".join(map(str, bad))},
            errors={"services": [_("Unknown service.")]},
        )
    return [s for s in valid if s in services]


@transaction.atomic
def agreement_save(
    *,
    actor: Principal,
    network: Network,
    data: Mapping[str, Any],
    parties: list[dict] | None = None,
    responsibilities: list[dict] | None = None,
    agreement: Agreement | None = None,
) -> Agreement:
    """Record a new agreement, or replace an existing one's terms, parties and division of labour."""
    if not perm.can_record_agreement(actor, network):
        raise Forbidden(_("You do not coordinate %(network)s.") % {"network": network.name})
    if agreement is not None:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.network_id != network.pk:
            raise Invalid(_("An agreement stays in its network."), errors={"network": [_("Cannot move.")]})
    else:
        agreement = Agreement(network=network, created_by_id=actor.user_id)
    if "shipping_bands" in data:
        data = {**data, "shipping_bands": _bands_as_json(data["shipping_bands"])}
    _assign(agreement, data, AGREEMENT_FIELDS)
    agreement.services = _clean_services(agreement.services)
    _save_valid(agreement, exclude=["network", "created_by"])
    party_list = _clean_parties(network, agreement.coverage, agreement.relation, list(parties or []))
    party_codes = {lib.code for lib, _r in party_list} if agreement.coverage == rules.Coverage.NAMED else None
    resp_list = _clean_responsibilities(network, list(responsibilities or []), party_codes)
    before = set(agreement.parties.values_list("library_id", flat=True)) if agreement.pk else set()
    agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, library=lib, role=role) for lib, role in party_list]
    )
    agreement.responsibilities.all().delete()
    Responsibility.objects.bulk_create([Responsibility(agreement=agreement, **r) for r in resp_list])
    covered = {lib.pk for lib, _r in party_list} if party_codes is not None else set(
        Membership.objects.filter(network=network).values_list("library_id", flat=True))
    signals.libraries_changed.send(sender=Agreement, library_ids=sorted(covered | before))
    return agreement


# --- people -------------------------------------------------------------------

@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    role: str | None = None,
    networks: Iterable[str] = (),
    library: str | None = None,
    superuser: bool = False,
    check_password: bool = True,
):
    """Create an account with its role (coordinator of networks, staff or reader of a library)."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise Conflict(_("The username %(username)s is taken.") % {"username": username})
    first, _sep, last = full_name.partition(" ")
    user = User(username=username, email=email, first_name=first, last_name=last, is_superuser=superuser)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise Invalid(" ".join(exc.messages), errors={"password": list(exc.messages)}) from None
    user.set_password(password)
    networks = list(networks)
    # Coordinators and superusers use the admin site for their data.
    user.is_staff = superuser or role == Role.Kind.COORDINATOR
    try:
        user.full_clean()
    except ValidationError as exc:
        raise invalid_from(exc) from None
    user.save()
    if role == Role.Kind.COORDINATOR:
        if not networks:
            raise Invalid(_("A coordinator needs at least one network."), errors={"networks": [_("Required.")]})
        found = list(Network.objects.filter(code__in=networks))
        missing = set(networks) - {n.code for n in found}
        if missing:
            raise Invalid(_("Unknown network(s): %(codes)s") % {"codes": ", ".join(sorted(missing))},
                          errors={"networks": [_("Unknown network.")]})
        Role.objects.bulk_create([Role(user=user, kind=role, network=n) for n in found])
    elif role in (Role.Kind.STAFF, Role.Kind.READER):
        lib = Library.objects.filter(code=library).first()
        if lib is None:
            raise Invalid(_("Unknown library: %(code)s") % {"code": library}, errors={"library": [_("Unknown library.")]})
        Role.objects.create(user=user, kind=role, library=lib)
    elif role:
        raise Invalid(_("Unknown role: %(role)s") % {"role": role}, errors={"role": [_("Unknown role.")]})
    if user.is_staff and not superuser:
        _grant_admin_permissions(user)
    return user


def _grant_admin_permissions(user) -> None:
    """Coordinators may view and change network data in the admin (filtered to their networks there)."""
    from django.contrib.auth.models import Permission

    perms = Permission.objects.filter(
        content_type__app_label="network",
        codename__in=[
            f"{verb}_{model}"
            for model in ("library", "network", "membership", "agreement", "agreementparty", "responsibility")
            for verb in ("view", "change", "add")
        ],
    )
    user.user_permissions.add(*perms)


def token_create(*, user, name: str = "") -> str:
    """A new API token for a user. The key is shown once; only its hash is stored."""
    key = "jrg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=hash_token(key))
    return key
