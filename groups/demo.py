"""Demo groups: City of Sanctuary Southampton and Ipswich Town of Sanctuary."""

import datetime
import os
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale

from core.demo import child_page, give_pictures, paragraph
from groups import demo_network
from groups.models import (
    AchievementKind,
    AchievementPage,
    GroupEditorAccess,
    GroupIndexPage,
    GroupKind,
    GroupMemberOrganisation,
    GroupUpdatePage,
    LocalGroupPage,
    Nation,
    Region,
)
from groups.permissions import add_group_editor

SOUTHAMPTON_PARAGRAPH = (
    "City of Sanctuary Southampton works to make Southampton a warm and welcoming place for "
    "refugees and people seeking asylum. Its members include CLEAR, the Southampton and "
    "Winchester Visitors Group, World Stages Now and Southampton Action, among others.\n\n"
    "The group runs events and activities that bring sanctuary seekers and local people "
    "together, encourages local organisations to consider the needs of people seeking asylum, "
    "and helps sanctuary seekers reach their potential in the city. Every June it celebrates "
    "Refugee Week, and it keeps growing its network across Southampton."
)

IPSWICH_PARAGRAPH = (
    "Ipswich Town of Sanctuary works with Ipswich Borough Council and local organisations to "
    "welcome, include and raise awareness about people seeking sanctuary in Ipswich. The "
    "council passed a resolution supporting Ipswich as a Town of Sanctuary in October 2012."
)


@transaction.atomic
def load(home, report=print) -> GroupIndexPage:
    index = child_page(
        home,
        GroupIndexPage,
        "groups",
        title="Local groups",
        show_in_menus=True,
        introduction="Find the City of Sanctuary group near you, see what it has achieved and get involved.",
    )
    southampton = _southampton(index)
    ipswich = _ipswich(index)
    demo_network.load(index)  # ten more groups across the nations and regions
    for group in (southampton, ipswich):
        _demo_editor(group, report)
    return index


def _demo_editor(group: LocalGroupPage, report) -> None:
    """One editor account per demo group, e.g. southampton-editor, to try the editing rights."""
    User = get_user_model()
    username = f"{group.slug}-editor"
    if User.objects.filter(username=username).exists():
        return
    password = os.environ.get("DEMO_EDITOR_PASSWORD") or secrets.token_urlsafe(12)
    user = User.objects.create_user(
        username, f"{username}@example.org", password, first_name=group.title.split()[-1]
    )
    add_group_editor(group, user)
    shown = "(from DEMO_EDITOR_PASSWORD)" if os.environ.get("DEMO_EDITOR_PASSWORD") else password
    report(f"Created editor '{username}' for {group.title} with password: {shown}")


def _group(
    index, slug: str, members: list[str], constituency_codes: list[str], **fields
) -> LocalGroupPage:
    existing = index.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    group = LocalGroupPage(slug=slug, **fields)
    Constituency = LocalGroupPage._meta.get_field("constituencies").related_model
    group.constituencies = list(Constituency.objects.filter(gss_code__in=constituency_codes))
    for order, name in enumerate(members):
        group.member_organisations.add(GroupMemberOrganisation(name=name, sort_order=order))
    index.add_child(instance=group)
    group.save_revision().publish()
    return group


def _southampton(index) -> LocalGroupPage:
    group = _group(
        index,
        "southampton",
        [
            "CLEAR",
            "Southampton and Winchester Visitors Group",
            "World Stages Now",
            "Southampton Action",
        ],
        ["E14001499", "E14001500", "E14001449"],
        title="City of Sanctuary Southampton",
        kind=GroupKind.CITY,
        nation=Nation.ENGLAND,
        region=Region.SOUTH_EAST,
        date_founded=datetime.date(2013, 1, 1),
        council_resolution_date=datetime.date(2017, 7, 19),
        council_resolution_text=(
            "Southampton City Council endorsed a pledge recognising Southampton as a City of "
            "Sanctuary, with support from both Labour and Conservative councillors."
        ),
        introduction=(
            "Making Southampton a warm and welcoming city for refugees and people seeking asylum."
        ),
        letter_paragraph=SOUTHAMPTON_PARAGRAPH,
        contact_email="southampton@example.org",
        latitude="50.90970",
        longitude="-1.40435",
    )
    child_page(
        group,
        AchievementPage,
        "schools-of-sanctuary",
        title="Over 15 Schools of Sanctuary",
        kind=AchievementKind.SCHOOL,
        date_achieved=datetime.date(2018, 6, 1),
        count=15,
        count_label="schools",
        summary=(
            "More than 15 schools in the city have been recognised as Schools of Sanctuary for "
            "learning about refugees and asylum, welcoming sanctuary seekers and sharing what "
            "they know with others."
        ),
        feature_in_letters=True,
    )
    child_page(
        group,
        AchievementPage,
        "council-pledge",
        title="Council pledge of sanctuary",
        kind=AchievementKind.COUNCIL,
        date_achieved=datetime.date(2017, 7, 19),
        summary=(
            "In July 2017 Southampton City Council endorsed a pledge formally recognising "
            "Southampton as a City of Sanctuary, with cross-party support from Labour and "
            "Conservative councillors."
        ),
        feature_in_letters=True,
    )
    child_page(
        group,
        AchievementPage,
        "refugee-week",
        title="Refugee Week every June",
        kind=AchievementKind.REFUGEE_WEEK,
        date_achieved=datetime.date(2018, 6, 18),
        summary="The group marks Refugee Week every June with a celebration of welcome across the city.",
    )
    return group


