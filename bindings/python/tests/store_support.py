"""Helpers of the store tests: a fresh PostgreSQL database per test, and the worker that the
multi-process tests start (it lives here, in an importable module, because processes are
started with ``spawn``).

PostgreSQL comes from ``SECCODE_TEST_POSTGRES_URL`` (``.ci/with-postgres`` starts a
throwaway server and sets it). Without it the PostgreSQL tests are skipped, and they fail
when ``CI`` is set: CI must never pass without them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.parse
import uuid
from typing import Any, Optional

import pytest

import seccode

POSTGRES_URL_VARIABLE = "SECCODE_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test server's URL, or skip (fail under CI) without one."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if url:
        return url
    message = (
        f"{POSTGRES_URL_VARIABLE} is not set: run the suite under `bash .ci/with-postgres` "
        "(it starts a throwaway PostgreSQL server and sets it)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests: {message}")
    pytest.skip(message)


def psql() -> str:
    """The `psql` client: next to the test server's binaries, else on PATH."""
    bin_dir = os.environ.get("SECCODE_TEST_POSTGRES_BIN", "")
    candidate = os.path.join(bin_dir, "psql") if bin_dir else ""
    if candidate and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which("psql")
    if found is None:
        pytest.fail("psql is not on PATH (it comes with the PostgreSQL server packages)")
    return found


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead of its own."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def run_sql(url: str, sql: str) -> None:
    """Run one statement as the test server's user, failing the test on an error."""
    done = subprocess.run(
        [psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"psql failed ({done.returncode}): {done.stderr.strip()}")


def create_database(base_url: str) -> tuple[str, str]:
    """A new, empty database on the test server: (its name, its URL)."""
    name = "seccode_py_" + uuid.uuid4().hex[:16]
    run_sql(base_url, f'CREATE DATABASE "{name}"')
    return name, with_database(base_url, name)


def drop_database(base_url: str, name: str) -> None:
    """Drop a test database, whoever is still connected (best effort)."""
    subprocess.run(
        [psql(), "-X", "-q", "-d", base_url, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
        capture_output=True,
        check=False,
    )


def guess_once(
    place: str,
    account: int,
    contact: int,
    code: str,
    barrier: Any,
    results: Any,
) -> None:
    """A process of the lockout test: open the store, wait until every process has, then
    guess once; put the outcome (or the exception's text) on `results`."""
    outcome: Optional[str] = None
    try:
        store = seccode.Store(place)
        barrier.wait(timeout=120)
        outcome = str(store.verify(account, contact, code).outcome.value)
        store.close()
    except Exception as error:  # reported to the parent, which fails the test
        outcome = f"error: {type(error).__name__}: {error}"
    results.put(outcome)
