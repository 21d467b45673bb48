"""The host desk's question: may this visitor borrow here today, how many items, until when — and why not.

`decide` is pure. The caller passes the visitor's pass, the host, the day, the agreements of the networks
both libraries share (each with its reciprocal-borrowing terms, or None), which libraries are admitted to
which network, the reader's standing at their home library and how many items the visitor holds here now.

Every check is kept with its outcome and a reason id (the edge turns ids into sentences), as
``core.eligibility`` keeps each verdict: the desk shows what passed as well as what failed.

The agreements' border rules (`core.borders`) count as at the agreement check: a rule keeping lending
within a province or a country refuses the agreement for a visitor from outside it, with the rule's
reason; a rule keeping local content in its region lets the visitor borrow, but not from the host's
local-content collection (a passed check says so, and `DeskDecision.lends_from` holds it back).
A rule making the host the last resort refuses no visitor: it orders interlibrary loan requests, and a
visitor at the desk was not routed there; a passed check says the rule, so staff can point the visitor
to what their own library and network hold first (the README's "Rules across borders" gives the reasoning).

Choosing between agreements that admit the visitor: one naming its parties wins over a network-wide one
(as in ``core.agreements``); then the one allowing more items, then the longer loan, then the lower id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from jaringan.core import agreements as rules
from jaringan.core import borders

from .terms import BorrowTerms, Collection

# Reason ids.
PASS_ACTIVE = "pass_active"
PASS_NOT_ACTIVE = "pass_not_active"
PASS_VALID = "pass_valid"
PASS_EXPIRED = "pass_expired"
OWN_LIBRARY = "own_library"
AGREEMENT_ADMITS = "agreement_admits"
NO_BORROWING_TERMS = "no_borrowing_terms"
HOME_NOT_ADMITTED = "home_not_admitted"
CATEGORY_NOT_ADMITTED = "category_not_admitted"
GOOD_STANDING = "good_standing"
STANDING_UNKNOWN = "standing_unknown"
READER_NOT_FOUND = "reader_not_found"
BLOCKED = "blocked"
OVERDUE_ILL = "overdue_ill"
OVERDUE_RECIPROCAL = "overdue_reciprocal"
ITEMS_LEFT = "items_left"
LIMIT_REACHED = "limit_reached"
LOCAL_CONTENT_KEPT = "local_content_kept"
LAST_RESORT_HOST = "last_resort_host"

#: The group each reason belongs to (the desk shows one line per group).
PASS, AGREEMENT, STANDING, LIMIT = "pass", "agreement", "standing", "limit"


@dataclass(frozen=True, slots=True)
class Check:
    group: str
    passed: bool
    reason: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"group": self.group, "passed": self.passed, "reason": self.reason, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Visitor:
    """What the desk needs of a pass."""

    home_id: int
    category: str
    state: str  # "active" when issued and not revoked
    expires: date | None


@dataclass(frozen=True, slots=True)
class Block:
    library_id: int | None  # the member that imposed it (None: the home system, over NCIP)
    until: date | None  # None: until lifted
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Standing:
    """The reader's standing at home: from the hub's own records, or from the home library's NCIP server."""

    source: str = "hub"  # "hub" or "ncip"
    found: bool = True
    #: Why the standing could not be learnt ("" when it was): the edge words it.
    error: str = ""
    blocks: tuple[Block, ...] = ()
    overdue_ill: int = 0
    overdue_reciprocal: int = 0
    #: Other overdue loans the home system reports (over NCIP).
    overdue_home: int = 0

    @property
    def good(self) -> bool:
        return self.found and not self.error and not self.blocks and not (
            self.overdue_ill or self.overdue_reciprocal or self.overdue_home)


