"""The core's shared JSON vectors (crates/seccode/tests/vectors), with the same answers as
the Rust and C suites."""

from __future__ import annotations

import json
from typing import Any

import pytest

import seccode
from seccode import Binding, Outcome, Slot, VerifyReason
from support import CONTACT, JOE, cheap_engine, make_any_company, vectors

# ----- permissions.json -----

PERMISSIONS: list[dict[str, Any]] = vectors("permissions.json")
OWNER, SUBJECT = 1, 2
ERRORS: dict[str, type[seccode.SeccodeError]] = {
    "unknown_resource": seccode.NotFound,
    "not_applicable": seccode.Conflict,
}


def catalog_of(scenario: dict[str, Any]) -> seccode.Catalog:
    if scenario["catalog"] is None:
        return seccode.Catalog()
    # Both the str and the bytes forms of the document are accepted.
    return seccode.Catalog.from_json(json.dumps(scenario["catalog"]).encode())


@pytest.mark.parametrize("scenario", PERMISSIONS, ids=[s["name"] for s in PERMISSIONS])
def test_permission_vectors(scenario: dict[str, Any]) -> None:
    if "catalog_error" in scenario:
        with pytest.raises(seccode.MalformedData) as err:
            catalog_of(scenario)
        assert err.value.code == "invalid_catalog"
        assert str(err.value) == f"invalid catalog: {scenario['catalog_error']}"
        return

    catalog = catalog_of(scenario)
    account = seccode.Account(
        1, "Vector Account", engine=cheap_engine(), primary=OWNER, primary_name="Owner",
        catalog=catalog,
    )
    account.add_contact(SUBJECT, "Subject", actor=OWNER)
    who = OWNER if scenario.get("owner") else SUBJECT
    for entry in scenario["settings"]:
        account.set_permission(
            who, entry["resource"], entry["action"], entry["setting"], actor=OWNER
        )

    assert scenario["expect"] or scenario["rows"], "nothing to check"
    for expect in scenario["expect"]:
        cell = account.effective(who, expect["resource"], expect["action"])
        what = f"{expect['resource']} / {expect['action']}"
        assert cell.value == expect["effective"], what
        assert isinstance(cell.value, seccode.Effective)
        assert cell.decided_by == expect["decided_by"], what
        assert cell.allowed == (expect["effective"] == "allow"), what

    rows = {r.resource: r.line for r in account.grid_rows(who)}
    for resource, line in scenario["rows"].items():
        assert rows[resource] == line, resource
    settings_rows = {r.resource: r.line for r in account.settings_rows(who)}
    for resource, line in scenario.get("settings_rows", {}).items():
        assert settings_rows[resource] == line, resource
    if "render" in scenario:
        assert account.render_grid(who).splitlines() == scenario["render"]
    if "render_settings" in scenario:
        assert account.render_settings(who).splitlines() == scenario["render_settings"]
    if "roles" in scenario:
        assert account.catalog.roles == scenario["roles"]

    before = account.render_grid(who)
    for entry in scenario["errors"]:
        with pytest.raises(ERRORS[entry["error"]]) as refused:
            account.set_permission(
                who, entry["resource"], entry["action"], entry["setting"], actor=OWNER
            )
        assert refused.value.code == entry["error"]
    assert account.render_grid(who) == before, "a refused setting changed nothing"


# ----- legacy_hashes.json -----

LEGACY: list[dict[str, Any]] = vectors("legacy_hashes.json")["vectors"]


@pytest.mark.parametrize("vector", LEGACY, ids=[v["source"][:60] for v in LEGACY])
def test_legacy_hash_vectors_with_verify_code(vector: dict[str, Any]) -> None:
    engine = cheap_engine()
    assert vector["code"] in vector["verifies_with"]
    for good in vector["verifies_with"]:
        assert seccode.verify_code(
            vector["phc"], good, normalization=vector["normalization"], engine=engine
        ), good
        assert engine.verify_code(vector["phc"], good.encode(), normalization=vector["normalization"])
    for bad in vector["fails_with"]:
        assert not seccode.verify_code(
            vector["phc"], bad, normalization=vector["normalization"], engine=engine
        ), bad


