"""A letter campaign's figures and its MPs' answers, read the same way by the admin dashboard
(letters/reports.py), the API (letters/api.py) and the follow-up letters (which one a
constituency gets, and the `{mp_answer}` wording).

A campaign is an event's letters: the invitation and its follow-ups share the answers
recorded for any of them, by staff (MPAnswer) or reported by visitors through the question
email (VisitorAnswer, always counted apart); an answer recorded against a letter with no event
counts for that letter alone. Downloads and invitations sent stay per letter. Every figure is
computed by the database in a fixed number of queries, whatever the number of constituencies.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.cache import for_this_request
from core.choices import Nation, Region
from letters.models import (
    Constituency,
    InvitationSent,
    LetterDownload,
    LetterKind,
    LetterPage,
    MPAnswer,
    VisitorAnswer,
)

Answer = MPAnswer.Answer
NEWEST_ANSWER_FIRST = ("-date", "-recorded_at", "-pk")


def current_letters() -> list[LetterPage]:
    """Published letters whose campaign is open (LetterPage.opens_at / closes_at), newest
    first. A closed invitation is never among them, even when no campaign is open.

    Read once per content generation: a publish, or a campaign opening or closing (a
    scheduled change, core.cache), starts a new one."""
    return for_this_request("current-letters:v2", find_current_letters)


def find_current_letters() -> list[LetterPage]:
    return list(
        LetterPage.objects.visible_to_public()
        .open_campaigns()
        .order_by("-first_published_at", "-pk")
        .only("title", "url_path", "path", "depth", "introduction", "kind", "event")
    )


def default_campaign_letter() -> LetterPage | None:
    """The current invitation campaign (as /near/ offers it), else the newest invitation (after
    its close, while staff record who came), else the newest letter."""
    current = [letter for letter in current_letters() if letter.kind == LetterKind.INVITATION]
    if current:
        return LetterPage.objects.select_related("event").get(pk=current[0].pk)
    letters = LetterPage.objects.select_related("event").order_by(
        Case(When(kind=LetterKind.INVITATION, then=0), default=1), "-first_published_at", "-pk"
    )
    return letters.first()


def in_campaign(
    model: type[MPAnswer | VisitorAnswer], letter_page: LetterPage
) -> QuerySet[MPAnswer | VisitorAnswer]:
    """A letter's answers, staff's or visitors': those of every letter of its event."""
    if letter_page.event_id is not None:
        return model.objects.filter(letter__event_id=letter_page.event_id)
    return model.objects.filter(letter=letter_page)


def campaign_answers(letter_page: LetterPage) -> QuerySet[MPAnswer]:
    """The answers staff recorded that count for a letter, newest first."""
    return in_campaign(MPAnswer, letter_page).order_by(*NEWEST_ANSWER_FIRST)


def latest_answers(
    letter_page: LetterPage, constituencies: Iterable[Constituency]
) -> dict[int, str]:
    """Each constituency's latest answer for the campaign (one query; absent: none)."""
    ids = [constituency.pk for constituency in constituencies]
    latest: dict[int, str] = {}
    rows = campaign_answers(letter_page).filter(constituency_id__in=ids)
    for constituency_id, answer in rows.values_list("constituency_id", "answer"):
        latest.setdefault(constituency_id, answer)  # newest first: the first one seen wins
    return latest


