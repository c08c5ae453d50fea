"""Assemble one constituency's letter from a letter template, its MP, its group and the event.

The result is a plain structure (`Letter`) that every renderer in `letters/renderers.py`
reads, so Word, PDF, text and the HTML preview always say the same thing. All text in it is
already filled in and stripped of control characters; each renderer escapes for its format.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, ClassVar

from django.db.models import Q
from django.utils import formats, timezone, translation

from letters.placeholders import fill_placeholders, strip_control_characters

if TYPE_CHECKING:
    from groups.models import AchievementPage, LocalGroupPage
    from letters.models import Constituency, LetterPage

# The seed letter's own prompts, kept word for word so printed letters read the same.
MP_NAME_FALLBACK = "[add in the name of your MP]"
SENDER_ADDRESS_FALLBACK = "(Add your postal address)"
SENDER_NAME_FALLBACK = "(Add your name)"
NATIONAL_GROUP_NAME = "City of Sanctuary"
EVENT_FALLBACK = "(event details to follow)"
HOUSE_OF_COMMONS = ("House of Commons", "London SW1A 0AA")
PARAGRAPH_BREAK = re.compile(r"\n[ ]*\n")

ENGLISH = "en"
WELSH = "cy"

# An MP's display name sometimes carries a title ("Mr Connor Rand", "Sir Mel Stride"). The
# salutation and {mp_name} drop it: "Dear Connor Rand", as campaign letters greet MPs, and
# "Annwyl Connor Rand", where a translated title would need a Welsh mutation ("Syr", "y
# Fonesig") no string replacement can get right. The full title stays in the address.
TITLES = re.compile(
    r"^(?:(?:the\s+)?(?:rt\.?\s+hon\.?|right\s+honourable|hon\.?|mr|mrs|ms|miss|mx|dr|"
    r"prof|professor|rev|revd|reverend|sir|dame|lord|lady|baroness|baron)\.?\s+)+",
    re.IGNORECASE,
)
# A template whose first paragraph already greets the MP would say "Dear" twice.
GREETING = re.compile(r"^\s*(?:dear|annwyl)\b", re.IGNORECASE)

FILENAME_PREFIXES = {
    "invitation": "invite-your-mp",
    "follow-up-attended": "thank-your-mp",
    "follow-up-not-attended": "follow-up-your-mp",
}


@dataclass(frozen=True)
class Wording:
    """The words a letter adds around the template's text, in one language."""

    language: str  # the BCP 47 tag HTML's `lang` takes
    word_language: str  # the tag Word's spelling checker takes
    django_language: str  # for Django's day and month names
    member_for: str
    house_of_commons: tuple[str, str]
    dear: str
    time_range: str
    online: str
    closing: str
    mp_name_fallback: str
    sender_name_fallback: str
    sender_address_fallback: str
    event_fallback: str
    # {mp_answer}: what the MP answered the invitation (their latest answer recorded, by its
    # code in MPAnswer.Answer), as the visitor says it in a follow-up letter; each is
    # followed by the event's title and a full stop.
    answer_sentences: Mapping[str, str]
    no_answer_sentence: str
    event_name_fallback: str


WORDING = {
    ENGLISH: Wording(
        language="en-GB",
        word_language="en-GB",
        django_language="en-gb",
        member_for="Member of Parliament for {}",
        house_of_commons=HOUSE_OF_COMMONS,
        dear="Dear",
        time_range="{} to {}",
        online="Online",
        closing="Yours sincerely",
        mp_name_fallback=MP_NAME_FALLBACK,
        sender_name_fallback=SENDER_NAME_FALLBACK,
        sender_address_fallback=SENDER_ADDRESS_FALLBACK,
        event_fallback=EVENT_FALLBACK,
        answer_sentences={
            "attended": "Thank you for coming to",
            "will-attend": "Thank you for letting us know that you hoped to come to",
            "declined": "Thank you for letting us know that you could not come to",
            "replied": "Thank you for replying to my invitation to",
        },
        no_answer_sentence="I wrote to invite you to",
        event_name_fallback="our event",
    ),
    # To be checked by a Welsh speaker, like the demo's Welsh content.
    WELSH: Wording(
        language="cy",
        word_language="cy-GB",
        django_language="cy",
        # Not "dros {}": "dros" mutates the name that follows ("dros Gaerfyrddin"), and a
        # placeholder cannot; the genitive "etholaeth Caerfyrddin" leaves every name as it is.
        member_for="Aelod Seneddol etholaeth {}",
        house_of_commons=("Tŷ’r Cyffredin", "Llundain SW1A 0AA"),
        dear="Annwyl",
        time_range="{} tan {}",
        online="Ar-lein",
        closing="Yn gywir",
        mp_name_fallback="[ychwanegwch enw eich AS]",
        sender_name_fallback="(Ychwanegwch eich enw)",
        sender_address_fallback="(Ychwanegwch eich cyfeiriad post)",
        event_fallback="(manylion y digwyddiad i ddilyn)",
        answer_sentences={
            "attended": "Diolch am ddod i",
            "will-attend": "Diolch am roi gwybod i ni eich bod yn gobeithio dod i",
            "declined": "Diolch am roi gwybod i ni na allech ddod i",
            "replied": "Diolch am ateb fy ngwahoddiad i",
        },
        no_answer_sentence="Ysgrifennais atoch i'ch gwahodd i",
        event_name_fallback="ein digwyddiad",
    ),
}


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


