"""Shared fixtures: the demo site, the shared public data, and a local HTTP stand-in server."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def require_shared_data() -> Path:
    """The public data beside the checkout. Skips outside CI when absent; fails in CI."""
    if SHARED_DATA.is_dir():
        return SHARED_DATA
    message = f"../shared/data is absent (looked in {SHARED_DATA})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must run with ../shared beside the checkout")
    pytest.skip(message)


@pytest.fixture
def shared_data() -> Path:
    return require_shared_data()


@pytest.fixture
def demo_site(db):
    """The demo content of `load_demo_content`, loaded into the test database."""
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from network.models import HomePage

    return HomePage.objects.get()
