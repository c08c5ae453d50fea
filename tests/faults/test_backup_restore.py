"""bin/backup and bin/restore round-trip the demo content and media on PostgreSQL."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.test_services_down import PG_HOST, PG_PORT, psql, require

REPO = Path(__file__).resolve().parents[2]

# Starts its own processes on its own database: `make test-system`, not `make test`.
pytestmark = pytest.mark.system

COUNT_PAGES = (
    "import django; django.setup(); from wagtail.models import Page, Revision; "
    "from letters.models import Constituency; "
    "print(Page.objects.count(), Revision.objects.count(), Constituency.objects.count(), "
    "sorted(Page.objects.values_list('url_path', flat=True)))"
)


def counts(env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", COUNT_PAGES],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_backup_then_restore_gives_back_the_same_content_and_media(tmp_path):
    if shutil.which("pg_dump") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("pg_dump is not installed")
        pytest.skip("pg_dump is not installed")
    require(PG_HOST, PG_PORT, "PostgreSQL")
    source_db = f"sanctuary_backup_test_{os.getpid()}"
    copy_db = f"{source_db}_restored"
    for name in (source_db, copy_db):
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "minutes.txt").write_text("Council resolution, 31 October 2012")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{source_db}",
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(REPO),
    }
    try:
        manage = [sys.executable, str(REPO / "manage.py")]
        for command in (["migrate", "--noinput", "-v0"], ["load_demo_content"]):
            subprocess.run(manage + command, env=env, cwd=REPO, check=True, capture_output=True)
        before = counts(env)

        subprocess.run(
            [REPO / "bin" / "backup", tmp_path / "backup"], env=env, check=True, capture_output=True
        )
        restore_env = {
            **env,
            "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{copy_db}",
            "MEDIA_ROOT": str(restored_media),
        }
        subprocess.run(
            [REPO / "bin" / "restore", tmp_path / "backup"],
            env=restore_env,
            check=True,
            capture_output=True,
        )

        assert counts(restore_env) == before
        assert "/home/groups/southampton/" in before
        restored = restored_media / "documents" / "minutes.txt"
        assert restored.read_text() == "Council resolution, 31 October 2012"
    finally:
        for name in (source_db, copy_db):
            psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
