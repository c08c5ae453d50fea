"""A page cache for anonymous visitors that is never stale.

Every cached page is stored with the content *generation* it was rendered in. Publishing,
unpublishing, moving or deleting any page, changing site settings or changing MP data starts a
new generation, as does the end of an event (SCHEDULED_CHANGES), so every page that could list
the changed content (parents, the home page, the directory, feeds, letters...) is purged at
once. Working out exactly which pages list
which would be fragile; one shared counter makes a stale page impossible, and edits are rare
next to reads, so re-rendering after an edit costs little.

Only anonymous GET/HEAD requests are served from the cache: a request that carries a session
cookie (an editor, a preview) always goes to the view. Responses that set cookies (a CSRF
token, a message) or say `private`/`no-store` are never stored.
"""

import datetime
import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.encoding import iri_to_uri

logger = logging.getLogger(__name__)
T = TypeVar("T")

GENERATION_KEY = "page-cache:generation"
NEXT_CHANGE_KEY = "page-cache:next-scheduled-change"
BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/healthz", "/documents/", "/static/", "/media/")
MAX_CACHED_QUERY_LENGTH = 256
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")


def page_cache_enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock so a flushed or restarted cache never reuses an old number.
        generation = int(time.time() * 1000)
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def start_new_generation(reason: str) -> int:
    generation = int(time.time() * 1000)
    cache.set(GENERATION_KEY, generation, timeout=None)
    # A publish may have brought the next scheduled change (an event's end) forward.
    cache.delete(NEXT_CHANGE_KEY)
    logger.info("Page cache purged: %s", reason or "content changed")
    return generation


def purge_page_cache(reason: str = "") -> None:
    """Start a new generation (after the current transaction commits, so nothing half-done shows)."""
    transaction.on_commit(lambda: start_new_generation(reason))


# Content also changes with no one publishing: when an event ends it leaves every "upcoming"
# list, and its page hides the booking link. Apps register functions that say when the next
# such moment is (an aware datetime, or None); the cache starts a new generation once the
# clock passes it, so no page shows a finished event as upcoming.
SCHEDULED_CHANGES: list[Callable[[], datetime.datetime | None]] = []


def next_scheduled_change() -> float:
    """The next moment, as a timestamp, at which pages change by themselves (inf: none)."""
    moments = [moment for source in SCHEDULED_CHANGES if (moment := source()) is not None]
    next_change = min(moments).timestamp() if moments else math.inf
    cache.set(NEXT_CHANGE_KEY, next_change, timeout=None)
    return next_change


def generation_after_scheduled_changes(generation: int | None, next_change: float | None) -> int:
    """The current generation, first starting a new one if a scheduled change has come."""
    if next_change is None:
        next_change = next_scheduled_change()
    if time.time() >= next_change:
        generation = start_new_generation("an event has ended")
        next_scheduled_change()
    return generation if generation is not None else current_generation()


def for_this_generation(key: str, build: Callable[[], T]) -> T:
    """A value only publishing can change (site-wide, not a page), built once per generation.

    Stored with the generation it was built in, like a cached page, and read back with the
    generation in one round trip. `SITE_CHROME_CACHE_ENABLED = False` builds it every time.
    """
    if not settings.SITE_CHROME_CACHE_ENABLED:
        return build()
    key = f"generation-value:v1:{key}"
    found = cache.get_many([GENERATION_KEY, key])
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if entry is not None and generation is not None and entry[0] == generation:
        return entry[1]
    generation = generation if generation is not None else current_generation()
    value = build()
    cache.set(key, (generation, value), timeout=settings.PAGE_CACHE_SECONDS)
    return value


def _cache_key(request: HttpRequest) -> str:
    return "page-cache:v1:" + iri_to_uri(request.get_host() + request.get_full_path())


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
        if not _is_cacheable_request(request):
            return self._mark_private_if_admin(request, self.get_response(request))

        key = _cache_key(request)
        found = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY, key])
        entry = found.get(key)
        generation = generation_after_scheduled_changes(
            found.get(GENERATION_KEY), found.get(NEXT_CHANGE_KEY)
        )
        if entry is not None and entry[0] == generation:
            response = entry[1]
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if _is_cacheable_response(response):
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
            response["X-Page-Cache"] = "miss"
            cache.set(key, (generation, response), timeout=settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _mark_private_if_admin(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path.startswith(("/admin/", "/django-admin/")):
            patch_cache_control(response, private=True, no_store=True)
        return response
