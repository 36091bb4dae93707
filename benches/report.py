#!/usr/bin/env python3
"""Print the medians of the last `cargo bench` run (target/criterion/*/*/new/estimates.json)
as a Markdown table, with the ratios the targets in README.md are about.

Usage (in benches/): python3 report.py
"""

from __future__ import annotations

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent / "target" / "criterion"

# (numerator, denominator, what the ratio means)
RATIOS = [
    ("permission_check/cedar_is_authorized", "permission_check/seccode_grid_allows",
     "cedar (grid model) / seccode Grid::allows"),
    ("permission_check/cedar_is_authorized", "permission_check/seccode_account_effective",
     "cedar (grid model) / seccode Account::effective"),
    ("permission_check/cedar_is_authorized_minimal_policy", "permission_check/seccode_grid_allows",
     "cedar (one policy) / seccode Grid::allows"),
    ("permission_check/cedar_is_authorized_minimal_policy",
     "permission_check/seccode_account_effective",
     "cedar (one policy) / seccode Account::effective"),
    ("permission_check/cedar_whole_grid_13x4", "permission_check/seccode_whole_grid_13x4",
     "cedar / seccode, whole 13x4 grid"),
]
for group in ("verify_default_m19456_t2_p1", "verify_cheap_m256_t1_p1"):
    RATIOS += [
        (f"{group}/seccode_account_verify_2_evals", f"{group}/raw_argon2_2_evals",
         f"{group}: Account::verify / raw argon2 (2 evals)"),
        (f"{group}/seccode_verifier_check_1_eval", f"{group}/raw_argon2_1_eval",
         f"{group}: Verifier::check / raw argon2 (1 eval)"),
        (f"{group}/c_abi_account_verify_2_evals", f"{group}/seccode_account_verify_2_evals",
         f"{group}: C ABI / Rust Account::verify"),
    ]


def fmt(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3f} {unit}"
    return f"{ns:.2f} ns"


def main() -> None:
    medians: dict[str, float] = {}
    for est in sorted(ROOT.glob("*/*/new/estimates.json")):
        bench = est.parent.parent
        key = f"{bench.parent.name}/{bench.name}"
        medians[key] = json.loads(est.read_text())["median"]["point_estimate"]
    print("| benchmark | median |")
    print("|---|---:|")
    for key, ns in medians.items():
        print(f"| `{key}` | {fmt(ns)} |")
    print()
    print("| ratio | value |")
    print("|---|---:|")
    for num, den, label in RATIOS:
        if num in medians and den in medians:
            r = medians[num] / medians[den]
            shown = f"{r:,.0f}x" if r > 10 else f"{r:.4f} ({(r - 1) * 100:+.2f}%)"
            print(f"| {label} | {shown} |")


if __name__ == "__main__":
    main()
