#!/usr/bin/env python3
"""The proof of issue #10: do other teams' generators work on openapi/trillet.yaml?

From the document (never edited here) it generates each client into
tools/generators/out/ (ignored), compiles or imports it, and runs small
behavioural tests in the client's own language against echo_server.py on
127.0.0.1; then Prism mocks the document and schemathesis probes the mock
(prism_checks.py). Every check prints `ok` or `FAIL` with the tool's own error
text; the run ends with `N passed, N failed` and exits 1 if anything failed.

    python3 tools/generators/run.py                # install (pinned), then everything
    python3 tools/generators/run.py --no-install   # reuse node_modules/, venv/, Go
    python3 tools/generators/run.py --only go,python --spec /tmp/fixed.yaml

Standard library only; Python 3.11. See README.md beside this file.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "out"
TESTS = HERE / "tests"
VENV = HERE / "venv"
NODE_BIN = HERE / "node_modules" / ".bin"
# Debian bookworm's Go and the one module the generated Go client imports.
DEBIAN = ["golang-go=2:1.19~1", "golang-gopkg-validator.v2-dev=0.0+git20160116-3.1"]
VALIDATOR_SRC = Path("/usr/share/gocode/src/gopkg.in/validator.v2")
GENERATORS = ["python", "openapi-python-client", "typescript-fetch", "typescript-axios",
              "openapi-typescript", "go", "go-prefixed", "prism"]
# openapi-generator's generators, by output folder: (generator, extra additionalProperties).
# `go-prefixed` is the go client with enumClassPrefix=true, a generator option that
# sidesteps the enum-constant collisions, so that the go tests can show what else fails.
OAG = {"python": ("python", {"packageName": "trillet_client"}),
       "typescript-fetch": ("typescript-fetch", {}),
       "typescript-axios": ("typescript-axios", {}),
       "go": ("go", {"packageName": "openapi"}),
       "go-prefixed": ("go", {"packageName": "openapi", "enumClassPrefix": True})}

sys.path.insert(0, str(HERE))
import echo_server  # noqa: E402

results = []  # (tool, check, ok, detail)
timings = {}


def record(tool, check, ok, detail=""):
    results.append((tool, check, ok, detail))
    mark = "ok  " if ok else "FAIL"
    print(f"  {mark} {tool}: {check}" + (f"\n         {detail}" if detail and not ok else ""), flush=True)


def sh(cmd, cwd=ROOT, env=None, timeout=900):
    """Runs a command; returns (exit code, stdout and stderr together)."""
    try:
        p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=timeout)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        return 124, f"{e.stdout or ''}\n(timed out after {timeout} s)"


def errors_of(output, limit=8):
    """The lines of a tool's output that say what went wrong."""
    pattern = re.compile(r"error|Error|ERROR|FAIL|panic|redeclared|cannot|undefined|✘|Traceback|Exception")
    lines = [ln.rstrip() for ln in output.splitlines() if pattern.search(ln)]
    lines = lines or output.strip().splitlines()[-limit:]
    more = f" (+{len(lines) - limit} more lines)" if len(lines) > limit else ""
    return "\n         ".join(lines[:limit]) + more


def step(tool, check, cmd, **kw):
    code, out = sh(cmd, **kw)
    record(tool, check, code == 0, errors_of(out))
    return code == 0, out


def checks_from(tool, output, code):
    """Records the `ok NAME` / `FAIL NAME: why` lines a test printed."""
    seen = False
    for line in output.splitlines():
        m = re.match(r"^(ok|FAIL) (\S+?)(?::? (.*))?$", line.strip())
        if m:
            seen = True
            record(tool, m.group(2), m.group(1) == "ok", m.group(3) if m.group(1) == "FAIL" else "")
    if not seen:
        record(tool, "tests", False, f"exit {code}, no check ran: {errors_of(output)}")


def env(**extra):
    e = dict(os.environ)
    e["PATH"] = f"{VENV / 'bin'}:{NODE_BIN}:{e['PATH']}"
    e.update({k: str(v) for k, v in extra.items()})
    return e


def timed(name):
    def wrap(fn):
        def run(*a, **kw):
            t = time.monotonic()
            try:
                return fn(*a, **kw)
            finally:
                timings[name] = time.monotonic() - t
        return run
    return wrap


# ---------------------------------------------------------------- install

