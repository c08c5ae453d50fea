""" "I've sent it": visitors say they sent their letter, and the public counter adds them up.

Nothing about the visitor is stored. Each click adds one to a per-day count of the letter
(the campaign: the English letter, whichever language the visitor clicks in, as downloads
count) and constituency (`InvitationSent`, counted like downloads). That a browser
has already said so for a constituency is kept in that browser only: a signed cookie listing
the constituencies' ids for this letter, which is all it holds, set for the letter's pages in
both languages (one cookie each, scoped to its page), so a click in one counts for the other. Clearing it lets a visitor
count again, which the per-client rate limit (`invitation-sent`) keeps within bounds.

The letter pages stay in the page cache: they link to the small confirmation page (its form
and CSRF cookie are never cached), and the counter they show comes from the database when a
page is rendered, with the page kept at most `COUNTER_SECONDS` by us and as long again by a
browser or CDN, so a figure is never more than a minute old, and a click never purges the
site's cache (the model says `shown_to_visitors = False`).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse

from core.cache import keep_for_at_most
from letters.downloads import add_to_todays_count
from letters.letter_languages import versions_of
from letters.models import Constituency, InvitationSent, LetterPage

# Pages that show the counter are kept this long by the page cache and by browsers each.
COUNTER_SECONDS = 30
COOKIE_SALT = "letters.invitations-sent"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class CampaignCounter:
    people: int
    constituencies: int


def campaign_counter(letter_page: LetterPage) -> CampaignCounter:
    """The invitations sent for a letter's campaign and the constituencies they went to (one
    query): the same figure on its English and Welsh pages.

    Marks the page being built as one the page cache keeps only `COUNTER_SECONDS`.
    """
    keep_for_at_most(COUNTER_SECONDS)
    # Counts are kept against the English letter; its translations share its key, so either
    # page reads them in the same one query.
    totals = InvitationSent.objects.filter(
        letter__translation_key=letter_page.translation_key
    ).aggregate(people=Sum("count"), constituencies=Count("constituency", distinct=True))
    return CampaignCounter(
        people=totals["people"] or 0, constituencies=totals["constituencies"] or 0
    )


def cookie_name(letter_page: LetterPage) -> str:
    return f"invitations-sent-{letter_page.pk}"


def constituencies_sent(request: HttpRequest, letter_page: LetterPage) -> set[int]:
    """The constituency ids this browser has said it sent this letter to (the signed cookie of
    the page it is on, English or Welsh); an unsigned, tampered or malformed cookie counts as
    none."""
    value = request.get_signed_cookie(
        cookie_name(letter_page), default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    return {int(part) for part in value.split(",") if part.isdigit()}


def has_sent(request: HttpRequest, letter_page: LetterPage, constituency: Constituency) -> bool:
    return constituency.pk in constituencies_sent(request, letter_page)


def record_sent(
    request: HttpRequest,
    response: HttpResponse,
    letter_page: LetterPage,
    constituency: Constituency,
) -> bool:
    """Count one invitation sent for the letter's campaign, unless this browser already said
    so in either language; True when counted."""
    sent = constituencies_sent(request, letter_page)
    if constituency.pk in sent:
        return False
    versions = versions_of(letter_page)
    add_to_todays_count(InvitationSent, letter=versions.english, constituency=constituency)
    value = ",".join(str(pk) for pk in sorted(sent | {constituency.pk}))
    for page in (versions.english, versions.welsh):
        if page is None:
            continue
        response.set_signed_cookie(
            cookie_name(page),
            value,
            salt=COOKIE_SALT,
            max_age=COOKIE_MAX_AGE,
            path=urlsplit(page.get_url(request) or "/").path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return True
