"""No secret in any repr, str, exception message, exception attribute, traceback, audit
event or stored data."""

from __future__ import annotations

import pickle
import traceback
from typing import Callable

import pytest

import seccode
from support import CONTACT, CONTACT2, JOE, cheap_engine

SECRET = "Zanzibar quokka telescope"
MARKERS = ("zanzibar", "quokka", "telescope")
PEPPER = b"pepper-secret-0123456789"
SEALING_KEY = b"sealing-secret-0123456789abcdefg"


def assert_clean(text: str) -> None:
    lowered = text.lower()
    for marker in MARKERS:
        assert marker not in lowered, text
    assert "pepper-secret" not in lowered, text
    assert "sealing-secret" not in lowered, text


def everything_shown(obj: object) -> str:
    """repr and str of an object and of every public attribute it has."""
    parts = [repr(obj), str(obj)]
    for name in dir(obj):
        if name.startswith("_"):
            continue
        try:
            value = getattr(obj, name)
        except Exception as e:  # noqa: BLE001 - a failing getter is shown too
            value = e
        if callable(value):
            continue
        parts += [repr(value), str(value)]
    return "\n".join(parts)


def test_reprs_and_views_hold_no_code() -> None:
    engine = cheap_engine(
        pepper=PEPPER, pepper_key_id="k1", sealing_key=SEALING_KEY, sealing_key_id="s1"
    )
    account = seccode.Account(
        1707, "Any Company", engine=engine, primary=JOE, primary_name="Joe Example"
    )
    account.add_contact(CONTACT, "Contact Example", actor=JOE)
    account.set_account_code(SECRET, actor=JOE)
    account.set_contact_code(CONTACT, bytearray(SECRET.encode()), actor=JOE)
    account.set_permission(CONTACT, "Profile", "view", "allow", actor=JOE)
    verified = account.verify(CONTACT, SECRET.encode())
    failed = account.verify(CONTACT2, SECRET)
    assert verified.verified and not failed.verified
    assert verified.call is not None

    shown = [
        engine, engine.policy, account, account.catalog, verified, failed,
        verified.call, verified.call.to_json(), verified.lock_status, account.lock_status(CONTACT),
        account.contact(CONTACT).to_json(),
        account.authorize_verified(verified, "cancellation"),
        account.effective(CONTACT, "Profile", "view"),
        *account.contacts, *account.grid_rows(CONTACT), *account.audit,
    ]
    for obj in shown:
        assert_clean(everything_shown(obj))
    assert engine.pepper_key_id == "k1"
    assert "k1" in repr(engine)

    stored = account.to_json()
    assert_clean(stored)  # sealed copies are ciphertext
    assert account.reveal_account_code(actor=JOE) == SECRET, "the one way to the plaintext"
    for event in account.drain_audit():
        assert_clean(event.to_json())
        assert_clean(str(event.to_dict()))
    assert_clean(repr(account.account_code_hash))
    hash_repr = repr(account.account_code_hash)
    phc = account.account_code_hash.phc if account.account_code_hash else ""
    assert phc.split("$")[-1] not in hash_repr, "the repr of a hash shows no hash bytes"


def test_policy_errors_never_echo_the_code(account: seccode.Account) -> None:
    code = "Joe Example 123-45-6789 password"
    with pytest.raises(seccode.PolicyError) as err:
        account.set_contact_code(JOE, code, actor=JOE)
    shown = "\n".join(
        [str(err.value), repr(err.value), repr(err.value.args), repr(err.value.__dict__)]
        + [r.message for r in err.value.reasons]
        + traceback.format_exception(type(err.value), err.value, err.value.__traceback__)
    )
    assert "123-45" not in shown
    assert "password" not in shown.replace("common_password", "")
    assert err.value.__cause__ is None and err.value.__context__ is None
    assert seccode.Reason.SSN_SHAPED in err.value.reasons
    assert seccode.Reason.CONTAINS_NAME in err.value.reasons
    assert all(isinstance(r, seccode.Reason) for r in err.value.reasons)


def test_errors_around_codes_never_echo_them(account: seccode.Account) -> None:
    calls: list[Callable[[], object]] = [
        lambda: account.set_contact_code(CONTACT, SECRET, actor=CONTACT2),  # permission
        lambda: account.set_contact_code(9999, SECRET, actor=JOE),  # unknown contact
        lambda: account.verify(CONTACT, SECRET + "\udc80"),  # not UTF-8
        lambda: account.verify(CONTACT, (SECRET + " ") * 50),  # too long
        lambda: account.verify(CONTACT, 12345),  # type: ignore[arg-type]  # wrong type
        lambda: seccode.verify_code(SECRET, SECRET, engine=account.engine),  # code as a hash
        lambda: seccode.Account.from_json('{"format": 1, "name": "' + SECRET + '", ', engine=account.engine),
        lambda: seccode.Account.from_json('{"format": 1, "id": "' + SECRET + '"}', engine=account.engine),
        # A plaintext "Phone/Chat Code" where a hash belongs is refused without quoting it.
        lambda: seccode.Account.from_json(
            '{"format": 1, "id": 1, "name": "A", "phone_chat_code": "' + SECRET + '",'
            ' "contacts": [{"id": 1, "name": "B", "primary": true}]}',
            engine=account.engine,
        ),
    ]
    for call in calls:
        with pytest.raises(Exception) as err:
            call()
        exc = err.value
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        text += repr(exc) + repr(getattr(exc, "__dict__", {}))
        assert_clean(text)


def test_verification_results_show_only_the_outcome(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, SECRET, actor=JOE)
    v = account.verify(CONTACT, SECRET)
    assert str(v) == "verified"
    assert repr(v) == "<Verification contact=3523 outcome=verified>"
    w = account.verify(CONTACT, "wrong but long enough")
    assert str(w) == "not verified"
    assert "wrong_code" not in repr(w), "the audit reason is not in the repr"


def test_exceptions_pickle_with_their_attributes(account: seccode.Account) -> None:
    with pytest.raises(seccode.PermissionDenied) as err:
        account.set_account_code(SECRET, actor=CONTACT)
    again = pickle.loads(pickle.dumps(err.value))
    assert type(again) is seccode.PermissionDenied
    assert str(again) == str(err.value)
    assert again.code == "permission_denied"
    assert again.resource == "Profile" and again.action is seccode.Action.UPDATE