EXACT_LEGACY = [v for v in LEGACY if v["normalization"] == "exact"]


@pytest.mark.parametrize("vector", EXACT_LEGACY, ids=[v["source"][:60] for v in EXACT_LEGACY])
def test_legacy_hash_vectors_imported_into_an_account(vector: dict[str, Any]) -> None:
    """An imported foreign hash verifies the code as typed, and is upgraded to a scoped hash
    on its first success."""
    account = make_any_company(cheap_engine())
    account.import_legacy_hash(vector["phc"], contact=CONTACT)
    stored = account.contact(CONTACT).code_hash
    assert stored is not None and stored.binding is Binding.LEGACY
    for bad in vector["fails_with"]:
        assert account.verify(CONTACT, bad).outcome is Outcome.NOT_VERIFIED, bad

    v = account.verify(CONTACT, vector["code"])
    assert v.outcome is Outcome.VERIFIED
    assert v.reason is VerifyReason.INDIVIDUAL
    assert [u.slot for u in v.upgrades] == [Slot.INDIVIDUAL]
    upgraded = v.upgrades[0].hash
    assert upgraded.binding is Binding.SCOPED
    assert upgraded.normalization is account.normalization
    assert account.contact(CONTACT).code_hash == upgraded
    assert account.verify(CONTACT, vector["code"]).upgrades == []


# ----- policy.json -----

POLICY: list[dict[str, Any]] = vectors("policy.json")


@pytest.mark.parametrize("case", POLICY, ids=[c["note"] for c in POLICY])
def test_policy_vectors(case: dict[str, Any]) -> None:
    expected = [seccode.Reason(r) for r in case["reasons"]]
    got = seccode.CodePolicy().check(
        case["code"], normalization=case["normalization"], **case["context"]
    )
    assert got == expected
    # The same through an account whose primary contact has the case's details.
    if case["context"] == JOE_CONTEXT:
        account = make_any_company(cheap_engine())
        account.set_normalization(case["normalization"], actor=JOE)
        assert account.check_code(case["code"]) == expected
        assert account.check_code(case["code"].encode()) == expected


JOE_CONTEXT = {
    "account_id": 1707,
    "account_name": "Any Company",
    "contact_name": "Joe Example",
    "email": "marketing@viviotech.net",
    "phone": "000-000-0000",
}


def test_policy_vectors_cover_every_reason() -> None:
    seen = {r for case in POLICY for r in case["reasons"]}
    assert seen == {r.value for r in seccode.Reason}


# ----- normalization.json -----

NORMALIZATION: list[dict[str, Any]] = vectors("normalization.json")


@pytest.mark.parametrize("case", NORMALIZATION, ids=[c["note"] for c in NORMALIZATION])
def test_normalization_vectors(case: dict[str, Any]) -> None:
    """The package never hands back a normalized code (it is as secret as the code), so the
    recorded forms are checked through matching: a hash of the input under a normalization
    verifies its recorded form, and the exact form under spoken matching."""
    engine = cheap_engine()
    spoken = seccode.hash_code(case["input"], normalization="spoken", engine=engine)
    exact = seccode.hash_code(case["input"], normalization=seccode.Normalization.EXACT, engine=engine)
    if case["spoken"]:
        assert seccode.verify_code(spoken, case["spoken"], normalization="spoken", engine=engine)
    if case["exact"]:
        assert seccode.verify_code(exact, case["exact"], normalization="exact", engine=engine)
        assert seccode.verify_code(spoken, case["exact"], normalization="spoken", engine=engine)
    if case["spoken"] and case["spoken"] != case["exact"]:
        assert not seccode.verify_code(exact, case["spoken"], normalization="exact", engine=engine)
