"""The README's support-script example runs as written."""

from __future__ import annotations

import pathlib
import re

import pytest

from support import ACCOUNT_CODE, CONTACT, JOE, cheap_engine, make_any_company

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"


def example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## A support script", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README has a support-script example"
    return match.group(1)


def test_readme_example(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code = example()
    assert len(code.strip().splitlines()) <= 18
    account = make_any_company(cheap_engine())
    account.set_account_code(ACCOUNT_CODE, actor=JOE)
    account.set_permission(CONTACT, "Profile", "view", "allow", actor=JOE)
    (tmp_path / "account-1707.json").write_text(account.to_json(), encoding="utf-8")

    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "caller is verified" in out
    assert "needs additional approval from contact 3522" in out
    assert "verification_succeeded" in out
    assert "thunder" not in out.lower()
    saved = (tmp_path / "account-1707.json").read_text(encoding="utf-8")
    assert "m=19456,t=2,p=1" in saved, "the upgraded hash was stored"
