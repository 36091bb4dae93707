"""A wrong code must never read as true: the results of verifications, authorizations,
permission cells, lock states and store checks have no truth value (``bool()`` raises
``TypeError`` naming the attribute to read, as numpy does for arrays), and neither have the
members of ``Outcome``, ``DecisionKind``, ``CallStatus`` and ``Effective``. Every result is
tested in each of its states, from an ``Account`` in memory and from a ``Store``."""

from __future__ import annotations

import enum
import json
import pathlib
from typing import Any

import pytest

import seccode
from seccode import CallStatus, DecisionKind, Effective, Outcome
from support import ACCOUNT, ACCOUNT_CODE, CONTACT, CONTACT2, INDIVIDUAL_CODE, JOE, NOW, cheap_engine, make_any_company

WRONG = "Not the code at all, sorry"


def assert_no_truth(value: Any, attribute: str) -> None:
    """Every way Python asks for a truth value raises the same TypeError, naming `attribute`."""
    name = type(value).__name__
    article = "an" if name[0] in "AEIOU" else "a"
    message = f"the truth value of {article} {name} is ambiguous"
    with pytest.raises(TypeError, match=message) as err:
        bool(value)
    assert attribute in str(err.value), str(err.value)
    with pytest.raises(TypeError, match=message):
        if value:
            pass
    with pytest.raises(TypeError, match=message):
        assert not value
    with pytest.raises(TypeError, match=message):
        _ = value and True
    with pytest.raises(TypeError, match=message):
        _ = [x for x in [value] if x]


