"""Input no route can use, refused at one place before any view or database sees it.

Three kinds of value reach the database unchanged through Wagtail's own routers and pages
(its search, `locale`, `site`, `html_path`, field filters, pagination, the page route) and
make it fail instead of answering:

- a NUL byte anywhere in the path, a query parameter or a JSON string: PostgreSQL text
  cannot hold one;
- an integer beyond 64 bits in an API path, query parameter or JSON body: no column holds
  one, so `offset=99999999999999999999999` is a database error, not an empty page;
- an API write whose JSON body is not an object (`[]`, `null`, `1`): Wagtail's page
  routers read it as a page and fail;
- an API path id (`page_id`, `image_id`, every `*_id`) that is not a whole number.

Each is a 400 naming the parameter or field: problem+json on /api/, the 400 page elsewhere.
The middleware sits above the page cache and every view, so nothing is looked up or written.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.defaults import bad_request
from wagtail.api.v3.errors import problem_response

API_PREFIX = "/api/"
# Wagtail's `site` filter (pages list and find) is "hostname" or "hostname:port"; any other
# port fails in the database query (a server error on /api/v3/pages/find/).
SITE_FILTER = re.compile(r"^[^:\x00]*(:[0-9]{1,5})?$")
WRITE_METHODS = {"POST", "PUT", "PATCH"}
BIGGEST_INTEGER = 2**63 - 1


class BadInput(Exception):
    """A value no route can use: which parameter or field, and why."""

    def __init__(self, parameter: str, message: str, code: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = f"{parameter}: {message}"
        self.code = code


def is_huge_integer(value: str) -> bool:
    """True for an integer literal no database column can hold (past signed 64 bits)."""
    digits = value.strip().removeprefix("-").removeprefix("+").lstrip("0")
    if not (digits.isascii() and digits.isdigit()):  # "³" is a digit to isdigit() alone
        return False
    # Python refuses to convert thousands of digits; no need to, past nineteen.
    return len(digits) > len(str(BIGGEST_INTEGER)) or int(digits) > BIGGEST_INTEGER


def check_text(parameter: str, value: str, *, integers: bool) -> None:
    if "\x00" in value:
        raise BadInput(parameter, "must not contain a NUL byte", "nul_byte")
    if integers and is_huge_integer(value):
        raise BadInput(parameter, f"must be within ±{BIGGEST_INTEGER}", "integer_too_large")


def path_parameters(request: HttpRequest, is_api: bool) -> Iterator[tuple[str, str]]:
    """The path's parameters by name, or the whole path when no route matches it.

    Only the API's parameters have rules of their own (integers, ids); elsewhere the whole
    path, which holds every parameter, is enough, and no request resolves its URL twice.
    """
    if not is_api:
        yield "path", request.path_info
        return
    try:
        match = resolve(request.path_info)
    except Resolver404:
        yield "path", request.path_info
        return
    yield from ((name, str(value)) for name, value in match.kwargs.items())
    yield "path", request.path_info  # an unnamed segment may still hold a NUL


def json_values(value: Any, location: str) -> Iterator[tuple[str, Any]]:
    """Every value and property name in a JSON document, with where it sits (`body.meta`)."""
    yield location, value
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:  # named by where it sits: the name itself is not repeated back
                raise BadInput(
                    f"{location} (a property name)", "must not contain a NUL byte", "nul_byte"
                )
            yield from json_values(item, f"{location}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_values(item, f"{location}.{index}")


def check_json_body(request: HttpRequest) -> None:
    if request.content_type != "application/json" or not request.body:
        return
    try:
        document = json.loads(request.body)
    except ValueError:
        return  # the route answers a body it cannot parse itself
    if not isinstance(document, dict):
        raise BadInput("body", "must be a JSON object", "object_expected")
    for location, value in json_values(document, "body"):
        if isinstance(value, str) and "\x00" in value:
            raise BadInput(location, "must not contain a NUL byte", "nul_byte")
        if isinstance(value, int) and abs(value) > BIGGEST_INTEGER:
            raise BadInput(location, f"must be within ±{BIGGEST_INTEGER}", "integer_too_large")


def check_request(request: HttpRequest, is_api: bool) -> None:
    for name, value in path_parameters(request, is_api):
        check_text(name, value, integers=is_api and name != "path")
        if is_api and name.endswith("_id") and not (value.isascii() and value.isdigit()):
            # Wagtail's PATCH looks a page up by its id before validating it: "abc" was a 500.
            raise BadInput(name, "must be written with the digits 0-9 only", "integer")
    for name, values in request.GET.lists():
        check_text("a query parameter's name", name, integers=False)
        for value in values:
            check_text(name, value, integers=is_api)
            if is_api and name == "site" and not SITE_FILTER.fullmatch(value):
                raise BadInput(name, "must be a hostname, optionally with :port", "site")
    if is_api and request.method in WRITE_METHODS:
        check_json_body(request)


class BadInputMiddleware:
    """Refuses NUL bytes, impossible integers and non-object JSON bodies with a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        try:
            try:
                check_request(request, is_api)
            except (RequestDataTooBig, TooManyFieldsSent) as error:
                # Django's own limits, answered in the API's shape rather than as a page.
                raise BadInput("request", str(error).rstrip("."), "too_big") from error
        except BadInput as error:
            if is_api:
                return problem_response(
                    status=400,
                    detail=error.message,
                    errors=[
                        {"parameter": error.parameter, "message": error.message, "type": error.code}
                    ],
                )
            return bad_request(request, error)
        return self.get_response(request)
