"""Nobody lists what is not theirs: anonymous API callers, and group editors in the admin.

Each group's collection holds an image and a document whose titles name the group. Anonymous
callers of /api/v3/ get a 401 for images, documents and redirects; a Southampton editor never
sees Ipswich's titles, drafts or other editors' usernames in the admin; national staff still
see everything (the control that makes each test fail without its restriction).
"""

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import APIToken

from groups.models import GroupIndexPage, GroupUpdatePage, LocalGroupPage
from tests.api.conftest import bearer
from tests.groups.factories import GroupUpdatePageFactory, national_staff_user

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
def test_editor_token_reads_its_own_groups_media_and_lists_none(
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
    # The control: national staff reach every collection, so they list every group's items.
    staff = client.get(f"/api/v3/{prefix}/", **bearer(api_tokens["staff"]))
    assert staff.status_code == 200
    titles = {item["title"] for item in staff.json()["items"]}
    assert {secret_title(group, kind) for group in GROUPS} <= titles


def test_openapi_declares_media_and_redirect_reads_token_only(client, demo_site):
    schema = client.get("/api/v3/openapi.json").json()
    for path, methods in schema["paths"].items():
        if not path.startswith(("/api/v3/images/", "/api/v3/documents/", "/api/v3/redirects/")):
            continue
        for method, operation in methods.items():
            assert {} not in operation["security"], (method, path)
            assert "401" in operation["responses"], (method, path)


# --- Point 4: what a Southampton editor sees of Ipswich in the admin ---------------------------


@pytest.fixture
def admin_users(demo_site) -> dict[str, object]:
    return {
        "southampton_editor": get_user_model().objects.get(username="southampton-editor"),
        "staff": national_staff_user(),
    }


@pytest.fixture
def ipswich_draft(demo_site) -> GroupUpdatePage:
    """A page Ipswich has never published: its title is Ipswich's business only."""
    ipswich = LocalGroupPage.objects.get(slug="ipswich")
    draft = GroupUpdatePageFactory(parent=ipswich, title="Ipswich unpublished draft", live=False)
    draft.save_revision()
    return draft


def admin_html(client, user, url: str, params: dict | None = None) -> str:
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


ADMIN_API = {"image": "/admin/api/main/images/", "document": "/admin/api/main/documents/"}


@pytest.mark.parametrize("detail", (False, True), ids=("listing", "detail"))
@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_admin_api_shows_an_editor_only_their_groups_media(
    client, admin_users, group_media, kind, detail
):
    ipswich_item = group_media["ipswich"][kind]
    url = ADMIN_API[kind] + (f"{ipswich_item.pk}/" if detail else "")
    client.force_login(admin_users["southampton_editor"])
    editor = client.get(url)
    assert editor.status_code == (404 if detail else 200)
    assert secret_title("ipswich", kind) not in editor.content.decode()
    if not detail:
        assert secret_title("southampton", kind) in editor.content.decode()
    client.force_login(admin_users["staff"])
    assert secret_title("ipswich", kind) in client.get(url).content.decode()


MEDIA_BULK_ACTIONS = ("delete", "add_to_collection", "add_tags")
BULK_MODELS = {"image": "wagtailimages/image", "document": "wagtaildocs/document"}


@pytest.mark.parametrize("action", MEDIA_BULK_ACTIONS)
@pytest.mark.parametrize("kind", MEDIA_KINDS)
def test_media_bulk_action_confirmation_hides_other_groups_titles(
    client, admin_users, group_media, kind, action
):
    url = f"/admin/bulk/{BULK_MODELS[kind]}/{action}/"
    ids = {"id": [group_media[group][kind].pk for group in GROUPS]}
    editor = admin_html(client, admin_users["southampton_editor"], url, ids)
    assert secret_title("ipswich", kind) not in editor
    assert secret_title("ipswich", kind) in admin_html(client, admin_users["staff"], url, ids)


@pytest.mark.parametrize("action", ("delete", "move", "publish", "unpublish"))
def test_page_bulk_action_confirmation_hides_other_groups_drafts(
    client, admin_users, ipswich_draft, action
):
    url = f"/admin/bulk/wagtailcore/page/{action}/"
    ids = {"id": [ipswich_draft.pk]}
    assert ipswich_draft.title not in admin_html(
        client, admin_users["southampton_editor"], url, ids
    )
    assert ipswich_draft.title in admin_html(client, admin_users["staff"], url, ids)


def test_page_types_usage_report_is_for_national_staff(client, admin_users, ipswich_draft):
    url = reverse("wagtailadmin_reports:page_types_usage")
    client.force_login(admin_users["southampton_editor"])
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert ipswich_draft.title not in response.content.decode()
    results = client.get(reverse("wagtailadmin_reports:page_types_usage_results"))
    assert ipswich_draft.title not in results.content.decode()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url not in menu
    assert ipswich_draft.title in admin_html(client, admin_users["staff"], url)


@pytest.mark.parametrize("view", ("type_use", "type_use_results"))
def test_pages_using_a_type_offers_no_page_outside_the_editors_section(client, admin_users, view):
    """The groups index is an ancestor the explorer walks an editor through, not theirs to act on."""
    groups_index = GroupIndexPage.objects.get()
    url = reverse(f"wagtailadmin_pages:{view}", args=["groups", "groupindexpage"])
    row = f'data-object-id="{groups_index.pk}"'
    assert row not in admin_html(client, admin_users["southampton_editor"], url)
    assert row in admin_html(client, admin_users["staff"], url)


CHOOSER_ROUTES = {
    "browse": "/admin/choose-page/{pk}/",
    "chosen": "/admin/choose-page/chosen-multiple/?id={pk}",
}


@pytest.mark.parametrize("route", CHOOSER_ROUTES)
def test_page_chooser_does_not_name_other_groups_drafts(client, admin_users, ipswich_draft, route):
    url = CHOOSER_ROUTES[route].format(pk=ipswich_draft.pk)
    client.force_login(admin_users["southampton_editor"])
    editor = client.get(url)
    assert editor.status_code in (200, 404)
    assert ipswich_draft.title not in editor.content.decode()
    assert ipswich_draft.title in admin_html(client, admin_users["staff"], url)
    # The control: the editor's own draft is still offered to them.
    own = GroupUpdatePageFactory(
        parent=LocalGroupPage.objects.get(slug="southampton"), title="Southampton draft", live=False
    )
    own_url = CHOOSER_ROUTES[route].format(pk=own.pk)
    assert own.title in admin_html(client, admin_users["southampton_editor"], own_url)


@pytest.fixture
def ipswich_workflow(demo_site, ipswich_draft) -> GroupUpdatePage:
    """Ipswich's editor has submitted the draft for review."""
    editor = get_user_model().objects.get(username="ipswich-editor")
    ipswich_draft.get_workflow().start(ipswich_draft, editor)
    return ipswich_draft


REPORTS_WITH_USER_FILTERS = {
    "wagtailadmin_reports:workflow": "ipswich_workflow",
    "wagtailadmin_reports:locked_pages": "ipswich_lock",
}


@pytest.fixture
def ipswich_lock(demo_site, ipswich_draft) -> GroupUpdatePage:
    ipswich_draft.locked = True
    ipswich_draft.locked_by = get_user_model().objects.get(username="ipswich-editor")
    ipswich_draft.save()
    return ipswich_draft


@pytest.mark.parametrize("report", REPORTS_WITH_USER_FILTERS)
def test_report_user_filters_do_not_name_other_groups_editors(request, client, admin_users, report):
    request.getfixturevalue(REPORTS_WITH_USER_FILTERS[report])
    url = reverse(report)
    assert "ipswich-editor" not in admin_html(client, admin_users["southampton_editor"], url)
    assert "ipswich-editor" in admin_html(client, admin_users["staff"], url)
