"""`seccode.Store` on SQLite (a file in tmp_path) and on PostgreSQL (a fresh database per
test on the server of ``SECCODE_TEST_POSTGRES_URL``): the desk's operations, each one
transaction that other connections see at once; the lockout holding across threads and
processes, with exact counts from the store itself; errors in the exception hierarchy; no
password ever shown."""

from __future__ import annotations

import collections
import multiprocessing
import os
import pathlib
import queue
import socket
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import seccode
from store_support import create_database, drop_database, guess_once, postgres_url, with_database
from support import ACCOUNT, ACCOUNT_CODE, CONTACT, CONTACT2, INDIVIDUAL_CODE, JOE, NOW

WRONG = "Not the code at all, sorry"


@pytest.fixture(params=["sqlite", "postgres"])
def place(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[str]:
    """Where a new, empty store goes: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "seccode.db")
        return
    base = postgres_url()
    name, url = create_database(base)
    try:
        yield url
    finally:
        drop_database(base, name)


def cheap(store: seccode.Store, **settings: int) -> seccode.Store:
    """Cheap hashes: the flow is what most tests check."""
    store.set_config(memory_kib=64, iterations=1, parallelism=1, **settings)
    return store


def any_company(store: seccode.Store) -> None:
    """The seed's account: Joe Example (primary), Contact Example, Contact Example 2."""
    store.create_account(ACCOUNT, "Any Company", primary=JOE, primary_name="Joe Example")
    store.add_contact(ACCOUNT, CONTACT, "Contact Example", actor=JOE)
    store.add_contact(ACCOUNT, CONTACT2, "Contact Example 2", actor=JOE)


def failures(store: seccode.Store, reason: str) -> int:
    """How many `verification_failed` events of `reason` the store's log holds."""
    events = store.audit(account=ACCOUNT, kind="verification_failed")
    return sum(1 for e in events if e.to_dict()["reason"] == reason)


# ----- opening -----


def test_a_new_store_is_created_and_reopened(place: str) -> None:
    with seccode.Store(place) as store:
        assert store.kind == ("postgres" if place.startswith("postgres") else "sqlite")
        assert store.schema_version >= 1
        assert store.accounts() == []
        config = store.config()
        assert (config.memory_kib, config.iterations, config.parallelism) == (19456, 2, 1)
        assert (config.max_failures, config.lockout_seconds) == (5, 1800)
        assert config.pepper_key_id is None
        cheap(store)
        any_company(store)
        assert not store.closed
    assert store.closed
    with pytest.raises(seccode.StoreUnavailable) as closed:
        store.accounts()
    assert closed.value.code == "closed"

    again = seccode.Store(place)
    [summary] = again.accounts()
    assert (summary.id, summary.name, summary.contacts) == (ACCOUNT, "Any Company", 3)
    assert again.config().memory_kib == 64
    assert again.check().ok
    again.close()


def test_settings_come_from_the_store_for_every_store_object(place: str) -> None:
    first = cheap(seccode.Store(place, now=NOW))
    any_company(first)
    first.set_contact_code(ACCOUNT, CONTACT, INDIVIDUAL_CODE, actor=JOE)
    second = seccode.Store(place, now=NOW)
    assert second.engine.max_failures == 5
    first.set_config(max_failures=2, lockout_seconds=600)
    # The other object reads the new settings before its next operation.
    assert second.engine.max_failures == 2
    assert second.engine.lockout_seconds == 600
    assert second.verify(ACCOUNT, CONTACT, WRONG).outcome == seccode.Outcome.NOT_VERIFIED
    last = second.verify(ACCOUNT, CONTACT, WRONG)
    assert last.locked_until == NOW + 600
    assert second.verify(ACCOUNT, CONTACT, INDIVIDUAL_CODE).outcome == seccode.Outcome.LOCKED
    with pytest.raises(seccode.InvalidArgument):
        first.set_config(max_failures=0)
    assert first.config().max_failures == 2, "a refused setting changes nothing"


# ----- the desk's operations -----


def test_contacts_each_change_one_transaction_seen_by_every_connection(place: str) -> None:
    store = cheap(seccode.Store(place, now=NOW))
    other = seccode.Store(place, now=NOW)
    any_company(store)
    assert store.add_contact(ACCOUNT, None, "Next Contact", actor=JOE, rwhois=["tech"]) == CONTACT2 + 1
    added = other.contact(ACCOUNT, CONTACT2 + 1)
    assert (added.name, added.rwhois) == ("Next Contact", frozenset({"tech"}))

    store.edit_contact(ACCOUNT, CONTACT, actor=JOE, title="Billing", email="billing@example.com")
    edited = other.contact(ACCOUNT, CONTACT)
    assert (edited.name, edited.title, edited.email) == ("Contact Example", "Billing", "billing@example.com")

    store.deactivate_contact(ACCOUNT, CONTACT2, actor=JOE)
    assert not other.contact(ACCOUNT, CONTACT2).active
    store.reactivate_contact(ACCOUNT, CONTACT2, actor=JOE)
    assert other.contact(ACCOUNT, CONTACT2).active
    store.remove_contact(ACCOUNT, CONTACT2 + 1, actor=JOE)
    assert [c.id for c in other.contacts(ACCOUNT)] == [JOE, CONTACT, CONTACT2]
    with pytest.raises(seccode.NotFound):
        other.contact(ACCOUNT, CONTACT2 + 1)

    kinds = [e.kind for e in other.audit(account=ACCOUNT)]
    assert kinds == [
        "contact_added",
        "contact_added",
        "contact_added",
        "contact_edited",
        "contact_deactivated",
        "contact_reactivated",
        "contact_removed",
    ]
    seqs = [e.seq for e in other.audit(account=ACCOUNT)]
    numbers = [s for s in seqs if s is not None]
    assert numbers == seqs and numbers == sorted(set(numbers)), "every event has its place in the log"

    snapshot = store.account(ACCOUNT)
    snapshot.add_contact(77, "Only In Memory", actor=JOE)
    assert [e.seq for e in snapshot.audit] == [None], "a snapshot's events are not the log's"
    assert [c.id for c in other.contacts(ACCOUNT)] == [JOE, CONTACT, CONTACT2], "nor its changes"



def test_a_refused_change_writes_nothing(place: str) -> None:
    store = cheap(seccode.Store(place, now=NOW))
    any_company(store)
    before = store.account(ACCOUNT).to_json()
    logged = len(store.audit())
    with pytest.raises(seccode.PermissionDenied):
        store.remove_contact(ACCOUNT, CONTACT2, actor=CONTACT)
    with pytest.raises(seccode.PolicyError):
        store.set_contact_code(ACCOUNT, CONTACT, "short", actor=JOE)
    with pytest.raises(seccode.Conflict):
        store.deactivate_contact(ACCOUNT, JOE, actor=JOE)
    assert store.account(ACCOUNT).to_json() == before
    assert len(store.audit()) == logged


def test_codes_verify_and_authorize_through_the_store(place: str) -> None:
    store = cheap(seccode.Store(place, now=NOW))
    any_company(store)
    assert store.check_code(ACCOUNT, "short") != []
    assert store.check_code(ACCOUNT, ACCOUNT_CODE) == []
    store.set_account_code(ACCOUNT, ACCOUNT_CODE, actor=JOE)
    store.set_contact_code(ACCOUNT, CONTACT2, INDIVIDUAL_CODE, actor=JOE)
    store.set_permission(ACCOUNT, CONTACT, "Profile", "view", "allow", actor=JOE)
    assert store.account(ACCOUNT).effective(CONTACT, "Profile", "view").allowed
    assert store.contact(ACCOUNT, CONTACT).may_know_account_code
    assert store.contact(ACCOUNT, CONTACT2).has_code

    check = store.verify(ACCOUNT, CONTACT, "velvet thunder, orchard lamp")
    assert check.verified and check.reason == seccode.VerifyReason.ACCOUNT_WIDE
    assert check.call is not None
    decision = store.authorize(check.call, seccode.RequestKind.CANCELLATION)
    assert decision.needs_approval and decision.approvers == [JOE]

    # A kept verification: any process finds it again by its token.
    token = store.keep_call(check)
    assert token is not None and token.startswith("scv_")
    other = seccode.Store(place, now=NOW)
    assert other.call(token) == check.call
    assert other.authorize(token, "routine").allowed
    assert other.call_status(token) == seccode.CallStatus.VALID
    assert store.keep_call(store.verify(ACCOUNT, CONTACT, WRONG)) is None

    # A change to the contact voids the call.
    store.set_contact_code(ACCOUNT, CONTACT, "Amber lantern crosses the fjord", actor=JOE)
    assert other.call_status(token) == seccode.CallStatus.VOID
    assert other.authorize(token, "routine").reason == seccode.DenyReason.VERIFICATION_VOID

    store.clear_contact_code(ACCOUNT, CONTACT, actor=JOE)
    store.clear_account_code(ACCOUNT, actor=JOE)
    assert not other.contact(ACCOUNT, CONTACT).has_code
    assert not other.account(ACCOUNT).has_account_code
    assert store.verify(ACCOUNT, CONTACT, ACCOUNT_CODE).reason == seccode.VerifyReason.NO_USABLE_CODE

    kinds = collections.Counter(e.kind for e in other.audit(account=ACCOUNT))
    assert kinds["code_set"] == 3 and kinds["code_cleared"] == 2
    assert kinds["verification_succeeded"] == 1 and kinds["permission_changed"] == 1


def test_lockout_unlock_and_audit_filters(place: str) -> None:
    store = cheap(seccode.Store(place, now=NOW), max_failures=3)
    any_company(store)
    store.set_contact_code(ACCOUNT, CONTACT, INDIVIDUAL_CODE, actor=JOE)
    store.engine.advance_clock(60)
    outcomes = [store.verify(ACCOUNT, CONTACT, WRONG).outcome for _ in range(4)]
    assert outcomes == ["not_verified"] * 3 + ["locked"]
    status = store.lock_status(ACCOUNT, CONTACT)
    assert status.locked and status.failed_attempts == 3
    assert store.verify(ACCOUNT, CONTACT, INDIVIDUAL_CODE).outcome == seccode.Outcome.LOCKED
    with pytest.raises(seccode.PermissionDenied):
        store.unlock(ACCOUNT, CONTACT, actor=CONTACT2)
    store.unlock(ACCOUNT, CONTACT, actor=JOE)
    assert not store.lock_status(ACCOUNT, CONTACT).locked
    assert store.verify(ACCOUNT, CONTACT, INDIVIDUAL_CODE).verified

    assert failures(store, "wrong_code") == 3 and failures(store, "locked") == 2
    assert [e.kind for e in store.audit(kind="locked")] == ["locked"]
    assert [e.kind for e in store.audit(kind="unlocked", contact=CONTACT)] == ["unlocked"]
    # The kind is read as the desk and the service read it (the core's AuditKind::name).
    def seqs(kind: str) -> list[int | None]:
        return [e.seq for e in store.audit(kind=kind)]

    assert seqs("Locked") == seqs("locked") != []
    failed = seqs("verification_failed")
    assert len(failed) == 5
    assert seqs("verification-failed") == seqs(" Verification Failed ") == failed
    assert len(store.audit(account=ACCOUNT, limit=2)) == 2
    assert [e.seq for e in store.audit(limit=2)] == [e.seq for e in store.audit()[-2:]]
    early = store.audit(until=NOW + 60)
    assert early and all(e.at < NOW + 60 for e in early)
    late = store.audit(since=NOW + 60)
    assert late and all(e.at >= NOW + 60 for e in late)
    assert len(early) + len(late) == len(store.audit())
    assert store.audit(account=ACCOUNT + 1) == []
    with pytest.raises(seccode.InvalidArgument) as bad:
        store.audit(kind="no_such_kind")
    assert bad.value.code == "invalid_input"
    assert "verification_failed" in str(bad.value)
    assert "no_such_kind" not in str(bad.value)


def test_an_agents_store_names_the_agent_in_every_event_it_records(place: str) -> None:
    store = cheap(seccode.Store(place, now=NOW), max_failures=2)
    any_company(store)
    store.set_contact_code(ACCOUNT, CONTACT, INDIVIDUAL_CODE, actor=JOE)
    desk = seccode.Store(place, now=NOW, agent="Ann (desk 4)")
    before = len(store.audit())
    assert desk.verify(ACCOUNT, CONTACT, WRONG).outcome == "not_verified"
    assert desk.verify(ACCOUNT, CONTACT, WRONG).outcome == "not_verified"
    desk.unlock(ACCOUNT, CONTACT, actor=JOE)
    assert desk.verify(ACCOUNT, CONTACT, INDIVIDUAL_CODE).verified
    recorded = store.audit()[before:]
    assert {e.kind for e in recorded} >= {"verification_failed", "locked", "unlocked"}
    assert all(e.agent == "Ann (desk 4)" for e in recorded), [e.to_dict() for e in recorded]
    unlocked = [e for e in recorded if e.kind == "unlocked"]
    assert unlocked and unlocked[0].actor == JOE, "the contact acting stays the actor"
    # What was done without an agent names none; the filter reads both ways.
    assert all(e.agent is None for e in store.audit()[:before])
    assert len(store.audit(agent="Ann (desk 4)")) == len(recorded)
    assert store.audit(agent="Bob") == []
    for bad in ["", " ", "x" * 65, "An\nn", "A\x07nn"]:
        with pytest.raises((seccode.InvalidArgument, ValueError)):
            seccode.Store(place, agent=bad)


def test_normalization_imports_and_reveal(place: str) -> None:
    key = bytes(range(32))
    store = cheap(seccode.Store(place, now=NOW, sealing_key=key, sealing_key_id="k1"))
    any_company(store)
    store.set_normalization(ACCOUNT, "exact", actor=JOE)
    assert store.account(ACCOUNT).normalization == seccode.Normalization.EXACT
    store.import_legacy_code(ACCOUNT, "legacy phone code 1", contact=CONTACT)
    with pytest.raises(seccode.Conflict) as already:
        store.import_legacy_code(ACCOUNT, "legacy phone code 2", contact=CONTACT)
    assert already.value.code == "already_set"
    phc = seccode.hash_code("Old portal code 77", normalization="exact", engine=store.engine)
    store.import_legacy_hash(ACCOUNT, phc, contact=CONTACT2)
    assert store.verify(ACCOUNT, CONTACT2, "Old portal code 77").verified
    store.set_account_code(ACCOUNT, ACCOUNT_CODE, actor=JOE)
    assert store.reveal_account_code(ACCOUNT, actor=JOE) == ACCOUNT_CODE
    assert [e.kind for e in store.audit(kind="code_revealed")] == ["code_revealed"]
    without_key = seccode.Store(place, now=NOW)
    with pytest.raises(seccode.Conflict):
        without_key.reveal_account_code(ACCOUNT, actor=JOE)


def test_errors_map_into_the_hierarchy(place: str) -> None:
    store = cheap(seccode.Store(place, now=NOW))
    any_company(store)
    with pytest.raises(seccode.NotFound) as unknown:
        store.verify(ACCOUNT + 1, CONTACT, WRONG)
    assert unknown.value.code == "unknown_account"
    with pytest.raises(seccode.Conflict) as duplicate:
        store.create_account(ACCOUNT, "Again", primary=1, primary_name="Someone")
    assert duplicate.value.code == "duplicate_account"
    with pytest.raises(seccode.InvalidArgument) as bad_token:
        store.call("not a token")
    assert bad_token.value.code == "invalid_token"
    with pytest.raises(seccode.NotFound) as no_call:
        store.authorize("scv_" + "A" * 43, "routine")
    assert no_call.value.code == "unknown_token"
    with pytest.raises(seccode.InvalidArgument) as too_large:
        store.create_account(2**63, "Too large", primary=1, primary_name="Someone")
    assert too_large.value.code == "id_out_of_range"
    with pytest.raises(TypeError):
        store.authorize(42, "routine")  # type: ignore[arg-type]
    # Results, not exceptions.
    assert store.verify(ACCOUNT, 999, WRONG).reason == seccode.VerifyReason.UNKNOWN_CONTACT
    assert store.check().problems == []


# ----- several threads, several processes -----


def test_threads_guessing_at_once_lock_with_the_exact_count(place: str) -> None:
    store = cheap(seccode.Store(place), max_failures=5)
    store.set_config(memory_kib=2048)
    any_company(store)
    store.set_contact_code(ACCOUNT, CONTACT, INDIVIDUAL_CODE, actor=JOE)
    threads = 10
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess() -> None:
        barrier.wait(timeout=120)
        outcome = store.verify(ACCOUNT, CONTACT, WRONG).outcome
        with lock:
            outcomes.append(str(outcome))

    workers = [threading.Thread(target=guess) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(outcomes) == ["locked"] * 5 + ["not_verified"] * 5
    status = store.lock_status(ACCOUNT, CONTACT)
    assert status.locked and status.failed_attempts == 5
    assert failures(store, "wrong_code") == 5


# How long an evaluation waits inside Argon2 for the other one before giving up. Not a
# measure of anything: when the evaluations can overlap the wait ends as soon as the second
# one arrives; the limit only stops a broken build from hanging.
PATIENCE_SECONDS = 120.0


def test_verifications_of_two_contacts_hash_at_the_same_moment(place: str) -> None:
    """No lock of the Store object (nor a transaction) is held while Argon2 runs: a probe
    inside the hash lets each evaluation through only once another is inside too."""
    store = cheap(seccode.Store(place, now=NOW))
    any_company(store)
    store.set_contact_code(ACCOUNT, CONTACT, INDIVIDUAL_CODE, actor=JOE)
    store.set_contact_code(ACCOUNT, CONTACT2, "Amber lantern crosses the fjord", actor=JOE)
    engine = store.engine  # the engine in use while the settings stay as they are
    results: list[bool] = []

    def verify(contact: int, code: str) -> None:
        results.append(store.verify(ACCOUNT, contact, code).verified)

    with engine._meet(2, PATIENCE_SECONDS) as meeting:
        workers = [
            threading.Thread(target=verify, args=(CONTACT, INDIVIDUAL_CODE)),
            threading.Thread(target=verify, args=(CONTACT2, "Amber lantern crosses the fjord")),
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    assert results == [True, True]
    assert meeting.met and not meeting.gave_up and meeting.peak >= 2


def test_ten_processes_guessing_at_once_lock_with_the_exact_count(place: str) -> None:
    """The issue's case: 10 processes guess a wrong code for one contact at the same moment.
    Each counts its attempt before it checks the code, so exactly `max_failures` codes are
    checked and the contact is locked; the other guesses answer *locked*."""
    store = cheap(seccode.Store(place))
    store.set_config(memory_kib=4096)
    any_company(store)
    store.set_contact_code(ACCOUNT, CONTACT, INDIVIDUAL_CODE, actor=JOE)
    max_failures = store.config().max_failures
    processes = 10
    assert max_failures < processes

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results: Any = context.Queue()
    workers = [
        context.Process(target=guess_once, args=(place, ACCOUNT, CONTACT, WRONG, barrier, results))
        for _ in range(processes)
    ]
    for w in workers:
        w.start()
    outcomes = []
    try:
        for _ in workers:
            outcomes.append(results.get(timeout=300))
    except queue.Empty:
        pytest.fail(f"only {len(outcomes)} of {processes} processes answered: {outcomes}")
    finally:
        for w in workers:
            w.join(timeout=60)
    assert sorted(outcomes) == ["locked"] * (processes - max_failures) + ["not_verified"] * max_failures
    status = store.lock_status(ACCOUNT, CONTACT)
    assert status.locked and status.failed_attempts == max_failures
    assert failures(store, "wrong_code") == max_failures
    assert failures(store, "locked") == processes - max_failures
    assert len(store.audit(kind="locked")) == 1


# ----- faults and secrets -----


def closed_port() -> int:
    """A local port nothing listens on (it was free a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_an_unreachable_database_is_a_clear_exception_without_the_password() -> None:
    url = f"postgres://seccode:hunter2-secret@127.0.0.1:{closed_port()}/seccode"
    with pytest.raises(seccode.StoreUnavailable) as raised:
        seccode.Store(url)
    error = raised.value
    assert error.code == "cannot_open"
    assert isinstance(error, seccode.SeccodeError) and isinstance(error, ConnectionError)
    assert "127.0.0.1" in str(error)
    for shown in (str(error), repr(error), repr(error.args)):
        assert "hunter2" not in shown


def test_a_password_in_the_url_is_never_shown() -> None:
    base = postgres_url()
    name, url = create_database(base)
    try:
        parts = url.split("://", 1)
        user_at = parts[1]
        user, rest = user_at.split("@", 1)
        # The test server trusts local connections, so any password opens it.
        with_password = f"{parts[0]}://{user.split(':')[0]}:hunter2-secret@{rest}"
        store = seccode.Store(with_password)
        shown = [repr(store), store.location, str(store.check().problems)]
        with pytest.raises(seccode.NotFound) as unknown:
            store.verify(ACCOUNT, CONTACT, WRONG)
        shown += [str(unknown.value), repr(unknown.value)]
        with pytest.raises(seccode.StoreUnavailable) as gone:
            seccode.Store(with_database(with_password, name + "_missing"))
        shown += [str(gone.value), repr(gone.value)]
        for text in shown:
            assert "hunter2" not in text
        assert store.location.startswith("postgres://") and name in store.location
        store.close()
    finally:
        drop_database(base, name)


def test_a_url_of_another_scheme_is_not_taken_for_a_file(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("postgresql+psycopg://seccode:hunter2-secret@localhost/db", "mysql://seccode:hunter2-secret@localhost/db"):
        with pytest.raises(seccode.InvalidArgument) as refused:
            seccode.Store(url)
        assert "hunter2" not in str(refused.value) and "hunter2" not in repr(refused.value)
    assert list(tmp_path.iterdir()) == [], "nothing was created"


def test_a_file_that_is_not_a_store_is_refused(tmp_path: pathlib.Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some bytes " * 100)
    with pytest.raises(seccode.MalformedData) as corrupt:
        seccode.Store(junk)
    assert corrupt.value.code == "corrupt_store"

    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(seccode.MalformedData) as refused:
        seccode.Store(str(foreign))
    assert refused.value.code == "foreign_store"

    with pytest.raises(seccode.StoreUnavailable) as missing:
        seccode.Store(junk / "seccode.db")  # under a file: no directory can be made
    assert missing.value.code == "cannot_open"
    with pytest.raises(TypeError):
        seccode.Store(42)  # type: ignore[arg-type]


def test_the_store_is_a_path_like(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "by-path.db"
    with seccode.Store(path) as store:
        assert store.location == str(path)
        assert "sqlite" in repr(store)
    assert path.exists() and os.path.getsize(path) > 0
