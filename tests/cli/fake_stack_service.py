"""A stand-in for one child of cli.local_stack.LocalStack, for the port and start-up tests.

    python fake_stack_service.py KIND PORT [EXIT_AFTER_S]

KIND: rasa | actions | api (answer as that service), api-degraded (the API
answering 503 forever), other (any path: 200 text/html, not Rasa), exit
(print a line like Rasa's port clash and exit 3 at once).
With EXIT_AFTER_S the service exits (code 3) after that many seconds.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "rasa": {"/version": (200, {"version": "3.6.21", "minimum_compatible_version": "3.5.0"})},
    "actions": {"/health": (200, {"status": "ok"})},
    "api": {"/api/v1/health": (200, {"rasa": "ok", "actions": "ok", "db": "ok", "status": "ok"})},
    "api-degraded": {
        "/api/v1/health": (
            503,
            {"rasa": "down (ConnectError)", "actions": "ok", "db": "ok", "status": "degraded"},
        )
    },
}


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    print(f"fake {kind} starting on {port}", flush=True)
    if kind == "exit":
        print(
            f"OSError: [Errno 98] error while attempting to bind on address ('127.0.0.1', {port}): "
            "address already in use",
            flush=True,
        )
        sys.exit(3)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if kind == "other":
                status, body, ctype = 200, b"<html><body>Directory listing</body></html>", "text/html"
            else:
                status, payload = ANSWERS[kind].get(self.path, (404, {"detail": "Not Found"}))
                body, ctype = json.dumps(payload).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    if len(sys.argv) > 3:

        def leave():
            print(f"fake {kind} giving up", flush=True)
            os._exit(3)

        threading.Timer(float(sys.argv[3]), leave).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
