"""Membership of a library in a network, as one transition table.

Each state lists the actions allowed from it, who may take each, and where it
leads. Terminal states are written out with an empty list. The network app's
single service asks this table; nothing else changes a membership's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jaringan.core.errors import Conflict


class State(StrEnum):
    APPLIED = "applied"
    ADMITTED = "admitted"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    ADMIT = "admit"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    WITHDRAW = "withdraw"
    REAPPLY = "reapply"


class Actor(StrEnum):
    """Who may take an action: the network's coordinator or the library's staff."""

    COORDINATOR = "coordinator"
    LIBRARY = "library"


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    to: State
    actors: frozenset[Actor]
    #: The four requirements must pass at the moment of the action.
    needs_eligibility: bool = False


_BOTH = frozenset({Actor.COORDINATOR, Actor.LIBRARY})
_COORD = frozenset({Actor.COORDINATOR})
#: Applying again is the library's own decision, as applying is: a coordinator who could
#: re-apply for a library that left (or was turned down) could then admit it, and act for it.
_LIB = frozenset({Actor.LIBRARY})

TRANSITIONS: dict[State, list[Transition]] = {
    State.APPLIED: [
        Transition(Action.ADMIT, State.ADMITTED, _COORD, needs_eligibility=True),
        Transition(Action.REJECT, State.REJECTED, _COORD),
        Transition(Action.WITHDRAW, State.WITHDRAWN, _BOTH),
    ],
    State.ADMITTED: [
        Transition(Action.SUSPEND, State.SUSPENDED, _COORD),
        Transition(Action.WITHDRAW, State.WITHDRAWN, _BOTH),
    ],
    State.SUSPENDED: [
        Transition(Action.REINSTATE, State.ADMITTED, _COORD, needs_eligibility=True),
        Transition(Action.WITHDRAW, State.WITHDRAWN, _BOTH),
    ],
    State.REJECTED: [
        Transition(Action.REAPPLY, State.APPLIED, _LIB),
    ],
    State.WITHDRAWN: [
        Transition(Action.REAPPLY, State.APPLIED, _LIB),
    ],
}

#: States in which a library takes part in the network's services (and in which a network's
#: coordinator acts for it: no other state gives a coordinator anything over a library).
ACTIVE_STATES = frozenset({State.ADMITTED})
#: States in which a library may be named in its network's agreements, as a party or with a share of
#: the work: a member, admitted or suspended (an agreement outlasts a suspension), never an applicant.
NAMED_IN_AGREEMENTS = frozenset({State.ADMITTED, State.SUSPENDED})


class TransitionRefused(Conflict):
    """The action is not allowed from this state, or not to this actor."""

    def __init__(self, code: str, *, state: State, action: Action):
        super().__init__(f"{action} is not allowed from {state} ({code})")
        self.code = code
        self.state = state
        self.action = action


def transition_for(state: State, action: Action, actors: set[Actor]) -> Transition:
    """The transition an action takes from a state, if those actors may take it.

    Raises `TransitionRefused` with code `not_from_state` or `not_permitted`.
    """
    for t in TRANSITIONS[State(state)]:
        if t.action == action:
            if not (t.actors & actors):
                raise TransitionRefused("not_permitted", state=state, action=action)
            return t
    raise TransitionRefused("not_from_state", state=state, action=action)


def actions_for(state: State, actors: set[Actor]) -> list[Action]:
    """The actions these actors may take from a state, in table order."""
    return [t.action for t in TRANSITIONS[State(state)] if t.actors & actors]
