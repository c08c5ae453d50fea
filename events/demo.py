"""Demo events: Sanctuary in Parliament 2018, Refugee Week events and the Ipswich workshop."""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from wagtail.models import Locale

from core.demo import child_page, give_pictures, paragraph
from events.models import EventIndexPage, EventPage

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def programme_item(start: str, end: str | None, title: str, description: str = "") -> tuple:
    return (
        "item",
        {
            "start": datetime.time.fromisoformat(start),
            "end": datetime.time.fromisoformat(end) if end else None,
            "title": title,
            "description": description,
        },
    )


@transaction.atomic
def load(home) -> EventIndexPage:
    index = child_page(
        home,
        EventIndexPage,
        "events",
        title="Events",
        show_in_menus=True,
        introduction="National and local events across the network. Add any of them to your calendar.",
    )
    child_page(
        index,
        EventPage,
        "sanctuary-in-parliament-2018",
        tags=("Sanctuary in Parliament", "Campaigning"),
        title="Sanctuary in Parliament 2018",
        strapline="Towards a Fairer System",
        start=london(2018, 11, 12, 12),
        end=london(2018, 11, 12, 16),
        venue_name="Attlee Suite, Portcullis House",
        venue_address="Bridge Street\nWestminster\nLondon SW1A 2LW",
        host="The All-Party Parliamentary Group (APPG) for Refugees",
        introduction=(
            "Our annual day in Parliament, when local groups and people seeking sanctuary from "
            "across the UK meet their MPs to talk about a fairer, more compassionate asylum system."
        ),
        programme=[
            programme_item("12:00", None, "Arrival and welcome"),
            programme_item(
                "12:15", None, "Opening", "The chair of the APPG for Refugees opens the afternoon."
            ),
            programme_item(
                "12:30",
                "13:30",
                "Cross-party MP and refugee panel",
                "MPs from several parties and people with lived experience of seeking sanctuary "
                "discuss the issues, followed by questions.",
            ),
            programme_item(
                "13:30", "16:00", "Meet your MP", "Constituents and local groups meet their MPs."
            ),
        ],
        booking_instructions="Local groups register their delegations with the national office.",
    )

    organisers = EventPage._meta.get_field("organiser").related_model.objects
    groups = {group.slug: group for group in organisers.filter(slug__in=["southampton", "ipswich"])}
    if southampton := groups.get("southampton"):
        child_page(
            southampton,
            EventPage,
            "refugee-week-celebration-2027",
            tags=("Refugee Week",),
            title="Refugee Week celebration 2027",
            start=london(2027, 6, 19, 11),
            end=london(2027, 6, 19, 17),
            venue_name="Guildhall Square",
            venue_address="Southampton SO14 7FP",
            introduction="Music, food and stories from Southampton's communities to open Refugee Week.",
            body=[paragraph("Everyone is welcome. The square is step-free and the event is free.")],
        )
    if ipswich := groups.get("ipswich"):
        child_page(
            ipswich,
            EventPage,
            "council-staff-workshop",
            tags=("Training",),
            title="Workshop for council staff on immigration topics",
            start=london(2014, 10, 8, 14),
            end=london(2014, 10, 8, 16),
            venue_name="Ipswich Borough Council, Grafton House",
            venue_address="Grafton House\n15-17 Russell Road\nIpswich IP1 2DE",
            introduction=(
                "A joint session for councillors and officers on high-skilled migrants, spousal "
                "visas and no recourse to public funds, asylum and refugees, and the European "
                "Economic Area."
            ),
        )
        child_page(
            ipswich,
            EventPage,
            "refugee-week-2027",
            tags=("Refugee Week",),
            title="Refugee Week in Ipswich 2027",
            start=london(2027, 6, 22, 18),
            end=london(2027, 6, 22, 21),
            venue_name="Ipswich Town Hall",
            venue_address="Cornhill\nIpswich IP1 1DH",
            introduction="An evening of welcome with films and food, open to all.",
        )
    return index


@transaction.atomic
def load_pictures() -> int:
    """A drawn, decorative picture (core/demo.py) for every published event that has none (as
    groups/demo.py does for groups). Returns how many got one."""
    events = EventPage.objects.filter(
        locale=Locale.get_default(), live=True, has_unpublished_changes=False
    ).order_by("path")
    return give_pictures(events, "event")
