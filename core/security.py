"""Security headers, client addresses and per-client rate limits for the public site.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and (in
production) HSTS; django-permissions-policy sends the Permissions-Policy. The
Content-Security-Policy is django-csp's: its settings format and its `build_policy`. Public
pages get a strict policy with no inline scripts; the Wagtail admin (inline scripts,
same-origin preview frames) and the API docs (Swagger from a CDN) get the looser policies
in `CONTENT_SECURITY_POLICY_BY_PATH`.

django-csp's own middleware builds the policy again for every response (about 55 us, a
sixth of a page-cache hit); no policy here has a nonce, so each header is built once when
the middleware starts and set as it is.

Rate limits are fixed-window counters in the Django cache (Redis in production, shared by
every worker). When the cache is down they let requests through: a cache outage must not
turn into a site outage.
"""

import functools
import ipaddress
import math
import time
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER as CSP_HEADER
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import loader


def path_policies() -> list[tuple[str, str]]:
    """(path prefix, header value) of every policy, longest prefix first; the site's is "".

    Settings in django-csp 4's format: `CONTENT_SECURITY_POLICY = {"DIRECTIVES": {...}}` for
    the site, and the same shape per path prefix in `CONTENT_SECURITY_POLICY_BY_PATH`.
    """
    by_path: dict[str, dict[str, Any]] = getattr(settings, "CONTENT_SECURITY_POLICY_BY_PATH", {})
    policies = [
        (prefix, build_policy(config=policy["DIRECTIVES"])) for prefix, policy in by_path.items()
    ]
    policies.append(("", build_policy()))
    return sorted(policies, key=lambda policy: len(policy[0]), reverse=True)


def content_security_policy(path: str, policies: list[tuple[str, str]] | None = None) -> str:
    """The policy for a request path: the longest matching prefix, else the site's."""
    return next(header for prefix, header in policies or path_policies() if path.startswith(prefix))


class ContentSecurityPolicyMiddleware:
    """Sets the path's Content-Security-Policy, built once at start-up, unless a view set one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policies = path_policies()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            policy = content_security_policy(request.path, self.policies)
            if policy:
                response[CSP_HEADER] = policy
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
