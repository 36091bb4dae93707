"""Argon2 work runs with the interpreter released: other Python threads run while a
verification is in progress. Proved with events, not timings: the engine counts the Argon2
computations in flight, and a Python thread that *sees* one in flight ran during it (were
the interpreter held, no Python code could run between the start and the end of a hash)."""

from __future__ import annotations

import threading

import seccode
from support import CONTACT, INDIVIDUAL_CODE, JOE, NOW

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


def test_threads_verify_in_parallel_on_separate_accounts() -> None:
    """Several threads verify at once, each on its own account, with correct answers; the
    engine's limit bounds how many hashes run together."""
    engine = seccode.Engine(memory_kib=256, iterations=1, max_concurrent=2, now=NOW)
    accounts = []
    for i in range(4):
        account = seccode.Account(i + 1, f"Company {i}", engine=engine, primary=JOE, primary_name="Joe Example")
        account.add_contact(CONTACT, "Contact Example", actor=JOE)
        account.set_contact_code(CONTACT, INDIVIDUAL_CODE, actor=JOE)
        accounts.append(account)

    results: dict[int, list[bool]] = {}
    barrier = threading.Barrier(len(accounts))

    def run(i: int, account: seccode.Account) -> None:
        barrier.wait()
        results[i] = [
            account.verify(CONTACT, INDIVIDUAL_CODE).verified,
            account.verify(CONTACT, "not the right code at all").verified,
            account.verify(CONTACT, INDIVIDUAL_CODE.upper()).verified,
        ]

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(accounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: [True, False, True] for i in range(len(accounts))}
    assert 1 <= engine.peak_hashes_in_flight <= engine.max_concurrent == 2


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
