"""Writes: terms, passes, desk checks, loans, renewals, returns, blocks, overdue notices.

Each takes the acting person (``actor``, a ``Principal``) and checks on the server what they may do:
coordinators keep the terms of their networks' agreements; a library's staff enrol and decide its
readers' passes; a host's staff check visitors, lend, renew and take back at their own desk; a reader
applies for their own pass. Every write is one transaction; a loan is decided again inside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.core.reciprocal import desk, passcode
from jaringan.core.reciprocal import terms as core_terms
from jaringan.network.models import Agreement, Library
from jaringan.network.permissions import Principal, coordinates

from . import ledger, notices, selectors
from .models import Block, BorrowingTerms, Category, Collection, Loan, NcipServer, Pass, Visit

#: How long a pass is good for when the home library names no day.
DEFAULT_PASS_DAYS = 365


def _staff_of(actor: Principal, library: Library) -> None:
    if not (actor.is_superuser or library.pk in actor.staff_of):
        raise Forbidden(_("Only the staff of %(library)s may do this.") % {"library": library.name})


def _user(actor: Principal):
    return get_user_model().objects.filter(pk=actor.user_id).first() if actor.user_id else None


# --- terms ----------------------------------------------------------------------------------------------

@transaction.atomic
def terms_save(*, actor: Principal, agreement: Agreement, data: dict) -> BorrowingTerms:
    """An agreement's reciprocal-borrowing terms, made or replaced (the network's coordinators)."""
    if not coordinates(actor, agreement.network_id):
        raise Forbidden(_("You do not coordinate this agreement's network."))
    if "reciprocal" not in agreement.services:
        raise Invalid(_("The agreement does not cover reciprocal borrowing."), code="invalid",
                      errors={"agreement": [_("The agreement does not cover reciprocal borrowing.")]})
    home_codes = [c for c in (data.get("home_libraries") or []) if c]
    homes = list(Library.objects.filter(code__in=home_codes))
    unknown = sorted(set(home_codes) - {lib.code for lib in homes})
    if unknown:
        raise Invalid(_("No such library: %(codes)s") % {"codes": ", ".join(unknown)}, code="invalid",
                      errors={"home_libraries": [_("No such library: %(codes)s") % {"codes": ", ".join(unknown)}]})
    try:
        checked = core_terms.checked(
            agreement_id=agreement.pk, home_libraries=[lib.pk for lib in homes],
            categories=data.get("categories") or [], items_at_a_time=_int(data, "items_at_a_time"),
            loan_days=_int(data, "loan_days"), renewals=_int(data, "renewals"),
            deposit=data.get("deposit") or 0, fee=data.get("fee") or 0, excluded=data.get("excluded") or [],
        )
    except core_terms.BadTerms as exc:
        message = _terms_error(exc.field)
        raise Invalid(message, code="invalid", errors={exc.field: [message]}) from None
    row, _created = BorrowingTerms.objects.update_or_create(agreement=agreement, defaults={
        "categories": sorted(str(c) for c in checked.categories), "items_at_a_time": checked.items_at_a_time,
        "loan_days": checked.loan_days, "renewals": checked.renewals, "deposit": checked.deposit,
        "fee": checked.fee, "excluded": sorted(str(c) for c in checked.excluded)})
    row.home_libraries.set(homes)
    return row


def _int(data: dict, name: str) -> int:
    try:
        return int(data.get(name))
    except (TypeError, ValueError):
        raise Invalid(_terms_error(name), code="invalid", errors={name: [_terms_error(name)]}) from None


def _terms_error(field: str) -> str:
    return {
        "categories": _("Choose at least one reader category."),
        "items_at_a_time": _("Items at a time must be a whole number from 1 to %(n)s.") % {"n": core_terms.MAX_ITEMS},
        "loan_days": _("The loan period must be from 1 to %(n)s days.") % {"n": core_terms.MAX_LOAN_DAYS},
        "renewals": _("Renewals must be a whole number from 0 to %(n)s.") % {"n": core_terms.MAX_RENEWALS},
        "deposit": _("The deposit must be an amount of zero or more."),
        "fee": _("The fee must be an amount of zero or more."),
        "excluded": _("Only the reference, local-content and rare collections can be excluded."),
    }.get(field, _("This value is not allowed."))


# --- passes ---------------------------------------------------------------------------------------------

def _new_pass(**fields) -> Pass:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Pass.objects.create(code=passcode.new_code(), **fields)
        except IntegrityError as exc:
            if "code" not in str(exc).lower() or Pass.objects.filter(**_live(fields)).exists():
                raise Conflict(_("This reader already has a network pass or an application for one."),
                               code="conflict") from None
    raise Conflict(_("No new pass code could be made; try again."), code="conflict")


def _live(fields: dict) -> dict:
    if fields.get("reader") is not None:
        return {"reader": fields["reader"], "state__in": ["applied", "active"]}
    return {"home": fields["home"], "home_user_id": fields.get("home_user_id", ""), "state__in": ["applied", "active"]}


def _category(value: str) -> str:
    if value not in Category.values:
        raise Invalid(_("Choose a reader category."), code="invalid", errors={"category": [_("Choose a reader category.")]})
    return value


@transaction.atomic
def pass_apply(*, actor: Principal, category: str, home_user_id: str = "") -> Pass:
    """A reader applies for a pass; their library's staff decide."""
    if actor.reader_of is None:
        raise Forbidden(_("Only a reader of a member library applies for a network pass."))
    user = _user(actor)
    home = Library.objects.get(pk=actor.reader_of)
    if Pass.objects.filter(reader=user, state__in=["applied", "active"]).exists():
        raise Conflict(_("You already have a network pass or an application for one."), code="conflict")
    return _new_pass(reader=user, reader_name=user.get_full_name() or user.get_username(),
                     reader_email=user.email, home=home, category=_category(category),
                     home_user_id=home_user_id.strip()[:100], state=Pass.State.APPLIED)


