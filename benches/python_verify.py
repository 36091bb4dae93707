#!/usr/bin/env python3
"""seccode's Python verify against argon2-cffi at the same parameters, and 1 vs 2 threads.

Setup (from the repository root):

    python3 -m venv /tmp/seccode-bench-venv
    /tmp/seccode-bench-venv/bin/pip install ./bindings/python argon2-cffi
    /tmp/seccode-bench-venv/bin/python benches/python_verify.py

What is measured (Argon2id m=19456 KiB, t=2, p=1 by default, 32-byte output, 16-byte salt):

- one evaluation: ``seccode.verify_code`` (``Engine.verify_code``) of a plain PHC string made by
  seccode against ``argon2.PasswordHasher.verify`` of the very same string;
- two evaluations: ``Account.verify`` (which always checks the individual and the account-wide
  slot) against two ``PasswordHasher.verify`` calls;
- throughput of a batch of verifications on 1 thread and split over 2 threads, for both
  libraries (both release the GIL while hashing).

Calls are interleaved (each round calls every contender once, in a rotating order) and medians
are reported, so a change in the machine's load hits every contender alike.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import argon2
import seccode

CODE = "Quiet harbor zebra violin"
ACCOUNT_CODE = "Velvet thunder orchard lamp"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median seconds per call of each contender, calls interleaved in a rotating order."""
    names = list(contenders)
    for fn in contenders.values():  # warm up
        fn()
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            times[name].append(timed(contenders[name]))
    return {n: statistics.median(t) for n, t in times.items()}


def throughput(make_worker: Callable[[], Callable[[], object]], calls: int, threads: int) -> float:
    """Verifications per second: `calls` calls split evenly over `threads` threads."""
    workers = [make_worker() for _ in range(threads)]
    per_thread = calls // threads
    barrier = threading.Barrier(threads + 1)

    def run(worker: Callable[[], object]) -> None:
        barrier.wait()
        for _ in range(per_thread):
            worker()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(run, w) for w in workers]
        barrier.wait()
        start = time.perf_counter()
        for f in futures:
            f.result()
        elapsed = time.perf_counter() - start
    return per_thread * threads / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-kib", type=int, default=19456)
    parser.add_argument("--iterations", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=40, help="interleaved rounds")
    parser.add_argument("--calls", type=int, default=40, help="verifications per throughput run")
    parser.add_argument("--repeats", type=int, default=3, help="throughput runs (median)")
    args = parser.parse_args()
    m, t, p = args.memory_kib, args.iterations, 1

    engine = seccode.Engine(
        memory_kib=m, iterations=t, parallelism=p, max_failures=2**31, lockout_seconds=1
    )
    hasher = argon2.PasswordHasher(
        time_cost=t, memory_cost=m, parallelism=p, hash_len=32, salt_len=16
    )
    phc = engine.hash_code(CODE, normalization="exact")
    assert hasher.verify(phc, CODE)
    assert engine.verify_code(phc, CODE, normalization="exact")

    def account() -> seccode.Account:
        a = seccode.Account(
            1707, "Any Company", engine=engine, primary=3522, primary_name="Joe Example"
        )
        a.add_contact(3523, "Contact Example", actor=3522)
        a.set_account_code(ACCOUNT_CODE, actor=3522)
        a.set_contact_code(3523, CODE, actor=3522)
        a.set_permission(3523, "Profile", "view", "allow", actor=3522)
        return a

    acct = account()
    assert acct.verify(3523, CODE).verified

    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}; Python {platform.python_version()}")
    print(
        f"seccode {seccode.__version__}, argon2-cffi {importlib.metadata.version('argon2-cffi')}; "
        f"Argon2id m={m} KiB, t={t}, p={p}; engine.max_concurrent={engine.max_concurrent}"
    )

    one = interleaved(
        {
            "seccode verify_code (1 eval)": lambda: engine.verify_code(
                phc, CODE, normalization="exact"
            ),
            "argon2-cffi verify (1 eval)": lambda: hasher.verify(phc, CODE),
            "seccode Account.verify (2 evals)": lambda: acct.verify(3523, CODE),
            "argon2-cffi verify x2 (2 evals)": lambda: (
                hasher.verify(phc, CODE),
                hasher.verify(phc, CODE),
            ),
        },
        args.rounds,
    )
    print(f"\nmedian per call, {args.rounds} interleaved rounds:")
    for name, sec in one.items():
        print(f"  {name:<36} {sec * 1e3:9.3f} ms")
    r1 = one["seccode verify_code (1 eval)"] / one["argon2-cffi verify (1 eval)"]
    r2 = one["seccode Account.verify (2 evals)"] / one["argon2-cffi verify x2 (2 evals)"]
    print(f"  ratio seccode / argon2-cffi, 1 eval:  {r1:.4f} ({(r1 - 1) * 100:+.2f}%)")
    print(f"  ratio seccode / argon2-cffi, 2 evals: {r2:.4f} ({(r2 - 1) * 100:+.2f}%)")

    def seccode_plain() -> Callable[[], object]:
        return lambda: engine.verify_code(phc, CODE, normalization="exact")

    def seccode_account() -> Callable[[], object]:
        a = account()  # one account per thread: an account serializes its own calls
        return lambda: a.verify(3523, CODE)

    def cffi() -> Callable[[], object]:
        return lambda: hasher.verify(phc, CODE)

    print(
        f"\nthroughput, {args.calls} verifications per run, median of {args.repeats} runs "
        "(verifications per second):"
    )
    for name, make in [
        ("seccode verify_code", seccode_plain),
        ("seccode Account.verify", seccode_account),
        ("argon2-cffi verify", cffi),
    ]:
        calls = args.calls if name != "seccode Account.verify" else max(2, args.calls // 2)
        res = {}
        for threads in (1, 2):
            res[threads] = statistics.median(
                throughput(make, calls, threads) for _ in range(args.repeats)
            )
        print(
            f"  {name:<24} 1 thread {res[1]:7.2f}/s   2 threads {res[2]:7.2f}/s   "
            f"2 vs 1: {res[2] / res[1]:.2f}x"
        )
    print(f"\npeak hashes in flight: {engine.peak_hashes_in_flight}")


if __name__ == "__main__":
    main()
