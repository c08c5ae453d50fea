"""Fixtures for the browser tests: Debian's Chromium, the demo site on a live server, and a
local stand-in for postcodes.io.

Run them with `make test-browser` (needs /usr/bin/chromium and DJANGO_ALLOW_ASYNC_UNSAFE=true,
because pytest-django's live server and Playwright's sync API share the test process).
"""

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.campaign_day import reopen_demo_invitation
from tests.conftest import REPO_ROOT
from tests.stub_server import StubServer, json_answer

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"

# The Southampton Test address the letter journey uses, and its constituency's GSS code.
SOUTHAMPTON_TEST_POSTCODE = "SO15 5AA"
SOUTHAMPTON_TEST_GSS = "E14001500"

# The shape postcodes.io answers GET /postcodes/<postcode> with (fields we do not read trimmed);
# built here so the journey does not depend on ../shared/data being beside the checkout.
POSTCODES_IO_SO155AA = {
    "status": 200,
    "result": {
        "postcode": "SO15 5AA",
        "quality": 1,
        "eastings": 440617,
        "northings": 113044,
        "country": "England",
        "nhs_ha": "South Central",
        "longitude": -1.426498,
        "latitude": 50.916046,
        "european_electoral_region": "South East",
        "primary_care_trust": "Southampton City",
        "region": "South East",
        "lsoa": "Southampton 012B",
        "msoa": "Southampton 012",
        "incode": "5AA",
        "outcode": "SO15",
        "parliamentary_constituency": "Southampton Test",
        "parliamentary_constituency_2024": "Southampton Test",
        "admin_district": "Southampton",
        "parish": "Southampton, unparished area",
        "admin_county": None,
        "date_of_introduction": "198001",
        "admin_ward": "Freemantle",
        "ced": None,
        "ccg": "NHS Hampshire and Isle of Wight ICB - D9Y0V",
        "nuts": "Southampton",
        "pfa": "Hampshire",
        "codes": {
            "admin_district": "E06000045",
            "admin_county": "E99999999",
            "admin_ward": "E05002466",
            "parish": "E43000036",
            "parliamentary_constituency": SOUTHAMPTON_TEST_GSS,
            "parliamentary_constituency_2024": SOUTHAMPTON_TEST_GSS,
            "ccg": "E38000253",
            "ced": "E99999999",
            "nuts": "TLJ32",
            "lsoa": "E01017182",
            "msoa": "E02003560",
            "pfa": "E23000030",
        },
    },
}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium: Playwright's own browser downloads are not used here."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) "
            "or set CHROMIUM_PATH"
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "accept_downloads": True, "locale": "en-GB"}


@pytest.fixture(scope="session")
def migrated_database(django_db_setup, django_db_blocker) -> str:
    """The test database as `django_db_setup` left it (Wagtail's root page, roles, workflow and
    the demo content), serialized.

    Transactional tests empty every table afterwards. Restoring from this, instead of letting
    the flush re-run post_migrate handlers, gives each browser test the same database.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@dataclass
class LiveSite:
    """The demo site served by the live test server."""

    url: str
    postcodes_io: StubServer

    def __call__(self, path: str) -> str:
        return f"{self.url}{path}"


@pytest.fixture
def postcodes_io(settings) -> Iterator[StubServer]:
    """A local postcodes.io that knows one Southampton Test postcode.

    The live server runs in this process, so the settings override reaches it.
    """
    with StubServer() as server:
        server.routes["/postcodes/SO155AA"] = json_answer(copy.deepcopy(POSTCODES_IO_SO155AA))
        settings.POSTCODES_IO_BASE_URL = server.url
        settings.POSTCODES_IO_TIMEOUT = 2
        cache.clear()
        yield server
    cache.clear()


@pytest.fixture
def live_site(
    migrated_database, django_db_serialized_rollback, live_server, transactional_db, postcodes_io
) -> LiveSite:
    """The demo content on the live server, in a database restored to its migrated state."""
    restore_migrated_database(migrated_database)
    call_command(
        "load_demo_content",
        without_shared_data=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    reopen_demo_invitation()  # a campaign day: the visitor downloads the letter
    cache.clear()
    return LiveSite(url=live_server.url, postcodes_io=postcodes_io)


def restore_migrated_database(contents: str) -> None:
    """Put back what migrations created if an earlier test's flush removed it.

    pytest-django's serialized rollback does this itself when it finds the serialized data on
    the connection; Playwright's sync API runs tests in a context where Django hands out a new
    connection object without it, so it is put back here. With it on the connection, the flush
    after the test also skips the post_migrate handlers, which would fail on an empty database.
    """
    from django.db import connection
    from wagtail.models import Page

    connection._test_serialized_contents = contents
    if not Page.objects.exists():
        connection.creation.deserialize_db_from_string(contents)


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ for a reviewer to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