@transaction.atomic
def pass_enrol(*, actor: Principal, library: Library, data: dict) -> Pass:
    """A library's staff enrol one of its readers: the pass is valid at once."""
    _staff_of(actor, library)
    reader = None
    username = (data.get("username") or "").strip()
    if username:
        reader = get_user_model().objects.filter(username=username, roles__kind="reader",
                                                 roles__library=library).first()
        if reader is None:
            message = _("%(name)s is not a reader of %(library)s.") % {"name": username, "library": library.name}
            raise Invalid(message, code="invalid", errors={"username": [message]})
    name = (data.get("reader_name") or "").strip() or (reader.get_full_name() or reader.username if reader else "")
    if not name:
        raise Invalid(_("Give the reader's name."), code="invalid", errors={"reader_name": [_("Give the reader's name.")]})
    home_user_id = (data.get("home_user_id") or "").strip()[:100]
    if reader is None and not home_user_id:
        message = _("Give the reader's number at the library, or their account here.")
        raise Invalid(message, code="invalid", errors={"home_user_id": [message]})
    expires = _expiry(data.get("expires"))
    return _new_pass(reader=reader, reader_name=name[:200], reader_email=(data.get("reader_email") or
                     (reader.email if reader else ""))[:254], reader_phone=(data.get("reader_phone") or "")[:40],
                     home=library, category=_category(data.get("category") or ""), home_user_id=home_user_id,
                     state=Pass.State.ACTIVE, expires=expires, decided_at=timezone.now(), decided_by=_user(actor))


def _expiry(value) -> date:
    today = timezone.localdate()
    if not value:
        return today + timedelta(days=DEFAULT_PASS_DAYS)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise Invalid(_("Not a date."), code="invalid", errors={"expires": [_("Not a date.")]}) from None
    if value < today:
        message = _("A pass cannot expire in the past.")
        raise Invalid(message, code="invalid", errors={"expires": [message]})
    return value


def _locked_pass(pk: int) -> Pass:
    holder = Pass.objects.select_for_update().select_related("home").filter(pk=pk).first()
    if holder is None:
        raise NotFound(_("No such pass."), code="not_found")
    return holder


@transaction.atomic
def pass_decide(*, actor: Principal, pass_id: int, approve: bool, expires=None, note: str = "") -> Pass:
    """The home library's staff issue an applied pass, or refuse it (with a note)."""
    holder = _locked_pass(pass_id)
    _staff_of(actor, holder.home)
    if holder.state != Pass.State.APPLIED:
        raise Conflict(_("This pass was already decided."), code="conflict")
    holder.state = Pass.State.ACTIVE if approve else Pass.State.REFUSED
    holder.expires = _expiry(expires) if approve else None
    holder.note = note[:1000]
    holder.decided_at, holder.decided_by = timezone.now(), _user(actor)
    holder.save()
    return holder


@transaction.atomic
def pass_revoke(*, actor: Principal, pass_id: int, note: str = "") -> Pass:
    holder = _locked_pass(pass_id)
    _staff_of(actor, holder.home)
    if holder.state != Pass.State.ACTIVE:
        raise Conflict(_("Only a valid pass can be withdrawn."), code="conflict")
    holder.state, holder.note = Pass.State.REVOKED, note[:1000]
    holder.decided_at, holder.decided_by = timezone.now(), _user(actor)
    holder.save()
    return holder


# --- the desk -------------------------------------------------------------------------------------------

