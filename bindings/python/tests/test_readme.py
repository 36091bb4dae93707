"""The README's support-script example runs as written, on a store made the way a desk would
make it; and the in-memory example's calls exist."""

from __future__ import annotations

import pathlib
import re

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
