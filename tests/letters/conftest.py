"""Fixtures for the letters tests: an empty constituency table, the demo's letter and its
Southampton editor and seats (the local stand-ins for postcodes.io and the Members API are in
tests/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model

from groups.models import LocalGroupPage
from letters.models import Constituency, LetterPage


@pytest.fixture
def no_constituencies(db) -> None:
    """An empty constituency table, for tests that import, sync or count every seat.

    The demo's seats go, and with them their downloads and the groups' links to them; the
    test's transaction puts them back.
    """
    Constituency.objects.all().delete()


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
