"""The request lifecycle table (pure, no database): journeys, refusals with reasons, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jaringan.core.ill import lifecycle as L
from jaringan.core.iso18626 import states as iso
from jaringan.core.iso18626.errors import IllegalTransition
from jaringan.core.iso18626.vocabulary import Status

R = L.Role


def walk(steps, *, service="Loan", flags=L.Flags(), remote=False):
    state = "AwaitingApproval"
    for action, role in steps:
        decision = L.decide(state, action, role=role, service=service, flags=flags, remote_supplier=remote)
        state = str(decision.to)
    return state


def test_a_readers_request_to_a_lender_here_and_elsewhere():
    approve_and_send = [("approve", R.requester), ("send", R.requester)]
    assert walk(approve_and_send) == "RequestReceived"
    assert walk(approve_and_send, remote=True) == "Sent"
    assert walk(approve_and_send + [("confirm", R.system)], remote=True) == "RequestReceived"


def test_every_action_says_who_may_take_it():
    with pytest.raises(IllegalTransition, match="for the requester"):
        L.decide("AwaitingApproval", "approve", role=R.reader)
    with pytest.raises(IllegalTransition, match="for the supplier"):
        L.decide("RequestReceived", "WillSupply", role=R.requester, service="Loan")
    assert L.decide("RequestReceived", "WillSupply", role=R.system, service="Loan").to == "WillSupply"


def test_guards_the_iso_table_leaves_to_the_parties():
    with pytest.raises(IllegalTransition, match="already received"):
        L.decide("Loaned", "Received", role=R.requester, flags=L.Flags(received=True))
    with pytest.raises(IllegalTransition, match="not been received"):
        L.decide("Loaned", "ShippedReturn", role=R.requester)
    with pytest.raises(IllegalTransition, match="no renewals are left"):
        L.decide("Loaned", "Renew", role=R.requester, flags=L.Flags(renewals=2, max_renewals=2))
    with pytest.raises(IllegalTransition, match="no renewal was asked"):
        L.decide("Loaned", "grant_renewal", role=R.supplier)
    granted = L.decide("Overdue", "grant_renewal", role=R.supplier, flags=L.Flags(renewal_pending=True))
    assert granted.to == "Loaned" and granted.row.reason == "RenewResponse"


def test_a_copy_is_never_loaned_and_final_states_stay_final():
    with pytest.raises(IllegalTransition, match="Copy"):
        L.decide("WillSupply", "Loaned", role=R.supplier, service="Copy")
    for final in L.FINAL:
        with pytest.raises(IllegalTransition, match="final"):
            L.decide(str(final), "StatusRequest", role=R.requester)


def test_cancel_ends_before_sending_and_asks_after():
    early = L.decide("Validated", "Cancel", role=R.reader)
    assert early.to == "Cancelled" and early.ends_request and early.event is None
    asked = L.decide("WillSupply", "Cancel", role=R.reader, service="Loan")
    assert asked.to == "WillSupply" and not asked.ends_request and asked.event == "Cancel"
    answered = L.decide("WillSupply", "Cancelled", role=R.supplier, flags=L.Flags(cancel_pending=True))
    assert answered.ends_request and not answered.moves_on
    unasked = L.decide("WillSupply", "Cancelled", role=R.supplier)
    assert unasked.moves_on and not unasked.ends_request


@pytest.mark.parametrize("status", ["ExpectToSupply", "WillSupply", "Loaned", "Overdue", "Recalled",
                                    "RetryPossible"])
def test_a_status_pressed_again_changes_nothing_and_is_refused(status):
    with pytest.raises(IllegalTransition, match=f"already {status}"):
        L.decide(status, status, role=R.supplier, service="Loan")
    with pytest.raises(IllegalTransition, match=f"already {status}"):
        L.decide(status, status, role=R.system, service="Loan")
    # Restating on purpose stays open: the answer to a status request, a renewal granted.
    assert L.decide(status, "answer_status", role=R.supplier, service="Loan").to == status
    if status in ("Loaned", "Overdue"):
        granted = L.decide(status, "grant_renewal", role=R.supplier, flags=L.Flags(renewal_pending=True))
        assert granted.to == "Loaned"


@pytest.mark.parametrize(("state", "action", "role"), [
    ("RequestReceived", "Unfilled", R.supplier),
    ("ExpectToSupply", "Unfilled", R.supplier),
    ("WillSupply", "Unfilled", R.system),
    ("RequestReceived", "timeout", R.system),
    ("RetryPossible", "decline_conditions", R.system),
])
def test_a_cancel_waiting_when_the_lender_is_done_with_ends_the_request(state, action, role):
    waiting = L.decide(state, action, role=role, service="Loan", flags=L.Flags(cancel_pending=True))
    assert waiting.to == "Cancelled" and waiting.ends_request and not waiting.moves_on
    if action == "Unfilled":
        assert waiting.event == "Unfilled"  # what the lender says is still Unfilled
    nobody_asked = L.decide(state, action, role=role, service="Loan")
    assert nobody_asked.moves_on and not nobody_asked.ends_request


def test_the_lenders_that_are_done_with():
    assert L.MOVES_ON == {"refuse", "timeout", "Unfilled", "decline_conditions"}
    assert L.decide("RetryPossible", "decline_conditions", role=R.requester).moves_on


def test_every_iso_event_of_the_table_is_reachable_from_some_state():
    for row in L.ACTIONS.values():
        if row.event is None or row.restate:
            continue
        states = row.sources or set(iso.TRANSITIONS)
        assert any(not isinstance(s, L.Step) and any(t.trigger == row.event for t in iso.TRANSITIONS[s])
                   for s in states), row.name


def test_available_lists_buttons_without_restatements():
    assert L.available("RequestReceived", role=R.supplier, service="Loan") == [
        "ExpectToSupply", "WillSupply", "Loaned", "RetryPossible", "Unfilled", "Cancelled", "answer_status"]
    assert L.available("Loaned", role=R.reader) == []
    assert L.available("AwaitingApproval", role=R.reader) == ["Cancel"]


def test_the_diagram_is_drawn_from_the_table():
    drawn = L.mermaid()
    for step in L.Step:
        assert str(step) in drawn
    for name in ("approve", "reject", "send", "confirm", "refuse", "timeout", "decline_conditions"):
        assert name in drawn


ROLES = list(R)
ACTION_NAMES = sorted(L.ACTIONS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTION_NAMES), st.sampled_from(ROLES)), max_size=25),
       st.sampled_from(["Loan", "Copy", "CopyOrLoan"]))
def test_no_sequence_of_actions_leaves_the_known_states_or_a_final_one(steps, service):
    state, flags = "AwaitingApproval", L.Flags()
    for action, role in steps:
        try:
            decision = L.decide(state, action, role=role, service=service, flags=flags)
        except IllegalTransition as exc:
            assert exc.reason  # always a reason a person can read
            continue
        assert state not in L.FINAL
        state = str(decision.to)
        assert state in L.all_states()
        if decision.moves_on:
            state = "Validated"  # the service asks the next lender (or ends it Unfilled)
        elif decision.ends_request:
            assert state in ("Cancelled",)
    assert Status.Unfilled in L.FINAL
