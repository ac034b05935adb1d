#!/usr/bin/env python3
"""The module graph of a Rust crate's `src/`, and whether it has a cycle.

    python3 tools/module_graph.py [crates/trillet/src] [--dot]

Prints one line per module, `module -> the modules it uses`, then `no cycle` or each
cycle, and exits 1 when there is one (2 when the folder is not a crate's `src/`).

A module is a file (`lib.rs` is `crate`, `a.rs` and `a/mod.rs` are `crate::a`,
`a/b.rs` is `crate::a::b`). It *uses* another when its code (not its comments, strings
or `#[cfg(test)]` module) names a path into it: `crate::a::b::Item`, `use crate::{a, b}`,
`super::Item`, `child::Item` for a child it declares, or an item the crate root re-exports (`crate::Client` is
`crate::client`'s). The crate root is the facade that declares and re-exports every
module, so edges into and out of it are left out; a parent module and its children are
separate nodes, as in `cargo modules dependencies`.

This is a short script rather than `cargo modules`, which builds rust-analyzer (several
minutes on CI's two cores) to draw the same edges.
"""

import re
import sys
from pathlib import Path

RAW_STRING = re.compile(r'b?r(#*)"')
CHAR_LITERAL = re.compile(r"'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^'\\\n])'")
PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
GROUP = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
REEXPORT = re.compile(r"\bpub\s+use\s+(?:crate::)?([a-z_][a-z0-9_:]*?)::(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))\s*;")
MODULE_ALIAS = re.compile(r"\bpub\s+use\s+(?:crate::)?([a-z_][a-z0-9_:]*)\s+as\s+([a-z_][a-z0-9_]*)\s*;")


def module_of(src: Path, file: Path) -> str:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts in (["lib"], ["main"]):
        return "crate"
    if parts[-1] == "mod":
        parts = parts[:-1]
    return "::".join(["crate", *parts])


def strip_literals(text: str) -> str:
    """`text` with comments, strings and char literals blanked, in one pass (a `"` in a
    comment or a `//` in a string is not what it looks like)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            out.append(" ")
        elif (m := RAW_STRING.match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            j = text.find(close, m.end())
            i = n if j < 0 else j + len(close)
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and (m := CHAR_LITERAL.match(text, i)):
            i = m.end()
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def code_of(text: str) -> str:
    """The text without comments, strings, chars and the `#[cfg(test)]` modules."""
    text = strip_literals(text)
    out, i = [], 0
    for match in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if match.start() < i:
            continue
        out.append(text[i:match.start()])
        depth, j = 1, match.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def inline_module_spans(code: str):
    """The (start, end) of each inline `mod name { ... }` of a file's code."""
    spans = []
    for match in re.finditer(r"\bmod\s+\w+\s*\{", code):
        depth, j = 1, match.end()
        while j < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
        spans.append((match.start(), j))
    return spans


def names_in_group(group: str):
    """`a, b::c, d::{e, f}, g as h` -> ['a', 'b::c', 'd::e', 'd::f', 'g']."""
    depth, item, items = 0, "", []
    for ch in group + ",":
        if ch == "," and depth == 0:
            items.append(item.strip())
            item = ""
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        item += ch
    out = []
    for item in filter(None, items):
        item = re.sub(r"\s+as\s+\w+$", "", item)
        inner = re.match(r"(.*?)::\{(.*)\}$", item, re.S)
        if inner:
            out += [f"{inner.group(1)}::{n}" for n in names_in_group(inner.group(2))]
        else:
            out.append(item)
    return out


def graph(src: Path):
    files = sorted(p for p in src.rglob("*.rs"))
    modules = {module_of(src, f): f for f in files}
    root_file = modules.get("crate")
    reexports = {}  # a name the crate root re-exports -> the module it comes from
    if root_file:
        root = code_of(root_file.read_text())
        for match in REEXPORT.finditer(root):
            origin = "crate::" + match.group(1)
            for name in names_in_group(match.group(2) or match.group(3)):
                reexports[name.split("::")[-1]] = origin
        for match in MODULE_ALIAS.finditer(root):
            reexports[match.group(2)] = "crate::" + match.group(1)

    def resolve(path: str):
        """The module a `crate::...` path lands in: the longest module prefix."""
        segments = path.split("::")
        for n in range(len(segments), 1, -1):
            candidate = "::".join(segments[:n])
            if candidate in modules:
                return candidate
        if len(segments) > 1 and segments[1] in reexports:
            return resolve(reexports[segments[1]] + "::" + "::".join(segments[2:]))
        return None

    edges = {m: set() for m in modules}
    for module, file in modules.items():
        code = code_of(file.read_text())
        parent = module.rsplit("::", 1)[0] if module != "crate" else "crate"
        inline = inline_module_spans(code)
        # `super` inside an inline module (`mod types { use super::*; }`) is this file.
        in_inline = lambda at: any(start < at < end for start, end in inline)
        paths = []
        groups = list(GROUP.finditer(code))
        for match in groups:
            if match.group(1) == "super" and in_inline(match.start()):
                continue
            base = match.group(1) + match.group(2)
            paths += [f"{base}::{n}" for n in names_in_group(match.group(3)) if n != "self"]
            paths.append(base)
        paths += [
            m.group(1) + m.group(2)
            for m in PATH.finditer(code)
            if not (m.group(1) == "super" and in_inline(m.start()))
            and not any(g.start() <= m.start() < g.end() for g in groups)
        ]
        # A child declared here (`mod merge;`) and named by a relative path (`merge::f`,
        # `use merge::{..}`, `self::merge::f`).
        for child in re.findall(r"\bmod\s+(\w+)\s*;", code):
            if re.search(rf"(?<!::)(?<![\w])(?:self::)?{child}::", code):
                paths.append(f"{module}::{child}")
        for path in paths:
            if path.startswith("super"):
                path = parent + path[len("super"):]
            target = resolve(path)
            if target and target not in (module, "crate") and module != "crate":
                edges[module].add(target)
    return edges


def cycles(edges):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main(argv):
    dot = "--dot" in argv
    args = [a for a in argv if a != "--dot"]
    src = Path(args[0] if args else "crates/trillet/src")
    if not (src / "lib.rs").is_file() and not (src / "main.rs").is_file():
        print(f"error: {src} holds no lib.rs or main.rs: give a crate's src/ folder", file=sys.stderr)
        return 2
    edges = graph(src)
    short = lambda m: m.removeprefix("crate::")
    if dot:
        print("digraph modules {")
        for module in sorted(edges):
            for target in sorted(edges[module]):
                print(f'  "{short(module)}" -> "{short(target)}";')
        print("}")
    else:
        for module in sorted(edges):
            if module != "crate":
                uses = ", ".join(short(t) for t in sorted(edges[module])) or "(nothing)"
                print(f"{short(module)} -> {uses}")
    found = cycles(edges)
    for component in found:
        print(f"cycle: {' <-> '.join(short(m) for m in component)}", file=sys.stderr)
    if not found:
        print(f"no cycle among the {len(edges) - 1} modules of {src}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