@dataclass(frozen=True, slots=True)
class DeskDecision:
    allowed: bool
    checks: tuple[Check, ...]
    agreement_id: int | None = None
    terms: BorrowTerms | None = None
    items_limit: int = 0
    items_out: int = 0
    due: date | None = None
    #: Collections the border rules keep from this visitor (local content, outside its region).
    kept: frozenset[Collection] = frozenset()

    def lends_from(self, collection: str) -> bool:
        """Whether an item of this collection may go to the visitor (terms and border rules)."""
        return self.terms is not None and self.terms.lends_from(collection) and Collection(collection) not in self.kept

    @property
    def items_left(self) -> int:
        return max(self.items_limit - self.items_out, 0) if self.allowed else 0

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed)

    @property
    def renewals(self) -> int:
        return self.terms.renewals if self.terms else 0

    @property
    def deposit(self) -> Decimal:
        return self.terms.deposit if self.terms else Decimal("0")

    @property
    def fee(self) -> Decimal:
        return self.terms.fee if self.terms else Decimal("0")

    @property
    def excluded(self) -> tuple[Collection, ...]:
        return tuple(c for c in Collection if self.terms and c in self.terms.excluded)

    def as_dict(self) -> dict:
        t = self.terms
        return {
            "allowed": self.allowed, "agreement_id": self.agreement_id, "items_limit": self.items_limit,
            "items_out": self.items_out, "items_left": self.items_left,
            "due": self.due.isoformat() if self.due else None, "renewals": self.renewals,
            "deposit": str(self.deposit), "fee": str(self.fee), "excluded": [str(c) for c in self.excluded],
            "loan_days": t.loan_days if t else None, "checks": [c.as_dict() for c in self.checks],
            "kept": [str(c) for c in Collection if c in self.kept],
        }


def _pass_checks(v: Visitor, on: date) -> list[Check]:
    out = [Check(PASS, v.state == "active", PASS_ACTIVE if v.state == "active" else PASS_NOT_ACTIVE,
                 {"state": v.state})]
    if v.expires is not None and v.expires < on:
        out.append(Check(PASS, False, PASS_EXPIRED, {"expires": v.expires}))
    else:
        out.append(Check(PASS, True, PASS_VALID, {"expires": v.expires}))
    return out


def admitting(
    *, home_id: int, host_id: int, category: str, on: date,
    agreements: Iterable[tuple[rules.Terms, BorrowTerms | None]], members: Mapping[int, frozenset[int]],
    sites: Mapping[int, borders.Site] | None = None,
) -> tuple[tuple[rules.Terms, BorrowTerms] | None, list[tuple[int | None, str]]]:
    """The agreement (and terms) under which ``home_id``'s readers of ``category`` borrow at ``host_id``
    on ``on``, and (agreement id, reason) for each one that does not admit them. ``sites`` says where
    the libraries are, for the agreements' border rules."""
    refusals: list[tuple[int | None, str]] = []
    fits: list[tuple[rules.Terms, BorrowTerms]] = []
    for terms, borrow in agreements:
        reason = rules.why_not(terms, requester=home_id, supplier=host_id, service=rules.Service.RECIPROCAL,
                               on=on, members=members, sites=sites)
        if reason is None and borrow is None:
            reason = NO_BORROWING_TERMS
        elif reason is None and not borrow.admits_home(home_id):
            reason = HOME_NOT_ADMITTED
        elif reason is None and not borrow.admits_category(category):
            reason = CATEGORY_NOT_ADMITTED
        if reason:
            refusals.append((terms.id, reason))
        else:
            fits.append((terms, borrow))
    if not fits:
        return None, refusals or [(None, rules.NO_AGREEMENT)]
    best = min(fits, key=lambda tb: (tb[0].coverage is not rules.Coverage.NAMED, -tb[1].items_at_a_time,
                                     -tb[1].loan_days, tb[0].id))
    return best, refusals


