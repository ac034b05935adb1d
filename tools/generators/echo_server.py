"""The tiny HTTP server the generated clients' behavioural tests talk to (issue #10).

Standard library only. It answers the few operations the tests call with canned
bodies that a live server may send (an array of two items, unknown fields, enum
values the document does not list, money that float32 cannot hold) and records
every request. `GET /__last` returns the last recorded request as JSON:
{"method", "path", "body"} where `body` is the parsed JSON (or null).

Run alone for a look: python3 tools/generators/echo_server.py 8099
"""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A price and a charge that float32 cannot hold exactly (float32 gives
# 1234567.875 and 0.10000000149011612): decoded into a float32, they change.
MONEY = 1234567.89
CHARGE = 0.1

AGENT = {
    "_id": "a1",
    "name": "Night Shift",
    "type": "voice",
    "llmModel": "gpt-4o-mini",
    "ttsModel": {"provider": "brand-new-tts", "voiceId": "v1"},
    "status": "hibernating",  # not one of the documented statuses
    "brandNewField": {"nested": [1, 2]},  # not in the document
    "createdAt": "2025-01-15T15:00:00.000Z",
    "updatedAt": "2025-01-15T15:00:00.000Z",
}

CALL_FLOW = {
    "_id": "f1",
    "name": "Reception",
    "direction": "sideways",  # not one of the documented directions
    "promptType": "graph",  # not one of the documented prompt types
    "agent": {"_id": "a1", "name": "Night Shift", "brandNewField": True},  # populated, with an extra field
    "brandNewField": 42,
    "isActive": True,
    "createdAt": "2025-01-15T15:00:00.000Z",
    "updatedAt": "2025-01-15T15:00:00.000Z",
}

WORKSPACES = [
    {"_id": "w1", "name": "Acme Support", "initials": "AS", "teamMembers": []},
    {"_id": "w2", "name": "Acme Sales", "initials": "AS", "teamMembers": [], "brandNewField": "x"},
]

PHONE_NUMBERS = [
    {"_id": "p1", "phoneNumber": "+14155551234", "country": "US", "type": "local",
     "status": "active", "monthlyPrice": MONEY, "agentId": "a1"},
    {"_id": "p2", "phoneNumber": "+14155551235", "country": "US", "type": "satellite",
     "status": "active", "monthlyPrice": 1.15, "agentId": {"_id": "a1", "name": "Night Shift"}},
]

CALL_HISTORY = {
    "_id": "h1",
    "callId": "c1",
    "status": "completed",
    "direction": "sideways",
    "duration": 61,
    "cost": {"customer_charge": CHARGE},
    "brandNewField": [],
}

# (method, path) -> body of the 200 answer.
ROUTES = {
    ("GET", "/v1/api/agents/a1"): AGENT,
    ("PUT", "/v1/api/agents/a1"): AGENT,
    ("GET", "/v1/api/call-flows/f1"): CALL_FLOW,
    ("PUT", "/v1/api/call-flows/f1"): CALL_FLOW,
    ("POST", "/v1/api/agents"): AGENT,
    ("GET", "/v1/api/workspaces"): WORKSPACES,
    ("GET", "/v1/api/twilio/user-phone-numbers"): PHONE_NUMBERS,
    ("GET", "/v2/api/call-history/h1"): CALL_HISTORY,
}


class Handler(BaseHTTPRequestHandler):
    last = None  # the last request, shared by every handler
    lock = threading.Lock()

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.command == "GET" and path == "/__last":
            with Handler.lock:
                return self._answer(200, Handler.last)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with Handler.lock:
            Handler.last = {"method": self.command, "path": self.path, "body": body}
        answer = ROUTES.get((self.command, path))
        if answer is None:
            return self._answer(404, {"success": False, "message": f"no canned answer for {self.command} {path}"})
        return self._answer(200, answer)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = _handle


def start(port=0):
    """Start on 127.0.0.1 in a daemon thread; returns the server (server.server_port, server.shutdown())."""
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    s = start(int(sys.argv[1]) if len(sys.argv) > 1 else 8099)
    print(f"echo server on http://127.0.0.1:{s.server_port}")
    threading.Event().wait()
