"""JSON endpoints for the rules across borders of a network or of one agreement (thin over
`network.borders`, which asks the permission again; the pages are `network.border_pages`).

Reading is public, as the network's and the agreement's pages show their rules to everyone; stating and
lifting a rule is for the network's coordinators only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Status

from jaringan.core import borders as core_borders
from jaringan.core.errors import NotFound

from . import borders, selectors
from .auth import WRITE_AUTH
from .auth import api_principal as _principal
from .models import Agreement, BorderRule, Network
from .schemas import BorderRuleIn, BorderRuleOut
from .texts import border_rule_sentence

router = Router()


def _network(code: str) -> Network:
    network = selectors.network_by_code(code)
    if network is None:
        raise NotFound(_("No network with code %(code)s.") % {"code": code})
    return network


def _agreement(code: str) -> Agreement:
    agreement = selectors.agreement_by_code(code)
    if agreement is None:
        raise NotFound(_("No agreement with code %(code)s.") % {"code": code})
    return agreement


def _out(rule: BorderRule) -> dict:
    return {
        "id": rule.pk, "network": rule.network.code, "agreement": rule.agreement.code if rule.agreement else None,
        "kind": rule.kind, "region": rule.region if rule.kind == core_borders.Kind.LOCAL_CONTENT_STAYS else None,
        "library": rule.library.code if rule.library else None, "note": rule.note,
        "sentence": border_rule_sentence(rule.kind, rule.region, rule.library.name if rule.library else None),
        "created": rule.created,
    }


def _stated(rule: BorderRule) -> BorderRule:
    return BorderRule.objects.select_related("network", "agreement", "library").get(pk=rule.pk)


@router.get("/networks/{code}/rules", response=list[BorderRuleOut], tags=["rules across borders"])
def network_rules(request, code: str):
    """The network's own rules: they bind every agreement of the network."""
    return [_out(r) for r in selectors.border_rules_shown(_network(code))]


@router.post("/networks/{code}/rules", response={201: BorderRuleOut}, auth=WRITE_AUTH,
             tags=["rules across borders"])
def network_rule_add(request, code: str, payload: BorderRuleIn):
    """State a rule binding every agreement of the network (its coordinators only)."""
    rule = borders.border_rule_add(actor=_principal(request), network=_network(code),
                                   data=payload.dict(exclude_none=True))
    return Status(201, _out(_stated(rule)))


@router.delete("/networks/{code}/rules/{rule_id}", response={204: None}, auth=WRITE_AUTH,
               tags=["rules across borders"])
def network_rule_lift(request, code: str, rule_id: int):
    """Lift one of the network's own rules (its coordinators only); an agreement's rule is lifted at the
    agreement's address."""
    borders.border_rule_remove(actor=_principal(request), rule_id=rule_id, network=_network(code), agreement=None)
    return Status(204, None)


@router.get("/agreements/{code}/rules", response=list[BorderRuleOut], tags=["rules across borders"])
def agreement_rules(request, code: str):
    """The rules binding the agreement: its network's (``agreement`` null) and its own."""
    agreement = _agreement(code)
    return [_out(r) for r in selectors.border_rules_shown(agreement.network, agreement)]


@router.post("/agreements/{code}/rules", response={201: BorderRuleOut}, auth=WRITE_AUTH,
             tags=["rules across borders"])
def agreement_rule_add(request, code: str, payload: BorderRuleIn):
    """State a rule of this agreement alone (the coordinators of its network only)."""
    agreement = _agreement(code)
    rule = borders.border_rule_add(actor=_principal(request), network=agreement.network, agreement=agreement,
                                   data=payload.dict(exclude_none=True))
    return Status(201, _out(_stated(rule)))


@router.delete("/agreements/{code}/rules/{rule_id}", response={204: None}, auth=WRITE_AUTH,
               tags=["rules across borders"])
def agreement_rule_lift(request, code: str, rule_id: int):
    """Lift one of the agreement's own rules (the coordinators of its network only)."""
    agreement = _agreement(code)
    borders.border_rule_remove(actor=_principal(request), rule_id=rule_id, network=agreement.network,
                               agreement=agreement)
    return Status(204, None)
