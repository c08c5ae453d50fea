"""bin/check-private-access: the CI check that no code reaches into a library's private parts."""

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "check-private-access"

CAUGHT = {
    "reads a private attribute": "def f(request):\n    return request._wagtail_site\n",
    "writes a private attribute": "def f(settings, request):\n    settings._request = request\n",
    "getattr with a private name": "def f(api):\n    return getattr(api, '_exception_handlers')\n",
    "imports a private name": "from django.utils.functional import _lazy_proxy_unpickle\n",
    "imports from a private module": "from django.utils._os import safe_join\n",
    "replaces a library module's function": (
        "from wagtail.api.v3.routers import pages\npages.get_pages_queryset = list\n"
    ),
    "replaces a library class's method": (
        "from wagtail.models import Page\nPage.route = lambda self, request, path: None\n"
    ),
    "replaces a library object's method": (
        "from wagtail.api.v3.urls import api\napi.get_openapi_schema = dict\n"
    ),
    "setattr on a library module": "import wagtail.views\nsetattr(wagtail.views, 'serve', None)\n",
}

ALLOWED = """
from django.db import models
from wagtail.models import Page


class Thing(models.Model):
    def label(self):
        self._seen = True  # its own attribute
        return type(self).__name__, self._meta.label, Page._meta.get_field("title")

    def save(self, *args, **kwargs):
        return super()._do_update if False else super().save(*args, **kwargs)


def mark(request):
    request.site_menu = []  # a project attribute on a request, public name
"""


def run(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True
    )


@pytest.mark.parametrize("source", CAUGHT.values(), ids=CAUGHT.keys())
def test_the_check_fails_on_a_private_access_or_a_patch(tmp_path, source):
    sample = tmp_path / "sample.py"
    sample.write_text(source)
    result = run(sample)
    assert result.returncode == 1, result.stdout
    assert "sample.py:" in result.stdout


def test_the_check_allows_own_attributes_dunders_and_meta(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(ALLOWED)
    result = run(sample)
    assert result.returncode == 0, result.stdout


def test_the_repository_passes_the_check():
    result = run()
    assert result.returncode == 0, result.stdout
