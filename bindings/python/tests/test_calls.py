"""What the core added in 1.0, through the Python face: a verification is for one call
(SPEC 7), imports refuse hashes over the ceilings (SPEC 6), and sealed copies reveal codes to
entitled contacts. Time is the engine's manual clock; nothing sleeps."""

from __future__ import annotations

import json
from typing import Callable

import pytest

import seccode
from seccode import CallStatus, DenyReason, Slot
from support import (
    ACCOUNT_CODE,
    CONTACT,
    CONTACT2,
    INDIVIDUAL_CODE,
    JOE,
    NOW,
    cheap_engine,
    make_any_company,
)

SEALING_KEY = bytes(range(32))

# ----- a verification is for one call (SPEC 7) -----


def verified_call(account: seccode.Account, contact: int, code: str) -> seccode.VerifiedCall:
    check = account.verify(contact, code)
    assert check.verified
    assert check.call is not None
    return check.call


def test_a_verified_call_names_its_account_contact_slot_and_lifetime(
    account: seccode.Account, engine: seccode.Engine
) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    call = verified_call(account, CONTACT, INDIVIDUAL_CODE)
    assert (call.account, call.contact, call.slot) == (1707, CONTACT, Slot.INDIVIDUAL)
    assert (call.verified_at, call.expires_at) == (NOW, NOW + 900)
    assert account.call_status(call) is CallStatus.VALID
    assert account.authorize(call, "routine").allowed
    assert account.authorize(call, "significant_change").approvers == [JOE]
    assert repr(call).startswith("<VerifiedCall account=1707 contact=3523 individual")
    assert account.verify(CONTACT, "not it at all").call is None

    # It holds no secret and survives JSON, on its own and next to the account's data.
    text = call.to_json()
    assert "harbor" not in text.lower()
    again = seccode.VerifiedCall.from_json(text)
    assert again == call and seccode.VerifiedCall.from_json(text.encode()) == call
    reloaded = seccode.Account.from_json(account.to_json(), engine=engine)
    assert reloaded.authorize(again, "routine").allowed


def test_a_call_made_on_one_account_is_void_on_another() -> None:
    """Account 1707 verifies contact 3523; account 1708 also has a contact 3523."""
    engine = cheap_engine()
    first = make_any_company(engine)
    first.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    second = seccode.Account(1708, "Other Company", engine=engine, primary=JOE, primary_name="Joe Other")
    second.add_contact(CONTACT, "Contact Other", actor=JOE)
    second.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)

    call = verified_call(first, CONTACT, INDIVIDUAL_CODE)
    assert first.authorize(call, "routine").allowed
    decision = second.authorize(call, "routine")
    assert decision.denied and decision.reason is DenyReason.VERIFICATION_VOID
    assert "verify again" in str(decision)
    assert second.call_status(call) is CallStatus.VOID


