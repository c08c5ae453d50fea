"""/api/v3/constituencies/, /api/v3/letters/ and /api/v3/near/: find an MP and get their letter
as data, or the whole one-postcode answer of /near/.

Postcode lookups give the outcomes of the public "Find your MP" search (letters/postcodes.py)
as statuses: found 200; not a postcode 400; a real postcode with no MP at Westminster 404;
the lookup service down 503. Letters are assembled by letters/assembly.py, the same code the
Word, PDF and text downloads use, so the JSON says what the files say.
"""

import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.errors import ProblemDetail

from core.api_access import require_token
from core.api_contract import (
    DEFAULT_LIMIT,
    ERROR_RESPONSES,
    Limit,
    Offset,
    PageId,
    PageLink,
    ParameterError,
    ProblemError,
    Slug,
    absolute,
    paged_list,
)
from core.cache import keep_for_at_most
from core.choices import Nation, Region
from core.query import all_pages
from core.security import retry_after
from events.api import EventSummary, event_summary
from groups.api import GroupListItem, group_list_item
from groups.permissions import is_national_staff
from letters.assembly import (
    BulletList,
    EventDetails,
    Letter,
    Paragraph,
    SignOff,
    assemble_letter,
    coverage_for,
)
from letters.campaign import Figures, answers_for_letters, campaign_figures
from letters.constituency_names import match_key
from letters.find_mp import MAX_QUERY_LENGTH, MIN_NAME_LENGTH
from letters.invitations import COUNTER_SECONDS
from letters.models import Constituency, DownloadFormat, LetterKind, LetterPage, MPAnswer
from letters.near import answer_postcode
from letters.postcodes import PostcodeLookup, PostcodeOutcome, lookup_postcode
from letters.renderers import FORMATS
from letters.viewsets import answer_date_problem, answerable_constituencies

constituencies_router = Router(tags=["constituencies"])
letters_router = Router(tags=["letters"])
near_router = Router(tags=["near"])

# What an endpoint taking a postcode answers besides its success (postcode_problem, and the
# rate limit of count_postcode_lookup).
POSTCODE_PROBLEMS = dict.fromkeys((400, 404, 429, 503), ProblemDetail)
# Outcomes that mean the text typed is not a usable postcode: the client must fix it.
BAD_POSTCODE = {PostcodeOutcome.EMPTY, PostcodeOutcome.MALFORMED, PostcodeOutcome.PARTIAL}


class ConstituencyFilters(Schema):
    q: str | None = Field(
        None, max_length=MAX_QUERY_LENGTH, description="Part of a constituency or MP name"
    )
    nation: Nation | None = None
    region: Region | None = None
    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0


class MP(Schema):
    name: str
    full_title: str
    party: str
    member_id: int | None


class ConstituencySummary(Schema):
    gss_code: str
    name: str
    slug: str
    nation: Nation
    region: Region
    mp: MP | None
    detail_url: str


class ConstituencyList(Schema):
    count: int
    items: list[ConstituencySummary]


class GroupLink(PageLink):
    slug: str


class ConstituencyDetail(ConstituencySummary):
    mp_updated_at: datetime.datetime | None
    groups: list[GroupLink]


class PostcodeLookupResult(Schema):
    outcome: Literal["found"]
    message: str
    postcode: str
    constituency: ConstituencySummary


def constituency_summary(request: HttpRequest, constituency: Constituency) -> dict[str, Any]:
    mp = None
    if not constituency.is_vacant:
        mp = {
            "name": constituency.current_mp_name,
            "full_title": constituency.current_mp_full_title or constituency.current_mp_name,
            "party": constituency.current_mp_party,
            "member_id": constituency.current_mp_member_id,
        }
    return {
        "gss_code": constituency.gss_code,
        "name": constituency.name,
        "slug": constituency.slug,
        "nation": constituency.nation,
        "region": constituency.region,
        "mp": mp,
        "detail_url": absolute(
            request, reverse("wagtailapi_v3:constituency_detail", args=[constituency.slug])
        ),
    }


