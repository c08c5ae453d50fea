"""Current MPs from the UK Parliament Members API, and how they change our constituencies.

`sync_mps` fetches every current Commons member first and only then writes, in one
transaction, so an outage or a malformed answer half way through changes nothing.
"""

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from core.single_line import as_single_line
from letters.constituency_names import match_key
from letters.models import Constituency

logger = logging.getLogger(__name__)

COMMONS = 1
PAGE_SIZE = 20  # the most the Members API gives per page
PARLIAMENTARY_OFFICE = "Parliamentary office"


class MembersAPIError(Exception):
    """The Members API could not be reached or gave an answer we cannot trust."""


@dataclass(frozen=True)
class CurrentMember:
    """A sitting MP as the Members API describes them."""

    member_id: int
    name: str
    full_title: str
    party: str
    constituency_name: str


class ChangeKind(StrEnum):
    NEW_MP = "new MP"
    PARTY = "party change"
    DETAILS = "details"
    VACANT = "vacancy"


@dataclass
class SeatChange:
    constituency: Constituency
    kind: ChangeKind
    member: CurrentMember | None
    description: str
    fields: dict[str, object]


@dataclass
class SyncPlan:
    members_fetched: int
    changes: list[SeatChange] = field(default_factory=list)
    unchanged: list[Constituency] = field(default_factory=list)
    unmatched: list[CurrentMember] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.members_fetched} current MPs fetched: {len(self.changes)} changed, "
            f"{len(self.unchanged)} unchanged, {len(self.unmatched)} not matched to a constituency"
        )