def test_removing_and_re_adding_the_contact_voids_the_call(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    call = verified_call(account, CONTACT, INDIVIDUAL_CODE)
    account.remove_contact(CONTACT, actor=JOE)
    assert account.authorize(call, "routine").reason is DenyReason.VERIFICATION_VOID
    account.add_contact(CONTACT, "Someone Else", actor=JOE)  # a different person, same id
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    decision = account.authorize(call, "routine")
    assert decision.denied and decision.reason is DenyReason.VERIFICATION_VOID
    assert account.call_status(call) is CallStatus.VOID


def test_a_changed_code_voids_the_call(account: seccode.Account) -> None:
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.set_contact_code(CONTACT2, INDIVIDUAL_CODE, actor=JOE)
    by_account_code = verified_call(account, JOE, ACCOUNT_CODE)
    by_own_code = verified_call(account, CONTACT2, INDIVIDUAL_CODE)
    assert by_account_code.slot is Slot.ACCOUNT_WIDE

    account.set_account_code("Granite meadow whistles softly", actor=JOE)
    assert account.call_status(by_account_code) is CallStatus.VOID
    assert account.call_status(by_own_code) is CallStatus.VALID, "another slot's change"
    account.clear_contact_code(CONTACT2, actor=JOE)
    assert account.call_status(by_own_code) is CallStatus.VOID


def test_a_call_expires_after_the_engine_lifetime() -> None:
    engine = cheap_engine(verification_lifetime_seconds=600)
    assert engine.verification_lifetime_seconds == 600
    account = make_any_company(engine)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    check = account.verify(CONTACT, INDIVIDUAL_CODE)
    assert check.call is not None and check.call.expires_at == NOW + 600

    engine.advance_clock(599)
    assert account.authorize_verified(check, "routine").allowed
    engine.advance_clock(1)
    for decision in (account.authorize_verified(check, "routine"), account.authorize(check.call, "routine")):
        assert decision.denied and decision.reason is DenyReason.VERIFICATION_EXPIRED
    assert account.call_status(check.call) is CallStatus.EXPIRED
    assert verified_call(account, CONTACT, INDIVIDUAL_CODE).expires_at == NOW + 1200


def test_the_default_lifetime_is_fifteen_minutes(account: seccode.Account, engine: seccode.Engine) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    call = verified_call(account, CONTACT, INDIVIDUAL_CODE)
    engine.advance_clock(15 * 60 - 1)
    assert account.call_status(call) is CallStatus.VALID
    engine.advance_clock(1)
    assert account.call_status(call) is CallStatus.EXPIRED


@pytest.mark.parametrize("text", ["", "{", "[]", '{"account": 1}', '{"account": "1707"}', "null"])
def test_malformed_calls_are_refused(text: str) -> None:
    with pytest.raises(seccode.MalformedData):
        seccode.VerifiedCall.from_json(text)


def test_a_forged_call_is_void(account: seccode.Account) -> None:
    """The JSON form is for a script keeping its own call, not a credential: a call edited
    to name another contact does not hold."""
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    data = json.loads(verified_call(account, CONTACT, INDIVIDUAL_CODE).to_json())
    data["contact"] = JOE
    forged = seccode.VerifiedCall.from_json(json.dumps(data))
    assert account.call_status(forged) is CallStatus.VOID


def test_invalid_lifetimes_are_refused() -> None:
    for seconds in (0, -1):
        with pytest.raises(seccode.InvalidArgument):
            cheap_engine(verification_lifetime_seconds=seconds)


# ----- imports refuse what could never verify (SPEC 6) -----

OVER_CEILING = "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"


def test_a_hash_over_the_ceilings_is_refused_and_replaces_nothing(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    before = account.contact(CONTACT).code_hash
    for overwrite in (False, True):
        with pytest.raises(seccode.MalformedData) as err:
            account.import_legacy_hash(OVER_CEILING, contact=CONTACT, overwrite=overwrite)
        assert err.value.code == "hash_ceiling_exceeded"
    with pytest.raises(seccode.MalformedData):
        account.import_legacy_hash(OVER_CEILING)  # the account-wide slot, empty
    assert account.contact(CONTACT).code_hash == before
    assert not account.has_account_code
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified
    assert account.unusable_hashes() == []
    assert "code_imported" not in [e.kind for e in account.drain_audit()]


def test_imports_replace_a_code_only_when_asked(account: seccode.Account, engine: seccode.Engine) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    legacy = seccode.hash_code("old phone code", normalization="exact", engine=engine)
    attempts: list[Callable[[], None]] = [
        lambda: account.import_legacy_hash(legacy, contact=CONTACT),
        lambda: account.import_legacy_code("old phone code", contact=CONTACT),
    ]
    for attempt in attempts:
        with pytest.raises(seccode.Conflict) as err:
            attempt()
        assert err.value.code == "already_set"
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified

    account.import_legacy_hash(legacy, contact=CONTACT, overwrite=True)
    assert account.verify(CONTACT, "old phone code").verified
    account.import_legacy_code("older phone code", contact=CONTACT, overwrite=True)
    assert account.verify(CONTACT, "older phone code").verified
    account.import_legacy_code("account phone code")  # empty slot: no overwrite needed
    with pytest.raises(seccode.Conflict):
        account.import_legacy_code("account phone code")


def test_stored_hashes_over_the_ceilings_are_reported() -> None:
    """A hash already in stored data that the engine cannot use still loads, verifies as not
    verified (unusable_hash), and unusable_hashes() reports it."""
    strong = cheap_engine(memory_kib=128)
    account = make_any_company(strong)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    text = account.to_json()

    capped = cheap_engine(memory_kib=64, max_memory_kib=64)
    loaded = seccode.Account.from_json(text, engine=capped)
    found = sorted(loaded.unusable_hashes(), key=lambda u: u.contact or 0)
    assert [(u.slot, u.contact, u.code) for u in found] == [
        (Slot.ACCOUNT_WIDE, None, "hash_ceiling_exceeded"),
        (Slot.INDIVIDUAL, CONTACT, "hash_ceiling_exceeded"),
    ]
    assert "contact `3523`" in str(found[1]) and "ceiling" in found[1].message
    v = loaded.verify(CONTACT, INDIVIDUAL_CODE)
    assert v.outcome is seccode.Outcome.NOT_VERIFIED
    assert v.reason is seccode.VerifyReason.UNUSABLE_HASH
    assert seccode.Account.from_json(text, engine=strong).unusable_hashes() == []


# ----- the contact view and lock status come from the core -----


def test_contact_snapshots_are_the_core_view(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    account.set_permission(CONTACT, "Profile", "view", "allow", actor=JOE)
    account.verify(CONTACT, "wrong guess number one")
    view = json.loads(account.contact(CONTACT).to_json())
    assert view["id"] == CONTACT and view["has_code"] and view["may_know_account_code"]
    assert (view["failed_attempts"], view["locked"], view["locked_until"]) == (1, False, None)
    assert "harbor" not in account.contact(CONTACT).to_json().lower()
    assert not account.contact(CONTACT2).may_know_account_code
    assert account.contact(JOE).may_know_account_code

    status = account.lock_status(CONTACT)
    assert (status.locked, status.failed_attempts, status.locked_until) == (False, 1, None)
    for _ in range(4):
        last = account.verify(CONTACT, "wrong guess number two")
    assert last.lock_status == account.lock_status(CONTACT)
    assert account.lock_status(CONTACT).locked_until == NOW + 1800
    assert account.contact(CONTACT).locked


# ----- sealed copies -----


def sealed_engine() -> seccode.Engine:
    return cheap_engine(sealing_key=SEALING_KEY, sealing_key_id="seal-1")


def test_sealed_copies_reveal_codes_to_entitled_contacts() -> None:
    engine = sealed_engine()
    assert engine.sealing_key_id == "seal-1"
    account = make_any_company(engine)
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    account.drain_audit()

    assert account.reveal_account_code(actor=JOE) == ACCOUNT_CODE
    assert account.reveal_contact_code(CONTACT, actor=JOE) == INDIVIDUAL_CODE
    with pytest.raises(seccode.PermissionDenied):
        account.reveal_account_code(actor=CONTACT2)
    with pytest.raises(seccode.PermissionDenied):
        account.reveal_contact_code(CONTACT, actor=CONTACT2)
    account.set_permission(CONTACT2, "Profile", "view", "allow", actor=JOE)
    assert account.reveal_account_code(actor=CONTACT2) == ACCOUNT_CODE

    revealed = [e for e in account.drain_audit() if e.kind == "code_revealed"]
    assert [(e.actor, e.contact) for e in revealed] == [(JOE, None), (JOE, CONTACT), (CONTACT2, None)]
    assert all("thunder" not in e.to_json().lower() for e in revealed)

    # The sealed copies travel with the data and open under the same key only.
    text = account.to_json()
    assert "thunder" not in text.lower()
    assert seccode.Account.from_json(text, engine=sealed_engine()).reveal_account_code(actor=JOE) == ACCOUNT_CODE
    other_key = cheap_engine(sealing_key=bytes(32), sealing_key_id="seal-1")
    with pytest.raises(seccode.SeccodeError):
        seccode.Account.from_json(text, engine=other_key).reveal_account_code(actor=JOE)


def test_without_a_sealing_key_nothing_is_revealed(account: seccode.Account) -> None:
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    reveals: list[Callable[[], str]] = [
        lambda: account.reveal_account_code(actor=JOE),
        lambda: account.reveal_contact_code(CONTACT, actor=JOE),
    ]
    for reveal in reveals:
        with pytest.raises(seccode.Conflict) as err:
            reveal()
        assert err.value.code == "sealed"
        assert "sealed" in str(err.value)
        assert "thunder" not in str(err.value).lower() and "harbor" not in str(err.value).lower()
    assert "code_revealed" not in [e.kind for e in account.drain_audit()]

    # A key added later cannot reveal codes set before it: they have no sealed copy.
    later = seccode.Account.from_json(account.to_json(), engine=sealed_engine())
    with pytest.raises(seccode.Conflict):
        later.reveal_account_code(actor=JOE)


@pytest.mark.parametrize(
    "config",
    [
        {"sealing_key": bytes(31), "sealing_key_id": "k"},
        {"sealing_key": bytes(33), "sealing_key_id": "k"},
        {"sealing_key": SEALING_KEY},
        {"sealing_key_id": "k"},
        {"sealing_key": SEALING_KEY, "sealing_key_id": ""},
    ],
)
def test_bad_sealing_keys_are_refused(config: dict[str, object]) -> None:
    with pytest.raises(seccode.InvalidArgument) as err:
        cheap_engine(**config)
    assert "sealing key" in str(err.value)


def test_sealing_keys_must_be_bytes() -> None:
    with pytest.raises(TypeError):
        cheap_engine(sealing_key="x" * 32, sealing_key_id="k")
