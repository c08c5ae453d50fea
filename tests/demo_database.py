"""The suite's demo database, built once and kept (issue 17).

Every xdist worker needs the same database: the migrations applied, then the demo content
(`load_demo_content`), about 15 s of CPU each. The first worker to get here builds it as before
and saves a copy, with the media files the demo wrote, under build/test-database/<key>/; the
other workers, and later runs, restore that copy into their in-memory SQLite database in place
of migrating (SQLite's backup API, as Django's own parallel runner clones its databases).

The key is a hash of everything the database is built from: the project's code, migrations,
templates and translations; tests/conftest.py and this file; the installed distributions and
their versions; Python; the settings module and the environment variables the code reads; and
today's date (the demo's revisions and `mp_updated_at` are dated when it is built). A change to
any of them builds a new copy, migrating from scratch, and removes the old ones. So a changed
migration still runs at once, and CI, from a clean clone, migrates every time.

Only for the SQLite in-memory test database (PostgreSQL migrates in each worker as before), and
not with --reuse-db or --nomigrations, or when a test asks for a serialized rollback;
--create-db builds the copy again (once, in the first worker), and KEEP_TEST_DATABASE=0 in the
environment turns it all off.
"""

import datetime
import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_ROOT = REPO_ROOT / "build" / "test-database"
# What the database is built from, besides the installed packages.
SOURCES = ("config", "core", "network", "groups", "events", "letters", "templates", "locale")
BUILDERS = (Path(__file__), REPO_ROOT / "tests" / "conftest.py")
ENV_NAME = re.compile(rb"[\"']([A-Z][A-Z0-9_]{2,})[\"']")


def enabled(config, items) -> bool:
    from django.conf import settings
    from django.db import connection

    if os.environ.get("KEEP_TEST_DATABASE", "1") == "0":
        return False
    if config.getvalue("reuse_db") or config.getvalue("nomigrations"):
        return False
    test_name = connection.settings_dict["TEST"]["NAME"] or ":memory:"
    if connection.vendor != "sqlite" or not connection.creation.is_in_memory_db(test_name):
        return False
    if len(settings.DATABASES) != 1:
        return False
    return not any(asks_for_serialized_rollback(item) for item in items)


def asks_for_serialized_rollback(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("serialized_rollback"):
        return True
    return "django_db_serialized_rollback" in getattr(item, "fixturenames", ())


def source_files() -> Iterator[Path]:
    for top in SOURCES:
        for path in sorted((REPO_ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path
    yield from BUILDERS


def key() -> str:
    digest = hashlib.sha256()
    env_names = set()
    for path in source_files():
        data = path.read_bytes()
        digest.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + data + b"\0")
        if path.suffix == ".py" and path not in BUILDERS:  # the project's settings and code
            env_names.update(name.decode() for name in ENV_NAME.findall(data))
    distributions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions()
    )
    digest.update("\n".join(distributions).encode())
    digest.update(sys.version.encode())
    digest.update(os.environ.get("DJANGO_SETTINGS_MODULE", "").encode())
    for name in sorted(env_names):
        if name in os.environ and not name.startswith("PYTEST_"):
            digest.update(f"\0{name}={os.environ[name]}".encode())
    # The local date: the demo's dates of publication and checks are the day it was built.
    digest.update(datetime.date.today().isoformat().encode())
    return digest.hexdigest()[:16]


class DemoDatabase:
    """The kept copy for this key: `demo.sqlite3` and `media/`, in a folder that appears whole
    (built aside, then renamed) once both are written."""

    def __init__(self, key: str) -> None:
        self.folder = CACHE_ROOT / key
        self.restoring = False
        self.migrate = True  # the TEST["MIGRATE"] setting put back once restored
        self._lock = None

    @property
    def ready(self) -> bool:
        return (self.folder / "demo.sqlite3").is_file()

    def built_before(self) -> bool:
        """Built before this run (--create-db builds it again, once: not in every worker)."""
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
        built_by = self.folder / "run"
        return not (run and built_by.is_file() and built_by.read_text() == run)

    def lock(self) -> None:
        """Held from before this worker's database is made until it holds the demo: the
        first worker builds, the others wait for its copy instead of building their own."""
        CACHE_ROOT.mkdir(parents=True, exist_ok=True)
        self._lock = open(CACHE_ROOT / "lock", "w")  # noqa: SIM115
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def unlock(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def restore(self, media_root: Path) -> None:
        """The kept database in place of the one Django made (its tables from the models, not
        migrated: TEST["MIGRATE"] is False for it), and the kept media files."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection

        connection.ensure_connection()
        source = sqlite3.connect(f"file:{self.folder / 'demo.sqlite3'}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        # Read while Django made its tables: the kept database numbers its content types in
        # the migrations' order.
        ContentType.objects.clear_cache()
        shutil.copytree(self.folder / "media", media_root, dirs_exist_ok=True)

    def save(self, media_root: Path) -> None:
        """Keep this worker's database (migrated, with the demo) and its media files."""
        from django.db import connection

        aside = CACHE_ROOT / f".building-{uuid.uuid4().hex}"
        aside.mkdir(parents=True)
        try:
            target = sqlite3.connect(aside / "demo.sqlite3")
            try:
                connection.ensure_connection()
                connection.connection.backup(target)
            finally:
                target.close()
            shutil.copytree(media_root, aside / "media")
            (aside / "run").write_text(os.environ.get("PYTEST_XDIST_TESTRUNUID", ""))
            for old in CACHE_ROOT.iterdir():  # older copies (other keys): no run reads them now
                if old.is_dir() and old != aside:
                    shutil.rmtree(old, ignore_errors=True)
            aside.rename(self.folder)
        finally:
            shutil.rmtree(aside, ignore_errors=True)
