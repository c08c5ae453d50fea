"""Uploaded images show with production settings, served by a real gunicorn (not the test
client's path): originals and renditions answer with year-long cache headers, while
documents stay behind Wagtail's serve view, so a private collection's document is still a
redirect to sign-in and never a file under /media/."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Starts its own processes on its own database: `make test-system`, not `make test`.
pytestmark = pytest.mark.system

# Run with production settings in the server's own process: an image, a rendition, and a
# document in a collection only signed-in users may see.
MAKE_MEDIA = """
import json
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction

image = get_image_model().objects.create(title="Welcome", file=get_test_image_file())
rendition = image.get_rendition("fill-40x30")
private = Collection.get_first_root_node().add_child(name="Minutes")
CollectionViewRestriction.objects.create(
    collection=private, restriction_type=CollectionViewRestriction.LOGIN
)
document = get_document_model()(title="Minutes", collection=private)
document.file.save("minutes.txt", ContentFile(b"private minutes"), save=True)
print(json.dumps({
    "original": image.file.url,
    "rendition": rendition.url,
    "document": document.url,
    "document_file": "/media/" + document.file.name,
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(url, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def production_site(tmp_path_factory) -> Iterator[dict]:
    scratch = tmp_path_factory.mktemp("production-media")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "production-media-test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "MEDIA_ROOT": str(scratch / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONPATH": str(REPO),
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(manage + [*command, "-v0"], env=env, cwd=REPO, check=True)
    made = subprocess.run(
        manage + ["shell", "-c", MAKE_MEDIA], env=env, cwd=REPO, check=True, capture_output=True
    )
    urls = json.loads(made.stdout.decode().strip().splitlines()[-1])
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}"],
        env={**env, "GUNICORN_WORKERS": "1", "GUNICORN_ACCESSLOG": ""},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=open(scratch / "gunicorn.log", "w"),  # noqa: SIM115
    )
    try:
        for _ in range(150):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield {"base": f"http://127.0.0.1:{port}", **urls}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("kind", ["original", "rendition"])
def test_images_are_served_with_year_long_cache_headers(production_site, kind):
    status, headers, body = get(production_site["base"] + production_site[kind])

    assert status == 200
    assert headers["Content-Type"].startswith("image/")
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    cache_control = headers["Cache-Control"]
    assert "public" in cache_control and "max-age=31536000" in cache_control


def test_a_private_document_is_a_sign_in_redirect_and_never_a_media_file(production_site):
    status, headers, _ = get(production_site["base"] + production_site["document"])
    assert status == 302
    assert "login" in headers["Location"]

    status, _, body = get(production_site["base"] + production_site["document_file"])
    assert status == 404
    assert b"private minutes" not in body


@pytest.mark.parametrize(
    "path",
    ["/media/images/../documents/minutes.txt", "/media/images/no-such.png", "/media/db.sqlite3"],
)
def test_nothing_else_under_media_is_served(production_site, path):
    status, _, body = get(production_site["base"] + path)
    assert status in (400, 404)
    assert b"private minutes" not in body