@timed("install")
def install():
    print("==> install (pinned: package-lock.json, requirements.txt, Debian versions in run.py)", flush=True)
    for cmd, cwd in (
        (["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], HERE),
        ([sys.executable, "-m", "venv", VENV], HERE),
        ([VENV / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes",
          "-r", "requirements.txt"], HERE),
    ):
        code, out = sh(cmd, cwd=cwd)
        if code:
            sys.exit(f"install failed: {' '.join(map(str, cmd))}\n{out}")
    if not shutil.which("go") or not VALIDATOR_SRC.is_dir():
        code, out = sh(["apt-get", "install", "-y", "-qq", *DEBIAN],
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        if code:
            sys.exit(f"apt-get install {' '.join(DEBIAN)} failed (apt-get update first?)\n{out}")


# ------------------------------------------------------------- generation

@timed("generate: openapi-generator (4 generators, one JVM)")
def openapi_generator(spec, names):
    """python, typescript-fetch, typescript-axios and go in one `batch` run (one JVM start)."""
    configs = OUT / "oag-config"
    shutil.rmtree(configs, ignore_errors=True)
    configs.mkdir(parents=True)
    for name in names:
        shutil.rmtree(OUT / name, ignore_errors=True)
        generator, properties = OAG[name]
        (configs / f"{name}.json").write_text(json.dumps({
            "generatorName": generator, "inputSpec": str(spec), "outputDir": str(OUT / name),
            "additionalProperties": properties,
            "globalProperties": {"apiDocs": "false", "modelDocs": "false", "apiTests": "false",
                                 "modelTests": "false"},
        }))
    code, out = sh([VENV / "bin" / "openapi-generator-cli", "batch", *sorted(configs.glob("*.json"))])
    (OUT / "openapi-generator.log").write_text(out)
    for name in names:
        ok = code == 0 and (OUT / name).is_dir()
        record(name, "generate", ok, errors_of(out))


def tsconfig(where, files):
    (where / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"target": "es2022", "module": "commonjs", "moduleResolution": "node",
                            "lib": ["es2022", "dom"], "types": ["node"],
                            "typeRoots": [str(HERE / "node_modules" / "@types")],
                            "strict": True, "skipLibCheck": True, "outDir": "js"},
        "files": files,
    }, indent=1))


def typescript(tool, where, test, typecheck_name="typecheck"):
    """tsc --noEmit (the check), then emit anyway and run the behavioural test with node."""
    shutil.copy(TESTS / "harness.ts", where / "harness.ts")
    shutil.copy(TESTS / test, where / "proof.ts")
    tsconfig(where, ["proof.ts"])
    step(tool, typecheck_name, [NODE_BIN / "tsc", "-p", where / "tsconfig.json", "--noEmit"])
    # tsc writes JavaScript even when types are wrong: the run shows what the code does.
    sh([NODE_BIN / "tsc", "-p", where / "tsconfig.json"])
    if not (where / "js" / "proof.js").exists():
        return record(tool, "tests", False, "tsc wrote no JavaScript")
    code, out = sh(["node", where / "js" / "proof.js"], env=env(TRILLET_BASE_URL=BASE), timeout=120)
    checks_from(tool, out, code)


# ----------------------------------------------------------------- clients

@timed("python (openapi-generator)")
def python_client():
    tool, where = "python", OUT / "python"
    e = env(PYTHONPATH=where, TRILLET_BASE_URL=BASE)
    ok, _ = step(tool, "import", [VENV / "bin" / "python", "-c", "import trillet_client"], env=e)
    if ok:
        code, out = sh([VENV / "bin" / "python", TESTS / "oag_python.py"], env=e, timeout=120)
        checks_from(tool, out, code)


@timed("openapi-python-client")
def openapi_python_client(spec):
    tool, where = "openapi-python-client", OUT / "openapi-python-client"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    ok, out = step(tool, "generate", [VENV / "bin" / "openapi-python-client", "generate", "--path", spec,
                                      "--output-path", where / "trillet_opc", "--meta", "none"], env=env())
    if ok and "Warning" in out:  # a skipped operation or response: the lines that say which and why
        lines = out.splitlines()
        said = [f"{ln.strip()} {lines[i + 1].strip()}" for i, ln in enumerate(lines[:-1]) if ln.startswith("WARNING")]
        record(tool, "generate-warnings", False, "\n         ".join(said) or errors_of(out))
    e = env(PYTHONPATH=where, TRILLET_BASE_URL=BASE)
    if ok and step(tool, "import", [VENV / "bin" / "python", "-c", "import trillet_opc"], env=e)[0]:
        code, out = sh([VENV / "bin" / "python", TESTS / "opc_python.py"], env=e, timeout=120)
        checks_from(tool, out, code)


@timed("typescript-fetch")
def typescript_fetch():
    typescript("typescript-fetch", OUT / "typescript-fetch", "ts_fetch.ts")


@timed("typescript-axios")
def typescript_axios():
    typescript("typescript-axios", OUT / "typescript-axios", "ts_axios.ts")


@timed("openapi-typescript + openapi-fetch")
def openapi_typescript(spec):
    tool, where = "openapi-typescript", OUT / "openapi-typescript"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    schema = where / "schema.d.ts"
    # As a team would run it: from the repository root (which has a redocly.yaml).
    ok, _ = step(tool, "generate-from-repo-root", [NODE_BIN / "openapi-typescript", spec, "-o", schema])
    if not ok:  # go on from a folder without redocly.yaml, to test the types themselves
        ok, _ = step(tool, "generate", [NODE_BIN / "openapi-typescript", spec, "-o", schema], cwd=where)
    if not ok:
        return
    shutil.copy(TESTS / "openapi_ts_types.ts", where / "types.ts")
    tsconfig(where, ["types.ts"])
    step(tool, "minimal-bodies-typecheck", [NODE_BIN / "tsc", "-p", where / "tsconfig.json", "--noEmit"])
    typescript(tool, where, "openapi_ts.ts", typecheck_name="client-typecheck")


