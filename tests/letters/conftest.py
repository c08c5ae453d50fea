"""Fixtures for the letters tests: a local stand-in for postcodes.io and the Members API, and
an empty constituency table."""

import io
import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from letters.models import Constituency
from tests.stub_server import StubServer


@pytest.fixture
def no_constituencies(db) -> None:
    """An empty constituency table, for tests that import, sync or count every seat.

    The demo's seats go, and with them their downloads and the groups' links to them; the
    test's transaction puts them back.
    """
    Constituency.objects.all().delete()


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """An empty local HTTP server; tests fill `stub_server.routes` with their answers."""
    with StubServer() as server:
        yield server


@pytest.fixture
def postcodes_io(stub_server, settings) -> Iterator[StubServer]:
    """The stub server standing in for postcodes.io, with an empty postcode cache."""
    settings.POSTCODES_IO_BASE_URL = stub_server.url
    settings.POSTCODES_IO_TIMEOUT = 0.5
    cache.clear()
    yield stub_server
    cache.clear()


@pytest.fixture
def api_samples(shared_data: Path) -> dict[str, object]:
    """The recorded service answers in ../shared/data/api-samples/, by file stem."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((shared_data / "api-samples").glob("*.json"))
    }


def run_worker(monkeypatch) -> None:
    """Run the real worker over everything queued, then let it exit.

    It closes "old" database connections between tasks; inside a test's transaction that
    would close the test's own connection, so that one step is left out. It also takes over
    SIGINT and SIGTERM, which are given back afterwards.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            "--backend=background",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
