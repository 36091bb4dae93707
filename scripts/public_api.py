#!/usr/bin/env python3
"""Print the public API of a crate from its rustdoc JSON, one line per item, sorted.

Usage: public_api.py TARGET/doc/CRATE.json

Every item reachable from the crate root is listed under each path a user can write
for it, following `pub use` re-exports (and globs) rather than where the item is
defined: modules, structs with their public fields, enums with their variants,
unions, traits with their items, functions, inherent methods and associated items,
trait impls (with their associated types and constants), the stable auto traits
(Send, Sync, Unpin, UnwindSafe, RefUnwindSafe), constants, statics, type aliases
and macros. Signatures are rendered in full, so a changed parameter, return type,
bound or field type changes the listing. Types inside signatures are named by their
public path when the item is this crate's, else by the path rustdoc records for it.

Not listed: `#[doc(hidden)]` items (rustdoc drops them), blanket impls as rustdoc
copies them onto every type (`impl<T> From<T> for T` ...; a blanket impl of one of
this crate's traits is listed once, with the trait), unstable marker traits
(`StructuralPartialEq`, `Freeze`, ...), and the methods of trait impls (the trait
fixes them; the impl line and its associated types are listed).

The JSON types are those of the `rustdoc-types` crate; FORMATS below are the
`format_version`s this script was written against. Standard library only.
"""

import json
import sys

# rustdoc-types 0.57.x is format 57 (Rust 1.95); 58-60 only added fields this script
# does not read (`stability`, `const_stability`, `default_unstable`).
FORMATS = range(57, 61)

STABLE_AUTO_TRAITS = {
    ("core", "marker", "Send"),
    ("core", "marker", "Sync"),
    ("core", "marker", "Unpin"),
    ("core", "panic", "unwind_safe", "UnwindSafe"),
    ("core", "panic", "unwind_safe", "RefUnwindSafe"),
}

# Implementation details the compiler adds with `#[derive(PartialEq)]`; unstable, so
# they can change with the toolchain, and the PartialEq impl itself is listed.
SKIPPED_TRAITS = {("core", "marker", "StructuralPartialEq")}

# Sort rank of a line inside the group of the item it belongs to.
HEAD, MEMBER, INHERENT, TRAIT_IMPL, AUTO_IMPL = range(5)


def one(tagged):
    """The (tag, value) of an externally tagged serde enum value."""
    if isinstance(tagged, str):
        return tagged, None
    ((tag, value),) = tagged.items()
    return tag, value


