#!/usr/bin/env python3
"""Runs the client's examples (crates/trillet/examples) against the mock server, as a
user would against the real API, and checks what the mock received.

    python3 tools/mock/examples_against_mock.py <trillet-mock binary> <examples folder>

after `cargo build -p trillet-mock -p trillet --examples`. Each example runs as its own
process with TRILLET_BASE_URL pointing at a fresh mock; the script fails (exit 1) when an
example exits non-zero, when an example's output lacks what it should say, or when the
mock's request record shows a call placed other than exactly once. Paths come from the
mock's route table (`GET /__mock/routes`, read from the contract), never from here.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from datetime import datetime, timezone
from pathlib import Path


def fail(message):
    print(f"FAIL {message}", file=sys.stderr)
    sys.exit(1)


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def post(url, body, headers):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"content-type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main():
    if len(sys.argv) != 3:
        fail(__doc__.strip().splitlines()[2].strip())
    mock_binary, examples = Path(sys.argv[1]), Path(sys.argv[2])
    # Calls last one simulated second and the clock runs a thousand times real time, so a
    # batch completes while the example waits for it.
    mock = subprocess.Popen(
        [mock_binary, "--port", "0", "--clock-speed", "1000", "--call-seconds", "1"],
        stdout=subprocess.PIPE, text=True)
    try:
        line = mock.stdout.readline()
        if "http://127.0.0.1:" not in line:
            fail(f"the mock did not say where it listens: {line!r}")
        base = line.split("listening on ", 1)[1].split()[0]
        credentials = {"x-api-key": "mock-key", "x-workspace-id": "mock-workspace"}
        env = {**os.environ, "TRILLET_BASE_URL": base, "TRILLET_API_KEY": "mock-key",
               "TRILLET_WORKSPACE_ID": "mock-workspace"}
        routes = {route["operationId"]: route for route in get(f"{base}/__mock/routes")["routes"]}

        def run(name, *args, expect):
            done = subprocess.run([examples / name, *args], env=env, capture_output=True,
                                  text=True, timeout=120)
            output = done.stdout + done.stderr
            if done.returncode != 0 or expect not in output:
                fail(f"{name} {' '.join(args)}: exit {done.returncode}, expected {expect!r} in:\n{output}")
            print(f"ok   {name}: {output.strip().splitlines()[-1]}")

        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            run("place_call", "example-agent-id-1", "+14155551234", "firstName=Ada",
                expect="call ")
            today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
            history = scratch / "calls.jsonl"
            run("export_call_history", today, str(history), expect="written to")
            if len(history.read_text().splitlines()) < 1:
                fail("export_call_history wrote no call, though place_call placed one today")
            csv = scratch / "calls.csv"
            csv.write_text("phone_number,first_name\n+14155551234,Ada\n+14155551235,Bob\n")
            run("batch_campaign", str(csv), expect="2 completed")
            post(base + routes["purchasePhoneNumber"]["path"], {"country": "US", "type": "local", "phoneNumber": "+14155550100"},
                 credentials)
            numbers = subprocess.run([examples / "inbound_agent"], env=env, capture_output=True,
                                     text=True, timeout=60).stdout
            ids = [word for word in numbers.split() if len(word) == 24 and word.isalnum()]
            if not ids:
                fail(f"inbound_agent listed no phone number id after a purchase:\n{numbers}")
            run("inbound_agent", ids[0], expect="")

        placed = [request for request in get(f"{base}/__mock/requests")["requests"]
                  if request.get("operationId") == "initiateCall"]
        if len(placed) != 1:
            fail(f"the mock received {len(placed)} initiateCall requests, expected exactly 1")
        print("ok   the mock received exactly one initiateCall")
    finally:
        mock.terminate()
        mock.wait(timeout=10)


if __name__ == "__main__":
    main()