def decide(
    *, visitor: Visitor, host_id: int, on: date,
    agreements: Iterable[tuple[rules.Terms, BorrowTerms | None]], members: Mapping[int, frozenset[int]],
    standing: Standing, items_out: int, sites: Mapping[int, borders.Site] | None = None,
) -> DeskDecision:
    """May the visitor borrow at ``host_id`` on ``on``? Every check is kept, passed or not."""
    checks = _pass_checks(visitor, on)
    chosen = None
    kept: frozenset[Collection] = frozenset()
    if visitor.home_id == host_id:
        checks.append(Check(AGREEMENT, False, OWN_LIBRARY, {}))
    else:
        chosen, refusals = admitting(home_id=visitor.home_id, host_id=host_id, category=visitor.category, on=on,
                                     agreements=agreements, members=members, sites=sites)
        if chosen:
            checks.append(Check(AGREEMENT, True, AGREEMENT_ADMITS, {"agreement_id": chosen[0].id}))
            kept = _kept(chosen[0], visitor.home_id, host_id, sites or {})
            if kept:
                checks.append(Check(AGREEMENT, True, LOCAL_CONTENT_KEPT, {"agreement_id": chosen[0].id}))
            if borders.is_last_resort(chosen[0].borders, host_id, (sites or {}).get(host_id)):
                checks.append(Check(AGREEMENT, True, LAST_RESORT_HOST, {"agreement_id": chosen[0].id}))
        else:
            checks.extend(Check(AGREEMENT, False, reason, {"agreement_id": aid}) for aid, reason in refusals)
    checks.extend(_standing_checks(standing, on))
    limit = chosen[1].items_at_a_time if chosen else 0
    if chosen:
        if items_out >= limit:
            checks.append(Check(LIMIT, False, LIMIT_REACHED, {"limit": limit, "out": items_out}))
        else:
            checks.append(Check(LIMIT, True, ITEMS_LEFT, {"limit": limit, "out": items_out,
                                                         "left": limit - items_out}))
    allowed = all(c.passed for c in checks)
    return DeskDecision(
        allowed=allowed, checks=tuple(checks), agreement_id=chosen[0].id if chosen else None,
        terms=chosen[1] if chosen else None, items_limit=limit, items_out=items_out,
        due=on + timedelta(days=chosen[1].loan_days) if chosen else None, kept=kept,
    )


def _kept(terms: rules.Terms, home_id: int, host_id: int, sites: Mapping[int, borders.Site]) -> frozenset[Collection]:
    """The host's collections the agreement's border rules keep from a reader of ``home_id``."""
    if borders.refusal(terms.borders, requester=sites.get(home_id), supplier=sites.get(host_id), local_content=True):
        return frozenset({Collection.LOCAL_CONTENT})
    return frozenset()


def _standing_checks(s: Standing, on: date) -> list[Check]:
    if s.error:
        return [Check(STANDING, False, STANDING_UNKNOWN, {"source": s.source, "error": s.error})]
    if not s.found:
        return [Check(STANDING, False, READER_NOT_FOUND, {"source": s.source})]
    out = [Check(STANDING, False, BLOCKED, {"library_id": b.library_id, "until": b.until, "note": b.reason})
           for b in s.blocks if b.until is None or b.until >= on]
    if s.overdue_ill:
        out.append(Check(STANDING, False, OVERDUE_ILL, {"count": s.overdue_ill}))
    if s.overdue_reciprocal or s.overdue_home:
        out.append(Check(STANDING, False, OVERDUE_RECIPROCAL,
                         {"count": s.overdue_reciprocal + s.overdue_home, "source": s.source}))
    if not out:
        out.append(Check(STANDING, True, GOOD_STANDING, {"source": s.source}))
    return out


def passes_valid_at(
    *, home_id: int, category: str, on: date, agreements: Iterable[tuple[rules.Terms, BorrowTerms | None]],
    members: Mapping[int, frozenset[int]], sites: Mapping[int, borders.Site] | None = None,
) -> dict[int, int]:
    """Host library id → the agreement under which a pass of ``home_id``'s ``category`` reader is good there."""
    agreements = list(agreements)
    hosts = {lib for t, _b in agreements for lib in members.get(t.network_id, frozenset())} - {home_id}
    out = {}
    for host in sorted(hosts):
        chosen, _refusals = admitting(home_id=home_id, host_id=host, category=category, on=on,
                                      agreements=agreements, members=members, sites=sites)
        if chosen:
            out[host] = chosen[0].id
    return out


def due_after_renewal(due: date, today: date, loan_days: int) -> date:
    """A renewal gives a full loan period from the later of the due date and today."""
    return max(due, today) + timedelta(days=loan_days)
