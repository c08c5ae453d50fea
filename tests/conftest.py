"""Shared fixtures: the demo site, the shared public data, and a local HTTP stand-in server.

The test database of each worker holds the demo content (`load_demo_content`), loaded once
after migrations; every test runs in a transaction rolled back to it. The first worker to need
it keeps a copy, which the other workers and later runs restore instead of migrating and
loading again until what it is built from changes (tests/demo_database.py). Transactional
tests (live server, `transaction=True`) empty the database when they end: pytest-django runs
them after every other database test (xdist hands each worker its tests in that order), those
that need the demo load it again, and a database test that still follows one (another
scheduler, a hand-picked order) gets the demo content back first.

Each test starts with an empty cache: the page cache and the site chrome cache are on, as in
production, and a page cached by one test must not be served to the next. Likewise with the
demo's media files: one that an earlier test deleted (its transaction brings the row back, not
the file) is put back first, whichever worker runs which tests in which order.
"""

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command

from tests import demo_database
from tests.campaign_day import reopen_demo_invitation
from tests.stub_server import StubServer

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

# The worker's database blocker, kept by `django_db_setup` for the hook that restores the demo.
DB_BLOCKER = pytest.StashKey[object]()
# Set when a transactional test has emptied the database since the demo was last loaded.
DEMO_FLUSHED = pytest.StashKey[bool]()
# The kept demo database this worker restores or builds (None: migrate and load, as before).
KEPT_DEMO = pytest.StashKey["demo_database.DemoDatabase | None"]()
# The worker's media folder, a copy of it as the demo left it, and the demo's file names.
DEMO_MEDIA = pytest.StashKey[tuple[Path, Path, dict[str, frozenset[str]]]]()


def require_shared_data() -> Path:
    """The public data beside the checkout. Skips outside CI when absent; fails in CI."""
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    message = f"../shared/data is absent (looked in {SHARED_DATA})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must run with ../shared beside the checkout")
    pytest.skip(message)


def restore_wagtail_roots() -> None:
    """What Wagtail's migrations create, which a transactional test's flush removed."""
    from django.conf import settings as django_settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    # Not imported as `settings`: bin/check-private-access would take the `settings` fixture
    # assignments below for writes to a library object.
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    )
    for language_code, _name in django_settings.WAGTAIL_CONTENT_LANGUAGES:  # cy: a migration's
        Locale.objects.get_or_create(language_code=language_code)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def ensure_demo_content() -> None:
    """Load the demo content unless it is there (it is, except after a transactional test)."""
    from network.models import HomePage

    if HomePage.objects.exists():
        return
    restore_wagtail_roots()
    call_command(
        "load_demo_content",
        without_shared_data=True,
        without_welsh=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )


def uses_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None or "db" in getattr(item, "fixturenames", ())


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@contextmanager
def built_once(django_db_blocker) -> Iterator[None]:
    """Data built once for a module (or class) of tests, in a transaction rolled back when the
    module ends. Each test's own transaction is a savepoint inside it, so what a test changes
    is gone for the next one, as with data built per test.

    Use it in a module-scoped fixture that depends on `django_db_setup` and `django_db_blocker`,
    in a module whose tests are marked `django_db` (never `transaction=True`).
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo_content()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request):
    """Before the test database is made: with a kept demo database to restore, its tables come
    from the models (TEST["MIGRATE"] False: a fifth of a second, not ten) and are replaced by
    the copy at once; without one, this worker migrates, loads the demo and keeps a copy,
    while the other workers wait for it rather than build their own."""
    from django.db import connection

    kept = None
    if demo_database.enabled(request.config, request.session.items):
        kept = demo_database.DemoDatabase(demo_database.key())
        kept.lock()  # until django_db_setup has the demo in the database
        if kept.ready and not (request.config.getvalue("create_db") and kept.built_before()):
            kept.restoring = True
            kept.migrate = connection.settings_dict["TEST"].get("MIGRATE", True)
            connection.settings_dict["TEST"]["MIGRATE"] = False
    request.config.stash[KEPT_DEMO] = kept
    yield
    if kept is not None:
        kept.unlock()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The migrated test database with the demo content in it, once per worker."""
    from django.conf import settings as django_settings
    from django.db import connection

    kept = request.config.stash.get(KEPT_DEMO, None)
    try:
        with django_db_blocker.unblock():
            if kept is not None and kept.restoring:
                connection.settings_dict["TEST"]["MIGRATE"] = kept.migrate
                kept.restore(Path(django_settings.MEDIA_ROOT))
            ensure_demo_content()
            if kept is not None and not kept.restoring:
                kept.save(Path(django_settings.MEDIA_ROOT))
    finally:
        if kept is not None:
            kept.unlock()
    request.config.stash[DB_BLOCKER] = django_db_blocker
    request.config.stash[DEMO_FLUSHED] = False
    media_copy = keep_demo_media(request.config, Path(django_settings.MEDIA_ROOT))
    yield
    shutil.rmtree(media_copy, ignore_errors=True)


