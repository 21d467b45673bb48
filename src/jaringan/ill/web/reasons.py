"""The rota in words: why each lender stands where it does, why a library was left out, what a quote's lines
are (the routing core and the fees give codes and figures; these are the sentences a librarian reads)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jaringan.core.ill import fees
from jaringan.core.ill import routing as core_routing
from jaringan.network.models import Agreement, Library
from jaringan.network.texts import REFUSAL_LABELS

from ..models import RotaEntry
from ..texts import OUTCOME_LABELS, REASON_LABELS
from .screens import rupiah


def _days(value) -> str:
    return number_format(value, 1) if value is not None else "—"


def _delivery_word(delivery: str) -> str:
    return _("as a scan") if delivery == core_routing.DIGITAL else _("by post or courier")


def reason_sentence(reason: dict) -> str:
    """One component of a lender's score as a sentence with its figures."""
    code, p = reason.get("code"), reason.get("params") or {}
    if code == core_routing.HOLDINGS:
        n = int(p.get("items") or 0)
        return ngettext("Holds %(n)s copy.", "Holds %(n)s copies.", n) % {"n": n}
    if code == core_routing.FILL_RATE:
        return _("Supplied %(filled)s of the %(asked)s requests it received in the last year; "
                 "its expected fill rate is %(rate)s%%.") % {
            "filled": p.get("filled", 0), "asked": p.get("asked", 0),
            "rate": number_format(100 * float(p.get("rate") or 0), 0)}
    if code == core_routing.EDITION:
        return _("Holds another edition of the work, not the one asked for.")
    if code == core_routing.DISTANCE:
        crossings = int(p.get("crossings") or 0)
        sea = ngettext("%(n)s sea crossing", "%(n)s sea crossings", crossings) % {"n": crossings}
        if p.get("km") is None:
            return _("Distance unknown (%(sea)s); sent %(how)s.") % {
                "sea": sea, "how": _delivery_word(p.get("delivery"))}
        return _("%(km)s km away with %(sea)s; sent %(how)s.") % {
            "km": number_format(p["km"], 0, force_grouping=True), "sea": sea, "how": _delivery_word(p.get("delivery"))}
    if code == core_routing.LOAD:
        return _("Has %(open)s lending requests open, for room for about %(capacity)s.") % {
            "open": p.get("open", 0), "capacity": number_format(p.get("capacity") or 0, 0)}
    if code == core_routing.BALANCE:
        return _("Lent %(lent)s and borrowed %(borrowed)s in the last year; a library that lends more "
                 "than it borrows is asked a little less.") % {
            "lent": p.get("lent", 0), "borrowed": p.get("borrowed", 0)}
    if code == core_routing.FAIR_SHARE:
        return _("Lent %(lent)s in the last year; its fair share is %(share)s: the %(network)s loans and copies "
                 "the network's members supplied, shared evenly among the %(lenders)s members able to lend. A "
                 "library that lent more than its share is asked later, one that lent less sooner.") % {
            "lent": number_format(p.get("lent", 0), 0, force_grouping=True),
            "share": number_format(p.get("share") or 0, 0, force_grouping=True),
            "network": number_format(p.get("network_lent", 0), 0, force_grouping=True),
            "lenders": p.get("lenders", 0)}
    if code == core_routing.FEE:
        text = _("Costs the requesting library %(cost)s under the agreement.") % {"cost": rupiah(p.get("cost") or 0)}
        if p.get("shipping_agreed") is False:
            text += " " + _("Shipping is not priced by the agreement: it is paid at cost.")
        return text
    if code == core_routing.LAST_RESORT:
        return _("The last resort under the network's rules: asked only after every other lender, "
                 "whatever its score.")
    if code == core_routing.TURNAROUND:
        if p.get("median_days") is None:
            return _("Has not shipped through the network yet; about %(days)s days to ship are assumed.") % {
                "days": _days(p.get("expected_days"))}
        return _("Shipped in %(median)s days (median of %(n)s shipments); about %(days)s days are expected.") % {
            "median": _days(p.get("median_days")), "n": p.get("shipments", 0), "days": _days(p.get("expected_days"))}
    return str(REASON_LABELS.get(code, code))


