"""/api/v3/letters/{letter}/answers/: MPs' answers recorded through the API, under the admin's
rule (`answerable_constituencies`): national staff any constituency, a local group's editors
only their group's; a bearer token always, a session cookie never."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from letters.models import Constituency, LetterPage, MPAnswer
from tests.api.conftest import bearer
from tests.api.test_golden import assert_matches_golden

pytestmark = pytest.mark.django_db

SLUG = "invite-your-mp-sanctuary-in-parliament-2018"
URL = f"/api/v3/letters/{SLUG}/answers/"
CAMPAIGN_URL = f"/api/v3/letters/{SLUG}/campaign/"
PROBLEM = "application/problem+json"


@pytest.fixture
def letter(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug=SLUG)


def post(client, token, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **bearer(token), **extra)


def today() -> str:
    return timezone.localdate().isoformat()


def answer_for(letter, slug: str, answer: str = "replied") -> MPAnswer:
    return MPAnswer.objects.create(
        letter=letter,
        constituency=Constituency.objects.get(slug=slug),
        answer=answer,
        date=timezone.localdate(),
    )


def test_a_group_editor_records_an_answer_for_their_constituency(client, tokens, letter):
    before = client.get(CAMPAIGN_URL).json()["totals"]["will_attend"]  # now in the page cache
    response = post(
        client,
        tokens["southampton_editor"],
        {"constituency": "southampton-itchen", "answer": "will-attend", "date": today()},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["constituency"]["slug"] == "southampton-itchen"
    assert body["constituency"]["gss_code"]
    assert (body["answer"], body["recorded_by"]) == ("will-attend", "local-group")
    stored = MPAnswer.objects.get(pk=body["id"])
    assert stored.recorded_by.username == "southampton-editor"
    assert stored.letter == letter
    # Recording starts a new content generation: the cached figures are not served again.
    after = client.get(CAMPAIGN_URL)
    assert after["X-Page-Cache"] != "hit"
    assert after.json()["totals"]["will_attend"] == before + 1


def test_the_constituency_may_be_given_by_its_gss_code(client, tokens, letter):
    code = Constituency.objects.get(slug="southampton-itchen").gss_code
    response = post(
        client,
        tokens["southampton_editor"],
        {"constituency": code.lower(), "answer": "replied", "date": today()},
    )
    assert response.status_code == 201
    assert response.json()["constituency"]["gss_code"] == code


def test_a_group_editor_is_refused_another_groups_constituency(client, tokens, letter):
    response = post(
        client,
        tokens["southampton_editor"],
        {"constituency": "ipswich", "answer": "declined", "date": today()},
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert "Ipswich" in response.json()["detail"]
    assert not MPAnswer.objects.exists()


def test_staff_record_for_any_constituency(client, tokens, letter):
    for slug in ("ipswich", "southampton-itchen"):
        response = post(
            client, tokens["staff"], {"constituency": slug, "answer": "attended", "date": today()}
        )
        assert response.status_code == 201
        assert response.json()["recorded_by"] == "national-staff"
    assert MPAnswer.objects.count() == 2


def test_no_token_or_a_session_cookie_is_a_401(client, tokens, letter, django_user_model):
    body = {"constituency": "ipswich", "answer": "declined", "date": today()}
    assert post(client, None, body).status_code == 401
    assert post(client, "not-a-token", body).status_code == 401
    assert client.get(URL).status_code == 401
    # A logged-in admin session is not a token: a cross-site form could otherwise write.
    client.force_login(django_user_model.objects.get(username="southampton-editor"))
    response = post(client, None, body)
    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert client.get(URL).status_code == 401
    assert not MPAnswer.objects.exists()


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"constituency": "southampton-itchen", "answer": "maybe", "date": "2024-01-02"}, "answer"),
        ({"constituency": "southampton-itchen", "answer": "replied", "date": "2999-01-01"}, "date"),
        ({"constituency": "southampton-itchen", "answer": "replied", "date": "1900-01-01"}, "date"),
        ({"constituency": "southampton-itchen", "answer": "replied", "date": "yesterday"}, "date"),
        ({"constituency": "atlantis", "answer": "replied", "date": "2024-01-02"}, "constituency"),
        ({"constituency": "a b", "answer": "replied", "date": "2024-01-02"}, "constituency"),
        ({"constituency": "x\x00", "answer": "replied", "date": "2024-01-02"}, "constituency"),
        ({"answer": "replied", "date": "2024-01-02"}, "constituency"),
        ({"constituency": "southampton-itchen", "date": "2024-01-02"}, "answer"),
        ({"constituency": "southampton-itchen", "answer": "replied"}, "date"),
    ],
)
def test_bad_bodies_are_400_problems_and_store_nothing(client, tokens, letter, body, parameter):
    response = post(client, tokens["staff"], body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    named = [error["parameter"] for error in response.json()["errors"]]
    assert any(name.split(".")[-1] == parameter for name in named), named
    assert not MPAnswer.objects.exists()


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", "", '{"constituency": '])
def test_a_body_that_is_not_a_json_object_is_refused(client, tokens, letter, raw):
    response = post(client, tokens["staff"], raw)
    assert response.status_code in (400, 422), response.content
    assert response["Content-Type"] == PROBLEM
    assert not MPAnswer.objects.exists()


def test_an_unknown_letter_is_a_404(client, tokens, letter):
    response = client.post(
        "/api/v3/letters/no-such-letter/answers/",
        data=json.dumps({"constituency": "ipswich", "answer": "replied", "date": today()}),
        content_type="application/json",
        **bearer(tokens["staff"]),
    )
    assert response.status_code == 404
    assert not MPAnswer.objects.exists()


def test_the_list_shows_each_user_only_what_they_may_record(client, tokens, letter):
    answer_for(letter, "southampton-itchen")
    answer_for(letter, "ipswich", "declined")
    listed = {
        role: {
            item["constituency"]["slug"]
            for item in client.get(URL, **bearer(tokens[role])).json()["items"]
        }
        for role in ("southampton_editor", "ipswich_editor", "staff")
    }
    assert listed == {
        "southampton_editor": {"southampton-itchen"},
        "ipswich_editor": {"ipswich"},
        "staff": {"southampton-itchen", "ipswich"},
    }


def test_the_list_is_paginated_and_names_no_one(client, tokens, letter):
    for _ in range(3):
        answer_for(letter, "ipswich")
    response = client.get(f"{URL}?limit=2&offset=0", **bearer(tokens["staff"]))
    body = response.json()
    assert (body["count"], len(body["items"])) == (3, 2)
    assert "editor" not in response.content.decode()
    assert set(body["items"][0]) == {
        "id",
        "constituency",
        "answer",
        "date",
        "recorded_at",
        "recorded_by",
    }


def test_the_list_matches_golden(client, tokens, letter):
    post(
        client,
        tokens["southampton_editor"],
        {"constituency": "southampton-itchen", "answer": "will-attend", "date": "2018-05-01"},
    )
    body = client.get(URL, **bearer(tokens["staff"])).json()
    for item in body["items"]:
        item["recorded_at"] = "<recorded_at>"
    assert_matches_golden("answers", body)


def count_list_queries(client, token) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, **bearer(token)).status_code == 200
    return len(queries)


def test_the_lists_queries_do_not_grow_with_its_rows(client, tokens, letter):
    for role, slug in (("staff", "ipswich"), ("southampton_editor", "southampton-itchen")):
        post(client, tokens[role], {"constituency": slug, "answer": "replied", "date": today()})
    few = count_list_queries(client, tokens["staff"])
    for role, slug in (("staff", "ipswich"), ("southampton_editor", "southampton-itchen")):
        for _ in range(10):
            post(client, tokens[role], {"constituency": slug, "answer": "replied", "date": today()})
    assert count_list_queries(client, tokens["staff"]) == few


def delete(client, token, answer: MPAnswer):
    return client.delete(f"{URL}{answer.pk}/", **bearer(token))


def test_staff_delete_an_answer_recorded_by_mistake(client, tokens, letter):
    answer = answer_for(letter, "ipswich")
    client.get(CAMPAIGN_URL)
    response = delete(client, tokens["staff"], answer)
    assert response.status_code == 204
    assert not MPAnswer.objects.exists()
    assert client.get(CAMPAIGN_URL)["X-Page-Cache"] != "hit"


def test_a_group_editor_deletes_only_in_their_constituencies(
    client, tokens, letter, django_user_model
):
    # Local editors hold no delete permission on answers in the admin (they correct one by
    # editing it); given it, the constituency rule still applies.
    own = answer_for(letter, "southampton-itchen")
    other = answer_for(letter, "ipswich")
    assert delete(client, tokens["southampton_editor"], own).status_code == 403
    editor = django_user_model.objects.get(username="southampton-editor")
    editor.user_permissions.add(Permission.objects.get(codename="delete_mpanswer"))
    response = delete(client, tokens["southampton_editor"], other)
    assert (response.status_code, response["Content-Type"]) == (403, PROBLEM)
    assert MPAnswer.objects.filter(pk=other.pk).exists()
    assert delete(client, tokens["southampton_editor"], own).status_code == 204
    assert list(MPAnswer.objects.all()) == [other]


def test_deleting_needs_a_token_and_an_answer_of_this_letter(client, tokens, letter):
    answer = answer_for(letter, "ipswich")
    assert delete(client, None, answer).status_code == 401
    response = client.delete(
        f"/api/v3/letters/no-such-letter/answers/{answer.pk}/", **bearer(tokens["staff"])
    )
    assert response.status_code == 404
    assert client.delete(f"{URL}999999/", **bearer(tokens["staff"])).status_code == 404
    assert MPAnswer.objects.filter(pk=answer.pk).exists()


def test_the_answers_are_in_the_openapi_document_as_token_only(client, demo_site):
    document = client.get("/api/v3/openapi.json").json()
    collection = document["paths"]["/api/v3/letters/{letter_slug}/answers/"]
    item = document["paths"]["/api/v3/letters/{letter_slug}/answers/{answer_id}/"]
    operations = [collection["get"], collection["post"], item["delete"]]
    assert [op["operationId"] for op in operations] == [
        "letters_answers_list",
        "letters_answers_record",
        "letters_answers_delete",
    ]
    for operation in operations:
        assert {} not in operation["security"]
        assert {"401", "403"} <= set(operation["responses"])
    assert "future" in collection["post"]["description"]


def test_an_old_date_is_fine(client, tokens, letter):
    response = post(
        client,
        tokens["staff"],
        {
            "constituency": "ipswich",
            "answer": "attended",
            "date": datetime.date(2018, 6, 1).isoformat(),
        },
    )
    assert response.status_code == 201
