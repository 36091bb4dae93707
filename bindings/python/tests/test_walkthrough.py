"""The four walkthroughs of the seed article "Managing Security Codes"
(shared/seeds/000_c60454232015d506.txt), step by step, as the Rust suite runs them
(crates/seccode/tests/walkthrough.rs)."""

from __future__ import annotations

import json

import pytest

import seccode
from seccode import Action, Outcome, Reason, Setting, VerifyReason
from support import ACCOUNT_CODE, CONTACT, CONTACT2, INDIVIDUAL_CODE, JOE


def test_account_wide_security_code(account: seccode.Account) -> None:
    """"Your account-wide security code": the owner sets it; it is ready to use."""
    assert not account.has_account_code

    # Step 4: a code that is too short or holds personal information is refused.
    with pytest.raises(seccode.PolicyError) as err:
        account.set_account_code("short", actor=JOE)
    assert Reason.TOO_SHORT in err.value.reasons
    with pytest.raises(seccode.PolicyError) as err:
        account.set_account_code("my ssn is 123-45-6789 ok", actor=JOE)
    assert Reason.SSN_SHAPED in err.value.reasons
    assert not account.has_account_code

    # Step 5-6: "Save Changes" -> "Success: Account information updated".
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    assert account.has_account_code
    stored = account.account_code_hash
    assert stored is not None
    assert stored.phc.startswith("$argon2id$v=19$")
    assert "thunder" not in stored.phc

    # The owner can now use it on a call.
    v = account.verify(JOE, ACCOUNT_CODE)
    assert v.outcome is Outcome.VERIFIED
    assert v.verified
    assert v.reason is VerifyReason.ACCOUNT_WIDE

    events = account.drain_audit()
    assert any(
        e.kind == "code_set" and e.actor == JOE and e.to_dict()["slot"] == "account_wide"
        for e in events
    )
    log = json.dumps([e.to_dict() for e in events])
    assert "thunder" not in log.lower()


def test_letting_another_user_see_the_account_wide_code(account: seccode.Account) -> None:
    """"Allowing your other users to see the account-wide code": Profile / View Allow."""
    account.set_account_code(ACCOUNT_CODE, actor=JOE)

    # Before: Contact Example may not know the code, so cannot use it.
    assert not account.may_know_account_code(CONTACT)
    v = account.verify(CONTACT, ACCOUNT_CODE)
    assert v.outcome is Outcome.NOT_VERIFIED
    assert v.reason is VerifyReason.NO_USABLE_CODE

    # Step 5: the grid as shown, Client Profile expanded, nothing set.
    assert "(None)  (None)  (None)  (None)" in account.render_grid(CONTACT)

    # Step 6-7: on the "Profile" line, under "View", select "Allow"; "Update".
    account.set_permission(CONTACT, "Profile", Action.VIEW, Setting.ALLOW, actor=JOE)

    # Step 8: "This user is now able to view the account-wide security code."
    assert account.may_know_account_code(CONTACT)
    v = account.verify(CONTACT, "velvet THUNDER, orchard-lamp!")
    assert v.outcome is Outcome.VERIFIED
    assert v.reason is VerifyReason.ACCOUNT_WIDE

    # Contact Example 2 was not given the permission.
    assert account.verify(CONTACT2, ACCOUNT_CODE).outcome is Outcome.NOT_VERIFIED

    # Only the primary contact changes permissions.
    with pytest.raises(seccode.PermissionDenied):
        account.set_permission(CONTACT2, "Profile", "view", "allow", actor=CONTACT)


def test_creating_individual_codes_for_other_users(account: seccode.Account) -> None:
    """"Creating individual codes for your other users": Custom Fields tab, Security Code."""
    account.set_contact_code(CONTACT2, INDIVIDUAL_CODE, actor=JOE)
    assert account.contact(CONTACT2).has_code

    v = account.verify(CONTACT2, INDIVIDUAL_CODE)
    assert v.outcome is Outcome.VERIFIED
    assert v.reason is VerifyReason.INDIVIDUAL

    # The code is Contact Example 2's own: nobody else verifies with it.
    assert account.verify(CONTACT, INDIVIDUAL_CODE).outcome is Outcome.NOT_VERIFIED
    assert account.verify(JOE, INDIVIDUAL_CODE).outcome is Outcome.NOT_VERIFIED

    # A code naming the contact is refused.
    with pytest.raises(seccode.PolicyError) as err:
        account.set_contact_code(CONTACT2, "contact example 2 rules", actor=JOE)
    assert Reason.CONTAINS_NAME in err.value.reasons

    # A contact without Manage Contacts / Update cannot set codes.
    with pytest.raises(seccode.PermissionDenied) as denied:
        account.set_contact_code(CONTACT2, INDIVIDUAL_CODE, actor=CONTACT)
    assert "Manage Contacts / Update" in str(denied.value)
    assert denied.value.resource == "Manage Contacts"
    assert denied.value.action is Action.UPDATE


def test_changing_permissions_to_view_and_update_their_own_code(
    account: seccode.Account,
) -> None:
    """"Changing permissions for your other users": Manage Contacts View + Update Allow lets
    a user view and update their own code."""
    with pytest.raises(seccode.PermissionDenied):
        account.set_contact_code(CONTACT2, INDIVIDUAL_CODE, actor=CONTACT2)

    account.set_permission(CONTACT2, "Manage Contacts", Action.VIEW, Setting.ALLOW, actor=JOE)
    account.set_permission(CONTACT2, "Manage Contacts", Action.UPDATE, Setting.ALLOW, actor=JOE)

    # Step 6 as the portal shows it.
    row = next(
        line
        for line in account.render_grid(CONTACT2).splitlines()
        if line.lstrip().startswith("Manage Contacts ")
    )
    assert row.endswith("Allow  (None)  Allow  (None)")
    rows = {r.resource: r for r in account.grid_rows(CONTACT2)}
    assert rows["Manage Contacts"].line == "Allow  (None)  Allow  (None)"
    assert rows["Manage Contacts"].cells == ("Allow", "(None)", "Allow", "(None)")

    # Step 8: "This user can now view and update their security code."
    account.set_contact_code(CONTACT2, INDIVIDUAL_CODE, actor=CONTACT2)
    assert account.verify(CONTACT2, INDIVIDUAL_CODE).verified

    changes = [e for e in account.drain_audit() if e.kind == "permission_changed"]
    assert len(changes) == 2


def test_requests_after_verification(account: seccode.Account) -> None:
    """The seed's note: significant changes and cancellations need additional approval;
    requests that may cost money need Billing & Services / Update (SPEC 5)."""
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    check = account.verify(CONTACT, INDIVIDUAL_CODE)
    assert check.verified

    assert account.authorize_verified(check, "routine").allowed
    billable = account.authorize_verified(check, seccode.RequestKind.BILLABLE)
    assert billable.denied
    assert billable.reason is seccode.DenyReason.MISSING_PERMISSION
    assert billable.requirement is not None and "Billing & Services / Update" in billable.requirement

    account.set_permission(CONTACT, "Billing & Services", "update", "allow", actor=JOE)
    assert account.authorize_verified(check, "billable").allowed

    for kind in ("significant-change", seccode.RequestKind.CANCELLATION):
        decision = account.authorize_verified(check, kind)
        assert decision.needs_approval
        assert decision.kind is seccode.DecisionKind.NEEDS_APPROVAL
        assert decision.approvers == [JOE]

    wrong = account.verify(CONTACT, "not the code at all")
    refused = account.authorize_verified(wrong, "routine")
    assert refused.denied and refused.reason is seccode.DenyReason.NOT_VERIFIED