def excluded_sentence(x: dict, agreement_titles: dict[int, str] | None = None) -> str:
    """Why a library was left out of the rota, as a sentence."""
    code, p = x.get("code"), x.get("params") or {}
    if code == core_routing.SAME_LIBRARY:
        return _("It is the requesting library itself.")
    if code == core_routing.ALREADY_ASKED:
        return _("It was already asked for this request.")
    if code == core_routing.NOT_HELD:
        return _("It holds no copy to lend.")
    if code == core_routing.SERVICE_NOT_OFFERED:
        return _("It does not offer this service (%(service)s).") % {"service": p.get("service", "")}
    if code == core_routing.NOT_COVERED:
        why = []
        for refusal in p.get("refusals") or []:
            reason = str(REFUSAL_LABELS.get(refusal.get("reason"), refusal.get("reason")))
            title = (agreement_titles or {}).get(refusal.get("agreement_id"))
            why.append(f"{title}: {reason}" if title else reason)
        return _("No agreement covers a request from this library to it.") + (" " + " ".join(why) if why else "")
    if code == core_routing.OVER_MAX_COST:
        return _("It would cost %(cost)s, more than the most of %(max)s the requesting library will pay.") % {
            "cost": rupiah(p.get("cost")), "max": rupiah(p.get("max"))}
    return str(REASON_LABELS.get(code, code))


def quote_sentence(line: dict) -> str:
    """One line of a quote (fee or shipping) as words."""
    code, p = line.get("code"), line.get("params") or {}
    km = p.get("km")
    distance = _("%(km)s km") % {"km": number_format(km, 0, force_grouping=True)} if km is not None \
        else _("distance unknown")
    payer = {"requester": _("paid by the requesting library"), "supplier": _("paid by the lender"),
             "shared": _("shared half and half")}.get(p.get("paid_by"), "")
    if code == fees.LOAN_FEE:
        text = _("Loan fee")
    elif code == fees.COPY_FEE:
        text = _("Copy fee: %(pages)s pages at Rp %(per_page)s") % {
            "pages": p.get("pages", 0), "per_page": p.get("per_page", "0")}
    elif code == fees.SHIPPING_OUT:
        text = _("Shipping to the requesting library (%(distance)s), %(payer)s") % {
            "distance": distance, "payer": payer}
    elif code == fees.SHIPPING_RETURN:
        text = _("Shipping back to the lender (%(distance)s), %(payer)s") % {"distance": distance, "payer": payer}
    elif code == fees.SHIPPING_NOT_AGREED:
        return _("Shipping (%(distance)s) is not priced by the agreement: paid at cost.") % {"distance": distance}
    else:
        text = str(code)
    if p.get("free") and code in (fees.LOAN_FEE, fees.COPY_FEE):
        text += " — " + _("waived: within the agreement's free requests this year")
    return f"{text}: {rupiah(line.get('amount', 0))}"


def rota_rows(entries: list[RotaEntry]) -> list[dict]:
    """The rota, each lender with the sentences of its reasons and its quote."""
    rows = []
    for e in entries:
        rows.append({
            "entry": e,
            "outcome": str(OUTCOME_LABELS.get(e.outcome, e.outcome)),
            "reasons": [{"sentence": reason_sentence(r), "points": r.get("points", 0), "code": r.get("code")}
                        for r in e.reasons],
            "quote": [quote_sentence(line) for line in e.quote],
            "cost": rupiah(e.cost),
        })
    return rows


def excluded_rows(excluded: list[dict]) -> list[dict]:
    ids = {r.get("agreement_id") for x in excluded for r in (x.get("params") or {}).get("refusals") or []}
    titles = dict(Agreement.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "title"))
    names = dict(Library.objects.filter(code__in=[x.get("library") for x in excluded if x.get("library")])
                 .values_list("code", "name"))
    return [{"code": x.get("library"), "name": names.get(x.get("library"), x.get("library")),
             "sentence": excluded_sentence(x, titles)} for x in excluded]
