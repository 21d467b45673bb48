"""Words for the core's codes, in the reader's language.

The core speaks in codes (`collection_too_small`, `wrong_direction`); this
module turns them into sentences through Django's i18n.
"""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jaringan.core import agreements as rules
from jaringan.core import borders
from jaringan.core import eligibility as elig
from jaringan.core import membership as ms

REQUIREMENT_LABELS = {
    elig.Requirement.COLLECTION: gettext_lazy("Has a collection"),
    elig.Requirement.OPEN_TO_OUTSIDERS: gettext_lazy("Collection open to outsiders"),
    elig.Requirement.FIXED_BUDGET: gettext_lazy("Fixed budget"),
    elig.Requirement.STAFF: gettext_lazy("Staff to run it"),
}

ACTION_LABELS = {
    ms.Action.ADMIT: gettext_lazy("admit"),
    ms.Action.REJECT: gettext_lazy("reject"),
    ms.Action.SUSPEND: gettext_lazy("suspend"),
    ms.Action.REINSTATE: gettext_lazy("reinstate"),
    ms.Action.WITHDRAW: gettext_lazy("withdraw"),
    ms.Action.REAPPLY: gettext_lazy("apply again"),
    "apply": gettext_lazy("apply"),
}

SERVICE_LABELS = {
    rules.Service.LOAN: gettext_lazy("Interlibrary loan (returnables)"),
    rules.Service.COPY: gettext_lazy("Copies (articles, chapters)"),
    rules.Service.RECIPROCAL: gettext_lazy("Reciprocal borrowing"),
    rules.Service.CATALOGUING: gettext_lazy("Shared cataloguing"),
    rules.Service.ACQUISITION: gettext_lazy("Cooperative acquisition"),
}

STATUS_LABELS = {
    rules.Status.ACTIVE: gettext_lazy("active"),
    rules.Status.UPCOMING: gettext_lazy("upcoming"),
    rules.Status.EXPIRED: gettext_lazy("expired"),
}

REFUSAL_LABELS = {
    rules.SAME_LIBRARY: gettext_lazy("A library does not request from itself."),
    rules.NOT_STARTED: gettext_lazy("The agreement has not started yet."),
    rules.ENDED: gettext_lazy("The agreement has ended."),
    rules.SERVICE_NOT_IN_SCOPE: gettext_lazy("The agreement does not cover this service."),
    rules.REQUESTER_NOT_PARTY: gettext_lazy("The requesting library is not a party to the agreement."),
    rules.SUPPLIER_NOT_PARTY: gettext_lazy("The supplying library is not a party to the agreement."),
    rules.REQUESTER_NOT_MEMBER: gettext_lazy("The requesting library is not an admitted member of the network."),
    rules.SUPPLIER_NOT_MEMBER: gettext_lazy("The supplying library is not an admitted member of the network."),
    rules.WRONG_DIRECTION: gettext_lazy("The agreement runs one way only, and not in this direction."),
    rules.NO_AGREEMENT: gettext_lazy("No agreement links these two libraries."),
    borders.OUTSIDE_PROVINCE: gettext_lazy("Its rules lend only within one province, and the two libraries lie "
                                           "in different provinces."),
    borders.ACROSS_COUNTRY: gettext_lazy("Its rules never lend across a national border, and the two libraries "
                                         "lie in different countries."),
    borders.LOCAL_CONTENT: gettext_lazy("What is asked is held only in the lender's local-content collection, "
                                        "which its rules keep in its region; the requesting library lies outside it."),
    borders.PLACE_UNKNOWN: gettext_lazy("Its border rules need to know where both libraries are, and one of them "
                                        "has no province recorded."),
}


def verdict_sentence(verdict: dict) -> str:
    """One eligibility verdict as a sentence naming the figures that decided it."""
    p = verdict.get("params", {})
    reason = verdict.get("reason")
    if reason == elig.COLLECTION_OK:
        return _("Has a collection of %(size)s volumes.") % {"size": intcomma(p.get("size", 0))}
    if reason == elig.COLLECTION_TOO_SMALL:
        return _("Collection of %(size)s volumes is below the network's minimum of %(minimum)s.") % {
            "size": intcomma(p.get("size", 0)), "minimum": intcomma(p.get("minimum", 1))}
    if reason == elig.OPEN_OK:
        return _("The collection is open to users from outside.")
    if reason == elig.OPEN_CLOSED:
        return _("The collection is closed to users from outside.")
    if reason == elig.BUDGET_OK:
        return _("Has a fixed annual budget.")
    if reason == elig.BUDGET_NOT_FIXED:
        return _("Has no fixed budget.")
    if reason == elig.BUDGET_MISSING:
        return _("The budget is said to be fixed, but no annual amount is given.")
    if reason == elig.STAFF_OK:
        return _("Has %(staff)s staff to run it.") % {"staff": p.get("staff", 0)}
    if reason == elig.STAFF_TOO_FEW:
        return _("Has %(staff)s staff; the network asks for at least %(minimum)s.") % {
            "staff": p.get("staff", 0), "minimum": p.get("minimum", 1)}
    return str(reason)


def verdict_rows(eligibility: list[dict]) -> list[dict]:
    """Eligibility results ready for a template: label, passed, sentence."""
    return [
        {
            "requirement": v["requirement"],
            "label": REQUIREMENT_LABELS.get(v["requirement"], v["requirement"]),
            "passed": v["passed"],
            "sentence": verdict_sentence(v),
        }
        for v in eligibility
    ]


def service_labels(services: list[str]) -> list[str]:
    return [str(SERVICE_LABELS.get(s, s)) for s in services]


def action_label(action: str) -> str:
    """A membership action as pages and messages name it, in the reader's language."""
    return str(ACTION_LABELS.get(action, action))


def border_rule_sentence(kind: str, region: str = "", library_name: str | None = None) -> str:
    """A border rule as a sentence (`core.borders`)."""
    if kind == borders.Kind.SAME_PROVINCE:
        return _("Lends only between libraries of the same province.")
    if kind == borders.Kind.SAME_COUNTRY:
        return _("Never lends across a national border.")
    if kind == borders.Kind.LOCAL_CONTENT_STAYS:
        return {
            borders.Region.ISLAND: _("Local content is lent only within its island group (a copy may go anywhere)."),
            borders.Region.COUNTRY: _("Local content is lent only within its country (a copy may go anywhere)."),
        }.get(region, _("Local content is lent only within its province (a copy may go anywhere)."))
    if kind == borders.Kind.LAST_RESORT:
        if library_name:
            return _("%(library)s is asked only as the last resort, after every other lender.") % {
                "library": library_name}
        return _("A national library is asked only as the last resort, after every other lender.")
    return kind


def border_rule_rows(rules) -> list[dict]:
    """Border rules as the pages show them: the sentence, whose rule it is (the agreement, or None for the
    network's), the rule itself (its note)."""
    return [{"rule": r, "sentence": border_rule_sentence(r.kind, r.region, r.library.name if r.library else None),
             "agreement": r.agreement} for r in rules]
