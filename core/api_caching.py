"""Cache-Control of /api/ responses.

Public reads (no Authorization header) may be cached briefly by browsers and CDNs; anything
sent with a token says `private, no-store`, because it may contain drafts that only the
token's user may see. This middleware sits inside the anonymous page cache so that it sees
`no-store` and never keeps a token's answer. CORS is django-cors-headers' middleware, outside
the page cache (settings: `CORS_*`), so answers served from that cache still carry the right
origin.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

API_PREFIX = "/api/"
PUBLIC_MAX_AGE = 60


class APICacheHeadersMiddleware:
    """Cache-Control for /api/. Sits inside the page cache, so it never stores a token's answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        if "Authorization" in request.headers or request.method not in ("GET", "HEAD"):
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code == 200 and "Cache-Control" not in response:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ("Authorization",))
        return response
