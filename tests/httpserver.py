"""A small HTTP server on 127.0.0.1 with one route per network fault, for the download tests."""
from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = bytes(range(256)) * 400  # 102,400 bytes
SHA256 = hashlib.sha256(BODY).hexdigest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        server: FaultServer = self.server  # type: ignore[assignment]
        path = self.path.split("?")[0]
        server.hits[path] = server.hits.get(path, 0) + 1
        first = server.hits[path] == 1
        if path.endswith("/data.bin") and path.startswith("/ok"):
            return self._send(BODY)
        if path == "/slow/data.bin":  # a correct file, sent in pieces
            return self._send(BODY, pause=0.01)
        if path == "/404/data.bin":
            return self._status(404)
        if path == "/500/data.bin":
            return self._status(500)
        if path == "/drop-once/data.bin":  # connection dropped mid-body, once
            return self._send(BODY, cut=len(BODY) // 2) if first else self._send(BODY)
        if path == "/short-once/data.bin":  # Content-Length larger than the body, once
            return self._send(BODY, cut=len(BODY) - 1000) if first else self._send(BODY)
        if path == "/drop-always/data.bin":
            return self._send(BODY, cut=len(BODY) // 2)
        if path == "/stall/data.bin":  # headers, then silence
            return self._send(BODY, stall=server.stall_seconds)
        if path == "/redirect/data.bin":
            return self._redirect("/ok/data.bin")
        if path.startswith("/hop/"):  # /hop/N/data.bin -> /hop/N-1/... -> /ok/data.bin
            n = int(path.split("/")[2])
            return self._redirect("/ok/data.bin" if n <= 1 else f"/hop/{n - 1}/data.bin")
        if path == "/loop/data.bin":
            return self._redirect("/loop/data.bin")
        if path == "/429-once/data.bin":  # rate-limited once, asked to wait 2 s
            return self._status(429, {"Retry-After": "2"}) if first else self._send(BODY)
        if path == "/429-date-once/data.bin":  # Retry-After as an HTTP date in the past
            return (self._status(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
                    if first else self._send(BODY))
        if path == "/429-long/data.bin":  # asked to come back in an hour
            return self._status(429, {"Retry-After": "3600"})
        if path == "/503-once/data.bin":  # busy once, no Retry-After
            return self._status(503) if first else self._send(BODY)
        if path == "/503-always/data.bin":
            return self._status(503)
        if path == "/close-once/data.bin":  # connection closed before any answer, once
            if first:
                self.close_connection = True
                return None
            return self._send(BODY)
        if path == "/garbled/data.bin":  # a status line that is not HTTP
            self.wfile.write(b"HTTP/1.1 two-hundred OK\r\nContent-Length: 0\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
            return None
        return self._status(404)

    def _send(self, body, cut=None, pause=0.0, stall=0.0):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        if stall:
            time.sleep(stall)
            return
        sent = body if cut is None else body[:cut]
        for i in range(0, len(sent), 8192):
            self.wfile.write(sent[i:i + 8192])
            if pause:
                time.sleep(pause)
        self.wfile.flush()
        if cut is not None:
            self.close_connection = True

    def _status(self, code, headers=None):
        self.send_response(code)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, stall_seconds: float = 3.0):
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: dict[str, int] = {}
        self.stall_seconds = stall_seconds

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        # a short poll interval: shutdown() waits up to one interval, at every test's end
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
