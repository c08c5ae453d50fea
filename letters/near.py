"""/near/: one postcode, one answer. The visitor's constituency and MP, the nearest active
groups, the group that covers the constituency, the letters of the current campaigns filled in
for that constituency, and the next events nearby.

It reads constituencies and letters (this app), groups and events (below), so it lives here.
Every outcome of the postcode lookup (letters/postcodes.py) gets its message and a next step;
when the lookup service is down the answer says so and the page cache keeps no copy of it
(lookup_postcode reports the fault).
"""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.pictures import prefetch_renditions, with_pictures
from core.query import CARD_FIELDS, EVENT_CARD_FIELDS, GROUP_CARD_FIELDS, active_content_language
from core.security import rate_limited
from events.models import EventPage
from groups.map import GroupsMap, Marker, group_markers, in_frame
from groups.models import GroupIndexPage, GroupStatus, LocalGroupPage
from letters.assembly import HOUSE_OF_COMMONS
from letters.campaign import current_letters, letters_for
from letters.models import Constituency, DownloadFormat, LetterKind, LetterPage
from letters.postcodes import PostcodeLookup, PostcodeOutcome, lookup_postcode

NEAREST_GROUPS = 5
NEARBY_KM = 80  # about 50 miles: a day's journey to a group's meetings and events
NEXT_EVENTS = 5

# Outcomes that mean the visitor should type something else: shown as an error on the field.
FIELD_PROBLEMS = {
    PostcodeOutcome.EMPTY,
    PostcodeOutcome.MALFORMED,
    PostcodeOutcome.PARTIAL,
    PostcodeOutcome.NOT_FOUND,
    PostcodeOutcome.TERMINATED,
    PostcodeOutcome.NOT_WESTMINSTER,
}


