#!/usr/bin/env python3
"""A signing proxy for schema-driven fuzzing: takes plain HTTP requests (from schemathesis), signs each as a
party with the node's request signature scheme (README, "Authentication") and forwards it to the node.

Usage: signing_proxy.py LISTEN_PORT NODE_URL KEY_FILE AUDIENCE

A node that stops answering (a crash) shows as 599 on every later request, which schemathesis's
not_a_server_error check reports.
"""
import base64
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PORT, NODE, KEY_FILE, AUDIENCE = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3], sys.argv[4]
with open(KEY_FILE) as handle:
    KEY = json.load(handle)
PRIVATE = Ed25519PrivateKey.from_private_bytes(base64.b64decode(KEY["privateKey"]))
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        timestamp = str(int(time.time() * 1000))
        nonce = os.urandom(16).hex()
        text = "\n".join(
            ["scbroker-request-v2", AUDIENCE, self.command.upper(), self.path, timestamp, nonce,
             hashlib.sha256(body).hexdigest()])
        signature = base64.b64encode(PRIVATE.sign(text.encode())).decode()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers.update({
            "X-SCBroker-Key-Id": KEY["party"], "X-SCBroker-Audience": AUDIENCE, "X-SCBroker-Timestamp": timestamp,
            "X-SCBroker-Nonce": nonce, "X-SCBroker-Signature": signature,
        })
        request = urllib.request.Request(NODE + self.path, data=body or None, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=40) as response:
                status, reply, kind = response.status, response.read(), response.headers.get("Content-Type")
        except urllib.error.HTTPError as error:
            status, reply, kind = error.code, error.read(), error.headers.get("Content-Type")
        except Exception as error:  # the node is gone
            status, reply, kind = 599, json.dumps({"proxy": str(error)}).encode(), "application/json"
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def __getattr__(self, name):
        # Every method schemathesis tries (TRACE, QUERY, ...) goes to the node: its answer is what is judged.
        if name.startswith("do_"):
            return self._forward
        raise AttributeError(name)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
