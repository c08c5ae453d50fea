"""The content API at /api/v3/: Wagtail's API v3 plus the project's routers, one schema.

Wagtail's routers (pages, sites, schema, whoami) come with `wagtail.api.v3.urls.api`; the
project adds groups, events, constituencies and letters to the same NinjaAPI so
/api/v3/openapi.json describes everything. Routers must be added before `api.urls` is read,
which is why config/urls.py imports `api` from here and not from Wagtail.

Only django-ninja's and Wagtail's public interfaces are used: handlers are added with
`add_exception_handler`, and the project's OpenAPI document (Wagtail's, plus what the project
declares) is served by `openapi_document` at /api/v3/openapi.json, which config/urls.py routes
before `api.urls`; the instance's own `get_openapi_schema` stays Wagtail's.
"""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.querysets import get_pages_queryset as wagtail_pages_queryset
from wagtail.api.v3.routers import pages as wagtail_pages_router
from wagtail.api.v3.urls import api
from wagtail.models import Page

from core.api_access import TOKEN_ONLY_PREFIXES, restrict_wagtail_routers
from core.api_contract import (
    ParameterError,
    ProblemError,
    errors_from_validation,
    parameter_problem,
)
from core.api_preconditions import declare_page_preconditions
from core.bad_input import BIGGEST_INTEGER, SITE_FILTER
from core.query import unpublished_ancestor_q
from events.api import router as events_router
from groups.api import router as groups_router
from letters.api import constituencies_router, letters_router, near_router

ANONYMOUS_SCHEMES = ("AllowAnonymous",)
PROJECT_ROUTERS = {
    "groups/": groups_router,
    "events/": events_router,
    "constituencies/": constituencies_router,
    "letters/": letters_router,
    "near/": near_router,
}

for prefix, project_router in PROJECT_ROUTERS.items():
    api.add_router(f"/{prefix}", project_router)

restrict_wagtail_routers()


def pages_for_caller(request: HttpRequest, model: type[Page] = Page) -> QuerySet:
    """Wagtail's pages for /api/v3/pages/ (list, detail, find, the page filters), where an
    anonymous caller also does not see pages under an unpublished page.

    Wagtail leaves out private and unpublished pages but not the live children of an unpublished
    one (a group page unpublished on its own). Tokens keep Wagtail's permission rules. The
    routes read this function from their module, which is where it is replaced
    (tests/security/test_private_content.py checks it still is). The one replaced library
    function left: Wagtail offers no hook here (bin/check-private-access lists it, with why).
    """
    queryset = wagtail_pages_queryset(request, model)
    if request.user.is_authenticated:
        return queryset
    return queryset.exclude(unpublished_ancestor_q())


wagtail_pages_router.get_pages_queryset = pages_for_caller


def is_project_request(request: HttpRequest) -> bool:
    """True for requests to a project router (Wagtail's own keep their 422 answers)."""
    match = getattr(request, "resolver_match", None)
    route = match.route if match is not None else request.path
    return any(f"/{prefix}" in f"/{route}" for prefix in PROJECT_ROUTERS)


