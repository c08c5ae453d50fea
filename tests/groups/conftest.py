import pytest
from django.contrib.auth import get_user_model

from groups.models import LocalGroupPage
from tests.groups.factories import national_staff_user


@pytest.fixture
def southampton(demo_site) -> LocalGroupPage:
    return LocalGroupPage.objects.get(slug="southampton")


@pytest.fixture
def ipswich(demo_site) -> LocalGroupPage:
    return LocalGroupPage.objects.get(slug="ipswich")


@pytest.fixture
def users(demo_site) -> dict:
    User = get_user_model()
    return {
        "anonymous": None,
        "southampton_editor": User.objects.get(username="southampton-editor"),
        "ipswich_editor": User.objects.get(username="ipswich-editor"),
        "staff": national_staff_user(),
    }
