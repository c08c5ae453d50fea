"""A local HTTP server that stands in for a web service in tests.

Tests exercise the real HTTP client against it, so timeouts, refused connections, 5xx
answers and garbage bodies go through the same code as in production. It serves a dict of
path -> Answer (or a list of Answers, given in turn, the last one repeating).
"""

import copy
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes | str | Any = b""
    delay: float = 0.0
    content_type: str = "application/json"

    def body_bytes(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


def json_answer(data: Any, status: int = 200, delay: float = 0.0) -> Answer:
    return Answer(status=status, body=json.dumps(data), delay=delay)


NOT_FOUND = Answer(status=404, body={"status": 404, "error": "no such path on the stub"})


class StubServer:
    """Serves `routes` on 127.0.0.1 at a free port; `requests` records the paths asked for.

    A route key is the path with its query string ("/a?b=1"); a key without the query
    matches any query for that path.
    """

    def __init__(self, routes: dict[str, Answer | list[Answer]] | None = None) -> None:
        self.routes: dict[str, Answer | list[Answer]] = dict(routes or {})
        self.requests: list[str] = []
        self._served: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # stop() waits for the serving loop to look up: at the default 0.5 s poll interval
        # that was half a second in the teardown of every test using a stub server.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "StubServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "StubServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def count(self, path: str) -> int:
        """How many requests asked for this path (with or without its query string)."""
        return sum(1 for asked in self.requests if asked == path or asked.split("?")[0] == path)

    def answer_for(self, path: str) -> Answer:
        with self._lock:
            self.requests.append(path)
            key = path if path in self.routes else path.split("?")[0]
            route = self.routes.get(key, NOT_FOUND)
            if isinstance(route, list):
                index = min(self._served[key], len(route) - 1)
                self._served[key] += 1
                return route[index]
            return route

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                answer = stub.answer_for(self.path)
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.body_bytes()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing to do

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def postcodes_io_answer(template: dict, postcode: str, gss_code: str, name: str) -> dict:
    """A postcodes.io answer for another postcode, built on the recorded Sevenoaks one."""
    answer = copy.deepcopy(template)
    result = answer["result"]
    result["postcode"] = postcode
    result["outcode"], result["incode"] = postcode.split()
    result["parliamentary_constituency_2024"] = name
    result["codes"]["parliamentary_constituency_2024"] = gss_code
    return answer