def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The project's routers answer 400 with their parameter problems; Wagtail's keep the 422
    its own handler gives (wagtail.api.v3.errors), golden-tested in tests/api."""
    if is_project_request(request):
        return parameter_problem(errors_from_validation(exc))
    return problem_response(status=422, detail="Validation failed", errors=exc.errors)


def parameter_error(request: HttpRequest, exc: ParameterError) -> HttpResponse:
    return parameter_problem(exc.errors)


def problem_error(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    response = problem_response(status=exc.status, detail=exc.detail, errors=exc.errors)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def openapi_without_pseudo_schemes(**kwargs: Any) -> Any:
    """Wagtail's schema, with anonymous access written the way OpenAPI 3.1 spells it.

    Wagtail 8.0 publishes its `AllowAnonymous` fallback as an HTTP security scheme without
    a `scheme`, which makes the document invalid; "no credentials needed" is an empty
    security requirement instead.
    """
    schema = api.get_openapi_schema(**kwargs)
    pseudo = set(ANONYMOUS_SCHEMES) & set(schema.get("components", {}).get("securitySchemes", {}))
    for name in pseudo:
        del schema["components"]["securitySchemes"][name]
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            security = operation.get("security")
            if security and any(name in requirement for requirement in security for name in pseudo):
                operation["security"] = [
                    requirement
                    for requirement in security
                    if not any(name in requirement for name in pseudo)
                ] + [{}]
    return schema


# Errors every operation may answer with, as problem+json (Wagtail's routers keep their 422).
PROBLEM_STATUSES = {
    "400": "Bad request: a parameter or body the endpoint cannot use",
    "401": "The token is missing, unknown or revoked",
    "403": "The token's user may not do this",
    "404": "Not found, or not visible to this caller",
}
PROBLEM_SCHEMA = {"$ref": "#/components/schemas/ProblemDetail"}


def declare_problem_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the problem+json errors each operation can give, so clients know their shape."""
    project_prefixes = tuple(f"/api/v3/{prefix}" for prefix in PROJECT_ROUTERS)
    for path, methods in schema.get("paths", {}).items():
        statuses = dict(PROBLEM_STATUSES)
        if not path.startswith(project_prefixes):
            statuses["422"] = "The request body or parameters failed validation"
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in statuses.items():
                response = responses.get(status) or responses.get(int(status))
                if response is None:
                    response = responses[status] = {"description": description}
                content = response.setdefault("content", {})
                content.setdefault("application/problem+json", {"schema": PROBLEM_SCHEMA})
            for status, response in responses.items():
                # Any declared error whose body is JSON is sent as problem+json.
                if str(status).startswith(("4", "5")) and "application/json" in response.get(
                    "content", {}
                ):
                    response["content"].setdefault(
                        "application/problem+json", response["content"]["application/json"]
                    )
    return schema


