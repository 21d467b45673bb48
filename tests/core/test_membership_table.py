"""The membership transition table (no database)."""

import pytest

from jaringan.core import membership as ms
from jaringan.core.membership import Action, Actor, State

COORD, LIB = {Actor.COORDINATOR}, {Actor.LIBRARY}


@pytest.mark.parametrize(
    "state, action, actors, to",
    [
        (State.APPLIED, Action.ADMIT, COORD, State.ADMITTED),
        (State.APPLIED, Action.REJECT, COORD, State.REJECTED),
        (State.APPLIED, Action.WITHDRAW, LIB, State.WITHDRAWN),
        (State.ADMITTED, Action.SUSPEND, COORD, State.SUSPENDED),
        (State.SUSPENDED, Action.REINSTATE, COORD, State.ADMITTED),
        (State.REJECTED, Action.REAPPLY, LIB, State.APPLIED),
        (State.WITHDRAWN, Action.REAPPLY, LIB, State.APPLIED),
    ],
)
def test_allowed_transitions(state, action, actors, to):
    assert ms.transition_for(state, action, actors).to is to


@pytest.mark.parametrize(
    "state, action, actors, code",
    [
        (State.APPLIED, Action.ADMIT, LIB, "not_permitted"),  # a library cannot admit itself
        (State.ADMITTED, Action.SUSPEND, LIB, "not_permitted"),
        (State.ADMITTED, Action.ADMIT, COORD, "not_from_state"),
        (State.REJECTED, Action.ADMIT, COORD, "not_from_state"),
        (State.APPLIED, Action.REINSTATE, COORD, "not_from_state"),
        # applying again is the library's decision: a coordinator could re-apply for it, then admit it
        (State.REJECTED, Action.REAPPLY, COORD, "not_permitted"),
        (State.WITHDRAWN, Action.REAPPLY, COORD, "not_permitted"),
    ],
)
def test_refused_transitions(state, action, actors, code):
    with pytest.raises(ms.TransitionRefused) as info:
        ms.transition_for(state, action, actors)
    assert info.value.code == code


def test_every_state_is_in_the_table_and_admission_needs_eligibility():
    assert set(ms.TRANSITIONS) == set(State)
    needing = {(s, t.action) for s, ts in ms.TRANSITIONS.items() for t in ts if t.needs_eligibility}
    assert needing == {(State.APPLIED, Action.ADMIT), (State.SUSPENDED, Action.REINSTATE)}


def test_actions_for_lists_only_what_the_actor_may_do():
    assert ms.actions_for(State.APPLIED, COORD) == [Action.ADMIT, Action.REJECT, Action.WITHDRAW]
    assert ms.actions_for(State.APPLIED, LIB) == [Action.WITHDRAW]