def _holder_for(code: str) -> Pass:
    try:
        printed = passcode.normalise(code)
    except passcode.BadPassCode:
        message = _("This is not a pass code: it was mistyped or misread. Type it again or scan it.")
        raise Invalid(message, code="invalid", errors={"code": [message]}) from None
    holder = selectors.pass_by_code(printed)
    if holder is None:
        message = _("No network pass has this code.")
        raise NotFound(message, code="not_found", errors={"code": [message]})
    return holder


def visit_check(*, actor: Principal, host: Library, code: str, on: date | None = None):
    """The host desk checks a pass: what the desk shows (kept as a visit) and the pass."""
    _staff_of(actor, host)
    holder = _holder_for(code)
    on = on or timezone.localdate()
    view = selectors.desk_view(holder, host, on)
    decision = view.decision
    Visit.objects.create(holder=holder, host=host, agreement_id=decision.agreement_id, on=on, by_id=actor.user_id,
                         allowed=decision.allowed, decision=_jsonable(decision.as_dict()),
                         standing_source=view.standing.source)
    return view, holder


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


class Refused(Conflict):
    """The desk's decision refuses the loan; ``decision`` says why."""

    def __init__(self, message: str, decision: desk.DeskDecision):
        super().__init__(message, code="refused", errors={"reasons": [c.reason for c in decision.failed]})
        self.decision = decision


@transaction.atomic
def loan_create(*, actor: Principal, host: Library, code: str, item_barcode: str, title: str,
                collection: str = Collection.GENERAL) -> Loan:
    """Lend an item to a visitor: decided again now, within the limit and outside the excluded collections."""
    _staff_of(actor, host)
    holder = _holder_for(code)
    Pass.objects.select_for_update().filter(pk=holder.pk).first()  # one lending at a time per pass
    item_barcode, title = (item_barcode or "").strip(), (title or "").strip()
    errors = {}
    if not item_barcode:
        errors["item_barcode"] = [_("Scan or type the item's barcode.")]
    if not title:
        errors["title"] = [_("Give the item's title.")]
    if collection not in Collection.values:
        errors["collection"] = [_("Choose the item's collection.")]
    if errors:
        raise Invalid("; ".join(m for ms in errors.values() for m in ms), code="invalid", errors=errors)
    decision, _standing = selectors.desk_decision(holder, host)
    if not decision.allowed:
        raise Refused(_("This visitor may not borrow here today."), decision)
    if not decision.lends_from(collection):
        if decision.terms.lends_from(collection):
            message = _("The %(collection)s stays in its region under the agreement's rules: it is not lent to "
                        "readers of a library outside it.") % {"collection": Collection(collection).label}
        else:
            message = _("The agreement excludes the %(collection)s from reciprocal loans.") % {
                "collection": Collection(collection).label}
        raise Invalid(message, code="invalid", errors={"collection": [message]})
    visit = Visit.objects.filter(holder=holder, host=host, on=timezone.localdate(), allowed=True).first()
    try:
        with transaction.atomic():
            loan = Loan.objects.create(holder=holder, host=host, agreement_id=decision.agreement_id, visit=visit,
                                       item_barcode=item_barcode[:64], title=title[:500], collection=collection,
                                       lent_by_id=actor.user_id, due=decision.due)
    except IntegrityError:
        message = _("Item %(barcode)s is already out on loan; take it back first.") % {"barcode": item_barcode}
        raise Conflict(message, code="conflict", errors={"item_barcode": [message]}) from None
    ledger.post_loan(loan, decision.terms)  # the fee and the deposit, into the members' ledger
    return loan


def _locked_loan(actor: Principal, loan_id: int) -> Loan:
    loan = Loan.objects.select_for_update().select_related("holder", "host").filter(pk=loan_id).first()
    if loan is None:
        raise NotFound(_("No such loan."), code="not_found")
    _staff_of(actor, loan.host)
    return loan


@transaction.atomic
def loan_renew(*, actor: Principal, loan_id: int) -> Loan:
    """Renew a loan at the host: within the agreement's renewals, and not for a blocked reader."""
    loan = _locked_loan(actor, loan_id)
    if loan.returned_at is not None:
        raise Conflict(_("This item has already come back."), code="conflict")
    row = BorrowingTerms.objects.filter(agreement_id=loan.agreement_id).first()
    allowed = row.renewals if row else 0
    if loan.renewals >= allowed:
        raise Conflict(_("No renewals are left under the agreement (%(n)s allowed).") % {"n": allowed},
                       code="conflict")
    today = timezone.localdate()
    if selectors.active_blocks(loan.holder, today):
        raise Conflict(_("The reader is blocked: the loan cannot be renewed."), code="conflict")
    loan.due = desk.due_after_renewal(loan.due, today, row.loan_days)
    loan.renewals += 1
    loan.overdue_noticed_at = None
    loan.save(update_fields=["due", "renewals", "overdue_noticed_at"])
    return loan