def declare_token_only(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop the anonymous alternative from the operations core/api_access.py guards."""
    prefixes = tuple(f"/api/v3/{prefix}" for prefix in TOKEN_ONLY_PREFIXES)
    for path, methods in schema.get("paths", {}).items():
        if not path.startswith(prefixes):
            continue
        for operation in methods.values():
            security = [requirement for requirement in operation.get("security", []) if requirement]
            if security:
                operation["security"] = security
    return schema


SCHEMA_REF = "#/components/schemas/"


def accepts_no_value(parameter: dict[str, Any]) -> bool:
    """A path parameter no request can fill: an empty enum, or an empty constant segment."""
    schema = parameter.get("schema", {})
    return parameter.get("in") == "path" and (schema.get("enum") == [] or schema.get("const") == "")


def schema_refs(node: Any) -> set[str]:
    """The component schemas a part of the document names ($ref or discriminator mapping)."""
    if isinstance(node, str) and node.startswith(SCHEMA_REF):
        return {node.removeprefix(SCHEMA_REF)}
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return set().union(set(), *(schema_refs(value) for value in values))


def only_callable_operations(schema: dict[str, Any]) -> dict[str, Any]:
    """Leave out operations no client can call, and the schemas only they used.

    Wagtail mounts a snippets router whose `{type}` accepts the registered snippet types; the
    project registers none, so its operations would say `type` is an empty constant. Clients
    and generators cannot call them and schema-driven fuzzers report them as errors. Register
    a snippet and its operations appear here by themselves (see config/urls.py for the URLs).
    """
    paths = schema.get("paths", {})
    for path, operations in list(paths.items()):
        for method, operation in list(operations.items()):
            if any(accepts_no_value(parameter) for parameter in operation.get("parameters", [])):
                del operations[method]
        if not operations:
            del paths[path]
    components = schema.get("components", {}).get("schemas", {})
    used, pending = set(), schema_refs(paths)
    while pending:
        name = pending.pop()
        if name not in used and name in components:
            used.add(name)
            pending |= schema_refs(components[name])
    used |= {"ProblemDetail"}
    for name in set(components) - used:
        del components[name]
    return schema


NO_NUL = "^[^\\u0000]*$"


def declare_storable_values(node: Any) -> None:
    """State in each schema what core/bad_input.py refuses, so clients can know it.

    Integers fit in 64 bits, text and property names hold no NUL byte (PostgreSQL cannot
    store either). Schemas that already constrain their values (enum, const, pattern, format)
    are left as they are.
    """
    if isinstance(node, list):
        for item in node:
            declare_storable_values(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "integer":
        node.setdefault("maximum", BIGGEST_INTEGER)
        if "minimum" not in node and "exclusiveMinimum" not in node:
            node["minimum"] = -BIGGEST_INTEGER
    elif kind == "string" and not {"enum", "const", "pattern", "format"} & set(node):
        node["pattern"] = NO_NUL
    elif kind == "object":
        node.setdefault("propertyNames", {"pattern": NO_NUL})
        node.setdefault("additionalProperties", {"$ref": SCHEMA_REF + "StorableValue"})
    for value in node.values():
        declare_storable_values(value)


# Properties the API does not know are ignored, but they too must hold values PostgreSQL could
# store. Declared one level deep: generators cannot expand a recursive definition.
STORABLE_SCALAR = [
    {"type": "string", "pattern": NO_NUL},
    {"type": "integer", "minimum": -BIGGEST_INTEGER, "maximum": BIGGEST_INTEGER},
    {"type": "number", "minimum": -BIGGEST_INTEGER, "maximum": BIGGEST_INTEGER},
    {"type": "boolean"},
    {"type": "null"},
]
STORABLE_VALUE = {
    "description": "A JSON value: text without NUL bytes, numbers within 64 bits",
    "anyOf": [
        *STORABLE_SCALAR,
        {"type": "array", "items": {"anyOf": STORABLE_SCALAR}},
        {
            "type": "object",
            "propertyNames": {"pattern": NO_NUL},
            "additionalProperties": {"anyOf": STORABLE_SCALAR},
        },
    ],
}


def declare_input_limits(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the limits the API enforces beyond what its routers' schemas say."""
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"].endswith("_id"):
                    id_schema = parameter["schema"]
                    if "minimum" not in id_schema and "exclusiveMinimum" not in id_schema:
                        id_schema["minimum"] = 0  # ids are written with digits only
                if parameter["name"] == "site" and parameter["in"] == "query":
                    parameter["schema"] = {"type": "string", "pattern": SITE_FILTER.pattern}
                    parameter["description"] = "A site's hostname, optionally with :port"
    declare_storable_values(schema.get("paths", {}))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    declare_storable_values(components)
    components["StorableValue"] = STORABLE_VALUE
    # Wagtail's paginator refuses a limit past WAGTAILAPI_LIMIT_MAX without declaring it.
    most = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "limit" and most is not None:
                    limit = parameter["schema"]
                    limit["maximum"] = min(limit.get("maximum", most), most)
    return schema


LOCALE_PARAMETER = {
    "name": "locale",
    "in": "query",
    "required": False,
    "description": "The language whose pages to answer with (English by default); "
    "the Welsh pages with `cy`",
    "schema": {"type": "string", "enum": [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]},
}


def declare_locale_filter(schema: dict[str, Any]) -> dict[str, Any]:
    """Every read of a project router takes `locale` (core/api_locale.py); Wagtail's pages
    router declares its own."""
    for route, methods in schema.get("paths", {}).items():
        if not route.startswith(tuple(f"/api/v3/{prefix}" for prefix in PROJECT_ROUTERS)):
            continue
        operation = methods.get("get")
        if operation is not None and not any(
            parameter["name"] == "locale" for parameter in operation.get("parameters", [])
        ):
            operation.setdefault("parameters", []).append(dict(LOCALE_PARAMETER))
    return schema


def not_in_this_api(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Routes Wagtail mounts that this project leaves out (no snippet types are registered)."""
    return problem_response(status=404, detail="Not found: this API serves no snippet types")


def openapi_schema(**kwargs: Any) -> Any:
    """The API's document: Wagtail's `get_openapi_schema` (same arguments), then the project's."""
    schema = declare_problem_responses(declare_token_only(openapi_without_pseudo_schemes(**kwargs)))
    schema = only_callable_operations(declare_page_preconditions(schema))
    return declare_locale_filter(declare_input_limits(schema))


def openapi_document(request: HttpRequest, **path_params: Any) -> HttpResponse:
    """/api/v3/openapi.json, as django-ninja's own view serves it, with `openapi_schema`."""
    return JsonResponse(openapi_schema(path_params=path_params))


if api.docs_decorator:  # Wagtail's switch (WAGTAILAPI_DOCS_ENABLED) applies as to its own
    openapi_document = api.docs_decorator(openapi_document)

api.add_exception_handler(NinjaValidationError, validation_error)
api.add_exception_handler(ParameterError, parameter_error)
api.add_exception_handler(ProblemError, problem_error)

__all__ = ["api"]
