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
from django.utils import timezone

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

FILENAME_PREFIXES = {
    "invitation": "invite-your-mp",
    "follow-up-attended": "thank-your-mp",
    "follow-up-not-attended": "follow-up-your-mp",
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
    salutation: str
    blocks: tuple[LetterBlock, ...]


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
) -> Letter:
    """The filled-in letter for one constituency. Runs no queries when `coverage` is given
    and the letter page's event is already loaded."""
    if coverage is None:
        coverage = coverage_for([constituency])[constituency.pk]
    visitor = visitor or Visitor()
    event = letter_page.event
    values = _placeholder_values(letter_page, constituency, coverage, visitor, event, today)

    blocks: list[LetterBlock] = []
    for block in letter_page.body:
        kind = block.block_type
        if kind == "paragraph":
            blocks.extend(_paragraphs(fill_placeholders(block.value, values)))
        elif kind == "group_paragraph":
            if coverage.group is not None and coverage.group.letter_paragraph.strip():
                # A group's paragraph is its editors' literal words: no placeholders filled.
                blocks.extend(_paragraphs(coverage.group.letter_paragraph))
            else:
                blocks.extend(
                    _paragraphs(fill_placeholders(letter_page.national_paragraph, values))
                )
        elif kind == "group_achievements":
            items = tuple(_clean(a.summary, multiline=False) for a in coverage.achievements)
            if items:
                lead_in = fill_placeholders(block.value.get("lead_in") or "", values)
                blocks.append(BulletList(_clean(lead_in, multiline=False), items))
        elif kind == "event_details":
            if event is not None:
                blocks.append(EventDetails(_event_lines(event)))
        elif kind == "sign_off":
            blocks.append(_sign_off(block.value, visitor))

    mp_title = values["mp_full_title"]
    return Letter(
        title=_clean(letter_page.title, multiline=False),
        filename_stem=f"{FILENAME_PREFIXES.get(letter_page.kind, 'letter-to-your-mp')}-"
        f"{constituency.slug}",
        recipient_lines=(
            mp_title,
            f"Member of Parliament for {values['constituency']}",
            *HOUSE_OF_COMMONS,
        ),
        date=values["today"],
        salutation=f"Dear {values['mp_name']}",
        blocks=tuple(blocks),
    )


def _placeholder_values(
    letter_page: LetterPage,
    constituency: Constituency,
    coverage: Coverage,
    visitor: Visitor,
    event,
    today: datetime.date | None,
) -> Mapping[str, str]:
    mp_name = _clean(constituency.current_mp_name, multiline=False) or MP_NAME_FALLBACK
    sign_off = next((b.value for b in letter_page.body if b.block_type == "sign_off"), None)
    sender_name, address_lines = _sender(sign_off, visitor)
    today = today or timezone.localdate()
    values = {
        "mp_name": mp_name,
        "mp_full_title": _clean(constituency.current_mp_full_title, multiline=False) or mp_name,
        "constituency": _clean(constituency.name, multiline=False),
        "group_name": _clean(coverage.group.title, multiline=False)
        if coverage.group is not None
        else NATIONAL_GROUP_NAME,
        "event_title": EVENT_FALLBACK,
        "event_date": EVENT_FALLBACK,
        "event_time": EVENT_FALLBACK,
        "event_venue": EVENT_FALLBACK,
        "sender_name": sender_name,
        "sender_address": ", ".join(address_lines),
        "today": _long_date(today),
    }
    if event is not None:
        start, end = timezone.localtime(event.start), timezone.localtime(event.end)
        values["event_title"] = _clean(event.title, multiline=False)
        values["event_date"] = f"{start:%A} {_long_date(start.date())}"
        values["event_time"] = f"{start:%H:%M} to {end:%H:%M}"
        values["event_venue"] = _venue(event) or EVENT_FALLBACK
    return values


def _sender(sign_off, visitor: Visitor) -> tuple[str, tuple[str, ...]]:
    name = visitor.name or (sign_off.get("sender_name") if sign_off else "") or ""
    address = visitor.address or (sign_off.get("sender_address") if sign_off else "") or ""
    name = _clean(name, multiline=False) or SENDER_NAME_FALLBACK
    lines = tuple(line for line in (part.strip() for part in _clean(address).split("\n")) if line)
    return name, lines or (SENDER_ADDRESS_FALLBACK,)


def _sign_off(value, visitor: Visitor) -> SignOff:
    name, lines = _sender(value, visitor)
    closing = _clean(value.get("closing") or "Yours sincerely", multiline=False)
    return SignOff(closing=closing, sender_name=name, address_lines=lines)


def _event_lines(event) -> tuple[str, ...]:
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    lines = [_clean(event.title, multiline=False)]
    if event.strapline:
        lines.append(f"“{_clean(event.strapline, multiline=False)}”")
    lines.append(f"{start:%H:%M} to {end:%H:%M}")
    when = f"{start:%A} {_long_date(start.date())}"
    venue = _venue(event)
    lines.append(f"{when}, {venue}" if venue else when)
    for item in event.programme:
        if item.value.get("end"):
            title = _clean(item.value["title"], multiline=False)
            lines.append(f"{title}, {item.value['start']:%H:%M} to {item.value['end']:%H:%M}")
    return tuple(lines)


def _venue(event) -> str:
    if event.venue_name:
        return _clean(event.venue_name, multiline=False)
    first_line = (event.venue_address or "").strip().split("\n")[0]
    return _clean(first_line, multiline=False) or ("Online" if event.online_url else "")


def _paragraphs(text: str) -> list[Paragraph]:
    """Blank lines separate paragraphs; single newlines inside one become spaces."""
    cleaned = _clean(text)
    parts = [" ".join(part.split()) for part in PARAGRAPH_BREAK.split(cleaned)]
    return [Paragraph(part) for part in parts if part]


def _clean(text: str | None, multiline: bool = True) -> str:
    cleaned = strip_control_characters(text or "", keep_newlines=multiline)
    return cleaned.strip() if multiline else " ".join(cleaned.split())


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"
