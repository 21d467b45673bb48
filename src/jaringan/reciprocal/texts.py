"""Words for the desk's reason ids, in the reader's language."""

from __future__ import annotations

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats
from django.utils.translation import gettext as _

from jaringan.core.reciprocal import desk
from jaringan.interop.ncip import client
from jaringan.network.models import Agreement, Library
from jaringan.network.texts import REFUSAL_LABELS

from .models import Category, Collection, Pass


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def check_text(check: desk.Check, libraries: dict[int, Library], agreements: dict[int, Agreement]) -> str:
    """One check of the desk's decision, as a sentence."""
    p = check.params
    agreement = agreements.get(p.get("agreement_id"))
    library = libraries.get(p.get("library_id"))
    r = check.reason
    if r == desk.PASS_ACTIVE:
        return _("The pass is valid.")
    if r == desk.PASS_NOT_ACTIVE:
        return _("The pass is %(state)s, not valid.") % {"state": Pass.State(p["state"]).label}
    if r == desk.PASS_VALID:
        return (_("The pass is good until %(day)s.") % {"day": _day(p["expires"])} if p.get("expires")
                else _("The pass has no end date."))
    if r == desk.PASS_EXPIRED:
        return _("The pass expired on %(day)s.") % {"day": _day(p["expires"])}
    if r == desk.OWN_LIBRARY:
        return _("This is the reader's own library: they borrow here as its reader, not with a network pass.")
    if r == desk.AGREEMENT_ADMITS:
        return _("Admitted under %(agreement)s.") % {"agreement": agreement.title if agreement else "—"}
    where = (" " + _("(%(agreement)s)") % {"agreement": agreement.title}) if agreement else ""
    if r == desk.NO_BORROWING_TERMS:
        return _("The agreement covers reciprocal borrowing but sets no borrowing terms yet.") + where
    if r == desk.HOME_NOT_ADMITTED:
        return _("The agreement does not admit readers of the visitor's library.") + where
    if r == desk.CATEGORY_NOT_ADMITTED:
        return _("The agreement does not admit readers of the visitor's category.") + where
    if r == desk.LOCAL_CONTENT_KEPT:
        return _("Not from the local-content collection: the agreement's rules keep it in its region, and the "
                 "visitor's library lies outside it.") + where
    if r == desk.LAST_RESORT_HOST:
        return _("This library is the network's last resort for interlibrary loans. The visitor may borrow here "
                 "under the agreement; for a title their own library or another member holds, point them there "
                 "first.") + where
    if r in REFUSAL_LABELS:
        return str(REFUSAL_LABELS[r]) + where
    if r == desk.GOOD_STANDING:
        return (_("In good standing at the home library (its own system, over NCIP).") if p.get("source") == "ncip"
                else _("In good standing at the home library."))
    if r == desk.STANDING_UNKNOWN:
        return {
            client.UNREACHABLE: _("The home library's system did not answer: its standing is unknown."),
            client.REFUSED: _("The home library's system may not be reached from this server."),
            client.NOT_NCIP: _("The home library's system gave an answer that is not NCIP."),
        }.get(p.get("error"), _("The reader's standing is unknown."))
    if r == desk.READER_NOT_FOUND:
        return _("The home library's system does not know this reader.")
    if r == desk.BLOCKED:
        who = library.name if library else _("the home library's system")
        note = f" ({p['note']})" if p.get("note") else ""
        if p.get("until"):
            return _("Blocked by %(library)s until %(day)s.") % {"library": who, "day": _day(p["until"])} + note
        return _("Blocked by %(library)s until the block is lifted.") % {"library": who} + note
    if r == desk.OVERDUE_ILL:
        return _("Has %(n)s overdue interlibrary loans.") % {"n": p["count"]}
    if r == desk.OVERDUE_RECIPROCAL:
        return _("Has %(n)s overdue loans.") % {"n": p["count"]}
    if r == desk.ITEMS_LEFT:
        return _("May take %(left)s more items (%(out)s of %(limit)s out here).") % p
    if r == desk.LIMIT_REACHED:
        return _("Already holds %(out)s items here, the most allowed (%(limit)s).") % p
    return r


def decision_lines(decision: desk.DeskDecision, libraries: dict[int, Library] | None = None,
                   agreements: dict[int, Agreement] | None = None) -> tuple[list[dict], dict[int, Agreement]]:
    """The checks as lines to show (sentence, passed, group), and the agreements they name.

    ``libraries`` and ``agreements`` (by id) already read are used as they are; only the others are read."""
    libraries, agreements = dict(libraries or {}), dict(agreements or {})
    library_ids = {c.params.get("library_id") for c in decision.checks} - {None} - set(libraries)
    agreement_ids = {c.params.get("agreement_id") for c in decision.checks} - {None} - set(agreements)
    if library_ids:
        libraries.update(Library.objects.in_bulk(library_ids))
    if agreement_ids:
        agreements.update(Agreement.objects.in_bulk(agreement_ids))
    return [{"text": check_text(c, libraries, agreements), "passed": c.passed, "group": c.group}
            for c in decision.checks], agreements


def categories_text(values) -> str:
    return ", ".join(str(Category(v).label) for v in values if v in Category.values)


def collections_text(values) -> str:
    return ", ".join(str(Collection(v).label) for v in values if v in Collection.values)


def rupiah(amount) -> str:
    return f"Rp {intcomma(int(amount))}"
