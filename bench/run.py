"""`make bench`: production settings on PostgreSQL with 2 gunicorn workers, driven by wrk.

Prints requests per second, median and 99th-percentile latency and errors for each page,
first without the page cache, then with it, beside a framework floor (the home page's bytes
served by a view with no database work) so each figure reads as a ratio; and, for the pages
with targets, with nothing cached at all (no page cache, no site chrome cache), so the work
every query does shows too; and with Redis hung (connections accepted, nothing answered, as
under `CLIENT PAUSE`, through a proxy the benchmark pauses), so the cache breaker's cost shows;
and, when varnishd is installed, through Varnish with the repository's VCL in front of the
page cache (`--varnish-only` runs just that table). Stops by itself.

Two steps, each with its own time limit in the Makefile: `--prepare-only` (`make bench-data`)
creates, migrates and fills the database (the load data is generated once, about 3 minutes on
an idle 2-CPU machine, and reused afterwards), then `--skip-prepare` measures on it. `make
bench` runs both, so a fresh machine's first run is not cut short by its data generation.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.deploy.servers import varnish  # noqa: E402
from tests.faults.proxy import CuttableProxy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PORT = 8311
BASE = f"http://127.0.0.1:{PORT}"
LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018"
PAGES = {
    "home": "/",
    "groups directory": "/groups/",
    "group page": "/groups/load-group-000/",
    "events": "/events/",
    "event page": "/events/event-0-group-0/",
    "letter preview": f"{LETTER}/southampton-test/",
    "DOCX download": f"{LETTER}/southampton-test/docx/",
    "API list": "/api/v3/groups/",
}
UNCACHED_TARGETS = {"home": 150, "group page": 150, "event page": 150}
HUNG_REDIS_PAGES = ("home", "group page", "event page", "letter preview")
P99_TARGET_MS = 100
CACHED_FLOOR_RATIO = 0.8


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def load_test_env(database: str) -> dict[str, str]:
    """Production settings on a local PostgreSQL database, as one load-testing client sees them."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_ACCESSLOG": "",
        # No recycling (gunicorn.conf.py's max_requests): memory is compared in the same
        # workers, and a worker's restart would show as a stall of a second or two.
        "GUNICORN_MAX_REQUESTS": "0",
        # One client address sends everything: lift the per-client limits.
        "RATE_LIMIT_LETTER_DOWNLOADS": "0",
        "RATE_LIMIT_POSTCODE_LOOKUPS": "0",
        "POSTCODES_IO_BASE_URL": "http://127.0.0.1:9",  # never the real service
        "LOG_LEVEL": "ERROR",
    }


