"""A page cache for anonymous visitors that is never stale.

Every cached page is stored with the content *generation* it was rendered in. Any change a
visitor could see (core/signals.py: a saved or deleted row of any model except those no
public answer reads) starts a new generation, as does the end of an event
(SCHEDULED_CHANGES), so every page that could show the changed content (parents, the home
page, the directory, feeds, letters, the API...) is purged at once. Working out exactly which
pages show what would be fragile; one shared counter makes a stale page impossible, and edits
are rare next to reads, so re-rendering after an edit costs little.

The generation lives in the database (network.models.ContentGeneration), bumped in the same
transaction as the change: a committed change always comes with a new generation, even while
Redis is unreachable, and every request reads it (one indexed row) before looking in the
cache. Answers that report a fault (a service not answering) are never stored.

Only anonymous GET/HEAD requests are served from the cache: a request that carries a session
cookie (an editor, a preview) always goes to the view. Responses that set cookies (a CSRF
token, a message) or say `private`/`no-store` are never stored.
"""

import datetime
import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language

from core.frontend_cache import purge_after_commit

logger = logging.getLogger(__name__)
T = TypeVar("T")

NEXT_CHANGE_KEY = "page-cache:v2:next-scheduled-change"
BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/documents/", "/static/", "/media/")
MAX_CACHED_QUERY_LENGTH = 256
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")


def page_cache_enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


# The generation the current request read, so the site chrome does not read it again.
REQUEST_GENERATION: ContextVar[int | None] = ContextVar("request_generation", default=None)
# Values one request reads more than once (`for_this_request`); a bump in the request empties it.
REQUEST_VALUES: ContextVar[dict | None] = ContextVar("request_values", default=None)
GENERATION_VALUE = "generation"
# Set while building an answer that reports a fault: that answer is not stored.
FAULT: ContextVar[str | None] = ContextVar("page_cache_fault", default=None)
# Set while building an answer that shows something saved without a new generation (a
# public counter): the seconds it may be kept, by us and by browsers each.
LIFETIME: ContextVar[int | None] = ContextVar("page_cache_lifetime", default=None)


def cache_once_true(check: Callable[[], bool]) -> Callable[[], bool]:
    """Remember a check once it has passed (it can only go from False to True)."""
    passed = False

    def remembered() -> bool:
        nonlocal passed
        passed = passed or check()
        return passed

    return remembered


def generation_model():
    return apps.get_model("network", "ContentGeneration")


def current_generation() -> int:
    value = generation_model().objects.filter(pk=1).values_list("value", flat=True).first()
    return value if value is not None else start_new_generation("first use")


def bump_generation(reason: str) -> None:
    """Bump the generation in the current transaction: it commits or rolls back with the change.

    Never lower than the clock in milliseconds, so a database restored from a backup never
    reuses the number of a page cached since.
    """
    ContentGeneration = generation_model()
    clock = int(time.time() * 1000)
    bumped = ContentGeneration.objects.filter(pk=1).update(
        value=Greatest(F("value") + 1, Value(clock))
    )
    if not bumped:
        ContentGeneration.objects.get_or_create(pk=1, defaults={"value": clock})
    if (values := REQUEST_VALUES.get()) is not None:
        values.clear()  # what this request read before the change is not what it must show
    purge_after_commit(current_generation)  # and the HTTP cache in front, once committed
    logger.info("Page cache purged: %s", reason or "content changed")


def start_new_generation(reason: str) -> int:
    """Bump the generation and read the new one (for a request that goes on to use it)."""
    bump_generation(reason)
    return generation_model().objects.values_list("value", flat=True).get(pk=1)


def purge_page_cache(reason: str = "") -> None:
    """Start a new generation, in the transaction of the change that calls for it."""
    if generation_table_exists():
        bump_generation(reason)


@cache_once_true
def generation_table_exists() -> bool:
    """False only while `migrate` builds the database: rows saved before the table exists."""
    return generation_model()._meta.db_table in connection.introspection.table_names()


def report_fault(what: str) -> None:
    """Say that the answer being built reports a fault (a service down): it must not be stored."""
    FAULT.set(what)


def keep_for_at_most(seconds: int) -> None:
    """Say that the answer being built may be kept only this long, in the page cache and
    again in a browser or CDN (`max-age`): it shows figures that change without a new
    generation, such as the public counter of invitations sent, which must not purge the
    whole site on every click. A visitor then sees figures at most twice this old."""
    current = LIFETIME.get()
    LIFETIME.set(seconds if current is None else min(current, seconds))


