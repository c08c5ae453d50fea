"""PostgreSQL or Redis lost while the site serves requests, through a proxy the test cuts.

A real gunicorn serves the demo content from a scratch PostgreSQL database and uses Redis,
each reached through a CuttableProxy. Cutting the database proxy gives 503 pages with a
retry message; restoring it, the site recovers with no restart. Cutting Redis changes
nothing a visitor can see. (postcodes.io and the Members API timing out or answering
garbage are tested in tests/letters/test_postcodes.py, test_find_mp.py and
test_members_api.py against a local stand-in server.)
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.proxy import CuttableProxy

REPO = Path(__file__).resolve().parents[2]

# Starts its own processes on its own database: `make test-system`, not `make test`.
pytestmark = pytest.mark.system
PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def require(host: str, port: int, what: str) -> None:
    if reachable(host, port):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is not running on {host}:{port}")
    pytest.skip(f"{what} is not running on {host}:{port}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-h", PG_HOST, "-U", "postgres", "-d", "postgres", "-qc", command],
        check=True,
        capture_output=True,
    )


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture(scope="module")
def site() -> Iterator[dict]:
    require(PG_HOST, PG_PORT, "PostgreSQL")
    require(REDIS_HOST, REDIS_PORT, "Redis")
    database = f"sanctuary_faults_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    database_proxy = CuttableProxy(PG_HOST, PG_PORT).start()
    redis_proxy = CuttableProxy(REDIS_HOST, REDIS_PORT).start()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings_faults",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{database_proxy.port}/{database}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/14",
        "PAGE_CACHE_ENABLED": "false",  # every request must reach the database
        "PYTHONPATH": str(REPO),
    }
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo_content"]):
        subprocess.run(manage + command, env=env, cwd=REPO, check=True, capture_output=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if reachable("127.0.0.1", port):
                break
            time.sleep(0.2)
        yield {"url": base_url, "database": database_proxy, "redis": redis_proxy}
    finally:
        server.terminate()
        server.wait(timeout=30)
        database_proxy.cut()
        redis_proxy.cut()
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def test_pages_answer_while_both_services_are_up(site):
    for path in ["/", "/groups/", "/events/", "/healthz"]:
        assert get(site["url"] + path)[0] == 200, path


def test_redis_down_leaves_a_working_site(site):
    site["redis"].cut()
    try:
        for path in ["/", "/groups/southampton/", "/find-your-mp/?q=Southampton", "/healthz"]:
            status, body, _ = get(site["url"] + path)
            assert status == 200, path
        status, body, _ = get(site["url"] + "/letters/invite-your-mp-sanctuary-in-parliament-2018/")
        assert status == 200
    finally:
        site["redis"].restore()


def test_database_down_gives_503_with_a_retry_message_then_recovers(site):
    assert get(site["url"] + "/groups/")[0] == 200  # a persistent connection is open
    site["database"].cut()
    try:
        for path in ["/groups/", "/", "/events/?region=wales", "/search/?q=refugee"]:
            status, body, headers = get(site["url"] + path)
            assert status == 503, path
            assert "Please try again in a minute" in body
            assert "Traceback" not in body
            assert int(headers["Retry-After"]) > 0
        status, body, _ = get(site["url"] + "/healthz")
        assert status == 503
        assert "unreachable" in body
    finally:
        site["database"].restore()
    # No restart: the next requests reconnect by themselves.
    statuses = [get(site["url"] + "/groups/")[0] for _ in range(3)]
    assert statuses[-1] == 200
    assert get(site["url"] + "/groups/southampton/")[0] == 200


def test_a_hung_redis_costs_one_timeout_then_pages_come_from_the_database(site):
    """Redis accepting connections and answering nothing (as under `CLIENT PAUSE`).

    Without the breaker each request waited out every cache call's 0.5 s timeout (about 13
    calls, 6.6 s a page); with it the worker's first call times out, the breaker opens for
    CACHE_BREAKER_SECONDS, and the rest are served from the database at uncached speed.
    `make bench` prints the figures under load ("Redis hung").
    """
    paths = ["/groups/southampton/", "/", "/events/", "/groups/"] * 5
    site["redis"].pause()
    try:
        timings = []
        for path in paths:
            started = time.monotonic()
            status, body, _ = get(site["url"] + path)
            timings.append(time.monotonic() - started)
            assert status == 200, path
    finally:
        site["redis"].resume()
    # One worker: one timed-out call opens its breaker. Twenty pages together take less
    # than a single page took when every call waited (13 x 0.5 s), with a wide margin.
    assert sum(timings) < 13 * 0.5
    assert sorted(timings)[-2] < 0.5  # only the first request met the timeout