def run(cmd: list[str], **kwargs) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        run(["apt-get", "install", "-y", "-q", "wrk"], stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: apt-get install -y wrk")
    return found


def prepare_database(env: dict[str, str], groups: int) -> None:
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{database}'",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {database}"])
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env)
    print(f"Generating load data ({groups} groups; reused if already there)...", flush=True)
    run(
        [PYTHON, "manage.py", "generate_load_data", "--groups", str(groups)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    # Fresh bulk data has no planner statistics yet; a live database would have them.
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", "VACUUM ANALYZE"])


def start_server(env: dict[str, str], base: str = BASE) -> subprocess.Popen:
    # gunicorn's stderr (its own log and the JSON request log, one line a request) goes to a
    # file: a pipe nobody reads fills after 64 KB and blocks every worker mid-request.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the process, in stop_server
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback only
            return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    log.seek(0)
    sys.exit("gunicorn did not start: " + log.read().decode()[-2000:])


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def worker_rss_mb(server: subprocess.Popen) -> dict[int, float]:
    """Each worker's resident memory, by process id (a replaced worker would show as new)."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = {}
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:  # a worker that exited (recycled) since pgrep saw it
            continue
        if found := re.search(r"VmRSS:\s+(\d+)", status):  # none for an exiting process
            sizes[int(pid)] = round(int(found.group(1)) / 1024, 1)
    return sizes


def rss_growth(before: dict[int, float], after: dict[int, float]) -> str:
    """How much each worker grew between two readings, or which workers were replaced."""
    if before.keys() != after.keys():
        return f"workers replaced between readings: {sorted(before)} -> {sorted(after)}"
    return "growth MB per worker: " + ", ".join(
        f"{after[pid] - before[pid]:+.1f}" for pid in sorted(before)
    )


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure(
    wrk: str, name: str, path: str, seconds: int, connections: int, base: str = BASE
) -> Result:
    urllib.request.urlopen(base + path, timeout=10).read()  # noqa: S310 - warm up, loopback only
    output = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "5s",
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(map(int, socket.groups())) if socket else 0
    )
    return Result(name, rps, p50, p99, errors)


def print_table(title: str, results: list[Result], floor: Result, targets: dict[str, str]) -> None:
    print(f"\n{title}")
    print(
        f"{'page':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of floor':>10}  target"
    )
    for r in [*results, floor]:
        ratio = f"{r.rps / floor.rps:.0%}" if floor.rps else "-"
        print(
            f"{r.name:<18}{r.rps:>9.1f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}{r.errors:>8}{ratio:>10}  {targets.get(r.name, '')}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--groups", type=int, default=150)
    parser.add_argument("--database", default="sanctuary_bench")
    parser.add_argument(
        "--varnish-only", action="store_true", help="only the table through Varnish"
    )
    step = parser.add_mutually_exclusive_group()
    step.add_argument(
        "--prepare-only",
        action="store_true",
        help="create, migrate and fill the database (generated once, then reused), then stop",
    )
    step.add_argument(
        "--skip-prepare",
        action="store_true",
        help="measure on the database --prepare-only made, without preparing it again",
    )
    args = parser.parse_args()

    if args.prepare_only:
        started = time.monotonic()
        ensure_wrk()  # a fresh machine installs it here, outside the measuring step's limit
        prepare_database(load_test_env(args.database), args.groups)
        print(f"{args.database} ready in {time.monotonic() - started:.0f} s", flush=True)
        return

    wrk = ensure_wrk()
    floor_file = ROOT / "bench-results" / "floor.html"
    floor_file.parent.mkdir(exist_ok=True)
    env = {
        **load_test_env(args.database),
        "GUNICORN_WORKERS": "2",
        "BENCH_FLOOR_FILE": str(floor_file),
    }
    if not args.skip_prepare:
        prepare_database(env, args.groups)
    print(
        f"\n2 gunicorn sync workers, production settings, PostgreSQL; wrk {args.connections} connections, {args.seconds}s per page"
    )

    redis = env["REDIS_URL"].removeprefix("redis://").split("/", 1)
    redis_host, redis_port = redis[0].rsplit(":", 1)
    hung_redis = CuttableProxy(redis_host, int(redis_port)).start()
    hung_redis_url = f"redis://127.0.0.1:{hung_redis.port}/{redis[1] if len(redis) > 1 else 0}"

    if args.varnish_only:
        if not floor_file.exists():
            server = start_server(env)
            floor_file.write_bytes(urllib.request.urlopen(BASE + "/", timeout=10).read())  # noqa: S310
            stop_server(server)
        through_varnish(wrk, env, args.seconds, args.connections)
        return

    phases = {}
    for phase, cache_env in (
        ("uncached", {"PAGE_CACHE_ENABLED": "false"}),
        ("cached", {"PAGE_CACHE_ENABLED": "true"}),
        ("bare", {"PAGE_CACHE_ENABLED": "false", "SITE_CHROME_CACHE_ENABLED": "false"}),
        ("redis hung", {"PAGE_CACHE_ENABLED": "true", "REDIS_URL": hung_redis_url}),
    ):
        server = start_server({**env, **cache_env})
        if phase == "redis hung":
            hung_redis.pause()
        try:
            if phase == "redis hung":
                phases[phase] = (
                    [
                        measure(wrk, name, PAGES[name], args.seconds, args.connections)
                        for name in HUNG_REDIS_PAGES
                    ],
                    measure(
                        wrk, "framework floor", "/bench/floor/", args.seconds, args.connections
                    ),
                )
                continue
            if phase == "uncached":
                floor_file.write_bytes(urllib.request.urlopen(BASE + "/", timeout=10).read())  # noqa: S310
            pages = PAGES if phase != "bare" else {name: PAGES[name] for name in UNCACHED_TARGETS}
            results = [
                measure(wrk, name, path, args.seconds, args.connections)
                for name, path in pages.items()
            ]
            rss_first = worker_rss_mb(server)
            floor = measure(wrk, "framework floor", "/bench/floor/", args.seconds, args.connections)
            if phase == "uncached":
                # A second identical run: a worker whose memory keeps growing would show here.
                for name, path in PAGES.items():
                    measure(wrk, name, path, args.seconds, args.connections)
                rss_second = worker_rss_mb(server)
                print(
                    f"\nworker RSS MB after run 1: {list(rss_first.values())}; "
                    f"after run 2: {list(rss_second.values())}; {rss_growth(rss_first, rss_second)}"
                )
            elif phase == "cached":
                print(f"\nworker RSS MB after the cached run: {list(rss_first.values())}")
            phases[phase] = (results, floor)
        finally:
            stop_server(server)
            hung_redis.resume()

    uncached, floor = phases["uncached"]
    bare, bare_floor = phases["bare"]
    print_table(
        "Nothing cached: every query run (page cache and site chrome cache off)",
        bare,
        bare_floor,
        {},
    )
    print_table(
        "Without the page cache (the site chrome, looked up once per content generation, cached)",
        uncached,
        floor,
        {
            name: f">= {target} req/s, p99 < {P99_TARGET_MS} ms"
            for name, target in UNCACHED_TARGETS.items()
        },
    )
    cached, cached_floor = phases["cached"]
    print_table(
        "With the page cache (anonymous visitors)",
        cached,
        cached_floor,
        {
            r.name: f">= {CACHED_FLOOR_RATIO:.0%} of floor"
            for r in cached
            if r.name not in ("DOCX download", "API list")
        },
    )
    hung, hung_floor = phases["redis hung"]
    print_table(
        "Redis hung (page cache on; each worker's first cache call times out after 0.5 s, "
        "then its breaker keeps it off Redis for CACHE_BREAKER_SECONDS)",
        hung,
        hung_floor,
        {},
    )
    misses = [
        r.name
        for r in uncached
        if r.name in UNCACHED_TARGETS
        and (r.rps < UNCACHED_TARGETS[r.name] or r.p99_ms >= P99_TARGET_MS)
    ]
    errors = sum(r.errors for r in uncached + cached)
    through_varnish(wrk, env, args.seconds, args.connections)
    print(f"\nerrors: {errors}; uncached targets missed: {', '.join(misses) or 'none'}")


def through_varnish(wrk: str, env: dict[str, str], seconds: int, connections: int) -> None:
    """The pages through Varnish (docker/varnish/default.vcl) in front of the page cache,
    beside the framework floor straight from gunicorn. Left out when varnishd is missing."""
    if not (shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists()):
        print("\nThrough Varnish: left out, varnishd is not installed (apt-get install -y varnish)")
        return
    server = start_server({**env, "PAGE_CACHE_ENABLED": "true"})
    try:
        with varnish(PORT) as front:
            results = [
                measure(wrk, name, path, seconds, connections, base=front["url"])
                for name, path in PAGES.items()
            ]
            floor = measure(wrk, "framework floor", "/bench/floor/", seconds, connections)
    finally:
        stop_server(server)
    print_table(
        "Through Varnish (anonymous; the DOCX download is counted, so it always reaches the app)",
        results,
        floor,
        {},
    )


if __name__ == "__main__":
    main()
