"""One-line fields hold one line: every CharField-like field of every project model and of the
library models editors name things in (found by
introspection, so a new field is covered without editing this file) refuses line breaks and
other control characters with a message naming the character, through `full_clean()`, the
admin's forms and the API's writes; the importers normalise them to spaces."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import APIToken, Page

from core.single_line import as_single_line, covered_models, single_line_fields
from groups.models import AchievementPage, LocalGroupPage
from letters.importers import parse_constituency_csv
from letters.members_api import MembersAPIClient
from letters.models import Constituency
from tests.groups.factories import national_staff_user
from tests.groups.test_permissions import achievement_form

pytestmark = pytest.mark.django_db

CONTROL_CHARACTERS = {
    "CRLF": "\r\n",
    "LF": "\n",
    "TAB": "\t",
    "NUL": "\x00",
    "DEL": "\x7f",
    "C1 NEL": "\x85",
    "LINE SEPARATOR": "\u2028",
    "PARAGRAPH SEPARATOR": "\u2029",
}
FIELDS = [
    pytest.param(model, field.name, id=f"{model._meta.label}.{field.name}")
    for model in covered_models()
    for field in single_line_fields(model)
]


def test_the_introspection_finds_the_fields_the_issue_names():
    names = {f"{model._meta.label}.{name}" for model, name in (p.values for p in FIELDS)}
    assert {
        "network.StandardPage.title",
        "network.StandardPage.slug",
        "network.StandardPage.seo_title",
        "network.NetworkSettings.network_name",
        "network.NetworkSettings.contact_email",
        "letters.Constituency.name",
        "letters.Constituency.current_mp_party",
        "groups.GroupMemberOrganisation.name",
        "groups.LocalGroupPage.website",
        "events.EventPage.venue_name",
        "auth.User.first_name",
        "wagtailimages.Image.title",
        "wagtailcore.Collection.name",
    } <= names


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
@pytest.mark.parametrize(("model", "field_name"), FIELDS)
def test_full_clean_refuses_a_control_character(model, field_name, character):
    field = model._meta.get_field(field_name)
    instance = model()
    setattr(instance, field.attname, f"ab{character}cd")
    with pytest.raises(ValidationError) as refused:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    messages = refused.value.message_dict[field_name]
    if field.choices:
        return  # refused as "not a valid choice" before any other validator runs
    assert any("Use a single line of text: remove the U+" in m for m in messages), messages
    assert any("at character 3" in m for m in messages), messages


def test_the_message_names_the_character():
    page = Page(title="Spring\r\nmeeting", slug="spring")
    with pytest.raises(ValidationError) as refused:
        page.full_clean(validate_unique=False, validate_constraints=False)
    assert refused.value.message_dict["title"] == [
        "Use a single line of text: remove the U+000D (carriage return) at character 7."
    ]


@pytest.mark.parametrize(("model", "field_name"), FIELDS)
def test_ordinary_text_is_not_refused_as_a_control_character(model, field_name):
    field = model._meta.get_field(field_name)
    for validator in field.validators:
        validator_name = type(validator).__name__
        if validator_name == "SingleLineValidator":
            validator("Ünïcödé, “quotes” & spaces — fine")
            return
    pytest.fail(f"{field_name} has no single-line validator")


def test_manage_py_check_is_clean_with_every_field_covered():
    call_command("check", fail_level="ERROR")


@pytest.fixture
def achievement(demo_site) -> AchievementPage:
    return AchievementPage.objects.child_of(LocalGroupPage.objects.get(slug="southampton")).first()


def test_admin_page_form_refuses_a_line_break_in_the_title(client, achievement):
    client.force_login(national_staff_user())
    old_title = achievement.title
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[achievement.pk]),
        {
            **achievement_form(achievement, title="Award\r\nBcc: x@example.org"),
            "action-publish": "",
        },
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert "remove the U+000D (carriage return) at character 6" in response.content.decode()
    achievement.refresh_from_db()
    assert achievement.title == old_title
    assert achievement.get_latest_revision_as_object().title == old_title


def test_admin_model_form_refuses_a_line_break_in_a_constituency_name(client, demo_site):
    constituency = Constituency.objects.order_by("pk").first()
    client.force_login(national_staff_user())
    response = client.post(
        reverse("constituencies:edit", args=[constituency.pk]),
        {
            "name": "Holborn\u2028St Pancras",
            "slug": constituency.slug,
            "gss_code": constituency.gss_code,
            "nation": constituency.nation,
            "region": constituency.region,
            "current_mp_name": constituency.current_mp_name,
            "current_mp_full_title": constituency.current_mp_full_title,
            "current_mp_party": constituency.current_mp_party,
            "current_mp_member_id": constituency.current_mp_member_id or "",
            "current_mp_email": constituency.current_mp_email,
        },
    )
    assert response.status_code == 200
    assert "remove the U+2028 (line separator) at character 8" in response.content.decode()
    assert Constituency.objects.get(pk=constituency.pk).name == constituency.name


def test_api_patch_refuses_a_line_break_in_the_title(client, achievement):
    _, secret = APIToken.create_token(user=national_staff_user(), name="tests")
    old_title = achievement.get_latest_revision_as_object().title
    response = client.patch(
        f"/api/v3/pages/{achievement.pk}/",
        data=json.dumps({"title": "Award\nBcc: x@example.org"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "type": "single_line",
            "loc": ["title"],
            "msg": "Use a single line of text: remove the U+000A (line feed) at character 6.",
        }
    ]
    achievement.refresh_from_db()
    assert achievement.get_latest_revision_as_object().title == old_title


def test_api_create_refuses_a_tab_in_the_title_and_creates_nothing(client, achievement):
    _, secret = APIToken.create_token(user=national_staff_user(), name="tests")
    parent = achievement.get_parent()
    before = Page.objects.count()
    response = client.post(
        "/api/v3/pages/",
        data=json.dumps(
            {
                "meta": {"type": "groups.GroupUpdatePage", "parent_id": parent.pk},
                "title": "News\tfrom the API",
                "introduction": "Written by a headless client.",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["msg"] == (
        "Use a single line of text: remove the U+0009 (tab) at character 5."
    )
    assert Page.objects.count() == before


def test_submission_of_a_normal_title_emails_national_staff(client, achievement):
    staff = national_staff_user("reviewer")
    client.force_login(get_user_model().objects.get(username="southampton-editor"))
    client.post(
        reverse("wagtailadmin_pages:edit", args=[achievement.pk]),
        {**achievement_form(achievement, title="Fifty schools"), "action-submit": "submit"},
    )
    assert achievement.current_workflow_state is not None
    to_staff = [message for message in mail.outbox if staff.email in message.to]
    assert to_staff and "Fifty schools" in to_staff[0].subject


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_as_single_line_turns_control_characters_into_one_space(character):
    assert as_single_line(f"  Sinn{character}{character}Féin ") == "Sinn Féin"


LOOKUP_HEADER = (
    "pcon_code,pcon_name,member_id,full_title,display_as,party_text,member_email,"
    "region_name,country_name\n"
)


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_constituency_import_normalises_control_characters_to_spaces(character):
    row = [
        "E14001063",
        f"Holborn{character}and St Pancras",
        "4514",
        f"Rt Hon Keir{character}Starmer MP",
        f"Keir{character}Starmer",
        f"Liberal{character}Democrat",
        "keir.starmer.mp@parliament.uk",
        "London",
        "England",
    ]
    line = ",".join(f'"{value}"' for value in row) + "\n"
    parsed = parse_constituency_csv(LOOKUP_HEADER + line)
    assert parsed.rejected == []
    record = parsed.records[0]
    assert record.name == "Holborn and St Pancras"
    assert (record.mp.name, record.mp.full_title, record.mp.party) == (
        "Keir Starmer",
        "Rt Hon Keir Starmer MP",
        "Liberal Democrat",
    )


@pytest.mark.parametrize("character", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_members_api_sync_normalises_control_characters_to_spaces(character):
    item = {
        "value": {
            "id": 4514,
            "nameDisplayAs": f"Keir{character}Starmer",
            "nameFullTitle": f"Rt Hon Keir{character}Starmer MP",
            "latestParty": {"name": f"Liberal{character}Democrat"},
            "latestHouseMembership": {
                "house": 1,
                "membershipFrom": f"Holborn{character}and St Pancras",
            },
        }
    }

    class OneMemberAPI(MembersAPIClient):
        def get_json(self, path: str, params: dict | None = None) -> dict:
            return {"items": [item], "totalResults": 1}

    [member] = OneMemberAPI(base_url="http://127.0.0.1:9").current_commons_members()
    assert (member.name, member.full_title, member.party, member.constituency_name) == (
        "Keir Starmer",
        "Rt Hon Keir Starmer MP",
        "Liberal Democrat",
        "Holborn and St Pancras",
    )
