"""The closed set of letter placeholders: refused when unknown or malformed, filled literally."""

import pytest
from django.core.exceptions import ValidationError

from letters.blocks import GroupAchievementsBlock, LetterBodyBlock, PlaceholderTextBlock
from letters.placeholders import (
    PLACEHOLDERS,
    fill_placeholders,
    placeholder_errors,
    strip_control_characters,
    validate_placeholders,
)


def test_every_required_placeholder_is_in_the_closed_set():
    required = {
        "mp_name", "mp_full_title", "constituency", "group_name", "event_title", "event_date",
        "event_time", "event_venue", "sender_name", "sender_address", "today",
    }  # fmt: skip
    assert required <= set(PLACEHOLDERS)


def test_known_placeholders_are_valid():
    assert placeholder_errors("Dear {mp_name}, MP for {constituency}, on {event_date}.") == []


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Dear {mp_nme}", "{mp_nme}"),
        ("{mp_name.__class__}", "{mp_name.__class__}"),
        ("{ mp_name }", "{ mp_name }"),
        ("{MP_NAME}", "{MP_NAME}"),
        ("{0}", "{0}"),
        ("{}", "{}"),
        ("{{ settings.SECRET_KEY }}", "{ settings.SECRET_KEY }"),
        ("{mp_name!r}", "{mp_name!r}"),
    ],
)
def test_unknown_or_malformed_placeholder_is_refused_by_name(text, named):
    errors = placeholder_errors(text)
    assert errors
    assert any(named in error for error in errors)


@pytest.mark.parametrize("text", ["Dear {mp_name", "Dear mp_name}", "{% load static %}", "}{"])
def test_unbalanced_braces_are_refused(text):
    assert placeholder_errors(text)


def test_group_blocks_are_not_words_inside_text():
    errors = placeholder_errors("{group_paragraph}")
    assert errors and "block" in errors[0]


def test_validator_raises_with_every_problem():
    with pytest.raises(ValidationError) as raised:
        validate_placeholders("{mp_nme} and {today")
    assert len(raised.value.messages) == 2


def test_fill_is_plain_replacement_and_never_rescans_values():
    values = {"mp_name": "{constituency} {{ settings.SECRET_KEY }}", "constituency": "X"}
    assert fill_placeholders("Dear {mp_name}", values) == (
        "Dear {constituency} {{ settings.SECRET_KEY }}"
    )


def test_fill_leaves_template_syntax_alone():
    text = "{% load static %}{{ request }} {mp_name.__class__}"
    assert fill_placeholders(text, {"mp_name": "A"}) == text


def test_control_characters_are_removed_but_scripts_and_emoji_kept():
    text = "a\x00b\x1bc\x7f\u0085d\te\r\nمرحبا 😀 ŵŷ"
    assert strip_control_characters(text) == "abcd e\nمرحبا 😀 ŵŷ"
    assert strip_control_characters("a\nb", keep_newlines=False) == "a b"


def test_paragraph_block_refuses_unknown_placeholder_naming_it():
    with pytest.raises(ValidationError) as raised:
        PlaceholderTextBlock().clean("Dear {mp_nme}")
    assert "{mp_nme}" in str(raised.value)


def test_achievements_lead_in_refuses_malformed_placeholder():
    block = GroupAchievementsBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"lead_in": "{group_name.title}"}))


def test_letter_body_refuses_template_tags_and_accepts_placeholders():
    body = LetterBodyBlock()
    good = body.to_python([{"type": "paragraph", "value": "I write to you, {mp_name}."}])
    body.clean(good)
    bad = body.to_python([{"type": "paragraph", "value": "{{ settings.SECRET_KEY }}"}])
    with pytest.raises(ValidationError):
        body.clean(bad)


def test_sign_off_refuses_braces_in_sender_details():
    body = LetterBodyBlock()
    value = body.to_python(
        [{"type": "sign_off", "value": {"closing": "Yours", "sender_address": "{today}"}}]
    )
    with pytest.raises(ValidationError):
        body.clean(value)


@pytest.mark.django_db
def test_national_paragraph_refuses_unknown_placeholder(demo_site):
    from letters.models import LetterPage

    page = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
    page.national_paragraph = "People in {constituencyy} care."
    with pytest.raises(ValidationError) as raised:
        page.full_clean()
    assert "national_paragraph" in raised.value.message_dict