class NearForm(forms.Form):
    postcode = forms.CharField(
        label=_("Your postcode"),
        max_length=20,
        required=False,
        help_text=_("For example SO14 7LY"),
        error_messages={
            "max_length": _("That is too long for a postcode. A postcode looks like SO14 7LY."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Link the hint and the error (ids from templates/includes/form_field.html) to the box.
        auto_id = self["postcode"].auto_id
        self.fields["postcode"].widget.attrs["aria-describedby"] = f"{auto_id}-hint {auto_id}-error"


@dataclass(frozen=True)
class LetterLinks:
    letter: LetterPage
    preview_url: str
    downloads: list[tuple[str, str]]  # (label, url)
    sent_url: str = ""  # "I've sent it", for an invitation campaign's letter


@dataclass
class NearAnswer:
    lookup: PostcodeLookup
    constituency: Constituency | None = None
    nearest_groups: list[LocalGroupPage] = field(default_factory=list)
    covering_groups: list[LocalGroupPage] = field(default_factory=list)
    letters: list[LetterLinks] = field(default_factory=list)
    events: list[EventPage] = field(default_factory=list)
    directory_url: str = ""
    map: GroupsMap | None = None

    nearby_km = NEARBY_KM
    nearby_miles = round(NEARBY_KM / 1.609344)
    house_of_commons = ", ".join(HOUSE_OF_COMMONS)

    @property
    def outcome(self) -> str:
        return str(self.lookup.outcome)

    @property
    def parliament_url(self) -> str:
        member_id = self.constituency and self.constituency.current_mp_member_id
        return f"https://members.parliament.uk/member/{member_id}/contact" if member_id else ""


def answer_postcode(request: HttpRequest, raw: str) -> NearAnswer:
    lookup = lookup_postcode(raw)
    answer = NearAnswer(lookup=lookup, constituency=lookup.constituency)
    if lookup.located or lookup.constituency is not None:
        directory = (
            GroupIndexPage.objects.live()
            .filter(locale__language_code=active_content_language())
            .only("url_path", "path", "depth")
            .first()
        )
        answer.directory_url = directory.get_url(request) if directory else ""
    if lookup.located:
        answer.nearest_groups = list(
            LocalGroupPage.objects.visible_to_public()
            .filter(status=GroupStatus.ACTIVE)
            .near(lookup.latitude, lookup.longitude, within_km=NEARBY_KM)
            .only(*GROUP_CARD_FIELDS, "slug", "nation", "status", "latitude", "longitude")[
                :NEAREST_GROUPS
            ]
        )
    if lookup.constituency is not None:
        answer.covering_groups = list(
            LocalGroupPage.objects.covering()
            .filter(constituencies=lookup.constituency)
            .order_by("title", "pk")
            .only(*GROUP_CARD_FIELDS, "slug", "nation", "status", "latitude", "longitude")
        )
        answer.letters = letter_links(request, lookup.constituency)
    if lookup.located or lookup.constituency is not None:
        answer.events = next_events_nearby(answer.nearest_groups + answer.covering_groups)
    if lookup.located:
        answer.map = near_map(request, answer)
    return answer


def near_map(request: HttpRequest, answer: NearAnswer) -> GroupsMap:
    """The postcode and the groups this answer lists (no further query)."""
    postcode = answer.lookup.postcode
    markers = group_markers(answer.nearest_groups + answer.covering_groups, request)
    count = len(markers)
    latitude, longitude = answer.lookup.latitude, answer.lookup.longitude
    return GroupsMap(
        markers=markers,
        here=Marker(
            gettext("Your postcode, %(postcode)s") % {"postcode": postcode}, latitude, longitude
        )
        if in_frame(latitude, longitude)
        else None,
        title=gettext("Map of %(postcode)s and the groups near it") % {"postcode": postcode},
        description=ngettext(
            "%(postcode)s (the diamond) and %(count)s group listed on this page, a link to its "
            "page.",
            "%(postcode)s (the diamond) and %(count)s groups listed on this page, each a link "
            "to its page.",
            count,
        )
        % {"postcode": postcode, "count": count},
    )


def letter_links(request: HttpRequest, constituency: Constituency) -> list[LetterLinks]:
    links = []
    for letter in letters_for(current_letters(), [constituency])[constituency.pk]:
        base = letter.get_url(request)
        slug = constituency.slug
        links.append(
            LetterLinks(
                letter=letter,
                preview_url=base + letter.reverse_subpage("preview", args=[slug]),
                downloads=[
                    (
                        label,
                        base
                        + letter.reverse_subpage(
                            "download",
                            kwargs={"constituency_slug": slug, "format_name": value},
                        ),
                    )
                    for value, label in DownloadFormat.choices
                ],
                sent_url=base + letter.reverse_subpage("sent", args=[slug])
                if letter.kind == LetterKind.INVITATION
                else "",
            )
        )
    return links


def next_events_nearby(groups: list[LocalGroupPage]) -> list[EventPage]:
    """The next events organised by these groups, or by the national network."""
    events = list(
        with_pictures(EventPage.objects.upcoming())
        .filter(Q(organiser__in=[group.pk for group in groups]) | Q(organiser__isnull=True))
        .only(*CARD_FIELDS, *EVENT_CARD_FIELDS, "organiser__title")[:NEXT_EVENTS]
    )
    prefetch_renditions(events)
    return events


def asks_for_a_postcode(request: HttpRequest) -> bool:
    """Only requests with a postcode reach postcodes.io, so only they count against the limit."""
    return bool(request.GET.get("postcode", "").strip())


@require_GET
@rate_limited("postcode-lookup", when=asks_for_a_postcode)
def near(request: HttpRequest) -> HttpResponse:
    form = NearForm(request.GET if "postcode" in request.GET else None)
    answer = None
    if form.is_bound and form.is_valid():
        answer = answer_postcode(request, form.cleaned_data["postcode"])
        if answer.lookup.outcome in FIELD_PROBLEMS:
            form.add_error("postcode", answer.lookup.message)
    return render(request, "letters/near.html", {"form": form, "answer": answer})
