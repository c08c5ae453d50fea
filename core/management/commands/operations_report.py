"""`manage.py operations_report`: what to watch, in one screen (README, "Operations")."""

import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.request_log import BUCKET_SECONDS, COUNTED, bucket_key, flush_seconds


def counts_for_last(seconds: int) -> dict[str, int]:
    """Requests by page cache outcome and error class, summed over the ten-minute buckets
    that cover the last `seconds` (so a little more than that)."""
    now = int(time.time() // BUCKET_SECONDS)
    buckets = range(now - seconds // BUCKET_SECONDS, now + 1)
    keys = {bucket_key(outcome, bucket): outcome for outcome in COUNTED for bucket in buckets}
    found = cache.get_many(list(keys))
    totals = dict.fromkeys(COUNTED, 0)
    for key, value in found.items():
        totals[keys[key]] += int(value)
    return totals


class Command(BaseCommand):
    help = "Page cache hit rate, error counts and the background worker's queue."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--minutes", type=int, default=60, help="the window for requests")

    def handle(self, *args, minutes: int, **options) -> None:
        counts = counts_for_last(minutes * 60)
        requests = counts["hit"] + counts["miss"] + counts["bypass"]
        cacheable = counts["hit"] + counts["miss"]
        hit_rate = f"{counts['hit'] / cacheable:.1%}" if cacheable else "-"
        self.stdout.write(
            f"requests, last {minutes} min (counted every {flush_seconds():g} s per process): "
            f"{requests}\n"
            f"page cache: hit rate {hit_rate} of cacheable requests "
            f"({counts['hit']} hits, {counts['miss']} misses), {counts['bypass']} bypassed\n"
            f"errors: {counts['5xx']} server (5xx), {counts['4xx']} client (4xx)"
        )
        now = timezone.now()
        ready = DBTaskResult.objects.filter(status="READY")
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        running = DBTaskResult.objects.filter(status="RUNNING")
        longest = running.order_by("started_at").values_list("started_at", flat=True).first()
        failed = DBTaskResult.objects.filter(
            status="FAILED", finished_at__gte=now - timezone.timedelta(days=1)
        ).count()
        self.stdout.write(
            f"worker queue: {ready.count()} waiting"
            + (f", oldest {(now - oldest).total_seconds():.0f} s" if oldest else "")
            + f"; {running.count()} running"
            + (f", longest {(now - longest).total_seconds():.0f} s" if longest else "")
            + f"; {failed} failed in the last 24 h"
        )
