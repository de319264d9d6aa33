"""A web server for the collect tests: threaded http.server on 127.0.0.1, in this process, with a log of every
request it was sent (when, what, which conditional headers). Nothing leaves the machine."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    etag: str = ""  # answered with 304 when the request's If-None-Match names it
    declare_length: bool = True  # False: no Content-Length, the body ends when the connection closes


@dataclass
class Logged:
    at: float  # time.monotonic() when the request arrived
    path: str
    headers: dict[str, str]
    status: int = 0

    @property
    def conditional(self) -> bool:
        return "if-none-match" in self.headers or "if-modified-since" in self.headers


class Site:
    """Routes a path to a Response, or to a list of them answered in turn (the last one from then on)."""

    def __init__(self):
        self.routes: dict[str, Response | list[Response]] = {}
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.root + path

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def requests_to(self, path: str) -> list[Logged]:
        return [entry for entry in self.log if entry.path == path]

    def _answer(self, path: str) -> Response:
        with self._lock:
            route = self.routes.get(path, Response(404, b"not found", {"Content-Type": "text/plain"}))
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
            return route

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                entry = Logged(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()})
                with site._lock:
                    site.log.append(entry)
                answer = site._answer(self.path)
                time.sleep(answer.delay)
                not_modified = answer.etag and self.headers.get("If-None-Match") == answer.etag
                entry.status = 304 if not_modified else answer.status
                try:
                    self.send_response(entry.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if answer.etag:
                        self.send_header("ETag", answer.etag)
                    if answer.declare_length or not_modified:
                        self.send_header("Content-Length", "0" if not_modified else str(len(answer.body)))
                    self.end_headers()
                    if not not_modified:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout, a size limit): nothing to answer

            def log_message(self, *args):
                pass

        return Handler
