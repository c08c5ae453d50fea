"""Which languages a constituency's letter comes in, and which one a visitor asked for.

A letter template's Welsh version is its Wagtail translation in the `cy` locale. The 32
constituencies in Wales are offered Welsh, English or both (bilingual, Welsh first, as Welsh
public bodies write); every other constituency gets English only. The choice travels as
`?language=cy|en|both` (or a POST field of the same name), so the preview and every download
work from plain links and forms, without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from core.cache import for_this_generation
from core.choices import Nation
from core.query import visible_in_every_language
from letters.assembly import ENGLISH, WELSH
from letters.models import Constituency, LetterPage

PARAMETER = "language"
BOTH = "both"


@dataclass(frozen=True)
class LanguageChoice:
    """One way a visitor may have the letter: its parameter value, label, and languages."""

    value: str
    label: str  # in its own language, as language switchers name languages
    languages: tuple[str, ...]  # in the order the file gives them
    filename_suffix: str


CHOICES: dict[str, LanguageChoice] = {
    WELSH: LanguageChoice(WELSH, "Cymraeg (Welsh)", (WELSH,), "-cy"),
    ENGLISH: LanguageChoice(ENGLISH, "English (Saesneg)", (ENGLISH,), ""),
    BOTH: LanguageChoice(
        BOTH,
        "Y ddwy iaith: Cymraeg, yna Saesneg (both: Welsh, then English)",
        (WELSH, ENGLISH),
        "-cy-en",
    ),
}


class LanguageRefused(Exception):
    """A language the letter cannot be had in; `status` and `message` say why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class LetterVersions:
    """A letter template in English and, where translated and published, in Welsh."""

    english: LetterPage
    welsh: LetterPage | None
    shown_in_welsh: bool  # the page the visitor is on is the Welsh one

    def has(self, choice: LanguageChoice) -> bool:
        return self.welsh is not None or WELSH not in choice.languages

    def templates_for(self, choice: LanguageChoice) -> tuple[tuple[LetterPage, str], ...]:
        """(template, language) for each language of the choice, in the file's order."""
        if not self.has(choice):
            raise ValueError("this letter has no Welsh version")
        return tuple(
            (self.welsh if language == WELSH else self.english, language)
            for language in choice.languages
        )


def is_welsh(page: LetterPage) -> bool:
    return page.locale.language_code.lower().split("-")[0] == WELSH


def versions_of(letter_page: LetterPage) -> LetterVersions:
    """The live, public English and Welsh versions of the letter the visitor is on;
    downloads are counted against the English one, the campaign's letter.

    One query, kept for the content generation (publishing either version starts a new one),
    so a campaign day's repeat downloads do not pay for it."""

    def build() -> LetterVersions:
        pages = list(
            visible_in_every_language(LetterPage.objects.all())
            .filter(translation_key=letter_page.translation_key)
            .select_related("locale", "event")
            .order_by("pk")
        )
        current = next((page for page in pages if page.pk == letter_page.pk), letter_page)
        others = [page for page in pages if page.pk != letter_page.pk]
        welsh = next((page for page in [current, *others] if is_welsh(page)), None)
        english = next((page for page in [current, *others] if not is_welsh(page)), current)
        return LetterVersions(english=english, welsh=welsh, shown_in_welsh=is_welsh(current))

    return for_this_generation(f"letter-versions:{letter_page.pk}", build)


def offers_welsh(constituency: Constituency) -> bool:
    return constituency.nation == Nation.WALES


def choices_for(constituency: Constituency) -> list[LanguageChoice]:
    """What the visitor may choose for this constituency (nothing to choose outside Wales)."""
    return list(CHOICES.values()) if offers_welsh(constituency) else []


def default_choice(versions: LetterVersions, constituency: Constituency) -> LanguageChoice:
    """Welsh on the Welsh page for a Welsh constituency with a Welsh version; otherwise
    English."""
    if versions.shown_in_welsh and offers_welsh(constituency) and versions.welsh is not None:
        return CHOICES[WELSH]
    return CHOICES[ENGLISH]


def requested_choice(
    raw: str | None, versions: LetterVersions, constituency: Constituency
) -> LanguageChoice:
    """The visitor's choice, or the default when they made none; `LanguageRefused` when the
    value is unknown (400) or Welsh is asked for a constituency outside Wales (404). A Welsh
    choice for a letter with no Welsh version is answered by the caller (it says so)."""
    if raw is None or raw == "":
        return default_choice(versions, constituency)
    choice = CHOICES.get(raw)
    if choice is None:
        raise LanguageRefused(
            400,
            gettext(
                "That is not a language of this letter: choose en (English), cy (Cymraeg) or both."
            ),
        )
    if WELSH in choice.languages and not offers_welsh(constituency):
        raise LanguageRefused(
            404,
            gettext(
                "The letter comes in Welsh only for constituencies in Wales, and %(name)s is not "
                "in Wales."
            )
            % {"name": constituency.name},
        )
    return choice
