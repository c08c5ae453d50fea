"""make soak: mixed public traffic at 32 connections against production settings.

Reuses the benchmark harness (bench/run.py: database, gunicorn, wrk, worker memory). Prints
the status counts, the 5xx count (which must be zero), the median and 99th-percentile
latency (target: p99 under 100 ms at 16 connections) and each worker's memory before and
after. Workers recycle as in production (gunicorn.conf.py's max_requests and its jitter),
so a restart's stall shows in p99; --no-recycle keeps the same workers throughout, to compare
their memory; --cached-only sends only the paths the page cache answers, so p99 shows what
recycling costs rather than the slowest uncached page. --instances 2 runs two gunicorn
instances on one database and Redis, as two containers behind a load balancer, splits the
traffic between them, and meanwhile publishes a page through the first every two seconds
(the API, with a token) and reads it through the second at once: it prints how many of
those reads were stale (must be zero). Defaults to 10 minutes; --seconds shortens it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    BASE,
    LETTER,
    P99_TARGET_MS,
    PORT,
    PYTHON,
    ROOT,
    ensure_wrk,
    load_test_env,
    prepare_database,
    rss_growth,
    start_server,
    stop_server,
    to_ms,
    worker_rss_mb,
)

PATHS = [
    "/",
    "/groups/",
    "/groups/?region=london",
    "/groups/load-group-000/",
    "/groups/achievements/",
    "/events/",
    "/events/?tag=refugee-week",
    "/events/ical/",
    "/news/",
    "/news/feed/",
    "/search/?q=sanctuary",
    "/find-your-mp/?q=Southampton",
    f"{LETTER}/",
    f"{LETTER}/southampton-test/",
    f"{LETTER}/southampton-test/personalise/",
    f"{LETTER}/southampton-test/txt/",
    f"{LETTER}/southampton-test/docx/",
    "/api/v3/groups/",
    "/api/v3/events/",
    "/no-such-page/",
]
# The paths anonymous visitors are served from the page cache (no search, no personalised or
# counted letter, no 404): --cached-only isolates what worker recycling does to p99.
UNCACHED = ("/search/", "/find-your-mp/", "/personalise/", "/txt/", "/docx/", "/no-such-page/")
CACHED_PATHS = [path for path in PATHS if not any(part in path for part in UNCACHED)]

LUA = """
local paths = {%s}
local counter = 0
c2, c3, c4, c5 = 0, 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then c5 = c5 + 1
  elseif status >= 400 then c4 = c4 + 1
  elseif status >= 300 then c3 = c3 + 1
  else c2 = c2 + 1 end
end
function done(summary, latency, requests)
  for _, name in ipairs({"c2", "c3", "c4", "c5"}) do
    local total = 0
    for _, thread in ipairs(threads) do total = total + thread:get(name) end
    io.write(string.format("status %%sxx %%d\\n", string.sub(name, 2), total))
  end
end
"""


SECOND = f"http://127.0.0.1:{PORT + 1}"
PUBLISHED_PAGE = "/groups/load-group-000/"


class Publisher(threading.Thread):
    """Every two seconds, renames a group page through the first instance's API (publishing
    it) and reads it at once through the second: the second must show the new title."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.published = self.stale = self.failed = 0
        self.secret = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", PUBLISHER_SETUP],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]

    def api(self, method: str, path: str, body: bytes | None = None, etag: str = ""):
        headers = {"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"}
        if etag:
            headers["If-Match"] = etag
        request = urllib.request.Request(BASE + path, data=body, headers=headers, method=method)
        return urllib.request.urlopen(request, timeout=30)  # noqa: S310 - loopback

    def run(self) -> None:
        group = json.load(urllib.request.urlopen(BASE + "/api/v3/groups/load-group-000/"))  # noqa: S310
        page = f"/api/v3/pages/{group['id']}/"
        while not self.stopping.wait(2):
            title = f"Load group 0, publish {self.published + 1}"
            try:
                etag = self.api("GET", page).headers["ETag"]
                body = json.dumps({"meta": {"action": "publish"}, "title": title}).encode()
                self.api("PATCH", page, body, etag)
                self.published += 1
                seen = urllib.request.urlopen(SECOND + PUBLISHED_PAGE, timeout=30).read()  # noqa: S310
            except OSError:
                self.failed += 1
                continue
            if title.encode() not in seen:
                self.stale += 1

    def finish(self) -> None:
        self.stopping.set()
        self.join(timeout=60)


