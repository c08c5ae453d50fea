"""core/worker.py: /healthz/worker says whether the background worker keeps up with its queue."""

import datetime

import pytest
from django.utils import timezone

from letters.reminders import send_campaign_email
from tests.letters.conftest import run_worker

pytestmark = pytest.mark.django_db


def test_an_empty_queue_is_healthy(client):
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "oldest_ready_task_seconds": None}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_task_left_waiting_reports_the_worker_stalled_until_a_worker_runs_it(
    client, time_machine, monkeypatch, settings
):
    settings.WORKER_STALE_SECONDS = 300
    time_machine.move_to(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    send_campaign_email.enqueue(0)  # no such email: the task does nothing when run
    # Not due for an hour: not waiting on the worker.
    send_campaign_email.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(0)
    time_machine.shift(120)
    assert client.get("/healthz/worker").json() == {
        "status": "ok",
        "oldest_ready_task_seconds": 120,
    }
    time_machine.shift(181)
    stalled = client.get("/healthz/worker")
    assert stalled.status_code == 503
    assert stalled.json() == {"status": "stalled", "oldest_ready_task_seconds": 301}
    run_worker(monkeypatch)
    assert client.get("/healthz/worker").status_code == 200
