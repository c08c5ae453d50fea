"""/healthz/worker: is the background worker (django-tasks' database backend) keeping up?

The cheapest heartbeat needs nothing from the worker: a task ready to run that has waited
longer than `WORKER_STALE_SECONDS` means no worker is taking tasks (stopped, crashed, or
too slow for the queue). One indexed query on the task table. An empty queue is healthy,
whether or not a worker runs: nothing waits on it. 503 when stalled, for a monitor to alert
on; the web containers' own /healthz is left alone, since the site serves pages without
the worker.
"""

import datetime

from django.conf import settings
from django.db.models import Case, F, Min, When
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max


def oldest_ready_task_age() -> datetime.timedelta | None:
    """How long the task that has been ready longest has waited for a worker (None: none)."""
    ready_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    since = DBTaskResult.objects.ready().aggregate(since=Min(ready_since))["since"]
    return None if since is None else max(timezone.now() - since, datetime.timedelta(0))


@never_cache
@require_GET
def worker_health(request: HttpRequest) -> JsonResponse:
    age = oldest_ready_task_age()
    seconds = None if age is None else int(age.total_seconds())
    stalled = seconds is not None and seconds > settings.WORKER_STALE_SECONDS
    return JsonResponse(
        {"status": "stalled" if stalled else "ok", "oldest_ready_task_seconds": seconds},
        status=503 if stalled else 200,
    )
