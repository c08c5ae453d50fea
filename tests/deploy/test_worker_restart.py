"""The background worker as a service: queued work survives the worker's restarts.

Jobs are rows in PostgreSQL (django-tasks-db), so a job queued while no worker runs, or while
the worker is killed before it takes it, waits for the next worker and runs exactly once. A
worker stopped with SIGTERM (docker stop, a deploy) exits cleanly, and the next one takes the
work queued meanwhile. The worker is the real `db_worker` command, in its own process, with
production settings, as docker-compose's `worker` service runs it.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.deploy.servers import (
    REPO,
    drop_database,
    manage,
    production_environment,
    scratch_database,
    stop,
)

pytestmark = pytest.mark.system

QUEUE_EXPORT = """
from django.contrib.auth import get_user_model
from letters.export import request_letters_zip
from letters.models import LetterPage
letter = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
print(request_letters_zip(letter, get_user_model().objects.get(username="admin")).pk)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[dict]:
    scratch = tmp_path_factory.mktemp("worker")
    name = f"sanctuary_worker_{os.getpid()}"
    env = production_environment(scratch, scratch_database(name), ADMIN_PASSWORD="w" * 20)
    env.pop("REDIS_URL", None)
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo_content")
        manage(env, "ensure_admin")
        yield {"env": env, "database": name, "log": scratch / "worker.log"}
    finally:
        drop_database(name)


def sql(site: dict, query: str) -> list[str]:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", site["database"], "-tAc", query],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.split()


def worker(site: dict, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--backend", "background", *options],
        env=site["env"],
        cwd=REPO,
        stdout=open(site["log"], "a"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def export_row(site: dict, export_id: int, column: str) -> str:
    query = f"SELECT {column} FROM letters_letterexport WHERE id = {export_id:d}"  # noqa: S608
    return sql(site, query)[0]


def export_status(site: dict, export_id: int) -> str:
    return export_row(site, export_id, "status")


def wait_for_status(site: dict, export_id: int, status: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if export_status(site, export_id) == status:
            return
        time.sleep(0.5)
    raise AssertionError(f"export {export_id} is {export_status(site, export_id)}, not {status}")


def task_statuses(site: dict) -> list[str]:
    return sql(site, "SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")


def test_work_queued_before_or_while_the_worker_is_down_runs_once(site):
    first = int(manage(site["env"], "shell", "-c", QUEUE_EXPORT).split()[-1])
    assert task_statuses(site) == ["READY"]

    # A worker killed before it takes the job (still starting): the job stays queued.
    killed = worker(site)
    time.sleep(0.3)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    assert task_statuses(site) == ["READY"]
    assert export_status(site, first) == "queued"

    # The next worker takes it and runs it once.
    running = worker(site, "--interval", "0.5")
    try:
        wait_for_status(site, first, "done")
        # Stopped as `docker stop` stops it, while idle: it exits cleanly.
        running.send_signal(signal.SIGTERM)
        assert running.wait(timeout=60) == 0
    finally:
        stop(running)
    assert task_statuses(site) == ["SUCCESSFUL"]

    # Work queued while no worker runs waits for the restarted worker, which runs only it.
    second = int(manage(site["env"], "shell", "-c", QUEUE_EXPORT).split()[-1])
    assert second != first
    restarted = worker(site, "--batch")
    try:
        assert restarted.wait(timeout=180) == 0
    finally:
        stop(restarted)
    assert export_status(site, second) == "done"
    assert task_statuses(site) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert int(export_row(site, second, "size")) > 0
