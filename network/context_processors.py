"""Template context every page reads: the network's settings, and the content generation that
pieces of a page the same on every page (the footer) are kept for."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.cache import request_generation


def network_settings(request: HttpRequest) -> dict:
    """`network_settings`: from the site chrome when it is cached (network.chrome), else looked
    up, with Wagtail's `for_request`, only if a template reads it."""
    from network.models import NetworkSettings

    cached = getattr(request, "network_settings", None)
    if cached is not None:
        return {"network_settings": cached}
    return {"network_settings": SimpleLazyObject(lambda: NetworkSettings.for_request(request))}


def content_generation(request: HttpRequest) -> dict:
    """`content_generation`: the generation this request works in (core.cache), read only when a
    template asks (`{% cache %}` keys on it: a piece kept for a generation is never stale); None
    when the site chrome cache or FRAGMENT_CACHE_ENABLED is off, and then every piece is
    rendered."""

    def generation() -> int | None:
        if settings.SITE_CHROME_CACHE_ENABLED and settings.FRAGMENT_CACHE_ENABLED:
            return request_generation()
        return None

    return {"content_generation": generation}
