"""`locale` on every list of the API (issue 20): Welsh pages with `locale=cy`, English without."""

import pytest
from wagtail.models import Locale

from groups.models import LocalGroupPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh_southampton(demo_site) -> LocalGroupPage:
    southampton = LocalGroupPage.objects.get(slug="southampton", locale=Locale.get_default())
    welsh = southampton.copy_for_translation(
        Locale.objects.get(language_code="cy"), copy_parents=True
    )
    welsh.title = "Dinas Noddfa Southampton"
    welsh.save_revision().publish()
    return welsh


def test_the_group_directory_answers_in_the_locale_asked_for(client, welsh_southampton):
    english = client.get("/api/v3/groups/").json()
    welsh = client.get("/api/v3/groups/?locale=cy").json()
    assert "Dinas Noddfa Southampton" not in [item["title"] for item in english["items"]]
    assert [item["title"] for item in welsh["items"]] == ["Dinas Noddfa Southampton"]
    assert client.get("/api/v3/groups/?locale=en-gb").json() == english


def test_wagtails_pages_list_filters_by_locale(client, welsh_southampton):
    welsh = client.get("/api/v3/pages/?locale=cy").json()
    assert "Dinas Noddfa Southampton" in [item["title"] for item in welsh["items"]]
    english = client.get("/api/v3/pages/?locale=en-gb").json()
    assert "Dinas Noddfa Southampton" not in [item["title"] for item in english["items"]]


def test_an_unknown_locale_is_a_400_naming_the_parameter(client, demo_site):
    response = client.get("/api/v3/events/?locale=fr")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == "locale"


def test_the_openapi_document_describes_locale_on_every_project_list(client, demo_site):
    document = client.get("/api/v3/openapi.json").json()
    for route in ("/api/v3/groups/", "/api/v3/events/", "/api/v3/near/"):
        names = [parameter["name"] for parameter in document["paths"][route]["get"]["parameters"]]
        assert "locale" in names, route
