"""Fixtures for the letters tests: an empty constituency table (the local stand-ins for
postcodes.io and the Members API are in tests/conftest.py)."""

import pytest

from letters.models import Constituency


@pytest.fixture
def no_constituencies(db) -> None:
    """An empty constituency table, for tests that import, sync or count every seat.

    The demo's seats go, and with them their downloads and the groups' links to them; the
    test's transaction puts them back.
    """
    Constituency.objects.all().delete()
