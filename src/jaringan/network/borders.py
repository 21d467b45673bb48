"""The writes of border rules: a network's coordinator states who may lend to whom beyond membership.

A rule belongs to a network (binding every agreement of it) or to one of its agreements
(`core.borders` says what each kind means). Only a coordinator of that network adds or removes one;
each write is one transaction and a rule that cannot be stated is refused with the field named.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jaringan.core import borders
from jaringan.core import membership as ms
from jaringan.core.errors import Forbidden, Invalid, NotFound

from . import permissions as perm
from .models import Agreement, BorderRule, Library, Membership, Network
from .permissions import Principal


def _refused(field: str, message: str) -> Invalid:
    return Invalid(message, errors={field: [message]})


def _why(kind: str, field: str) -> str:
    if field == "kind":
        return _("Choose one of the rules.")
    if field == "region":
        if kind == borders.Kind.LOCAL_CONTENT_STAYS:
            return _("Choose how far local content may go: its province, its island group or its country.")
        return _("Only the local-content rule takes a region.")
    return _("Only the last-resort rule names a library.")


def _library(network: Network, code: str) -> Library | None:
    if not code:
        return None
    library = Library.objects.filter(code=code).first()
    if library is None or not Membership.objects.filter(network=network, library=library,
                                                        state__in=ms.NAMED_IN_AGREEMENTS).exists():
        raise _refused("library", _("%(code)s is not a member of %(network)s.") % {"code": code,
                                                                                   "network": network.name})
    return library


@transaction.atomic
def border_rule_add(*, actor: Principal, network: Network, data: Mapping[str, Any],
                    agreement: Agreement | None = None) -> BorderRule:
    """State a rule for the network (or for one of its agreements): ``kind``, and ``region`` or ``library``
    (a member's code) as the kind takes them, and an optional ``note``."""
    if not perm.coordinates(actor, network):
        raise Forbidden(_("You do not coordinate %(network)s.") % {"network": network.name})
    if agreement is not None and agreement.network_id != network.pk:
        raise _refused("agreement", _("The agreement belongs to another network."))
    unknown = set(data) - {"kind", "region", "library", "note"}
    if unknown:
        raise Invalid(_("Unknown field(s): %(fields)s") % {"fields": ", ".join(sorted(unknown))},
                      errors={f: [_("Unknown field.")] for f in sorted(unknown)})
    kind = str(data.get("kind") or "")
    region = str(data.get("region") or "")
    library = _library(network, str(data.get("library") or "").strip().upper())
    try:
        rule = borders.checked(kind, region=region or None, library_id=library.pk if library else None)
    except borders.BadRule as exc:
        raise _refused(exc.field, _why(kind, exc.field)) from None
    stored_region = rule.region if rule.kind is borders.Kind.LOCAL_CONTENT_STAYS else ""
    same = BorderRule.objects.filter(network=network, agreement=agreement, kind=rule.kind,
                                     region=stored_region, library=library)
    if same.exists():
        raise _refused("kind", _("This rule is already stated."))
    note = str(data.get("note") or "").strip()
    if len(note) > 300:
        raise _refused("note", _("Keep the note under 300 characters."))
    return BorderRule.objects.create(network=network, agreement=agreement, kind=rule.kind, region=stored_region,
                                     library=library, note=note, created_by_id=actor.user_id)


_ANY = object()


@transaction.atomic
def border_rule_remove(*, actor: Principal, rule_id: int, network: Network | None = None,
                       agreement: Agreement | None | object = _ANY) -> BorderRule:
    """Lift a rule (a coordinator of its network only).

    ``network`` and ``agreement``, when given, are where the caller found the rule: one of another network,
    or (``agreement`` given, None meaning the network's own) of another agreement, is not found there.
    """
    rule = BorderRule.objects.select_for_update().select_related("network").filter(pk=rule_id).first()
    if rule is None or (network is not None and rule.network_id != network.pk) or (
            agreement is not _ANY and rule.agreement_id != (agreement.pk if agreement is not None else None)):
        raise NotFound(_("No such rule."))
    if not perm.coordinates(actor, rule.network):
        raise Forbidden(_("You do not coordinate %(network)s.") % {"network": rule.network.name})
    rule.delete()
    return rule
