"""What coordinators, libraries and people set: a network's routing weights, the peers (other systems) that
serve libraries and the agency ids that name them in messages, a person's notice settings."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core.ill import lifecycle
from jaringan.core.ill.routing import Weights
from jaringan.core.errors import Conflict, Forbidden, Invalid
from jaringan.network.models import Library, Network
from jaringan.network.permissions import Principal, acts_for_library, coordinates, coordinates_library
from jaringan.outbound import address_check
from jaringan.plaintext import refuse_controls

from .. import conf
from ..models import AgencyId, NoticeSettings, Origin, Peer, RoutingWeights
from ..sms import normalise_phone


# --- routing ----------------------------------------------------------------------------------

@transaction.atomic
def routing_weights_save(*, actor: Principal, network: Network, weights: dict) -> RoutingWeights:
    """A network's coordinator sets its routing weights (names of `core.ill.routing.Weights`)."""
    if not coordinates(actor, network):
        raise Forbidden(_("You do not coordinate %(network)s.") % {"network": network.name})
    try:
        checked = Weights.from_mapping(weights)
    except (ValueError, TypeError) as exc:
        raise Invalid(str(exc), errors={"weights": [str(exc)]}) from None
    stored = {k: v for k, v in checked.as_dict().items() if k in weights}
    row, _created = RoutingWeights.objects.update_or_create(
        network=network, defaults={"weights": stored, "updated": timezone.now(), "updated_by_id": actor.user_id})
    return row

# --- peers and names in messages ------------------------------------------------------------------

@transaction.atomic
def peer_save(*, actor: Principal, library: Library, url: str, agency_id_type: str = "",
              agency_id_value: str = "", security_code: str | None = None, timeout: float | None = None,
              active: bool = True, note: str = "", shared_secret: str | None = None) -> Peer:
    """Say that another system serves ``library``: its requests and answers go to ``url`` as ISO 18626."""
    if not coordinates_library(actor, library):
        raise Forbidden(_("Only a coordinator of %(library)s's networks may say where it is served.")
                        % {"library": library.name})
    refuse_controls({"url": url, "agency_id_type": agency_id_type, "agency_id_value": agency_id_value,
                     "security_code": security_code, "note": note}, texts={"note"})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise Invalid(_("%(url)s is not an http(s) address.") % {"url": url}, errors={"url": [_("Not a URL.")]}) \
            from None
    address_check(url, field="url")
    if library.ill_borrowing.exclude(state__in=lifecycle.FINAL).filter(origin=Origin.LOCAL).exists():
        raise Conflict(_("%(library)s has open requests made here; finish them first.") % {"library": library.name},
                       code="open_requests")
    kind, value = (agency_id_type or conf.agency_type()).strip(), (agency_id_value or library.code).strip()
    clash = Peer.objects.filter(agency_id_type=kind, agency_id_value=value).exclude(library=library).first()
    if clash is not None or AgencyId.objects.filter(id_type=kind, id_value=value).exclude(library=library).exists():
        raise Conflict(_("The agency id %(agency)s already names another library.") % {"agency": f"{kind}:{value}"},
                       code="agency_taken")
    peer, _created = Peer.objects.update_or_create(library=library, defaults={
        "url": url, "agency_id_type": kind, "agency_id_value": value, "active": active, "note": note,
        **({"security_code": security_code} if security_code is not None else {}),
        **({"shared_secret": shared_secret.strip()} if shared_secret is not None else {}),
        **({"timeout": float(timeout)} if timeout else {}),
    })
    return peer


@transaction.atomic
def agency_id_add(*, actor: Principal, library: Library, id_type: str, id_value: str) -> AgencyId:
    """Give a library another name in ISO 18626 messages (an ISIL, a ReShare symbol …)."""
    if not acts_for_library(actor, library):
        raise Forbidden(_("You may not name %(library)s.") % {"library": library.name})
    refuse_controls({"id_type": id_type, "id_value": id_value})
    id_type, id_value = id_type.strip(), id_value.strip()
    if not id_type or not id_value:
        raise Invalid(_("Give the agency id's type and value."), errors={"id_value": [_("Required.")]})
    taken = AgencyId.objects.filter(id_type=id_type, id_value=id_value).exclude(library=library).exists() or \
        Peer.objects.filter(agency_id_type=id_type, agency_id_value=id_value).exclude(library=library).exists()
    if taken:
        raise Conflict(_("The agency id %(agency)s already names another library.")
                       % {"agency": f"{id_type}:{id_value}"}, code="agency_taken")
    found, _created = AgencyId.objects.get_or_create(library=library, id_type=id_type, id_value=id_value)
    return found


# --- notices ----------------------------------------------------------------------------------

@transaction.atomic
def notice_settings_save(*, actor: Principal, language: str | None = None, phone: str | None = None,
                         email: bool | None = None, sms: bool | None = None) -> NoticeSettings:
    """A person's own notice settings: language, mobile number, e-mail and SMS on or off."""
    if actor.user_id is None:
        raise Forbidden(_("Sign in first."))
    row, _created = NoticeSettings.objects.get_or_create(user_id=actor.user_id)
    if language is not None:
        if language and language not in {code for code, _name in django_settings.LANGUAGES}:
            raise Invalid(_("Unknown language: %(language)s") % {"language": language},
                          errors={"language": [_("Unknown language.")]})
        row.language = language
    if phone is not None:
        if phone and normalise_phone(phone) is None:
            raise Invalid(_("%(phone)s is not a telephone number.") % {"phone": phone},
                          errors={"phone": [_("Not a telephone number.")]})
        row.phone = phone
    if email is not None:
        row.email = email
    if sms is not None:
        row.sms = sms
    if row.sms and not row.phone:
        raise Invalid(_("Give a mobile number to receive SMS."), errors={"phone": [_("Required for SMS.")]})
    row.save()
    return row
