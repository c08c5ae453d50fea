"""What every project endpoint on /api/v3/ shares: error shape, pagination, links.

Wagtail's own routers answer errors as RFC 7807 problem+json (wagtail/api/v3/errors.py); the
project routers use the same document so a client handles one shape. They differ in one way
on purpose: a bad query parameter is a 400 naming the parameter, not Wagtail's 422.
"""

from collections.abc import Callable
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.api.v3.errors import ProblemDetail, problem_response

MAX_LIMIT = 100
DEFAULT_LIMIT = 20

# The statuses every project endpoint may answer with besides its success; declared in the
# OpenAPI document so clients (and schemathesis) know their shape.
ERROR_RESPONSES: dict[int, type[Schema]] = {400: ProblemDetail, 404: ProblemDetail}


class ParameterError(Exception):
    """A query or path parameter the endpoint cannot use; answered as a 400 naming it."""

    def __init__(self, parameter: str, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.errors = [{"parameter": parameter, "message": message, "type": code}]

    @classmethod
    def from_form_errors(cls, form_errors: dict[str, list[str]]) -> "ParameterError":
        error = cls("", "")
        error.errors = [
            {"parameter": name, "message": f"{name}: {messages[0]}", "type": "invalid"}
            for name, messages in form_errors.items()
        ]
        return error


class ProblemError(Exception):
    """An answer that is not a success and not a bad parameter (404 for a postcode, 429, 503)."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def validated(form: Any) -> dict[str, Any]:
    """The form's cleaned data, or a 400 naming each parameter the form refused."""
    if not form.is_valid():
        raise ParameterError.from_form_errors(form.errors)
    return form.cleaned_data


def paged_list(
    request: HttpRequest,
    rows: Any,
    offset: int,
    limit: int,
    summarise: Callable[[HttpRequest, Any], dict[str, Any]],
) -> dict[str, Any]:
    """A list answer: how many rows match, and the summaries of the requested slice."""
    return {
        "count": rows.count(),
        "items": [summarise(request, row) for row in rows[offset : offset + limit]],
    }


def parameter_problem(errors: list[dict[str, Any]]) -> HttpResponse:
    names = ", ".join(sorted({error["parameter"] for error in errors if error["parameter"]}))
    detail = f"Invalid parameter: {names}" if names else "Invalid parameters"
    return problem_response(status=400, detail=detail, errors=errors)


def errors_from_validation(exc: NinjaValidationError) -> list[dict[str, Any]]:
    """Ninja's validation errors as {parameter, message, type}, the parameter named plainly.

    Ninja locates a query parameter as ("query", "name") or ("query", "filters", "name");
    the last string is what the client typed.
    """
    errors = []
    for error in exc.errors:
        location = [part for part in error.get("loc", ()) if isinstance(part, str)]
        parameter = location[-1] if len(location) > 1 else (location[0] if location else "")
        message = str(error.get("msg", "Invalid value"))
        errors.append(
            {
                "parameter": parameter,
                "message": f"{parameter}: {message}" if parameter else message,
                "type": str(error.get("type", "invalid")),
            }
        )
    return errors


# Offsets past this are refused rather than sent to the database as huge numbers.
MAX_OFFSET = 100_000


def absolute(request: HttpRequest, path_or_url: str | None) -> str | None:
    """An absolute URL for a page's URL (relative when the site has one host)."""
    if not path_or_url:
        return None
    return request.build_absolute_uri(path_or_url)


# Wagtail page ids are 32-bit; anything larger cannot exist and must not reach the database.
PageId = Annotated[int, Field(ge=1, le=2_147_483_647)]
Slug = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[-\w]+$")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class PageLink(Schema):
    """Another page, as a client needs it to follow the link."""

    id: int
    title: str
    html_url: str | None
