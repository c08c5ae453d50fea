"""groups/demo_network.py: the demo's wider network, in the test demo as in `make run`."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Collection, Page, Revision

from core.choices import Nation, Region
from events.models import EventPage
from groups import demo_network
from groups.models import (
    AchievementPage,
    GroupIndexPage,
    GroupUpdatePage,
    LocalGroupPage,
)
from letters.importers import import_constituencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(demo_site) -> dict[str, LocalGroupPage]:
    groups = LocalGroupPage.objects.filter(slug__in=[row.slug for row in demo_network.NETWORK])
    return {group.slug: group for group in groups}


def test_the_demo_has_a_live_group_in_every_nation_and_english_region(network):
    live = LocalGroupPage.objects.live()
    assert len(network) == len(demo_network.NETWORK) >= 8
    for region in Region:
        assert live.filter(region=region).exists(), region
    for nation in Nation:
        assert live.filter(nation=nation).exists(), nation


def test_every_network_group_has_a_marker_on_the_directory_map(client, network):
    html = client.get("/groups/").content.decode()
    start = html.index('<svg class="groups-map__svg"')  # the header's mark is an svg too
    svg = html[start : html.index("</svg>", start)]
    labels = re.findall(r'<a class="groups-map__marker" href="([^"]+)" aria-label="([^"]+)"', svg)
    for group in network.values():
        assert (group.url, group.title) in labels


def test_each_network_group_has_its_achievement_update_and_event(network):
    for row in demo_network.NETWORK:
        group = network[row.slug]
        assert AchievementPage.objects.live().child_of(group).filter(kind=row.award).exists()
        updates = GroupUpdatePage.objects.live().child_of(group)
        assert updates.filter(slug=row.update.slug).exists() if row.update else not updates
        events = EventPage.objects.live().child_of(group)
        if row.event:
            assert events.get(slug=row.event.slug).organiser_id == group.pk
        else:
            assert not events.exists()
    assert sum(row.update is not None for row in demo_network.NETWORK) >= 5
    assert sum(row.event is not None for row in demo_network.NETWORK) >= 5


def test_network_content_is_marked_as_sample_and_stays_out_of_letters(network):
    """The groups are real; what the demo says they did is not, and says so where shown."""
    for group in network.values():
        assert group.introduction.startswith("Sample content: ")
        assert demo_network.SAMPLE_NOTICE in str(group.body)
        assert not group.member_organisations.exists()  # no invented members
        assert group.website == f"https://{group.slug}.cityofsanctuary.org/"
        achievements = AchievementPage.objects.child_of(group)
        assert all(page.summary.startswith("Sample content: ") for page in achievements)
        assert not achievements.filter(feature_in_letters=True).exists()
        for update in GroupUpdatePage.objects.child_of(group):
            assert update.introduction.startswith("Sample content: ")
        for event in EventPage.objects.child_of(group):
            assert event.introduction.startswith("Sample content: ")
            assert demo_network.SAMPLE_NOTICE in str(event.body)


def test_loading_the_demo_again_changes_nothing(network):
    counted = (Page, Revision, Group, Collection, get_user_model(), EventPage, AchievementPage)
    before = {model: model.objects.count() for model in counted}
    call_command(
        "load_demo_content", without_shared_data=True, without_welsh=True, stdout=io.StringIO()
    )
    assert {model: model.objects.count() for model in counted} == before


def test_network_groups_cover_their_places_constituencies_from_the_shared_data(
    demo_site, shared_data
):
    import_constituencies(shared_data / "dfe_mp_lookup.csv")
    # A second directory, so the table's groups are made afresh now the constituencies exist.
    index = GroupIndexPage(title="More groups", slug="more-groups")
    demo_site.add_child(instance=index)

    groups = {group.slug: group for group in demo_network.load(index)}

    for row in demo_network.NETWORK:
        covered = groups[row.slug].constituencies.all()
        assert {c.gss_code for c in covered} == set(row.constituencies)
        # The table's rule: the seats whose names carry the place, in the group's nation.
        place = row.place.split()[0]
        assert all(place in c.name and c.nation == row.nation for c in covered), row.slug
