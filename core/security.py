"""Security headers, client addresses and per-client rate limits for the public site.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and (in
production) HSTS; django-permissions-policy sends the Permissions-Policy. The
Content-Security-Policy is django-csp's: its settings format and its `build_policy`. Public
pages get a strict policy with no inline scripts; the Wagtail admin (inline scripts,
same-origin preview frames) and the API docs (Swagger from a CDN) get the looser policies
in `CONTENT_SECURITY_POLICY_BY_PATH`.

django-csp's own middleware builds the policy again for every response: 55-90 us each
(timeit, idle and loaded machine), where setting a prebuilt header costs under 4 us and a
page-cache hit about 600 us of a worker (3,100 req/s on two workers), so it alone would cost
cached pages about a tenth. No policy here has a nonce, so each header is built once, with
django-csp's `build_policy`, when the middleware starts.

Client addresses are python-ipware's, trusting only as many X-Forwarded-For entries as
`TRUSTED_PROXY_COUNT` says. Rate limits are django-ratelimit's fixed-window counters in the
Django cache (Redis in production, shared by every worker), read with its `get_usage`: the
project answers its own 429 (a page, or problem+json on the API) with Retry-After. When the
cache is down they let requests through: a cache outage must not turn into a site outage.
"""

import functools
import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django_ratelimit.core import get_usage
from python_ipware import IpWare

# The settings the policies are built from; a change (tests override them) builds them again.
POLICY_SETTINGS = {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_BY_PATH", "MAP_TILE_URL"}


@functools.cache
def path_policies() -> tuple[tuple[str, str], ...]:
    """(path prefix, header value) of every policy, longest prefix first; the site's is "".

    Settings in django-csp 4's format: `CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}` for
    the site, and the same shape per path prefix in `CONTENT_SECURITY_POLICY_BY_PATH`.
    """
    by_path: dict[str, dict[str, Any]] = getattr(settings, "CONTENT_SECURITY_POLICY_BY_PATH", {})
    policies = [
        (prefix, build_policy(config=policy["DIRECTIVES"])) for prefix, policy in by_path.items()
    ]
    tiles = map_tile_source(getattr(settings, "MAP_TILE_URL", ""))
    policies.append(("", build_policy(update={"img-src": [tiles]} if tiles else None)))
    return tuple(sorted(policies, key=lambda policy: len(policy[0]), reverse=True))


@receiver(setting_changed)
def rebuild_policies(*, setting: str, **kwargs) -> None:
    if setting in POLICY_SETTINGS:
        path_policies.cache_clear()


def content_security_policy(path: str) -> str:
    """The policy for a request path: the longest matching prefix, else the site's."""
    return next(header for prefix, header in path_policies() if path.startswith(prefix))


# The groups map's tiles (MAP_TILE_URL, groups/map.py): their host joins img-src only when
# configured (`path_policies` adds it to the site's policy).
def map_tile_source(tile_url: str) -> str:
    """The CSP source of a Leaflet tile URL template, or "" when there is none.

    "https://{s}.tile.example.org/{z}/{x}/{y}.png" gives "https://*.tile.example.org".
    """
    parts = urlsplit(tile_url.strip())
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc)
    if parts.scheme not in ("http", "https") or not host or re.search(r"[{}\s;,']", host):
        return ""
    return f"{parts.scheme}://{host}"


class ContentSecurityPolicyMiddleware:
    """Sets the path's Content-Security-Policy, built once at start-up, unless a view set one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        path_policies()  # built once, at start-up

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            policy = content_security_policy(request.path)
            if policy:
                response[CSP_HEADER] = policy
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address, trusting X-Forwarded-For only as far as our own proxies.

    With TRUSTED_PROXY_COUNT = n, each of our n proxies appends the address it saw, so the
    n-th address from the right of X-Forwarded-For is the one our outermost proxy saw;
    anything further left was written by the client. python-ipware counts only the proxies
    whose own addresses are in the header (the last one is REMOTE_ADDR), hence n - 1. With
    no usable address there (a shorter header, or not an address) the connection's is used.
    Also used by django-axes (AXES_CLIENT_IP_CALLABLE), so lockouts and rate limits agree.
    None when there is no valid address (axes stores it in an inet column on PostgreSQL).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    address = forwarded_for(proxies).get_client_ip(request.META)[0] if proxies > 0 else None
    if address is None:
        address = CONNECTION.get_client_ip(request.META)[0]
    return str(address) if address is not None else None


# Each reader looks at one header only: any other (X-Real-IP, Forwarded, CF-Connecting-IP...)
# could be written by the client.
CONNECTION = IpWare(precedence=("REMOTE_ADDR",))


@functools.cache
def forwarded_for(proxies: int) -> IpWare:
    return IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies - 1)


def rate_limit_address(request: HttpRequest) -> str:
    """The address a client's requests are counted under (RATELIMIT_IP_META_KEY).

    django-ratelimit counts an IPv6 client by its /64, which one household or server holds
    whole. Clients with no valid address share the unspecified address's budget.
    """
    return client_ip(request) or "0.0.0.0"  # noqa: S104 (a counter's name, not a bind address)


def rate_limit_for(scope: str) -> tuple[int, int]:
    """(requests allowed, window in seconds) for a scope named in settings.RATE_LIMITS."""
    limit, window = settings.RATE_LIMITS[scope]
    return int(limit), int(window)


def retry_after(scope: str, request: HttpRequest) -> int | None:
    """Counts this request against its client's budget in `scope` (django-ratelimit).

    Past the limit: the seconds until the client's window ends (Retry-After); else None.
    A cache that cannot count (Redis down) lets the request through (RATELIMIT_FAIL_OPEN).
    """
    limit, window = rate_limit_for(scope)
    if limit <= 0:
        return None
    usage = get_usage(request, group=scope, key="ip", rate=(limit, window), increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    # django-ratelimit's window still holds during its last second, `time_left` 0.
    return max(1, usage["time_left"] + 1)


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    minutes = max(1, math.ceil(seconds / 60))
    body = loader.get_template("429.html").render(
        {"retry_after": seconds, "retry_minutes": minutes}, request
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
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
                seconds = retry_after(scope, request)
                if seconds is not None:
                    return too_many_requests(request, seconds)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def is_search(request: HttpRequest) -> bool:
    """A Find-your-MP request that runs a search (only those reach postcodes.io)."""
    return bool(request.GET.get("q", "").strip())


def is_post(request: HttpRequest) -> bool:
    """A request that records something (a form sent); showing the form is not counted."""
    return request.method == "POST"


def is_same_origin_post(request: HttpRequest) -> bool | None:
    """Whether the browser says this request comes from the site's own pages: True, False, or
    None when it says nothing (an older browser, or no browser at all).

    The browser's own word, which a page on another site cannot forge: `Sec-Fetch-Site`, sent
    by every current browser (the header Go's `net/http.CrossOriginProtection` protects forms
    with, without a token). `Origin` alone is not taken: behind a proxy that changes the host
    or the scheme it would not match, so such a browser gets the form with a token instead.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is None:
        return None
    return fetch_site == "same-origin"
