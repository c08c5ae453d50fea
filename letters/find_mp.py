"""The public "Find your MP" search: one box for a postcode, a constituency or an MP's name.

Letter pages and /find-your-mp/ both use it. Anything with a digit in it is treated as a
postcode; everything else is a name search in our own table, so people can still find their
MP by name when the postcode service is down.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.query import GROUP_CARD_FIELDS
from groups.models import LocalGroupPage
from letters.campaign import current_letters, letters_for
from letters.constituency_names import match_key
from letters.models import Constituency
from letters.postcodes import PostcodeOutcome, lookup_postcode

MAX_QUERY_LENGTH = 100
MAX_NAME_RESULTS = 20
MIN_NAME_LENGTH = 2


class FindOutcome(StrEnum):
    FOUND = "found"
    EMPTY = "empty"
    TOO_SHORT = "too-short"
    NO_MATCH = "no-match"
    POSTCODE_PROBLEM = "postcode-problem"
    SERVICE_DOWN = "service-down"


@dataclass(frozen=True)
class FoundConstituency:
    """A result and where it leads: the postcode answer (for a postcode search), the
    constituency's letters in the current campaigns, and the groups that cover it."""

    constituency: Constituency
    near_url: str
    letters: list[tuple[str, str]]  # (letter title, the letter for this constituency)
    groups: list[LocalGroupPage]


@dataclass
class FindResult:
    outcome: FindOutcome
    message: str
    constituencies: list[Constituency] = field(default_factory=list)
    postcode_outcome: PostcodeOutcome | None = None
    more_results: bool = False
    postcode: str = ""  # the postcode found, in its standard form

    @property
    def is_problem(self) -> bool:
        """True when the message should be shown as an error on the search field."""
        return self.outcome is not FindOutcome.FOUND

    @cached_property
    def found(self) -> list[FoundConstituency]:
        """Each constituency with its links: three queries whatever the number of results (four
        when both follow-up letters of an event are offered: its MPs' answers)."""
        if not self.constituencies:
            return []
        near_url = f"{reverse('near')}?{urlencode({'postcode': self.postcode})}"
        letters = letters_for(current_letters(), self.constituencies)
        groups: dict[int, list[LocalGroupPage]] = {pk: [] for pk in self.pks}
        covering = (
            LocalGroupPage.objects.covering()
            .filter(constituencies__in=self.pks)
            .order_by("title", "pk")
            .only(*GROUP_CARD_FIELDS)
            .distinct()
            .prefetch_related(
                Prefetch("constituencies", Constituency.objects.filter(pk__in=self.pks).only("pk"))
            )
        )
        for group in covering:
            for constituency in group.constituencies.all():
                groups[constituency.pk].append(group)
        return [
            FoundConstituency(
                constituency=constituency,
                near_url=near_url if self.postcode else "",
                letters=[
                    (
                        letter.title,
                        letter.get_url()
                        + letter.reverse_subpage("preview", args=[constituency.slug]),
                    )
                    for letter in letters[constituency.pk]
                ],
                groups=groups[constituency.pk],
            )
            for constituency in self.constituencies
        ]

    @property
    def pks(self) -> list[int]:
        return [constituency.pk for constituency in self.constituencies]


class FindYourMPForm(forms.Form):
    q = forms.CharField(
        label=_("Postcode, constituency or MP name"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_("For example SO14 0AA, Southampton Itchen or Darren Paffey"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Link the hint and the error (ids from templates/includes/form_field.html) to the box.
        auto_id = self["q"].auto_id
        self.fields["q"].widget.attrs["aria-describedby"] = f"{auto_id}-hint {auto_id}-error"

    def find(self) -> FindResult | None:
        """Run the search for a submitted form, putting any problem on the field.

        Returns None when nothing was submitted, so a page can show just the empty form.
        """
        if not self.is_bound:
            return None
        if not self.is_valid():
            return FindResult(FindOutcome.POSTCODE_PROBLEM, self.errors["q"][0])
        result = find_constituencies(self.cleaned_data["q"])
        if result.is_problem:
            self.add_error("q", result.message)
        return result


def looks_like_postcode(query: str) -> bool:
    return any(character.isdigit() for character in query)


def find_constituencies(query: str) -> FindResult:
    query = " ".join(query.split())
    if not query:
        return FindResult(FindOutcome.EMPTY, gettext("Enter a postcode, constituency or MP name."))
    if looks_like_postcode(query):
        return _find_by_postcode(query)
    return find_by_name(query)


def _find_by_postcode(query: str) -> FindResult:
    lookup = lookup_postcode(query)
    if lookup.found and lookup.constituency is not None:
        return FindResult(
            FindOutcome.FOUND,
            lookup.message,
            [lookup.constituency],
            lookup.outcome,
            postcode=lookup.postcode,
        )
    outcome = (
        FindOutcome.SERVICE_DOWN
        if lookup.outcome is PostcodeOutcome.SERVICE_DOWN
        else FindOutcome.POSTCODE_PROBLEM
    )
    return FindResult(outcome, lookup.message, [], lookup.outcome)


def find_by_name(query: str) -> FindResult:
    """Accent- and punctuation-insensitive substring search over 650 rows, done in Python.

    650 short names are cheap to scan and this behaves the same on SQLite and PostgreSQL.
    """
    wanted = match_key(query)
    if len(wanted.replace(" ", "")) < MIN_NAME_LENGTH:
        return FindResult(
            FindOutcome.TOO_SHORT,
            gettext("Enter at least two letters of a constituency or MP name."),
        )
    rows = Constituency.objects.values_list("pk", "name", "current_mp_name")
    by_name = [pk for pk, name, _ in rows if wanted in match_key(name)]
    by_mp = [pk for pk, name, mp in rows if mp and wanted in match_key(mp) and pk not in by_name]
    matching = by_name + by_mp
    if not matching:
        return FindResult(
            FindOutcome.NO_MATCH,
            gettext(
                "No constituency or MP matches “%(query)s”. Check the spelling, or enter a "
                "postcode."
            )
            % {"query": query},
        )
    shown = matching[:MAX_NAME_RESULTS]
    found = Constituency.objects.in_bulk(shown)
    constituencies = [found[pk] for pk in shown]
    count = len(matching)
    message = ngettext(
        "%(count)s constituency matches “%(query)s”.",
        "%(count)s constituencies match “%(query)s”.",
        count,
    ) % {"count": count, "query": query}
    if count > MAX_NAME_RESULTS:
        message += " " + gettext(
            "Showing the first %(shown)s; add more of the name to narrow it."
        ) % {"shown": MAX_NAME_RESULTS}
    return FindResult(
        FindOutcome.FOUND, message, constituencies, more_results=count > MAX_NAME_RESULTS
    )
