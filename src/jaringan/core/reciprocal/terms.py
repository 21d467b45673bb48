"""An agreement's reciprocal-borrowing terms."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jaringan.core.errors import Invalid


class Category(StrEnum):
    """Who a reader is at their home library."""

    STUDENT = "student"
    LECTURER = "lecturer"
    STAFF = "staff"
    PUBLIC = "public"


class Collection(StrEnum):
    """The part of a host's collection an item belongs to; the last three may be excluded by the terms."""

    GENERAL = "general"
    REFERENCE = "reference"
    LOCAL_CONTENT = "local_content"
    RARE = "rare"


#: Collections an agreement may exclude (the general collection is what is lent).
EXCLUDABLE = (Collection.REFERENCE, Collection.LOCAL_CONTENT, Collection.RARE)

#: Bounds a network may set: more than this is a typing error, not an agreement.
MAX_ITEMS = 50
MAX_LOAN_DAYS = 365
MAX_RENEWALS = 10


class BadTerms(Invalid):
    """Terms that cannot be agreed: no category, zero items or days, a negative deposit or fee."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", errors={field: [message]})
        self.field = field


@dataclass(frozen=True, slots=True)
class BorrowTerms:
    agreement_id: int
    #: Whose readers may borrow: library ids; empty means every library the agreement covers.
    home_libraries: frozenset[int]
    categories: frozenset[Category]
    items_at_a_time: int
    loan_days: int
    renewals: int
    deposit: Decimal = Decimal("0")
    fee: Decimal = Decimal("0")
    excluded: frozenset[Collection] = frozenset()

    def admits_home(self, library_id: int) -> bool:
        return not self.home_libraries or library_id in self.home_libraries

    def admits_category(self, category: str) -> bool:
        return Category(category) in self.categories

    def lends_from(self, collection: str) -> bool:
        return Collection(collection) not in self.excluded


def checked(
    *, agreement_id: int, home_libraries: Iterable[int] = (), categories: Iterable[str], items_at_a_time: int,
    loan_days: int, renewals: int, deposit=Decimal("0"), fee=Decimal("0"), excluded: Iterable[str] = (),
) -> BorrowTerms:
    """Terms from plain values, or ``BadTerms`` naming the field at fault."""
    try:
        cats = frozenset(Category(c) for c in categories)
    except ValueError as exc:
        raise BadTerms("categories", str(exc)) from None
    if not cats:
        raise BadTerms("categories", "at least one reader category")
    try:
        out = frozenset(Collection(c) for c in excluded)
    except ValueError as exc:
        raise BadTerms("excluded", str(exc)) from None
    if Collection.GENERAL in out:
        raise BadTerms("excluded", "the general collection is what is lent")
    for name, value, low, high in (("items_at_a_time", items_at_a_time, 1, MAX_ITEMS),
                                   ("loan_days", loan_days, 1, MAX_LOAN_DAYS),
                                   ("renewals", renewals, 0, MAX_RENEWALS)):
        if not isinstance(value, int) or not low <= value <= high:
            raise BadTerms(name, f"{value!r} is not between {low} and {high}")
    money = {}
    for name, value in (("deposit", deposit), ("fee", fee)):
        try:
            amount = Decimal(str(value))
        except ArithmeticError:
            raise BadTerms(name, f"{value!r} is not an amount") from None
        if not amount.is_finite() or amount < 0:
            raise BadTerms(name, f"{value!r} is not an amount")
        money[name] = amount
    return BorrowTerms(agreement_id, frozenset(home_libraries), cats, items_at_a_time, loan_days, renewals,
                       money["deposit"], money["fee"], out)
