"""Nobody lists what is not theirs: anonymous API callers, and group editors in the admin.

Each group's collection holds an image and a document whose titles name the group. Anonymous
callers of /api/v3/ get a 401 for images, documents and redirects; a Southampton editor never
sees Ipswich's titles, drafts or other editors' usernames in the admin; national staff still
see everything (the control that makes each test fail without its restriction).
"""

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import APIToken

from groups.models import LocalGroupPage
from tests.api.conftest import bearer
from tests.factories import national_staff_user

GROUPS = ("southampton", "ipswich")


def secret_title(group: str, kind: str) -> str:
    return f"{group.title()} private {kind}"


@pytest.fixture
def group_media(demo_site) -> dict[str, dict[str, object]]:
    """An image and a document in each demo group's own collection, titled after the group."""
    media: dict[str, dict[str, object]] = {}
    for slug in GROUPS:
        collection = LocalGroupPage.objects.get(slug=slug).editor_access.collection
        media[slug] = {
            "image": wagtail_factories.ImageFactory(
                title=secret_title(slug, "image"), collection=collection
            ),
            "document": wagtail_factories.DocumentFactory(
                title=secret_title(slug, "document"), collection=collection
            ),
        }
    return media


@pytest.fixture
def redirect(demo_site) -> Redirect:
    return Redirect.objects.create(old_path="/old-campaign", redirect_link="https://example.org/")


@pytest.fixture
def api_tokens(demo_site) -> dict[str, str | None]:
    users = {
        "southampton_editor": get_user_model().objects.get(username="southampton-editor"),
        "staff": national_staff_user(),
    }
    secrets: dict[str, str | None] = {"anonymous": None}
    for role, user in users.items():
        _, secrets[role] = APIToken.create_token(user=user, name=f"tests: {role}")
    return secrets


# --- Point 3: the API's media and redirect routes ---------------------------------------------

MEDIA_KINDS = {"image": "images", "document": "documents"}
MEDIA_ROUTES = ("/api/v3/{prefix}/", "/api/v3/{prefix}/{pk}/")
REDIRECT_ROUTES = (
    "/api/v3/redirects/",
    "/api/v3/redirects/{pk}/",
    "/api/v3/redirects/find/?id={pk}",
    "/api/v3/redirects/find/?html_path=/old-campaign",
)


@pytest.mark.parametrize("route", MEDIA_ROUTES)
@pytest.mark.parametrize("kind", MEDIA_KINDS)
@pytest.mark.parametrize("group", GROUPS)
def test_anonymous_callers_cannot_read_images_or_documents(client, group_media, group, kind, route):
    response = client.get(route.format(prefix=MEDIA_KINDS[kind], pk=group_media[group][kind].pk))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "private" not in response.content.decode()


@pytest.mark.parametrize("route", REDIRECT_ROUTES)
def test_anonymous_callers_cannot_read_redirects(client, redirect, route):
    response = client.get(route.format(pk=redirect.pk))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert "old-campaign" not in response.content.decode()


@pytest.mark.parametrize("route", REDIRECT_ROUTES)
def test_redirects_need_a_token_with_a_redirect_permission(client, api_tokens, redirect, route):
    route = route.format(pk=redirect.pk)
    editor = client.get(route, follow=True, **bearer(api_tokens["southampton_editor"]))
    assert editor.status_code == 403
    assert "old-campaign" not in editor.content.decode()
    staff = client.get(route, follow=True, **bearer(api_tokens["staff"]))
    assert staff.status_code == 200
    assert "/old-campaign" in staff.content.decode()


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_editor_token_reads_its_own_groups_media_and_not_another_groups(
    client, api_tokens, group_media, kind
):
    prefix = MEDIA_KINDS[kind]
    token = bearer(api_tokens["southampton_editor"])
    own = client.get(f"/api/v3/{prefix}/{group_media['southampton'][kind].pk}/", **token)
    assert own.status_code == 200
    assert own.json()["title"] == secret_title("southampton", kind)
    other = client.get(f"/api/v3/{prefix}/{group_media['ipswich'][kind].pk}/", **token)
    assert other.status_code == 404
    assert "Ipswich" not in other.content.decode()
    listing = client.get(f"/api/v3/{prefix}/", **token)
    assert listing.status_code == 403
    assert "Ipswich" not in listing.content.decode()


@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_staff_token_lists_every_groups_media(client, api_tokens, group_media, kind):
    response = client.get(f"/api/v3/{MEDIA_KINDS[kind]}/", **bearer(api_tokens["staff"]))
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert {secret_title(group, kind) for group in GROUPS} <= titles


def test_openapi_declares_media_and_redirect_reads_token_only(client, demo_site):
    schema = client.get("/api/v3/openapi.json").json()
    for path, methods in schema["paths"].items():
        if not path.startswith(("/api/v3/images/", "/api/v3/documents/", "/api/v3/redirects/")):
            continue
        for method, operation in methods.items():
            assert {} not in operation["security"], (method, path)
            assert "401" in operation["responses"], (method, path)