@dataclass(frozen=True)
class BulletList:
    kind: ClassVar[str] = "bullet_list"
    lead_in: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class EventDetails:
    kind: ClassVar[str] = "event_details"
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SignOff:
    kind: ClassVar[str] = "sign_off"
    closing: str
    sender_name: str
    address_lines: tuple[str, ...]


LetterBlock = Paragraph | BulletList | EventDetails | SignOff


@dataclass(frozen=True)
class Letter:
    """One constituency's letter, ready for any renderer."""

    title: str
    filename_stem: str
    recipient_lines: tuple[str, ...]
    date: str
    salutation: str  # empty when the template greets the MP itself
    blocks: tuple[LetterBlock, ...]
    language: str = WORDING[ENGLISH].language

    @property
    def word_language(self) -> str:
        return next(w.word_language for w in WORDING.values() if w.language == self.language)


@dataclass(frozen=True)
class Visitor:
    """What a visitor typed into the letter. Lives for one request; never stored or logged."""

    name: str = ""
    address: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.address.strip())


@dataclass(frozen=True)
class Coverage:
    """The group that covers a constituency in letters, and its featured achievements."""

    group: LocalGroupPage | None = None
    achievements: tuple[AchievementPage, ...] = field(default=())

    @property
    def version(self) -> str:
        """Changes whenever the group or one of its featured achievements is republished."""
        if self.group is None:
            return "national"
        parts = [f"{self.group.pk}.{self.group.live_revision_id}"]
        parts += [f"{a.pk}.{a.live_revision_id}" for a in self.achievements]
        return "-".join(parts)


def coverage_for(constituencies: Iterable[Constituency]) -> dict[int, Coverage]:
    """Each constituency's covering group and achievements, in three queries whatever the count.

    Only groups and achievements the public may see count (a private or unpublished group
    covers nothing: its constituencies get the national letter). Where several groups cover
    one constituency, the one with a letter paragraph wins, then the first in the page tree.
    """
    from groups.models import AchievementPage, LocalGroupPage

    ids = [c.pk for c in constituencies]
    if not ids:
        return {}
    through = LocalGroupPage.constituencies.through
    links = list(
        through.objects.filter(constituency_id__in=ids).values_list(
            "constituency_id", "localgrouppage_id"
        )
    )
    group_ids = {group_id for _, group_id in links}
    groups = {
        g.pk: g for g in LocalGroupPage.objects.covering().filter(pk__in=group_ids).order_by("path")
    }
    achievements: dict[str, list[AchievementPage]] = {g.path: [] for g in groups.values()}
    if groups:
        under_a_group = reduce(
            or_, (Q(path__startswith=g.path, depth=g.depth + 1) for g in groups.values())
        )
        for achievement in (
            AchievementPage.objects.visible_to_public()
            .filter(under_a_group, feature_in_letters=True)
            .order_by("-date_achieved", "-pk")
        ):
            achievements[achievement.path[:-4]].append(achievement)

    chosen: dict[int, LocalGroupPage] = {}
    for constituency_id, group_id in links:
        group = groups.get(group_id)
        if group is None:
            continue
        current = chosen.get(constituency_id)
        if current is None or _preference(group) < _preference(current):
            chosen[constituency_id] = group
    return {
        cid: Coverage(group=chosen[cid], achievements=tuple(achievements[chosen[cid].path]))
        if cid in chosen
        else Coverage()
        for cid in ids
    }


def _preference(group: LocalGroupPage) -> tuple[bool, str]:
    return (not group.letter_paragraph.strip(), group.path)


