"""schemathesis against trillet-mock (issue #13): every operation of the contract,
positive mode plus the coverage phase, with every check schemathesis has (response
conformance included). Run by .ci/run; any failure fails the step.

Usage:
    python3 tools/mock/schemathesis_mock.py MOCK_BIN ST_BIN REPORT_DIR [--max-examples N]

Starts MOCK_BIN on a free port of 127.0.0.1 (it prints the port), runs schemathesis
against it (bounded: a time budget and a few examples per operation), stops the mock,
prints the summary and the failures (the whole output is kept in
REPORT_DIR/schemathesis-mock.txt) and exits with schemathesis' status.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "trillet.yaml"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mock")
    ap.add_argument("st")
    ap.add_argument("report")
    ap.add_argument("--max-examples", default="5")
    ap.add_argument("--max-time", default="80")
    ap.add_argument("--only", action="append", default=[], help="operationIds to test (all by default)")
    args = ap.parse_args()
    report = Path(args.report).resolve()
    args.mock, args.st = str(Path(args.mock).resolve()), str(Path(args.st).resolve())
    report.mkdir(parents=True, exist_ok=True)
    # The clock stands still: a batch stays where schemathesis left it.
    mock = subprocess.Popen([args.mock, "--port", "0", "--clock-speed", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = mock.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        if not match:
            sys.exit(f"the mock did not start: {first}{mock.stdout.read() if mock.poll() is not None else ''}")
        url = f"http://127.0.0.1:{match.group(1)}"
        cmd = [args.st, "run", str(SPEC), "-u", url,
               "--mode", "positive", "--checks", "all",
               "--max-examples", args.max_examples, "--seed", "42",
               "-w", "1", "--request-timeout", "5", "--max-time", args.max_time, "--no-color",
               "-H", "x-api-key: k", "-H", "x-workspace-id: w",
               "--phases", "examples,coverage,fuzzing", "--generation-database", "none",
               # A mock cannot tell a wrong API key from a right one (a missing one is a 401:
               # the mock's own tests check it).
               "--exclude-checks", "ignored_auth",
               "--report", "junit", "--report-junit-path", str(report / "schemathesis-mock.xml")]

        # startBatch refuses a CSV that the client's pre-flight refuses (so does the live
        # API): the contract cannot say in a schema that `file` is a UTF-8 CSV with a
        # phone_number column, so a schema-valid PNG gets 400 and the CSV's line. It runs
        # apart, without positive_data_acceptance; every other check runs on it.
        main_run = cmd + ["--exclude-operation-id", "startBatch"]
        batch_run = [c if c != "ignored_auth" else "ignored_auth,positive_data_acceptance" for c in cmd]
        batch_run += ["--include-operation-id", "startBatch"]
        batch_run[batch_run.index("--max-time") + 1] = "15"
        if args.only:
            main_run = cmd + [a for op in args.only for a in ("--include-operation-id", op)]
            runs = [main_run]
        else:
            runs = [main_run, batch_run]
        out, code = "", 0
        for run in runs:
            # hypothesis writes .hypothesis/ in its cwd
            done = subprocess.run(run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  cwd=report, timeout=300)
            out += done.stdout
            code = code or done.returncode
        (report / "schemathesis-mock.txt").write_text(out)
        alive = mock.poll() is None
    finally:
        if mock.poll() is None:
            mock.terminate()
            mock.wait(10)
    lines = out.splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(r"^=+ (FAILURES|ERRORS) =+$", ln.strip())), None)
    if start is not None:
        print("\n".join(lines[start:start + 120]))
    summary = [ln.strip() for ln in lines if re.search(r"\d+ (passed|failed|errored)|^Test cases:|^API Operations:", ln)]
    print("# schemathesis against trillet-mock: " + " | ".join(summary))
    if not alive:
        print("FAIL the mock died during the run")
        sys.exit(1)
    sys.exit(code)


if __name__ == "__main__":
    main()