PUBLISHER_SETUP = """
from django.contrib.auth import get_user_model
from wagtail.models import APIToken
User = get_user_model()
user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
    "soak", "soak@example.org", None
)
print(APIToken.create_token(user=user, name="soak publisher")[1])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--groups", type=int, default=150)
    parser.add_argument("--database", default="sanctuary_bench")
    parser.add_argument(
        "--no-recycle", action="store_true", help="never restart workers (memory comparison)"
    )
    parser.add_argument(
        "--max-requests", type=int, default=5000, help="gunicorn's max_requests when recycling"
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="only the paths the page cache answers (what recycling does to p99, alone)",
    )
    parser.add_argument(
        "--instances",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: two gunicorn instances sharing the database and Redis, publishing through one",
    )
    args = parser.parse_args()
    paths = CACHED_PATHS if args.cached_only else PATHS

    wrk = ensure_wrk()
    env = load_test_env(args.database)
    if not args.no_recycle:
        env["GUNICORN_MAX_REQUESTS"] = str(args.max_requests)
    prepare_database(env, args.groups)
    server = start_server(env)
    second = None
    if args.instances == 2:
        second = start_server({**env, "GUNICORN_BIND": f"127.0.0.1:{PORT + 1}"}, base=SECOND)
    try:
        for path in paths:  # warm every worker's imports and the cache
            with contextlib.suppress(OSError):
                urllib.request.urlopen(BASE + path, timeout=10).read()  # noqa: S310 - loopback
        rss_before = worker_rss_mb(server)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA % ", ".join(f'"{path}"' for path in paths))
        recycling = "off" if args.no_recycle else f"max_requests {args.max_requests} with jitter"
        print(
            f"soak: {args.seconds}s, {args.connections} connections, {len(paths)} paths in turn, "
            f"worker recycling {recycling}"
        )
        bases = [BASE] if second is None else [BASE, SECOND]
        connections = max(1, args.connections // len(bases))
        publisher = Publisher(env) if second is not None else None
        if publisher:
            publisher.start()
        runs = [
            subprocess.Popen(
                [
                    wrk,
                    f"-t{max(1, 4 // len(bases))}",
                    f"-c{connections}",
                    f"-d{args.seconds}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    script.name,
                    base,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for base in bases
        ]
        outputs = [run.communicate() for run in runs]
        if publisher:
            publisher.finish()
        os.unlink(script.name)
        if any(run.returncode != 0 for run in runs):
            sys.exit("wrk failed: " + " ".join(err + out for out, err in outputs))
        output = "\n".join(out for out, _ in outputs)
        print(output, flush=True)
        rss_after = worker_rss_mb(server)
    finally:
        for running in (server, second):
            if running is None:
                continue
            try:
                stop_server(running)
            except subprocess.TimeoutExpired:
                os.killpg(running.pid, signal.SIGKILL)
    statuses: dict[str, int] = {}
    for status, count in re.findall(r"status (\dxx) (\d+)", output):
        statuses[status] = statuses.get(status, 0) + int(count)
    requests = sum(statuses.values())
    server_errors = statuses.get("5xx", 0)
    socket_errors = re.search(r"Socket errors: .*", output)
    rps = sum(float(found) for found in re.findall(r"Requests/sec:\s+([\d.]+)", output))
    print(
        f"requests: {requests} ({rps:.1f} req/s over {args.instances} instance(s)); "
        f"statuses: {dict(sorted(statuses.items()))}"
    )
    print(f"socket errors: {socket_errors.group(0) if socket_errors else 'none'}")
    p50, p99 = (re.search(rf"\s{q}%\s+(\S+)", output) for q in (50, 99))
    if p50 and p99:
        print(
            f"latency{' (first instance)' if args.instances == 2 else ''}: "
            f"p50 {to_ms(p50.group(1)):.1f} ms, p99 {to_ms(p99.group(1)):.1f} ms "
            f"(target p99 < {P99_TARGET_MS} ms at 16 connections)"
        )
    print(f"worker RSS MB before: {list(rss_before.values())}; after: {list(rss_after.values())}")
    print(f"worker RSS {rss_growth(rss_before, rss_after)}")
    print(f"5xx responses: {server_errors}")
    stale = 0
    if publisher:
        stale = publisher.stale
        print(
            f"publishes through the first instance: {publisher.published}; reads of the page "
            f"through the second just after: {publisher.stale} stale, {publisher.failed} failed"
        )
    sys.exit(1 if server_errors or not requests or stale else 0)


if __name__ == "__main__":
    main()
