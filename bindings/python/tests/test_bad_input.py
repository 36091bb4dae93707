"""Bad input answers with a typed error, never a crash: wrong types, None, empty, a 1 MiB
code, invalid UTF-8, invalid JSON, unknown ids and names."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import seccode
from support import ACCOUNT_CODE, CONTACT, JOE, cheap_engine

ONE_MIB = "x" * (1 << 20)


def code_entry_points(account: seccode.Account) -> list[Callable[[Any], object]]:
    """Every entry point that takes a code, as a function of the code."""
    engine = account.engine
    policy = engine.policy
    return [
        lambda c: account.verify(CONTACT, c),
        lambda c: account.set_account_code(c, actor=JOE),
        lambda c: account.set_contact_code(CONTACT, c, actor=JOE),
        lambda c: account.check_code(c),
        lambda c: account.import_legacy_code(c, contact=CONTACT),
        lambda c: policy.check(c),
        lambda c: engine.hash_code(c),
        lambda c: seccode.hash_code(c, engine=engine),
        lambda c: seccode.verify_code("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", c, engine=engine),
    ]


@pytest.mark.parametrize("bad", [None, 42, 4.2, ["code"], {"code": 1}, object(), memoryview(b"abcdefgh")])
def test_codes_of_the_wrong_type_raise_type_error(account: seccode.Account, bad: object) -> None:
    for call in code_entry_points(account):
        with pytest.raises(TypeError) as err:
            call(bad)
        assert "str, bytes or bytearray" in str(err.value)


@pytest.mark.parametrize("empty", ["", b"", bytearray()])
def test_empty_codes_are_invalid_arguments(account: seccode.Account, empty: object) -> None:
    for call in code_entry_points(account):
        with pytest.raises(seccode.InvalidArgument) as err:
            call(empty)
        assert isinstance(err.value, ValueError)
        assert err.value.code == "invalid_input"
        assert "security code" in str(err.value)


@pytest.mark.parametrize("huge", [ONE_MIB, ONE_MIB.encode(), bytearray(ONE_MIB.encode())])
def test_a_1_mib_code_is_refused_cheaply(account: seccode.Account, huge: object) -> None:
    for call in code_entry_points(account):
        with pytest.raises(seccode.InvalidArgument) as err:
            call(huge)
        assert "longer than" in str(err.value)
        assert "xxxx" not in str(err.value)


@pytest.mark.parametrize("raw", [b"\xff\xfe code", bytearray(b"abc\xc3"), b"\xed\xa0\x80abcdefgh"])
def test_invalid_utf8_codes(account: seccode.Account, raw: object) -> None:
    for call in code_entry_points(account):
        with pytest.raises(seccode.InvalidArgument) as err:
            call(raw)
        assert "UTF-8" in str(err.value)


def test_unencodable_str_codes_do_not_chain_the_unicode_error(account: seccode.Account) -> None:
    """A lone surrogate cannot be UTF-8; the UnicodeEncodeError (which quotes the text) is
    not attached to the InvalidArgument."""
    for call in code_entry_points(account):
        with pytest.raises(seccode.InvalidArgument) as err:
            call("secret\ud800code")
        assert err.value.__cause__ is None
        assert err.value.__context__ is None
        assert "secret" not in str(err.value)


def test_unknown_contacts(account: seccode.Account) -> None:
    calls: list[Callable[[], object]] = [
        lambda: account.contact(9999),
        lambda: account.set_contact_code(9999, ACCOUNT_CODE, actor=JOE),
        lambda: account.set_account_code(ACCOUNT_CODE, actor=9999),
        lambda: account.effective(9999, "Profile", "view"),
        lambda: account.render_grid(9999),
        lambda: account.render_settings(9999),
        lambda: account.grid_rows(9999),
        lambda: account.permissions(9999),
        lambda: account.lock_status(9999),
        lambda: account.unlock(9999, actor=JOE),
        lambda: account.may_know_account_code(9999),
        lambda: account.import_legacy_code(ACCOUNT_CODE, contact=9999),
        lambda: account.import_legacy_hash(seccode.hash_code(ACCOUNT_CODE, engine=account.engine), contact=9999),
        lambda: account.reveal_contact_code(9999, actor=JOE),
    ]
    for call in calls:
        with pytest.raises(seccode.NotFound) as err:
            call()
        assert isinstance(err.value, LookupError)
        assert err.value.code == "unknown_contact"
        assert "9999" in str(err.value)


def test_an_unknown_contact_verifies_as_not_verified(account: seccode.Account) -> None:
    """Verification never reveals whether a contact exists: a result, not NotFound."""
    v = account.verify(9999, ACCOUNT_CODE)
    assert v.outcome is seccode.Outcome.NOT_VERIFIED
    assert v.reason is seccode.VerifyReason.UNKNOWN_CONTACT


def test_unknown_resources_and_enum_names(account: seccode.Account) -> None:
    with pytest.raises(seccode.NotFound) as err:
        account.effective(CONTACT, "Vivitech Website", "view")
    assert err.value.code == "unknown_resource"
    with pytest.raises(seccode.NotFound):
        account.catalog.parent("Profiles")
    unverified = account.verify(CONTACT, "not the right code")
    bad_names: list[Callable[[], object]] = [
        lambda: account.set_permission(CONTACT, "Profile", "execute", "allow", actor=JOE),
        lambda: account.set_permission(CONTACT, "Profile", "view", "maybe", actor=JOE),
        lambda: account.authorize_verified(unverified, "refund"),
        lambda: account.set_normalization("loose", actor=JOE),
        lambda: account.engine.hash_code(ACCOUNT_CODE, normalization="loose"),
        lambda: account.engine.policy.describe("too_pretty"),
    ]
    for call in bad_names:
        with pytest.raises(seccode.InvalidArgument) as bad:
            call()
        message = str(bad.value)
        assert "expected one of" in message
        for value in ("execute", "maybe", "refund", "loose", "too_pretty"):
            assert value not in message, "an argument's value is never echoed"


@pytest.mark.parametrize("wrong", [None, "3523", 3.5, -1])
def test_ids_of_the_wrong_type(account: seccode.Account, wrong: object) -> None:
    with pytest.raises((TypeError, OverflowError)):
        account.contact(wrong)  # type: ignore[arg-type]
    with pytest.raises((TypeError, OverflowError)):
        account.verify(wrong, ACCOUNT_CODE)  # type: ignore[arg-type]


def test_none_where_text_is_required(account: seccode.Account, engine: seccode.Engine) -> None:
    with pytest.raises(TypeError):
        account.add_contact(4000, None, actor=JOE)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        account.set_permission(CONTACT, None, "view", "allow", actor=JOE)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        seccode.Account.from_json(None, engine=engine)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        seccode.Catalog.from_json(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        account.verify(CONTACT)  # type: ignore[call-arg]


def test_empty_and_oversized_details(account: seccode.Account, engine: seccode.Engine) -> None:
    with pytest.raises(seccode.InvalidArgument):
        account.add_contact(4000, "", actor=JOE)
    with pytest.raises(seccode.InvalidArgument):
        account.add_contact(4000, "x" * 201, actor=JOE)
    with pytest.raises(seccode.InvalidArgument):
        account.add_contact(4000, "Name\x00", actor=JOE)
    with pytest.raises(seccode.InvalidArgument):
        account.edit_contact(CONTACT, actor=JOE, email="no-at-sign")
    with pytest.raises(seccode.InvalidArgument):
        account.add_contact(4000, "New Contact", actor=JOE, rwhois=["admin"])
    with pytest.raises(TypeError):
        account.add_contact(4000, "New Contact", actor=JOE, rwhois="poc")
    with pytest.raises(seccode.InvalidArgument):
        seccode.Account(1, "", engine=engine, primary=1, primary_name="Owner")
    assert [c.id for c in account.contacts] == [3522, 3523, 3526]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "not json",
        "[]",
        "{}",
        '{"format": 2, "id": 1, "name": "A", "contacts": []}',
        '{"format": "1"}',
        '{"format": 1, "id": 1, "name": "A", "contacts": []}',
        '{"format": 1, "id": 1, "name": "A", "contacts": [{"id": 1, "name": "B"}]}',
        '{"format": 1, "id": 1, "name": "A", "contacts": [{"id": 1, "name": "B", "primary": true}],'
        ' "security_code": "$argon2id$v=19$m=1,t=1,p=1$bad$bad"}',
        '{"format": 1, "id": 1, "name": "A", "surprise": true, "contacts": []}',
        b"\xff\xfe{}",
        "x" * (1 << 20),
    ],
)
def test_invalid_account_json(engine: seccode.Engine, text: Any) -> None:
    with pytest.raises(seccode.MalformedData) as err:
        seccode.Account.from_json(text, engine=engine)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("text", ["", "{", "[]", '{"resources": []}', b"\xff"])
def test_invalid_catalog_json(text: Any) -> None:
    with pytest.raises(seccode.MalformedData):
        seccode.Catalog.from_json(text)


def test_engine_configuration_errors() -> None:
    with pytest.raises(seccode.InvalidArgument):
        seccode.Engine(memory_kib=64, iterations=0)
    with pytest.raises(seccode.InvalidArgument):
        seccode.Engine(memory_kib=64, iterations=1, max_failures=0)
    with pytest.raises(seccode.InvalidArgument):
        seccode.Engine(memory_kib=64, iterations=1, lockout_seconds=0)
    with pytest.raises(seccode.InvalidArgument):
        seccode.Engine(memory_kib=64, iterations=1, pepper=b"0123456789abcdef")
    with pytest.raises(seccode.InvalidArgument):
        seccode.Engine(memory_kib=64, iterations=1, pepper=b"short", pepper_key_id="k1")
    with pytest.raises(TypeError):
        seccode.Engine(memory_kib=64, iterations=1, pepper="0123456789abcdef", pepper_key_id="k1")  # type: ignore[arg-type]
    with pytest.raises((OverflowError, TypeError)):
        seccode.Engine(memory_kib=-1)
    with pytest.raises(seccode.InvalidArgument):
        seccode.CodePolicy(min_chars=0)
    with pytest.raises(seccode.InvalidArgument):
        seccode.CodePolicy(min_strength=5)
    with pytest.raises(seccode.InvalidArgument):
        cheap_engine(now=None).advance_clock(10)


def test_malformed_phc_strings(engine: seccode.Engine) -> None:
    for phc in ["", "not a hash", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$" * 600]:
        with pytest.raises(seccode.MalformedData) as err:
            engine.verify_code(phc, ACCOUNT_CODE)
        assert err.value.code == "malformed_hash"
    huge = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
    with pytest.raises(seccode.MalformedData) as err:
        engine.verify_code(huge, ACCOUNT_CODE)
    assert err.value.code == "hash_ceiling_exceeded"


def test_needs_rehash_refuses_what_verify_code_refuses(engine: seccode.Engine) -> None:
    tail = "c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
    for phc in [
        "",
        "not a hash",
        f"$argon2i$v=19$m=64,t=1,p=1${tail}",
        f"$argon2id$v=16$m=64,t=1,p=1${tail}",
        f"$argon2id$v=19$m=64,t=1,p=1,keyid=azE${tail}",  # a plain hash has no pepper
        "$" * 600,
    ]:
        calls: list[Callable[[str], bool]] = [
            seccode.needs_rehash,
            lambda p: seccode.needs_rehash(p, engine=engine),
            engine.needs_rehash,
        ]
        for call in calls:
            with pytest.raises(seccode.MalformedData) as err:
                call(phc)
            assert err.value.code == "malformed_hash"
            assert "aGFzaGhhc2hoYXNo" not in str(err.value)
        with pytest.raises(seccode.MalformedData):
            engine.verify_code(phc, ACCOUNT_CODE)
    # Over the ceilings: verify_code refuses it, and it needs a rehash all the more.
    huge = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
    assert engine.needs_rehash(huge) is True
    for wrong_type in (None, b"$argon2id$", 7):
        with pytest.raises(TypeError):
            seccode.needs_rehash(wrong_type)  # type: ignore[arg-type]


def test_conflicts(account: seccode.Account) -> None:
    with pytest.raises(seccode.Conflict) as err:
        account.deactivate_contact(JOE, actor=JOE)
    assert err.value.code == "primary_contact"
    with pytest.raises(seccode.Conflict) as err:
        account.set_permission(JOE, "Profile", "view", "deny", actor=JOE)
    assert err.value.code == "primary_contact"
    with pytest.raises(seccode.Conflict) as err:
        account.add_contact(CONTACT, "Again", actor=JOE)
    assert err.value.code == "duplicate_contact"
    with pytest.raises(seccode.Conflict) as err:
        account.set_permission(CONTACT, "Website", "update", "allow", actor=JOE)
    assert err.value.code == "not_applicable"
