#!/usr/bin/env python3
"""Check that every crate's declared `rust-version` (its MSRV) is true.

Only the machine's own toolchain can be had here, so the MSRV is kept true the way clippy does
(clippy's `incompatible_msrv`, denied in the workspace lints, catches standard-library APIs
newer than `rust-version`) plus the two things clippy cannot see, checked here:

1. Dependencies. For every package of each workspace (the main one, `benches/`, `fuzz/`), the
   declared `rust-version` must be at least the highest `rust-version` of every package in its
   normal and build dependency closure (for the benches, with their dev-dependencies), as the
   committed Cargo.lock resolves it (`cargo metadata --locked`, all features, this host's
   platform). Other workspace members count as
   dependencies too, so a crate never claims less than a crate it builds on. Packages that
   declare no `rust-version` cannot be checked; they are listed with `--verbose`.
2. Language. The edition sets a floor (2024 needs 1.85), and let chains (`if let … && …`,
   stable in 1.88 on edition 2024) are looked for in the package's Rust files: rustc accepts
   them whatever `rust-version` says.

Every crate must declare a `rust-version`, and clippy.toml must not set `msrv` (it would take
the place of every crate's `rust-version` in clippy's checks). Exit status 0 when all is true, 1 otherwise, naming
the offending dependency or file.

Usage: python3 scripts/check-msrv.py [--verbose]
"""

import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Each manifest is a workspace of its own (benches and fuzz have their own Cargo.lock), and
# whether its dev-dependencies count: the benches' are what `cargo bench` builds (criterion,
# cedar-policy), so their MSRV is what running them needs.
WORKSPACES = [("Cargo.toml", False), ("benches/Cargo.toml", True), ("fuzz/Cargo.toml", False)]
EDITION_FLOOR = {"2015": (1, 0), "2018": (1, 31), "2021": (1, 56), "2024": (1, 85)}
LET_CHAINS = (1, 88)


def version(text):
    """`1.85`, `1.85.0` -> (1, 85); `None` stays `None`."""
    if not text:
        return None
    parts = [int(p) for p in text.split(".")]
    return tuple((parts + [0])[:2])


def show(v):
    return f"{v[0]}.{v[1]}"


def host_triple():
    out = subprocess.run(["rustc", "-vV"], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("host: "):
            return line.removeprefix("host: ").strip()
    raise SystemExit("check-msrv: `rustc -vV` names no host")


def metadata(manifest, host):
    run = subprocess.run(
        [
            "cargo", "metadata", "--format-version", "1", "--locked", "--all-features",
            "--filter-platform", host, "--manifest-path", str(ROOT / manifest),
        ],
        capture_output=True, text=True,
    )
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        raise SystemExit(f"check-msrv: `cargo metadata` failed for {manifest}")
    return json.loads(run.stdout)


def closure(nodes, root, dev):
    """Every package reachable from `root` through normal and build dependencies (and `root`'s
    own dev-dependencies when `dev`)."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        kinds = (None, "build", "dev") if dev and node == root else (None, "build")
        for dep in nodes[node]["deps"]:
            if any(k["kind"] in kinds for k in dep["dep_kinds"]):
                if dep["pkg"] not in seen:
                    seen.add(dep["pkg"])
                    stack.append(dep["pkg"])
    return seen


def blank_comments_and_strings(src):
    """The source with comments and string/char literals blanked (line numbers kept)."""
    blank = lambda s: re.sub(r"[^\n]", " ", s)
    token = re.compile(
        r"//[^\n]*|/\*.*?\*/|b?r(#*)\".*?\"\1|b?\"(?:\\.|[^\\\"])*\"|b?'(?:\\u\{[0-9a-fA-F]+\}|\\x..|\\.|[^\\'])'",
        re.S,
    )
    return token.sub(lambda m: blank(m.group(0)), src)


def let_chains(path):
    """Lines of `if`/`while` conditions that chain a `let` with `&&` (not match guards)."""
    src = blank_comments_and_strings(path.read_text(encoding="utf-8"))
    hits = []
    for m in re.finditer(r"\b(if|while)\b", src):
        # A match guard (`pat if cond =>`) takes no `let`; skip to the block's `{` at depth 0.
        i, depth, cond = m.end(), 0, []
        while i < len(src):
            c = src[i]
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and c in "{;,":
                break
            elif depth == 0 and src.startswith("=>", i):
                break
            cond.append(c)
            i += 1
        text = "".join(cond)
        if re.match(r"\s*let\b", text) or re.search(r"&&\s*let\b", text):
            if re.search(r"\blet\b", text) and "&&" in text:
                hits.append(src.count("\n", 0, m.start()) + 1)
    return hits


def main():
    verbose = "--verbose" in sys.argv[1:]
    host = host_triple()
    failures, rows, undeclared_deps = [], [], set()
    checked = set()
    for manifest, dev in WORKSPACES:
        meta = metadata(manifest, host)
        packages = {p["id"]: p for p in meta["packages"]}
        nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
        for member in meta["workspace_members"]:
            pkg = packages[member]
            manifest_path = pathlib.Path(pkg["manifest_path"])
            if manifest_path in checked:
                continue
            checked.add(manifest_path)
            name = pkg["name"]
            declared = version(pkg.get("rust_version"))
            where = manifest_path.relative_to(ROOT)
            reported = len(failures)
            if declared is None:
                failures.append(f"{name} ({where}) declares no rust-version")
                continue
            need, because = EDITION_FLOOR.get(pkg["edition"], (1, 0)), f"edition {pkg['edition']}"
            for dep_id in closure(nodes, member, dev):
                dep = packages[dep_id]
                dep_version = version(dep.get("rust_version"))
                if dep_version is None:
                    undeclared_deps.add(f"{dep['name']} {dep['version']}")
                    continue
                if dep_version > declared:
                    failures.append(
                        f"{name} declares rust-version {show(declared)}, but its dependency "
                        f"{dep['name']} {dep['version']} needs {show(dep_version)}"
                    )
                if dep_version > need:
                    need, because = dep_version, f"{dep['name']} {dep['version']}"
            for rs in sorted(manifest_path.parent.rglob("*.rs")):
                if "target" in rs.relative_to(manifest_path.parent).parts:
                    continue
                for line in let_chains(rs):
                    if LET_CHAINS > need:
                        need, because = LET_CHAINS, f"let chains, {rs.relative_to(ROOT)}:{line}"
                    if declared < LET_CHAINS:
                        failures.append(
                            f"{name} declares rust-version {show(declared)}, but "
                            f"{rs.relative_to(ROOT)}:{line} uses a let chain (needs 1.88)"
                        )
            if declared < need and len(failures) == reported:
                failures.append(f"{name} declares rust-version {show(declared)}, {because} needs {show(need)}")
            rows.append((name, show(declared), show(need), because))

    clippy_toml = ROOT / "clippy.toml"
    if clippy_toml.exists() and re.search(r"(?m)^\s*msrv\s*=", clippy_toml.read_text()):
        failures.append("clippy.toml sets `msrv`: remove it, clippy reads each crate's rust-version")

    width = max(len(r[0]) for r in rows)
    print(f"{'crate':<{width}}  declared  needs  (highest: edition or dependency)")
    for name, declared, need, because in rows:
        print(f"{name:<{width}}  {declared:<8}  {need:<5}  ({because})")
    if verbose and undeclared_deps:
        print("dependencies that declare no rust-version (not checkable):")
        print("  " + ", ".join(sorted(undeclared_deps)))
    if failures:
        for f in failures:
            print(f"check-msrv: {f}", file=sys.stderr)
        return 1
    print("check-msrv: every declared rust-version holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