def go_client(tool):
    where = OUT / tool
    # The generated go.mod needs gopkg.in/validator.v2, which no registry here serves:
    # Debian's copy of it, as a local module.
    validator = OUT / "go-validator"
    if not validator.is_dir():
        shutil.copytree(VALIDATOR_SRC, validator, ignore=shutil.ignore_patterns("*_test.go"))
        (validator / "go.mod").write_text("module gopkg.in/validator.v2\n\ngo 1.18\n")
    e = env(GOFLAGS="-mod=mod", GOPROXY="off", GOSUMDB="off", GOTOOLCHAIN="local", GOTELEMETRY="off",
            TRILLET_BASE_URL=BASE)
    sh(["go", "mod", "edit", f"-replace=gopkg.in/validator.v2={validator}"], cwd=where, env=e)
    ok, _ = step(tool, "go build", ["go", "build", "./..."], cwd=where, env=e)
    step(tool, "go vet", ["go", "vet", "./..."], cwd=where, env=e)
    if not ok:
        return record(tool, "tests", False, "not run: the generated package does not compile (go build above)")
    shutil.copy(TESTS / "go_proof_test.go", where / "proof_test.go")
    code, out = sh(["go", "test", "-v", "-count=1", "-run", "TestProof", "."], cwd=where, env=e, timeout=300)
    checks_from(tool, out, code)


@timed("prism + schemathesis")
def prism(spec):
    where = OUT / "prism"
    shutil.rmtree(where, ignore_errors=True)
    code, out = sh([VENV / "bin" / "python", HERE / "prism_checks.py", spec, NODE_BIN / "prism",
                    VENV / "bin" / "st", where], env=env(), timeout=600)
    checks_from("prism", out, code)
    for line in out.splitlines():
        if line.startswith("# "):
            print(f"         {line[2:]}")


# -------------------------------------------------------------------- main

def versions():
    found = {}
    for name, cmd in {
        "openapi-generator": [VENV / "bin" / "openapi-generator-cli", "version"],
        "openapi-python-client": [VENV / "bin" / "openapi-python-client", "--version"],
        "schemathesis": [VENV / "bin" / "st", "--version"],
        "openapi-typescript": [NODE_BIN / "openapi-typescript", "--version"],
        "typescript": [NODE_BIN / "tsc", "--version"],
        "prism": [NODE_BIN / "prism", "--version"],
        "go": ["go", "version"],
        "java": ["java", "-version"],
        "node": ["node", "--version"],
    }.items():
        code, out = sh(cmd)
        found[name] = out.strip().splitlines()[0] if code == 0 and out.strip() else "missing"
    return found


def main():
    global BASE
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--spec", type=Path, default=ROOT / "openapi" / "trillet.yaml")
    ap.add_argument("--no-install", action="store_true", help="reuse node_modules/, venv/ and Go")
    ap.add_argument("--only", default=",".join(GENERATORS), help=f"comma-separated, of {','.join(GENERATORS)}")
    args = ap.parse_args()
    only = args.only.split(",")
    spec = args.spec.resolve()
    started = time.monotonic()
    if not args.no_install:
        install()
    OUT.mkdir(exist_ok=True)
    print(f"==> {spec}", flush=True)
    for name, version in versions().items():
        print(f"    {name}: {version}")
    server = echo_server.start()
    BASE = f"http://127.0.0.1:{server.server_port}"
    try:
        oag = [g for g in OAG if g in only]
        if oag:
            print("==> openapi-generator", flush=True)
            openapi_generator(spec, oag)
        for name, run in (("python", python_client), ("openapi-python-client", lambda: openapi_python_client(spec)),
                          ("typescript-fetch", typescript_fetch), ("typescript-axios", typescript_axios),
                          ("openapi-typescript", lambda: openapi_typescript(spec)),
                          ("go", timed("go")(lambda: go_client("go"))),
                          ("go-prefixed", timed("go-prefixed")(lambda: go_client("go-prefixed"))),
                          ("prism", lambda: prism(spec))):
            if name in only and (name not in oag or (OUT / name).is_dir()):
                print(f"==> {name}", flush=True)
                run()
    finally:
        server.shutdown()
    timings["total"] = time.monotonic() - started
    print("\n==> wall time")
    for name, seconds in timings.items():
        print(f"    {seconds:7.1f} s  {name}")
    failed = [r for r in results if not r[2]]
    print("\n==> failures" if failed else "")
    for tool, check, _, detail in failed:
        print(f"  {tool}: {check}: {detail.splitlines()[0] if detail else ''}"[:300])
    shutil.rmtree(OUT / "go-validator", ignore_errors=True)
    (OUT / "results.json").write_text(json.dumps(
        [{"tool": t, "check": c, "ok": o, "detail": d} for t, c, o, d in results], indent=1))
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
