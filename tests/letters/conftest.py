"""Fixtures for the letters tests: a local stand-in for postcodes.io and the Members API, and
an empty constituency table."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from groups.models import LocalGroupPage
from letters.models import Constituency, LetterPage
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


@pytest.fixture
def letter_page(demo_site) -> LetterPage:
    """The demo's invitation letter (Sanctuary in Parliament 2018)."""
    return LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")


@pytest.fixture
def southampton_editor(demo_site):
    return get_user_model().objects.get(username="southampton-editor")


@pytest.fixture
def southampton_seats(demo_site) -> list[Constituency]:
    """The constituencies the demo's Southampton group covers, by name."""
    seats = list(LocalGroupPage.objects.get(slug="southampton").constituencies.order_by("name"))
    assert seats
    return seats
