"""JSON endpoints of collection analysis (thin over `selectors` and `buying`).

``GET /api/networks/CODE/overlap`` is public (the network's totals); its member-by-member figures
(``/overlap/members``) and a member's order check need a session or a token of someone who may see
them (`permissions`).
"""

from __future__ import annotations

from ninja import Field, Router, Schema

from jaringan.core.analysis import orders as order_lists
from jaringan.core.errors import Forbidden, Invalid, NotFound
from jaringan.network.models import Library, Network
from jaringan.network.auth import WRITE_AUTH
from jaringan.network.auth import api_principal as _principal

from . import buying, selectors
from . import permissions as can

router = Router(tags=["collection analysis"])




def _network(code: str) -> Network:
    found = Network.objects.filter(code=code).first()
    if found is None:
        raise NotFound(f"No network with code {code}.")
    return found


class Buckets(Schema):
    total: int = Field(description="editions held by at least one member")
    one: int = Field(description="held by one member only")
    few: int = Field(description="held by 2 to 5 members (not all)")
    many: int = Field(description="held by more than 5, not all")
    all: int = Field(description="held by every member")


class OverlapOut(Schema):
    network: str
    members: int
    editions: Buckets
    works: Buckets
    waiting: int = Field(description="changed editions not yet counted")


class MemberOut(Schema):
    library: str
    editions: int
    unique: int = Field(description="editions no other member holds")
    works: int
    unique_works: int
    overlap: dict[str, int] = Field(description="editions held with each other member, by library code")


def _buckets(o) -> dict:
    return {"total": o.total, "one": o.one, "few": o.few, "many": o.many, "all": o.all}


@router.get("/networks/{code}/overlap", response=OverlapOut)
def network_overlap(request, code: str):
    """How the admitted members' holdings overlap: editions and works held by one, a few, many, all."""
    network = _network(code)
    fresh = selectors.current()
    members = selectors.network_group(network)
    figures = selectors.group_figures(members, matrix=False)
    return {"network": network.code, "members": len(members), "editions": _buckets(figures.editions),
            "works": _buckets(figures.works), "waiting": fresh.waiting}


@router.get("/networks/{code}/overlap/members", response=list[MemberOut], auth=WRITE_AUTH)
def network_overlap_members(request, code: str):
    """Each admitted member's holdings, those only it holds, and the editions it shares with each other member
    (its coordinators and staff of its members)."""
    network = _network(code)
    if not can.sees_members(_principal(request), network):
        raise Forbidden("Only the network's coordinators and its members' staff see its members' figures.")
    selectors.current()
    members = selectors.network_group(network)
    figures = selectors.group_figures(members)
    e, w = figures.editions, figures.works
    return [{"library": m.code, "editions": e.held[i], "unique": e.unique[i], "works": w.held[i],
             "unique_works": w.unique[i],
             "overlap": {o.code: e.matrix[i][j] for j, o in enumerate(members) if j != i}}
            for i, m in enumerate(members)]


class OrderIn(Schema):
    isbns: list[str] = Field(description="the order list: one ISBN (10 or 13 digits) a line",
                             max_length=order_lists.MAX_LINES)


class OrderLineOut(Schema):
    line: int
    written: str
    isbn: str | None
    verdict: str = Field(description="own (held already), borrow (borrow, don't buy), held (held, no agreement "
                                     "lets you borrow it), buy (not in the network), invalid (no ISBN)")
    holders: int = Field(description="libraries holding it")
    editions: list[int]
    nearest: str | None = Field(description="code of the nearest holding library")
    nearest_km: float | None
    borrow_from: str | None = Field(description="code of the library to borrow from (cheapest, then nearest)")
    cost: int | None = Field(description="what a loan from it costs in all (IDR), by the agreement")


@router.post("/libraries/{code}/order-check", response=list[OrderLineOut], auth=WRITE_AUTH)
def order_check(request, code: str, body: OrderIn):
    """Before buying: for each ISBN, who holds it, the nearest holder, and whether and at what cost an agreement
    lets this library borrow it ("borrow, don't buy")."""
    library = Library.objects.filter(code=code).first()
    if library is None:
        raise NotFound(f"No library with code {code}.")
    if not can.sees_library(_principal(request), library):
        raise Forbidden("Only the library's staff and its coordinators check its orders.")
    lines = [order_lists.line(n, raw) for n, raw in enumerate(body.isbns, start=1)]
    if not lines:
        raise Invalid("The order list is empty.", errors={"isbns": ["Give at least one ISBN."]})
    out = []
    for w in buying.buy_warning(library, lines):
        out.append({
            "line": w.line.line, "written": w.line.written, "isbn": w.line.isbn, "verdict": w.verdict,
            "holders": w.holders, "editions": w.edition_ids,
            "nearest": w.nearest.library.code if w.nearest else None,
            "nearest_km": round(w.nearest.km, 1) if w.nearest and w.nearest.km is not None else None,
            "borrow_from": w.borrow_from.library.code if w.borrow_from else None,
            "cost": w.borrow_from.cost if w.borrow_from else None,
        })
    return out
