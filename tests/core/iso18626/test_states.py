"""The lifecycle table: whole journeys, refusals with reasons, final states, generated diagrams."""

import pytest

from jaringan.core.iso18626.errors import IllegalTransition
from jaringan.core.iso18626.states import (
    INITIAL,
    TERMINAL,
    TRANSITIONS,
    Party,
    allowed,
    as_event,
    dot,
    mermaid,
    transition,
)
from jaringan.core.iso18626.vocabulary import Action, RequestType, ServiceType, Status

S, A = Status, Action
SUPPLIER, REQUESTER = Party.supplier, Party.requester

#: (event, who sends it, state after it)
WHOLE_LOAN = [
    (S.ExpectToSupply, SUPPLIER, S.ExpectToSupply),
    (S.WillSupply, SUPPLIER, S.WillSupply),
    (S.Loaned, SUPPLIER, S.Loaned),
    (A.Received, REQUESTER, S.Loaned),
    (A.ShippedReturn, REQUESTER, S.Loaned),
    (S.LoanCompleted, SUPPLIER, S.LoanCompleted),
]
WHOLE_COPY = [
    (S.ExpectToSupply, SUPPLIER, S.ExpectToSupply),
    (S.WillSupply, SUPPLIER, S.WillSupply),
    (S.CopyCompleted, SUPPLIER, S.CopyCompleted),
]
RENEWED_AFTER_OVERDUE = [
    (S.Loaned, SUPPLIER, S.Loaned),
    (A.Received, REQUESTER, S.Loaned),
    (S.Overdue, SUPPLIER, S.Overdue),
    (A.Renew, REQUESTER, S.Overdue),
    (S.Loaned, SUPPLIER, S.Loaned),
    (S.Recalled, SUPPLIER, S.Recalled),
    (A.ShippedReturn, REQUESTER, S.Recalled),
    (S.LoanCompleted, SUPPLIER, S.LoanCompleted),
]
CONDITIONS_ACCEPTED = [
    (S.RetryPossible, SUPPLIER, S.RetryPossible),  # offeredCosts higher than maximumCosts
    (RequestType.Retry, REQUESTER, S.RequestReceived),
    (S.WillSupply, SUPPLIER, S.WillSupply),
]
CONDITIONS_DECLINED = [
    (S.ExpectToSupply, SUPPLIER, S.ExpectToSupply),
    (S.RetryPossible, SUPPLIER, S.RetryPossible),  # retryAfter later than needBeforeDate
    (A.Cancel, REQUESTER, S.Cancelled),
]


@pytest.mark.parametrize(
    "service, journey",
    [
        (ServiceType.Loan, WHOLE_LOAN),
        (ServiceType.Copy, WHOLE_COPY),
        (ServiceType.CopyOrLoan, WHOLE_LOAN),
        (ServiceType.Loan, RENEWED_AFTER_OVERDUE),
        (ServiceType.Loan, CONDITIONS_ACCEPTED),
        (ServiceType.Copy, CONDITIONS_DECLINED),
    ],
    ids=["loan", "copy", "copy-or-loan", "overdue-renewed-recalled", "conditions-accepted", "conditions-declined"],
)
def test_every_step_of_a_journey_is_legal(service, journey):
    state = INITIAL
    for event, by, expected in journey:
        state = transition(state, event, by=by, service=service)
        assert state == expected, f"after {event}"
    assert state in TERMINAL or state == S.WillSupply


def test_plain_strings_work_as_events_and_states():
    assert transition("Loaned", "Received") == S.Loaned
    assert as_event("Retry") is RequestType.Retry


@pytest.mark.parametrize(
    "state, event, kwargs, words",
    [
        (S.WillSupply, A.Received, {}, "Received is not allowed while the request is WillSupply"),
        (S.Loaned, S.ExpectToSupply, {}, "allowed now: Loaned, Overdue"),
        (S.RequestReceived, S.LoanCompleted, {}, "not allowed"),
        (S.Recalled, A.Renew, {}, "Renew is not allowed while the request is Recalled"),
        (S.Loaned, S.LoanCompleted, {"by": REQUESTER}, "only the supplier may send LoanCompleted"),
        (S.Loaned, A.ShippedReturn, {"by": SUPPLIER}, "only the requester may send ShippedReturn"),
        (S.WillSupply, S.Loaned, {"service": ServiceType.Copy}, "does not apply to a Copy request"),
        (S.WillSupply, S.CopyCompleted, {"service": ServiceType.Loan}, "does not apply to a Loan request"),
        (S.Loaned, "Lost", {}, "neither a supplier status"),
        ("Borrowed", A.Received, {}, "not a state"),
    ],
)
def test_illegal_moves_are_refused_with_a_reason(state, event, kwargs, words):
    with pytest.raises(IllegalTransition) as refused:
        transition(state, event, **kwargs)
    assert words in refused.value.reason
    assert str(refused.value) == refused.value.reason


@pytest.mark.parametrize("state", sorted(TERMINAL))
def test_final_states_have_no_way_out(state):
    assert TRANSITIONS[state] == []
    for event in [*Status, *Action, RequestType.Retry]:
        with pytest.raises(IllegalTransition, match="final"):
            transition(state, event)


def test_the_final_states_are_the_five_of_the_standard():
    assert TERMINAL == {S.Unfilled, S.CopyCompleted, S.LoanCompleted, S.CompletedWithoutReturn, S.Cancelled}


def test_the_table_covers_every_status_and_leads_only_to_statuses():
    assert list(TRANSITIONS) == list(Status)
    for state, moves in TRANSITIONS.items():
        triggers = [t.trigger for t in moves]
        assert len(triggers) == len(set(triggers)), f"{state} lists a trigger twice"
        for t in moves:
            assert t.to in Status
            assert (t.by is SUPPLIER) == isinstance(t.trigger, Status)
            if t.by is SUPPLIER:
                assert t.to == t.trigger, "a supplier's status change leads to that status"


def test_every_state_is_reachable_from_the_initial_one():
    seen, todo = {INITIAL}, [INITIAL]
    while todo:
        for t in TRANSITIONS[todo.pop()]:
            if t.to not in seen:
                seen.add(t.to)
                todo.append(t.to)
    assert seen == set(Status)


def test_every_requester_action_is_allowed_somewhere():
    used = {t.trigger for moves in TRANSITIONS.values() for t in moves}
    assert set(Action) <= used


def test_allowed_filters_by_party_and_service():
    assert {t.trigger for t in allowed(S.Loaned, by=REQUESTER)} == {
        A.StatusRequest, A.Notification, A.Received, A.Renew, A.ShippedReturn, A.ShippedForward
    }
    assert S.Loaned not in {t.trigger for t in allowed(S.WillSupply, service=ServiceType.Copy)}


@pytest.mark.parametrize("render", [mermaid, dot])
def test_the_generated_diagram_mentions_every_state_and_every_trigger(render):
    text = render()
    for state in Status:
        assert str(state) in text
    for moves in TRANSITIONS.values():
        for t in moves:
            assert str(t.trigger) in text


def test_the_diagrams_draw_the_start_and_the_ends():
    assert mermaid().startswith("stateDiagram-v2\n    [*] --> RequestReceived\n")
    assert "LoanCompleted --> [*]" in mermaid()
    assert dot().startswith("digraph iso18626 {") and "LoanCompleted [peripheries=2];" in dot()
    assert "Loaned -> LoanCompleted" in dot()
