#!/usr/bin/env python3
"""Convert the core's shared JSON test vectors (crates/seccode/tests/vectors/*.json) into a
line format that test_vectors.c reads without a JSON parser.

Each line is a record: a keyword and fields separated by single spaces. Every field is
percent-encoded: bytes outside printable ASCII, space, '%', '@' and '~' become %XX, so a field
never holds a space or a newline. `@null` stands for JSON null, `@empty` for "".

    POLICY norm code reasons note seed account_id account_name contact_name email phone
                                          reasons: comma-separated names, or @empty; seed: 1
                                          when the context is Any Company's primary contact
                                          (checked through an account too), else 0; absent
                                          context fields are @null
    COUNT file n                          how many cases of `file` came before (all of them)
    SKIP file note why                    a vector the C ABI cannot express
    NORM input spoken exact note
    LEGACY phc norm m_kib expect code     expect: ok | fail
    PERM name                             starts a permission scenario
    CATALOG json|@null
    OWNER 0|1
    SET resource action setting
    EXPECT resource action effective decided_by|@null
    ROW resource cells
    SROW resource cells
    RENDER line                           one per line of the rendered grid, in order
    RSETTINGS line                        one per line of the rendered settings, in order
    ROLES json                            the catalog JSON's "roles" member, exactly
    ERROR resource action setting error   error: unknown_resource | not_applicable
    CATALOG_ERROR message
    END                                   ends a permission scenario
    CALLFIX start lifetime_secs           the fixture of verifications.json (once)
    CALL name ask_account status decision reason|@null
                                          starts a verification case
    CALLSTEP op id text|@null             op: advance (id = seconds) | remove | add (text: name)
                                          | deactivate | reactivate | set_contact_code (text:
                                          the code) | set_account_code (id 0, text: the code)
    CALLEND                               ends it
    IMPORT phc error|@null note           a legacy hash offered for import (imports.json)

Usage: vectors_to_lines.py VECTORS_DIR > vectors.txt
"""

import json
import os
import sys

SEED_CONTEXT = {
    "account_id": 1707,
    "account_name": "Any Company",
    "contact_name": "Joe Example",
    "email": "marketing@viviotech.net",
    "phone": "000-000-0000",
}


def enc(value):
    if value is None:
        return "@null"
    if value == "":
        return "@empty"
    out = []
    for b in str(value).encode("utf-8"):
        if b <= 0x20 or b >= 0x7F or b in (ord("%"), ord("@"), ord("~")):
            out.append("%%%02X" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def line(*fields):
    print(" ".join(enc(f) if not isinstance(f, Raw) else f.text for f in fields))


class Raw:
    def __init__(self, text):
        self.text = text


def load(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        print("# missing %s" % name)
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def policy(directory):
    cases = load(directory, "policy.json") or []
    for case in cases:
        # Every case runs through seccode_engine_check_code with its own context; those whose
        # context is the seed account's primary contact also through seccode_account_check_code.
        context = case["context"]
        seed = "1" if context == SEED_CONTEXT else "0"
        account_id = context.get("account_id")
        reasons = ",".join(case["reasons"]) if case["reasons"] else ""
        line(Raw("POLICY"), case["normalization"], case["code"], reasons, case["note"], seed,
             None if account_id is None else str(account_id), context.get("account_name"),
             context.get("contact_name"), context.get("email"), context.get("phone"))
    line(Raw("COUNT"), "policy.json", str(len(cases)))


def normalization(directory):
    for case in load(directory, "normalization.json") or []:
        line(Raw("NORM"), case["input"], case["spoken"], case["exact"], case["note"])


def legacy(directory):
    data = load(directory, "legacy_hashes.json")
    for v in (data or {}).get("vectors", []):
        params = v["phc"].split("$")[3]
        m_kib = dict(p.split("=") for p in params.split(","))["m"]
        for code in v["verifies_with"]:
            line(Raw("LEGACY"), v["phc"], v["normalization"], m_kib, "ok", code)
        for code in v["fails_with"]:
            line(Raw("LEGACY"), v["phc"], v["normalization"], m_kib, "fail", code)


def permissions(directory):
    for s in load(directory, "permissions.json") or []:
        line(Raw("PERM"), s["name"])
        catalog = s.get("catalog")
        line(Raw("CATALOG"), None if catalog is None else json.dumps(catalog, ensure_ascii=False))
        if "catalog_error" in s:
            line(Raw("CATALOG_ERROR"), s["catalog_error"])
            line(Raw("END"))
            continue
        line(Raw("OWNER"), "1" if s.get("owner") else "0")
        for e in s.get("settings", []):
            line(Raw("SET"), e["resource"], e["action"], e["setting"])
        for e in s.get("expect", []):
            line(Raw("EXPECT"), e["resource"], e["action"], e["effective"], e["decided_by"])
        for resource, cells in s.get("rows", {}).items():
            line(Raw("ROW"), resource, cells)
        for resource, cells in s.get("settings_rows", {}).items():
            line(Raw("SROW"), resource, cells)
        for text in s.get("render") or []:
            line(Raw("RENDER"), text)
        for text in s.get("render_settings") or []:
            line(Raw("RSETTINGS"), text)
        roles = s.get("roles")
        if roles is not None:
            ordered = {k: roles.get(k) for k in ("profile", "manage_contacts", "billing")}
            line(Raw("ROLES"), '"roles":' + json.dumps(ordered, separators=(",", ":"),
                                                       ensure_ascii=False))
        for e in s.get("errors", []):
            line(Raw("ERROR"), e["resource"], e["action"], e["setting"], e["error"])
        line(Raw("END"))


def verifications(directory):
    data = load(directory, "verifications.json")
    if data is None:
        return
    line(Raw("CALLFIX"), str(data["start"]), str(data["lifetime_secs"]))
    for case in data["cases"]:
        routine = case["routine"]
        line(Raw("CALL"), case["name"], str(case["ask_account"]), case["status"],
             routine["decision"], routine.get("reason"))
        for step in case["steps"]:
            if "advance" in step:
                line(Raw("CALLSTEP"), "advance", str(step["advance"]), None)
            elif "add" in step:
                line(Raw("CALLSTEP"), "add", str(step["add"]), step["name"])
            elif "set_contact_code" in step:
                line(Raw("CALLSTEP"), "set_contact_code", str(step["set_contact_code"]), step["code"])
            elif "set_account_code" in step:
                line(Raw("CALLSTEP"), "set_account_code", "0", step["set_account_code"])
            else:
                (op, id_), = step.items()
                line(Raw("CALLSTEP"), op, str(id_), None)
        line(Raw("CALLEND"))


def imports(directory):
    data = load(directory, "imports.json")
    for v in (data or {}).get("vectors", []):
        line(Raw("IMPORT"), v["phc"], v["error"], v["note"])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    print("# generated by bindings/c/tests/vectors_to_lines.py from %s" % directory)
    policy(directory)
    normalization(directory)
    legacy(directory)
    permissions(directory)
    verifications(directory)
    imports(directory)


if __name__ == "__main__":
    main()