@constituencies_router.get(
    "/",
    response={200: ConstituencyList, **ERROR_RESPONSES},
    url_name="constituency_list",
    summary="List constituencies, by name, nation or region",
    operation_id="constituencies_list",
)
def list_constituencies(
    request: HttpRequest,
    filters: ConstituencyFilters = Query(...),  # noqa: B008
) -> dict[str, Any]:
    rows = Constituency.objects.order_by("name", "pk")
    if filters.nation:
        rows = rows.filter(nation=filters.nation)
    if filters.region:
        rows = rows.filter(region=filters.region)
    query = " ".join((filters.q or "").split())
    if not query:
        return paged_list(request, rows, filters.offset, filters.limit, constituency_summary)
    # Matched like the public search: accents, case and punctuation do not matter.
    wanted = match_key(query)
    if "\x00" in query or len(wanted.replace(" ", "")) < MIN_NAME_LENGTH:
        raise ParameterError("q", "q: enter at least two letters of a constituency or MP name.")
    matching = [
        pk
        for pk, name, mp in rows.values_list("pk", "name", "current_mp_name")
        if wanted in match_key(name) or (mp and wanted in match_key(mp))
    ]
    shown = matching[filters.offset : filters.offset + filters.limit]
    found = Constituency.objects.in_bulk(shown)
    return {
        "count": len(matching),
        "items": [constituency_summary(request, found[pk]) for pk in shown],
    }


@constituencies_router.get(
    "/lookup/",
    response={200: PostcodeLookupResult, **POSTCODE_PROBLEMS},
    url_name="constituency_lookup",
    summary="The constituency of a UK postcode",
    description=(
        "400: not a full UK postcode. 404: a postcode with no Westminster constituency we "
        "know of (withdrawn, Crown dependency, not found). 429: too many lookups from one "
        "address (the Find your MP form's limit, shared; see Retry-After). 503: the postcode "
        "service is down; search by name instead. The problem's `errors[0].type` is the outcome."
    ),
    operation_id="constituencies_lookup",
)
def lookup_constituency(
    request: HttpRequest,
    postcode: str = Query(..., max_length=MAX_QUERY_LENGTH),  # noqa: B008
) -> dict[str, Any]:
    count_postcode_lookup(request)
    lookup = lookup_postcode(postcode)
    if lookup.found and lookup.constituency is not None:
        return {
            "outcome": "found",
            "message": lookup.message,
            "postcode": lookup.postcode,
            "constituency": constituency_summary(request, lookup.constituency),
        }
    raise postcode_problem(lookup)


def count_postcode_lookup(request: HttpRequest) -> None:
    """The same per-client budget as the Find your MP form and /near/: all ask postcodes.io."""
    seconds = retry_after("postcode-lookup", request)
    if seconds is not None:
        raise ProblemError(
            429,
            f"Too many postcode lookups from your address. Try again in {seconds} "
            "seconds, or search by constituency or MP name.",
            [{"parameter": "postcode", "message": "rate limited", "type": "rate-limited"}],
            headers={"Retry-After": str(seconds)},
        )


def postcode_problem(lookup: PostcodeLookup) -> Exception:
    """The error for a lookup with no answer: 400 for text that is not a full postcode, 503
    while the lookup service is down, 404 otherwise; `errors[0].type` is the outcome."""
    if lookup.outcome in BAD_POSTCODE:
        return ParameterError("postcode", lookup.message, code=str(lookup.outcome))
    error = {"parameter": "postcode", "message": lookup.message, "type": str(lookup.outcome)}
    status = 503 if lookup.outcome is PostcodeOutcome.SERVICE_DOWN else 404
    return ProblemError(status, lookup.message, [error])


