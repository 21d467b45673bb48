"""Two staff members of the lender answer one request at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from jaringan.errors import Conflict
from jaringan.ill import services
from jaringan.ill.models import IllEvent, IllRequest


def _race(actions: list[tuple[object, str]], req: IllRequest) -> dict:
    barrier = threading.Barrier(len(actions))
    outcomes: dict[str, object] = {}

    def act(actor, action: str) -> None:
        barrier.wait()
        try:
            services.illrequest_act(actor=actor, request=req.pk, action=action, expected_version=req.version)
            outcomes[action] = "won"
        except Conflict as exc:
            outcomes[action] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=pair) for pair in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


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
