""" "I've sent it": visitors say they sent their letter, and the public counter adds them up.

Nothing about the visitor is stored. Each click adds one to a per-day count of the letter
(the campaign) and constituency (`InvitationSent`, counted like downloads). That a browser
has already said so for a constituency is kept in that browser only: a signed cookie listing
the constituencies' ids for this letter, which is all it holds. Clearing it lets a visitor
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
    """The invitations sent for a letter and the constituencies they went to (one query).

    Marks the page being built as one the page cache keeps only `COUNTER_SECONDS`.
    """
    keep_for_at_most(COUNTER_SECONDS)
    totals = InvitationSent.objects.filter(letter=letter_page).aggregate(
        people=Sum("count"), constituencies=Count("constituency", distinct=True)
    )
    return CampaignCounter(
        people=totals["people"] or 0, constituencies=totals["constituencies"] or 0
    )


def cookie_name(letter_page: LetterPage) -> str:
    return f"invitations-sent-{letter_page.pk}"


def constituencies_sent(request: HttpRequest, letter_page: LetterPage) -> set[int]:
    """The constituency ids this browser has said it sent this letter to (its signed cookie);
    an unsigned, tampered or malformed cookie counts as none."""
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
    """Count one invitation sent, unless this browser already said so; True when counted."""
    sent = constituencies_sent(request, letter_page)
    if constituency.pk in sent:
        return False
    add_to_todays_count(InvitationSent, letter=letter_page, constituency=constituency)
    response.set_signed_cookie(
        cookie_name(letter_page),
        ",".join(str(pk) for pk in sorted(sent | {constituency.pk})),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        path=urlsplit(letter_page.get_url(request) or "/").path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return True
