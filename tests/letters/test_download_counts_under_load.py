"""Every download is counted, under concurrent load and with the page cache on: a live server
answers 1,000 DOCX downloads from 16 threads and the downloads report shows exactly 1,000.
The per-client limit applies to every download too, cached pages or not."""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from letters.models import LetterDownload
from tests.campaign_day import reopen_demo_invitation
from tests.conftest import ensure_demo_content

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/docx/"
DOWNLOADS = 1_000


@pytest.fixture
def demo_live(transactional_db, settings):
    ensure_demo_content()  # an earlier transactional test may have emptied the database
    # A campaign day: the demo's 2018 invitation, closed since its event, is reopened (a
    # closed campaign's files are not served).
    reopen_demo_invitation()
    settings.PAGE_CACHE_ENABLED = True  # as in production: downloads must still be counted
    settings.SITE_CHROME_CACHE_ENABLED = True


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="16 concurrent writers need PostgreSQL (SQLite locks the whole database)",
)
def test_a_thousand_concurrent_downloads_are_counted_exactly(live_server, demo_live, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter-download": (0, 60)}  # no limit

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(status_of, [live_server.url + LETTER] * DOWNLOADS))

    assert statuses.count(200) == DOWNLOADS
    counted = LetterDownload.objects.aggregate(total=Sum("count"))["total"]
    assert counted == DOWNLOADS


def test_the_download_limit_applies_to_every_download(
    client, open_invitation, settings, time_machine
):
    settings.PAGE_CACHE_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "letter-download": (3, 60)}
    # The clock stands still: the five downloads fall in one limit window however slow the
    # machine (under load, a window's end between them started a new count).
    time_machine.move_to(timezone.now(), tick=False)

    statuses = [client.get(LETTER).status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 429, 429]
    assert LetterDownload.objects.aggregate(total=Sum("count"))["total"] == 3
