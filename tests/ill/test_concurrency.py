"""Staff of the lender answer one request at the same moment, each on a connection of its own: one wins."""

import threading

import pytest
from django.db import connection

from jaringan.core.errors import Conflict
from jaringan.ill import services
from jaringan.ill.models import IllEvent, IllRequest, LedgerEntry


def _race_all(actions: list[tuple[object, str]], req: IllRequest, *, versioned: bool = True) -> list:
    """Each (actor, action) in a thread of its own, all let go at once: their outcomes, in the same order."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def act(n: int, actor, action: str) -> None:
        barrier.wait()
        try:
            services.illrequest_act(actor=actor, request=req.pk, action=action,
                                    expected_version=req.version if versioned else None)
            outcomes[n] = "won"
        except Conflict as exc:
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(n, *pair)) for n, pair in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _race(actions: list[tuple[object, str]], req: IllRequest) -> dict:
    return {action: outcome for (_actor, action), outcome in zip(actions, _race_all(actions, req))}


@pytest.mark.django_db(transaction=True)
def test_will_supply_and_unfilled_at_once_one_wins(held, staff):
    from jaringan.network import services as network

    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="X")
    code = req.supplier.code.lower()
    network.user_create(username=f"staf2.{code}", password="kata-sandi-panjang", role="staff",
                        library=req.supplier.code, check_password=False)
    first, second = staff(f"staf.{code}"), staff(f"staf2.{code}")
    before = IllEvent.objects.filter(request=req).count()

    outcomes = _race([(first, "WillSupply"), (second, "Unfilled")], req)

    winners = [a for a, o in outcomes.items() if o == "won"]
    losers = [o for o in outcomes.values() if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "stale"
    req.refresh_from_db()
    if winners == ["WillSupply"]:
        assert req.state == "WillSupply" and IllEvent.objects.filter(request=req).count() == before + 1
    else:  # the next lender was asked at once: Unfilled, then send
        assert req.state == "RequestReceived" and IllEvent.objects.filter(request=req).count() == before + 2


@pytest.mark.django_db(transaction=True)
def test_the_same_answer_twice_at_once_is_taken_once(held, staff):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[1], service="loan", reader_name="X")
    lender = staff(f"staf.{req.supplier.code.lower()}")

    outcomes = _race([(lender, "Loaned"), (desk, "Cancel")], req)

    assert sorted(type(o).__name__ if o != "won" else o for o in outcomes.values()) == ["Conflict", "won"]
    req.refresh_from_db()
    assert req.state == {"Loaned": "Loaned", "Cancel": "Cancelled"}[next(a for a, o in outcomes.items() if o == "won")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("versioned", [True, False], ids=["same-version", "no-version"])
def test_loaned_three_times_at_once_ships_and_bills_once(held, staff, charged_loans, versioned):
    """Three presses of Loaned at once (the same person's double click, a colleague): one loan, one set of charges."""
    req = services.illrequest_create(actor=staff("staf.itb"), edition=held[0], service="loan", reader_name="X")
    assert req.supplier.code == "UI"
    lender = staff("staf.ui")

    outcomes = _race_all([(lender, "Loaned")] * 3, req, versioned=versioned)

    assert outcomes.count("won") == 1, outcomes
    refused = [o for o in outcomes if o != "won"]
    assert len(refused) == 2 and all(isinstance(o, Conflict) for o in refused), outcomes
    assert {o.code for o in refused} == {"stale" if versioned else "unchanged"}
    req.refresh_from_db()
    assert req.state == "Loaned"
    assert IllEvent.objects.filter(request=req, action="Loaned").count() == 1
    lines = sorted(LedgerEntry.objects.filter(request=req).values_list("line", flat=True))
    assert lines == ["loan_fee", "shipping_out"], lines  # each charged once (the requester pays the return)
