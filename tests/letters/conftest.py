"""Fixtures for the letters tests: a local stand-in for postcodes.io and the Members API."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stub_server import StubServer


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """An empty local HTTP server; tests fill `stub_server.routes` with their answers."""
    with StubServer() as server:
        yield server


@pytest.fixture
def api_samples(shared_data: Path) -> dict[str, object]:
    """The recorded service answers in ../shared/data/api-samples/, by file stem."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((shared_data / "api-samples").glob("*.json"))
    }
