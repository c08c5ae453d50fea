"""The demo's wider network: ten more groups, in every English region and in Scotland, Wales
and Northern Ireland, so the directory, the map and the home page look like the real network.

What is real, and where it comes from: each group's name, place, kind ("City", "Borough",
"Community" of Sanctuary), nation and region, from the City of Sanctuary network's public
list of local groups (https://cityofsanctuary.org/groups/) and each group's own public site
on the network (https://<slug>.cityofsanctuary.org/, the `website` below), read in November
2026; the constituencies each covers are those whose 2024 names carry its place (Glasgow's
six, Cardiff's four...), from ../shared/data/dfe_mp_lookup.csv; the map positions are the
places' town or city centres. Glasgow's page on the network invites people to start activities
there, so its group is shown as forming.

Everything else is sample content written for this demo and says so where it is shown:
the sentence of what such a group does, the achievements (generic awards, never a claim that
a real school or council holds one, and never featured in letters to real MPs), the updates
and the events. No person is named. Nothing here is the groups' own words.
"""

import datetime
from dataclasses import dataclass

from core.demo import child_page, paragraph
from events.demo import london
from events.models import EventPage
from groups.models import (
    AchievementKind,
    AchievementPage,
    GroupIndexPage,
    GroupKind,
    GroupStatus,
    GroupUpdatePage,
    LocalGroupPage,
    Nation,
    Region,
)

SAMPLE_NOTICE = (
    "Sample content: this demonstration page uses the real group's name and place, from the "
    "network's public list of local groups; the rest of it is illustrative, not the group's "
    "own words, news or achievements. Visit the group's own website for the real thing."
)


@dataclass(frozen=True)
class Update:
    slug: str
    title: str
    date: datetime.date
    text: str  # "{place}" is filled with the group's place


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    date: datetime.date
    start: str  # "11:00", Europe/London
    end: str
    text: str  # "{place}" is filled with the group's place
    tags: tuple[str, ...]


@dataclass(frozen=True)
class DemoGroup:
    slug: str
    title: str
    kind: str
    nation: str
    region: str
    place: str
    latitude: str
    longitude: str
    constituencies: tuple[str, ...]  # GSS codes, linked when ../shared/data was loaded
    award: str  # an AchievementKind: the stream of a generic, sample award
    award_date: datetime.date
    update: Update | None = None
    event: Event | None = None
    status: str = GroupStatus.ACTIVE

    @property
    def website(self) -> str:
        return f"https://{self.slug}.cityofsanctuary.org/"


WELCOME_CAFE = Update(
    "welcome-cafe-reopens",
    "Our welcome café is open again on Saturdays",
    datetime.date(2026, 10, 3),
    "A warm room, hot drinks and English conversation for newcomers and neighbours in {place}, "
    "every Saturday morning, run by volunteers and people seeking sanctuary together.",
)
VOLUNTEERS = Update(
    "thank-you-volunteers",
    "Thank you to our volunteers",
    datetime.date(2026, 9, 12),
    "This year volunteers in {place} welcomed new arrivals at the station, ran English "
    "conversation groups and helped families find their way around the city's services.",
)
SCHOOLS_NETWORK = Update(
    "schools-network-meets",
    "Schools in our network meet to share ideas",
    datetime.date(2026, 11, 7),
    "Teachers from schools across {place} met to share how they welcome pupils seeking "
    "sanctuary and what they have learned on the way to a School of Sanctuary award.",
)

REFUGEE_WEEK = Event(
    "refugee-week-2027",
    "Refugee Week 2027 welcome picnic",
    datetime.date(2027, 6, 19),
    "12:00",
    "16:00",
    "Food, music and games for everyone in {place}, to open Refugee Week 2027.",
    ("Refugee Week",),
)
SANCTUARY_TALK = Event(
    "what-sanctuary-means",
    "What sanctuary means: an evening of stories",
    datetime.date(2027, 3, 18),
    "18:30",
    "20:30",
    "People who have sought sanctuary in {place} share their stories, with time for questions.",
    ("Talks",),
)
SCHOOLS_TRAINING = Event(
    "schools-of-sanctuary-training",
    "Becoming a School of Sanctuary: an introduction for teachers",
    datetime.date(2026, 5, 13),
    "16:00",
    "17:30",
    "How a school in {place} learns about sanctuary, takes action and shares what it does.",
    ("Training", "Schools of Sanctuary"),
)

