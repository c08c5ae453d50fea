"""The closed set of `{name}` placeholders letter templates may use: parse, validate, fill.

Editors write letters in the CMS, so their text is data, never code: placeholders are found
with one regular expression and replaced by plain string substitution. Nothing an editor
writes is evaluated as a Django template or passed to `str.format`.
"""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError

PLACEHOLDERS: dict[str, str] = {
    "mp_name": "The MP's name, e.g. Satvir Kaur",
    "mp_full_title": "The MP's full title, e.g. Rt Hon Caroline Nokes MP",
    "constituency": "The constituency's name",
    "group_name": "The local group covering the constituency, or City of Sanctuary",
    "event_title": "The linked event's title",
    "event_date": "The event's date, e.g. Monday 12 November 2018",
    "event_time": "The event's start and end time, e.g. 12:00 to 16:00",
    "event_venue": "The event's venue",
    "sender_name": "The visitor's name, or a prompt to add it",
    "sender_address": "The visitor's postal address, or a prompt to add it",
    "today": "Today's date",
    "mp_answer": (
        "Follow-up letters: a sentence saying what the MP answered the invitation, from the "
        "latest answer recorded, e.g. “Thank you for coming to Sanctuary in Parliament 2018.”"
    ),
}

# These are whole blocks of the letter body, not words inside a paragraph.
BLOCK_PLACEHOLDERS = {
    "group_paragraph": "the “Group paragraph” block",
    "group_achievements": "the “Group achievements” block",
}

# Anything between a pair of braces is a placeholder candidate, valid or not.
CANDIDATE = re.compile(r"\{([^{}]*)\}")
NAME = re.compile(r"[a-z_]+")
LONGEST_SHOWN = 40
# Unicode's control characters (Cc: C0, DEL, C1) but the newline, lone surrogates (Cs), and the
# two noncharacters XML forbids. One regex pass; a per-character category lookup was a fifth
# of a Word letter's time.
INVALID_IN_XML = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def placeholder_errors(text: str) -> list[str]:
    """Every problem with the placeholders in `text`, each naming the offending placeholder."""
    errors: list[str] = []
    for match in CANDIDATE.finditer(text):
        name = match.group(1)
        shown = _shown(match.group(0))
        if name in PLACEHOLDERS:
            continue
        if name in BLOCK_PLACEHOLDERS:
            errors.append(f"{shown} cannot go inside text: use {BLOCK_PLACEHOLDERS[name]}.")
        elif not NAME.fullmatch(name):
            errors.append(
                f"{shown} is not a placeholder: write a name from the list in braces, "
                "with no spaces, dots or other characters, e.g. {mp_name}."
            )
        else:
            errors.append(f"{shown} is not a known placeholder. {_known()}")
    leftover = CANDIDATE.sub("", text)
    if "{" in leftover or "}" in leftover:
        errors.append(
            "A brace is not closed or not opened: every “{” needs a matching “}”, as in {mp_name}."
        )
    return errors


def validate_placeholders(text: str) -> None:
    """Django validator: refuse text with unknown or malformed placeholders."""
    errors = placeholder_errors(text or "")
    if errors:
        raise ValidationError(errors)


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each known `{name}` with its value in one pass; values are never re-scanned."""

    def replacement(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return CANDIDATE.sub(replacement, text)


def unreplaced_placeholders(text: str) -> list[str]:
    """Placeholders of the closed set still present in `text` (used by tests and checks)."""
    names = {**PLACEHOLDERS, **BLOCK_PLACEHOLDERS}
    return [m.group(0) for m in CANDIDATE.finditer(text) if m.group(1) in names]


def strip_control_characters(text: str, keep_newlines: bool = True) -> str:
    """Remove characters that are invalid in Word XML or PDF text (C0/C1 controls, surrogates).

    Tabs become spaces; newlines survive only where the text may span lines. Right-to-left
    text and emoji are ordinary characters and are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not keep_newlines:
        text = text.replace("\n", " ")
    return INVALID_IN_XML.sub("", text)


def _shown(token: str) -> str:
    return token if len(token) <= LONGEST_SHOWN else token[: LONGEST_SHOWN - 1] + "…}"


def _known() -> str:
    return "Use one of: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS) + "."
