"""Throughput and peak memory of trillet-mock against Prism (issue #13), on the same
operations of openapi/trillet.yaml, on 127.0.0.1.

Usage (from the repository root, after `cargo build --release -p trillet-mock` and
`(cd tools/generators && npm ci)` and the venv of tools/generators, which has PyYAML):
    tools/generators/venv/bin/python tools/bench/mock_vs_prism.py [--requests 3000] [--concurrency 8]

Each server is started alone, warmed up with 100 requests, then sent REQUESTS requests
(a fixed mix: listAgents, getCallFlow, updateAgent with its example body (the stored agent of the example, so that no list grows), sendCall with
an invalid body that must be refused, listCallHistory with a query) over CONCURRENCY
keep-alive connections. Prints requests per second, the ratio, and the peak resident
memory (VmHWM) of each server process.
"""

import argparse
import http.client
import json
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "trillet.yaml"
MOCK = ROOT / "target" / "release" / "trillet-mock"
PRISM = ROOT / "tools" / "generators" / "node_modules" / ".bin" / "prism"
HEADERS = {"x-api-key": "k", "x-workspace-id": "w"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not listen")


def update_agent_body():
    import yaml  # only here: the venv of tools/generators has PyYAML

    doc = yaml.safe_load(SPEC.read_text())
    examples = doc["paths"]["/v1/api/agents/{agentId}"]["put"]["requestBody"]["content"]["application/json"]["examples"]
    first = next(iter(examples.values()))
    if "$ref" in first:
        first = doc["components"]["examples"][first["$ref"].rsplit("/", 1)[1]]
    return json.dumps(first["value"]).encode()


def mix():
    body = update_agent_body()
    json_headers = dict(HEADERS, **{"content-type": "application/json"})
    return [
        ("GET", "/v1/api/agents", None, HEADERS),
        ("GET", "/v1/api/call-flows/exampleId", None, HEADERS),
        ("PUT", "/v1/api/agents/example-agent-id-1", body, json_headers),
        ("POST", "/v1/api/calls/call", b'{"agentId": "a1", "toNumber": 14155551234}', json_headers),
        ("GET", "/v2/api/call-history?page=1&limit=10&direction=outbound", None, HEADERS),
    ]


def load(port, requests, concurrency, requests_mix):
    counter = {"next": 0, "errors": 0, "statuses": {}}
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = counter["next"]
                if i >= requests:
                    break
                counter["next"] += 1
            method, path, body, headers = requests_mix[i % len(requests_mix)]
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                with lock:
                    counter["statuses"][response.status] = counter["statuses"].get(response.status, 0) + 1
            except (OSError, http.client.HTTPException):
                with lock:
                    counter["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return requests / (time.perf_counter() - start), counter


def peak_rss_mib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    return kib / 1024


def measure(name, argv, port, requests, concurrency):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        requests_mix = mix()
        load(port, 100, concurrency, requests_mix)
        rate, counter = load(port, requests, concurrency, requests_mix)
        rss = peak_rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"{name:13} {rate:9.0f} req/s  peak RSS {rss:6.1f} MiB  statuses {dict(sorted(counter['statuses'].items()))}"
          f"  errors {counter['errors']}")
    return rate, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    mock_port, prism_port = free_port(), free_port()
    mock_rate, mock_rss = measure("trillet-mock", [str(MOCK), "--port", str(mock_port)], mock_port,
                                  args.requests, args.concurrency)
    prism_rate, prism_rss = measure("prism 5.14.2", [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(prism_port),
                                                     "--errors", str(SPEC)], prism_port,
                                    args.requests, args.concurrency)
    print(f"ratio: trillet-mock serves {mock_rate / prism_rate:.1f}x the requests per second of Prism, "
          f"in {mock_rss / prism_rss:.2f}x its peak memory")


if __name__ == "__main__":
    main()