def _ipswich(index) -> LocalGroupPage:
    group = _group(
        index,
        "ipswich",
        ["Ipswich and Suffolk Council for Racial Equality", "Suffolk Refugee Support"],
        ["E14001302", "E14001156"],
        title="Ipswich Town of Sanctuary",
        kind=GroupKind.TOWN,
        nation=Nation.ENGLAND,
        region=Region.EAST_OF_ENGLAND,
        date_founded=datetime.date(2011, 11, 1),
        council_resolution_date=datetime.date(2012, 10, 31),
        council_resolution_text=(
            "Ipswich Borough Council resolved to support Ipswich becoming a Town of Sanctuary."
        ),
        introduction="Welcoming and including people seeking sanctuary in Ipswich since 2011.",
        letter_paragraph=IPSWICH_PARAGRAPH,
        contact_email="ipswich@example.org",
        latitude="52.05917",
        longitude="1.15545",
    )
    child_page(
        group,
        AchievementPage,
        "council-resolution",
        title="Council resolution of support",
        kind=AchievementKind.COUNCIL,
        date_achieved=datetime.date(2012, 10, 31),
        summary=(
            "On 31 October 2012 Ipswich Borough Council passed a resolution supporting Ipswich "
            "becoming a Town of Sanctuary."
        ),
        feature_in_letters=True,
    )
    child_page(
        group,
        GroupUpdatePage,
        "what-has-happened-since-the-resolution",
        title="What has happened since the resolution was passed?",
        date=datetime.date(2014, 4, 14),
        introduction=(
            "Since the council's resolution in October 2012, we have been working out how to "
            "collaborate with the council to welcome and include sanctuary seekers in Ipswich."
        ),
        body=[
            paragraph(
                "The City of Sanctuary movement encourages communities to take pride in offering "
                "safety to people whose lives are threatened, and to celebrate what they bring "
                "to our towns and cities. Its focus is people forced to seek sanctuary, while "
                "a culture of hospitality benefits other migrants and host communities too.\n\n"
                "Early this year we met to discuss what information council staff would find "
                "most useful ahead of the European elections, when misleading claims about "
                "migration were likely. Our aim is to give staff the facts and figures so they "
                "feel able to answer negative views with confidence."
            ),
            ("heading", {"text": "A workshop for council staff", "level": "h2"}),
            paragraph(
                "We proposed a workshop covering high-skilled migrants, spousal visas and no "
                "recourse to public funds, asylum seekers and refugees, and the European "
                "Economic Area. Rather than printing leaflets, we will email staff the most "
                "useful information with its sources, because terms and rules change often.\n\n"
                "We would also like Inderjit Bhogal OBE, the founder of City of Sanctuary, to "
                "give the council a short talk about the movement and what other councils have "
                "done.\n\n"
                "The proposal went to the Councillor Development Panel. Because of purdah its "
                "next meeting is in June, so the workshop could not happen before the "
                "elections; the hope is to hold a joint councillor and officer session later "
                "in the year."
            ),
        ],
    )
    return group


@transaction.atomic
def load_swansea(index: GroupIndexPage, report=print) -> LocalGroupPage:
    """Swansea City of Sanctuary, a Welsh group that works in both languages: its page is
    translated into Welsh by the Welsh demo (network/demo.py), and `swansea-editor` edits both."""
    group = _group(
        index,
        "swansea",
        ["Swansea Asylum Seekers Support", "Swansea University"],
        [],
        title="Swansea City of Sanctuary",
        kind=GroupKind.CITY,
        nation=Nation.WALES,
        region=Region.WALES,
        date_founded=datetime.date(2010, 1, 1),
        introduction=(
            "Swansea became a City of Sanctuary in 2010: a city proud to welcome people seeking "
            "sanctuary, in English and in Welsh."
        ),
        letter_paragraph=(
            "Swansea City of Sanctuary brings together local organisations, faith groups and "
            "people seeking sanctuary to make the city a welcoming place."
        ),
        contact_email="swansea@example.org",
        latitude="51.62144",
        longitude="-3.94382",
    )
    _demo_editor(group, report)
    return group


GROUP_PICTURE_ALT = "Illustration for {title}: rooftops and green hills under a yellow sun"


@transaction.atomic
def load_pictures() -> int:
    """A drawn picture (core/demo.py) for every published group, achievement and update that
    has none, whoever's loader made it: groups get alt text, achievements' and updates' pictures
    are decorative. Pages with unpublished changes are left alone, as are other languages'
    (a translation is synced from its source by its editors). Returns how many got one."""

    def pages(model):
        return model.objects.filter(
            locale=Locale.get_default(), live=True, has_unpublished_changes=False
        ).order_by("path")

    def collection_of(group: LocalGroupPage):
        access = GroupEditorAccess.objects.filter(group_page=group).first()
        return access.collection if access is not None else None

    return (
        give_pictures(pages(LocalGroupPage), "group", GROUP_PICTURE_ALT, collection_of)
        + give_pictures(pages(AchievementPage), "achievement")
        + give_pictures(pages(GroupUpdatePage), "update")
    )
