"""Conditional page edits on the API: a PATCH names the version it changes, or is refused.

Wagtail's PATCH /api/v3/pages/<id>/ applies its body to the page's latest revision and saves a
new one. Two clients that read the same version and change different fields both got 200, and
the later save silently dropped the earlier change. So, as HTTP's conditional requests say:

- GET /api/v3/pages/<id>/ with a token answers an `ETag` naming the page's latest revision
  (an opaque digest: it tells the caller that the page changed, nothing else);
- PATCH must send it back as `If-Match`. Without one the answer is 428: a client that never
  read the page cannot know what it overwrites. If the page changed since, 412: GET it again,
  reapply the change, send the new ETag. `If-Match: *` overwrites whatever is there, on
  purpose. A successful PATCH answers the page's new ETag, so a client can edit again.

The comparison and Wagtail's edit run in one transaction holding the page row's lock
(`select_for_update`), so of two PATCHes sent at once with the same ETag the second waits for
the first and then finds the page changed. A caller who may not edit the page is never told
about versions: it gets Wagtail's own 401, 403 or 404.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import problem_response
from wagtail.models import Page

# Wagtail's name for /api/v3/pages/<page_id>/ (GET detail, PATCH, DELETE share the path).
PAGE_ROUTE = "wagtailapi_v3:detail_page"
STALE_DETAIL = (
    "The page changed since you read it: GET it again, reapply your change "
    "and send the new ETag in If-Match."
)
MISSING_DETAIL = (
    "Send the ETag from GET /api/v3/pages/{id}/ in If-Match, so a change made since you "
    "read the page is not overwritten (If-Match: * overwrites it on purpose)."
)


def page_etag(page_id: int, revision_id: int | None) -> str:
    digest = salted_hmac("core.api_preconditions", f"{page_id}:{revision_id}").hexdigest()
    return f'"{digest[:20]}"'


def current_etag(page_id: int, *, lock: bool = False) -> str | None:
    """The ETag of the page's latest revision; with `lock`, held until the transaction ends."""
    pages = Page.objects.select_for_update() if lock else Page.objects.all()
    revisions = pages.filter(pk=page_id).values_list("latest_revision_id", flat=True)
    if not revisions:
        return None
    return page_etag(page_id, revisions[0])


def page_id_of(request: HttpRequest, view_kwargs: dict[str, Any]) -> int | None:
    match = request.resolver_match
    if match is None or match.view_name != PAGE_ROUTE:
        return None
    page_id = str(view_kwargs.get("page_id", ""))
    return int(page_id) if page_id.isascii() and page_id.isdigit() else None


def may_edit(request: HttpRequest, page_id: int) -> bool:
    """Whether the bearer token's user may edit the page (Wagtail answers everyone else)."""
    if BearerTokenAuth()(request) is None:
        return False
    page = Page.objects.filter(pk=page_id).first()
    return page is not None and page.permissions_for_user(request.user).can_edit()


class PagePreconditionsMiddleware:
    """ETags on page reads with a token; If-Match required on page PATCHes.

    Listed last, so its `process_view` runs the view itself, inside the locked transaction.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        page_id = page_id_of(request, view_kwargs)
        if page_id is None:
            return None
        if request.method == "GET":
            response = view_func(request, *view_args, **view_kwargs)
            if response.status_code == 200 and request.user.is_authenticated:
                response["ETag"] = current_etag(page_id)
            return response
        if request.method != "PATCH" or not may_edit(request, page_id):
            return None
        if_match = request.headers.get("If-Match", "").strip()
        if not if_match:
            return problem_response(status=428, detail=MISSING_DETAIL)
        with transaction.atomic():
            etag = current_etag(page_id, lock=True)
            if if_match != "*" and etag not in parse_etags(if_match):
                return problem_response(status=412, detail=STALE_DETAIL)
            response = view_func(request, *view_args, **view_kwargs)
            if response.status_code == 200:
                response["ETag"] = current_etag(page_id)
        return response


def declare_page_preconditions(schema: dict[str, Any]) -> dict[str, Any]:
    """Say in the OpenAPI document what the middleware above does, so clients can follow it."""
    etag_header = {
        "ETag": {
            "description": "The page's version; send it as If-Match to PATCH the page",
            "schema": {"type": "string"},
        }
    }
    problem = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
    }
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.get("responses", {})
            success = responses.get("200") or responses.get(200) or {}
            if operation.get("operationId") == "pages_detail":
                success.setdefault("headers", {}).update(etag_header)
            if operation.get("operationId") != "pages_update":
                continue
            operation.setdefault("parameters", []).append(
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": True,
                    "description": "The ETag of the version you changed (or * to overwrite)",
                    "schema": {"type": "string", "minLength": 1},
                }
            )
            success.setdefault("headers", {}).update(etag_header)
            responses["412"] = {"description": STALE_DETAIL, "content": problem}
            responses["428"] = {"description": MISSING_DETAIL, "content": problem}
    return schema