@constituencies_router.get(
    "/{slug}/",
    response={200: ConstituencyDetail, **ERROR_RESPONSES},
    url_name="constituency_detail",
    summary="One constituency, its MP and the groups that cover it",
    operation_id="constituencies_detail",
)
def get_constituency(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    from groups.models import LocalGroupPage

    constituency = Constituency.objects.filter(slug=slug).first()
    if constituency is None:
        raise Http404(f"No constituency has the slug “{slug}”.")
    groups = LocalGroupPage.objects.covering().filter(constituencies=constituency)
    return {
        **constituency_summary(request, constituency),
        "mp_updated_at": constituency.mp_updated_at,
        "groups": [
            {
                "id": group.pk,
                "title": group.title,
                "slug": group.slug,
                "html_url": group.get_full_url(request),
            }
            for group in groups.order_by("title")
        ],
    }


class LetterSummary(Schema):
    id: int
    title: str
    slug: str
    kind: LetterKind
    introduction: str
    event: PageLink | None
    html_url: str | None
    page_url: str
    is_open: bool = Field(
        description=(
            "Whether the letter's campaign runs now: opened and not yet closed. Only an open "
            "invitation counts “I've sent it” and takes email addresses."
        )
    )
    opens_at: datetime.datetime | None = Field(
        description=(
            "When the campaign opens: the date staff set, else a follow-up letter's event's "
            "end; null when it opened with its publication."
        )
    )
    closes_at: datetime.datetime | None = Field(
        description=(
            "When the campaign closes: the date staff set, else an invitation's event's end; "
            "null while no close is set."
        )
    )


class LetterList(Schema):
    count: int
    items: list[LetterSummary]


class ParagraphBlock(Schema):
    type: Literal["paragraph"]
    text: str


class BulletListBlock(Schema):
    type: Literal["bullet_list"]
    lead_in: str
    items: list[str]


class EventDetailsBlock(Schema):
    type: Literal["event_details"]
    lines: list[str]


class SignOffBlock(Schema):
    type: Literal["sign_off"]
    closing: str
    sender_name: str
    address_lines: list[str]


LetterBlock = Annotated[
    ParagraphBlock | BulletListBlock | EventDetailsBlock | SignOffBlock,
    Field(discriminator="type"),
]


class Downloads(Schema):
    docx: str
    pdf: str
    txt: str


class AssembledLetter(Schema):
    """One constituency's letter, as the Word, PDF and text downloads say it."""

    letter: LetterSummary
    constituency: ConstituencySummary
    group: GroupLink | None
    title: str
    recipient_lines: list[str]
    date: str
    salutation: str
    blocks: list[LetterBlock]
    preview_url: str | None
    downloads: Downloads | None = Field(
        description="The files to download and send; null once the letter's campaign has "
        "closed: the letter is kept as a record (its preview), not to be sent, and its "
        "download addresses answer 410"
    )


def published_letters():
    """Letters the public may see (`visible_to_public`), each knowing whether its event is too."""
    return (
        LetterPage.objects.visible_to_public()
        .select_related("event")
        .annotate(
            event_is_public=Exists(all_pages().visible_to_public().filter(pk=OuterRef("event")))
        )
        .order_by("title", "pk")
    )


def letter_summary(request: HttpRequest, letter: LetterPage) -> dict[str, Any]:
    event = letter.event
    return {
        "id": letter.pk,
        "title": letter.title,
        "slug": letter.slug,
        "kind": letter.kind,
        "introduction": letter.introduction,
        "event": {"id": event.pk, "title": event.title, "html_url": event.get_full_url(request)}
        if event is not None and letter.event_is_public
        else None,
        "html_url": letter.get_full_url(request),
        "page_url": absolute(request, reverse("wagtailapi_v3:detail_page", args=[letter.pk])),
        # The effective dates (LetterPage.campaign_opens / campaign_closes), from the event
        # published_letters() reads with the letter: no query more.
        "is_open": letter.is_open,
        "opens_at": letter.campaign_opens,
        "closes_at": letter.campaign_closes,
    }


def letter_blocks(letter: Letter) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for block in letter.blocks:
        if isinstance(block, Paragraph):
            blocks.append({"type": block.kind, "text": block.text})
        elif isinstance(block, BulletList):
            blocks.append({"type": block.kind, "lead_in": block.lead_in, "items": block.items})
        elif isinstance(block, EventDetails):
            blocks.append({"type": block.kind, "lines": block.lines})
        elif isinstance(block, SignOff):
            blocks.append(
                {
                    "type": block.kind,
                    "closing": block.closing,
                    "sender_name": block.sender_name,
                    "address_lines": block.address_lines,
                }
            )
    return blocks


@letters_router.get(
    "/",
    response={200: LetterList, **ERROR_RESPONSES},
    url_name="letter_list",
    summary="List published letter campaigns",
    operation_id="letters_list",
)
def list_letters(
    request: HttpRequest,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    return paged_list(request, published_letters(), offset, limit, letter_summary)


class CampaignCounts(Schema):
    constituencies: int = Field(description="Constituencies counted")
    letters_downloaded: int
    invitations_sent: int = Field(description="Visitors who said they sent the letter")
    constituencies_invited: int = Field(description="Constituencies with an invitation sent")
    replied: int = Field(description="MPs whose latest recorded answer is: replied")
    will_attend: int = Field(description="MPs whose latest recorded answer is: will attend")
    declined: int = Field(description="MPs whose latest recorded answer is: declined")
    attended: int = Field(description="MPs whose latest recorded answer is: attended")


class AreaCampaignCounts(CampaignCounts):
    code: str
    name: str


class LetterCampaign(Schema):
    """A letter campaign's figures: counts only, nothing about any visitor."""

    letter: LetterSummary
    totals: CampaignCounts
    nations: list[AreaCampaignCounts]
    regions: list[AreaCampaignCounts]


def campaign_counts(figures: Figures) -> dict[str, int]:
    return {
        "constituencies": figures.constituencies,
        "letters_downloaded": figures.downloaded,
        "invitations_sent": figures.sent,
        "constituencies_invited": figures.invited,
        "replied": figures.replied,
        "will_attend": figures.will_attend,
        "declined": figures.declined,
        "attended": figures.attended,
    }


@letters_router.get(
    "/{letter_slug}/campaign/",
    response={200: LetterCampaign, **ERROR_RESPONSES},
    url_name="letter_campaign",
    summary="A letter campaign's figures, in total and per nation and region",
    description=(
        "Letters downloaded, invitations visitors said they sent, and MPs by their latest "
        "recorded answer (answers count for every letter of the same event). Aggregates only. "
        f"The figures may be up to a minute old: the site keeps an answer {COUNTER_SECONDS} s "
        f"and browsers and CDNs may keep it {COUNTER_SECONDS} s more (max-age)."
    ),
    operation_id="letters_campaign",
)
def get_letter_campaign(request: HttpRequest, letter_slug: Slug) -> dict[str, Any]:
    letter_page = published_letters().filter(slug=letter_slug).first()
    if letter_page is None:
        raise Http404(f"No published letter has the slug “{letter_slug}”.")
    keep_for_at_most(COUNTER_SECONDS)
    figures = campaign_figures(letter_page, Constituency.objects.all())
    return {
        "letter": letter_summary(request, letter_page),
        "totals": campaign_counts(figures.total),
        "nations": [
            {"code": area.code, "name": area.name, **campaign_counts(area.figures)}
            for area in figures.nations
        ],
        "regions": [
            {"code": area.code, "name": area.name, **campaign_counts(area.figures)}
            for area in figures.regions
        ],
    }


# MPs' answers, recorded by national staff (any constituency) and local group editors (their
# group's constituencies: `answerable_constituencies`, the admin's rule). A bearer token is
# required; a session cookie is never enough (Wagtail's BearerTokenAuth and AllowAnonymous
# replace request.user by the token's user, or an anonymous one).
TOKEN_AUTH = [BearerTokenAuth(), AllowAnonymous()]
ANSWER_PROBLEMS = dict.fromkeys((400, 401, 403, 404), ProblemDetail)


class AnswerConstituency(Schema):
    slug: str
    gss_code: str
    name: str


class RecordedAnswer(Schema):
    id: int
    constituency: AnswerConstituency
    answer: MPAnswer.Answer
    date: datetime.date
    recorded_at: datetime.datetime
    recorded_by: Literal["national-staff", "local-group"] | None = Field(
        description="Who recorded it: national staff or a local group's editor (null when "
        "the account no longer exists); never which person"
    )


class RecordedAnswerList(Schema):
    count: int
    items: list[RecordedAnswer]


class NewAnswer(Schema):
    constituency: Slug = Field(description="The constituency's slug or GSS code")
    answer: MPAnswer.Answer
    date: datetime.date = Field(description="When the MP answered; not in the future")


def answers_letter(request: HttpRequest, letter_slug: str, action: str) -> LetterPage:
    """The published letter whose answers a token's user may `action` (401, 403, 404)."""
    require_answer_permission(request, action)
    letter_page = published_letters().filter(slug=letter_slug).first()
    if letter_page is None:
        raise Http404(f"No published letter has the slug “{letter_slug}”.")
    return letter_page


def require_answer_permission(request: HttpRequest, action: str) -> None:
    """A token whose user holds the admin's model permission for this action on answers."""
    require_token(request)
    if not request.user.has_perm(f"letters.{action}_mpanswer"):
        raise PermissionDenied(f"This token's user may not {action} MPs' answers.")


def require_answerable(request: HttpRequest, constituency_id: int, doing: str) -> None:
    """A 403 unless the admin's rule lets the token's user record for this constituency."""
    if not answerable_constituencies(request.user).filter(pk=constituency_id).exists():
        raise PermissionDenied(f"You may not {doing}: the constituency is not one of your group's.")


def recorded_answer(answer: MPAnswer, staff: dict[int, bool]) -> dict[str, Any]:
    constituency = answer.constituency
    recorder = None
    if answer.recorded_by_id is not None:
        recorder = "national-staff" if staff[answer.recorded_by_id] else "local-group"
    return {
        "id": answer.pk,
        "constituency": {
            "slug": constituency.slug,
            "gss_code": constituency.gss_code,
            "name": constituency.name,
        },
        "answer": answer.answer,
        "date": answer.date,
        "recorded_at": answer.recorded_at,
        "recorded_by": recorder,
    }


def staff_recorders(answers: list[MPAnswer]) -> dict[int, bool]:
    """Whether each recorder of these answers is national staff (one check per person)."""
    users = {answer.recorded_by_id: answer.recorded_by for answer in answers if answer.recorded_by}
    return {pk: is_national_staff(user) for pk, user in users.items()}


@letters_router.get(
    "/{letter_slug}/answers/",
    response={200: RecordedAnswerList, **ANSWER_PROBLEMS},
    url_name="letter_answers",
    summary="MPs' answers to a letter campaign that the token's user may record",
    description=(
        "Needs a bearer token. National staff see every answer; a local group's editors those "
        "for the constituencies their group covers. Newest first."
    ),
    operation_id="letters_answers_list",
    auth=TOKEN_AUTH,
)
def list_answers(
    request: HttpRequest,
    letter_slug: Slug,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    letter_page = answers_letter(request, letter_slug, "view")
    rows = (
        MPAnswer.objects.filter(
            letter=letter_page,
            constituency__in=answerable_constituencies(request.user),
        )
        .select_related("constituency", "recorded_by")
        .order_by("-date", "-recorded_at", "-pk")
    )
    shown = list(rows[offset : offset + limit])
    staff = staff_recorders(shown)
    return {
        "count": rows.count(),
        "items": [recorded_answer(answer, staff) for answer in shown],
    }


@letters_router.post(
    "/{letter_slug}/answers/",
    response={201: RecordedAnswer, **ANSWER_PROBLEMS},
    url_name="letter_answer_record",
    summary="Record an MP's answer to a letter campaign",
    description=(
        "Needs a bearer token. National staff may record for any constituency; a local "
        "group's editors only for the constituencies their group covers (403 otherwise, and "
        "nothing is stored). 400: an unknown constituency, an answer not in the list, a date "
        "in the future or before 2000. Visitors' pages show the new answer at once."
    ),
    operation_id="letters_answers_record",
    auth=TOKEN_AUTH,
)
def record_answer(request: HttpRequest, letter_slug: Slug, body: NewAnswer) -> Status:
    letter_page = answers_letter(request, letter_slug, "add")
    constituency = Constituency.objects.filter(
        Q(slug=body.constituency) | Q(gss_code=body.constituency.upper())
    ).first()
    if constituency is None:
        raise ParameterError(
            "constituency",
            f"constituency: no constituency has the slug or code “{body.constituency}”.",
        )
    problem = answer_date_problem(body.date)
    if problem:
        raise ParameterError("date", f"date: {problem}")
    require_answerable(request, constituency.pk, f"record answers for {constituency.name}")
    answer = MPAnswer.objects.create(
        letter=letter_page,
        constituency=constituency,
        answer=body.answer,
        date=body.date,
        recorded_by=request.user,
    )
    return Status(201, recorded_answer(answer, staff_recorders([answer])))


@letters_router.delete(
    "/{letter_slug}/answers/{answer_id}/",
    response={204: None, **ANSWER_PROBLEMS},
    url_name="letter_answer_delete",
    summary="Delete an MP's answer recorded by mistake",
    description=(
        "Needs a bearer token whose user may delete MPs' answers (as in the admin), for a "
        "constituency they may record for (403 otherwise, and nothing is deleted)."
    ),
    operation_id="letters_answers_delete",
    auth=TOKEN_AUTH,
)
def delete_answer(request: HttpRequest, letter_slug: Slug, answer_id: PageId) -> Status:
    letter_page = answers_letter(request, letter_slug, "delete")
    answer = MPAnswer.objects.filter(letter=letter_page, pk=answer_id).first()
    if answer is None:
        raise Http404(f"No answer {answer_id} was recorded for this letter.")
    require_answerable(request, answer.constituency_id, f"delete answer {answer.pk}")
    answer.delete()
    return Status(204, None)


@letters_router.get(
    "/{letter_slug}/{constituency_slug}/",
    response={200: AssembledLetter, **ERROR_RESPONSES},
    url_name="letter_for_constituency",
    summary="A letter filled in for one constituency, with its download URLs",
    operation_id="letters_for_constituency",
)
def get_letter_for_constituency(
    request: HttpRequest, letter_slug: Slug, constituency_slug: Slug
) -> dict[str, Any]:
    letter_page = published_letters().filter(slug=letter_slug).first()
    if letter_page is None:
        raise Http404(f"No published letter has the slug “{letter_slug}”.")
    constituency = Constituency.objects.filter(slug=constituency_slug).first()
    if constituency is None:
        raise Http404(f"No constituency has the slug “{constituency_slug}”.")
    coverage = coverage_for([constituency])[constituency.pk]
    answer = answers_for_letters(letter_page, [constituency]).get(constituency.pk)
    letter = assemble_letter(letter_page, constituency, coverage, answer=answer)
    page_url = letter_page.get_full_url(request)
    preview = letter_page.reverse_subpage(
        "preview", kwargs={"constituency_slug": constituency.slug}
    )

    def download(format_name: str) -> str:
        route = letter_page.reverse_subpage(
            "download",
            kwargs={"constituency_slug": constituency.slug, "format_name": format_name},
        )
        return f"{page_url}{route}"

    group = coverage.group
    return {
        "letter": letter_summary(request, letter_page),
        "constituency": constituency_summary(request, constituency),
        "group": {
            "id": group.pk,
            "title": group.title,
            "slug": group.slug,
            "html_url": group.get_full_url(request),
        }
        if group is not None
        else None,
        "title": letter.title,
        "recipient_lines": letter.recipient_lines,
        "date": letter.date,
        "salutation": letter.salutation,
        "blocks": letter_blocks(letter),
        "preview_url": f"{page_url}{preview}" if page_url else None,
        "downloads": None if letter_page.is_closed else {name: download(name) for name in FORMATS},
    }


class MPContact(Schema):
    email: str | None = Field(description="The MP's parliamentary email, where the data has one")
    postal_address: str = Field(description="Where to post a letter: the House of Commons")
    parliament_url: str | None = Field(description="The MP's contact page on Parliament's site")


class LetterForConstituency(Schema):
    id: int
    title: str
    slug: str
    html_url: str | None
    preview_url: str
    downloads: Downloads
    sent_url: str | None = Field(
        description="An invitation's “I've sent it” page for the constituency (a form that "
        "counts the invitation, anonymously); null for a follow-up letter"
    )


class NearAnswer(Schema):
    """/near/'s answer: the constituency and its MP, groups, letters and events near a postcode."""

    outcome: Literal["found", "constituency-not-loaded"] = Field(
        description="constituency-not-loaded: a real postcode in a constituency whose details "
        "are not loaded yet; nearby groups and events are still given"
    )
    message: str
    postcode: str
    latitude: float | None
    longitude: float | None
    html_url: str = Field(description="The same answer as a page")
    constituency: ConstituencySummary | None
    mp_contact: MPContact | None
    covering_groups: list[GroupListItem] = Field(
        description="The live groups that cover the constituency"
    )
    nearby_km: int
    nearest_groups: list[GroupListItem] = Field(
        description="The nearest active groups within nearby_km, nearest first, with distance"
    )
    letters: list[LetterForConstituency] = Field(
        description="The current campaigns' letters, filled in for the constituency"
    )
    events: list[EventSummary] = Field(
        description="The next events of the nearest and covering groups, and national ones"
    )


@near_router.get(
    "/",
    response={200: NearAnswer, **POSTCODE_PROBLEMS},
    url_name="near",
    summary="One postcode, one answer: constituency, MP, nearest groups, letters, events",
    description=(
        "The answer of the /near/ page as data, with its outcomes as statuses. 400: not a full "
        "UK postcode. 404: a postcode with no Westminster constituency (withdrawn, Crown "
        "dependency, BFPO, not found). 429: too many lookups from one address (the postcode "
        "lookup limit, shared; see Retry-After). 503: the postcode service is down and the "
        "imported postcode directory does not hold this postcode; search constituencies by "
        "name instead. The problem's `errors[0].type` is the outcome."
    ),
    operation_id="near",
)
def near_postcode(
    request: HttpRequest,
    postcode: str = Query(..., max_length=MAX_QUERY_LENGTH),  # noqa: B008
) -> dict[str, Any]:
    count_postcode_lookup(request)
    answer = answer_postcode(request, postcode)
    prefetch_related_objects(answer.events, "tags")
    lookup = answer.lookup
    if lookup.outcome not in (PostcodeOutcome.FOUND, PostcodeOutcome.CONSTITUENCY_NOT_LOADED):
        raise postcode_problem(lookup)
    constituency = answer.constituency
    mp_contact = None
    if constituency is not None and not constituency.is_vacant:
        mp_contact = {
            "email": constituency.current_mp_email or None,
            "postal_address": f"{constituency.current_mp_name}, {answer.house_of_commons}",
            "parliament_url": answer.parliament_url or None,
        }
    return {
        "outcome": str(lookup.outcome),
        "message": lookup.message,
        "postcode": lookup.postcode,
        "latitude": lookup.latitude,
        "longitude": lookup.longitude,
        "html_url": absolute(
            request, f"{reverse('near')}?{urlencode({'postcode': lookup.postcode})}"
        ),
        "constituency": constituency_summary(request, constituency) if constituency else None,
        "mp_contact": mp_contact,
        "covering_groups": [group_list_item(request, group) for group in answer.covering_groups],
        "nearby_km": answer.nearby_km,
        "nearest_groups": [group_list_item(request, group) for group in answer.nearest_groups],
        "letters": [
            {
                "id": links.letter.pk,
                "title": links.letter.title,
                "slug": links.letter.slug,
                "html_url": absolute(request, links.letter.get_url(request)),
                "preview_url": absolute(request, links.preview_url),
                "downloads": {
                    value: absolute(request, url)
                    for value, (_, url) in zip(DownloadFormat.values, links.downloads, strict=True)
                },
                "sent_url": absolute(request, links.sent_url) if links.sent_url else None,
            }
            for links in answer.letters
        ],
        "events": [event_summary(request, event) for event in answer.events],
    }