# The table: one row a group, north to south within each nation.
NETWORK: tuple[DemoGroup, ...] = (
    DemoGroup(
        "newcastle", "Newcastle City of Sanctuary", GroupKind.CITY, Nation.ENGLAND,
        Region.NORTH_EAST, "Newcastle upon Tyne", "54.97328", "-1.61396",
        ("E14001377", "E14001378", "E14001379"),
        AchievementKind.SCHOOL, datetime.date(2025, 7, 10), SCHOOLS_NETWORK, None,
    ),
    DemoGroup(
        "manchester", "Manchester City of Sanctuary", GroupKind.CITY, Nation.ENGLAND,
        Region.NORTH_WEST, "Manchester", "53.48076", "-2.24263",
        ("E14001352", "E14001353", "E14001354"),
        AchievementKind.LIBRARY, datetime.date(2025, 11, 20), None, REFUGEE_WEEK,
    ),
    DemoGroup(
        "sheffield", "City of Sanctuary Sheffield", GroupKind.CITY, Nation.ENGLAND,
        Region.YORKSHIRE, "Sheffield", "53.38112", "-1.47009",
        ("E14001466", "E14001467", "E14001468", "E14001469", "E14001470"),
        AchievementKind.UNIVERSITY, datetime.date(2024, 10, 1), VOLUNTEERS, REFUGEE_WEEK,
    ),
    DemoGroup(
        "leicester", "Leicester City of Sanctuary", GroupKind.CITY, Nation.ENGLAND,
        Region.EAST_MIDLANDS, "Leicester", "52.63692", "-1.13975",
        ("E14001326", "E14001327", "E14001328"),
        AchievementKind.SPORT, datetime.date(2026, 2, 14), WELCOME_CAFE, None,
    ),
    DemoGroup(
        "birmingham", "Birmingham City of Sanctuary", GroupKind.CITY, Nation.ENGLAND,
        Region.WEST_MIDLANDS, "Birmingham", "52.48142", "-1.89983",
        ("E14001092", "E14001093", "E14001094", "E14001095", "E14001096", "E14001097",
         "E14001098", "E14001099", "E14001100"),
        AchievementKind.SCHOOL, datetime.date(2024, 6, 20), None, None,
    ),
    DemoGroup(
        "lewisham", "Lewisham Borough of Sanctuary", GroupKind.BOROUGH, Nation.ENGLAND,
        Region.LONDON, "Lewisham", "51.46150", "-0.01390",
        ("E14001331", "E14001332", "E14001333"),
        AchievementKind.HEALTH, datetime.date(2025, 3, 5), VOLUNTEERS, None,
    ),
    DemoGroup(
        "bristol", "Bristol City of Sanctuary", GroupKind.CITY, Nation.ENGLAND,
        Region.SOUTH_WEST, "Bristol", "51.45452", "-2.58791",
        ("E14001131", "E14001132", "E14001133", "E14001134", "E14001135"),
        AchievementKind.ARTS, datetime.date(2025, 6, 18), None, REFUGEE_WEEK,
    ),
    DemoGroup(
        "glasgow", "Glasgow City of Sanctuary", GroupKind.CITY, Nation.SCOTLAND,
        Region.SCOTLAND, "Glasgow", "55.86424", "-4.25181",
        ("S14000084", "S14000085", "S14000086", "S14000087", "S14000088", "S14000089"),
        AchievementKind.OTHER, datetime.date(2026, 8, 27), None, SANCTUARY_TALK,
        status=GroupStatus.FORMING,
    ),
    DemoGroup(
        "cardiff", "Cardiff City of Sanctuary", GroupKind.CITY, Nation.WALES,
        Region.WALES, "Cardiff", "51.48158", "-3.17909",
        ("W07000089", "W07000090", "W07000091", "W07000092"),
        AchievementKind.UNIVERSITY, datetime.date(2025, 9, 30), SCHOOLS_NETWORK, REFUGEE_WEEK,
    ),
    DemoGroup(
        "belfast", "Belfast City of Sanctuary", GroupKind.CITY, Nation.NORTHERN_IRELAND,
        Region.NORTHERN_IRELAND, "Belfast", "54.59729", "-5.93012",
        ("N05000001", "N05000002", "N05000003", "N05000004"),
        AchievementKind.SCHOOL, datetime.date(2026, 3, 12), WELCOME_CAFE, SCHOOLS_TRAINING,
    ),
)  # fmt: skip