class MembersAPIClient:
    """A requests session with timeouts and retries with backoff on refusals and 5xx."""

    def __init__(
        self,
        base_url: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
    ) -> None:
        self.base_url = (base_url or settings.MEMBERS_API_BASE_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.MEMBERS_API_TIMEOUT
        retry = Retry(
            total=retries if retries is not None else getattr(settings, "MEMBERS_API_RETRIES", 3),
            backoff_factor=(
                backoff if backoff is not None else getattr(settings, "MEMBERS_API_BACKOFF", 0.5)
            ),
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
        )
        self.session = requests.Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.session.headers["Accept"] = "application/json"

    def get_json(self, path: str, params: dict[str, object] | None = None) -> Any:
        url = f"{self.base_url}{path}"
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise MembersAPIError(
                f"the Members API at {self.base_url} did not answer ({type(error).__name__})"
            ) from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise MembersAPIError(f"the Members API answered {response.status_code} for {path}")
        try:
            return response.json()
        except ValueError as error:
            raise MembersAPIError(
                f"the Members API sent something other than JSON for {path}"
            ) from error

    def current_commons_members(self) -> list[CurrentMember]:
        """Every sitting MP, page by page; incomplete paging is an error, not a shorter list."""
        members: list[CurrentMember] = []
        skip, seen = 0, 0
        while True:
            params = {"House": COMMONS, "IsCurrentMember": "true", "skip": skip, "take": PAGE_SIZE}
            page = self.get_json("/api/Members/Search", params)
            items, total = _page_items(page, skip)
            seen += len(items)
            members.extend(m for m in (_member_from_item(item, skip) for item in items) if m)
            skip += PAGE_SIZE
            if skip >= total:
                break
            if not items:
                raise MembersAPIError(
                    f"the Members API stopped at {seen} of the {total} members it announced"
                )
        return members

    def parliamentary_email(self, member_id: int) -> str:
        """The MP's parliamentary office email, or "" when they publish none."""
        answer = self.get_json(f"/api/Members/{member_id}/Contact")
        if answer is None:
            return ""
        entries = answer.get("value") if isinstance(answer, dict) else None
        if not isinstance(entries, list):
            raise MembersAPIError(f"the contact details of member {member_id} are malformed")
        emails = [
            (entry.get("type") == PARLIAMENTARY_OFFICE, as_single_line(entry["email"]))
            for entry in entries
            if isinstance(entry, dict) and isinstance(entry.get("email"), str) and entry["email"]
        ]
        preferred = [email for is_office, email in emails if is_office]
        return (preferred or [email for _, email in emails] or [""])[0]


def _page_items(page: Any, skip: int) -> tuple[list[Any], int]:
    if not isinstance(page, dict):
        raise MembersAPIError(f"the member list page at skip={skip} is not a JSON object")
    items, total = page.get("items"), page.get("totalResults")
    if not isinstance(items, list) or not isinstance(total, int) or isinstance(total, bool):
        raise MembersAPIError(
            f"the member list page at skip={skip} has no 'items' list or 'totalResults' count"
        )
    return items, total


def _member_from_item(item: Any, skip: int) -> CurrentMember | None:
    """A sitting Commons member, None for anyone else (the search may include peers)."""
    try:
        value = item["value"]
        membership = value["latestHouseMembership"]
        if membership["house"] != COMMONS or membership.get("membershipEndDate"):
            return None
        member_id = value["id"]
        texts = (
            value["nameDisplayAs"],
            value.get("nameFullTitle") or "",
            (value.get("latestParty") or {}).get("name") or "",
            membership["membershipFrom"],
        )
    except (KeyError, TypeError) as error:
        raise MembersAPIError(
            f"a member on the page at skip={skip} lacks {error}; the answer is malformed"
        ) from error
    if not isinstance(member_id, int) or not all(isinstance(text, str) for text in texts):
        raise MembersAPIError(f"a member on the page at skip={skip} has malformed fields")
    # Names are shown and filed as one line: a stray line break or control character is a space.
    name, full_title, party, constituency_name = (as_single_line(text) for text in texts)
    return CurrentMember(member_id, name[:200], full_title[:250], party[:100], constituency_name)


def plan_sync(
    members: list[CurrentMember], client: MembersAPIClient | None = None, fetch_emails: bool = True
) -> SyncPlan:
    """Compare the sitting MPs with our constituencies; fetch emails only for new MPs."""
    seats = list(Constituency.objects.all())
    by_member_id = {seat.current_mp_member_id: seat for seat in seats if seat.current_mp_member_id}
    by_name = {match_key(seat.name): seat for seat in seats}
    plan = SyncPlan(members_fetched=len(members))
    matched: dict[int, CurrentMember] = {}
    for member in members:
        named_seat = by_name.get(match_key(member.constituency_name))
        seat = by_member_id.get(member.member_id)
        # The id decides, unless the API now names another seat we hold (the MP moved seat).
        if seat is None or (named_seat is not None and named_seat.pk != seat.pk):
            seat = named_seat
        if seat is None:
            plan.unmatched.append(member)
            continue
        if seat.pk in matched:
            raise MembersAPIError(
                f"two members ({matched[seat.pk].member_id} and {member.member_id}) are given as "
                f"the MP for {seat.name}; the answer is inconsistent"
            )
        matched[seat.pk] = member
        change = _seat_change(seat, member, client if fetch_emails else None)
        if change:
            plan.changes.append(change)
        else:
            plan.unchanged.append(seat)
    for seat in seats:
        if seat.pk not in matched and not seat.is_vacant:
            plan.changes.append(
                SeatChange(
                    constituency=seat,
                    kind=ChangeKind.VACANT,
                    member=None,
                    description=f"{seat.name}: now vacant (was {_who(seat)})",
                    fields={
                        "current_mp_name": "",
                        "current_mp_full_title": "",
                        "current_mp_party": "",
                        "current_mp_member_id": None,
                        "current_mp_email": "",
                    },
                )
            )
    return plan


def _who(seat: Constituency) -> str:
    party = f" ({seat.current_mp_party})" if seat.current_mp_party else ""
    return f"{seat.current_mp_name}{party}"


def _seat_change(
    seat: Constituency, member: CurrentMember, client: MembersAPIClient | None
) -> SeatChange | None:
    is_new_mp = (
        seat.current_mp_member_id is not None and seat.current_mp_member_id != member.member_id
    ) or (
        seat.current_mp_member_id is None
        and match_key(seat.current_mp_name) not in match_key(member.name)
    )
    if seat.is_vacant:
        is_new_mp = True
    wanted: dict[str, object] = {
        "current_mp_name": member.name,
        "current_mp_full_title": member.full_title,
        "current_mp_party": member.party,
        "current_mp_member_id": member.member_id,
    }
    if is_new_mp or seat.current_mp_member_id != member.member_id:
        wanted["current_mp_email"] = client.parliamentary_email(member.member_id) if client else ""
    fields = {name: value for name, value in wanted.items() if getattr(seat, name) != value}
    if not fields:
        return None
    after = f"{member.name} ({member.party})" if member.party else member.name
    if is_new_mp:
        was = f", was {_who(seat)}" if not seat.is_vacant else ", was vacant"
        return SeatChange(
            seat, ChangeKind.NEW_MP, member, f"{seat.name}: new MP {after}{was}", fields
        )
    if "current_mp_party" in fields:
        return SeatChange(
            seat,
            ChangeKind.PARTY,
            member,
            f"{seat.name}: {member.name} changed party from {seat.current_mp_party or 'none'} "
            f"to {member.party or 'none'}",
            fields,
        )
    details = ", ".join(name.removeprefix("current_mp_").replace("_", " ") for name in fields)
    return SeatChange(
        seat, ChangeKind.DETAILS, member, f"{seat.name}: {after}, {details} updated", fields
    )


@transaction.atomic
def apply_sync(plan: SyncPlan) -> None:
    """Write the plan: free moving member ids first (they are unique), then set everything.

    Each write starts a new page-cache generation (Constituency's PurgingQuerySet): pages and
    the API show the MP, and when they were last checked.
    """
    now = timezone.now()
    moving = [
        change.constituency.pk
        for change in plan.changes
        if "current_mp_member_id" in change.fields and change.constituency.current_mp_member_id
    ]
    Constituency.objects.filter(pk__in=moving).update(current_mp_member_id=None)
    for change in plan.changes:
        Constituency.objects.filter(pk=change.constituency.pk).update(
            mp_updated_at=now, **change.fields
        )
    Constituency.objects.filter(pk__in=[seat.pk for seat in plan.unchanged]).update(
        mp_updated_at=now
    )


def sync_current_mps(
    client: MembersAPIClient | None = None, dry_run: bool = False, max_vacancies: int = 20
) -> SyncPlan:
    """Fetch, compare, and (unless a dry run) write; nothing is written if anything fails."""
    client = client or MembersAPIClient()
    members = client.current_commons_members()
    if not members:
        raise MembersAPIError(
            "the Members API listed no current MPs; refusing to vacate every seat"
        )
    plan = plan_sync(members, client)
    vacancies = [change for change in plan.changes if change.kind is ChangeKind.VACANT]
    if len(vacancies) > max_vacancies:
        raise MembersAPIError(
            f"the answer would leave {len(vacancies)} seats vacant (more than {max_vacancies}); "
            "it looks incomplete, so nothing was changed"
        )
    if not dry_run:
        apply_sync(plan)
    return plan