@transaction.atomic
def loan_return(*, actor: Principal, loan_id: int) -> Loan:
    loan = _locked_loan(actor, loan_id)
    if loan.returned_at is not None:
        raise Conflict(_("This item has already come back."), code="conflict")
    loan.returned_at, loan.returned_by_id = timezone.now(), actor.user_id
    loan.save(update_fields=["returned_at", "returned_by"])
    ledger.post_return(loan)  # the deposit, owed back to the home library
    return loan


# --- blocks ---------------------------------------------------------------------------------------------

@transaction.atomic
def block_create(*, actor: Principal, library: Library, pass_id: int, reason: str, until=None) -> Block:
    """A member blocks a pass holder, network-wide: their home library, or a library they borrowed at."""
    _staff_of(actor, library)
    holder = _locked_pass(pass_id)
    if holder.home_id != library.pk and not Loan.objects.filter(holder=holder, host=library).exists():
        raise Forbidden(_("Only the reader's home library, or a library they borrowed at, may block them."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the reader is blocked."), code="invalid",
                      errors={"reason": [_("Say why the reader is blocked.")]})
    if isinstance(until, str) and until:
        try:
            until = date.fromisoformat(until)
        except ValueError:
            raise Invalid(_("Not a date."), code="invalid", errors={"until": [_("Not a date.")]}) from None
    return Block.objects.create(holder=holder, library=library, reason=reason[:300], until=until or None,
                                created_by_id=actor.user_id)


@transaction.atomic
def block_lift(*, actor: Principal, block_id: int) -> Block:
    block = Block.objects.select_for_update().select_related("library").filter(pk=block_id).first()
    if block is None:
        raise NotFound(_("No such block."), code="not_found")
    _staff_of(actor, block.library)
    if block.lifted_at is not None:
        raise Conflict(_("This block was already lifted."), code="conflict")
    block.lifted_at, block.lifted_by_id = timezone.now(), actor.user_id
    block.save(update_fields=["lifted_at", "lifted_by"])
    return block


# --- a member's own NCIP server ------------------------------------------------------------------------

@transaction.atomic
def ncip_server_save(*, actor: Principal, library: Library, url: str, agency_id: str, shared_secret: str = "",
                     timeout: float | str = 5, active: bool = True) -> NcipServer | None:
    """Where the desk asks for the standing of ``library``'s readers (its staff); an empty address removes it.

    The secret is kept when none is given: it is never shown again once saved."""
    from django.core.validators import URLValidator
    from django.core.exceptions import ValidationError

    from jaringan import outbound

    _staff_of(actor, library)
    url, agency_id = (url or "").strip(), (agency_id or "").strip()
    if not url:
        NcipServer.objects.filter(library=library).delete()
        return None
    errors = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = [_("Give the http(s) address of the NCIP server.")]
    if not agency_id:
        errors["agency_id"] = [_("Give the library's agency id in NCIP messages.")]
    elif NcipServer.objects.filter(agency_id=agency_id).exclude(library=library).exists():
        errors["agency_id"] = [_("Another library uses this agency id.")]
    try:
        timeout = float(timeout)
        if not 0.5 <= timeout <= 30:
            raise ValueError
    except (TypeError, ValueError):
        errors["timeout"] = [_("Wait between 0.5 and 30 seconds.")]
    if errors:
        raise Invalid("; ".join(m for ms in errors.values() for m in ms), code="invalid", errors=errors)
    outbound.address_check(url, field="url")
    defaults = {"url": url[:500], "agency_id": agency_id[:100], "timeout": timeout, "active": bool(active)}
    if (shared_secret or "").strip():  # empty keeps the secret already agreed (it is never shown again)
        defaults["shared_secret"] = shared_secret.strip()[:200]
    server, _created = NcipServer.objects.update_or_create(library=library, defaults=defaults)
    return server


# --- the scheduled work ---------------------------------------------------------------------------------

def overdue_tick(today: date | None = None) -> list[int]:
    """Loans past their due date are noticed once: the reader and the home library hear of it."""
    today = today or timezone.localdate()
    noticed = []
    for loan_id in Loan.objects.filter(returned_at__isnull=True, due__lt=today,
                                       overdue_noticed_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            # Only the process that marks the loan sends the notice: never twice for one overdue.
            if not Loan.objects.filter(pk=loan_id, overdue_noticed_at__isnull=True).update(
                    overdue_noticed_at=timezone.now()):
                continue
            loan = Loan.objects.select_related("holder", "holder__home", "holder__reader", "host").get(pk=loan_id)
            notices.notify_overdue(loan)
            noticed.append(loan_id)
    return noticed
