"""The rest of the Python face: engine settings and clock, lockout, contacts, JSON, audit,
catalogs, upgrades, enums, and that the package under test is the installed one."""

from __future__ import annotations

import json
import pathlib
import sysconfig

import pytest

import seccode
from seccode import Action, Effective, Origin, Outcome, Setting, VerifyReason
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

# ----- the package under test -----


def test_the_installed_package_is_under_test() -> None:
    here = pathlib.Path(seccode.__file__).resolve()
    site = {pathlib.Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    assert any(here.is_relative_to(s) for s in site), here
    source = pathlib.Path(__file__).resolve().parent.parent / "python"
    assert not here.is_relative_to(source), here
    native = pathlib.Path(seccode._native.__file__)
    assert native.parent == here.parent
    assert ".abi3." in native.name, native.name
    assert (here.parent / "py.typed").exists()
    assert (here.parent / "_native.pyi").exists()


def test_version_and_exports() -> None:
    assert seccode.__version__.count(".") == 2
    for name in seccode.__all__:
        assert hasattr(seccode, name), name
    assert issubclass(seccode.InvalidArgument, ValueError)
    assert issubclass(seccode.NotFound, LookupError)
    assert issubclass(seccode.PolicyError, ValueError)
    assert issubclass(seccode.MalformedData, ValueError)
    for exc in (
        seccode.InvalidArgument, seccode.NotFound, seccode.PermissionDenied,
        seccode.PolicyError, seccode.MalformedData, seccode.Conflict,
    ):
        assert issubclass(exc, seccode.SeccodeError)


def test_enums_match_the_core() -> None:
    core = dict(seccode._native._core_names())
    assert [a.value for a in seccode.Action] == core["Action"]
    assert [s.value for s in seccode.Setting] == core["Setting"]
    assert [k.value for k in seccode.RequestKind] == core["RequestKind"]
    assert [r.value for r in seccode.Reason] == core["Reason"]
    assert [o.value for o in seccode.Outcome] == core["Outcome"]
    assert sorted(s.value for s in seccode.Slot) == sorted(core["Slot"])
    assert [r.value for r in seccode.VerifyReason] == core["VerifyReason"]
    assert seccode.RequestKind.SIGNIFICANT_CHANGE.value == "significant_change"
    assert [r.number for r in seccode.Reason] == list(range(1, 12))
    assert seccode.Reason.TOO_SHORT.message.startswith("the code must have at least 8")
    assert str(Action.VIEW) == "view" and isinstance(Action.VIEW, str)
    assert Action.VIEW.value == "view" and f"{Action.VIEW}" == "view"
    assert Action("update") is Action.UPDATE


# ----- engine -----


def test_engine_settings_and_defaults() -> None:
    engine = cheap_engine(max_failures=3, lockout_seconds=60, max_concurrent=2)
    assert (engine.memory_kib, engine.iterations, engine.parallelism) == (64, 1, 1)
    assert (engine.max_failures, engine.lockout_seconds, engine.max_concurrent) == (3, 60, 2)
    assert engine.pepper_key_id is None
    assert engine.policy == seccode.CodePolicy()
    assert engine.manual_clock and engine.now == NOW
    engine.advance_clock(90)
    assert engine.now == NOW + 90
    engine.set_clock(NOW)
    assert engine.now == NOW

    default = seccode.Engine()
    assert (default.memory_kib, default.iterations, default.parallelism) == (19456, 2, 1)
    assert (default.max_failures, default.lockout_seconds) == (5, 1800)
    assert default.verification_lifetime_seconds == 900 and default.sealing_key_id is None
    assert not default.manual_clock
    policy = default.policy
    assert (policy.min_chars, policy.max_chars, policy.min_strength) == (8, 128, 3)
    assert "memory_kib=19456" in repr(default)


def test_code_policy_settings() -> None:
    policy = seccode.CodePolicy(min_chars=12, min_strength=0)
    assert policy.check("short code") == [seccode.Reason.TOO_SHORT]
    assert "12" in policy.describe(seccode.Reason.TOO_SHORT)
    assert policy.describe("too_short") == policy.describe(seccode.Reason.TOO_SHORT)
    assert policy != seccode.CodePolicy()
    engine = cheap_engine(policy=policy)
    account = make_any_company(engine)
    with pytest.raises(seccode.PolicyError) as err:
        account.set_account_code("tiny code!", actor=JOE)
    assert err.value.reasons == [seccode.Reason.TOO_SHORT]
    account.set_account_code("zzzz yyyy xxxx wwww", actor=JOE)  # strength rule off


def test_plain_hash_helpers() -> None:
    engine = cheap_engine()
    phc = seccode.hash_code("Purple monkey, dishwasher!", engine=engine)
    assert phc.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert seccode.verify_code(phc, "purple monkey dishwasher", engine=engine)
    assert not seccode.verify_code(phc, "purple monkey dishwashers", engine=engine)
    exact = engine.hash_code(b"Case Matters", normalization="exact")
    assert engine.verify_code(exact, bytearray(b"Case Matters"), normalization="exact")
    assert not engine.verify_code(exact, "case matters", normalization="exact")
    # Without an engine: the core's default parameters.
    assert seccode.hash_code("Purple monkey").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_needs_rehash_follows_the_engines_parameters() -> None:
    engine = cheap_engine()
    phc = seccode.hash_code("Purple monkey, dishwasher!", engine=engine)
    assert seccode.needs_rehash(phc, engine=engine) is False
    assert engine.needs_rehash(phc) is False
    # Under the core's defaults (m=19456, t=2, p=1) the cheap hash is outdated...
    assert seccode.needs_rehash(phc) is True
    # ... and each of m, t and p counts, as do the salt and output lengths.
    for other in (
        cheap_engine(memory_kib=128),
        cheap_engine(iterations=2),
        cheap_engine(parallelism=2, memory_kib=64),
    ):
        assert other.needs_rehash(phc) is True
    salt16, out32 = "c29tZXNhbHRzb21lc2FsdA", "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
    assert not seccode.needs_rehash(f"$argon2id$v=19$m=19456,t=2,p=1${salt16}${out32}")
    assert seccode.needs_rehash(f"$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ${out32}")
    assert seccode.needs_rehash(f"$argon2id$v=19$m=19456,t=2,p=1${salt16}$CTFhFdXPJO1aFaMaO6Mm5Q")
    # argon2-cffi's defaults (m=65536, t=3, p=4) differ from seccode's.
    assert seccode.needs_rehash(f"$argon2id$v=19$m=65536,t=3,p=4${salt16}${out32}")
    # The upgrade a script does: verify, then rehash while the code is at hand.
    code = "purple monkey dishwasher"
    if seccode.verify_code(phc, code) and seccode.needs_rehash(phc):
        phc = seccode.hash_code(code)
    assert phc.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not seccode.needs_rehash(phc) and seccode.verify_code(phc, code)


def test_peppers_and_rotation() -> None:
    old = cheap_engine(pepper=b"first pepper 0123456789", pepper_key_id="k1")
    account = make_any_company(old)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    stored = account.contact(CONTACT).code_hash
    assert stored is not None and stored.key_id == "k1"
    saved = account.to_json()

    new = cheap_engine(
        pepper=bytearray(b"second pepper 012345678"),
        pepper_key_id="k2",
        retired_peppers={"k1": b"first pepper 0123456789"},
    )
    moved = seccode.Account.from_json(saved, engine=new)
    v = moved.verify(CONTACT, INDIVIDUAL_CODE)
    assert v.verified and [u.hash.key_id for u in v.upgrades] == ["k2"]

    # Without the pepper the stored hash cannot be used: a failed verification (the same
    # work as any other) whose audit reason tells the operator why.
    no_pepper = seccode.Account.from_json(saved, engine=cheap_engine())
    v = no_pepper.verify(CONTACT, INDIVIDUAL_CODE)
    assert v.outcome is Outcome.NOT_VERIFIED
    assert v.reason is VerifyReason.UNUSABLE_HASH


# ----- lockout -----


def test_lockout_and_unlock(account: seccode.Account, engine: seccode.Engine) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    for attempt in range(1, 6):
        v = account.verify(CONTACT, "a wrong guess here")
        assert v.outcome is Outcome.NOT_VERIFIED
        assert v.failed_attempts == attempt
    assert v.locked_until == NOW + 1800
    locked = account.verify(CONTACT, INDIVIDUAL_CODE)
    assert locked.outcome is Outcome.LOCKED and locked.locked
    assert locked.reason is VerifyReason.LOCKED
    contact = account.contact(CONTACT)
    assert contact.locked and contact.locked_until == NOW + 1800

    # The lock expires...
    engine.advance_clock(1800)
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified

    # ...or an entitled contact lifts it.
    for _ in range(5):
        account.verify(CONTACT, "a wrong guess here")
    assert account.verify(CONTACT, INDIVIDUAL_CODE).locked
    with pytest.raises(seccode.PermissionDenied):
        account.unlock(CONTACT, actor=CONTACT2)
    account.unlock(CONTACT, actor=JOE)
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified
    kinds = [e.kind for e in account.drain_audit()]
    assert "locked" in kinds and "unlocked" in kinds


def test_deactivated_contacts_verify_with_nothing(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    call = account.verify(CONTACT, INDIVIDUAL_CODE).call
    assert call is not None
    account.deactivate_contact(CONTACT, actor=JOE)
    assert not account.contact(CONTACT).active
    v = account.verify(CONTACT, INDIVIDUAL_CODE)
    assert v.outcome is Outcome.NOT_VERIFIED and v.reason is VerifyReason.DEACTIVATED
    assert v.call is None
    decision = account.authorize(call, "routine")
    assert decision.denied and decision.reason is seccode.DenyReason.VERIFICATION_VOID
    with pytest.raises(seccode.Conflict) as err:
        account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    assert err.value.code == "deactivated"
    account.reactivate_contact(CONTACT, actor=JOE)
    assert account.call_status(call) is seccode.CallStatus.VOID, "a call made before stays void"
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified


def test_removed_contacts_are_gone(account: seccode.Account) -> None:
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    with pytest.raises(seccode.Conflict):
        account.remove_contact(JOE, actor=JOE)
    account.remove_contact(CONTACT, actor=JOE)
    with pytest.raises(seccode.NotFound):
        account.contact(CONTACT)
    with pytest.raises(seccode.NotFound):
        account.remove_contact(CONTACT, actor=JOE)
    v = account.verify(CONTACT, INDIVIDUAL_CODE)
    assert v.reason is VerifyReason.UNKNOWN_CONTACT
    assert "contact_removed" in [e.kind for e in account.drain_audit()]


# ----- contacts and data -----


def test_contacts_and_partial_edits(account: seccode.Account) -> None:
    joe = account.contact(JOE)
    assert joe.primary and joe.title == "Primary Contact" and joe.active
    assert repr(joe) == "<Contact 3522 'Joe Example' primary>"
    account.edit_contact(CONTACT, actor=JOE, title="Billing", rwhois=["poc", "abuse"], audit_account=True)
    contact = account.contact(CONTACT)
    assert contact.title == "Billing"
    assert contact.rwhois == frozenset({"poc", "abuse"})
    assert contact.audit_account
    assert contact.email == "marketing@viviotech.net", "fields not given are kept"
    # Contacts may edit their own details, not others'.
    account.edit_contact(CONTACT2, actor=CONTACT2, phone="555-0100")
    with pytest.raises(seccode.PermissionDenied):
        account.edit_contact(CONTACT, actor=CONTACT2, phone="555-0100")
    account.add_contact(3530, "New Contact", actor=JOE, rwhois=("tech",))
    assert [c.id for c in account.contacts] == [3522, 3523, 3526, 3530]


def test_an_accounts_agent_is_named_in_the_events_it_records(account: seccode.Account) -> None:
    account.drain_audit()
    assert account.agent is None
    account.agent = "  Ann (desk 4) "
    assert account.agent == "Ann (desk 4)", "trimmed, as the core names it"
    account.edit_contact(CONTACT, actor=JOE, title="Billing")
    account.verify(CONTACT, "not the code")
    events = account.drain_audit()
    assert [e.kind for e in events] == ["contact_edited", "verification_failed"]
    assert all(e.agent == "Ann (desk 4)" for e in events)
    for bad in ("", "   ", "x" * 65, "tab\there"):
        with pytest.raises(seccode.InvalidArgument):
            account.agent = bad
    assert account.agent == "Ann (desk 4)", "a refused name changes nothing"
    account.agent = None
    account.edit_contact(CONTACT, actor=JOE, title="Sales")
    assert [e.agent for e in account.drain_audit()] == [None]


def test_json_round_trip_keeps_everything(account: seccode.Account, engine: seccode.Engine) -> None:
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.set_contact_code(CONTACT2, INDIVIDUAL_CODE, actor=JOE)
    account.set_permission(CONTACT, "Profile", "view", "allow", actor=JOE)
    account.set_permission(CONTACT, "Client Profile", "update", "deny", actor=JOE)
    account.verify(CONTACT2, "one wrong guess")
    text = account.to_json()
    data = json.loads(text)
    assert data["format"] == 1 and data["id"] == 1707
    assert "thunder" not in text.lower() and "harbor" not in text.lower()

    again = seccode.Account.from_json(text, engine=engine)
    assert again.to_json() == text
    assert again.permissions(CONTACT) == {
        "Client Profile": {Action.UPDATE: Setting.DENY},
        "Profile": {Action.VIEW: Setting.ALLOW},
    }
    assert again.contact(CONTACT2).failed_attempts == 1
    assert again.verify(CONTACT, "velvet thunder orchard lamp").verified
    assert again.verify(CONTACT2, INDIVIDUAL_CODE).verified
    assert seccode.Account.from_json(text.encode(), engine=engine).to_json() == text


def test_legacy_phone_chat_codes(engine: seccode.Engine) -> None:
    """Data that uses the old name "Phone/Chat Code" is accepted, and plaintext legacy codes
    are imported as hashes (without the policy: they are migrated, not refused)."""
    foreign = seccode.hash_code("old phone code", normalization="exact", engine=engine)
    text = json.dumps({
        "format": 1, "id": 1707, "name": "Any Company", "phone_chat_code": foreign,
        "contacts": [{"id": JOE, "name": "Joe Example", "primary": True}],
    })
    account = seccode.Account.from_json(text, engine=engine)
    stored = account.account_code_hash
    assert stored is not None and stored.binding is seccode.Binding.LEGACY
    v = account.verify(JOE, "old phone code")
    assert v.verified and v.upgrades[0].slot is seccode.Slot.ACCOUNT_WIDE
    assert account.account_code_hash == v.upgrades[0].hash

    account.import_legacy_code("1234", contact=JOE)  # too short for a new code: imported anyway
    assert account.verify(JOE, "1234").reason is VerifyReason.INDIVIDUAL
    kinds = [e.kind for e in account.drain_audit()]
    assert kinds.count("code_imported") == 1 and "code_upgraded" in kinds


def test_upgrade_on_stronger_parameters(engine: seccode.Engine) -> None:
    account = make_any_company(engine)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    stronger = cheap_engine(memory_kib=128, iterations=2)
    moved = seccode.Account.from_json(account.to_json(), engine=stronger)
    v = moved.verify(CONTACT, INDIVIDUAL_CODE)
    assert v.verified
    (upgrade,) = v.upgrades
    assert (upgrade.hash.memory_kib, upgrade.hash.iterations) == (128, 2)
    assert moved.contact(CONTACT).code_hash == upgrade.hash
    assert repr(upgrade) == "<Upgrade individual code>"


def test_normalization_setting(account: seccode.Account) -> None:
    assert account.normalization is seccode.Normalization.SPOKEN
    account.set_normalization("exact", actor=JOE)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    assert not account.verify(CONTACT, INDIVIDUAL_CODE.lower()).verified
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified
    with pytest.raises(seccode.PermissionDenied):
        account.set_normalization(seccode.Normalization.SPOKEN, actor=CONTACT)


# ----- permissions and catalogs -----


def test_effective_values_explain_themselves(account: seccode.Account) -> None:
    account.set_permission(CONTACT, "Client Profile", Action.VIEW, Setting.DENY, actor=JOE)
    account.set_permission(CONTACT, "Profile", Action.VIEW, Setting.ALLOW, actor=JOE)
    cell = account.effective(CONTACT, "Payment Methods", "view")
    assert (cell.value, cell.origin, cell.decided_by, cell.label) == (
        Effective.DENY, Origin.INHERITED, "Client Profile", "(Deny)",
    )
    cell = account.effective(CONTACT, "Profile", Action.VIEW)
    assert (cell.value, cell.origin, cell.decided_by, cell.allowed) == (
        Effective.ALLOW, Origin.EXPLICIT, "Profile", True,
    )
    cell = account.effective(CONTACT, "Website", "delete")
    assert (cell.value, cell.origin, cell.decided_by) == (
        Effective.NOT_APPLICABLE, Origin.NOT_APPLICABLE, None,
    )
    owner = account.effective(JOE, "Support", "delete")
    assert (owner.value, owner.origin) == (Effective.ALLOW, Origin.OWNER)
    assert repr(cell) == "<Cell 'Website' delete: ->"
    settings = {r.resource: r.cells for r in account.settings_rows(CONTACT)}
    assert settings["Client Profile"] == ("Deny", "Inherit", "Inherit", "Inherit")
    assert settings["Website"] == ("Inherit", "-", "-", "-")
    assert "Client Profile" in account.render_settings(CONTACT)


def test_catalog_api() -> None:
    portal = seccode.Catalog()
    assert portal == seccode.Catalog.portal()
    assert len(portal) == 13 and portal.root == "Client Portal"
    assert list(portal)[:3] == ["Client Portal", "Client Profile", "Profile"]
    assert "Website" in portal and "website" in portal and "Websites" not in portal and 42 not in portal
    assert portal.actions("Change Password") == [Action.VIEW, Action.UPDATE]
    assert not portal.applies("Website", "update")
    assert portal.parent("Profile") == "Client Profile" and portal.parent("Client Portal") is None
    assert portal.children("Client Profile")[0] == "Profile"
    assert portal.depth("Manage Contacts") == 2
    assert portal.roles == {
        "profile": "Profile", "manage_contacts": "Manage Contacts", "billing": "Billing & Services",
    }
    assert seccode.Catalog.from_json(portal.to_json()) == portal
    assert repr(portal) == "<Catalog root='Client Portal' resources=13>"


def test_custom_catalog_accounts_round_trip(engine: seccode.Engine) -> None:
    catalog = seccode.Catalog.from_json(json.dumps({
        "resources": [{"name": "Store", "actions": ["view", "update"]},
                      {"name": "Orders", "parent": "Store", "actions": ["view", "update"]}],
        "roles": {"profile": "Store", "manage_contacts": None, "billing": "Orders"},
    }))
    account = seccode.Account(9, "Shop", engine=engine, primary=1, primary_name="Owner", catalog=catalog)
    account.add_contact(2, "Clerk", actor=1)
    account.set_permission(2, "Orders", "update", "allow", actor=1)
    account.set_contact_code(2, INDIVIDUAL_CODE, actor=1)
    assert account.authorize_verified(account.verify(2, INDIVIDUAL_CODE), "billable").allowed
    again = seccode.Account.from_json(account.to_json(), engine=engine)
    assert again.catalog == catalog
    assert again.render_grid(2) == account.render_grid(2)


def test_audit_events(account: seccode.Account) -> None:
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.verify(CONTACT, "wrong wrong wrong")
    pending = account.audit
    assert [e.kind for e in pending] == ["code_set", "verification_failed"]
    assert len(account.audit) == 2, "reading the audit does not drain it"
    events = account.drain_audit()
    assert account.drain_audit() == []
    code_set, failed = events
    assert (code_set.actor, code_set.contact, code_set.account, code_set.at) == (JOE, None, 1707, NOW)
    assert (failed.actor, failed.contact) == (None, CONTACT)
    assert failed.to_dict()["reason"] == "no_usable_code"
    assert json.loads(failed.to_json()) == failed.to_dict()
    assert "2026-11-23T21:27:31Z" in str(failed)
