"""Helpers shared by the tests: the seed's account "Any Company" (Client ID 1707), cheap
engines, the shared vectors. (``tests/`` is on ``sys.path`` through pytest's ``pythonpath``
option; the source tree of the package never is.)
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

import seccode

ACCOUNT = 1707
JOE = 3522  # Joe Example, the primary contact
CONTACT = 3523  # Contact Example
CONTACT2 = 3526  # Contact Example 2
NOW = 1_795_469_251  # 2026-11-23T21:27:31Z

ACCOUNT_CODE = "Velvet thunder orchard lamp"
INDIVIDUAL_CODE = "Quiet harbor zebra violin"

#: The core's shared test vectors, read by the Rust, C and Python suites alike.
VECTORS = pathlib.Path(__file__).resolve().parent.parent.parent.parent / "crates" / "seccode" / "tests" / "vectors"


def vectors(name: str) -> Any:
    """One vector file, parsed."""
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)


def cheap_engine(**overrides: Any) -> seccode.Engine:
    """Cheap Argon2 parameters and a manual clock: the flow is what most tests check."""
    config: dict[str, Any] = {"memory_kib": 64, "iterations": 1, "parallelism": 1, "now": NOW}
    config.update(overrides)
    return seccode.Engine(**config)


def make_any_company(engine: seccode.Engine) -> seccode.Account:
    """The seed's contact list: Joe Example (primary), Contact Example, Contact Example 2."""
    account = seccode.Account(
        ACCOUNT,
        "Any Company",
        engine=engine,
        primary=JOE,
        primary_name="Joe Example",
        primary_title="Primary Contact",
        primary_phone="000-000-0000",
        primary_email="marketing@viviotech.net",
    )
    account.add_contact(
        CONTACT,
        "Contact Example",
        actor=JOE,
        phone="000-000-0000",
        email="marketing@viviotech.net",
    )
    account.add_contact(CONTACT2, "Contact Example 2", actor=JOE)
    account.drain_audit()
    return account
