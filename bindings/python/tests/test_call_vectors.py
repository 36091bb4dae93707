"""The shared vectors for verifications bound to their call (``verifications.json``, SPEC 7),
for legacy imports (``imports.json``, SPEC 6) and for PHP's bcrypt hashes
(``bcrypt_hashes.json``), answered through Python exactly as the other faces answer them."""

from __future__ import annotations

from typing import Any

import pytest

import seccode
from support import cheap_engine, vectors

CALLS = vectors("verifications.json")
IMPORTS = vectors("imports.json")


def two_accounts(engine: seccode.Engine) -> tuple[seccode.Account, seccode.Account]:
    any_company = seccode.Account(1707, "Any Company", engine=engine, primary=3522, primary_name="Joe Example")
    any_company.add_contact(3523, "Contact Example", actor=3522)
    other = seccode.Account(1708, "Other Company", engine=engine, primary=3600, primary_name="Jane Other")
    other.add_contact(3523, "Someone Else", actor=3600)
    return any_company, other


def run_step(account: seccode.Account, engine: seccode.Engine, step: dict[str, Any]) -> None:
    if "advance" in step:
        engine.advance_clock(step["advance"])
    elif "remove" in step:
        account.remove_contact(step["remove"], actor=3522)
    elif "add" in step:
        account.add_contact(step["add"], step["name"], actor=3522)
    elif "deactivate" in step:
        account.deactivate_contact(step["deactivate"], actor=3522)
    elif "reactivate" in step:
        account.reactivate_contact(step["reactivate"], actor=3522)
    elif "set_contact_code" in step:
        account.set_contact_code(step["set_contact_code"], step["code"], actor=3522)
    elif "set_account_code" in step:
        account.set_account_code(step["set_account_code"], actor=3522)
    else:
        raise AssertionError(f"unknown step {step}")


@pytest.mark.parametrize("case", CALLS["cases"], ids=[c["name"] for c in CALLS["cases"]])
def test_verification_vectors(case: dict[str, Any]) -> None:
    engine = cheap_engine(now=CALLS["start"], verification_lifetime_seconds=CALLS["lifetime_secs"])
    any_company, other = two_accounts(engine)
    any_company.set_contact_code(3523, "quiet harbor zebra violin", actor=3522)
    check = any_company.verify(3523, "quiet harbor zebra violin")
    assert check.call is not None
    for step in case["steps"]:
        run_step(any_company, engine, step)
    asked = {1707: any_company, 1708: other}[case["ask_account"]]
    assert asked.call_status(check.call).value == case["status"]
    decision = asked.authorize(check.call, "routine")
    expected = case["routine"]
    if expected["decision"] == "allowed":
        assert decision.allowed
    else:
        assert decision.denied
        assert decision.reason is not None and decision.reason.value == expected["reason"]


@pytest.mark.parametrize("vector", IMPORTS["vectors"], ids=[v["note"] for v in IMPORTS["vectors"]])
def test_import_vectors(vector: dict[str, Any]) -> None:
    engine = cheap_engine()
    account, _ = two_accounts(engine)
    account.set_contact_code(3523, "quiet harbor zebra violin", actor=3522)
    before = account.contact(3523).code_hash
    if vector["error"] is None:
        account.import_legacy_hash(vector["phc"], contact=3523, overwrite=True)
        assert account.unusable_hashes() == []
        return
    with pytest.raises(seccode.SeccodeError) as err:
        account.import_legacy_hash(vector["phc"], contact=3523, overwrite=True)
    assert err.value.code == vector["error"]
    after = account.contact(3523).code_hash
    assert before is not None and after is not None and after.phc == before.phc
    assert account.verify(3523, "quiet harbor zebra violin").verified


BCRYPT = vectors("bcrypt_hashes.json")


@pytest.mark.parametrize("vector", BCRYPT["vectors"], ids=[v["source"] for v in BCRYPT["vectors"]])
def test_bcrypt_vectors(vector: dict[str, Any]) -> None:
    """PHP's bcrypt hashes, imported through Python: each attempt answers as the vector says,
    and the first match upgrades the hash to Argon2id."""
    engine = cheap_engine()
    account, _ = two_accounts(engine)
    account.import_legacy_hash(vector["phc"], contact=3523)
    imported = account.contact(3523).code_hash
    assert imported is not None and imported.phc == vector["phc"]
    assert "bcrypt cost=" in repr(imported) and "argon2id" not in repr(imported)
    for attempt in vector["attempts"]:
        if not attempt["matched"]:
            v = account.verify(3523, attempt["code"])
            assert not v.verified and v.upgrades == [], attempt["code"]
    good = next(a["code"] for a in vector["attempts"] if a["matched"])
    v = account.verify(3523, good)
    assert v.verified
    assert [u.hash.phc.startswith("$argon2id$") for u in v.upgrades] == [True]
    upgraded = account.contact(3523).code_hash
    assert upgraded is not None and upgraded.phc.startswith("$argon2id$")
    assert "code_upgraded" in [e.kind for e in account.drain_audit()]


@pytest.mark.parametrize("refused", BCRYPT["refused"], ids=[r["note"] for r in BCRYPT["refused"]])
def test_bcrypt_refused_vectors(refused: dict[str, Any]) -> None:
    engine = cheap_engine()
    account, _ = two_accounts(engine)
    if refused["error"] is None:
        account.import_legacy_hash(refused["phc"], contact=3523)
        return
    with pytest.raises(seccode.SeccodeError) as err:
        account.import_legacy_hash(refused["phc"], contact=3523)
    assert err.value.code == refused["error"]
    assert account.contact(3523).code_hash is None