def assemble_letter(
    letter_page: LetterPage,
    constituency: Constituency,
    coverage: Coverage | None = None,
    visitor: Visitor | None = None,
    today: datetime.date | None = None,
    language: str = ENGLISH,
    answer: str | None = None,
) -> Letter:
    """The filled-in letter for one constituency, in `language` (`letter_page` is the
    template in that language: for Welsh, the letter's translation in the `cy` locale).

    Runs no queries when `coverage` is given and the letter page's event is already loaded,
    and the group and event are in the letter page's own locale; otherwise their live
    translations in that locale are used where they exist. `answer` is the MP's latest
    answer to the campaign (letters/campaign.py `latest_answers`), which `{mp_answer}` puts
    in words."""
    wording = WORDING[language]
    if coverage is None:
        coverage = coverage_for([constituency])[constituency.pk]
    coverage = _coverage_in_locale(coverage, letter_page.locale_id)
    visitor = visitor or Visitor()
    event = _in_locale(letter_page.event, letter_page.locale_id)
    values = _placeholder_values(
        letter_page, constituency, coverage, visitor, event, today, wording
    )
    event_name = values["event_title"] if event is not None else wording.event_name_fallback
    sentence = wording.answer_sentences.get(answer or "", wording.no_answer_sentence)
    values = {**values, "mp_answer": f"{sentence} {event_name}."}

    blocks: list[LetterBlock] = []
    for block in letter_page.body:
        kind = block.block_type
        if kind == "paragraph":
            blocks.extend(_paragraphs(fill_placeholders(block.value, values)))
        elif kind == "group_paragraph":
            if coverage.group is not None and coverage.group.letter_paragraph.strip():
                paragraph = coverage.group.letter_paragraph
            else:
                paragraph = letter_page.national_paragraph
            # A group's paragraph is checked like the template's (core.letter_text), so
            # its placeholders are the closed set's and are filled the same way.
            blocks.extend(_paragraphs(fill_placeholders(paragraph, values)))
        elif kind == "group_achievements":
            items = tuple(_clean(a.summary, multiline=False) for a in coverage.achievements)
            if items:
                lead_in = fill_placeholders(block.value.get("lead_in") or "", values)
                blocks.append(BulletList(_clean(lead_in, multiline=False), items))
        elif kind == "event_details":
            if event is not None:
                blocks.append(EventDetails(_event_lines(event, wording)))
        elif kind == "sign_off":
            blocks.append(_sign_off(block.value, visitor, wording))

    greets_itself = (
        bool(blocks) and isinstance(blocks[0], Paragraph) and GREETING.match(blocks[0].text)
    )
    return Letter(
        title=_clean(letter_page.title, multiline=False),
        filename_stem=f"{FILENAME_PREFIXES.get(letter_page.kind, 'letter-to-your-mp')}-"
        f"{constituency.slug}",
        recipient_lines=(
            values["mp_full_title"],
            wording.member_for.format(values["constituency"]),
            *wording.house_of_commons,
        ),
        date=values["today"],
        salutation="" if greets_itself else f"{wording.dear} {values['mp_name']}",
        blocks=tuple(blocks),
        language=wording.language,
    )


def name_without_title(name: str) -> str:
    """ "Mr Connor Rand" -> "Connor Rand"; a name that is only a title is kept as it is."""
    return TITLES.sub("", name).strip() or name


def _in_locale(page, locale_id):
    """The page's live, public translation in `locale_id`, or the page itself."""
    if page is None or page.locale_id == locale_id:
        return page
    translated = (
        type(page)
        .objects.visible_to_public()
        .filter(translation_key=page.translation_key, locale_id=locale_id)
        .first()
    )
    return translated or page


def _coverage_in_locale(coverage: Coverage, locale_id: int) -> Coverage:
    """The covering group and its achievements in the letter's locale, where translated."""
    if coverage.group is None or coverage.group.locale_id == locale_id:
        return coverage
    achievements = coverage.achievements
    if achievements:
        translated = {
            a.translation_key: a
            for a in type(achievements[0])
            .objects.visible_to_public()
            .filter(translation_key__in=[a.translation_key for a in achievements])
            .filter(locale_id=locale_id)
        }
        achievements = tuple(translated.get(a.translation_key, a) for a in achievements)
    return Coverage(group=_in_locale(coverage.group, locale_id), achievements=achievements)