def next_midnight() -> datetime.datetime:
    """The start of tomorrow, local time: pages show today's date (a letter is dated, an award
    is "current until" a day and then expired), so every new day is a change."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


# Content also changes with no one publishing: when an event ends it leaves every "upcoming"
# list, and its page hides the booking link; at midnight the date changes. Apps register
# functions that say when the next such moment is (an aware datetime, or None); the cache
# starts a new generation once the clock passes it, so no page shows a finished event as
# upcoming or yesterday's date.
SCHEDULED_CHANGES: list[Callable[[], datetime.datetime | None]] = [next_midnight]


def next_scheduled_change(generation: int) -> float:
    """The next moment, as a timestamp, at which pages change by themselves (inf: none).

    Kept with the generation it was worked out in: a publish may bring it forward.
    """
    moments = [moment for source in SCHEDULED_CHANGES if (moment := source()) is not None]
    next_change = min(moments).timestamp() if moments else math.inf
    cache.set(NEXT_CHANGE_KEY, (generation, next_change), timeout=None)
    return next_change


def generation_after_scheduled_changes(generation: int, known: tuple | None) -> int:
    """The current generation, first starting a new one if a scheduled change has come."""
    next_change = known[1] if known and known[0] == generation else None
    if next_change is None:
        next_change = next_scheduled_change(generation)
    if timezone.now().timestamp() >= next_change:  # the clock the moments are read on
        generation = start_new_generation(
            "a scheduled change: an event ended, a campaign opened or closed"
        )
        next_scheduled_change(generation)
    return generation


def for_this_generation(key: str, build: Callable[[], T]) -> T:
    """A value only publishing can change (site-wide, not a page), built once per generation.

    Stored with the generation it was built in, like a cached page, and read back with the
    generation in one round trip. `SITE_CHROME_CACHE_ENABLED = False` builds it every time.
    """
    if not settings.SITE_CHROME_CACHE_ENABLED:
        return build()
    key = f"generation-value:v2:{key}"
    generation = request_generation()
    entry = cache.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = build()
    cache.set(key, (generation, value), timeout=settings.PAGE_CACHE_SECONDS)
    return value


def request_generation() -> int:
    """The generation this request works in: the one the page cache read, else read once."""
    generation = REQUEST_GENERATION.get()
    if generation is not None:
        return generation
    values = REQUEST_VALUES.get()
    if values is None:
        return generation_now()
    if GENERATION_VALUE not in values:
        values[GENERATION_VALUE] = generation_now()
    return values[GENERATION_VALUE]


def generation_now() -> int:
    """The current generation for work the page cache did not see (a POST, an editor's
    request, a task), starting a new one first if a scheduled change has come, as the page
    cache does: a value kept for the generation (the current letters) is never read back
    after a campaign closed or an event ended."""
    return generation_after_scheduled_changes(current_generation(), cache.get(NEXT_CHANGE_KEY))


@contextmanager
def one_unit_of_work() -> Iterator[None]:
    """A request, or a task: values read with `for_this_request` are read once inside it."""
    token = REQUEST_VALUES.set({})
    try:
        yield
    finally:
        REQUEST_VALUES.reset(token)


def for_this_request(key: str, build: Callable[[], T]) -> T:
    """A value only publishing can change, built at most once per request, and kept for the
    content generation too (`for_this_generation`) unless that cache is switched off."""
    values = REQUEST_VALUES.get()
    if values is not None and key in values:
        return values[key]
    value = for_this_generation(key, build)
    if values is not None:
        values[key] = value
    return value


# Parameters that only tell analytics where a visitor came from: the page is the same.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga")


def cache_key(request: HttpRequest) -> str:
    """What the response depends on: the language, scheme, host, path and the query minus
    tracking tags.

    The scheme matters because links are built with it; parameters are sorted, so the same
    filters in another order share one entry. The language is the one LocaleMiddleware (before
    this one) read from the path: Welsh pages are under /cy/ anyway, but an answer is never
    served in a language other than the one it was rendered in, whatever decides it.
    """
    query = sorted(
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if not name.lower().startswith(TRACKING_PARAMETERS)
    )
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(query)}"
    return f"page-cache:v3:{get_language()}:" + iri_to_uri(address)


def _is_cacheable_request(request: HttpRequest) -> bool:
    return (
        page_cache_enabled()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # An API token makes the caller someone: never answer with the anonymous copy.
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(BYPASS_PREFIXES)
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY_LENGTH
    )


def _is_cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # `Vary: Cookie` alone is fine: only requests without a session cookie are stored or served.
    cache_control = response.get("Cache-Control", "")
    return not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors from the shared cache; mark public pages cacheable by a CDN."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with one_unit_of_work():
            return self._serve(request)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self._mark_private_if_admin(request, self.get_response(request))

        key = cache_key(request)
        generation = current_generation()  # first: what is cached must be at least this new
        found = cache.get_many([NEXT_CHANGE_KEY, key])
        entry = found.get(key)
        generation = generation_after_scheduled_changes(generation, found.get(NEXT_CHANGE_KEY))
        if entry is not None and entry[0] == generation:
            response = entry[1]
            response["X-Page-Cache"] = "hit"
            return response

        generation_token = REQUEST_GENERATION.set(generation)
        fault_token = FAULT.set(None)
        lifetime_token = LIFETIME.set(None)
        try:
            response = self.get_response(request)
            fault = FAULT.get()
            lifetime = LIFETIME.get()
        finally:
            REQUEST_GENERATION.reset(generation_token)
            FAULT.reset(fault_token)
            LIFETIME.reset(lifetime_token)
        if fault:
            logger.info("Not caching %s: %s", request.path, fault)
        elif _is_cacheable_response(response):
            browser_seconds = settings.PAGE_CACHE_BROWSER_SECONDS
            server_seconds = settings.PAGE_CACHE_SECONDS
            if lifetime is not None:
                browser_seconds = min(browser_seconds, lifetime)
                server_seconds = min(server_seconds, lifetime)
            patch_cache_control(response, public=True, max_age=browser_seconds)
            response["X-Page-Cache"] = "miss"
            cache.set(key, (generation, response), timeout=server_seconds)
        return response

    @staticmethod
    def _mark_private_if_admin(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith(("/admin/", "/django-admin/")):
            patch_cache_control(response, private=True, no_store=True)
        return response