def test_every_verification_outcome_refuses_a_truth_value(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    verified = account.verify(CONTACT, INDIVIDUAL_CODE)
    wrong = account.verify(CONTACT, WRONG)
    for _ in range(5):
        account.verify(CONTACT, WRONG)
    locked = account.verify(CONTACT, INDIVIDUAL_CODE)
    unknown = account.verify(9999, INDIVIDUAL_CODE)
    assert [v.outcome for v in (verified, wrong, locked, unknown)] == [
        Outcome.VERIFIED, Outcome.NOT_VERIFIED, Outcome.LOCKED, Outcome.NOT_VERIFIED,
    ]
    for verification in (verified, wrong, locked, unknown):
        assert_no_truth(verification, ".verified")
        assert_no_truth(verification.outcome, "Outcome.VERIFIED")
        assert_no_truth(verification.lock_status, ".locked")
    # What to read instead says it plainly.
    assert verified.verified and not wrong.verified and not locked.verified
    assert locked.locked and locked.lock_status.locked and not wrong.lock_status.locked


def test_every_decision_refuses_a_truth_value(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    check = account.verify(CONTACT, INDIVIDUAL_CODE)
    assert check.call is not None  # an Optional stays an Optional: `if check.call:` works
    assert bool(check.call) is True
    allowed = account.authorize(check.call, "routine")
    needs_approval = account.authorize(check.call, "cancellation")
    denied = account.authorize_verified(account.verify(CONTACT, WRONG), "routine")
    assert [d.kind for d in (allowed, needs_approval, denied)] == [
        DecisionKind.ALLOWED, DecisionKind.NEEDS_APPROVAL, DecisionKind.DENIED,
    ]
    for decision in (allowed, needs_approval, denied):
        assert_no_truth(decision, ".allowed")
        assert_no_truth(decision.kind, "Decision.allowed")
    assert allowed.allowed and not needs_approval.allowed and not denied.allowed
    # `reason` is an Optional: None unless denied.
    assert needs_approval.reason is None and denied.reason is not None


def test_call_statuses_refuse_a_truth_value(engine: seccode.Engine) -> None:
    account = make_any_company(engine)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    first = account.verify(CONTACT, INDIVIDUAL_CODE).call
    assert first is not None
    valid = account.call_status(first)
    engine.advance_clock(engine.verification_lifetime_seconds + 1)
    expired = account.call_status(first)
    second = account.verify(CONTACT, INDIVIDUAL_CODE).call
    assert second is not None
    account.deactivate_contact(CONTACT, actor=JOE)
    void = account.call_status(second)
    assert [valid, expired, void] == [CallStatus.VALID, CallStatus.EXPIRED, CallStatus.VOID]
    for status in (valid, expired, void):
        assert_no_truth(status, "CallStatus.VALID")


def test_permission_cells_refuse_a_truth_value(account: seccode.Account) -> None:
    account.set_permission(CONTACT, "Profile", "view", "allow", actor=JOE)
    account.set_permission(CONTACT, "Client Profile", "view", "deny", actor=JOE)
    cells = [
        account.effective(CONTACT, "Profile", "view"),
        account.effective(CONTACT, "Payment Methods", "view"),
        account.effective(CONTACT2, "Profile", "view"),
        account.effective(CONTACT, "Website", "delete"),
    ]
    assert [c.value for c in cells] == [
        Effective.ALLOW, Effective.DENY, Effective.NONE, Effective.NOT_APPLICABLE,
    ]
    for cell in cells:
        assert_no_truth(cell, ".allowed")
        assert_no_truth(cell.value, "Cell.allowed")
    assert [c.allowed for c in cells] == [True, False, False, False]


def test_every_member_of_the_answer_enums_refuses_a_truth_value() -> None:
    hints = {
        Outcome: "Outcome.VERIFIED",
        DecisionKind: "DecisionKind.ALLOWED",
        CallStatus: "CallStatus.VALID",
        Effective: "Effective.ALLOW",
    }
    for kind, hint in hints.items():
        for member in kind:
            assert_no_truth(member, hint)
            # Everything else a str member does still works.
            assert member == member.value and kind(member.value) is member
            assert str(member) == member.value and f"{member}" == member.value
            assert json.dumps({"k": member}) == json.dumps({"k": member.value})
            assert {member: 1}[member.value] == 1
            assert member in {member} and len(member) == len(member.value)
    # The other enums are names, not answers: they keep str's truth.
    assert all(bool(m) for m in seccode.Action)
    assert all(bool(m) for m in seccode.DenyReason)
    assert issubclass(Outcome, enum.Enum)


def test_store_results_refuse_a_truth_value(tmp_path: pathlib.Path) -> None:
    store = seccode.Store(str(tmp_path / "seccode.db"), now=NOW)
    store.set_config(memory_kib=64, iterations=1, parallelism=1, max_failures=2)
    store.create_account(ACCOUNT, "Any Company", primary=JOE, primary_name="Joe Example")
    store.add_contact(ACCOUNT, CONTACT, "Contact Example", actor=JOE)
    store.set_account_code(ACCOUNT, ACCOUNT_CODE, actor=JOE)
    store.set_permission(ACCOUNT, CONTACT, "Profile", "view", "allow", actor=JOE)

    verified = store.verify(ACCOUNT, CONTACT, ACCOUNT_CODE)
    assert verified.call is not None
    token = store.keep_call(verified)
    assert token is not None
    decisions = [
        store.authorize(verified.call, "routine"),
        store.authorize(token, "cancellation"),
        store.authorize(token, "significant_change"),
    ]
    statuses = [store.call_status(verified.call), store.call_status(token)]
    wrong = store.verify(ACCOUNT, CONTACT, WRONG)
    store.verify(ACCOUNT, CONTACT, WRONG)
    locked = store.verify(ACCOUNT, CONTACT, ACCOUNT_CODE)
    assert [v.outcome for v in (verified, wrong, locked)] == [
        Outcome.VERIFIED, Outcome.NOT_VERIFIED, Outcome.LOCKED,
    ]
    for verification in (verified, wrong, locked):
        assert_no_truth(verification, ".verified")
        assert_no_truth(verification.outcome, "Outcome.VERIFIED")
    for decision in decisions:
        assert_no_truth(decision, ".allowed")
    for status in statuses:
        assert_no_truth(status, "CallStatus.VALID")
    assert_no_truth(store.lock_status(ACCOUNT, CONTACT), ".locked")
    assert_no_truth(store.account(ACCOUNT).effective(CONTACT, "Profile", "view"), ".allowed")
    check = store.check()
    assert check.ok and check.problems == []
    assert_no_truth(check, ".ok")
    store.close()


def test_snapshots_and_optionals_keep_their_truth(account: seccode.Account) -> None:
    """Only answers lose their truth value: a snapshot is an object, an Optional an Optional."""
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    contact = account.contact(CONTACT)
    assert contact and contact.code_hash
    assert account.catalog  # a Catalog is a container: true when it has resources
    assert cheap_engine() and seccode.CodePolicy()
