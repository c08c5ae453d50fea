"""`make bench-inprocess`: uncached render times and queries per page, in one process, no server.

Each page of `make bench` is rendered through the real WSGI handler (every middleware, the
page cache switched off, the site chrome cache on: the "Without the page cache" table), N times,
the pages taken in turn so that a busy machine slows them all alike. Prints each page's median
and quickest milliseconds, the median CPU time of this process (the database's is not in it)
and its queries per request. The times move with the machine's load, the CPU time less so; the
query counts do not, and `--profile PATH` writes cProfile statistics of the timed renders
(`python -m pstats PATH`), whose call counts do not either. To compare two versions of the code,
run each in turn a few times on the same database and compare the medians.
`--no-fragments` renders every piece of every page (FRAGMENT_CACHE_ENABLED=false): a page's
first render in a new content generation, less the site chrome.

By default: production settings on the PostgreSQL database `sanctuary_inprocess` (created,
migrated and filled with `generate_load_data` the first time: the `make bench` data), with the
cache in process memory (`REDIS_URL` to use Redis, as production does). `--sqlite PATH` uses a
SQLite file instead (filled the same way if it has no pages).

    .venv/bin/python bench/inprocess.py                     # every page, 200 renders each
    .venv/bin/python bench/inprocess.py -n 500 --pages "group page" "event page"
    .venv/bin/python bench/inprocess.py --profile /tmp/group.prof --pages "group page"
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018"
PAGES = {
    "home": "/",
    "groups directory": "/groups/",
    "group page": "/groups/load-group-000/",
    "events": "/events/",
    "event page": "/events/event-0-group-0/",
    "letter preview": f"{LETTER}/southampton-test/",
    "API list": "/api/v3/groups/",
}


def configure(args: argparse.Namespace) -> None:
    """Production settings, the page cache off, before Django is set up."""
    if args.sqlite:
        database_url = f"sqlite:///{Path(args.sqlite).resolve()}"
    else:
        database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
        exists = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc"]
            + [f"SELECT 1 FROM pg_database WHERE datname='{args.database}'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
                + [f"CREATE DATABASE {args.database}"],
                check=True,
            )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": args.settings,
            "DATABASE_URL": database_url,
            "PAGE_CACHE_ENABLED": "false",
            "SITE_CHROME_CACHE_ENABLED": "true",
            "FRAGMENT_CACHE_ENABLED": "false" if args.no_fragments else "true",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "LOG_LEVEL": "ERROR",
            "REQUEST_LOG": "false",  # a JSON line per render would bury the table
            "POSTCODES_IO_BASE_URL": "http://127.0.0.1:9",  # never the real service
        }
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-inprocess-only-not-secret")


def prepare_data(groups: int) -> None:
    from django.core.management import call_command
    from wagtail.models import Page

    call_command("migrate", "--noinput", verbosity=0)
    # Production settings read static files' names from the manifest collectstatic writes.
    call_command("collectstatic", "--noinput", verbosity=0)
    if not Page.objects.filter(slug="load-group-000").exists():
        print(f"Generating load data ({groups} groups), once...", flush=True)
        with open(os.devnull, "w") as quiet:
            call_command("generate_load_data", "--groups", str(groups), stdout=quiet)
        # Fresh bulk data has no planner statistics (a live database has): without them
        # PostgreSQL plans the language filter as if there were two pages, not 9,000.
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


class QueryCounter:
    """Counts the queries run through a connection (`connection.execute_wrapper`)."""

    def __init__(self) -> None:
        self.count = 0
        self.sql: list[str] = []
        self.keep = False

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if not self.keep:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql.append(f"{(time.perf_counter() - started) * 1000:6.2f} ms  {sql}")


def render(handler, environ: dict) -> int:
    """One request through the WSGI handler; its status."""
    statuses = []
    response = handler(dict(environ), lambda status, headers, *rest: statuses.append(status))
    for _ in response:  # a streamed body is produced only when read
        pass
    response.close()
    return int(statuses[0].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("-n", "--renders", type=int, default=200, help="timed renders per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed renders per page first")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--profile", metavar="PATH", help="write cProfile statistics here")
    parser.add_argument(
        "--no-fragments", action="store_true", help="keep no piece of a page per generation"
    )
    parser.add_argument(
        "--show-sql",
        nargs="?",
        const="short",
        choices=["short", "full"],
        help="print each page's queries once, with their times (cut short, or in full)",
    )
    parser.add_argument("--database", default="sanctuary_inprocess", help="PostgreSQL database")
    parser.add_argument("--sqlite", metavar="PATH", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--groups", type=int, default=150, help="groups in the generated data")
    parser.add_argument("--settings", default="config.settings.production")
    args = parser.parse_args()

    configure(args)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test import RequestFactory

    prepare_data(args.groups)
    handler = get_wsgi_application()
    environs = {name: RequestFactory().get(PAGES[name]).environ for name in args.pages}
    counter = QueryCounter()
    queries: dict[str, int] = {}
    times: dict[str, list[float]] = {name: [] for name in args.pages}
    cpu_times: dict[str, list[float]] = {name: [] for name in args.pages}
    profiler = cProfile.Profile() if args.profile else None

    with connection.execute_wrapper(counter):
        for name, environ in environs.items():
            for _ in range(args.warmup):
                status = render(handler, environ)
                if status != 200:
                    sys.exit(f"{name} ({PAGES[name]}) answered {status}")
            counter.count, counter.keep, counter.sql = 0, args.show_sql, []
            render(handler, environ)
            queries[name] = counter.count
            if args.show_sql:
                print(f"\n{name}: {counter.count} queries")
                for sql in counter.sql:
                    print("   ", sql if args.show_sql == "full" else sql[:300])
            counter.keep = False
        for _ in range(args.renders):
            for name, environ in environs.items():
                if profiler:
                    profiler.enable()
                started, cpu_started = time.perf_counter(), time.process_time()
                render(handler, environ)
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
                if profiler:
                    profiler.disable()
                times[name].append(elapsed * 1000)
                cpu_times[name].append(cpu * 1000)

    database = "SQLite" if args.sqlite else f"PostgreSQL {args.database}"
    cache = "Redis" if os.environ.get("REDIS_URL") else "process memory"
    fragments = "off" if args.no_fragments else "on"
    print(
        f"\n{args.settings}, {database}, cache in {cache}; page cache off, site chrome cache on, "
        f"fragments {fragments}; {args.renders} renders per page, taken in turn"
    )
    print(f"{'page':<18}{'median ms':>10}{'min ms':>8}{'CPU ms':>8}{'queries':>9}")
    for name in args.pages:
        print(
            f"{name:<18}{statistics.median(times[name]):>10.2f}{min(times[name]):>8.2f}"
            f"{statistics.median(cpu_times[name]):>8.2f}{queries[name]:>9}"
        )
    if profiler:
        profiler.dump_stats(args.profile)
        print(f"\ncProfile statistics in {args.profile}: python -m pstats {args.profile}")


if __name__ == "__main__":
    main()
