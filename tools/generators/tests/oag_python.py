"""Behavioural test of the openapi-generator `python` client (issue #10).

Run by tools/generators/run.py with the generated package `trillet_client` on
PYTHONPATH and TRILLET_BASE_URL pointing at echo_server.py. Prints one line per
check, `ok NAME` or `FAIL NAME: why`.
"""

import json
import os
import urllib.request

import trillet_client as tc

BASE = os.environ["TRILLET_BASE_URL"]
client = tc.ApiClient(tc.Configuration(host=BASE, api_key={"ApiKey": "k", "WorkspaceId": "w"}))


def last_body():
    with urllib.request.urlopen(BASE + "/__last") as r:
        return json.load(r)["body"]


def check(name, fn):
    try:
        fn()
        print(f"ok {name}")
    except Exception as e:  # noqa: BLE001 - every failure is a finding
        print(f"FAIL {name}: {type(e).__name__}: {' '.join(str(e).split())[:500]}")


def call(fn):
    """Send a request; a decoding error of the answer is another check's business."""
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return None


def sent_exactly(expected):
    got = last_body()
    assert got == expected, f"server received {json.dumps(got)}, expected {json.dumps(expected)}"


def partial_agent():
    call(lambda: tc.AgentsApi(client).update_agent("a1", tc.AgentUpdate(name="Night Shift")))
    sent_exactly({"name": "Night Shift"})


def partial_call_flow():
    call(lambda: tc.CallFlowsApi(client).update_call_flow("f1", tc.CallFlowUpdate(name="Reception")))
    sent_exactly({"name": "Reception"})


def decode_agent():
    agent = tc.AgentsApi(client).get_agent("a1")
    assert agent.status == "hibernating", f"status {agent.status!r}"


def decode_call_flow():
    flow = tc.CallFlowsApi(client).get_call_flow("f1")
    assert flow.direction == "sideways", f"direction {flow.direction!r}"


def items(value):
    # a oneOf wrapper holds the decoded value in actual_instance
    value = getattr(value, "actual_instance", value)
    assert isinstance(value, list), f"decoded as {type(value).__name__}: {value!r:.200}"
    return value


def list_workspaces():
    n = len(items(tc.WorkspacesApi(client).list_workspaces()))
    assert n == 2, f"{n} items"


def list_phone_numbers():
    n = len(items(tc.PhoneNumbersApi(client).list_user_phone_numbers()))
    assert n == 2, f"{n} items"


check("partial-update-agent", partial_agent)
check("partial-update-call-flow", partial_call_flow)
check("decode-unknown-agent", decode_agent)
check("decode-unknown-call-flow", decode_call_flow)
check("list-workspaces", list_workspaces)
check("list-phone-numbers", list_phone_numbers)
