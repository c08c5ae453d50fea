"""Fixtures for the API tests: the demo site, bearer tokens for its users, a JSON client."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import APIToken

from groups.models import LocalGroupPage
from tests.groups.factories import national_staff_user


@pytest.fixture
def southampton(demo_site) -> LocalGroupPage:
    return LocalGroupPage.objects.get(slug="southampton")


@pytest.fixture
def ipswich(demo_site) -> LocalGroupPage:
    return LocalGroupPage.objects.get(slug="ipswich")


@pytest.fixture
def tokens(demo_site) -> dict[str, str | None]:
    """A bearer token per role: the demo group editors, a national staff user, and none."""
    User = get_user_model()
    users = {
        "southampton_editor": User.objects.get(username="southampton-editor"),
        "ipswich_editor": User.objects.get(username="ipswich-editor"),
        "staff": national_staff_user(),
    }
    secrets: dict[str, str | None] = {"anonymous": None}
    for role, user in users.items():
        _, secret = APIToken.create_token(user=user, name=f"tests: {role}")
        secrets[role] = secret
    return secrets


def bearer(token: str | None) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
