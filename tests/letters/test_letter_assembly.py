"""Assembling one constituency's letter: MP, covering group or national paragraph, event."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.cache import one_unit_of_work
from groups.demo import SOUTHAMPTON_PARAGRAPH
from letters.assembly import (
    MP_NAME_FALLBACK,
    SENDER_ADDRESS_FALLBACK,
    BulletList,
    EventDetails,
    Paragraph,
    SignOff,
    Visitor,
    assemble_letter,
    coverage_for,
)
from letters.models import Constituency, LetterPage
from letters.placeholders import unreplaced_placeholders
from letters.renderers import render_letter_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter_page(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")


@pytest.fixture
def uncovered(demo_site) -> Constituency:
    return Constituency.objects.create(
        gss_code="W07000081",
        name="Aberafan Maesteg",
        slug="aberafan-maesteg",
        nation="wales",
        region="wales",
        current_mp_name="Stephen Kinnock",
        current_mp_full_title="Rt Hon Stephen Kinnock MP",
    )


def test_southampton_test_letter_names_its_mp_group_and_achievements(letter_page):
    constituency = Constituency.objects.get(slug="southampton-test")
    letter = assemble_letter(letter_page, constituency)

    assert letter.salutation == "Dear Satvir Kaur"
    assert letter.recipient_lines[:2] == (
        "Satvir Kaur MP",
        "Member of Parliament for Southampton Test",
    )
    texts = [b.text for b in letter.blocks if isinstance(b, Paragraph)]
    for part in SOUTHAMPTON_PARAGRAPH.split("\n\n"):
        assert part in texts
    (achievements,) = [b for b in letter.blocks if isinstance(b, BulletList)]
    assert achievements.lead_in == "Two big achievements of City of Sanctuary Southampton are:"
    assert len(achievements.items) == 2
    assert any("15 schools" in item for item in achievements.items)
    assert any("July 2017" in item for item in achievements.items)
    (event,) = [b for b in letter.blocks if isinstance(b, EventDetails)]
    # The day, then its times, then the venue (issue 21: the time came before the date).
    assert "Monday 12 November 2018, 12:00 to 16:00" in event.lines
    assert "Attlee Suite, Portcullis House" in event.lines
    assert unreplaced_placeholders(render_letter_text(letter)) == []
    assert letter.filename_stem == "invite-your-mp-southampton-test"


def test_constituency_without_a_group_gets_the_national_paragraph(letter_page, uncovered):
    letter = assemble_letter(letter_page, uncovered)
    texts = [b.text for b in letter.blocks if isinstance(b, Paragraph)]
    assert letter_page.national_paragraph in texts
    assert not any("Southampton" in text for text in texts)
    # No group, so no achievements list; the network stands in for the group's name.
    assert not [b for b in letter.blocks if isinstance(b, BulletList)]
    assert any("A representative of City of Sanctuary will be there" in t for t in texts)


def test_vacant_seat_gets_the_seed_letters_salutation(letter_page, uncovered):
    uncovered.current_mp_name = ""
    uncovered.current_mp_full_title = ""
    letter = assemble_letter(letter_page, uncovered)
    assert letter.salutation == f"Dear {MP_NAME_FALLBACK}"
    assert letter.salutation == "Dear [add in the name of your MP]"
    assert letter.recipient_lines[0] == MP_NAME_FALLBACK


def test_missing_sender_falls_back_to_the_seed_letters_prompt(letter_page):
    letter = assemble_letter(letter_page, Constituency.objects.get(slug="southampton-test"))
    (sign_off,) = [b for b in letter.blocks if isinstance(b, SignOff)]
    assert sign_off.address_lines == (SENDER_ADDRESS_FALLBACK,)
    assert SENDER_ADDRESS_FALLBACK == "(Add your postal address)"


def test_visitor_details_fill_the_sign_off(letter_page):
    visitor = Visitor(name="Nia Ŵyn", address="1 High St\nSwansea SA1 1AA")
    letter = assemble_letter(
        letter_page, Constituency.objects.get(slug="southampton-test"), visitor=visitor
    )
    (sign_off,) = [b for b in letter.blocks if isinstance(b, SignOff)]
    assert sign_off.sender_name == "Nia Ŵyn"
    assert sign_off.address_lines == ("1 High St", "Swansea SA1 1AA")


def test_closed_group_does_not_cover_its_constituencies(letter_page):
    from groups.models import GroupStatus, LocalGroupPage

    LocalGroupPage.objects.filter(slug="southampton").update(status=GroupStatus.CLOSED)
    constituency = Constituency.objects.get(slug="southampton-test")
    assert coverage_for([constituency])[constituency.pk].group is None


def test_coverage_runs_the_same_queries_for_one_or_all_constituencies(letter_page, uncovered):
    one = [Constituency.objects.get(slug="southampton-test")]
    every = list(Constituency.objects.all())
    with one_unit_of_work():  # as in a request or the export task
        coverage_for(one)  # the first also reads what the public rule needs (core/query.py)
        with CaptureQueriesContext(connection) as for_one:
            coverage_for(one)
        with CaptureQueriesContext(connection) as for_all:
            coverage = coverage_for(every)
    assert len(for_one) == len(for_all) == 3
    assert coverage[uncovered.pk].group is None
    assert coverage[one[0].pk].group.slug == "southampton"


def test_assembly_with_coverage_given_runs_no_queries(letter_page):
    constituency = Constituency.objects.get(slug="southampton-test")
    coverage = coverage_for([constituency])[constituency.pk]
    letter_page.event  # noqa: B018 - load the event once, as the views do
    with CaptureQueriesContext(connection) as queries:
        assemble_letter(letter_page, constituency, coverage)
    assert len(queries) == 0
