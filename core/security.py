"""Security headers, client addresses and per-client rate limits for the public site.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and (in
production) HSTS; this module adds what Django 5.2 lacks: a Content-Security-Policy and a
Permissions-Policy. Public pages get a strict policy with no inline scripts. The Wagtail
admin (inline scripts, same-origin preview frames) and the API docs (Swagger from a CDN)
get the looser policies named in `SECURITY_CSP_PATH_POLICIES`.

Rate limits are fixed-window counters in the Django cache (Redis in production, shared by
every worker). When the cache is down they let requests through: a cache outage must not
turn into a site outage.
"""

import functools
import ipaddress
import math
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import loader

DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self' https://www.youtube.com https://www.youtube-nocookie.com "
        "https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)


def content_security_policy(path: str) -> str:
    """The policy for a request path: the longest matching prefix in the settings, else strict."""
    path_policies: dict[str, str] = getattr(settings, "SECURITY_CSP_PATH_POLICIES", {})
    for prefix in sorted(path_policies, key=len, reverse=True):
        if path.startswith(prefix):
            return path_policies[prefix]
    return with_map_tiles(getattr(settings, "SECURITY_CSP", DEFAULT_CSP))


# The groups map's tiles (MAP_TILE_URL, groups/map.py): their host joins img-src only when
# configured. Kept apart from the policies above so a move to django-csp carries it as one line.
def map_tile_source(tile_url: str) -> str:
    """The CSP source of a Leaflet tile URL template, or "" when there is none.

    "https://{s}.tile.example.org/{z}/{x}/{y}.png" gives "https://*.tile.example.org".
    """
    parts = urlsplit(tile_url.strip())
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc)
    if parts.scheme not in ("http", "https") or not host or re.search(r"[{}\s;,']", host):
        return ""
    return f"{parts.scheme}://{host}"


def with_map_tiles(policy: str) -> str:
    source = map_tile_source(getattr(settings, "MAP_TILE_URL", ""))
    if not source:
        return policy
    directives = [directive.strip() for directive in policy.split(";")]
    return "; ".join(
        f"{directive} {source}" if directive.startswith("img-src ") else directive
        for directive in directives
    )


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = content_security_policy(request.path)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        permissions = getattr(settings, "SECURITY_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, trusting X-Forwarded-For only as far as our own proxies.

    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is the
    one our outermost proxy saw; anything further left was written by the client. Also used
    by django-axes (AXES_CLIENT_IP_CALLABLE), so lockouts and rate limits agree. None when
    there is no valid address (axes stores the address in an inet column on PostgreSQL).
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return _valid_ip(forwarded[-proxies]) or remote


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


# A seam for tests: they move the clock to the next window instead of sleeping.
current_time: Callable[[], float] = time.time


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


def rate_limit_for(scope: str) -> tuple[int, int]:
    """(requests allowed, window in seconds) for a scope named in settings.RATE_LIMITS."""
    limit, window = settings.RATE_LIMITS[scope]
    return int(limit), int(window)


def hit(scope: str, client: str) -> None:
    """Counts one request by `client` in `scope`; raises RateLimited past the limit."""
    limit, window = rate_limit_for(scope)
    if limit <= 0:
        return
    now = current_time()
    window_index = int(now // window)
    key = f"ratelimit:{scope}:{client}:{window_index}"
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except ValueError:
        # The key vanished between add and incr (eviction, or a cache that ignores errors).
        return
    if count is None:
        return
    if count > limit:
        retry_after = max(1, math.ceil((window_index + 1) * window - now))
        raise RateLimited(retry_after)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    minutes = max(1, math.ceil(retry_after / 60))
    body = loader.get_template("429.html").render(
        {"retry_after": retry_after, "retry_minutes": minutes}, request
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def rate_limited(
    scope: str, when: Callable[[HttpRequest], bool] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Limits a view (or a routable page method) per client IP; `when` picks what counts.

    Past the limit the view is not run and the visitor gets the 429 page with Retry-After.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
            request = next(arg for arg in args if isinstance(arg, HttpRequest))
            if when is None or when(request):
                try:
                    hit(scope, client_ip(request) or "unknown")
                except RateLimited as limited:
                    return too_many_requests(request, limited.retry_after)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_search(request: HttpRequest) -> bool:
    """A Find-your-MP request that runs a search (only those reach postcodes.io)."""
    return bool(request.GET.get("q", "").strip())