class Api:
    def __init__(self, krate):
        self.index = krate["index"]
        self.paths = krate["paths"]
        self.root = krate["root"]
        self.lines = {}  # line -> sort key
        self.public = {}  # item id -> every public path (list of segments)
        self.occurrences = []  # (item, path segments) in walk order
        self.done_impls = set()

    # ---- walking the module tree -------------------------------------------------

    def item(self, item_id):
        if item_id is None:
            return None
        return self.index.get(str(item_id))

    def walk(self):
        root = self.item(self.root)
        self.reach(root, [root["name"]], [])

    def reach(self, item, path, stack):
        """Record `item` as nameable at `path`; descend into modules."""
        self.public.setdefault(item["id"], []).append(path)
        self.occurrences.append((item, path))
        tag, inner = one(item["inner"])
        if tag == "module":
            if item["id"] in stack:
                return  # a glob or `pub use self` cycle
            self.walk_module(inner, path, stack + [item["id"]])

    def walk_module(self, module, path, stack):
        for child_id in module["items"]:
            child = self.item(child_id)
            if child is None or child["visibility"] != "public":
                continue
            tag, inner = one(child["inner"])
            if tag != "use":
                self.reach(child, path + [child["name"]], stack)
                continue
            target = self.item(inner["id"])
            if inner["is_glob"]:
                if target is not None and "module" in target["inner"]:
                    # Also a glob of an enclosing module (`pub use super::*`): its items are
                    # listed here once more, and `reach` does not descend into a module
                    # that is already being walked, so this ends.
                    if stack.count(target["id"]) < 2:
                        self.walk_module(target["inner"]["module"], path, stack + [target["id"]])
                elif target is not None and "enum" in target["inner"]:
                    for variant_id in target["inner"]["enum"]["variants"]:
                        variant = self.item(variant_id)
                        if variant is not None:
                            self.reach(variant, path + [variant["name"]], stack)
                else:
                    self.external_use(path + ["*"], inner)
            elif target is not None:
                self.reach(target, path + [inner["name"]], stack)
            else:
                self.external_use(path + [inner["name"]], inner)

    def external_use(self, path, use):
        source = self.name_of(use["id"], use["source"])
        if use["is_glob"] and not source.endswith("*"):
            source += "::*"
        self.add(path, HEAD, f"pub use {'::'.join(path)} = {source}")

    # ---- output ------------------------------------------------------------------

    def add(self, group, rank, line):
        key = ("::".join(group), rank, line)
        if line not in self.lines or key < self.lines[line]:
            self.lines[line] = key

    def listing(self):
        self.walk()
        for item, path in self.occurrences:
            self.render(item, path)
        return [line for line, _ in sorted(self.lines.items(), key=lambda kv: kv[1])]

    # ---- items -------------------------------------------------------------------

    def render(self, item, path):
        tag, inner = one(item["inner"])
        p = "::".join(path)
        attrs = self.attrs(item)
        if tag == "module":
            self.add(path, HEAD, f"{attrs}pub mod {p}")
        elif tag == "struct":
            self.struct(item, inner, path, attrs)
        elif tag == "union":
            fields = "" if not inner["has_stripped_fields"] else " { /* private fields */ }"
            generics = self.decl_generics(inner["generics"])
            self.add(path, HEAD, f"{attrs}pub union {p}{generics}{fields}")
            self.fields(inner["fields"], path)
            self.impls(inner["impls"], path)
        elif tag == "enum":
            hidden = " { /* some variants hidden */ }" if inner["has_stripped_variants"] else ""
            generics = self.decl_generics(inner["generics"])
            self.add(path, HEAD, f"{attrs}pub enum {p}{generics}{hidden}")
            for variant_id in inner["variants"]:
                variant = self.item(variant_id)
                if variant is not None:
                    self.variant(variant, path + [variant["name"]], path)
            self.impls(inner["impls"], path)
        elif tag == "variant":  # reached through a glob import of an enum
            self.variant(item, path, path)
        elif tag == "function":
            self.add(path, HEAD, f"{attrs}pub {self.function(p, inner)}")
        elif tag == "trait":
            self.trait(item, inner, path, attrs)
        elif tag == "trait_alias":
            g = inner["generics"]
            bounds = self.bounds(inner["params"])
            self.add(path, HEAD, f"{attrs}pub trait {p}{self.decl_generics(g)} = {bounds}")
        elif tag == "type_alias":
            g = inner["generics"]
            self.add(
                path,
                HEAD,
                f"{attrs}pub type {p}{self.params(g)} = {self.ty(inner['type'])}{self.where(g)}",
            )
        elif tag == "constant":
            self.add(path, HEAD, f"{attrs}pub const {p}: {self.ty(inner['type'])}")
        elif tag == "static":
            mutable = "mut " if inner["is_mutable"] else ""
            unsafe = "unsafe " if inner.get("is_unsafe") else ""
            ty = self.ty(inner["type"])
            self.add(path, HEAD, f"{attrs}pub {unsafe}static {mutable}{p}: {ty}")
        elif tag == "macro":
            self.add(path, HEAD, f"{attrs}pub macro {p}!")
        elif tag == "proc_macro":
            self.add(path, HEAD, f"{attrs}pub proc macro {p} ({inner['kind']})")
        elif tag == "extern_type":
            self.add(path, HEAD, f"{attrs}pub extern type {p}")
        elif tag == "extern_crate":
            self.add(path, HEAD, f"pub extern crate {inner['name']} as {p}")
        elif tag == "primitive":
            self.add(path, HEAD, f"pub primitive {p}")
            self.impls(inner["impls"], path)
        else:
            raise SystemExit(f"public_api.py: unhandled item kind `{tag}` at `{p}`")

    def attrs(self, item):
        out = []
        if item.get("deprecation") is not None:
            out.append("#[deprecated]")
        for attr in item["attrs"]:
            tag, value = one(attr)
            if tag == "non_exhaustive":
                out.append("#[non_exhaustive]")
            elif tag == "repr":
                parts = [] if value["kind"] == "rust" else [value["kind"]]
                if value.get("int"):
                    parts.append(value["int"])
                if value.get("align") is not None:
                    parts.append(f"align({value['align']})")
                if value.get("packed") is not None:
                    parts.append(f"packed({value['packed']})")
                if parts:
                    out.append(f"#[repr({', '.join(parts)})]")
        return "".join(a + " " for a in out)

    def struct(self, item, inner, path, attrs):
        p = "::".join(path)
        g = inner["generics"]
        kind, value = one(inner["kind"])
        if kind == "unit":
            shape = ";"
        elif kind == "tuple":
            shape = f"({self.tuple_fields(value, 'pub ')})"
        else:
            shape = " { /* private fields */ }" if value["has_stripped_fields"] else ""
        self.add(path, HEAD, f"{attrs}pub struct {p}{self.params(g)}{shape}{self.where(g)}")
        if kind == "plain":
            self.fields(value["fields"], path)
        self.impls(inner["impls"], path)

    def tuple_fields(self, field_ids, vis):
        out = []
        for field_id in field_ids:
            field = self.item(field_id)
            out.append("_" if field is None else vis + self.ty(field["inner"]["struct_field"]))
        return ", ".join(out)

    def fields(self, field_ids, path):
        for field_id in field_ids:
            field = self.item(field_id)
            if field is None or field["visibility"] != "public":
                continue
            ty = self.ty(field["inner"]["struct_field"])
            name = "::".join(path + [field["name"]])
            self.add(path, MEMBER, f"{self.attrs(field)}pub {name}: {ty}")

    def variant(self, item, path, group):
        inner = item["inner"]["variant"]
        kind, value = one(inner["kind"])
        if kind == "plain":
            shape = ""
        elif kind == "tuple":
            shape = f"({self.tuple_fields(value, '')})"
        else:
            fields = []
            for field_id in value["fields"]:
                field = self.item(field_id)
                if field is not None:
                    fields.append(f"{field['name']}: {self.ty(field['inner']['struct_field'])}")
            if value["has_stripped_fields"]:
                fields.append("/* hidden fields */")
            shape = " { " + ", ".join(fields) + " }"
        discriminant = ""
        if inner.get("discriminant") is not None:
            discriminant = f" = {inner['discriminant']['expr']}"
        line = f"{self.attrs(item)}pub {'::'.join(path)}{shape}{discriminant}"
        self.add(group, MEMBER, line)

    def trait(self, item, inner, path, attrs):
        p = "::".join(path)
        g = inner["generics"]
        unsafe = "unsafe " if inner["is_unsafe"] else ""
        auto = "auto " if inner["is_auto"] else ""
        bounds = f": {self.bounds(inner['bounds'])}" if inner["bounds"] else ""
        generics = self.params(g)
        self.add(path, HEAD, f"{attrs}pub {unsafe}{auto}trait {p}{generics}{bounds}{self.where(g)}")
        for member_id in inner["items"]:
            member = self.item(member_id)
            if member is None:
                continue
            name = f"{p}::{member['name']}"
            tag, m = one(member["inner"])
            if tag == "function":
                provided = " { ... }" if m["has_body"] else ""
                line = f"pub {self.function(name, m)}{provided}"
            elif tag == "assoc_type":
                line = "pub " + self.assoc_type(name, m)
            elif tag == "assoc_const":
                default = " = ..." if m.get("value") is not None else ""
                line = f"pub {self.assoc_const(name, m)}{default}"
            else:
                line = f"pub {tag} {name}"
            self.add(path, MEMBER, f"{self.attrs(member)}{line}")
        for impl_id in inner["implementations"]:
            self.impl(impl_id, path)

    def assoc_type(self, name, m):
        g = m["generics"]
        bounds = f": {self.bounds(m['bounds'])}" if m["bounds"] else ""
        default = f" = {self.ty(m['type'])}" if m.get("type") is not None else ""
        return f"type {name}{self.params(g)}{bounds}{self.where(g)}{default}"

    def assoc_const(self, name, m):
        # Like module-level constants, listed by type only: a new value is not an API change.
        return f"const {name}: {self.ty(m['type'])}"

    # ---- impls -------------------------------------------------------------------

    def impls(self, impl_ids, path):
        for impl_id in impl_ids:
            self.impl(impl_id, path)

    def impl(self, impl_id, group):
        item = self.item(impl_id)
        if item is None:
            return
        inner = item["inner"]["impl"]
        if inner["blanket_impl"] is not None:
            return
        trait = inner["trait"]
        summary = self.paths.get(str(trait["id"])) if trait else None
        trait_path = tuple(summary["path"]) if summary else None
        if trait_path in SKIPPED_TRAITS:
            return
        if inner["is_synthetic"] and trait_path not in STABLE_AUTO_TRAITS:
            return
        g = inner["generics"]
        unsafe = "unsafe " if inner["is_unsafe"] else ""
        for_ = self.ty(inner["for"])
        if trait is None:
            # Inherent impl: each public item on its own line, under the type's path.
            prefix = ""
            if g["params"] or g["where_predicates"]:
                prefix = f"impl{self.params(g)} {for_}{self.where(g)}: "
            owner = "::".join(group)
            for member_id in inner["items"]:
                member = self.item(member_id)
                if member is None or member["visibility"] != "public":
                    continue
                name = f"{owner}::{member['name']}"
                tag, m = one(member["inner"])
                if tag == "function":
                    line = f"pub {self.function(name, m)}"
                elif tag == "assoc_const":
                    line = f"pub {self.assoc_const(name, m)}"
                elif tag == "assoc_type":
                    line = f"pub {self.assoc_type(name, m)}"
                else:
                    line = f"pub {tag} {name}"
                self.add(group, INHERENT, f"{prefix}{self.attrs(member)}{line}")
            return
        negative = "!" if inner["is_negative"] else ""
        trait_ = negative + self.path(trait)
        head = f"{unsafe}impl{self.params(g)} {trait_} for {for_}{self.where(g)}"
        assoc = []
        for member_id in inner["items"]:
            member = self.item(member_id)
            if member is None:
                continue
            tag, m = one(member["inner"])
            if tag == "assoc_type":
                assoc.append(self.assoc_type(member["name"], m))
            elif tag == "assoc_const":
                assoc.append(self.assoc_const(member["name"], m))
        if assoc:
            head += " { " + "; ".join(assoc) + " }"
        # Listed with the type it is for when that is one of ours (rustdoc also attaches
        # an impl to types that only appear in its trait's generic arguments).
        tag, value = one(inner["for"])
        if tag == "resolved_path" and value["id"] in self.public:
            group = self.name_of(value["id"], "").split("::")
        self.add(group, AUTO_IMPL if inner["is_synthetic"] else TRAIT_IMPL, head)

    # ---- signatures and types ----------------------------------------------------

    def function(self, name, f):
        h = f["header"]
        qualifiers = ""
        if h["is_const"]:
            qualifiers += "const "
        if h["is_async"]:
            qualifiers += "async "
        if h["is_unsafe"]:
            qualifiers += "unsafe "
        qualifiers += self.abi(h["abi"])
        g = f["generics"]
        return f"{qualifiers}fn {name}{self.params(g)}{self.signature(f['sig'])}{self.where(g)}"

    def abi(self, abi):
        tag, value = one(abi)
        if tag == "Rust":
            return ""
        if tag == "Other":
            return f"extern {value} "
        unwind = "-unwind" if value and value.get("unwind") else ""
        name = "C" if tag == "C" else tag.lower()  # SysV64 is "sysv64", Win64 "win64"
        return f'extern "{name}{unwind}" '

    def signature(self, sig):
        args = []
        for name, ty in sig["inputs"]:
            if name == "self":
                args.append(self.receiver(ty))
            elif name == "_":  # also every parameter of a `fn(..)` pointer type
                args.append(self.ty(ty))
            else:
                args.append(f"{name}: {self.ty(ty)}")
        if sig["is_c_variadic"]:
            args.append("...")
        out = f" -> {self.ty(sig['output'])}" if sig["output"] is not None else ""
        return f"({', '.join(args)}){out}"

    def receiver(self, ty):
        tag, value = one(ty)
        if tag == "generic" and value == "Self":
            return "self"
        if tag == "borrowed_ref" and one(value["type"]) == ("generic", "Self"):
            lifetime = f"{value['lifetime']} " if value["lifetime"] else ""
            mutable = "mut " if value["is_mutable"] else ""
            return f"&{lifetime}{mutable}self"
        return f"self: {self.ty(ty)}"

    def decl_generics(self, g):
        return self.params(g) + self.where(g)

    def params(self, g):
        out = []
        for param in g["params"]:
            tag, kind = one(param["kind"])
            name = param["name"]
            if tag == "lifetime":
                outlives = f": {' + '.join(kind['outlives'])}" if kind["outlives"] else ""
                out.append(f"{name}{outlives}")
            elif tag == "type":
                if kind["is_synthetic"]:
                    continue  # `impl Trait` in argument position, shown there
                bounds = f": {self.bounds(kind['bounds'])}" if kind["bounds"] else ""
                default = f" = {self.ty(kind['default'])}" if kind["default"] is not None else ""
                out.append(f"{name}{bounds}{default}")
            else:
                default = f" = {kind['default']}" if kind["default"] is not None else ""
                out.append(f"const {name}: {self.ty(kind['type'])}{default}")
        return f"<{', '.join(out)}>" if out else ""

    def hrtb(self, generic_params):
        if not generic_params:
            return ""
        return f"for{self.params({'params': generic_params})} "

    def where(self, g):
        preds = []
        for pred in g["where_predicates"]:
            tag, value = one(pred)
            if tag == "bound_predicate":
                hrtb = self.hrtb(value["generic_params"])
                preds.append(f"{hrtb}{self.ty(value['type'])}: {self.bounds(value['bounds'])}")
            elif tag == "lifetime_predicate":
                preds.append(f"{value['lifetime']}: {' + '.join(value['outlives'])}")
            else:
                preds.append(f"{self.ty(value['lhs'])} = {self.term(value['rhs'])}")
        return f" where {', '.join(preds)}" if preds else ""

    def bounds(self, bounds):
        out = []
        for bound in bounds:
            tag, value = one(bound)
            if tag == "trait_bound":
                modifier = {"none": "", "maybe": "?", "maybe_const": "[const] "}[value["modifier"]]
                hrtb = self.hrtb(value["generic_params"])
                out.append(f"{hrtb}{modifier}{self.path(value['trait'])}")
            elif tag == "outlives":
                out.append(value)
            else:  # use<'a, T>
                out.append(f"use<{', '.join(one(arg)[1] for arg in value)}>")
        return " + ".join(out)

    def term(self, term):
        tag, value = one(term)
        return self.ty(value) if tag == "type" else value["expr"]

    def name_of(self, item_id, fallback):
        """Public path of a local item, else rustdoc's path for it, else `fallback`."""
        paths = self.public.get(item_id)
        if paths:
            return "::".join(min(paths, key=lambda p: (len(p), p)))
        summary = self.paths.get(str(item_id)) if item_id is not None else None
        if summary is not None:
            return "::".join(summary["path"])
        return fallback

    def path(self, path):
        return self.name_of(path["id"], path["path"]) + self.generic_args(path.get("args"))

    def generic_args(self, args):
        if args is None:
            return ""
        tag, value = one(args)
        if tag == "angle_bracketed":
            out = []
            for arg in value["args"]:
                kind, a = one(arg)
                if kind == "lifetime":
                    out.append(a)
                elif kind == "type":
                    out.append(self.ty(a))
                elif kind == "const":
                    out.append(a["expr"])
                else:
                    out.append("_")
            for c in value["constraints"]:
                name = c["name"] + self.generic_args(c.get("args"))
                kind, b = one(c["binding"])
                if kind == "equality":
                    out.append(f"{name} = {self.term(b)}")
                else:
                    out.append(f"{name}: {self.bounds(b)}")
            return f"<{', '.join(out)}>" if out else ""
        if tag == "parenthesized":
            out = f" -> {self.ty(value['output'])}" if value["output"] is not None else ""
            return f"({', '.join(self.ty(t) for t in value['inputs'])}){out}"
        return "(..)"  # return type notation

    def ty(self, ty):
        tag, v = one(ty)
        if tag == "resolved_path":
            return self.path(v)
        if tag == "dyn_trait":
            parts = [self.hrtb(t["generic_params"]) + self.path(t["trait"]) for t in v["traits"]]
            if v["lifetime"]:
                parts.append(v["lifetime"])
            return "dyn " + " + ".join(parts)
        if tag in ("generic", "primitive"):
            return v
        if tag == "function_pointer":
            h = v["header"]
            unsafe = "unsafe " if h["is_unsafe"] else ""
            hrtb = self.hrtb(v["generic_params"])
            return f"{hrtb}{unsafe}{self.abi(h['abi'])}fn{self.signature(v['sig'])}"
        if tag == "tuple":
            inner = ", ".join(self.ty(t) for t in v)
            return f"({inner},)" if len(v) == 1 else f"({inner})"
        if tag == "slice":
            return f"[{self.ty(v)}]"
        if tag == "array":
            return f"[{self.ty(v['type'])}; {v['len']}]"
        if tag == "pat":
            return f"{self.ty(v['type'])} is {v['__pat_unstable_do_not_use']}"
        if tag == "impl_trait":
            return "impl " + self.bounds(v)
        if tag == "infer":
            return "_"
        if tag == "raw_pointer":
            return f"*{'mut' if v['is_mutable'] else 'const'} {self.pointee(v['type'])}"
        if tag == "borrowed_ref":
            lifetime = f"{v['lifetime']} " if v["lifetime"] else ""
            mutable = "mut " if v["is_mutable"] else ""
            return f"&{lifetime}{mutable}{self.pointee(v['type'])}"
        if tag == "qualified_path":
            args = self.generic_args(v.get("args"))
            self_ty = self.ty(v["self_type"])
            if v["trait"] is None:
                return f"{self_ty}::{v['name']}{args}"
            return f"<{self_ty} as {self.path(v['trait'])}>::{v['name']}{args}"
        raise SystemExit(f"public_api.py: unhandled type kind `{tag}`")

    def pointee(self, ty):
        """A type behind `&` or `*`, parenthesised when it is a sum of bounds."""
        text = self.ty(ty)
        tag, v = one(ty)
        many = (tag == "dyn_trait" and len(v["traits"]) + bool(v["lifetime"]) > 1) or (
            tag == "impl_trait" and len(v) > 1
        )
        return f"({text})" if many else text


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: public_api.py TARGET/doc/CRATE.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        krate = json.load(f)
    version = krate.get("format_version")
    if version not in FORMATS:
        raise SystemExit(
            f"public_api.py: rustdoc JSON format_version {version} is not one this script knows "
            f"({FORMATS.start}..{FORMATS.stop - 1}); check the rustdoc-types changelog for what "
            "changed, adapt the script and widen FORMATS"
        )
    for line in Api(krate).listing():
        print(line)


if __name__ == "__main__":
    main()
