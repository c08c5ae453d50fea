"""HTTP headers of /api/ responses: CORS for the configured front ends, and caching.

Only the origins in `API_CORS_ALLOWED_ORIGINS` may call the API from a browser; everyone
else gets no CORS headers at all (the browser then refuses the response). Bearer tokens are
sent explicitly, never as cookies, so credentials are not allowed cross-origin.

Public reads (no Authorization header) may be cached briefly by browsers and CDNs; anything
sent with a token says `private, no-store`, because it may contain drafts that only the
token's user may see. The cache headers are set inside the anonymous page cache so that it
sees `no-store` and never keeps a token's answer; CORS sits outside it, so answers served
from that cache still carry the right origin.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, If-Match"
# A browser client must be able to read a page's ETag to send it back in If-Match.
EXPOSED_HEADERS = "ETag"
PREFLIGHT_MAX_AGE = "3600"
PUBLIC_MAX_AGE = 60


def allowed_origin(request: HttpRequest) -> str | None:
    origin = request.headers.get("Origin")
    if origin and origin in getattr(settings, "API_CORS_ALLOWED_ORIGINS", []):
        return origin
    return None


class APICorsMiddleware:
    """CORS for /api/. Sits outside the page cache, so answers served from it get CORS too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = allowed_origin(request)
        is_preflight = (
            request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        )
        if is_preflight and origin:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        else:
            response = self.get_response(request)
        if origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        patch_vary_headers(response, ("Origin",))
        return response


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