def _placeholder_values(
    letter_page: LetterPage,
    constituency: Constituency,
    coverage: Coverage,
    visitor: Visitor,
    event,
    today: datetime.date | None,
    wording: Wording,
) -> Mapping[str, str]:
    display_name = _clean(constituency.current_mp_name, multiline=False)
    mp_name = name_without_title(display_name) if display_name else wording.mp_name_fallback
    sign_off = next((b.value for b in letter_page.body if b.block_type == "sign_off"), None)
    sender_name, address_lines = _sender(sign_off, visitor, wording)
    today = today or timezone.localdate()
    values = {
        "mp_name": mp_name,
        "mp_full_title": _clean(constituency.current_mp_full_title, multiline=False)
        or display_name
        or mp_name,
        "constituency": _clean(constituency.name, multiline=False),
        "group_name": _clean(coverage.group.title, multiline=False)
        if coverage.group is not None
        else NATIONAL_GROUP_NAME,
        "event_title": wording.event_fallback,
        "event_date": wording.event_fallback,
        "event_time": wording.event_fallback,
        "event_venue": wording.event_fallback,
        "sender_name": sender_name,
        "sender_address": ", ".join(address_lines),
        "today": _long_date(today, wording),
    }
    if event is not None:
        start = timezone.localtime(event.start)
        values["event_title"] = _clean(event.title, multiline=False)
        values["event_date"] = _day_and_date(start.date(), wording)
        values["event_time"] = _time_range(event, wording)
        values["event_venue"] = _venue(event, wording) or wording.event_fallback
    return values


def _sender(sign_off, visitor: Visitor, wording: Wording) -> tuple[str, tuple[str, ...]]:
    name = visitor.name or (sign_off.get("sender_name") if sign_off else "") or ""
    address = visitor.address or (sign_off.get("sender_address") if sign_off else "") or ""
    name = _clean(name, multiline=False) or wording.sender_name_fallback
    lines = tuple(line for line in (part.strip() for part in _clean(address).split("\n")) if line)
    return name, lines or (wording.sender_address_fallback,)


def _sign_off(value, visitor: Visitor, wording: Wording) -> SignOff:
    name, lines = _sender(value, visitor, wording)
    closing = _clean(value.get("closing") or wording.closing, multiline=False)
    return SignOff(closing=closing, sender_name=name, address_lines=lines)


def _event_lines(event, wording: Wording) -> tuple[str, ...]:
    """Title, strapline, the day and its times, the venue, then the programme."""
    start = timezone.localtime(event.start)
    lines = [_clean(event.title, multiline=False)]
    if event.strapline:
        lines.append(f"“{_clean(event.strapline, multiline=False)}”")
    lines.append(f"{_day_and_date(start.date(), wording)}, {_time_range(event, wording)}")
    venue = _venue(event, wording)
    if venue:
        lines.append(venue)
    for item in event.programme:
        if item.value.get("end"):
            title = _clean(item.value["title"], multiline=False)
            times = wording.time_range.format(
                f"{item.value['start']:%H:%M}", f"{item.value['end']:%H:%M}"
            )
            lines.append(f"{title}, {times}")
    return tuple(lines)


def _time_range(event, wording: Wording) -> str:
    # The 24-hour clock in both languages: the English letter's form, and no "yb"/"yh"
    # abbreviations for a reader to misread.
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    return wording.time_range.format(f"{start:%H:%M}", f"{end:%H:%M}")


def _venue(event, wording: Wording) -> str:
    if event.venue_name:
        return _clean(event.venue_name, multiline=False)
    first_line = (event.venue_address or "").strip().split("\n")[0]
    return _clean(first_line, multiline=False) or (wording.online if event.online_url else "")


def _paragraphs(text: str) -> list[Paragraph]:
    """Blank lines separate paragraphs; single newlines inside one become spaces."""
    cleaned = _clean(text)
    parts = [" ".join(part.split()) for part in PARAGRAPH_BREAK.split(cleaned)]
    return [Paragraph(part) for part in parts if part]


def _clean(text: str | None, multiline: bool = True) -> str:
    cleaned = strip_control_characters(text or "", keep_newlines=multiline)
    return cleaned.strip() if multiline else " ".join(cleaned.split())


def _long_date(day: datetime.date, wording: Wording = WORDING[ENGLISH]) -> str:
    """ "12 November 2018", "12 Tachwedd 2018": Django's month names for the language."""
    with translation.override(wording.django_language):
        return formats.date_format(day, "j F Y")


def _day_and_date(day: datetime.date, wording: Wording) -> str:
    """ "Monday 12 November 2018", "Dydd Llun 12 Tachwedd 2018"."""
    with translation.override(wording.django_language):
        return formats.date_format(day, "l j F Y")
