"""core/request_log.py and `manage.py operations_report`: one JSON line per request with its
id, duration and page cache outcome, and the counts the report reads."""

import io
import json
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def lines(caplog) -> list[dict]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "sanctuary.requests"
    ]


def test_each_request_is_one_json_line_with_its_id_duration_and_cache_outcome(
    demo_site, client, caplog
):
    caplog.set_level(logging.INFO, logger="sanctuary.requests")
    first = client.get("/groups/?nation=wales", HTTP_USER_AGENT="Firefox/1")
    again = client.get("/groups/?nation=wales", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    client.get("/admin/login/")

    logged = lines(caplog)
    assert [line["cache"] for line in logged] == ["miss", "hit", "bypass"]
    assert logged[0]["request_id"] == first["X-Request-ID"]
    assert logged[1]["request_id"] == again["X-Request-ID"] == "lb-0123456789abcdef"
    assert logged[0]["path"] == "/groups/"  # never the query: it can hold a postcode
    assert {line["status"] for line in logged} == {200}
    assert all(line["duration_ms"] >= 0 for line in logged)
    assert set(logged[0]) == {"request_id", "method", "path", "status", "duration_ms", "cache"}
    text = caplog.text
    assert "127.0.0.1" not in text and "Firefox" not in text


def test_an_insane_request_id_is_replaced(client, demo_site):
    response = client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def test_the_report_prints_hit_rate_errors_and_the_worker_queue(demo_site, client, settings):
    settings.OPERATIONS_FLUSH_SECONDS = 0  # add every request to the shared counters at once
    client.get("/healthz")  # adds what this process counted before, then start afresh
    cache.clear()
    for path in ("/", "/", "/", "/no-such-page/"):
        client.get(path)
    out = io.StringIO()
    call_command("operations_report", stdout=out)
    report = out.getvalue()
    assert "hit rate 66.7% of cacheable requests (2 hits, 1 misses)" in report
    assert "errors: 0 server (5xx), 1 client (4xx)" in report
    assert "worker queue: 0 waiting; 0 running; 0 failed in the last 24 h" in report
