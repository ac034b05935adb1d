#!/usr/bin/env python3
"""Times `xtask validate` against Redocly CLI on today's document and on synthetic
documents 8 and 16 times its size, and prints a table (docs/performance.md).

    cargo build --release -p xtask            # the script runs this too
    (cd tools && npm ci)                      # Redocly CLI, tools/node_modules/.bin/redocly
    python3 tools/bench/validate_vs_redocly.py [--runs 20] [--redocly-runs 5] [--times 1,8,16]

What is timed, wall time of the whole process, mean ± σ (and the fastest run) of N runs
after one warm-up run:
- `target/release/xtask validate --spec <doc>`: every inline example of the document
  validated and linted, and the files of openapi/examples/ (the real-traffic corpus
  included) checked and linted;
- `redocly lint --config <examples-only config> <doc>`: Redocly with only its three
  example rules on (tools/redocly-examples-only.yaml), so it checks the same inline
  examples and nothing else.
`1x` is the synthetic document of one copy, which holds what openapi/trillet.yaml holds
(the script checks that both report the same count of valid examples).
Documents are written to a temporary folder; REDOCLY_TELEMETRY=off.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
XTASK = ROOT / "target" / "release" / "xtask"
REDOCLY = ROOT / "tools" / "node_modules" / ".bin" / "redocly"
REDOCLY_CONFIG = ROOT / "tools" / "redocly-examples-only.yaml"
SYNTHETIC = ROOT / "tools" / "bench" / "synthetic_spec.py"


def run(command, env=None):
    """Runs `command`; returns its wall time in seconds and its output."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
                 f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed, result.stdout


def timed(command, runs, env=None):
    run(command, env)  # warm-up: file cache, Node's compile cache
    times = [run(command, env)[0] * 1000 for _ in range(runs)]
    return statistics.mean(times), statistics.stdev(times) if runs > 1 else 0.0, min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of xtask validate")
    parser.add_argument("--redocly-runs", type=int, default=5, help="timed runs of Redocly")
    parser.add_argument("--times", default="1,8,16", help="document sizes, comma-separated")
    parser.add_argument("--no-build", action="store_true", help="use target/release/xtask as it is")
    parser.add_argument("--xtask", type=Path, default=XTASK,
                        help="the xtask binary to time (another build, to compare); implies --no-build")
    parser.add_argument("--redocly", type=Path, default=REDOCLY,
                        help="the Redocly CLI to time (default: tools/node_modules/.bin/redocly)")
    args = parser.parse_args()
    xtask = args.xtask.resolve()
    redocly = args.redocly.resolve()

    if not args.no_build and xtask == XTASK:
        subprocess.run(["cargo", "build", "--release", "--locked", "-p", "xtask"], cwd=ROOT,
                       check=True)
    if not redocly.exists():
        sys.exit(f"{redocly} is missing: run `cd tools && npm ci` first")
    env = dict(os.environ, REDOCLY_TELEMETRY="off")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for times in [int(t) for t in args.times.split(",")]:
            doc = Path(folder) / f"x{times}.yaml"
            subprocess.run([sys.executable, str(SYNTHETIC), "--times", str(times), "-o", str(doc)],
                           check=True, capture_output=True)
            _, summary = run([xtask, "validate", "--spec", doc])
            if times == 1:
                _, original = run([xtask, "validate"])
                if summary.splitlines()[-1] != original.splitlines()[-1]:
                    sys.exit(f"the 1x document does not report as openapi/trillet.yaml:\n"
                             f"{summary.splitlines()[-1]}\n{original.splitlines()[-1]}")
            ours = timed([xtask, "validate", "--spec", doc], args.runs)
            theirs = timed([redocly, "lint", "--config", REDOCLY_CONFIG, doc], args.redocly_runs,
                           env)
            rows.append((times, doc.stat().st_size, summary.splitlines()[-1], ours, theirs))
            print(f"{times}x done", file=sys.stderr)

    print(f"| size | `xtask validate` (mean ± σ, fastest; {args.runs} runs) "
          f"| `redocly lint` (mean ± σ, fastest; {args.redocly_runs} runs) | ratio of means |")
    print("|---|---|---|---|")
    for times, size, _, (mean, sd, low), (rmean, rsd, rlow) in rows:
        print(f"| {times}x ({size / 1e6:.2f} MB) | {mean:.1f} ± {sd:.1f} ms ({low:.1f}) "
              f"| {rmean:.0f} ± {rsd:.0f} ms ({rlow:.0f}) | {rmean / mean:.1f}x |")
    for times, _, summary, _, _ in rows:
        print(f"{times}x: {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
