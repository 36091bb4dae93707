"""The README's support-script example runs as written, on a store made the way a desk would
make it; the in-memory example's calls exist; the truth-value example raises where it says;
the plain-hash example rehashes an outdated string."""

from __future__ import annotations

import ast
import pathlib
import re
from typing import Any

import pytest

import seccode
from support import ACCOUNT, ACCOUNT_CODE, CONTACT, JOE

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def examples(heading: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"```python\n(.*?)```", section, re.S)
    assert found, f"the README has an example under {heading!r}"
    return found


def test_readme_example(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code = examples("## A support script")[0]
    assert len(code.strip().splitlines()) <= 18
    assert "seccode.Store(" in code and "from_json" not in code
    monkeypatch.chdir(tmp_path)
    with seccode.Store("seccode.db") as store:
        # Codes set with cheap hashes, then the default cost: the example's verification
        # upgrades the stored hash.
        store.set_config(memory_kib=64, iterations=1, parallelism=1)
        store.create_account(ACCOUNT, "Any Company", primary=JOE, primary_name="Joe Example")
        store.add_contact(ACCOUNT, CONTACT, "Contact Example", actor=JOE)
        store.set_account_code(ACCOUNT, ACCOUNT_CODE, actor=JOE)
        store.set_permission(ACCOUNT, CONTACT, "Profile", "view", "allow", actor=JOE)
        store.set_config(memory_kib=19456, iterations=2, parallelism=1)

    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "caller is verified" in out
    assert "needs additional approval from contact 3522" in out
    assert "verification_succeeded" in out
    assert "thunder" not in out.lower()
    with seccode.Store(tmp_path / "seccode.db") as store:
        stored = store.account(ACCOUNT).account_code_hash
        assert stored is not None and stored.memory_kib == 19456, "the upgraded hash was stored"
        assert [e.kind for e in store.audit(kind="verification_succeeded")] == ["verification_succeeded"]


def test_readme_in_memory_example() -> None:
    [code] = examples("### Accounts in memory")
    engine = seccode.Engine(memory_kib=64, iterations=1, parallelism=1)
    account = seccode.Account(ACCOUNT, "Any Company", engine=engine, primary=JOE, primary_name="Joe Example")
    account.add_contact(CONTACT, "Contact Example", actor=JOE)
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.set_permission(CONTACT, "Profile", "view", "allow", actor=JOE)
    namespace = {"seccode": seccode, "text": account.to_json()}
    exec(compile(code, str(README), "exec"), namespace)
    check = namespace["check"]
    assert isinstance(check, seccode.Verification) and check.verified


def test_readme_truth_example(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The first `if` of the example raises the TypeError it shows; the rest runs."""
    code = examples("### A wrong code never reads as true")[0]
    statements = ast.parse(code).body
    assert len(statements) == 3
    store = seccode.Store(tmp_path / "seccode.db")
    store.set_config(memory_kib=64, iterations=1, parallelism=1)
    store.create_account(ACCOUNT, "Any Company", primary=JOE, primary_name="Joe Example")
    store.add_contact(ACCOUNT, CONTACT, "Contact Example", actor=JOE)
    store.set_account_code(ACCOUNT, ACCOUNT_CODE, actor=JOE)
    store.set_permission(ACCOUNT, CONTACT, "Profile", "view", "allow", actor=JOE)
    namespace: dict[str, Any] = {"seccode": seccode, "store": store, "caller": CONTACT, "heard": ACCOUNT_CODE}
    first, wrong, meant = (ast.Module(body=[s], type_ignores=[]) for s in statements)
    exec(compile(first, str(README), "exec"), namespace)
    with pytest.raises(TypeError, match=r"^the truth value of a Verification is ambiguous; use \.verified$"):
        exec(compile(wrong, str(README), "exec"), namespace)
    exec(compile(meant, str(README), "exec"), namespace)
    out = capsys.readouterr().out
    assert out == "caller is verified\n"
    store.close()


def test_readme_plain_hash_example() -> None:
    [code] = examples("## Plain hashes")
    heard = "purple monkey dishwasher"
    cheap = seccode.Engine(memory_kib=64, iterations=1, parallelism=1)
    old = seccode.hash_code(heard, engine=cheap)
    namespace: dict[str, Any] = {"seccode": seccode, "stored": old, "heard": heard}
    exec(compile(code, str(README), "exec"), namespace)
    new = namespace["stored"]
    assert new != old and new.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert seccode.verify_code(new, heard) and not seccode.needs_rehash(new)
    # A wrong code leaves the stored string alone.
    namespace = {"seccode": seccode, "stored": old, "heard": "not the code"}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["stored"] == old
