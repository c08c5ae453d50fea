"""make soak: mixed public traffic at 32 connections against production settings.

Reuses the benchmark harness (bench/run.py: database, gunicorn, wrk, worker memory). Prints
the status counts, the 5xx count (which must be zero), the median and 99th-percentile
latency (target: p99 under 100 ms at 16 connections) and each worker's memory before and
after. Workers recycle as in production (gunicorn.conf.py's max_requests and its jitter),
so a restart's stall shows in p99; --no-recycle keeps the same workers throughout, to compare
their memory; --cached-only sends only the paths the page cache answers, so p99 shows what
recycling costs rather than the slowest uncached page. Defaults to 10 minutes; --seconds
shortens it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (  # noqa: E402
    BASE,
    LETTER,
    P99_TARGET_MS,
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
    args = parser.parse_args()
    paths = CACHED_PATHS if args.cached_only else PATHS

    wrk = ensure_wrk()
    env = load_test_env(args.database)
    if not args.no_recycle:
        env["GUNICORN_MAX_REQUESTS"] = str(args.max_requests)
    prepare_database(env, args.groups)
    server = start_server(env)
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
        output = subprocess.run(
            [
                wrk,
                "-t4",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                BASE,
            ],
            capture_output=True,
            text=True,
        )
        os.unlink(script.name)
        if output.returncode != 0:
            sys.exit("wrk failed: " + output.stderr + output.stdout)
        output = output.stdout
        print(output, flush=True)
        rss_after = worker_rss_mb(server)
    finally:
        try:
            stop_server(server)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    statuses = {s: int(n) for s, n in re.findall(r"status (\dxx) (\d+)", output)}
    requests = sum(statuses.values())
    server_errors = statuses.get("5xx", 0)
    socket_errors = re.search(r"Socket errors: .*", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    print(
        f"requests: {requests} ({rps.group(1) if rps else '?'} req/s); statuses: {dict(sorted(statuses.items()))}"
    )
    print(f"socket errors: {socket_errors.group(0) if socket_errors else 'none'}")
    p50, p99 = (re.search(rf"\s{q}%\s+(\S+)", output) for q in (50, 99))
    if p50 and p99:
        print(
            f"latency: p50 {to_ms(p50.group(1)):.1f} ms, p99 {to_ms(p99.group(1)):.1f} ms "
            f"(target p99 < {P99_TARGET_MS} ms at 16 connections)"
        )
    print(f"worker RSS MB before: {list(rss_before.values())}; after: {list(rss_after.values())}")
    print(f"worker RSS {rss_growth(rss_before, rss_after)}")
    print(f"5xx responses: {server_errors}")
    sys.exit(1 if server_errors or not requests else 0)


if __name__ == "__main__":
    main()