def count_for_letter(model: type[LetterDownload | InvitationSent], letter: LetterPage) -> Coalesce:
    """A constituency's total of a per-day counter for one letter, as a subquery (0 if none)."""
    totals = (
        model.objects.filter(letter=letter, constituency=OuterRef("pk"))
        .order_by()
        .values("constituency")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


# What visitors said through the question email's links that means their MP replied: any
# answer but "no reply yet" (saying they will attend, or declining, is replying).
VISITOR_REPLIES = (
    VisitorAnswer.Answer.REPLIED,
    VisitorAnswer.Answer.WILL_ATTEND,
    VisitorAnswer.Answer.DECLINED,
)


def visitors_saying(letter_page: LetterPage, answers: Iterable[str]) -> Coalesce:
    """How many visitors reported one of these answers for a constituency's MP in the
    letter's campaign, as a subquery (0 if none)."""
    counts = (
        in_campaign(VisitorAnswer, letter_page)
        .filter(constituency=OuterRef("pk"), answer__in=answers)
        .order_by()
        .values("constituency")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def visitor_reports(letter_page: LetterPage) -> dict[str, Coalesce]:
    """The annotations `visitors_replied` and `visitors_will_attend` of constituencies."""
    return {
        "visitors_replied": visitors_saying(letter_page, VISITOR_REPLIES),
        "visitors_will_attend": visitors_saying(letter_page, [VisitorAnswer.Answer.WILL_ATTEND]),
    }


def campaign_rows(letter_page: LetterPage, constituencies: QuerySet[Constituency]) -> QuerySet:
    """The constituencies with the letter's downloads and invitations sent, the MP's latest
    answer staff recorded with its date and label, and how many visitors reported through the
    question email that the MP replied or will attend (their word, kept apart from staff's):
    one query, each figure a subquery."""
    answers = campaign_answers(letter_page).filter(constituency=OuterRef("pk"))
    return constituencies.annotate(
        **visitor_reports(letter_page),
        downloaded=count_for_letter(LetterDownload, letter_page),
        sent=count_for_letter(InvitationSent, letter_page),
        latest_answer=Subquery(answers.values("answer")[:1]),
        latest_answer_date=Subquery(answers.values("date")[:1]),
        latest_answer_label=Case(
            *[When(latest_answer=code, then=Value(label)) for code, label in Answer.choices],
            default=Value(""),
        ),
    )


@dataclass
class Figures:
    """One area's campaign: its seats, what visitors did, and its MPs by latest answer."""

    constituencies: int = 0
    downloaded: int = 0
    sent: int = 0
    invited: int = 0  # seats with at least one invitation sent
    replied: int = 0
    will_attend: int = 0
    declined: int = 0
    attended: int = 0
    waiting: int = 0  # seats invited whose MP has no answer recorded
    # Visitors' own reports through the question email (not staff's), in visitors, not seats.
    visitors_replied: int = 0
    visitors_will_attend: int = 0

    @property
    def answered(self) -> int:
        return self.replied + self.will_attend + self.declined + self.attended

    @property
    def not_invited(self) -> int:
        """Seats with no invitation sent and no answer recorded."""
        return self.constituencies - self.answered - self.waiting

    def add(self, other: "Figures") -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def as_dict(self) -> dict[str, int]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


def by_answer(code: str) -> Count:
    return Count("pk", filter=Q(latest_answer=code))


@dataclass
class AreaFigures:
    code: str
    name: str
    figures: Figures


@dataclass
class CampaignFigures:
    """A campaign's figures for the constituencies given: in total, per nation, per region."""

    total: Figures
    nations: list[AreaFigures]
    regions: list[AreaFigures]


def campaign_figures(
    letter_page: LetterPage, constituencies: QuerySet[Constituency]
) -> CampaignFigures:
    """A letter's figures for these constituencies (one query)."""
    return figures_of_rows(campaign_rows(letter_page, constituencies))


def figures_of_rows(rows: QuerySet) -> CampaignFigures:
    """Totals of `campaign_rows` per region (one grouped query), added up per nation and
    overall. Every nation and region is listed, with zeros where nothing happened."""
    grouped = (
        rows.order_by()
        .values("nation", "region")
        .annotate(
            seats=Count("pk"),
            total_downloaded=Sum("downloaded"),
            total_sent=Sum("sent"),
            seats_invited=Count("pk", filter=Q(sent__gt=0)),
            seats_replied=by_answer(Answer.REPLIED),
            seats_will_attend=by_answer(Answer.WILL_ATTEND),
            seats_declined=by_answer(Answer.DECLINED),
            seats_attended=by_answer(Answer.ATTENDED),
            seats_waiting=Count("pk", filter=Q(sent__gt=0, latest_answer__isnull=True)),
            total_visitors_replied=Sum("visitors_replied"),
            total_visitors_will_attend=Sum("visitors_will_attend"),
        )
    )
    regions = {code: Figures() for code in Region.values}
    nations = {code: Figures() for code in Nation.values}
    total = Figures()
    for row in grouped:
        figures = Figures(
            constituencies=row["seats"],
            downloaded=row["total_downloaded"] or 0,
            sent=row["total_sent"] or 0,
            invited=row["seats_invited"],
            replied=row["seats_replied"],
            will_attend=row["seats_will_attend"],
            declined=row["seats_declined"],
            attended=row["seats_attended"],
            waiting=row["seats_waiting"],
            visitors_replied=row["total_visitors_replied"] or 0,
            visitors_will_attend=row["total_visitors_will_attend"] or 0,
        )
        regions.setdefault(row["region"], Figures()).add(figures)
        nations.setdefault(row["nation"], Figures()).add(figures)
        total.add(figures)
    return CampaignFigures(
        total=total,
        nations=[
            AreaFigures(code, str(Nation(code).label), nations[code]) for code in Nation.values
        ],
        regions=[
            AreaFigures(code, str(Region(code).label), regions[code]) for code in Region.values
        ],
    )


FOLLOW_UP_KINDS = (LetterKind.FOLLOW_UP_ATTENDED, LetterKind.FOLLOW_UP_NOT_ATTENDED)


def answers_for_letters(
    letter_page: LetterPage, constituencies: Iterable[Constituency]
) -> dict[int, str]:
    """The answers a letter's `{mp_answer}` needs: a follow-up's (one query); an invitation
    is written before any answer, so it asks for none."""
    if letter_page.kind not in FOLLOW_UP_KINDS:
        return {}
    return latest_answers(letter_page, constituencies)


def follow_up_kind(answer: str | None) -> str:
    """The follow-up letter a constituency gets: thanks where its MP attended, else the other."""
    if answer == Answer.ATTENDED:
        return LetterKind.FOLLOW_UP_ATTENDED
    return LetterKind.FOLLOW_UP_NOT_ATTENDED


def right_follow_up(letter_page: LetterPage, answer: str | None) -> LetterPage | None:
    """The follow-up letter of the same event a constituency should get instead of this one,
    or None when this one is right (or is no follow-up, or the other is not published)."""
    if letter_page.kind not in FOLLOW_UP_KINDS or letter_page.event_id is None:
        return None
    wanted = follow_up_kind(answer)
    if wanted == letter_page.kind:
        return None
    return (
        LetterPage.objects.visible_to_public()
        .filter(event_id=letter_page.event_id, kind=wanted)
        .order_by("-first_published_at", "-pk")
        .first()
    )


def letters_for(
    letters: list[LetterPage], constituencies: Iterable[Constituency]
) -> dict[int, list[LetterPage]]:
    """Each constituency's letters among these (by its id, in their order): of an event's two
    follow-up letters, only the one its MP's latest answer calls for (right_follow_up's rule);
    every other letter for every constituency. One query, and none unless both of an event's
    follow-ups are offered."""
    offered = {(letter.event_id, letter.kind) for letter in letters if letter.event_id}
    paired = {
        event_id
        for event_id, kind in offered
        if kind == LetterKind.FOLLOW_UP_ATTENDED
        and (event_id, LetterKind.FOLLOW_UP_NOT_ATTENDED) in offered
    }
    ids = [constituency.pk for constituency in constituencies]
    answers: dict[tuple[int, int], str] = {}
    if paired:
        rows = (
            MPAnswer.objects.filter(letter__event_id__in=paired, constituency_id__in=ids)
            .order_by(*NEWEST_ANSWER_FIRST)
            .values_list("constituency_id", "letter__event_id", "answer")
        )
        for constituency_id, event_id, answer in rows:
            answers.setdefault((constituency_id, event_id), answer)  # the newest wins
    return {
        pk: [
            letter
            for letter in letters
            if letter.event_id not in paired
            or letter.kind not in FOLLOW_UP_KINDS
            or letter.kind == follow_up_kind(answers.get((pk, letter.event_id)))
        ]
        for pk in ids
    }
