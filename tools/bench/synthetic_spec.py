#!/usr/bin/env python3
"""Writes a synthetic OpenAPI document N times the size of openapi/trillet.yaml.

    python3 tools/bench/synthetic_spec.py --times 8 -o /tmp/x8.yaml

Copy 1 is the document itself; copies 2..N repeat every path (under a `/copyK`
prefix), every operation (operationId `<id>CopyK`) and every component of
`parameters`, `responses`, `examples`, `requestBodies`, `headers` and `schemas`
(named `<name>CopyK`), with each `$ref` of a copy pointing at the same copy. So
the result is a valid OpenAPI 3.0.3 document with N times the operations, schemas
and examples; what is shared by name (security schemes, tags, `x-webhooks`) is
left once. Vendor extensions (`x-...`) are copied as they are.

Only for benchmarks (tools/bench/validate_vs_redocly.py). Needs PyYAML (installed
with tools/requirements.txt).
"""

import argparse
import copy
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COPIED_COMPONENTS = ("parameters", "responses", "examples", "requestBodies", "headers", "schemas")
REF = re.compile(r"^#/components/(%s)/(.+)$" % "|".join(COPIED_COMPONENTS))


class CoreLoader(yaml.SafeLoader):
    """YAML 1.2 core-schema scalars, as serde_norway reads them: `yes`, `on` and
    unquoted dates stay strings (PyYAML's YAML 1.1 rules would turn them into
    booleans and datetimes, and write them back differently)."""


CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class PlainDumper(yaml.SafeDumper):
    """Block style, no anchors or aliases (trillet-spec refuses them)."""

    def ignore_aliases(self, data):
        return True


def rename(name, k):
    return f"{name}Copy{k}"


def rewrite(node, k):
    """A deep copy of `node` with every component `$ref` (and discriminator mapping)
    pointing at copy `k`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = rewrite_ref(value, k)
            elif key == "discriminator" and isinstance(value, dict):
                out[key] = rewrite(value, k)
                mapping = value.get("mapping")
                if isinstance(mapping, dict):
                    out[key]["mapping"] = {m: rewrite_ref(r, k) for m, r in mapping.items()}
            else:
                out[key] = rewrite(value, k)
        return out
    if isinstance(node, list):
        return [rewrite(item, k) for item in node]
    return copy.copy(node)


def rewrite_ref(ref, k):
    match = REF.match(ref)
    if not match:
        return ref
    return f"#/components/{match.group(1)}/{rename(match.group(2), k)}"


def synthesize(document, times):
    if times < 1:
        raise ValueError("--times must be at least 1")
    out = copy.deepcopy(document)
    paths = document.get("paths", {})
    components = document.get("components", {})
    ids = {
        operation["operationId"]
        for item in paths.values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for k in range(2, times + 1):
        for path, item in paths.items():
            new_path = f"/copy{k}{path}"
            if new_path in out["paths"]:
                raise SystemExit(f"path {new_path} exists already")
            item = rewrite(item, k)
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    new_id = rename(operation["operationId"], k)
                    if new_id in ids:
                        raise SystemExit(f"operationId {new_id} exists already")
                    ids.add(new_id)
                    operation["operationId"] = new_id
            out["paths"][new_path] = item
        for kind in COPIED_COMPONENTS:
            for name, component in components.get(kind, {}).items():
                new_name = rename(name, k)
                if new_name in out["components"][kind]:
                    raise SystemExit(f"component {kind}/{new_name} exists already")
                out["components"][kind][new_name] = rewrite(component, k)
    info = out.setdefault("info", {})
    info["title"] = f"{info.get('title', 'API')} (synthetic, {times}x)"
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, required=True, help="how many copies (1 = the document)")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi" / "trillet.yaml")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    document = yaml.load(args.spec.read_text(encoding="utf-8"), Loader=CoreLoader)
    result = synthesize(document, args.times)
    text = yaml.dump(result, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=100)
    args.output.write_text(text, encoding="utf-8")
    operations = sum(
        1 for item in result["paths"].values() for op in item.values()
        if isinstance(op, dict) and "operationId" in op)
    print(f"{args.output}: {len(text.encode('utf-8'))} bytes, {operations} operations, "
          f"{len(result['components'].get('schemas', {}))} schemas", file=sys.stderr)


if __name__ == "__main__":
    main()