# A generic, sample achievement for each award stream a row names.
AWARDS = {
    AchievementKind.SCHOOL: ("Schools of Sanctuary", "Schools in {place} learn about sanctuary, "
                             "welcome pupils seeking it and share what they do."),
    AchievementKind.UNIVERSITY: ("A University of Sanctuary", "A university in {place} offers "
                                 "scholarships and a welcome to students seeking sanctuary."),
    AchievementKind.LIBRARY: ("Libraries of Sanctuary", "Libraries in {place} welcome newcomers "
                              "with conversation groups and help finding their way."),
    AchievementKind.SPORT: ("A Sport of Sanctuary club", "A sports club in {place} opens its "
                            "training sessions to people seeking sanctuary."),
    AchievementKind.HEALTH: ("Health services of Sanctuary", "Health services in {place} make "
                             "sure people seeking sanctuary can register and be understood."),
    AchievementKind.ARTS: ("Arts of Sanctuary", "Arts organisations in {place} welcome people "
                           "seeking sanctuary as audiences, artists and volunteers."),
    AchievementKind.REFUGEE_WEEK: ("Refugee Week festival", "A festival in {place} celebrates "
                                   "the people who have found sanctuary there."),
    AchievementKind.OTHER: ("First public meeting", "People in {place} met to talk about "
                            "starting a City of Sanctuary group together."),
}  # fmt: skip


# What such a group does, one line a group in turn: generic, as the introductions say.
WORK = (
    "welcomes newcomers with conversation groups, shared meals and help finding their way",
    "works with schools, libraries and health services to make {place} more welcoming",
    "brings people seeking sanctuary and their neighbours together through music, sport and food",
    "asks local organisations to pledge their welcome and include people seeking sanctuary",
)


def sample(text: str) -> str:
    return f"Sample content: {text}"


def load(index: GroupIndexPage) -> list[LocalGroupPage]:
    """Each group of the table, with its achievement, update and event; a page already there
    (by slug) is left as it is, so loading again changes nothing."""
    Constituency = LocalGroupPage._meta.get_field("constituencies").related_model
    groups = []
    for number, row in enumerate(NETWORK):
        work = WORK[number % len(WORK)].format(place=row.place)
        group = child_page(
            index,
            LocalGroupPage,
            row.slug,
            title=row.title,
            kind=row.kind,
            nation=row.nation,
            region=row.region,
            status=row.status,
            introduction=sample(
                f"like many groups in the City of Sanctuary network, a group in {row.place} {work}."
            ),
            letter_paragraph=(
                f"{row.title} brings together local organisations, faith groups, schools and "
                f"people seeking sanctuary to build a culture of welcome in {row.place}."
            ),
            body=[paragraph(SAMPLE_NOTICE)],
            website=row.website,
            latitude=row.latitude,
            longitude=row.longitude,
            # Lazy: read only when the group is made, and empty without ../shared/data.
            constituencies=Constituency.objects.filter(gss_code__in=row.constituencies),
        )
        title, summary = AWARDS[row.award]
        child_page(
            group,
            AchievementPage,
            f"{row.award}-award",
            title=title,
            kind=row.award,
            date_achieved=row.award_date,
            summary=sample(summary.format(place=row.place)),
        )
        if row.update is not None:
            child_page(
                group,
                GroupUpdatePage,
                row.update.slug,
                title=row.update.title,
                date=row.update.date,
                introduction=sample(row.update.text.format(place=row.place)),
            )
        if row.event is not None:
            _event(group, row.event, row.place)
        groups.append(group)
    return groups


def _event(group: LocalGroupPage, event: Event, place: str) -> EventPage:
    day = (event.date.year, event.date.month, event.date.day)
    return child_page(
        group,
        EventPage,
        event.slug,
        tags=event.tags,
        title=event.title,
        start=london(*day, *map(int, event.start.split(":"))),
        end=london(*day, *map(int, event.end.split(":"))),
        venue_name="Sample venue",
        venue_address=place,
        introduction=sample(event.text.format(place=place)),
        body=[paragraph(SAMPLE_NOTICE)],
    )
