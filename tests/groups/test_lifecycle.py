"""A group's life: forming, active, dormant, closed (set by national staff: see
tests/network/test_restricted_fields.py, which covers every path that writes `status`); a
closed group's pages stay readable and leave the directory, map, Find your MP and letters;
renaming a group leaves redirects behind. And the small things issue 21 found on group pages."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from events.models import EventPage
from groups.models import (
    AchievementKind,
    AchievementPage,
    GroupKind,
    GroupStatus,
    LocalGroupPage,
    Nation,
)
from tests.groups.factories import AchievementPageFactory, LocalGroupPageFactory

pytestmark = pytest.mark.django_db


def set_status(group: LocalGroupPage, status: str) -> None:
    group.status = status
    group.save_revision().publish()


def test_a_closed_groups_page_stays_readable_with_a_notice(client, southampton):
    set_status(southampton, GroupStatus.CLOSED)
    response = client.get("/groups/southampton/")
    assert response.status_code == 200
    assert "This group has closed. Its pages are kept as a record of its work." in (
        response.content.decode()
    )
    achievement = AchievementPage.objects.child_of(southampton).live().first()
    assert client.get(achievement.url).status_code == 200


def test_a_dormant_group_says_so(client, southampton):
    set_status(southampton, GroupStatus.DORMANT)
    assert "This group is dormant" in client.get("/groups/southampton/").content.decode()


def test_the_directory_and_map_leave_closed_groups_out_unless_asked(client, southampton):
    set_status(southampton, GroupStatus.CLOSED)
    html = client.get("/groups/").content.decode()
    assert "City of Sanctuary Southampton" not in html
    assert 'href="/groups/?status=closed">See closed groups</a>' in html

    closed = client.get("/groups/?status=closed").content.decode()
    assert "City of Sanctuary Southampton" in closed
    assert "<strong>Closed</strong>" in closed
    api = client.get("/api/v3/groups/").json()
    assert "southampton" not in [group["slug"] for group in api["items"]]
    api = client.get("/api/v3/groups/?status=closed").json()
    assert [group["slug"] for group in api["items"]] == ["southampton"]


def test_find_your_mp_no_longer_names_a_closed_group(client, southampton):
    assert "City of Sanctuary Southampton" in client.get("/find-your-mp/?q=Itchen").content.decode()
    set_status(southampton, GroupStatus.CLOSED)
    assert "City of Sanctuary Southampton" not in (
        client.get("/find-your-mp/?q=Itchen").content.decode()
    )


def test_covering_groups_are_public_and_not_closed(southampton, ipswich):
    set_status(ipswich, GroupStatus.DORMANT)
    set_status(southampton, GroupStatus.CLOSED)
    covering = set(LocalGroupPage.objects.covering())
    assert ipswich in covering and southampton not in covering
    # The rest of the demo's groups (all public, none closed) still cover their constituencies.
    assert covering == set(LocalGroupPage.objects.exclude(pk=southampton.pk))


def test_renaming_a_group_redirects_its_old_addresses_and_sub_urls(
    client, southampton, django_capture_on_commit_callbacks
):
    achievement = AchievementPage.objects.child_of(southampton).live().first()
    # Wagtail sends page_slug_changed, on which the redirects are made, once the save commits.
    with django_capture_on_commit_callbacks(execute=True):
        southampton.slug = "southampton-city"
        southampton.save_revision().publish()

    for old, new in (
        ("/groups/southampton/", "/groups/southampton-city/"),
        ("/groups/southampton/events/", "/groups/southampton-city/events/"),
        ("/groups/southampton/events/ical/", "/groups/southampton-city/events/ical/"),
        ("/groups/southampton/achievements/", "/groups/southampton-city/achievements/"),
        ("/groups/southampton/feed/", "/groups/southampton-city/feed/"),
        (
            f"/groups/southampton/{achievement.slug}/",
            f"/groups/southampton-city/{achievement.slug}/",
        ),
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert client.get(new).status_code == 200, new
    assert Redirect.objects.filter(old_path="/groups/southampton", is_permanent=True).exists()


def test_a_welsh_groups_place_is_not_wales_twice(client, demo_site):
    index = LocalGroupPage.objects.get(slug="southampton").get_parent()
    group = LocalGroupPageFactory(
        parent=index,
        title="Sampletown of Sanctuary",
        slug="sampletown",
        nation=Nation.WALES,
        region="wales",
    )
    assert group.place_label == "Wales"
    group.region = "south-west"
    assert group.place_label == "South West, Wales"
    html = client.get("/groups/sampletown/").content.decode()
    assert "Wales, Wales" not in html and "City of Sanctuary · Wales<" in html


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ("?q=Southampton", {"slug": "southampton"}),
        ("?kind=town", {"kind": GroupKind.TOWN}),
        ("?status=active", {"status": GroupStatus.ACTIVE}),
        ("", {}),
    ],
)
def test_directory_count_agrees_with_its_number(client, demo_site, query, filters):
    number = LocalGroupPage.objects.filter(**filters).count()  # the demo has no closed group
    if not query:
        heading = f">{number} groups<"
    elif number == 1:
        heading = "1 group matches your filters"
    else:
        heading = f"{number} groups match your filters"
    assert heading in client.get(f"/groups/{query}").content.decode()


def test_events_count_agrees_with_its_number(client, demo_site):
    events = EventPage.objects.live()
    tag_one = events.first()
    tag_one.tags.add("only-this-one")
    tag_one.save()
    html = client.get("/events/?tag=only-this-one").content.decode()
    assert "1 event matches your filters" in html


def test_a_count_without_a_label_is_never_a_bare_number(southampton):
    award = AchievementPageFactory.build(kind=AchievementKind.SCHOOL, count=1, count_label="")
    assert award.count_text == "1 school"
    award.count = 15
    assert award.count_text == "15 schools"
    award.count_label = "schools and nurseries"
    assert award.count_text == "15 schools and nurseries"
    other = AchievementPageFactory.build(kind=AchievementKind.OTHER, count=1, count_label="")
    assert other.count_text == ""


def test_a_local_editor_is_not_offered_a_national_event(client, southampton):
    start = timezone.now() + datetime.timedelta(days=3)
    event = EventPage(title="Picnic", slug="picnic", start=start, end=start)
    southampton.add_child(instance=event)
    event.save_revision().publish()
    client.force_login(get_user_model().objects.get(username="southampton-editor"))

    html = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "Leave empty for a national network event." not in html
    assert "Organised by City of Sanctuary Southampton" in html

    national = EventPage.objects.get(slug="sanctuary-in-parliament-2018")
    staff = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(staff)
    html = client.get(f"/admin/pages/{national.pk}/edit/").content.decode()
    assert "Leave empty for a national network event." in html