def keep_demo_media(config: pytest.Config, media_root: Path) -> Path:
    """A copy of the demo's media files, for `put_back_demo_media`."""
    media_copy = Path(tempfile.mkdtemp(prefix="sanctuary-test-demo-media-")) / "media"
    shutil.copytree(media_root, media_copy)
    names = {
        folder.name: frozenset(path.name for path in folder.iterdir())
        for folder in media_copy.iterdir()
        if folder.is_dir()
    }
    config.stash[DEMO_MEDIA] = (media_root, media_copy, names)
    return media_copy.parent


def put_back_demo_media(config: pytest.Config) -> None:
    """The demo's media files a test deleted (a picture whose file is missing, say), back."""
    if DEMO_MEDIA not in config.stash:
        return
    media_root, media_copy, names = config.stash[DEMO_MEDIA]
    for folder, demo_names in names.items():
        present = set(os.listdir(media_root / folder)) if (media_root / folder).is_dir() else set()
        for name in demo_names - present:
            (media_root / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy2(media_copy / folder / name, media_root / folder / name)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Put the demo content back for a database test that follows a transactional one, and
    the demo's media files that an earlier test deleted."""
    stash = item.config.stash
    if stash.get(DEMO_FLUSHED, False) and uses_database(item) and not is_transactional(item):
        with stash[DB_BLOCKER].unblock():
            ensure_demo_content()
        stash[DEMO_FLUSHED] = False
    put_back_demo_media(item.config)


def pytest_runtest_teardown(item: pytest.Item) -> None:
    if DB_BLOCKER in item.config.stash and is_transactional(item):
        item.config.stash[DEMO_FLUSHED] = True


@pytest.fixture(autouse=True)
def language_of_a_new_thread() -> None:
    """Each test starts in the site's default language. A request at /cy/ through the test
    client leaves Welsh active in the thread (LocaleMiddleware activates it and nothing
    deactivates it), and code outside a request, such as a letter assembled in a test, reads
    the active language: a Welsh test must not make the next test Welsh."""
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_caches() -> None:
    """Every cache empty at the start of each test (process memory: one per xdist worker)."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()


@pytest.fixture
def demo_site(db):
    """The home page of the demo content (`load_demo_content`), which every test database holds."""
    from wagtail.models import Locale

    from network.models import HomePage

    ensure_demo_content()  # a transactional test may run after another emptied the database
    return HomePage.objects.get(locale=Locale.get_default())  # the English one


@pytest.fixture
def uncached(settings) -> None:
    """The uncached path: every request renders its page and builds the site chrome.

    For tests that measure a render (query budgets) or what the view itself answers; the rest
    run with both caches on, as production does.
    """
    settings.PAGE_CACHE_ENABLED = False
    settings.SITE_CHROME_CACHE_ENABLED = False


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
    caches["default"].clear()
    yield stub_server
    caches["default"].clear()


@pytest.fixture
def api_samples(shared_data: Path) -> dict[str, object]:
    """The recorded service answers in ../shared/data/api-samples/, by file stem."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((shared_data / "api-samples").glob("*.json"))
    }


@pytest.fixture
def open_invitation(demo_site):
    """The demo's 2018 invitation, its campaign reopened for 30 days from now (it closed when
    its event ended, and a closed campaign's letter is not downloaded): for tests of the
    letter's pages and files as on a campaign day."""
    return reopen_demo_invitation()


@pytest.fixture
def open_campaign(open_invitation):
    """The reopened invitation, and its event's follow-up letters not open until it closes,
    as before an event: for tests of what an open invitation campaign offers."""
    from letters.models import LetterPage

    LetterPage.objects.filter(event_id=open_invitation.event_id).exclude(
        pk=open_invitation.pk
    ).update(opens_at=open_invitation.closes_at)
    return open_invitation
