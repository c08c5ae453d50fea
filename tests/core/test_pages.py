"""The one base page (core/pages.py): every page type has it, with its manager, and no page
may take a slug that its parent's own routes answer, by the admin, the API or a save."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from wagtail.models import APIToken, Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from core.pages import SanctuaryPage, route_taking_slug
from core.query import SanctuaryPageQuerySet
from events.models import EventPage
from groups.models import AchievementPage, GroupUpdatePage, LocalGroupPage
from letters.models import LetterIndexPage, LetterPage
from network.models import HomePage, NewsPage
from tests.api.conftest import bearer
from tests.groups.factories import (
    AchievementPageFactory,
    GroupUpdatePageFactory,
    LocalGroupPageFactory,
)

PAGE_MODELS = [
    model for model in apps.get_models() if issubclass(model, Page) and model is not Page
]


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_page_type_stands_on_the_one_base_and_its_manager(model):
    assert issubclass(model, SanctuaryPage)
    assert isinstance(model.objects.all(), SanctuaryPageQuerySet)


# (parent, child type, slug, the parent's route that answers there)
REFUSED = {
    "group child slugged events": ("southampton", GroupUpdatePage, "events", "events/"),
    "group child slugged achievements": ("southampton", AchievementPage, "achievements", "achievements/"),
    "group child slugged feed": ("southampton", GroupUpdatePage, "feed", "feed/"),
    "group event slugged events": ("southampton", EventPage, "events", "events/"),
    "event index child slugged ical": ("events", EventPage, "ical", "ical/"),
    "news index child slugged feed": ("news", NewsPage, "feed", "feed/"),
    "group index child slugged achievements": ("groups", LocalGroupPage, "achievements", "achievements/"),
}  # fmt: skip


@pytest.fixture
def tree(demo_site) -> HomePage:
    """The demo's home with each routable section under it (groups with Southampton, events,
    news, letters), and a letter slugged `letter`."""
    letters = LetterIndexPage.objects.get()
    letters.add_child(instance=LetterPage(title="Write to your MP", slug="letter"))
    return demo_site


def parent_page(slug: str) -> Page:
    return Page.objects.filter(slug=slug).order_by("depth").first().specific


def new_child(model: type[Page], slug: str) -> Page:
    """An unsaved page of `model` with every required field filled in."""
    if model is GroupUpdatePage:
        return GroupUpdatePageFactory.build(slug=slug)
    if model is AchievementPage:
        return AchievementPageFactory.build(slug=slug)
    if model is LocalGroupPage:
        return LocalGroupPageFactory.build(slug=slug)
    if model is EventPage:
        start = datetime.datetime(2099, 6, 19, 11, tzinfo=datetime.UTC)
        return EventPage(title="Clash", slug=slug, start=start, end=start)
    return model(title="Clash", slug=slug)


@pytest.mark.django_db
@pytest.mark.parametrize(("parent", "model", "slug", "route"), REFUSED.values(), ids=REFUSED)
def test_a_page_cannot_be_given_a_slug_its_parents_route_answers(tree, parent, model, slug, route):
    page = parent_page(parent).add_child(instance=new_child(model, f"{slug}-not-yet"))
    page.slug = slug

    with pytest.raises(ValidationError) as error:
        page.clean()

    assert f"“{route}”" in error.value.message_dict["slug"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(("parent", "model", "slug", "route"), REFUSED.values(), ids=REFUSED)
def test_a_page_under_a_route_of_the_same_name_is_never_saved(tree, parent, model, slug, route):
    parent = parent_page(parent)

    with pytest.raises(ValidationError):
        parent.add_child(instance=new_child(model, slug))

    assert not Page.objects.child_of(parent).filter(slug=slug).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parent", "slug"),
    [("southampton", "ical"), ("events", "events"), ("southampton", "events-in-june")],
)
def test_a_slug_no_route_of_the_parent_answers_is_accepted(tree, parent, slug):
    """The old list refused `ical` and `events` anywhere; only the parent's routes count."""
    event = parent_page(parent).add_child(instance=new_child(EventPage, slug))
    event.clean()
    assert event.url.endswith(f"/{slug}/")


@pytest.mark.django_db
def test_a_route_starting_with_a_parameter_takes_every_slug(tree):
    letter = parent_page("letter")
    assert route_taking_slug(letter, "anything") == "<slug:constituency_slug>/"
    assert route_taking_slug(parent_page("southampton"), "anything") is None


@pytest.fixture
def admin_client(client, django_user_model, settings):
    settings.AXES_ENABLED = False  # force_login's bare request has no client address
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    return client


def add_form_post(client, parent: Page, model: type[Page], slug: str):
    url = f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update({"title": f"Clash at {slug}", "slug": slug})
    # StreamFields are drawn by JavaScript, so their empty values are not in the HTML.
    streams = {"body": streamfield([])}
    if model is EventPage:
        streams["programme"] = streamfield([])
        data.update({"start": "2099-06-19 11:00", "end": "2099-06-19 17:00"})
    if model is AchievementPage:
        data.update({"kind": "school", "date_achieved": "2024-05-01", "summary": "Awarded."})
    data.update(nested_form_data(streams))
    return client.post(url, data)


ADMIN_REFUSED = {
    name: REFUSED[name]
    for name in (
        "group child slugged events",
        "group child slugged achievements",
        "group child slugged feed",
        "event index child slugged ical",
    )
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parent", "model", "slug", "route"), ADMIN_REFUSED.values(), ids=ADMIN_REFUSED
)
def test_the_admin_add_form_refuses_a_slug_a_parent_route_answers(
    admin_client, tree, parent, model, slug, route
):
    parent = parent_page(parent)

    response = add_form_post(admin_client, parent, model, slug)

    assert response.status_code == 200  # the form again, with the error
    assert f"“{route}”" in response.content.decode()
    assert not Page.objects.child_of(parent).filter(slug=slug).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parent", "model"), [("southampton", GroupUpdatePage), ("events", EventPage)]
)
def test_the_admin_add_form_accepts_a_slug_no_route_answers(admin_client, tree, parent, model):
    parent = parent_page(parent)

    response = add_form_post(admin_client, parent, model, "in-june")

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Page.objects.child_of(parent).filter(slug="in-june").exists()


@pytest.mark.django_db
def test_the_api_refuses_a_slug_a_parent_route_answers(client, tree, django_user_model):
    staff = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    _, secret = APIToken.create_token(user=staff, name="tests")
    group = parent_page("southampton")
    response = client.post(
        "/api/v3/pages/",
        data=json.dumps(
            {
                "meta": {"type": "groups.GroupUpdatePage", "parent_id": group.pk},
                "title": "Feed",
                "slug": "feed",
            }
        ),
        content_type="application/json",
        **bearer(secret),
    )
    assert 400 <= response.status_code < 500
    assert "“feed/”" in response.content.decode()
    assert not Page.objects.child_of(group).filter(slug="feed").exists()


@pytest.mark.django_db
def test_what_a_page_keeps_for_the_generation_is_built_afresh_in_a_preview(demo_site, rf):
    """A page's lists are read once per content generation, except in a preview: a draft's
    inline rows (the home page's featured groups) may differ from the live page's."""
    built = []

    def build() -> int:
        built.append(1)
        return len(built)

    request = rf.get("/")
    assert demo_site.kept_for_generation(request, "test-lists", build) == 1
    assert demo_site.kept_for_generation(request, "test-lists", build) == 1
    request.is_preview = True
    assert demo_site.kept_for_generation(request, "test-lists", build) == 2
    assert demo_site.kept_for_generation(request, "test-lists", build) == 3
