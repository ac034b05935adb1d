"""Behavioural test of the openapi-python-client client (issue #10).

Run by tools/generators/run.py with the generated package `trillet_opc` on
PYTHONPATH and TRILLET_BASE_URL pointing at echo_server.py. Prints one line per
check, `ok NAME` or `FAIL NAME: why`.
"""

import json
import os
import urllib.request

from trillet_opc import AuthenticatedClient
from trillet_opc.api.agents import get_agent, update_agent
from trillet_opc.api.call_flows import get_call_flow, update_call_flow
from trillet_opc.api.phone_numbers import list_user_phone_numbers
from trillet_opc.api.workspaces import list_workspaces
from trillet_opc.models import AgentUpdate, CallFlowUpdate

BASE = os.environ["TRILLET_BASE_URL"]
# The document's two API-key headers; the client's own token header is one of them.
client = AuthenticatedClient(base_url=BASE, token="k", prefix="", auth_header_name="x-api-key",
                             headers={"x-workspace-id": "w"})


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
    try:
        return fn()
    except Exception:  # noqa: BLE001 - a decoding error is another check's business
        return None


def sent_exactly(expected):
    got = last_body()
    assert got == expected, f"server received {json.dumps(got)}, expected {json.dumps(expected)}"


def partial_agent():
    call(lambda: update_agent.sync("a1", client=client, body=AgentUpdate(name="Night Shift")))
    sent_exactly({"name": "Night Shift"})


def partial_call_flow():
    call(lambda: update_call_flow.sync("f1", client=client, body=CallFlowUpdate(name="Reception")))
    sent_exactly({"name": "Reception"})


def decode_agent():
    agent = get_agent.sync("a1", client=client)
    assert getattr(agent, "status", None) == "hibernating", f"decoded {agent!r:.300}"


def decode_call_flow():
    flow = get_call_flow.sync("f1", client=client)
    assert getattr(flow, "direction", None) == "sideways", f"decoded {flow!r:.300}"


def list_of(value, n):
    assert isinstance(value, list), f"decoded as {type(value).__name__}: {value!r:.200}"
    assert len(value) == n, f"{len(value)} items"


check("partial-update-agent", partial_agent)
check("partial-update-call-flow", partial_call_flow)
check("decode-unknown-agent", decode_agent)
check("decode-unknown-call-flow", decode_call_flow)
check("list-workspaces", lambda: list_of(list_workspaces.sync(client=client), 2))
check("list-phone-numbers", lambda: list_of(list_user_phone_numbers.sync(client=client), 2))
