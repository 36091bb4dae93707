"""Argon2 work runs with the interpreter and the account's lock released: other Python
threads run while a verification is in progress, verifications of different contacts hash at
the same moment, and guesses arriving at once are counted before any is checked. Proved with
events and exact counts, not timings: the engine counts the Argon2 computations in flight and
in total, and a test probe inside the hash makes two evaluations meet."""

from __future__ import annotations

import threading

import seccode
from support import CONTACT, CONTACT2, INDIVIDUAL_CODE, JOE, NOW, cheap_engine, make_any_company

OTHER_CODE = "Amber lantern crosses the fjord"

# Large enough that a hash takes a while (64 MiB, 2 passes per evaluation, two evaluations
# per verification), so the watcher gets the interpreter many times over.
HEAVY_MEMORY_KIB = 64 * 1024


def test_another_thread_runs_while_a_verification_is_in_progress() -> None:
    engine = seccode.Engine(memory_kib=HEAVY_MEMORY_KIB, iterations=2, parallelism=1, now=NOW)
    account = seccode.Account(1707, "Any Company", engine=engine, primary=JOE, primary_name="Joe Example")
    account.add_contact(CONTACT, "Contact Example", actor=JOE)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)

    saw_a_hash_running = threading.Event()
    stop = threading.Event()
    spins = 0

    def watch() -> None:
        nonlocal spins
        while not stop.is_set():
            spins += 1
            if engine.hashes_in_flight > 0:
                saw_a_hash_running.set()
                return

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(20):  # normally the first verification suffices
            assert account.verify(CONTACT, INDIVIDUAL_CODE).verified
            if saw_a_hash_running.is_set():
                break
    finally:
        stop.set()
        watcher.join()
    assert saw_a_hash_running.is_set(), "no Python thread ran during any verification"
    assert spins > 0
    assert engine.hashes_in_flight == 0


# How long an evaluation waits inside Argon2 for the other one before giving up. Not a
# measure of anything: when the evaluations can overlap the wait ends as soon as the second
# one arrives, however slow the machine; the limit only stops a broken build from hanging.
PATIENCE_SECONDS = 120.0


def verify_all_at_once(
    engine: seccode.Engine, jobs: list[tuple[seccode.Account, int, str]]
) -> tuple[seccode._native._Meeting, list[bool]]:
    """Verify every ``(account, contact, code)`` on its own thread, all released at once,
    while the engine holds each Argon2 evaluation at its start until two are inside at once
    (``Engine._meet``: the wait is in Rust, detached, holding nothing of the caller's)."""
    results: list[bool] = [False] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        account, contact, code = jobs[i]
        barrier.wait()
        results[i] = account.verify(contact, code).verified

    with engine._meet(2, PATIENCE_SECONDS) as meeting:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return meeting, results


def test_threads_verify_in_parallel_on_separate_accounts() -> None:
    """Two threads verifying on two accounts have Argon2 evaluations in flight at the same
    moment: the first evaluation waits inside the hash until the second one has entered, which
    can only happen if the first holds neither the interpreter nor a lock the other needs."""
    engine = seccode.Engine(memory_kib=256, iterations=1, max_concurrent=2, now=NOW)
    accounts = []
    for i in range(2):
        account = seccode.Account(i + 1, f"Company {i}", engine=engine, primary=JOE, primary_name="Joe Example")
        account.add_contact(CONTACT, "Contact Example", actor=JOE)
        account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
        accounts.append(account)

    meeting, results = verify_all_at_once(
        engine, [(accounts[0], CONTACT, INDIVIDUAL_CODE), (accounts[1], CONTACT, "not the right code at all")]
    )
    assert results == [True, False]
    assert meeting.met and not meeting.gave_up, "the two verifications never hashed at the same time"
    assert meeting.peak == 2 == engine.peak_hashes_in_flight == engine.max_concurrent


def test_two_contacts_of_one_account_verify_in_parallel() -> None:
    """The account's lock is released while Argon2 runs (the core's begin / check / finish):
    two contacts of one account hash at the same moment."""
    engine = seccode.Engine(memory_kib=256, iterations=1, max_concurrent=2, now=NOW)
    account = make_any_company(engine)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    account.set_contact_code(CONTACT2, OTHER_CODE, actor=JOE)

    meeting, results = verify_all_at_once(
        engine, [(account, CONTACT, INDIVIDUAL_CODE), (account, CONTACT2, OTHER_CODE)]
    )
    assert results == [True, True]
    assert meeting.met and not meeting.gave_up, "the account's lock was held during the hash"
    assert meeting.peak == 2


def test_a_meeting_that_cannot_happen_is_detected() -> None:
    """The meeting itself can fail: with one hash at a time it never happens (a short
    patience here, since the waiting is the expected outcome)."""
    engine = seccode.Engine(memory_kib=64, iterations=1, max_concurrent=1, now=NOW)
    account = make_any_company(engine)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    account.set_contact_code(CONTACT2, OTHER_CODE, actor=JOE)
    with engine._meet(2, 0.2) as meeting:
        threads = [
            threading.Thread(target=account.verify, args=(contact, code))
            for contact, code in ((CONTACT, INDIVIDUAL_CODE), (CONTACT2, OTHER_CODE))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not meeting.met and meeting.gave_up and meeting.peak == 1
    assert account.verify(CONTACT, INDIVIDUAL_CODE).verified, "the probe is gone"


def test_a_hundred_guesses_at_once_check_at_most_max_failures_hashes() -> None:
    """SPEC 8: 100 threads guess at once on one contact; every attempt is counted before any
    hash runs, so exactly max_failures (5) are checked (two Argon2 evaluations each) and the
    other 95 answer locked without hashing."""
    engine = cheap_engine()
    account = make_any_company(engine)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
    before = engine.evaluations
    outcomes: list[seccode.Outcome] = []
    guard = threading.Lock()
    barrier = threading.Barrier(100)

    def guess() -> None:
        barrier.wait()
        outcome = account.verify(CONTACT, "a wrong guess of course").outcome
        with guard:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count(seccode.Outcome.NOT_VERIFIED) == engine.max_failures == 5
    assert outcomes.count(seccode.Outcome.LOCKED) == 95
    assert engine.evaluations - before == 2 * 5
    status = account.lock_status(CONTACT)
    assert status.locked and status.failed_attempts == 5
    assert account.verify(CONTACT, INDIVIDUAL_CODE).locked, "the right code comes too late"


def test_threads_share_one_account_safely() -> None:
    """Operations on one account from many threads are serialized: the lockout count is
    exact."""
    engine = seccode.Engine(memory_kib=64, iterations=1, max_failures=1000, now=NOW)
    account = seccode.Account(1, "Company", engine=engine, primary=JOE, primary_name="Joe Example")
    account.add_contact(CONTACT, "Contact Example", actor=JOE)
    account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)

    def fail_some() -> None:
        for _ in range(10):
            assert not account.verify(CONTACT, "not the right code at all").verified

    threads = [threading.Thread(target=fail_some) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert account.contact(CONTACT).failed_attempts == 40
