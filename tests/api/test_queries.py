"""List endpoints cost the same number of queries for 1 item as for 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from groups.models import GroupIndexPage
from letters.models import Constituency, LetterIndexPage, LetterPage
from tests.groups.factories import LocalGroupPageFactory

MANY = 50


@pytest.fixture
def fifty_of_everything(demo_site, uncached) -> None:
    """At least 50 live groups, events, constituencies and letters beside the demo content.

    Uncached: the views are measured, not a cache in front of them."""
    group_index = GroupIndexPage.objects.get()
    groups = [LocalGroupPageFactory(parent=group_index) for _ in range(MANY)]
    event_index = EventIndexPage.objects.get()
    start = timezone.now() + datetime.timedelta(days=1)
    for number in range(MANY):
        event = EventPage(
            title=f"Event {number}",
            slug=f"event-{number}",
            start=start + datetime.timedelta(days=number),
            end=start + datetime.timedelta(days=number, hours=2),
            organiser=groups[number] if number % 2 else None,
        )
        event_index.add_child(instance=event)
        event.tags.add("welcome", f"topic-{number % 3}")
        event.save_revision().publish()
    Constituency.objects.bulk_create(
        Constituency(
            gss_code=f"E9{number:07d}",
            name=f"Seat {number}",
            slug=f"seat-{number}",
            nation="england",
            region="london",
            current_mp_name=f"MP {number}",
        )
        for number in range(MANY)
    )
    letter_index = LetterIndexPage.objects.get()
    linked_event = EventPage.objects.first()
    for number in range(MANY):
        letter = LetterPage(title=f"Letter {number}", slug=f"letter-{number}", event=linked_event)
        letter_index.add_child(instance=letter)
        letter.save_revision().publish()


LIST_ENDPOINTS = [
    "/api/v3/groups/",
    "/api/v3/groups/?region=north-west",
    "/api/v3/events/",
    "/api/v3/events/?tag=welcome",
    "/api/v3/constituencies/",
    "/api/v3/constituencies/?q=seat",
    "/api/v3/letters/",
]


# One test for every endpoint: building 50 groups, events and letters is the slow part.
def test_list_endpoints_run_in_fixed_queries_for_1_or_50_items(
    client, fifty_of_everything, django_assert_num_queries
):
    for endpoint in LIST_ENDPOINTS:
        separator = "&" if "?" in endpoint else "?"
        client.get(f"{endpoint}{separator}limit=2")  # fills per-process caches (site root paths)
        with CaptureQueriesContext(connection) as one_item:
            response = client.get(f"{endpoint}{separator}limit=1")
        assert len(response.json()["items"]) == 1, endpoint
        with django_assert_num_queries(len(one_item)):
            response = client.get(f"{endpoint}{separator}limit={MANY}")
        assert len(response.json()["items"]) == MANY, endpoint
