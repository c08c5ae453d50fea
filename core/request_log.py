"""One JSON line per request, and counters the operations report reads.

Each line says: the request id (the load balancer's `X-Request-ID` when it sends a sane one,
else a new one; echoed in the response, so a visitor's report or Varnish's log leads to the
line), method, path (never the query string, which can hold a postcode), status, duration in
milliseconds, and the page cache's outcome: `hit`, `miss` (rendered and stored; the page
cache says so in its X-Page-Cache header) or `bypass` (anything it does not store: editors,
the admin, POSTs, personal answers). No address, no user agent (SECURITY.md).

The outcomes and error statuses are also counted per process and added to shared counters in
the cache every OPERATIONS_FLUSH_SECONDS (10), in ten-minute buckets, for `manage.py
operations_report`: a few cache calls per process every ten seconds, none per request.
"""

import json
import logging
import re
import threading
import time
import uuid
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("sanctuary.requests")

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
BUCKET_SECONDS = 600
COUNTED = ("hit", "miss", "bypass", "4xx", "5xx")


def flush_seconds() -> float:
    return getattr(settings, "OPERATIONS_FLUSH_SECONDS", 10)


def bucket_key(outcome: str, bucket: int) -> str:
    return f"operations:v1:{outcome}:{bucket}"


class Tally:
    """This process's counts since its last flush to the shared cache."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.flushed_at = time.monotonic()
        self.lock = threading.Lock()

    def add(self, *outcomes: str) -> None:
        with self.lock:
            self.counts.update(outcomes)
            if time.monotonic() - self.flushed_at < flush_seconds():
                return
            counts, self.counts = self.counts, Counter()
            self.flushed_at = time.monotonic()
        flush(counts)


def flush(counts: Counter[str]) -> None:
    bucket = int(time.time() // BUCKET_SECONDS)
    for outcome, count in counts.items():
        key = bucket_key(outcome, bucket)
        try:
            cache.add(key, 0, timeout=BUCKET_SECONDS * 7)
            cache.incr(key, count)
        except ValueError:  # evicted between add and incr, or the cache is unreachable
            continue


TALLY = Tally()


def request_id(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if SANE_REQUEST_ID.match(given) else uuid.uuid4().hex


def cache_outcome(response: HttpResponse) -> str:
    return response.get("X-Page-Cache") or "bypass"


class RequestLogMiddleware:
    """Outermost: times the whole answer, page cache included."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        rid = request_id(request)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        outcome = cache_outcome(response)
        status = response.status_code
        logger.info(
            json.dumps(
                {
                    "request_id": rid,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "cache": outcome,
                },
                separators=(",", ":"),
            )
        )
        errors = ("5xx",) if status >= 500 else ("4xx",) if status >= 400 else ()
        TALLY.add(outcome, *errors)
        return response
