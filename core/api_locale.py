"""`?locale=` on the project's API routers (/api/v3/groups/, events/, letters/, near/...): the
answer in that language's pages, as Wagtail's own `/api/v3/pages/?locale=cy` filters its pages.

The API is outside the /cy/ prefix, so LocaleMiddleware leaves it in English; with `locale`
the request is answered in that language instead, so every list built with
`visible_to_public()` (core/query.py) lists that language's pages. The page cache keeps the
answers apart: the parameter is part of its key, and so is the language.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.api_contract import parameter_problem

PROJECT_API_PREFIX = "/api/v3/"
# Wagtail's routers read `locale` themselves (its pages router filters on it).
WAGTAIL_ROUTES = ("/api/v3/pages", "/api/v3/sites", "/api/v3/schema", "/api/v3/whoami")


def content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


class APILocaleMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            "locale" not in request.GET
            or not path.startswith(PROJECT_API_PREFIX)
            or path.startswith(WAGTAIL_ROUTES)
        ):
            return self.get_response(request)
        language = request.GET["locale"]
        if language not in content_languages():
            allowed = ", ".join(content_languages())
            return parameter_problem(
                [{"parameter": "locale", "message": f"locale: one of {allowed}", "type": "enum"}]
            )
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return self.get_response(request)
