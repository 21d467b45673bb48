"""Two coordinators act on one application at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from jaringan.core.errors import Conflict
from jaringan.network import services
from jaringan.network.models import Membership, MembershipEvent


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_one_wins(principal):
    coord = principal("koordinator")
    m = Membership.objects.get(network__code="JPJB", library__code="IPB")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(action: str) -> None:
        barrier.wait()
        try:
            services.membership_act(actor=coord, membership_id=m.pk, action=action, expected_state="applied")
            outcomes[action] = "won"
        except Conflict as exc:
            outcomes[action] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(a,)) for a in ("admit", "reject")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    winners = [a for a, o in outcomes.items() if o == "won"]
    losers = [o for o in outcomes.values() if isinstance(o, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    final = Membership.objects.get(pk=m.pk).state
    assert final == {"admit": "admitted", "reject": "rejected"}[winners[0]]
    assert MembershipEvent.objects.filter(membership=m).exclude(action="apply").count() == 1
